//! End-to-end tests of the query language's uses (docs/queries.md): `idc find`, your own
//! `--invariant` / `--reachable` / `--properties`, and `--from` a trace.

use std::collections::{HashSet, VecDeque};
use std::path::{Path, PathBuf};

use crate::common::{idc, json, property, scratch_dir, stderr, stdout, workspace};
use idc_model::query::VOCABULARY;
use idc_model::{Acct, Config, IdcModel, IdentitySource, State};
use serde_json::Value;

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The least number of calls to a state satisfying `goal`, by a plain breadth-first search
/// over the model's own actions (no reduction, no shortcut): the reference `find` must meet.
fn brute_force_distance(cfg: Config, goal: impl Fn(&State) -> bool) -> Option<usize> {
    use stateright::Model;
    let model = IdcModel::new(cfg).unwrap();
    let init = model.init_states().remove(0);
    let mut seen: HashSet<State> = HashSet::from([init.clone()]);
    let mut queue = VecDeque::from([(init, 0usize)]);
    let mut actions = Vec::new();
    while let Some((state, depth)) = queue.pop_front() {
        if goal(&state) {
            return Some(depth);
        }
        actions.clear();
        model.actions(&state, &mut actions);
        for &a in &actions {
            if let Some(next) = model.next_state(&state, a) {
                if seen.insert(next.clone()) {
                    queue.push_back((next, depth + 1));
                }
            }
        }
    }
    None
}

/// Must show 1: `find` writes a trace that `replay` reproduces, and its length is the least
/// possible (a brute-force search on a small configuration agrees).
#[test]
fn find_writes_a_shortest_trace_that_replays() {
    let dir = scratch_dir("find");
    let f = dir.join("f.json");
    let expr = "delegate == member-1 && source == active-directory(member-1)";
    for members in ["1", "2"] {
        let out = idc(&["find", expr, "--members", members, "--out", path(&f)]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(
            stdout(&out).contains("found in 4 steps"),
            "{}",
            stdout(&out)
        );
        let replay = idc(&["replay", path(&f), "--json"]);
        assert_eq!(replay.status.code(), Some(0), "{}", stderr(&replay));
        let r = json(&replay);
        let t = &r["traces"][0];
        assert_eq!(t["result"], "reproduced");
        assert_eq!(t["claim"]["expression"], expr);
        assert_eq!(t["claim"]["reproduced"], true);
        let text = stdout(&idc(&["replay", path(&f)]));
        assert!(
            text.contains(&format!(
                "  claim          find holds (example) after step 4: {expr}\n"
            )),
            "{text}"
        );
        let written: Value = serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        let len = written["steps"].as_array().unwrap().len();
        let cfg = Config {
            members: members.parse().unwrap(),
            ..Config::default()
        };
        let m1 = Acct(1);
        let reference = brute_force_distance(cfg, |s| {
            s.delegates == m1.bit() && s.source == IdentitySource::ActiveDirectory(m1)
        });
        assert_eq!(Some(len), reference, "members {members}");
    }
    // JSON: the same trace, in the report's step objects.
    let out = idc(&["find", expr, "--members", "1", "--json"]);
    let r = json(&out);
    assert_eq!(r["format"], "idc-find");
    assert_eq!(r["result"], "found");
    assert_eq!(r["trace"].as_array().unwrap().len(), 4);
    assert_eq!(r["trace"][3]["call"], "ChangeIdentitySource");
}

/// A question about the last step finds a refused call: the trace ends with it.
#[test]
fn find_a_refused_call() {
    let out = idc(&[
        "find",
        "last.refused && last.call == DeregisterDelegatedAdministrator && last.caller == member-1",
        "--members",
        "1",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r = json(&out);
    let trace = r["trace"].as_array().unwrap();
    assert_eq!(trace.len(), 1);
    assert_eq!(trace[0]["caller"], "member-1");
    assert_eq!(trace[0]["outcome"]["error"], "AccessDeniedException");
}

/// Must show 2: your own invariant has the verdict and the trace length of the built-in
/// property it restates.
#[test]
fn own_invariant_matches_the_builtin_property() {
    let out = idc(&[
        "check",
        "--members",
        "1",
        "--invariant",
        "mine=all a in accounts: source == active-directory(a) => in-org(a)",
        "--reachable",
        "theirs=some a in members: source == active-directory(a) && !registered(a)",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let r = json(&out);
    let mine = property(&r, "mine");
    let builtin = property(&r, "ad-directory-inside-organization");
    assert_eq!(mine["verdict"], "violated");
    assert_eq!(mine["verdict"], builtin["verdict"]);
    assert_eq!(
        mine["trace"].as_array().unwrap().len(),
        builtin["trace"].as_array().unwrap().len()
    );
    assert_eq!(mine["kind"], "always");
    assert_eq!(
        mine["expression"],
        "all a in accounts: source == active-directory(a) => in-org(a)"
    );
    assert_eq!(property(&r, "theirs")["verdict"], "example");
    // The built-in properties come first, then yours, in the order given.
    let names: Vec<&str> = r["properties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names[names.len() - 2..], ["mine", "theirs"]);
}

/// Must show 3: a bad expression is one line naming the column (exit 2); an impossible
/// state is not found (exit 1).
#[test]
fn bad_and_impossible_questions() {
    let out = idc(&["find", "delegate =="]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("column 12"), "{err}");
    let out = idc(&["find", "delegate == membr-1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("member-1"), "{}", stderr(&out));
    let out = idc(&["find", "delegate == member-3"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("out of range"), "{}", stderr(&out));
    // DA-2: the management account is never registered (model 3: a delegate outside the
    // organization is reachable, Q7 `keeps-registration`).
    let out = idc(&["find", "delegate == management", "--members", "1"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).contains("not found"), "{}", stdout(&out));
    // The same question bounded by a depth: undecided (exit 4).
    let out = idc(&[
        "find",
        "delegate == management",
        "--members",
        "1",
        "--max-depth",
        "3",
    ]);
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    // A bad --invariant names the flag and the property.
    let out = idc(&["check", "--invariant", "x=reaches(user-1)"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.starts_with("idc: --invariant x: column"), "{err}");
    // Malformed flags are clap's usage errors (exit 2, the usage after the message); bad
    // names are one line.
    for bad in ["=true", "noequals"] {
        let out = idc(&["check", "--invariant", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(
            stderr(&out).contains("expected NAME=EXPR"),
            "{bad}: {}",
            stderr(&out)
        );
    }
    for bad in ["at-most-one-delegated-admin=true", "../x=true"] {
        let out = idc(&["check", "--invariant", bad]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert_eq!(stderr(&out).lines().count(), 1, "{bad}: {}", stderr(&out));
    }
    let out = idc(&["check", "--invariant", "x=true", "--reachable", "x=true"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("defined twice"), "{}", stderr(&out));
}

/// Must show 4: a check from a counterexample's last state reports its own verdicts, and
/// the traces it writes replay (from there).
#[test]
fn check_from_a_counterexample() {
    let dir = scratch_dir("from");
    let first = dir.join("first");
    let out = idc(&["check", "--members", "1", "--brief", "--out", path(&first)]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // Model 3: a closed delegate may be reinstated and deregistered, so from the end of
    // `delegate-is-active-member` every state is reachable again; an AD directory is never
    // deleted, so from a trace that created one fewer are.
    let start = first.join("ad-directory-owner-active.json");
    let second = dir.join("second");
    let out = idc(&[
        "check",
        "--from",
        path(&start),
        "--json",
        "--out",
        path(&second),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let r = json(&out);
    assert_eq!(r["config"]["members"], 1);
    assert_eq!(r["from"], 5);
    // The start state already violates the property the trace was about.
    let p = property(&r, "ad-directory-owner-active");
    assert_eq!(p["verdict"], "violated");
    assert_eq!(p["trace"].as_array().unwrap().len(), 0);
    // Fewer states are reachable from there than from the initial state.
    assert!(r["states"]["unique"].as_u64().unwrap() < 73_480);
    let written: Vec<PathBuf> = std::fs::read_dir(&second)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(!written.is_empty());
    for f in &written {
        let t: Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        assert_eq!(t["from"].as_array().unwrap().len(), 5, "{}", f.display());
        let replay = idc(&["replay", path(f)]);
        assert_eq!(
            replay.status.code(),
            Some(0),
            "{}: {}",
            f.display(),
            stderr(&replay)
        );
        assert!(
            stdout(&replay).contains("  from           5 calls from the initial state"),
            "{}",
            stdout(&replay)
        );
    }
    // find and simulate start there too; sizes may only repeat the trace's.
    let out = idc(&["find", "--from", path(&start), "trusted-access", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(json(&out)["trace"].as_array().unwrap().len(), 0);
    let out = idc(&["simulate", "--from", path(&start), "--runs", "5", "--json"]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    assert_eq!(json(&out)["from"], 5);
    let out = idc(&["check", "--from", path(&start), "--members", "2"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--members 2"), "{}", stderr(&out));
    let out = idc(&["check", "--from", path(&dir.join("missing.json"))]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out).lines().count(), 1);
}

/// A properties file (TOML or JSON) joins the check like the flags; `--expect` names its
/// properties; a bad file is one line with its place.
#[test]
fn properties_files_and_expectations() {
    let dir = scratch_dir("props");
    let toml = dir.join("props.toml");
    std::fs::write(
        &toml,
        r#"
[invariants]
ad-owner-in-org = "all a in accounts: source == active-directory(a) => in-org(a)"
no-refused-enable = { expression = "!(last.refused && last.call == EnableIdentityCenter && last.caller == management)", description = "the management account can always enable IAM Identity Center" }

[reachable]
delegate-owns-source = "delegate != none && source == active-directory(delegate)"
"#,
    )
    .unwrap();
    let out = idc(&[
        "check",
        "--members",
        "1",
        "--properties",
        path(&toml),
        "--expect",
        "ad-owner-in-org=violated",
        "--expect",
        "delegate-owns-source=example",
        "--brief",
    ]);
    let text = stdout(&out);
    assert!(text.contains("ad-owner-in-org"), "{text}");
    assert!(text.contains("[user]"), "{text}");
    let props_file = dir.join("props.json");
    std::fs::write(
        &props_file,
        r#"{"reachable": {"delegate-owns-source": "delegate != none && source == active-directory(delegate)"}}"#,
    )
    .unwrap();
    let out = idc(&[
        "check",
        "--members",
        "1",
        "--properties",
        path(&props_file),
        "--json",
    ]);
    assert_eq!(
        property(&json(&out), "delegate-owns-source")["verdict"],
        "example"
    );
    // An --expect about a property nobody defined.
    let out = idc(&["check", "--expect", "nobody=holds"]);
    assert_eq!(out.status.code(), Some(2));
    // A bad file: its name, the table and the column.
    std::fs::write(&toml, "[invariants]\nbroken = \"delegate ==\"\n").unwrap();
    let out = idc(&["check", "--properties", path(&toml)]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("props.toml: invariants broken: column 12"),
        "{err}"
    );
    std::fs::write(&toml, "[invariants\n").unwrap();
    let out = idc(&["check", "--properties", path(&toml)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("line 1"), "{}", stderr(&out));
}

/// A user property in the what-if matrix: it joins the baseline and the rows.
#[test]
fn own_invariant_in_the_matrix() {
    let out = idc(&[
        "check",
        "--matrix",
        "--members",
        "1",
        "--invariant",
        "one=all a in members: !registered(a) || active(a)",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r = json(&out);
    let base = r["baseline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["property"] == "one")
        .expect("the user property is in the baseline");
    assert_eq!(base["verdict"], "violated");
    assert_eq!(base["length"], 3);
}

/// A property naming a member account can't use symmetry: said once, verdicts unchanged.
#[test]
fn symmetry_is_refused_for_questions_about_one_member() {
    let out = idc(&[
        "check",
        "--members",
        "2",
        "--symmetry",
        "--brief",
        "--max-depth",
        "3",
        "--invariant",
        "m2=!registered(member-2)",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("--symmetry is not used: property 'm2' names a member account"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("VIOLATED   m2"), "{}", stdout(&out));
}

/// A property naming a user keeps identities apart but still renames member accounts; one
/// quantifying over users keeps both renamings (said in the figures line).
#[test]
fn identity_symmetry_is_refused_for_questions_about_one_user() {
    let run = |invariant: &str| {
        idc(&[
            "check",
            "--members",
            "2",
            "--users",
            "2",
            "--symmetry",
            "--brief",
            "--max-depth",
            "4",
            "--invariant",
            invariant,
        ])
    };
    let out = run("u2=!exists(user-2)");
    assert!(
        stderr(&out).contains(
            "--symmetry renames member accounts, not users, groups and permission sets: property 'u2' names a user, a group or a permission set"
        ),
        "{}",
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("up to renaming member accounts stand for"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("VIOLATED   u2"), "{}", stdout(&out));
    let out = run("few=!(all u in users: exists(u))");
    assert!(
        !stderr(&out).contains("note: --symmetry"),
        "{}",
        stderr(&out)
    );
    assert!(
        stdout(&out).contains("up to renaming member accounts, users, groups and permission sets"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("VIOLATED   few"), "{}", stdout(&out));
}

/// docs/queries.md cannot fall behind the language: its vocabulary table has a row for
/// every term of `VOCABULARY` (the first cell, `` `name` ``), and no row for a term that
/// is gone.
#[test]
fn the_vocabulary_table_of_the_docs_lists_every_term() {
    let doc = std::fs::read_to_string(workspace().join("docs/queries.md")).unwrap();
    let section = doc
        .split_once("\n## Vocabulary\n")
        .expect("docs/queries.md has a ## Vocabulary section")
        .1;
    let section = section.split("\n## ").next().unwrap();
    let table: Vec<&str> = section
        .lines()
        .skip_while(|l| !l.starts_with("| term |"))
        .take_while(|l| l.starts_with('|'))
        .skip(2)
        .collect();
    assert!(!table.is_empty(), "docs/queries.md: no vocabulary table");
    let names: Vec<&str> = table
        .iter()
        .map(|row| {
            row.strip_prefix("| `")
                .and_then(|r| r.split_once("` |"))
                .unwrap_or_else(|| panic!("docs/queries.md: a row without a `term`: {row}"))
                .0
        })
        .collect();
    for term in VOCABULARY {
        assert!(
            names.contains(&term.name),
            "docs/queries.md: the vocabulary table has no row for `{}`",
            term.name
        );
    }
    for name in &names {
        assert!(
            VOCABULARY.iter().any(|t| t.name == *name),
            "docs/queries.md: the vocabulary table's `{name}` is no term of VOCABULARY"
        );
    }
    assert_eq!(names.len(), VOCABULARY.len(), "a term listed twice");
}

/// The example properties file of the docs is the one docs/queries.md shows, it parses, and
/// every property in it gets a verdict of its kind, with its expression, in a check of one
/// member account.
#[test]
fn the_example_properties_file_gets_a_verdict_for_every_property() {
    let file = workspace().join("docs/examples/properties.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let queries = std::fs::read_to_string(workspace().join("docs/queries.md")).unwrap();
    assert!(
        queries.contains(&format!("```toml\n{text}```")),
        "docs/queries.md shows docs/examples/properties.toml as it is"
    );
    let doc: toml::Table = text.parse().expect("the example is TOML");
    let out = idc(&[
        "check",
        "--members",
        "1",
        "--properties",
        path(&file),
        "--json",
    ]);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", stderr(&out));
    let r = json(&out);
    assert_eq!(r["complete"], true);
    let mut count = 0;
    for (table, kind, verdicts) in [
        ("invariants", "always", ["holds", "violated"]),
        ("reachable", "sometimes", ["example", "no-example"]),
    ] {
        let Some(entries) = doc.get(table) else {
            continue;
        };
        for (name, entry) in entries.as_table().expect("a table of properties") {
            let expression = match entry {
                toml::Value::String(s) => s.as_str(),
                other => other["expression"].as_str().expect("an expression"),
            };
            let p = property(&r, name);
            assert_eq!(p["kind"], kind, "{name}");
            assert_eq!(p["expression"], expression, "{name}");
            assert!(
                verdicts.contains(&p["verdict"].as_str().unwrap()),
                "{name}: {}",
                p["verdict"]
            );
            count += 1;
        }
    }
    assert!(count > 0, "the example has no property");
}

/// Issue 18, must show 1: with the Identity Center directory as the source, the delegate
/// controls a user who reaches the management account (identity control is a set).
#[test]
fn the_delegate_controls_a_management_user_in_the_identity_center_directory() {
    let dir = scratch_dir("controls");
    let out_file = dir.join("t.json");
    let out = idc(&[
        "find",
        "--members",
        "1",
        "source == identity-center-directory && delegate != none && some u in users: reaches(u, management) && controls(delegate, u)",
        "--out",
        path(&out_file),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("RegisterDelegatedAdministrator"), "{text}");
    assert!(
        !text.contains("CreateMicrosoftAD"),
        "no directory needed: {text}"
    );
    let replay = idc(&["replay", path(&out_file)]);
    assert_eq!(replay.status.code(), Some(0));
}

/// A search `--from` a trace names the readings AWS took on the way to its start state
/// (they decide what follows), in the header and in `--json`.
#[test]
fn from_names_the_readings_the_start_state_took() {
    let dir = scratch_dir("from-readings");
    let start = dir.join("closed.json");
    std::fs::write(
        &start,
        r#"{"format": "idc-trace", "version": 2, "steps": [
            {"caller": "management", "call": "EnableAWSServiceAccess", "expect": "ok"},
            {"caller": "management", "call": "RegisterDelegatedAdministrator", "params": {"AccountId": "member-1"}, "expect": "ok"},
            {"caller": "management", "call": "CloseAccount", "params": {"AccountId": "member-1"}, "branch": {"close-delegate": "keeps-registration"}, "expect": "ok"}
        ]}"#,
    )
    .unwrap();
    let out = idc(&["find", "--from", path(&start), "trusted-access"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(
            "(--from or --design: 3 calls from the initial state; readings taken: call 3 close-delegate=keeps-registration)"
        ),
        "{}",
        stdout(&out)
    );
    let out = idc(&["find", "--from", path(&start), "trusted-access", "--json"]);
    let r = json(&out);
    assert_eq!(
        r["from_readings"],
        serde_json::json!([{"call": 3, "branch": {"close-delegate": "keeps-registration"}}])
    );
    let out = idc(&[
        "check",
        "--from",
        path(&start),
        "--json",
        "--max-depth",
        "1",
    ]);
    assert_eq!(json(&out)["from_readings"][0]["call"], 3);
}
