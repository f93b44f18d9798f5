//! Calls: who calls which API operation with which parameters. Names follow the AWS APIs.

use std::fmt;

use crate::account::{Acct, Group, PermissionSet, Principal, User};
use crate::calls::{call_in_range, OutOfRange};
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
        match text {
            "identity-center-directory" => Some(IdentitySource::IdentityCenterDirectory),
            "external-idp" => Some(IdentitySource::ExternalIdp),
            _ => text
                .strip_prefix("active-directory:")
                .and_then(Acct::parse)
                .map(IdentitySource::ActiveDirectory),
        }
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

/// The AWS service an operation belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Service {
    /// AWS Organizations.
    Organizations,
    /// IAM Identity Center (SSO Admin API).
    IdentityCenter,
    /// The Identity Store API of IAM Identity Center.
    IdentityStore,
    /// AWS Directory Service.
    DirectoryService,
}

impl Service {
    /// The service's name.
    pub fn name(self) -> &'static str {
        match self {
            Service::Organizations => "Organizations",
            Service::IdentityCenter => "IAM Identity Center",
            Service::IdentityStore => "Identity Store",
            Service::DirectoryService => "Directory Service",
        }
    }
}

/// An API operation with its parameters.
///
/// Trusted access (`EnableAWSServiceAccess`, `DisableAWSServiceAccess`) and delegated
/// administrator registration always concern the service principal `sso.amazonaws.com`,
/// so it is not a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// Organizations: the management account invites an account (ORG-2).
    InviteAccountToOrganization(Acct),
    /// Organizations: the invited account accepts its pending invitation (ORG-2).
    AcceptHandshake,
    /// Organizations: a member leaves on its own (ORG-2).
    LeaveOrganization,
    /// Organizations: the management account removes a member (ORG-2).
    RemoveAccountFromOrganization(Acct),
    /// Organizations: the management account closes a member (ORG-2).
    CloseAccount(Acct),
    /// Organizations: enable trusted access for `sso.amazonaws.com` (ORG-5).
    EnableAwsServiceAccess,
    /// Organizations: disable trusted access for `sso.amazonaws.com` (ORG-5).
    DisableAwsServiceAccess,
    /// Organizations: register a delegated administrator for `sso.amazonaws.com` (DA-*).
    RegisterDelegatedAdministrator(Acct),
    /// Organizations: deregister it (DA-1, DA-8, DA-10).
    DeregisterDelegatedAdministrator(Acct),
    /// IAM Identity Center: enable it (IDC-1).
    CreateInstance,
    /// IAM Identity Center: delete its configuration (IDC-1).
    DeleteInstance,
    /// IAM Identity Center: change the identity source (SRC-1..SRC-4). A console task with
    /// no public API name; named here for what it does.
    ChangeIdentitySource(IdentitySource),
    /// IAM Identity Center: turn configurable AD sync on (DA-9). A console setting.
    EnableConfigurableAdSync,
    /// IAM Identity Center: turn configurable AD sync off.
    DisableConfigurableAdSync,
    /// IAM Identity Center: create a permission set.
    CreatePermissionSet(PermissionSet),
    /// IAM Identity Center: change a permission set's policies (IDC-2).
    UpdatePermissionSet(PermissionSet),
    /// IAM Identity Center: delete a permission set (IDC-2).
    DeletePermissionSet(PermissionSet),
    /// IAM Identity Center: assign a principal to an account with a permission set (IDC-6).
    CreateAccountAssignment {
        /// `TargetId`.
        target: Acct,
        /// `PermissionSetArn`.
        permission_set: PermissionSet,
        /// `PrincipalType` and `PrincipalId`.
        principal: Principal,
    },
    /// IAM Identity Center: remove an account assignment.
    DeleteAccountAssignment {
        /// `TargetId`.
        target: Acct,
        /// `PermissionSetArn`.
        permission_set: PermissionSet,
        /// `PrincipalType` and `PrincipalId`.
        principal: Principal,
    },
    /// Identity Store: create a user.
    CreateUser(User),
    /// Identity Store: delete a user (with its memberships and assignments).
    DeleteUser(User),
    /// Identity Store: create a group.
    CreateGroup(Group),
    /// Identity Store: delete a group (with its memberships and assignments).
    DeleteGroup(Group),
    /// Identity Store: add a user to a group (IDC-3).
    CreateGroupMembership(Group, User),
    /// Identity Store: remove a user from a group (IDC-3).
    DeleteGroupMembership(Group, User),
    /// Directory Service: the caller creates an AD directory in its own account.
    CreateDirectory,
}

/// A call: the caller's account and the operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Call {
    /// The account whose admin makes the call.
    pub caller: Acct,
    /// The operation and its parameters.
    pub op: Op,
}

impl Op {
    /// The operation's AWS name.
    pub fn name(&self) -> &'static str {
        match self {
            Op::InviteAccountToOrganization(_) => "InviteAccountToOrganization",
            Op::AcceptHandshake => "AcceptHandshake",
            Op::LeaveOrganization => "LeaveOrganization",
            Op::RemoveAccountFromOrganization(_) => "RemoveAccountFromOrganization",
            Op::CloseAccount(_) => "CloseAccount",
            Op::EnableAwsServiceAccess => "EnableAWSServiceAccess",
            Op::DisableAwsServiceAccess => "DisableAWSServiceAccess",
            Op::RegisterDelegatedAdministrator(_) => "RegisterDelegatedAdministrator",
            Op::DeregisterDelegatedAdministrator(_) => "DeregisterDelegatedAdministrator",
            Op::CreateInstance => "CreateInstance",
            Op::DeleteInstance => "DeleteInstance",
            Op::ChangeIdentitySource(_) => "ChangeIdentitySource",
            Op::EnableConfigurableAdSync => "EnableConfigurableADSync",
            Op::DisableConfigurableAdSync => "DisableConfigurableADSync",
            Op::CreatePermissionSet(_) => "CreatePermissionSet",
            Op::UpdatePermissionSet(_) => "UpdatePermissionSet",
            Op::DeletePermissionSet(_) => "DeletePermissionSet",
            Op::CreateAccountAssignment { .. } => "CreateAccountAssignment",
            Op::DeleteAccountAssignment { .. } => "DeleteAccountAssignment",
            Op::CreateUser(_) => "CreateUser",
            Op::DeleteUser(_) => "DeleteUser",
            Op::CreateGroup(_) => "CreateGroup",
            Op::DeleteGroup(_) => "DeleteGroup",
            Op::CreateGroupMembership(..) => "CreateGroupMembership",
            Op::DeleteGroupMembership(..) => "DeleteGroupMembership",
            Op::CreateDirectory => "CreateDirectory",
        }
    }

    /// The service that serves the operation.
    pub fn service(&self) -> Service {
        match self {
            Op::InviteAccountToOrganization(_)
            | Op::AcceptHandshake
            | Op::LeaveOrganization
            | Op::RemoveAccountFromOrganization(_)
            | Op::CloseAccount(_)
            | Op::EnableAwsServiceAccess
            | Op::DisableAwsServiceAccess
            | Op::RegisterDelegatedAdministrator(_)
            | Op::DeregisterDelegatedAdministrator(_) => Service::Organizations,
            Op::CreateUser(_)
            | Op::DeleteUser(_)
            | Op::CreateGroup(_)
            | Op::DeleteGroup(_)
            | Op::CreateGroupMembership(..)
            | Op::DeleteGroupMembership(..) => Service::IdentityStore,
            Op::CreateDirectory => Service::DirectoryService,
            _ => Service::IdentityCenter,
        }
    }

    /// The parameters, by their API names, as readable values.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        match *self {
            Op::InviteAccountToOrganization(a) => vec![("Target", a.to_string())],
            Op::RemoveAccountFromOrganization(a)
            | Op::CloseAccount(a)
            | Op::RegisterDelegatedAdministrator(a)
            | Op::DeregisterDelegatedAdministrator(a) => vec![("AccountId", a.to_string())],
            Op::ChangeIdentitySource(s) => vec![("IdentitySource", s.to_string())],
            Op::CreatePermissionSet(p)
            | Op::UpdatePermissionSet(p)
            | Op::DeletePermissionSet(p) => {
                vec![("PermissionSet", p.to_string())]
            }
            Op::CreateAccountAssignment {
                target,
                permission_set,
                principal,
            }
            | Op::DeleteAccountAssignment {
                target,
                permission_set,
                principal,
            } => vec![
                ("TargetId", target.to_string()),
                ("PermissionSet", permission_set.to_string()),
                ("Principal", principal.to_string()),
            ],
            Op::CreateUser(u) | Op::DeleteUser(u) => vec![("User", u.to_string())],
            Op::CreateGroup(g) | Op::DeleteGroup(g) => vec![("Group", g.to_string())],
            Op::CreateGroupMembership(g, u) | Op::DeleteGroupMembership(g, u) => {
                vec![("Group", g.to_string()), ("User", u.to_string())]
            }
            Op::AcceptHandshake
            | Op::LeaveOrganization
            | Op::EnableAwsServiceAccess
            | Op::DisableAwsServiceAccess
            | Op::CreateInstance
            | Op::DeleteInstance
            | Op::EnableConfigurableAdSync
            | Op::DisableConfigurableAdSync
            | Op::CreateDirectory => Vec::new(),
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())?;
        let params = self.params();
        if !params.is_empty() {
            f.write_str("(")?;
            for (i, (k, v)) in params.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{k}={v}")?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.caller, self.op)
    }
}

/// Every operation's AWS name with its parameter names, as [`Op::name`] and [`Op::params`]
/// give them, in the order of [`crate::calls::all_calls`].
pub const SIGNATURES: &[(&str, &[&str])] = &[
    ("InviteAccountToOrganization", &["Target"]),
    ("AcceptHandshake", &[]),
    ("LeaveOrganization", &[]),
    ("RemoveAccountFromOrganization", &["AccountId"]),
    ("CloseAccount", &["AccountId"]),
    ("EnableAWSServiceAccess", &[]),
    ("DisableAWSServiceAccess", &[]),
    ("RegisterDelegatedAdministrator", &["AccountId"]),
    ("DeregisterDelegatedAdministrator", &["AccountId"]),
    ("CreateInstance", &[]),
    ("DeleteInstance", &[]),
    ("ChangeIdentitySource", &["IdentitySource"]),
    ("EnableConfigurableADSync", &[]),
    ("DisableConfigurableADSync", &[]),
    ("CreatePermissionSet", &["PermissionSet"]),
    ("UpdatePermissionSet", &["PermissionSet"]),
    ("DeletePermissionSet", &["PermissionSet"]),
    (
        "CreateAccountAssignment",
        &["TargetId", "PermissionSet", "Principal"],
    ),
    (
        "DeleteAccountAssignment",
        &["TargetId", "PermissionSet", "Principal"],
    ),
    ("CreateUser", &["User"]),
    ("DeleteUser", &["User"]),
    ("CreateGroup", &["Group"]),
    ("DeleteGroup", &["Group"]),
    ("CreateGroupMembership", &["Group", "User"]),
    ("DeleteGroupMembership", &["Group", "User"]),
    ("CreateDirectory", &[]),
];

/// What a parameter's value must look like, for error messages.
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
        })
    }
}

/// Why a call given by names (caller, AWS operation name, parameters) was not understood.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// No operation has that name.
    #[error("unknown call '{name}' ({hint})")]
    UnknownCall {
        /// The name given.
        name: String,
        /// A close match, or the known names.
        hint: String,
    },
    /// A parameter the operation needs is absent.
    #[error("{call} needs parameter '{param}' (its parameters: {expected})")]
    MissingParameter {
        /// The operation.
        call: &'static str,
        /// The missing parameter.
        param: &'static str,
        /// Every parameter of the operation.
        expected: String,
    },
    /// The operation has no parameter of that name.
    #[error("{call} has no parameter '{param}' ({expected})")]
    UnknownParameter {
        /// The operation.
        call: &'static str,
        /// The parameter given.
        param: String,
        /// The operation's parameters, in words.
        expected: String,
    },
    /// A value is not a name of the right kind.
    #[error("{param} '{value}' is not {kind}")]
    BadValue {
        /// The parameter (or `caller`).
        param: String,
        /// The value given.
        value: String,
        /// What was expected.
        kind: ValueKind,
    },
    /// An account or identity is beyond the configuration.
    #[error(transparent)]
    OutOfRange(#[from] OutOfRange),
}

/// Parses `management` or `member-N` for any `N` in `1..=255`: the range of the
/// configuration is checked afterwards, so that `member-99` is reported as beyond it.
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

fn lenient_source(text: &str) -> Option<IdentitySource> {
    match text {
        "identity-center-directory" => Some(IdentitySource::IdentityCenterDirectory),
        "external-idp" => Some(IdentitySource::ExternalIdp),
        _ => text
            .strip_prefix("active-directory:")
            .and_then(lenient_account)
            .map(IdentitySource::ActiveDirectory),
    }
}

/// The given parameters of one call, looked up by name.
struct Params<'a> {
    given: Vec<(&'a str, &'a str)>,
}

impl<'a> Params<'a> {
    fn value(&self, key: &str) -> &'a str {
        // INVARIANT: `Call::parse` checked that every parameter of the signature is given.
        self.given
            .iter()
            .find(|(k, _)| *k == key)
            .map_or("", |(_, v)| *v)
    }

    fn get<T>(
        &self,
        key: &str,
        kind: ValueKind,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<T, CallError> {
        let value = self.value(key);
        parse(value).ok_or_else(|| CallError::BadValue {
            param: key.to_string(),
            value: value.to_string(),
            kind,
        })
    }

    fn account(&self, key: &str) -> Result<Acct, CallError> {
        self.get(key, ValueKind::Account, lenient_account)
    }

    fn permission_set(&self, key: &str) -> Result<PermissionSet, CallError> {
        self.get(key, ValueKind::PermissionSet, |t| {
            lenient_index(t, "ps").map(PermissionSet)
        })
    }

    fn user(&self, key: &str) -> Result<User, CallError> {
        self.get(key, ValueKind::User, |t| lenient_index(t, "user").map(User))
    }

    fn group(&self, key: &str) -> Result<Group, CallError> {
        self.get(key, ValueKind::Group, |t| {
            lenient_index(t, "group").map(Group)
        })
    }

    fn principal(&self, key: &str) -> Result<Principal, CallError> {
        self.get(key, ValueKind::Principal, |t| {
            lenient_index(t, "user")
                .map(|u| Principal::User(User(u)))
                .or_else(|| lenient_index(t, "group").map(|g| Principal::Group(Group(g))))
        })
    }
}

fn unknown_call(name: &str) -> CallError {
    let close = SIGNATURES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name));
    let hint = match close {
        Some((n, _)) => format!("did you mean '{n}'?"),
        None => format!(
            "known calls: {}",
            SIGNATURES
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    CallError::UnknownCall {
        name: name.to_string(),
        hint,
    }
}

impl Call {
    /// Parses a call given by names, as trace files write it: the caller's account
    /// (`management`, `member-2`), the operation's AWS name ([`Op::name`]) and its
    /// parameters by the names [`Op::params`] uses, with the same readable values.
    ///
    /// Every account and identity must exist in `cfg` ([`call_in_range`]): the result is
    /// safe to give to [`crate::step()`].
    pub fn parse<'a>(
        cfg: &Config,
        caller: &str,
        name: &str,
        params: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Call, CallError> {
        let (call, signature) = SIGNATURES
            .iter()
            .copied()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| unknown_call(name))?;
        let p = Params {
            given: params.into_iter().collect(),
        };
        let expected = || {
            if signature.is_empty() {
                "none".to_string()
            } else {
                signature.join(", ")
            }
        };
        if let Some((k, _)) = p.given.iter().find(|(k, _)| !signature.contains(k)) {
            return Err(CallError::UnknownParameter {
                call,
                param: k.to_string(),
                expected: if signature.is_empty() {
                    "it takes none".to_string()
                } else {
                    format!("its parameters: {}", expected())
                },
            });
        }
        if let Some(missing) = signature
            .iter()
            .find(|s| !p.given.iter().any(|(k, _)| k == *s))
        {
            return Err(CallError::MissingParameter {
                call,
                param: missing,
                expected: expected(),
            });
        }
        let caller = lenient_account(caller).ok_or_else(|| CallError::BadValue {
            param: "caller".to_string(),
            value: caller.to_string(),
            kind: ValueKind::Account,
        })?;
        let assignment = |p: &Params<'_>| -> Result<(Acct, PermissionSet, Principal), CallError> {
            Ok((
                p.account("TargetId")?,
                p.permission_set("PermissionSet")?,
                p.principal("Principal")?,
            ))
        };
        let op = match call {
            "InviteAccountToOrganization" => Op::InviteAccountToOrganization(p.account("Target")?),
            "AcceptHandshake" => Op::AcceptHandshake,
            "LeaveOrganization" => Op::LeaveOrganization,
            "RemoveAccountFromOrganization" => {
                Op::RemoveAccountFromOrganization(p.account("AccountId")?)
            }
            "CloseAccount" => Op::CloseAccount(p.account("AccountId")?),
            "EnableAWSServiceAccess" => Op::EnableAwsServiceAccess,
            "DisableAWSServiceAccess" => Op::DisableAwsServiceAccess,
            "RegisterDelegatedAdministrator" => {
                Op::RegisterDelegatedAdministrator(p.account("AccountId")?)
            }
            "DeregisterDelegatedAdministrator" => {
                Op::DeregisterDelegatedAdministrator(p.account("AccountId")?)
            }
            "CreateInstance" => Op::CreateInstance,
            "DeleteInstance" => Op::DeleteInstance,
            "ChangeIdentitySource" => Op::ChangeIdentitySource(p.get(
                "IdentitySource",
                ValueKind::IdentitySource,
                lenient_source,
            )?),
            "EnableConfigurableADSync" => Op::EnableConfigurableAdSync,
            "DisableConfigurableADSync" => Op::DisableConfigurableAdSync,
            "CreatePermissionSet" => Op::CreatePermissionSet(p.permission_set("PermissionSet")?),
            "UpdatePermissionSet" => Op::UpdatePermissionSet(p.permission_set("PermissionSet")?),
            "DeletePermissionSet" => Op::DeletePermissionSet(p.permission_set("PermissionSet")?),
            "CreateAccountAssignment" => {
                let (target, permission_set, principal) = assignment(&p)?;
                Op::CreateAccountAssignment {
                    target,
                    permission_set,
                    principal,
                }
            }
            "DeleteAccountAssignment" => {
                let (target, permission_set, principal) = assignment(&p)?;
                Op::DeleteAccountAssignment {
                    target,
                    permission_set,
                    principal,
                }
            }
            "CreateUser" => Op::CreateUser(p.user("User")?),
            "DeleteUser" => Op::DeleteUser(p.user("User")?),
            "CreateGroup" => Op::CreateGroup(p.group("Group")?),
            "DeleteGroup" => Op::DeleteGroup(p.group("Group")?),
            "CreateGroupMembership" => {
                Op::CreateGroupMembership(p.group("Group")?, p.user("User")?)
            }
            "DeleteGroupMembership" => {
                Op::DeleteGroupMembership(p.group("Group")?, p.user("User")?)
            }
            "CreateDirectory" => Op::CreateDirectory,
            // INVARIANT: every name of SIGNATURES has an arm (tested).
            other => return Err(unknown_call(other)),
        };
        let call = Call { caller, op };
        call_in_range(cfg, &call)?;
        Ok(call)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calls::all_calls;
    use proptest::prelude::*;

    fn parse_back(cfg: &Config, call: &Call) -> Result<Call, CallError> {
        let params = call.op.params();
        Call::parse(
            cfg,
            &call.caller.to_string(),
            call.op.name(),
            params.iter().map(|(k, v)| (*k, v.as_str())),
        )
    }

    #[test]
    fn every_call_of_the_largest_configuration_parses_back() {
        let cfg = Config {
            members: crate::account::MAX_MEMBERS,
            users: crate::account::MAX_IDENTITIES,
            groups: crate::account::MAX_IDENTITIES,
            permission_sets: crate::account::MAX_IDENTITIES,
            ..Config::default()
        };
        for call in all_calls(&cfg) {
            assert_eq!(parse_back(&cfg, &call), Ok(call), "{call}");
            let signature = SIGNATURES
                .iter()
                .find(|(n, _)| *n == call.op.name())
                .map(|(_, s)| *s)
                .expect("every operation has a signature");
            let keys: Vec<&str> = call.op.params().iter().map(|(k, _)| *k).collect();
            assert_eq!(keys, signature, "{}", call.op.name());
        }
    }

    #[test]
    fn every_signature_names_an_operation() {
        let cfg = Config::default();
        let names: std::collections::HashSet<&str> =
            all_calls(&cfg).iter().map(|c| c.op.name()).collect();
        assert_eq!(names.len(), SIGNATURES.len());
        assert!(SIGNATURES.iter().all(|(n, _)| names.contains(n)));
    }

    #[test]
    fn errors_name_the_culprit() {
        let cfg = Config::default();
        let err = |caller: &str, name: &str, params: &[(&str, &str)]| {
            Call::parse(&cfg, caller, name, params.iter().copied())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err("management", "createinstance", &[]),
            "unknown call 'createinstance' (did you mean 'CreateInstance'?)"
        );
        assert!(err("management", "Frobnicate", &[])
            .starts_with("unknown call 'Frobnicate' (known calls: InviteAccountToOrganization, "));
        assert_eq!(
            err("management", "RegisterDelegatedAdministrator", &[]),
            "RegisterDelegatedAdministrator needs parameter 'AccountId' (its parameters: AccountId)"
        );
        assert_eq!(
            err("management", "CreateInstance", &[("AccountId", "member-1")]),
            "CreateInstance has no parameter 'AccountId' (it takes none)"
        );
        assert_eq!(
            err(
                "management",
                "RegisterDelegatedAdministrator",
                &[("Account", "member-1")]
            ),
            "RegisterDelegatedAdministrator has no parameter 'Account' (its parameters: AccountId)"
        );
        assert_eq!(
            err("root", "CreateInstance", &[]),
            "caller 'root' is not an account (management or member-N)"
        );
        assert_eq!(
            err(
                "management",
                "RegisterDelegatedAdministrator",
                &[("AccountId", "member-99")]
            ),
            "member-99 is beyond the configuration (2 member accounts)"
        );
        assert_eq!(
            err("member-7", "CreateDirectory", &[]),
            "member-7 is beyond the configuration (2 member accounts)"
        );
        assert_eq!(
            err("management", "CreateUser", &[("User", "user-2")]),
            "user-2 is beyond the configuration (1 users)"
        );
        assert_eq!(
            err("management", "CreateUser", &[("User", "user-0")]),
            "User 'user-0' is not a user (user-N)"
        );
        assert_eq!(
            err("management", "ChangeIdentitySource", &[("IdentitySource", "ad")]),
            "IdentitySource 'ad' is not an identity source (identity-center-directory, external-idp or active-directory:<account>)"
        );
        assert_eq!(
            err(
                "management",
                "ChangeIdentitySource",
                &[("IdentitySource", "active-directory:member-3")]
            ),
            "member-3 is beyond the configuration (2 member accounts)"
        );
    }

    proptest! {
        /// Any name-shaped account, even far beyond the configuration, parses to an error or
        /// to a call within range (never a panic, never an out-of-range call).
        #[test]
        fn parsed_calls_are_in_range(n in 0u16..300, members in 1u8..=6, op in 0usize..SIGNATURES.len()) {
            let cfg = Config { members, ..Config::default() };
            let name = format!("member-{n}");
            let (call, signature) = SIGNATURES[op];
            let params: Vec<(&str, &str)> = signature.iter().map(|k| (*k, name.as_str())).collect();
            if let Ok(c) = Call::parse(&cfg, &name, call, params) {
                prop_assert!(call_in_range(&cfg, &c).is_ok());
            }
        }
    }
}
