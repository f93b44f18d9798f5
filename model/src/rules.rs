//! The rules catalogue (`shared/domain/RULES.md`): stable ids, sources, and which of them
//! the model enforces as guards (and so can relax).

use std::fmt;

macro_rules! rules {
    ($($variant:ident => $id:literal, $source:literal, $summary:literal;)*) => {
        /// A rule of the catalogue that the model implements as a guard.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(u8)]
        pub enum Rule { $(
            #[doc = $summary]
            $variant,
        )* }

        impl Rule {
            /// Every rule the model implements as a guard, in catalogue order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The stable id, e.g. `DA-7`.
            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id),* }
            }

            /// The source keys of RULES.md, e.g. `[SEED] [ORG]`.
            pub fn source(self) -> &'static str {
                match self { $(Rule::$variant => $source),* }
            }

            /// What the guard enforces, in one line.
            pub fn summary(self) -> &'static str {
                match self { $(Rule::$variant => $summary),* }
            }
        }
    };
}

rules! {
    Org1 => "ORG-1", "[ORG]", "an account outside the organization calling Organizations gets AWSOrganizationsNotInUseException";
    Org2 => "ORG-2", "[ORG]", "only the management account removes, closes and invites accounts; the management account can't leave, be removed or be closed";
    Org3 => "ORG-3", "[ORG] [ORGREM]", "a registered delegated administrator can't leave or be removed";
    Org4 => "ORG-4", "[ORGSSO]", "an account outside the organization (or closed) no longer works with IAM Identity Center";
    Org5 => "ORG-5", "[ORG] [ORGSSO]", "only the management account enables or disables trusted access";
    Da1 => "DA-1", "[SEED] [ORG]", "only the management account registers or deregisters delegated administrators";
    Da2 => "DA-2", "[ORG]", "the management account can't be registered";
    Da3 => "DA-3", "[ORG]", "a suspended (closed) account can't be registered";
    Da4 => "DA-4", "[ORG]", "registration needs trusted access enabled";
    Da5 => "DA-5", "[ORG]", "the registered account must belong to the organization";
    Da6 => "DA-6", "[ORG]", "an account already registered can't be registered again";
    Da7 => "DA-7", "[SEED] [ORG]", "only one delegated administrator at a time";
    Da8 => "DA-8", "[ORG]", "only the registered account can be deregistered";
    Da9 => "DA-9", "[SEED]", "registering while Active Directory is the identity source needs configurable AD sync";
    Idc1 => "IDC-1", "[SEED] [SSO]", "only the management account enables IAM Identity Center or deletes its configuration";
    Idc2 => "IDC-2", "[SEED] [ACCT]", "the delegated administrator can't manage permission sets provisioned in the management account nor user access in it";
    Idc4 => "IDC-4", "[ACCT]", "member accounts that are not the delegated administrator administer nothing";
    Idc5 => "IDC-5", "[ACCT]", "the delegated administrator can't assign a permission set that is provisioned in the management account, to any account";
    Src2 => "SRC-2", "[SEED] [GSAD]", "a change to or from Active Directory needs the directory in the delegated administrator account if one exists, else in the management account";
}

impl Rule {
    /// Looks a rule up by its id (`DA-7`), case-insensitively.
    pub fn parse(id: &str) -> Option<Rule> {
        Rule::ALL
            .iter()
            .copied()
            .find(|r| r.id().eq_ignore_ascii_case(id))
    }

    /// Whether relaxing the rule means anything. DA-6 and DA-8 are the registry's own set
    /// semantics (registering a member twice, deregistering a non-member): without their
    /// guards the call would change nothing, so they are not relaxable.
    pub fn relaxable(self) -> bool {
        !matches!(self, Rule::Da6 | Rule::Da8)
    }

    /// The rule's bit in a [`RuleSet`].
    fn bit(self) -> u32 {
        1 << (self as u8)
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A set of rules (the relaxed ones of a configuration).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RuleSet(u32);

impl RuleSet {
    /// Adds a rule.
    pub fn insert(&mut self, rule: Rule) {
        self.0 |= rule.bit();
    }

    /// Whether the rule is in the set.
    pub fn contains(self, rule: Rule) -> bool {
        self.0 & rule.bit() != 0
    }

    /// The rules of the set, in catalogue order.
    pub fn iter(self) -> impl Iterator<Item = Rule> {
        Rule::ALL.iter().copied().filter(move |r| self.contains(*r))
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_parse_back() {
        for r in Rule::ALL {
            assert_eq!(Rule::parse(r.id()), Some(*r));
            assert_eq!(Rule::parse(&r.id().to_lowercase()), Some(*r));
        }
        assert!(Rule::ALL.len() < 32, "RuleSet is a u32");
        assert_eq!(Rule::parse("DA-99"), None);
    }
}
