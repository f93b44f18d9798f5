//! The transition rules: a call either yields the next state or the API's refusal.
//!
//! [`step`] is the one entry point: it routes each operation to the file of the part of AWS
//! that owns its rules, then does the cross-cutting work (the management account's best
//! practices, IDC-7, and the ghost facts the properties read). The rules themselves live
//! where AWS puts them:
//!
//! * `organizations.rs`: membership of the organization (ORG-1..ORG-4, ORG-6);
//! * `delegation.rs`: trusted access and the delegated-administrator registry (ORG-5, DA-*);
//! * `identity_center.rs`: the instances, permission sets, provisioning and account
//!   assignments (IDC-1..IDC-10);
//! * `identity_source.rs`: the identity source, AD sync and directories (SRC-1..SRC-8);
//! * `identity_store.rs`: users, groups and memberships, in the identity store or, with
//!   Active Directory as the source, in the directory (IDC-3, SRC-6).
//!
//! Every guard names the rule it enforces; a relaxed rule's guard is skipped. Where several
//! guards refuse a call, the first in the order written is reported (the API's own order is
//! not documented): who may call first, then what the state allows.
//!
//! Under an `either` assumption a call has several outcomes, one per [`Branch`]: [`step`]
//! computes one, [`outcomes`] every one.
//!
//! Most calls of a state are refused by the check their rules begin with (who may call);
//! [`gate`] makes that check once per caller and state for every call that begins with it.

mod delegation;
pub mod gate;
mod identity_center;
mod identity_source;
mod identity_store;
mod organizations;

pub use gate::{gated_outcomes, Gate, Gates, OpenCalls};

use crate::access::{assigned_users, effective_access};
use crate::account::{bits, Acct, PermissionSet};
use crate::assumptions::ManagementUserAccess;
use crate::branch::{Behaviour, Branch, Chooser, Decision};
use crate::call::{Call, Op};
use crate::config::Config;
use crate::error::{ApiError, Exception, Reason, Refusal};
use crate::operations::{op_value, operations};
use crate::practice::Practice;
use crate::rules::Rule;
use crate::state::{ghost, State};

const M: Acct = Acct::MANAGEMENT;

/// The outcome of a call along one branch: the next state (ghost facts included) or the
/// refusal; `None` when `branch` does not name exactly the decisions the call meets in `s`
/// (see [`crate::branch`]). With no `either` assumption every call has the one branch
/// [`Branch::NONE`].
///
/// Never panics, whatever the call, as long as its accounts and identities are within
/// the configuration (see [`Config::validate`] and [`crate::call::call_in_range`]).
pub fn step(cfg: &Config, s: &State, call: Call, branch: Branch) -> Option<Result<State, Refusal>> {
    let mut ch = Chooser::new(branch);
    let outcome = transition(cfg, s, call, &mut ch);
    ch.fits().then_some(outcome)
}

/// Every outcome of a call, each with its branch, in a fixed order (the first reading of
/// each decision first). Allocation-free.
pub fn outcomes(
    cfg: &Config,
    s: &State,
    call: Call,
    mut f: impl FnMut(Branch, Result<State, Refusal>),
) {
    // Most calls meet no decision: one run.
    let mut ch = Chooser::new(Branch::NONE);
    let outcome = transition(cfg, s, call, &mut ch);
    let Some((d, options)) = ch.missing() else {
        f(Branch::NONE, outcome);
        return;
    };
    // Depth-first over the decisions met: at most 11 decisions of at most 4 readings each
    // are pending at once.
    let mut stack = [Branch::NONE; 64];
    let mut len = 0;
    for &r in options.iter().rev() {
        stack[len] = Branch::NONE.with(d, r);
        len += 1;
    }
    while len > 0 {
        len -= 1;
        let branch = stack[len];
        let mut ch = Chooser::new(branch);
        let outcome = transition(cfg, s, call, &mut ch);
        match ch.missing() {
            None => f(branch, outcome),
            Some((d, options)) => {
                for &r in options.iter().rev() {
                    stack[len] = branch.with(d, r);
                    len += 1;
                }
            }
        }
    }
}

/// The transition along the branch `ch` follows.
fn transition(cfg: &Config, s: &State, call: Call, ch: &mut Chooser) -> Result<State, Refusal> {
    let c = call.caller;
    let mut next = rules(cfg, s, c, ch, call.op)?;
    if c.is_management() && cfg.practices.contains(Practice::LeastPrivilegeInManagement) {
        // IDC-7: the management account never lets a second user reach itself.
        let (before, after) = (assigned_users(s, M), assigned_users(&next, M));
        if after.count_ones() > 1 && after & !before != 0 {
            return Err(Refusal::Practice(Practice::LeastPrivilegeInManagement));
        }
    }
    next.ghost = ghost_facts(s, &next, call);
    Ok(next)
}

macro_rules! define_rules {
    (context($cfg:ident, $s:ident, $c:ident, $ch:ident);
     $($(#[$doc:meta])* $v:ident $shape:tt
        = $name:literal in $service:ident, gate $gate:ident, rule $rule:expr;)*) => {
        /// Routes an operation to its rule function, in the file of the part of AWS that
        /// owns it (the operations table's `rule` column).
        fn rules(
            $cfg: &Config,
            $s: &State,
            $c: Acct,
            $ch: &mut Chooser,
            op: Op,
        ) -> Result<State, Refusal> {
            match op { $(op_value!($v $shape) => $rule,)* }
        }
    };
}

operations!(define_rules);

/// The ghost facts of the step `s --call--> next` (see [`ghost`]).
fn ghost_facts(s: &State, next: &State, call: Call) -> u16 {
    let mut g = 0;
    // AWS reinstates an account at that account's own request (its root user asks AWS
    // Support): the step is the account's, not someone else's.
    let actor = match call.op {
        Op::ReinstateAccount(t) => t,
        _ => call.caller,
    };
    if !actor.is_management() {
        let (before, after) = (assigned_users(s, M), assigned_users(next, M));
        if before != after {
            g |= ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER;
        }
        // Reaching, not only assigned: enabling a user, a directory owner coming back,
        // trusted access restored all make users reach the management account.
        if effective_access(next, M) & !effective_access(s, M) != 0 {
            g |= ghost::MANAGEMENT_ACCESS_GRANTED_BY_OTHER;
        }
        // Only administration of the organization instance counts as altering a permission
        // set: a member leaving the organization deprovisions as a side effect.
        let administers = call.op.administers_organization_instance();
        for ps in bits(if administers { s.permission_sets } else { 0 }) {
            if s.provisioned[ps as usize] & M.bit() != 0 {
                let bit = 1 << ps;
                let changed = (s.permission_sets ^ next.permission_sets) & bit != 0
                    || call.op == Op::UpdatePermissionSet(PermissionSet(ps))
                    || s.provisioned[ps as usize] != next.provisioned[ps as usize];
                if changed {
                    g |= ghost::DELEGATE_ALTERED_MANAGEMENT_PERMISSION_SET;
                }
            }
        }
        if s.delegates != next.delegates {
            g |= ghost::REGISTRY_CHANGED_BY_OTHER;
        }
        if s.trusted_access != next.trusted_access {
            g |= ghost::TRUSTED_ACCESS_CHANGED_BY_OTHER;
        }
        // An update of a permission set's policies changes IAM Identity Center, though the
        // model keeps no policies.
        let changed =
            changed_apart_from_ghost(s, next) || matches!(call.op, Op::UpdatePermissionSet(_));
        if administers && !s.is_delegate(call.caller) && changed {
            g |= ghost::ADMINISTERED_BY_OUTSIDER;
        }
        // The directory's side of the identity store (SRC-6): with AD as the source, a write
        // in the directory changes the users and groups IAM Identity Center syncs.
        let store_changed = s.users != next.users
            || s.groups != next.groups
            || s.membership != next.membership
            || s.disabled != next.disabled;
        let in_directory = call.op.service() == crate::call::Service::DirectoryService;
        if in_directory && store_changed && !s.is_delegate(call.caller) {
            g |= ghost::ADMINISTERED_BY_OUTSIDER;
        }
        if let Op::CreateAccountAssignment { target, .. } = call.op {
            if !target.is_management() {
                g |= ghost::DELEGATE_ASSIGNED_IN_MEMBER;
            }
        }
    }
    if let Op::DeregisterDelegatedAdministrator(_) = call.op {
        let changed = s.users != next.users
            || s.groups != next.groups
            || s.membership != next.membership
            || s.permission_sets != next.permission_sets
            || s.provisioned != next.provisioned
            || s.assignments != next.assignments;
        if changed {
            g |= ghost::DEREGISTRATION_CHANGED_ACCESS;
        }
    }
    g
}

/// Whether a step changed anything but the ghost facts.
fn changed_apart_from_ghost(s: &State, next: &State) -> bool {
    let mut same = next.clone();
    same.ghost = s.ghost;
    same != *s
}

// ------------------------------------------------------------ shared by the concerns

/// How the caller stands towards IAM Identity Center administration.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Role {
    Management,
    Delegate,
}

fn refuse<T>(exception: Exception, rule: Rule) -> Result<T, Refusal> {
    Err(Refusal::Api {
        error: ApiError::plain(exception),
        rule: Some(rule),
    })
}

fn refuse_constraint<T>(reason: Reason, rule: Rule) -> Result<T, Refusal> {
    Err(Refusal::Api {
        error: ApiError::constraint(reason),
        rule: Some(rule),
    })
}

/// A refusal by the API's own preconditions (existence, duplicates), not by a catalogued rule.
fn api<T>(exception: Exception) -> Result<T, Refusal> {
    Err(Refusal::Api {
        error: ApiError::plain(exception),
        rule: None,
    })
}

/// `true` when `rule` is enforced and `violated` holds: the guard fires.
#[inline]
fn guard(cfg: &Config, rule: Rule, violated: bool) -> bool {
    violated && cfg.enforces(rule)
}

/// ORG-2: a closed (SUSPENDED) account can't sign in, so it calls nothing. Every rule of an
/// account's call begins here; AWS ([`Acct::AWS`]) signs in to no account: it makes only the
/// environment's steps, which check their caller themselves.
fn signed_in(cfg: &Config, s: &State, caller: Acct) -> Result<(), Refusal> {
    if caller.is_aws() {
        return api(Exception::AccessDeniedException);
    }
    if guard(cfg, Rule::Org2, s.is_closed(caller)) {
        return refuse(Exception::AccessDeniedException, Rule::Org2);
    }
    Ok(())
}

/// Checks an Organizations caller: signed in (ORG-2); an account outside the organization
/// gets `AWSOrganizationsNotInUseException` (ORG-1).
fn org_caller(cfg: &Config, s: &State, caller: Acct) -> Result<(), Refusal> {
    signed_in(cfg, s, caller)?;
    if guard(cfg, Rule::Org1, !s.in_org(caller)) {
        return refuse(Exception::AWSOrganizationsNotInUseException, Rule::Org1);
    }
    Ok(())
}

/// Checks that an Organizations call comes from the management account (`rule` names why).
fn management_only(cfg: &Config, caller: Acct, rule: Rule) -> Result<(), Refusal> {
    if guard(cfg, rule, !caller.is_management()) {
        return refuse(Exception::AccessDeniedException, rule);
    }
    Ok(())
}

/// Checks an administrator of the organization instance (IAM Identity Center, Identity
/// Store): signed in (ORG-2), in the organization (ORG-4), the management account or the
/// delegated administrator (IDC-4), and the instance exists.
fn admin(cfg: &Config, s: &State, caller: Acct) -> Result<Role, Refusal> {
    signed_in(cfg, s, caller)?;
    // ORG-4: a standalone account no longer works with IAM Identity Center.
    if guard(cfg, Rule::Org4, !s.in_org(caller)) {
        return refuse(Exception::AccessDeniedException, Rule::Org4);
    }
    let role = if caller.is_management() {
        Role::Management
    } else if s.is_delegate(caller) {
        Role::Delegate
    } else if cfg.enforces(Rule::Idc4) {
        // IDC-4: other members administer nothing.
        return refuse(Exception::AccessDeniedException, Rule::Idc4);
    } else {
        Role::Delegate
    };
    if s.instance.is_none() {
        return api(Exception::ResourceNotFoundException);
    }
    Ok(role)
}

/// What a delegate's call does that the exception "enabling or disabling user access in the
/// management account" (IDC-2) may cover, depending on the reading of Q6.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ManagementUserAccessAct {
    /// Create or delete a user assignment that targets the management account.
    UserAssignment,
    /// Create or delete a group assignment that targets the management account.
    GroupAssignment,
    /// Delete an assignment that targets the management account as a side effect.
    SideEffect,
    /// Enable or disable a user assigned to the management account.
    UserStatus,
}

impl ManagementUserAccessAct {
    /// Whether the reading covers the act.
    fn covered_by(self, reading: ManagementUserAccess) -> bool {
        use ManagementUserAccess as Q;
        match self {
            Self::UserAssignment => matches!(
                reading,
                Q::AssignmentCalls
                    | Q::UserAssignmentCalls
                    | Q::AlsoSideEffects
                    | Q::AssignmentsAndStatus
            ),
            Self::GroupAssignment => matches!(
                reading,
                Q::AssignmentCalls | Q::AlsoSideEffects | Q::AssignmentsAndStatus
            ),
            Self::SideEffect => matches!(reading, Q::AlsoSideEffects | Q::AssignmentsAndStatus),
            Self::UserStatus => matches!(reading, Q::UserStatus | Q::AssignmentsAndStatus),
        }
    }

    /// Under `either`, the two readings that decide it (one covers it, one does not), as
    /// reading numbers of [`Decision::Q6`]: `assignment-calls` = 0, `user-assignment-calls`
    /// = 1, `also-side-effects` = 2, `user-status` = 3 (`assignments-and-status` = 4 covers
    /// every act, like one of the two: it adds no outcome under `either`).
    fn options(self) -> &'static [u8] {
        match self {
            Self::UserAssignment => &[0, 3],
            Self::GroupAssignment => &[0, 1],
            Self::SideEffect => &[0, 2],
            Self::UserStatus => &[0, 3],
        }
    }
}

/// IDC-2, Q6: the delegate is refused `act` where it concerns the management account
/// (`applies`) and the reading of "enabling or disabling user access in the management
/// account" covers it. The decision is met only where it can refuse.
fn management_user_access(
    cfg: &Config,
    role: Role,
    act: ManagementUserAccessAct,
    applies: bool,
    ch: &mut Chooser,
) -> Result<(), Refusal> {
    if role != Role::Delegate || !guard(cfg, Rule::Idc2, applies) {
        return Ok(());
    }
    let reading = match cfg.assumptions.management_user_access {
        ManagementUserAccess::Either => {
            let r = ch.choose(Decision::Q6, act.options());
            <ManagementUserAccess as Behaviour>::READINGS[usize::from(r)]
        }
        reading => reading,
    };
    if act.covered_by(reading) {
        return refuse(Exception::AccessDeniedException, Rule::Idc2);
    }
    Ok(())
}

/// Q6 `also-side-effects`: the delegate may not delete, even as a side effect, an assignment
/// that targets the management account (IDC-2).
fn side_effect_on_management(
    cfg: &Config,
    role: Role,
    deletes_management_assignment: bool,
    ch: &mut Chooser,
) -> Result<(), Refusal> {
    management_user_access(
        cfg,
        role,
        ManagementUserAccessAct::SideEffect,
        deletes_management_assignment,
        ch,
    )
}
