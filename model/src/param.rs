//! The parameters of operations: what each kind of value looks like, how it is read from
//! its name, which accounts it names, and which values a configuration has.
//!
//! The operations table (`operations.rs`) gives each parameter a type; [`Param`] is all the
//! table's consumers need to know of it.

use std::fmt;

use crate::account::{Acct, Group, IdentityMap, PermissionSet, Principal, User};
use crate::config::Config;

/// The identity source of the IAM Identity Center instance (SRC-1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IdentitySource {
    /// The Identity Center directory (the default).
    IdentityCenterDirectory,
    /// An Active Directory directory, named by the account that owns it.
    ActiveDirectory(Acct),
    /// An external SAML identity provider.
    ExternalIdp,
}

impl IdentitySource {
    /// Whether this is Active Directory.
    pub fn is_ad(self) -> bool {
        matches!(self, IdentitySource::ActiveDirectory(_))
    }

    /// Parses `identity-center-directory`, `external-idp`, or `active-directory:<account>`.
    pub fn parse(text: &str) -> Option<IdentitySource> {
        source_with(text, Acct::parse)
    }
}

fn source_with(text: &str, account: fn(&str) -> Option<Acct>) -> Option<IdentitySource> {
    match text {
        "identity-center-directory" => Some(IdentitySource::IdentityCenterDirectory),
        "external-idp" => Some(IdentitySource::ExternalIdp),
        _ => text
            .strip_prefix("active-directory:")
            .and_then(account)
            .map(IdentitySource::ActiveDirectory),
    }
}

impl fmt::Display for IdentitySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdentitySource::IdentityCenterDirectory => f.write_str("identity-center-directory"),
            IdentitySource::ActiveDirectory(a) => write!(f, "active-directory:{a}"),
            IdentitySource::ExternalIdp => f.write_str("external-idp"),
        }
    }
}

/// An IAM Identity Center instance named by `DeleteInstance` (IDC-1, IDC-1a).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum InstanceRef {
    /// The organization instance (in the management account).
    Organization,
    /// The account instance of an account.
    Account(Acct),
}

impl fmt::Display for InstanceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InstanceRef::Organization => f.write_str("organization"),
            InstanceRef::Account(a) => write!(f, "account:{a}"),
        }
    }
}

/// What a parameter's value must look like, for error messages; also the identity of a
/// parameter type (each [`Param`] type has its own).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    /// `management` or `member-N`.
    Account,
    /// `identity-center-directory`, `external-idp` or `active-directory:<account>`.
    IdentitySource,
    /// `ps-N`.
    PermissionSet,
    /// `user-N` or `group-N`.
    Principal,
    /// `user-N`.
    User,
    /// `group-N`.
    Group,
    /// `organization` or `account:<account>`.
    Instance,
}

impl fmt::Display for ValueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ValueKind::Account => "an account (management or member-N)",
            ValueKind::IdentitySource => {
                "an identity source (identity-center-directory, external-idp or active-directory:<account>)"
            }
            ValueKind::PermissionSet => "a permission set (ps-N)",
            ValueKind::Principal => "a principal (user-N or group-N)",
            ValueKind::User => "a user (user-N)",
            ValueKind::Group => "a group (group-N)",
            ValueKind::Instance => "an instance (organization or account:<account>)",
        })
    }
}

/// Where a call names something beyond the configuration.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{what} is beyond the configuration ({limit})")]
pub struct OutOfRange {
    /// The account or identity named.
    pub what: String,
    /// What the configuration has.
    pub limit: String,
}

fn plural(n: u8, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Checks that an account exists in the configuration.
pub fn account_in_range(cfg: &Config, a: Acct) -> Result<(), OutOfRange> {
    if a.0 <= cfg.members {
        Ok(())
    } else {
        Err(OutOfRange {
            // Beyond every configuration, `member-7` has AWS's index: name it as given.
            what: if a.is_aws() {
                format!("member-{}", a.0)
            } else {
                a.to_string()
            },
            limit: plural(cfg.members, "member account", "member accounts"),
        })
    }
}

fn identity_in_range(
    what: impl fmt::Display,
    i: u8,
    n: u8,
    one: &str,
    many: &str,
) -> Result<(), OutOfRange> {
    if i < n {
        Ok(())
    } else {
        Err(OutOfRange {
            what: what.to_string(),
            limit: plural(n, one, many),
        })
    }
}

/// A parameter's value of any type, as the universe of calls builds operations from them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Value {
    Account(Acct),
    Instance(InstanceRef),
    IdentitySource(IdentitySource),
    PermissionSet(PermissionSet),
    Principal(Principal),
    User(User),
    Group(Group),
}

impl Value {
    /// Every value of a parameter type in a configuration, in the universe's order.
    pub fn domain(kind: ValueKind, cfg: &Config) -> Vec<Value> {
        let accounts = (0..cfg.accounts()).map(Acct);
        let users = (0..cfg.users).map(User);
        let groups = (0..cfg.groups).map(Group);
        match kind {
            ValueKind::Account => accounts.map(Value::Account).collect(),
            ValueKind::Instance => std::iter::once(InstanceRef::Organization)
                .chain(accounts.map(InstanceRef::Account))
                .map(Value::Instance)
                .collect(),
            ValueKind::IdentitySource => [
                IdentitySource::IdentityCenterDirectory,
                IdentitySource::ExternalIdp,
            ]
            .into_iter()
            .chain(accounts.map(IdentitySource::ActiveDirectory))
            .map(Value::IdentitySource)
            .collect(),
            ValueKind::PermissionSet => (0..cfg.permission_sets)
                .map(|p| Value::PermissionSet(PermissionSet(p)))
                .collect(),
            ValueKind::Principal => users
                .map(Principal::User)
                .chain(groups.map(Principal::Group))
                .map(Value::Principal)
                .collect(),
            ValueKind::User => users.map(Value::User).collect(),
            ValueKind::Group => groups.map(Value::Group).collect(),
        }
    }
}

/// A type of operation parameter.
pub trait Param: Copy + fmt::Display + Sized {
    /// What its values look like; distinct for each type.
    const KIND: ValueKind;

    /// Reads a readable name, accepting any index (`member-99`) so that the range is
    /// checked, and reported, afterwards.
    fn parse_lenient(text: &str) -> Option<Self>;

    /// The value back from a [`Value`] of its kind.
    fn from_value(v: Value) -> Option<Self>;

    /// The account the value names, if any.
    fn account(self) -> Option<Acct> {
        None
    }

    /// The value with its account renamed (symmetry); values naming no account are kept.
    fn map_accounts(self, _f: &impl Fn(Acct) -> Acct) -> Self {
        self
    }

    /// The value with its user, group or permission set renamed (identity symmetry);
    /// values naming none are kept.
    fn map_identities(self, _map: &IdentityMap) -> Self {
        self
    }

    /// Checks that the users, groups and permission sets the value names exist in the
    /// configuration (its account is checked with [`account_in_range`]).
    fn identities_in_range(self, _cfg: &Config) -> Result<(), OutOfRange> {
        Ok(())
    }
}

/// Parses `management` or `member-N` for any `N` in `1..=255`.
fn lenient_account(text: &str) -> Option<Acct> {
    if text == "management" {
        return Some(Acct::MANAGEMENT);
    }
    let n: u8 = text.strip_prefix("member-")?.parse().ok()?;
    (n >= 1).then_some(Acct(n))
}

/// Parses `<prefix>-N` for any `N` in `1..=255` into the index `N - 1`.
fn lenient_index(text: &str, prefix: &str) -> Option<u8> {
    let n: u8 = text.strip_prefix(prefix)?.strip_prefix('-')?.parse().ok()?;
    n.checked_sub(1)
}

impl Param for Acct {
    const KIND: ValueKind = ValueKind::Account;
    fn parse_lenient(text: &str) -> Option<Acct> {
        lenient_account(text)
    }
    fn from_value(v: Value) -> Option<Acct> {
        match v {
            Value::Account(a) => Some(a),
            _ => None,
        }
    }
    fn account(self) -> Option<Acct> {
        Some(self)
    }
    fn map_accounts(self, f: &impl Fn(Acct) -> Acct) -> Acct {
        f(self)
    }
}

impl Param for InstanceRef {
    const KIND: ValueKind = ValueKind::Instance;
    fn parse_lenient(text: &str) -> Option<InstanceRef> {
        match text {
            "organization" => Some(InstanceRef::Organization),
            _ => text
                .strip_prefix("account:")
                .and_then(lenient_account)
                .map(InstanceRef::Account),
        }
    }
    fn from_value(v: Value) -> Option<InstanceRef> {
        match v {
            Value::Instance(i) => Some(i),
            _ => None,
        }
    }
    fn account(self) -> Option<Acct> {
        match self {
            InstanceRef::Organization => None,
            InstanceRef::Account(a) => Some(a),
        }
    }
    fn map_accounts(self, f: &impl Fn(Acct) -> Acct) -> InstanceRef {
        match self {
            InstanceRef::Organization => InstanceRef::Organization,
            InstanceRef::Account(a) => InstanceRef::Account(f(a)),
        }
    }
}

impl Param for IdentitySource {
    const KIND: ValueKind = ValueKind::IdentitySource;
    fn parse_lenient(text: &str) -> Option<IdentitySource> {
        source_with(text, lenient_account)
    }
    fn from_value(v: Value) -> Option<IdentitySource> {
        match v {
            Value::IdentitySource(s) => Some(s),
            _ => None,
        }
    }
    fn account(self) -> Option<Acct> {
        match self {
            IdentitySource::ActiveDirectory(a) => Some(a),
            IdentitySource::IdentityCenterDirectory | IdentitySource::ExternalIdp => None,
        }
    }
    fn map_accounts(self, f: &impl Fn(Acct) -> Acct) -> IdentitySource {
        match self {
            IdentitySource::ActiveDirectory(a) => IdentitySource::ActiveDirectory(f(a)),
            other @ (IdentitySource::IdentityCenterDirectory | IdentitySource::ExternalIdp) => {
                other
            }
        }
    }
}

impl Param for PermissionSet {
    const KIND: ValueKind = ValueKind::PermissionSet;
    fn parse_lenient(text: &str) -> Option<PermissionSet> {
        lenient_index(text, "ps").map(PermissionSet)
    }
    fn from_value(v: Value) -> Option<PermissionSet> {
        match v {
            Value::PermissionSet(p) => Some(p),
            _ => None,
        }
    }
    fn map_identities(self, map: &IdentityMap) -> PermissionSet {
        map.permission_set(self)
    }
    fn identities_in_range(self, cfg: &Config) -> Result<(), OutOfRange> {
        identity_in_range(
            self,
            self.0,
            cfg.permission_sets,
            "permission set",
            "permission sets",
        )
    }
}

impl Param for User {
    const KIND: ValueKind = ValueKind::User;
    fn parse_lenient(text: &str) -> Option<User> {
        lenient_index(text, "user").map(User)
    }
    fn from_value(v: Value) -> Option<User> {
        match v {
            Value::User(u) => Some(u),
            _ => None,
        }
    }
    fn map_identities(self, map: &IdentityMap) -> User {
        map.user(self)
    }
    fn identities_in_range(self, cfg: &Config) -> Result<(), OutOfRange> {
        identity_in_range(self, self.0, cfg.users, "user", "users")
    }
}

impl Param for Group {
    const KIND: ValueKind = ValueKind::Group;
    fn parse_lenient(text: &str) -> Option<Group> {
        lenient_index(text, "group").map(Group)
    }
    fn from_value(v: Value) -> Option<Group> {
        match v {
            Value::Group(g) => Some(g),
            _ => None,
        }
    }
    fn map_identities(self, map: &IdentityMap) -> Group {
        map.group(self)
    }
    fn identities_in_range(self, cfg: &Config) -> Result<(), OutOfRange> {
        identity_in_range(self, self.0, cfg.groups, "group", "groups")
    }
}

impl Param for Principal {
    const KIND: ValueKind = ValueKind::Principal;
    fn parse_lenient(text: &str) -> Option<Principal> {
        User::parse_lenient(text)
            .map(Principal::User)
            .or_else(|| Group::parse_lenient(text).map(Principal::Group))
    }
    fn from_value(v: Value) -> Option<Principal> {
        match v {
            Value::Principal(p) => Some(p),
            _ => None,
        }
    }
    fn map_identities(self, map: &IdentityMap) -> Principal {
        map.principal(self)
    }
    fn identities_in_range(self, cfg: &Config) -> Result<(), OutOfRange> {
        match self {
            Principal::User(u) => u.identities_in_range(cfg),
            Principal::Group(g) => g.identities_in_range(cfg),
        }
    }
}
