//! The reports for people: `idc check`'s here, the others in one module per report.
//! Everything is rendered into a `String`; writing it is the binary's job.

pub mod compare;
pub mod find;
pub mod observed;
pub mod replay;
pub mod rules;
pub mod simulate;
pub mod state;
pub mod whatif;

use std::fmt::Write;

use idc_model::properties::Kind;
use idc_model::AccountNames;

use crate::format::report::check::{CheckReport, CheckResult, PropertyView};
use crate::format::report::{ConfigView, ReadingView, StepView, StopReason, Verdict};

/// Thousands separators: 1234567 -> 1,234,567.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The configuration header.
pub fn header(out: &mut String, title: &str, cfg: &ConfigView) {
    let _ = writeln!(out, "{title}");
    let _ = writeln!(
        out,
        "  configuration  members={} users={} groups={} permission-sets={}",
        cfg.members, cfg.users, cfg.groups, cfg.permission_sets
    );
    let width = cfg
        .assumptions
        .iter()
        .map(|a| a.key.len() + a.value.len() + 1)
        .max()
        .unwrap_or(0);
    for (i, a) in cfg.assumptions.iter().enumerate() {
        let label = if i == 0 { "assumptions" } else { "" };
        let setting = format!("{}={}", a.key, a.value);
        let note = match (a.sound, a.default) {
            (true, true) => "sound",
            (true, false) => "sound (changed)",
            (false, _) => "NOT SOUND (changed): a verdict `holds` rests on this reading",
        };
        let _ = writeln!(out, "  {label:<13}  {:<3} {setting:<width$}  {note}", a.id);
    }
    let list = |v: &[&str]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    let _ = writeln!(out, "  practices      {}", list(&cfg.practices));
    let _ = writeln!(out, "  relaxed rules  {}", list(&cfg.relaxed));
    if !cfg.accounts.is_empty() {
        let names = cfg.names();
        let all: Vec<String> = (0..=cfg.members)
            .map(|i| names.label(idc_model::Acct(i)))
            .collect();
        let _ = writeln!(out, "  accounts       {}", all.join(", "));
    }
    if let Some(t) = &cfg.threat {
        let _ = writeln!(out, "  threat model   {}", t.summary);
    }
}

fn verdict_label(v: Verdict) -> &'static str {
    match v {
        Verdict::Holds => "holds",
        Verdict::Violated => "VIOLATED",
        Verdict::Example => "example",
        Verdict::NoExample => "NO EXAMPLE",
        Verdict::Unknown => "unknown",
    }
}

/// Where a search started, when not from the initial state (`--from`), with the readings
/// AWS took on the way there (they decide what follows).
pub fn from_line(out: &mut String, from: Option<usize>, readings: Option<&[ReadingView]>) {
    if let Some(n) = from {
        let taken: Vec<String> = readings
            .unwrap_or_default()
            .iter()
            .map(|r| {
                let b: Vec<String> = r
                    .branch
                    .iter()
                    .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
                    .collect();
                format!("call {} {}", r.call, b.join(", "))
            })
            .collect();
        let taken = if taken.is_empty() {
            "no AWS reading taken".to_string()
        } else {
            format!("readings taken: {}", taken.join("; "))
        };
        let _ = writeln!(
            out,
            "  start          where the start calls lead (--from or --design: {n} call{} from the initial state; {taken}); steps count from there",
            if n == 1 { "" } else { "s" }
        );
    }
}

/// One step, with its outcome and changes; accounts by a design's `names`
/// (`security-tooling (member-1)`), if it has any.
pub fn step(out: &mut String, s: &StepView, names: &AccountNames) {
    let params: Vec<String> = s
        .params
        .iter()
        .map(|(k, v)| format!("{k}={}", names.relabel(v.as_str().unwrap_or_default())))
        .collect();
    let call = if params.is_empty() {
        s.call.to_string()
    } else {
        format!("{}({})", s.call, params.join(", "))
    };
    let outcome = &s.outcome;
    let branch = if s.branch.is_empty() {
        String::new()
    } else {
        let readings: Vec<String> = s
            .branch
            .iter()
            .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or_default()))
            .collect();
        format!("  [{}]", readings.join(", "))
    };
    let _ = writeln!(
        out,
        "  {:>2}. {:<10}  {call}  -> {outcome}{branch}",
        s.step,
        names.relabel(&s.caller)
    );
    for c in &s.changes {
        let _ = writeln!(out, "          {}", names.relabel(c));
    }
}

fn property_line(out: &mut String, p: &PropertyView, width: usize) {
    let len = p
        .trace
        .as_ref()
        .map(|t| format!("{} step{}", t.len(), if t.len() == 1 { "" } else { "s" }))
        .unwrap_or_default();
    let expected = match p.expected {
        Some(e) if e == p.verdict => "  (as expected)".to_string(),
        Some(e) => format!("  (EXPECTED {})", e.name()),
        None => String::new(),
    };
    let tag = if p.expression.is_some() {
        "user".to_string()
    } else {
        p.rules.join(", ")
    };
    let _ = writeln!(
        out,
        "  {:<10} {:<width$}  {:<9} [{tag}]  {len}{expected}",
        verdict_label(p.verdict),
        p.name,
        p.kind.name(),
    );
}

/// A property's discovery, as [`discovery`] renders it.
pub struct Discovery<'a> {
    /// `counterexample`, `example (shrunk)`, …
    pub heading: &'a str,
    /// The property.
    pub name: &'a str,
    /// Its rules.
    pub rules: &'a [&'a str],
    /// What it means.
    pub meaning: &'a str,
    /// The steps.
    pub trace: &'a [StepView],
    /// Violated (an `always` property) or exemplified.
    pub violated: bool,
}

/// One discovery: heading, property, meaning, the numbered steps, and the conclusion.
pub fn discovery(out: &mut String, d: Discovery<'_>, names: &AccountNames) {
    let Discovery {
        heading,
        name,
        rules,
        meaning,
        trace,
        violated,
    } = d;
    let _ = writeln!(
        out,
        "\n{heading}: {name} [{}] in {} step{}",
        rules.join(", "),
        trace.len(),
        if trace.len() == 1 { "" } else { "s" }
    );
    let _ = writeln!(out, "  {meaning}");
    if trace.is_empty() {
        let _ = writeln!(out, "  (already in the state the search starts from)");
    }
    for s in trace {
        step(out, s, names);
    }
    let end = if violated { "fails" } else { "holds" };
    let _ = writeln!(out, "  => after step {} the property {end}", trace.len());
}

/// The whole check report.
pub fn check(report: &CheckReport, brief: bool) -> String {
    let mut out = String::new();
    header(
        &mut out,
        "idc check: IAM Identity Center delegated administration",
        &report.config,
    );
    from_line(&mut out, report.from, report.from_readings.as_deref());
    let width = report
        .properties
        .iter()
        .map(|p| p.name.len())
        .max()
        .unwrap_or(0);
    let _ = writeln!(out, "\nproperties");
    for p in &report.properties {
        property_line(&mut out, p, width);
    }
    if !brief {
        for p in &report.properties {
            if let Some(trace) = &p.trace {
                let heading = if p.verdict == Verdict::Violated {
                    "counterexample"
                } else {
                    "example"
                };
                let violated = p.verdict == Verdict::Violated;
                let rules: Vec<&str> = if p.expression.is_some() {
                    vec!["user"]
                } else {
                    p.rules.to_vec()
                };
                discovery(
                    &mut out,
                    Discovery {
                        heading,
                        name: &p.name,
                        rules: &rules,
                        meaning: &p.meaning,
                        trace,
                        violated,
                    },
                    &report.config.names(),
                );
                if let Some(e) = p.expression.as_ref().filter(|e| **e != p.meaning) {
                    let _ = writeln!(out, "  expression: {e}");
                }
            }
        }
    }
    let _ = writeln!(out);
    figures(&mut out, report);
    let violated = report
        .properties
        .iter()
        .filter(|p| p.verdict == Verdict::Violated)
        .count();
    let always = report
        .properties
        .iter()
        .filter(|p| p.kind == Kind::Always)
        .count();
    let _ = match report.result {
        CheckResult::Ok if violated == 0 => writeln!(out, "result: ok, every always-property holds"),
        CheckResult::Ok => writeln!(out, "result: ok, every verdict as expected ({violated} of {always} always-properties violated)"),
        CheckResult::Unexpected => writeln!(out, "result: UNEXPECTED, some verdicts differ from --expect"),
        CheckResult::Incomplete => {
            let unknown = report
                .properties
                .iter()
                .filter(|p| p.verdict == Verdict::Unknown)
                .count();
            let stopped = report.stopped.map_or("stopped", why_stopped);
            let unexpected = if report.finding && violated == 0 {
                "some verdicts differ from --expect, "
            } else {
                ""
            };
            writeln!(
                out,
                "result: INCOMPLETE ({stopped}): {unexpected}{violated} of {always} always-properties violated, {unknown} {} unknown (none within {} {})",
                plural(unknown, "verdict", "verdicts"),
                judged_depth(report),
                plural(judged_depth(report) as usize, "step", "steps"),
            )
        }
        CheckResult::Violated => writeln!(out, "result: VIOLATED, {violated} of {always} always-properties violated"),
    };
    out
}

/// The depth within which every state was judged by each search that stopped early: an
/// unknown verdict has no trace that short.
fn judged_depth(report: &CheckReport) -> u32 {
    match &report.states.slice {
        Some(slice) => {
            let whole = (!slice.others_complete).then_some(slice.others_max_depth);
            let sliced = (!slice.complete).then_some(slice.max_depth);
            whole
                .into_iter()
                .chain(sliced)
                .min()
                .unwrap_or(report.max_depth)
        }
        None => report.max_depth,
    }
}

/// The check's figures: what symmetry and the threat model saved, then the states.
fn figures(out: &mut String, report: &CheckReport) {
    if let Some(sym) = &report.states.symmetry {
        let renamed = match (
            sym.renamed.contains(&"member-accounts"),
            sym.renamed.contains(&"identities"),
        ) {
            (true, true) => "member accounts, users, groups and permission sets",
            (false, true) => "users, groups and permission sets",
            _ => "member accounts",
        };
        let _ = writeln!(
            out,
            "symmetry: {} unique states up to renaming {renamed} stand for {} states: {:.1}x fewer",
            thousands(report.states.unique),
            thousands(sym.unreduced),
            sym.reduction
        );
    }
    if let Some(c) = &report.states.calls {
        let _ = writeln!(
            out,
            "threat model: {} of the {} calls of this configuration explored from each state",
            thousands(c.explored as u64),
            thousands(c.all as u64)
        );
    }
    let incomplete = |depth: u32| match report.stopped {
        None => String::new(),
        Some(why) => format!(
            " (INCOMPLETE: {}; every state within {} {} judged)",
            why_stopped(why),
            depth,
            plural(depth as usize, "step", "steps")
        ),
    };
    let rate = |generated: u64, seconds: f64| {
        thousands(if seconds > 0.0 {
            (generated as f64 / seconds) as u64
        } else {
            0
        })
    };
    let (depth, whole_note, seconds) = match &report.states.slice {
        Some(slice) if slice.others_found_early => (
            slice.others_max_depth,
            format!(
                ", where the {} judged here were all found",
                plural_n(
                    report.properties.len() - slice.properties.len(),
                    "property",
                    "properties"
                )
            ),
            slice.others_seconds,
        ),
        Some(slice) if slice.others_complete => {
            (slice.others_max_depth, String::new(), slice.others_seconds)
        }
        Some(slice) => (
            slice.others_max_depth,
            incomplete(slice.others_max_depth),
            slice.others_seconds,
        ),
        None => (
            report.max_depth,
            incomplete(report.max_depth),
            report.seconds,
        ),
    };
    let _ = writeln!(
        out,
        "states: {} generated, {} unique; max depth {depth}{whole_note}; {seconds:.2} s ({} states/s)",
        thousands(report.states.generated),
        thousands(report.states.unique),
        rate(report.states.generated, seconds),
    );
    if let Some(slice) = &report.states.slice {
        let _ = writeln!(
            out,
            "organization slice: the {} that read no identity, on states up to their users, groups, permission sets and assignments: {} generated, {} unique; max depth {}{}; {:.2} s ({} states/s)",
            plural_n(slice.properties.len(), "property", "properties"),
            thousands(slice.generated),
            thousands(slice.unique),
            slice.max_depth,
            if slice.complete {
                String::new()
            } else {
                incomplete(slice.max_depth)
            },
            slice.seconds,
            rate(slice.generated, slice.seconds),
        );
    }
}

/// `n one` or `n many`, as `n` asks.
fn plural_n(n: usize, one: &'static str, many: &'static str) -> String {
    format!("{n} {}", plural(n, one, many))
}

/// `one` or `many`, as `n` asks.
pub fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// Why a search stopped early, for people.
pub fn why_stopped(stopped: StopReason) -> &'static str {
    match stopped {
        StopReason::MaxDepth => "--max-depth reached",
        StopReason::Memory => "stopped at --max-memory",
        StopReason::Time => "stopped at --max-time",
        StopReason::Interrupted => "interrupted",
    }
}
