//! One module per command: each turns its arguments into the engine's options, runs it,
//! writes its report through [`crate::output`], and returns the exit code.

pub mod check;
pub mod export;
pub mod matrix;
pub mod recover;
pub mod replay;
pub mod rules;
pub mod simulate;
pub mod state;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use idc_model::{Action, Config, IdcModel};
use idc_sim::engine::explore::Stop;
use idc_sim::format::trace;
use idc_sim::render::thousands;

use crate::exit;
use crate::output;

/// Raised by Ctrl-C: searches and simulations stop at their next check and report what
/// they found so far. A second Ctrl-C exits at once.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Installs the Ctrl-C handler (once; if it can't be installed, Ctrl-C keeps its default
/// effect of ending the process).
pub fn catch_interrupt() {
    let _ = ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            std::process::exit(i32::from(exit::INTERRUPTED));
        }
    });
}

/// The default `--max-memory`: three quarters of the memory the system says is available
/// (`MemAvailable` of `/proc/meminfo`), or 4 GiB where that can't be read.
pub fn default_max_memory() -> u64 {
    let available = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("MemAvailable:"))
                .and_then(|rest| rest.trim().strip_suffix("kB"))
                .and_then(|kb| kb.trim().parse::<u64>().ok())
        })
        .map(|kb| kb * 1024);
    available.map_or(4 << 30, |bytes| bytes / 4 * 3)
}

/// A byte count for people: `1.5 GiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// Tells stderr why a search stopped early (one line), unless it was the depth bound the
/// user asked for.
pub fn tell_stop(stop: Option<Stop>) {
    match stop {
        Some(Stop::Memory { needed, limit }) => output::error(format!(
            "stopped: the search would need {} of memory, over --max-memory {}; try --symmetry, fewer members, users, groups or permission sets, or a larger --max-memory",
            bytes(needed),
            bytes(limit)
        )),
        Some(Stop::Interrupted) => output::error("interrupted: reporting what was found so far"),
        Some(Stop::MaxDepth) | None => {}
    }
}

/// The model of a configuration, or the usage error.
pub fn model_of(cfg: Config) -> Result<IdcModel, u8> {
    IdcModel::new(cfg).map_err(|e| output::fail(e, exit::USAGE))
}

/// Writes trace files, telling stderr where; the exit code on failure.
pub fn write_traces(
    dir: &Path,
    model: &IdcModel,
    found: &[(&'static str, Vec<Action>)],
) -> Result<(), u8> {
    match trace::write_discoveries(dir, model, found) {
        Ok(paths) => output::note(format!(
            "wrote {} trace file{} to {}",
            thousands(paths.len() as u64),
            if paths.len() == 1 { "" } else { "s" },
            dir.display()
        )),
        Err(e) => Err(output::fail(e, exit::FAILURE)),
    }
}

/// The exit code of a command whose output went out with `written` and whose result is
/// `code`: a write failure wins.
pub fn finish(written: Result<(), u8>, code: u8) -> u8 {
    match written {
        Ok(()) => code,
        Err(failure) => failure,
    }
}
