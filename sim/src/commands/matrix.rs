//! `idc check --matrix`: the what-if matrix, rows explored in parallel.

use std::sync::Mutex;

use idc_sim::engine::matrix::{matrix_from, Limits, MatrixError, MatrixProgress};
use idc_sim::format::report::matrix::{refused, report};
use idc_sim::render::whatif;

use super::{default_max_memory, properties_of, setup, tell_no_symmetry, Setup, INTERRUPTED};
use crate::cli::CheckArgs;
use crate::exit::{Failure, Outcome, Status};
use crate::output::{self, Progress};

/// Runs `idc check --matrix`: from the command line's configuration, or from a design's
/// (its threat model, its start calls replayed under each row's configuration, its
/// properties).
pub fn run(args: &CheckArgs) -> Outcome {
    let Setup { model, design, .. } = setup(&args.model, &args.from)?;
    let cfg = *model.config();
    let properties = properties_of(&cfg, &args.user, design.as_ref())?;
    let from = design.as_ref().map(|(_, d)| (&d.start[..], &d.names));
    tell_no_symmetry(
        args.search.symmetry,
        from.is_some_and(|(steps, _)| !steps.is_empty()),
        &cfg,
        &properties,
    );
    let progress = Mutex::new(Progress::new(args.json, args.search.progress));
    let printer = |p: &MatrixProgress| {
        let running: Vec<String> = p
            .running
            .iter()
            .map(|(label, progress)| match progress {
                Some(q) => format!("{label}: {} states, depth {}", q.unique, q.depth),
                None => label.clone(),
            })
            .collect();
        let text = format!(
            "matrix: {} of {} checks done, {:.0} s; {}",
            p.done,
            p.total,
            p.seconds,
            running.join(" | ")
        );
        if let Ok(mut guard) = progress.lock() {
            if let Some(pr) = guard.as_mut() {
                pr.show(&text);
            }
        }
    };
    let limits = Limits {
        max_memory: Some(args.search.max_memory.unwrap_or_else(default_max_memory)),
        // A limit too far away to be an instant is no limit.
        deadline: args
            .search
            .max_time
            .and_then(|t| std::time::Instant::now().checked_add(t)),
        interrupt: Some(&INTERRUPTED),
    };
    let run = matrix_from(
        cfg,
        from,
        &properties,
        args.search.search(),
        limits,
        Some(&printer),
    );
    if let Ok(mut guard) = progress.lock() {
        if let Some(pr) = guard.as_mut() {
            pr.done();
        }
    }
    let run = run.map_err(|e| match e {
        MatrixError::Config(c) => Failure::usage(c),
        MatrixError::Start(r) => Failure::usage(format!("--design: {}", refused(&r))),
    })?;
    let report = report(&run);
    if !report.complete {
        output::error("some rows stopped before they were complete (memory, time or interruption): their outcomes without a trace are unknown");
    }
    if args.json {
        output::json(&report)?;
    } else {
        output::out(&whatif::matrix(&report, args.brief))?;
    }
    Ok(if INTERRUPTED.load(std::sync::atomic::Ordering::Relaxed) {
        Status::Interrupted
    } else if report.complete {
        Status::Ok
    } else {
        Status::Incomplete
    })
}
