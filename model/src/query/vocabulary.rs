//! Every term of the state-expression language: its name, signature, type, meaning and
//! the rules of `docs/rules.md` it reads. The documentation and the error
//! messages' suggestions are generated from [`VOCABULARY`]; the compiler accepts no term
//! that is not in it.

use std::fmt;

/// The type of a value of the language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    /// `true` or `false`.
    Bool,
    /// An account of the organization (`management`, `member-N`) or `none`.
    Account,
    /// An identity source (`identity-center-directory`, `external-idp`,
    /// `active-directory(ACCOUNT)`).
    Source,
    /// A user of the identity store (`user-N`).
    User,
    /// A group of the identity store (`group-N`).
    Group,
    /// A permission set (`ps-N`).
    PermissionSet,
    /// An operation's AWS name (compared with `last.call` only), or `none`.
    Operation,
}

impl Type {
    /// The type's name in signatures (`account`, `permission-set`).
    pub fn name(self) -> &'static str {
        match self {
            Type::Bool => "bool",
            Type::Account => "account",
            Type::Source => "source",
            Type::User => "user",
            Type::Group => "group",
            Type::PermissionSet => "permission-set",
            Type::Operation => "operation",
        }
    }

    /// The type in words, with its article, for messages (`an account`).
    pub fn article(self) -> &'static str {
        match self {
            Type::Bool => "a boolean",
            Type::Account => "an account",
            Type::Source => "an identity source",
            Type::User => "a user",
            Type::Group => "a group",
            Type::PermissionSet => "a permission set",
            Type::Operation => "an operation name",
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What an argument of a term may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Param {
    /// A value of one type.
    Of(Type),
    /// A user or a group (`principal` in signatures).
    Principal,
    /// A user, a group or a permission set (`identity` in signatures).
    Identity,
    /// The stable name of a built-in property (`property` in signatures).
    Property,
}

impl Param {
    /// The parameter's name in signatures.
    pub fn name(self) -> &'static str {
        match self {
            Param::Of(t) => t.name(),
            Param::Principal => "principal",
            Param::Identity => "identity",
            Param::Property => "property",
        }
    }

    /// What the parameter accepts, in words, for messages.
    pub fn article(self) -> &'static str {
        match self {
            Param::Of(t) => t.article(),
            Param::Principal => "a user or a group",
            Param::Identity => "a user, a group or a permission set",
            Param::Property => "a property name",
        }
    }

    /// Whether a value of type `t` fits.
    pub fn accepts(self, t: Type) -> bool {
        match self {
            Param::Of(want) => want == t,
            Param::Principal => matches!(t, Type::User | Type::Group),
            Param::Identity => matches!(t, Type::User | Type::Group | Type::PermissionSet),
            Param::Property => false,
        }
    }
}

/// What sort of term a [`Term`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Class {
    /// A literal value (`management`, `member-N`, `user-N`, `true`, an operation name).
    Literal,
    /// A value read from the state (`delegate`, `source`, `trusted-access`).
    State,
    /// A term applied to arguments (`reaches(user, account)`, `active-directory(account)`).
    Function,
    /// A fact about the last step (`last.caller`, `last.call`, `last.refused`).
    Step,
    /// A domain a quantifier ranges over (`accounts`, `users`).
    Domain,
}

impl Class {
    /// The class's name, for documentation.
    pub fn name(self) -> &'static str {
        match self {
            Class::Literal => "literal",
            Class::State => "state",
            Class::Function => "function",
            Class::Step => "last step",
            Class::Domain => "domain",
        }
    }
}

/// A term of the language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Term {
    /// The name as written; `N` stands for a number in the literals `member-N`, `user-N`,
    /// `group-N`, `ps-N`, and `<operation>` for any operation's AWS name.
    pub name: &'static str,
    /// How it is written with its arguments (`reaches(user, account)`).
    pub signature: &'static str,
    /// The type of its value (of a domain: of its elements).
    pub kind: Type,
    /// What sort of term it is.
    pub class: Class,
    /// Its parameters (empty unless a [`Class::Function`]).
    pub params: &'static [Param],
    /// What it means, in one line.
    pub meaning: &'static str,
    /// The rule ids of `docs/rules.md` it stands for.
    pub rules: &'static [&'static str],
}

const fn term(
    name: &'static str,
    signature: &'static str,
    kind: Type,
    class: Class,
    params: &'static [Param],
    meaning: &'static str,
    rules: &'static [&'static str],
) -> Term {
    Term {
        name,
        signature,
        kind,
        class,
        params,
        meaning,
        rules,
    }
}

use Class::{Domain, Function, Literal, State, Step};
use Param::{Identity, Of, Principal, Property};
use Type::{Account, Bool, Group, Operation, PermissionSet, Source, User};

const ACCOUNT: &[Param] = &[Of(Account)];

/// Every term of the language, by class: literals, state values, functions, the last
/// step, domains.
#[rustfmt::skip]
pub const VOCABULARY: &[Term] = &[
    // Literals.
    term("management", "management", Account, Literal, &[],
        "the management account of the organization", &["ORG-1"]),
    term("member-N", "member-N", Account, Literal, &[],
        "member account N (1 to the configuration's number of members)", &["ORG-1"]),
    term("aws", "aws", Account, Literal, &[],
        "AWS itself, the caller of the environment's steps (RemoveClosedAccount, ReinstateAccount); in no organization: every account predicate of aws is false", &["ORG-2"]),
    term("none", "none", Account, Literal, &[],
        "no account (or, compared with last.call, no operation); every predicate of none is false", &[]),
    term("user-N", "user-N", User, Literal, &[],
        "user N of the configuration's universe, whether it exists or not", &[]),
    term("group-N", "group-N", Group, Literal, &[],
        "group N of the configuration's universe, whether it exists or not", &[]),
    term("ps-N", "ps-N", PermissionSet, Literal, &[],
        "permission set N of the configuration's universe, whether it exists or not", &[]),
    term("identity-center-directory", "identity-center-directory", Source, Literal, &[],
        "the Identity Center directory as identity source", &["SRC-1"]),
    term("external-idp", "external-idp", Source, Literal, &[],
        "an external SAML identity provider as identity source", &["SRC-1"]),
    term("true", "true", Bool, Literal, &[], "always holds", &[]),
    term("false", "false", Bool, Literal, &[], "never holds", &[]),
    term("<operation>", "<operation>", Operation, Literal, &[],
        "an operation's AWS name (EnableAWSServiceAccess, ds-data:CreateUser, ...), only compared with last.call", &[]),
    // Values of the state.
    term("delegate", "delegate", Account, State, &[],
        "the registered delegated administrator (the lowest-numbered if several), or none", &["DA-1", "DA-7"]),
    term("source", "source", Source, State, &[],
        "the identity source of the IAM Identity Center instance", &["SRC-1"]),
    term("instance", "instance", Account, State, &[],
        "the account that owns the organization instance of IAM Identity Center, or none", &["IDC-1"]),
    term("trusted-access", "trusted-access", Bool, State, &[],
        "trusted access for sso.amazonaws.com is enabled", &["ORG-5"]),
    term("ad-sync", "ad-sync", Bool, State, &[],
        "configurable AD sync is on", &["DA-9"]),
    term("ad-sync-paused", "ad-sync-paused", Bool, State, &[],
        "configurable AD sync is paused (console: \"Pause sync\"; it stays on)", &["DA-9"]),
    // Functions and predicates.
    term("active-directory", "active-directory(account)", Source, Function, ACCOUNT,
        "the AD directory the account owns, as identity source; active-directory(none) is no source", &["SRC-1", "SRC-2"]),
    term("registered", "registered(account)", Bool, Function, ACCOUNT,
        "the account is in the delegated-administrator registry", &["DA-1", "DA-7"]),
    term("invited", "invited(account)", Bool, Function, ACCOUNT,
        "the account has a pending invitation to the organization", &["ORG-2"]),
    term("in-org", "in-org(account)", Bool, Function, ACCOUNT,
        "the account is in the organization, active or suspended", &["ORG-2", "ORG-6"]),
    term("active", "active(account)", Bool, Function, ACCOUNT,
        "the account is in the organization and not closed", &["ORG-2", "ORG-6"]),
    term("closed", "closed(account)", Bool, Function, ACCOUNT,
        "the account is closed (suspended while in the organization)", &["ORG-2", "ORG-6"]),
    term("exists", "exists(identity)", Bool, Function, &[Identity],
        "the user, group or permission set exists", &["IDC-2", "SRC-6"]),
    term("member", "member(user, group)", Bool, Function, &[Of(User), Of(Group)],
        "the user is a member of the group", &["IDC-3", "SRC-6"]),
    term("reaches", "reaches(user, account)", Bool, Function, &[Of(User), Of(Account)],
        "the user can sign in to the account through the access portal", &["IDC-6", "ORG-4", "ORG-5", "SRC-6"]),
    term("assigned", "assigned(principal, permission-set, account)", Bool, Function,
        &[Principal, Of(PermissionSet), Of(Account)],
        "the user or group is directly assigned to the account with the permission set", &["IDC-6"]),
    term("provisioned", "provisioned(permission-set, account)", Bool, Function,
        &[Of(PermissionSet), Of(Account)],
        "the permission set is provisioned in the account", &["IDC-8"]),
    term("owns-directory", "owns-directory(account)", Bool, Function, ACCOUNT,
        "the account owns an AD directory", &["SRC-2", "SRC-6"]),
    term("controls", "controls(account, principal)", Bool, Function, &[Of(Account), Principal],
        "the user or group exists and the account controls the identity source's identities", &["SRC-6"]),
    term("holds", "holds(property)", Bool, Function, &[Property],
        "the built-in property of that stable name holds", &[]),
    // The last step.
    term("last.caller", "last.caller", Account, Step, &[],
        "the caller of the last step, or none at the initial state", &[]),
    term("last.call", "last.call", Operation, Step, &[],
        "the operation of the last step, or none at the initial state", &[]),
    term("last.refused", "last.refused", Bool, Step, &[],
        "the last step was refused (the state did not change)", &[]),
    // Domains of quantifiers.
    term("accounts", "accounts", Account, Domain, &[],
        "the management account and every member account of the configuration", &["ORG-1"]),
    term("members", "members", Account, Domain, &[],
        "every member account of the configuration", &["ORG-1"]),
    term("users", "users", User, Domain, &[],
        "every user of the configuration, existing or not", &[]),
    term("groups", "groups", Group, Domain, &[],
        "every group of the configuration, existing or not", &[]),
    term("permission-sets", "permission-sets", PermissionSet, Domain, &[],
        "every permission set of the configuration, existing or not", &[]),
];

/// The keywords: never a variable's or a term's name.
pub const KEYWORDS: &[&str] = &["all", "some", "in", "last", "true", "false", "none"];

/// The prefix and the 0-based index limit of the numbered literals.
pub(crate) const NUMBERED: &[(&str, Type)] = &[
    ("member-", Account),
    ("user-", User),
    ("group-", Group),
    ("ps-", PermissionSet),
];

/// Splits a numbered literal (`member-12`) into its type and number; `None` unless the
/// name is a prefix of [`NUMBERED`] and a decimal number without leading zero (the number
/// saturates at `u32::MAX`).
pub(crate) fn numbered(name: &str) -> Option<(&'static str, Type, u32)> {
    NUMBERED.iter().find_map(|&(prefix, t)| {
        let digits = name.strip_prefix(prefix)?;
        let ok = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !(digits.len() > 1 && digits.starts_with('0'));
        ok.then(|| {
            let n = digits.bytes().fold(0u32, |n, b| {
                n.saturating_mul(10).saturating_add(u32::from(b - b'0'))
            });
            (prefix, t, n)
        })
    })
}

/// The term a name stands for: its entry by exact name, the `member-N`/`user-N`/`group-N`/
/// `ps-N` entry for a numbered literal (whatever the number), the `<operation>` entry for
/// an operation's AWS name.
pub fn lookup(name: &str) -> Option<&'static Term> {
    let key = match numbered(name) {
        Some((prefix, _, _)) => match prefix {
            "member-" => "member-N",
            "user-" => "user-N",
            "group-" => "group-N",
            _ => "ps-N",
        },
        None if crate::op_kind::OpKind::parse(name).is_some() => "<operation>",
        None => name,
    };
    VOCABULARY.iter().find(|t| t.name == key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rule;

    #[test]
    fn signatures_match_names_and_parameters() {
        for t in VOCABULARY {
            let expected = if t.params.is_empty() {
                t.name.to_string()
            } else {
                let params: Vec<&str> = t.params.iter().map(|p| p.name()).collect();
                format!("{}({})", t.name, params.join(", "))
            };
            assert_eq!(t.signature, expected);
            assert_eq!(
                t.params.is_empty(),
                t.class != Class::Function,
                "{}",
                t.name
            );
            assert!(!t.meaning.is_empty() && !t.meaning.contains('\n'));
        }
    }

    #[test]
    fn names_are_unique_and_rules_exist() {
        for (i, t) in VOCABULARY.iter().enumerate() {
            assert!(
                VOCABULARY[..i].iter().all(|u| u.name != t.name),
                "{} twice",
                t.name
            );
            for id in t.rules {
                assert!(Rule::parse(id).is_some(), "{}: no rule {id}", t.name);
            }
        }
    }

    #[test]
    fn numbered_literals_and_operations_find_their_entry() {
        assert_eq!(lookup("member-12").unwrap().name, "member-N");
        assert_eq!(lookup("ps-1").unwrap().name, "ps-N");
        assert_eq!(lookup("ds:ResetUserPassword").unwrap().name, "<operation>");
        assert!(lookup("member-01").is_none());
        assert!(lookup("member-").is_none());
        assert_eq!(
            numbered("user-99999999999"),
            Some(("user-", User, u32::MAX))
        );
    }
}
