//! `idc simulate`'s report for people.

use std::fmt::Write as _;

use super::{discovery, header, thousands, Discovery};
use crate::format::report::simulate::{SimVerdict, SimulateReport};

/// The human rendering of a simulation report.
pub fn render(r: &SimulateReport) -> String {
    let mut out = String::new();
    header(
        &mut out,
        "idc simulate: IAM Identity Center delegated administration",
        &r.config,
    );
    let _ = writeln!(
        out,
        "  walks          seed={} runs={} depth={}",
        r.seed, r.runs, r.depth
    );
    let _ = writeln!(out, "\noutcomes of the calls made");
    let width = r.outcomes.keys().map(|k| k.len()).max().unwrap_or(0);
    for (name, n) in &r.outcomes {
        let _ = writeln!(out, "  {name:<width$}  {:>12}", thousands(*n));
    }
    let _ = writeln!(out, "\nproperties");
    let width = r.properties.iter().map(|p| p.name.len()).max().unwrap_or(0);
    for p in &r.properties {
        let label = match p.verdict {
            SimVerdict::Violated => "VIOLATED",
            SimVerdict::Example => "example",
            SimVerdict::NotFound => "not found",
        };
        let found = match (&p.trace, p.run, p.raw_steps) {
            (Some(t), Some(run), Some(raw)) => format!(
                "  {} step{} (found in {} walk{}; shortest from walk {run}, {raw} step{} before shrinking)",
                t.len(),
                if t.len() == 1 { "" } else { "s" },
                p.runs_found,
                if p.runs_found == 1 { "" } else { "s" },
                if raw == 1 { "" } else { "s" },
            ),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "  {label:<10} {:<width$}  {:<9} [{}]{found}",
            p.name,
            p.kind.name(),
            if p.expression.is_some() {
                "user".to_string()
            } else {
                p.rules.join(", ")
            }
        );
    }
    for p in &r.properties {
        if let Some(trace) = &p.trace {
            let violated = p.verdict == SimVerdict::Violated;
            let heading = if violated {
                "counterexample (shrunk)"
            } else {
                "example (shrunk)"
            };
            discovery(
                &mut out,
                Discovery {
                    heading,
                    name: &p.name,
                    rules: if p.expression.is_some() {
                        &["user"]
                    } else {
                        p.rules
                    },
                    meaning: &p.meaning,
                    trace,
                    violated,
                },
                &r.config.names(),
            );
        }
    }
    let _ = writeln!(
        out,
        "\nwalks: {}, moves: {}, steps (calls made): {}; {:.2} s ({} steps/s)",
        thousands(r.runs),
        thousands(r.moves),
        thousands(r.steps),
        r.seconds,
        thousands(r.steps_per_second as u64)
    );
    let violated = r
        .properties
        .iter()
        .filter(|p| p.verdict == SimVerdict::Violated)
        .count();
    let _ = if violated == 0 {
        writeln!(out, "result: ok, no always-property violation found")
    } else {
        writeln!(
            out,
            "result: VIOLATED, {violated} always-propert{} violated",
            if violated == 1 { "y" } else { "ies" }
        )
    };
    out
}
