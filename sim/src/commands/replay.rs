//! `idc replay`: every file is read and replayed, a bad one reported and skipped; the exit
//! code is the worst result.

use idc_model::echo::{echo, echo_path};
use std::path::Path;

use idc_model::{Config, Expression};
use idc_sim::engine::trace::Trace;
use idc_sim::format::design::{self, Design};
use idc_sim::format::export::Replay;
use idc_sim::format::observed::{self, ObservedResult};
use idc_sim::format::report::replay::{
    replay_showing, ReplayDocument, ReplayEntry, ReplayError, ReplayResult,
};
use idc_sim::format::trace;
use idc_sim::render::observed::render as render_observed;
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
    let design = read_design(args.design.as_deref())?;
    if let Some(observed) = &args.observed {
        return run_observed(args, observed, design.as_ref());
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
        if let Some((dfile, d)) = &design {
            if let Err(e) = under_design(&mut t, d) {
                entries.push(bad(format!("{}: --design {dfile}: {e}", echo_path(&file))));
                continue;
            }
        }
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

/// `idc replay --observed OUTCOMES FILE`: the outcomes an exported script observed,
/// judged against the trace's model (exit 0: agree; 1: they disagree; 2: a bad file).
fn run_observed(args: &ReplayArgs, observed: &Path, design: Option<&(String, Design)>) -> Outcome {
    let [f] = args.files.as_slice() else {
        return Err(Failure::usage("--observed judges one trace FILE"));
    };
    let file = if f.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        echo_path(&f.display().to_string())
    };
    let mut t = trace::read(f).map_err(Failure::usage)?;
    if let Some((dfile, d)) = design {
        under_design(&mut t, d)
            .map_err(|e| Failure::usage(format!("{file}: --design {dfile}: {e}")))?;
    }
    apply_overrides(&mut t.config, &args.assume, &args.practice, &args.relax)
        .map_err(|e| Failure::usage(format!("{file}: {e}")))?;
    let replay = Replay::of(&t).map_err(|e| Failure::usage(format!("{file}: config: {e}")))?;
    let ofile = echo_path(&observed.display().to_string());
    let lines = observed::read(observed, &ofile).map_err(Failure::usage)?;
    let report = observed::judge(&replay, &lines, &file, &ofile).map_err(Failure::usage)?;
    if args.json {
        output::json(&report)?;
    } else {
        output::out(&render_observed(&report))?;
    }
    Ok(match report.result {
        ObservedResult::Agree => Status::Ok,
        ObservedResult::Disagree => Status::Finding,
    })
}

/// The design of `--design`, with its file's name for messages (exit 2 when it can't be
/// read or is not understood).
pub fn read_design(path: Option<&Path>) -> Result<Option<(String, Design)>, Failure> {
    let Some(path) = path else {
        return Ok(None);
    };
    let file = echo_path(&path.display().to_string());
    let d = design::read(path).map_err(|e| Failure::usage(format!("--design {file}: {e}")))?;
    Ok(Some((file, d)))
}

/// The trace under a design's configuration, threat model and names, when its sizes are
/// the design's; else what differs.
pub fn under_design(t: &mut Trace, d: &Design) -> Result<(), String> {
    let (ours, theirs) = (&d.config, &t.config);
    let sizes = |c: &Config| [c.members, c.users, c.groups, c.permission_sets];
    if sizes(ours) != sizes(theirs) {
        return Err(format!(
            "the trace's sizes (members={} users={} groups={} permission-sets={}) are not the design's (members={} users={} groups={} permission-sets={})",
            theirs.members, theirs.users, theirs.groups, theirs.permission_sets,
            ours.members, ours.users, ours.groups, ours.permission_sets
        ));
    }
    t.config = d.config;
    t.names = d.names.clone();
    Ok(())
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
