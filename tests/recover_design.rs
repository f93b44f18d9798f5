//! `idc recover --design`: the answer for the design's start state, its plan as a trace
//! file (`--out`) that `idc replay` reproduces, `--keep-instance` as a threat model, the
//! design's names in the report, and the JSON against `docs/schema/recover.schema.json`.

use std::path::Path;

use serde_json::Value;

use crate::common::{assert_valid, code, idc, json_of, scratch_dir, stderr, stdout, write_file};

/// A delegate registered in a one-member organization: the management account can undo it.
const DELEGATED: &str = r#"
members = 1
users = 1

[accounts]
management = "org-root"
member-1 = "sec"

[start]
steps = [
  { caller = "management", call = "EnableIdentityCenter" },
  { caller = "org-root", call = "RegisterDelegatedAdministrator", params = { AccountId = "sec" } },
]

[threat]
untrusted = ["sec"]

[threat.allow]
management = ["CreateAccountAssignment"]
"#;

/// A one-member organization already at a safe baseline.
const SAFE: &str = r#"
members = 1
users = 1

[accounts]
management = "org-root"
member-1 = "sec"

[start]
steps = [
  { caller = "management", call = "EnableIdentityCenter" },
  { caller = "org-root", call = "CreatePermissionSet", params = { PermissionSet = "ps-1" } },
  { caller = "org-root", call = "CreateUser", params = { User = "user-1" } },
  { caller = "org-root", call = "CreateAccountAssignment", params = { TargetId = "sec", PermissionSet = "ps-1", Principal = "user-1" } },
]

[threat]
idle = ["org-root"]
"#;

/// The trace files written into `dir`, each replayed: `idc replay` exits 0 on every one.
fn replayed(dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let out = idc(&["replay", path.to_str().unwrap()]);
        assert_eq!(code(&out), 0, "{}: {}", path.display(), stderr(&out));
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        files.push((name, std::fs::read_to_string(&path).unwrap()));
    }
    files.sort();
    files
}

#[test]
fn a_recoverable_start_has_a_plan_that_replays() {
    let dir = scratch_dir("recover-design");
    let file = write_file(&dir, "design.toml", DELEGATED);
    let out_dir = dir.join("out");
    let out = idc(&[
        "recover",
        "--design",
        &file,
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    let text = stdout(&out);
    assert!(
        text.contains("from the start state: recoverable in 4 calls by the management account"),
        "{text}"
    );
    assert!(
        text.contains(
            "org-root (management)  DeregisterDelegatedAdministrator(AccountId=sec (member-1))"
        ),
        "{text}"
    );
    let files = replayed(&out_dir);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.contains(&"start-plan.json"), "{names:?}");
    let plan = &files
        .iter()
        .find(|(n, _)| n == "start-plan.json")
        .unwrap()
        .1;
    let plan: Value = serde_json::from_str(plan).unwrap();
    assert_eq!(
        plan["from"].as_array().unwrap().len(),
        2,
        "the design's start calls"
    );
    assert_eq!(plan["accounts"]["member-1"], "sec");
    assert_eq!(plan["steps"][0]["call"], "DeregisterDelegatedAdministrator");

    let report = json_of(&["recover", "--design", &file, "--json"]);
    assert_valid("recover.schema.json", &report);
    assert_eq!(report["start"]["recoverable"], true);
    assert_eq!(report["start"]["already_safe"], false);
    assert_eq!(report["start"]["plan"].as_array().unwrap().len(), 4);
    assert_eq!(report["config"]["accounts"]["member-1"], "sec");
    assert_eq!(report["from"], 2);
}

#[test]
fn a_start_at_a_safe_baseline_says_so() {
    let dir = scratch_dir("recover-safe");
    let file = write_file(&dir, "design.toml", SAFE);
    let out = idc(&["recover", "--design", &file, "--brief"]);
    assert!(
        stdout(&out).contains("from the start state: already at a safe baseline"),
        "{}",
        stdout(&out)
    );
    let report = json_of(&["recover", "--design", &file, "--json"]);
    assert_valid("recover.schema.json", &report);
    assert_eq!(report["start"]["already_safe"], true);
    assert_eq!(report["start"]["recoverable"], true);
    assert_eq!(report["start"]["plan"], Value::Array(vec![]));
}

#[test]
fn keep_instance_forbids_delete_instance_everywhere() {
    let dir = scratch_dir("recover-keep");
    let file = write_file(&dir, "design.toml", DELEGATED);
    let out_dir = dir.join("out");
    let out = idc(&[
        "recover",
        "--design",
        &file,
        "--keep-instance",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert!(stdout(&out).contains("--keep-instance: forbidden to it in the exploration too"));
    let files = replayed(&out_dir);
    assert!(files.len() >= 2, "{files:?}");
    for (name, text) in &files {
        let t: Value = serde_json::from_str(text).unwrap();
        for s in t["steps"].as_array().unwrap() {
            assert!(
                !(s["caller"] == "management" && s["call"] == "DeleteInstance"),
                "{name}: {s}"
            );
        }
    }
    // The first stuck state, as a start: not recoverable, and said so.
    let stuck = out_dir.join("first-stuck.json");
    let stuck = stuck.to_str().unwrap();
    let out = idc(&["recover", "--from", stuck, "--keep-instance", "--brief"]);
    assert!(
        stdout(&out).contains("from the start state: NOT recoverable"),
        "{}",
        stdout(&out)
    );
    let report = json_of(&["recover", "--from", stuck, "--keep-instance", "--json"]);
    assert_valid("recover.schema.json", &report);
    assert_eq!(report["start"]["recoverable"], false);
    assert_eq!(report["start"]["plan"], Value::Null);
    let report = json_of(&["recover", "--design", &file, "--keep-instance", "--json"]);
    assert_valid("recover.schema.json", &report);
    let summary = report["config"]["threat"]["summary"].as_str().unwrap();
    assert!(summary.contains("any call but DeleteInstance"), "{summary}");
}
