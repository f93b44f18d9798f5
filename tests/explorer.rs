//! `idc explore`'s JSON API (docs/explore.md): every endpoint, in process through
//! `Explorer::handle`, and the server itself over a socket — including bad requests, which
//! get a 4xx status and one line of JSON, never a panic.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use crate::common::{code, idc, idc_bin, stderr, stdout, workspace};
use idc_model::{Config, IdcModel};
use idc_sim::engine::properties::PropertySet;
use idc_sim::format::report::state::state_after;
use idc_sim::format::state::StateView;
use idc_sim::format::trace;
use idc_sim::serve::{Explorer, Response};
use serde_json::Value;

const GROUP: &str = "docs/scenarios/07-delegate-edits-group-membership.json";

fn explorer(members: u8) -> Explorer {
    let model = IdcModel::new(Config {
        members,
        ..Config::default()
    })
    .unwrap();
    Explorer::new(model, PropertySet::builtin(), 2, None)
}

fn get(e: &Explorer, url: &str) -> (u16, Value) {
    let r = e.handle("GET", url, b"");
    (r.status, body(&r))
}

fn body(r: &Response) -> Value {
    assert_eq!(r.content_type, "application/json");
    serde_json::from_slice(&r.body).unwrap_or_else(|e| panic!("{e}: {:?}", r.body))
}

fn ok(e: &Explorer, url: &str) -> Value {
    let (status, v) = get(e, url);
    assert_eq!(status, 200, "{url}: {v}");
    v
}

/// A bad request: its status, and one line of JSON naming what is wrong.
fn bad(e: &Explorer, method: &str, url: &str, body_: &[u8], status: u16, says: &str) {
    let r = e.handle(method, url, body_);
    let v = body(&r);
    assert_eq!(r.status, status, "{method} {url}: {v}");
    let line = v["error"].as_str().unwrap();
    assert!(!line.contains('\n'), "{line}");
    assert!(line.contains(says), "{method} {url}: {line}");
}

#[test]
fn the_model_endpoint_names_calls_properties_and_traces() {
    let mut e = explorer(2);
    let t = trace::read(&workspace().join(GROUP)).unwrap();
    e.add_trace(GROUP, &t).unwrap();
    let m = ok(&e, "/api/v1/model");
    assert_eq!(m["format"], "idc-explore");
    assert_eq!(m["version"], 1);
    assert_eq!(m["model"], idc_model::MODEL_VERSION);
    assert_eq!(m["config"]["members"], 2);
    let calls = m["calls"].as_array().unwrap();
    assert_eq!(calls.len(), e.model().calls().len());
    assert!(calls.iter().any(|c| c["caller"] == "management"
        && c["call"] == "RegisterDelegatedAdministrator"
        && c["params"]["AccountId"] == "member-1"));
    let names: Vec<&str> = m["properties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for p in idc_model::PROPERTIES {
        assert!(names.contains(&p.name), "{}", p.name);
    }
    assert_eq!(m["traces"][0]["file"], GROUP);
    assert_eq!(m["traces"][0]["steps"], 8);
}

/// The initial state by name; every outcome of every call is a path that leads to the
/// state after it, and refused calls carry their exception and rule.
#[test]
fn the_state_endpoint_offers_every_call_with_every_outcome() {
    let e = explorer(1);
    let s = ok(&e, "/api/v1/state?path=");
    assert_eq!(s["path"], "");
    assert_eq!(s["steps"], serde_json::json!([]));
    assert_eq!(
        s["state"]["organization"]["accounts"][0]["account"],
        "management"
    );
    assert_eq!(s["state"]["organization"]["trusted_access"], false);
    assert!(s["properties"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["holds"] == (p["kind"] == "always")));
    let calls = s["calls"].as_array().unwrap();
    assert_eq!(calls.len(), e.model().calls().len());
    let refused = calls
        .iter()
        .find(|c| c["caller"] == "member-1" && c["call"] == "RegisterDelegatedAdministrator")
        .unwrap();
    let o = &refused["outcomes"][0];
    assert_eq!(o["accepted"], false);
    assert_eq!(o["outcome"]["error"], "AccessDeniedException");
    assert_eq!(o["outcome"]["rule"], "DA-1");
    assert_eq!(o["rule"]["id"], "DA-1");
    assert!(o["rule"]["summary"]
        .as_str()
        .unwrap()
        .contains("management account"));
    // Each outcome's path leads to a state whose last step is that call, that outcome.
    for c in calls {
        for o in c["outcomes"].as_array().unwrap() {
            let path = o["path"].as_str().unwrap();
            let next = ok(&e, &format!("/api/v1/state?path={path}"));
            let step = &next["steps"][0];
            assert_eq!(step["call"], c["call"]);
            assert_eq!(step["caller"], c["caller"]);
            assert_eq!(step["outcome"], o["outcome"], "{path}");
            assert_eq!(step["changes"], o["changes"], "{path}");
            assert_eq!(next["path"], path);
            // `violates`: the always-properties failing in the next state.
            let failing: Vec<&Value> = next["properties"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| p["kind"] == "always" && p["holds"] == false)
                .map(|p| &p["name"])
                .collect();
            let violates: Vec<&Value> = o["violates"].as_array().unwrap().iter().collect();
            if o["accepted"] == true {
                assert_eq!(violates, failing, "{path}");
            } else {
                assert!(violates.is_empty(), "{path}");
            }
        }
    }
}

/// A trace's path, step by step, shows the states `idc state` shows.
#[test]
fn a_trace_walked_step_by_step_shows_the_states_of_idc_state() {
    let mut e = explorer(2);
    let t = trace::read(&workspace().join(GROUP)).unwrap();
    e.add_trace(GROUP, &t).unwrap();
    let path = ok(&e, "/api/v1/model")["traces"][0]["path"]
        .as_str()
        .unwrap()
        .to_string();
    let tokens: Vec<&str> = path.split(',').collect();
    for n in 0..=tokens.len() {
        let prefix = tokens[..n].join(",");
        let s = ok(&e, &format!("/api/v1/state?path={prefix}"));
        let expected = state_after(GROUP, &t, n).unwrap();
        let expected = serde_json::to_value(&expected.state).unwrap();
        assert_eq!(s["state"], expected, "after step {n}");
        assert_eq!(s["steps"].as_array().unwrap().len(), n);
        let failing: Vec<&str> = s["properties"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["kind"] == "always" && p["holds"] == false)
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        if n > 0 {
            assert_eq!(serde_json::json!(failing), s["steps"][n - 1]["failing"]);
        }
    }
    // The state JSON has names, never bitsets.
    let s = ok(&e, &format!("/api/v1/state?path={path}"));
    let _: StateView = serde_json::from_value(s["state"].clone()).unwrap();
}

/// The download is a trace file that `idc replay` reproduces; the diagram is Mermaid.
#[test]
fn the_trace_download_replays_and_the_diagram_is_mermaid() {
    let e = explorer(1);
    let check = ok(&e, "/api/v1/check");
    let dir = crate::common::scratch_dir("explore-download");
    let mut replayed = 0;
    for p in check["properties"].as_array().unwrap() {
        let Some(path) = p["path"].as_str() else {
            continue;
        };
        let r = e.handle("GET", &format!("/api/v1/trace?path={path}"), b"");
        assert_eq!(r.status, 200);
        assert_eq!(r.attachment, Some("idc-explore.json"));
        let file = dir.join(format!("{}.json", p["name"].as_str().unwrap()));
        std::fs::write(&file, &r.body).unwrap();
        let out = idc(&["replay", file.to_str().unwrap()]);
        assert_eq!(code(&out), 0, "{}", stdout(&out));
        replayed += 1;
        let m = ok(&e, &format!("/api/v1/mermaid?path={path}"));
        let text = m["mermaid"].as_str().unwrap();
        assert!(text.starts_with("sequenceDiagram\n"), "{text}");
    }
    assert!(replayed >= 10, "{replayed}");
}

/// A counterexample downloaded keeps its claim (docs/explore.md): the page passes the
/// claim of what it loaded, and the download says it when the path still reaches the
/// claimed step with the property violated (or exemplified) there; `idc replay` confirms
/// it. A path that does not reach it, or went elsewhere, loses the claim.
#[test]
fn the_trace_download_keeps_the_claim_of_the_counterexample() {
    let mut e = explorer(1);
    let check = ok(&e, "/api/v1/check");
    let p = check["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "delegate-is-active-member")
        .unwrap();
    let (name, path) = (p["name"].as_str().unwrap(), p["path"].as_str().unwrap());
    let length = p["length"].as_u64().unwrap() as usize;
    let dir = crate::common::scratch_dir("explore-claim");
    let download = |url: &str| -> idc_sim::engine::trace::Trace {
        let r = e.handle("GET", url, b"");
        assert_eq!(r.status, 200, "{url}: {}", String::from_utf8_lossy(&r.body));
        trace::parse(std::str::from_utf8(&r.body).unwrap()).unwrap()
    };
    let t = download(&format!("/api/v1/trace?path={path}&claim={name}"));
    let claim = t.claim.as_ref().expect("the claim is kept");
    assert_eq!((claim.name(), claim.step), (name, length));
    let file = dir.join("claimed.json");
    std::fs::write(&file, trace::to_json(&t)).unwrap();
    let out = idc(&["replay", file.to_str().unwrap()]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(stdout(&out).contains(name), "{}", stdout(&out));
    let t = download(&format!(
        "/api/v1/trace?path={path}&claim={name}&step={length}"
    ));
    assert_eq!(t.claim.map(|c| c.step), Some(length));
    // A prefix that stops before the claimed step, or a path elsewhere: no claim.
    let prefix: Vec<&str> = path.split(',').take(length - 1).collect();
    let t = download(&format!(
        "/api/v1/trace?path={}&claim={name}&step={length}",
        prefix.join(",")
    ));
    assert!(t.claim.is_none());
    let t = download(&format!("/api/v1/trace?path=&claim={name}"));
    assert!(t.claim.is_none());
    bad(
        &e,
        "GET",
        &format!("/api/v1/trace?path={path}&claim=nope"),
        b"",
        400,
        "nope",
    );
    bad(
        &e,
        "GET",
        &format!("/api/v1/trace?path={path}&claim={name}&step=x"),
        b"",
        400,
        "step",
    );
    // A trace given with a claim (or uploaded) tells the page its claim, in steps of its
    // path.
    let out = idc(&["check", "--members", "1", "--out", dir.to_str().unwrap()]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let written = dir.join(format!("{name}.json"));
    let t = trace::read(&written).unwrap();
    e.add_trace("t.json", &t).unwrap();
    let m = ok(&e, "/api/v1/model");
    assert_eq!(m["traces"][0]["claim"]["property"], name, "{m}");
    assert_eq!(m["traces"][0]["claim"]["step"], 3, "{m}");
    let r = e.handle("POST", "/api/v1/upload", &std::fs::read(&written).unwrap());
    let v = body(&r);
    assert_eq!(v["claim"]["property"], name, "{v}");
    assert_eq!(v["claim"]["step"], 3, "{v}");
}

/// The check's verdicts and lengths are those of `idc check`, and each path leads where
/// the property is found.
#[test]
fn the_check_endpoint_agrees_with_idc_check() {
    let e = explorer(1);
    let before = ok(&e, "/api/v1/check/progress");
    assert_eq!(before, serde_json::json!({"running": false, "done": false}));
    let api = ok(&e, "/api/v1/check");
    assert_eq!(api["complete"], true);
    // Its progress, once it ran: the final count of states and of discoveries.
    let progress = ok(&e, "/api/v1/check/progress");
    assert_eq!(progress["running"], false, "{progress}");
    assert_eq!(progress["done"], true, "{progress}");
    assert_eq!(progress["complete"], true, "{progress}");
    assert_eq!(progress["states"], api["states"], "{progress}");
    let found = api["properties"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["path"].is_string())
        .count();
    assert_eq!(progress["discoveries"], found, "{progress}");
    let cli: Value =
        serde_json::from_str(&stdout(&idc(&["check", "--members", "1", "--json"]))).unwrap();
    let api_props = api["properties"].as_array().unwrap();
    let cli_props = cli["properties"].as_array().unwrap();
    assert_eq!(api_props.len(), cli_props.len());
    for (a, c) in api_props.iter().zip(cli_props) {
        assert_eq!(a["name"], c["name"]);
        assert_eq!(a["verdict"], c["verdict"], "{}", a["name"]);
        let length = c["trace"].as_array().map(Vec::len);
        assert_eq!(a["length"].as_u64().map(|n| n as usize), length);
        if let Some(path) = a["path"].as_str() {
            let s = ok(&e, &format!("/api/v1/state?path={path}"));
            let p = s["properties"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["name"] == a["name"])
                .unwrap();
            assert_eq!(p["holds"], a["kind"] == "sometimes", "{}", a["name"]);
        }
    }
    // Cached: the second answer is the first.
    assert_eq!(ok(&e, "/api/v1/check"), api);
}

#[test]
fn the_find_endpoint_finds_the_shortest_path_or_says_why_not() {
    let e = explorer(1);
    let f = ok(
        &e,
        "/api/v1/find?expr=delegate+%3D%3D+member-1+%26%26+source+%3D%3D+active-directory(member-1)",
    );
    assert_eq!(f["result"], "found");
    let cli: Value = serde_json::from_str(&stdout(&idc(&[
        "find",
        "delegate == member-1 && source == active-directory(member-1)",
        "--members",
        "1",
        "--json",
    ])))
    .unwrap();
    assert_eq!(
        f["length"].as_u64().unwrap() as usize,
        cli["trace"].as_array().unwrap().len()
    );
    let s = ok(
        &e,
        &format!("/api/v1/state?path={}", f["path"].as_str().unwrap()),
    );
    assert_eq!(
        s["state"]["registry"]["delegated_administrators"],
        serde_json::json!(["member-1"])
    );
    // Model 3: a closed delegate removed by AWS may stay registered (Q7), outside the
    // organization; the management account is never a delegate (DA-2).
    let outside = ok(
        &e,
        "/api/v1/find?expr=delegate%20==%20member-1%20%26%26%20!in-org(member-1)",
    );
    assert_eq!(outside["result"], "found");
    let none = ok(&e, "/api/v1/find?expr=delegate%20==%20management");
    assert_eq!(none["result"], "not-found");
    bad(
        &e,
        "GET",
        "/api/v1/find?expr=delegate%20==",
        b"",
        400,
        "column 12",
    );
    bad(&e, "GET", "/api/v1/find", b"", 400, "expr is missing");
    bad(
        &e,
        "GET",
        "/api/v1/find?expr=member-9",
        b"",
        400,
        "expression",
    );
}

#[test]
fn the_upload_endpoint_takes_a_trace_of_the_same_configuration() {
    let e = explorer(2);
    let text = std::fs::read(workspace().join(GROUP)).unwrap();
    let r = e.handle("POST", "/api/v1/upload", &text);
    let v = body(&r);
    assert_eq!(r.status, 200, "{v}");
    assert_eq!(v["steps"], 8);
    let s = ok(
        &e,
        &format!("/api/v1/state?path={}", v["path"].as_str().unwrap()),
    );
    assert_eq!(s["steps"].as_array().unwrap().len(), 8);
    assert_eq!(v["divergence"], Value::Null);
    // A trace that does not replay as written is explored as the model runs it, and the
    // answer says where it differs (as idc replay does).
    let diverging = String::from_utf8(text.clone()).unwrap().replacen(
        "\"expect\": \"ok\"",
        "\"expect\": {\"error\": \"AccessDeniedException\"}",
        1,
    );
    let r = e.handle("POST", "/api/v1/upload", diverging.as_bytes());
    let v = body(&r);
    assert_eq!(r.status, 200, "{v}");
    assert_eq!(v["divergence"]["step"], 1, "{v}");
    assert!(v["divergence"]["reason"]
        .as_str()
        .unwrap()
        .starts_with("expected "));
    bad(&e, "POST", "/api/v1/upload", b"{", 400, "upload: ");
    bad(&e, "POST", "/api/v1/upload", b"\xff\xfe", 400, "not UTF-8");
    bad(&e, "POST", "/api/v1/upload", b"", 400, "upload: ");
    let small = explorer(1);
    bad(
        &small,
        "POST",
        "/api/v1/upload",
        &text,
        400,
        "members: the trace says 2, the explorer 1",
    );
    bad(&e, "GET", "/api/v1/upload", b"", 405, "use POST");
    let huge = vec![b' '; (16 << 20) + 1];
    bad(&e, "POST", "/api/v1/upload", &huge, 413, "16 MiB");
}

#[test]
fn bad_paths_and_requests_are_4xx_with_one_line() {
    let e = explorer(1);
    let calls = e.model().calls().len();
    bad(
        &e,
        "GET",
        "/api/v1/state?path=x",
        b"",
        400,
        "step 1: expected CALL",
    );
    bad(&e, "GET", "/api/v1/state?path=1,", b"", 400, "step 2");
    bad(&e, "GET", "/api/v1/state?path=1.2.3", b"", 400, "step 1");
    bad(
        &e,
        "GET",
        &format!("/api/v1/state?path={calls}"),
        b"",
        400,
        &format!("no call {calls}"),
    );
    bad(
        &e,
        "GET",
        "/api/v1/state?path=0.7",
        b"",
        400,
        "no outcome 7",
    );
    let long = vec!["0"; 1001].join(",");
    bad(
        &e,
        "GET",
        &format!("/api/v1/state?path={long}"),
        b"",
        400,
        "1001 steps",
    );
    bad(&e, "GET", "/api/v1/state?path=%zz", b"", 400, "bad escape");
    bad(
        &e,
        "GET",
        "/api/v1/state?path=1&path=2",
        b"",
        400,
        "given twice",
    );
    bad(&e, "GET", "/api/v1/trace?path=%0a", b"", 400, "path");
    bad(&e, "GET", "/api/v1/nope", b"", 404, "no such page");
    bad(&e, "GET", "/../../etc/passwd", b"", 404, "no such page");
    bad(&e, "DELETE", "/api/v1/state", b"", 405, "use GET");
    bad(&e, "POST", "/", b"", 405, "use GET");
    // A name in an error is escaped and cut: still one line.
    let newline = format!("/{}%0a{}", "a".repeat(500), "b");
    bad(&e, "GET", &newline, b"", 404, "no such page");
    // The page and its assets are embedded.
    for (url, kind) in [
        ("/", "text/html"),
        ("/assets/app.js", "text/javascript"),
        ("/assets/app.css", "text/css"),
    ] {
        let r = e.handle("GET", url, b"");
        assert_eq!(r.status, 200);
        assert!(r.content_type.starts_with(kind));
        assert!(!r.body.is_empty());
    }
}

/// Issue 21: "1 steps". The page says a number of steps through one helper that makes
/// "1 step" singular, never by gluing a number to " steps".
#[test]
fn the_page_says_one_step() {
    let e = explorer(1);
    let r = e.handle("GET", "/assets/app.js", b"");
    let js = String::from_utf8_lossy(&r.body);
    assert!(js.contains("n === 1 ? ' step' : ' steps'"));
    let glued: Vec<&str> = js
        .lines()
        .filter(|l| l.contains("+ ' steps") && !l.contains("n === 1"))
        .collect();
    assert!(glued.is_empty(), "{glued:#?}");
}

/// The server, as a user starts it.
struct Server {
    child: Child,
    port: u16,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = Command::new(idc_bin())
            .arg("explore")
            .args(args)
            .current_dir(workspace())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .strip_prefix("idc explore: serving http://127.0.0.1:")
            .and_then(|r| r.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("{line}"));
        Server { child, port }
    }

    /// One HTTP/1.0 request (no chunked answer to decode); the status, the head and the body.
    fn request(&self, method: &str, target: &str, body: &[u8]) -> (u16, String, Vec<u8>) {
        let mut s = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            s,
            "{method} {target} HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .unwrap();
        let _ = s.write_all(body);
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, head, raw[split + 4..].to_vec())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_server_answers_over_http_on_loopback() {
    let server = Server::start(&["--members", "1", "--port", "0"]);
    let (status, head, page) = server.request("GET", "/", b"");
    assert_eq!(status, 200);
    assert!(head.contains("Content-Type: text/html"), "{head}");
    assert!(!page.is_empty());
    let (status, _, state) = server.request("GET", "/api/v1/state?path=", b"");
    assert_eq!(status, 200);
    let state: Value = serde_json::from_slice(&state).unwrap();
    assert_eq!(
        state["state"]["organization"]["accounts"][1]["account"],
        "member-1"
    );
    let (status, head, _) = server.request("POST", "/api/v1/state", b"");
    assert_eq!(status, 405);
    assert!(head.contains("Allow: GET"), "{head}");
    let (status, _, err) = server.request("GET", "/api/v1/state?path=zz", b"");
    assert_eq!(status, 400);
    assert!(String::from_utf8_lossy(&err).contains("\"error\""));
    let (status, head, _) = server.request("GET", "/api/v1/trace?path=0", b"");
    assert_eq!(status, 200);
    assert!(
        head.contains("attachment; filename=\"idc-explore.json\""),
        "{head}"
    );
    let upload = std::fs::read(workspace().join("docs/scenarios/01-register-member-account.json"))
        .unwrap_or_default();
    let (status, _, _) = server.request("POST", "/api/v1/upload", &upload);
    assert!(status == 200 || status == 400, "{status}");
    // Still serving after all that.
    assert_eq!(server.request("GET", "/api/v1/model", b"").0, 200);
}

#[test]
fn bad_command_lines_exit_2_and_a_busy_port_exits_3() {
    let out = idc(&["explore", "--members", "1", "--port", "0", GROUP]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("contradicts the trace"),
        "{}",
        stderr(&out)
    );
    let out = idc(&["explore", "/nonexistent.json"]);
    assert_eq!(code(&out), 2);
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    let out = idc(&["explore", "--invariant", "x=delegate =="]);
    assert_eq!(code(&out), 2);
    let out = idc(&["explore", "--bind", "not-an-address"]);
    assert_eq!(code(&out), 2);
    let server = Server::start(&["--members", "1", "--port", "0"]);
    let port = server.port.to_string();
    let out = idc(&["explore", "--members", "1", "--port", &port]);
    assert_eq!(code(&out), 3, "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("idc: cannot serve on 127.0.0.1:"),
        "{}",
        stderr(&out)
    );
}

/// `idc explore TRACE` with model flags explores the trace under the flags over its
/// configuration (docs/explore.md), with `--assume`, `--practice` and `--relax` alike; two
/// traces of different configurations are refused in one short line naming only the keys
/// that differ.
#[test]
fn the_model_flags_apply_over_the_traces_given() {
    let dir = crate::common::scratch_dir("explore-flags");
    let out = idc(&["check", "--members", "1", "--out", dir.to_str().unwrap()]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let t = dir.join("delegate-is-active-member.json");
    let t = t.to_str().unwrap();
    let server = Server::start(&["--assume", "close-delegate=refused", "--port", "0", t]);
    let (status, _, m) = server.request("GET", "/api/v1/model", b"");
    assert_eq!(status, 200);
    let m: Value = serde_json::from_slice(&m).unwrap();
    let close = m["config"]["assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["key"] == "close-delegate")
        .unwrap();
    assert_eq!(close["value"], "refused", "{m}");
    // Under `refused` the trace's third call takes a branch that is not there: it is
    // still offered, diverging where `idc replay --assume close-delegate=refused` does.
    assert_eq!(m["traces"][0]["divergence"]["step"], 3, "{m}");
    drop(server);
    for flags in [
        ["--practice", "users-only-in-management"],
        ["--relax", "DA-7"],
    ] {
        let server = Server::start(&[flags[0], flags[1], "--port", "0", t]);
        assert_eq!(server.request("GET", "/api/v1/model", b"").0, 200);
    }
    // Two traces of different configurations: only the differing key is named.
    let text = std::fs::read_to_string(t).unwrap();
    let other = dir.join("other.json");
    std::fs::write(
        &other,
        text.replacen(
            "\"close-delegate\": \"either\"",
            "\"close-delegate\": \"refused\"",
            1,
        ),
    )
    .unwrap();
    let out = idc(&["explore", "--port", "0", t, other.to_str().unwrap()]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("close-delegate"), "{err}");
    assert!(err.contains("refused") && err.contains("either"), "{err}");
    assert!(!err.contains("src2-location"), "{err}");
    assert!(err.len() < 300, "{} characters: {err}", err.len());
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn routes() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("/api/v1/state".to_string()),
            Just("/api/v1/trace".to_string()),
            Just("/api/v1/mermaid".to_string()),
            Just("/api/v1/find".to_string()),
            Just("/api/v1/upload".to_string()),
            Just("/api/v1/model".to_string()),
            Just("/".to_string()),
            "/[ -~]{0,30}",
        ]
    }

    fn queries() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "[0-9]{1,3}(\\.[0-9])?(,[0-9]{1,3}(\\.[0-9])?){0,6}".prop_map(|p| format!("?path={p}")),
            "[ -~]{0,40}".prop_map(|q| format!("?{q}")),
            "[ -~]{0,40}".prop_map(|q| format!("?expr={q}")),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Whatever the request, the answer is a status the API documents and, for the
        /// API, one JSON document (an error being one line).
        #[test]
        fn any_request_gets_a_documented_answer(
            method in prop_oneof![Just("GET".to_string()), Just("POST".to_string()), Just("PUT".to_string()), "[A-Z]{1,7}"],
            route in routes(),
            query in queries(),
            body in proptest::collection::vec(any::<u8>(), 0..200),
        ) {
            let e = explorer(1);
            let url = format!("{route}{query}");
            let r = e.handle(&method, &url, &body);
            prop_assert!([200, 400, 404, 405, 413].contains(&r.status), "{} {url}: {}", method, r.status);
            if r.content_type == "application/json" {
                let v: Value = serde_json::from_slice(&r.body).unwrap();
                if r.status != 200 {
                    let line = v["error"].as_str().unwrap();
                    prop_assert!(!line.contains('\n'));
                    prop_assert!(line.len() < 2_000, "{}", line.len());
                }
            }
        }
    }
}

/// Issue 21: the show endpoint gives an expression's value (a boolean, or a value such as
/// `delegate`) in every state of a path, step 0 first, as `idc replay --show` does; a bad
/// expression is a 400 with one line.
#[test]
fn the_show_endpoint_gives_a_column_of_values_along_the_path() {
    let e = explorer(1);
    let f = ok(&e, "/api/v1/find?expr=delegate+%3D%3D+member-1");
    let path = f["path"].as_str().unwrap();
    let n = f["length"].as_u64().unwrap() as usize;
    let d = ok(&e, &format!("/api/v1/show?path={path}&expr=delegate"));
    assert_eq!(d["expr"], "delegate");
    let values = d["values"].as_array().unwrap();
    assert_eq!(values.len(), n + 1, "{d}");
    assert_eq!(values[0], "none");
    assert_eq!(values[n], "member-1");
    let b = ok(
        &e,
        &format!("/api/v1/show?path={path}&expr=registered(member-1)"),
    );
    let flags: Vec<bool> = b["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_bool().unwrap())
        .collect();
    assert_eq!(flags.len(), n + 1);
    assert!(!flags[0] && flags[n], "{b}");
    // The initial state alone: one value.
    let init = ok(&e, "/api/v1/show?path=&expr=source");
    assert_eq!(
        init["values"],
        serde_json::json!(["identity-center-directory"])
    );
    bad(
        &e,
        "GET",
        "/api/v1/show?path=&expr=delegate+%3D%3D",
        b"",
        400,
        "expression: column 12",
    );
    bad(&e, "GET", "/api/v1/show?path=", b"", 400, "expr is missing");
    bad(&e, "POST", "/api/v1/show?expr=delegate", b"", 405, "GET");
}
