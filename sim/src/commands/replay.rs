//! `idc replay`: every file is read and replayed, a bad one reported and skipped; the exit
//! code is the worst result.

use idc_model::echo::{echo, echo_path};
use idc_model::Expression;
use idc_sim::format::report::replay::{
    replay_showing, ReplayDocument, ReplayEntry, ReplayError, ReplayResult,
};
use idc_sim::format::trace;
use idc_sim::render::replay::render;

use crate::cli::{apply_overrides, ReplayArgs};
use crate::exit::{Failure, Outcome, Status};
use crate::output;

/// Runs `idc replay`.
pub fn run(args: &ReplayArgs) -> Outcome {
    let stdin_twice = args.files.iter().filter(|f| f.as_os_str() == "-").count() > 1;
    if stdin_twice {
        return Err(Failure::usage("'-' (standard input) can be given once"));
    }
    let mut entries = Vec::with_capacity(args.files.len());
    for f in &args.files {
        let file = if f.as_os_str() == "-" {
            "<stdin>".to_string()
        } else {
            f.display().to_string()
        };
        let bad = |error: String| {
            output::error(&error);
            ReplayEntry::Error(ReplayError {
                file: echo_path(&file),
                result: ReplayResult::Error,
                error,
            })
        };
        let mut t = match trace::read(f) {
            Ok(t) => t,
            Err(e) => {
                entries.push(bad(e.to_string()));
                continue;
            }
        };
        if let Err(e) = apply_overrides(&mut t.config, &args.assume, &args.practice, &args.relax) {
            entries.push(bad(format!("{}: {e}", echo_path(&file))));
            continue;
        }
        let mut shows = Vec::with_capacity(args.show.len());
        for text in &args.show {
            match Expression::parse_named(text, &t.config, &t.names) {
                Ok(e) => shows.push(e),
                Err(e) => return Err(Failure::usage(format!("--show `{}`: {e}", echo(text)))),
            }
        }
        match replay_showing(&file, &t, &shows) {
            Ok(r) => {
                if let Some(d) = &r.divergence {
                    output::error(format!(
                        "{}: diverged at step {}: {}",
                        echo_path(&file),
                        d.step,
                        d.reason
                    ));
                }
                entries.push(ReplayEntry::Replayed(Box::new(r)));
            }
            Err(e) => entries.push(bad(format!("{}: config: {e}", echo_path(&file)))),
        }
    }
    let doc = ReplayDocument::of(entries);
    if args.json {
        output::json(&doc)?;
    } else {
        let text: Vec<String> = doc
            .traces
            .iter()
            .filter_map(|t| match t {
                ReplayEntry::Replayed(r) => Some(render(r)),
                ReplayEntry::Error(_) => None,
            })
            .collect();
        let mut text = text.join("\n");
        if doc.traces.len() > 1 {
            text.push_str(&tally(&doc));
        }
        output::out(&text)?;
    }
    Ok(match doc.result {
        ReplayResult::Reproduced => Status::Ok,
        ReplayResult::Diverged => Status::Finding,
        ReplayResult::Error => Status::BadInput,
    })
}

/// The last line of a replay of several files: how many reproduced, diverged, were invalid.
fn tally(doc: &ReplayDocument) -> String {
    let (mut reproduced, mut diverged, mut invalid) = (0, 0, 0);
    for t in &doc.traces {
        match t {
            ReplayEntry::Replayed(r) if r.result == ReplayResult::Reproduced => reproduced += 1,
            ReplayEntry::Replayed(_) => diverged += 1,
            ReplayEntry::Error(_) => invalid += 1,
        }
    }
    format!(
        "\nreplayed {} traces: {reproduced} reproduced, {diverged} diverged, {invalid} invalid\n",
        doc.traces.len()
    )
}
