//! `idc find`'s report for people.

use std::fmt::Write;

use super::{from_line, header, step, thousands, why_stopped};
use crate::format::report::find::{FindReport, FindResult};

/// The whole find report.
pub fn render(r: &FindReport) -> String {
    let mut out = String::new();
    header(&mut out, &format!("idc find: {}", r.expression), &r.config);
    from_line(&mut out, r.from, r.from_readings.as_deref());
    let _ = writeln!(out);
    match (&r.trace, r.result) {
        (Some(trace), _) => {
            let _ = writeln!(
                out,
                "found in {} step{} (no shorter sequence of calls reaches such a state)",
                trace.len(),
                if trace.len() == 1 { "" } else { "s" }
            );
            if trace.is_empty() {
                let _ = writeln!(out, "  (the state the search starts from satisfies it)");
            }
            for s in trace {
                step(&mut out, s, &r.config.names());
            }
            let _ = writeln!(out, "  => after step {} the expression holds", trace.len());
        }
        (None, FindResult::NotFound) => {
            let _ = writeln!(
                out,
                "not found: no reachable state satisfies the expression ({} states explored, every one)",
                thousands(r.states.unique)
            );
        }
        (None, FindResult::Incomplete | FindResult::Found) => {
            let why = r.stopped.map_or("interrupted", why_stopped);
            let _ = writeln!(
                out,
                "INCOMPLETE: no state found within depth {} ({why}); deeper states are unexplored",
                r.max_depth
            );
        }
    }
    let _ = writeln!(
        out,
        "\nstates: {} generated, {} unique; depth {}; {:.2} s",
        thousands(r.states.generated),
        thousands(r.states.unique),
        r.max_depth,
        r.seconds
    );
    out
}
