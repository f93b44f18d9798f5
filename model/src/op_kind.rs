//! The kind of an operation without its parameters ([`OpKind`]): what a state expression
//! compares `last.call` with, and what a checker records of the last step cheaply.

use std::fmt;

use crate::call::Op;

macro_rules! op_kinds {
    ($($variant:ident => $name:literal,)*) => {
        /// An operation without its parameters: one variant per [`Op`] variant, with the
        /// same name.
        #[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
        #[allow(missing_docs)]
        pub enum OpKind { $($variant,)* }

        impl OpKind {
            /// Every kind, in the order of [`Op`]'s variants.
            pub const ALL: &'static [OpKind] = &[$(OpKind::$variant),*];

            /// The kind of an operation.
            pub fn of(op: &Op) -> OpKind {
                match op { $(Op::$variant { .. } => OpKind::$variant),* }
            }

            /// The operation's AWS name, exactly as [`Op::name`] gives it
            /// (`EnableAWSServiceAccess`, `ds-data:CreateUser`, `ds:ResetUserPassword`).
            pub fn name(self) -> &'static str {
                match self { $(OpKind::$variant => $name),* }
            }
        }
    };
}

op_kinds! {
    InviteAccountToOrganization => "InviteAccountToOrganization",
    AcceptHandshake => "AcceptHandshake",
    LeaveOrganization => "LeaveOrganization",
    RemoveAccountFromOrganization => "RemoveAccountFromOrganization",
    CloseAccount => "CloseAccount",
    CloseOwnAccount => "CloseOwnAccount",
    EnableAwsServiceAccess => "EnableAWSServiceAccess",
    DisableAwsServiceAccess => "DisableAWSServiceAccess",
    RegisterDelegatedAdministrator => "RegisterDelegatedAdministrator",
    DeregisterDelegatedAdministrator => "DeregisterDelegatedAdministrator",
    EnableIdentityCenter => "EnableIdentityCenter",
    CreateInstance => "CreateInstance",
    DeleteInstance => "DeleteInstance",
    ChangeIdentitySource => "ChangeIdentitySource",
    EnableConfigurableAdSync => "EnableConfigurableADSync",
    DisableConfigurableAdSync => "DisableConfigurableADSync",
    CreatePermissionSet => "CreatePermissionSet",
    UpdatePermissionSet => "UpdatePermissionSet",
    DeletePermissionSet => "DeletePermissionSet",
    ProvisionPermissionSet => "ProvisionPermissionSet",
    RemovePermissionSetFromAccount => "RemovePermissionSetFromAccount",
    CreateAccountAssignment => "CreateAccountAssignment",
    DeleteAccountAssignment => "DeleteAccountAssignment",
    CreateUser => "CreateUser",
    DeleteUser => "DeleteUser",
    CreateGroup => "CreateGroup",
    DeleteGroup => "DeleteGroup",
    CreateGroupMembership => "CreateGroupMembership",
    DeleteGroupMembership => "DeleteGroupMembership",
    CreateDirectory => "CreateDirectory",
    DirectoryCreateUser => "ds-data:CreateUser",
    DirectoryDeleteUser => "ds-data:DeleteUser",
    DirectoryCreateGroup => "ds-data:CreateGroup",
    DirectoryDeleteGroup => "ds-data:DeleteGroup",
    DirectoryAddGroupMember => "ds-data:AddGroupMember",
    DirectoryRemoveGroupMember => "ds-data:RemoveGroupMember",
    DirectoryResetUserPassword => "ds:ResetUserPassword",
}

impl OpKind {
    /// Looks a kind up by its AWS name (exact spelling).
    pub fn parse(name: &str) -> Option<OpKind> {
        OpKind::ALL.iter().copied().find(|k| k.name() == name)
    }
}

impl fmt::Display for OpKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calls::all_calls;
    use crate::config::Config;

    #[test]
    fn kinds_are_named_as_their_operations() {
        let calls = all_calls(&Config::default());
        let mut seen = Vec::new();
        for call in &calls {
            let kind = OpKind::of(&call.op);
            assert_eq!(kind.name(), call.op.name(), "{:?}", call.op);
            assert_eq!(OpKind::parse(call.op.name()), Some(kind));
            if !seen.contains(&kind) {
                seen.push(kind);
            }
        }
        // The default configuration's universe has every kind of operation.
        assert_eq!(seen.len(), OpKind::ALL.len());
    }

    #[test]
    fn names_are_distinct_and_parse_back() {
        for (i, k) in OpKind::ALL.iter().enumerate() {
            assert_eq!(OpKind::parse(k.name()), Some(*k));
            assert_eq!(*k as usize, i);
        }
        assert_eq!(OpKind::parse("createuser"), None);
        assert_eq!(
            OpKind::parse("ds:ResetUserPassword"),
            Some(OpKind::DirectoryResetUserPassword)
        );
    }
}
