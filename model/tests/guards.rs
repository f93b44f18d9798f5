//! Every guard of `model/src/step/`, case by case: what each rule allows (the call
//! succeeds, with its effect on the state), what it refuses (the exact API error and the rule
//! that refused, or the practice), and that relaxing a relaxable rule lets the refused call
//! through. States are built by running calls from `State::initial` through `step`.
//!
//! The shared configuration takes every assumption at a concrete reading
//! ([`Assumptions::concrete`]: the first model's defaults), so that every call has exactly
//! one outcome; the tests of `either` (the default) enumerate the outcomes with `outcomes`.
//!
//! Each test names its rule id first (`da7_…`, `q3_…`, `src4_…`) and carries it in a comment.

use idc_model::access::{assigned_users, effective_access};
use idc_model::assumptions::{
    AdSyncOnConnect, AdToOtherDirectory, CloseDelegate, DepartedAccountAssignments,
    DisableTrustedAccessWithDelegate, LastAssignmentDeprovisions, ManagementUserAccess,
    SecondDelegateError, Src2EnforcedAt,
};
use idc_model::rules::Implementation;
use idc_model::state::ghost;
use idc_model::{
    outcomes, Acct, ApiError, Assumptions, Branch, Call, Config, Decision, Exception, Group,
    IdentitySource, InstanceRef, Op, PermissionSet, Practice, Principal, Reason, Refusal, Rule,
    State, User,
};

const M: Acct = Acct::MANAGEMENT;
const A: Acct = Acct(1);
const B: Acct = Acct(2);
const C: Acct = Acct(3);
const U0: User = User(0);
const U1: User = User(1);
const G0: Group = Group(0);
const G1: Group = Group(1);
const P0: PermissionSet = PermissionSet(0);
const P1: PermissionSet = PermissionSet(1);

const IDC: IdentitySource = IdentitySource::IdentityCenterDirectory;
const EXT: IdentitySource = IdentitySource::ExternalIdp;

const fn ad(owner: Acct) -> IdentitySource {
    IdentitySource::ActiveDirectory(owner)
}

// ------------------------------------------------------------------------------ helpers

/// Three members, two users, two groups, two permission sets, every assumption at its
/// concrete reading (the first model's defaults: no call branches).
fn cfg() -> Config {
    Config {
        assumptions: Assumptions::concrete(),
        ..either_cfg()
    }
}

/// `cfg` with the real default assumptions (`either` for Q2..Q5, A1..A3): calls branch.
fn either_cfg() -> Config {
    Config {
        members: 3,
        users: 2,
        groups: 2,
        permission_sets: 2,
        ..Config::default()
    }
}

/// The one outcome of `call` under a configuration where it meets no `either` decision;
/// panics if the call branches.
#[track_caller]
fn step(cfg: &Config, s: &State, call: Call) -> Result<State, Refusal> {
    idc_model::step(cfg, s, call, Branch::NONE).unwrap_or_else(|| {
        panic!("`{call}` branches under this configuration: use `outcomes` or a branch")
    })
}

/// Every outcome of `call`, with its branch, in the order `outcomes` gives them.
fn all_outcomes(cfg: &Config, s: &State, call: Call) -> Vec<(Branch, Result<State, Refusal>)> {
    let mut all = Vec::new();
    outcomes(cfg, s, call, |b, r| all.push((b, r)));
    all
}

/// Every outcome of `call`, with its branch named as `Branch::to_string()` names it, sorted
/// by name.
fn named_outcomes(cfg: &Config, s: &State, call: Call) -> Vec<(String, Result<State, Refusal>)> {
    let mut all: Vec<_> = all_outcomes(cfg, s, call)
        .into_iter()
        .map(|(b, r)| (b.to_string(), r))
        .collect();
    all.sort_by(|x, y| x.0.cmp(&y.0));
    all
}

/// `outcomes` as `named_outcomes` gives them, sorted by name, from `(name, outcome)` pairs.
fn sorted(mut want: Vec<(&str, Result<State, Refusal>)>) -> Vec<(String, Result<State, Refusal>)> {
    want.sort_by(|x, y| x.0.cmp(y.0));
    want.into_iter().map(|(n, r)| (n.to_string(), r)).collect()
}

/// `cfg` with `rules` relaxed.
fn relax(cfg: &Config, rules: &[Rule]) -> Config {
    let mut relaxed = *cfg;
    for rule in rules {
        relaxed.relaxed.insert(*rule);
    }
    relaxed
}

/// `cfg` with a practice followed.
fn practising(cfg: &Config, practice: Practice) -> Config {
    let mut c = *cfg;
    c.practices.insert(practice);
    c
}

fn c(caller: Acct, op: Op) -> Call {
    Call { caller, op }
}

/// The same operations, all called by the management account.
fn mgmt(ops: &[Op]) -> Vec<Call> {
    ops.iter().map(|op| c(M, *op)).collect()
}

fn user(u: User) -> Principal {
    Principal::User(u)
}

fn group(g: Group) -> Principal {
    Principal::Group(g)
}

fn assign(target: Acct, permission_set: PermissionSet, principal: Principal) -> Op {
    Op::CreateAccountAssignment {
        target,
        permission_set,
        principal,
    }
}

fn unassign(target: Acct, permission_set: PermissionSet, principal: Principal) -> Op {
    Op::DeleteAccountAssignment {
        target,
        permission_set,
        principal,
    }
}

/// Runs `calls` in order from the initial state; panics naming the first refused call.
#[track_caller]
fn run(cfg: &Config, calls: &[Call]) -> State {
    run_from(cfg, &State::initial(cfg), calls)
}

/// Runs `calls` in order from `s`; panics naming the first refused call.
#[track_caller]
fn run_from(cfg: &Config, s: &State, calls: &[Call]) -> State {
    let mut s = s.clone();
    for (i, call) in calls.iter().enumerate() {
        s = match step(cfg, &s, *call) {
            Ok(next) => next,
            Err(refusal) => panic!("setup step {} `{call}` was refused: {refusal}", i + 1),
        };
    }
    s
}

/// The state after `call`, which must be allowed.
#[track_caller]
fn ok(cfg: &Config, s: &State, call: Call) -> State {
    step(cfg, s, call).unwrap_or_else(|refusal| panic!("`{call}` was refused: {refusal}"))
}

/// The refusal of `call`, which must be refused.
#[track_caller]
fn refusal(cfg: &Config, s: &State, call: Call) -> Refusal {
    match step(cfg, s, call) {
        Ok(next) => panic!("`{call}` was allowed; next state {next:?}"),
        Err(refusal) => refusal,
    }
}

/// A plain exception raised by a rule's guard.
fn denied(exception: Exception, rule: Rule) -> Refusal {
    Refusal::Api {
        error: ApiError {
            exception,
            reason: None,
        },
        rule: Some(rule),
    }
}

/// A `ConstraintViolationException` with its reason, raised by a rule's guard.
fn violation(reason: Reason, rule: Rule) -> Refusal {
    Refusal::Api {
        error: ApiError {
            exception: Exception::ConstraintViolationException,
            reason: Some(reason),
        },
        rule: Some(rule),
    }
}

/// An exception raised by the API's own preconditions (no catalogued rule).
fn precondition(exception: Exception) -> Refusal {
    Refusal::Api {
        error: ApiError {
            exception,
            reason: None,
        },
        rule: None,
    }
}

/// `s` as a successful step leaves it when it changes only what `edit` changes (and sets
/// no ghost bit).
fn expect(s: &State, edit: impl FnOnce(&mut State)) -> State {
    let mut want = s.clone();
    want.ghost = 0;
    edit(&mut want);
    want
}

fn instance() -> Vec<Call> {
    mgmt(&[Op::EnableIdentityCenter])
}

/// The instance and `d` registered as delegated administrator.
fn with_delegate(d: Acct) -> Vec<Call> {
    mgmt(&[
        Op::EnableIdentityCenter,
        Op::RegisterDelegatedAdministrator(d),
    ])
}

fn provision(permission_set: PermissionSet, target: Acct) -> Op {
    Op::ProvisionPermissionSet {
        permission_set,
        target,
    }
}

fn remove_from(permission_set: PermissionSet, target: Acct) -> Op {
    Op::RemovePermissionSetFromAccount {
        permission_set,
        target,
    }
}

const ORG_INSTANCE: Op = Op::DeleteInstance(InstanceRef::Organization);

/// Two users, two groups and two permission sets, created by the management account.
fn identities() -> Vec<Call> {
    mgmt(&[
        Op::CreateUser(U0),
        Op::CreateUser(U1),
        Op::CreateGroup(G0),
        Op::CreateGroup(G1),
        Op::CreatePermissionSet(P0),
        Op::CreatePermissionSet(P1),
    ])
}

/// Member-1 is the delegate; `ps-1` is provisioned in the management account (assigned to
/// `user-1` there); `ps-2` is provisioned nowhere.
fn ps_in_management() -> Vec<Call> {
    [
        with_delegate(A),
        identities(),
        mgmt(&[assign(M, P0, user(U0))]),
    ]
    .concat()
}

/// Every Organizations operation that checks its caller with `org_caller` (ORG-1, ORG-2).
fn org_caller_ops(t: Acct) -> [Op; 8] {
    [
        Op::InviteAccountToOrganization(t),
        Op::LeaveOrganization,
        Op::RemoveAccountFromOrganization(t),
        Op::CloseAccount(t),
        Op::EnableAwsServiceAccess,
        Op::DisableAwsServiceAccess,
        Op::RegisterDelegatedAdministrator(t),
        Op::DeregisterDelegatedAdministrator(t),
    ]
}

/// Every directory-side operation (SRC-6: made in an AD directory by its owner).
fn directory_ops() -> [Op; 7] {
    [
        Op::DirectoryCreateUser(U0),
        Op::DirectoryDeleteUser(U0),
        Op::DirectoryCreateGroup(G0),
        Op::DirectoryDeleteGroup(G0),
        Op::DirectoryAddGroupMember(G0, U0),
        Op::DirectoryRemoveGroupMember(G0, U0),
        Op::DirectoryResetUserPassword(U0),
    ]
}

/// Every IAM Identity Center / Identity Store operation that checks its caller with `admin`.
fn admin_ops() -> [Op; 16] {
    [
        Op::ChangeIdentitySource(EXT),
        Op::EnableConfigurableAdSync,
        Op::DisableConfigurableAdSync,
        Op::CreatePermissionSet(P0),
        Op::UpdatePermissionSet(P0),
        Op::DeletePermissionSet(P0),
        provision(P0, A),
        remove_from(P0, A),
        assign(A, P0, user(U0)),
        unassign(A, P0, user(U0)),
        Op::CreateUser(U0),
        Op::DeleteUser(U0),
        Op::CreateGroup(G0),
        Op::DeleteGroup(G0),
        Op::CreateGroupMembership(G0, U0),
        Op::DeleteGroupMembership(G0, U0),
    ]
}

// ---------------------------------------------------------------- every rule, at a glance

/// One call each rule's guard refuses: the configuration, the calls that build the state,
/// the call. `None` for the rules the model implements as effects or not at all.
fn refused_example(rule: Rule) -> Option<(Config, Vec<Call>, Call)> {
    let cfg = cfg();
    let enable = mgmt(&[Op::EnableAwsServiceAccess]);
    Some(match rule {
        Rule::Org1 => (
            cfg,
            vec![c(A, Op::LeaveOrganization)],
            c(A, Op::LeaveOrganization),
        ),
        Rule::Org2 => (cfg, vec![], c(M, Op::LeaveOrganization)),
        Rule::Org3 => (cfg, with_delegate(A), c(A, Op::LeaveOrganization)),
        Rule::Org4 => (
            cfg,
            [instance(), identities(), vec![c(B, Op::LeaveOrganization)]].concat(),
            c(M, assign(B, P0, user(U0))),
        ),
        Rule::Org5 => (cfg, vec![], c(A, Op::EnableAwsServiceAccess)),
        Rule::Da1 => (cfg, enable, c(A, Op::RegisterDelegatedAdministrator(B))),
        Rule::Da2 => (cfg, enable, c(M, Op::RegisterDelegatedAdministrator(M))),
        Rule::Da3 => (
            cfg,
            mgmt(&[Op::EnableAwsServiceAccess, Op::CloseAccount(A)]),
            c(M, Op::RegisterDelegatedAdministrator(A)),
        ),
        Rule::Da4 => (cfg, vec![], c(M, Op::RegisterDelegatedAdministrator(A))),
        Rule::Da5 => (
            cfg,
            [enable, vec![c(A, Op::LeaveOrganization)]].concat(),
            c(M, Op::RegisterDelegatedAdministrator(A)),
        ),
        Rule::Da6 => (
            cfg,
            with_delegate(A),
            c(M, Op::RegisterDelegatedAdministrator(A)),
        ),
        Rule::Da7 => (
            cfg,
            with_delegate(A),
            c(M, Op::RegisterDelegatedAdministrator(B)),
        ),
        Rule::Da8 => (cfg, enable, c(M, Op::DeregisterDelegatedAdministrator(A))),
        Rule::Da9 => (
            cfg,
            mgmt(&[
                Op::EnableIdentityCenter,
                Op::CreateDirectory,
                Op::ChangeIdentitySource(ad(M)),
            ]),
            c(M, Op::RegisterDelegatedAdministrator(A)),
        ),
        Rule::Idc1 => (cfg, vec![], c(A, Op::EnableIdentityCenter)),
        Rule::Idc1a => (cfg, vec![], c(M, Op::CreateInstance)),
        Rule::Idc2 => (cfg, ps_in_management(), c(A, Op::UpdatePermissionSet(P0))),
        Rule::Idc4 => (cfg, instance(), c(B, Op::CreateUser(U0))),
        Rule::Idc5 => (cfg, ps_in_management(), c(A, assign(B, P0, user(U0)))),
        Rule::Idc9 => (
            cfg,
            [instance(), identities(), mgmt(&[provision(P0, A)])].concat(),
            c(M, Op::DeletePermissionSet(P0)),
        ),
        Rule::Idc10 => (
            cfg,
            [
                instance(),
                identities(),
                mgmt(&[Op::DisableAwsServiceAccess]),
            ]
            .concat(),
            c(M, assign(A, P0, user(U0))),
        ),
        Rule::Src2 => (
            cfg,
            [instance(), vec![c(A, Op::CreateDirectory)]].concat(),
            c(M, Op::ChangeIdentitySource(ad(A))),
        ),
        Rule::Src6 => (cfg, ad_in_management(), c(M, Op::CreateUser(U0))),
        Rule::Org6
        | Rule::Da10
        | Rule::Idc3
        | Rule::Idc6
        | Rule::Idc7
        | Rule::Idc8
        | Rule::Src1
        | Rule::Src3
        | Rule::Src4
        | Rule::Src5
        | Rule::Src7
        | Rule::Src8 => return None,
    })
}

// Every rule of the catalogue that the model implements as a guard: its example is refused
// by that rule; relaxing the rule lets the call through, except DA-6 and DA-8 (fixed
// guards: the registry's own set semantics), which can't be relaxed. The other rules
// (effects, not modelled) have no example and are not relaxable.
#[test]
fn every_rule_refuses_its_example_and_relaxing_it_lets_the_call_through() {
    let mut guards = 0;
    for &rule in Rule::ALL {
        let Some((cfg, setup, call)) = refused_example(rule) else {
            assert!(
                matches!(
                    rule.implementation(),
                    Implementation::Effect | Implementation::NotModelled
                ),
                "{rule} is a guard: give it an example"
            );
            assert!(!rule.relaxable(), "{rule}");
            continue;
        };
        guards += 1;
        let s = run(&cfg, &setup);
        let strict = refusal(&cfg, &s, call);
        assert!(
            matches!(strict, Refusal::Api { rule: Some(r), .. } if r == rule),
            "{rule}: `{call}` refused by {strict:?}"
        );
        let relaxed = relax(&cfg, &[rule]);
        if rule.relaxable() {
            assert_eq!(rule.implementation(), Implementation::Guard, "{rule}");
            let out = step(&relaxed, &s, call);
            assert!(out.is_ok(), "{rule} relaxed: `{call}` gives {out:?}");
        } else {
            assert_eq!(rule.implementation(), Implementation::Fixed, "{rule}");
            assert!(matches!(rule, Rule::Da6 | Rule::Da8), "{rule}");
            assert_eq!(step(&relaxed, &s, call), Err(strict), "{rule}");
        }
    }
    assert_eq!(
        guards, 23,
        "ORG-1..5, DA-1..9, IDC-1, 1a, 2, 4, 5, 9, 10, SRC-2, SRC-6"
    );
}

// ------------------------------------------------------------------------------- ORG-1

// ORG-1: an account outside the organization calling Organizations.
#[test]
fn org1_outside_account_calling_organizations_refused_with_not_in_use() {
    let cfg = cfg();
    let s = run(&cfg, &[c(A, Op::LeaveOrganization)]);
    for op in org_caller_ops(B) {
        assert_eq!(
            refusal(&cfg, &s, c(A, op)),
            denied(Exception::AWSOrganizationsNotInUseException, Rule::Org1),
            "{op}"
        );
    }
}

// ORG-1 relaxed: the outside account's call goes on to the next guard or succeeds.
#[test]
fn org1_relaxed_lets_outside_account_call_organizations() {
    let cfg = relax(&cfg(), &[Rule::Org1]);
    let s = run(&cfg, &[c(A, Op::LeaveOrganization)]);
    assert_eq!(
        ok(&cfg, &s, c(A, Op::LeaveOrganization)),
        expect(&s, |_| {})
    );
    // ORG-5 (management only) is the next guard of EnableAWSServiceAccess.
    assert_eq!(
        refusal(&cfg, &s, c(A, Op::EnableAwsServiceAccess)),
        denied(Exception::AccessDeniedException, Rule::Org5)
    );
}

// ------------------------------------------------------------------------------- ORG-2

// ORG-2: a closed (suspended) account can't sign in to call Organizations.
#[test]
fn org2_closed_account_calling_organizations_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(&cfg, &mgmt(&[Op::CloseAccount(A)]));
    for op in org_caller_ops(B) {
        assert_eq!(
            refusal(&cfg, &s, c(A, op)),
            denied(Exception::AccessDeniedException, Rule::Org2),
            "{op}"
        );
    }
}

// ORG-2 relaxed: the closed account's call goes through.
#[test]
fn org2_relaxed_lets_closed_account_leave() {
    let cfg = relax(&cfg(), &[Rule::Org2]);
    let s = run(&cfg, &mgmt(&[Op::CloseAccount(A)]));
    let next = ok(&cfg, &s, c(A, Op::LeaveOrganization));
    assert_eq!(next, expect(&s, |w| w.in_org &= !A.bit()));
}

// ORG-2: a closed account can't accept a handshake; relaxed, the API's own precondition
// remains (a closed account can't have been invited).
#[test]
fn org2_closed_account_accepting_handshake_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(&cfg, &mgmt(&[Op::CloseAccount(A)]));
    assert_eq!(
        refusal(&cfg, &s, c(A, Op::AcceptHandshake)),
        denied(Exception::AccessDeniedException, Rule::Org2)
    );
    assert_eq!(
        refusal(&relax(&cfg, &[Rule::Org2]), &s, c(A, Op::AcceptHandshake)),
        precondition(Exception::HandshakeNotFoundException)
    );
}

// ORG-2: a closed account can't call IAM Identity Center, Account Management or Directory
// Service either (the account instance, ORG-6 and SRC-6 calls included).
#[test]
fn org2_closed_account_calling_identity_center_refused_with_access_denied() {
    let mut cfg = cfg();
    cfg.assumptions.close_delegate = CloseDelegate::KeepsRegistration;
    // Member-1 is the delegate, closed and still registered (Q3 keeps-registration).
    let s = run(
        &cfg,
        &[with_delegate(A), mgmt(&[Op::CloseAccount(A)])].concat(),
    );
    let closed_ops = admin_ops()
        .into_iter()
        .chain([
            Op::EnableIdentityCenter,
            ORG_INSTANCE,
            Op::CreateInstance,
            Op::DeleteInstance(InstanceRef::Account(A)),
            Op::CloseOwnAccount,
            Op::CreateDirectory,
        ])
        .chain(directory_ops());
    for op in closed_ops {
        assert_eq!(
            refusal(&cfg, &s, c(A, op)),
            denied(Exception::AccessDeniedException, Rule::Org2),
            "{op}"
        );
    }
    let relaxed = relax(&cfg, &[Rule::Org2]);
    let next = ok(&relaxed, &s, c(A, Op::CreateUser(U0)));
    assert_eq!(next, expect(&s, |w| w.users = U0.bit()));
    let next = ok(&relaxed, &s, c(A, Op::CreateDirectory));
    assert_eq!(next, expect(&s, |w| w.directories = A.bit()));
    // IDC-1 is the next guard of DeleteInstance(organization).
    assert_eq!(
        refusal(&relaxed, &s, c(A, ORG_INSTANCE)),
        denied(Exception::AccessDeniedException, Rule::Idc1)
    );
}

// ORG-2: only the management account invites, removes and closes.
#[test]
fn org2_member_inviting_removing_closing_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(&cfg, &[c(B, Op::LeaveOrganization)]);
    for op in [
        Op::InviteAccountToOrganization(B),
        Op::RemoveAccountFromOrganization(C),
        Op::CloseAccount(C),
    ] {
        assert_eq!(
            refusal(&cfg, &s, c(A, op)),
            denied(Exception::AccessDeniedException, Rule::Org2),
            "{op}"
        );
    }
}

// ORG-2 relaxed: a member invites, removes and closes.
#[test]
fn org2_relaxed_lets_member_invite_remove_close() {
    let cfg = relax(&cfg(), &[Rule::Org2]);
    let s = run(&cfg, &[c(B, Op::LeaveOrganization)]);
    let next = ok(&cfg, &s, c(A, Op::InviteAccountToOrganization(B)));
    assert_eq!(next, expect(&s, |w| w.invited = B.bit()));
    let next = ok(&cfg, &s, c(A, Op::RemoveAccountFromOrganization(C)));
    assert_eq!(next, expect(&s, |w| w.in_org &= !C.bit()));
    let next = ok(&cfg, &s, c(A, Op::CloseAccount(C)));
    assert_eq!(next, expect(&s, |w| w.closed = C.bit()));
}

// ORG-2: a member joins by invitation and acceptance.
#[test]
fn org2_management_invites_and_account_accepts() {
    let cfg = cfg();
    let s = run(&cfg, &[c(B, Op::LeaveOrganization)]);
    let invited = ok(&cfg, &s, c(M, Op::InviteAccountToOrganization(B)));
    assert_eq!(invited, expect(&s, |w| w.invited = B.bit()));
    let joined = ok(&cfg, &invited, c(B, Op::AcceptHandshake));
    assert_eq!(joined, expect(&State::initial(&cfg), |_| {}));
}

// ORG-2: invitation preconditions of the API.
#[test]
fn org2_invite_preconditions_refused_with_api_errors() {
    let cfg = cfg();
    let s = run(&cfg, &[]);
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::InviteAccountToOrganization(A))),
        Refusal::Api {
            error: ApiError {
                exception: Exception::HandshakeConstraintViolationException,
                reason: Some(Reason::ALREADY_IN_AN_ORGANIZATION),
            },
            rule: None,
        }
    );
    // A closed account that was then removed no longer exists for Organizations.
    let gone = run(
        &cfg,
        &mgmt(&[Op::CloseAccount(A), Op::RemoveAccountFromOrganization(A)]),
    );
    assert_eq!(gone.closed, A.bit());
    assert_eq!(
        refusal(&cfg, &gone, c(M, Op::InviteAccountToOrganization(A))),
        precondition(Exception::AccountNotFoundException)
    );
    let invited = run(
        &cfg,
        &[
            c(A, Op::LeaveOrganization),
            c(M, Op::InviteAccountToOrganization(A)),
        ],
    );
    assert_eq!(
        refusal(&cfg, &invited, c(M, Op::InviteAccountToOrganization(A))),
        precondition(Exception::DuplicateHandshakeException)
    );
    assert_eq!(
        refusal(&cfg, &s, c(A, Op::AcceptHandshake)),
        precondition(Exception::HandshakeNotFoundException)
    );
}

// ORG-2: the management account can't leave.
#[test]
fn org2_management_leaving_refused_with_master_cannot_leave() {
    let cfg = cfg();
    let s = run(&cfg, &[]);
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::LeaveOrganization)),
        denied(
            Exception::MasterCannotLeaveOrganizationException,
            Rule::Org2
        )
    );
    let relaxed = relax(&cfg, &[Rule::Org2]);
    let next = ok(&relaxed, &s, c(M, Op::LeaveOrganization));
    assert_eq!(next, expect(&s, |w| w.in_org &= !M.bit()));
}

// ORG-2: the management account can't be removed.
#[test]
fn org2_removing_management_refused_with_master_cannot_leave() {
    let cfg = cfg();
    let s = run(&cfg, &[]);
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::RemoveAccountFromOrganization(M))),
        denied(
            Exception::MasterCannotLeaveOrganizationException,
            Rule::Org2
        )
    );
    let relaxed = relax(&cfg, &[Rule::Org2]);
    let next = ok(&relaxed, &s, c(M, Op::RemoveAccountFromOrganization(M)));
    assert_eq!(next, expect(&s, |w| w.in_org &= !M.bit()));
}

// ORG-2: the management account can't be closed.
#[test]
fn org2_closing_management_refused_with_cannot_close_management_account() {
    let cfg = cfg();
    let s = run(&cfg, &[]);
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::CloseAccount(M))),
        violation(Reason::CANNOT_CLOSE_MANAGEMENT_ACCOUNT, Rule::Org2)
    );
    let relaxed = relax(&cfg, &[Rule::Org2]);
    let next = ok(&relaxed, &s, c(M, Op::CloseAccount(M)));
    assert_eq!(next, expect(&s, |w| w.closed = M.bit()));
}

// ORG-2: a member leaves; the management account removes and closes members.
#[test]
fn org2_member_life_cycle_allowed() {
    let cfg = cfg();
    let s = run(&cfg, &[]);
    let left = ok(&cfg, &s, c(A, Op::LeaveOrganization));
    assert_eq!(left, expect(&s, |w| w.in_org &= !A.bit()));
    let removed = ok(&cfg, &s, c(M, Op::RemoveAccountFromOrganization(A)));
    assert_eq!(removed, left);
    // A closed account is SUSPENDED: still in the organization.
    let closed = ok(&cfg, &s, c(M, Op::CloseAccount(A)));
    assert_eq!(closed, expect(&s, |w| w.closed = A.bit()));
    assert!(closed.in_org(A) && !closed.is_active(A));
    // A suspended account can still be removed.
    let removed_closed = ok(&cfg, &closed, c(M, Op::RemoveAccountFromOrganization(A)));
    assert_eq!(removed_closed, expect(&closed, |w| w.in_org &= !A.bit()));
}

// ORG-2: removal and closure preconditions of the API.
#[test]
fn org2_remove_and_close_preconditions_refused_with_api_errors() {
    let cfg = cfg();
    let s = run(&cfg, &[c(A, Op::LeaveOrganization)]);
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::RemoveAccountFromOrganization(A))),
        precondition(Exception::AccountNotFoundException)
    );
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::CloseAccount(A))),
        precondition(Exception::AccountNotFoundException)
    );
    let closed = run(&cfg, &mgmt(&[Op::CloseAccount(B)]));
    assert_eq!(
        refusal(&cfg, &closed, c(M, Op::CloseAccount(B))),
        precondition(Exception::AccountAlreadyClosedException)
    );
}

// ------------------------------------------------------------------------------- ORG-3

// ORG-3: the delegated administrator can't leave.
#[test]
fn org3_delegate_leaving_refused_with_cannot_remove_delegated_administrator() {
    let cfg = cfg();
    let s = run(&cfg, &with_delegate(A));
    assert_eq!(
        refusal(&cfg, &s, c(A, Op::LeaveOrganization)),
        violation(
            Reason::CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG,
            Rule::Org3
        )
    );
    let relaxed = relax(&cfg, &[Rule::Org3]);
    let next = ok(&relaxed, &s, c(A, Op::LeaveOrganization));
    assert_eq!(next, expect(&s, |w| w.in_org &= !A.bit()));
    assert!(next.is_delegate(A), "the registration stays");
}

// ORG-3: the delegated administrator can't be removed.
#[test]
fn org3_removing_delegate_refused_with_cannot_remove_delegated_administrator() {
    let cfg = cfg();
    let s = run(&cfg, &with_delegate(A));
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::RemoveAccountFromOrganization(A))),
        violation(
            Reason::CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG,
            Rule::Org3
        )
    );
    let relaxed = relax(&cfg, &[Rule::Org3]);
    let next = ok(&relaxed, &s, c(M, Op::RemoveAccountFromOrganization(A)));
    assert_eq!(next, expect(&s, |w| w.in_org &= !A.bit()));
}

// ORG-3: once deregistered, the account can leave or be removed.
#[test]
fn org3_deregistered_account_leaves_and_is_removed() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            with_delegate(A),
            mgmt(&[Op::DeregisterDelegatedAdministrator(A)]),
        ]
        .concat(),
    );
    let left = ok(&cfg, &s, c(A, Op::LeaveOrganization));
    assert_eq!(left, expect(&s, |w| w.in_org &= !A.bit()));
    assert_eq!(
        ok(&cfg, &s, c(M, Op::RemoveAccountFromOrganization(A))),
        left
    );
}

// ORG-3 / Q3 refused (concrete): closing the delegate is refused like its removal.
#[test]
fn q3_closing_delegate_refused_with_cannot_remove_delegated_administrator() {
    let cfg = cfg();
    assert_eq!(cfg.assumptions.close_delegate, CloseDelegate::Refused);
    let s = run(&cfg, &with_delegate(A));
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::CloseAccount(A))),
        violation(
            Reason::CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG,
            Rule::Org3
        )
    );
    // ORG-3 relaxed: the account closes and stays registered.
    let relaxed = relax(&cfg, &[Rule::Org3]);
    let next = ok(&relaxed, &s, c(M, Op::CloseAccount(A)));
    assert_eq!(next, expect(&s, |w| w.closed = A.bit()));
    assert!(next.is_delegate(A));
}

// Q3 keeps-registration: the delegate closes (SUSPENDED) and stays registered.
#[test]
fn q3_keeps_registration_closes_delegate_and_keeps_it_registered() {
    let mut cfg = cfg();
    cfg.assumptions.close_delegate = CloseDelegate::KeepsRegistration;
    let s = run(&cfg, &with_delegate(A));
    let next = ok(&cfg, &s, c(M, Op::CloseAccount(A)));
    assert_eq!(next, expect(&s, |w| w.closed = A.bit()));
    assert!(next.is_delegate(A));
}

// Q3 deregisters: the delegate closes and is deregistered.
#[test]
fn q3_deregisters_closes_delegate_and_deregisters_it() {
    let mut cfg = cfg();
    cfg.assumptions.close_delegate = CloseDelegate::Deregisters;
    let s = run(&cfg, &with_delegate(A));
    let next = ok(&cfg, &s, c(M, Op::CloseAccount(A)));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.closed = A.bit();
            w.delegates = 0;
        })
    );
}

// ------------------------------------------------------------------------------- ORG-4

// ORG-4: a standalone account (here a delegate that left, ORG-3 relaxed) administers
// nothing.
#[test]
fn org4_outside_account_administering_refused_with_access_denied() {
    let cfg = relax(&cfg(), &[Rule::Org3]);
    let s = run(
        &cfg,
        &[with_delegate(A), vec![c(A, Op::LeaveOrganization)]].concat(),
    );
    assert!(s.is_delegate(A) && !s.in_org(A));
    for op in admin_ops() {
        assert_eq!(
            refusal(&cfg, &s, c(A, op)),
            denied(Exception::AccessDeniedException, Rule::Org4),
            "{op}"
        );
    }
    let relaxed = relax(&cfg, &[Rule::Org4]);
    let next = ok(&relaxed, &s, c(A, Op::CreateUser(U0)));
    assert_eq!(next, expect(&s, |w| w.users = U0.bit()));
}

// ORG-4: a departed member is refused by ORG-4 before IDC-4 is considered.
#[test]
fn org4_departed_member_administering_refused_before_idc4() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[instance(), vec![c(B, Op::LeaveOrganization)]].concat(),
    );
    assert_eq!(
        refusal(&cfg, &s, c(B, Op::CreateUser(U0))),
        denied(Exception::AccessDeniedException, Rule::Org4)
    );
    assert_eq!(
        refusal(&relax(&cfg, &[Rule::Org4]), &s, c(B, Op::CreateUser(U0))),
        denied(Exception::AccessDeniedException, Rule::Idc4)
    );
}

// ORG-4: no assignment (nor provisioning, IDC-8) to an account outside the organization.
// DeleteAccountAssignment has no ORG-4 guard (v2): deleting the assignment that departed
// with member-2 fails only because Q5 `deleted` already deleted it.
#[test]
fn org4_assignment_to_departed_account_refused_with_validation() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            instance(),
            identities(),
            mgmt(&[assign(B, P0, user(U1))]),
            vec![c(B, Op::LeaveOrganization)],
        ]
        .concat(),
    );
    for op in [assign(B, P0, user(U0)), provision(P1, B)] {
        assert_eq!(
            refusal(&cfg, &s, c(M, op)),
            denied(Exception::ValidationException, Rule::Org4),
            "{op}"
        );
    }
    assert_eq!(
        refusal(&cfg, &s, c(M, unassign(B, P0, user(U1)))),
        precondition(Exception::ResourceNotFoundException)
    );
    let relaxed = relax(&cfg, &[Rule::Org4]);
    let next = ok(&relaxed, &s, c(M, provision(P1, B)));
    assert_eq!(next, expect(&s, |w| w.provisioned[1] = B.bit()));
    let next = ok(&relaxed, &s, c(M, assign(B, P0, user(U0))));
    assert_eq!(
        next,
        expect(&s, |w| {
            *w.assigned_mut(P0, B) = user(U0).bit();
            w.provisioned[0] |= B.bit();
        })
    );
}

// ORG-4: no assignment to a closed (suspended) account.
#[test]
fn org4_assignment_to_closed_account_refused_with_validation() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[instance(), identities(), mgmt(&[Op::CloseAccount(B)])].concat(),
    );
    assert_eq!(
        refusal(&cfg, &s, c(M, assign(B, P0, user(U0)))),
        denied(Exception::ValidationException, Rule::Org4)
    );
    let relaxed = relax(&cfg, &[Rule::Org4]);
    assert!(step(&relaxed, &s, c(M, assign(B, P0, user(U0)))).is_ok());
}

/// Assignments in member-1 (`ps-1` to user-1, `ps-2` to group-1) and member-2 (`ps-1` to
/// user-2), group-1 holding user-1.
fn member_assignments() -> Vec<Call> {
    [
        instance(),
        identities(),
        mgmt(&[
            Op::CreateGroupMembership(G0, U0),
            assign(A, P0, user(U0)),
            assign(A, P1, group(G0)),
            assign(B, P0, user(U1)),
        ]),
    ]
    .concat()
}

/// `s` without member-1's assignments and provisioning.
fn without_member1_access(s: &State, w: &mut State) {
    *w.assigned_mut(P0, A) = 0;
    *w.assigned_mut(P1, A) = 0;
    w.provisioned[0] = s.provisioned[0] & !A.bit();
    w.provisioned[1] = s.provisioned[1] & !A.bit();
}

// ORG-4 / Q5 deleted (concrete): leaving, removal and closure delete the account's
// assignments and provisioning; other accounts keep theirs.
#[test]
fn q5_deleted_departed_or_closed_account_loses_its_assignments() {
    let cfg = cfg();
    assert_eq!(
        cfg.assumptions.departed_account_assignments,
        DepartedAccountAssignments::Deleted
    );
    let s = run(&cfg, &member_assignments());
    assert_eq!(effective_access(&s, A), U0.bit());
    let left = expect(&s, |w| {
        w.in_org &= !A.bit();
        without_member1_access(&s, w);
    });
    assert_eq!(ok(&cfg, &s, c(A, Op::LeaveOrganization)), left);
    assert_eq!(
        ok(&cfg, &s, c(M, Op::RemoveAccountFromOrganization(A))),
        left
    );
    let closed = ok(&cfg, &s, c(M, Op::CloseAccount(A)));
    assert_eq!(
        closed,
        expect(&s, |w| {
            w.closed = A.bit();
            without_member1_access(&s, w);
        })
    );
    assert_eq!(closed.assigned(P0, B), user(U1).bit());
    assert_eq!(effective_access(&closed, B), U1.bit());
}

// ORG-4 / Q5 kept: the assignments stay but grant nothing while the account is outside or
// closed; they grant access again once the account rejoins.
#[test]
fn q5_kept_departed_or_closed_account_keeps_its_assignments() {
    let mut cfg = cfg();
    cfg.assumptions.departed_account_assignments = DepartedAccountAssignments::Kept;
    let s = run(&cfg, &member_assignments());
    let left = ok(&cfg, &s, c(A, Op::LeaveOrganization));
    assert_eq!(left, expect(&s, |w| w.in_org &= !A.bit()));
    assert_eq!(assigned_users(&left, A), U0.bit());
    assert_eq!(effective_access(&left, A), 0);
    let removed = ok(&cfg, &s, c(M, Op::RemoveAccountFromOrganization(A)));
    assert_eq!(removed, left);
    let closed = ok(&cfg, &s, c(M, Op::CloseAccount(A)));
    assert_eq!(closed, expect(&s, |w| w.closed = A.bit()));
    assert_eq!(effective_access(&closed, A), 0);
    let back = run_from(
        &cfg,
        &left,
        &[
            c(M, Op::InviteAccountToOrganization(A)),
            c(A, Op::AcceptHandshake),
        ],
    );
    assert_eq!(effective_access(&back, A), U0.bit());
}

// ------------------------------------------------------------------------------- ORG-5

// ORG-5: only the management account enables or disables trusted access.
#[test]
fn org5_member_toggling_trusted_access_refused_with_access_denied() {
    let cfg = cfg();
    let off = run(&cfg, &[]);
    let on = run(&cfg, &mgmt(&[Op::EnableAwsServiceAccess]));
    for (s, op) in [
        (&off, Op::EnableAwsServiceAccess),
        (&on, Op::DisableAwsServiceAccess),
    ] {
        assert_eq!(
            refusal(&cfg, s, c(A, op)),
            denied(Exception::AccessDeniedException, Rule::Org5),
            "{op}"
        );
    }
    // The ghost fact behind `trusted-access-changed-only-by-management` records it.
    let relaxed = relax(&cfg, &[Rule::Org5]);
    let by_other = |s: &State| expect(s, |w| w.ghost = ghost::TRUSTED_ACCESS_CHANGED_BY_OTHER);
    assert_eq!(
        ok(&relaxed, &off, c(A, Op::EnableAwsServiceAccess)),
        by_other(&on)
    );
    assert_eq!(
        ok(&relaxed, &on, c(A, Op::DisableAwsServiceAccess)),
        by_other(&off)
    );
}

// ORG-5: the management account enables and disables trusted access.
#[test]
fn org5_management_toggles_trusted_access() {
    let cfg = cfg();
    let off = run(&cfg, &[]);
    let on = ok(&cfg, &off, c(M, Op::EnableAwsServiceAccess));
    assert_eq!(on, expect(&off, |w| w.trusted_access = true));
    assert_eq!(ok(&cfg, &on, c(M, Op::DisableAwsServiceAccess)), off);
}

// ORG-5: enabling IAM Identity Center enables trusted access.
#[test]
fn org5_enable_identity_center_enables_trusted_access() {
    let cfg = cfg();
    let s = run(&cfg, &[]);
    assert!(!s.trusted_access);
    let next = ok(&cfg, &s, c(M, Op::EnableIdentityCenter));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.instance = Some(M);
            w.trusted_access = true;
        })
    );
}

// ORG-5: with trusted access off nobody reaches any account, but the configuration stays;
// re-enabling restores access as before.
#[test]
fn org5_effective_access_is_zero_while_trusted_access_is_off() {
    let cfg = cfg();
    let s = run(&cfg, &member_assignments());
    assert_eq!(effective_access(&s, A), U0.bit());
    assert_eq!(effective_access(&s, B), U1.bit());
    let off = ok(&cfg, &s, c(M, Op::DisableAwsServiceAccess));
    assert_eq!(off, expect(&s, |w| w.trusted_access = false));
    for a in 0..=cfg.members {
        assert_eq!(effective_access(&off, Acct(a)), 0, "{}", Acct(a));
    }
    assert_eq!(assigned_users(&off, A), U0.bit());
    let on = ok(&cfg, &off, c(M, Op::EnableAwsServiceAccess));
    assert_eq!(on, expect(&s, |_| {}));
    assert_eq!(effective_access(&on, A), U0.bit());
}

// ORG-5 / Q2 keeps-registration (concrete): disabling succeeds and the delegate stays.
#[test]
fn q2_keeps_registration_disables_and_keeps_delegate() {
    let cfg = cfg();
    assert_eq!(
        cfg.assumptions.disable_trusted_access_with_delegate,
        DisableTrustedAccessWithDelegate::KeepsRegistration
    );
    let s = run(&cfg, &with_delegate(A));
    let next = ok(&cfg, &s, c(M, Op::DisableAwsServiceAccess));
    assert_eq!(next, expect(&s, |w| w.trusted_access = false));
    assert!(next.is_delegate(A));
}

// ORG-5 / Q2 refused: disabling with a delegate is refused; relaxing ORG-5 lets it through
// (registration kept); without a delegate it succeeds.
#[test]
fn q2_refused_disabling_with_delegate_refused_with_delegated_admin_exists() {
    let mut cfg = cfg();
    cfg.assumptions.disable_trusted_access_with_delegate =
        DisableTrustedAccessWithDelegate::Refused;
    let s = run(&cfg, &with_delegate(A));
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::DisableAwsServiceAccess)),
        violation(
            Reason::DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE,
            Rule::Org5
        )
    );
    let relaxed = relax(&cfg, &[Rule::Org5]);
    let next = ok(&relaxed, &s, c(M, Op::DisableAwsServiceAccess));
    assert_eq!(next, expect(&s, |w| w.trusted_access = false));
    let alone = run(&cfg, &instance());
    assert!(!ok(&cfg, &alone, c(M, Op::DisableAwsServiceAccess)).trusted_access);
}

// ORG-5 / Q2 deregisters: disabling deregisters the delegate.
#[test]
fn q2_deregisters_disabling_deregisters_delegate() {
    let mut cfg = cfg();
    cfg.assumptions.disable_trusted_access_with_delegate =
        DisableTrustedAccessWithDelegate::Deregisters;
    let s = run(&cfg, &with_delegate(A));
    let next = ok(&cfg, &s, c(M, Op::DisableAwsServiceAccess));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.trusted_access = false;
            w.delegates = 0;
        })
    );
}

// --------------------------------------------------------------------------------- DA-1

// DA-1: only the management account registers or deregisters (the delegate neither).
#[test]
fn da1_member_registering_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(&cfg, &mgmt(&[Op::EnableAwsServiceAccess]));
    let d = run(&cfg, &with_delegate(A));
    for (s, caller, op) in [
        (&s, A, Op::RegisterDelegatedAdministrator(B)),
        (&s, A, Op::DeregisterDelegatedAdministrator(B)),
        (&d, A, Op::RegisterDelegatedAdministrator(B)),
        (&d, A, Op::DeregisterDelegatedAdministrator(A)),
        (&d, B, Op::DeregisterDelegatedAdministrator(A)),
    ] {
        assert_eq!(
            refusal(&cfg, s, c(caller, op)),
            denied(Exception::AccessDeniedException, Rule::Da1),
            "{caller}: {op}"
        );
    }
}

// DA-1 relaxed: a member registers and deregisters.
#[test]
fn da1_relaxed_lets_member_register_and_deregister() {
    let cfg = relax(&cfg(), &[Rule::Da1]);
    let s = run(&cfg, &mgmt(&[Op::EnableAwsServiceAccess]));
    let registered = ok(&cfg, &s, c(A, Op::RegisterDelegatedAdministrator(B)));
    // The ghost fact behind `registry-changed-only-by-management` records it.
    assert_eq!(
        registered,
        expect(&s, |w| {
            w.delegates = B.bit();
            w.ghost = ghost::REGISTRY_CHANGED_BY_OTHER;
        })
    );
    assert_eq!(
        ok(
            &cfg,
            &registered,
            c(B, Op::DeregisterDelegatedAdministrator(B))
        ),
        expect(&s, |w| w.ghost = ghost::REGISTRY_CHANGED_BY_OTHER)
    );
}

// DA-1: the management account registers and deregisters.
#[test]
fn da1_management_registers_and_deregisters() {
    let cfg = cfg();
    let s = run(&cfg, &instance());
    let registered = ok(&cfg, &s, c(M, Op::RegisterDelegatedAdministrator(A)));
    assert_eq!(registered, expect(&s, |w| w.delegates = A.bit()));
    assert_eq!(
        ok(
            &cfg,
            &registered,
            c(M, Op::DeregisterDelegatedAdministrator(A))
        ),
        expect(&s, |_| {})
    );
}

// ------------------------------------------------------------------------------ DA-2..5

// DA-2: the management account can't be registered.
#[test]
fn da2_registering_management_refused_with_cannot_register_master() {
    let cfg = cfg();
    let s = run(&cfg, &mgmt(&[Op::EnableAwsServiceAccess]));
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::RegisterDelegatedAdministrator(M))),
        violation(
            Reason::CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR,
            Rule::Da2
        )
    );
    let relaxed = relax(&cfg, &[Rule::Da2]);
    let next = ok(&relaxed, &s, c(M, Op::RegisterDelegatedAdministrator(M)));
    assert_eq!(next, expect(&s, |w| w.delegates = M.bit()));
}

// DA-3: a suspended (closed) account can't be registered.
#[test]
fn da3_registering_closed_account_refused_with_cannot_register_suspended() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &mgmt(&[Op::EnableAwsServiceAccess, Op::CloseAccount(A)]),
    );
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::RegisterDelegatedAdministrator(A))),
        violation(
            Reason::CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR,
            Rule::Da3
        )
    );
    let relaxed = relax(&cfg, &[Rule::Da3]);
    let next = ok(&relaxed, &s, c(M, Op::RegisterDelegatedAdministrator(A)));
    assert_eq!(next, expect(&s, |w| w.delegates = A.bit()));
}

// DA-4: registration needs trusted access; it does not need the instance.
#[test]
fn da4_registering_without_trusted_access_refused_with_service_access_not_enabled() {
    let cfg = cfg();
    let s = run(&cfg, &[]);
    let call = c(M, Op::RegisterDelegatedAdministrator(A));
    assert_eq!(
        refusal(&cfg, &s, call),
        violation(Reason::SERVICE_ACCESS_NOT_ENABLED, Rule::Da4)
    );
    let relaxed = relax(&cfg, &[Rule::Da4]);
    assert_eq!(
        ok(&relaxed, &s, call),
        expect(&s, |w| w.delegates = A.bit())
    );
    // Allowed once trusted access is on, by EnableAWSServiceAccess or by EnableIdentityCenter.
    let enabled = run(&cfg, &mgmt(&[Op::EnableAwsServiceAccess]));
    assert_eq!(
        ok(&cfg, &enabled, call),
        expect(&enabled, |w| w.delegates = A.bit())
    );
    assert!(ok(&cfg, &run(&cfg, &instance()), call).is_delegate(A));
    // Refused again once it is disabled.
    let disabled = run(
        &cfg,
        &mgmt(&[Op::EnableIdentityCenter, Op::DisableAwsServiceAccess]),
    );
    assert_eq!(
        refusal(&cfg, &disabled, call),
        violation(Reason::SERVICE_ACCESS_NOT_ENABLED, Rule::Da4)
    );
}

// DA-5: the account to register must be in the organization.
#[test]
fn da5_registering_account_outside_refused_with_account_not_found() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            mgmt(&[Op::EnableAwsServiceAccess]),
            vec![c(A, Op::LeaveOrganization)],
        ]
        .concat(),
    );
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::RegisterDelegatedAdministrator(A))),
        denied(Exception::AccountNotFoundException, Rule::Da5)
    );
    let relaxed = relax(&cfg, &[Rule::Da5]);
    let next = ok(&relaxed, &s, c(M, Op::RegisterDelegatedAdministrator(A)));
    assert_eq!(next, expect(&s, |w| w.delegates = A.bit()));
}

// DA-5: the account to deregister must be in the organization; relaxed, DA-8 decides.
#[test]
fn da5_deregistering_account_outside_refused_with_account_not_found() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            mgmt(&[Op::EnableAwsServiceAccess]),
            vec![c(B, Op::LeaveOrganization)],
        ]
        .concat(),
    );
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::DeregisterDelegatedAdministrator(B))),
        denied(Exception::AccountNotFoundException, Rule::Da5)
    );
    assert_eq!(
        refusal(
            &relax(&cfg, &[Rule::Da5]),
            &s,
            c(M, Op::DeregisterDelegatedAdministrator(B))
        ),
        denied(Exception::AccountNotRegisteredException, Rule::Da8)
    );
    // A delegate that left (ORG-3 relaxed) is deregistered once DA-5 is relaxed too.
    let cfg = relax(&cfg, &[Rule::Org3]);
    let gone = run(
        &cfg,
        &[with_delegate(A), vec![c(A, Op::LeaveOrganization)]].concat(),
    );
    assert_eq!(
        refusal(&cfg, &gone, c(M, Op::DeregisterDelegatedAdministrator(A))),
        denied(Exception::AccountNotFoundException, Rule::Da5)
    );
    let relaxed = relax(&cfg, &[Rule::Da5]);
    let next = ok(
        &relaxed,
        &gone,
        c(M, Op::DeregisterDelegatedAdministrator(A)),
    );
    assert_eq!(next, expect(&gone, |w| w.delegates = 0));
}

// ------------------------------------------------------------------------------ DA-6..8

// DA-6: registering the delegate again; relaxing DA-6 changes nothing (the registry is a set).
#[test]
fn da6_registering_delegate_again_refused_with_account_already_registered() {
    let cfg = cfg();
    let s = run(&cfg, &with_delegate(A));
    let want = denied(Exception::AccountAlreadyRegisteredException, Rule::Da6);
    let call = c(M, Op::RegisterDelegatedAdministrator(A));
    assert_eq!(refusal(&cfg, &s, call), want);
    assert_eq!(refusal(&relax(&cfg, &[Rule::Da6]), &s, call), want);
    // DA-6 is checked before DA-7, also when DA-7 is relaxed.
    assert_eq!(refusal(&relax(&cfg, &[Rule::Da7]), &s, call), want);
}

// DA-7 / Q1 delegated-admin-exists (default): a second delegate is refused.
#[test]
fn da7_second_delegate_refused_with_delegated_admin_exists() {
    let cfg = cfg();
    assert_eq!(
        cfg.assumptions.second_delegate_error,
        SecondDelegateError::DelegatedAdminExists
    );
    let s = run(&cfg, &with_delegate(A));
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::RegisterDelegatedAdministrator(B))),
        violation(
            Reason::DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE,
            Rule::Da7
        )
    );
}

// DA-7 / Q1 account-already-registered: the other error.
#[test]
fn da7_second_delegate_refused_with_account_already_registered_under_q1() {
    let mut cfg = cfg();
    cfg.assumptions.second_delegate_error = SecondDelegateError::AccountAlreadyRegistered;
    let s = run(&cfg, &with_delegate(A));
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::RegisterDelegatedAdministrator(B))),
        denied(Exception::AccountAlreadyRegisteredException, Rule::Da7)
    );
}

// DA-7 relaxed: two delegates; DA-7 allows a new one after deregistration.
#[test]
fn da7_relaxed_registers_second_delegate() {
    let cfg = cfg();
    let s = run(&cfg, &with_delegate(A));
    let relaxed = relax(&cfg, &[Rule::Da7]);
    let next = ok(&relaxed, &s, c(M, Op::RegisterDelegatedAdministrator(B)));
    assert_eq!(next, expect(&s, |w| w.delegates = A.bit() | B.bit()));
    let swapped = run_from(
        &cfg,
        &s,
        &mgmt(&[
            Op::DeregisterDelegatedAdministrator(A),
            Op::RegisterDelegatedAdministrator(B),
        ]),
    );
    assert_eq!(swapped, expect(&s, |w| w.delegates = B.bit()));
}

// DA-8: only the registered account can be deregistered; relaxing DA-8 changes nothing.
#[test]
fn da8_deregistering_unregistered_account_refused_with_account_not_registered() {
    let cfg = cfg();
    let want = denied(Exception::AccountNotRegisteredException, Rule::Da8);
    let s = run(&cfg, &mgmt(&[Op::EnableAwsServiceAccess]));
    let call = c(M, Op::DeregisterDelegatedAdministrator(A));
    assert_eq!(refusal(&cfg, &s, call), want);
    assert_eq!(refusal(&relax(&cfg, &[Rule::Da8]), &s, call), want);
    let d = run(&cfg, &with_delegate(A));
    assert_eq!(
        refusal(&cfg, &d, c(M, Op::DeregisterDelegatedAdministrator(B))),
        want
    );
}

// --------------------------------------------------------------------------------- DA-9

/// The instance with the management account's AD directory as identity source.
fn ad_in_management() -> Vec<Call> {
    mgmt(&[
        Op::EnableIdentityCenter,
        Op::CreateDirectory,
        Op::ChangeIdentitySource(ad(M)),
    ])
}

// DA-9: with AD as identity source, registration needs configurable AD sync.
#[test]
fn da9_registering_with_ad_source_without_sync_refused_with_validation() {
    let cfg = cfg();
    let s = run(&cfg, &ad_in_management());
    assert!(!s.ad_sync);
    let call = c(M, Op::RegisterDelegatedAdministrator(A));
    assert_eq!(
        refusal(&cfg, &s, call),
        denied(Exception::ValidationException, Rule::Da9)
    );
    let relaxed = relax(&cfg, &[Rule::Da9]);
    assert_eq!(
        ok(&relaxed, &s, call),
        expect(&s, |w| w.delegates = A.bit())
    );
}

// DA-9: with configurable AD sync on, registration is allowed.
#[test]
fn da9_registering_with_ad_source_and_sync_allowed() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[ad_in_management(), mgmt(&[Op::EnableConfigurableAdSync])].concat(),
    );
    let call = c(M, Op::RegisterDelegatedAdministrator(A));
    assert_eq!(ok(&cfg, &s, call), expect(&s, |w| w.delegates = A.bit()));
    // A1 on: the sync is on as soon as the directory is connected.
    let mut on = cfg;
    on.assumptions.ad_sync_on_connect = AdSyncOnConnect::On;
    let s = run(&on, &ad_in_management());
    assert!(s.ad_sync);
    assert!(ok(&on, &s, call).is_delegate(A));
}

// --------------------------------------------------------------------------- SRC-2 / Q4

// SRC-2 / Q4 also-registration (and everywhere): registering an account that does not own
// the AD directory in use is refused.
#[test]
fn q4_src2_at_registration_refused_with_validation() {
    for at in [Src2EnforcedAt::AlsoRegistration, Src2EnforcedAt::Everywhere] {
        let mut cfg = cfg();
        cfg.assumptions.src2_enforced_at = at;
        let s = run(
            &cfg,
            &[ad_in_management(), mgmt(&[Op::EnableConfigurableAdSync])].concat(),
        );
        let call = c(M, Op::RegisterDelegatedAdministrator(A));
        assert_eq!(
            refusal(&cfg, &s, call),
            denied(Exception::ValidationException, Rule::Src2),
            "{at}"
        );
        let relaxed = relax(&cfg, &[Rule::Src2]);
        assert!(ok(&relaxed, &s, call).is_delegate(A), "{at}");
    }
    // Not checked at registration under source-change and also-deregistration.
    for at in [
        Src2EnforcedAt::SourceChange,
        Src2EnforcedAt::AlsoDeregistration,
    ] {
        let mut cfg = cfg();
        cfg.assumptions.src2_enforced_at = at;
        let s = run(
            &cfg,
            &[ad_in_management(), mgmt(&[Op::EnableConfigurableAdSync])].concat(),
        );
        assert!(ok(&cfg, &s, c(M, Op::RegisterDelegatedAdministrator(A))).is_delegate(A));
    }
}

// SRC-2 / Q4 also-registration: registering the directory's owner is allowed.
#[test]
fn q4_src2_at_registration_allows_directory_owner() {
    let mut cfg = cfg();
    cfg.assumptions.src2_enforced_at = Src2EnforcedAt::AlsoRegistration;
    let s = run(
        &cfg,
        &[
            with_delegate(A),
            vec![
                c(A, Op::CreateDirectory),
                c(A, Op::ChangeIdentitySource(ad(A))),
                c(A, Op::EnableConfigurableAdSync),
                c(M, Op::DeregisterDelegatedAdministrator(A)),
            ],
        ]
        .concat(),
    );
    let next = ok(&cfg, &s, c(M, Op::RegisterDelegatedAdministrator(A)));
    assert_eq!(next, expect(&s, |w| w.delegates = A.bit()));
}

/// The delegate member-1 moved the identity source to its own AD directory.
fn ad_in_delegate() -> Vec<Call> {
    [
        with_delegate(A),
        vec![
            c(A, Op::CreateDirectory),
            c(A, Op::ChangeIdentitySource(ad(A))),
        ],
    ]
    .concat()
}

// SRC-2 / Q4 also-deregistration (and everywhere): deregistering the owner of the AD
// directory in use is refused (afterwards the directory would have to be the management
// account's).
#[test]
fn q4_src2_at_deregistration_refused_with_validation() {
    for at in [
        Src2EnforcedAt::AlsoDeregistration,
        Src2EnforcedAt::Everywhere,
    ] {
        let mut cfg = cfg();
        cfg.assumptions.src2_enforced_at = at;
        let s = run(&cfg, &ad_in_delegate());
        let call = c(M, Op::DeregisterDelegatedAdministrator(A));
        assert_eq!(
            refusal(&cfg, &s, call),
            denied(Exception::ValidationException, Rule::Src2),
            "{at}"
        );
        let relaxed = relax(&cfg, &[Rule::Src2]);
        assert_eq!(
            ok(&relaxed, &s, call),
            expect(&s, |w| w.delegates = 0),
            "{at}"
        );
    }
    // Under source-change (concrete) and also-registration, only the registry changes:
    // the directory keeps its (now wrong) owner (hazard b).
    for at in [
        Src2EnforcedAt::SourceChange,
        Src2EnforcedAt::AlsoRegistration,
    ] {
        let mut cfg = cfg();
        cfg.assumptions.src2_enforced_at = at;
        let s = run(&cfg, &ad_in_delegate());
        let next = ok(&cfg, &s, c(M, Op::DeregisterDelegatedAdministrator(A)));
        assert_eq!(next, expect(&s, |w| w.delegates = 0), "{at}");
        assert_eq!(next.source, ad(A));
    }
}

// SRC-2 / Q4 also-deregistration: deregistering is allowed when the directory in use is
// the management account's.
#[test]
fn q4_src2_at_deregistration_allows_management_directory() {
    let mut cfg = cfg();
    cfg.assumptions.src2_enforced_at = Src2EnforcedAt::AlsoDeregistration;
    let s = run(
        &cfg,
        &[
            ad_in_management(),
            mgmt(&[
                Op::EnableConfigurableAdSync,
                Op::RegisterDelegatedAdministrator(A),
            ]),
        ]
        .concat(),
    );
    let next = ok(&cfg, &s, c(M, Op::DeregisterDelegatedAdministrator(A)));
    assert_eq!(next, expect(&s, |w| w.delegates = 0));
}

// -------------------------------------------------------------------------------- DA-10

// DA-10: deregistration changes only the registry: every user, group, membership,
// permission set, provisioning and assignment stays, and the ghost bit
// DEREGISTRATION_CHANGED_ACCESS stays clear.
// (SRC-6: with the delegate's AD directory as the source, the users, groups and memberships
// are made in the directory by its owner, not through the identity store.)
#[test]
fn da10_deregistration_changes_only_the_registry() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            ad_in_delegate(),
            vec![c(A, Op::EnableConfigurableAdSync)],
            directory_identities(A),
            vec![
                c(A, Op::DirectoryAddGroupMember(G0, U0)),
                c(A, Op::DirectoryAddGroupMember(G1, U1)),
            ],
            mgmt(&[
                Op::CreatePermissionSet(P0),
                Op::CreatePermissionSet(P1),
                assign(M, P0, user(U0)),
                assign(M, P0, group(G1)),
            ]),
            vec![
                c(A, assign(A, P1, group(G0))),
                c(A, assign(B, P1, user(U1))),
                c(A, Op::UpdatePermissionSet(P1)),
            ],
        ]
        .concat(),
    );
    assert_eq!(effective_access(&s, M), U0.bit() | U1.bit());
    assert_eq!(effective_access(&s, B), U1.bit());
    let next = ok(&cfg, &s, c(M, Op::DeregisterDelegatedAdministrator(A)));
    assert_eq!(next, expect(&s, |w| w.delegates = 0));
    assert_eq!(next.ghost & ghost::DEREGISTRATION_CHANGED_ACCESS, 0);
    for a in 0..=cfg.members {
        assert_eq!(
            effective_access(&next, Acct(a)),
            effective_access(&s, Acct(a)),
            "{}",
            Acct(a)
        );
    }
}

// -------------------------------------------------------------------------------- IDC-1

// IDC-1: only the management account enables IAM Identity Center.
#[test]
fn idc1_member_enabling_identity_center_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(&cfg, &[]);
    let d = run(
        &cfg,
        &mgmt(&[
            Op::EnableAwsServiceAccess,
            Op::RegisterDelegatedAdministrator(A),
        ]),
    );
    for (s, caller) in [(&s, A), (&d, A), (&d, B)] {
        assert_eq!(
            refusal(&cfg, s, c(caller, Op::EnableIdentityCenter)),
            denied(Exception::AccessDeniedException, Rule::Idc1),
            "{caller}"
        );
    }
    let relaxed = relax(&cfg, &[Rule::Idc1]);
    let next = ok(&relaxed, &s, c(A, Op::EnableIdentityCenter));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.instance = Some(A);
            w.trusted_access = true;
            w.ghost = ghost::ADMINISTERED_BY_OUTSIDER | ghost::TRUSTED_ACCESS_CHANGED_BY_OTHER;
        })
    );
}

// IDC-1: only the management account deletes the configuration.
#[test]
fn idc1_delegate_deleting_instance_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(&cfg, &with_delegate(A));
    for caller in [A, B] {
        assert_eq!(
            refusal(&cfg, &s, c(caller, ORG_INSTANCE)),
            denied(Exception::AccessDeniedException, Rule::Idc1),
            "{caller}"
        );
    }
    let relaxed = relax(&cfg, &[Rule::Idc1]);
    let next = ok(&relaxed, &s, c(A, ORG_INSTANCE));
    assert_eq!(next, expect(&s, |w| w.instance = None));
}

// IDC-1: the management account enables it once; deleting needs an instance.
#[test]
fn idc1_instance_preconditions_refused_with_api_errors() {
    let cfg = cfg();
    let s = run(&cfg, &instance());
    assert_eq!(s.instance, Some(M));
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::EnableIdentityCenter)),
        precondition(Exception::ConflictException)
    );
    assert_eq!(
        refusal(&cfg, &run(&cfg, &[]), c(M, ORG_INSTANCE)),
        precondition(Exception::ResourceNotFoundException)
    );
}

// IDC-1: deleting the configuration deletes identities, permission sets and the identity
// source setting; the organization, trusted access, the registry, directories and account
// instances (IDC-1a) stay.
// (SRC-6: with AD as the source the users, groups and memberships are made in the
// directory by its owner, the management account, not through the identity store.)
#[test]
fn idc1_management_deletes_instance_configuration() {
    let mut cfg = cfg();
    cfg.assumptions.ad_sync_on_connect = AdSyncOnConnect::On;
    let s = run(
        &cfg,
        &[
            ad_in_management(),
            mgmt(&[Op::RegisterDelegatedAdministrator(A)]),
            directory_identities(M),
            mgmt(&[
                Op::CreatePermissionSet(P0),
                Op::CreatePermissionSet(P1),
                Op::DirectoryAddGroupMember(G0, U0),
                assign(M, P0, user(U0)),
                assign(B, P1, group(G0)),
                Op::UpdatePermissionSet(P1),
            ]),
            vec![c(A, Op::CreateInstance)],
        ]
        .concat(),
    );
    assert_eq!((s.users, s.groups, s.membership[0]), (0b11, 0b11, U0.bit()));
    let next = ok(&cfg, &s, c(M, ORG_INSTANCE));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.instance = None;
            w.users = 0;
            w.groups = 0;
            w.membership = Default::default();
            w.permission_sets = 0;
            w.provisioned = Default::default();
            w.assignments = Default::default();
            w.source = IDC;
            w.ad_sync = false;
        })
    );
    assert!(next.is_delegate(A) && next.trusted_access && next.directories == M.bit());
    assert_eq!(next.account_instances, A.bit());
}

/// Two users and two groups made in `owner`'s AD directory (SRC-6), `owner` calling.
fn directory_identities(owner: Acct) -> Vec<Call> {
    [
        Op::DirectoryCreateUser(U0),
        Op::DirectoryCreateUser(U1),
        Op::DirectoryCreateGroup(G0),
        Op::DirectoryCreateGroup(G1),
    ]
    .into_iter()
    .map(|op| c(owner, op))
    .collect()
}

// -------------------------------------------------------------------- admin() and IDC-4

// IDC-4: members that are not the delegate administer nothing.
#[test]
fn idc4_other_member_administering_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(&cfg, &with_delegate(A));
    for op in admin_ops() {
        assert_eq!(
            refusal(&cfg, &s, c(B, op)),
            denied(Exception::AccessDeniedException, Rule::Idc4),
            "{op}"
        );
    }
}

// IDC-4 relaxed: the other member administers like a delegate (IDC-2 still applies).
#[test]
fn idc4_relaxed_lets_other_member_administer_as_delegate() {
    let cfg = relax(&cfg(), &[Rule::Idc4]);
    let s = run(&cfg, &ps_in_management());
    let next = ok(&cfg, &s, c(B, Op::DeleteUser(U1)));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.users = U0.bit();
            w.ghost = ghost::ADMINISTERED_BY_OUTSIDER;
        })
    );
    assert_eq!(
        refusal(&cfg, &s, c(B, Op::UpdatePermissionSet(P0))),
        denied(Exception::AccessDeniedException, Rule::Idc2)
    );
}

// admin(): without an instance there is nothing to administer (API precondition).
#[test]
fn admin_without_instance_refused_with_resource_not_found() {
    let cfg = cfg();
    let s = run(&cfg, &[]);
    let d = run(
        &cfg,
        &mgmt(&[
            Op::EnableAwsServiceAccess,
            Op::RegisterDelegatedAdministrator(A),
        ]),
    );
    for op in admin_ops() {
        for (s, caller) in [(&s, M), (&d, A)] {
            assert_eq!(
                refusal(&cfg, s, c(caller, op)),
                precondition(Exception::ResourceNotFoundException),
                "{caller}: {op}"
            );
        }
    }
}

// ------------------------------------------------------------------------- IDC-2 / Q6

// IDC-2: the delegate can't update or delete a permission set provisioned in the
// management account.
#[test]
fn idc2_delegate_managing_management_permission_set_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(&cfg, &ps_in_management());
    for op in [Op::UpdatePermissionSet(P0), Op::DeletePermissionSet(P0)] {
        assert_eq!(
            refusal(&cfg, &s, c(A, op)),
            denied(Exception::AccessDeniedException, Rule::Idc2),
            "{op}"
        );
    }
    let relaxed = relax(&cfg, &[Rule::Idc2]);
    // An update changes no state (the policies are not modelled); the ghost fact sees it.
    let updated = ok(&relaxed, &s, c(A, Op::UpdatePermissionSet(P0)));
    assert_eq!(
        updated,
        expect(&s, |w| {
            w.ghost = ghost::DELEGATE_ALTERED_MANAGEMENT_PERMISSION_SET;
        })
    );
    // IDC-9: the set is provisioned (in the management account), so deleting it is refused
    // next; with IDC-9 relaxed too, it goes with its provisioning and assignments.
    assert_eq!(
        refusal(&relaxed, &s, c(A, Op::DeletePermissionSet(P0))),
        denied(Exception::ConflictException, Rule::Idc9)
    );
    let relaxed = relax(&cfg, &[Rule::Idc2, Rule::Idc9]);
    let deleted = ok(&relaxed, &s, c(A, Op::DeletePermissionSet(P0)));
    assert_eq!(
        deleted,
        expect(&s, |w| {
            w.permission_sets = P1.bit();
            w.provisioned[0] = 0;
            *w.assigned_mut(P0, M) = 0;
            w.ghost = ghost::DELEGATE_ALTERED_MANAGEMENT_PERMISSION_SET
                | ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER;
        })
    );
}

// IDC-2: the delegate manages permission sets not provisioned in the management account;
// the management account manages its own.
#[test]
fn idc2_permission_sets_outside_management_managed_by_delegate() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[ps_in_management(), mgmt(&[assign(A, P1, user(U1))])].concat(),
    );
    // An update changes no state (the policies are not modelled) and sets no ghost bit.
    let updated = ok(&cfg, &s, c(A, Op::UpdatePermissionSet(P1)));
    assert_eq!(updated, expect(&s, |_| {}));
    // IDC-9: `ps-2` is provisioned in member-1, so the delegate removes it from there
    // (IDC-8) before deleting it.
    assert_eq!(
        refusal(&cfg, &updated, c(A, Op::DeletePermissionSet(P1))),
        denied(Exception::ConflictException, Rule::Idc9)
    );
    let removed = ok(&cfg, &updated, c(A, remove_from(P1, A)));
    assert_eq!(
        removed,
        expect(&s, |w| {
            w.provisioned[1] = 0;
            *w.assigned_mut(P1, A) = 0;
        })
    );
    let deleted = ok(&cfg, &removed, c(A, Op::DeletePermissionSet(P1)));
    assert_eq!(
        deleted,
        expect(&s, |w| {
            w.permission_sets = P0.bit();
            w.provisioned[1] = 0;
            *w.assigned_mut(P1, A) = 0;
        })
    );
    let mine = ok(&cfg, &s, c(M, Op::UpdatePermissionSet(P0)));
    assert_eq!(mine, expect(&s, |_| {}));
}

// IDC-2: the delegate can't create or delete assignments that target the management
// account. A permission set assigned there is provisioned there, so deleting such an
// assignment also meets IDC-5: both are relaxed to let it through.
#[test]
fn idc2_delegate_assigning_in_management_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(&cfg, &ps_in_management());
    for op in [assign(M, P1, user(U1)), unassign(M, P0, user(U0))] {
        assert_eq!(
            refusal(&cfg, &s, c(A, op)),
            denied(Exception::AccessDeniedException, Rule::Idc2),
            "{op}"
        );
    }
    let relaxed = relax(&cfg, &[Rule::Idc2]);
    let created = ok(&relaxed, &s, c(A, assign(M, P1, user(U1))));
    assert_eq!(
        created,
        expect(&s, |w| {
            *w.assigned_mut(P1, M) = user(U1).bit();
            w.provisioned[1] = M.bit();
            w.ghost = ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER
                | ghost::MANAGEMENT_ACCESS_GRANTED_BY_OTHER;
        })
    );
    assert_eq!(
        refusal(&relaxed, &s, c(A, unassign(M, P0, user(U0)))),
        denied(Exception::AccessDeniedException, Rule::Idc5)
    );
    let both = relax(&cfg, &[Rule::Idc2, Rule::Idc5]);
    let deleted = ok(&both, &s, c(A, unassign(M, P0, user(U0))));
    assert_eq!(
        deleted,
        expect(&s, |w| {
            *w.assigned_mut(P0, M) = 0;
            w.ghost = ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER;
        })
    );
}

/// Member-1 delegate; user-1 and group-1 (holding user-2) assigned to the management
/// account with `ps-1`; user-2 also assigned to member-2 with `ps-2`.
fn management_access() -> Vec<Call> {
    [
        with_delegate(A),
        identities(),
        mgmt(&[
            Op::CreateGroupMembership(G0, U1),
            assign(M, P0, user(U0)),
            assign(M, P0, group(G0)),
            assign(B, P1, user(U1)),
        ]),
        vec![c(A, Op::CreateDirectory)],
    ]
    .concat()
}

// IDC-2 / Q6 also-side-effects: the delegate can't delete, even as a side effect, an
// assignment that targets the management account.
#[test]
fn q6_also_side_effects_delegate_deleting_management_assignment_refused_with_access_denied() {
    let mut cfg = cfg();
    cfg.assumptions.management_user_access = ManagementUserAccess::AlsoSideEffects;
    let s = run(&cfg, &management_access());
    for op in [
        Op::DeleteUser(U0),
        Op::DeleteGroup(G0),
        // IDC-4 → AD wipes every assignment (SRC-4).
        Op::ChangeIdentitySource(ad(A)),
        // Refused by the provisioning guard of IDC-2 first.
        Op::DeletePermissionSet(P0),
    ] {
        assert_eq!(
            refusal(&cfg, &s, c(A, op)),
            denied(Exception::AccessDeniedException, Rule::Idc2),
            "{op}"
        );
    }
    // IDC-3: group membership stays editable; a change that preserves assignments is fine;
    // the user of another account is deleted with its assignment there.
    assert!(step(&cfg, &s, c(A, Op::DeleteGroupMembership(G0, U1))).is_ok());
    assert!(step(&cfg, &s, c(A, Op::ChangeIdentitySource(EXT))).is_ok());
    let no_management = run_from(&cfg, &s, &[c(A, Op::DeleteGroupMembership(G0, U1))]);
    let next = ok(&cfg, &no_management, c(A, Op::DeleteUser(U1)));
    assert_eq!(
        next,
        expect(&no_management, |w| {
            w.users = U0.bit();
            *w.assigned_mut(P1, B) = 0;
        })
    );
    // Relaxed IDC-2: the side effect goes through.
    let relaxed = relax(&cfg, &[Rule::Idc2]);
    let next = ok(&relaxed, &s, c(A, Op::DeleteUser(U0)));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.users = U1.bit();
            *w.assigned_mut(P0, M) = group(G0).bit();
            w.ghost = ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER;
        })
    );
    // The management account is never limited by Q6.
    assert!(step(&cfg, &s, c(M, Op::DeleteUser(U0))).is_ok());
}

// IDC-2 / Q6 assignment-calls (default): side effects are not limited.
#[test]
fn q6_assignment_calls_delegate_side_effects_allowed() {
    let cfg = cfg();
    assert_eq!(
        cfg.assumptions.management_user_access,
        ManagementUserAccess::AssignmentCalls
    );
    let s = run(&cfg, &management_access());
    let next = ok(&cfg, &s, c(A, Op::DeleteUser(U0)));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.users = U1.bit();
            *w.assigned_mut(P0, M) = group(G0).bit();
            w.ghost = ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER;
        })
    );
    let next = ok(&cfg, &s, c(A, Op::DeleteGroup(G0)));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.groups = G1.bit();
            w.membership = Default::default();
            *w.assigned_mut(P0, M) = user(U0).bit();
            w.ghost = ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER;
        })
    );
    // SRC-7: the change also removes every permission set's role from every account, the
    // management account's `ps-1` included, which the delegate thereby alters.
    let next = ok(&cfg, &s, c(A, Op::ChangeIdentitySource(ad(A))));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.users = 0;
            w.groups = 0;
            w.membership = Default::default();
            w.assignments = Default::default();
            w.provisioned = Default::default();
            w.source = ad(A);
            w.ghost = ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER
                | ghost::DELEGATE_ALTERED_MANAGEMENT_PERMISSION_SET;
        })
    );
}

// -------------------------------------------------------------------------------- IDC-3

// IDC-3: the delegate edits the membership of a group assigned to the management account,
// and so changes who reaches it.
#[test]
fn idc3_delegate_edits_membership_of_management_group() {
    for q6 in ManagementUserAccess::ALL {
        let mut cfg = cfg();
        cfg.assumptions.management_user_access = *q6;
        let s = run(&cfg, &management_access());
        assert_eq!(assigned_users(&s, M), U0.bit() | U1.bit());
        let removed = ok(&cfg, &s, c(A, Op::DeleteGroupMembership(G0, U1)));
        assert_eq!(
            removed,
            expect(&s, |w| {
                w.membership[0] = 0;
                w.ghost = ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER;
            }),
            "{q6}"
        );
        assert_eq!(assigned_users(&removed, M), U0.bit());
        let added = ok(&cfg, &removed, c(A, Op::CreateGroupMembership(G0, U1)));
        assert_eq!(
            added,
            expect(&s, |w| {
                w.ghost = ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER
                    | ghost::MANAGEMENT_ACCESS_GRANTED_BY_OTHER;
            }),
            "{q6}"
        );
    }
}

// IDC-3: membership preconditions of the Identity Store API.
#[test]
fn idc3_membership_preconditions_refused_with_api_errors() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            instance(),
            mgmt(&[
                Op::CreateUser(U0),
                Op::CreateGroup(G0),
                Op::CreateGroupMembership(G0, U0),
            ]),
        ]
        .concat(),
    );
    let missing = precondition(Exception::ResourceNotFoundException);
    for op in [
        Op::CreateGroupMembership(G1, U0),
        Op::CreateGroupMembership(G0, U1),
        Op::DeleteGroupMembership(G1, U0),
        Op::DeleteGroupMembership(G0, U1),
    ] {
        assert_eq!(refusal(&cfg, &s, c(M, op)), missing, "{op}");
    }
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::CreateGroupMembership(G0, U0))),
        precondition(Exception::ConflictException)
    );
    let none = run_from(&cfg, &s, &mgmt(&[Op::DeleteGroupMembership(G0, U0)]));
    assert_eq!(none.membership[0], 0);
    assert_eq!(
        refusal(&cfg, &none, c(M, Op::DeleteGroupMembership(G0, U0))),
        missing
    );
}

// -------------------------------------------------------------------------------- IDC-5

// IDC-5: the delegate can't assign, to any account, a permission set provisioned in the
// management account.
#[test]
fn idc5_delegate_assigning_management_permission_set_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[ps_in_management(), mgmt(&[assign(B, P0, user(U1))])].concat(),
    );
    for op in [
        assign(B, P0, user(U0)),
        assign(A, P0, group(G0)),
        unassign(B, P0, user(U1)),
    ] {
        assert_eq!(
            refusal(&cfg, &s, c(A, op)),
            denied(Exception::AccessDeniedException, Rule::Idc5),
            "{op}"
        );
    }
    let relaxed = relax(&cfg, &[Rule::Idc5]);
    let next = ok(&relaxed, &s, c(A, assign(C, P0, user(U0))));
    assert_eq!(
        next,
        expect(&s, |w| {
            *w.assigned_mut(P0, C) = user(U0).bit();
            w.provisioned[0] |= C.bit();
            w.ghost = ghost::DELEGATE_ALTERED_MANAGEMENT_PERMISSION_SET
                | ghost::DELEGATE_ASSIGNED_IN_MEMBER;
        })
    );
    let next = ok(&relaxed, &s, c(A, unassign(B, P0, user(U1))));
    assert_eq!(next, expect(&s, |w| *w.assigned_mut(P0, B) = 0));
}

// IDC-5: a permission set not provisioned in the management account is assigned by the
// delegate to any member account, its own included.
#[test]
fn idc5_delegate_assigns_other_permission_set_in_members() {
    let cfg = cfg();
    let s = run(&cfg, &ps_in_management());
    let next = ok(&cfg, &s, c(A, assign(B, P1, group(G0))));
    assert_eq!(
        next,
        expect(&s, |w| {
            *w.assigned_mut(P1, B) = group(G0).bit();
            w.provisioned[1] = B.bit();
            w.ghost = ghost::DELEGATE_ASSIGNED_IN_MEMBER;
        })
    );
    let own = ok(&cfg, &next, c(A, assign(A, P1, user(U0))));
    assert_eq!(own.provisioned[1], A.bit() | B.bit());
    let deleted = ok(&cfg, &next, c(A, unassign(B, P1, group(G0))));
    assert_eq!(deleted.assigned(P1, B), 0);
    assert_eq!(deleted.ghost, 0);
}

// ----------------------------------------------------------------------- IDC-6 and API

// IDC-6: an assignment provisions its permission set; users reach an account directly or
// through a group.
#[test]
fn idc6_effective_access_directly_and_through_groups() {
    let cfg = cfg();
    let s = run(&cfg, &[instance(), identities()].concat());
    let g = ok(&cfg, &s, c(M, assign(A, P0, group(G0))));
    assert_eq!(
        g,
        expect(&s, |w| {
            *w.assigned_mut(P0, A) = group(G0).bit();
            w.provisioned[0] = A.bit();
        })
    );
    assert_eq!(effective_access(&g, A), 0, "an empty group grants nothing");
    let g = run_from(
        &cfg,
        &g,
        &mgmt(&[
            Op::CreateGroupMembership(G0, U0),
            Op::CreateGroupMembership(G0, U1),
        ]),
    );
    assert_eq!(effective_access(&g, A), U0.bit() | U1.bit());
    assert_eq!(effective_access(&g, B), 0);
    assert_eq!(effective_access(&g, M), 0);
    let g = run_from(&cfg, &g, &mgmt(&[Op::DeleteGroupMembership(G0, U0)]));
    assert_eq!(effective_access(&g, A), U1.bit());
    let g = run_from(&cfg, &g, &mgmt(&[assign(A, P1, user(U0))]));
    assert_eq!(effective_access(&g, A), U0.bit() | U1.bit());
    assert_eq!(g.provisioned[1], A.bit());
    // Deleting a user removes its memberships and assignments.
    let d = ok(&cfg, &g, c(M, Op::DeleteUser(U1)));
    assert_eq!(
        d,
        expect(&g, |w| {
            w.users = U0.bit();
            w.membership[0] = 0;
        })
    );
    assert_eq!(effective_access(&d, A), U0.bit());
    // Deleting the group removes its assignment; the direct one stays.
    let d = ok(&cfg, &g, c(M, Op::DeleteGroup(G0)));
    assert_eq!(
        d,
        expect(&g, |w| {
            w.groups = G1.bit();
            w.membership[0] = 0;
            *w.assigned_mut(P0, A) = 0;
        })
    );
    assert_eq!(effective_access(&d, A), U0.bit());
    // IDC-9: a permission set still provisioned can't be deleted; with IDC-9 relaxed,
    // deleting it removes its assignments and provisioning.
    assert_eq!(
        refusal(&cfg, &g, c(M, Op::DeletePermissionSet(P1))),
        denied(Exception::ConflictException, Rule::Idc9)
    );
    let d = ok(
        &relax(&cfg, &[Rule::Idc9]),
        &g,
        c(M, Op::DeletePermissionSet(P1)),
    );
    assert_eq!(
        d,
        expect(&g, |w| {
            w.permission_sets = P0.bit();
            w.provisioned[1] = 0;
            *w.assigned_mut(P1, A) = 0;
        })
    );
    assert_eq!(effective_access(&d, A), U1.bit());
}

// IDC-6: assignment preconditions of the SSO Admin API.
#[test]
fn idc6_assignment_preconditions_refused_with_api_errors() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            instance(),
            mgmt(&[
                Op::CreateUser(U0),
                Op::CreateGroup(G0),
                Op::CreatePermissionSet(P0),
                assign(A, P0, user(U0)),
            ]),
        ]
        .concat(),
    );
    let missing = precondition(Exception::ResourceNotFoundException);
    for op in [
        assign(A, P1, user(U0)),
        assign(A, P0, user(U1)),
        assign(A, P0, group(G1)),
        unassign(A, P1, user(U0)),
        unassign(A, P0, group(G1)),
        unassign(A, P0, group(G0)),
        unassign(B, P0, user(U0)),
    ] {
        assert_eq!(refusal(&cfg, &s, c(M, op)), missing, "{op}");
    }
    assert_eq!(
        refusal(&cfg, &s, c(M, assign(A, P0, user(U0)))),
        precondition(Exception::ConflictException)
    );
    let next = ok(&cfg, &s, c(M, unassign(A, P0, user(U0))));
    // The permission set stays provisioned after its last assignment goes.
    assert_eq!(next, expect(&s, |w| *w.assigned_mut(P0, A) = 0));
}

// Identity Store and permission-set preconditions of the APIs.
#[test]
fn identity_preconditions_refused_with_api_errors() {
    let cfg = cfg();
    let s = run(&cfg, &[instance(), identities()].concat());
    let conflict = precondition(Exception::ConflictException);
    for op in [
        Op::CreateUser(U0),
        Op::CreateGroup(G1),
        Op::CreatePermissionSet(P1),
    ] {
        assert_eq!(refusal(&cfg, &s, c(M, op)), conflict, "{op}");
    }
    let empty = run(&cfg, &instance());
    let missing = precondition(Exception::ResourceNotFoundException);
    for op in [
        Op::DeleteUser(U0),
        Op::DeleteGroup(G1),
        Op::UpdatePermissionSet(P0),
        Op::DeletePermissionSet(P1),
    ] {
        assert_eq!(refusal(&cfg, &empty, c(M, op)), missing, "{op}");
    }
    let created = ok(&cfg, &empty, c(M, Op::CreatePermissionSet(P1)));
    assert_eq!(created, expect(&empty, |w| w.permission_sets = P1.bit()));
}

// ------------------------------------------------------------------------ IDC-7 practices

// IDC-7 users-only-in-management: the management account assigns no group to itself.
#[test]
fn idc7_users_only_in_management_group_to_management_refused() {
    let cfg = practising(&cfg(), Practice::UsersOnlyInManagement);
    let s = run(&cfg, &[with_delegate(A), identities()].concat());
    assert_eq!(
        refusal(&cfg, &s, c(M, assign(M, P0, group(G0)))),
        Refusal::Practice(Practice::UsersOnlyInManagement)
    );
    assert!(step(&cfg, &s, c(M, assign(M, P0, user(U0)))).is_ok());
    assert!(step(&cfg, &s, c(M, assign(A, P0, group(G0)))).is_ok());
    // A practice never refuses anyone else's call (here the delegate, IDC-2 relaxed).
    let relaxed = relax(&cfg, &[Rule::Idc2]);
    assert!(step(&relaxed, &s, c(A, assign(M, P0, group(G0)))).is_ok());
    // Without the practice the management account may.
    assert!(step(&self::cfg(), &s, c(M, assign(M, P0, group(G0)))).is_ok());
}

// IDC-7 permission-sets-only-for-management: a permission set is provisioned either in the
// management account or in members, never both.
#[test]
fn idc7_permission_sets_only_for_management_mixing_refused() {
    let cfg = practising(&cfg(), Practice::PermissionSetsOnlyForManagement);
    let s = run(
        &cfg,
        &[
            with_delegate(A),
            identities(),
            mgmt(&[assign(M, P0, user(U0)), assign(B, P1, user(U0))]),
        ]
        .concat(),
    );
    let practice = Refusal::Practice(Practice::PermissionSetsOnlyForManagement);
    assert_eq!(refusal(&cfg, &s, c(M, assign(C, P0, user(U1)))), practice);
    assert_eq!(refusal(&cfg, &s, c(M, assign(M, P1, user(U1)))), practice);
    assert!(step(&cfg, &s, c(M, assign(M, P0, user(U1)))).is_ok());
    assert!(step(&cfg, &s, c(M, assign(C, P1, user(U1)))).is_ok());
    // The delegate is not bound by the practice (IDC-5 relaxed to let it try).
    let relaxed = relax(&cfg, &[Rule::Idc5]);
    assert!(step(&relaxed, &s, c(A, assign(C, P0, user(U1)))).is_ok());
}

// IDC-7 least-privilege-in-management: the management account never lets a second user
// reach itself, by assignment or by group membership.
#[test]
fn idc7_least_privilege_second_user_in_management_refused() {
    let cfg = practising(&cfg(), Practice::LeastPrivilegeInManagement);
    let practice = Refusal::Practice(Practice::LeastPrivilegeInManagement);
    let s = run(
        &cfg,
        &[
            with_delegate(A),
            identities(),
            mgmt(&[assign(M, P0, user(U0)), assign(M, P0, group(G0))]),
        ]
        .concat(),
    );
    assert_eq!(assigned_users(&s, M), U0.bit());
    assert_eq!(refusal(&cfg, &s, c(M, assign(M, P1, user(U1)))), practice);
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::CreateGroupMembership(G0, U1))),
        practice
    );
    // The same user again, or users of member accounts, are fine.
    assert!(step(&cfg, &s, c(M, assign(M, P1, user(U0)))).is_ok());
    assert!(step(&cfg, &s, c(M, Op::CreateGroupMembership(G0, U0))).is_ok());
    assert!(step(&cfg, &s, c(M, assign(B, P1, user(U1)))).is_ok());
    // The delegate is not bound by the practice (IDC-3).
    let next = ok(&cfg, &s, c(A, Op::CreateGroupMembership(G0, U1)));
    assert_eq!(assigned_users(&next, M), U0.bit() | U1.bit());
    // A group of two assigned at once is a second user too.
    let fresh = run(
        &cfg,
        &[
            instance(),
            identities(),
            mgmt(&[
                Op::CreateGroupMembership(G1, U0),
                Op::CreateGroupMembership(G1, U1),
            ]),
        ]
        .concat(),
    );
    assert_eq!(
        refusal(&cfg, &fresh, c(M, assign(M, P0, group(G1)))),
        practice
    );
}

// -------------------------------------------------------------------------- SRC-1..SRC-3

// SRC-1: changing to the source in use, or to a directory that does not exist.
#[test]
fn src1_change_preconditions_refused_with_api_errors() {
    let cfg = cfg();
    let s = run(&cfg, &instance());
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::ChangeIdentitySource(IDC))),
        precondition(Exception::ValidationException)
    );
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::ChangeIdentitySource(ad(M)))),
        precondition(Exception::ResourceNotFoundException)
    );
    let ext = run_from(&cfg, &s, &mgmt(&[Op::ChangeIdentitySource(EXT)]));
    assert_eq!(
        refusal(&cfg, &ext, c(M, Op::ChangeIdentitySource(EXT))),
        precondition(Exception::ValidationException)
    );
}

// SRC-2: without a delegate, the directory must be the management account's.
#[test]
fn src2_member_directory_without_delegate_refused_with_validation() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            instance(),
            vec![c(A, Op::CreateDirectory), c(M, Op::CreateDirectory)],
        ]
        .concat(),
    );
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::ChangeIdentitySource(ad(A)))),
        denied(Exception::ValidationException, Rule::Src2)
    );
    let relaxed = relax(&cfg, &[Rule::Src2]);
    let next = ok(&relaxed, &s, c(M, Op::ChangeIdentitySource(ad(A))));
    assert_eq!(next, expect(&s, |w| w.source = ad(A)));
    let next = ok(&cfg, &s, c(M, Op::ChangeIdentitySource(ad(M))));
    assert_eq!(next, expect(&s, |w| w.source = ad(M)));
}

// SRC-2: with a delegate, the directory must be the delegate's, whoever changes the source.
#[test]
fn src2_with_delegate_directory_must_be_delegates() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            with_delegate(A),
            vec![
                c(M, Op::CreateDirectory),
                c(A, Op::CreateDirectory),
                c(B, Op::CreateDirectory),
            ],
        ]
        .concat(),
    );
    for (caller, owner) in [(M, M), (A, M), (M, B), (A, B)] {
        assert_eq!(
            refusal(&cfg, &s, c(caller, Op::ChangeIdentitySource(ad(owner)))),
            denied(Exception::ValidationException, Rule::Src2),
            "{caller}: {owner}"
        );
    }
    for caller in [M, A] {
        let next = ok(&cfg, &s, c(caller, Op::ChangeIdentitySource(ad(A))));
        assert_eq!(next, expect(&s, |w| w.source = ad(A)), "{caller}");
    }
}

// SRC-2: a change *from* a directory with the wrong owner is refused too (after the
// delegate that owns it was deregistered).
#[test]
fn src2_change_from_directory_with_wrong_owner_refused_with_validation() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            ad_in_delegate(),
            mgmt(&[Op::DeregisterDelegatedAdministrator(A)]),
        ]
        .concat(),
    );
    for to in [IDC, EXT] {
        assert_eq!(
            refusal(&cfg, &s, c(M, Op::ChangeIdentitySource(to))),
            denied(Exception::ValidationException, Rule::Src2),
            "{to}"
        );
        let relaxed = relax(&cfg, &[Rule::Src2]);
        assert_eq!(
            ok(&relaxed, &s, c(M, Op::ChangeIdentitySource(to))).source,
            to
        );
    }
}

// SRC-3: the delegate changes the identity source.
#[test]
fn src3_delegate_changes_identity_source() {
    let cfg = cfg();
    let s = run(&cfg, &with_delegate(A));
    let next = ok(&cfg, &s, c(A, Op::ChangeIdentitySource(EXT)));
    assert_eq!(next, expect(&s, |w| w.source = EXT));
}

// ----------------------------------------------------------------------- SRC-4, SRC-7, SRC-8 / A2

/// Users, a group with user-2, and `ps-1` assigned to user-1 in the management account and
/// to the group in member-1: what SRC-4 deletes or preserves. Made under the Identity
/// Center directory or an external IdP.
fn population() -> Vec<Call> {
    population_in(IDC)
}

/// `population` under `source`: with Active Directory, the users, groups and memberships
/// are made in the directory by its owner (SRC-6: the identity store is read-only).
fn population_in(source: IdentitySource) -> Vec<Call> {
    let identities = match source {
        IdentitySource::ActiveDirectory(owner) => [
            Op::DirectoryCreateUser(U0),
            Op::DirectoryCreateUser(U1),
            Op::DirectoryCreateGroup(G0),
            Op::DirectoryAddGroupMember(G0, U1),
        ]
        .map(|op| c(owner, op)),
        _ => [
            Op::CreateUser(U0),
            Op::CreateUser(U1),
            Op::CreateGroup(G0),
            Op::CreateGroupMembership(G0, U1),
        ]
        .map(|op| c(M, op)),
    };
    [
        identities.to_vec(),
        mgmt(&[
            Op::CreatePermissionSet(P0),
            assign(M, P0, user(U0)),
            assign(A, P0, group(G0)),
        ]),
    ]
    .concat()
}

/// The state with the source reached by `reach` and populated, and the state after the
/// management account changes the source to `to`.
fn src4_change(cfg: &Config, reach: &[Call], to: IdentitySource) -> (State, State) {
    let reached = run(cfg, &[instance(), reach.to_vec()].concat());
    let s = run_from(cfg, &reached, &population_in(reached.source));
    assert_eq!(assigned_users(&s, M), U0.bit());
    assert_eq!(s.provisioned[0], M.bit() | A.bit());
    let next = ok(cfg, &s, c(M, Op::ChangeIdentitySource(to)));
    (s, next)
}

#[track_caller]
fn assert_preserved(s: &State, next: &State, to: IdentitySource) {
    assert_eq!(
        *next,
        expect(s, |w| {
            w.source = to;
            w.ad_sync = false;
        }),
        "{} -> {to} preserves identities",
        s.source
    );
}

#[track_caller]
fn assert_deleted(s: &State, next: &State, to: IdentitySource, ad_sync: bool) {
    assert_eq!(
        *next,
        expect(s, |w| {
            w.users = 0;
            w.groups = 0;
            w.membership = Default::default();
            w.assignments = Default::default();
            w.provisioned = Default::default();
            w.source = to;
            w.ad_sync = ad_sync;
        }),
        "{} -> {to} deletes users, groups and assignments, and (SRC-7) every permission \
         set's role in every account (the permission sets stay)",
        s.source
    );
}

fn to_ext() -> Vec<Call> {
    mgmt(&[Op::ChangeIdentitySource(EXT)])
}

fn to_ad_m() -> Vec<Call> {
    mgmt(&[Op::CreateDirectory, Op::ChangeIdentitySource(ad(M))])
}

// SRC-4: Identity Center directory → external IdP preserves everything.
#[test]
fn src4_idc_to_external_idp_preserves_identities() {
    let cfg = cfg();
    let (s, next) = src4_change(&cfg, &[], EXT);
    assert_preserved(&s, &next, EXT);
}

// SRC-4: external IdP → Identity Center directory preserves everything.
#[test]
fn src4_external_idp_to_idc_preserves_identities() {
    let cfg = cfg();
    let (s, next) = src4_change(&cfg, &to_ext(), IDC);
    assert_preserved(&s, &next, IDC);
}

// SRC-4: Identity Center directory → AD deletes users, groups and assignments.
#[test]
fn src4_idc_to_ad_deletes_identities() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[instance(), population(), mgmt(&[Op::CreateDirectory])].concat(),
    );
    let next = ok(&cfg, &s, c(M, Op::ChangeIdentitySource(ad(M))));
    assert_deleted(&s, &next, ad(M), false);
}

// SRC-4: AD → external IdP deletes users, groups and assignments.
#[test]
fn src4_ad_to_external_idp_deletes_identities() {
    let cfg = cfg();
    let (s, next) = src4_change(&cfg, &to_ad_m(), EXT);
    assert_deleted(&s, &next, EXT, false);
}

// SRC-4: external IdP → AD deletes users, groups and assignments.
#[test]
fn src4_external_idp_to_ad_deletes_identities() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            instance(),
            to_ext(),
            population(),
            mgmt(&[Op::CreateDirectory]),
        ]
        .concat(),
    );
    let next = ok(&cfg, &s, c(M, Op::ChangeIdentitySource(ad(M))));
    assert_deleted(&s, &next, ad(M), false);
}

// SRC-8 (was A2 deletes-identities): AD → Identity Center directory deletes them.
#[test]
fn src8_ad_to_idc_deletes_identities() {
    let cfg = cfg();
    assert_eq!(
        cfg.assumptions.ad_to_other_directory,
        AdToOtherDirectory::DeletesIdentities
    );
    let (s, next) = src4_change(&cfg, &to_ad_m(), IDC);
    assert_deleted(&s, &next, IDC, false);
}

// SRC-8 (was A2 preserves-identities: AD → Identity Center directory preserved them): A2
// now covers only AD → another AD directory; under preserves-identities AD → Identity
// Center directory deletes them, like every change to or from AD.
#[test]
fn src8_a2_preserves_identities_still_deletes_ad_to_idc() {
    let mut cfg = cfg();
    cfg.assumptions.ad_to_other_directory = AdToOtherDirectory::PreservesIdentities;
    let (s, next) = src4_change(&cfg, &to_ad_m(), IDC);
    assert_deleted(&s, &next, IDC, false);
    // A2 does not touch the documented cases.
    let (s, next) = src4_change(&cfg, &to_ad_m(), EXT);
    assert_deleted(&s, &next, EXT, false);
}

// SRC-4 / A2: AD → another AD directory. Two directories that both satisfy SRC-2 can't
// exist, so SRC-2 is relaxed to reach the case.
#[test]
fn a2_ad_to_other_ad_deletes_or_preserves_identities() {
    let reach = [
        c(M, Op::CreateDirectory),
        c(A, Op::CreateDirectory),
        c(M, Op::ChangeIdentitySource(ad(M))),
    ];
    let cfg = relax(&cfg(), &[Rule::Src2]);
    let (s, next) = src4_change(&cfg, &reach, ad(A));
    assert_deleted(&s, &next, ad(A), false);
    let mut keep = cfg;
    keep.assumptions.ad_to_other_directory = AdToOtherDirectory::PreservesIdentities;
    let (s, next) = src4_change(&keep, &reach, ad(A));
    assert_preserved(&s, &next, ad(A));
}

// SRC-4 / A1 on: the sync is on after connecting a directory, off after leaving AD.
#[test]
fn a1_ad_sync_on_connect_follows_the_assumption() {
    let mut on = cfg();
    on.assumptions.ad_sync_on_connect = AdSyncOnConnect::On;
    let s = run(&on, &[instance(), population(), to_ad_m()].concat());
    assert!(s.ad_sync);
    let next = ok(&on, &s, c(M, Op::ChangeIdentitySource(EXT)));
    assert_deleted(&s, &next, EXT, false);
    let off = run(&cfg(), &[instance(), to_ad_m()].concat());
    assert!(!off.ad_sync);
}

// DA-9 setting: configurable AD sync is toggled only while AD is the identity source.
#[test]
fn da9_configurable_ad_sync_toggles_only_with_ad_source() {
    let cfg = cfg();
    let s = run(&cfg, &instance());
    for op in [Op::EnableConfigurableAdSync, Op::DisableConfigurableAdSync] {
        assert_eq!(
            refusal(&cfg, &s, c(M, op)),
            precondition(Exception::ValidationException),
            "{op}"
        );
    }
    let s = run(&cfg, &[instance(), to_ad_m()].concat());
    let on = ok(&cfg, &s, c(M, Op::EnableConfigurableAdSync));
    assert_eq!(on, expect(&s, |w| w.ad_sync = true));
    assert_eq!(ok(&cfg, &on, c(M, Op::DisableConfigurableAdSync)), s);
}

// ------------------------------------------------------------------------- directories

// Directory Service: any account, even outside the organization, creates one directory;
// a closed account creates none (ORG-2).
#[test]
fn directory_creation_one_per_account() {
    let cfg = cfg();
    let s = run(&cfg, &[c(B, Op::LeaveOrganization)]);
    let next = ok(&cfg, &s, c(B, Op::CreateDirectory));
    assert_eq!(next, expect(&s, |w| w.directories = B.bit()));
    assert_eq!(
        refusal(&cfg, &next, c(B, Op::CreateDirectory)),
        precondition(Exception::DirectoryLimitExceededException)
    );
    let closed = run(&cfg, &mgmt(&[Op::CloseAccount(A)]));
    assert_eq!(
        refusal(&cfg, &closed, c(A, Op::CreateDirectory)),
        denied(Exception::AccessDeniedException, Rule::Org2)
    );
}

// ------------------------------------------------------------------------------- ghosts

// Ghost bits: the management account's own calls set none.
#[test]
fn ghost_management_calls_set_no_ghost_bit() {
    let cfg = cfg();
    let calls = [
        with_delegate(A),
        identities(),
        mgmt(&[
            Op::CreateGroupMembership(G0, U0),
            assign(M, P0, group(G0)),
            Op::CreateGroupMembership(G0, U1),
            assign(B, P1, user(U0)),
            Op::UpdatePermissionSet(P0),
            Op::DeleteGroupMembership(G0, U1),
            Op::DeleteUser(U0),
            provision(P1, C),
            // IDC-9: the set is removed from the accounts that use it before it is deleted.
            remove_from(P0, M),
            Op::DeletePermissionSet(P0),
            Op::ChangeIdentitySource(EXT),
            ORG_INSTANCE,
        ]),
    ]
    .concat();
    let mut s = State::initial(&cfg);
    for call in calls {
        s = ok(&cfg, &s, call);
        assert_eq!(s.ghost, 0, "after `{call}`");
    }
}

// Ghost bits: a member leaving deprovisions as a side effect, which is not administration,
// so DELEGATE_ALTERED_MANAGEMENT_PERMISSION_SET stays clear.
#[test]
fn ghost_member_leaving_sets_no_ghost_bit() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            instance(),
            identities(),
            mgmt(&[assign(M, P0, user(U0)), assign(A, P0, user(U0))]),
        ]
        .concat(),
    );
    let next = ok(&cfg, &s, c(A, Op::LeaveOrganization));
    assert_eq!(
        next.provisioned[0],
        M.bit(),
        "Q5: deprovisioned from member-1"
    );
    assert_eq!(next.ghost, 0);
}

// Ghost bits: each is set by the step that did it, and cleared by the next step.
#[test]
fn ghost_bits_set_by_the_step_that_did_it_and_cleared_by_the_next() {
    let cfg = cfg();
    let s = run(&cfg, &management_access());
    let granted = ok(&cfg, &s, c(A, Op::CreateGroupMembership(G0, U0)));
    // user-1 already reaches the management account directly: no change.
    assert_eq!(granted.ghost, 0);
    let granted = ok(&cfg, &s, c(A, Op::CreateGroupMembership(G1, U0)));
    assert_eq!(
        granted.ghost, 0,
        "group-2 grants nothing in the management account"
    );
    let removed = ok(&cfg, &s, c(A, Op::DeleteGroupMembership(G0, U1)));
    assert_eq!(removed.ghost, ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER);
    let cleared = ok(&cfg, &removed, c(M, Op::CreateGroupMembership(G1, U1)));
    assert_eq!(cleared.ghost, 0);
    let cleared = ok(&cfg, &removed, c(A, Op::UpdatePermissionSet(P1)));
    assert_eq!(cleared.ghost, 0);
    let in_member = ok(&cfg, &removed, c(A, assign(C, P1, user(U0))));
    assert_eq!(in_member.ghost, ghost::DELEGATE_ASSIGNED_IN_MEMBER);
    let in_member_again = ok(&cfg, &in_member, c(A, assign(C, P1, user(U1))));
    assert_eq!(in_member_again.ghost, ghost::DELEGATE_ASSIGNED_IN_MEMBER);
    let deregistered = ok(
        &cfg,
        &in_member,
        c(M, Op::DeregisterDelegatedAdministrator(A)),
    );
    assert_eq!(deregistered.ghost, 0);
}

// ===================================================================== rules new in v2

// ------------------------------------------------------------------------------ IDC-1a

// IDC-1a: CreateInstance (an account instance) from the management account is refused
// ("Organization management account is not allowed to perform the operation"), with or
// without the organization instance; relaxed, the management account gets one.
#[test]
fn idc1a_management_creating_account_instance_refused_with_validation() {
    let cfg = cfg();
    for setup in [vec![], instance()] {
        let s = run(&cfg, &setup);
        assert_eq!(
            refusal(&cfg, &s, c(M, Op::CreateInstance)),
            denied(Exception::ValidationException, Rule::Idc1a)
        );
        let relaxed = relax(&cfg, &[Rule::Idc1a]);
        let next = ok(&relaxed, &s, c(M, Op::CreateInstance));
        assert_eq!(next, expect(&s, |w| w.account_instances = M.bit()));
    }
}

// IDC-1a: a member creates one account instance in its own account — the delegate and a
// standalone account (outside the organization) too, with or without the organization
// instance; nothing else changes (it is not the organization instance). A second one in
// the same account is refused with ConflictException; relaxed, it changes nothing (one per
// account in the model).
#[test]
fn idc1a_member_creates_one_account_instance_second_refused_with_conflict() {
    let cfg = cfg();
    let bare = run(&cfg, &[]);
    let next = ok(&cfg, &bare, c(B, Op::CreateInstance));
    assert_eq!(next, expect(&bare, |w| w.account_instances = B.bit()));
    assert_eq!(next.instance, None);
    let s = run(
        &cfg,
        &[with_delegate(A), vec![c(C, Op::LeaveOrganization)]].concat(),
    );
    let mut now = s.clone();
    for caller in [A, B, C] {
        let next = ok(&cfg, &now, c(caller, Op::CreateInstance));
        assert_eq!(
            next,
            expect(&now, |w| w.account_instances |= caller.bit()),
            "{caller}"
        );
        now = next;
    }
    assert_eq!(
        now,
        expect(&s, |w| w.account_instances = A.bit() | B.bit() | C.bit())
    );
    for caller in [A, B, C] {
        assert_eq!(
            refusal(&cfg, &now, c(caller, Op::CreateInstance)),
            denied(Exception::ConflictException, Rule::Idc1a),
            "{caller}"
        );
    }
    let relaxed = relax(&cfg, &[Rule::Idc1a]);
    assert_eq!(ok(&relaxed, &now, c(B, Op::CreateInstance)), now);
}

// IDC-1a: an account instance serves only its own account: its owner administers nothing
// of the organization instance (IDC-4), and without the organization instance the
// management account finds nothing to administer.
#[test]
fn idc1a_account_instance_administers_nothing_of_the_organization() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            with_delegate(A),
            identities(),
            vec![c(B, Op::CreateInstance)],
        ]
        .concat(),
    );
    for op in admin_ops() {
        assert_eq!(
            refusal(&cfg, &s, c(B, op)),
            denied(Exception::AccessDeniedException, Rule::Idc4),
            "{op}"
        );
    }
    let alone = run(&cfg, &[c(B, Op::CreateInstance)]);
    assert_eq!(
        refusal(&cfg, &alone, c(B, Op::CreateUser(U0))),
        denied(Exception::AccessDeniedException, Rule::Idc4)
    );
    assert_eq!(
        refusal(&cfg, &alone, c(M, Op::CreateUser(U0))),
        precondition(Exception::ResourceNotFoundException)
    );
}

// IDC-1a: only the account that owns an account instance deletes it: the management
// account, the delegate and another member are refused with AccessDeniedException;
// relaxed, the instance goes (and a missing one is the API's ResourceNotFoundException).
#[test]
fn idc1a_deleting_another_accounts_instance_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[with_delegate(A), vec![c(B, Op::CreateInstance)]].concat(),
    );
    let op = Op::DeleteInstance(InstanceRef::Account(B));
    for caller in [M, A, C] {
        assert_eq!(
            refusal(&cfg, &s, c(caller, op)),
            denied(Exception::AccessDeniedException, Rule::Idc1a),
            "{caller}"
        );
    }
    let relaxed = relax(&cfg, &[Rule::Idc1a]);
    for caller in [M, A, C] {
        let next = ok(&relaxed, &s, c(caller, op));
        assert_eq!(next, expect(&s, |w| w.account_instances = 0), "{caller}");
    }
    assert_eq!(
        refusal(
            &relaxed,
            &s,
            c(B, Op::DeleteInstance(InstanceRef::Account(C)))
        ),
        precondition(Exception::ResourceNotFoundException)
    );
}

// IDC-1a: a member — the delegate too — deletes its own account instance ("those roles can
// delete their own instance"), and may create one again; without one, the API's
// ResourceNotFoundException. The organization instance stays.
#[test]
fn idc1a_member_deletes_its_own_account_instance() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            with_delegate(A),
            vec![c(A, Op::CreateInstance), c(B, Op::CreateInstance)],
        ]
        .concat(),
    );
    for caller in [A, B] {
        let own = Op::DeleteInstance(InstanceRef::Account(caller));
        let next = ok(&cfg, &s, c(caller, own));
        assert_eq!(
            next,
            expect(&s, |w| w.account_instances =
                (A.bit() | B.bit()) & !caller.bit()),
            "{caller}"
        );
        assert_eq!(next.instance, Some(M));
        assert_eq!(
            refusal(&cfg, &next, c(caller, own)),
            precondition(Exception::ResourceNotFoundException),
            "{caller}"
        );
        assert_eq!(
            ok(&cfg, &next, c(caller, Op::CreateInstance)),
            s,
            "{caller}"
        );
    }
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::DeleteInstance(InstanceRef::Account(M)))),
        precondition(Exception::ResourceNotFoundException)
    );
}

// IDC-1a (with IDC-1): "Neither the delegated administrator nor member account can delete
// the organization instance": refused with AccessDeniedException by IDC-1, also with IDC-1a
// relaxed; the management account deletes it and the account instances stay.
#[test]
fn idc1a_delegate_deleting_organization_instance_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[with_delegate(A), vec![c(A, Op::CreateInstance)]].concat(),
    );
    for cfg in [cfg, relax(&cfg, &[Rule::Idc1a])] {
        for caller in [A, B] {
            assert_eq!(
                refusal(&cfg, &s, c(caller, ORG_INSTANCE)),
                denied(Exception::AccessDeniedException, Rule::Idc1),
                "{caller}"
            );
        }
    }
    let next = ok(&cfg, &s, c(M, ORG_INSTANCE));
    assert_eq!(next, expect(&s, |w| w.instance = None));
    assert_eq!(next.account_instances, A.bit());
}

// ------------------------------------------------------------------------- ORG-6 / Q3

// ORG-6: a member's root user closes its own account: SUSPENDED, still in the
// organization, exactly as if the management account had closed it (Q5 deleted: its
// assignments and provisioning go). A standalone account closes itself too. A closed
// account can't sign in to close again (ORG-2); relaxed, AccountAlreadyClosedException.
#[test]
fn org6_member_closes_its_own_account() {
    let cfg = cfg();
    let s = run(&cfg, &member_assignments());
    let next = ok(&cfg, &s, c(A, Op::CloseOwnAccount));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.closed = A.bit();
            without_member1_access(&s, w);
        })
    );
    assert!(next.in_org(A) && !next.is_active(A));
    assert_eq!(next, ok(&cfg, &s, c(M, Op::CloseAccount(A))));
    let standalone = run(&cfg, &[c(B, Op::LeaveOrganization)]);
    let next = ok(&cfg, &standalone, c(B, Op::CloseOwnAccount));
    assert_eq!(next, expect(&standalone, |w| w.closed = B.bit()));
    assert!(!next.in_org(B));
    let closed = run(&cfg, &[c(C, Op::CloseOwnAccount)]);
    assert_eq!(
        refusal(&cfg, &closed, c(C, Op::CloseOwnAccount)),
        denied(Exception::AccessDeniedException, Rule::Org2)
    );
    assert_eq!(
        refusal(
            &relax(&cfg, &[Rule::Org2]),
            &closed,
            c(C, Op::CloseOwnAccount)
        ),
        precondition(Exception::AccountAlreadyClosedException)
    );
}

// ORG-6 / ORG-2: the management account can't close itself while it has an organization.
#[test]
fn org6_management_closing_itself_refused_with_cannot_close_management_account() {
    let cfg = cfg();
    let s = run(&cfg, &instance());
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::CloseOwnAccount)),
        violation(Reason::CANNOT_CLOSE_MANAGEMENT_ACCOUNT, Rule::Org2)
    );
    let relaxed = relax(&cfg, &[Rule::Org2]);
    let next = ok(&relaxed, &s, c(M, Op::CloseOwnAccount));
    assert_eq!(next, expect(&s, |w| w.closed = M.bit()));
}

// ORG-6 / Q3: the delegate closing its own account, under each concrete reading. refused:
// like its removal (ORG-3), and with ORG-3 relaxed it closes and stays registered;
// keeps-registration: it closes and stays registered; deregisters: it closes and is
// deregistered — a registry change by another account than the management account, which
// the ghost fact behind `registry-changed-only-by-management` records.
#[test]
fn q3_delegate_closing_its_own_account_under_each_reading() {
    let mut cfg = cfg();
    let s = run(&cfg, &with_delegate(A));
    let call = c(A, Op::CloseOwnAccount);
    cfg.assumptions.close_delegate = CloseDelegate::Refused;
    assert_eq!(
        refusal(&cfg, &s, call),
        violation(
            Reason::CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG,
            Rule::Org3
        )
    );
    let closed = expect(&s, |w| w.closed = A.bit());
    assert_eq!(ok(&relax(&cfg, &[Rule::Org3]), &s, call), closed);
    cfg.assumptions.close_delegate = CloseDelegate::KeepsRegistration;
    assert_eq!(ok(&cfg, &s, call), closed);
    assert!(closed.is_delegate(A));
    cfg.assumptions.close_delegate = CloseDelegate::Deregisters;
    assert_eq!(
        ok(&cfg, &s, call),
        expect(&s, |w| {
            w.closed = A.bit();
            w.delegates = 0;
            w.ghost = ghost::REGISTRY_CHANGED_BY_OTHER;
        })
    );
    // A member that is not the delegate meets no Q3 reading.
    for q3 in [CloseDelegate::Refused, CloseDelegate::Deregisters] {
        cfg.assumptions.close_delegate = q3;
        let next = ok(&cfg, &s, c(B, Op::CloseOwnAccount));
        assert_eq!(next, expect(&s, |w| w.closed = B.bit()), "{q3}");
    }
}

// ------------------------------------------------------------------------- IDC-8 / A3

// IDC-8: ProvisionPermissionSet adds the set's role to an account without any assignment,
// by the management account (in any account) or the delegate (in member accounts, its own
// included); provisioning again changes nothing. The set must exist; the target must be an
// active account of the organization (ORG-4).
#[test]
fn idc8_provision_permission_set_provisions_without_assignment() {
    let cfg = cfg();
    let s = run(&cfg, &[with_delegate(A), identities()].concat());
    let next = ok(&cfg, &s, c(M, provision(P0, B)));
    assert_eq!(next, expect(&s, |w| w.provisioned[0] = B.bit()));
    assert_eq!(ok(&cfg, &next, c(M, provision(P0, B))), next);
    let next = ok(&cfg, &next, c(M, provision(P0, M)));
    assert_eq!(next, expect(&s, |w| w.provisioned[0] = B.bit() | M.bit()));
    assert_eq!(effective_access(&next, M), 0, "a role alone grants nothing");
    let next = ok(&cfg, &s, c(A, provision(P1, C)));
    assert_eq!(next, expect(&s, |w| w.provisioned[1] = C.bit()));
    let next = ok(&cfg, &next, c(A, provision(P1, A)));
    assert_eq!(next, expect(&s, |w| w.provisioned[1] = C.bit() | A.bit()));
    assert_eq!(
        refusal(&cfg, &run(&cfg, &instance()), c(M, provision(P0, A))),
        precondition(Exception::ResourceNotFoundException)
    );
    let closed = run_from(&cfg, &s, &mgmt(&[Op::CloseAccount(C)]));
    assert_eq!(
        refusal(&cfg, &closed, c(M, provision(P0, C))),
        denied(Exception::ValidationException, Rule::Org4)
    );
}

// IDC-8 / IDC-2: the delegate neither provisions into, nor removes a set from, the
// management account, nor provisions or removes a set provisioned there; relaxed, it does
// (and altering the management account's set is recorded by the ghost fact).
#[test]
fn idc8_delegate_provisioning_in_management_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[ps_in_management(), mgmt(&[provision(P0, B)])].concat(),
    );
    for op in [
        provision(P1, M),
        provision(P0, C),
        remove_from(P0, M),
        remove_from(P0, B),
    ] {
        assert_eq!(
            refusal(&cfg, &s, c(A, op)),
            denied(Exception::AccessDeniedException, Rule::Idc2),
            "{op}"
        );
    }
    let relaxed = relax(&cfg, &[Rule::Idc2]);
    let next = ok(&relaxed, &s, c(A, provision(P1, M)));
    assert_eq!(next, expect(&s, |w| w.provisioned[1] = M.bit()));
    let next = ok(&relaxed, &s, c(A, provision(P0, C)));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.provisioned[0] |= C.bit();
            w.ghost = ghost::DELEGATE_ALTERED_MANAGEMENT_PERMISSION_SET;
        })
    );
    let next = ok(&relaxed, &s, c(A, remove_from(P0, M)));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.provisioned[0] = B.bit();
            *w.assigned_mut(P0, M) = 0;
            w.ghost = ghost::DELEGATE_ALTERED_MANAGEMENT_PERMISSION_SET
                | ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER;
        })
    );
}

// IDC-8: removing a permission set from an account deletes its role there and every
// assignment there that uses it; other sets and other accounts keep theirs. The delegate
// does it in member accounts. Not provisioned there, or no such set: ResourceNotFound.
#[test]
fn idc8_remove_permission_set_from_account_deletes_role_and_assignments() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            with_delegate(C),
            identities(),
            mgmt(&[
                Op::CreateGroupMembership(G0, U0),
                assign(A, P0, user(U0)),
                assign(A, P0, group(G0)),
                assign(A, P1, user(U1)),
                assign(B, P0, user(U1)),
            ]),
        ]
        .concat(),
    );
    assert_eq!(effective_access(&s, A), U0.bit() | U1.bit());
    let want = expect(&s, |w| {
        w.provisioned[0] = B.bit();
        *w.assigned_mut(P0, A) = 0;
    });
    assert_eq!(ok(&cfg, &s, c(M, remove_from(P0, A))), want);
    assert_eq!(ok(&cfg, &s, c(C, remove_from(P0, A))), want);
    assert_eq!(effective_access(&want, A), U1.bit());
    assert_eq!(effective_access(&want, B), U1.bit());
    assert_eq!(
        refusal(&cfg, &s, c(M, remove_from(P1, B))),
        precondition(Exception::ResourceNotFoundException)
    );
    assert_eq!(
        refusal(&cfg, &run(&cfg, &instance()), c(M, remove_from(P0, A))),
        precondition(Exception::ResourceNotFoundException)
    );
}

// IDC-8 / A3: deleting the last assignment of a set in an account keeps the set provisioned
// there (keeps-provisioned, concrete) or deprovisions it (deprovisions); deleting an
// assignment that is not the last keeps it provisioned under both.
#[test]
fn a3_delete_account_assignment_last_assignment_under_each_reading() {
    for a3 in [
        LastAssignmentDeprovisions::KeepsProvisioned,
        LastAssignmentDeprovisions::Deprovisions,
    ] {
        let mut cfg = cfg();
        cfg.assumptions.last_assignment_deprovisions = a3;
        let s = run(
            &cfg,
            &[
                instance(),
                identities(),
                mgmt(&[assign(A, P0, user(U0)), assign(A, P0, user(U1))]),
            ]
            .concat(),
        );
        let one = ok(&cfg, &s, c(M, unassign(A, P0, user(U0))));
        assert_eq!(
            one,
            expect(&s, |w| *w.assigned_mut(P0, A) = user(U1).bit()),
            "{a3}"
        );
        let none = ok(&cfg, &one, c(M, unassign(A, P0, user(U1))));
        let want = match a3 {
            LastAssignmentDeprovisions::KeepsProvisioned => A.bit(),
            _ => 0,
        };
        assert_eq!(
            none,
            expect(&s, |w| {
                *w.assigned_mut(P0, A) = 0;
                w.provisioned[0] = want;
            }),
            "{a3}"
        );
    }
}

// IDC-8 / A3: deleting a user or a group (identity store) deletes its assignments; where
// that was the last assignment of a set in an account, A3 decides whether the set stays
// provisioned there.
#[test]
fn a3_delete_user_or_group_last_assignment_under_each_reading() {
    for a3 in [
        LastAssignmentDeprovisions::KeepsProvisioned,
        LastAssignmentDeprovisions::Deprovisions,
    ] {
        let mut cfg = cfg();
        cfg.assumptions.last_assignment_deprovisions = a3;
        let deprovisions = a3 == LastAssignmentDeprovisions::Deprovisions;
        let s = run(
            &cfg,
            &[
                instance(),
                identities(),
                mgmt(&[
                    Op::CreateGroupMembership(G0, U0),
                    assign(A, P0, user(U0)),
                    assign(B, P0, user(U0)),
                    assign(B, P0, user(U1)),
                    assign(C, P1, group(G0)),
                ]),
            ]
            .concat(),
        );
        let next = ok(&cfg, &s, c(M, Op::DeleteUser(U0)));
        assert_eq!(
            next,
            expect(&s, |w| {
                w.users = U1.bit();
                w.membership[0] = 0;
                *w.assigned_mut(P0, A) = 0;
                *w.assigned_mut(P0, B) = user(U1).bit();
                if deprovisions {
                    // Member-1 lost its last `ps-1` assignment; member-2 keeps one; the
                    // group assignment in member-3 stays.
                    w.provisioned[0] = B.bit();
                }
            }),
            "{a3}"
        );
        let next = ok(&cfg, &s, c(M, Op::DeleteGroup(G0)));
        assert_eq!(
            next,
            expect(&s, |w| {
                w.groups = G1.bit();
                w.membership[0] = 0;
                *w.assigned_mut(P1, C) = 0;
                if deprovisions {
                    w.provisioned[1] = 0;
                }
            }),
            "{a3}"
        );
    }
}

// -------------------------------------------------------------------------------- IDC-9

// IDC-9: a permission set still provisioned in some account — through an assignment or on
// its own — can't be deleted, by the management account or the delegate
// (ConflictException); removed from every account, it can. Relaxed, it goes with its
// provisioning and assignments.
#[test]
fn idc9_deleting_provisioned_permission_set_refused_with_conflict() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            with_delegate(A),
            identities(),
            mgmt(&[provision(P0, B)]),
            vec![c(A, assign(C, P1, user(U0)))],
        ]
        .concat(),
    );
    for (caller, ps) in [(M, P0), (A, P0), (M, P1), (A, P1)] {
        assert_eq!(
            refusal(&cfg, &s, c(caller, Op::DeletePermissionSet(ps))),
            denied(Exception::ConflictException, Rule::Idc9),
            "{caller}: {ps}"
        );
    }
    let relaxed = relax(&cfg, &[Rule::Idc9]);
    let next = ok(&relaxed, &s, c(M, Op::DeletePermissionSet(P0)));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.permission_sets = P1.bit();
            w.provisioned[0] = 0;
        })
    );
    let next = ok(&relaxed, &s, c(A, Op::DeletePermissionSet(P1)));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.permission_sets = P0.bit();
            w.provisioned[1] = 0;
            *w.assigned_mut(P1, C) = 0;
        })
    );
    // Removed from its accounts first (IDC-8), each set is deleted.
    let clean = run_from(
        &cfg,
        &s,
        &[c(M, remove_from(P0, B)), c(A, remove_from(P1, C))],
    );
    assert_eq!(clean.provisioned, [0; 4]);
    let next = ok(&cfg, &clean, c(A, Op::DeletePermissionSet(P1)));
    assert_eq!(next, expect(&clean, |w| w.permission_sets = P0.bit()));
}

// IDC-9 / A3: deleting a set's last assignment frees it for deletion only where that
// deprovisions it.
#[test]
fn idc9_deleting_set_after_its_last_assignment_depends_on_a3() {
    let mut cfg = cfg();
    let setup = [
        instance(),
        identities(),
        mgmt(&[assign(A, P0, user(U0)), unassign(A, P0, user(U0))]),
    ]
    .concat();
    let s = run(&cfg, &setup);
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::DeletePermissionSet(P0))),
        denied(Exception::ConflictException, Rule::Idc9)
    );
    cfg.assumptions.last_assignment_deprovisions = LastAssignmentDeprovisions::Deprovisions;
    let s = run(&cfg, &setup);
    let next = ok(&cfg, &s, c(M, Op::DeletePermissionSet(P0)));
    assert_eq!(next, expect(&s, |w| w.permission_sets = P1.bit()));
}

// ------------------------------------------------------------------------------- IDC-10

// IDC-10: with trusted access disabled (Q2 keeps-registration: the delegate stays), no
// assignment or provisioning into a member account succeeds, whoever calls
// (ValidationException); the management account itself is no member account. Relaxed,
// they go through; trusted access enabled again, they succeed.
#[test]
fn idc10_member_assignment_without_trusted_access_refused_with_validation() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            with_delegate(A),
            identities(),
            mgmt(&[assign(B, P1, user(U1)), Op::DisableAwsServiceAccess]),
        ]
        .concat(),
    );
    assert!(!s.trusted_access && s.is_delegate(A));
    for caller in [M, A] {
        for op in [
            assign(C, P1, user(U0)),
            assign(A, P1, group(G0)),
            provision(P1, C),
            provision(P0, A),
        ] {
            assert_eq!(
                refusal(&cfg, &s, c(caller, op)),
                denied(Exception::ValidationException, Rule::Idc10),
                "{caller}: {op}"
            );
        }
    }
    let next = ok(&cfg, &s, c(M, assign(M, P0, user(U0))));
    assert_eq!(
        next,
        expect(&s, |w| {
            *w.assigned_mut(P0, M) = user(U0).bit();
            w.provisioned[0] = M.bit();
        })
    );
    let next = ok(&cfg, &s, c(M, provision(P0, M)));
    assert_eq!(next, expect(&s, |w| w.provisioned[0] = M.bit()));
    let relaxed = relax(&cfg, &[Rule::Idc10]);
    let next = ok(&relaxed, &s, c(A, assign(C, P1, user(U0))));
    assert_eq!(
        next,
        expect(&s, |w| {
            *w.assigned_mut(P1, C) = user(U0).bit();
            w.provisioned[1] |= C.bit();
            w.ghost = ghost::DELEGATE_ASSIGNED_IN_MEMBER;
        })
    );
    let next = ok(&relaxed, &s, c(M, provision(P0, A)));
    assert_eq!(next, expect(&s, |w| w.provisioned[0] = A.bit()));
    let on = run_from(&cfg, &s, &mgmt(&[Op::EnableAwsServiceAccess]));
    let next = ok(&cfg, &on, c(M, provision(P0, A)));
    assert_eq!(next, expect(&on, |w| w.provisioned[0] = A.bit()));
}

// IDC-10: deletions into member accounts still succeed with trusted access disabled.
#[test]
fn idc10_deletions_without_trusted_access_allowed() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            with_delegate(A),
            identities(),
            mgmt(&[
                assign(B, P1, user(U1)),
                assign(C, P1, user(U0)),
                Op::DisableAwsServiceAccess,
            ]),
        ]
        .concat(),
    );
    let next = ok(&cfg, &s, c(A, unassign(B, P1, user(U1))));
    assert_eq!(next, expect(&s, |w| *w.assigned_mut(P1, B) = 0));
    let next = ok(&cfg, &s, c(M, remove_from(P1, C)));
    assert_eq!(
        next,
        expect(&s, |w| {
            *w.assigned_mut(P1, C) = 0;
            w.provisioned[1] = B.bit();
        })
    );
}

// -------------------------------------------------------------------------------- SRC-6

// SRC-6: with Active Directory as the identity source, the identity store refuses every
// user, group and membership write (ValidationException), by the management account and
// the delegate alike, before looking at the identities; permission sets and assignments
// stay writable. Relaxed, the writes go through.
#[test]
fn src6_identity_store_writes_with_ad_source_refused_with_validation() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            ad_in_delegate(),
            vec![c(A, Op::EnableConfigurableAdSync)],
            directory_identities(A),
            vec![c(A, Op::DirectoryAddGroupMember(G0, U0))],
        ]
        .concat(),
    );
    let store_writes = [
        Op::CreateUser(U0),
        Op::DeleteUser(U1),
        Op::CreateGroup(G0),
        Op::DeleteGroup(G1),
        Op::CreateGroupMembership(G1, U1),
        Op::DeleteGroupMembership(G0, U0),
    ];
    for caller in [M, A] {
        for op in store_writes {
            assert_eq!(
                refusal(&cfg, &s, c(caller, op)),
                denied(Exception::ValidationException, Rule::Src6),
                "{caller}: {op}"
            );
        }
    }
    // Who may administer is checked first (IDC-4).
    assert_eq!(
        refusal(&cfg, &s, c(B, Op::CreateUser(U0))),
        denied(Exception::AccessDeniedException, Rule::Idc4)
    );
    let next = run_from(
        &cfg,
        &s,
        &mgmt(&[Op::CreatePermissionSet(P0), assign(M, P0, user(U0))]),
    );
    assert_eq!(assigned_users(&next, M), U0.bit());
    let relaxed = relax(&cfg, &[Rule::Src6]);
    assert_eq!(
        ok(&relaxed, &s, c(M, Op::DeleteUser(U1))),
        expect(&s, |w| w.users = U0.bit())
    );
    assert_eq!(
        ok(&relaxed, &s, c(A, Op::CreateGroupMembership(G1, U1))),
        expect(&s, |w| w.membership[1] = U1.bit())
    );
    let mine = run(&cfg, &ad_in_management());
    assert_eq!(
        refusal(&cfg, &mine, c(M, Op::CreateUser(U0))),
        denied(Exception::ValidationException, Rule::Src6)
    );
}

// SRC-6: the owner of the directory that is the identity source creates and deletes users
// and groups and edits memberships (what IAM Identity Center syncs); a password reset
// changes nothing the model sees. The API's own preconditions hold.
#[test]
fn src6_directory_owner_manages_identities_of_the_source() {
    let cfg = cfg();
    let s = run(&cfg, &ad_in_delegate());
    let u = ok(&cfg, &s, c(A, Op::DirectoryCreateUser(U0)));
    assert_eq!(u, expect(&s, |w| w.users = U0.bit()));
    let g = ok(&cfg, &u, c(A, Op::DirectoryCreateGroup(G0)));
    assert_eq!(g, expect(&u, |w| w.groups = G0.bit()));
    let m = ok(&cfg, &g, c(A, Op::DirectoryAddGroupMember(G0, U0)));
    assert_eq!(m, expect(&g, |w| w.membership[0] = U0.bit()));
    assert_eq!(ok(&cfg, &m, c(A, Op::DirectoryResetUserPassword(U0))), m);
    assert_eq!(
        ok(&cfg, &m, c(A, Op::DirectoryRemoveGroupMember(G0, U0))),
        g
    );
    assert_eq!(
        ok(&cfg, &m, c(A, Op::DirectoryDeleteGroup(G0))),
        expect(&u, |_| {})
    );
    assert_eq!(
        ok(&cfg, &m, c(A, Op::DirectoryDeleteUser(U0))),
        expect(&g, |w| w.users = 0)
    );
    let conflict = precondition(Exception::ConflictException);
    let missing = precondition(Exception::ResourceNotFoundException);
    for (op, want) in [
        (Op::DirectoryCreateUser(U0), &conflict),
        (Op::DirectoryCreateGroup(G0), &conflict),
        (Op::DirectoryAddGroupMember(G0, U0), &conflict),
        (Op::DirectoryDeleteUser(U1), &missing),
        (Op::DirectoryDeleteGroup(G1), &missing),
        (Op::DirectoryAddGroupMember(G1, U0), &missing),
        (Op::DirectoryAddGroupMember(G0, U1), &missing),
        (Op::DirectoryRemoveGroupMember(G0, U1), &missing),
        (Op::DirectoryResetUserPassword(U1), &missing),
    ] {
        assert_eq!(refusal(&cfg, &m, c(A, op)), *want, "{op}");
    }
}

// SRC-6: the directory's owner controls the identities whether or not it is (still) the
// delegate: deregistered (Q4 source-change), it still adds a user to a group assigned to
// the management account — a change of the management account's access by another
// account, which the ghost facts record — and takes users over.
#[test]
fn src6_former_delegate_owning_the_source_edits_management_group() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            ad_in_delegate(),
            vec![
                c(A, Op::DirectoryCreateUser(U0)),
                c(A, Op::DirectoryCreateGroup(G0)),
            ],
            mgmt(&[
                Op::CreatePermissionSet(P0),
                assign(M, P0, group(G0)),
                Op::DeregisterDelegatedAdministrator(A),
            ]),
        ]
        .concat(),
    );
    assert!(s.delegates == 0 && s.source == ad(A));
    let next = ok(&cfg, &s, c(A, Op::DirectoryAddGroupMember(G0, U0)));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.membership[0] = U0.bit();
            w.ghost = ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER
                | ghost::MANAGEMENT_ACCESS_GRANTED_BY_OTHER;
        })
    );
    assert_eq!(effective_access(&next, M), U0.bit());
    assert_eq!(
        ok(&cfg, &next, c(A, Op::DirectoryResetUserPassword(U0))),
        expect(&next, |_| {})
    );
}

// SRC-6: on a directory that is not the identity source, the owner's calls succeed and
// change nothing of IAM Identity Center (that directory's contents are not modelled).
#[test]
fn src6_directory_ops_on_a_directory_not_the_source_change_nothing() {
    let cfg = cfg();
    for setup in [
        [instance(), identities(), vec![c(B, Op::CreateDirectory)]].concat(),
        [ad_in_management(), vec![c(B, Op::CreateDirectory)]].concat(),
    ] {
        let s = run(&cfg, &setup);
        for op in directory_ops().into_iter().chain([
            Op::DirectoryDeleteUser(U1),
            Op::DirectoryResetUserPassword(U1),
        ]) {
            assert_eq!(
                ok(&cfg, &s, c(B, op)),
                expect(&s, |_| {}),
                "{}: {op}",
                s.source
            );
        }
    }
}

// SRC-6: an account that owns no directory gets ResourceNotFoundException from every
// directory-side call, the management account included.
#[test]
fn src6_directory_ops_without_a_directory_refused_with_resource_not_found() {
    let cfg = cfg();
    let s = run(&cfg, &ad_in_delegate());
    let bare = run(&cfg, &[]);
    for (s, caller) in [(&s, M), (&s, B), (&bare, A)] {
        for op in directory_ops() {
            assert_eq!(
                refusal(&cfg, s, c(caller, op)),
                precondition(Exception::ResourceNotFoundException),
                "{caller}: {op}"
            );
        }
    }
}

// SRC-6: a user deleted in the directory loses its memberships and assignments in IAM
// Identity Center, but nothing is deprovisioned ("in Microsoft AD, when identities are
// deleted ... corresponding assignments are not deleted": the roles stay), under both A3
// readings; the same for a group.
#[test]
fn src6_directory_delete_user_drops_assignments_but_keeps_provisioning() {
    for a3 in [
        LastAssignmentDeprovisions::KeepsProvisioned,
        LastAssignmentDeprovisions::Deprovisions,
    ] {
        let mut cfg = cfg();
        cfg.assumptions.last_assignment_deprovisions = a3;
        let s = run(
            &cfg,
            &[
                ad_in_delegate(),
                vec![c(A, Op::EnableConfigurableAdSync)],
                directory_identities(A),
                vec![c(A, Op::DirectoryAddGroupMember(G0, U0))],
                mgmt(&[
                    Op::CreatePermissionSet(P0),
                    Op::CreatePermissionSet(P1),
                    assign(B, P0, user(U0)),
                    assign(B, P1, group(G0)),
                ]),
                vec![c(A, assign(C, P1, user(U0)))],
            ]
            .concat(),
        );
        let next = ok(&cfg, &s, c(A, Op::DirectoryDeleteUser(U0)));
        assert_eq!(
            next,
            expect(&s, |w| {
                w.users = U1.bit();
                w.membership[0] = 0;
                *w.assigned_mut(P0, B) = 0;
                *w.assigned_mut(P1, C) = 0;
            }),
            "{a3}"
        );
        assert_eq!(next.provisioned, s.provisioned, "{a3}");
        let next = ok(&cfg, &s, c(A, Op::DirectoryDeleteGroup(G0)));
        assert_eq!(
            next,
            expect(&s, |w| {
                w.groups = G1.bit();
                w.membership[0] = 0;
                *w.assigned_mut(P1, B) = 0;
            }),
            "{a3}"
        );
    }
}

// SRC-6 (effective access): with Active Directory as the source, users reach accounts only
// while the directory's owner is active: its closure (Q3 keeps-registration) or departure
// cuts everyone off, though the assignments stay.
#[test]
fn src6_effective_access_needs_the_directory_owner_active() {
    let mut cfg = cfg();
    cfg.assumptions.close_delegate = CloseDelegate::KeepsRegistration;
    let s = run(
        &cfg,
        &[
            ad_in_delegate(),
            vec![c(A, Op::DirectoryCreateUser(U0))],
            mgmt(&[Op::CreatePermissionSet(P0), assign(B, P0, user(U0))]),
        ]
        .concat(),
    );
    assert_eq!(effective_access(&s, B), U0.bit());
    let closed = ok(&cfg, &s, c(A, Op::CloseOwnAccount));
    assert_eq!(assigned_users(&closed, B), U0.bit());
    assert_eq!(effective_access(&closed, B), 0);
    let gone = run_from(
        &cfg,
        &s,
        &[
            c(M, Op::DeregisterDelegatedAdministrator(A)),
            c(A, Op::LeaveOrganization),
        ],
    );
    assert_eq!(assigned_users(&gone, B), U0.bit());
    assert_eq!(effective_access(&gone, B), 0);
    // With the Identity Center directory as the source, a closed member cuts off only
    // itself.
    let idc = run(
        &cfg,
        &[
            with_delegate(A),
            identities(),
            mgmt(&[assign(B, P0, user(U0))]),
        ]
        .concat(),
    );
    let closed = ok(&cfg, &idc, c(A, Op::CloseOwnAccount));
    assert_eq!(effective_access(&closed, B), U0.bit());
}

// -------------------------------------------------------------------------------- SRC-7

// SRC-7: a change of identity source that removes assignments also removes every
// permission set's role from every account — roles provisioned without an assignment and
// the management account's included — even when there was no assignment to remove; the
// permission sets themselves stay. A change that keeps assignments keeps the roles.
#[test]
fn src7_source_change_removing_assignments_deprovisions_every_permission_set() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            instance(),
            population(),
            mgmt(&[
                Op::CreatePermissionSet(P1),
                provision(P1, C),
                Op::CreateDirectory,
            ]),
        ]
        .concat(),
    );
    assert_eq!(s.provisioned[..2], [M.bit() | A.bit(), C.bit()]);
    let next = ok(&cfg, &s, c(M, Op::ChangeIdentitySource(ad(M))));
    assert_deleted(&s, &next, ad(M), false);
    assert_eq!(next.permission_sets, P0.bit() | P1.bit());
    let roles_only = run(
        &cfg,
        &[
            instance(),
            mgmt(&[
                Op::CreatePermissionSet(P0),
                provision(P0, A),
                Op::CreateDirectory,
            ]),
        ]
        .concat(),
    );
    let next = ok(&cfg, &roles_only, c(M, Op::ChangeIdentitySource(ad(M))));
    assert_eq!(
        next,
        expect(&roles_only, |w| {
            w.provisioned = Default::default();
            w.source = ad(M);
        })
    );
    let kept = ok(&cfg, &s, c(M, Op::ChangeIdentitySource(EXT)));
    assert_preserved(&s, &kept, EXT);
}

// -------------------------------------------------------------------------------- SRC-8

// SRC-8: every change to or from Active Directory deletes users, groups and assignments
// (and, SRC-7, the roles), whatever A2 says (A2 covers only AD → another AD directory).
#[test]
fn src8_every_change_to_or_from_ad_deletes_identities_whatever_a2() {
    for a2 in [
        AdToOtherDirectory::DeletesIdentities,
        AdToOtherDirectory::PreservesIdentities,
    ] {
        let mut cfg = cfg();
        cfg.assumptions.ad_to_other_directory = a2;
        let with_dir = mgmt(&[Op::CreateDirectory]);
        for (reach, to) in [
            (with_dir.clone(), ad(M)),
            ([to_ext(), with_dir.clone()].concat(), ad(M)),
            (to_ad_m(), IDC),
            (to_ad_m(), EXT),
        ] {
            let (s, next) = src4_change(&cfg, &reach, to);
            assert_deleted(&s, &next, to, false);
        }
    }
}

// ------------------------------------------------------------------------- Q5 / ORG-4

// Q5 kept: an assignment to an account that left (or closed) stays, and can be deleted —
// by the management account or the delegate (DeleteAccountAssignment has no ORG-4
// guard); nothing new is assigned or provisioned there (ORG-4); removing the set from the
// departed account cleans the rest up (IDC-8).
#[test]
fn q5_kept_stale_assignment_to_departed_account_can_be_deleted() {
    let mut cfg = cfg();
    cfg.assumptions.departed_account_assignments = DepartedAccountAssignments::Kept;
    let s = run(
        &cfg,
        &[
            with_delegate(A),
            identities(),
            mgmt(&[
                assign(B, P1, user(U0)),
                assign(B, P1, group(G0)),
                assign(C, P1, user(U1)),
                Op::CloseAccount(C),
            ]),
            vec![c(B, Op::LeaveOrganization)],
        ]
        .concat(),
    );
    assert_eq!(s.assigned(P1, B), user(U0).bit() | group(G0).bit());
    let next = ok(&cfg, &s, c(M, unassign(B, P1, user(U0))));
    assert_eq!(
        next,
        expect(&s, |w| *w.assigned_mut(P1, B) = group(G0).bit())
    );
    let next = ok(&cfg, &s, c(A, unassign(B, P1, group(G0))));
    assert_eq!(
        next,
        expect(&s, |w| *w.assigned_mut(P1, B) = user(U0).bit())
    );
    let next = ok(&cfg, &s, c(A, unassign(C, P1, user(U1))));
    assert_eq!(next, expect(&s, |w| *w.assigned_mut(P1, C) = 0));
    assert_eq!(
        next.provisioned[1],
        B.bit() | C.bit(),
        "A3 keeps-provisioned"
    );
    for op in [assign(B, P1, user(U1)), provision(P0, B), provision(P0, C)] {
        assert_eq!(
            refusal(&cfg, &s, c(M, op)),
            denied(Exception::ValidationException, Rule::Org4),
            "{op}"
        );
    }
    let next = ok(&cfg, &s, c(M, remove_from(P1, B)));
    assert_eq!(
        next,
        expect(&s, |w| {
            *w.assigned_mut(P1, B) = 0;
            w.provisioned[1] = C.bit();
        })
    );
}

// --------------------------------------------------------------------------------- Q1

// DA-7 / Q1 limit-exceeded: the error observed for AWS Config.
#[test]
fn da7_second_delegate_refused_with_limit_exceeded_under_q1() {
    let mut cfg = cfg();
    cfg.assumptions.second_delegate_error = SecondDelegateError::LimitExceeded;
    let s = run(&cfg, &with_delegate(A));
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::RegisterDelegatedAdministrator(B))),
        violation(
            Reason::MAX_DELEGATED_ADMINISTRATORS_FOR_SERVICE_LIMIT_EXCEEDED,
            Rule::Da7
        )
    );
}

// ----------------------------------------------------------------------------- either

// The states below are built under the concrete configuration (its readings are among
// those of `either`, so the states are reachable under `either` too) and the call under
// test is judged under the default configuration, where Q2..Q5 and A1..A3 are `either`.

/// Checks that each outcome's branch re-runs to the same outcome with `step`, and that
/// `Branch::NONE` does not fit a call that meets a decision.
#[track_caller]
fn assert_branches_rerun(cfg: &Config, s: &State, call: Call) {
    let all = all_outcomes(cfg, s, call);
    for (b, outcome) in &all {
        assert_eq!(
            idc_model::step(cfg, s, call, *b).as_ref(),
            Some(outcome),
            "`{call}` along `{b}`"
        );
    }
    if all.len() > 1 || !all[0].0.is_none() {
        assert_eq!(
            idc_model::step(cfg, s, call, Branch::NONE),
            None,
            "`{call}`"
        );
    }
}

// Q3 either: closing the delegate (by the management account, ORG-2, or by itself, ORG-6)
// has three outcomes: refused like its removal, closed and still registered, closed and
// deregistered.
#[test]
fn q3_either_closing_delegate_has_three_outcomes() {
    let cfg = either_cfg();
    let s = run(&self::cfg(), &with_delegate(A));
    let refused = Err(violation(
        Reason::CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG,
        Rule::Org3,
    ));
    assert_eq!(
        named_outcomes(&cfg, &s, c(M, Op::CloseAccount(A))),
        sorted(vec![
            ("close-delegate=refused", refused.clone()),
            (
                "close-delegate=keeps-registration",
                Ok(expect(&s, |w| w.closed = A.bit())),
            ),
            (
                "close-delegate=deregisters",
                Ok(expect(&s, |w| {
                    w.closed = A.bit();
                    w.delegates = 0;
                })),
            ),
        ])
    );
    assert_eq!(
        named_outcomes(&cfg, &s, c(A, Op::CloseOwnAccount)),
        sorted(vec![
            ("close-delegate=refused", refused),
            (
                "close-delegate=keeps-registration",
                Ok(expect(&s, |w| w.closed = A.bit())),
            ),
            (
                "close-delegate=deregisters",
                Ok(expect(&s, |w| {
                    w.closed = A.bit();
                    w.delegates = 0;
                    w.ghost = ghost::REGISTRY_CHANGED_BY_OTHER;
                })),
            ),
        ])
    );
    assert_branches_rerun(&cfg, &s, c(M, Op::CloseAccount(A)));
    assert_branches_rerun(&cfg, &s, c(A, Op::CloseOwnAccount));
    // The first reading first.
    let order: Vec<String> = all_outcomes(&cfg, &s, c(M, Op::CloseAccount(A)))
        .iter()
        .map(|(b, _)| b.to_string())
        .collect();
    assert_eq!(
        order,
        [
            "close-delegate=refused",
            "close-delegate=keeps-registration",
            "close-delegate=deregisters"
        ]
    );
}

// Q3 and Q5 either: closing a delegate that holds assignments meets Q5 only where it
// closes: five outcomes.
#[test]
fn q3_q5_either_closing_delegate_with_assignments_has_five_outcomes() {
    let cfg = either_cfg();
    let s = run(
        &self::cfg(),
        &[
            with_delegate(A),
            identities(),
            mgmt(&[assign(A, P1, user(U0))]),
        ]
        .concat(),
    );
    let closed = |deregisters: bool, deleted: bool| {
        Ok(expect(&s, |w| {
            w.closed = A.bit();
            if deregisters {
                w.delegates = 0;
            }
            if deleted {
                *w.assigned_mut(P1, A) = 0;
                w.provisioned[1] = 0;
            }
        }))
    };
    assert_eq!(
        named_outcomes(&cfg, &s, c(M, Op::CloseAccount(A))),
        sorted(vec![
            (
                "close-delegate=refused",
                Err(violation(
                    Reason::CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG,
                    Rule::Org3
                )),
            ),
            (
                "close-delegate=keeps-registration, departed-account-assignments=deleted",
                closed(false, true),
            ),
            (
                "close-delegate=keeps-registration, departed-account-assignments=kept",
                closed(false, false),
            ),
            (
                "close-delegate=deregisters, departed-account-assignments=deleted",
                closed(true, true),
            ),
            (
                "close-delegate=deregisters, departed-account-assignments=kept",
                closed(true, false),
            ),
        ])
    );
    assert_branches_rerun(&cfg, &s, c(M, Op::CloseAccount(A)));
}

// Q2 either: disabling trusted access with a delegate registered has three outcomes;
// without a delegate it meets no decision.
#[test]
fn q2_either_disabling_trusted_access_with_delegate_has_three_outcomes() {
    let cfg = either_cfg();
    let s = run(&self::cfg(), &with_delegate(A));
    let call = c(M, Op::DisableAwsServiceAccess);
    assert_eq!(
        named_outcomes(&cfg, &s, call),
        sorted(vec![
            (
                "disable-trusted-access-with-delegate=keeps-registration",
                Ok(expect(&s, |w| w.trusted_access = false)),
            ),
            (
                "disable-trusted-access-with-delegate=refused",
                Err(violation(
                    Reason::DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE,
                    Rule::Org5,
                )),
            ),
            (
                "disable-trusted-access-with-delegate=deregisters",
                Ok(expect(&s, |w| {
                    w.trusted_access = false;
                    w.delegates = 0;
                })),
            ),
        ])
    );
    assert_branches_rerun(&cfg, &s, call);
    let alone = run(&self::cfg(), &instance());
    assert_eq!(
        all_outcomes(&cfg, &alone, call),
        vec![(
            Branch::NONE,
            Ok(expect(&alone, |w| w.trusted_access = false))
        )]
    );
}

// Q5 either: removing a member that holds assignments has two outcomes (its assignments
// and provisioning deleted or kept); a member without any meets no decision.
#[test]
fn q5_either_removing_member_with_assignments_has_two_outcomes() {
    let cfg = either_cfg();
    let s = run(&self::cfg(), &member_assignments());
    let call = c(M, Op::RemoveAccountFromOrganization(A));
    assert_eq!(
        named_outcomes(&cfg, &s, call),
        sorted(vec![
            (
                "departed-account-assignments=deleted",
                Ok(expect(&s, |w| {
                    w.in_org &= !A.bit();
                    without_member1_access(&s, w);
                })),
            ),
            (
                "departed-account-assignments=kept",
                Ok(expect(&s, |w| w.in_org &= !A.bit())),
            ),
        ])
    );
    assert_branches_rerun(&cfg, &s, call);
    assert_eq!(
        all_outcomes(&cfg, &s, c(M, Op::RemoveAccountFromOrganization(C))),
        vec![(Branch::NONE, Ok(expect(&s, |w| w.in_org &= !C.bit())))]
    );
}

// A1 either: connecting an AD directory has two outcomes (configurable AD sync off or
// on), both deleting the identities and roles (SRC-8, SRC-7); leaving AD for the Identity
// Center directory meets no decision (A2 covers only AD → AD).
#[test]
fn a1_either_changing_to_ad_has_two_outcomes() {
    let cfg = either_cfg();
    let s = run(
        &self::cfg(),
        &[instance(), population(), mgmt(&[Op::CreateDirectory])].concat(),
    );
    let call = c(M, Op::ChangeIdentitySource(ad(M)));
    let wiped = |ad_sync: bool| {
        Ok(expect(&s, |w| {
            w.users = 0;
            w.groups = 0;
            w.membership = Default::default();
            w.assignments = Default::default();
            w.provisioned = Default::default();
            w.source = ad(M);
            w.ad_sync = ad_sync;
        }))
    };
    assert_eq!(
        named_outcomes(&cfg, &s, call),
        sorted(vec![
            ("ad-sync-on-connect=off", wiped(false)),
            ("ad-sync-on-connect=on", wiped(true)),
        ])
    );
    assert_branches_rerun(&cfg, &s, call);
    let (on_ad, to_idc) = src4_change(&self::cfg(), &to_ad_m(), IDC);
    let call = c(M, Op::ChangeIdentitySource(IDC));
    assert_eq!(
        all_outcomes(&cfg, &on_ad, call),
        vec![(Branch::NONE, Ok(to_idc))]
    );
}

// A2 either: AD → another AD directory meets A2 only where there is something to delete
// (four outcomes with A1, else two).
#[test]
fn a2_either_ad_to_other_ad_meets_a2_only_with_something_to_delete() {
    let cfg = relax(&either_cfg(), &[Rule::Src2]);
    let concrete = relax(&self::cfg(), &[Rule::Src2]);
    let reach = [
        c(M, Op::CreateDirectory),
        c(A, Op::CreateDirectory),
        c(M, Op::ChangeIdentitySource(ad(M))),
    ];
    let empty = run(&concrete, &[instance(), reach.to_vec()].concat());
    let (s, _) = src4_change(&concrete, &reach, ad(A));
    let call = c(M, Op::ChangeIdentitySource(ad(A)));
    let to = |s: &State, deletes: bool, ad_sync: bool| {
        Ok(expect(s, |w| {
            if deletes {
                w.users = 0;
                w.groups = 0;
                w.membership = Default::default();
                w.assignments = Default::default();
                w.provisioned = Default::default();
            }
            w.source = ad(A);
            w.ad_sync = ad_sync;
        }))
    };
    assert_eq!(
        named_outcomes(&cfg, &s, call),
        sorted(vec![
            (
                "ad-sync-on-connect=off, ad-to-other-directory=deletes-identities",
                to(&s, true, false),
            ),
            (
                "ad-sync-on-connect=on, ad-to-other-directory=deletes-identities",
                to(&s, true, true),
            ),
            (
                "ad-sync-on-connect=off, ad-to-other-directory=preserves-identities",
                to(&s, false, false),
            ),
            (
                "ad-sync-on-connect=on, ad-to-other-directory=preserves-identities",
                to(&s, false, true),
            ),
        ])
    );
    assert_branches_rerun(&cfg, &s, call);
    assert_eq!(
        named_outcomes(&cfg, &empty, call),
        sorted(vec![
            ("ad-sync-on-connect=off", to(&empty, false, false)),
            ("ad-sync-on-connect=on", to(&empty, false, true)),
        ])
    );
}

// A3 either: deleting the last assignment of a set in an account has two outcomes;
// deleting one that is not the last meets no decision; nor does a directory-side deletion
// (SRC-6: nothing is deprovisioned).
#[test]
fn a3_either_deleting_last_assignment_has_two_outcomes() {
    let cfg = either_cfg();
    let s = run(
        &self::cfg(),
        &[
            instance(),
            identities(),
            mgmt(&[
                assign(A, P0, user(U0)),
                assign(B, P0, user(U0)),
                assign(B, P0, user(U1)),
            ]),
        ]
        .concat(),
    );
    let call = c(M, unassign(A, P0, user(U0)));
    assert_eq!(
        named_outcomes(&cfg, &s, call),
        sorted(vec![
            (
                "last-assignment-deprovisions=keeps-provisioned",
                Ok(expect(&s, |w| *w.assigned_mut(P0, A) = 0)),
            ),
            (
                "last-assignment-deprovisions=deprovisions",
                Ok(expect(&s, |w| {
                    *w.assigned_mut(P0, A) = 0;
                    w.provisioned[0] = B.bit();
                })),
            ),
        ])
    );
    assert_branches_rerun(&cfg, &s, call);
    assert_eq!(
        all_outcomes(&cfg, &s, c(M, unassign(B, P0, user(U0)))),
        vec![(
            Branch::NONE,
            Ok(expect(&s, |w| *w.assigned_mut(P0, B) = user(U1).bit()))
        )]
    );
    let d = run(
        &self::cfg(),
        &[
            ad_in_delegate(),
            vec![c(A, Op::DirectoryCreateUser(U0))],
            mgmt(&[Op::CreatePermissionSet(P0), assign(B, P0, user(U0))]),
        ]
        .concat(),
    );
    assert_eq!(
        all_outcomes(&cfg, &d, c(A, Op::DirectoryDeleteUser(U0))),
        vec![(
            Branch::NONE,
            Ok(expect(&d, |w| {
                w.users = 0;
                *w.assigned_mut(P0, B) = 0;
            }))
        )]
    );
}

// Q4 either: with SRC-2 violated at a registration or a deregistration, the call has two
// outcomes (not enforced there / enforced there); each call meets only its own readings.
#[test]
fn q4_either_src2_at_registration_and_deregistration_has_two_outcomes() {
    let cfg = either_cfg();
    let s = run(
        &self::cfg(),
        &[ad_in_management(), mgmt(&[Op::EnableConfigurableAdSync])].concat(),
    );
    let register = c(M, Op::RegisterDelegatedAdministrator(A));
    let src2 = Err(denied(Exception::ValidationException, Rule::Src2));
    assert_eq!(
        named_outcomes(&cfg, &s, register),
        sorted(vec![
            (
                "src2-enforced-at=source-change",
                Ok(expect(&s, |w| w.delegates = A.bit())),
            ),
            ("src2-enforced-at=also-registration", src2.clone()),
        ])
    );
    assert_branches_rerun(&cfg, &s, register);
    let d = run(&self::cfg(), &ad_in_delegate());
    let deregister = c(M, Op::DeregisterDelegatedAdministrator(A));
    assert_eq!(
        named_outcomes(&cfg, &d, deregister),
        sorted(vec![
            (
                "src2-enforced-at=source-change",
                Ok(expect(&d, |w| w.delegates = 0)),
            ),
            ("src2-enforced-at=also-deregistration", src2),
        ])
    );
    assert_branches_rerun(&cfg, &d, deregister);
}

// either: a call that meets no decision has the single branch `Branch::NONE`, with the
// outcome it has under the concrete configuration.
#[test]
fn either_calls_meeting_no_decision_have_the_single_branch_none() {
    let cfg = either_cfg();
    let concrete = self::cfg();
    let s = run(
        &concrete,
        &[
            with_delegate(A),
            identities(),
            mgmt(&[assign(B, P0, user(U0)), Op::CreateGroupMembership(G0, U1)]),
        ]
        .concat(),
    );
    for call in [
        c(M, Op::CreateUser(U0)),
        c(A, assign(C, P1, user(U1))),
        c(A, Op::DeleteGroupMembership(G0, U1)),
        c(M, Op::CloseAccount(C)),
        c(C, Op::CloseOwnAccount),
        c(C, Op::LeaveOrganization),
        c(M, Op::RegisterDelegatedAdministrator(B)),
        c(M, Op::DeregisterDelegatedAdministrator(A)),
        c(A, Op::ChangeIdentitySource(EXT)),
        c(B, Op::CreateInstance),
        c(A, Op::LeaveOrganization),
    ] {
        let all = all_outcomes(&cfg, &s, call);
        assert_eq!(all.len(), 1, "`{call}`: {all:?}");
        assert_eq!(all[0].0, Branch::NONE, "`{call}`");
        assert_eq!(all[0].0.to_string(), "", "`{call}`");
        assert_eq!(all[0].1, step(&concrete, &s, call), "`{call}`");
        assert_eq!(
            idc_model::step(&cfg, &s, call, Branch::NONE),
            Some(all[0].1.clone()),
            "`{call}`"
        );
    }
}

// either: `step` returns `None` for a branch that does not name exactly the decisions the
// call meets, with readings among its options.
#[test]
fn either_step_returns_none_for_a_branch_that_does_not_fit() {
    let cfg = either_cfg();
    let s = run(&self::cfg(), &with_delegate(A));
    let close = c(M, Op::CloseAccount(A));
    let q3 = |r| Branch::NONE.with(Decision::Q3, r);
    // Missing the decision met.
    assert_eq!(idc_model::step(&cfg, &s, close, Branch::NONE), None);
    // A decision the call does not meet, alone or besides the one it meets (member-1
    // holds no assignment: no Q5).
    assert_eq!(
        idc_model::step(&cfg, &s, close, Branch::NONE.with(Decision::Q2, 0)),
        None
    );
    assert_eq!(
        idc_model::step(&cfg, &s, close, q3(1).with(Decision::Q5, 0)),
        None
    );
    assert_eq!(
        idc_model::step(&cfg, &s, c(M, Op::CreateUser(U0)), q3(0)),
        None
    );
    // A reading that is not among the call's options: registration meets only Q4's
    // source-change and also-registration.
    let ad = run(
        &self::cfg(),
        &[ad_in_management(), mgmt(&[Op::EnableConfigurableAdSync])].concat(),
    );
    let register = c(M, Op::RegisterDelegatedAdministrator(A));
    let q4 = |r| Branch::NONE.with(Decision::Q4, r);
    assert_eq!(idc_model::step(&cfg, &ad, register, q4(2)), None);
    assert_eq!(idc_model::step(&cfg, &ad, register, q4(3)), None);
    assert!(idc_model::step(&cfg, &ad, register, q4(0)).is_some());
    // A branch named as `to_string` names it fits.
    let b = Branch::from_named([("close-delegate", "deregisters")]).unwrap();
    assert_eq!(b, q3(2));
    assert_eq!(
        idc_model::step(&cfg, &s, close, b),
        Some(Ok(expect(&s, |w| {
            w.closed = A.bit();
            w.delegates = 0;
        })))
    );
    // Under the concrete configuration no call meets a decision: only `Branch::NONE` fits.
    let concrete = self::cfg();
    assert_eq!(idc_model::step(&concrete, &s, close, q3(0)), None);
    assert_eq!(
        idc_model::step(&concrete, &s, close, Branch::NONE),
        Some(Err(violation(
            Reason::CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG,
            Rule::Org3
        )))
    );
}

/// A few states that reach every decision: a delegate holding assignments, AD in the
/// delegate's account with identities, trusted access off, a departed member.
fn branching_states() -> Vec<State> {
    let concrete = cfg();
    [
        [
            with_delegate(A),
            identities(),
            mgmt(&[
                Op::CreateGroupMembership(G0, U0),
                assign(A, P0, user(U0)),
                assign(B, P1, group(G0)),
                assign(M, P1, user(U1)),
            ]),
        ]
        .concat(),
        [
            ad_in_delegate(),
            vec![
                c(A, Op::EnableConfigurableAdSync),
                c(M, Op::CreateDirectory),
            ],
            directory_identities(A),
            mgmt(&[Op::CreatePermissionSet(P0), assign(B, P0, user(U0))]),
        ]
        .concat(),
        [
            member_assignments(),
            mgmt(&[Op::DisableAwsServiceAccess]),
            vec![c(C, Op::LeaveOrganization)],
        ]
        .concat(),
    ]
    .iter()
    .map(|calls| run(&concrete, calls))
    .collect()
}

// either: under the concrete configuration every call of the configuration has exactly one
// outcome, on `Branch::NONE`; under `either`, every outcome re-runs on its branch with
// `step`, the branches are distinct, and the concrete outcome is among them.
#[test]
fn either_outcomes_and_step_agree_on_every_call() {
    let concrete = cfg();
    let either = either_cfg();
    for s in branching_states() {
        for call in idc_model::calls::all_calls(&either) {
            let one = all_outcomes(&concrete, &s, call);
            assert_eq!(one.len(), 1, "`{call}`: {one:?}");
            assert!(one[0].0.is_none(), "`{call}`");
            let all = all_outcomes(&either, &s, call);
            let mut branches: Vec<Branch> = all.iter().map(|(b, _)| *b).collect();
            branches.sort();
            branches.dedup();
            assert_eq!(branches.len(), all.len(), "`{call}`: {all:?}");
            assert!(
                all.iter().any(|(_, o)| *o == one[0].1),
                "`{call}`: the concrete outcome {:?} is not among {all:?}",
                one[0].1
            );
            for (b, o) in &all {
                assert_eq!(
                    idc_model::step(&either, &s, call, *b).as_ref(),
                    Some(o),
                    "`{call}` along `{b}`"
                );
            }
        }
    }
}
