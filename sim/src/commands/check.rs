//! `idc check`: explore, judge, report (human or JSON), write the traces asked for.

use idc_sim::engine::explore::{Exploration, Progress as Figures, Stop};
use idc_sim::engine::properties::PropertySet;
use idc_sim::format::report::check::{apply_expectations, report, CheckReport, CheckResult};
use idc_sim::render::{self, thousands};

use super::{expectations_of, properties_of, search, setup, write_traces, Setup};
use crate::cli::{check_expectations, CheckArgs, SearchArgs, UserPropertyArgs};
use crate::exit::{Failure, Outcome, Status};
use crate::output;

/// A progress line of an exploration.
pub fn figures(p: &Figures) -> String {
    format!(
        "exploring: {} unique / {} generated states, depth {}, {} states/s, {:.1} s",
        thousands(p.unique),
        thousands(p.generated),
        p.depth,
        thousands((p.generated as f64 / p.seconds.max(1e-9)) as u64),
        p.seconds
    )
}

/// A check done: its report, the properties judged and the exploration.
pub struct Checked {
    /// The report (expected verdicts applied).
    pub report: CheckReport,
    /// The properties judged, in the report's order.
    pub properties: PropertySet,
    /// The exploration (its discoveries, why it stopped).
    pub exploration: Exploration,
}

/// The pipeline of `idc check` (and of `compare`'s designs): the properties (built-in,
/// the design's, `user`'s), the expected verdicts (the design's, `expect` over them), the
/// exhaustive search from the setup's start, and its report.
pub fn checked(
    setup: &Setup,
    user: &UserPropertyArgs,
    expect: &[(String, String)],
    search_args: &SearchArgs,
    json: bool,
    max_depth: Option<u32>,
    slice: bool,
) -> Result<Checked, Failure> {
    let Setup {
        model,
        start,
        design,
    } = setup;
    let properties = properties_of(model.config(), user, design.as_ref())?;
    let expectations = check_expectations(&expectations_of(expect, design.as_ref()), &properties)
        .map_err(Failure::usage)?;
    let e = search(
        model,
        start,
        &properties,
        search_args,
        json,
        max_depth,
        false,
        slice,
    );
    let mut report = report(model, start, &properties, &e);
    apply_expectations(&mut report, &expectations);
    Ok(Checked {
        report,
        properties,
        exploration: e,
    })
}

/// Runs `idc check` (without `--matrix`).
pub fn run(args: &CheckArgs) -> Outcome {
    let setup = setup(&args.model, &args.from)?;
    let Checked {
        report,
        properties,
        exploration: e,
    } = checked(
        &setup,
        &args.user,
        &args.expect,
        &args.search,
        args.json,
        args.max_depth,
        !args.whole,
    )?;
    let Setup { model, start, .. } = &setup;
    if let Some(dir) = &args.out {
        let found: Vec<_> = properties
            .iter()
            .zip(&e.discoveries)
            .filter_map(|(p, d)| d.clone().map(|actions| (p, actions)))
            .collect();
        write_traces(dir, model, start, &found)?;
    }
    if args.json {
        output::json(&report)?;
    } else {
        output::out(&render::check(&report, args.brief))?;
    }
    // A finding is definite even when the search stopped early: exit 1, not 4.
    Ok(match (report.result, e.stop) {
        (_, Some(Stop::Interrupted)) => Status::Interrupted,
        _ if report.finding => Status::Finding,
        (CheckResult::Ok, _) => Status::Ok,
        _ => Status::Incomplete,
    })
}
