//! IAM Identity Center: the organization instance and account instances (IDC-1, IDC-1a),
//! permission sets and their provisioning (IDC-2, IDC-8, IDC-9), account assignments
//! (IDC-2, IDC-5, IDC-6, IDC-10), the management account's practices (IDC-7), and the
//! clean-up when an account departs (ORG-4, Q5).

use super::{
    admin, api, guard, management_user_access, refuse, side_effect_on_management, signed_in,
    ManagementUserAccessAct, Role, M,
};
use crate::account::{Acct, PermissionSet, Principal, MAX_ACCOUNTS};
use crate::assumptions::{DepartedAccountAssignments, LastAssignmentDeprovisions};
use crate::branch::Chooser;
use crate::call::{IdentitySource, InstanceRef};
use crate::config::Config;
use crate::error::{Exception, Refusal};
use crate::practice::Practice;
use crate::rules::Rule;
use crate::state::State;

const MAX_PS: usize = crate::account::MAX_IDENTITIES as usize;

/// `EnableIdentityCenter` (console): the management account enables the organization
/// instance, which enables trusted access (IDC-1, ORG-5).
pub(super) fn enable_identity_center(
    cfg: &Config,
    s: &State,
    caller: Acct,
) -> Result<State, Refusal> {
    signed_in(cfg, s, caller)?;
    if guard(cfg, Rule::Idc1, !caller.is_management()) {
        return refuse(Exception::AccessDeniedException, Rule::Idc1);
    }
    if s.instance.is_some() {
        return api(Exception::ConflictException);
    }
    let mut next = s.clone();
    next.instance = Some(caller);
    // ORG-5: enabling IAM Identity Center enables trusted access.
    next.trusted_access = true;
    Ok(next)
}

/// `CreateInstance`: an account instance in the caller's account, never in the management
/// account, one per account (IDC-1a). It serves only its own account.
pub(super) fn create_instance(cfg: &Config, s: &State, caller: Acct) -> Result<State, Refusal> {
    signed_in(cfg, s, caller)?;
    // IDC-1a: "Organization management account is not allowed to perform the operation."
    if guard(cfg, Rule::Idc1a, caller.is_management()) {
        return refuse(Exception::ValidationException, Rule::Idc1a);
    }
    if guard(cfg, Rule::Idc1a, s.account_instances & caller.bit() != 0) {
        return refuse(Exception::ConflictException, Rule::Idc1a);
    }
    let mut next = s.clone();
    next.account_instances |= caller.bit();
    Ok(next)
}

/// `DeleteInstance`: only an instance's owner deletes it; the organization instance only
/// the management account (IDC-1, IDC-1a). Deleting the organization instance deletes its
/// configuration: identities, permission sets, provisioning, assignments, the identity
/// source (back to the Identity Center directory).
pub(super) fn delete_instance(
    cfg: &Config,
    s: &State,
    caller: Acct,
    which: InstanceRef,
) -> Result<State, Refusal> {
    signed_in(cfg, s, caller)?;
    let mut next = s.clone();
    match which {
        InstanceRef::Organization => {
            if guard(cfg, Rule::Idc1, !caller.is_management()) {
                return refuse(Exception::AccessDeniedException, Rule::Idc1);
            }
            if s.instance.is_none() {
                return api(Exception::ValidationException);
            }
            next.instance = None;
            next.clear_identities();
            next.permission_sets = 0;
            next.provisioned = [0; MAX_PS];
            next.source = IdentitySource::IdentityCenterDirectory;
            next.idp_admins = 0;
            next.ad_sync = false;
            next.ad_sync_paused = false;
        }
        InstanceRef::Account(owner) => {
            if guard(cfg, Rule::Idc1a, owner != caller) {
                return refuse(Exception::AccessDeniedException, Rule::Idc1a);
            }
            if s.account_instances & owner.bit() == 0 {
                return api(Exception::ValidationException);
            }
            next.account_instances &= !owner.bit();
        }
    }
    Ok(next)
}

/// `CreatePermissionSet`.
pub(super) fn create_permission_set(
    cfg: &Config,
    s: &State,
    caller: Acct,
    ps: PermissionSet,
) -> Result<State, Refusal> {
    admin(cfg, s, caller)?;
    if s.has_permission_set(ps) {
        return api(Exception::ConflictException);
    }
    let mut next = s.clone();
    next.permission_sets |= ps.bit();
    Ok(next)
}

/// IDC-2: the delegate can't manage permission sets provisioned in the management account.
fn not_a_management_set(
    cfg: &Config,
    s: &State,
    role: Role,
    ps: PermissionSet,
) -> Result<(), Refusal> {
    if role == Role::Delegate && guard(cfg, Rule::Idc2, s.is_provisioned(ps, M)) {
        return refuse(Exception::AccessDeniedException, Rule::Idc2);
    }
    Ok(())
}

/// `UpdatePermissionSet` (IDC-2). The policies themselves are not modelled: an update
/// changes no state, only the ghost facts see it (an update is judged by who made it).
pub(super) fn update_permission_set(
    cfg: &Config,
    s: &State,
    caller: Acct,
    ps: PermissionSet,
) -> Result<State, Refusal> {
    let role = admin(cfg, s, caller)?;
    if !s.has_permission_set(ps) {
        return api(Exception::ResourceNotFoundException);
    }
    not_a_management_set(cfg, s, role, ps)?;
    Ok(s.clone())
}

/// `DeletePermissionSet` (IDC-2; IDC-9: refused while provisioned anywhere).
pub(super) fn delete_permission_set(
    cfg: &Config,
    s: &State,
    caller: Acct,
    ps: PermissionSet,
    ch: &mut Chooser,
) -> Result<State, Refusal> {
    let role = admin(cfg, s, caller)?;
    if !s.has_permission_set(ps) {
        return api(Exception::ResourceNotFoundException);
    }
    not_a_management_set(cfg, s, role, ps)?;
    if guard(cfg, Rule::Idc9, s.provisioned[ps.0 as usize] != 0) {
        return refuse(Exception::ConflictException, Rule::Idc9);
    }
    // Only with IDC-9 relaxed is the set still provisioned, with assignments; and only with
    // IDC-2 relaxed too can the delegate get here for a set in the management account.
    side_effect_on_management(cfg, role, s.assigned(ps, M) != 0, ch)?;
    let mut next = s.clone();
    next.permission_sets &= !ps.bit();
    next.provisioned[ps.0 as usize] = 0;
    for a in 0..cfg.accounts() {
        *next.assigned_mut(ps, Acct(a)) = 0;
    }
    Ok(next)
}

/// The checks shared by the calls that act on a permission set in an account: the set
/// exists, and the delegate neither targets the management account (IDC-2: for an account
/// assignment, "user access in the management account" as Q6 reads it; for provisioning,
/// its permission sets) nor uses a set provisioned there (IDC-5 for assignments, IDC-2
/// otherwise). `principal` is the assignment's, `None` for provisioning.
fn delegate_may_use(
    cfg: &Config,
    s: &State,
    role: Role,
    ps: PermissionSet,
    target: Acct,
    principal: Option<Principal>,
    ch: &mut Chooser,
) -> Result<(), Refusal> {
    if role == Role::Delegate {
        let in_management = target.is_management();
        match principal {
            Some(Principal::User(_)) => management_user_access(
                cfg,
                role,
                ManagementUserAccessAct::UserAssignment,
                in_management,
                ch,
            )?,
            Some(Principal::Group(_)) => management_user_access(
                cfg,
                role,
                ManagementUserAccessAct::GroupAssignment,
                in_management,
                ch,
            )?,
            None => {
                if guard(cfg, Rule::Idc2, in_management) {
                    return refuse(Exception::AccessDeniedException, Rule::Idc2);
                }
            }
        }
        let set_rule = if principal.is_some() {
            Rule::Idc5
        } else {
            Rule::Idc2
        };
        if guard(cfg, set_rule, s.is_provisioned(ps, M)) {
            return refuse(Exception::AccessDeniedException, set_rule);
        }
    }
    Ok(())
}

/// ORG-4: an account outside the organization, or closed, no longer works with IAM
/// Identity Center (nothing can be assigned or provisioned to it).
fn active_target(cfg: &Config, s: &State, target: Acct) -> Result<(), Refusal> {
    if guard(cfg, Rule::Org4, !s.is_active(target)) {
        return refuse(Exception::ValidationException, Rule::Org4);
    }
    Ok(())
}

/// IDC-10: with trusted access disabled, nothing is assigned or provisioned into a member
/// account.
fn trusted_access_for(cfg: &Config, s: &State, target: Acct) -> Result<(), Refusal> {
    if guard(
        cfg,
        Rule::Idc10,
        !s.trusted_access && !target.is_management(),
    ) {
        return refuse(Exception::ValidationException, Rule::Idc10);
    }
    Ok(())
}

/// `ProvisionPermissionSet` to one account (IDC-8, IDC-2, IDC-10, ORG-4).
pub(super) fn provision_permission_set(
    cfg: &Config,
    s: &State,
    caller: Acct,
    ps: PermissionSet,
    target: Acct,
    ch: &mut Chooser,
) -> Result<State, Refusal> {
    let role = admin(cfg, s, caller)?;
    active_target(cfg, s, target)?;
    if !s.has_permission_set(ps) {
        return api(Exception::ResourceNotFoundException);
    }
    delegate_may_use(cfg, s, role, ps, target, None, ch)?;
    trusted_access_for(cfg, s, target)?;
    if role == Role::Management {
        sets_only_for_management(cfg, s, target, ps)?;
    }
    let mut next = s.clone();
    next.provisioned[ps.0 as usize] |= target.bit();
    Ok(next)
}

/// `RemovePermissionSetFromAccount` (console): deletes the set's role in the account and
/// every assignment there that uses it (IDC-8, IDC-2). Allowed for a departed account too
/// (clean-up of what Q5 `kept` left).
pub(super) fn remove_permission_set_from_account(
    cfg: &Config,
    s: &State,
    caller: Acct,
    ps: PermissionSet,
    target: Acct,
    ch: &mut Chooser,
) -> Result<State, Refusal> {
    let role = admin(cfg, s, caller)?;
    if !s.has_permission_set(ps) {
        return api(Exception::ResourceNotFoundException);
    }
    delegate_may_use(cfg, s, role, ps, target, None, ch)?;
    if !s.is_provisioned(ps, target) {
        return api(Exception::ResourceNotFoundException);
    }
    let mut next = s.clone();
    next.provisioned[ps.0 as usize] &= !target.bit();
    *next.assigned_mut(ps, target) = 0;
    Ok(next)
}

/// `CreateAccountAssignment`: provisions the set to the account (IDC-6; IDC-2, IDC-5,
/// IDC-7, IDC-10, ORG-4).
pub(super) fn create_account_assignment(
    cfg: &Config,
    s: &State,
    caller: Acct,
    target: Acct,
    ps: PermissionSet,
    principal: Principal,
    ch: &mut Chooser,
) -> Result<State, Refusal> {
    let role = admin(cfg, s, caller)?;
    active_target(cfg, s, target)?;
    if !s.has_permission_set(ps) || !s.has_principal(principal) {
        return api(Exception::ResourceNotFoundException);
    }
    delegate_may_use(cfg, s, role, ps, target, Some(principal), ch)?;
    trusted_access_for(cfg, s, target)?;
    if role == Role::Management {
        management_practices(cfg, s, target, ps, principal)?;
    }
    let bit = principal.bit();
    if s.assigned(ps, target) & bit != 0 {
        return api(Exception::ConflictException);
    }
    let mut next = s.clone();
    *next.assigned_mut(ps, target) |= bit;
    // IDC-6: an assignment provisions the permission set to the account.
    next.provisioned[ps.0 as usize] |= target.bit();
    Ok(next)
}

/// `DeleteAccountAssignment` (IDC-2, IDC-5; IDC-8: A3). A stale assignment to a departed or
/// closed account (Q5 `kept`) can be deleted.
pub(super) fn delete_account_assignment(
    cfg: &Config,
    s: &State,
    caller: Acct,
    target: Acct,
    ps: PermissionSet,
    principal: Principal,
    ch: &mut Chooser,
) -> Result<State, Refusal> {
    let role = admin(cfg, s, caller)?;
    if !s.has_permission_set(ps) || !s.has_principal(principal) {
        return api(Exception::ResourceNotFoundException);
    }
    delegate_may_use(cfg, s, role, ps, target, Some(principal), ch)?;
    let bit = principal.bit();
    if s.assigned(ps, target) & bit == 0 {
        return api(Exception::ResourceNotFoundException);
    }
    let mut next = s.clone();
    *next.assigned_mut(ps, target) &= !bit;
    deprovision_emptied(cfg, s, &mut next, ch);
    Ok(next)
}

/// IDC-8, A3: where a step deleted the last assignment of a permission set in an account,
/// the set may be deprovisioned there (undocumented). Called by every step that deletes
/// assignments through IAM Identity Center or its identity store.
pub(super) fn deprovision_emptied(cfg: &Config, s: &State, next: &mut State, ch: &mut Chooser) {
    let mut emptied = [0u8; MAX_PS];
    let mut any = false;
    for (ps, cells) in emptied.iter_mut().enumerate() {
        for a in 0..MAX_ACCOUNTS {
            let i = ps * MAX_ACCOUNTS + a;
            if s.assignments[i] != 0
                && next.assignments[i] == 0
                && next.provisioned[ps] & (1 << a) != 0
            {
                *cells |= 1 << a;
                any = true;
            }
        }
    }
    if any
        && ch.pick(cfg.assumptions.last_assignment_deprovisions)
            == LastAssignmentDeprovisions::Deprovisions
    {
        for (provisioned, cells) in next.provisioned.iter_mut().zip(emptied) {
            *provisioned &= !cells;
        }
    }
}

/// ORG-4, Q5: an account left or closed; IAM Identity Center cleans up its resources —
/// whether that deletes its assignments and provisioned sets is undocumented.
pub(super) fn account_departed(cfg: &Config, next: &mut State, a: Acct, ch: &mut Chooser) {
    let holds = next.has_assignments_to(a) || next.provisioned.iter().any(|p| p & a.bit() != 0);
    if holds
        && ch.pick(cfg.assumptions.departed_account_assignments)
            == DepartedAccountAssignments::Deleted
    {
        next.clear_account(a);
    }
}

/// IDC-7: the best practices the management account follows when it assigns.
fn management_practices(
    cfg: &Config,
    s: &State,
    target: Acct,
    ps: PermissionSet,
    principal: Principal,
) -> Result<(), Refusal> {
    if cfg.practices.contains(Practice::UsersOnlyInManagement)
        && target.is_management()
        && matches!(principal, Principal::Group(_))
    {
        return Err(Refusal::Practice(Practice::UsersOnlyInManagement));
    }
    sets_only_for_management(cfg, s, target, ps)
}

/// IDC-7: a permission set is provisioned in the management account or in members, never
/// both (when the management account follows that practice).
fn sets_only_for_management(
    cfg: &Config,
    s: &State,
    target: Acct,
    ps: PermissionSet,
) -> Result<(), Refusal> {
    if cfg
        .practices
        .contains(Practice::PermissionSetsOnlyForManagement)
    {
        let in_members = s.provisioned[ps.0 as usize] & !M.bit() != 0;
        let mixes = if target.is_management() {
            in_members
        } else {
            s.is_provisioned(ps, M)
        };
        if mixes {
            return Err(Refusal::Practice(Practice::PermissionSetsOnlyForManagement));
        }
    }
    Ok(())
}
