//! The transition function: a call either yields the next state or the API's refusal.
//!
//! Every guard names the rule it enforces; a relaxed rule's guard is skipped. Where several
//! guards refuse a call, the first in the order written here is reported (the API's own
//! order is not documented).

use crate::account::{Acct, Principal};
use crate::assumptions::{
    AdSyncOnConnect, AdToOtherDirectory, CloseDelegate, DepartedAccountAssignments,
    DisableTrustedAccessWithDelegate, ManagementUserAccess, SecondDelegateError, Src2EnforcedAt,
};
use crate::call::{Call, IdentitySource, Op, Service};
use crate::config::Config;
use crate::error::{ApiError, Exception, Reason, Refusal};
use crate::practice::Practice;
use crate::rules::Rule;
use crate::state::{ghost, State};

const M: Acct = Acct::MANAGEMENT;

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

/// Applies a call: the next state (ghost facts included) or the refusal.
///
/// Never panics, whatever the call, as long as its accounts and identities are within
/// the configuration (see [`Config::validate`] and [`crate::calls::call_in_range`]).
pub fn step(cfg: &Config, s: &State, call: Call) -> Result<State, Refusal> {
    let mut next = apply(cfg, s, call)?;
    let caller = call.caller;
    if caller.is_management() && cfg.practices.contains(Practice::LeastPrivilegeInManagement) {
        // IDC-7: the management account never lets a second user reach itself.
        let (before, after) = (s.assigned_users(M), next.assigned_users(M));
        if after.count_ones() > 1 && after & !before != 0 {
            return Err(Refusal::Practice(Practice::LeastPrivilegeInManagement));
        }
    }
    next.ghost = ghost_facts(s, &next, call);
    Ok(next)
}

/// The ghost facts of the step `s --call--> next` (see [`ghost`]).
fn ghost_facts(s: &State, next: &State, call: Call) -> u8 {
    let mut g = 0;
    if !call.caller.is_management() {
        let (before, after) = (s.assigned_users(M), next.assigned_users(M));
        if before != after {
            g |= ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER;
        }
        if after & !before != 0 {
            g |= ghost::MANAGEMENT_ACCESS_GRANTED_BY_OTHER;
        }
        // Only administration (IAM Identity Center, Identity Store) counts as altering a
        // permission set: a member leaving the organization deprovisions as a side effect.
        let administers = matches!(
            call.op.service(),
            Service::IdentityCenter | Service::IdentityStore
        );
        for ps in crate::account::bits(if administers { s.permission_sets } else { 0 }) {
            if s.provisioned[ps as usize] & M.bit() != 0 {
                let bit = 1 << ps;
                let changed = (s.permission_sets ^ next.permission_sets) & bit != 0
                    || (s.ps_revision ^ next.ps_revision) & bit != 0
                    || s.provisioned[ps as usize] != next.provisioned[ps as usize];
                if changed {
                    g |= ghost::DELEGATE_ALTERED_MANAGEMENT_PERMISSION_SET;
                }
            }
        }
        if s.delegates != next.delegates {
            g |= ghost::REGISTRY_CHANGED_BY_OTHER;
        }
        if administers && !s.is_delegate(call.caller) && changed_apart_from_ghost(s, next) {
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

/// Checks an Organizations caller: a closed account can't sign in (ORG-2); an account
/// outside the organization gets `AWSOrganizationsNotInUseException` (ORG-1).
fn org_caller(cfg: &Config, s: &State, caller: Acct) -> Result<(), Refusal> {
    if guard(cfg, Rule::Org2, s.is_closed(caller)) {
        return refuse(Exception::AccessDeniedException, Rule::Org2);
    }
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

/// Checks an IAM Identity Center / Identity Store administrator and the instance.
fn admin(cfg: &Config, s: &State, caller: Acct) -> Result<Role, Refusal> {
    if guard(cfg, Rule::Org2, s.is_closed(caller)) {
        return refuse(Exception::AccessDeniedException, Rule::Org2);
    }
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

/// An account leaves the organization (left, removed): ORG-4 and Q5.
fn depart(cfg: &Config, next: &mut State, a: Acct) {
    next.in_org &= !a.bit();
    next.invited &= !a.bit();
    if cfg.assumptions.departed_account_assignments == DepartedAccountAssignments::Deleted {
        next.clear_account(a);
    }
}

fn apply(cfg: &Config, s: &State, call: Call) -> Result<State, Refusal> {
    let caller = call.caller;
    let mut next = s.clone();
    match call.op {
        // ---------------------------------------------------------------- Organizations
        Op::InviteAccountToOrganization(t) => {
            org_caller(cfg, s, caller)?;
            management_only(cfg, caller, Rule::Org2)?;
            if s.in_org(t) {
                return Err(Refusal::Api {
                    error: ApiError {
                        exception: Exception::HandshakeConstraintViolationException,
                        reason: Some(Reason::ALREADY_IN_AN_ORGANIZATION),
                    },
                    rule: None,
                });
            }
            if s.is_closed(t) {
                return api(Exception::AccountNotFoundException);
            }
            if s.invited & t.bit() != 0 {
                return api(Exception::DuplicateHandshakeException);
            }
            next.invited |= t.bit();
        }
        Op::AcceptHandshake => {
            if guard(cfg, Rule::Org2, s.is_closed(caller)) {
                return refuse(Exception::AccessDeniedException, Rule::Org2);
            }
            if s.invited & caller.bit() == 0 {
                return api(Exception::HandshakeNotFoundException);
            }
            next.invited &= !caller.bit();
            next.in_org |= caller.bit();
        }
        Op::LeaveOrganization => {
            org_caller(cfg, s, caller)?;
            if guard(cfg, Rule::Org2, caller.is_management()) {
                return refuse(
                    Exception::MasterCannotLeaveOrganizationException,
                    Rule::Org2,
                );
            }
            if guard(cfg, Rule::Org3, s.is_delegate(caller)) {
                return refuse_constraint(
                    Reason::CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG,
                    Rule::Org3,
                );
            }
            depart(cfg, &mut next, caller);
        }
        Op::RemoveAccountFromOrganization(t) => {
            org_caller(cfg, s, caller)?;
            management_only(cfg, caller, Rule::Org2)?;
            if guard(cfg, Rule::Org2, t.is_management()) {
                return refuse(
                    Exception::MasterCannotLeaveOrganizationException,
                    Rule::Org2,
                );
            }
            if !s.in_org(t) {
                return api(Exception::AccountNotFoundException);
            }
            if guard(cfg, Rule::Org3, s.is_delegate(t)) {
                return refuse_constraint(
                    Reason::CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG,
                    Rule::Org3,
                );
            }
            depart(cfg, &mut next, t);
        }
        Op::CloseAccount(t) => {
            org_caller(cfg, s, caller)?;
            management_only(cfg, caller, Rule::Org2)?;
            if guard(cfg, Rule::Org2, t.is_management()) {
                return refuse_constraint(Reason::CANNOT_CLOSE_MANAGEMENT_ACCOUNT, Rule::Org2);
            }
            if !s.in_org(t) {
                return api(Exception::AccountNotFoundException);
            }
            if s.is_closed(t) {
                return api(Exception::AccountAlreadyClosedException);
            }
            if s.is_delegate(t) {
                // Q3: undocumented; the default treats closure like removal (ORG-3).
                match cfg.assumptions.close_delegate {
                    CloseDelegate::Refused if cfg.enforces(Rule::Org3) => {
                        return refuse_constraint(
                            Reason::CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG,
                            Rule::Org3,
                        );
                    }
                    CloseDelegate::Deregisters => next.delegates &= !t.bit(),
                    _ => {}
                }
            }
            next.closed |= t.bit();
            if cfg.assumptions.departed_account_assignments == DepartedAccountAssignments::Deleted {
                next.clear_account(t);
            }
        }
        Op::EnableAwsServiceAccess => {
            org_caller(cfg, s, caller)?;
            management_only(cfg, caller, Rule::Org5)?;
            next.trusted_access = true;
        }
        Op::DisableAwsServiceAccess => {
            org_caller(cfg, s, caller)?;
            management_only(cfg, caller, Rule::Org5)?;
            if s.delegates != 0 {
                // Q2: undocumented.
                match cfg.assumptions.disable_trusted_access_with_delegate {
                    DisableTrustedAccessWithDelegate::Refused if cfg.enforces(Rule::Org5) => {
                        return refuse_constraint(
                            Reason::DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE,
                            Rule::Org5,
                        );
                    }
                    DisableTrustedAccessWithDelegate::Deregisters => next.delegates = 0,
                    _ => {}
                }
            }
            next.trusted_access = false;
        }
        Op::RegisterDelegatedAdministrator(t) => {
            org_caller(cfg, s, caller)?;
            management_only(cfg, caller, Rule::Da1)?;
            if guard(cfg, Rule::Da4, !s.trusted_access) {
                return refuse_constraint(Reason::SERVICE_ACCESS_NOT_ENABLED, Rule::Da4);
            }
            if guard(cfg, Rule::Da2, t.is_management()) {
                return refuse_constraint(
                    Reason::CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR,
                    Rule::Da2,
                );
            }
            if guard(cfg, Rule::Da5, !s.in_org(t)) {
                return refuse(Exception::AccountNotFoundException, Rule::Da5);
            }
            if guard(cfg, Rule::Da3, s.is_closed(t)) {
                return refuse_constraint(
                    Reason::CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR,
                    Rule::Da3,
                );
            }
            if s.is_delegate(t) {
                // DA-6 is the registry's own uniqueness: relaxing it changes nothing.
                return refuse(Exception::AccountAlreadyRegisteredException, Rule::Da6);
            }
            if guard(cfg, Rule::Da7, s.delegates != 0) {
                // Q1: the error is undocumented.
                return match cfg.assumptions.second_delegate_error {
                    SecondDelegateError::DelegatedAdminExists => refuse_constraint(
                        Reason::DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE,
                        Rule::Da7,
                    ),
                    SecondDelegateError::AccountAlreadyRegistered => {
                        refuse(Exception::AccountAlreadyRegisteredException, Rule::Da7)
                    }
                };
            }
            if guard(cfg, Rule::Da9, s.source.is_ad() && !s.ad_sync) {
                return refuse(Exception::ValidationException, Rule::Da9);
            }
            if let IdentitySource::ActiveDirectory(owner) = s.source {
                let at_registration = matches!(
                    cfg.assumptions.src2_enforced_at,
                    Src2EnforcedAt::AlsoRegistration | Src2EnforcedAt::Everywhere
                );
                if at_registration && guard(cfg, Rule::Src2, owner != t) {
                    return refuse(Exception::ValidationException, Rule::Src2);
                }
            }
            next.delegates |= t.bit();
        }
        Op::DeregisterDelegatedAdministrator(t) => {
            org_caller(cfg, s, caller)?;
            management_only(cfg, caller, Rule::Da1)?;
            if guard(cfg, Rule::Da5, !s.in_org(t)) {
                return refuse(Exception::AccountNotFoundException, Rule::Da5);
            }
            if !s.is_delegate(t) {
                // DA-8 is the registry's own membership test: relaxing it changes nothing.
                return refuse(Exception::AccountNotRegisteredException, Rule::Da8);
            }
            // DA-10: only the registry changes.
            next.delegates &= !t.bit();
            if let IdentitySource::ActiveDirectory(owner) = s.source {
                let at_deregistration = matches!(
                    cfg.assumptions.src2_enforced_at,
                    Src2EnforcedAt::AlsoDeregistration | Src2EnforcedAt::Everywhere
                );
                if at_deregistration && guard(cfg, Rule::Src2, !next.src2_owner_ok(owner)) {
                    return refuse(Exception::ValidationException, Rule::Src2);
                }
            }
        }

        // ---------------------------------------------------------- IAM Identity Center
        Op::CreateInstance => {
            if guard(cfg, Rule::Org2, s.is_closed(caller)) {
                return refuse(Exception::AccessDeniedException, Rule::Org2);
            }
            if guard(cfg, Rule::Idc1, !caller.is_management()) {
                return refuse(Exception::AccessDeniedException, Rule::Idc1);
            }
            if s.instance.is_some() {
                return api(Exception::ConflictException);
            }
            next.instance = Some(caller);
            // ORG-5: enabling IAM Identity Center enables trusted access.
            next.trusted_access = true;
        }
        Op::DeleteInstance => {
            if guard(cfg, Rule::Org2, s.is_closed(caller)) {
                return refuse(Exception::AccessDeniedException, Rule::Org2);
            }
            if guard(cfg, Rule::Idc1, !caller.is_management()) {
                return refuse(Exception::AccessDeniedException, Rule::Idc1);
            }
            if s.instance.is_none() {
                return api(Exception::ResourceNotFoundException);
            }
            next.instance = None;
            next.clear_identities();
            next.permission_sets = 0;
            next.ps_revision = 0;
            next.provisioned = Default::default();
            next.source = IdentitySource::IdentityCenterDirectory;
            next.ad_sync = false;
        }
        Op::ChangeIdentitySource(new) => {
            // SRC-3: the management account and the delegated administrator may do it.
            let role = admin(cfg, s, caller)?;
            let current = s.source;
            if new == current {
                return api(Exception::ValidationException);
            }
            if let IdentitySource::ActiveDirectory(owner) = new {
                if s.directories & owner.bit() == 0 {
                    return api(Exception::ResourceNotFoundException);
                }
            }
            // SRC-2: every directory the change involves must be owned by the delegated
            // administrator if one exists, else by the management account.
            for side in [current, new] {
                if let IdentitySource::ActiveDirectory(owner) = side {
                    if guard(cfg, Rule::Src2, !s.src2_owner_ok(owner)) {
                        return refuse(Exception::ValidationException, Rule::Src2);
                    }
                }
            }
            // SRC-4: what the change does to users, groups and assignments.
            use IdentitySource::{
                ActiveDirectory as Ad, ExternalIdp as Ext, IdentityCenterDirectory as Idc,
            };
            let wipes = match (current, new) {
                (Idc, Ext) | (Ext, Idc) | (Ext, Ext) | (Idc, Idc) => false,
                (Idc, Ad(_)) | (Ad(_), Ext) | (Ext, Ad(_)) => true,
                // A2: SRC-4 is silent on these.
                (Ad(_), Idc) | (Ad(_), Ad(_)) => {
                    cfg.assumptions.ad_to_other_directory == AdToOtherDirectory::DeletesIdentities
                }
            };
            if wipes {
                side_effect_on_management(cfg, role, s.assigned_to_management_any())?;
                next.clear_identities();
            }
            next.source = new;
            next.ad_sync = new.is_ad() && cfg.assumptions.ad_sync_on_connect == AdSyncOnConnect::On;
        }
        Op::EnableConfigurableAdSync | Op::DisableConfigurableAdSync => {
            admin(cfg, s, caller)?;
            if !s.source.is_ad() {
                return api(Exception::ValidationException);
            }
            next.ad_sync = matches!(call.op, Op::EnableConfigurableAdSync);
        }
        Op::CreatePermissionSet(ps) => {
            admin(cfg, s, caller)?;
            if s.has_permission_set(ps) {
                return api(Exception::ConflictException);
            }
            next.permission_sets |= ps.bit();
            next.ps_revision &= !ps.bit();
        }
        Op::UpdatePermissionSet(ps) | Op::DeletePermissionSet(ps) => {
            let role = admin(cfg, s, caller)?;
            if !s.has_permission_set(ps) {
                return api(Exception::ResourceNotFoundException);
            }
            // IDC-2: the delegate can't manage permission sets provisioned in the
            // management account.
            if role == Role::Delegate && guard(cfg, Rule::Idc2, s.is_provisioned(ps, M)) {
                return refuse(Exception::AccessDeniedException, Rule::Idc2);
            }
            if let Op::UpdatePermissionSet(_) = call.op {
                next.ps_revision ^= ps.bit();
            } else {
                side_effect_on_management(cfg, role, s.assigned(ps, M) != 0)?;
                next.permission_sets &= !ps.bit();
                next.ps_revision &= !ps.bit();
                next.provisioned[ps.0 as usize] = 0;
                for a in 0..cfg.accounts() {
                    *next.assigned_mut(ps, Acct(a)) = 0;
                }
            }
        }
        Op::CreateAccountAssignment {
            target,
            permission_set: ps,
            principal,
        }
        | Op::DeleteAccountAssignment {
            target,
            permission_set: ps,
            principal,
        } => {
            let create = matches!(call.op, Op::CreateAccountAssignment { .. });
            let role = admin(cfg, s, caller)?;
            // ORG-4: an account outside the organization, or closed, no longer works with
            // IAM Identity Center.
            if guard(cfg, Rule::Org4, !s.is_active(target)) {
                return refuse(Exception::ValidationException, Rule::Org4);
            }
            if !s.has_permission_set(ps) || !s.has_principal(principal) {
                return api(Exception::ResourceNotFoundException);
            }
            if role == Role::Delegate {
                // IDC-2 (Q6): no user access in the management account.
                if guard(cfg, Rule::Idc2, target.is_management()) {
                    return refuse(Exception::AccessDeniedException, Rule::Idc2);
                }
                // IDC-5: not with a permission set provisioned in the management account.
                if guard(cfg, Rule::Idc5, s.is_provisioned(ps, M)) {
                    return refuse(Exception::AccessDeniedException, Rule::Idc5);
                }
            }
            let bit = principal.bit();
            let assigned = s.assigned(ps, target) & bit != 0;
            if create {
                if role == Role::Management {
                    management_practices(cfg, s, target, ps, principal)?;
                }
                if assigned {
                    return api(Exception::ConflictException);
                }
                *next.assigned_mut(ps, target) |= bit;
                // IDC-6: an assignment provisions the permission set to the account.
                next.provisioned[ps.0 as usize] |= target.bit();
            } else {
                if !assigned {
                    return api(Exception::ResourceNotFoundException);
                }
                *next.assigned_mut(ps, target) &= !bit;
            }
        }

        // --------------------------------------------------------------- Identity Store
        Op::CreateUser(u) => {
            admin(cfg, s, caller)?;
            if s.has_user(u) {
                return api(Exception::ConflictException);
            }
            next.users |= u.bit();
        }
        Op::DeleteUser(u) => {
            let role = admin(cfg, s, caller)?;
            if !s.has_user(u) {
                return api(Exception::ResourceNotFoundException);
            }
            let bit = Principal::User(u).bit();
            side_effect_on_management(cfg, role, s.principal_assigned_to_management(bit))?;
            next.users &= !u.bit();
            for m in next.membership.iter_mut() {
                *m &= !u.bit();
            }
            next.remove_principal_assignments(bit);
        }
        Op::CreateGroup(g) => {
            admin(cfg, s, caller)?;
            if s.has_group(g) {
                return api(Exception::ConflictException);
            }
            next.groups |= g.bit();
        }
        Op::DeleteGroup(g) => {
            let role = admin(cfg, s, caller)?;
            if !s.has_group(g) {
                return api(Exception::ResourceNotFoundException);
            }
            let bit = Principal::Group(g).bit();
            side_effect_on_management(cfg, role, s.principal_assigned_to_management(bit))?;
            next.groups &= !g.bit();
            next.membership[g.0 as usize] = 0;
            next.remove_principal_assignments(bit);
        }
        Op::CreateGroupMembership(g, u) | Op::DeleteGroupMembership(g, u) => {
            // IDC-3: the delegated administrator can edit group membership, also of groups
            // that grant access to the management account.
            admin(cfg, s, caller)?;
            if !s.has_group(g) || !s.has_user(u) {
                return api(Exception::ResourceNotFoundException);
            }
            let member = s.membership[g.0 as usize] & u.bit() != 0;
            if matches!(call.op, Op::CreateGroupMembership(..)) {
                if member {
                    return api(Exception::ConflictException);
                }
                next.membership[g.0 as usize] |= u.bit();
            } else {
                if !member {
                    return api(Exception::ResourceNotFoundException);
                }
                next.membership[g.0 as usize] &= !u.bit();
            }
        }

        // ------------------------------------------------------------ Directory Service
        Op::CreateDirectory => {
            if guard(cfg, Rule::Org2, s.is_closed(caller)) {
                return refuse(Exception::AccessDeniedException, Rule::Org2);
            }
            // The model gives each account at most one directory.
            if s.directories & caller.bit() != 0 {
                return api(Exception::DirectoryLimitExceededException);
            }
            next.directories |= caller.bit();
        }
    }
    Ok(next)
}

/// IDC-7: the best practices the management account follows when it assigns.
fn management_practices(
    cfg: &Config,
    s: &State,
    target: Acct,
    ps: crate::account::PermissionSet,
    principal: Principal,
) -> Result<(), Refusal> {
    let practices = cfg.practices;
    if practices.contains(Practice::UsersOnlyInManagement)
        && target.is_management()
        && matches!(principal, Principal::Group(_))
    {
        return Err(Refusal::Practice(Practice::UsersOnlyInManagement));
    }
    if practices.contains(Practice::PermissionSetsOnlyForManagement) {
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
