//! `idc export`: ITF that parses as JSON with `vars` and `states`, Mermaid text starting
//! with `sequenceDiagram`, DOT that Graphviz accepts (checked when `dot` is installed), SVG
//! with one arrow per step.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::common::{code, idc, stderr, stdout, workspace};
use serde_json::Value;

fn export(format: &str, scenario: &str) -> String {
    let file = workspace().join("docs/scenarios").join(scenario);
    let out = idc(&[
        "export".into(),
        "--format".into(),
        format.into(),
        file.into_os_string(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    stdout(&out)
}

const SCENARIO: &str = "08-ad-directory-in-delegate-account.json";

#[test]
fn itf_has_vars_and_one_state_per_step() {
    let v: Value = serde_json::from_str(&export("itf", SCENARIO)).expect("ITF is JSON");
    let vars = v["vars"].as_array().expect("vars");
    let states = v["states"].as_array().expect("states");
    assert_eq!(v["#meta"]["format"], "ITF");
    assert_eq!(states.len(), 1 + 9, "the initial state and one per step");
    for (i, s) in states.iter().enumerate() {
        assert_eq!(s["#meta"]["index"], i);
        for var in vars {
            assert!(
                s.get(var.as_str().unwrap()).is_some(),
                "state {i} has {var}"
            );
        }
        assert_eq!(s["step"]["#bigint"], i.to_string());
    }
    assert_eq!(states[6]["identity_source"], "active-directory:member-1");
    assert_eq!(states[5]["outcome"], "ValidationException [SRC-2]");
}

#[test]
fn mermaid_is_a_sequence_diagram_with_refusals_marked() {
    let text = export("mermaid", SCENARIO);
    assert!(text.starts_with("sequenceDiagram\n"));
    assert!(text.contains("member_1-xIdentityCenter: 5. ChangeIdentitySource(IdentitySource=active-directory:member-2)"));
    assert!(text.contains("participant DirectoryService as Directory Service"));
}

#[test]
fn svg_is_a_sequence_diagram_drawn_with_one_arrow_per_step() {
    let text = export("svg", SCENARIO);
    assert!(text.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(text.trim_end().ends_with("</svg>"));
    assert_eq!(text.matches("<g class=\"step ").count(), 9, "one per step");
    assert_eq!(text.matches("<line class=\"arrow ").count(), 9);
    assert!(
        text.contains(">5. ChangeIdentitySource(IdentitySource=active-directory:member-2)</text>")
    );
    assert!(text.contains(">Directory Service</text>"));
    let s = export_from_trace("svg");
    assert!(s.contains(">from 1. EnableAWSServiceAccess</text>"), "{s}");
    assert!(s.contains("start state: 2 from calls"), "{s}");
}

#[test]
fn dot_is_a_state_graph_graphviz_accepts() {
    let text = export("dot", SCENARIO);
    assert!(text.starts_with("digraph trace {"));
    assert_eq!(
        text.lines().filter(|l| l.contains(" -> s")).count(),
        9,
        "one edge per step"
    );
    let Ok(mut child) = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    else {
        eprintln!("graphviz 'dot' not installed: skipping the dot -Tsvg check");
        return;
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "dot -Tsvg: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
}

/// A trace written by a search `--from` another trace: two `from` calls, then two steps,
/// the claim after step 1 (counted, as `idc replay` counts it, from the end of `from`).
const FROM_TRACE: &str = r#"{"format": "idc-trace", "version": 2,
    "from": [
        {"caller": "management", "call": "EnableAWSServiceAccess", "expect": "ok"},
        {"caller": "management", "call": "RegisterDelegatedAdministrator", "params": {"AccountId": "member-1"}, "expect": "ok"}
    ],
    "claim": {"property": "find", "verdict": "example", "step": 1, "expression": "!registered(member-1)"},
    "steps": [
        {"caller": "management", "call": "DeregisterDelegatedAdministrator", "params": {"AccountId": "member-1"}, "expect": "ok"},
        {"caller": "management", "call": "RegisterDelegatedAdministrator", "params": {"AccountId": "member-2"}, "expect": "ok"}
    ]}"#;

fn export_from_trace(format: &str) -> String {
    let dir = crate::common::scratch_dir("export-from");
    let file = dir.join("from.json");
    std::fs::write(&file, FROM_TRACE).unwrap();
    let out = idc(&[
        "export".into(),
        "--format".into(),
        format.into(),
        file.into_os_string(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn exports_mark_the_from_calls_and_number_the_steps_as_replay_does() {
    let m = export_from_trace("mermaid");
    assert!(
        m.contains("management->>Organizations: from 1. EnableAWSServiceAccess"),
        "{m}"
    );
    assert!(
        m.contains("Note over management: start state: 2 from calls"),
        "{m}"
    );
    assert!(
        m.contains(
            "management->>Organizations: 1. DeregisterDelegatedAdministrator(AccountId=member-1)"
        ),
        "{m}"
    );
    assert!(
        m.contains("claim: find holds (example) after step 1"),
        "{m}"
    );

    let d = export_from_trace("dot");
    assert!(
        d.contains("\"from 1. management: EnableAWSServiceAccess"),
        "{d}"
    );
    assert!(
        d.contains("\"1. management: DeregisterDelegatedAdministrator"),
        "{d}"
    );
    assert!(d.contains("start state (after 2 `from` calls)"), "{d}");

    let itf = export_from_trace("itf");
    let decoded = itf::trace_from_str::<crate::robustness::ItfState>(&itf).expect("ITF decodes");
    assert_eq!(decoded.states[2].value.step, 0);
    let v: Value = serde_json::from_str(&itf).expect("ITF is JSON");
    assert_eq!(v["#meta"]["from"], "2");
    let states = v["states"].as_array().unwrap();
    assert_eq!(states.len(), 1 + 2 + 2);
    // `step` counts as the replay does: 0 is the end of `from`, the `from` states negative.
    let steps: Vec<&str> = states
        .iter()
        .map(|s| s["step"]["#bigint"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["-2", "-1", "0", "1", "2"]);
    assert_eq!(
        states[3]["mbt::actionTaken"],
        "DeregisterDelegatedAdministrator"
    );
    assert_eq!(states[3]["delegates"], serde_json::json!({"#set": []}));
}
