//! `idc state`: a trace file (or standard input) is read and replayed as `idc replay` does
//! (the same branches, the same configuration overrides), and the state after one of its
//! steps is printed.

use idc_model::echo::echo;
use idc_sim::format::report::state::state_after;
use idc_sim::format::trace;
use idc_sim::render::state::render;

use super::finish;
use crate::cli::{apply_overrides, StateArgs};
use crate::exit;
use crate::output;

/// Runs `idc state`.
pub fn run(args: &StateArgs) -> u8 {
    let file = if args.file.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        args.file.display().to_string()
    };
    let mut t = match trace::read(&args.file) {
        Ok(t) => t,
        Err(e) => return output::fail(e, exit::USAGE),
    };
    if let Err(e) = apply_overrides(&mut t.config, &args.assume, &args.practice, &args.relax) {
        return output::fail(format!("{}: {e}", echo(&file)), exit::USAGE);
    }
    let step = args.step.unwrap_or(t.steps.len());
    let report = match state_after(&file, &t, step) {
        Ok(r) => r,
        Err(e) => return output::fail(format!("{}: {e}", echo(&file)), exit::USAGE),
    };
    let code = match &report.divergence {
        Some(d) if d.step <= step => {
            output::error(format!(
                "{}: diverged at step {}: {}",
                echo(&file),
                d.step,
                d.reason
            ));
            exit::FINDING
        }
        Some(d) => {
            output::error(format!(
                "{}: diverged at step {}, after the state shown (step {step}): {}",
                echo(&file),
                d.step,
                d.reason
            ));
            exit::OK
        }
        None => exit::OK,
    };
    let written = if args.json {
        output::json(&report)
    } else {
        output::out(&render(&report))
    };
    finish(written, code)
}
