//! `idc check`: explore, judge, report (human or JSON), write the traces asked for.

use idc_model::PROPERTIES;
use idc_sim::engine::explore::{explore, Options, Progress as Figures, Stop};
use idc_sim::format::report::check::{apply_expectations, report};
use idc_sim::render::{self, thousands};

use super::{default_max_memory, finish, model_of, tell_stop, write_traces, INTERRUPTED};
use crate::cli::{check_expectations, CheckArgs};
use crate::exit;
use crate::output::{self, Progress};

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

/// Runs `idc check` (without `--matrix`).
pub fn run(args: &CheckArgs) -> u8 {
    let cfg = match args.model.config() {
        Ok(cfg) => cfg,
        Err(e) => return output::fail(e, exit::USAGE),
    };
    if let Err(e) = check_expectations(&args.expect) {
        return output::fail(e, exit::USAGE);
    }
    let model = match model_of(cfg) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let search = args.search.search();
    let mut progress = Progress::new(args.json, args.search.progress);
    let mut show = |p: Figures| {
        if let Some(pr) = progress.as_mut() {
            pr.show(&figures(&p));
        }
    };
    let e = explore(
        &model,
        Options {
            max_depth: args.max_depth,
            progress: Some(&mut show),
            symmetry: search.symmetry,
            threads: search.threads,
            max_memory: Some(args.search.max_memory.unwrap_or_else(default_max_memory)),
            interrupt: Some(&INTERRUPTED),
            ..Options::default()
        },
    );
    if let Some(pr) = progress.as_mut() {
        pr.done();
    }
    tell_stop(e.stop);
    let mut report = report(&model, &e);
    apply_expectations(&mut report, &args.expect);
    if let Some(dir) = &args.out {
        let found: Vec<_> = PROPERTIES
            .iter()
            .zip(&e.discoveries)
            .filter_map(|(p, d)| d.clone().map(|actions| (p.name, actions)))
            .collect();
        if let Err(code) = write_traces(dir, &model, &found) {
            return code;
        }
    }
    let written = if args.json {
        output::json(&report)
    } else {
        output::out(&render::check(&report, args.brief))
    };
    let code = match (report.result, e.stop) {
        (_, Some(Stop::Interrupted)) => exit::INTERRUPTED,
        ("ok", _) => exit::OK,
        ("incomplete", _) => exit::INCOMPLETE,
        _ => exit::FINDING,
    };
    finish(written, code)
}
