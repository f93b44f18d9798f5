//! Every guard of `model/src/step.rs`, case by case: what each rule allows (the call
//! succeeds, with its effect on the state), what it refuses (the exact API error and the rule
//! that refused, or the practice), and that relaxing a relaxable rule lets the refused call
//! through. States are built by running calls from `State::initial` through `step`.
//!
//! Each test names its rule id first (`da7_…`, `q3_…`, `src4_…`) and carries it in a comment.

use idc_model::assumptions::{
    AdSyncOnConnect, AdToOtherDirectory, CloseDelegate, DepartedAccountAssignments,
    DisableTrustedAccessWithDelegate, ManagementUserAccess, SecondDelegateError, Src2EnforcedAt,
};
use idc_model::state::ghost;
use idc_model::{
    step, Acct, ApiError, Call, Config, Exception, Group, IdentitySource, Op, PermissionSet,
    Practice, Principal, Reason, Refusal, Rule, State, User,
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

/// Three members, two users, two groups, two permission sets, default assumptions.
fn cfg() -> Config {
    Config {
        members: 3,
        users: 2,
        groups: 2,
        permission_sets: 2,
        ..Config::default()
    }
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
    mgmt(&[Op::CreateInstance])
}

/// The instance and `d` registered as delegated administrator.
fn with_delegate(d: Acct) -> Vec<Call> {
    mgmt(&[Op::CreateInstance, Op::RegisterDelegatedAdministrator(d)])
}

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

/// Every IAM Identity Center / Identity Store operation that checks its caller with `admin`.
fn admin_ops() -> [Op; 14] {
    [
        Op::ChangeIdentitySource(EXT),
        Op::EnableConfigurableAdSync,
        Op::DisableConfigurableAdSync,
        Op::CreatePermissionSet(P0),
        Op::UpdatePermissionSet(P0),
        Op::DeletePermissionSet(P0),
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

/// One call each rule refuses: the configuration, the calls that build the state, the call.
fn refused_example(rule: Rule) -> (Config, Vec<Call>, Call) {
    let cfg = cfg();
    let enable = mgmt(&[Op::EnableAwsServiceAccess]);
    match rule {
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
                Op::CreateInstance,
                Op::CreateDirectory,
                Op::ChangeIdentitySource(ad(M)),
            ]),
            c(M, Op::RegisterDelegatedAdministrator(A)),
        ),
        Rule::Idc1 => (cfg, vec![], c(A, Op::CreateInstance)),
        Rule::Idc2 => (cfg, ps_in_management(), c(A, Op::UpdatePermissionSet(P0))),
        Rule::Idc4 => (cfg, instance(), c(B, Op::CreateUser(U0))),
        Rule::Idc5 => (cfg, ps_in_management(), c(A, assign(B, P0, user(U0)))),
        Rule::Src2 => (
            cfg,
            [instance(), vec![c(A, Op::CreateDirectory)]].concat(),
            c(M, Op::ChangeIdentitySource(ad(A))),
        ),
    }
}

// Every rule of the catalogue: its example is refused by that rule; relaxing the rule lets
// the call through, except DA-6 and DA-8, which are the registry's own set semantics.
#[test]
fn every_rule_refuses_its_example_and_relaxing_it_lets_the_call_through() {
    for &rule in Rule::ALL {
        let (cfg, setup, call) = refused_example(rule);
        let s = run(&cfg, &setup);
        let strict = refusal(&cfg, &s, call);
        assert!(
            matches!(strict, Refusal::Api { rule: Some(r), .. } if r == rule),
            "{rule}: `{call}` refused by {strict:?}"
        );
        let relaxed = relax(&cfg, &[rule]);
        match rule {
            Rule::Da6 | Rule::Da8 => assert_eq!(step(&relaxed, &s, call), Err(strict), "{rule}"),
            _ => {
                let out = step(&relaxed, &s, call);
                assert!(out.is_ok(), "{rule} relaxed: `{call}` gives {out:?}");
            }
        }
    }
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

// ORG-2: a closed account can't call IAM Identity Center or Directory Service either.
#[test]
fn org2_closed_account_calling_identity_center_refused_with_access_denied() {
    let mut cfg = cfg();
    cfg.assumptions.close_delegate = CloseDelegate::KeepsRegistration;
    // Member-1 is the delegate, closed and still registered (Q3 keeps-registration).
    let s = run(
        &cfg,
        &[with_delegate(A), mgmt(&[Op::CloseAccount(A)])].concat(),
    );
    let closed_ops = admin_ops().into_iter().chain([
        Op::CreateInstance,
        Op::DeleteInstance,
        Op::CreateDirectory,
    ]);
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
    // IDC-1 is the next guard of CreateInstance.
    assert_eq!(
        refusal(&relaxed, &s, c(A, Op::DeleteInstance)),
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

// ORG-3 / Q3 refused (default): closing the delegate is refused like its removal.
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

// ORG-4: no assignment to an account outside the organization.
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
    for op in [assign(B, P0, user(U0)), unassign(B, P0, user(U1))] {
        assert_eq!(
            refusal(&cfg, &s, c(M, op)),
            denied(Exception::ValidationException, Rule::Org4),
            "{op}"
        );
    }
    let relaxed = relax(&cfg, &[Rule::Org4]);
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

// ORG-4 / Q5 deleted (default): leaving, removal and closure delete the account's
// assignments and provisioning; other accounts keep theirs.
#[test]
fn q5_deleted_departed_or_closed_account_loses_its_assignments() {
    let cfg = cfg();
    assert_eq!(
        cfg.assumptions.departed_account_assignments,
        DepartedAccountAssignments::Deleted
    );
    let s = run(&cfg, &member_assignments());
    assert_eq!(s.effective_access(A), U0.bit());
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
    assert_eq!(closed.effective_access(B), U1.bit());
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
    assert_eq!(left.assigned_users(A), U0.bit());
    assert_eq!(left.effective_access(A), 0);
    let removed = ok(&cfg, &s, c(M, Op::RemoveAccountFromOrganization(A)));
    assert_eq!(removed, left);
    let closed = ok(&cfg, &s, c(M, Op::CloseAccount(A)));
    assert_eq!(closed, expect(&s, |w| w.closed = A.bit()));
    assert_eq!(closed.effective_access(A), 0);
    let back = run_from(
        &cfg,
        &left,
        &[
            c(M, Op::InviteAccountToOrganization(A)),
            c(A, Op::AcceptHandshake),
        ],
    );
    assert_eq!(back.effective_access(A), U0.bit());
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
    let relaxed = relax(&cfg, &[Rule::Org5]);
    assert_eq!(ok(&relaxed, &off, c(A, Op::EnableAwsServiceAccess)), on);
    assert_eq!(ok(&relaxed, &on, c(A, Op::DisableAwsServiceAccess)), off);
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
fn org5_create_instance_enables_trusted_access() {
    let cfg = cfg();
    let s = run(&cfg, &[]);
    assert!(!s.trusted_access);
    let next = ok(&cfg, &s, c(M, Op::CreateInstance));
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
    assert_eq!(s.effective_access(A), U0.bit());
    assert_eq!(s.effective_access(B), U1.bit());
    let off = ok(&cfg, &s, c(M, Op::DisableAwsServiceAccess));
    assert_eq!(off, expect(&s, |w| w.trusted_access = false));
    for a in 0..=cfg.members {
        assert_eq!(off.effective_access(Acct(a)), 0, "{}", Acct(a));
    }
    assert_eq!(off.assigned_users(A), U0.bit());
    let on = ok(&cfg, &off, c(M, Op::EnableAwsServiceAccess));
    assert_eq!(on, expect(&s, |_| {}));
    assert_eq!(on.effective_access(A), U0.bit());
}

// ORG-5 / Q2 keeps-registration (default): disabling succeeds and the delegate stays.
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
    // Allowed once trusted access is on, by EnableAWSServiceAccess or by CreateInstance.
    let enabled = run(&cfg, &mgmt(&[Op::EnableAwsServiceAccess]));
    assert_eq!(
        ok(&cfg, &enabled, call),
        expect(&enabled, |w| w.delegates = A.bit())
    );
    assert!(ok(&cfg, &run(&cfg, &instance()), call).is_delegate(A));
    // Refused again once it is disabled.
    let disabled = run(
        &cfg,
        &mgmt(&[Op::CreateInstance, Op::DisableAwsServiceAccess]),
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
        Op::CreateInstance,
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
    // Under source-change (default) and also-registration, only the registry changes:
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
#[test]
fn da10_deregistration_changes_only_the_registry() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            ad_in_delegate(),
            vec![c(A, Op::EnableConfigurableAdSync)],
            identities(),
            mgmt(&[
                Op::CreateGroupMembership(G0, U0),
                Op::CreateGroupMembership(G1, U1),
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
    let next = ok(&cfg, &s, c(M, Op::DeregisterDelegatedAdministrator(A)));
    assert_eq!(next, expect(&s, |w| w.delegates = 0));
    assert_eq!(next.ghost & ghost::DEREGISTRATION_CHANGED_ACCESS, 0);
    for a in 0..=cfg.members {
        assert_eq!(
            next.effective_access(Acct(a)),
            s.effective_access(Acct(a)),
            "{}",
            Acct(a)
        );
    }
}

// -------------------------------------------------------------------------------- IDC-1

// IDC-1: only the management account enables IAM Identity Center.
#[test]
fn idc1_member_creating_instance_refused_with_access_denied() {
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
            refusal(&cfg, s, c(caller, Op::CreateInstance)),
            denied(Exception::AccessDeniedException, Rule::Idc1),
            "{caller}"
        );
    }
    let relaxed = relax(&cfg, &[Rule::Idc1]);
    let next = ok(&relaxed, &s, c(A, Op::CreateInstance));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.instance = Some(A);
            w.trusted_access = true;
            w.ghost = ghost::ADMINISTERED_BY_OUTSIDER;
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
            refusal(&cfg, &s, c(caller, Op::DeleteInstance)),
            denied(Exception::AccessDeniedException, Rule::Idc1),
            "{caller}"
        );
    }
    let relaxed = relax(&cfg, &[Rule::Idc1]);
    let next = ok(&relaxed, &s, c(A, Op::DeleteInstance));
    assert_eq!(next, expect(&s, |w| w.instance = None));
}

// IDC-1: the management account enables it once; deleting needs an instance.
#[test]
fn idc1_instance_preconditions_refused_with_api_errors() {
    let cfg = cfg();
    let s = run(&cfg, &instance());
    assert_eq!(s.instance, Some(M));
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::CreateInstance)),
        precondition(Exception::ConflictException)
    );
    assert_eq!(
        refusal(&cfg, &run(&cfg, &[]), c(M, Op::DeleteInstance)),
        precondition(Exception::ResourceNotFoundException)
    );
}

// IDC-1: deleting the configuration deletes identities, permission sets and the identity
// source setting; the organization, trusted access, the registry and directories stay.
#[test]
fn idc1_management_deletes_instance_configuration() {
    let mut cfg = cfg();
    cfg.assumptions.ad_sync_on_connect = AdSyncOnConnect::On;
    let s = run(
        &cfg,
        &[
            ad_in_management(),
            mgmt(&[Op::RegisterDelegatedAdministrator(A)]),
            identities(),
            mgmt(&[
                Op::CreateGroupMembership(G0, U0),
                assign(M, P0, user(U0)),
                assign(B, P1, group(G0)),
                Op::UpdatePermissionSet(P1),
            ]),
        ]
        .concat(),
    );
    let next = ok(&cfg, &s, c(M, Op::DeleteInstance));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.instance = None;
            w.users = 0;
            w.groups = 0;
            w.membership = Default::default();
            w.permission_sets = 0;
            w.ps_revision = 0;
            w.provisioned = Default::default();
            w.assignments = Default::default();
            w.source = IDC;
            w.ad_sync = false;
        })
    );
    assert!(next.is_delegate(A) && next.trusted_access && next.directories == M.bit());
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
    let updated = ok(&relaxed, &s, c(A, Op::UpdatePermissionSet(P0)));
    assert_eq!(
        updated,
        expect(&s, |w| {
            w.ps_revision = P0.bit();
            w.ghost = ghost::DELEGATE_ALTERED_MANAGEMENT_PERMISSION_SET;
        })
    );
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
    let updated = ok(&cfg, &s, c(A, Op::UpdatePermissionSet(P1)));
    assert_eq!(updated, expect(&s, |w| w.ps_revision = P1.bit()));
    let back = ok(&cfg, &updated, c(A, Op::UpdatePermissionSet(P1)));
    assert_eq!(back, expect(&s, |_| {}));
    let deleted = ok(&cfg, &updated, c(A, Op::DeletePermissionSet(P1)));
    assert_eq!(
        deleted,
        expect(&s, |w| {
            w.permission_sets = P0.bit();
            w.provisioned[1] = 0;
            *w.assigned_mut(P1, A) = 0;
        })
    );
    let mine = ok(&cfg, &s, c(M, Op::UpdatePermissionSet(P0)));
    assert_eq!(mine, expect(&s, |w| w.ps_revision = P0.bit()));
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
    let next = ok(&cfg, &s, c(A, Op::ChangeIdentitySource(ad(A))));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.users = 0;
            w.groups = 0;
            w.membership = Default::default();
            w.assignments = Default::default();
            w.source = ad(A);
            w.ghost = ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER;
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
        assert_eq!(s.assigned_users(M), U0.bit() | U1.bit());
        let removed = ok(&cfg, &s, c(A, Op::DeleteGroupMembership(G0, U1)));
        assert_eq!(
            removed,
            expect(&s, |w| {
                w.membership[0] = 0;
                w.ghost = ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER;
            }),
            "{q6}"
        );
        assert_eq!(removed.assigned_users(M), U0.bit());
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
    assert_eq!(g.effective_access(A), 0, "an empty group grants nothing");
    let g = run_from(
        &cfg,
        &g,
        &mgmt(&[
            Op::CreateGroupMembership(G0, U0),
            Op::CreateGroupMembership(G0, U1),
        ]),
    );
    assert_eq!(g.effective_access(A), U0.bit() | U1.bit());
    assert_eq!(g.effective_access(B), 0);
    assert_eq!(g.effective_access(M), 0);
    let g = run_from(&cfg, &g, &mgmt(&[Op::DeleteGroupMembership(G0, U0)]));
    assert_eq!(g.effective_access(A), U1.bit());
    let g = run_from(&cfg, &g, &mgmt(&[assign(A, P1, user(U0))]));
    assert_eq!(g.effective_access(A), U0.bit() | U1.bit());
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
    assert_eq!(d.effective_access(A), U0.bit());
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
    assert_eq!(d.effective_access(A), U0.bit());
    // Deleting a permission set removes its assignments and provisioning.
    let d = ok(&cfg, &g, c(M, Op::DeletePermissionSet(P1)));
    assert_eq!(
        d,
        expect(&g, |w| {
            w.permission_sets = P0.bit();
            w.provisioned[1] = 0;
            *w.assigned_mut(P1, A) = 0;
        })
    );
    assert_eq!(d.effective_access(A), U1.bit());
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
    assert_eq!(s.assigned_users(M), U0.bit());
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
    assert_eq!(next.assigned_users(M), U0.bit() | U1.bit());
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

// --------------------------------------------------------------------------- SRC-4 / A2

/// Users, a group with user-2, and `ps-1` assigned to user-1 in the management account and
/// to the group in member-1: what SRC-4 deletes or preserves.
fn population() -> Vec<Call> {
    mgmt(&[
        Op::CreateUser(U0),
        Op::CreateUser(U1),
        Op::CreateGroup(G0),
        Op::CreateGroupMembership(G0, U1),
        Op::CreatePermissionSet(P0),
        assign(M, P0, user(U0)),
        assign(A, P0, group(G0)),
    ])
}

/// The state with the source reached by `reach` and populated, and the state after the
/// management account changes the source to `to`.
fn src4_change(cfg: &Config, reach: &[Call], to: IdentitySource) -> (State, State) {
    let s = run(cfg, &[instance(), reach.to_vec(), population()].concat());
    assert_eq!(s.assigned_users(M), U0.bit());
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
            w.source = to;
            w.ad_sync = ad_sync;
        }),
        "{} -> {to} deletes users, groups and assignments (permission sets stay)",
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

// SRC-4 / A2 deletes-identities (default): AD → Identity Center directory deletes them.
#[test]
fn a2_deletes_identities_ad_to_idc_deletes_identities() {
    let cfg = cfg();
    assert_eq!(
        cfg.assumptions.ad_to_other_directory,
        AdToOtherDirectory::DeletesIdentities
    );
    let (s, next) = src4_change(&cfg, &to_ad_m(), IDC);
    assert_deleted(&s, &next, IDC, false);
}

// SRC-4 / A2 preserves-identities: AD → Identity Center directory preserves them.
#[test]
fn a2_preserves_identities_ad_to_idc_preserves_identities() {
    let mut cfg = cfg();
    cfg.assumptions.ad_to_other_directory = AdToOtherDirectory::PreservesIdentities;
    let (s, next) = src4_change(&cfg, &to_ad_m(), IDC);
    assert_preserved(&s, &next, IDC);
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
            Op::DeletePermissionSet(P0),
            Op::ChangeIdentitySource(EXT),
            Op::DeleteInstance,
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
