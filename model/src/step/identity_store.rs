//! Users, groups and memberships: in IAM Identity Center's identity store (administered by
//! the management account and the delegate, IDC-3), or — with Active Directory as the
//! identity source — in the directory, by the admins of the account that owns it (SRC-6).
//!
//! With AD as the source the identity store is read-only for users, groups and memberships
//! (SRC-6). The directory-side operations (`ds-data:*`, `ds:ResetUserPassword`) act on the
//! identities IAM Identity Center syncs only while the caller's directory is the identity
//! source; on another directory they succeed without touching IAM Identity Center (that
//! directory's contents are not modelled). With an external IdP, identities are provisioned
//! through the identity store calls (SCIM and manual provisioning have the same effect);
//! the IdP's own administrators are outside every account of the model.

use super::identity_center::deprovision_emptied;
use super::{
    admin, api, guard, management_user_access, refuse, side_effect_on_management, signed_in,
    ManagementUserAccessAct, M,
};
use crate::access::assigned_users;
use crate::account::{Acct, Group, Principal, User};
use crate::branch::Chooser;
use crate::call::IdentitySource;
use crate::config::Config;
use crate::error::{Exception, Refusal};
use crate::rules::Rule;
use crate::state::State;

/// An identity store write: an administrator (IDC-4, ORG-4), and not while Active
/// Directory is the identity source (SRC-6: the identities come from the directory).
pub(super) fn store_writer(cfg: &Config, s: &State, caller: Acct) -> Result<super::Role, Refusal> {
    let role = admin(cfg, s, caller)?;
    if guard(cfg, Rule::Src6, s.source.is_ad()) {
        return refuse(Exception::ValidationException, Rule::Src6);
    }
    Ok(role)
}

/// `CreateUser` (identity store).
pub(super) fn create_user(
    cfg: &Config,
    s: &State,
    caller: Acct,
    u: User,
) -> Result<State, Refusal> {
    store_writer(cfg, s, caller)?;
    add_user(s, u)
}

/// `DeleteUser` (identity store): its memberships and assignments go too (IDC-8: A3).
pub(super) fn delete_user(
    cfg: &Config,
    s: &State,
    caller: Acct,
    u: User,
    ch: &mut Chooser,
) -> Result<State, Refusal> {
    let role = store_writer(cfg, s, caller)?;
    let bit = Principal::User(u).bit();
    if s.has_user(u) {
        side_effect_on_management(cfg, role, s.principal_assigned_to_management(bit), ch)?;
    }
    let mut next = drop_user(s, u)?;
    deprovision_emptied(cfg, s, &mut next, ch);
    Ok(next)
}

/// `UpdateUser` (identity store): edits a user's attributes (name, emails, …). The model
/// keeps no attributes, so nothing changes; the call is there because it is one way to take
/// a user over (change its email, then reset its password): whoever may make it controls
/// the user ([`crate::access::identity_controllers`]).
pub(super) fn update_user(
    cfg: &Config,
    s: &State,
    caller: Acct,
    u: User,
) -> Result<State, Refusal> {
    store_writer(cfg, s, caller)?;
    if !s.has_user(u) {
        return api(Exception::ResourceNotFoundException);
    }
    Ok(s.clone())
}

/// Reset a user's password (console task: Users → user → "Reset password"): with the
/// Identity Center directory as the source, an administrator (the management account or
/// the delegate) sends a reset link or sets a one-time password — it can then sign in as
/// the user. Nothing the model keeps changes (who may do it is
/// [`crate::access::identity_controllers`]). With another source the password lives there.
pub(super) fn reset_user_password(
    cfg: &Config,
    s: &State,
    caller: Acct,
    u: User,
) -> Result<State, Refusal> {
    admin(cfg, s, caller)?;
    if s.source != IdentitySource::IdentityCenterDirectory {
        return api(Exception::ValidationException);
    }
    if !s.has_user(u) {
        return api(Exception::ResourceNotFoundException);
    }
    Ok(s.clone())
}

/// Enable or disable user access (console task: Users → user → "Disable user access" /
/// "Enable user access"; the Identity Store's `UserStatus`). A disabled user can't sign in.
/// For the delegate, "enabling or disabling user access in the management account" (IDC-2)
/// may cover the users assigned to the management account (Q6 `user-status`). Allowed
/// whatever the identity source (the documentation doesn't restrict it; allowing it is the
/// reading that allows more).
pub(super) fn set_user_status(
    cfg: &Config,
    s: &State,
    caller: Acct,
    u: User,
    enabled: bool,
    ch: &mut Chooser,
) -> Result<State, Refusal> {
    let role = admin(cfg, s, caller)?;
    if !s.has_user(u) {
        return api(Exception::ResourceNotFoundException);
    }
    if s.is_enabled(u) == enabled {
        return api(Exception::ValidationException);
    }
    let in_management = assigned_users(s, M) & u.bit() != 0;
    management_user_access(
        cfg,
        role,
        ManagementUserAccessAct::UserStatus,
        in_management,
        ch,
    )?;
    let mut next = s.clone();
    next.disabled ^= u.bit();
    Ok(next)
}

/// `CreateGroup` (identity store).
pub(super) fn create_group(
    cfg: &Config,
    s: &State,
    caller: Acct,
    g: Group,
) -> Result<State, Refusal> {
    store_writer(cfg, s, caller)?;
    add_group(s, g)
}

/// `DeleteGroup` (identity store): its memberships and assignments go too (IDC-8: A3).
pub(super) fn delete_group(
    cfg: &Config,
    s: &State,
    caller: Acct,
    g: Group,
    ch: &mut Chooser,
) -> Result<State, Refusal> {
    let role = store_writer(cfg, s, caller)?;
    let bit = Principal::Group(g).bit();
    if s.has_group(g) {
        side_effect_on_management(cfg, role, s.principal_assigned_to_management(bit), ch)?;
    }
    let mut next = drop_group(s, g)?;
    deprovision_emptied(cfg, s, &mut next, ch);
    Ok(next)
}

/// `CreateGroupMembership` / `DeleteGroupMembership` (identity store). IDC-3: the delegate
/// can edit group membership, also of groups that reach the management account.
pub(super) fn set_membership(
    cfg: &Config,
    s: &State,
    caller: Acct,
    g: Group,
    u: User,
    member: bool,
) -> Result<State, Refusal> {
    store_writer(cfg, s, caller)?;
    membership(s, g, u, member)
}

/// The caller of a Directory Service Data call signs in (ORG-2) and owns a directory
/// (`AccessDeniedException` otherwise: the directory it names is not its own; the error
/// is in every `ds-data` operation's error list).
pub(super) fn directory_owner(cfg: &Config, s: &State, caller: Acct) -> Result<(), Refusal> {
    signed_in(cfg, s, caller)?;
    if s.directories & caller.bit() == 0 {
        return api(Exception::AccessDeniedException);
    }
    Ok(())
}

/// A directory-side call (SRC-6): the caller signs in (ORG-2) and owns a directory
/// (`ResourceNotFoundException` otherwise). While that directory is the identity source,
/// `effect` changes what IAM Identity Center syncs; on another directory the call succeeds
/// and changes nothing the model keeps.
fn in_directory(
    cfg: &Config,
    s: &State,
    caller: Acct,
    effect: impl FnOnce(&State) -> Result<State, Refusal>,
) -> Result<State, Refusal> {
    directory_owner(cfg, s, caller)?;
    if s.source == IdentitySource::ActiveDirectory(caller) {
        effect(s)
    } else {
        Ok(s.clone())
    }
}

/// `ds-data:CreateUser`: the directory's owner creates a user (SRC-6).
pub(super) fn directory_create_user(
    cfg: &Config,
    s: &State,
    caller: Acct,
    u: User,
) -> Result<State, Refusal> {
    in_directory(cfg, s, caller, |s| add_user(s, u))
}

/// `ds-data:DeleteUser`: the directory's owner deletes a user (SRC-6). "In Microsoft AD,
/// when identities are deleted ... corresponding assignments are not deleted": the
/// assignments stay in AWS, inert (they name an identity that is gone and can never come
/// back), so the model drops them from the principal's slot but keeps the permission sets
/// provisioned.
pub(super) fn directory_delete_user(
    cfg: &Config,
    s: &State,
    caller: Acct,
    u: User,
) -> Result<State, Refusal> {
    in_directory(cfg, s, caller, |s| drop_user(s, u))
}

/// `ds-data:CreateGroup`: the directory's owner creates a group (SRC-6).
pub(super) fn directory_create_group(
    cfg: &Config,
    s: &State,
    caller: Acct,
    g: Group,
) -> Result<State, Refusal> {
    in_directory(cfg, s, caller, |s| add_group(s, g))
}

/// `ds-data:DeleteGroup`: the directory's owner deletes a group (SRC-6; its assignments
/// stay inert, as for a user).
pub(super) fn directory_delete_group(
    cfg: &Config,
    s: &State,
    caller: Acct,
    g: Group,
) -> Result<State, Refusal> {
    in_directory(cfg, s, caller, |s| drop_group(s, g))
}

/// `ds-data:AddGroupMember` / `ds-data:RemoveGroupMember`: the directory's owner edits a
/// group (SRC-6), whoever the group reaches.
pub(super) fn directory_membership(
    cfg: &Config,
    s: &State,
    caller: Acct,
    g: Group,
    u: User,
    member: bool,
) -> Result<State, Refusal> {
    in_directory(cfg, s, caller, |s| membership(s, g, u, member))
}

/// `ds:ResetUserPassword`: the directory's owner takes a user over (SRC-6). Nothing in IAM
/// Identity Center changes: the owner could do it at any time, which is what
/// `management-identities-controlled-by-management` judges. Directory Service's own errors:
/// `EntityDoesNotExistException` for a directory that is not the caller's,
/// `UserDoesNotExistException` for a user that is not in it.
pub(super) fn directory_reset_password(
    cfg: &Config,
    s: &State,
    caller: Acct,
    u: User,
) -> Result<State, Refusal> {
    signed_in(cfg, s, caller)?;
    if s.directories & caller.bit() == 0 {
        return api(Exception::EntityDoesNotExistException);
    }
    if s.source == IdentitySource::ActiveDirectory(caller) && !s.has_user(u) {
        return api(Exception::UserDoesNotExistException);
    }
    Ok(s.clone())
}

// ------------------------------------------------------------- the effects themselves

fn add_user(s: &State, u: User) -> Result<State, Refusal> {
    if s.has_user(u) {
        return api(Exception::ConflictException);
    }
    let mut next = s.clone();
    next.users |= u.bit();
    Ok(next)
}

/// Deletes a user with its memberships and its assignments (the slot's assignments, so
/// that a later user in the same slot is a new identity).
fn drop_user(s: &State, u: User) -> Result<State, Refusal> {
    if !s.has_user(u) {
        return api(Exception::ResourceNotFoundException);
    }
    let mut next = s.clone();
    next.users &= !u.bit();
    next.disabled &= !u.bit();
    for m in next.membership.iter_mut() {
        *m &= !u.bit();
    }
    next.remove_principal_assignments(Principal::User(u).bit());
    Ok(next)
}

fn add_group(s: &State, g: Group) -> Result<State, Refusal> {
    if s.has_group(g) {
        return api(Exception::ConflictException);
    }
    let mut next = s.clone();
    next.groups |= g.bit();
    Ok(next)
}

fn drop_group(s: &State, g: Group) -> Result<State, Refusal> {
    if !s.has_group(g) {
        return api(Exception::ResourceNotFoundException);
    }
    let mut next = s.clone();
    next.groups &= !g.bit();
    next.membership[g.0 as usize] = 0;
    next.remove_principal_assignments(Principal::Group(g).bit());
    Ok(next)
}

fn membership(s: &State, g: Group, u: User, member: bool) -> Result<State, Refusal> {
    if !s.has_group(g) || !s.has_user(u) {
        return api(Exception::ResourceNotFoundException);
    }
    let is_member = s.membership[g.0 as usize] & u.bit() != 0;
    if member && is_member {
        return api(Exception::ConflictException);
    }
    if !member && !is_member {
        return api(Exception::ResourceNotFoundException);
    }
    let mut next = s.clone();
    next.membership[g.0 as usize] ^= u.bit();
    Ok(next)
}
