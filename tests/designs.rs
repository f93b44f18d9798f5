//! The worked designs of docs/designs/ and design files end to end: each loads and checks,
//! no trace written under a threat model leaves it, bad design files are said in one line
//! (exit 2), a design's `[expect]` decides the exit code, and a JSON design is the TOML one.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{code, idc, scratch_dir, stderr, stdout, workspace};

/// The worked designs, by file name under docs/designs/.
const WORKED: [&str; 3] = [
    "ad-in-management.toml",
    "ad-in-delegate.toml",
    "external-idp.toml",
];

fn design_path(name: &str) -> String {
    format!("docs/designs/{name}")
}

fn design_toml(name: &str) -> toml::Value {
    let text = std::fs::read_to_string(workspace().join(design_path(name))).unwrap();
    toml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// `threat model: N of the M calls`: (N, M).
fn threat_figures(out: &str) -> (u64, u64) {
    let line = out
        .lines()
        .find(|l| l.starts_with("threat model: "))
        .unwrap_or_else(|| panic!("no threat-model figures line in:\n{out}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    let n = |w: &str| w.replace(',', "").parse::<u64>().unwrap();
    assert_eq!(
        (words[3], words[4], words[6]),
        ("of", "the", "calls"),
        "{line}"
    );
    (n(words[2]), n(words[5]))
}

/// Every worked design loads, its start replays, and it checks quickly (exit 0 or 1, never
/// 2); its figures say the threat model leaves out some calls.
#[test]
fn every_worked_design_loads_and_checks() {
    for name in WORKED {
        let out = idc(&["check", "--design", &design_path(name), "--brief"]);
        assert!(
            matches!(code(&out), 0 | 1),
            "{name}: exit {}: {}",
            code(&out),
            stderr(&out)
        );
        let text = stdout(&out);
        assert!(
            text.contains("accounts       org-root (management)"),
            "{text}"
        );
        let (n, m) = threat_figures(&text);
        assert!(n < m, "{name}: {n} of {m}");
    }
}

/// The design's names of its accounts and model id per name (ids map to themselves).
fn account_ids(design: &toml::Value) -> BTreeMap<String, String> {
    let mut ids: BTreeMap<String, String> = ["management", "member-1", "member-2"]
        .iter()
        .map(|a| (a.to_string(), a.to_string()))
        .collect();
    if let Some(accounts) = design.get("accounts").and_then(|a| a.as_table()) {
        for (id, name) in accounts {
            ids.insert(name.as_str().unwrap().to_string(), id.clone());
        }
    }
    ids
}

/// Must show 1: every trace `check --out` writes under ad-in-delegate.toml stays inside its
/// threat model: after the `from` calls, no step by an idle account, none outside a trusted
/// account's allow list (AWS's own steps always happen).
#[test]
fn traces_of_a_design_stay_inside_its_threat_model() {
    let design = design_toml("ad-in-delegate.toml");
    let ids = account_ids(&design);
    let threat = design.get("threat").unwrap();
    let idle: Vec<String> = threat["idle"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| ids[a.as_str().unwrap()].clone())
        .collect();
    let allow: BTreeMap<String, Vec<String>> = threat["allow"]
        .as_table()
        .unwrap()
        .iter()
        .map(|(a, ops)| {
            let ops = ops.as_array().unwrap().iter();
            (
                ids[a.as_str()].clone(),
                ops.map(|o| o.as_str().unwrap().to_string()).collect(),
            )
        })
        .collect();
    assert!(!idle.is_empty() && !allow.is_empty());
    let dir = scratch_dir("design-traces");
    let path = design_path("ad-in-delegate.toml");
    let out = idc(&["check", "--design", &path, "--out", dir.to_str().unwrap()]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let (n, m) = threat_figures(&stdout(&out));
    assert!(n < m, "{n} of {m}");
    let mut traces = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let file = entry.unwrap().path();
        let t: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        assert!(t["from"].as_array().is_some_and(|f| !f.is_empty()));
        traces += 1;
        for (i, step) in t["steps"].as_array().unwrap().iter().enumerate() {
            let caller = step["caller"].as_str().unwrap();
            let call = step["call"].as_str().unwrap();
            if caller == "aws" {
                continue;
            }
            let caller = ids.get(caller).map_or(caller, String::as_str);
            let at = format!("{} step {}: {caller} {call}", file.display(), i + 1);
            assert!(!idle.iter().any(|a| a == caller), "{at}: an idle account");
            if let Some(ops) = allow.get(caller) {
                assert!(ops.iter().any(|o| o == call), "{at}: not in its allow list");
            }
        }
    }
    assert!(traces > 0, "no trace written");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs `check --design` on a design file of `text` (named `name`), with `extra` flags.
fn check_design(name: &str, text: &str, extra: &[&str]) -> std::process::Output {
    let dir = scratch_dir("design");
    let file = dir.join(name);
    std::fs::write(&file, text).unwrap();
    let mut args = vec!["check", "--design", file.to_str().unwrap(), "--brief"];
    args.extend_from_slice(extra);
    let out = idc(&args);
    let _ = std::fs::remove_dir_all(&dir);
    out
}

/// Must show 5: each bad design file is said in one line on stderr that names what is
/// wrong (the key, the account, the operation or the start step and AWS's answer), exit 2.
#[test]
fn a_bad_design_is_one_line_naming_it() {
    let cases: [(&str, &[&str], &[&str]); 8] = [
        ("colour = 1", &[], &["unknown field `colour`"]),
        ("[threat]\nidle = [\"nobody\"]", &[], &["[threat] idle", "'nobody'"]),
        ("[accounts]\nmember-7 = \"x\"", &[], &["[accounts]", "'member-7'"]),
        (
            "[threat.allow]\nmanagement = [\"MakeCoffee\"]",
            &[],
            &["[threat.allow] management", "'MakeCoffee'"],
        ),
        (
            "[start]\nsteps = [ { caller = \"member-1\", call = \"RegisterDelegatedAdministrator\", params = { AccountId = \"member-2\" } } ]",
            &[],
            &["[start] step 1", "AWS refuses it: AccessDeniedException"],
        ),
        ("members = ", &[], &["line 1, column"]),
        ("members = 2", &["--members", "3"], &["--members 3 contradicts the design"]),
        (
            "members = 2",
            &["--forbid", "MakeCoffee@management"],
            &["unknown operation 'MakeCoffee'"],
        ),
    ];
    for (text, extra, said) in cases {
        let out = check_design("bad.toml", text, extra);
        let err = stderr(&out);
        assert_eq!(code(&out), 2, "{text:?}: {err}");
        assert!(stdout(&out).is_empty(), "{text:?}");
        // clap says its own errors (--forbid's value) with a hint after a blank line.
        let lines: Vec<&str> = err
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with("For more information"))
            .collect();
        assert_eq!(lines.len(), 1, "{text:?}: {err}");
        for s in said {
            assert!(lines[0].contains(s), "{text:?}: {s:?} not in {err}");
        }
    }
}

/// The `always` properties a design's check finds violated (its `--json` report).
fn violated(path: &str) -> Vec<String> {
    let out = idc(&["check", "--design", path, "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    report["properties"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["verdict"] == "violated")
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect()
}

/// A design's `[expect]` table decides the exit code, as `--expect` does: 0 when every
/// verdict is as expected (every violated property named), 1 when one is not; an
/// `--expect` for the same property wins over the file's.
#[test]
fn a_designs_expectations_decide_the_exit_code() {
    let path = design_path("ad-in-delegate.toml");
    let text = std::fs::read_to_string(workspace().join(&path)).unwrap();
    let broken = violated(&path);
    assert!(!broken.is_empty());
    let table: String = broken
        .iter()
        .map(|p| format!("{p} = \"violated\"\n"))
        .collect();
    let expected = format!("{text}\n[expect]\n{table}");
    assert_eq!(code(&check_design("d.toml", &expected, &[])), 0);
    let wrong = format!("{}=holds", broken[0]);
    assert_eq!(
        code(&check_design("d.toml", &expected, &["--expect", &wrong])),
        1
    );
    let short = format!("{text}\n[expect]\n{} = \"holds\"\n", broken[0]);
    assert_eq!(code(&check_design("d.toml", &short, &[])), 1);
}

/// A design file in JSON (the same keys) is the same design: the same report.
#[test]
fn a_json_design_is_the_toml_one() {
    for name in ["ad-in-delegate.toml", "external-idp.toml"] {
        let json = serde_json::to_string_pretty(&design_toml(name)).unwrap();
        let from_json = check_design("d.json", &json, &["--json"]);
        let from_toml = idc(&["check", "--design", &design_path(name), "--json"]);
        assert_eq!(code(&from_json), code(&from_toml), "{}", stderr(&from_json));
        let strip = |out: &std::process::Output| {
            let mut v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
            let m = v.as_object_mut().unwrap();
            m.remove("seconds");
            m.remove("states_per_second");
            if let Some(slice) = v["states"].get_mut("slice") {
                let slice = slice.as_object_mut().unwrap();
                slice.remove("seconds");
                slice.remove("others_seconds");
            }
            v
        };
        assert_eq!(strip(&from_json), strip(&from_toml), "{name}");
    }
}

/// `check --matrix --design`: every row starts from the design's start calls, under its
/// threat model and names; traces speak of the design's accounts from there.
#[test]
fn the_matrix_runs_from_a_design() {
    let path = design_path("ad-in-delegate.toml");
    let out = idc(&["check", "--matrix", "--design", &path, "--json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["from"], 7);
    assert_eq!(r["config"]["accounts"]["member-1"], "security-tooling");
    assert!(r["config"]["threat"]["summary"].is_string());
    let rows = r["rules"].as_array().unwrap();
    let org3 = rows.iter().find(|row| row["name"] == "ORG-3").unwrap();
    let trace = org3["changes"][0]["trace"].as_array().unwrap();
    // From the start (the delegate registered): it leaves the organization in one call.
    assert_eq!(trace[0]["call"], "LeaveOrganization");
    assert!(Path::new(&workspace().join(&path)).is_file());
}

/// A row whose practice refuses one of the design's start calls says so instead of
/// failing the matrix.
#[test]
fn a_matrix_row_whose_start_fails_says_so() {
    let text = "members = 1\n[start]\nsteps = [\n  { caller = \"management\", call = \"EnableIdentityCenter\" },\n  { caller = \"management\", call = \"CreatePermissionSet\", params = { PermissionSet = \"ps-1\" } },\n  { caller = \"management\", call = \"CreateGroup\", params = { Group = \"group-1\" } },\n  { caller = \"management\", call = \"CreateAccountAssignment\", params = { TargetId = \"management\", PermissionSet = \"ps-1\", Principal = \"group-1\" } },\n]\n[threat]\nidle = [\"member-1\"]\n[threat.allow]\nmanagement = [\"DeleteAccountAssignment\"]\n";
    let dir = scratch_dir("matrix-start");
    let file = dir.join("d.toml");
    std::fs::write(&file, text).unwrap();
    let out = idc(&[
        "check",
        "--matrix",
        "--design",
        file.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = r["practices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "users-only-in-management")
        .unwrap();
    let why = row["start_refused"].as_str().unwrap();
    assert!(why.starts_with("[start] step 4"), "{why}");
    let _ = std::fs::remove_dir_all(&dir);
}
