//! `idc state`: a trace file (or standard input) is read and replayed as `idc replay` does
//! (the same branches, the same configuration overrides), and the state after one of its
//! steps is printed.

use idc_model::echo::echo_path;
use idc_sim::format::report::state::state_after;
use idc_sim::format::trace;
use idc_sim::render::state::render;

use super::replay::{read_design, under_design};
use crate::cli::{apply_overrides, StateArgs};
use crate::exit::{Failure, Outcome, Status};
use crate::output;

/// Runs `idc state`.
pub fn run(args: &StateArgs) -> Outcome {
    let file = if args.file.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        args.file.display().to_string()
    };
    let mut t = trace::read(&args.file).map_err(Failure::usage)?;
    if let Some((dfile, d)) = read_design(args.design.as_deref())? {
        under_design(&mut t, &d)
            .map_err(|e| Failure::usage(format!("{}: --design {dfile}: {e}", echo_path(&file))))?;
    }
    apply_overrides(&mut t.config, &args.assume, &args.practice, &args.relax)
        .map_err(|e| Failure::usage(format!("{}: {e}", echo_path(&file))))?;
    let step = args.step.unwrap_or(t.steps.len());
    let report = state_after(&file, &t, step)
        .map_err(|e| Failure::usage(format!("{}: {e}", echo_path(&file))))?;
    let status = match &report.divergence {
        Some(d) if d.step <= step => {
            output::error(format!(
                "{}: diverged at step {}: {}",
                echo_path(&file),
                d.step,
                d.reason
            ));
            Status::Finding
        }
        Some(d) => {
            output::error(format!(
                "{}: diverged at step {}, after the state shown (step {step}): {}",
                echo_path(&file),
                d.step,
                d.reason
            ));
            Status::Ok
        }
        None => Status::Ok,
    };
    if args.json {
        output::json(&report)?;
    } else {
        output::out(&render(&report))?;
    }
    Ok(status)
}
