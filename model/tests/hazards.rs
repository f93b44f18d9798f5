//! The hazards found so far, pinned with stateright's own checker (`assert_discovery`
//! checks that *our* action list is a valid discovery, whatever the search order).

use std::collections::BTreeSet;

use idc_model::{
    Acct, Action, Branch, Call, Config, Decision, Group, IdcModel, IdentitySource, Op,
    PermissionSet, Practice, Principal, User,
};
use stateright::{Checker, HasDiscoveries, Model};

const M: Acct = Acct::MANAGEMENT;
const M1: Acct = Acct(1);
const PS: PermissionSet = PermissionSet(0);

/// A call that meets no `either` decision.
fn call(caller: Acct, op: Op) -> Action {
    Action::from(Call { caller, op })
}

/// A call along a branch: `readings` are (decision, reading number).
fn along(caller: Acct, op: Op, readings: &[(Decision, u8)]) -> Action {
    Action {
        call: Call { caller, op },
        branch: readings
            .iter()
            .fold(Branch::NONE, |b, (d, r)| b.with(*d, *r)),
    }
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

fn assign(target: Acct, principal: Principal) -> Op {
    Op::CreateAccountAssignment {
        target,
        permission_set: PS,
        principal,
    }
}

/// (a) IDC-3: the delegate adds a user to a group that the management account assigned to
/// the management account.
fn hazard_a() -> Vec<Action> {
    vec![
        call(M, Op::EnableIdentityCenter),
        call(M, Op::CreatePermissionSet(PS)),
        call(M, Op::CreateUser(User(0))),
        call(M, Op::CreateGroup(Group(0))),
        call(M, assign(M, Principal::Group(Group(0)))),
        call(M, Op::RegisterDelegatedAdministrator(M1)),
        call(M1, Op::CreateGroupMembership(Group(0), User(0))),
    ]
}

/// (b) SRC-2 is enforced only at an identity-source change (Q4 `source-change` at the
/// deregistration): the delegate moves the source to its own directory and is then
/// deregistered.
fn hazard_b() -> Vec<Action> {
    vec![
        call(M, Op::EnableIdentityCenter),
        call(M, Op::RegisterDelegatedAdministrator(M1)),
        call(M1, Op::CreateMicrosoftAd),
        // A1: configurable AD sync stays off.
        along(
            M1,
            Op::ChangeIdentitySource(IdentitySource::ActiveDirectory(M1)),
            // Q9 delegate-if-registered (the seed page): the directory may be the
            // delegate's.
            &[(Decision::A1, 0), (Decision::Q9, 0)],
        ),
        // Q4: SRC-2 not enforced at deregistration.
        along(
            M,
            Op::DeregisterDelegatedAdministrator(M1),
            &[(Decision::Q4, 0)],
        ),
    ]
}

/// (c) After (b), the former delegate leaves the organization with its directory still
/// the identity source (Q5 does not arise: nothing is assigned to it).
fn hazard_c() -> Vec<Action> {
    let mut actions = hazard_b();
    actions.push(call(M, Op::RemoveAccountFromOrganization(M1)));
    actions
}

/// (d) SRC-6: following the seed's advice (the directory in the delegate's account), the
/// management account assigns a directory user to itself: the member that owns the
/// directory controls an identity that reaches the management account.
fn hazard_d() -> Vec<Action> {
    vec![
        call(M, Op::EnableIdentityCenter),
        call(M, Op::RegisterDelegatedAdministrator(M1)),
        call(M, Op::CreatePermissionSet(PS)),
        call(M1, Op::CreateMicrosoftAd),
        along(
            M,
            Op::ChangeIdentitySource(IdentitySource::ActiveDirectory(M1)),
            // Q9 delegate-if-registered (the seed page): the directory may be the
            // delegate's.
            &[(Decision::A1, 0), (Decision::Q9, 0)],
        ),
        call(M1, Op::DirectoryCreateUser(User(0))),
        call(M, assign(M, Principal::User(User(0)))),
    ]
}

/// (e) SRC-7 with SRC-3: the delegate changes the identity source, which removes the
/// permission-set roles from every account, the management account's included.
fn hazard_e() -> Vec<Action> {
    vec![
        call(M, Op::EnableIdentityCenter),
        call(M, Op::RegisterDelegatedAdministrator(M1)),
        call(M, Op::CreatePermissionSet(PS)),
        call(
            M,
            Op::ProvisionPermissionSet {
                permission_set: PS,
                target: M,
            },
        ),
        call(M1, Op::CreateMicrosoftAd),
        along(
            M1,
            Op::ChangeIdentitySource(IdentitySource::ActiveDirectory(M1)),
            // Q9 delegate-if-registered (the seed page): the directory may be the
            // delegate's.
            &[(Decision::A1, 0), (Decision::Q9, 0)],
        ),
    ]
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
    let (mut state, actions) = (model.initial(), hazard_a());
    for (i, a) in actions.iter().enumerate() {
        match model.step(&state, *a).expect("no decision met") {
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
fn hazard_c_directory_owner_closed() {
    // A closed (SUSPENDED) owner is still in the organization, but its directory serves
    // nobody (SRC-2, SRC-6, ORG-6); closing the former delegate meets no Q3 decision.
    let checker = checker_for(
        one_member(),
        &[
            "ad-directory-owner-active",
            "ad-directory-inside-organization",
        ],
    );
    let mut by_closing = hazard_b();
    by_closing.push(call(M1, Op::CloseOwnAccount));
    checker.assert_discovery("ad-directory-owner-active", by_closing.clone());
    // The suspended owner is still inside the organization (ORG-2).
    let model = IdcModel::new(one_member()).unwrap();
    let mut state = model.init_states().remove(0);
    for action in by_closing {
        state = model.next_state(&state, action).unwrap();
    }
    let inside = idc_model::PROPERTIES
        .iter()
        .find(|p| p.name == "ad-directory-inside-organization")
        .unwrap();
    assert!((inside.holds)(&state));
}

#[test]
fn hazard_b_refused_when_src2_enforced_at_deregistration() {
    // Q4: with SRC-2 also enforced at deregistration, step 5 of (b) is refused.
    let mut cfg = one_member();
    cfg.assumptions
        .set("src2-enforced-at=also-deregistration")
        .unwrap();
    let model = IdcModel::new(cfg).unwrap();
    let actions = hazard_b();
    let mut state = model.initial();
    for a in &actions[..4] {
        state = model.step(&state, *a).unwrap().unwrap();
    }
    let dereg = Action::from(actions[4].call);
    assert!(model.step(&state, dereg).unwrap().is_err());
}

#[test]
fn hazard_d_directory_owner_controls_a_management_identity() {
    let name = "management-identities-controlled-by-management";
    let checker = checker_for(one_member(), &[name]);
    checker.assert_discovery(name, hazard_d());
    // Without the final assignment, nobody reaches the management account: it holds.
    let model = IdcModel::new(one_member()).unwrap();
    let mut state = model.initial();
    for a in &hazard_d()[..6] {
        state = model.step(&state, *a).unwrap().unwrap();
    }
    let p = idc_model::properties::property(name).unwrap();
    assert!((p.holds)(&state));
}

#[test]
fn hazard_e_delegate_deprovisions_management_permission_set_by_source_change() {
    let name = "delegate-never-alters-management-permission-sets";
    let checker = checker_for(one_member(), &[name]);
    checker.assert_discovery(name, hazard_e());
}

#[test]
fn either_hazards_need_their_reading() {
    // Q3: the delegate closes its own account and is deregistered (ORG-6).
    let checker = checker_for(
        one_member(),
        &[
            "registry-changed-only-by-management",
            "delegate-is-active-member",
            "delegated-admin-has-trusted-access",
            "no-assignment-to-inactive-account",
        ],
    );
    let registered = vec![
        call(M, Op::EnableIdentityCenter),
        call(M, Op::RegisterDelegatedAdministrator(M1)),
    ];
    let with = |last: Action| {
        let mut v = registered.clone();
        v.push(last);
        v
    };
    checker.assert_discovery(
        "registry-changed-only-by-management",
        with(along(M1, Op::CloseOwnAccount, &[(Decision::Q3, 2)])),
    );
    // Q3 keeps-registration: a closed delegate stays registered.
    checker.assert_discovery(
        "delegate-is-active-member",
        with(along(M, Op::CloseAccount(M1), &[(Decision::Q3, 1)])),
    );
    // Q2 keeps-registration: trusted access off with a delegate registered.
    checker.assert_discovery(
        "delegated-admin-has-trusted-access",
        with(along(M, Op::DisableAwsServiceAccess, &[(Decision::Q2, 0)])),
    );
    // Q5 kept: the assignment to a removed account stays.
    checker.assert_discovery(
        "no-assignment-to-inactive-account",
        vec![
            call(M, Op::EnableIdentityCenter),
            call(M, Op::CreatePermissionSet(PS)),
            call(M, Op::CreateUser(User(0))),
            call(M, assign(M1, Principal::User(User(0)))),
            along(
                M,
                Op::RemoveAccountFromOrganization(M1),
                &[(Decision::Q5, 1)],
            ),
        ],
    );
}

#[test]
fn safety_properties_hold_under_the_rules() {
    // DA-7, IDC-1, DA-10, IDC-4/ORG-4 and ORG-5 hold in every reachable state, whatever
    // AWS does where it is silent (the default assumptions are `either`).
    let checker = IdcModel::new(one_member())
        .unwrap()
        .checker()
        .spawn_bfs()
        .join();
    for name in [
        "at-most-one-delegated-admin",
        "instance-in-management-account",
        "deregistration-preserves-assignments",
        "trusted-access-changed-only-by-management",
    ] {
        assert!(checker.discovery(name).is_none(), "{name} should hold");
    }
    // Model 3: administered-only-by-management-or-delegate also counts the directory-side
    // (ds-data) writes to the synced store by a non-delegate (SRC-6): the directory's
    // owner, deregistered (hazard b), writes to it.
    for name in [
        "administered-only-by-management-or-delegate",
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
    let outsider = checker
        .discovery("administered-only-by-management-or-delegate")
        .unwrap();
    let actions = outsider.into_actions();
    let last = actions.last().expect("a step");
    assert_eq!(
        last.call.op.service(),
        idc_model::call::Service::DirectoryService,
        "{actions:?}"
    );
    // Every state of the model, account instances included (model 3: user status,
    // the IdP's configurer and AD sync pause multiply the states).
    assert_eq!(checker.unique_state_count(), 197_600);
}

#[test]
fn relaxing_da7_allows_a_second_delegate() {
    let mut cfg = Config::default();
    cfg.relaxed.insert(idc_model::Rule::Da7);
    let checker = checker_for(cfg, &["at-most-one-delegated-admin"]);
    checker.assert_discovery(
        "at-most-one-delegated-admin",
        vec![
            call(M, Op::EnableIdentityCenter),
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
