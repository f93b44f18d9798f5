//! Derived facts about access: which users reach an account (IDC-6, ORG-4, ORG-5, SRC-6)
//! and which account controls the identities (SRC-6). Properties and ghost facts read them;
//! no call changes them directly.

use crate::account::{bits, Acct, PermissionSet, User};
use crate::call::IdentitySource;
use crate::state::State;

/// The users (bitset) assigned to the account, directly or through a group (IDC-6),
/// whatever the condition of the instance and of the account.
pub fn assigned_users(s: &State, a: Acct) -> u8 {
    let mut reach = 0u8;
    for ps in bits(s.permission_sets) {
        let cell = s.assigned(PermissionSet(ps), a);
        reach |= cell & 0x0f;
        for g in bits(cell >> 4) {
            reach |= s.membership[g as usize];
        }
    }
    reach & s.users
}

/// The users (bitset) who can sign in to the account through the AWS access portal:
/// assigned (IDC-6), while the organization instance exists and trusted access is on
/// (ORG-5), to an active account of the organization (ORG-4), and — with Active Directory
/// as the identity source — while the directory's owner is active (SRC-6: a closed or
/// departed owner's directory no longer serves the organization instance); of those, the
/// users whose status is ENABLED (a disabled user can't sign in). The conditions on the
/// account are [`access_blockers`]'.
pub fn effective_access(s: &State, a: Acct) -> u8 {
    let mut open = true;
    each_blocker(s, a, |_| open = false);
    if open {
        assigned_users(s, a) & !s.disabled
    } else {
        0
    }
}

/// A condition of [`effective_access`] that fails for an account: a reason its assigned
/// users can't sign in to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blocker {
    /// The organization instance does not exist (ORG-5).
    NoInstance,
    /// Trusted access for IAM Identity Center is off (ORG-5).
    TrustedAccessOff,
    /// The account is not an active account of the organization (ORG-4).
    AccountInactive,
    /// Active Directory is the identity source and its owner, this account, is not active
    /// (SRC-6).
    DirectoryOwnerInactive(Acct),
}

/// Calls `f` with each condition of access to account `a` that fails, in a fixed order:
/// the one place those conditions are written (allocation-free: properties read
/// [`effective_access`] in every state).
#[inline]
fn each_blocker(s: &State, a: Acct, mut f: impl FnMut(Blocker)) {
    if s.instance.is_none() {
        f(Blocker::NoInstance);
    }
    if !s.trusted_access {
        f(Blocker::TrustedAccessOff);
    }
    if !s.is_active(a) {
        f(Blocker::AccountInactive);
    }
    match s.source {
        IdentitySource::ActiveDirectory(owner) if !s.is_active(owner) => {
            f(Blocker::DirectoryOwnerInactive(owner));
        }
        IdentitySource::ActiveDirectory(_)
        | IdentitySource::IdentityCenterDirectory
        | IdentitySource::ExternalIdp => {}
    }
}

/// Every condition of [`effective_access`] that fails for account `a`: empty exactly when
/// the users assigned to `a` can sign in to it.
pub fn access_blockers(s: &State, a: Acct) -> Vec<Blocker> {
    let mut why = Vec::new();
    each_blocker(s, a, |b| why.push(b));
    why
}

/// The accounts (bitset) that control the identities of the identity source (SRC-6): each
/// can take a user over — reset its password and sign in as it, or change who it is —
/// outside IAM Identity Center's assignment rules.
///
/// * Active Directory: the directory's owner, delegate or not (admins of the directory,
///   `ds:ResetUserPassword`, `ds-data:*`).
/// * The Identity Center directory: the account that owns the organization instance (the
///   management account) and the registered delegated administrator, which "can perform
///   all administrative tasks" but the listed exceptions: add, edit and delete users, reset
///   their passwords ("Reset a user password"; `UpdateUser`, `ResetUserPassword`).
/// * An external IdP: the account whose admins configured it (`ChangeIdentitySource`): the
///   IdP is theirs, and they provision its users (SCIM) and their credentials.
///
/// A closed account signs in nowhere, so it controls nothing.
pub fn identity_controllers(s: &State) -> u8 {
    let controllers = match s.source {
        IdentitySource::ActiveDirectory(owner) => owner.bit(),
        IdentitySource::IdentityCenterDirectory => match s.instance {
            Some(owner) => owner.bit() | s.delegates,
            None => 0,
        },
        IdentitySource::ExternalIdp => s.idp_admins,
    };
    controllers & !s.closed
}

/// Whether account `a` controls user `u` (SRC-6): the user exists and `a` is one of
/// [`identity_controllers`].
pub fn controls(s: &State, a: Acct, u: User) -> bool {
    s.has_user(u) && identity_controllers(s) & a.bit() != 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    /// A state where user-1 is assigned to member-1 with ps-1, nothing else blocking.
    fn assigned() -> State {
        let mut s = State::initial(&Config::default());
        s.instance = Some(Acct::MANAGEMENT);
        s.trusted_access = true;
        s.users = 0b1;
        s.permission_sets = 0b1;
        s.provisioned[0] = Acct(1).bit();
        *s.assigned_mut(PermissionSet(0), Acct(1)) = 0b1;
        s
    }

    #[test]
    fn access_needs_every_condition_and_blockers_name_the_failing_ones() {
        let s = assigned();
        assert_eq!(access_blockers(&s, Acct(1)), vec![]);
        assert_eq!(effective_access(&s, Acct(1)), 0b1);

        let mut t = State::initial(&Config::default());
        t.users = s.users;
        t.permission_sets = s.permission_sets;
        t.provisioned = s.provisioned;
        t.assignments = s.assignments;
        assert_eq!(
            access_blockers(&t, Acct(1)),
            vec![Blocker::NoInstance, Blocker::TrustedAccessOff]
        );
        assert_eq!(effective_access(&t, Acct(1)), 0);

        let mut t = s.clone();
        t.closed |= Acct(1).bit(); // ORG-4
        assert_eq!(access_blockers(&t, Acct(1)), vec![Blocker::AccountInactive]);
        assert_eq!(effective_access(&t, Acct(1)), 0);

        let mut t = s.clone();
        t.source = IdentitySource::ActiveDirectory(Acct(2));
        t.in_org &= !Acct(2).bit(); // SRC-6: the directory's owner left
        assert_eq!(
            access_blockers(&t, Acct(1)),
            vec![Blocker::DirectoryOwnerInactive(Acct(2))]
        );
        assert_eq!(effective_access(&t, Acct(1)), 0);
        t.in_org |= Acct(2).bit();
        assert_eq!(effective_access(&t, Acct(1)), 0b1);
    }
}
