//! What AWS's read-only calls say of an organization (read by `crate::format::aws`), and
//! the identity source the user states (no read-only call returns it).

use std::collections::BTreeMap;

/// An account's status in `organizations list-accounts`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// `ACTIVE`.
    Active,
    /// `SUSPENDED`.
    Suspended,
    /// `PENDING_CLOSURE`.
    PendingClosure,
}

/// An account of the organization.
#[derive(Clone, Debug)]
pub struct Account {
    /// `Id`.
    pub id: String,
    /// `Name`.
    pub name: String,
    /// `Status`.
    pub status: Status,
}

/// An assignment's principal.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Principal {
    /// `PrincipalType` `USER`, by `PrincipalId`.
    User(String),
    /// `PrincipalType` `GROUP`, by `PrincipalId`.
    Group(String),
}

/// An account assignment.
#[derive(Clone, Debug)]
pub struct Assignment {
    /// `AccountId`.
    pub account: String,
    /// `PermissionSetArn`.
    pub permission_set: String,
    /// The principal.
    pub principal: Principal,
}

/// An AWS Managed Microsoft AD directory (`ds describe-directories`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Directory {
    /// The account that owns it: the account whose credentials listed it, or
    /// `OwnerDirectoryDescription.AccountId` for a directory shared with that account.
    pub owner: String,
    /// `DirectoryId`.
    pub id: String,
    /// The file that listed it, for errors.
    pub file: String,
}

/// What the read-only calls say of the organization.
#[derive(Clone, Debug, Default)]
pub struct Organization {
    /// `MasterAccountId`.
    pub management: String,
    /// Every account, the management account included.
    pub accounts: Vec<Account>,
    /// The delegated administrators for `sso.amazonaws.com`.
    pub delegates: Vec<String>,
    /// Whether trusted access for `sso.amazonaws.com` is enabled
    /// (`list-aws-service-access-for-organization`); `None` without that file.
    pub trusted_access: Option<bool>,
    /// The owners of IAM Identity Center instances.
    pub instances: Vec<String>,
    /// Permission set ARNs.
    pub permission_sets: Vec<String>,
    /// Permission set ARN to its `Name` (`describe-permission-set`).
    pub permission_set_names: BTreeMap<String, String>,
    /// Provisioning: permission set ARN and account id
    /// (`list-accounts-for-provisioned-permission-set`).
    pub provisioned: Vec<(String, String)>,
    /// Account assignments.
    pub assignments: Vec<Assignment>,
    /// Users: `UserId`, and whether `UserStatus` is `DISABLED`.
    pub users: Vec<(String, bool)>,
    /// `UserId` to `UserName`.
    pub user_names: BTreeMap<String, String>,
    /// `GroupId`s.
    pub groups: Vec<String>,
    /// `GroupId` to `DisplayName`, where given.
    pub group_names: BTreeMap<String, String>,
    /// Memberships: `GroupId`, `UserId`.
    pub memberships: Vec<(String, String)>,
    /// The AWS Managed Microsoft AD directories; `None` without a `ds-describe-directories`
    /// file (then nothing is known of them).
    pub directories: Option<Vec<Directory>>,
}

/// The identity source, which no read-only call returns (`--identity-source`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The Identity Center directory.
    IdentityCenterDirectory,
    /// AWS Managed Microsoft AD, owned by this account (id or name).
    ActiveDirectory(String),
    /// An external IdP.
    ExternalIdp,
}

/// Why an organization can't be imported: one line.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The files contradict each other or AWS.
    #[error("{0}")]
    Mismatch(String),
    /// More than the model holds.
    #[error("the organization does not fit the model: {0}")]
    TooLarge(String),
}
