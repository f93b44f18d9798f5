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
pub use identity_source::directory_owner_allowed;

use crate::access::assigned_users;
use crate::account::{bits, Acct, PermissionSet};
use crate::assumptions::ManagementUserAccess;
use crate::branch::{Branch, Chooser};
use crate::call::{Call, Op};
use crate::config::Config;
use crate::error::{ApiError, Exception, Reason, Refusal};
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
    // Depth-first over the decisions met: at most 7 decisions of at most 4 readings each
    // are pending at once.
    let mut stack = [Branch::NONE; 32];
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
    use identity_center as idc;
    use identity_source as src;
    use identity_store as store;
    use organizations as org;
    let mut next = match call.op {
        // AWS Organizations: membership (organizations.rs).
        Op::InviteAccountToOrganization(t) => org::invite(cfg, s, c, t),
        Op::AcceptHandshake => org::accept_handshake(cfg, s, c),
        Op::LeaveOrganization => org::leave(cfg, s, c, ch),
        Op::RemoveAccountFromOrganization(t) => org::remove(cfg, s, c, t, ch),
        Op::CloseAccount(t) => org::close_account(cfg, s, c, t, ch),
        Op::CloseOwnAccount => org::close_own_account(cfg, s, c, ch),
        // AWS Organizations: trusted access and the registry (delegation.rs).
        Op::EnableAwsServiceAccess => delegation::enable_service_access(cfg, s, c),
        Op::DisableAwsServiceAccess => delegation::disable_service_access(cfg, s, c, ch),
        Op::RegisterDelegatedAdministrator(t) => delegation::register(cfg, s, c, t, ch),
        Op::DeregisterDelegatedAdministrator(t) => delegation::deregister(cfg, s, c, t, ch),
        // IAM Identity Center: instances, permission sets, assignments (identity_center.rs).
        Op::EnableIdentityCenter => idc::enable_identity_center(cfg, s, c),
        Op::CreateInstance => idc::create_instance(cfg, s, c),
        Op::DeleteInstance(i) => idc::delete_instance(cfg, s, c, i),
        Op::CreatePermissionSet(ps) => idc::create_permission_set(cfg, s, c, ps),
        Op::UpdatePermissionSet(ps) => idc::update_permission_set(cfg, s, c, ps),
        Op::DeletePermissionSet(ps) => idc::delete_permission_set(cfg, s, c, ps),
        Op::ProvisionPermissionSet {
            permission_set,
            target,
        } => idc::provision_permission_set(cfg, s, c, permission_set, target),
        Op::RemovePermissionSetFromAccount {
            permission_set,
            target,
        } => idc::remove_permission_set_from_account(cfg, s, c, permission_set, target),
        Op::CreateAccountAssignment {
            target,
            permission_set,
            principal,
        } => idc::create_account_assignment(cfg, s, c, target, permission_set, principal),
        Op::DeleteAccountAssignment {
            target,
            permission_set,
            principal,
        } => idc::delete_account_assignment(cfg, s, c, target, permission_set, principal, ch),
        // The identity source (identity_source.rs).
        Op::ChangeIdentitySource(new) => src::change_identity_source(cfg, s, c, new, ch),
        Op::EnableConfigurableAdSync => src::set_ad_sync(cfg, s, c, true),
        Op::DisableConfigurableAdSync => src::set_ad_sync(cfg, s, c, false),
        Op::CreateDirectory => src::create_directory(cfg, s, c),
        // Users, groups, memberships: the identity store and the directory side
        // (identity_store.rs).
        Op::CreateUser(u) => store::create_user(cfg, s, c, u),
        Op::DeleteUser(u) => store::delete_user(cfg, s, c, u, ch),
        Op::CreateGroup(g) => store::create_group(cfg, s, c, g),
        Op::DeleteGroup(g) => store::delete_group(cfg, s, c, g, ch),
        Op::CreateGroupMembership(g, u) => store::set_membership(cfg, s, c, g, u, true),
        Op::DeleteGroupMembership(g, u) => store::set_membership(cfg, s, c, g, u, false),
        Op::DirectoryCreateUser(u) => store::directory_create_user(cfg, s, c, u),
        Op::DirectoryDeleteUser(u) => store::directory_delete_user(cfg, s, c, u),
        Op::DirectoryCreateGroup(g) => store::directory_create_group(cfg, s, c, g),
        Op::DirectoryDeleteGroup(g) => store::directory_delete_group(cfg, s, c, g),
        Op::DirectoryAddGroupMember(g, u) => store::directory_membership(cfg, s, c, g, u, true),
        Op::DirectoryRemoveGroupMember(g, u) => store::directory_membership(cfg, s, c, g, u, false),
        Op::DirectoryResetUserPassword(u) => store::directory_reset_password(cfg, s, c, u),
    }?;
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

/// The ghost facts of the step `s --call--> next` (see [`ghost`]).
fn ghost_facts(s: &State, next: &State, call: Call) -> u16 {
    let mut g = 0;
    if !call.caller.is_management() {
        let (before, after) = (assigned_users(s, M), assigned_users(next, M));
        if before != after {
            g |= ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER;
        }
        if after & !before != 0 {
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

/// ORG-2: a closed (SUSPENDED) account can't sign in, so it calls nothing.
fn signed_in(cfg: &Config, s: &State, caller: Acct) -> Result<(), Refusal> {
    if guard(cfg, Rule::Org2, s.is_closed(caller)) {
        return refuse(Exception::AccessDeniedException, Rule::Org2);
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

/// Q6 `also-side-effects`: the delegate may not delete, even as a side effect, an assignment
/// that targets the management account (IDC-2).
fn side_effect_on_management(
    cfg: &Config,
    role: Role,
    deletes_management_assignment: bool,
) -> Result<(), Refusal> {
    let applies = role == Role::Delegate
        && cfg.assumptions.management_user_access == ManagementUserAccess::AlsoSideEffects;
    if applies && guard(cfg, Rule::Idc2, deletes_management_assignment) {
        return refuse(Exception::AccessDeniedException, Rule::Idc2);
    }
    Ok(())
}
