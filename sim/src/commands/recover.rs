//! `idc recover`: the recoverability analysis.

use idc_sim::engine::explore::{Options, Progress as Figures, Stop};
use idc_sim::engine::recover::recover;
use idc_sim::format::report::recover::{report, RecoverResult};
use idc_sim::render::whatif;

use super::check::figures;
use super::{default_max_memory, setup, tell_no_symmetry, tell_stop, Setup, INTERRUPTED};
use crate::cli::RecoverArgs;
use crate::exit::{Outcome, Status};
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
    let from = (!start.is_initial()).then_some(start.steps.len());
    let report = report(&model, from, &r);
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
