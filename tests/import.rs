//! `idc import` end to end on organizations built in moto (tests/fixtures/import/, its
//! README says how): the design it writes loads and checks, the same files give the same
//! design, and broken or too large inputs are refused in one line naming the file and
//! field, or what does not fit (exit 2).

use std::path::{Path, PathBuf};

use crate::common::{code, idc, scratch_dir, stderr, stdout, workspace};

fn fixture(name: &str) -> PathBuf {
    workspace().join("tests/fixtures/import").join(name)
}

/// A copy of a fixture folder, to break.
fn copy(name: &str) -> PathBuf {
    let dir = scratch_dir(&format!("import-{name}"));
    for e in std::fs::read_dir(fixture(name)).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.join(p.file_name().unwrap())).unwrap();
    }
    dir
}

fn import(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["import".to_string(), dir.display().to_string()];
    args.extend(extra.iter().map(|s| s.to_string()));
    idc(&args)
}

/// Exit 2 with one line on stderr, which contains every `words`.
fn refused(out: &std::process::Output, words: &[&str]) {
    let err = stderr(out);
    assert_eq!(code(out), 2, "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    for w in words {
        assert!(err.contains(w), "{w:?} not in {err}");
    }
}

#[test]
fn the_imported_design_loads_for_every_identity_source() {
    for source in [
        "identity-center-directory",
        "active-directory:security-tooling",
        "external-idp",
    ] {
        let dir = scratch_dir("import-out");
        let design = dir.join("today.toml");
        let out = import(
            &fixture("small"),
            &[
                "--identity-source",
                source,
                "--out",
                design.to_str().unwrap(),
            ],
        );
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        assert!(stderr(&out).contains("identity source is not returned by any read-only call"));
        let text = std::fs::read_to_string(&design).unwrap();
        assert!(
            text.contains("# untrusted = [\"security-tooling\"]"),
            "{text}"
        );
        let check = idc(&[
            "check",
            "--design",
            design.to_str().unwrap(),
            "--brief",
            "--max-depth",
            "1",
        ]);
        // The start replays: a finding (1) or an incomplete search (4), never bad input.
        assert!(
            [0, 1, 4].contains(&code(&check)),
            "{source}: {}",
            stderr(&check)
        );
    }
}

#[test]
fn the_design_keeps_the_roles_and_stands_in_for_the_rest() {
    let out = import(&fixture("small"), &[]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    let design: toml::Value = toml::from_str(&text).unwrap();
    let accounts = design["accounts"].as_table().unwrap();
    assert_eq!(accounts["management"].as_str(), Some("master"));
    assert_eq!(accounts["member-1"].as_str(), Some("security-tooling"));
    // The suspended account, then the account assigned to a user of the management account.
    assert_eq!(accounts["member-2"].as_str(), Some("legacy"));
    assert_eq!(accounts["member-3"].as_str(), Some("workloads-prod"));
    assert_eq!(accounts["member-4"].as_str(), Some("others-1"));
    assert_eq!(design["members"].as_integer(), Some(5));
    // alice, and bob through the group; carol reaches no management account.
    assert_eq!(design["users"].as_integer(), Some(2));
    assert!(text.contains("call = \"CloseAccount\", params = { AccountId = \"legacy\" }"));
}

#[test]
fn importing_twice_gives_the_same_design() {
    let a = import(&fixture("small"), &[]);
    let b = import(&fixture("small"), &[]);
    assert_eq!(code(&a), 0);
    assert_eq!(stdout(&a), stdout(&b));
    // The order of the files' lists does not matter.
    let dir = copy("small");
    let path = dir.join("organizations-list-accounts.json");
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    doc["Accounts"].as_array_mut().unwrap().reverse();
    std::fs::write(&path, doc.to_string()).unwrap();
    assert_eq!(stdout(&import(&dir, &[])), stdout(&a));
}

#[test]
fn a_truncated_or_malformed_file_is_named() {
    let dir = copy("small");
    let path = dir.join("organizations-list-accounts.json");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, &text[..text.len() / 2]).unwrap();
    refused(
        &import(&dir, &[]),
        &["organizations-list-accounts.json", "truncated JSON"],
    );
    std::fs::write(&path, "{\"Accounts\": [,]}").unwrap();
    refused(
        &import(&dir, &[]),
        &["organizations-list-accounts.json", "malformed JSON"],
    );
    // A page of a longer listing.
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["NextToken"] = "abc".into();
    std::fs::write(&path, doc.to_string()).unwrap();
    refused(
        &import(&dir, &[]),
        &["organizations-list-accounts.json", "NextToken"],
    );
}

#[test]
fn a_missing_field_or_file_is_named() {
    let dir = copy("small");
    let path = dir.join("organizations-list-accounts.json");
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    doc["Accounts"][2].as_object_mut().unwrap().remove("Status");
    std::fs::write(&path, doc.to_string()).unwrap();
    refused(
        &import(&dir, &[]),
        &[
            "organizations-list-accounts.json",
            "Accounts[2].Status: missing",
        ],
    );
    std::fs::remove_file(&path).unwrap();
    refused(
        &import(&dir, &[]),
        &["organizations-list-accounts.json", "missing"],
    );
}

#[test]
fn mismatched_files_are_named() {
    let dir = copy("small");
    std::fs::write(dir.join("identitystore-list-users.json"), "{\"Users\": []}").unwrap();
    refused(
        &import(&dir, &[]),
        &["identitystore-list-group-memberships.", "MemberId.UserId"],
    );
    refused(
        &import(
            &fixture("small"),
            &["--identity-source", "active-directory:nobody"],
        ),
        &["--identity-source", "nobody"],
    );
}

#[test]
fn an_organization_too_large_is_refused_naming_what_does_not_fit() {
    refused(
        &import(&fixture("too-many-users"), &[]),
        &["does not fit the model", "5 users", "holds 4"],
    );
}
