//! `idc recover`: the recoverability analysis.

use std::path::Path;

use idc_model::{Action, IdcModel};
use idc_sim::engine::explore::{Options, Progress as Figures, Stop};
use idc_sim::engine::recover::{recover, recovery_model, Recoverability, StartAnswer};
use idc_sim::engine::trace::{Start, Trace};
use idc_sim::format::report::recover::{report, RecoverResult};
use idc_sim::format::trace;
use idc_sim::render::{thousands, whatif};

use super::check::figures;
use super::{default_max_memory, setup, tell_no_symmetry, tell_stop, Setup, INTERRUPTED};
use crate::cli::RecoverArgs;
use crate::exit::{Failure, Outcome, Status};
use crate::output::{self, Progress};

/// Runs `idc recover`.
pub fn run(args: &RecoverArgs) -> Outcome {
    let Setup {
        model,
        start,
        design: _,
    } = setup(&args.model, &args.from)?;
    let search = args.search.search();
    tell_no_symmetry(
        search.symmetry,
        !start.is_initial(),
        model.config(),
        &idc_sim::engine::properties::PropertySet::empty(),
    );
    let mut progress = Progress::new(args.json, args.search.progress);
    let mut show = |p: Figures| {
        if let Some(pr) = progress.as_mut() {
            pr.show(&figures(&p));
        }
    };
    let r = recover(
        &model,
        args.keep_instance,
        Options {
            symmetry: search.symmetry,
            threads: search.threads,
            progress: Some(&mut show),
            max_memory: Some(args.search.max_memory.unwrap_or_else(default_max_memory)),
            max_time: args.search.max_time,
            interrupt: Some(&INTERRUPTED),
            start: (!start.is_initial()).then(|| start.state.clone()),
            ..Options::default()
        },
    );
    if let Some(pr) = progress.as_mut() {
        pr.done();
    }
    tell_stop(r.stop, search.symmetry);
    let report = report(&model, &start, &r);
    if let Some(dir) = &args.out {
        write_recover_traces(dir, &recovery_model(&model, args.keep_instance), &start, &r)?;
    }
    if args.json {
        output::json(&report)?;
    } else {
        output::out(&whatif::recover(&report, args.brief))?;
    }
    Ok(match (r.stop, report.result) {
        (Some(Stop::Interrupted), _) => Status::Interrupted,
        (Some(_), _) => Status::Incomplete,
        (None, RecoverResult::Ok) => Status::Ok,
        (None, RecoverResult::Stuck | RecoverResult::Incomplete) => Status::Finding,
    })
}

/// Writes the traces of `--out DIR` (those there are): the plan from the start state, the
/// longest recovery (into its state and back), the trace into the first stuck state. Each
/// is written under the recovery's model (its threat model is the recovery's), from
/// `start`, so `idc replay` reproduces it on its own.
fn write_recover_traces(
    dir: &Path,
    model: &IdcModel,
    start: &Start,
    r: &Recoverability,
) -> Result<(), Failure> {
    let mut files: Vec<(&str, Vec<Action>)> = Vec::new();
    if let StartAnswer::Recoverable(plan) = &r.from_start {
        files.push(("start-plan", plan.clone()));
    }
    if let Some((path, back)) = &r.longest {
        files.push((
            "longest-recovery",
            path.iter().chain(back).copied().collect(),
        ));
    }
    if let Some(s) = &r.first_stuck {
        files.push(("first-stuck", s.path.clone()));
    }
    let fail = |e: trace::FileError| Failure::write(e);
    std::fs::create_dir_all(dir).map_err(|e| Failure::write(format!("{}: {e}", dir.display())))?;
    for (name, actions) in &files {
        let mut t = Trace::of_actions(model, start, actions, None);
        t.description = Some(match *name {
            "start-plan" => "idc recover: the management account's plan from the start state (AWS taking the longest way)".to_string(),
            "longest-recovery" => "idc recover: into the state whose recovery is longest, and back (AWS taking the longest way)".to_string(),
            _ => "idc recover: the shortest trace into a state from which the management account can't get back".to_string(),
        });
        trace::write(&dir.join(format!("{name}.json")), &t).map_err(fail)?;
    }
    output::note(format!(
        "wrote {} trace file{} to {}",
        thousands(files.len() as u64),
        if files.len() == 1 { "" } else { "s" },
        dir.display()
    ))
}
