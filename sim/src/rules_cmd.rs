//! `idc rules`: what the model implements, assumes and checks.

use std::fmt::Write;

use serde_json::json;

use idc_model::call::SIGNATURES;
use idc_model::{Assumptions, Practice, Rule, PROPERTIES};

/// The listing as JSON.
pub fn json() -> serde_json::Value {
    json!({
        "rules": Rule::ALL.iter().map(|r| json!({
            "id": r.id(), "source": r.source(), "summary": r.summary(),
            "implementation": r.implementation().name(), "relaxable": r.relaxable(),
        })).collect::<Vec<_>>(),
        "assumptions": Assumptions::default().describe().iter().map(|a| json!({
            "id": a.id, "key": a.key, "default": a.value, "values": a.values,
            "either": a.values.contains(&"either"), "sound": a.sound, "question": a.question,
        })).collect::<Vec<_>>(),
        "practices": Practice::ALL.iter().map(|p| json!({"name": p.name(), "summary": p.summary(), "rule": "IDC-7"})).collect::<Vec<_>>(),
        "calls": SIGNATURES.iter().map(|(name, params)| json!({"name": name, "params": params})).collect::<Vec<_>>(),
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
        "rules (guards: --relax RULE-ID switches one off; * marks a guard that can't be relaxed)"
    );
    for r in Rule::ALL {
        let mark = if r.implementation() == idc_model::rules::Implementation::Fixed {
            '*'
        } else {
            ' '
        };
        let _ = writeln!(
            out,
            "  {:<7}{mark} {:<13} {:<33} {}",
            r.id(),
            r.implementation().name(),
            r.source(),
            r.summary()
        );
    }
    let _ = writeln!(
        out,
        "\nassumptions (--assume KEY=VALUE; the first value is the default; `either`: AWS may take any reading, chosen at each call)"
    );
    for a in Assumptions::default().describe() {
        let _ = writeln!(out, "  {:<3} {:<36} {}", a.id, a.key, a.values.join(" | "));
        let _ = writeln!(out, "      {}", a.question);
        let _ = match a.sound {
            Some(v) => writeln!(out, "      sound value: {v}"),
            None => writeln!(out, "      names an error only: every value is sound"),
        };
    }
    let _ = writeln!(
        out,
        "\npractices of the management account (--practice NAME) [IDC-7]"
    );
    for p in Practice::ALL {
        let _ = writeln!(out, "  {:<36} {}", p.name(), p.summary());
    }
    let _ = writeln!(out, "\ncalls (by their AWS names; trace files use them)");
    for (name, params) in SIGNATURES {
        let _ = writeln!(out, "  {name}({})", params.join(", "));
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
