//! Best practices (IDC-7): constraints the management account may choose to place on its own
//! behaviour. A practice never refuses anyone else's call.

use std::fmt;

/// A best practice of the management account (IDC-7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Practice {
    /// "Grant least privilege to the management account": at most one user reaches the
    /// management account through the management account's own assignments.
    LeastPrivilegeInManagement,
    /// "Create permission sets for use only in the management account": a permission set
    /// provisioned in the management account is never provisioned in a member account, and
    /// the reverse.
    PermissionSetsOnlyForManagement,
    /// "Create user assignments only in the management account": the management account
    /// assigns only users, never groups, to itself (IDC-3, [CFT](crate::rules::Source::Cft)).
    UsersOnlyInManagement,
}

impl Practice {
    /// Every practice.
    pub const ALL: &'static [Practice] = &[
        Practice::LeastPrivilegeInManagement,
        Practice::PermissionSetsOnlyForManagement,
        Practice::UsersOnlyInManagement,
    ];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Practice::LeastPrivilegeInManagement => "least-privilege-in-management",
            Practice::PermissionSetsOnlyForManagement => "permission-sets-only-for-management",
            Practice::UsersOnlyInManagement => "users-only-in-management",
        }
    }

    /// What the management account refrains from, in one line.
    pub fn summary(self) -> &'static str {
        match self {
            Practice::LeastPrivilegeInManagement => {
                "the management account never lets a second user reach itself"
            }
            Practice::PermissionSetsOnlyForManagement => {
                "a permission set is provisioned either in the management account or in members, never both"
            }
            Practice::UsersOnlyInManagement => {
                "the management account assigns only users, never groups, to itself"
            }
        }
    }

    /// Looks a practice up by name.
    pub fn parse(name: &str) -> Option<Practice> {
        Practice::ALL.iter().copied().find(|p| p.name() == name)
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Practice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A set of practices.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct PracticeSet(u8);

impl PracticeSet {
    /// Adds a practice.
    pub fn insert(&mut self, p: Practice) {
        self.0 |= p.bit();
    }

    /// Whether the practice is followed.
    pub fn contains(self, p: Practice) -> bool {
        self.0 & p.bit() != 0
    }

    /// The practices of the set.
    pub fn iter(self) -> impl Iterator<Item = Practice> {
        Practice::ALL
            .iter()
            .copied()
            .filter(move |p| self.contains(*p))
    }

    /// Whether no practice is followed.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}
