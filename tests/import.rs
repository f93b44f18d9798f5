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

/// The files of `dir` whose name starts with `call`, sorted.
fn files_of(dir: &Path, call: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_str().unwrap().starts_with(call))
        .collect();
    found.sort();
    found
}

fn edit_json(path: &Path, change: impl FnOnce(&mut serde_json::Value)) {
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    change(&mut doc);
    std::fs::write(path, doc.to_string()).unwrap();
}

#[test]
fn directories_provisioning_and_names_are_imported() {
    let out = import(
        &fixture("small"),
        &["--identity-source", "active-directory:security-tooling"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    // Two directories in two accounts: both owners create theirs; the source is the one
    // given.
    assert!(text.contains("{ caller = \"master\", call = \"CreateMicrosoftAD\" }"));
    assert!(text.contains("{ caller = \"security-tooling\", call = \"CreateMicrosoftAD\" }"));
    assert!(text.contains("IdentitySource = \"active-directory:security-tooling\""));
    // Billing is provisioned in the management account without an assignment (IDC-8).
    let design: toml::Value = toml::from_str(&text).unwrap();
    assert_eq!(design["permission-sets"].as_integer(), Some(3));
    let billing = text
        .lines()
        .find(|l| l.contains("= Billing (ps-"))
        .expect("permission set names")
        .trim_start_matches("#   ")
        .split(' ')
        .next()
        .unwrap()
        .to_string();
    let step = format!(
        "call = \"ProvisionPermissionSet\", params = {{ PermissionSet = \"{billing}\", TargetId = \"master\" }}"
    );
    assert!(text.contains(&step), "{text}");
    assert!(text.contains("#   user-1 = ") && text.contains("#   group-1 = admins ("));
    // The directories' owners keep their model account whatever the source.
    let plain = stdout(&import(&fixture("small"), &[]));
    assert_eq!(plain.matches("call = \"CreateMicrosoftAD\"").count(), 2);
}

#[test]
fn the_identity_source_must_own_a_listed_directory() {
    refused(
        &import(
            &fixture("small"),
            &["--identity-source", "active-directory:workloads-prod"],
        ),
        &["--identity-source", "workloads-prod", "owns no directory"],
    );
    // Without the Directory Service files nothing is known of directories: any account.
    let dir = copy("small");
    for p in files_of(&dir, "ds-describe-directories") {
        std::fs::remove_file(p).unwrap();
    }
    let out = import(
        &dir,
        &["--identity-source", "active-directory:workloads-prod"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
}

#[test]
fn what_moto_accepts_and_aws_refuses_is_refused() {
    // A second delegate for sso.amazonaws.com (DA-7).
    let dir = copy("small");
    let delegates = dir.join("organizations-list-delegated-administrators.json");
    let accounts = dir.join("organizations-list-accounts.json");
    let list: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&accounts).unwrap()).unwrap();
    let some_member = list["Accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["Name"] == "workloads-dev")
        .unwrap()
        .clone();
    edit_json(&delegates, |d| {
        d["DelegatedAdministrators"]
            .as_array_mut()
            .unwrap()
            .push(some_member);
    });
    refused(
        &import(&dir, &[]),
        &[
            "organizations-list-delegated-administrators.json",
            "DelegatedAdministrators: 2 delegated administrators",
        ],
    );
    // The delegate's account removed from the organization (DA-5).
    let dir = copy("small");
    edit_json(&dir.join("organizations-list-accounts.json"), |d| {
        d["Accounts"]
            .as_array_mut()
            .unwrap()
            .retain(|a| a["Name"] != "security-tooling");
    });
    refused(
        &import(&dir, &[]),
        &[
            "DelegatedAdministrators[0].Id",
            "is not an account of organizations-list-accounts.json",
        ],
    );
}

#[test]
fn mismatched_new_files_are_named() {
    let provisioned = "sso-admin-list-accounts-for-provisioned-permission-set";
    // A provisioned account that list-accounts lacks.
    let dir = copy("small");
    let file = files_of(&dir, provisioned).remove(0);
    edit_json(&file, |d| {
        d["AccountIds"] = serde_json::json!(["999999999999"])
    });
    refused(
        &import(&dir, &[]),
        &[provisioned, "AccountIds[0]: 999999999999 is not an account"],
    );
    // A provisioning file named after no permission set.
    let dir = copy("small");
    let file = files_of(&dir, provisioned).remove(0);
    std::fs::rename(&file, dir.join(format!("{provisioned}.ps-nothing.json"))).unwrap();
    refused(
        &import(&dir, &[]),
        &[provisioned, "file name: 'ps-nothing'"],
    );
    // A permission set description of an unlisted set.
    let dir = copy("small");
    let file = files_of(&dir, "sso-admin-describe-permission-set").remove(0);
    edit_json(&file, |d| {
        d["PermissionSet"]["PermissionSetArn"] = "arn:x/ps-x".into()
    });
    refused(
        &import(&dir, &[]),
        &[
            "sso-admin-describe-permission-set.",
            "PermissionSet.PermissionSetArn",
        ],
    );
    // Trusted access off, with an instance (ORG-5).
    let dir = copy("small");
    let access = dir.join("organizations-list-aws-service-access-for-organization.json");
    edit_json(&access, |d| {
        d["EnabledServicePrincipals"] = serde_json::json!([])
    });
    refused(
        &import(&dir, &[]),
        &[
            "organizations-list-aws-service-access-for-organization.json",
            "EnabledServicePrincipals",
        ],
    );
    // Directory Service files: named after the account, with the model's enum.
    let dir = copy("small");
    let file = files_of(&dir, "ds-describe-directories").remove(0);
    std::fs::rename(&file, dir.join("ds-describe-directories.mine.json")).unwrap();
    refused(
        &import(&dir, &[]),
        &["ds-describe-directories.mine.json", "file name: 'mine'"],
    );
    let dir = copy("small");
    let file = files_of(&dir, "ds-describe-directories").remove(0);
    edit_json(&file, |d| {
        d["DirectoryDescriptions"][0]["Type"] = "Samba".into()
    });
    refused(
        &import(&dir, &[]),
        &[
            "ds-describe-directories.",
            "DirectoryDescriptions[0].Type",
            "'Samba'",
        ],
    );
}

#[test]
fn the_import_is_idempotent_whatever_the_order_of_files_and_lists() {
    let source = ["--identity-source", "active-directory:security-tooling"];
    let a = import(&fixture("small"), &source);
    assert_eq!(code(&a), 0, "{}", stderr(&a));
    // The same files copied in reverse name order, every list reversed.
    let dir = scratch_dir("import-reversed");
    let mut names: Vec<PathBuf> = std::fs::read_dir(fixture("small"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for p in names.iter().rev() {
        let mut doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
        for v in doc.as_object_mut().unwrap().values_mut() {
            if let Some(list) = v.as_array_mut() {
                list.reverse();
            }
        }
        std::fs::write(dir.join(p.file_name().unwrap()), doc.to_string()).unwrap();
    }
    let b = import(&dir, &source);
    assert_eq!(stdout(&a), stdout(&b));
    // The design written, imported again from the same files: the same bytes.
    let out = scratch_dir("import-twice");
    for name in ["one.toml", "two.toml"] {
        let path = out.join(name);
        let mut args = source.to_vec();
        args.extend(["--out", path.to_str().unwrap()]);
        assert_eq!(code(&import(&fixture("small"), &args)), 0);
    }
    assert_eq!(
        std::fs::read(out.join("one.toml")).unwrap(),
        std::fs::read(out.join("two.toml")).unwrap()
    );
}

#[test]
fn trusted_access_without_an_instance_is_enabled_in_the_start() {
    // Organizations only: trusted access on, no instance, no delegate.
    let dir = copy("small");
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_str().unwrap().to_string();
        if !name.starts_with("organizations-") && !name.starts_with("ds-") {
            std::fs::remove_file(p).unwrap();
        }
    }
    std::fs::write(
        dir.join("sso-admin-list-instances.json"),
        "{\"Instances\": []}",
    )
    .unwrap();
    let delegates = dir.join("organizations-list-delegated-administrators.json");
    std::fs::write(&delegates, "{\"DelegatedAdministrators\": []}").unwrap();
    let out = import(&dir, &[]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("call = \"EnableAWSServiceAccess\""), "{text}");
    assert!(!text.contains("EnableIdentityCenter"), "{text}");
    // With trusted access off and a delegate, the files contradict each other (DA-4).
    let access = dir.join("organizations-list-aws-service-access-for-organization.json");
    std::fs::write(&access, "{\"EnabledServicePrincipals\": []}").unwrap();
    std::fs::copy(
        fixture("small").join("organizations-list-delegated-administrators.json"),
        &delegates,
    )
    .unwrap();
    refused(&import(&dir, &[]), &["EnabledServicePrincipals", "DA-4"]);
}

#[test]
fn a_shared_directory_belongs_to_its_owner_in_the_organization() {
    let dir = copy("small");
    let accounts: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("organizations-list-accounts.json")).unwrap(),
    )
    .unwrap();
    let prod = accounts["Accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["Name"] == "workloads-prod")
        .unwrap()["Id"]
        .as_str()
        .unwrap()
        .to_string();
    // The account without a directory sees one shared by workloads-prod, and one shared
    // from outside the organization (skipped).
    let empty = files_of(&dir, "ds-describe-directories")
        .into_iter()
        .find(|p| std::fs::read_to_string(p).unwrap().contains("[]"))
        .unwrap();
    let shared = |id: &str, owner: &str| {
        serde_json::json!({"DirectoryId": id, "Type": "SharedMicrosoftAD", "Stage": "Active",
            "OwnerDirectoryDescription": {"AccountId": owner, "DirectoryId": id}})
    };
    let doc = serde_json::json!({"DirectoryDescriptions": [
        shared("d-1111111111", &prod),
        shared("d-2222222222", "999999999999"),
    ]});
    std::fs::write(&empty, doc.to_string()).unwrap();
    let out = import(
        &dir,
        &["--identity-source", "active-directory:workloads-prod"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert_eq!(text.matches("call = \"CreateMicrosoftAD\"").count(), 3);
    assert!(text.contains("{ caller = \"workloads-prod\", call = \"CreateMicrosoftAD\" }"));
}
