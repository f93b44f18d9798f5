//! `idc explore` from the state on screen (docs/explore.md): `/api/v1/diagram` draws the
//! path's sequence diagram as SVG, `find` and `check` take `from=PATH` and answer paths
//! that start with it (so they replay from the root), and the check's progress lists the
//! properties found so far.

use idc_model::{Config, IdcModel};
use idc_sim::engine::properties::PropertySet;
use idc_sim::serve::Explorer;
use serde_json::Value;

fn explorer() -> Explorer {
    let model = IdcModel::new(Config {
        members: 1,
        ..Config::default()
    })
    .unwrap();
    Explorer::new(model, PropertySet::builtin(), 2, None)
}

fn ok(e: &Explorer, url: &str) -> Value {
    let r = e.handle("GET", url, b"");
    let v: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(r.status, 200, "{url}: {v}");
    v
}

/// The first `k` tokens of a path.
fn prefix(p: &str, k: usize) -> String {
    p.split(',').take(k).collect::<Vec<_>>().join(",")
}

/// A path of two accepted steps from the root: found by the API itself.
fn two_steps(e: &Explorer) -> String {
    let f = ok(e, "/api/v1/find?expr=delegate+%3D%3D+member-1");
    assert_eq!(f["result"], "found", "{f}");
    let path = f["path"].as_str().unwrap().to_string();
    assert!(path.split(',').count() >= 2, "{path}");
    prefix(&path, 1)
}

#[test]
fn the_diagram_is_svg_with_one_arrow_per_step() {
    let e = explorer();
    let here = two_steps(&e);
    let refused = ok(&e, &format!("/api/v1/state?path={here}"))["calls"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["outcomes"].as_array().unwrap().clone())
        .find(|o| o["accepted"] == false)
        .unwrap()["path"]
        .as_str()
        .unwrap()
        .to_string();
    let r = e.handle("GET", &format!("/api/v1/diagram?path={refused}"), b"");
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type, "image/svg+xml; charset=utf-8");
    let svg = String::from_utf8(r.body).unwrap();
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""),
        "{svg}"
    );
    assert!(svg.trim_end().ends_with("</svg>"));
    assert_eq!(svg.matches("<g class=\"step ").count(), 2, "{svg}");
    assert_eq!(svg.matches("<line class=\"arrow ").count(), 2);
    assert_eq!(svg.matches("<line class=\"arrow refused\"").count(), 1);
    assert!(svg.contains(">refused: "), "{svg}");
    // A bad path is a 400 in JSON, as everywhere.
    let r = e.handle("GET", "/api/v1/diagram?path=x", b"");
    assert_eq!(r.status, 400);
    assert_eq!(r.content_type, "application/json");
    let r = e.handle("POST", "/api/v1/diagram", b"");
    assert_eq!(r.status, 405);
}

#[test]
fn find_from_a_state_answers_a_path_that_starts_with_it() {
    let e = explorer();
    let here = two_steps(&e);
    let f = ok(
        &e,
        &format!("/api/v1/find?expr=delegate+%3D%3D+member-1&from={here}"),
    );
    assert_eq!(f["result"], "found", "{f}");
    assert_eq!(f["from"], here.as_str());
    let path = f["path"].as_str().unwrap();
    assert_eq!(prefix(path, 1), here, "{f}");
    assert_eq!(
        f["length"].as_u64().unwrap() as usize + 1,
        path.split(',').count(),
        "{f}"
    );
    // Without `from`, as before: no `from` field.
    assert!(ok(&e, "/api/v1/find?expr=delegate+%3D%3D+member-1")
        .get("from")
        .is_none());
    let r = e.handle(
        "GET",
        "/api/v1/find?expr=delegate+%3D%3D+member-1&from=9999",
        b"",
    );
    assert_eq!(r.status, 400);
}

#[test]
fn the_check_from_a_state_answers_paths_that_start_with_it_and_lists_discoveries() {
    let e = explorer();
    let root = ok(&e, "/api/v1/check");
    let progress = ok(&e, "/api/v1/check/progress");
    let found: Vec<(String, u64)> = root["properties"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["path"].is_string())
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["length"].as_u64().unwrap(),
            )
        })
        .collect();
    let listed: Vec<(String, u64)> = progress["found"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["name"].as_str().unwrap().to_string(),
                f["length"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(listed, found, "{progress}");
    assert!(root.get("from").is_none());

    let here = two_steps(&e);
    let c = ok(&e, &format!("/api/v1/check?from={here}"));
    assert_eq!(c["from"], here.as_str());
    assert_eq!(c["complete"], true);
    for p in c["properties"].as_array().unwrap() {
        if let Some(path) = p["path"].as_str() {
            assert_eq!(prefix(path, 1), here, "{p}");
            assert_eq!(
                p["length"].as_u64().unwrap() as usize + 1,
                path.split(',').count()
            );
        }
    }
    let progress = ok(&e, "/api/v1/check/progress");
    assert_eq!(progress["from"], here.as_str());
    // Each start is cached apart: the root's answer is still the root's.
    assert_eq!(ok(&e, "/api/v1/check"), root);
    assert_eq!(ok(&e, &format!("/api/v1/check?from={here}")), c);
}
