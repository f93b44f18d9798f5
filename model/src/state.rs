//! The state of the organization, its IAM Identity Center instance and its identities.
//!
//! Everything is a small bitset or a fixed array of them: a state is 57 bytes, has no
//! heap allocation, and clones with a copy. Derived facts (who reaches an account, who
//! controls an identity) are in [`crate::access`]; the rules that change a state are in
//! [`crate::step`](mod@crate::step).

use std::hash::{Hash, Hasher};

use crate::account::{Acct, Group, PermissionSet, Principal, User, MAX_ACCOUNTS};
use crate::call::IdentitySource;
use crate::config::Config;

const MAX_PS: usize = crate::account::MAX_IDENTITIES as usize;
const MAX_GROUPS: usize = crate::account::MAX_IDENTITIES as usize;
/// The entries of [`State::assignments`]: one per permission set and account.
pub const ASSIGNMENT_SLOTS: usize = MAX_PS * MAX_ACCOUNTS;

/// Ghost facts about the *last* step, kept only so that properties about who did what can
/// be state predicates. Each bit is set by the step that did it and cleared by the next.
pub mod ghost {
    /// A caller other than the management account changed the set of users who are
    /// assigned to the management account (directly or through a group).
    pub const MANAGEMENT_ACCESS_CHANGED_BY_OTHER: u16 = 1 << 0;
    /// A caller other than the management account (another account, or AWS) made a user
    /// *reach* the management account ([`crate::access::effective_access`]): assigned it,
    /// enabled it, or restored a condition of its access.
    pub const MANAGEMENT_ACCESS_GRANTED_BY_OTHER: u16 = 1 << 1;
    /// A caller other than the management account, administering IAM Identity Center,
    /// changed, deleted, provisioned or deprovisioned a permission set that was provisioned
    /// in the management account.
    pub const DELEGATE_ALTERED_MANAGEMENT_PERMISSION_SET: u16 = 1 << 2;
    /// A deregistration changed an assignment, a membership, a user, a group or a
    /// permission set.
    pub const DEREGISTRATION_CHANGED_ACCESS: u16 = 1 << 3;
    /// An account other than the management account created an account assignment that
    /// targets a member account (used by a `sometimes` property).
    pub const DELEGATE_ASSIGNED_IN_MEMBER: u16 = 1 << 4;
    /// A caller other than the management account changed the delegated-administrator
    /// registry.
    pub const REGISTRY_CHANGED_BY_OTHER: u16 = 1 << 5;
    /// An account that is neither the management account nor a registered delegated
    /// administrator changed the organization instance of IAM Identity Center or its
    /// identity store, through IAM Identity Center or, with AD as the source, in the
    /// directory IAM Identity Center syncs.
    pub const ADMINISTERED_BY_OUTSIDER: u16 = 1 << 6;
    /// A caller other than the management account changed trusted access.
    pub const TRUSTED_ACCESS_CHANGED_BY_OTHER: u16 = 1 << 7;
}

/// A state of the model.
///
/// Account bitsets have bit `i` for `Acct(i)`; user, group and permission-set bitsets have
/// bit `i` for index `i`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    /// Accounts in the organization (active or suspended). INVARIANT: the management
    /// account's bit is set unless ORG-2 is relaxed.
    pub in_org: u8,
    /// Closed accounts. A closed account inside the organization is SUSPENDED until AWS
    /// removes it (90 days) or reinstates it.
    pub closed: u8,
    /// Accounts with a pending invitation (handshake) from the organization.
    pub invited: u8,
    /// Trusted access for `sso.amazonaws.com` is enabled (ORG-5).
    pub trusted_access: bool,
    /// The account that owns the IAM Identity Center instance, if one exists. One per
    /// organization; IDC-1 says it is the management account, and the property
    /// `instance-in-management-account` checks that the guards keep it so.
    pub instance: Option<Acct>,
    /// Accounts that own an *account* instance of IAM Identity Center (IDC-1a).
    pub account_instances: u8,
    /// Configurable AD sync is on (DA-9).
    pub ad_sync: bool,
    /// Configurable AD sync is paused (it stays configured and counts as enabled for DA-9).
    pub ad_sync_paused: bool,
    /// The delegated-administrator registry for `sso.amazonaws.com`: a *set*, so that "at
    /// most one" is verified, not assumed (DA-7).
    pub delegates: u8,
    /// Accounts that own an AD directory (Directory Service); at most one directory each.
    /// The directory's users and groups are modelled only while it is the identity source
    /// (they are then the identity store's users and groups, synced).
    pub directories: u8,
    /// The identity source (SRC-1).
    pub source: IdentitySource,
    /// With an external IdP as the source, the account that configured it (its admins
    /// operate the IdP and so control its identities, SRC-6); empty otherwise.
    pub idp_admins: u8,
    /// Users of the identity store (with AD as the source: synced from the directory).
    pub users: u8,
    /// Users whose `UserStatus` is DISABLED: they can't sign in. INVARIANT: a subset of
    /// `users`.
    pub disabled: u8,
    /// Groups that exist.
    pub groups: u8,
    /// Members (users bitset) of each group.
    pub membership: [u8; MAX_GROUPS],
    /// Permission sets that exist.
    pub permission_sets: u8,
    /// Accounts each permission set is provisioned in (IDC-6, IDC-8). INVARIANT: every
    /// assignment's permission set is provisioned in its target account (checked by the
    /// proptest invariants).
    pub provisioned: [u8; MAX_PS],
    /// Account assignments: the principals assigned to `(permission set, account)`, index
    /// `ps * MAX_ACCOUNTS + account`; users in the low nibble, groups in the high one.
    pub assignments: [u8; MAX_PS * MAX_ACCOUNTS],
    /// Ghost facts about the last step (see [`ghost`]).
    pub ghost: u16,
}

impl Hash for State {
    /// Every field, packed into eight words: the checker fingerprints every generated state,
    /// and a few wide writes hash several times faster than one write per field.
    fn hash<H: Hasher>(&self, h: &mut H) {
        // Every field, by name: a field added to `State` fails to compile here until it is
        // hashed (a field left out would merge distinct states in the checker).
        let State {
            in_org,
            closed,
            invited,
            trusted_access,
            instance,
            account_instances,
            ad_sync,
            ad_sync_paused,
            delegates,
            directories,
            source,
            idp_admins,
            users,
            disabled,
            groups,
            membership: m,
            permission_sets,
            provisioned: p,
            assignments,
            ghost,
        } = *self;
        let instance = instance.map_or(0xff, |a| a.0);
        let source = match source {
            IdentitySource::IdentityCenterDirectory => 0,
            IdentitySource::ExternalIdp => 1,
            IdentitySource::ActiveDirectory(a) => 2 + a.0,
        };
        let [g0, g1] = ghost.to_le_bytes();
        h.write_u64(u64::from_le_bytes([
            in_org,
            closed,
            invited,
            u8::from(trusted_access) | u8::from(ad_sync) << 1 | u8::from(ad_sync_paused) << 2,
            instance,
            account_instances,
            idp_admins,
            delegates,
        ]));
        h.write_u64(u64::from_le_bytes([
            directories,
            source,
            users,
            groups,
            m[0],
            m[1],
            m[2],
            m[3],
        ]));
        h.write_u64(u64::from_le_bytes([
            permission_sets,
            g0,
            g1,
            p[0],
            p[1],
            p[2],
            p[3],
            disabled,
        ]));
        // INVARIANT: MAX_PS * MAX_ACCOUNTS = 28 bytes of assignments, in four words.
        let mut words = [0u8; 32];
        words[..assignments.len()].copy_from_slice(&assignments);
        for w in words.chunks_exact(8) {
            let mut b = [0u8; 8];
            b.copy_from_slice(w);
            h.write_u64(u64::from_le_bytes(b));
        }
    }
}

impl State {
    /// The initial state: every member account in the organization, nothing else enabled,
    /// the Identity Center directory as (future) identity source.
    pub fn initial(cfg: &Config) -> State {
        State {
            in_org: cfg.all_accounts(),
            closed: 0,
            invited: 0,
            trusted_access: false,
            instance: None,
            account_instances: 0,
            ad_sync: false,
            ad_sync_paused: false,
            delegates: 0,
            directories: 0,
            source: IdentitySource::IdentityCenterDirectory,
            idp_admins: 0,
            users: 0,
            disabled: 0,
            groups: 0,
            membership: [0; MAX_GROUPS],
            permission_sets: 0,
            provisioned: [0; MAX_PS],
            assignments: [0; MAX_PS * MAX_ACCOUNTS],
            ghost: 0,
        }
    }

    /// Whether the account is in the organization (active or suspended).
    #[inline]
    pub fn in_org(&self, a: Acct) -> bool {
        self.in_org & a.bit() != 0
    }

    /// Whether the account is closed.
    #[inline]
    pub fn is_closed(&self, a: Acct) -> bool {
        self.closed & a.bit() != 0
    }

    /// Whether the account is an active (not suspended) account of the organization.
    #[inline]
    pub fn is_active(&self, a: Acct) -> bool {
        self.in_org(a) && !self.is_closed(a)
    }

    /// Whether the account is a registered delegated administrator.
    #[inline]
    pub fn is_delegate(&self, a: Acct) -> bool {
        self.delegates & a.bit() != 0
    }

    /// The principals assigned to `(ps, account)`.
    #[inline]
    pub fn assigned(&self, ps: PermissionSet, a: Acct) -> u8 {
        self.assignments[ps.0 as usize * MAX_ACCOUNTS + a.0 as usize]
    }

    /// Mutable access to the principals assigned to `(ps, account)`.
    #[inline]
    pub fn assigned_mut(&mut self, ps: PermissionSet, a: Acct) -> &mut u8 {
        &mut self.assignments[ps.0 as usize * MAX_ACCOUNTS + a.0 as usize]
    }

    /// Whether the permission set is provisioned in the account.
    #[inline]
    pub fn is_provisioned(&self, ps: PermissionSet, a: Acct) -> bool {
        self.provisioned[ps.0 as usize] & a.bit() != 0
    }

    /// Whether the user exists.
    pub fn has_user(&self, u: User) -> bool {
        self.users & u.bit() != 0
    }

    /// Whether the user exists and its status is ENABLED.
    pub fn is_enabled(&self, u: User) -> bool {
        self.has_user(u) && self.disabled & u.bit() == 0
    }

    /// Whether the group exists.
    pub fn has_group(&self, g: Group) -> bool {
        self.groups & g.bit() != 0
    }

    /// Whether the principal exists.
    pub fn has_principal(&self, p: Principal) -> bool {
        match p {
            Principal::User(u) => self.has_user(u),
            Principal::Group(g) => self.has_group(g),
        }
    }

    /// Whether the permission set exists.
    pub fn has_permission_set(&self, ps: PermissionSet) -> bool {
        self.permission_sets & ps.bit() != 0
    }

    /// Whether the account holds any assignment.
    pub fn has_assignments_to(&self, a: Acct) -> bool {
        (0..MAX_PS).any(|ps| self.assignments[ps * MAX_ACCOUNTS + a.0 as usize] != 0)
    }

    /// Whether the principal has an assignment that targets the management account.
    pub fn principal_assigned_to_management(&self, principal_bit: u8) -> bool {
        (0..MAX_PS).any(|ps| self.assignments[ps * MAX_ACCOUNTS] & principal_bit != 0)
    }

    /// Whether any assignment targets the management account.
    pub fn assigned_to_management_any(&self) -> bool {
        (0..MAX_PS).any(|ps| self.assignments[ps * MAX_ACCOUNTS] != 0)
    }

    /// Deletes a principal's assignments everywhere.
    pub fn remove_principal_assignments(&mut self, principal_bit: u8) {
        for cell in self.assignments.iter_mut() {
            *cell &= !principal_bit;
        }
    }

    /// Deletes every assignment targeting the account and its provisioned permission sets.
    pub fn clear_account(&mut self, a: Acct) {
        for ps in 0..MAX_PS {
            self.assignments[ps * MAX_ACCOUNTS + a.0 as usize] = 0;
            self.provisioned[ps] &= !a.bit();
        }
    }

    /// Deletes every user, group, membership and assignment (SRC-4, SRC-8).
    pub fn clear_identities(&mut self) {
        self.users = 0;
        self.disabled = 0;
        self.groups = 0;
        self.membership = [0; MAX_GROUPS];
        self.assignments = [0; MAX_PS * MAX_ACCOUNTS];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::hash_map::DefaultHasher;

    fn fingerprint(s: &State) -> u64 {
        let mut h = DefaultHasher::new();
        s.hash(&mut h);
        h.finish()
    }

    /// A state of the largest configuration with something in every field.
    fn busy() -> State {
        let mut s = State::initial(&Config {
            members: crate::account::MAX_MEMBERS,
            ..Config::default()
        });
        s.instance = Some(Acct::MANAGEMENT);
        s.source = IdentitySource::ActiveDirectory(Acct(2));
        s.users = 0b0101;
        s.groups = 0b0011;
        s.membership = [0b0001, 0b0100, 0, 0];
        s.permission_sets = 0b0011;
        s.provisioned = [0b0011, 0b0100, 0, 0];
        s.assignments[0] = 0b0001_0001;
        s.assignments[MAX_ACCOUNTS + 2] = 0b0000_0100;
        s.ghost = ghost::REGISTRY_CHANGED_BY_OTHER;
        s
    }

    /// `s` changed in exactly one field (one entry of an array field), for every field and
    /// every array entry. The destructuring names every field: a new field fails to compile
    /// here until it is changed too.
    fn one_field_changes(s: &State) -> Vec<(String, State)> {
        let State {
            in_org,
            closed,
            invited,
            trusted_access,
            instance,
            account_instances,
            ad_sync,
            ad_sync_paused,
            delegates,
            directories,
            source,
            idp_admins,
            users,
            disabled,
            groups,
            membership,
            permission_sets,
            provisioned,
            assignments,
            ghost,
        } = s.clone();
        let mut out = Vec::new();
        let mut change = |name: String, f: &dyn Fn(&mut State)| {
            let mut t = s.clone();
            f(&mut t);
            out.push((name, t));
        };
        change("in_org".into(), &|t| t.in_org = in_org ^ 0b10);
        change("closed".into(), &|t| t.closed = closed ^ 0b10);
        change("invited".into(), &|t| t.invited = invited ^ 0b10);
        change("trusted_access".into(), &|t| {
            t.trusted_access = !trusted_access
        });
        change("instance".into(), &|t| {
            t.instance = instance.map_or(Some(Acct::MANAGEMENT), |_| None)
        });
        change("account_instances".into(), &|t| {
            t.account_instances = account_instances ^ 0b10
        });
        change("ad_sync".into(), &|t| t.ad_sync = !ad_sync);
        change("ad_sync_paused".into(), &|t| {
            t.ad_sync_paused = !ad_sync_paused
        });
        change("idp_admins".into(), &|t| t.idp_admins = idp_admins ^ 0b10);
        change("disabled".into(), &|t| t.disabled = disabled ^ 0b10);
        change("delegates".into(), &|t| t.delegates = delegates ^ 0b10);
        change("directories".into(), &|t| {
            t.directories = directories ^ 0b10
        });
        change("source".into(), &|t| {
            t.source = match source {
                IdentitySource::ExternalIdp => IdentitySource::IdentityCenterDirectory,
                _ => IdentitySource::ExternalIdp,
            }
        });
        change("users".into(), &|t| t.users = users ^ 0b10);
        change("groups".into(), &|t| t.groups = groups ^ 0b10);
        change("permission_sets".into(), &|t| {
            t.permission_sets = permission_sets ^ 0b10
        });
        change("ghost".into(), &|t| t.ghost = ghost ^ 1);
        for i in 0..membership.len() {
            change(format!("membership[{i}]"), &|t| t.membership[i] ^= 0b10);
        }
        for i in 0..provisioned.len() {
            change(format!("provisioned[{i}]"), &|t| t.provisioned[i] ^= 0b10);
        }
        for i in 0..assignments.len() {
            change(format!("assignments[{i}]"), &|t| t.assignments[i] ^= 0b10);
        }
        out
    }

    #[test]
    fn states_differing_in_any_one_field_hash_differently() {
        for base in [State::initial(&Config::default()), busy()] {
            let changed = one_field_changes(&base);
            let mut seen = std::collections::HashMap::new();
            seen.insert(fingerprint(&base), "the base state".to_string());
            for (name, t) in changed {
                assert_ne!(t, base, "{name} did not change the state");
                if let Some(other) = seen.insert(fingerprint(&t), name.clone()) {
                    panic!("changing {name} hashes like {other}");
                }
            }
        }
    }

    #[test]
    fn states_differing_in_any_one_field_pack_differently() {
        let codec = crate::packed::Codec::new(&Config {
            members: crate::account::MAX_MEMBERS,
            users: crate::account::MAX_IDENTITIES,
            groups: crate::account::MAX_IDENTITIES,
            permission_sets: crate::account::MAX_IDENTITIES,
            ..Config::default()
        });
        let base = busy();
        for (name, t) in one_field_changes(&base) {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            codec.pack(&base, &mut a);
            codec.pack(&t, &mut b);
            assert_ne!(a, b, "changing {name} packs like the base state");
            assert_eq!(codec.unpack(&b), t, "{name} does not unpack back");
        }
    }
}
