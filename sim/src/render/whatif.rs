//! The human rendering of the "what if" reports: the matrix and the recoverability analysis.

use std::fmt::Write;

use idc_model::AccountNames;

use super::{header, step, thousands, why_stopped};
use crate::format::report::matrix::{Change, Effect, MatrixReport, Outcome, Row};
use crate::format::report::recover::{RecoverReport, RecoverResult, StartView, Stuck};
use crate::format::report::{StepView, Verdict};

fn outcome(o: Outcome) -> String {
    match (o.verdict, o.length) {
        (Verdict::Holds, _) => "holds".to_string(),
        (Verdict::NoExample, _) => "no example".to_string(),
        (Verdict::Unknown, _) => "unknown".to_string(),
        (Verdict::Violated, Some(n)) => format!("violated in {n}"),
        (Verdict::Example, Some(n)) => format!("example in {n}"),
        (v, None) => v.name().to_string(),
    }
}

fn change_short(c: &Change) -> String {
    match c.effect {
        Effect::Breaks | Effect::Enables => {
            format!("{} ({})", c.property, c.now.length.unwrap_or_default())
        }
        Effect::Fixes | Effect::Disables => c.property.to_string(),
        Effect::Shortens | Effect::Lengthens => format!(
            "{} {}->{}",
            c.property,
            c.baseline.length.unwrap_or_default(),
            c.now.length.unwrap_or_default()
        ),
    }
}

fn trace(out: &mut String, title: &str, steps: &[StepView], names: &AccountNames) {
    let _ = writeln!(out, "\n{title}");
    if steps.is_empty() {
        let _ = writeln!(out, "  (already in the state the search starts from)");
    }
    for s in steps {
        step(out, s, names);
    }
}

fn rows(out: &mut String, heading: &str, main: Effect, rows: &[Row]) {
    let width = rows.iter().map(|r| r.name.len()).max().unwrap_or(0).max(8);
    let title = match main {
        Effect::Breaks | Effect::Enables => format!("{} (trace length)", main.name()),
        Effect::Fixes | Effect::Shortens | Effect::Lengthens | Effect::Disables => {
            main.name().to_string()
        }
    };
    let _ = writeln!(out, "\n  {heading:<width$}  {title:<58}  other changes");
    for r in rows {
        let mains: Vec<String> = r
            .changes
            .iter()
            .filter(|c| c.effect == main)
            .map(change_short)
            .collect();
        let mut others: Vec<String> = r
            .changes
            .iter()
            .filter(|c| c.effect != main)
            .map(|c| format!("{} {}", c.effect.name(), change_short(c)))
            .collect();
        if !r.unknown.is_empty() {
            others.push(format!("unknown (stopped early): {}", r.unknown.join(", ")));
        }
        if let Some(why) = &r.start_refused {
            others.push(format!("the design's start does not replay: {why}"));
        }
        let first = if r.in_baseline {
            "(already in the baseline)".to_string()
        } else if r.start_refused.is_some() {
            "not explored".to_string()
        } else if mains.is_empty() && !r.unknown.is_empty() {
            "unknown (stopped early)".to_string()
        } else if mains.is_empty() {
            "nothing".to_string()
        } else {
            mains.join(", ")
        };
        let _ = writeln!(
            out,
            "  {:<width$}  {first:<58}  {}",
            r.name,
            if others.is_empty() {
                "-".to_string()
            } else {
                others.join("; ")
            }
        );
    }
}

/// The matrix report for people.
pub fn matrix(report: &MatrixReport, brief: bool) -> String {
    let mut out = String::new();
    header(
        &mut out,
        "idc check --matrix: what each guard and each best practice is worth",
        &report.config,
    );
    let names = report.config.names();
    let width = report
        .baseline
        .iter()
        .map(|p| p.property.len())
        .max()
        .unwrap_or(0);
    if let Some(n) = report.from {
        let _ = writeln!(
            out,
            "  start          the design's {n} start call{}, replayed under each row's configuration",
            if n == 1 { "" } else { "s" }
        );
    }
    let _ = writeln!(out, "\nbaseline (the configuration above)");
    for p in &report.baseline {
        let _ = writeln!(out, "  {:<width$}  {}", p.property, outcome(p.outcome));
    }
    rows(&mut out, "relaxed", Effect::Breaks, &report.rules);
    rows(&mut out, "practice", Effect::Fixes, &report.practices);
    let _ = writeln!(
        out,
        "\nguards whose relaxation breaks no property: {}",
        if report.rules_breaking_nothing.is_empty() {
            "none".to_string()
        } else {
            report.rules_breaking_nothing.join(", ")
        }
    );
    if !brief {
        for r in &report.rules {
            for c in r.changes.iter().filter(|c| c.effect == Effect::Breaks) {
                if let Some(t) = &c.trace {
                    let title = format!(
                        "with {} relaxed: {} violated in {} step{}",
                        r.name,
                        c.property,
                        t.len(),
                        if t.len() == 1 { "" } else { "s" }
                    );
                    trace(&mut out, &title, t, &names);
                }
            }
        }
    }
    let _ = writeln!(
        out,
        "\n{} rows{}; {:.1} s",
        report.rules.len() + report.practices.len() + 1,
        if report.symmetry {
            " explored with symmetry reduction"
        } else {
            ""
        },
        report.seconds
    );
    out
}

/// The recoverability report for people.
pub fn recover(report: &RecoverReport, brief: bool) -> String {
    let mut out = String::new();
    header(
        &mut out,
        "idc recover: can the management account, alone, get back to a safe baseline?",
        &report.config,
    );
    let names = report.config.names();
    let _ = writeln!(
        out,
        "  management may  {}",
        if report.keep_instance {
            "make its own calls, except RemoveAccountFromOrganization, CloseAccount and DeleteInstance\n                   (--keep-instance: forbidden to it in the exploration too), and any a design forbids it"
        } else {
            "make its own calls, except RemoveAccountFromOrganization and CloseAccount (DeleteInstance\n                   included), and any a design forbids it (its allow list is its routine, not a bound)"
        }
    );
    let _ = writeln!(
        out,
        "  AWS may          take any reading of an `either` assumption at each call: a state is\n                   recoverable when the management account forces a baseline whatever it takes"
    );
    start_answer(&mut out, &report.start, brief, &names);
    let _ = writeln!(out, "\nsafe baseline: every condition holds");
    for c in &report.baseline_conditions {
        let _ = writeln!(out, "  {:<22} {}", c.name, c.meaning);
    }
    let unit = if report.symmetry {
        " (up to renaming)"
    } else {
        ""
    };
    // Only a complete exploration says which states are stuck (engine::recover).
    let (reached, stuck) = if report.result == RecoverResult::Incomplete {
        ("reached so far", "not shown to recover")
    } else {
        ("reachable states", "stuck")
    };
    let _ = writeln!(
        out,
        "\n{reached}{unit}: {}; in a safe baseline: {}; recoverable: {}; {stuck}: {}",
        thousands(report.reachable),
        thousands(report.in_baseline),
        thousands(report.recoverable),
        thousands(report.stuck)
    );
    if report.stuck_management_closed > 0 {
        let _ = writeln!(
            out,
            "  of which {} with the management account closed (it closed itself once it had no members: it signs in nowhere until AWS reinstates it)",
            thousands(report.stuck_management_closed)
        );
    }
    if let Some(w) = &report.longest_recovery {
        let _ = writeln!(
            out,
            "longest recovery: {} management call{} at worst (from a state {} call{} from the start)",
            w.recovery.len(),
            if w.recovery.len() == 1 { "" } else { "s" },
            w.trace.len(),
            if w.trace.len() == 1 { "" } else { "s" }
        );
        if !brief {
            trace(&mut out, "into that state:", &w.trace, &names);
            trace(
                &mut out,
                "and back to a safe baseline (AWS taking the longest way):",
                &w.recovery,
                &names,
            );
        }
    }
    if let Some(s) = &report.first_stuck {
        first_stuck(&mut out, s, brief, &names);
    }
    let _ = writeln!(
        out,
        "\nstates: {} generated, {} unique; {} management moves with {} outcomes; {:.2} s",
        thousands(report.generated),
        thousands(report.reachable),
        thousands(report.moves),
        thousands(report.edges),
        report.seconds
    );
    let _ = writeln!(out, "result: {}", recover_result(report));
    out
}

/// The answer for the start state: a line, and the plan (or why there is none).
fn start_answer(out: &mut String, s: &StartView, brief: bool, names: &AccountNames) {
    match &s.plan {
        Some(_) if s.already_safe => {
            let _ = writeln!(out, "\nfrom the start state: already at a safe baseline");
        }
        Some(plan) => {
            let _ = writeln!(
                out,
                "\nfrom the start state: recoverable in {} call{} by the management account (at worst; failing now: {})",
                plan.len(),
                if plan.len() == 1 { "" } else { "s" },
                s.failing.join(", ")
            );
            if !brief {
                trace(
                    out,
                    "the management account's plan (AWS taking the longest way):",
                    plan,
                    names,
                );
            }
        }
        None => {
            let never = s
                .stuck
                .as_ref()
                .map_or(String::new(), |st| st.never_restored.join(", "));
            let _ = writeln!(
                out,
                "\nfrom the start state: NOT recoverable: the management account alone can't force a safe baseline whatever AWS does (failing now: {}; never restored: {})",
                s.failing.join(", "),
                if never.is_empty() { "none, but never all at once" } else { &never }
            );
            if let Some(st) = &s.stuck {
                for u in &st.unblocking {
                    let what = if u.recovery.is_some() {
                        "the management account would get back"
                    } else {
                        "it is still stuck"
                    };
                    let _ = writeln!(out, "  with {} relaxed {what}", u.rule);
                }
            }
        }
    }
}

/// The first stuck state: its trace, and why it is stuck.
fn first_stuck(out: &mut String, s: &Stuck, brief: bool, names: &AccountNames) {
    let _ = writeln!(
        out,
        "\nstuck: the shortest trace into a state from which the management account can't get back ({} step{}; the management account closed is left aside when another is stuck)",
        s.trace.len(),
        if s.trace.len() == 1 { "" } else { "s" }
    );
    if !brief {
        trace(out, "trace:", &s.trace, names);
    }
    let _ = writeln!(out, "\nwhy it is stuck");
    let _ = writeln!(
        out,
        "  failing there:               {}",
        s.failing.join(", ")
    );
    let _ = writeln!(
        out,
        "  failing in every state the management account can reach from there ({}): {}",
        thousands(s.closure),
        if s.never_restored.is_empty() {
            "none (but never all at once)".to_string()
        } else {
            s.never_restored.join(", ")
        }
    );
    let _ = writeln!(out, "  management calls refused there by a guard:");
    for r in &s.refusals {
        let _ = writeln!(
            out,
            "    {:<60} -> {} [{}]",
            names.relabel(&r.call),
            r.error,
            r.rule
        );
    }
    for u in &s.unblocking {
        match &u.recovery {
            Some(rec) => {
                let _ = writeln!(
                    out,
                    "  with {} relaxed the management account gets back in {} call{}",
                    u.rule,
                    rec.len(),
                    if rec.len() == 1 { "" } else { "s" }
                );
                if !brief {
                    for st in rec {
                        step(out, st, names);
                    }
                }
            }
            None => {
                let _ = writeln!(out, "  with {} relaxed it is still stuck", u.rule);
            }
        }
    }
}

/// The result line's words.
fn recover_result(report: &RecoverReport) -> String {
    match report.result {
        // INVARIANT: a state whose moves were not explored looks stuck, so only a
        // complete exploration says which states are (engine::recover).
        RecoverResult::Incomplete => format!(
            "INCOMPLETE, the exploration stopped early ({}): the states not shown to recover ({}) include states whose moves were not explored, so which states are stuck is unknown",
            report.stopped.map_or("interrupted", why_stopped),
            thousands(report.stuck)
        ),
        RecoverResult::Ok if report.stuck_management_closed > 0 => format!(
            "ok, from every reachable state where it is not closed the management account can get back to a safe baseline ({} state{} where it closed itself left aside)",
            thousands(report.stuck_management_closed),
            if report.stuck_management_closed == 1 { "" } else { "s" }
        ),
        RecoverResult::Ok => {
            "ok, from every reachable state the management account can get back to a safe baseline"
                .to_string()
        }
        RecoverResult::Stuck => {
            let stuck = report.stuck - report.stuck_management_closed;
            format!(
                "STUCK, from {} reachable state{} where it is not closed the management account can't get back",
                thousands(stuck),
                if stuck == 1 { "" } else { "s" }
            )
        }
    }
}
