//! The `idc` binary's "what if" commands, end to end.

use crate::common::{idc, json};

/// One concrete reading per `either` assumption (the first model's where it had the
/// assumption; model 3's Q6, Q7, Q8 and Q9 read as the seed page does): the matrix asks
/// what a guard is worth, which `either` hides when its property is already violated by
/// another reading.
const CONCRETE: &[&str] = &[
    "--assume",
    "disable-trusted-access-with-delegate=keeps-registration",
    "--assume",
    "close-delegate=refused",
    "--assume",
    "src2-enforced-at=source-change",
    "--assume",
    "departed-account-assignments=deleted",
    "--assume",
    "ad-sync-on-connect=off",
    "--assume",
    "last-assignment-deprovisions=keeps-provisioned",
    "--assume",
    "management-user-access=assignment-calls",
    "--assume",
    "closed-delegate-at-removal=deregisters",
    "--assume",
    "api-enforces-da9=enforced",
    "--assume",
    "src2-location=delegate-if-registered",
];

/// Must show 2: `--matrix --json` lists every guard with what its relaxation breaks.
#[test]
fn matrix_json_lists_every_guard() {
    let mut args = vec!["check", "--matrix", "--json", "--members", "1"];
    args.extend(CONCRETE);
    let out = idc(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    let rules = v["rules"].as_array().unwrap();
    let relaxable: Vec<_> = idc_model::Rule::ALL
        .iter()
        .filter(|r| r.relaxable())
        .collect();
    assert_eq!(rules.len(), relaxable.len());
    for (row, rule) in rules.iter().zip(relaxable) {
        assert_eq!(row["name"], rule.id());
        assert!(row["breaks"].is_array());
        for c in row["changes"].as_array().unwrap() {
            if c["effect"] == "breaks" {
                let trace = c["trace"].as_array().unwrap();
                assert_eq!(trace.len() as u64, c["now"]["length"].as_u64().unwrap());
            }
        }
    }
    // DA-1 used to break nothing: the property the matrix showed missing now catches it.
    let da1 = rules.iter().find(|r| r["name"] == "DA-1").unwrap();
    assert_eq!(da1["breaks"][0], "registry-changed-only-by-management");
    let da2 = rules.iter().find(|r| r["name"] == "DA-2").unwrap();
    assert_eq!(da2["breaks"][0], "delegate-is-active-member");
    // ORG-4 with Q5 `deleted`: relaxed, an assignment to a departed account stays.
    let org4 = rules.iter().find(|r| r["name"] == "ORG-4").unwrap();
    assert_eq!(org4["breaks"][0], "no-assignment-to-inactive-account");
    assert!(v["rules_breaking_nothing"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r == "ORG-1"));
    assert_eq!(v["practices"].as_array().unwrap().len(), 3);
}

#[test]
fn matrix_refuses_expect() {
    let out = idc(&[
        "check",
        "--matrix",
        "--expect",
        "at-most-one-delegated-admin=holds",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let first = err.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("error: ") && first.contains("--expect"),
        "{err}"
    );
}

/// `--whole` is `check`'s alone: every matrix row is split where the slice applies.
#[test]
fn matrix_refuses_whole() {
    let out = idc(&["check", "--matrix", "--whole"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let first = err.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("error: ") && first.contains("--whole") && first.contains("--matrix"),
        "{err}"
    );
}

/// Must show 1, with a depth bound that keeps a debug build fast (BFS: the bound does not
/// change the shortest counterexample, 3 calls).
#[test]
fn relax_da7_finds_two_delegates() {
    let out = idc(&["check", "--relax", "DA-7", "--max-depth", "3", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let v = json(&out);
    let p = v["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "at-most-one-delegated-admin")
        .unwrap();
    assert_eq!(p["verdict"], "violated");
    assert_eq!(p["trace"].as_array().unwrap().len(), 3);
}

#[test]
fn symmetry_reports_its_reduction() {
    let out = idc(&[
        "check",
        "--members",
        "2",
        "--max-depth",
        "5",
        "--symmetry",
        "--json",
    ]);
    let v = json(&out);
    let sym = &v["states"]["symmetry"];
    assert!(sym["reduction"].as_f64().unwrap() > 1.0);
    assert!(sym["unreduced"].as_u64().unwrap() > v["states"]["unique"].as_u64().unwrap());
}

#[test]
fn recover_exit_codes() {
    // Model 3: the management account may close itself once it has no members, and then
    // signs in nowhere: those states are counted apart and left out of the verdict. With
    // DeleteInstance and Q7 read `deregisters` (no registration left outside the
    // organization) they are the only stuck states: exit 0.
    let closed = idc(&[
        "recover",
        "--members",
        "1",
        "--json",
        "--assume",
        "closed-delegate-at-removal=deregisters",
    ]);
    assert_eq!(closed.status.code(), Some(0));
    let v = json(&closed);
    assert_eq!(v["result"], "ok");
    assert!(v["stuck"].as_u64().unwrap() > 0);
    assert_eq!(v["stuck"], v["stuck_management_closed"]);
    let trace = v["first_stuck"]["trace"].as_array().unwrap();
    assert_eq!(trace.last().unwrap()["call"], "CloseOwnAccount");
    assert_eq!(trace.last().unwrap()["caller"], "management");
    let text = idc(&[
        "recover",
        "--members",
        "1",
        "--brief",
        "--assume",
        "closed-delegate-at-removal=deregisters",
    ]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("where it closed itself left aside"), "{text}");
    // Under the default `either`, AWS may keep a removed delegate's registration (Q7):
    // stuck, exit 1.
    let either = idc(&["recover", "--members", "1", "--json"]);
    assert_eq!(either.status.code(), Some(1));
    assert_eq!(json(&either)["result"], "stuck");
    // Keeping the instance, other states are stuck too, and shown first.
    let stuck = idc(&["recover", "--members", "1", "--keep-instance", "--json"]);
    assert_eq!(stuck.status.code(), Some(1));
    let v = json(&stuck);
    assert_eq!(v["result"], "stuck");
    assert!(v["stuck"].as_u64().unwrap() > v["stuck_management_closed"].as_u64().unwrap());
    let trace = v["first_stuck"]["trace"].as_array().unwrap();
    assert_ne!(trace.last().unwrap()["call"], "CloseOwnAccount");
    // Stopped early, the states whose moves were not explored look stuck: the result is
    // incomplete (exit 4), in JSON and in the text, never STUCK.
    let stopped = idc(&["recover", "--max-memory", "5M", "--json"]);
    assert_eq!(stopped.status.code(), Some(4));
    let v = json(&stopped);
    assert_eq!(v["result"], "incomplete");
    assert!(v["first_stuck"].is_null());
    let stopped = idc(&["recover", "--max-memory", "5M", "--brief"]);
    assert_eq!(stopped.status.code(), Some(4));
    let text = String::from_utf8_lossy(&stopped.stdout);
    assert!(text.contains("result: INCOMPLETE"), "{text}");
    assert!(!text.contains("STUCK"), "{text}");
    assert!(
        text.contains("not shown to recover: ") && !text.contains("stuck: "),
        "{text}"
    );
}
