//! The hand-written scenarios of `docs/scenarios/` (one per behaviour of the seed page)
//! replay with every expected outcome and claim, and each is listed in its README with the
//! rule ids it exercises.

use std::path::PathBuf;

use crate::common::{code, idc, json, stderr, workspace};
use serde_json::Value;

fn scenarios() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(workspace().join("docs/scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_scenario_replays() {
    let files = scenarios();
    assert!(
        files.len() >= 12,
        "one scenario per behaviour of the seed page"
    );
    let mut args = vec!["replay".into(), "--json".into()];
    args.extend(files.iter().map(|f| f.clone().into_os_string()));
    let out = idc(&args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v: Value = json(&out);
    for t in v["traces"].as_array().unwrap() {
        let steps = t["steps"].as_array().unwrap();
        assert!(
            steps.iter().all(|s| s["as_expected"] == true),
            "{}: every step states its expected outcome, and meets it",
            t["file"]
        );
        assert!(t["description"]
            .as_str()
            .is_some_and(|d| d.contains("Rules: ")));
        if !t["claim"].is_null() {
            assert_eq!(t["claim"]["reproduced"], true, "{}", t["file"]);
        }
    }
}

#[test]
fn deregistration_changes_only_the_registry() {
    // DA-10: the deregistration step's only change is the registry.
    let file = workspace().join("docs/scenarios/10-deregister-keeps-assignments.json");
    let out = idc(&["replay".into(), "--json".into(), file.into_os_string()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v: Value = json(&out);
    let step = v["traces"][0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["call"] == "DeregisterDelegatedAdministrator")
        .unwrap()
        .clone();
    assert_eq!(step["outcome"], "ok");
    assert_eq!(
        step["changes"],
        serde_json::json!(["delegated administrators: member-1 -> none"])
    );
}

#[test]
fn the_readme_lists_every_scenario_with_its_rules() {
    let readme = std::fs::read_to_string(workspace().join("docs/scenarios/README.md")).unwrap();
    for f in scenarios() {
        let name = f.file_name().unwrap().to_str().unwrap();
        let row = readme
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("README lists {name}"));
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let rules = doc["description"]
            .as_str()
            .unwrap()
            .rsplit("Rules: ")
            .next()
            .unwrap();
        for rule in rules
            .split([',', ' ', '.', '('])
            .filter(|r| r.contains('-') && r.len() <= 6)
        {
            assert!(row.contains(rule), "README row of {name} names {rule}");
        }
    }
}
