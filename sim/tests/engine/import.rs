//! `idc import`'s mapping on organizations built by hand: what it refuses (naming what
//! does not fit), how it names accounts, and that list order does not matter.

use idc_sim::engine::import::{design, Account, Organization, Source, Status};
use idc_sim::format::design::parse;

fn org(members: &[(&str, &str, Status)]) -> Organization {
    let mut accounts = vec![Account {
        id: "100000000000".into(),
        name: "root".into(),
        status: Status::Active,
    }];
    accounts.extend(members.iter().map(|(id, name, status)| Account {
        id: id.to_string(),
        name: name.to_string(),
        status: *status,
    }));
    Organization {
        management: "100000000000".into(),
        accounts,
        ..Organization::default()
    }
}

#[test]
fn more_distinct_role_accounts_than_members_are_refused() {
    let ids: Vec<(String, String)> = (1..=7)
        .map(|i| (format!("20000000000{i}"), format!("closed-{i}")))
        .collect();
    let members: Vec<(&str, &str, Status)> = ids
        .iter()
        .map(|(id, name)| (id.as_str(), name.as_str(), Status::Suspended))
        .collect();
    let e = design(&org(&members), &Source::IdentityCenterDirectory).unwrap_err();
    assert!(
        e.to_string()
            .contains("7 member accounts have a distinct role"),
        "{e}"
    );
}

#[test]
fn names_that_clash_or_are_not_words_carry_the_id() {
    let mut o = org(&[
        ("200000000001", "prod", Status::Active),
        ("200000000002", "prod", Status::Suspended),
        ("200000000003", "Log Archive", Status::PendingClosure),
        ("200000000004", "delegate", Status::Suspended),
    ]);
    o.delegates = vec!["200000000001".into()];
    let text = design(&o, &Source::IdentityCenterDirectory).unwrap();
    assert!(
        text.contains("member-1 = \"prod (200000000001)\""),
        "{text}"
    );
    assert!(
        text.contains("member-2 = \"prod (200000000002)\""),
        "{text}"
    );
    assert!(text.contains("\"Log Archive (200000000003)\""), "{text}");
    assert!(text.contains("\"delegate (200000000004)\""), "{text}");
    parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    // The list's order does not change the design.
    o.accounts.reverse();
    assert_eq!(design(&o, &Source::IdentityCenterDirectory).unwrap(), text);
}

#[test]
fn an_organization_without_members_or_with_two_delegates_is_refused() {
    let e = design(&org(&[]), &Source::IdentityCenterDirectory).unwrap_err();
    assert!(e.to_string().contains("no member account"), "{e}");
    let mut o = org(&[
        ("200000000001", "a", Status::Active),
        ("200000000002", "b", Status::Active),
    ]);
    o.delegates = vec!["200000000001".into(), "200000000002".into()];
    let e = design(&o, &Source::IdentityCenterDirectory).unwrap_err();
    assert!(e.to_string().contains("2 delegated administrators"), "{e}");
}
