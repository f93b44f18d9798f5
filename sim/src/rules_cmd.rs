//! `idc rules`: what the model implements, assumes and checks.

use std::fmt::Write;

use serde_json::json;

use idc_model::{Assumptions, Practice, Rule, PROPERTIES};

/// The listing as JSON.
pub fn json() -> serde_json::Value {
    json!({
        "rules": Rule::ALL.iter().map(|r| json!({"id": r.id(), "source": r.source(), "summary": r.summary(), "relaxable": r.relaxable()})).collect::<Vec<_>>(),
        "assumptions": Assumptions::default().describe().iter().map(|a| json!({
            "id": a.id, "key": a.key, "default": a.value, "values": a.values, "question": a.question,
        })).collect::<Vec<_>>(),
        "practices": Practice::ALL.iter().map(|p| json!({"name": p.name(), "summary": p.summary(), "rule": "IDC-7"})).collect::<Vec<_>>(),
        "properties": PROPERTIES.iter().map(|p| json!({
            "name": p.name, "kind": p.kind.name(), "rules": p.rules, "meaning": p.meaning,
        })).collect::<Vec<_>>(),
    })
}

/// The listing for people.
pub fn text() -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "rules (each a guard; --relax RULE-ID switches it off, except those marked *)"
    );
    for r in Rule::ALL {
        let mark = if r.relaxable() { ' ' } else { '*' };
        let _ = writeln!(
            out,
            "  {:<6}{mark} {:<15} {}",
            r.id(),
            r.source(),
            r.summary()
        );
    }
    let _ = writeln!(
        out,
        "\nassumptions (--assume KEY=VALUE; the first value is the default)"
    );
    for a in Assumptions::default().describe() {
        let _ = writeln!(out, "  {:<3} {:<36} {}", a.id, a.key, a.values.join(" | "));
        let _ = writeln!(out, "      {}", a.question);
    }
    let _ = writeln!(
        out,
        "\npractices of the management account (--practice NAME) [IDC-7]"
    );
    for p in Practice::ALL {
        let _ = writeln!(out, "  {:<36} {}", p.name(), p.summary());
    }
    let _ = writeln!(out, "\nproperties");
    for p in PROPERTIES {
        let _ = writeln!(
            out,
            "  {:<48} {:<9} [{}]",
            p.name,
            p.kind.name(),
            p.rules.join(", ")
        );
        let _ = writeln!(out, "      {}", p.meaning);
    }
    out
}
