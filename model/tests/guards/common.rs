//! Helpers shared by the guard tests of every AWS area: the accounts, identities and
//! permission sets, the configurations, running calls, the expected refusals, and the
//! call sequences that build the states several areas start from.

pub(crate) use idc_model::access::{assigned_users, effective_access};
pub(crate) use idc_model::assumptions::{
    AdSyncOnConnect, ApiEnforcesDa9, CloseDelegate, ClosedDelegateAtRemoval,
    DepartedAccountAssignments, DisableTrustedAccessWithDelegate, LastAssignmentDeprovisions,
    ManagementUserAccess, SecondDelegateError, Src2EnforcedAt, Src2Location,
};
pub(crate) use idc_model::rules::Implementation;
pub(crate) use idc_model::state::ghost;
pub(crate) use idc_model::{
    outcomes, Acct, ApiError, Assumptions, Branch, Call, Config, Decision, Exception, Group,
    IdentitySource, InstanceRef, Op, PermissionSet, Practice, Principal, Reason, Refusal, Rule,
    State, User,
};

pub(crate) const M: Acct = Acct::MANAGEMENT;
pub(crate) const A: Acct = Acct(1);
pub(crate) const B: Acct = Acct(2);
pub(crate) const C: Acct = Acct(3);
pub(crate) const U0: User = User(0);
pub(crate) const U1: User = User(1);
pub(crate) const G0: Group = Group(0);
pub(crate) const G1: Group = Group(1);
pub(crate) const P0: PermissionSet = PermissionSet(0);
pub(crate) const P1: PermissionSet = PermissionSet(1);

pub(crate) const IDC: IdentitySource = IdentitySource::IdentityCenterDirectory;
pub(crate) const EXT: IdentitySource = IdentitySource::ExternalIdp;

pub(crate) const fn ad(owner: Acct) -> IdentitySource {
    IdentitySource::ActiveDirectory(owner)
}

// ------------------------------------------------------------------------------ helpers

/// Three members, two users, two groups, two permission sets, every assumption at its
/// concrete reading (the first model's defaults: no call branches).
pub(crate) fn cfg() -> Config {
    Config {
        assumptions: Assumptions::concrete(),
        ..either_cfg()
    }
}

/// `cfg` with the real default assumptions (`either` for Q2..Q5, A1..A3): calls branch.
pub(crate) fn either_cfg() -> Config {
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
pub(crate) fn step(cfg: &Config, s: &State, call: Call) -> Result<State, Refusal> {
    idc_model::step(cfg, s, call, Branch::NONE).unwrap_or_else(|| {
        panic!("`{call}` branches under this configuration: use `outcomes` or a branch")
    })
}

/// Every outcome of `call`, with its branch, in the order `outcomes` gives them.
pub(crate) fn all_outcomes(
    cfg: &Config,
    s: &State,
    call: Call,
) -> Vec<(Branch, Result<State, Refusal>)> {
    let mut all = Vec::new();
    outcomes(cfg, s, call, |b, r| all.push((b, r)));
    all
}

/// Every outcome of `call`, with its branch named as `Branch::to_string()` names it, sorted
/// by name.
pub(crate) fn named_outcomes(
    cfg: &Config,
    s: &State,
    call: Call,
) -> Vec<(String, Result<State, Refusal>)> {
    let mut all: Vec<_> = all_outcomes(cfg, s, call)
        .into_iter()
        .map(|(b, r)| (b.to_string(), r))
        .collect();
    all.sort_by(|x, y| x.0.cmp(&y.0));
    all
}

/// `outcomes` as `named_outcomes` gives them, sorted by name, from `(name, outcome)` pairs.
pub(crate) fn sorted(
    mut want: Vec<(&str, Result<State, Refusal>)>,
) -> Vec<(String, Result<State, Refusal>)> {
    want.sort_by(|x, y| x.0.cmp(y.0));
    want.into_iter().map(|(n, r)| (n.to_string(), r)).collect()
}

/// `cfg` with `rules` relaxed.
pub(crate) fn relax(cfg: &Config, rules: &[Rule]) -> Config {
    let mut relaxed = *cfg;
    for rule in rules {
        relaxed.relaxed.insert(*rule);
    }
    relaxed
}

/// `cfg` with a practice followed.
pub(crate) fn practising(cfg: &Config, practice: Practice) -> Config {
    let mut c = *cfg;
    c.practices.insert(practice);
    c
}

pub(crate) fn c(caller: Acct, op: Op) -> Call {
    Call { caller, op }
}

/// The same operations, all called by the management account.
pub(crate) fn mgmt(ops: &[Op]) -> Vec<Call> {
    ops.iter().map(|op| c(M, *op)).collect()
}

pub(crate) fn user(u: User) -> Principal {
    Principal::User(u)
}

pub(crate) fn group(g: Group) -> Principal {
    Principal::Group(g)
}

pub(crate) fn assign(target: Acct, permission_set: PermissionSet, principal: Principal) -> Op {
    Op::CreateAccountAssignment {
        target,
        permission_set,
        principal,
    }
}

pub(crate) fn unassign(target: Acct, permission_set: PermissionSet, principal: Principal) -> Op {
    Op::DeleteAccountAssignment {
        target,
        permission_set,
        principal,
    }
}

/// Runs `calls` in order from the initial state; panics naming the first refused call.
#[track_caller]
pub(crate) fn run(cfg: &Config, calls: &[Call]) -> State {
    run_from(cfg, &State::initial(cfg), calls)
}

/// Runs `calls` in order from `s`; panics naming the first refused call.
#[track_caller]
pub(crate) fn run_from(cfg: &Config, s: &State, calls: &[Call]) -> State {
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
pub(crate) fn ok(cfg: &Config, s: &State, call: Call) -> State {
    step(cfg, s, call).unwrap_or_else(|refusal| panic!("`{call}` was refused: {refusal}"))
}

/// The refusal of `call`, which must be refused.
#[track_caller]
pub(crate) fn refusal(cfg: &Config, s: &State, call: Call) -> Refusal {
    match step(cfg, s, call) {
        Ok(next) => panic!("`{call}` was allowed; next state {next:?}"),
        Err(refusal) => refusal,
    }
}

/// A plain exception raised by a rule's guard.
pub(crate) fn denied(exception: Exception, rule: Rule) -> Refusal {
    Refusal::Api {
        error: ApiError {
            exception,
            reason: None,
        },
        rule: Some(rule),
    }
}

/// A `ConstraintViolationException` with its reason, raised by a rule's guard.
pub(crate) fn violation(reason: Reason, rule: Rule) -> Refusal {
    Refusal::Api {
        error: ApiError {
            exception: Exception::ConstraintViolationException,
            reason: Some(reason),
        },
        rule: Some(rule),
    }
}

/// An exception raised by the API's own preconditions (no catalogued rule).
pub(crate) fn precondition(exception: Exception) -> Refusal {
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
pub(crate) fn expect(s: &State, edit: impl FnOnce(&mut State)) -> State {
    let mut want = s.clone();
    want.ghost = 0;
    edit(&mut want);
    want
}

pub(crate) fn instance() -> Vec<Call> {
    mgmt(&[Op::EnableIdentityCenter])
}

/// The instance and `d` registered as delegated administrator.
pub(crate) fn with_delegate(d: Acct) -> Vec<Call> {
    mgmt(&[
        Op::EnableIdentityCenter,
        Op::RegisterDelegatedAdministrator(d),
    ])
}

pub(crate) fn provision(permission_set: PermissionSet, target: Acct) -> Op {
    Op::ProvisionPermissionSet {
        permission_set,
        target,
    }
}

pub(crate) fn remove_from(permission_set: PermissionSet, target: Acct) -> Op {
    Op::RemovePermissionSetFromAccount {
        permission_set,
        target,
    }
}

pub(crate) const ORG_INSTANCE: Op = Op::DeleteInstance(InstanceRef::Organization);

/// Two users, two groups and two permission sets, created by the management account.
pub(crate) fn identities() -> Vec<Call> {
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
pub(crate) fn ps_in_management() -> Vec<Call> {
    [
        with_delegate(A),
        identities(),
        mgmt(&[assign(M, P0, user(U0))]),
    ]
    .concat()
}

/// Every Organizations operation that checks its caller with `org_caller` (ORG-1, ORG-2).
pub(crate) fn org_caller_ops(t: Acct) -> [Op; 8] {
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
pub(crate) fn directory_ops() -> [Op; 7] {
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
pub(crate) fn admin_ops() -> [Op; 21] {
    [
        Op::ChangeIdentitySource(EXT),
        Op::EnableConfigurableAdSync,
        Op::PauseAdSync,
        Op::ResumeAdSync,
        Op::CreatePermissionSet(P0),
        Op::UpdatePermissionSet(P0),
        Op::DeletePermissionSet(P0),
        provision(P0, A),
        remove_from(P0, A),
        assign(A, P0, user(U0)),
        unassign(A, P0, user(U0)),
        Op::CreateUser(U0),
        Op::DeleteUser(U0),
        Op::UpdateUser(U0),
        Op::ResetUserPassword(U0),
        Op::EnableUserAccess(U0),
        Op::DisableUserAccess(U0),
        Op::CreateGroup(G0),
        Op::DeleteGroup(G0),
        Op::CreateGroupMembership(G0, U0),
        Op::DeleteGroupMembership(G0, U0),
    ]
}

// ------------------------------------------------- states and checks several areas share

/// The instance with the management account's AD directory as identity source.
pub(crate) fn ad_in_management() -> Vec<Call> {
    mgmt(&[
        Op::EnableIdentityCenter,
        Op::CreateMicrosoftAd,
        Op::ChangeIdentitySource(ad(M)),
    ])
}

/// Assignments in member-1 (`ps-1` to user-1, `ps-2` to group-1) and member-2 (`ps-1` to
/// user-2), group-1 holding user-1.
pub(crate) fn member_assignments() -> Vec<Call> {
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

/// Two users and two groups made in `owner`'s AD directory (SRC-6), `owner` calling.
pub(crate) fn directory_identities(owner: Acct) -> Vec<Call> {
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

/// Member-1 delegate; user-1 and group-1 (holding user-2) assigned to the management
/// account with `ps-1`; user-2 also assigned to member-2 with `ps-2`.
pub(crate) fn management_access() -> Vec<Call> {
    [
        with_delegate(A),
        identities(),
        mgmt(&[
            Op::CreateGroupMembership(G0, U1),
            assign(M, P0, user(U0)),
            assign(M, P0, group(G0)),
            assign(B, P1, user(U1)),
        ]),
        vec![c(A, Op::CreateMicrosoftAd)],
    ]
    .concat()
}

/// The delegate member-1 moved the identity source to its own AD directory.
pub(crate) fn ad_in_delegate() -> Vec<Call> {
    [
        with_delegate(A),
        vec![
            c(A, Op::CreateMicrosoftAd),
            c(A, Op::ChangeIdentitySource(ad(A))),
        ],
    ]
    .concat()
}

/// `s` without member-1's assignments and provisioning.
pub(crate) fn without_member1_access(s: &State, w: &mut State) {
    *w.assigned_mut(P0, A) = 0;
    *w.assigned_mut(P1, A) = 0;
    w.provisioned[0] = s.provisioned[0] & !A.bit();
    w.provisioned[1] = s.provisioned[1] & !A.bit();
}

/// Users, a group with user-2, and `ps-1` assigned to user-1 in the management account and
/// to the group in member-1: what SRC-4 deletes or preserves. Made under the Identity
/// Center directory or an external IdP.
pub(crate) fn population() -> Vec<Call> {
    population_in(IDC)
}

/// The state with the source reached by `reach` and populated, and the state after the
/// management account changes the source to `to`.
pub(crate) fn src4_change(cfg: &Config, reach: &[Call], to: IdentitySource) -> (State, State) {
    let reached = run(cfg, &[instance(), reach.to_vec()].concat());
    let s = run_from(cfg, &reached, &population_in(reached.source));
    assert_eq!(assigned_users(&s, M), U0.bit());
    assert_eq!(s.provisioned[0], M.bit() | A.bit());
    let next = ok(cfg, &s, c(M, Op::ChangeIdentitySource(to)));
    (s, next)
}

pub(crate) fn to_ad_m() -> Vec<Call> {
    mgmt(&[Op::CreateMicrosoftAd, Op::ChangeIdentitySource(ad(M))])
}

/// `population` under `source`: with Active Directory, the users, groups and memberships
/// are made in the directory by its owner (SRC-6: the identity store is read-only).
pub(crate) fn population_in(source: IdentitySource) -> Vec<Call> {
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

/// Member-1 delegate; user-1 assigned to the management account, user-2 to member-2.
pub(crate) fn status_population() -> Vec<Call> {
    [
        with_delegate(A),
        identities(),
        mgmt(&[assign(M, P0, user(U0)), assign(B, P1, user(U1))]),
    ]
    .concat()
}
