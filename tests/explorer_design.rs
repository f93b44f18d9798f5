//! `idc explore --design` (docs/explore.md): the page starts at the design's start state,
//! its config carries the design's names and threat model, it lists only the calls the
//! threat model allows, and the traces it writes record the design and replay. And
//! `idc replay` judges a trace's steps against its threat model (docs/trace-format.md).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use crate::common::{code, idc, idc_bin, json, scratch_dir, stderr, stdout, workspace};
use idc_model::{IdcModel, OpKind};
use idc_sim::engine::properties::PropertySet;
use idc_sim::engine::replay::start_of_steps;
use idc_sim::format::design;
use idc_sim::format::report::replay::replay;
use idc_sim::format::trace;
use idc_sim::serve::Explorer;
use serde_json::Value;

const DESIGN: &str = "tests/browser/design-members-1.toml";

fn explorer() -> Explorer {
    let d = design::read(&workspace().join(DESIGN)).unwrap();
    let model = IdcModel::new(d.config).unwrap();
    let start = start_of_steps(&model, &d.start, &d.names).unwrap();
    Explorer::new(model, PropertySet::builtin(), 2, None).with_start(start)
}

fn ok(e: &Explorer, url: &str) -> Value {
    let r = e.handle("GET", url, b"");
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(r.status, 200, "{url}: {v}");
    v
}

#[test]
fn the_config_names_the_accounts_and_says_the_threat_model() {
    let e = explorer();
    let m = ok(&e, "/api/v1/model");
    assert_eq!(m["config"]["accounts"]["management"], "org-root");
    assert_eq!(m["config"]["accounts"]["member-1"], "security-tooling");
    let summary = m["config"]["threat"]["summary"].as_str().unwrap();
    assert!(
        summary.contains("org-root (management) makes only"),
        "{summary}"
    );
    assert_eq!(m["start"], 1);
    // The API keeps the model's ids.
    assert!(m["calls"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| ["management", "member-1", "aws"].contains(&c["caller"].as_str().unwrap())));
}

#[test]
fn the_page_starts_at_the_design_start_with_only_permitted_calls() {
    let e = explorer();
    let s = ok(&e, "/api/v1/state?path=");
    // Identity Center is enabled: the start call ran.
    assert_eq!(s["state"]["identity_center"]["instance"], "management");
    assert_eq!(s["steps"].as_array().unwrap().len(), 0);
    let threat = e.model().config().threat;
    let calls = s["calls"].as_array().unwrap();
    assert!(!calls.is_empty());
    for c in calls {
        let caller = idc_model::Acct::parse(c["caller"].as_str().unwrap()).unwrap();
        let op = OpKind::parse(c["call"].as_str().unwrap()).unwrap();
        assert!(threat.permits(caller, op), "{c}");
    }
    assert!(!calls
        .iter()
        .any(|c| c["caller"] == "management" && c["call"] == "DeleteInstance"));
    assert!(!calls
        .iter()
        .any(|c| c["caller"] == "member-1" && c["call"] == "DeleteInstance"));
    assert!(calls
        .iter()
        .any(|c| c["caller"] == "management" && c["call"] == "RegisterDelegatedAdministrator"));
}

#[test]
fn a_downloaded_path_records_the_design_and_replays() {
    let e = explorer();
    let s = ok(&e, "/api/v1/state?path=");
    let register = s["calls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["caller"] == "management"
                && c["call"] == "RegisterDelegatedAdministrator"
                && c["params"]["AccountId"] == "member-1"
        })
        .unwrap();
    let path = register["outcomes"][0]["path"]
        .as_str()
        .unwrap()
        .to_string();
    let r = e.handle("GET", &format!("/api/v1/trace?path={path}"), b"");
    assert_eq!(r.status, 200);
    let text = String::from_utf8(r.body).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["from"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["steps"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["accounts"]["member-1"], "security-tooling", "{v}");
    assert!(v["config"]["threat"].is_object(), "{v}");
    let t = trace::parse(&text).unwrap();
    let report = replay("download.json", &t).unwrap();
    assert!(report.reproduced(), "{:?}", report.divergence);
    // Uploaded back, it leads to the same path.
    let r = e.handle("POST", "/api/v1/upload", text.as_bytes());
    let up: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(r.status, 200, "{up}");
    assert_eq!(up["path"], path);
}

#[test]
fn explore_design_serves_the_names_over_http() {
    let mut child = Command::new(idc_bin())
        .args(["explore", "--design", DESIGN, "--port", "0"])
        .args(["--forbid", "CreateAccountAssignment@org-root"])
        .current_dir(workspace())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line
        .strip_prefix("idc explore: serving http://127.0.0.1:")
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("{line}"));
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET /api/v1/model HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    let _ = s.read_to_string(&mut raw);
    let _ = child.kill();
    let _ = child.wait();
    let body = raw.split("\r\n\r\n").nth(1).unwrap();
    let m: Value = serde_json::from_str(body).unwrap();
    assert_eq!(m["config"]["accounts"]["member-1"], "security-tooling");
    let summary = m["config"]["threat"]["summary"].as_str().unwrap();
    assert!(
        summary.contains("org-root (management) makes only RegisterDelegatedAdministrator"),
        "{summary}"
    );
    assert!(!m["calls"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["caller"] == "management" && c["call"] == "CreateAccountAssignment"));
}

/// A trace of the initial state, with no threat model, in which the management account
/// deletes the instance: possible as such, not under the design (management makes only its
/// runbook's calls).
fn delete_instance_trace() -> String {
    r#"{"format": "idc-trace", "version": 2, "config": {"members": 1},
        "steps": [
          {"caller": "management", "call": "EnableIdentityCenter", "expect": "ok"},
          {"caller": "management", "call": "DeleteInstance", "params": {"Instance": "organization"}, "expect": "ok"}
        ]}"#
    .to_string()
}

#[test]
fn replay_design_judges_the_steps_against_its_threat_model() {
    let dir = scratch_dir("replay-design");
    let file = dir.join("delete.json");
    std::fs::write(&file, delete_instance_trace()).unwrap();
    let out = idc(&["replay", file.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = idc(&["replay", "--design", DESIGN, file.to_str().unwrap()]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("result: DIVERGED at step 1: outside the threat model: org-root (management) makes only "),
        "{text}"
    );
    assert!(text.contains("org-root (management)"), "{text}");
    let out = idc(&[
        "replay",
        "--json",
        "--design",
        DESIGN,
        file.to_str().unwrap(),
    ]);
    let v: Value = json(&out);
    assert_eq!(v["traces"][0]["divergence"]["kind"], "threat");
    assert_eq!(v["traces"][0]["divergence"]["step"], 1);
    // `idc state --design` replays it as `replay --design` does.
    let out = idc(&["state", "--design", DESIGN, file.to_str().unwrap()]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("outside the threat model: org-root (management)"),
        "{}",
        stderr(&out)
    );
    // Another size than the design's: an input error.
    std::fs::write(
        &file,
        delete_instance_trace().replace(r#""members": 1"#, r#""members": 2"#),
    )
    .unwrap();
    let out = idc(&["replay", "--design", DESIGN, file.to_str().unwrap()]);
    assert_eq!(code(&out), 2, "{}", stdout(&out));
    assert!(
        stderr(&out).contains("not the design's"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_diagram_names_the_accounts_by_the_design() {
    let e = explorer();
    let r = e.handle("GET", "/api/v1/diagram?path=", b"");
    assert_eq!(r.status, 200);
    let svg = String::from_utf8(r.body).unwrap();
    assert!(svg.contains(">org-root (management)</text>"), "{svg}");
    assert!(
        svg.contains(">from 1. EnableIdentityCenter</text>"),
        "{svg}"
    );
    assert!(svg.contains("start state: 1 from calls"), "{svg}");
}
