//! `idc rules` for people: what the model implements, assumes and checks.

use std::fmt::Write;

use idc_model::call::SIGNATURES;
use idc_model::{Assumptions, Practice, Rule, PROPERTIES};

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
            "  {:<7}{mark} {:<13} {:<34} {}",
            r.id(),
            r.implementation().name(),
            r.source(),
            r.summary()
        );
        for source in r.sources() {
            let _ = writeln!(out, "{:<11}[{}] {}", "", source.key(), source.url());
        }
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
