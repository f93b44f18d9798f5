//! `idc simulate`: seeded random walks, shrunk findings, optional trace files.

use idc_sim::engine::simulate::{discoveries, simulate, Options, SimProgress};
use idc_sim::format::report::simulate::{report, SimulateResult};
use idc_sim::render::{simulate::render, thousands};

use super::{properties_of, setup, write_traces, Setup, INTERRUPTED};
use crate::cli::SimulateArgs;
use crate::exit::{Outcome, Status};
use crate::output::{self, Progress};

/// Runs `idc simulate`.
pub fn run(args: &SimulateArgs) -> Outcome {
    let Setup {
        model,
        start,
        design,
    } = setup(&args.model, &args.from)?;
    let properties = properties_of(model.config(), &args.user, design.as_ref())?;
    let mut progress = Progress::new(args.json, args.progress);
    let mut show = |p: SimProgress| {
        if let Some(pr) = progress.as_mut() {
            pr.show(&format!(
                "simulating: {} of {} walks, {} calls made, {:.1} s",
                thousands(p.runs),
                thousands(p.of),
                thousands(p.steps),
                p.seconds
            ));
        }
    };
    let sim = simulate(
        &model,
        &start.state,
        &properties,
        Options {
            seed: args.seed,
            runs: args.runs,
            depth: args.depth,
        },
        Some(&mut show),
        Some(&INTERRUPTED),
    );
    if let Some(pr) = progress.as_mut() {
        pr.done();
    }
    if sim.interrupted {
        output::error(format!(
            "interrupted after {} of {} walks: reporting those",
            thousands(sim.runs),
            thousands(args.runs)
        ));
    }
    if let Some(dir) = &args.out {
        let found = discoveries(&sim);
        let found: Vec<_> = found.iter().map(|(p, a)| (p, a.clone())).collect();
        write_traces(dir, &model, &start, &found)?;
    }
    let report = report(&model, &start, &sim);
    if args.json {
        output::json(&report)?;
    } else {
        output::out(&render(&report))?;
    }
    Ok(if sim.interrupted {
        Status::Interrupted
    } else if report.result == SimulateResult::Ok {
        Status::Ok
    } else {
        Status::Finding
    })
}
