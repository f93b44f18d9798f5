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
