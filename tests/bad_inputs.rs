//! Bad trace files: one line on stderr naming the file and the place, exit code 2, no
//! panic; with `--json` the document says which file was bad and why.

use crate::common::{code, idc, json, scratch_dir, stderr, stdout};

const HEAD: &str = r#""format": "idc-trace", "version": 2"#;

fn replay_bad(name: &str, text: &str) -> (String, String) {
    let file = scratch_dir("bad").join(name);
    std::fs::write(&file, text).unwrap();
    for as_json in [false, true] {
        let mut args = vec!["replay".into(), file.clone().into_os_string()];
        if as_json {
            args.push("--json".into());
        }
        let out = idc(&args);
        let err = stderr(&out);
        assert_eq!(code(&out), 2, "{name}: {err}");
        assert_eq!(err.lines().count(), 1, "{name}: one line: {err}");
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert!(
            err.contains(&file.display().to_string()),
            "{name}: names the file: {err}"
        );
        if as_json {
            let doc: serde_json::Value = json(&out);
            assert_eq!(doc["format"], "idc-replay");
            assert_eq!(doc["result"], "error");
            assert_eq!(doc["traces"][0]["result"], "error");
            assert_eq!(
                format!("idc: {}\n", doc["traces"][0]["error"].as_str().unwrap()),
                err,
                "{name}: the document says what stderr says"
            );
        } else {
            assert!(stdout(&out).is_empty(), "{name}: nothing replayed");
        }
    }
    let out = idc(&["replay".into(), file.into_os_string()]);
    (stderr(&out), stdout(&out))
}

#[test]
fn an_empty_file() {
    let (err, _) = replay_bad("empty.json", "");
    assert!(
        err.ends_with(": empty file, expected a JSON trace (see docs/trace-format.md)\n"),
        "{err}"
    );
}

#[test]
fn a_lone_brace() {
    let (err, _) = replay_bad("brace.json", "{");
    assert!(
        err.ends_with(": line 1, column 1: EOF while parsing an object\n"),
        "{err}"
    );
}

#[test]
fn an_unknown_format_version() {
    let (err, _) = replay_bad(
        "version.json",
        r#"{"format": "idc-trace", "version": 99, "steps": []}"#,
    );
    assert!(
        err.ends_with(": unknown format version 99 (this idc reads version 2)\n"),
        "{err}"
    );
}

#[test]
fn a_version_1_trace_is_told_what_changed() {
    let (err, _) = replay_bad(
        "v1.json",
        r#"{"format": "idc-trace", "version": 1, "steps": []}"#,
    );
    assert!(err.contains("call it EnableIdentityCenter"), "{err}");
}

#[test]
fn an_unknown_call() {
    let (err, _) = replay_bad(
        "call.json",
        &format!(
            r#"{{{HEAD}, "steps": [
                {{"caller": "management", "call": "EnableIdentityCenter"}},
                {{"caller": "management", "call": "EnableSSO"}}]}}"#
        ),
    );
    assert!(
        err.contains(": step 2: unknown call 'EnableSSO' (known calls: "),
        "{err}"
    );
}

#[test]
fn an_unknown_caller() {
    let (err, _) = replay_bad(
        "caller.json",
        &format!(r#"{{{HEAD}, "steps": [{{"caller": "root", "call": "EnableIdentityCenter"}}]}}"#),
    );
    assert!(
        err.ends_with(": step 1: caller 'root' is not an account (management or member-N)\n"),
        "{err}"
    );
}

#[test]
fn an_account_beyond_the_configuration() {
    let (err, _) = replay_bad(
        "member-99.json",
        &format!(
            r#"{{{HEAD}, "config": {{"members": 2}}, "steps": [
                {{"caller": "management", "call": "EnableIdentityCenter"}},
                {{"caller": "management", "call": "RegisterDelegatedAdministrator", "params": {{"AccountId": "member-99"}}}}]}}"#
        ),
    );
    assert!(
        err.ends_with(": step 2: member-99 is beyond the configuration (2 member accounts)\n"),
        "{err}"
    );
}

#[test]
fn a_missing_parameter() {
    let (err, _) = replay_bad(
        "param.json",
        &format!(r#"{{{HEAD}, "steps": [{{"caller": "management", "call": "CreateUser"}}]}}"#),
    );
    assert!(
        err.ends_with(": step 1: CreateUser needs parameter 'User' (its parameters: User)\n"),
        "{err}"
    );
}

#[test]
fn a_misspelt_field_names_its_line_and_column() {
    let (err, _) = replay_bad(
        "field.json",
        &format!("{{{HEAD},\n \"steps\": [\n  {{\"caller\": \"management\", \"cal\": \"EnableIdentityCenter\"}}]}}"),
    );
    assert!(err.contains(": line 3, column "), "{err}");
    assert!(err.contains("unknown field `cal`"), "{err}");
}

#[test]
fn one_bad_file_among_good_ones_is_reported_and_skipped() {
    let dir = scratch_dir("mixed");
    let good = dir.join("good.json");
    std::fs::write(
        &good,
        format!(
            r#"{{{HEAD}, "steps": [{{"caller": "management", "call": "EnableIdentityCenter"}}]}}"#
        ),
    )
    .unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{").unwrap();
    let out = idc(&[
        "replay".into(),
        "--json".into(),
        bad.clone().into_os_string(),
        good.clone().into_os_string(),
    ]);
    assert_eq!(code(&out), 2, "the worst result decides");
    assert_eq!(stderr(&out).lines().count(), 1);
    let doc: serde_json::Value = json(&out);
    assert_eq!(doc["traces"][0]["result"], "error");
    assert_eq!(
        doc["traces"][1]["result"], "reproduced",
        "the good file after the bad one"
    );
    // Replay from standard input.
    let text = std::fs::read(&good).unwrap();
    let mut child = std::process::Command::new(crate::common::idc_bin())
        .args(["replay", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child.stdin.take().unwrap().write_all(&text).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("idc replay: <stdin>"));
}

#[test]
fn export_rejects_bad_input_the_same_way() {
    let file = scratch_dir("export-bad").join("empty.json");
    std::fs::write(&file, "").unwrap();
    let out = idc(&[
        "export".into(),
        "--format".into(),
        "itf".into(),
        file.into_os_string(),
    ]);
    assert_eq!(code(&out), 2);
    assert_eq!(stderr(&out).lines().count(), 1);
    assert!(stdout(&out).is_empty());
}

#[test]
fn a_field_of_the_wrong_type_is_said_in_the_traces_words() {
    let (err, _) = replay_bad(
        "steps-string.json",
        &format!(r#"{{{HEAD}, "steps": "EnableIdentityCenter"}}"#),
    );
    assert!(
        err.contains(": line 1, column ") && err.contains("steps must be a list of steps"),
        "{err}"
    );
    assert!(err.ends_with(", not a string\n"), "{err}");
    let (err, _) = replay_bad("step-number.json", &format!(r#"{{{HEAD}, "steps": [3]}}"#));
    assert!(
        err.contains("steps, step 1: expected a JSON object"),
        "{err}"
    );
    let (err, _) = replay_bad(
        "config-practices.json",
        &format!(r#"{{{HEAD}, "config": {{"practices": "x"}}, "steps": []}}"#),
    );
    assert!(
        err.contains("config: practices must be a list of strings, not a string"),
        "{err}"
    );
    for jargon in ["invalid type", "expected a sequence", "struct StepRepr"] {
        assert!(!err.contains(jargon), "{err}");
    }
}

#[test]
fn a_misspelt_literal_is_not_called_an_ident() {
    let (err, _) = replay_bad(
        "literal.json",
        &format!(r#"{{{HEAD}, "steps": [], "description": tru}}"#),
    );
    assert!(
        err.contains("not a JSON value: expected true, false or null here"),
        "{err}"
    );
    assert!(!err.contains("ident"), "{err}");
}

/// `idc check --properties FILE` with a bad file: one line naming the file, the table or
/// property, and what it must be; exit 2.
fn properties_bad(name: &str, text: &str) -> String {
    let file = scratch_dir("bad-properties").join(name);
    std::fs::write(&file, text).unwrap();
    let out = idc(&[
        "check".into(),
        "--properties".into(),
        file.clone().into_os_string(),
    ]);
    let err = stderr(&out);
    assert_eq!(code(&out), 2, "{name}: {err}");
    assert_eq!(err.lines().count(), 1, "{name}: {err}");
    assert!(err.contains(&file.display().to_string()), "{name}: {err}");
    for jargon in ["untagged", "variant of", "invalid type", "sequence"] {
        assert!(!err.contains(jargon), "{name}: {err}");
    }
    err
}

#[test]
fn a_properties_file_of_the_wrong_shape_says_what_it_must_be() {
    let err = properties_bad("list.toml", "invariants = [\"delegate != none\"]\n");
    assert!(
        err.contains("'invariants' must be a table of NAME = \"EXPR\", not a list"),
        "{err}"
    );
    let err = properties_bad("number.toml", "[reachable]\nx = 3\n");
    assert!(err.contains("line 2, column 5: "), "{err}");
    assert!(
        err.contains("reachable.x: a property must be \"EXPR\" or a table with 'expression'"),
        "{err}"
    );
    let err = properties_bad("number.json", r#"{"invariants": {"x": [1]}}"#);
    assert!(err.contains("invariants.x: a property must be"), "{err}");
    let err = properties_bad(
        "no-expression.toml",
        "[invariants.x]\ndescription = \"none\"\n",
    );
    assert!(
        err.contains("invariants.x: 'expression' must be given"),
        "{err}"
    );
    let err = properties_bad("typo.toml", "[invariants.x]\nexpresion = \"true\"\n");
    assert!(
        err.contains("invariants.x: unknown key 'expresion'"),
        "{err}"
    );
}

#[test]
fn a_long_file_name_is_shown_whole() {
    let name = format!("{}.json", "a-long-descriptive-name-of-a-trace".repeat(6));
    let (err, _) = replay_bad(&name, "");
    assert!(err.contains(&format!("/{name}: empty file")), "{err}");
    assert!(!err.contains('…'), "{err}");
}
