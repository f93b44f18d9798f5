//! The universe of calls of a configuration: every caller, every operation, every parameter.

use crate::account::{Acct, Group, PermissionSet, Principal, User};
use crate::call::{Call, IdentitySource, InstanceRef, Op};
use crate::config::Config;

/// Every call of the configuration, valid or not, in a fixed order: by caller, then by
/// operation, then by parameters. The checker explores all of them (refused ones simply
/// lead nowhere).
pub fn all_calls(cfg: &Config) -> Vec<Call> {
    let accounts: Vec<Acct> = (0..cfg.accounts()).map(Acct).collect();
    let users: Vec<User> = (0..cfg.users).map(User).collect();
    let groups: Vec<Group> = (0..cfg.groups).map(Group).collect();
    let sets: Vec<PermissionSet> = (0..cfg.permission_sets).map(PermissionSet).collect();
    let principals: Vec<Principal> = users
        .iter()
        .map(|u| Principal::User(*u))
        .chain(groups.iter().map(|g| Principal::Group(*g)))
        .collect();

    let mut ops = Vec::new();
    for &a in &accounts {
        ops.push(Op::InviteAccountToOrganization(a));
    }
    ops.push(Op::AcceptHandshake);
    ops.push(Op::LeaveOrganization);
    for &a in &accounts {
        ops.push(Op::RemoveAccountFromOrganization(a));
        ops.push(Op::CloseAccount(a));
    }
    ops.push(Op::CloseOwnAccount);
    ops.push(Op::EnableAwsServiceAccess);
    ops.push(Op::DisableAwsServiceAccess);
    for &a in &accounts {
        ops.push(Op::RegisterDelegatedAdministrator(a));
        ops.push(Op::DeregisterDelegatedAdministrator(a));
    }
    ops.push(Op::EnableIdentityCenter);
    ops.push(Op::CreateInstance);
    ops.push(Op::DeleteInstance(InstanceRef::Organization));
    for &a in &accounts {
        ops.push(Op::DeleteInstance(InstanceRef::Account(a)));
    }
    ops.push(Op::ChangeIdentitySource(
        IdentitySource::IdentityCenterDirectory,
    ));
    ops.push(Op::ChangeIdentitySource(IdentitySource::ExternalIdp));
    for &a in &accounts {
        ops.push(Op::ChangeIdentitySource(IdentitySource::ActiveDirectory(a)));
    }
    ops.push(Op::EnableConfigurableAdSync);
    ops.push(Op::DisableConfigurableAdSync);
    for &ps in &sets {
        ops.push(Op::CreatePermissionSet(ps));
        ops.push(Op::UpdatePermissionSet(ps));
        ops.push(Op::DeletePermissionSet(ps));
        for &target in &accounts {
            ops.push(Op::ProvisionPermissionSet {
                permission_set: ps,
                target,
            });
            ops.push(Op::RemovePermissionSetFromAccount {
                permission_set: ps,
                target,
            });
        }
    }
    for &target in &accounts {
        for &permission_set in &sets {
            for &principal in &principals {
                ops.push(Op::CreateAccountAssignment {
                    target,
                    permission_set,
                    principal,
                });
                ops.push(Op::DeleteAccountAssignment {
                    target,
                    permission_set,
                    principal,
                });
            }
        }
    }
    for &u in &users {
        ops.push(Op::CreateUser(u));
        ops.push(Op::DeleteUser(u));
    }
    for &g in &groups {
        ops.push(Op::CreateGroup(g));
        ops.push(Op::DeleteGroup(g));
        for &u in &users {
            ops.push(Op::CreateGroupMembership(g, u));
            ops.push(Op::DeleteGroupMembership(g, u));
        }
    }
    ops.push(Op::CreateDirectory);
    for &u in &users {
        ops.push(Op::DirectoryCreateUser(u));
        ops.push(Op::DirectoryDeleteUser(u));
    }
    for &g in &groups {
        ops.push(Op::DirectoryCreateGroup(g));
        ops.push(Op::DirectoryDeleteGroup(g));
        for &u in &users {
            ops.push(Op::DirectoryAddGroupMember(g, u));
            ops.push(Op::DirectoryRemoveGroupMember(g, u));
        }
    }
    for &u in &users {
        ops.push(Op::DirectoryResetUserPassword(u));
    }

    let mut calls = Vec::with_capacity(accounts.len() * ops.len());
    for &caller in &accounts {
        calls.extend(ops.iter().map(|&op| Call { caller, op }));
    }
    calls
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::call_in_range;

    #[test]
    fn every_enumerated_call_is_in_range() {
        let cfg = Config::default();
        let calls = all_calls(&cfg);
        assert!(calls.iter().all(|c| call_in_range(&cfg, c).is_ok()));
        let distinct: std::collections::HashSet<_> = calls.iter().collect();
        assert_eq!(distinct.len(), calls.len(), "no call is listed twice");
    }

    #[test]
    fn out_of_range_names_the_culprit() {
        let cfg = Config::default();
        let call = Call {
            caller: Acct::MANAGEMENT,
            op: Op::RegisterDelegatedAdministrator(Acct(5)),
        };
        let err = call_in_range(&cfg, &call).unwrap_err();
        assert_eq!(
            err.to_string(),
            "member-5 is beyond the configuration (2 member accounts)"
        );
    }
}
