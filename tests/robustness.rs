//! The promises of the README kept under abuse: unwritable streams, hostile names, huge or
//! endless input, searches too big to finish, and the conventions a user's habits expect
//! (JSON documents with a format and a schema, completions, a manual page, exports other
//! tools read).

use std::fs::File;
use std::process::{Command, Stdio};

use crate::common::{
    assert_valid, code, idc, idc_bin, json, json_of, scratch_dir, stderr, stdout, workspace,
};
use serde_json::Value;

fn run_with(args: &[&str], stdout_to: Stdio, stderr_to: Stdio) -> std::process::Output {
    Command::new(idc_bin())
        .args(args)
        .current_dir(workspace())
        .stdout(stdout_to)
        .stderr(stderr_to)
        .output()
        .expect("idc runs")
}

fn full() -> Stdio {
    Stdio::from(File::create("/dev/full").expect("/dev/full exists"))
}

#[test]
fn an_unwritable_stderr_or_stdout_never_panics() {
    // A usage error whose message can't be written keeps its exit code.
    let out = run_with(&["check", "--members", "9"], Stdio::piped(), full());
    assert_eq!(code(&out), 2);
    // A report that can't be written is a failure (3), said on stderr.
    let out = run_with(&["check", "--members", "1"], full(), Stdio::piped());
    assert_eq!(code(&out), 3);
    assert!(stderr(&out).starts_with("idc: cannot write to stdout: "));
    assert_eq!(stderr(&out).lines().count(), 1);
    // An informational line that can't be written is a failure too.
    let dir = scratch_dir("full-stderr");
    let out = run_with(
        &[
            "simulate",
            "--members",
            "1",
            "--runs",
            "3",
            "--depth",
            "4",
            "--out",
            dir.to_str().unwrap(),
        ],
        Stdio::null(),
        full(),
    );
    assert_eq!(code(&out), 3);
    let scenario = "docs/scenarios/07-delegate-edits-group-membership.json";
    let out = run_with(&["state", scenario], full(), Stdio::piped());
    assert_eq!(code(&out), 3);
    assert!(stderr(&out).starts_with("idc: cannot write to stdout: "));
    // Help on a full stdout.
    let out = run_with(&["--help"], full(), Stdio::piped());
    assert_eq!(code(&out), 3);
    // Generated listings on a full stdout (clap_complete itself panics on a failed write).
    for args in [&["completions", "bash"][..], &["man"]] {
        let out = run_with(args, full(), Stdio::piped());
        assert_eq!(code(&out), 3, "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).starts_with("idc: cannot write to stdout: "));
    }
    // A closed pipe: silent, and the command's own exit code.
    let mut child = Command::new(idc_bin())
        .args(["rules"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 0);
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

fn trace_file(name: &str, text: &str) -> std::path::PathBuf {
    let file = scratch_dir("robust").join(name);
    std::fs::write(&file, text).unwrap();
    file
}

#[test]
fn echoed_names_stay_on_one_short_line() {
    let file = trace_file(
        "newline.json",
        r#"{"format": "idc-trace", "version": 2, "steps": [{"caller": "management", "call": "Create\nUser"}]}"#,
    );
    let out = idc(&["replay".as_ref(), file.as_os_str()]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("unknown call 'Create\\nUser'"), "{err}");
    // A megabyte-long name is cut.
    let long = "A".repeat(1 << 20);
    let file = trace_file(
        "long.json",
        &format!(
            r#"{{"format": "idc-trace", "version": 2, "steps": [{{"caller": "{long}", "call": "CreateInstance"}}]}}"#
        ),
    );
    let out = idc(&["replay".as_ref(), file.as_os_str()]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1);
    assert!(err.len() < 1000, "{} bytes", err.len());
    assert!(err.contains(&format!("…({} bytes)", 1 << 20)), "{err}");
    // An escape sequence in a name reaches no terminal.
    let file = trace_file(
        "escape.json",
        r#"{"format": "idc-trace", "version": 2, "steps": [{"caller": "\u001b[31mred", "call": "CreateInstance"}]}"#,
    );
    let err = stderr(&idc(&["replay".as_ref(), file.as_os_str()]));
    assert!(!err.contains('\u{1b}'), "{err:?}");
}

#[test]
fn endless_or_huge_input_is_refused_quickly() {
    let started = std::time::Instant::now();
    let out = idc(&["replay", "/dev/zero"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "idc: /dev/zero: larger than the 16 MiB a trace file may have\n"
    );
    assert!(started.elapsed().as_secs() < 20);
    let out = idc(&["export", "--format", "itf", "/dev/zero"]);
    assert_eq!(code(&out), 2);
    let out = idc(&["state", "/dev/zero"]);
    assert_eq!(code(&out), 2);
    assert_eq!(stderr(&out).lines().count(), 1);
    let out = idc(&["replay", "/dev/urandom"]);
    assert_eq!(code(&out), 2);
    assert_eq!(stderr(&out).lines().count(), 1);
}

#[test]
fn silently_accepted_input_is_refused() {
    let step = r#"{"caller": "management", "call": "EnableIdentityCenter"}"#;
    let cases = [
        (
            r#"{"format": "idc-trace", "version": 2, "steps": [{"caller": "management", "call": "CreateUser", "params": {"User": "user-1", "User": "user-2"}}]}"#.to_string(),
            "duplicate key 'User'",
        ),
        (
            format!(
                r#"{{"format": "idc-trace", "version": 2, "config": {{"assumptions": {{"close-delegate": "refused", "close-delegate": "either"}}}}, "steps": [{step}]}}"#
            ),
            "duplicate key 'close-delegate'",
        ),
        (
            r#"{"format": "idc-trace", "version": 2, "steps": [{"caller": "management", "call": "EnableIdentityCenter", "expect": {"error": "ConflictException", "error": "ValidationException"}}]}"#.to_string(),
            "duplicate key 'error'",
        ),
        (
            format!(r#"{{"format": "idc-trace", "version": 2, "claim": null, "steps": [{step}]}}"#),
            "null is not a value of a trace file",
        ),
        (
            r#"{"format": "idc-trace", "version": 2, "steps": [{"caller": "management", "call": "EnableIdentityCenter", "expect": null}]}"#.to_string(),
            "null is not a value of a trace file",
        ),
    ];
    for (i, (text, says)) in cases.iter().enumerate() {
        let file = trace_file(&format!("strict-{i}.json"), text);
        let out = idc(&["replay".as_ref(), file.as_os_str()]);
        assert_eq!(code(&out), 2, "{text}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(says), "{err}");
        assert!(err.contains("line 1, column "), "{err}");
    }
}

#[test]
fn replay_conveniences() {
    // "refused": any API error; --assume overrides the file's configuration.
    let file = trace_file(
        "refused.json",
        r#"{"format": "idc-trace", "version": 2, "steps": [
            {"caller": "management", "call": "EnableIdentityCenter", "expect": "ok"},
            {"caller": "management", "call": "RegisterDelegatedAdministrator", "params": {"AccountId": "member-1"}, "expect": "ok"},
            {"caller": "management", "call": "CloseAccount", "params": {"AccountId": "member-1"}, "expect": "refused"}
        ]}"#,
    );
    let out = idc(&["replay".as_ref(), file.as_os_str()]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(stdout(&out).contains("branches found by the replay: step 3 [close-delegate=refused]"));
    let out = idc(&[
        "replay".as_ref(),
        "--assume".as_ref(),
        "close-delegate=deregisters".as_ref(),
        file.as_os_str(),
    ]);
    assert_eq!(code(&out), 1, "under deregisters the closure succeeds");
    assert!(stdout(&out).contains("close-delegate=deregisters"));
    // A trace written under another model version says so.
    let file = trace_file(
        "old-model.json",
        r#"{"format": "idc-trace", "version": 2, "model": 1, "steps": []}"#,
    );
    let out = idc(&["replay".as_ref(), file.as_os_str()]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("written under model version 1"));
}

#[test]
fn a_search_stopped_early_is_not_a_success() {
    // --max-depth: unknown verdicts, exit 4 (nothing found within two steps).
    let out = idc(&["check", "--members", "1", "--max-depth", "2", "--json"]);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    let r: Value = json(&out);
    assert_eq!(r["result"], "incomplete");
    assert_eq!(r["stopped"], "max-depth");
    assert!(r["properties"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["verdict"] == "unknown"));
    // --max-memory: one line naming --symmetry, the figures so far, exit 4 (or 1 if a
    // violation was found before the limit).
    let out = idc(&["check", "--max-memory", "2M", "--json"]);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("idc: stopped: ") && err.contains("--symmetry"),
        "{err}"
    );
    let r: Value = json(&out);
    assert_eq!(r["stopped"], "memory");
    assert_eq!(r["complete"], false);
    assert!(matches!(code(&out), 1 | 4));
    let out = idc(&["check", "--max-memory", "2M", "--brief"]);
    assert!(stdout(&out).contains("INCOMPLETE: stopped at --max-memory"));
}

#[test]
fn a_search_stopped_by_max_time_reports_what_it_found_and_how_deep() {
    // Four members take minutes: one second stops the search, with the shortest
    // violations found by then and every state within the reported depth judged.
    let out = idc(&[
        "check",
        "--members",
        "4",
        "--whole",
        "--max-time",
        "1s",
        "--threads",
        "1",
        "--json",
    ]);
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("idc: stopped: --max-time 1s reached") && err.contains("--symmetry"),
        "{err}"
    );
    let r: Value = json(&out);
    assert_valid("check.schema.json", &r);
    assert_eq!(r["stopped"], "time");
    assert_eq!(r["complete"], false);
    assert!(r["seconds"].as_f64().unwrap() < 30.0, "{}", r["seconds"]);
    let depth = r["max_depth"].as_u64().unwrap();
    // Whatever was found is a shortest trace, so no longer than the depth judged plus one;
    // what was not found is unknown, never `holds`.
    for p in r["properties"].as_array().unwrap() {
        match p["verdict"].as_str().unwrap() {
            "violated" | "example" => {
                assert!(
                    p["trace"].as_array().unwrap().len() as u64 <= depth + 1,
                    "{p}"
                )
            }
            "unknown" => assert!(p["trace"].is_null()),
            other => panic!("{other} from a search that was stopped: {p}"),
        }
    }
    assert!(matches!(code(&out), 1 | 4));
    // With --symmetry already on, the advice does not suggest it.
    let out = idc(&[
        "check",
        "--members",
        "4",
        "--symmetry",
        "--whole",
        "--max-time",
        "1",
        "--brief",
    ]);
    let err = stderr(&out);
    assert!(
        err.starts_with("idc: stopped: --max-time 1s reached") && !err.contains("--symmetry"),
        "{err}"
    );
    let text = stdout(&out);
    assert!(
        text.contains("INCOMPLETE: stopped at --max-time; every state within"),
        "{text}"
    );
    // A matrix stopped early says which changes are unknown, and never takes a property
    // that was not found in time for one that holds: no `fixes` or `disables` from a
    // row that stopped, no guard listed as breaking nothing while some outcome is unknown.
    // 4 members: each row's check takes seconds, so the matrix can't finish in one.
    let out = idc(&[
        "check",
        "--matrix",
        "--members",
        "4",
        "--max-time",
        "1",
        "--json",
    ]);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    let m: Value = json(&out);
    assert_valid("matrix.schema.json", &m);
    assert_eq!(m["complete"], false);
    let rows: Vec<&Value> = m["rules"]
        .as_array()
        .unwrap()
        .iter()
        .chain(m["practices"].as_array().unwrap())
        .collect();
    assert!(rows
        .iter()
        .any(|r| !r["unknown"].as_array().unwrap().is_empty()));
    for r in &rows {
        for c in r["changes"].as_array().unwrap() {
            assert_ne!(c["now"]["verdict"], "unknown", "{c}");
            assert_ne!(c["baseline"]["verdict"], "unknown", "{c}");
        }
    }
    for name in m["rules_breaking_nothing"].as_array().unwrap() {
        let row = rows.iter().find(|r| r["name"] == *name).unwrap();
        assert!(row["unknown"].as_array().unwrap().is_empty(), "{row}");
    }
    // Bad durations are usage errors naming the flag.
    for bad in ["0", "5x", "-3s", "1.5m", "", "99999999999999999999h"] {
        let out = idc(&["check", "--max-time", bad]);
        assert_eq!(code(&out), 2, "--max-time {bad:?}");
        assert!(stderr(&out).contains("--max-time"), "{}", stderr(&out));
    }
}

#[test]
fn every_json_output_has_its_format_and_fits_its_schema() {
    let check = json_of(&["check", "--members", "1", "--json"]);
    assert_eq!(check["format"], "idc-check");
    assert_eq!(check["version"], 1);
    assert_valid("check.schema.json", &check);
    let incomplete = json_of(&["check", "--members", "1", "--max-depth", "3", "--json"]);
    assert_valid("check.schema.json", &incomplete);
    let simulate = json_of(&[
        "simulate",
        "--members",
        "1",
        "--runs",
        "20",
        "--depth",
        "8",
        "--json",
    ]);
    assert_valid("simulate.schema.json", &simulate);
    let mut args: Vec<String> = vec!["replay".into(), "--json".into()];
    for e in std::fs::read_dir(workspace().join("docs/scenarios")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            args.push(p.display().to_string());
        }
    }
    args.push("/dev/null".into());
    let replay: Vec<&str> = args.iter().map(String::as_str).collect();
    let replay = json_of(&replay);
    assert_eq!(replay["result"], "error", "/dev/null is not a trace");
    assert_valid("replay.schema.json", &replay);
    let shown = json_of(&[
        "replay",
        "docs/scenarios/12-second-delegate.json",
        "--show",
        "delegate",
        "--show",
        "trusted-access",
        "--json",
    ]);
    assert_eq!(shown["traces"][0]["show"]["delegate"], "none");
    assert_valid("replay.schema.json", &shown);
    for keep in [false, true] {
        let mut args = vec!["recover", "--members", "1", "--json"];
        if keep {
            args.push("--keep-instance");
        }
        assert_valid("recover.schema.json", &json_of(&args));
    }
    assert_valid(
        "matrix.schema.json",
        &json_of(&["check", "--matrix", "--members", "1", "--json"]),
    );
    assert_valid("rules.schema.json", &json_of(&["rules", "--json"]));
    // The state after every scenario's last step and before its first; a trace that
    // diverges (exit 1) still gets its document.
    for e in std::fs::read_dir(workspace().join("docs/scenarios")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            let p = p.display().to_string();
            for step in [None, Some("0")] {
                let mut args = vec!["state", p.as_str(), "--json"];
                args.extend(step.map(|s| ["--step", s]).into_iter().flatten());
                let state = json_of(&args);
                assert_eq!(state["format"], "idc-state");
                assert_eq!(state["version"], 1);
                assert_valid("state.schema.json", &state);
            }
        }
    }
    let diverged = json_of(&[
        "state",
        "docs/scenarios/14-member-closes-its-own-account.json",
        "--assume",
        "close-delegate=refused",
        "--json",
    ]);
    assert_eq!(diverged["divergence"]["step"], 6);
    assert_valid("state.schema.json", &diverged);
    // Trace files, hand-written and written by idc.
    for e in std::fs::read_dir(workspace().join("docs/scenarios")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            let doc: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            assert_valid("trace.schema.json", &doc);
        }
    }
    let dir = scratch_dir("schema-out");
    let out = idc(&[
        "check",
        "--members",
        "1",
        "--brief",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code(&out), 1);
    for e in std::fs::read_dir(&dir).unwrap() {
        let doc: Value =
            serde_json::from_str(&std::fs::read_to_string(e.unwrap().path()).unwrap()).unwrap();
        assert_valid("trace.schema.json", &doc);
    }
    // Your own properties, the search from a trace's end, and the traces written then.
    let start = dir.join("delegate-is-active-member.json");
    let start = start.to_str().unwrap();
    let from_dir = scratch_dir("schema-from");
    let from = json_of(&[
        "check",
        "--from",
        start,
        "--invariant",
        "mine=last.call != CloseAccount",
        "--json",
        "--out",
        from_dir.to_str().unwrap(),
    ]);
    assert_eq!(from["from"], 3);
    assert_valid("check.schema.json", &from);
    for e in std::fs::read_dir(&from_dir).unwrap() {
        let p = e.unwrap().path();
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        assert_valid("trace.schema.json", &doc);
        let replay = json_of(&["replay", p.to_str().unwrap(), "--json"]);
        assert_eq!(replay["result"], "reproduced", "{}", p.display());
        assert_valid("replay.schema.json", &replay);
        let state = json_of(&["state", p.to_str().unwrap(), "--step", "0", "--json"]);
        assert_eq!(state["from"], 3, "{}", p.display());
        assert_valid("state.schema.json", &state);
    }
    for args in [
        vec!["find", "delegate != none", "--members", "1", "--json"],
        vec!["find", "false", "--members", "1", "--json"],
        vec![
            "find",
            "false",
            "--members",
            "1",
            "--max-depth",
            "2",
            "--json",
        ],
        vec!["find", "trusted-access", "--from", start, "--json"],
    ] {
        assert_valid("find.schema.json", &json_of(&args));
    }
    let sim = json_of(&["simulate", "--from", start, "--runs", "5", "--json"]);
    assert_valid("simulate.schema.json", &sim);
    let rec = json_of(&["recover", "--from", start, "--json"]);
    assert_valid("recover.schema.json", &rec);
    // compare reads check reports: a complete one against one a bound stopped (exit 4).
    let dir = scratch_dir("schema-compare");
    let (a, b) = (dir.join("a.json"), dir.join("b.json"));
    std::fs::write(&a, check.to_string()).unwrap();
    std::fs::write(&b, incomplete.to_string()).unwrap();
    let (a, b) = (a.to_str().unwrap(), b.to_str().unwrap());
    let out = idc(&["compare", a, b, "--json"]);
    assert_eq!(code(&out), 4, "{}", stderr(&out));
    let compared: Value = json(&out);
    assert_eq!(compared["format"], "idc-compare");
    assert_valid("compare.schema.json", &compared);
}

#[test]
fn completions_offer_the_values_of_the_model_flags() {
    let script = stdout(&idc(&["completions", "bash"]));
    for value in [
        "users-only-in-management",
        "DA-7",
        "close-delegate=keeps-registration",
        "second-delegate-error=delegated-admin-exists",
    ] {
        assert!(script.contains(value), "{value}");
    }
    // The values are offered, not imposed: a bad one still gets idc's own one-line error.
    let out = idc(&["check", "--practice", "nope"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("unknown practice 'nope' (known: "),
        "{}",
        stderr(&out)
    );
}

#[test]
fn completions_manual_and_version() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = idc(&["completions", shell]);
        assert_eq!(code(&out), 0, "{shell}");
        assert!(stdout(&out).contains("replay"), "{shell}");
    }
    let man = idc(&["man"]);
    assert_eq!(code(&man), 0);
    let committed = std::fs::read_to_string(workspace().join("docs/idc.1")).unwrap();
    assert_eq!(
        stdout(&man),
        committed,
        "docs/idc.1 is generated: cargo run --release -- man > docs/idc.1"
    );
    // idc's page names one page per command (idc-check(1) ...): each is generated, and
    // committed in docs/man/.
    let top = stdout(&man);
    assert!(!top.contains("idc\\-help(1)"), "help has no page");
    let mut pages = 0;
    for line in top.lines() {
        let Some(command) = line
            .strip_prefix("idc\\-")
            .and_then(|l| l.strip_suffix("(1)"))
        else {
            continue;
        };
        let page = idc(&["man", command]);
        assert_eq!(code(&page), 0, "{command}");
        let path = workspace().join(format!("docs/man/idc-{command}.1"));
        let committed = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("idc(1) names idc-{command}(1): {}: {e}", path.display()));
        assert_eq!(
            stdout(&page),
            committed,
            "docs/man/idc-{command}.1 is generated: cargo run -- man {command} > docs/man/idc-{command}.1"
        );
        pages += 1;
    }
    assert_eq!(
        pages,
        std::fs::read_dir(workspace().join("docs/man"))
            .unwrap()
            .count()
    );
    let version = stdout(&idc(&["--version"]));
    assert!(
        version.contains(&format!("model {}", idc_model::MODEL_VERSION)),
        "{version}"
    );
}

/// The ITF of a trace, decoded by the `itf` crate (the reader of Apalache's and Quint's
/// traces) into typed states.
#[derive(Debug, serde::Deserialize)]
#[allow(dead_code)]
pub(crate) struct ItfState {
    in_org: std::collections::BTreeSet<String>,
    closed: std::collections::BTreeSet<String>,
    invited: std::collections::BTreeSet<String>,
    trusted_access: bool,
    #[serde(with = "itf::de::As::<itf::de::Option<String>>")]
    instance: Option<String>,
    account_instances: std::collections::BTreeSet<String>,
    delegates: std::collections::BTreeSet<String>,
    directories: std::collections::BTreeSet<String>,
    identity_source: String,
    ad_sync: bool,
    users: std::collections::BTreeSet<String>,
    groups: std::collections::BTreeSet<String>,
    membership: std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
    permission_sets: std::collections::BTreeSet<String>,
    provisioned: std::collections::BTreeMap<String, std::collections::BTreeSet<String>>,
    assignments: std::collections::BTreeMap<(String, String), std::collections::BTreeSet<String>>,
    #[serde(with = "itf::de::As::<itf::de::Integer>")]
    pub(crate) step: i64,
    #[serde(rename = "mbt::actionTaken")]
    action_taken: String,
    outcome: String,
    failing: std::collections::BTreeSet<String>,
}

#[test]
fn every_exported_itf_decodes() {
    for e in std::fs::read_dir(workspace().join("docs/scenarios")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "json") {
            continue;
        }
        let out = idc(&[
            "export".as_ref(),
            "--format".as_ref(),
            "itf".as_ref(),
            p.as_os_str(),
        ]);
        assert_eq!(code(&out), 0, "{}", p.display());
        let trace = itf::trace_from_str::<ItfState>(&stdout(&out))
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        assert!(!trace.states.is_empty());
        assert_eq!(trace.states[0].value.action_taken, "init");
    }
}

#[test]
fn dot_merges_the_refusals_of_one_state() {
    let file = trace_file(
        "refusals.json",
        r#"{"format": "idc-trace", "version": 2, "steps": [
            {"caller": "member-1", "call": "EnableIdentityCenter"},
            {"caller": "member-2", "call": "EnableIdentityCenter"},
            {"caller": "member-1", "call": "RegisterDelegatedAdministrator", "params": {"AccountId": "member-2"}}
        ]}"#,
    );
    let out = idc(&[
        "export".as_ref(),
        "--format".as_ref(),
        "dot".as_ref(),
        file.as_os_str(),
    ]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    let loops: Vec<&str> = text.lines().filter(|l| l.contains("s0 -> s0")).collect();
    assert_eq!(loops.len(), 1, "{text}");
    assert!(
        loops[0].contains("1. member-1: EnableIdentityCenter")
            && loops[0].contains("3. member-1: RegisterDelegatedAdministrator")
    );
}

#[test]
fn the_cli_doc_names_every_command_and_flag() {
    let doc = std::fs::read_to_string(workspace().join("docs/cli.md")).unwrap();
    // Every subcommand `idc --help` lists, so that a new one can't go undocumented.
    let top = stdout(&idc(&["--help"]));
    let commands: Vec<&str> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() >= 11, "{commands:?}");
    for command in commands {
        assert!(
            doc.contains(&format!("idc {command}")),
            "docs/cli.md: idc {command}"
        );
        let help = stdout(&idc(&[command, "--help"]));
        for word in help.split(|c: char| c.is_whitespace() || c == '/' || c == ',') {
            let flag = word.trim_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '-'));
            if flag.starts_with("--") && flag.len() > 2 && flag != "--help" {
                let flag = flag.split(['=', '<']).next().unwrap_or(flag);
                assert!(
                    doc.contains(&format!("`{flag}")),
                    "docs/cli.md does not document {flag} of idc {command}"
                );
            }
        }
    }
}

/// Issue 21: `TERM=dumb` gets no control codes, even on a terminal (a pseudo-terminal from
/// `script`, where there is one): progress comes as plain lines. Another TERM on the same
/// terminal gets the line rewritten in place, which shows the terminal is one.
#[test]
fn term_dumb_gets_no_control_codes() {
    let on_terminal = |term: &str| {
        let command = format!(
            "TERM={term} '{}' check --whole --max-time 2 --brief",
            env!("CARGO_BIN_EXE_idc")
        );
        Command::new("script")
            .args(["-q", "-e", "-c", &command, "/dev/null"])
            .stdin(Stdio::null())
            .output()
            .ok()
            .filter(|o| String::from_utf8_lossy(&o.stdout).contains("result: "))
    };
    let Some(fancy) = on_terminal("xterm") else {
        eprintln!("no `script` (or no pseudo-terminal) to give idc a terminal: skipped");
        return;
    };
    assert!(String::from_utf8_lossy(&fancy.stdout).contains("\x1b["));
    let dumb = on_terminal("dumb").unwrap();
    let text = String::from_utf8_lossy(&dumb.stdout);
    assert!(text.contains("result: INCOMPLETE"), "{text}");
    assert!(!text.contains('\x1b'), "{text}");
}
