//! `idc compare A B`: today vs the plan. Two small designs (one member account): today the
//! delegate's account is untrusted and the management account makes any call; the plan
//! keeps the management account idle. The plan fixes a property, so the table and both
//! traces show; a check report reads as a side; bad input is one line naming the file.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{assert_valid, code, idc, json, scratch_dir, stderr, stdout};

const TODAY: &str = r#"
description = "today: the management account makes any call"
members = 1
[accounts]
management = "org-root"
member-1 = "security-tooling"
[start]
steps = [
  { caller = "management", call = "EnableIdentityCenter" },
  { caller = "org-root", call = "RegisterDelegatedAdministrator", params = { AccountId = "security-tooling" } },
]
[threat]
untrusted = ["security-tooling"]
[reachable]
delegate-set = "delegate != none"
"#;

/// Today's design with the management account idle, and a property of its own.
fn plan() -> String {
    TODAY
        .replace(
            "today: the management account makes any call",
            "plan: org-root idle",
        )
        .replace(
            "untrusted = [\"security-tooling\"]",
            "untrusted = [\"security-tooling\"]\nidle = [\"org-root\"]",
        )
        .replace(
            "[reachable]",
            "[invariants]\nplan-only = \"true\"\n[reachable]",
        )
}

/// Today's and the plan's design files, in a fresh directory.
fn designs(name: &str) -> (PathBuf, PathBuf, PathBuf) {
    let dir = scratch_dir(name);
    let (a, b) = (dir.join("today.toml"), dir.join("plan.toml"));
    std::fs::write(&a, TODAY).unwrap();
    std::fs::write(&b, plan()).unwrap();
    (dir, a, b)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn the_plan_fixes_a_property_and_both_traces_show() {
    let (_dir, a, b) = designs("compare-human");
    let out = idc(&["compare", s(&a), s(&b)]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("today: the management account makes any call"),
        "{text}"
    );
    assert!(
        text.contains("threat model   org-root (management) makes no call"),
        "{text}"
    );
    let row = text
        .lines()
        .find(|l| {
            l.trim_start()
                .starts_with("delegated-admin-has-trusted-access ")
        })
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        row.contains("VIOLATED (1)") && row.contains("holds") && row.ends_with("fixed"),
        "{row}"
    );
    assert!(
        text.lines()
            .any(|l| l.contains("plan-only [user]") && l.ends_with("only in B")),
        "{text}"
    );
    // Both traces: A's, by the design's names, and B's "none".
    let at = text
        .find("\nfixed: delegated-admin-has-trusted-access")
        .expect(&text);
    let section = &text[at..];
    assert!(
        section.contains("org-root (management)  DisableAWSServiceAccess"),
        "{section}"
    );
    assert!(section.contains("B ("), "{section}");
    assert!(section.contains("): none"), "{section}");
    let last = text.lines().last().unwrap();
    assert!(last.starts_with("B fixes 1, breaks 0, "), "{last}");
    assert!(
        last.contains("the same") && last.contains("1 only in B"),
        "{last}"
    );
    // --brief: the table only.
    let brief = stdout(&idc(&["compare", s(&a), s(&b), "--brief"]));
    assert!(brief.contains("delegated-admin-has-trusted-access"));
    assert!(!brief.contains("DisableAWSServiceAccess"), "{brief}");
    assert_eq!(brief.lines().last(), Some(last));
}

#[test]
fn the_json_fits_its_schema_and_a_check_report_is_a_side() {
    let (dir, a, b) = designs("compare-json");
    let out = idc(&["compare", s(&a), s(&b), "--json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc = json(&out);
    assert_valid("compare.schema.json", &doc);
    assert_eq!(doc["summary"]["fixed"], 1);
    let row = doc["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "delegated-admin-has-trusted-access")
        .unwrap();
    assert_eq!(
        row["a"],
        serde_json::json!({"verdict": "violated", "length": 1})
    );
    assert_eq!(
        row["b"],
        serde_json::json!({"verdict": "holds", "length": null})
    );
    assert_eq!(row["change"], "fixed");
    let diff = doc["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "delegated-admin-has-trusted-access")
        .unwrap();
    assert_eq!(diff["a_trace"][0]["caller"], "management");
    assert!(diff["b_trace"].is_null());
    // Today as a check report: the same verdicts as today's design.
    let check = idc(&["check", "--design", s(&a), "--json"]);
    let report = dir.join("today.json");
    std::fs::write(&report, stdout(&check)).unwrap();
    let out = idc(&["compare", s(&report), s(&b), "--json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let from_report: Value = json(&out);
    assert_eq!(from_report["a"]["input"], "check-report");
    assert_eq!(from_report["properties"], doc["properties"]);
    assert_eq!(from_report["differences"], doc["differences"]);
    let text = stdout(&idc(&["compare", s(&report), s(&b)]));
    assert!(text.contains("today.json (check report)"), "{text}");
}

#[test]
fn bad_input_is_one_line_naming_the_file() {
    let (dir, _a, b) = designs("compare-bad");
    let unknown_key = dir.join("unknown-key.toml");
    std::fs::write(&unknown_key, "members = 1\ncolour = \"blue\"\n").unwrap();
    let unknown_account = dir.join("unknown-account.toml");
    std::fs::write(
        &unknown_account,
        "members = 1\n[threat]\nidle = [\"bob\"]\n",
    )
    .unwrap();
    let malformed = dir.join("malformed.json");
    std::fs::write(&malformed, "{\"format\": \"idc-check\", ").unwrap();
    let missing = dir.join("missing.toml");
    let other = dir.join("find.json");
    std::fs::write(&other, "{\"format\": \"idc-find\", \"version\": 1}").unwrap();
    for (file, says) in [
        (&unknown_key, "colour"),
        (&unknown_account, "[threat] idle: unknown account 'bob'"),
        (&malformed, "malformed.json: "),
        (&missing, "cannot read"),
        (&other, "idc-find"),
    ] {
        let out = idc(&["compare", s(file), s(&b)]);
        assert_eq!(code(&out), 2, "{file:?}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with(&format!("idc: compare: {}: ", s(file))),
            "{err}"
        );
        assert!(err.contains(says), "{err}");
        assert!(stdout(&out).is_empty());
    }
}
