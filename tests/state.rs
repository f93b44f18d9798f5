//! `idc state`: the state after a step of a trace, in domain words; bad input is one line
//! and exit 2, a trace that does not replay as written up to the step shown is exit 1.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::common::{code, idc, idc_bin, json, scratch_dir, stderr, stdout, workspace};
use serde_json::Value;

/// A delegate adds user-1 to group-1, which is assigned to the management account (step
/// 7), and removes it again (step 8).
const GROUP: &str = "docs/scenarios/07-delegate-edits-group-membership.json";

/// `idc ARGS` exits 0 with one JSON document on stdout.
fn json_ok(args: &[&str]) -> Value {
    let out = idc(args);
    assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
    json(&out)
}

fn file(name: &str, text: &str) -> std::path::PathBuf {
    let f = scratch_dir("state").join(name);
    std::fs::write(&f, text).unwrap();
    f
}

#[test]
fn the_text_names_accounts_identities_and_access() {
    let out = idc(&["state", GROUP, "--step", "7"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    let text = stdout(&out);
    for line in [
        &format!("idc state: {GROUP}"),
        "  after step     7 of 8",
        "   7. member-1    CreateGroupMembership(Group=group-1, User=user-1)  -> ok",
        "  failing here   management-access-changed-only-by-management, management-access-granted-only-by-management, management-identities-controlled-by-management",
        "  management  ACTIVE",
        "  member-2    ACTIVE",
        "  trusted access for sso.amazonaws.com  on",
        "  delegated administrators  member-1",
        "  organization instance  management",
        "  source                    identity-center-directory",
        "  identities controlled by  management, member-1",
        "  group-1  members: user-1",
        "  ps-1  provisioned in management",
        "  group-1  ps-1  management",
        "  user-1  management  effective      ps-1 via group-1",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing line {line:?} in:\n{text}"
        );
    }
    // No bitsets, no Rust names.
    for word in ["0b", "Acct(", "Some(", "None"] {
        assert!(!text.contains(word), "{word} in:\n{text}");
    }
    // The default is the last step: the delegate took user-1 out again.
    let text = stdout(&idc(&["state", GROUP]));
    assert!(text.contains("  after step     8 of 8\n"), "{text}");
    assert!(text.contains("  group-1  members: none\n"), "{text}");
    assert!(
        text.contains("\naccess (assigned users; effective: they can sign in now)\n  none\n"),
        "{text}"
    );
}

#[test]
fn step_0_is_the_initial_state() {
    let text = stdout(&idc(&["state", GROUP, "--step", "0"]));
    assert!(
        text.contains("  after step     0 of 8 (the initial state)\n"),
        "{text}"
    );
    assert!(text.contains("  trusted access for sso.amazonaws.com  off\n"));
    assert!(text.contains("  organization instance  none\n"));
    assert!(text.contains("  delegated administrators  none\n"));
    let doc = json_ok(&["state", GROUP, "--step", "0", "--json"]);
    assert_eq!(doc["step"], 0);
    assert_eq!(doc["last_step"], Value::Null);
    assert_eq!(doc["state"]["identity_center"]["instance"], Value::Null);
    assert_eq!(doc["state"]["identities"]["users"], serde_json::json!([]));
}

#[test]
fn the_json_report_has_its_fields() {
    let doc = json_ok(&["state", GROUP, "--step", "7", "--json"]);
    assert_eq!(doc["format"], "idc-state");
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["model"], idc_model::MODEL_VERSION);
    assert_eq!(doc["trace"], GROUP);
    assert_eq!(doc["step"], 7);
    assert_eq!(doc["steps"], 8);
    assert_eq!(doc["config"]["members"], 2);
    assert_eq!(doc["last_step"]["call"], "CreateGroupMembership");
    assert_eq!(doc["divergence"], Value::Null);
    let s = &doc["state"];
    assert_eq!(
        s["organization"]["accounts"][1],
        serde_json::json!({"account": "member-1", "status": "ACTIVE"})
    );
    assert_eq!(s["organization"]["trusted_access"], true);
    assert_eq!(
        s["registry"]["delegated_administrators"],
        serde_json::json!(["member-1"])
    );
    assert_eq!(
        s["identities"]["groups"],
        serde_json::json!([{"group": "group-1", "members": ["user-1"]}])
    );
    assert_eq!(
        s["assignments"],
        serde_json::json!([{"principal": "group-1", "permission_set": "ps-1", "account": "management"}])
    );
    assert_eq!(
        s["access"],
        serde_json::json!([{
            "user": "user-1", "account": "management", "effective": true,
            "through": [{"permission_set": "ps-1", "principal": "group-1"}]
        }])
    );
}

#[test]
fn accounts_outside_the_organization_and_access_that_is_not_effective() {
    let f = file(
        "closed.json",
        r#"{"format": "idc-trace", "version": 2, "config": {"members": 4}, "steps": [
            {"caller": "management", "call": "EnableIdentityCenter", "expect": "ok"},
            {"caller": "management", "call": "CreatePermissionSet", "params": {"PermissionSet": "ps-1"}, "expect": "ok"},
            {"caller": "management", "call": "CreateUser", "params": {"User": "user-1"}, "expect": "ok"},
            {"caller": "management", "call": "CreateAccountAssignment", "params": {"TargetId": "member-1", "PermissionSet": "ps-1", "Principal": "user-1"}, "expect": "ok"},
            {"caller": "management", "call": "CloseAccount", "params": {"AccountId": "member-1"}, "branch": {"departed-account-assignments": "kept"}, "expect": "ok"},
            {"caller": "management", "call": "RemoveAccountFromOrganization", "params": {"AccountId": "member-2"}, "expect": "ok"},
            {"caller": "management", "call": "InviteAccountToOrganization", "params": {"Target": "member-2"}, "expect": "ok"},
            {"caller": "member-3", "call": "LeaveOrganization", "expect": "ok"},
            {"caller": "member-4", "call": "LeaveOrganization", "expect": "ok"},
            {"caller": "member-4", "call": "CloseOwnAccount", "expect": "ok"}
        ]}"#,
    );
    let out = idc(&["state".as_ref(), f.as_os_str()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    for line in [
        "  member-1    SUSPENDED",
        "  member-2    INVITED",
        "  member-3    OUTSIDE",
        "  member-4    CLOSED",
        "  user-1  member-1  NOT EFFECTIVE  ps-1 via user-1  (member-1 SUSPENDED)",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing line {line:?} in:\n{text}"
        );
    }
}

#[test]
fn a_step_beyond_the_trace_is_one_line_and_exit_2() {
    let out = idc(&["state", GROUP, "--step", "9"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        format!("idc: {GROUP}: --step 9: the trace has 8 steps\n")
    );
    assert!(stdout(&out).is_empty());
    let out = idc(&["state", GROUP, "--step", "-1"]);
    assert_eq!(code(&out), 2, "clap's own message");
    assert!(
        stderr(&out).contains("invalid value '-1'"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_malformed_trace_is_refused_as_replay_refuses_it() {
    for (name, text) in [
        ("empty.json", ""),
        ("brace.json", "{"),
        (
            "caller.json",
            r#"{"format": "idc-trace", "version": 2, "steps": [{"caller": "root", "call": "EnableIdentityCenter"}]}"#,
        ),
    ] {
        let f = file(name, text);
        let state = idc(&["state".as_ref(), f.as_os_str()]);
        let replay = idc(&["replay".as_ref(), f.as_os_str()]);
        assert_eq!(code(&state), 2, "{name}");
        assert_eq!(stderr(&state).lines().count(), 1, "{}", stderr(&state));
        assert_eq!(stderr(&state), stderr(&replay), "{name}");
        assert!(stdout(&state).is_empty(), "{name}");
    }
    let out = idc(&["state", "no/such/file.json"]);
    assert_eq!(code(&out), 2);
    assert_eq!(stderr(&out).lines().count(), 1);
}

#[test]
fn standard_input() {
    let text = std::fs::read_to_string(workspace().join(GROUP)).unwrap();
    let mut child = Command::new(idc_bin())
        .args(["state", "-", "--step", "7", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let doc: Value = json(&out);
    assert_eq!(doc["trace"], "<stdin>");
    let mut from_file = json_ok(&["state", GROUP, "--step", "7", "--json"]);
    from_file["trace"] = "<stdin>".into();
    assert_eq!(doc, from_file);
}

#[test]
fn a_divergence_up_to_the_step_shown_is_exit_1() {
    // Step 8 expects a refusal but succeeds.
    let text = std::fs::read_to_string(workspace().join(GROUP)).unwrap();
    let last = r#""call": "DeleteGroupMembership", "params": {"Group": "group-1", "User": "user-1"}, "expect": "ok""#;
    assert!(text.contains(last));
    let f = file(
        "diverged.json",
        &text.replace(last, &last.replace(r#""ok""#, r#""refused""#)),
    );
    let out = idc(&["state".as_ref(), f.as_os_str()]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        stderr(&out),
        format!(
            "idc: {}: diverged at step 8: expected refused (any error), got ok\n",
            f.display()
        )
    );
    // The state is the one the model reaches: user-1 left group-1.
    assert!(stdout(&out).contains("  group-1  members: none\n"));
    assert!(stdout(&out).contains("  DIVERGED       at step 8: expected refused"));
    // Before the divergence: the state as written, the note says it comes later.
    let out = idc(&[
        "state".as_ref(),
        f.as_os_str(),
        "--step".as_ref(),
        "7".as_ref(),
    ]);
    assert_eq!(code(&out), 0);
    assert!(
        stderr(&out).contains("diverged at step 8, after the state shown (step 7)"),
        "{}",
        stderr(&out)
    );
    // --assume as for replay: under `refused` the closure of a delegate is refused.
    let out = idc(&[
        "state",
        "docs/scenarios/14-member-closes-its-own-account.json",
        "--assume",
        "close-delegate=refused",
        "--json",
    ]);
    assert_eq!(code(&out), 1, "step 6 names a branch that does not fit");
    assert!(
        stderr(&out)
            .contains(": diverged at step 6: the branch [close-delegate=deregisters] does not fit"),
        "{}",
        stderr(&out)
    );
    let doc: Value = json(&out);
    assert_eq!(doc["divergence"]["step"], 6);
    let q3 = doc["config"]["assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["key"] == "close-delegate")
        .unwrap()
        .clone();
    assert_eq!(q3["value"], "refused");
}

/// A trace written by a search that started from another trace's end (`--from`) starts
/// from that state: its step 0 is the other trace's last state, and the report says how
/// many `from` calls lead there.
#[test]
fn step_0_of_a_trace_written_from_another_is_where_it_started() {
    let dir = scratch_dir("state-from");
    let out = dir.join("found.json");
    let found = idc(&[
        "find",
        "delegate == none",
        "--from",
        GROUP,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&found), 0, "{}", stderr(&found));
    let end = json_ok(&["state", GROUP, "--json"]);
    let start = json_ok(&["state", out.to_str().unwrap(), "--step", "0", "--json"]);
    assert_eq!(start["from"], 8);
    assert_eq!(start["state"], end["state"]);
    let text = stdout(&idc(&["state", out.to_str().unwrap(), "--step", "0"]));
    assert!(
        text.contains("(the state after the trace's 8 `from` calls)"),
        "{text}"
    );
    assert!(end.get("from").is_none(), "a trace from the initial state");
}

/// `check --json` and `find --json` show the state a trace ends in with the same JSON as
/// `idc state` (names, never bitsets).
#[test]
fn check_and_find_show_states_as_idc_state_does() {
    let dir = scratch_dir("state-check");
    let check = idc(&[
        "check",
        "--members",
        "1",
        "--json",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let check: Value = json(&check);
    let mut compared = 0;
    for p in check["properties"].as_array().unwrap() {
        let name = p["name"].as_str().unwrap();
        if p["trace"].is_null() {
            assert!(p.get("state").is_none(), "{name}");
            continue;
        }
        let file = dir.join(format!("{name}.json"));
        let shown = json_ok(&["state", file.to_str().unwrap(), "--json"]);
        assert_eq!(p["state"], shown["state"], "{name}");
        compared += 1;
    }
    assert!(compared >= 10, "{compared}");
    let find = json_ok(&["find", "delegate == member-1", "--members", "1", "--json"]);
    assert_eq!(
        find["state"]["registry"]["delegated_administrators"],
        serde_json::json!(["member-1"])
    );
}
