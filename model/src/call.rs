//! Calls: who calls which API operation with which parameters. Names follow the AWS APIs.

use std::fmt;

use crate::account::{Acct, Group, PermissionSet, Principal, User};

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
