//! `idc check --matrix`: the what-if matrix, rows explored in parallel.

use std::sync::Mutex;

use idc_sim::engine::matrix::{matrix, Limits, MatrixProgress};
use idc_sim::format::report::matrix::report;
use idc_sim::render::whatif;

use super::{default_max_memory, properties_of, tell_no_symmetry, INTERRUPTED};
use crate::cli::CheckArgs;
use crate::exit::{Failure, Outcome, Status};
use crate::output::{self, Progress};

/// Runs `idc check --matrix`.
pub fn run(args: &CheckArgs) -> Outcome {
    let cfg = args.model.config().map_err(Failure::usage)?;
    let properties = properties_of(&cfg, &args.user, None)?;
    tell_no_symmetry(args.search.symmetry, false, &cfg, &properties);
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
    let run = matrix(
        cfg,
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
    let run = run.map_err(Failure::usage)?;
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
