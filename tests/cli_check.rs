//! End-to-end tests of `idc check` and `idc rules`: the binary as a user runs it.

use serde_json::Value;

use crate::common::{idc, json, property, stderr};

#[test]
fn check_json_small_configuration() {
    let out = idc(&["check", "--members", "1", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "violations exit 1: {}",
        stderr(&out)
    );
    assert!(out.stderr.is_empty(), "no progress noise with --json");
    let r = json(&out);
    assert_eq!(r["states"]["unique"], 2_175);
    assert!(r["states"]["generated"].as_u64().unwrap() > 2_175);
    let slice = &r["states"]["slice"];
    assert_eq!(slice["unique"], 616);
    assert_eq!(slice["properties"].as_array().unwrap().len(), 13);
    assert_eq!(slice["complete"], true);
    assert_eq!(slice["others_found_early"], true);
    assert!(r["max_depth"].as_u64().unwrap() > 0);
    assert!(r["seconds"].as_f64().is_some());
    assert_eq!(r["complete"], true);
    assert_eq!(r["result"], "violated");
    assert_eq!(r["config"]["members"], 1);

    for name in [
        "at-most-one-delegated-admin",
        "instance-in-management-account",
    ] {
        let p = property(&r, name);
        assert_eq!(p["verdict"], "holds", "{name}");
        assert_eq!(p["trace"], Value::Null);
    }
    // SRC-2: 5 steps. The directory may be the management account's or the delegate's
    // (Q9's two readings), so the management account's directory kept at a registration
    // (Q4) is no violation: the delegate's directory is, once closing the delegate
    // deregisters it (Q3) and the directory's owner is neither.
    let b = property(&r, "ad-directory-in-correct-owner");
    assert_eq!(b["verdict"], "violated");
    assert_eq!(b["kind"], "always");
    let trace = b["trace"].as_array().unwrap();
    assert_eq!(trace.len(), 5);
    assert_eq!(trace[3]["call"], "ChangeIdentitySource");
    assert_eq!(
        trace[3]["params"]["IdentitySource"],
        "active-directory:member-1"
    );
    assert_eq!(
        trace[3]["branch"]["src2-location"],
        "delegate-if-registered"
    );
    assert_eq!(trace[4]["call"], "CloseAccount");
    assert_eq!(trace[4]["params"]["AccountId"], "member-1");
    assert_eq!(trace[4]["outcome"], "ok");
    assert_eq!(trace[4]["branch"]["close-delegate"], "deregisters");
    assert_eq!(trace[4]["failing"][0], "ad-directory-in-correct-owner");
    // Hazard (c): the owner leaves, 6 steps; closing it (still in the organization,
    // SUSPENDED) breaks `ad-directory-owner-active` in 5.
    let c = property(&r, "ad-directory-inside-organization");
    assert_eq!(c["trace"].as_array().unwrap().len(), 6);
    let closed = property(&r, "ad-directory-owner-active");
    assert_eq!(closed["trace"].as_array().unwrap().len(), 5);
    // A sometimes property with its example.
    let e = property(&r, "delegate-with-external-idp");
    assert_eq!(e["kind"], "sometimes");
    assert_eq!(e["verdict"], "example");
    // Every assumption says whether it is the sound default.
    for a in r["config"]["assumptions"].as_array().unwrap() {
        assert_eq!(a["sound"], true, "{a}");
    }
}

#[test]
fn check_human_output_has_header_traces_and_figures() {
    let out = idc(&["check", "--members", "1"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("members=1 users=1 groups=1 permission-sets=1"));
    assert!(text.contains("Q3  close-delegate=either"));
    assert!(text.contains("counterexample: ad-directory-in-correct-owner [SRC-2] in 5 steps"));
    assert!(text.contains(
        "management  CloseAccount(AccountId=member-1)  -> ok  [close-delegate=deregisters]"
    ));
    // The 8 properties that read identities are all found within 5 levels; the 13 others
    // are judged on the organization slice (616 organization parts).
    assert!(
        text.contains(
            "2,175 unique; max depth 5, where the 8 properties judged here were all found"
        ),
        "{text}"
    );
    assert!(text.contains("organization slice: the 13 properties that read no identity"));
    assert!(text.contains("616 unique; max depth"));
    assert!(text.contains("result: VIOLATED"));
    // --whole: one search of every state, as before the slice.
    let out = idc(&["check", "--members", "1", "--brief", "--whole"]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("73,480 unique; max depth"), "{text}");
    assert!(!text.contains("organization slice"));
    // An assumption flipped away from `either` is flagged.
    let out = idc(&[
        "check",
        "--members",
        "1",
        "--brief",
        "--assume",
        "close-delegate=refused",
    ]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("close-delegate=refused") && text.contains("NOT SOUND (changed)"),
        "{text}"
    );
}

#[test]
fn expectations_turn_known_verdicts_into_success() {
    let violated = [
        "delegate-is-active-member",
        "ad-directory-in-correct-owner",
        "ad-directory-inside-organization",
        "ad-directory-owner-active",
        "ad-sync-on-while-delegated",
        "management-access-changed-only-by-management",
        "management-access-granted-only-by-management",
        "delegate-never-alters-management-permission-sets",
        "registry-changed-only-by-management",
        "management-identities-controlled-by-management",
        "delegated-admin-has-trusted-access",
        "no-assignment-to-inactive-account",
        "administered-only-by-management-or-delegate",
    ];
    let mut args = vec!["check", "--members", "1", "--brief"];
    let flags: Vec<String> = violated.iter().map(|n| format!("{n}=violated")).collect();
    for f in &flags {
        args.extend(["--expect", f.as_str()]);
    }
    let out = idc(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // One expectation short: an unlisted always-property is violated, so exit 1.
    let out = idc(&args[..args.len() - 2]);
    assert_eq!(out.status.code(), Some(1));
    // A wrong expectation: exit 1 and the report says what was expected.
    let out = idc(&[
        "check",
        "--members",
        "1",
        "--json",
        "--expect",
        "at-most-one-delegated-admin=violated",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let r = json(&out);
    assert_eq!(r["result"], "unexpected");
    assert_eq!(
        property(&r, "at-most-one-delegated-admin")["expected"],
        "violated"
    );
}

#[test]
fn practice_and_assumption_change_verdicts() {
    // IDC-7 practice: the management account assigns only users to itself, so no group
    // edit reaches it. Model 3 judges reaching (user status too), and no reading of Q6
    // both refuses the delegate's assignment calls and its user-status changes: with Q6
    // read as the assignment calls, the delegate still re-enables a disabled management
    // user (the last step), through no group.
    let out = idc(&[
        "check",
        "--members",
        "1",
        "--json",
        "--practice",
        "users-only-in-management",
        "--assume",
        "management-user-access=assignment-calls",
    ]);
    let r = json(&out);
    let p = property(&r, "management-access-granted-only-by-management");
    assert_eq!(p["verdict"], "violated");
    let trace = p["trace"].as_array().unwrap();
    let last = trace.last().unwrap();
    assert_eq!(last["call"], "EnableUserAccess");
    assert_ne!(last["caller"], "management");
    assert!(
        trace
            .iter()
            .all(|s| !s["call"].as_str().unwrap().contains("GroupMembership")),
        "{trace:?}"
    );
    assert_eq!(r["config"]["practices"][0], "users-only-in-management");
    // ... and with Q6 read broadly, no change through IAM Identity Center; but the owner
    // of the AD directory that is the source deletes the user outside it (SRC-6).
    let out = idc(&[
        "check",
        "--members",
        "1",
        "--json",
        "--practice",
        "users-only-in-management",
        "--assume",
        "management-user-access=also-side-effects",
    ]);
    let r = json(&out);
    let p = property(&r, "management-access-changed-only-by-management");
    assert_eq!(p["verdict"], "violated");
    let trace = p["trace"].as_array().unwrap();
    let last = trace.last().unwrap();
    assert_eq!(last["call"], "ds-data:DeleteUser");
    assert_ne!(last["caller"], "management");
}

#[test]
fn relaxed_rule_is_reported_and_breaks_its_property() {
    // Two delegates need two members; the depth bound keeps a debug build fast (model 3's
    // whole check of two members takes most of a minute; BFS: the bound does not change
    // the shortest counterexample, 3 calls).
    let out = idc(&[
        "check",
        "--members",
        "2",
        "--max-depth",
        "3",
        "--json",
        "--relax",
        "DA-7",
        "--brief",
    ]);
    let r = json(&out);
    assert_eq!(r["config"]["relaxed"][0], "DA-7");
    let p = property(&r, "at-most-one-delegated-admin");
    assert_eq!(p["verdict"], "violated");
    assert_eq!(p["trace"].as_array().unwrap().len(), 3);
}

/// A bad flag: clap's whole message (what is wrong, its tip, the usage once) on stderr,
/// exit 2, nothing on stdout.
fn assert_usage_error(args: &[&str], mentions: &str) {
    let out = idc(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    assert!(out.stdout.is_empty(), "{args:?}");
    let err = stderr(&out);
    assert!(err.starts_with("error: "), "{err}");
    assert!(
        err.lines().next().unwrap().contains(mentions),
        "{args:?}: {err}"
    );
    assert!(err.matches("Usage:").count() <= 1, "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn bad_flags_give_one_line_and_usage_exit_code() {
    assert_usage_error(&["check", "--bogus"], "--bogus");
    assert_usage_error(&["check", "--members", "9"], "9");
    assert_usage_error(&["check", "--members", "-1"], "'-1' for '--members <N>'");
    assert_usage_error(&["check", "--members", "x"], "x");
    assert_usage_error(&["check", "--relax", "DA-99"], "DA-99");
    assert_usage_error(&["check", "--relax", "DA-6"], "can't be relaxed");
    assert_usage_error(&["check", "--practice", "nope"], "nope");
    assert_usage_error(&["check", "--assume", "close-delegate=maybe"], "maybe");
    assert_usage_error(&["check", "--assume", "nokey"], "nokey");
    // --expect is checked once the user's own properties are known: one line of ours.
    for (args, mentions) in [
        (
            ["check", "--expect", "no-such-property=holds"],
            "unknown property 'no-such-property'",
        ),
        (
            ["check", "--expect", "at-most-one-delegated-admin=example"],
            "'example' is not a verdict",
        ),
    ] {
        let out = idc(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("idc: ") && err.contains(mentions), "{err}");
    }
    assert_usage_error(&["frobnicate"], "frobnicate");
    // clap's detail is kept: "did you mean", the allowed values, the missing flag.
    let err = stderr(&idc(&["check", "--jsn"]));
    assert!(
        err.contains("tip: a similar argument exists: '--json'"),
        "{err}"
    );
    let err = stderr(&idc(&["chek"]));
    assert!(err.contains("'check'"), "{err}");
    let err = stderr(&idc(&["export", "--format", "png", "f.json"]));
    assert!(
        err.contains("[possible values: itf, mermaid, dot, svg, aws-cli]"),
        "{err}"
    );
    let out = idc(&["export", "f.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--format"), "{}", stderr(&out));
    // Our own one-line errors after parsing.
    let out = idc(&[
        "check",
        "--assume",
        "close-delegate=refused",
        "--assume",
        "close-delegate=deregisters",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "idc: --assume sets 'close-delegate' twice: to 'refused' and to 'deregisters'\n"
    );
}

#[test]
fn help_documents_exit_codes() {
    let out = idc(&["check", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Exit codes:"));
    assert!(text.contains("usage or input error"));
    assert!(text.contains("4    incomplete"));
}

#[test]
fn rules_lists_every_rule_assumption_and_property() {
    let out = idc(&["rules", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let r = json(&out);
    let ids: Vec<&str> = r["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), idc_model::Rule::ALL.len());
    for id in [
        "DA-7", "SRC-2", "IDC-1a", "IDC-8", "IDC-9", "IDC-10", "ORG-6", "SRC-6", "SRC-7", "SRC-8",
    ] {
        let rule = r["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .unwrap_or_else(|| panic!("{id} listed"));
        assert!(rule["source"].as_str().unwrap().starts_with('['), "{id}");
    }
    let assumptions = r["assumptions"].as_array().unwrap();
    assert_eq!(assumptions.len(), 11);
    for a in assumptions {
        // Every behavioural assumption offers `either` (Q1 names an error).
        let either = a["id"] != "Q1";
        assert_eq!(a["either"], either, "{a}");
        if either {
            assert_eq!(a["default"], "either", "{a}");
        }
    }
    assert!(r["calls"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["name"] == "EnableIdentityCenter"));
    // Issue 18, must show 3: only AWS's own calls. Configurable AD sync has pause and
    // resume, no "disable"; AWS's own steps are listed with their caller.
    let calls: Vec<&str> = r["calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    for present in [
        "PauseADSync",
        "ResumeADSync",
        "CreateMicrosoftAD",
        "UpdateUser",
        "EnableUserAccess",
        "RemoveClosedAccount",
        "ReinstateAccount",
    ] {
        assert!(calls.contains(&present), "{present} in {calls:?}");
    }
    for absent in ["DisableConfigurableADSync", "CreateDirectory"] {
        assert!(!calls.contains(&absent), "{absent} in {calls:?}");
    }
    let text = String::from_utf8(idc(&["rules"]).stdout).unwrap();
    assert!(text.contains("EnableIdentityCenter"));
    assert!(text.contains("IDC-1a"));
    assert!(!text.contains("DisableConfigurableADSync"));
    assert_eq!(
        r["properties"].as_array().unwrap().len(),
        idc_model::PROPERTIES.len()
    );
}

/// Issue 18, must show 2: the practice `users-only-in-management` no longer makes
/// `management-access-granted-only-by-management` hold (Q6 `either`: the delegate's
/// assignment under `user-status`), and it still closes the group-membership route.
#[test]
fn users_only_in_management_does_not_make_granted_hold() {
    let out = idc(&[
        "check",
        "--members",
        "1",
        "--practice",
        "users-only-in-management",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let r = json(&out);
    let p = r["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "management-access-granted-only-by-management")
        .unwrap();
    assert_eq!(p["verdict"], "violated");
    let steps = p["trace"].as_array().unwrap();
    assert_eq!(steps.len(), 5);
    assert!(steps.iter().all(|s| s["call"] != "CreateGroupMembership"));
    let last = steps.last().unwrap();
    assert_eq!(last["caller"], "member-1");
    assert_eq!(last["call"], "CreateAccountAssignment");
}

#[test]
fn check_json_default_configuration() {
    // The default model's verdicts and shortest lengths (docs/properties.md).
    let out = idc(&["check", "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let r = json(&out);
    assert_eq!(r["config"]["members"], 2);
    assert_eq!(r["states"]["unique"], 8_702);
    assert_eq!(r["states"]["slice"]["unique"], 9_576);
    assert_eq!(r["complete"], true);
    // The whole search of every state (--whole) gives the same verdicts and lengths.
    let out = idc(&["check", "--json", "--whole"]);
    assert_eq!(out.status.code(), Some(1));
    let whole = json(&out);
    assert_eq!(whole["states"]["unique"], 5_116_104);
    assert!(whole["states"].get("slice").is_none());
    let lengths = |r: &Value| -> Vec<(String, String, usize)> {
        r["properties"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["name"].as_str().unwrap().to_string(),
                    p["verdict"].as_str().unwrap().to_string(),
                    p["trace"].as_array().map_or(0, Vec::len),
                )
            })
            .collect()
    };
    assert_eq!(lengths(&r), lengths(&whole));
    let expected = [
        ("at-most-one-delegated-admin", "holds", 0),
        ("delegate-is-active-member", "violated", 3),
        ("instance-in-management-account", "holds", 0),
        ("ad-directory-in-correct-owner", "violated", 5),
        ("ad-directory-inside-organization", "violated", 6),
        ("ad-directory-owner-active", "violated", 5),
        ("ad-sync-on-while-delegated", "violated", 4),
        (
            "management-access-changed-only-by-management",
            "violated",
            5,
        ),
        (
            "management-access-granted-only-by-management",
            "violated",
            5,
        ),
        (
            "delegate-never-alters-management-permission-sets",
            "violated",
            6,
        ),
        ("deregistration-preserves-assignments", "holds", 0),
        ("registry-changed-only-by-management", "violated", 3),
        ("administered-only-by-management-or-delegate", "violated", 6),
        (
            "management-identities-controlled-by-management",
            "violated",
            5,
        ),
        ("trusted-access-changed-only-by-management", "holds", 0),
        ("delegated-admin-has-trusted-access", "violated", 3),
        ("no-assignment-to-inactive-account", "violated", 5),
        ("delegate-registered-with-ad-source", "example", 4),
        ("delegate-assigns-in-member-account", "example", 5),
        ("delegate-with-external-idp", "example", 3),
        ("user-reaches-management-account", "example", 4),
    ];
    assert_eq!(r["properties"].as_array().unwrap().len(), expected.len());
    for (name, verdict, len) in expected {
        let p = property(&r, name);
        assert_eq!(p["verdict"], verdict, "{name}");
        let got = p["trace"].as_array().map_or(0, Vec::len);
        assert_eq!(got, len, "{name}");
    }
    // SRC-6 (model 3: the Identity Center directory's identities are controlled by the
    // management account and the delegate): the management account assigns one of them to
    // itself while a delegate is registered, no AD directory involved.
    let trace = property(&r, "management-identities-controlled-by-management")["trace"]
        .as_array()
        .unwrap()
        .clone();
    let last = trace.last().unwrap();
    assert_eq!(last["caller"], "management");
    assert_eq!(last["call"], "CreateAccountAssignment");
    assert_eq!(last["params"]["TargetId"], "management");
    assert!(trace
        .iter()
        .any(|s| s["call"] == "RegisterDelegatedAdministrator" && s["outcome"] == "ok"));
    assert!(trace.iter().all(|s| s["call"] != "ChangeIdentitySource"));
    // SRC-7 with SRC-3: the delegate's source change deprovisions the management account's
    // permission set.
    let trace = property(&r, "delegate-never-alters-management-permission-sets")["trace"]
        .as_array()
        .unwrap()
        .clone();
    let last = trace.last().unwrap();
    assert_eq!(last["call"], "ChangeIdentitySource");
    assert_ne!(last["caller"], "management");
    assert!(last["changes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "ps-1 in management deprovisioned"));
}

/// Issue 21: a search stopped early that found a violation is a finding (exit 1: the
/// violation is definite), but its result says INCOMPLETE, with how many verdicts are
/// unknown, so that those are not read as `holds`; the JSON `result` likewise.
#[test]
fn a_stopped_search_with_a_violation_says_incomplete_and_exits_1() {
    let args = ["check", "--relax", "DA-7", "--max-depth", "3"];
    let out = idc(&[&args[..], &["--brief"]].concat());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let result = text.lines().last().unwrap();
    assert!(
        result.starts_with("result: INCOMPLETE (--max-depth reached): ")
            && result.contains(" always-properties violated, ")
            && result.contains(" unknown (none within 3 steps)"),
        "{text}"
    );
    assert!(!text.contains("VIOLATED,"), "{text}");
    let out = idc(&[&args[..], &["--json"]].concat());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let r = json(&out);
    assert_eq!(r["result"], "incomplete");
    assert_eq!(r["stopped"], "max-depth");
    // --max-memory alike: incomplete, and exit 1 exactly when a violation was found.
    let out = idc(&["check", "--max-memory", "2M", "--json"]);
    let r = json(&out);
    assert_eq!(r["result"], "incomplete");
    let violated = r["properties"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["verdict"] == "violated");
    assert_eq!(out.status.code(), Some(if violated { 1 } else { 4 }));
}

/// Issue 21: "1 steps": a depth of one is one step.
#[test]
fn one_step_is_singular() {
    let out = idc(&["check", "--members", "1", "--max-depth", "1", "--brief"]);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(text.contains("every state within 1 step judged"), "{text}");
    assert!(text.contains("(none within 1 step)"), "{text}");
    assert!(!text.contains("1 steps"), "{text}");
}

/// Issue 21: the search flags that `find` and `recover` share with `check` say nothing of
/// `check --matrix` or `explore` in their help.
#[test]
fn find_and_recover_help_mention_only_what_applies() {
    for command in ["find", "recover"] {
        let out = idc(&[command, "--help"]);
        assert_eq!(out.status.code(), Some(0));
        let help = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(!help.contains("matrix"), "{command}: {help}");
        let words = help.split(|c: char| !(c.is_alphanumeric() || c == '-'));
        assert!(
            !words.into_iter().any(|w| w == "explore"),
            "{command}: {help}"
        );
    }
}

/// The organization slice runs first: when a limit then stops the other search (here your
/// own invariant holds, so that search would explore every state), the slice's verdicts
/// stand and only the other search's are unknown.
#[test]
fn the_slice_verdicts_stand_when_the_other_search_is_stopped() {
    let out = idc(&[
        "check",
        "--json",
        "--invariant",
        "mine=true",
        "--max-time",
        "5",
    ]);
    assert_eq!(out.status.code(), Some(1), "violations found: exit 1");
    let r = json(&out);
    assert_eq!(r["complete"], false);
    assert_eq!(r["result"], "incomplete");
    assert_eq!(r["stopped"], "time");
    let slice = &r["states"]["slice"];
    assert_eq!(slice["complete"], true);
    assert_eq!(slice["others_complete"], false);
    assert_eq!(
        property(&r, "at-most-one-delegated-admin")["verdict"],
        "holds"
    );
    assert_eq!(
        property(&r, "trusted-access-changed-only-by-management")["verdict"],
        "holds"
    );
    assert_eq!(property(&r, "mine")["verdict"], "unknown");
    assert_eq!(
        property(&r, "user-reaches-management-account")["verdict"],
        "example"
    );
}
