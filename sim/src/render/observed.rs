//! `idc replay --observed`'s report for people: the model's outcome beside the observed
//! one, step by step, and the verdict.

use std::fmt::Write as _;

use crate::format::observed::{ObservedReport, ObservedResult};

/// The human rendering of an outcomes file judged against a trace.
pub fn render(r: &ObservedReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "idc replay: {} against {}", r.trace, r.observed);
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "  {:<7} {:<32} {:<32} call",
        "step", "model", "observed"
    );
    for s in &r.steps {
        let mark = match s.agree {
            Some(false) => "  <- differs",
            _ => "",
        };
        let reading = match &s.reading {
            Some(reading) => format!(" [reading {reading}]"),
            None => String::new(),
        };
        let observed = s.observed.as_deref().unwrap_or("(not observed)");
        let _ = writeln!(
            out,
            "  {:<7} {:<32} {observed:<32} {}{reading}{mark}",
            s.step, s.model, s.call
        );
    }
    let _ = writeln!(out);
    let tally = format!(
        "{} judged, {} skipped, {} not observed",
        r.judged, r.skipped, r.missing
    );
    match (r.result, r.first_difference) {
        (ObservedResult::Disagree, Some(i)) => {
            let s = &r.steps[i];
            let _ = writeln!(
                out,
                "disagree at step {}: {}: the model says {}, observed {} ({tally})",
                s.step,
                s.call,
                s.model,
                s.observed.as_deref().unwrap_or("nothing")
            );
            if let Some(reading) = &s.reading {
                let _ = writeln!(
                    out,
                    "  the model's reading there (the trace's branch): {reading}"
                );
            }
            for other in &s.other_readings {
                let _ = writeln!(out, "  another reading gives the observed outcome: {other}");
            }
        }
        _ => {
            let _ = writeln!(out, "agree ({tally})");
        }
    }
    out
}
