//! `idc export --format aws-cli` and `idc replay --observed` (issue 20): the script is
//! valid bash with the account map and the API's parameter names; run with a stub `aws`,
//! it records one outcome per step, which `replay --observed` judges against the model.
//! (`tests/aws/exported.sh` runs the scripts against moto, where botocore validates every
//! request.)

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common::{code, idc, scratch_dir, stderr, stdout, workspace};

fn every_call() -> PathBuf {
    workspace().join("tests/aws/every-call.json")
}

fn export(trace: &Path) -> String {
    let out = idc(&[
        "export".into(),
        "--format".into(),
        "aws-cli".into(),
        trace.as_os_str().to_owned(),
    ]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    stdout(&out)
}

fn bash_n(script: &str, dir: &Path, name: &str) {
    let path = dir.join(name);
    std::fs::write(&path, script).unwrap();
    let out = Command::new("bash").arg("-n").arg(&path).output().unwrap();
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_script_is_bash_with_the_account_map() {
    let dir = scratch_dir("export_awscli_bash");
    let mut traces: Vec<PathBuf> = std::fs::read_dir(workspace().join("docs/scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    traces.sort();
    traces.push(every_call());
    for t in &traces {
        let s = export(t);
        let name = t.file_stem().unwrap().to_string_lossy().to_string();
        assert!(s.starts_with("#!/usr/bin/env bash\n"), "{name}");
        assert!(s.contains("CHANGES THE ORGANIZATION IT RUNS IN"), "{name}");
        assert!(
            s.contains("ACCOUNT_management=\"${ACCOUNT_management:-}\""),
            "{name}"
        );
        assert!(
            s.contains("ACCOUNT_member_1=\"${ACCOUNT_member_1:-}\""),
            "{name}"
        );
        assert!(
            s.contains("PROFILE_member_1=\"${PROFILE_member_1:-}\""),
            "{name}"
        );
        assert!(
            s.contains("IDC_OBSERVED=\"${IDC_OBSERVED:-observed.txt}\""),
            "{name}"
        );
        bash_n(&s, &dir, &format!("{name}.sh"));
    }
}

#[test]
fn the_script_names_the_api_parameters() {
    let s = export(&every_call());
    for p in [
        "sso-admin create-account-assignment",
        "--instance-arn \"$INSTANCE_ARN\"",
        "--permission-set-arn \"$PERMISSION_SET_1\"",
        "--principal-type USER",
        "--principal-type GROUP",
        "--principal-id \"$USER_1\"",
        "--target-type AWS_ACCOUNT",
        "--target-id \"$ACCOUNT_member_1\"",
        "--service-principal sso.amazonaws.com",
        "--identity-store-id \"$IDENTITY_STORE\"",
        "--member-id \"UserId=$USER_1\"",
        "--membership-id \"$MEMBERSHIP\"",
        "identitystore create-user",
        "ds create-microsoft-ad",
        "ds-data add-group-member",
        "organizations invite-account-to-organization",
        "--query PermissionSet.PermissionSetArn --output text",
        "membership_of management 1 1",
    ] {
        assert!(s.contains(p), "no `{p}` in the script");
    }
}

#[test]
fn the_fixture_makes_every_operation_of_the_model() {
    let text = std::fs::read_to_string(every_call()).unwrap();
    for (name, _) in idc_model::call::SIGNATURES {
        assert!(
            text.contains(&format!("\"call\": \"{name}\"")),
            "tests/aws/every-call.json never calls {name}: the moto run would not validate its command"
        );
    }
}

/// A stub of the AWS CLI: every call succeeds, but closing an account is refused, and
/// `list-instances` names one instance.
const STUB: &str = r#"#!/usr/bin/env bash
case "$*" in
  *"list-instances"*) printf 'arn:aws:sso:::instance/ssoins-1\td-1\n' ;;
  *"close-account"*) echo "An error occurred (ConstraintViolationException) when calling the CloseAccount operation: no" >&2; exit 254 ;;
  *) echo "id-$RANDOM" ;;
esac
"#;

/// Runs the exported script of `trace` with the stub on PATH; the outcomes file's text.
fn run_with_stub(trace: &Path, dir: &Path) -> String {
    let script = dir.join("script.sh");
    std::fs::write(&script, export(trace)).unwrap();
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let aws = bin.join("aws");
    std::fs::write(&aws, STUB).unwrap();
    Command::new("chmod").arg("+x").arg(&aws).status().unwrap();
    let observed = dir.join("observed.txt");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let out = Command::new("bash")
        .arg(&script)
        .env("PATH", path)
        .env("IDC_NO_PAUSE", "1")
        .env("IDC_OBSERVED", &observed)
        .env("ACCOUNT_management", "111111111111")
        .env("ACCOUNT_member_1", "222222222222")
        .env("ACCOUNT_member_2", "333333333333")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(observed).unwrap()
}

fn judge(observed: &Path, trace: &Path, json: bool) -> std::process::Output {
    let mut args = vec![
        "replay".into(),
        "--observed".into(),
        observed.as_os_str().to_owned(),
        trace.as_os_str().to_owned(),
    ];
    if json {
        args.push("--json".into());
    }
    idc(&args)
}

#[test]
fn the_script_records_outcomes_that_replay_judges() {
    let dir = scratch_dir("export_awscli_stub");
    let trace = workspace().join("docs/scenarios/14-member-closes-its-own-account.json");
    let observed = run_with_stub(&trace, &dir);
    let lines: Vec<&str> = observed.lines().collect();
    assert!(!lines.is_empty());
    assert!(
        lines.iter().all(|l| !l.contains(" usage-error ")),
        "{observed}"
    );
    // Console steps are skipped under IDC_NO_PAUSE=1; API steps are made.
    assert!(lines.iter().any(|l| l.contains(" skipped ")), "{observed}");
    let file = dir.join("observed.txt");
    let out = judge(&file, &trace, true);
    assert!(code(&out) <= 1, "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["format"], "idc-observed");
    assert_eq!(v["steps"].as_array().unwrap().len(), lines.len());
}

#[test]
fn replay_observed_agrees_or_names_the_first_difference() {
    let dir = scratch_dir("export_awscli_observed");
    let trace = workspace().join("docs/scenarios/05-delegate-cannot-register-or-deregister.json");
    // The model's own outcomes, as the script would record them.
    let r: Value = serde_json::from_str(&stdout(&idc(&[
        "replay".into(),
        "--json".into(),
        trace.as_os_str().to_owned(),
    ])))
    .unwrap();
    let script = export(&trace);
    let mut agreeing = String::from("# the model's outcomes\n");
    let mut n = 0;
    for line in script.lines() {
        // `# step N: CALL; the model: OUTCOME[ (reading ...)]`
        let Some((head, outcome)) = line.rsplit_once("; the model: ") else {
            continue;
        };
        let (step, call) = head
            .strip_prefix("# step ")
            .unwrap()
            .split_once(": ")
            .unwrap();
        let outcome = outcome.split(' ').next().unwrap();
        agreeing.push_str(&format!("{step} {outcome} {call}\n"));
        n += 1;
    }
    assert_eq!(n, r["traces"][0]["steps"].as_array().unwrap().len());
    let file = dir.join("agree.txt");
    std::fs::write(&file, &agreeing).unwrap();
    let out = judge(&file, &trace, false);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("\nagree ("), "{}", stdout(&out));

    // The last step observed otherwise: the first difference, exit 1.
    let mut lines: Vec<String> = agreeing.lines().map(String::from).collect();
    let last = lines.pop().unwrap();
    let mut parts = last.splitn(3, ' ');
    let (step, model, call) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        parts.next().unwrap(),
    );
    let other = if model == "ok" {
        "AccessDeniedException"
    } else {
        "ok"
    };
    lines.push(format!("{step} {other} {call}"));
    let file = dir.join("disagree.txt");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let out = judge(&file, &trace, false);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!(
            "disagree at step {step}: {call}: the model says {model}, observed {other}"
        )),
        "{}",
        stdout(&out)
    );
    let out = judge(&file, &trace, true);
    assert_eq!(code(&out), 1);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["result"], "disagree");
    assert_eq!(v["first_difference"], n - 1);
    let schemas = crate::common::schema::Schemas::load(&workspace().join("docs/schema"));
    let errors = schemas.errors("observed.schema.json", &v);
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn malformed_outcomes_files_are_usage_errors_naming_the_line() {
    let dir = scratch_dir("export_awscli_malformed");
    let trace = workspace().join("docs/scenarios/05-delegate-cannot-register-or-deregister.json");
    for (text, expect) in [
        ("1 ok\n", "bad.txt:1: `1 ok` is not `STEP OUTCOME CALL`"),
        (
            "\n7 ok management: EnableAWSServiceAccess\n",
            "bad.txt:2: step `7`, expected step 1",
        ),
        (
            "1 ok member-2: LeaveOrganization\n",
            "bad.txt:1: step 1 is `",
        ),
    ] {
        let file = dir.join("bad.txt");
        std::fs::write(&file, text).unwrap();
        let out = judge(&file, &trace, false);
        assert_eq!(code(&out), 2, "{text}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains(expect), "{err}");
    }
    let missing = dir.join("missing.txt");
    let out = judge(&missing, &trace, false);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("missing.txt"), "{}", stderr(&out));
    // One trace only.
    let out = idc(&[
        "replay".into(),
        "--observed".into(),
        missing.as_os_str().to_owned(),
        trace.as_os_str().to_owned(),
        trace.as_os_str().to_owned(),
    ]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("--observed"), "{}", stderr(&out));
}

#[test]
fn from_calls_come_first_and_are_recorded_as_such() {
    let dir = scratch_dir("export_awscli_from");
    let trace = dir.join("from.json");
    std::fs::write(
        &trace,
        r#"{"format": "idc-trace", "version": 2,
            "from": [{"caller": "management", "call": "EnableAWSServiceAccess"}],
            "steps": [{"caller": "management", "call": "RegisterDelegatedAdministrator", "params": {"AccountId": "member-1"}}]}"#,
    )
    .unwrap();
    let script = export(&trace);
    assert!(script.contains("# The trace's `from` calls"), "{script}");
    let observed = run_with_stub(&trace, &dir);
    assert_eq!(
        observed,
        "from-1 ok management: EnableAWSServiceAccess\n1 ok management: RegisterDelegatedAdministrator(AccountId=member-1)\n"
    );
    let out = judge(&dir.join("observed.txt"), &trace, false);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));
}
