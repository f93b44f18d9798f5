//! `idc replay`'s report for people.

use std::fmt::Write as _;

use super::{header, step};
use crate::format::report::replay::ReplayReport;

/// The human rendering of a replay.
pub fn render(r: &ReplayReport) -> String {
    let mut out = String::new();
    header(&mut out, &format!("idc replay: {}", r.file), &r.config);
    if let Some(n) = &r.model_note {
        let _ = writeln!(out, "  note           {n}");
    }
    if let Some(d) = &r.description {
        let _ = writeln!(out, "  description    {d}");
    }
    if let Some(c) = &r.claim {
        match &c.expression {
            Some(e) => {
                let _ = writeln!(out, "  claim          {c}: {e}");
            }
            None => {
                let _ = writeln!(out, "  claim          {} [{}]", c, c.rules.join(", "));
            }
        }
    }
    if let Some(n) = r.from {
        let _ = writeln!(
            out,
            "  from           {n} call{} from the initial state (the trace's `from`); its steps start there",
            if n == 1 { "" } else { "s" }
        );
    }
    let _ = writeln!(out);
    if r.steps.is_empty() {
        let _ = writeln!(
            out,
            "  (no steps: the state {})",
            if r.from.is_some() {
                "its `from` calls lead to"
            } else {
                "initial"
            }
        );
    }
    if !r.show.is_empty() {
        let start = if r.from.is_some() {
            "where its `from` calls lead"
        } else {
            "initial state"
        };
        let _ = writeln!(out, "   0. ({start})");
        shown(&mut out, &r.show);
    }
    let names = r.config.names();
    for s in &r.steps {
        if let Some(n) = &s.note {
            let _ = writeln!(out, "      # {n}");
        }
        step(&mut out, &s.step, &names);
        if let Some(m) = &s.mismatch {
            let _ = writeln!(out, "          !! {m}");
        }
        if !s.step.failing.is_empty() {
            let _ = writeln!(
                out,
                "          failing after it: {}",
                s.step.failing.join(", ")
            );
        }
        shown(&mut out, &s.show);
    }
    let found: Vec<String> = r
        .steps
        .iter()
        .filter(|s| s.branch_found)
        .map(|s| {
            let readings: Vec<String> = s
                .step
                .branch
                .iter()
                .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                .collect();
            format!("step {} [{}]", s.step.step, readings.join(", "))
        })
        .collect();
    if !found.is_empty() {
        let _ = writeln!(out, "  branches found by the replay: {}", found.join("; "));
    }
    let expected = r.steps.iter().filter(|s| s.as_expected.is_some()).count();
    let _ = match &r.divergence {
        None => {
            let claim = r
                .claim
                .as_ref()
                .map(|c| format!("; {}", c))
                .unwrap_or_default();
            let outcomes = match expected {
                0 => "no expected outcomes stated".to_string(),
                1 => "1 expected outcome met".to_string(),
                n => format!("{n} expected outcomes met"),
            };
            writeln!(
                out,
                "result: reproduced ({} step{}, {outcomes}{claim})",
                r.steps.len(),
                if r.steps.len() == 1 { "" } else { "s" },
            )
        }
        Some(d) => writeln!(out, "result: DIVERGED at step {}: {}", d.step, d.reason),
    };
    out
}

/// The `--show` expressions' values in one state, on one line (nothing without `--show`).
fn shown(out: &mut String, show: &serde_json::Map<String, serde_json::Value>) {
    if show.is_empty() {
        return;
    }
    let values: Vec<String> = show
        .iter()
        .map(|(e, v)| match v {
            serde_json::Value::String(s) => format!("{e} = {s}"),
            v => format!("{e} = {v}"),
        })
        .collect();
    let _ = writeln!(out, "          {}", values.join("; "));
}
