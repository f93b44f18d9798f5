//! Trace files end to end: `idc check --out` writes traces that `idc replay` reproduces, a
//! changed expectation diverges at its step, and `idc simulate` is reproducible and finds
//! the group-membership hazard with a short trace that replays.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::common::{code, idc, json, scratch_dir, stderr, stdout};
use serde_json::Value;

/// `idc check --members 1 --json --out DIR`, run once for this file (one member account:
/// the default configuration's check takes most of a minute in a debug build, and every
/// trace it writes is of the same kinds).
struct CheckRun {
    report: Value,
    dir: PathBuf,
}

fn default_check() -> &'static CheckRun {
    static RUN: OnceLock<CheckRun> = OnceLock::new();
    RUN.get_or_init(|| {
        let dir = scratch_dir("check-out");
        let out = idc(&[
            "check".as_ref(),
            "--members".as_ref(),
            "1".as_ref(),
            "--json".as_ref(),
            "--out".as_ref(),
            dir.as_os_str(),
        ]);
        assert_eq!(
            code(&out),
            1,
            "the default model violates properties: {}",
            stderr(&out)
        );
        let report: Value = serde_json::from_str(&stdout(&out)).expect("check --json is JSON");
        CheckRun { report, dir }
    })
}

fn json_files(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the output directory exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

fn replay_json(files: &[PathBuf]) -> (i32, Value, String) {
    let mut args = vec!["replay".into(), "--json".into()];
    args.extend(files.iter().map(|f| f.clone().into_os_string()));
    let out = idc(&args);
    let v = serde_json::from_str(&stdout(&out)).unwrap_or(Value::Null);
    (code(&out), v, stderr(&out))
}

#[test]
fn every_trace_check_writes_replays_and_reproduces_its_claim() {
    let run = default_check();
    let discoveries: Vec<&Value> = run.report["properties"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| !p["trace"].is_null())
        .collect();
    assert!(discoveries.len() >= 5, "the default model has discoveries");
    let files = json_files(&run.dir);
    assert_eq!(files.len(), discoveries.len(), "one file per discovery");
    for p in &discoveries {
        let name = p["name"].as_str().unwrap();
        assert!(
            run.dir.join(format!("{name}.json")).exists(),
            "{name}.json written"
        );
    }
    let (code, v, err) = replay_json(&files);
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["result"], "reproduced");
    for t in v["traces"].as_array().unwrap() {
        let claim = &t["claim"];
        assert_eq!(claim["reproduced"], true, "{}", t["file"]);
        let check = discoveries
            .iter()
            .find(|p| p["name"] == claim["property"])
            .expect("the claim names a discovery");
        let verdict = check["verdict"].as_str().unwrap();
        assert_eq!(claim["verdict"], verdict);
        let steps = t["steps"].as_array().unwrap();
        assert_eq!(claim["step"].as_u64().unwrap() as usize, steps.len());
        // Replay shows the same steps, outcomes and changes as the check's own trace.
        for (r, c) in steps.iter().zip(check["trace"].as_array().unwrap()) {
            for key in ["caller", "call", "params", "outcome", "changes", "failing"] {
                assert_eq!(r[key], c[key], "{key} of step {}", r["step"]);
            }
            assert_eq!(r["as_expected"], true);
        }
    }
}

#[test]
fn a_changed_expected_outcome_fails_at_that_step() {
    let run = default_check();
    let original = run
        .dir
        .join("management-access-granted-only-by-management.json");
    let text = std::fs::read_to_string(&original).unwrap();
    let mut doc: Value = serde_json::from_str(&text).unwrap();
    // Step 4 (index 3) succeeded; claim it fails instead.
    doc["steps"][3]["expect"] = serde_json::json!({"error": "ConflictException"});
    let changed = scratch_dir("changed").join("changed.json");
    std::fs::write(&changed, serde_json::to_string_pretty(&doc).unwrap()).unwrap();

    let out = idc(&["replay".as_ref(), changed.as_os_str()]);
    assert_eq!(code(&out), 1);
    let got = doc["steps"][3]["call"].as_str().unwrap();
    assert!(
        stdout(&out).contains("result: DIVERGED at step 4: expected ConflictException, got ok"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("diverged at step 4"),
        "{}",
        stderr(&out)
    );
    assert_eq!(got, "CreateUser");

    let (code, v, _) = replay_json(&[changed]);
    assert_eq!(code, 1);
    assert_eq!(v["result"], "diverged");
    let t = &v["traces"][0];
    assert_eq!(t["divergence"]["step"], 4);
    assert_eq!(t["steps"][3]["as_expected"], false);
    assert_eq!(
        t["claim"]["reproduced"], true,
        "the claim itself still holds"
    );
}

fn without_timings(mut v: Value) -> Value {
    let m = v.as_object_mut().unwrap();
    m.remove("seconds");
    m.remove("steps_per_second");
    v
}

#[test]
fn simulate_is_reproducible_and_finds_the_group_membership_hazard() {
    // Q6 read as the assignment calls: the delegate can't assign to the management account
    // (under `either` the `user-status` reading lets it, and a walk finds that first), so
    // the hazard is the group edit.
    let config = [
        "--members",
        "1",
        "--assume",
        "management-user-access=assignment-calls",
    ];
    let mut args = vec!["simulate", "--seed", "1", "--runs", "1000", "--depth", "25"];
    args.extend(config);
    // The human report, twice: identical apart from the timing line.
    let text = |o: &std::process::Output| {
        stdout(o)
            .lines()
            .filter(|l| !l.starts_with("walks: "))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let (a, b) = (idc(&args), idc(&args));
    assert_eq!(code(&a), 1, "violations found: {}", stderr(&a));
    assert_eq!(text(&a), text(&b));
    assert!(stdout(&a).contains("outcomes of the calls made"));

    let dir = scratch_dir("simulate-out");
    let mut json_args: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
    json_args.extend([
        "--json".into(),
        "--out".into(),
        dir.clone().into_os_string(),
    ]);
    let (j1, j2) = (idc(&json_args), idc(&json_args));
    let r1: Value = json(&j1);
    let r2: Value = json(&j2);
    assert_eq!(without_timings(r1.clone()), without_timings(r2));
    // A walk moves along its swarm's operations only, so a few end early.
    let moves = r1["moves"].as_u64().unwrap();
    assert!(moves <= 1000 * 25 && moves > 1000 * 20, "{moves} moves");
    assert!(
        r1["steps"].as_u64().unwrap() > 1000 * 25,
        "every call is made at every move"
    );
    assert!(
        r1["outcomes"]["AccessDeniedException"].as_u64().unwrap() > 0,
        "refused calls are made"
    );

    let hazard = "management-access-granted-only-by-management";
    let sim = r1["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == hazard)
        .unwrap();
    assert_eq!(sim["verdict"], "violated");
    let trace = sim["trace"].as_array().unwrap();
    assert_eq!(
        trace.last().unwrap()["call"],
        "CreateGroupMembership",
        "the hazard: the delegate edits a group that reaches the management account"
    );
    assert_ne!(trace.last().unwrap()["caller"], "management");
    let mut check = vec!["check", "--json"];
    check.extend(config);
    let check: Value = serde_json::from_str(&stdout(&idc(&check))).unwrap();
    let shortest = check["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == hazard)
        .unwrap()["trace"]
        .as_array()
        .unwrap()
        .len();
    assert!(
        trace.len() <= shortest + 2,
        "shrunk {} steps, check's shortest {shortest}",
        trace.len()
    );

    // The shrunk trace was written and replays, claim included.
    let (code, v, err) = replay_json(&[dir.join(format!("{hazard}.json"))]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["traces"][0]["claim"]["reproduced"], true);
    assert_eq!(
        v["traces"][0]["steps"].as_array().unwrap().len(),
        trace.len()
    );
    // Every simulation finding replays.
    let (code, v, err) = replay_json(&json_files(&dir));
    assert_eq!(code, 0, "{err}");
    assert_eq!(v["result"], "reproduced");
}

#[test]
fn an_unwritable_out_dir_is_a_failure() {
    let out = idc(&[
        "simulate",
        "--members",
        "1",
        "--runs",
        "5",
        "--depth",
        "5",
        "--out",
        "/dev/null/traces",
    ]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("idc: /dev/null/traces: cannot write: "),
        "{}",
        stderr(&out)
    );
}

/// When no choice of branches replays a trace, the divergence reported is that of the
/// choice that got furthest, not the first reading's: here `close-delegate=refused` fails
/// at step 3, but `deregisters` meets steps 3 and 4 and the real blocker is step 5.
#[test]
fn a_failed_branch_search_reports_the_branch_that_got_furthest() {
    let file = scratch_dir("furthest").join("furthest.json");
    std::fs::write(
        &file,
        r#"{"format": "idc-trace", "version": 2, "steps": [
            {"caller": "management", "call": "EnableAWSServiceAccess", "expect": "ok"},
            {"caller": "management", "call": "RegisterDelegatedAdministrator", "params": {"AccountId": "member-1"}, "expect": "ok"},
            {"caller": "management", "call": "CloseAccount", "params": {"AccountId": "member-1"}, "expect": "ok"},
            {"caller": "management", "call": "RegisterDelegatedAdministrator", "params": {"AccountId": "member-2"}, "expect": "ok"},
            {"caller": "management", "call": "EnableAWSServiceAccess", "expect": {"error": "ConflictException"}}
        ]}"#,
    )
    .unwrap();
    let (code, v, err) = replay_json(std::slice::from_ref(&file));
    assert_eq!(code, 1, "{err}");
    let t = &v["traces"][0];
    assert_eq!(t["divergence"]["step"], 5, "{t}");
    assert_eq!(t["steps"][2]["as_expected"], true, "{t}");
}

/// Issue 21: a replay of several files ends with their tally; and a claim beyond a trace
/// of one step says "1 step", not "1 steps".
#[test]
fn replay_of_many_files_prints_a_tally() {
    let beyond = scratch_dir("replay-tally").join("beyond.json");
    std::fs::write(
        &beyond,
        r#"{"format": "idc-trace", "version": 2, "steps": [
            {"caller": "management", "call": "EnableIdentityCenter", "expect": "ok"}],
            "claim": {"property": "delegate-is-active-member", "verdict": "violated", "step": 3}}"#,
    )
    .unwrap();
    let out = idc(&[
        "replay".as_ref(),
        "docs/scenarios/01-register-member-account.json".as_ref(),
        "docs/scenarios/02-delegate-cannot-enable-identity-center.json".as_ref(),
        beyond.as_os_str(),
    ]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(
        text.lines().last(),
        Some("replayed 3 traces: 2 reproduced, 0 diverged, 1 invalid"),
        "{text}"
    );
    let err = stderr(&out);
    assert!(err.contains("beyond the trace's 1 step"), "{err}");
    assert!(!err.contains("1 steps"), "{err}");
    // One file: no tally.
    let out = idc(&["replay", "docs/scenarios/01-register-member-account.json"]);
    assert!(!stdout(&out).contains("replayed "), "{}", stdout(&out));
}

/// Issue 21: `idc replay --show EXPR` prints each expression's value (a boolean, or a value
/// such as `delegate`) in the start state (step 0) and after every step, in text and in
/// JSON; a bad expression is exit 2 with one line naming it.
#[test]
fn replay_shows_expressions_at_every_step() {
    let file = "docs/scenarios/12-second-delegate.json";
    let shows = [
        "replay",
        file,
        "--show",
        "delegate",
        "--show",
        "reaches(user-1, management)",
    ];
    let out = idc(&shows);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    let shown: Vec<&str> = lines
        .iter()
        .filter(|l| l.trim_start().starts_with("delegate = "))
        .copied()
        .collect();
    let (_, json) = {
        let mut args = shows.to_vec();
        args.push("--json");
        let out = idc(&args);
        (
            code(&out),
            serde_json::from_str::<Value>(&stdout(&out)).unwrap(),
        )
    };
    let steps = json["traces"][0]["steps"].as_array().unwrap();
    assert_eq!(shown.len(), steps.len() + 1, "{text}");
    assert_eq!(
        shown[0], "          delegate = none; reaches(user-1, management) = false",
        "{text}"
    );
    let start = lines.iter().position(|l| l.starts_with("   0. ")).unwrap();
    assert_eq!(lines[start + 1], shown[0], "{text}");
    assert!(
        shown.contains(&"          delegate = member-1; reaches(user-1, management) = false"),
        "{text}"
    );
    assert_eq!(
        json["traces"][0]["show"],
        serde_json::json!({"delegate": "none", "reaches(user-1, management)": false})
    );
    assert_eq!(steps[1]["show"]["delegate"], "member-1");
    assert_eq!(steps[1]["show"]["reaches(user-1, management)"], false);
    for s in steps {
        assert!(s["show"]["delegate"].is_string(), "{s}");
        assert!(s["show"]["reaches(user-1, management)"].is_boolean(), "{s}");
    }
    // Without --show, no "show".
    let plain = replay_json(&[PathBuf::from(file)]).1;
    assert!(plain["traces"][0].get("show").is_none());
    assert!(plain["traces"][0]["steps"][0].get("show").is_none());
    // A bad expression: exit 2, one line naming it.
    let out = idc(&[
        "replay",
        file,
        "--show",
        "delegate",
        "--show",
        "delegate ==",
    ]);
    assert_eq!(code(&out), 2);
    assert_eq!(stdout(&out), "");
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("--show `delegate ==`: column 12"), "{err}");
    let out = idc(&["replay", file, "--show", "member-9"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("out of range"), "{}", stderr(&out));
}

/// `simulate` judges the user's own properties with the built-in ones, properties of the
/// last step included, shrinks their findings, and writes trace files that replay and
/// reproduce their claim.
#[test]
fn simulate_judges_the_users_properties() {
    let dir = scratch_dir("simulate-user");
    let out = idc(&[
        "simulate",
        "--members",
        "1",
        "--runs",
        "40",
        "--invariant",
        "no-closing=!(last.caller == member-1 && last.call == CloseOwnAccount)",
        "--reachable",
        "delegated=delegate == member-1",
        "--json",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let r: Value = json(&out);
    let find = |name: &str| {
        r["properties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap()
            .clone()
    };
    let closing = find("no-closing");
    assert_eq!(closing["verdict"], "violated");
    assert_eq!(
        closing["expression"],
        "!(last.caller == member-1 && last.call == CloseOwnAccount)"
    );
    let trace = closing["trace"].as_array().unwrap();
    assert_eq!(trace.len(), 1, "shrunk to the one call: {trace:?}");
    assert_eq!(trace[0]["call"], "CloseOwnAccount");
    assert_eq!(find("delegated")["verdict"], "example");
    let files = json_files(&dir);
    assert!(files.iter().any(|f| f.ends_with("no-closing.json")));
    let (code, _, text) = replay_json(&files);
    assert_eq!(code, 0, "{text}");
}
