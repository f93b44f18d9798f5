//! The hazards of issue 2, pinned with stateright's own checker (`assert_discovery`
//! checks that *our* call list is a valid discovery, whatever the search order).

use std::collections::BTreeSet;

use idc_model::{
    Acct, Call, Config, Group, IdcModel, IdentitySource, Op, PermissionSet, Practice, Principal,
    User,
};
use stateright::{Checker, HasDiscoveries, Model};

const M: Acct = Acct::MANAGEMENT;
const M1: Acct = Acct(1);

fn call(caller: Acct, op: Op) -> Call {
    Call { caller, op }
}

fn one_member() -> Config {
    Config {
        members: 1,
        ..Config::default()
    }
}

fn checker_for(cfg: Config, names: &[&'static str]) -> impl Checker<IdcModel> {
    IdcModel::new(cfg)
        .unwrap()
        .checker()
        .finish_when(HasDiscoveries::AllOf(
            names.iter().copied().collect::<BTreeSet<_>>(),
        ))
        .spawn_bfs()
        .join()
}

/// (a) IDC-3: the delegate adds a user to a group that the management account assigned to
/// the management account.
fn hazard_a() -> Vec<Call> {
    vec![
        call(M, Op::CreateInstance),
        call(M, Op::CreatePermissionSet(PermissionSet(0))),
        call(M, Op::CreateUser(User(0))),
        call(M, Op::CreateGroup(Group(0))),
        call(
            M,
            Op::CreateAccountAssignment {
                target: M,
                permission_set: PermissionSet(0),
                principal: Principal::Group(Group(0)),
            },
        ),
        call(M, Op::RegisterDelegatedAdministrator(M1)),
        call(M1, Op::CreateGroupMembership(Group(0), User(0))),
    ]
}

/// (b) SRC-2 is enforced only at an identity-source change: the delegate moves the source
/// to its own directory and is then deregistered.
fn hazard_b() -> Vec<Call> {
    vec![
        call(M, Op::CreateInstance),
        call(M, Op::RegisterDelegatedAdministrator(M1)),
        call(M1, Op::CreateDirectory),
        call(
            M1,
            Op::ChangeIdentitySource(IdentitySource::ActiveDirectory(M1)),
        ),
        call(M, Op::DeregisterDelegatedAdministrator(M1)),
    ]
}

/// (c) After (b), the former delegate leaves the organization with its directory still
/// the identity source.
fn hazard_c() -> Vec<Call> {
    let mut calls = hazard_b();
    calls.push(call(M, Op::RemoveAccountFromOrganization(M1)));
    calls
}

#[test]
fn hazard_a_delegate_edits_membership_of_management_group() {
    let names = [
        "management-access-changed-only-by-management",
        "management-access-granted-only-by-management",
    ];
    let checker = checker_for(one_member(), &names);
    for name in names {
        checker.assert_discovery(name, hazard_a());
    }
}

#[test]
fn hazard_a_prevented_by_users_only_practice() {
    // IDC-7: with the practice, the management account never makes step 5.
    let mut cfg = one_member();
    cfg.practices.insert(Practice::UsersOnlyInManagement);
    let model = IdcModel::new(cfg).unwrap();
    let (mut state, calls) = (model.initial(), hazard_a());
    for (i, c) in calls.iter().enumerate() {
        match model.step(&state, *c) {
            Ok(next) => state = next,
            Err(e) => {
                assert_eq!(i, 4, "only the group assignment is not made");
                assert_eq!(
                    e,
                    idc_model::Refusal::Practice(Practice::UsersOnlyInManagement)
                );
            }
        }
    }
    // The whole state space: no non-management call ever grants access to the management
    // account.
    let checker = IdcModel::new(cfg).unwrap().checker().spawn_bfs().join();
    assert!(checker
        .discovery("management-access-granted-only-by-management")
        .is_none());
}

#[test]
fn hazard_b_directory_left_with_former_delegate() {
    let checker = checker_for(one_member(), &["ad-directory-in-correct-owner"]);
    checker.assert_discovery("ad-directory-in-correct-owner", hazard_b());
}

#[test]
fn hazard_c_directory_owner_leaves_organization() {
    let checker = checker_for(one_member(), &["ad-directory-inside-organization"]);
    checker.assert_discovery("ad-directory-inside-organization", hazard_c());
    let mut by_leaving = hazard_b();
    by_leaving.push(call(M1, Op::LeaveOrganization));
    checker.assert_discovery("ad-directory-inside-organization", by_leaving);
}

#[test]
fn hazard_b_refused_when_src2_enforced_at_deregistration() {
    // Q4: with SRC-2 also enforced at deregistration, step 5 of (b) is refused.
    let mut cfg = one_member();
    cfg.assumptions
        .set("src2-enforced-at=also-deregistration")
        .unwrap();
    let checker = IdcModel::new(cfg).unwrap().checker().spawn_bfs().join();
    assert!(
        checker.discovery("ad-directory-in-correct-owner").is_some(),
        "registration while the management account's directory is the source still breaks it"
    );
    let model = IdcModel::new(cfg).unwrap();
    let calls = hazard_b();
    let mut state = model.initial();
    for c in &calls[..4] {
        state = model.step(&state, *c).unwrap();
    }
    assert!(model.step(&state, calls[4]).is_err());
}

#[test]
fn safety_properties_hold_under_the_rules() {
    // DA-7, DA-2/DA-3/ORG-3, IDC-1, IDC-2/IDC-5, DA-10 hold in every reachable state.
    let checker = IdcModel::new(one_member())
        .unwrap()
        .checker()
        .spawn_bfs()
        .join();
    for name in [
        "at-most-one-delegated-admin",
        "delegate-is-active-member",
        "instance-in-management-account",
        "delegate-never-alters-management-permission-sets",
        "deregistration-preserves-assignments",
    ] {
        assert!(checker.discovery(name).is_none(), "{name} should hold");
    }
    for name in [
        "delegate-registered-with-ad-source",
        "delegate-assigns-in-member-account",
        "delegate-with-external-idp",
        "user-reaches-management-account",
    ] {
        assert!(
            checker.discovery(name).is_some(),
            "{name} should have an example"
        );
    }
    assert_eq!(checker.unique_state_count(), 16_688);
}

#[test]
fn relaxing_da7_allows_a_second_delegate() {
    let mut cfg = Config::default();
    cfg.relaxed.insert(idc_model::Rule::Da7);
    let checker = checker_for(cfg, &["at-most-one-delegated-admin"]);
    checker.assert_discovery(
        "at-most-one-delegated-admin",
        vec![
            call(M, Op::CreateInstance),
            call(M, Op::RegisterDelegatedAdministrator(Acct(1))),
            call(M, Op::RegisterDelegatedAdministrator(Acct(2))),
        ],
    );
}

#[test]
fn model_actions_are_deterministic() {
    let model = IdcModel::new(Config::default()).unwrap();
    let (mut a, mut b) = (Vec::new(), Vec::new());
    model.actions(&model.initial(), &mut a);
    model.actions(&model.initial(), &mut b);
    assert_eq!(a, b);
}
