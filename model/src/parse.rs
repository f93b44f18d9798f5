//! Parsing a call given by names, as trace files and the command line write it: the
//! caller's account, the operation's name ([`Op::name`]) and its parameters by the names
//! [`Op::params`] uses, with the same readable values.

use std::fmt;

use crate::account::{Acct, Group, PermissionSet, Principal, User};
use crate::call::{call_in_range, Call, IdentitySource, InstanceRef, Op, OutOfRange, SIGNATURES};
use crate::config::Config;
use crate::echo::echo;

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

fn lenient_instance(text: &str) -> Option<InstanceRef> {
    match text {
        "organization" => Some(InstanceRef::Organization),
        _ => text
            .strip_prefix("account:")
            .and_then(lenient_account)
            .map(InstanceRef::Account),
    }
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
            param: echo(key),
            value: echo(value),
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
        .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()));
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
        name: echo(name),
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
                param: echo(k),
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
            value: echo(caller),
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
            "CloseOwnAccount" => Op::CloseOwnAccount,
            "EnableIdentityCenter" => Op::EnableIdentityCenter,
            "CreateInstance" => Op::CreateInstance,
            "DeleteInstance" => {
                Op::DeleteInstance(p.get("Instance", ValueKind::Instance, lenient_instance)?)
            }
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
            "ProvisionPermissionSet" => Op::ProvisionPermissionSet {
                permission_set: p.permission_set("PermissionSet")?,
                target: p.account("TargetId")?,
            },
            "RemovePermissionSetFromAccount" => Op::RemovePermissionSetFromAccount {
                permission_set: p.permission_set("PermissionSet")?,
                target: p.account("TargetId")?,
            },
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
            "ds-data:CreateUser" => Op::DirectoryCreateUser(p.user("User")?),
            "ds-data:DeleteUser" => Op::DirectoryDeleteUser(p.user("User")?),
            "ds-data:CreateGroup" => Op::DirectoryCreateGroup(p.group("Group")?),
            "ds-data:DeleteGroup" => Op::DirectoryDeleteGroup(p.group("Group")?),
            "ds-data:AddGroupMember" => {
                Op::DirectoryAddGroupMember(p.group("Group")?, p.user("User")?)
            }
            "ds-data:RemoveGroupMember" => {
                Op::DirectoryRemoveGroupMember(p.group("Group")?, p.user("User")?)
            }
            "ds:ResetUserPassword" => Op::DirectoryResetUserPassword(p.user("User")?),
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
            err("management", "enableidentitycenter", &[]),
            "unknown call 'enableidentitycenter' (did you mean 'EnableIdentityCenter'?)"
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
            "user-2 is beyond the configuration (1 user)"
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
