//! Calls: who calls which API operation with which parameters. Names follow the AWS APIs;
//! console tasks with no public API get a name that says what they do; operations made in
//! an Active Directory directory (not in IAM Identity Center) carry their IAM service prefix
//! (`ds-data:`, `ds:`).

use std::fmt;

use crate::account::{Acct, Group, PermissionSet, Principal, User};
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

/// The AWS service an operation belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Service {
    /// AWS Organizations.
    Organizations,
    /// AWS Account Management (an account's own settings, e.g. closing it).
    Account,
    /// IAM Identity Center (SSO Admin API).
    IdentityCenter,
    /// The Identity Store API of IAM Identity Center.
    IdentityStore,
    /// AWS Directory Service (directories and, with Directory Service Data, their users
    /// and groups).
    DirectoryService,
}

impl Service {
    /// The service's name.
    pub fn name(self) -> &'static str {
        match self {
            Service::Organizations => "Organizations",
            Service::Account => "Account Management",
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
    /// Account Management (console): an account's root user closes its own account (ORG-6).
    CloseOwnAccount,
    /// Organizations: enable trusted access for `sso.amazonaws.com` (ORG-5).
    EnableAwsServiceAccess,
    /// Organizations: disable trusted access for `sso.amazonaws.com` (ORG-5, IDC-10).
    DisableAwsServiceAccess,
    /// Organizations: register a delegated administrator for `sso.amazonaws.com` (DA-*).
    RegisterDelegatedAdministrator(Acct),
    /// Organizations: deregister it (DA-1, DA-8, DA-10).
    DeregisterDelegatedAdministrator(Acct),
    /// IAM Identity Center (console task): enable the organization instance (IDC-1).
    EnableIdentityCenter,
    /// IAM Identity Center: create an *account* instance in the caller's account (IDC-1a).
    CreateInstance,
    /// IAM Identity Center: delete an instance (IDC-1, IDC-1a).
    DeleteInstance(InstanceRef),
    /// IAM Identity Center (console task): change the identity source (SRC-1..SRC-8).
    ChangeIdentitySource(IdentitySource),
    /// IAM Identity Center (console setting): turn configurable AD sync on (DA-9).
    EnableConfigurableAdSync,
    /// IAM Identity Center (console setting): turn configurable AD sync off.
    DisableConfigurableAdSync,
    /// IAM Identity Center: create a permission set.
    CreatePermissionSet(PermissionSet),
    /// IAM Identity Center: change a permission set's policies (IDC-2).
    UpdatePermissionSet(PermissionSet),
    /// IAM Identity Center: delete a permission set (IDC-2, IDC-9).
    DeletePermissionSet(PermissionSet),
    /// IAM Identity Center: provision a permission set to an account (IDC-8).
    ProvisionPermissionSet {
        /// `PermissionSetArn`.
        permission_set: PermissionSet,
        /// `TargetId`.
        target: Acct,
    },
    /// IAM Identity Center (console task): remove a permission set from an account: its
    /// role there and the assignments that use it (IDC-8).
    RemovePermissionSetFromAccount {
        /// The permission set.
        permission_set: PermissionSet,
        /// The account.
        target: Acct,
    },
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
    /// Directory Service Data: the directory owner creates a user in its directory (SRC-6).
    DirectoryCreateUser(User),
    /// Directory Service Data: the directory owner deletes a user (SRC-6).
    DirectoryDeleteUser(User),
    /// Directory Service Data: the directory owner creates a group (SRC-6).
    DirectoryCreateGroup(Group),
    /// Directory Service Data: the directory owner deletes a group (SRC-6).
    DirectoryDeleteGroup(Group),
    /// Directory Service Data: the directory owner adds a user to a group (SRC-6).
    DirectoryAddGroupMember(Group, User),
    /// Directory Service Data: the directory owner removes a user from a group (SRC-6).
    DirectoryRemoveGroupMember(Group, User),
    /// Directory Service: the directory owner resets a user's password, taking the user
    /// over (SRC-6).
    DirectoryResetUserPassword(User),
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
            Op::CloseOwnAccount => "CloseOwnAccount",
            Op::EnableAwsServiceAccess => "EnableAWSServiceAccess",
            Op::DisableAwsServiceAccess => "DisableAWSServiceAccess",
            Op::RegisterDelegatedAdministrator(_) => "RegisterDelegatedAdministrator",
            Op::DeregisterDelegatedAdministrator(_) => "DeregisterDelegatedAdministrator",
            Op::EnableIdentityCenter => "EnableIdentityCenter",
            Op::CreateInstance => "CreateInstance",
            Op::DeleteInstance(_) => "DeleteInstance",
            Op::ChangeIdentitySource(_) => "ChangeIdentitySource",
            Op::EnableConfigurableAdSync => "EnableConfigurableADSync",
            Op::DisableConfigurableAdSync => "DisableConfigurableADSync",
            Op::CreatePermissionSet(_) => "CreatePermissionSet",
            Op::UpdatePermissionSet(_) => "UpdatePermissionSet",
            Op::DeletePermissionSet(_) => "DeletePermissionSet",
            Op::ProvisionPermissionSet { .. } => "ProvisionPermissionSet",
            Op::RemovePermissionSetFromAccount { .. } => "RemovePermissionSetFromAccount",
            Op::CreateAccountAssignment { .. } => "CreateAccountAssignment",
            Op::DeleteAccountAssignment { .. } => "DeleteAccountAssignment",
            Op::CreateUser(_) => "CreateUser",
            Op::DeleteUser(_) => "DeleteUser",
            Op::CreateGroup(_) => "CreateGroup",
            Op::DeleteGroup(_) => "DeleteGroup",
            Op::CreateGroupMembership(..) => "CreateGroupMembership",
            Op::DeleteGroupMembership(..) => "DeleteGroupMembership",
            Op::CreateDirectory => "CreateDirectory",
            Op::DirectoryCreateUser(_) => "ds-data:CreateUser",
            Op::DirectoryDeleteUser(_) => "ds-data:DeleteUser",
            Op::DirectoryCreateGroup(_) => "ds-data:CreateGroup",
            Op::DirectoryDeleteGroup(_) => "ds-data:DeleteGroup",
            Op::DirectoryAddGroupMember(..) => "ds-data:AddGroupMember",
            Op::DirectoryRemoveGroupMember(..) => "ds-data:RemoveGroupMember",
            Op::DirectoryResetUserPassword(_) => "ds:ResetUserPassword",
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
            Op::CloseOwnAccount => Service::Account,
            Op::EnableIdentityCenter
            | Op::CreateInstance
            | Op::DeleteInstance(_)
            | Op::ChangeIdentitySource(_)
            | Op::EnableConfigurableAdSync
            | Op::DisableConfigurableAdSync
            | Op::CreatePermissionSet(_)
            | Op::UpdatePermissionSet(_)
            | Op::DeletePermissionSet(_)
            | Op::ProvisionPermissionSet { .. }
            | Op::RemovePermissionSetFromAccount { .. }
            | Op::CreateAccountAssignment { .. }
            | Op::DeleteAccountAssignment { .. } => Service::IdentityCenter,
            Op::CreateUser(_)
            | Op::DeleteUser(_)
            | Op::CreateGroup(_)
            | Op::DeleteGroup(_)
            | Op::CreateGroupMembership(..)
            | Op::DeleteGroupMembership(..) => Service::IdentityStore,
            Op::CreateDirectory
            | Op::DirectoryCreateUser(_)
            | Op::DirectoryDeleteUser(_)
            | Op::DirectoryCreateGroup(_)
            | Op::DirectoryDeleteGroup(_)
            | Op::DirectoryAddGroupMember(..)
            | Op::DirectoryRemoveGroupMember(..)
            | Op::DirectoryResetUserPassword(_) => Service::DirectoryService,
        }
    }

    /// Whether the operation administers the *organization* instance of IAM Identity Center
    /// or its identity store (every IAM Identity Center and Identity Store operation but
    /// those on account instances, IDC-1a).
    pub fn administers_organization_instance(&self) -> bool {
        match self {
            Op::CreateInstance | Op::DeleteInstance(InstanceRef::Account(_)) => false,
            _ => matches!(
                self.service(),
                Service::IdentityCenter | Service::IdentityStore
            ),
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
            Op::DeleteInstance(i) => vec![("Instance", i.to_string())],
            Op::ChangeIdentitySource(s) => vec![("IdentitySource", s.to_string())],
            Op::CreatePermissionSet(p)
            | Op::UpdatePermissionSet(p)
            | Op::DeletePermissionSet(p) => {
                vec![("PermissionSet", p.to_string())]
            }
            Op::ProvisionPermissionSet {
                permission_set,
                target,
            }
            | Op::RemovePermissionSetFromAccount {
                permission_set,
                target,
            } => vec![
                ("PermissionSet", permission_set.to_string()),
                ("TargetId", target.to_string()),
            ],
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
            Op::CreateUser(u)
            | Op::DeleteUser(u)
            | Op::DirectoryCreateUser(u)
            | Op::DirectoryDeleteUser(u)
            | Op::DirectoryResetUserPassword(u) => vec![("User", u.to_string())],
            Op::CreateGroup(g)
            | Op::DeleteGroup(g)
            | Op::DirectoryCreateGroup(g)
            | Op::DirectoryDeleteGroup(g) => vec![("Group", g.to_string())],
            Op::CreateGroupMembership(g, u)
            | Op::DeleteGroupMembership(g, u)
            | Op::DirectoryAddGroupMember(g, u)
            | Op::DirectoryRemoveGroupMember(g, u) => {
                vec![("Group", g.to_string()), ("User", u.to_string())]
            }
            Op::AcceptHandshake
            | Op::LeaveOrganization
            | Op::CloseOwnAccount
            | Op::EnableAwsServiceAccess
            | Op::DisableAwsServiceAccess
            | Op::EnableIdentityCenter
            | Op::CreateInstance
            | Op::EnableConfigurableAdSync
            | Op::DisableConfigurableAdSync
            | Op::CreateDirectory => Vec::new(),
        }
    }

    /// The account the operation names as a parameter, if any (not the caller).
    pub fn account_param(&self) -> Option<Acct> {
        match *self {
            Op::InviteAccountToOrganization(a)
            | Op::RemoveAccountFromOrganization(a)
            | Op::CloseAccount(a)
            | Op::RegisterDelegatedAdministrator(a)
            | Op::DeregisterDelegatedAdministrator(a)
            | Op::DeleteInstance(InstanceRef::Account(a))
            | Op::ChangeIdentitySource(IdentitySource::ActiveDirectory(a))
            | Op::ProvisionPermissionSet { target: a, .. }
            | Op::RemovePermissionSetFromAccount { target: a, .. }
            | Op::CreateAccountAssignment { target: a, .. }
            | Op::DeleteAccountAssignment { target: a, .. } => Some(a),
            _ => None,
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

/// Every operation's name with its parameter names, as [`Op::name`] and [`Op::params`]
/// give them, in the order of [`crate::calls::all_calls`].
pub const SIGNATURES: &[(&str, &[&str])] = &[
    ("InviteAccountToOrganization", &["Target"]),
    ("AcceptHandshake", &[]),
    ("LeaveOrganization", &[]),
    ("RemoveAccountFromOrganization", &["AccountId"]),
    ("CloseAccount", &["AccountId"]),
    ("CloseOwnAccount", &[]),
    ("EnableAWSServiceAccess", &[]),
    ("DisableAWSServiceAccess", &[]),
    ("RegisterDelegatedAdministrator", &["AccountId"]),
    ("DeregisterDelegatedAdministrator", &["AccountId"]),
    ("EnableIdentityCenter", &[]),
    ("CreateInstance", &[]),
    ("DeleteInstance", &["Instance"]),
    ("ChangeIdentitySource", &["IdentitySource"]),
    ("EnableConfigurableADSync", &[]),
    ("DisableConfigurableADSync", &[]),
    ("CreatePermissionSet", &["PermissionSet"]),
    ("UpdatePermissionSet", &["PermissionSet"]),
    ("DeletePermissionSet", &["PermissionSet"]),
    ("ProvisionPermissionSet", &["PermissionSet", "TargetId"]),
    (
        "RemovePermissionSetFromAccount",
        &["PermissionSet", "TargetId"],
    ),
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
    ("ds-data:CreateUser", &["User"]),
    ("ds-data:DeleteUser", &["User"]),
    ("ds-data:CreateGroup", &["Group"]),
    ("ds-data:DeleteGroup", &["Group"]),
    ("ds-data:AddGroupMember", &["Group", "User"]),
    ("ds-data:RemoveGroupMember", &["Group", "User"]),
    ("ds:ResetUserPassword", &["User"]),
];

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

/// Checks that every account and identity a call names exists in the configuration.
pub fn call_in_range(cfg: &Config, call: &Call) -> Result<(), OutOfRange> {
    let acct = |a: Acct| {
        if a.0 <= cfg.members {
            Ok(())
        } else {
            Err(OutOfRange {
                what: a.to_string(),
                limit: plural(cfg.members, "member account", "member accounts"),
            })
        }
    };
    let ident = |name: String, i: u8, n: u8, one: &str, many: &str| {
        if i < n {
            Ok(())
        } else {
            Err(OutOfRange {
                what: name,
                limit: plural(n, one, many),
            })
        }
    };
    let user = |u: User| ident(u.to_string(), u.0, cfg.users, "user", "users");
    let group = |g: Group| ident(g.to_string(), g.0, cfg.groups, "group", "groups");
    let ps = |p: PermissionSet| {
        ident(
            p.to_string(),
            p.0,
            cfg.permission_sets,
            "permission set",
            "permission sets",
        )
    };
    let principal = |p: Principal| match p {
        Principal::User(u) => user(u),
        Principal::Group(g) => group(g),
    };
    acct(call.caller)?;
    if let Some(a) = call.op.account_param() {
        acct(a)?;
    }
    match call.op {
        Op::CreatePermissionSet(p)
        | Op::UpdatePermissionSet(p)
        | Op::DeletePermissionSet(p)
        | Op::ProvisionPermissionSet {
            permission_set: p, ..
        }
        | Op::RemovePermissionSetFromAccount {
            permission_set: p, ..
        } => ps(p),
        Op::CreateAccountAssignment {
            permission_set,
            principal: pr,
            ..
        }
        | Op::DeleteAccountAssignment {
            permission_set,
            principal: pr,
            ..
        } => {
            ps(permission_set)?;
            principal(pr)
        }
        Op::CreateUser(u)
        | Op::DeleteUser(u)
        | Op::DirectoryCreateUser(u)
        | Op::DirectoryDeleteUser(u)
        | Op::DirectoryResetUserPassword(u) => user(u),
        Op::CreateGroup(g)
        | Op::DeleteGroup(g)
        | Op::DirectoryCreateGroup(g)
        | Op::DirectoryDeleteGroup(g) => group(g),
        Op::CreateGroupMembership(g, u)
        | Op::DeleteGroupMembership(g, u)
        | Op::DirectoryAddGroupMember(g, u)
        | Op::DirectoryRemoveGroupMember(g, u) => {
            group(g)?;
            user(u)
        }
        _ => Ok(()),
    }
}
