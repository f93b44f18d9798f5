//! `idc compare` for people: both sides in a header, the verdict table, both traces of
//! each property that differs, and a one-line summary.

use std::fmt::Write;

use crate::format::report::compare::{Change, CompareReport, Input, Judged, Side};
use crate::format::report::StepView;

use super::{plural, step, verdict_label, why_stopped};

/// The whole comparison; `brief`: the table only (with the header and summary).
pub fn compare(report: &CompareReport, brief: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "idc compare: A (today) vs B (the plan)");
    side(&mut out, "A", &report.a);
    side(&mut out, "B", &report.b);
    if !report.same_size {
        let _ = writeln!(
            out,
            "  note           the configurations differ in size (A {}, B {}): properties are compared by name",
            sizes(&report.a),
            sizes(&report.b)
        );
    }
    table(&mut out, report);
    if !brief {
        for d in &report.differences {
            let _ = writeln!(out, "\n{}: {}", d.change.label(), d.name);
            trace(&mut out, "A", &report.a, d.a_trace.as_deref());
            trace(&mut out, "B", &report.b, d.b_trace.as_deref());
        }
    }
    let _ = writeln!(out, "\n{}", summary(report));
    out
}

fn sizes(s: &Side) -> String {
    let [m, u, g, p] = s.sizes;
    format!("members={m} users={u} groups={g} permission-sets={p}")
}

/// A side's lines of the header.
fn side(out: &mut String, label: &str, s: &Side) {
    let kind = match s.input {
        Input::Design => "design",
        Input::CheckReport => "check report",
    };
    let _ = writeln!(out, "{label}  {} ({kind})", s.file);
    if let Some(d) = &s.description {
        let _ = writeln!(out, "  description    {d}");
    }
    let _ = writeln!(out, "  configuration  {}", sizes(s));
    let accounts: Vec<String> = (0..=s.sizes[0])
        .map(|i| s.names.label(idc_model::Acct(i)))
        .collect();
    let _ = writeln!(out, "  accounts       {}", accounts.join(", "));
    let _ = writeln!(
        out,
        "  threat model   {}",
        s.threat().unwrap_or("every account may make any call")
    );
    if let Some(n) = s.from {
        let _ = writeln!(
            out,
            "  start          {n} {} from the initial state",
            plural(n, "call", "calls")
        );
    }
    if let Some(why) = s.stopped {
        let _ = writeln!(
            out,
            "  INCOMPLETE     {}: verdicts not found are unknown",
            why_stopped(why)
        );
    }
    if s.model != idc_model::MODEL_VERSION {
        let _ = writeln!(
            out,
            "  model          {} (this idc's is {}): verdicts may differ for that alone",
            s.model,
            idc_model::MODEL_VERSION
        );
    }
}

fn cell(j: Option<Judged>) -> String {
    match j {
        None => "-".to_string(),
        Some(Judged {
            verdict,
            length: Some(n),
        }) => format!("{} ({n})", verdict_label(verdict)),
        Some(Judged { verdict, .. }) => verdict_label(verdict).to_string(),
    }
}

/// The verdict table: property, A, B, change (lengths in steps).
fn table(out: &mut String, report: &CompareReport) {
    let rows: Vec<(String, String, String, &str)> = report
        .properties
        .iter()
        .map(|r| {
            let name = if r.user {
                format!("{} [user]", r.name)
            } else {
                r.name.clone()
            };
            (name, cell(r.a), cell(r.b), r.change.label())
        })
        .collect();
    let w = |f: fn(&(String, String, String, &str)) -> usize, min: usize| {
        rows.iter().map(f).max().unwrap_or(0).max(min)
    };
    let (wn, wa, wb) = (
        w(|r| r.0.len(), 8),
        w(|r| r.1.len(), 1),
        w(|r| r.2.len(), 1),
    );
    let _ = writeln!(
        out,
        "\n  {:<wn$}  {:<wa$}  {:<wb$}  change",
        "property", "A", "B"
    );
    for (name, a, b, change) in &rows {
        let _ = writeln!(out, "  {name:<wn$}  {a:<wa$}  {b:<wb$}  {change}");
    }
    let _ = writeln!(
        out,
        "  (in parentheses: the length of the shortest trace, in steps)"
    );
}

/// One side's trace of a difference.
fn trace(out: &mut String, label: &str, s: &Side, t: Option<&[StepView]>) {
    match t {
        None => {
            let _ = writeln!(out, "  {label} ({}): none", s.file);
        }
        Some(t) => {
            let _ = writeln!(
                out,
                "  {label} ({}): {} {}",
                s.file,
                t.len(),
                plural(t.len(), "step", "steps")
            );
            if t.is_empty() {
                let _ = writeln!(out, "      (already in the state the check starts from)");
            }
            for st in t {
                let mut line = String::new();
                step(&mut line, st, &s.names);
                for l in line.lines() {
                    let _ = writeln!(out, "  {l}");
                }
            }
        }
    }
}

/// `B fixes 2, breaks 1, 14 the same`, and the other changes there are.
pub fn summary(report: &CompareReport) -> String {
    let n = |c: Change| report.summary.get(&c).copied().unwrap_or(0);
    let mut parts = vec![
        format!("B fixes {}", n(Change::Fixed)),
        format!("breaks {}", n(Change::Broken)),
    ];
    for (c, what) in [
        (Change::Enabled, "enables"),
        (Change::Disabled, "disables"),
        (Change::Shorter, "shortens"),
        (Change::Longer, "lengthens"),
        (Change::Redefined, "redefines"),
    ] {
        if n(c) > 0 {
            parts.push(format!("{what} {}", n(c)));
        }
    }
    parts.push(format!("{} the same", n(Change::Same)));
    for (c, what) in [
        (Change::OnlyInA, "only in A"),
        (Change::OnlyInB, "only in B"),
        (Change::Unknown, "unknown (a check stopped early)"),
    ] {
        if n(c) > 0 {
            parts.push(format!("{} {what}", n(c)));
        }
    }
    parts.join(", ")
}
