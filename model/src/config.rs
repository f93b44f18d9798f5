//! The configuration of a model: its size, assumptions, practices and relaxed rules.

use crate::account::{MAX_IDENTITIES, MAX_MEMBERS};
use crate::assumptions::Assumptions;
use crate::practice::PracticeSet;
use crate::rules::{Rule, RuleSet};
use crate::threat::Threat;

/// What is checked: how many accounts and identities, and under which assumptions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Config {
    /// Member accounts besides the management account (1..=6).
    pub members: u8,
    /// Users of the identity store (1..=4).
    pub users: u8,
    /// Groups of the identity store (1..=4).
    pub groups: u8,
    /// Permission sets (1..=4).
    pub permission_sets: u8,
    /// The model's position on each undocumented point.
    pub assumptions: Assumptions,
    /// The best practices the management account follows (IDC-7).
    pub practices: PracticeSet,
    /// The rules whose guards are switched off ("what if").
    pub relaxed: RuleSet,
    /// Which operations each account makes (a design's threat model; by default, every
    /// account any call). It narrows the calls explored, never what AWS does with a call.
    pub threat: Threat,
}

impl Default for Config {
    /// The default model: 2 members, 1 user, 1 group, 1 permission set, default assumptions.
    fn default() -> Config {
        Config {
            members: 2,
            users: 1,
            groups: 1,
            permission_sets: 1,
            assumptions: Assumptions::default(),
            practices: PracticeSet::default(),
            relaxed: RuleSet::default(),
            threat: Threat::default(),
        }
    }
}

/// Why a configuration is out of range.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// A size is outside its range.
    #[error("{what} must be between {min} and {max}, got {got}")]
    OutOfRange {
        /// Which size (`members`, `users`, …).
        what: &'static str,
        /// The smallest allowed value.
        min: u8,
        /// The largest allowed value.
        max: u8,
        /// The value given.
        got: u64,
    },
}

impl Config {
    /// Checks the sizes against the model's bounds.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let check = |what, got: u8, max| {
            if (1..=max).contains(&got) {
                Ok(())
            } else {
                Err(ConfigError::OutOfRange {
                    what,
                    min: 1,
                    max,
                    got: got.into(),
                })
            }
        };
        check("members", self.members, MAX_MEMBERS)?;
        check("users", self.users, MAX_IDENTITIES)?;
        check("groups", self.groups, MAX_IDENTITIES)?;
        check("permission-sets", self.permission_sets, MAX_IDENTITIES)
    }

    /// Whether the guard of `rule` is in force.
    #[inline]
    pub fn enforces(&self, rule: Rule) -> bool {
        !self.relaxed.contains(rule)
    }

    /// Number of accounts (management + members).
    pub fn accounts(&self) -> u8 {
        self.members + 1
    }

    /// Bitset of all accounts of the configuration.
    pub fn all_accounts(&self) -> u8 {
        ((1u16 << self.accounts()) - 1) as u8
    }
}
