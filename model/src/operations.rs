//! The operations table: every API operation of the model, once.
//!
//! One row per operation gives its variant of [`crate::call::Op`] with its parameters
//! (each with the API's parameter name), its AWS name, the service that serves it, the
//! [`crate::step::Gate`] its rules begin with, and its rule function in [`crate::step`].
//! Everything else derives from the row:
//!
//! * in [`crate::call`], the [`Op`](crate::call::Op) enum, [`Op::name`](crate::call::Op::name),
//!   [`Op::service`](crate::call::Op::service), [`Op::params`](crate::call::Op::params),
//!   the accounts it names, range checks and [`SIGNATURES`](crate::call::SIGNATURES);
//! * in [`crate::op_kind`], [`OpKind`](crate::op_kind::OpKind);
//! * in [`crate::parse`], parsing a call from names;
//! * in [`crate::calls`], the universe of calls of a configuration;
//! * in [`crate::step::gate`], [`Gate::of`](crate::step::Gate::of);
//! * in [`crate::step`], routing a call to its rule function.
//!
//! ## Adding an operation
//! Add a row here (its parameters' types must implement [`crate::param::Param`]), write its
//! rule function in the file of `step/` that owns its part of AWS, and add a test to
//! `model/tests/guards/` with the rule ids it enforces. Nothing else lists operations: a
//! missing piece does not compile.
//!
//! ## The row
//! ```text
//! /// doc
//! Variant(binding: Type = "ApiParameterName", ...)     tuple parameters, or
//! Variant { field: Type = "ApiParameterName", ... }    named parameters, or
//! Variant()                                            none (a unit variant)
//!     = "AwsName" in Service, gate Gate, rule module::function(cfg, s, c, ..., ch);
//! ```
//! The rule expression may use the row's bindings and `cfg` (the configuration), `s` (the
//! state), `c` (the caller) and `ch` (the [`crate::branch::Chooser`] of `either` decisions);
//! module paths are those of `step/`.
//!
//! ## The universe's order
//! [`crate::calls::all_calls`] lists, for each caller, the rows in table order, and groups
//! consecutive rows whose first parameter has the same type: the group runs over that
//! parameter's values (outer loop), and for each value lists the group's rows by their
//! remaining parameters, by the same rule. So `RemoveAccountFromOrganization` and
//! `CloseAccount` are listed account by account, and each permission set's create, update
//! and delete come before its provisioning to each account. The order decides which of
//! several shortest traces a search reports: moving a row can change the traces shown
//! (never a verdict, a count or a length).

/// The table. `operations!(callback)` expands to `callback! { context(cfg, s, c, ch); rows }`:
/// each consumer is a local `macro_rules!` that turns the rows into what it needs.
macro_rules! operations {
    ($then:ident) => {
        $then! {
        context(cfg, s, c, ch);

        // AWS Organizations: membership (step/organizations.rs).

        /// Organizations: the management account invites an account (ORG-2).
        InviteAccountToOrganization(target: Acct = "Target")
            = "InviteAccountToOrganization" in Organizations, gate ManagesMembership,
            rule organizations::invite(cfg, s, c, target);
        /// Organizations: the invited account accepts its pending invitation (ORG-2).
        AcceptHandshake()
            = "AcceptHandshake" in Organizations, gate None,
            rule organizations::accept_handshake(cfg, s, c);
        /// Organizations: a member leaves on its own (ORG-2).
        LeaveOrganization()
            = "LeaveOrganization" in Organizations, gate None,
            rule organizations::leave(cfg, s, c, ch);
        /// Organizations: the management account removes a member (ORG-2).
        RemoveAccountFromOrganization(target: Acct = "AccountId")
            = "RemoveAccountFromOrganization" in Organizations, gate ManagesMembership,
            rule organizations::remove(cfg, s, c, target, ch);
        /// Organizations: the management account closes a member (ORG-2).
        CloseAccount(target: Acct = "AccountId")
            = "CloseAccount" in Organizations, gate ManagesMembership,
            rule organizations::close_account(cfg, s, c, target, ch);
        /// Account Management (console): an account's root user closes its own account
        /// (ORG-6; the management account once it has no members).
        CloseOwnAccount()
            = "CloseOwnAccount" in Account, gate None,
            rule organizations::close_own_account(cfg, s, c, ch);

        // The environment: what AWS does by itself (step/organizations.rs). Caller: aws.

        /// AWS: a closed member's post-closure period (90 days) ends and it leaves the
        /// organization (ORG-2; a delegate: Q7).
        RemoveClosedAccount(target: Acct = "AccountId")
            = "RemoveClosedAccount" in Environment, gate None,
            rule organizations::remove_closed_account(cfg, s, c, target, ch);
        /// AWS (Support, at the root user's request): a closed account is reinstated within
        /// its post-closure period (ORG-2).
        ReinstateAccount(target: Acct = "AccountId")
            = "ReinstateAccount" in Environment, gate None,
            rule organizations::reinstate_account(s, c, target);

        // AWS Organizations: trusted access and the registry (step/delegation.rs).

        /// Organizations: enable trusted access for `sso.amazonaws.com` (ORG-5).
        EnableAwsServiceAccess()
            = "EnableAWSServiceAccess" in Organizations, gate ManagesTrustedAccess,
            rule delegation::enable_service_access(cfg, s, c);
        /// Organizations: disable trusted access for `sso.amazonaws.com` (ORG-5, IDC-10).
        DisableAwsServiceAccess()
            = "DisableAWSServiceAccess" in Organizations, gate ManagesTrustedAccess,
            rule delegation::disable_service_access(cfg, s, c, ch);
        /// Organizations: register a delegated administrator for `sso.amazonaws.com` (DA-*).
        RegisterDelegatedAdministrator(target: Acct = "AccountId")
            = "RegisterDelegatedAdministrator" in Organizations, gate ManagesRegistry,
            rule delegation::register(cfg, s, c, target, ch);
        /// Organizations: deregister it (DA-1, DA-8, DA-10).
        DeregisterDelegatedAdministrator(target: Acct = "AccountId")
            = "DeregisterDelegatedAdministrator" in Organizations, gate ManagesRegistry,
            rule delegation::deregister(cfg, s, c, target, ch);

        // IAM Identity Center: instances, permission sets, assignments
        // (step/identity_center.rs).

        /// IAM Identity Center (console task): enable the organization instance (IDC-1).
        EnableIdentityCenter()
            = "EnableIdentityCenter" in IdentityCenter, gate None,
            rule identity_center::enable_identity_center(cfg, s, c);
        /// IAM Identity Center: create an *account* instance in the caller's account
        /// (IDC-1a).
        CreateInstance()
            = "CreateInstance" in IdentityCenter, gate None,
            rule identity_center::create_instance(cfg, s, c);
        /// IAM Identity Center: delete an instance (IDC-1, IDC-1a).
        DeleteInstance(instance: InstanceRef = "Instance")
            = "DeleteInstance" in IdentityCenter, gate None,
            rule identity_center::delete_instance(cfg, s, c, instance);

        // The identity source (step/identity_source.rs).

        /// IAM Identity Center (console task): change the identity source (SRC-1..SRC-8).
        ChangeIdentitySource(source: IdentitySource = "IdentitySource")
            = "ChangeIdentitySource" in IdentityCenter, gate Administrator,
            rule identity_source::change_identity_source(cfg, s, c, source, ch);
        /// IAM Identity Center (console setting): turn configurable AD sync on (DA-9).
        EnableConfigurableAdSync()
            = "EnableConfigurableADSync" in IdentityCenter, gate Administrator,
            rule identity_source::enable_ad_sync(cfg, s, c);
        /// IAM Identity Center (console: "Pause sync"): pause configurable AD sync (it stays
        /// configured; `ad-sync-on-while-delegated` counts it as off).
        PauseAdSync()
            = "PauseADSync" in IdentityCenter, gate Administrator,
            rule identity_source::pause_ad_sync(cfg, s, c, true);
        /// IAM Identity Center (console: "Resume sync"): resume a paused sync.
        ResumeAdSync()
            = "ResumeADSync" in IdentityCenter, gate Administrator,
            rule identity_source::pause_ad_sync(cfg, s, c, false);

        // IAM Identity Center: permission sets and provisioning (step/identity_center.rs).

        /// IAM Identity Center: create a permission set.
        CreatePermissionSet(permission_set: PermissionSet = "PermissionSet")
            = "CreatePermissionSet" in IdentityCenter, gate Administrator,
            rule identity_center::create_permission_set(cfg, s, c, permission_set);
        /// IAM Identity Center: change a permission set's policies (IDC-2).
        UpdatePermissionSet(permission_set: PermissionSet = "PermissionSet")
            = "UpdatePermissionSet" in IdentityCenter, gate Administrator,
            rule identity_center::update_permission_set(cfg, s, c, permission_set);
        /// IAM Identity Center: delete a permission set (IDC-2, IDC-9).
        DeletePermissionSet(permission_set: PermissionSet = "PermissionSet")
            = "DeletePermissionSet" in IdentityCenter, gate Administrator,
            rule identity_center::delete_permission_set(cfg, s, c, permission_set, ch);
        /// IAM Identity Center: provision a permission set to an account (IDC-8).
        ProvisionPermissionSet {
            /// `PermissionSetArn`.
            permission_set: PermissionSet = "PermissionSet",
            /// `TargetId`.
            target: Acct = "TargetId"
        }
            = "ProvisionPermissionSet" in IdentityCenter, gate Administrator,
            rule identity_center::provision_permission_set(
                cfg, s, c, permission_set, target, ch
            );
        /// IAM Identity Center (console task): remove a permission set from an account: its
        /// role there and the assignments that use it (IDC-8).
        RemovePermissionSetFromAccount {
            /// The permission set.
            permission_set: PermissionSet = "PermissionSet",
            /// The account.
            target: Acct = "TargetId"
        }
            = "RemovePermissionSetFromAccount" in IdentityCenter, gate Administrator,
            rule identity_center::remove_permission_set_from_account(
                cfg, s, c, permission_set, target, ch
            );
        /// IAM Identity Center: assign a principal to an account with a permission set
        /// (IDC-6).
        CreateAccountAssignment {
            /// `TargetId`.
            target: Acct = "TargetId",
            /// `PermissionSetArn`.
            permission_set: PermissionSet = "PermissionSet",
            /// `PrincipalType` and `PrincipalId`.
            principal: Principal = "Principal"
        }
            = "CreateAccountAssignment" in IdentityCenter, gate Administrator,
            rule identity_center::create_account_assignment(
                cfg, s, c, target, permission_set, principal, ch
            );
        /// IAM Identity Center: remove an account assignment.
        DeleteAccountAssignment {
            /// `TargetId`.
            target: Acct = "TargetId",
            /// `PermissionSetArn`.
            permission_set: PermissionSet = "PermissionSet",
            /// `PrincipalType` and `PrincipalId`.
            principal: Principal = "Principal"
        }
            = "DeleteAccountAssignment" in IdentityCenter, gate Administrator,
            rule identity_center::delete_account_assignment(
                cfg, s, c, target, permission_set, principal, ch
            );

        // Identity Store: users, groups, memberships (step/identity_store.rs).

        /// Identity Store: create a user.
        CreateUser(user: User = "User")
            = "CreateUser" in IdentityStore, gate StoreWriter,
            rule identity_store::create_user(cfg, s, c, user);
        /// Identity Store: delete a user (with its memberships and assignments).
        DeleteUser(user: User = "User")
            = "DeleteUser" in IdentityStore, gate StoreWriter,
            rule identity_store::delete_user(cfg, s, c, user, ch);
        /// Identity Store: edit a user's attributes (a way to take it over, SRC-6).
        UpdateUser(user: User = "UserId")
            = "UpdateUser" in IdentityStore, gate StoreWriter,
            rule identity_store::update_user(cfg, s, c, user);
        /// IAM Identity Center (console task): reset a user's password in the Identity
        /// Center directory (the administrator can then sign in as the user, SRC-6).
        ResetUserPassword(user: User = "User")
            = "ResetUserPassword" in IdentityCenter, gate Administrator,
            rule identity_store::reset_user_password(cfg, s, c, user);
        /// IAM Identity Center (console task): enable user access (`UserStatus` ENABLED;
        /// IDC-2, Q6).
        EnableUserAccess(user: User = "User")
            = "EnableUserAccess" in IdentityCenter, gate Administrator,
            rule identity_store::set_user_status(cfg, s, c, user, true, ch);
        /// IAM Identity Center (console task): disable user access (`UserStatus` DISABLED: the
        /// user can't sign in; IDC-2, Q6).
        DisableUserAccess(user: User = "User")
            = "DisableUserAccess" in IdentityCenter, gate Administrator,
            rule identity_store::set_user_status(cfg, s, c, user, false, ch);
        /// Identity Store: create a group.
        CreateGroup(group: Group = "Group")
            = "CreateGroup" in IdentityStore, gate StoreWriter,
            rule identity_store::create_group(cfg, s, c, group);
        /// Identity Store: delete a group (with its memberships and assignments).
        DeleteGroup(group: Group = "Group")
            = "DeleteGroup" in IdentityStore, gate StoreWriter,
            rule identity_store::delete_group(cfg, s, c, group, ch);
        /// Identity Store: add a user to a group (IDC-3).
        CreateGroupMembership(group: Group = "Group", user: User = "User")
            = "CreateGroupMembership" in IdentityStore, gate StoreWriter,
            rule identity_store::set_membership(cfg, s, c, group, user, true);
        /// Identity Store: remove a user from a group (IDC-3).
        DeleteGroupMembership(group: Group = "Group", user: User = "User")
            = "DeleteGroupMembership" in IdentityStore, gate StoreWriter,
            rule identity_store::set_membership(cfg, s, c, group, user, false);

        // Directory Service: the directory and its side of users and groups
        // (step/identity_source.rs, step/identity_store.rs).

        /// Directory Service: the caller creates an AWS Managed Microsoft AD directory in its
        /// own account.
        CreateMicrosoftAd()
            = "CreateMicrosoftAD" in DirectoryService, gate None,
            rule identity_source::create_directory(cfg, s, c);
        /// Directory Service Data: the directory owner creates a user in its directory
        /// (SRC-6).
        DirectoryCreateUser(user: User = "User")
            = "ds-data:CreateUser" in DirectoryService, gate DirectoryOwner,
            rule identity_store::directory_create_user(cfg, s, c, user);
        /// Directory Service Data: the directory owner deletes a user (SRC-6).
        DirectoryDeleteUser(user: User = "User")
            = "ds-data:DeleteUser" in DirectoryService, gate DirectoryOwner,
            rule identity_store::directory_delete_user(cfg, s, c, user);
        /// Directory Service Data: the directory owner creates a group (SRC-6).
        DirectoryCreateGroup(group: Group = "Group")
            = "ds-data:CreateGroup" in DirectoryService, gate DirectoryOwner,
            rule identity_store::directory_create_group(cfg, s, c, group);
        /// Directory Service Data: the directory owner deletes a group (SRC-6).
        DirectoryDeleteGroup(group: Group = "Group")
            = "ds-data:DeleteGroup" in DirectoryService, gate DirectoryOwner,
            rule identity_store::directory_delete_group(cfg, s, c, group);
        /// Directory Service Data: the directory owner adds a user to a group (SRC-6).
        DirectoryAddGroupMember(group: Group = "Group", user: User = "User")
            = "ds-data:AddGroupMember" in DirectoryService, gate DirectoryOwner,
            rule identity_store::directory_membership(cfg, s, c, group, user, true);
        /// Directory Service Data: the directory owner removes a user from a group (SRC-6).
        DirectoryRemoveGroupMember(group: Group = "Group", user: User = "User")
            = "ds-data:RemoveGroupMember" in DirectoryService, gate DirectoryOwner,
            rule identity_store::directory_membership(cfg, s, c, group, user, false);
        /// Directory Service: the directory owner resets a user's password, taking the user
        /// over (SRC-6).
        DirectoryResetUserPassword(user: User = "User")
            = "ds:ResetUserPassword" in DirectoryService, gate None,
            rule identity_store::directory_reset_password(cfg, s, c, user);
        }
    };
}
pub(crate) use operations;

/// The value of a row's variant from its bindings: a pattern that binds every parameter,
/// or the expression that builds the operation from bindings of those names.
macro_rules! op_value {
    ($v:ident ()) => {
        Op::$v
    };
    ($v:ident ( $($b:ident : $t:ty = $api:literal),* )) => {
        Op::$v($($b),*)
    };
    ($v:ident { $($(#[$m:meta])* $b:ident : $t:ty = $api:literal),* }) => {
        Op::$v { $($b),* }
    };
}
pub(crate) use op_value;

/// A row's parameters as `(binding, Type, "ApiName")` triples, handed to `$then!`
/// followed by `$args`: one consumer macro serves tuple, named and unit rows alike.
macro_rules! op_params {
    ($then:ident! [$($args:tt)*] ( $($b:ident : $t:ty = $api:literal),* )) => {
        $then!($($args)* $(($b, $t, $api))*)
    };
    ($then:ident! [$($args:tt)*] { $($(#[$m:meta])* $b:ident : $t:ty = $api:literal),* }) => {
        $then!($($args)* $(($b, $t, $api))*)
    };
}
pub(crate) use op_params;
