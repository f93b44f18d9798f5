//! The properties checked of every reachable state: stable names, rule ids, meanings.

use crate::access::{effective_access, identity_controllers};
use crate::account::{bits, Acct};
use crate::call::IdentitySource;
use crate::state::{ghost, State};

/// Whether a property must hold everywhere or must be possible somewhere (serialised as
/// its [`Kind::name`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Holds in every reachable state; the checker looks for a counterexample.
    Always,
    /// Holds in some reachable state; the checker looks for an example.
    Sometimes,
}

impl Kind {
    /// `always` or `sometimes`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Always => "always",
            Kind::Sometimes => "sometimes",
        }
    }
}

/// A property: its stable name, kind, rules, meaning and predicate.
#[derive(Clone, Copy)]
pub struct PropertyInfo {
    /// The stable name (`at-most-one-delegated-admin`).
    pub name: &'static str,
    /// Always or sometimes.
    pub kind: Kind,
    /// The rule ids it stands for.
    pub rules: &'static [&'static str],
    /// What it means, in one line.
    pub meaning: &'static str,
    /// A regression check: it holds by construction of the rules today (no reading or
    /// relaxation breaks it), and is kept to catch a future change that would. Every other
    /// `always` property is violated under some relaxation or reading (tested).
    pub regression: bool,
    /// The ghost facts ([`ghost`]) it reads: `0` for a property of the state alone;
    /// otherwise a property of the *last step*, which reads these bits of
    /// [`State::ghost`] and nothing else (tested). The checker judges such a property on
    /// every transition rather than on every new state, and so may identify states that
    /// differ only in their ghost facts (no call reads them: every step clears them).
    pub ghost: u16,
    /// Whether it reads the identity part of the state (users, groups, permission sets,
    /// provisioning, assignments), directly or through the computation of its ghost fact.
    /// A property that doesn't is checked on the organization slice ([`crate::slice`]),
    /// where the checker identifies states up to their identity part (tested: its value,
    /// and the ghost fact it reads, are the same for every state of a slice class).
    pub reads_identities: bool,
    /// The predicate on a state.
    pub holds: fn(&State) -> bool,
}

const M: Acct = Acct::MANAGEMENT;

fn no_ghost(s: &State, bit: u16) -> bool {
    s.ghost & bit == 0
}

/// Every property, in report order: the `always` ones, then the `sometimes` ones.
pub const PROPERTIES: &[PropertyInfo] = &[
    PropertyInfo {
        name: "at-most-one-delegated-admin",
        kind: Kind::Always,
        regression: false,
        rules: &["DA-7"],
        meaning: "the delegated-administrator registry never holds two accounts",
        ghost: 0,
        reads_identities: false,
        holds: |s| s.delegates.count_ones() <= 1,
    },
    PropertyInfo {
        name: "delegate-is-active-member",
        kind: Kind::Always,
        regression: false,
        rules: &["DA-2", "DA-3", "ORG-3"],
        meaning: "a registered delegate is an active member account, never the management account",
        ghost: 0,
        reads_identities: false,
        holds: |s| bits(s.delegates).all(|d| d != 0 && s.is_active(Acct(d))),
    },
    PropertyInfo {
        name: "instance-in-management-account",
        kind: Kind::Always,
        regression: false,
        rules: &["IDC-1"],
        meaning: "the IAM Identity Center instance, if any, is owned by the management account, inside the organization",
        ghost: 0,
        reads_identities: false,
        holds: |s| s.instance.is_none_or(|o| o.is_management() && s.in_org(o)),
    },
    PropertyInfo {
        name: "ad-directory-in-correct-owner",
        kind: Kind::Always,
        regression: false,
        rules: &["SRC-2"],
        meaning: "while AD is the identity source, its directory is owned by the management account or the registered delegate (where SRC-2 wants it under either of its readings, Q9)",
        ghost: 0,
        reads_identities: false,
        holds: |s| match s.source {
            IdentitySource::ActiveDirectory(owner) => owner.is_management() || s.is_delegate(owner),
            _ => true,
        },
    },
    PropertyInfo {
        name: "ad-directory-inside-organization",
        kind: Kind::Always,
        regression: false,
        rules: &["SRC-2", "ORG-4"],
        meaning: "while AD is the identity source, its directory's owner is in the organization (active or suspended: it has not left and was not removed)",
        ghost: 0,
        reads_identities: false,
        holds: |s| match s.source {
            IdentitySource::ActiveDirectory(owner) => s.in_org(owner),
            _ => true,
        },
    },
    PropertyInfo {
        name: "ad-directory-owner-active",
        kind: Kind::Always,
        regression: false,
        rules: &["SRC-2", "SRC-6", "ORG-6"],
        meaning: "while AD is the identity source, its directory's owner is an active account of the organization (not departed, not closed): a closed owner's directory serves nobody",
        ghost: 0,
        reads_identities: false,
        holds: |s| match s.source {
            IdentitySource::ActiveDirectory(owner) => s.is_active(owner),
            _ => true,
        },
    },
    PropertyInfo {
        name: "ad-sync-on-while-delegated",
        kind: Kind::Always,
        regression: false,
        rules: &["DA-9"],
        meaning: "a delegate with AD as identity source implies configurable AD sync is on (enabled and not paused)",
        ghost: 0,
        reads_identities: false,
        holds: |s| s.delegates == 0 || !s.source.is_ad() || (s.ad_sync && !s.ad_sync_paused),
    },
    PropertyInfo {
        name: "management-access-changed-only-by-management",
        kind: Kind::Always,
        regression: false,
        rules: &["IDC-2", "IDC-3"],
        meaning: "the set of users assigned to the management account (directly or through a group) changes only through the management account's own calls",
        ghost: ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER,
        reads_identities: true,
        holds: |s| no_ghost(s, ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER),
    },
    PropertyInfo {
        name: "management-access-granted-only-by-management",
        kind: Kind::Always,
        regression: false,
        rules: &["IDC-2", "IDC-3", "IDC-7"],
        meaning: "a user starts reaching the management account (assigned, enabled, every condition of access met) only through the management account's own calls",
        ghost: ghost::MANAGEMENT_ACCESS_GRANTED_BY_OTHER,
        reads_identities: true,
        holds: |s| no_ghost(s, ghost::MANAGEMENT_ACCESS_GRANTED_BY_OTHER),
    },
    PropertyInfo {
        name: "delegate-never-alters-management-permission-sets",
        kind: Kind::Always,
        regression: false,
        rules: &["IDC-2", "IDC-5"],
        meaning: "no call by another account administering IAM Identity Center changes, deletes, provisions or deprovisions a permission set provisioned in the management account",
        ghost: ghost::DELEGATE_ALTERED_MANAGEMENT_PERMISSION_SET,
        reads_identities: true,
        holds: |s| no_ghost(s, ghost::DELEGATE_ALTERED_MANAGEMENT_PERMISSION_SET),
    },
    PropertyInfo {
        name: "deregistration-preserves-assignments",
        kind: Kind::Always,
        regression: true,
        rules: &["DA-10"],
        meaning: "deregistering leaves every user, group, membership, permission set and assignment as it was (a regression check: the deregistration step changes only the registry)",
        ghost: ghost::DEREGISTRATION_CHANGED_ACCESS,
        reads_identities: false,
        holds: |s| no_ghost(s, ghost::DEREGISTRATION_CHANGED_ACCESS),
    },
    PropertyInfo {
        name: "registry-changed-only-by-management",
        kind: Kind::Always,
        regression: false,
        rules: &["DA-1"],
        meaning: "the delegated-administrator registry changes only through the management account's own calls",
        ghost: ghost::REGISTRY_CHANGED_BY_OTHER,
        reads_identities: false,
        holds: |s| no_ghost(s, ghost::REGISTRY_CHANGED_BY_OTHER),
    },
    PropertyInfo {
        name: "administered-only-by-management-or-delegate",
        kind: Kind::Always,
        regression: false,
        rules: &["IDC-4", "ORG-4"],
        meaning: "IAM Identity Center and its identity store (with AD as the source: the directory's users and groups it syncs) are changed only by the management account or a registered delegate",
        ghost: ghost::ADMINISTERED_BY_OUTSIDER,
        reads_identities: true,
        holds: |s| no_ghost(s, ghost::ADMINISTERED_BY_OUTSIDER),
    },
    PropertyInfo {
        name: "management-identities-controlled-by-management",
        kind: Kind::Always,
        regression: false,
        rules: &["SRC-6", "SRC-2"],
        meaning: "no account other than the management account controls a user who reaches the management account (can take it over: the delegate in the Identity Center directory, a directory's owner, an external IdP's configurer)",
        ghost: 0,
        reads_identities: true,
        holds: |s| effective_access(s, M) == 0 || identity_controllers(s) & !M.bit() == 0,
    },
    PropertyInfo {
        name: "trusted-access-changed-only-by-management",
        kind: Kind::Always,
        regression: false,
        rules: &["ORG-5"],
        meaning: "trusted access for sso.amazonaws.com changes only through the management account's own calls",
        ghost: ghost::TRUSTED_ACCESS_CHANGED_BY_OTHER,
        reads_identities: false,
        holds: |s| no_ghost(s, ghost::TRUSTED_ACCESS_CHANGED_BY_OTHER),
    },
    PropertyInfo {
        name: "delegated-admin-has-trusted-access",
        kind: Kind::Always,
        regression: false,
        rules: &["DA-4", "ORG-5", "Q2"],
        meaning: "while a delegated administrator is registered, trusted access for sso.amazonaws.com is enabled",
        ghost: 0,
        reads_identities: false,
        holds: |s| s.delegates == 0 || s.trusted_access,
    },
    PropertyInfo {
        name: "no-assignment-to-inactive-account",
        kind: Kind::Always,
        regression: false,
        rules: &["ORG-4", "Q5"],
        meaning: "no account assignment targets an account that left the organization or is closed",
        ghost: 0,
        reads_identities: true,
        holds: |s| (0..crate::account::MAX_ACCOUNTS as u8).all(|a| s.is_active(Acct(a)) || !s.has_assignments_to(Acct(a))),
    },
    PropertyInfo {
        name: "delegate-registered-with-ad-source",
        kind: Kind::Sometimes,
        regression: false,
        rules: &["DA-9", "SRC-2"],
        meaning: "a delegate is registered while Active Directory is the identity source",
        ghost: 0,
        reads_identities: false,
        holds: |s| s.delegates != 0 && s.source.is_ad(),
    },
    PropertyInfo {
        name: "delegate-assigns-in-member-account",
        kind: Kind::Sometimes,
        regression: false,
        rules: &["IDC-2", "IDC-6"],
        meaning: "the delegate creates an account assignment in a member account",
        ghost: ghost::DELEGATE_ASSIGNED_IN_MEMBER,
        reads_identities: true,
        holds: |s| s.ghost & ghost::DELEGATE_ASSIGNED_IN_MEMBER != 0,
    },
    PropertyInfo {
        name: "delegate-with-external-idp",
        kind: Kind::Sometimes,
        regression: false,
        rules: &["SRC-1", "SRC-3"],
        meaning: "a delegate is registered while an external IdP is the identity source",
        ghost: 0,
        reads_identities: false,
        holds: |s| s.delegates != 0 && s.source == IdentitySource::ExternalIdp,
    },
    PropertyInfo {
        name: "user-reaches-management-account",
        kind: Kind::Sometimes,
        regression: false,
        rules: &["IDC-6", "ORG-5"],
        meaning: "some user reaches the management account through the access portal",
        ghost: 0,
        reads_identities: true,
        holds: |s| effective_access(s, M) != 0,
    },
];

/// Looks a property up by name.
pub fn property(name: &str) -> Option<&'static PropertyInfo> {
    PROPERTIES.iter().find(|p| p.name == name)
}
