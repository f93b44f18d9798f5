//! Arbitrary call sequences on arbitrary configurations: `step` never panics, is
//! deterministic, agrees with the stateright model, and every reached state keeps the
//! structural invariants the guards and API preconditions imply. Where an assumption is
//! `either`, each step takes one of its call's outcomes (`outcomes`), chosen by the pick.
//!
//! A sequence mixes four kinds of picks: an index into `calls::all_calls` (any call, mostly
//! refused), an *allowed* call (to reach deep states), a *refused* call (to exercise the
//! guards of deep states), and a raw call (any caller, an operation kind drawn uniformly,
//! then its parameters across the configuration's range, valid or not).

use std::collections::{HashMap, HashSet};

use idc_model::assumptions::{
    AdSyncOnConnect, ApiEnforcesDa9, Assumptions, CloseDelegate, ClosedDelegateAtRemoval,
    DepartedAccountAssignments, DisableTrustedAccessWithDelegate, LastAssignmentDeprovisions,
    ManagementUserAccess, SecondDelegateError, Src2EnforcedAt, Src2Location,
};
use idc_model::call::{call_in_range, Service};
use idc_model::calls::{all_calls, all_ops};
use idc_model::diff::describe_changes;
use idc_model::rules::Implementation;
use idc_model::state::ghost;
use idc_model::{
    outcomes, step, Acct, Action, Branch, Call, Config, Exception, Group, IdcModel, IdentitySource,
    Op, OpKind, PermissionSet, Practice, PracticeSet, Principal, Refusal, Rule, RuleSet, State,
    User, PROPERTIES,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use proptest::strategy::Union;
use stateright::Model;

const M: Acct = Acct::MANAGEMENT;
/// Every ghost bit the model defines.
const GHOST_BITS: u16 = ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER
    | ghost::MANAGEMENT_ACCESS_GRANTED_BY_OTHER
    | ghost::DELEGATE_ALTERED_MANAGEMENT_PERMISSION_SET
    | ghost::DEREGISTRATION_CHANGED_ACCESS
    | ghost::DELEGATE_ASSIGNED_IN_MEMBER
    | ghost::REGISTRY_CHANGED_BY_OTHER
    | ghost::ADMINISTERED_BY_OUTSIDER
    | ghost::TRUSTED_ACCESS_CHANGED_BY_OTHER;

/// Every outcome of a call, in the model's order.
fn all_outcomes(cfg: &Config, s: &State, call: Call) -> Vec<(Branch, Result<State, Refusal>)> {
    let mut out = Vec::new();
    outcomes(cfg, s, call, |b, o| out.push((b, o)));
    out
}

// ---------------------------------------------------------------------------- strategies

fn arb_assumptions() -> impl Strategy<Value = Assumptions> {
    (
        select(SecondDelegateError::ALL),
        select(DisableTrustedAccessWithDelegate::ALL),
        select(CloseDelegate::ALL),
        select(Src2EnforcedAt::ALL),
        select(DepartedAccountAssignments::ALL),
        select(ManagementUserAccess::ALL),
        (
            select(ClosedDelegateAtRemoval::ALL),
            select(ApiEnforcesDa9::ALL),
            select(Src2Location::ALL),
        ),
        select(AdSyncOnConnect::ALL),
        select(LastAssignmentDeprovisions::ALL),
    )
        .prop_map(
            |(q1, q2, q3, q4, q5, q6, (q7, q8, q9), a1, a3)| Assumptions {
                second_delegate_error: q1,
                disable_trusted_access_with_delegate: q2,
                close_delegate: q3,
                src2_enforced_at: q4,
                departed_account_assignments: q5,
                management_user_access: q6,
                closed_delegate_at_removal: q7,
                api_enforces_da9: q8,
                src2_location: q9,
                ad_sync_on_connect: a1,
                last_assignment_deprovisions: a3,
            },
        )
}

fn relaxable() -> Vec<Rule> {
    Rule::ALL
        .iter()
        .copied()
        .filter(|r| r.relaxable())
        .collect()
}

/// Sizes across their whole range, any assumptions and practices; mostly no or few relaxed
/// rules, sometimes many.
fn arb_config() -> impl Strategy<Value = Config> {
    let relaxed = prop_oneof![
        3 => Just(Vec::new()),
        2 => subsequence(relaxable(), 1..=3),
        1 => subsequence(relaxable(), 0..=relaxable().len()),
    ];
    (
        1u8..=6,
        1u8..=4,
        1u8..=4,
        1u8..=4,
        arb_assumptions(),
        subsequence(Practice::ALL.to_vec(), 0..=Practice::ALL.len()),
        relaxed,
    )
        .prop_map(
            |(members, users, groups, permission_sets, assumptions, practices, relaxed)| {
                let mut cfg = Config {
                    members,
                    users,
                    groups,
                    permission_sets,
                    assumptions,
                    practices: PracticeSet::default(),
                    relaxed: RuleSet::default(),
                    threat: Default::default(),
                };
                for p in practices {
                    cfg.practices.insert(p);
                }
                for r in relaxed {
                    cfg.relaxed.insert(r);
                }
                cfg
            },
        )
}

/// Any operation of the configuration: an operation kind uniformly (so that operations with
/// few parameters are not swamped by assignments), then its parameters uniformly. Derived
/// from the universe, which derives from the operations table.
fn arb_op(cfg: &Config) -> BoxedStrategy<Op> {
    let ops = all_ops(cfg);
    let by_kind: Vec<BoxedStrategy<Op>> = OpKind::ALL
        .iter()
        .map(|&k| {
            let of_kind: Vec<Op> = ops
                .iter()
                .copied()
                .filter(|op| OpKind::of(op) == k)
                .collect();
            select(of_kind).boxed()
        })
        .collect();
    Union::new(by_kind).boxed()
}

/// The number of operations (rows of the operations table).
const OP_VARIANTS: usize = OpKind::ALL.len();
fn op_variant(op: &Op) -> usize {
    OpKind::of(op) as usize
}

/// How a step of a sequence chooses its call.
#[derive(Clone, Copy, Debug)]
enum Pick {
    /// The call at this index (modulo) of `all_calls`: valid or not.
    Index(usize),
    /// A call allowed in the current state, chosen by this number: drives sequences into
    /// deep states.
    Allowed(usize),
    /// A call refused in the current state, chosen by this number uniformly over the
    /// distinct refusals first: exercises the guards of deep states.
    Refused(usize),
    /// A call generated independently of `all_calls`.
    Raw(Call),
}

fn arb_pick(cfg: &Config) -> impl Strategy<Value = Pick> {
    let caller = (0..=cfg.members).prop_map(Acct);
    prop_oneof![
        2 => any::<usize>().prop_map(Pick::Index),
        5 => any::<usize>().prop_map(Pick::Allowed),
        2 => any::<usize>().prop_map(Pick::Refused),
        // The environment's steps are AWS's (the universe has them only with that caller).
        2 => (caller, arb_op(cfg)).prop_map(|(caller, op)| {
            let caller = if op.service() == Service::Environment {
                Acct::AWS
            } else {
                caller
            };
            Pick::Raw(Call { caller, op })
        }),
    ]
}

/// The calls that set up what most guards are about, prefixed to two sequences in three
/// (as raw picks: under some configurations some of them are refused): the instance,
/// identities, a permission set provisioned in the management account, and either a
/// delegate or the management account's AD directory as identity source (its identities
/// then made in the directory, SRC-6).
fn setup_prefix(kind: u8) -> Vec<Pick> {
    let m = |op| Pick::Raw(Call { caller: M, op });
    let (source, identities) = match kind {
        0 => return Vec::new(),
        1 => (
            vec![],
            vec![
                m(Op::CreateUser(User(0))),
                m(Op::CreateGroup(Group(0))),
                m(Op::CreateGroupMembership(Group(0), User(0))),
            ],
        ),
        _ => (
            vec![
                m(Op::CreateMicrosoftAd),
                m(Op::ChangeIdentitySource(IdentitySource::ActiveDirectory(M))),
            ],
            vec![
                m(Op::DirectoryCreateUser(User(0))),
                m(Op::DirectoryCreateGroup(Group(0))),
                m(Op::DirectoryAddGroupMember(Group(0), User(0))),
            ],
        ),
    };
    let mut prefix = vec![m(Op::EnableIdentityCenter)];
    prefix.extend(source);
    prefix.extend(identities);
    prefix.push(m(Op::CreatePermissionSet(PermissionSet(0))));
    prefix.push(m(Op::CreateAccountAssignment {
        target: M,
        permission_set: PermissionSet(0),
        principal: Principal::User(User(0)),
    }));
    if kind == 1 {
        prefix.push(m(Op::RegisterDelegatedAdministrator(Acct(1))));
    }
    prefix
}

/// A pick and which of its call's outcomes the step takes (modulo their number).
type Step = (Pick, usize);

fn arb_case(max_len: usize) -> impl Strategy<Value = (Config, Vec<Step>)> {
    arb_config().prop_flat_map(move |cfg| {
        (
            Just(cfg),
            0u8..3,
            vec((arb_pick(&cfg), any::<usize>()), 0..=max_len),
        )
            .prop_map(|(cfg, kind, picks)| {
                let prefix = setup_prefix(kind).into_iter().map(|p| (p, 0));
                (cfg, prefix.chain(picks).collect())
            })
    })
}

// -------------------------------------------------------------------------------- runner

/// One step of a run: the action and its outcome.
type Trace = Vec<(Action, Result<State, Refusal>)>;

struct Runner {
    cfg: Config,
    model: IdcModel,
    calls: Vec<Call>,
    universe: HashSet<Call>,
}

impl Runner {
    fn new(cfg: Config) -> Runner {
        let model = IdcModel::new(cfg).expect("generated configurations are in range");
        let calls = all_calls(&cfg);
        let universe = calls.iter().copied().collect();
        Runner {
            cfg,
            model,
            calls,
            universe,
        }
    }

    fn resolve(&self, s: &State, pick: Pick) -> Call {
        let n = self.calls.len();
        match pick {
            Pick::Index(i) => self.calls[i % n],
            Pick::Allowed(i) => {
                // Uniform over the operations that have an allowed call, then over its calls:
                // rare operations (a deletion among many creations) get their turn.
                let mut by_op: [Vec<Call>; OP_VARIANTS] = std::array::from_fn(|_| Vec::new());
                for call in &self.calls {
                    if all_outcomes(&self.cfg, s, *call)
                        .iter()
                        .any(|(_, o)| o.is_ok())
                    {
                        by_op[op_variant(&call.op)].push(*call);
                    }
                }
                let ops: Vec<&Vec<Call>> = by_op.iter().filter(|c| !c.is_empty()).collect();
                if ops.is_empty() {
                    self.calls[i % n]
                } else {
                    let calls = ops[i % ops.len()];
                    calls[(i / ops.len()) % calls.len()]
                }
            }
            Pick::Refused(i) => {
                let mut by_refusal: Vec<(Refusal, Vec<Call>)> = Vec::new();
                for call in &self.calls {
                    for (_, o) in all_outcomes(&self.cfg, s, *call) {
                        if let Err(refusal) = o {
                            match by_refusal.iter_mut().find(|(r, _)| *r == refusal) {
                                Some((_, calls)) => calls.push(*call),
                                None => by_refusal.push((refusal, vec![*call])),
                            }
                        }
                    }
                }
                if by_refusal.is_empty() {
                    self.calls[i % n]
                } else {
                    let calls = &by_refusal[i % by_refusal.len()].1;
                    calls[(i / by_refusal.len()) % calls.len()]
                }
            }
            Pick::Raw(call) => call,
        }
    }

    /// Runs the picks from the initial state, checking every step; a refused step leaves
    /// the state where it was.
    fn run(&self, picks: &[Step]) -> Trace {
        let cfg = &self.cfg;
        let mut s = State::initial(cfg);
        check_invariants(cfg, &s);
        let mut trace = Vec::with_capacity(picks.len());
        for &(pick, which) in picks {
            let call = self.resolve(&s, pick);
            assert!(call_in_range(cfg, &call).is_ok(), "{call} out of range");
            assert!(
                self.universe.contains(&call),
                "{call} is missing from all_calls"
            );
            let all = all_outcomes(cfg, &s, call);
            assert!(!all.is_empty(), "{call} has no outcome");
            if !cfg.assumptions.any_either() {
                assert_eq!(all.len(), 1, "{call} branches without `either`");
                assert_eq!(all[0].0, Branch::NONE);
            }
            // An allowed pick takes an allowed outcome when there is one.
            let allowed: Vec<usize> = (0..all.len()).filter(|i| all[*i].1.is_ok()).collect();
            let k = match pick {
                Pick::Allowed(_) if !allowed.is_empty() => allowed[which % allowed.len()],
                _ => which % all.len(),
            };
            let (branch, outcome) = all[k].clone();
            let action = Action { call, branch };
            self.check_step(&s, action, &outcome, &all);
            if let Ok(next) = &outcome {
                s = next.clone();
            }
            trace.push((action, outcome));
        }
        trace
    }

    fn check_step(
        &self,
        s: &State,
        action: Action,
        outcome: &Result<State, Refusal>,
        all: &[(Branch, Result<State, Refusal>)],
    ) {
        let cfg = &self.cfg;
        let call = action.call;
        // Every branch is listed once, and `step` re-runs each to the same outcome.
        let branches: HashSet<Branch> = all.iter().map(|(b, _)| *b).collect();
        assert_eq!(branches.len(), all.len(), "{call}: a branch listed twice");
        for (b, o) in all {
            assert_eq!(
                step(cfg, s, call, *b).as_ref(),
                Some(o),
                "{call} along [{b}]"
            );
        }
        // The stateright model takes exactly the allowed steps: a refused call has no
        // successor, so the checker's state stays where it was.
        assert_eq!(
            self.model.next_state(s, action),
            outcome.clone().ok(),
            "model and step disagree on {call}"
        );
        // Ghost bits are outputs only: no guard and no effect reads them.
        let mut other = s.clone();
        other.ghost ^= GHOST_BITS;
        assert_eq!(
            step(cfg, &other, call, action.branch).as_ref(),
            Some(outcome),
            "{call} depends on ghost bits"
        );
        match outcome {
            Err(refusal) => check_refusal(cfg, call, refusal),
            Ok(next) => {
                check_invariants(cfg, next);
                check_ghost(cfg, call, next);
                check_relaxing_only_allows_more(cfg, s, call, next);
                check_practices_only_restrict(cfg, s, call, next);
                check_either_covers_every_reading(cfg, s, call, next);
                let mut same = next.clone();
                same.ghost = s.ghost;
                assert_eq!(
                    describe_changes(cfg, s, next).is_empty(),
                    &same == s,
                    "{call}: described changes disagree with the state"
                );
                check_properties_read_declared_ghost(s, next);
            }
        }
    }
}

// ----------------------------------------------------------------------------- checks

/// A refusal is well formed: a reason exactly for the constraint exceptions; a rule only if
/// the configuration enforces it (DA-6 and DA-8 are the registry's own set semantics and
/// refuse even when relaxed); a practice only for the management account's calls, and only
/// one it follows.
fn check_refusal(cfg: &Config, call: Call, refusal: &Refusal) {
    match *refusal {
        Refusal::Api { error, rule } => {
            let constraint = matches!(
                error.exception,
                Exception::ConstraintViolationException
                    | Exception::HandshakeConstraintViolationException
            );
            // Model 3: Organizations' refusals for DA-9 and for SRC-2 at a (de)registration
            // are ConstraintViolationExceptions whose reason is undocumented (none).
            let reasonless = constraint
                && error.exception == Exception::ConstraintViolationException
                && matches!(rule, Some(Rule::Da9 | Rule::Src2));
            assert_eq!(
                error.reason.is_some(),
                constraint && !reasonless,
                "{call}: reason of {error}"
            );
            if let Some(rule) = rule {
                assert!(
                    cfg.enforces(rule) || rule.implementation() == Implementation::Fixed,
                    "{call} refused by relaxed {rule}"
                );
                assert!(
                    matches!(
                        rule.implementation(),
                        Implementation::Guard | Implementation::Fixed
                    ),
                    "{call} refused by {rule}, which is not a guard"
                );
            }
        }
        Refusal::Practice(p) => {
            assert!(call.caller.is_management(), "{call}: practice {p}");
            assert!(
                cfg.practices.contains(p),
                "{call}: practice {p} not followed"
            );
        }
    }
}

/// The ghost bits of a successful step: only defined bits; none for the management
/// account's own calls except a deregistration's; DEREGISTRATION_CHANGED_ACCESS never,
/// because deregistration changes only the registry (DA-10).
fn check_ghost(cfg: &Config, call: Call, next: &State) {
    assert_eq!(next.ghost & !GHOST_BITS, 0, "{call}: undefined ghost bit");
    // DA-1: only the management account changes the registry; so do ORG-5 and ORG-2,
    // which keep DisableAWSServiceAccess (Q2 `deregisters`) and CloseAccount (Q3
    // `deregisters`) the management account's. A delegate closing its own account (ORG-6)
    // may deregister itself (Q3 `deregisters`); AWS removing a closed delegate may
    // deregister it (Q7 `deregisters`).
    if cfg.enforces(Rule::Da1)
        && cfg.enforces(Rule::Org5)
        && cfg.enforces(Rule::Org2)
        && call.op != Op::CloseOwnAccount
        && !matches!(call.op, Op::RemoveClosedAccount(_))
    {
        assert_eq!(
            next.ghost & ghost::REGISTRY_CHANGED_BY_OTHER,
            0,
            "{call}: DA-1"
        );
    }
    // IDC-4 (with ORG-4 in front of it) and IDC-1: only the management account and the
    // delegate administer (model 3: directory-side writes by a non-delegate owner count
    // too, and no rule of IAM Identity Center refuses them, SRC-6).
    if cfg.enforces(Rule::Idc4)
        && cfg.enforces(Rule::Idc1)
        && call.op.service() != Service::DirectoryService
    {
        assert_eq!(
            next.ghost & ghost::ADMINISTERED_BY_OUTSIDER,
            0,
            "{call}: IDC-4"
        );
    }
    assert_eq!(
        next.ghost & ghost::DEREGISTRATION_CHANGED_ACCESS,
        0,
        "{call}: DA-10"
    );
    // ORG-5 and IDC-1: only the management account changes trusted access.
    if cfg.enforces(Rule::Org5) && cfg.enforces(Rule::Idc1) {
        assert_eq!(
            next.ghost & ghost::TRUSTED_ACCESS_CHANGED_BY_OTHER,
            0,
            "{call}: ORG-5"
        );
    }
    if call.caller.is_management() {
        assert_eq!(
            next.ghost, 0,
            "{call}: ghost bit set by the management account"
        );
    }
}

/// Each property reads exactly the ghost facts it declares (`PropertyInfo::ghost`): a
/// property of the state none (flipping every ghost bit changes nothing), a property of
/// the last step those bits and nothing else (the state around them changes nothing). The
/// checker relies on both to identify states that differ only in their ghost facts. And a
/// property of the state that declares it reads no identity has the same value whatever the
/// identity part (the organization slice relies on it).
fn check_properties_read_declared_ghost(other: &State, next: &State) {
    let mut flipped = next.clone();
    flipped.ghost ^= GHOST_BITS;
    let mut elsewhere = other.clone();
    elsewhere.ghost = next.ghost;
    // `next`'s organization part with `other`'s identity part (idc_model::slice).
    let other_identities = State {
        users: other.users,
        disabled: other.disabled,
        groups: other.groups,
        membership: other.membership,
        permission_sets: other.permission_sets,
        provisioned: other.provisioned,
        assignments: other.assignments,
        ..next.clone()
    };
    for p in PROPERTIES {
        let holds = (p.holds)(next);
        assert_eq!(p.ghost & !GHOST_BITS, 0, "{}: undefined ghost bit", p.name);
        if p.ghost == 0 {
            assert_eq!(holds, (p.holds)(&flipped), "{} reads ghost facts", p.name);
            if !p.reads_identities {
                assert_eq!(
                    holds,
                    (p.holds)(&other_identities),
                    "{} reads identities (PropertyInfo::reads_identities)",
                    p.name
                );
            }
        } else {
            let set = next.ghost & p.ghost != 0;
            let expected = match p.kind {
                idc_model::properties::Kind::Always => !set,
                idc_model::properties::Kind::Sometimes => set,
            };
            assert_eq!(holds, expected, "{}: not its ghost facts alone", p.name);
            assert_eq!(holds, (p.holds)(&elsewhere), "{} reads the state", p.name);
        }
    }
}

/// Whether `next` is among the outcomes of `call` under `cfg`.
fn allows(cfg: &Config, s: &State, call: Call, next: &State) -> bool {
    all_outcomes(cfg, s, call)
        .iter()
        .any(|(_, o)| o.as_ref() == Ok(next))
}

/// Relaxing one more rule never refuses an allowed step nor changes its effect: a relaxed
/// rule's guard is only skipped (a decision it guarded may then not be met, so the step is
/// looked for among all outcomes).
fn check_relaxing_only_allows_more(cfg: &Config, s: &State, call: Call, next: &State) {
    for &rule in Rule::ALL {
        if rule.relaxable() && cfg.enforces(rule) {
            let mut relaxed = *cfg;
            relaxed.relaxed.insert(rule);
            assert!(
                allows(&relaxed, s, call, next),
                "{call}: relaxing {rule} changed an allowed step"
            );
        }
    }
}

/// Practices (IDC-7) only restrict the management account: without them an allowed step
/// is allowed with the same effect.
fn check_practices_only_restrict(cfg: &Config, s: &State, call: Call, next: &State) {
    if !cfg.practices.is_empty() {
        let mut free = *cfg;
        free.practices = PracticeSet::default();
        assert!(
            allows(&free, s, call, next),
            "{call}: a practice changed an allowed step"
        );
    }
}

/// `either` allows every reading: an allowed step under a concrete reading is allowed, with
/// the same effect, when that assumption is `either` (so a verdict `holds` under `either`
/// holds under every reading).
fn check_either_covers_every_reading(cfg: &Config, s: &State, call: Call, next: &State) {
    let a = cfg.assumptions;
    let mut either = *cfg;
    either.assumptions = Assumptions {
        disable_trusted_access_with_delegate: DisableTrustedAccessWithDelegate::Either,
        close_delegate: CloseDelegate::Either,
        src2_enforced_at: Src2EnforcedAt::Either,
        departed_account_assignments: DepartedAccountAssignments::Either,
        management_user_access: ManagementUserAccess::Either,
        closed_delegate_at_removal: ClosedDelegateAtRemoval::Either,
        api_enforces_da9: ApiEnforcesDa9::Either,
        src2_location: Src2Location::Either,
        ad_sync_on_connect: AdSyncOnConnect::Either,
        last_assignment_deprovisions: LastAssignmentDeprovisions::Either,
        ..a
    };
    assert!(
        allows(&either, s, call, next),
        "{call}: a step under {a:?} is not among the outcomes under `either`"
    );
}

fn mask(n: u8) -> u8 {
    ((1u16 << n) - 1) as u8
}

/// Structural invariants of every reachable state, each implied by the step function's
/// preconditions (unconditional) or by a rule's guard (only while the rule is enforced).
fn check_invariants(cfg: &Config, s: &State) {
    let all = cfg.all_accounts();
    let ctx = || format!("in {s:?}");
    // Accounts: every account bitset within the configuration.
    for (name, set) in [
        ("in_org", s.in_org),
        ("closed", s.closed),
        ("invited", s.invited),
        ("delegates", s.delegates),
        ("directories", s.directories),
    ] {
        assert_eq!(set & !all, 0, "{name} beyond the accounts {}", ctx());
    }
    // An invitation goes only to an account outside the organization (model 3: a closed
    // account, removed, can be invited; it can't accept while closed).
    assert_eq!(s.invited & s.in_org, 0, "invited member {}", ctx());
    // Identities within their ranges.
    assert_eq!(s.users & !mask(cfg.users), 0, "users {}", ctx());
    assert_eq!(s.groups & !mask(cfg.groups), 0, "groups {}", ctx());
    assert_eq!(
        s.permission_sets & !mask(cfg.permission_sets),
        0,
        "permission sets {}",
        ctx()
    );
    assert_eq!(
        s.account_instances & !all,
        0,
        "account instances beyond {}",
        ctx()
    );
    // Memberships only of existing groups, of existing users.
    for (g, members) in s.membership.iter().enumerate() {
        if s.groups & (1 << g) == 0 {
            assert_eq!(*members, 0, "members of missing group {g} {}", ctx());
        }
        assert_eq!(
            members & !s.users,
            0,
            "missing users in group {g} {}",
            ctx()
        );
    }
    // Provisioning and assignments only of existing permission sets, in accounts of the
    // configuration, for existing principals; an assignment provisions its set (IDC-6).
    for (ps, provisioned) in s.provisioned.iter().enumerate() {
        let p = PermissionSet(ps as u8);
        if !s.has_permission_set(p) {
            assert_eq!(*provisioned, 0, "{p} missing but provisioned {}", ctx());
        }
        assert_eq!(provisioned & !all, 0, "{p} provisioned beyond {}", ctx());
        for a in 0..idc_model::account::MAX_ACCOUNTS as u8 {
            let cell = s.assigned(p, Acct(a));
            if cell == 0 {
                continue;
            }
            assert!(a <= cfg.members, "assignment beyond the accounts {}", ctx());
            assert!(
                s.has_permission_set(p),
                "{p} missing but assigned {}",
                ctx()
            );
            assert!(
                s.is_provisioned(p, Acct(a)),
                "{p} assigned, not provisioned {}",
                ctx()
            );
            assert_eq!(cell & 0x0f & !s.users, 0, "assigned missing user {}", ctx());
            assert_eq!(
                (cell >> 4) & !s.groups,
                0,
                "assigned missing group {}",
                ctx()
            );
        }
    }
    // Without an instance there is no configuration (IDC-1: DeleteInstance deletes it).
    if s.instance.is_none() {
        assert_eq!(
            (s.users, s.groups, s.permission_sets),
            (0, 0, 0),
            "identities without instance {}",
            ctx()
        );
        assert!(s.membership.iter().all(|m| *m == 0), "{}", ctx());
        assert!(s.provisioned.iter().all(|p| *p == 0), "{}", ctx());
        assert!(s.assignments.iter().all(|c| *c == 0), "{}", ctx());
        assert_eq!(
            s.source,
            IdentitySource::IdentityCenterDirectory,
            "{}",
            ctx()
        );
    }
    // The identity source's directory exists; AD sync is a setting of an AD source.
    if let IdentitySource::ActiveDirectory(owner) = s.source {
        assert!(
            s.directories & owner.bit() != 0,
            "source without directory {}",
            ctx()
        );
    }
    assert!(
        !s.ad_sync || s.source.is_ad(),
        "AD sync without AD {}",
        ctx()
    );
    // A pause is a state of a sync that is on; a disabled user exists; an IdP's configurer
    // is one account, only while an external IdP is the source (SRC-6).
    assert!(!s.ad_sync_paused || s.ad_sync, "paused sync off {}", ctx());
    assert_eq!(s.disabled & !s.users, 0, "disabled missing user {}", ctx());
    assert_eq!(s.idp_admins & !all, 0, "IdP admins beyond {}", ctx());
    if s.source == IdentitySource::ExternalIdp {
        assert_eq!(s.idp_admins.count_ones(), 1, "IdP configurer {}", ctx());
    } else {
        assert_eq!(s.idp_admins, 0, "IdP admins without IdP {}", ctx());
    }

    // Invariants that a rule's guard keeps, while it is enforced.
    if cfg.enforces(Rule::Org2) {
        // Model 3: the management account closes itself only once no member is left.
        assert!(s.in_org(M), "ORG-2 {}", ctx());
        assert!(
            !s.is_closed(M) || s.in_org == M.bit(),
            "ORG-2: closed management with members {}",
            ctx()
        );
    }
    if cfg.enforces(Rule::Idc1) {
        assert!(matches!(s.instance, None | Some(M)), "IDC-1 {}", ctx());
    }
    if cfg.enforces(Rule::Idc1a) {
        assert_eq!(s.account_instances & M.bit(), 0, "IDC-1a {}", ctx());
    }
    if cfg.enforces(Rule::Da7) {
        assert!(s.delegates.count_ones() <= 1, "DA-7 {}", ctx());
    }
    if cfg.enforces(Rule::Da2) {
        assert!(!s.is_delegate(M), "DA-2 {}", ctx());
    }
    // Q7: a closed delegate removed by AWS may keep its registration.
    let removal_keeps_delegate = matches!(
        cfg.assumptions.closed_delegate_at_removal,
        ClosedDelegateAtRemoval::KeepsRegistration | ClosedDelegateAtRemoval::Either
    );
    if cfg.enforces(Rule::Da5) && cfg.enforces(Rule::Org3) && !removal_keeps_delegate {
        assert_eq!(s.delegates & !s.in_org, 0, "DA-5, ORG-3, Q7 {}", ctx());
    }
    let close_keeps_delegate = match cfg.assumptions.close_delegate {
        CloseDelegate::Refused => !cfg.enforces(Rule::Org3),
        CloseDelegate::KeepsRegistration | CloseDelegate::Either => true,
        CloseDelegate::Deregisters => false,
    };
    if cfg.enforces(Rule::Da3) && !close_keeps_delegate {
        assert_eq!(s.delegates & s.closed, 0, "DA-3, Q3 {}", ctx());
    }
    // ORG-4 with Q5 deleted: no assignment or provisioning in an account that is outside
    // the organization or closed.
    if cfg.enforces(Rule::Org4)
        && cfg.assumptions.departed_account_assignments == DepartedAccountAssignments::Deleted
    {
        let inactive = all & !(s.in_org & !s.closed);
        for (ps, provisioned) in s.provisioned.iter().enumerate() {
            assert_eq!(
                provisioned & inactive,
                0,
                "ORG-4/Q5 ps-{} {}",
                ps + 1,
                ctx()
            );
        }
        for a in idc_model::account::bits(inactive) {
            assert!(
                !s.has_assignments_to(Acct(a)),
                "ORG-4/Q5 {} {}",
                Acct(a),
                ctx()
            );
        }
    }
}

// --------------------------------------------------------------------------------- tests

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    // Arbitrary sequences never panic, keep every invariant, and run twice to the same
    // outcomes (step is a function of configuration, state and call).
    #[test]
    fn arbitrary_sequences_are_deterministic_and_keep_invariants(
        (cfg, picks) in arb_case(MAX_LEN)
    ) {
        let runner = Runner::new(cfg);
        let first = runner.run(&picks);
        let second = Runner::new(cfg).run(&picks);
        prop_assert_eq!(first, second);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    // Only allowed calls, longer: the deep end of the state space.
    #[test]
    fn long_allowed_sequences_keep_invariants(
        cfg in arb_config(),
        starts in vec(any::<usize>(), 0..=80),
    ) {
        let picks: Vec<Step> = starts.into_iter().map(|i| (Pick::Allowed(i), i / 7)).collect();
        let runner = Runner::new(cfg);
        let trace = runner.run(&picks);
        prop_assert_eq!(trace.len(), picks.len());
    }
}

// The independent generator covers every operation, so raw picks reach every guard.
#[test]
fn arb_op_generates_every_operation() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let cfg = Config::default();
    let strategy = arb_op(&cfg);
    let mut runner = TestRunner::deterministic();
    let mut seen = [false; OP_VARIANTS];
    for _ in 0..2000 {
        let op = strategy.new_tree(&mut runner).unwrap().current();
        seen[op_variant(&op)] = true;
    }
    let missing: Vec<usize> = (0..OP_VARIANTS).filter(|i| !seen[*i]).collect();
    assert!(missing.is_empty(), "variants never generated: {missing:?}");
    let in_universe: HashSet<usize> = all_calls(&cfg).iter().map(|c| op_variant(&c.op)).collect();
    assert_eq!(
        in_universe.len(),
        OP_VARIANTS,
        "all_calls lists every operation"
    );
}

// The generated sequences are not vacuous: over a fixed batch of cases, every operation
// succeeds somewhere, every rule and every practice refuses somewhere, and states get deep.
#[test]
fn generated_sequences_reach_every_operation_rule_and_practice() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = arb_case(MAX_LEN);
    let mut allowed = [0usize; OP_VARIANTS];
    let mut rules: HashMap<Rule, usize> = HashMap::new();
    let mut practices: HashMap<Practice, usize> = HashMap::new();
    let mut preconditions: HashSet<Exception> = HashSet::new();
    let (mut steps, mut ok) = (0usize, 0usize);
    for _ in 0..CASES {
        let (cfg, picks) = strategy.new_tree(&mut runner).unwrap().current();
        for (action, outcome) in Runner::new(cfg).run(&picks) {
            steps += 1;
            match outcome {
                Ok(_) => {
                    ok += 1;
                    allowed[op_variant(&action.call.op)] += 1;
                }
                Err(Refusal::Api { rule: Some(r), .. }) => {
                    *rules.entry(r).or_default() += 1;
                }
                Err(Refusal::Api { error, rule: None }) => {
                    preconditions.insert(error.exception);
                }
                Err(Refusal::Practice(p)) => {
                    *practices.entry(p).or_default() += 1;
                }
            }
        }
    }
    eprintln!("{steps} steps, {ok} allowed; allowed per operation {allowed:?}");
    eprintln!("refusals per rule {rules:?}; per practice {practices:?}");
    eprintln!("precondition errors seen: {preconditions:?}");
    let never: Vec<usize> = (0..OP_VARIANTS).filter(|i| allowed[*i] == 0).collect();
    assert!(never.is_empty(), "operations never allowed: {never:?}");
    let silent: Vec<Rule> = Rule::ALL
        .iter()
        .copied()
        .filter(|r| {
            matches!(
                r.implementation(),
                Implementation::Guard | Implementation::Fixed
            )
        })
        .filter(|r| !rules.contains_key(r))
        .collect();
    assert!(silent.is_empty(), "rules that never refused: {silent:?}");
    let unused: Vec<Practice> = Practice::ALL
        .iter()
        .copied()
        .filter(|p| !practices.contains_key(p))
        .collect();
    assert!(
        unused.is_empty(),
        "practices that never refused: {unused:?}"
    );
}
const CASES: usize = 500;
/// The longest generated sequence.
const MAX_LEN: usize = 40;
