//! The rules catalogue (`docs/rules.md`): stable ids, sources, and how the model
//! implements each one — as a guard (which a user can relax, "what if"), as an effect of a
//! call, or not at all. Each source key (`[SEED]`) maps to the page it stands for in the
//! [`Source`] table, the one place its URL is written.

use std::fmt;

/// How the model implements a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Implementation {
    /// A guard that refuses calls; `--relax` switches it off.
    Guard,
    /// A guard that is the registry's own set semantics: relaxing it would change nothing.
    Fixed,
    /// What a call does, or may do (an allowance or an effect), not a refusal.
    Effect,
    /// Outside the model (stated in docs/model.md).
    NotModelled,
}

impl Implementation {
    /// `guard`, `fixed guard`, `effect`, `not modelled`.
    pub fn name(self) -> &'static str {
        match self {
            Implementation::Guard => "guard",
            Implementation::Fixed => "fixed guard",
            Implementation::Effect => "effect",
            Implementation::NotModelled => "not modelled",
        }
    }
}

macro_rules! rules {
    ($($variant:ident => $id:literal, $imp:ident, $source:literal, $summary:literal;)*) => {
        /// A rule of the catalogue.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(u8)]
        pub enum Rule { $(
            #[doc = $summary]
            $variant,
        )* }

        impl Rule {
            /// Every rule, in catalogue order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The stable id, e.g. `DA-7`.
            pub fn id(self) -> &'static str {
                match self { $(Rule::$variant => $id),* }
            }

            /// The source keys of the catalogue, e.g. `[SEED] [ORG]` ([`Rule::sources`] gives
            /// their pages).
            pub fn source(self) -> &'static str {
                match self { $(Rule::$variant => $source),* }
            }

            /// What the rule says, in one line.
            pub fn summary(self) -> &'static str {
                match self { $(Rule::$variant => $summary),* }
            }

            /// How the model implements it.
            pub fn implementation(self) -> Implementation {
                match self { $(Rule::$variant => Implementation::$imp),* }
            }
        }
    };
}

rules! {
    Org1 => "ORG-1", Guard, "[ORG]", "an account outside the organization calling Organizations gets AWSOrganizationsNotInUseException";
    Org2 => "ORG-2", Guard, "[ORG]", "only the management account removes, closes and invites accounts; the management account can't leave or be removed, and closes only once it has no members; a closed account can't sign in, leaves the organization after 90 days (AWS) unless reinstated";
    Org3 => "ORG-3", Guard, "[ORG] [ORGREM]", "a registered delegated administrator can't leave or be removed";
    Org4 => "ORG-4", Guard, "[ORGSSO]", "an account outside the organization (or closed) no longer works with IAM Identity Center";
    Org5 => "ORG-5", Guard, "[ORG] [ORGSSO]", "only the management account enables or disables trusted access; enabling IAM Identity Center enables it; without it users reach no account";
    Org6 => "ORG-6", Effect, "[orgs_manage_accounts_close]", "an account's root user can close its own account (CloseOwnAccount; a delegate: Q3; the management account once it has no members)";
    Da1 => "DA-1", Guard, "[SEED] [ORG]", "only the management account registers or deregisters delegated administrators";
    Da2 => "DA-2", Guard, "[ORG]", "the management account can't be registered";
    Da3 => "DA-3", Guard, "[ORG]", "a suspended (closed) account can't be registered";
    Da4 => "DA-4", Guard, "[ORG]", "registration needs trusted access enabled";
    Da5 => "DA-5", Guard, "[ORG]", "the registered account must belong to the organization";
    Da6 => "DA-6", Fixed, "[ORG]", "an account already registered can't be registered again";
    Da7 => "DA-7", Guard, "[SEED] [ORG]", "only one delegated administrator at a time";
    Da8 => "DA-8", Fixed, "[ORG]", "only the registered account can be deregistered";
    Da9 => "DA-9", Guard, "[SEED]", "registering while Active Directory is the identity source needs configurable AD sync (a console prerequisite; whether the API enforces it: Q8)";
    Da10 => "DA-10", Effect, "[SEED]", "deregistering changes no permission, assignment or identity";
    Idc1 => "IDC-1", Guard, "[SEED] [SSO]", "only the management account enables the organization instance (EnableIdentityCenter) or deletes its configuration";
    Idc1a => "IDC-1a", Guard, "[SSO]", "CreateInstance makes an account instance: refused in the management account, one per account; only an instance's owner deletes it; an account instance administers nothing of the organization";
    Idc2 => "IDC-2", Guard, "[SEED] [ACCT]", "the delegated administrator can't manage permission sets provisioned in the management account nor user access in it";
    Idc3 => "IDC-3", Effect, "[SEED] [ACCT] [CFT]", "the delegated administrator can edit group membership, also of groups that reach the management account";
    Idc4 => "IDC-4", Guard, "[ACCT]", "member accounts that are not the delegated administrator administer nothing";
    Idc5 => "IDC-5", Guard, "[ACCT]", "the delegated administrator can't assign a permission set that is provisioned in the management account, to any account";
    Idc6 => "IDC-6", Effect, "[SSO]", "an assignment provisions its permission set to the target account; a user reaches an account through a direct or a group assignment";
    Idc7 => "IDC-7", Effect, "[SEED]", "best practices the management account may follow (--practice)";
    Idc8 => "IDC-8", Effect, "[SSO] [howtoremovepermissionset]", "provisioning comes and goes: ProvisionPermissionSet adds a set's role to an account, removing a set from an account deletes its role and assignments there; whether the last assignment's deletion deprovisions is A3";
    Idc9 => "IDC-9", Guard, "[howtodeletepermissionset] [SSO]", "DeletePermissionSet is refused (ConflictException) while the set is provisioned in any account";
    Idc10 => "IDC-10", Guard, "[ORG] [ORGSSO]", "with trusted access disabled, no assignment or provisioning into a member account succeeds, whoever calls";
    Src1 => "SRC-1", Effect, "[GSAD]", "one identity source at a time: the Identity Center directory, Active Directory or an external IdP";
    Src2 => "SRC-2", Guard, "[SEED] [GSAD] [manage-your-identity-source-ad]", "a change to or from Active Directory needs the directory in the delegated administrator account if one exists, else in the management account (seed page), or in the management account (current page): Q9";
    Src3 => "SRC-3", Effect, "[ACCT]", "the delegated administrator may change the identity source";
    Src4 => "SRC-4", Effect, "[CONS]", "a change between the Identity Center directory and an external IdP, or from one external IdP to another, keeps assignments; every change involving AD deletes users, groups and assignments (SRC-8)";
    Src5 => "SRC-5", NotModelled, "[GSAD]", "AWS Managed Microsoft AD must be in IAM Identity Center's Region (the model has one Region)";
    Src6 => "SRC-6", Guard, "[SEED] [GSAD] [CONS]", "whoever owns the identity source controls the identities (the directory's owner; with the Identity Center directory the management account and the delegate; with an external IdP its configurer): with AD as the source the identity store refuses user, group and membership writes, and the directory's owner manages them";
    Src7 => "SRC-7", Effect, "[CHANGE]", "a source change that removes assignments also removes every permission set's role from every account";
    Src8 => "SRC-8", Effect, "[CONS]", "a change to or from Active Directory (AD to the Identity Center directory included) deletes users, groups and assignments";
}

macro_rules! sources {
    ($($variant:ident => $key:literal, $url:literal, $title:literal;)*) => {
        /// A source of the catalogue: a page of AWS's documentation, or an API model, by the
        /// key rules cite it with (`[SEED]`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Source { $(
            #[doc = $title]
            $variant,
        )* }

        impl Source {
            /// Every source, in catalogue order.
            pub const ALL: &'static [Source] = &[$(Source::$variant),*];

            /// The key rules cite it with, without brackets: `SEED`.
            pub fn key(self) -> &'static str {
                match self { $(Source::$variant => $key),* }
            }

            /// The page's full URL.
            pub fn url(self) -> &'static str {
                match self { $(Source::$variant => $url),* }
            }

            /// What the page is, in one line.
            pub fn title(self) -> &'static str {
                match self { $(Source::$variant => $title),* }
            }
        }
    };
}

sources! {
    Seed => "SEED", "https://docs.aws.amazon.com/singlesignon/latest/userguide/delegated-admin.html",
        "IAM Identity Center user guide: Delegated administration (the seed page)";
    Org => "ORG", "https://github.com/boto/botocore/blob/develop/botocore/data/organizations/2016-11-28/service-2.json",
        "AWS Organizations API model (botocore): operation docs, error shapes, ConstraintViolationException reasons";
    Sso => "SSO", "https://github.com/boto/botocore/blob/develop/botocore/data/sso-admin/2020-07-20/service-2.json",
        "IAM Identity Center admin API model (botocore, sso-admin)";
    Ids => "IDS", "https://github.com/boto/botocore/blob/develop/botocore/data/identitystore/2020-06-15/service-2.json",
        "Identity store API model (botocore, identitystore)";
    Acct => "ACCT", "https://docs.aws.amazon.com/singlesignon/latest/userguide/manage-your-accounts.html",
        "IAM Identity Center user guide: the AWS account types table";
    Cons => "CONS", "https://docs.aws.amazon.com/singlesignon/latest/userguide/manage-your-identity-source-considerations.html",
        "IAM Identity Center user guide: Considerations for changing your identity source";
    Gsad => "GSAD", "https://docs.aws.amazon.com/singlesignon/latest/userguide/gs-ad.html",
        "IAM Identity Center user guide: Use Active Directory as an identity source";
    OrgSso => "ORGSSO", "https://docs.aws.amazon.com/organizations/latest/userguide/services-that-can-integrate-sso.html",
        "AWS Organizations user guide: IAM Identity Center and AWS Organizations";
    OrgRem => "ORGREM", "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_remove.html",
        "AWS Organizations user guide: Removing a member account";
    DeletePermissionSet => "howtodeletepermissionset", "https://docs.aws.amazon.com/singlesignon/latest/userguide/howtodeletepermissionset.html",
        "IAM Identity Center user guide: Delete permission sets";
    RemovePermissionSet => "howtoremovepermissionset", "https://docs.aws.amazon.com/singlesignon/latest/userguide/howtoremovepermissionset.html",
        "IAM Identity Center user guide: Remove permission sets";
    CloseAccount => "orgs_manage_accounts_close", "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_close.html",
        "AWS Organizations user guide: Closing a member account";
    Change => "CHANGE", "https://docs.aws.amazon.com/singlesignon/latest/userguide/manage-your-identity-source-change.html",
        "IAM Identity Center user guide: Change your identity source";
    Cft => "CFT", "https://github.com/aws-samples/cloud-foundations-templates/blob/main/identity/management-account-aws-idc-assignments/README.md",
        "aws-samples cloud-foundations-templates: management account assignments";
    IdentitySource => "manage-your-identity-source", "https://docs.aws.amazon.com/singlesignon/latest/userguide/manage-your-identity-source.html",
        "IAM Identity Center user guide: Manage your identity source";
    IdentitySourceSso => "manage-your-identity-source-sso", "https://docs.aws.amazon.com/singlesignon/latest/userguide/manage-your-identity-source-sso.html",
        "IAM Identity Center user guide: Manage identities in IAM Identity Center";
    ConnectAd => "manage-your-identity-source-ad", "https://docs.aws.amazon.com/singlesignon/latest/userguide/manage-your-identity-source-ad.html",
        "IAM Identity Center user guide: Connect to a Microsoft AD directory (the directory in the management account; Q9)";
}

impl Source {
    /// Looks a source up by its key (`SEED`, `[SEED]`).
    pub fn parse(key: &str) -> Option<Source> {
        let key = key.trim().trim_start_matches('[').trim_end_matches(']');
        Source::ALL.iter().copied().find(|s| s.key() == key)
    }
}

impl Rule {
    /// The pages the rule comes from, in the order of [`Rule::source`]'s keys. Every key
    /// has a page (a test checks it), so none is left out.
    pub fn sources(self) -> Vec<Source> {
        source_keys(self.source())
            .filter_map(Source::parse)
            .collect()
    }
}

/// The keys of a source string: `[SEED] [ORG]` gives `SEED`, `ORG`.
fn source_keys(source: &str) -> impl Iterator<Item = &str> {
    source
        .split(']')
        .map(|k| k.trim().trim_start_matches('['))
        .filter(|k| !k.is_empty())
}

impl Rule {
    /// Looks a rule up by its id (`DA-7`), case-insensitively.
    pub fn parse(id: &str) -> Option<Rule> {
        Rule::ALL
            .iter()
            .copied()
            .find(|r| r.id().eq_ignore_ascii_case(id))
    }

    /// Whether `--relax` can switch the rule off: only guards, and not DA-6 and DA-8,
    /// which are the registry's own set semantics (registering a member twice,
    /// deregistering a non-member: without their guards the call would change nothing).
    pub fn relaxable(self) -> bool {
        self.implementation() == Implementation::Guard
    }

    /// The rule's bit in a [`RuleSet`].
    fn bit(self) -> u64 {
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
pub struct RuleSet(u64);

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
        assert!(Rule::ALL.len() < 64, "RuleSet is a u64");
        assert_eq!(Rule::parse("DA-99"), None);
        assert!(!Rule::Da6.relaxable() && !Rule::Src7.relaxable());
        assert!(Rule::Idc9.relaxable());
    }

    #[test]
    fn every_source_key_has_a_page() {
        for r in Rule::ALL {
            let keys: Vec<&str> = source_keys(r.source()).collect();
            assert!(!keys.is_empty(), "{r} cites no source");
            for key in &keys {
                assert!(
                    Source::parse(key).is_some(),
                    "{r}: the source [{key}] has no URL"
                );
            }
            assert_eq!(r.sources().len(), keys.len(), "{r}");
        }
        for s in Source::ALL {
            assert!(s.url().starts_with("https://"), "{}: {}", s.key(), s.url());
            assert!(!s.url().contains(char::is_whitespace), "{}", s.key());
            assert_eq!(Source::parse(s.key()), Some(*s));
            assert_eq!(Source::parse(&format!("[{}]", s.key())), Some(*s));
        }
        assert_eq!(
            Rule::Src2.sources(),
            vec![Source::Seed, Source::Gsad, Source::ConnectAd],
            "in the order of the keys"
        );
    }

    #[test]
    fn docs_rules_md_lists_every_rule_and_source() {
        let doc = include_str!("../../docs/rules.md");
        for r in Rule::ALL {
            assert!(
                doc.contains(&format!("**{}**", r.id())),
                "docs/rules.md does not list {r}"
            );
            for s in r.sources() {
                assert!(doc.contains(s.url()), "docs/rules.md lacks {}", s.url());
            }
        }
    }
}
