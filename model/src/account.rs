//! Accounts of the organization and the small identifiers of the identity store.

use std::fmt;

/// Largest number of member accounts a configuration may have.
pub const MAX_MEMBERS: u8 = 6;
/// Largest number of accounts (the management account plus members).
pub const MAX_ACCOUNTS: usize = MAX_MEMBERS as usize + 1;
/// Largest number of users, groups and permission sets (each).
pub const MAX_IDENTITIES: u8 = 4;

/// An AWS account of the model. `Acct(0)` is the management account; `Acct(i)` for
/// `1 ≤ i ≤ members` is the member account `member-i`.
///
/// A newtype, not a raw `usize`, so that symmetry reduction can permute member accounts
/// (stateright never rewrites a raw `usize`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Acct(pub u8);

impl Acct {
    /// The management account of the organization (ORG-1).
    pub const MANAGEMENT: Acct = Acct(0);

    /// AWS itself, the caller of the environment's steps (a closed account removed from the
    /// organization after its post-closure period, a reinstatement): never an account of
    /// the organization, never in a bitset of accounts, fixed by every renaming.
    pub const AWS: Acct = Acct(MAX_ACCOUNTS as u8);

    /// Whether this is AWS itself (see [`Acct::AWS`]).
    pub fn is_aws(self) -> bool {
        self == Acct::AWS
    }

    /// Whether this is the management account.
    pub fn is_management(self) -> bool {
        self.0 == 0
    }

    /// The account's bit in an account bitset.
    pub fn bit(self) -> u8 {
        1 << self.0
    }

    /// Parses the readable name (`management`, `member-3`).
    pub fn parse(name: &str) -> Option<Acct> {
        if name == "management" {
            return Some(Acct::MANAGEMENT);
        }
        if name == "aws" {
            return Some(Acct::AWS);
        }
        let n: u8 = name.strip_prefix("member-")?.parse().ok()?;
        (1..=MAX_MEMBERS).contains(&n).then_some(Acct(n))
    }
}

impl fmt::Display for Acct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_management() {
            f.write_str("management")
        } else if self.is_aws() {
            f.write_str("aws")
        } else {
            write!(f, "member-{}", self.0)
        }
    }
}

macro_rules! small_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u8);

        impl $name {
            /// The identifier's bit in a bitset.
            pub fn bit(self) -> u8 {
                1 << self.0
            }

            /// Parses the readable name (`user-1` is index 0).
            pub fn parse(name: &str) -> Option<$name> {
                let n: u8 = name.strip_prefix(concat!($prefix, "-"))?.parse().ok()?;
                (1..=MAX_IDENTITIES).contains(&n).then_some($name(n - 1))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "-{}"), self.0 + 1)
            }
        }
    };
}

small_id!(
    /// A user of the identity store (`user-1`, …).
    User,
    "user"
);
small_id!(
    /// A group of the identity store (`group-1`, …).
    Group,
    "group"
);
small_id!(
    /// A permission set of the IAM Identity Center instance (`ps-1`, …).
    PermissionSet,
    "ps"
);

/// The principal of an account assignment (IDC-6: `PrincipalType` USER or GROUP).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Principal {
    /// A user, assigned directly.
    User(User),
    /// A group: its members reach the account.
    Group(Group),
}

impl Principal {
    /// The principal's bit in an assignment cell: users in the low nibble, groups in the high one.
    pub fn bit(self) -> u8 {
        match self {
            Principal::User(u) => u.bit(),
            Principal::Group(g) => g.bit() << 4,
        }
    }

    /// Parses `user-N` or `group-N`.
    pub fn parse(name: &str) -> Option<Principal> {
        User::parse(name)
            .map(Principal::User)
            .or_else(|| Group::parse(name).map(Principal::Group))
    }
}

impl fmt::Display for Principal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Principal::User(u) => u.fmt(f),
            Principal::Group(g) => g.fmt(f),
        }
    }
}

/// A renaming of users, groups and permission sets (identity symmetry,
/// [`crate::symmetry`]): `users[i]` is the new index of `User(i)`, and so on. Each array is
/// a permutation of `0..MAX_IDENTITIES`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct IdentityMap {
    /// New index of each user.
    pub users: [u8; MAX_IDENTITIES as usize],
    /// New index of each group.
    pub groups: [u8; MAX_IDENTITIES as usize],
    /// New index of each permission set.
    pub permission_sets: [u8; MAX_IDENTITIES as usize],
}

impl IdentityMap {
    /// The renaming that renames nothing.
    pub const IDENTITY: IdentityMap = IdentityMap {
        users: [0, 1, 2, 3],
        groups: [0, 1, 2, 3],
        permission_sets: [0, 1, 2, 3],
    };

    /// The renamed user.
    #[inline]
    pub fn user(&self, u: User) -> User {
        User(self.users[usize::from(u.0 & 3)])
    }

    /// The renamed group.
    #[inline]
    pub fn group(&self, g: Group) -> Group {
        Group(self.groups[usize::from(g.0 & 3)])
    }

    /// The renamed permission set.
    #[inline]
    pub fn permission_set(&self, p: PermissionSet) -> PermissionSet {
        PermissionSet(self.permission_sets[usize::from(p.0 & 3)])
    }

    /// The renamed principal.
    #[inline]
    pub fn principal(&self, p: Principal) -> Principal {
        match p {
            Principal::User(u) => Principal::User(self.user(u)),
            Principal::Group(g) => Principal::Group(self.group(g)),
        }
    }

    /// The inverse renaming.
    pub fn inverse(&self) -> IdentityMap {
        let invert = |map: &[u8; MAX_IDENTITIES as usize]| {
            let mut out = [0u8; MAX_IDENTITIES as usize];
            for (i, &to) in map.iter().enumerate() {
                out[usize::from(to & 3)] = i as u8;
            }
            out
        };
        IdentityMap {
            users: invert(&self.users),
            groups: invert(&self.groups),
            permission_sets: invert(&self.permission_sets),
        }
    }
}

// INVARIANT: identity indices fit in two bits (the masks `& 3` above).
const _: () = assert!(MAX_IDENTITIES == 4);

/// Iterates the set bits of a bitset, lowest first.
pub fn bits(mut set: u8) -> impl Iterator<Item = u8> {
    std::iter::from_fn(move || {
        if set == 0 {
            None
        } else {
            let i = set.trailing_zeros() as u8;
            set &= set - 1;
            Some(i)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for i in 0..=MAX_MEMBERS {
            assert_eq!(Acct::parse(&Acct(i).to_string()), Some(Acct(i)));
        }
        assert_eq!(Acct::parse("member-0"), None);
        assert_eq!(Acct::parse("member-99"), None);
        assert_eq!(User::parse("user-1"), Some(User(0)));
        assert_eq!(
            Principal::parse("group-2"),
            Some(Principal::Group(Group(1)))
        );
        assert_eq!(PermissionSet::parse("ps-5"), None);
    }

    #[test]
    fn bits_iterates_set_bits() {
        assert_eq!(bits(0b1010_0101).collect::<Vec<_>>(), vec![0, 2, 5, 7]);
    }
}
