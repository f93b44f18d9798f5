//! IAM Identity Center: instances, permission sets, provisioning and account assignments
//! (IDC-1..IDC-10; Q6, A3), like `model/src/step/identity_center.rs`.

use crate::common::*;

// -------------------------------------------------------------------------------- IDC-1

// IDC-1: only the management account enables IAM Identity Center.
#[test]
fn idc1_member_enabling_identity_center_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(&cfg, &[]);
    let d = run(
        &cfg,
        &mgmt(&[
            Op::EnableAwsServiceAccess,
            Op::RegisterDelegatedAdministrator(A),
        ]),
    );
    for (s, caller) in [(&s, A), (&d, A), (&d, B)] {
        assert_eq!(
            refusal(&cfg, s, c(caller, Op::EnableIdentityCenter)),
            denied(Exception::AccessDeniedException, Rule::Idc1),
            "{caller}"
        );
    }
    let relaxed = relax(&cfg, &[Rule::Idc1]);
    let next = ok(&relaxed, &s, c(A, Op::EnableIdentityCenter));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.instance = Some(A);
            w.trusted_access = true;
            w.ghost = ghost::ADMINISTERED_BY_OUTSIDER | ghost::TRUSTED_ACCESS_CHANGED_BY_OTHER;
        })
    );
}

// IDC-1: only the management account deletes the configuration.
#[test]
fn idc1_delegate_deleting_instance_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(&cfg, &with_delegate(A));
    for caller in [A, B] {
        assert_eq!(
            refusal(&cfg, &s, c(caller, ORG_INSTANCE)),
            denied(Exception::AccessDeniedException, Rule::Idc1),
            "{caller}"
        );
    }
    let relaxed = relax(&cfg, &[Rule::Idc1]);
    let next = ok(&relaxed, &s, c(A, ORG_INSTANCE));
    assert_eq!(next, expect(&s, |w| w.instance = None));
}

// IDC-1: the management account enables it once; deleting needs an instance (model 3:
// DeleteInstance of a missing instance answers ValidationException).
#[test]
fn idc1_instance_preconditions_refused_with_api_errors() {
    let cfg = cfg();
    let s = run(&cfg, &instance());
    assert_eq!(s.instance, Some(M));
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::EnableIdentityCenter)),
        precondition(Exception::ConflictException)
    );
    assert_eq!(
        refusal(&cfg, &run(&cfg, &[]), c(M, ORG_INSTANCE)),
        precondition(Exception::ValidationException)
    );
}

// IDC-1: deleting the configuration deletes identities, permission sets and the identity
// source setting; the organization, trusted access, the registry, directories and account
// instances (IDC-1a) stay.
// (SRC-6: with AD as the source the users, groups and memberships are made in the
// directory by its owner, the management account, not through the identity store.)
#[test]
fn idc1_management_deletes_instance_configuration() {
    let mut cfg = cfg();
    cfg.assumptions.ad_sync_on_connect = AdSyncOnConnect::On;
    let s = run(
        &cfg,
        &[
            ad_in_management(),
            mgmt(&[Op::RegisterDelegatedAdministrator(A)]),
            directory_identities(M),
            mgmt(&[
                Op::CreatePermissionSet(P0),
                Op::CreatePermissionSet(P1),
                Op::DirectoryAddGroupMember(G0, U0),
                assign(M, P0, user(U0)),
                assign(B, P1, group(G0)),
                Op::UpdatePermissionSet(P1),
            ]),
            vec![c(A, Op::CreateInstance)],
        ]
        .concat(),
    );
    assert_eq!((s.users, s.groups, s.membership[0]), (0b11, 0b11, U0.bit()));
    let next = ok(&cfg, &s, c(M, ORG_INSTANCE));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.instance = None;
            w.users = 0;
            w.groups = 0;
            w.membership = Default::default();
            w.permission_sets = 0;
            w.provisioned = Default::default();
            w.assignments = Default::default();
            w.source = IDC;
            w.ad_sync = false;
        })
    );
    assert!(next.is_delegate(A) && next.trusted_access && next.directories == M.bit());
    assert_eq!(next.account_instances, A.bit());
}

// -------------------------------------------------------------------- admin() and IDC-4

// IDC-4: members that are not the delegate administer nothing.
#[test]
fn idc4_other_member_administering_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(&cfg, &with_delegate(A));
    for op in admin_ops() {
        assert_eq!(
            refusal(&cfg, &s, c(B, op)),
            denied(Exception::AccessDeniedException, Rule::Idc4),
            "{op}"
        );
    }
}

// IDC-4 relaxed: the other member administers like a delegate (IDC-2 still applies).
#[test]
fn idc4_relaxed_lets_other_member_administer_as_delegate() {
    let cfg = relax(&cfg(), &[Rule::Idc4]);
    let s = run(&cfg, &ps_in_management());
    let next = ok(&cfg, &s, c(B, Op::DeleteUser(U1)));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.users = U0.bit();
            w.ghost = ghost::ADMINISTERED_BY_OUTSIDER;
        })
    );
    assert_eq!(
        refusal(&cfg, &s, c(B, Op::UpdatePermissionSet(P0))),
        denied(Exception::AccessDeniedException, Rule::Idc2)
    );
}

// admin(): without an instance there is nothing to administer (API precondition).
#[test]
fn admin_without_instance_refused_with_resource_not_found() {
    let cfg = cfg();
    let s = run(&cfg, &[]);
    let d = run(
        &cfg,
        &mgmt(&[
            Op::EnableAwsServiceAccess,
            Op::RegisterDelegatedAdministrator(A),
        ]),
    );
    for op in admin_ops() {
        for (s, caller) in [(&s, M), (&d, A)] {
            assert_eq!(
                refusal(&cfg, s, c(caller, op)),
                precondition(Exception::ResourceNotFoundException),
                "{caller}: {op}"
            );
        }
    }
}

// ------------------------------------------------------------------------- IDC-2 / Q6

// IDC-2: the delegate can't update or delete a permission set provisioned in the
// management account.
#[test]
fn idc2_delegate_managing_management_permission_set_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(&cfg, &ps_in_management());
    for op in [Op::UpdatePermissionSet(P0), Op::DeletePermissionSet(P0)] {
        assert_eq!(
            refusal(&cfg, &s, c(A, op)),
            denied(Exception::AccessDeniedException, Rule::Idc2),
            "{op}"
        );
    }
    let relaxed = relax(&cfg, &[Rule::Idc2]);
    // An update changes no state (the policies are not modelled); the ghost fact sees it.
    let updated = ok(&relaxed, &s, c(A, Op::UpdatePermissionSet(P0)));
    assert_eq!(
        updated,
        expect(&s, |w| {
            w.ghost = ghost::DELEGATE_ALTERED_MANAGEMENT_PERMISSION_SET;
        })
    );
    // IDC-9: the set is provisioned (in the management account), so deleting it is refused
    // next; with IDC-9 relaxed too, it goes with its provisioning and assignments.
    assert_eq!(
        refusal(&relaxed, &s, c(A, Op::DeletePermissionSet(P0))),
        denied(Exception::ConflictException, Rule::Idc9)
    );
    let relaxed = relax(&cfg, &[Rule::Idc2, Rule::Idc9]);
    let deleted = ok(&relaxed, &s, c(A, Op::DeletePermissionSet(P0)));
    assert_eq!(
        deleted,
        expect(&s, |w| {
            w.permission_sets = P1.bit();
            w.provisioned[0] = 0;
            *w.assigned_mut(P0, M) = 0;
            w.ghost = ghost::DELEGATE_ALTERED_MANAGEMENT_PERMISSION_SET
                | ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER;
        })
    );
}

// IDC-2: the delegate manages permission sets not provisioned in the management account;
// the management account manages its own.
#[test]
fn idc2_permission_sets_outside_management_managed_by_delegate() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[ps_in_management(), mgmt(&[assign(A, P1, user(U1))])].concat(),
    );
    // An update changes no state (the policies are not modelled) and sets no ghost bit.
    let updated = ok(&cfg, &s, c(A, Op::UpdatePermissionSet(P1)));
    assert_eq!(updated, expect(&s, |_| {}));
    // IDC-9: `ps-2` is provisioned in member-1, so the delegate removes it from there
    // (IDC-8) before deleting it.
    assert_eq!(
        refusal(&cfg, &updated, c(A, Op::DeletePermissionSet(P1))),
        denied(Exception::ConflictException, Rule::Idc9)
    );
    let removed = ok(&cfg, &updated, c(A, remove_from(P1, A)));
    assert_eq!(
        removed,
        expect(&s, |w| {
            w.provisioned[1] = 0;
            *w.assigned_mut(P1, A) = 0;
        })
    );
    let deleted = ok(&cfg, &removed, c(A, Op::DeletePermissionSet(P1)));
    assert_eq!(
        deleted,
        expect(&s, |w| {
            w.permission_sets = P0.bit();
            w.provisioned[1] = 0;
            *w.assigned_mut(P1, A) = 0;
        })
    );
    let mine = ok(&cfg, &s, c(M, Op::UpdatePermissionSet(P0)));
    assert_eq!(mine, expect(&s, |_| {}));
}

// IDC-2: the delegate can't create or delete assignments that target the management
// account. A permission set assigned there is provisioned there, so deleting such an
// assignment also meets IDC-5: both are relaxed to let it through.
#[test]
fn idc2_delegate_assigning_in_management_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(&cfg, &ps_in_management());
    for op in [assign(M, P1, user(U1)), unassign(M, P0, user(U0))] {
        assert_eq!(
            refusal(&cfg, &s, c(A, op)),
            denied(Exception::AccessDeniedException, Rule::Idc2),
            "{op}"
        );
    }
    let relaxed = relax(&cfg, &[Rule::Idc2]);
    let created = ok(&relaxed, &s, c(A, assign(M, P1, user(U1))));
    assert_eq!(
        created,
        expect(&s, |w| {
            *w.assigned_mut(P1, M) = user(U1).bit();
            w.provisioned[1] = M.bit();
            w.ghost = ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER
                | ghost::MANAGEMENT_ACCESS_GRANTED_BY_OTHER;
        })
    );
    assert_eq!(
        refusal(&relaxed, &s, c(A, unassign(M, P0, user(U0)))),
        denied(Exception::AccessDeniedException, Rule::Idc5)
    );
    let both = relax(&cfg, &[Rule::Idc2, Rule::Idc5]);
    let deleted = ok(&both, &s, c(A, unassign(M, P0, user(U0))));
    assert_eq!(
        deleted,
        expect(&s, |w| {
            *w.assigned_mut(P0, M) = 0;
            w.ghost = ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER;
        })
    );
}

// IDC-2 / Q6 also-side-effects: the delegate can't delete, even as a side effect, an
// assignment that targets the management account.
#[test]
fn q6_also_side_effects_delegate_deleting_management_assignment_refused_with_access_denied() {
    let mut cfg = cfg();
    cfg.assumptions.management_user_access = ManagementUserAccess::AlsoSideEffects;
    let s = run(&cfg, &management_access());
    for op in [
        Op::DeleteUser(U0),
        Op::DeleteGroup(G0),
        // IDC-4 → AD wipes every assignment (SRC-4).
        Op::ChangeIdentitySource(ad(A)),
        // Refused by the provisioning guard of IDC-2 first.
        Op::DeletePermissionSet(P0),
    ] {
        assert_eq!(
            refusal(&cfg, &s, c(A, op)),
            denied(Exception::AccessDeniedException, Rule::Idc2),
            "{op}"
        );
    }
    // IDC-3: group membership stays editable; a change that preserves assignments is fine;
    // the user of another account is deleted with its assignment there.
    assert!(step(&cfg, &s, c(A, Op::DeleteGroupMembership(G0, U1))).is_ok());
    assert!(step(&cfg, &s, c(A, Op::ChangeIdentitySource(EXT))).is_ok());
    let no_management = run_from(&cfg, &s, &[c(A, Op::DeleteGroupMembership(G0, U1))]);
    let next = ok(&cfg, &no_management, c(A, Op::DeleteUser(U1)));
    assert_eq!(
        next,
        expect(&no_management, |w| {
            w.users = U0.bit();
            *w.assigned_mut(P1, B) = 0;
        })
    );
    // Relaxed IDC-2: the side effect goes through.
    let relaxed = relax(&cfg, &[Rule::Idc2]);
    let next = ok(&relaxed, &s, c(A, Op::DeleteUser(U0)));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.users = U1.bit();
            *w.assigned_mut(P0, M) = group(G0).bit();
            w.ghost = ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER;
        })
    );
    // The management account is never limited by Q6.
    assert!(step(&cfg, &s, c(M, Op::DeleteUser(U0))).is_ok());
}

// IDC-2 / Q6 assignment-calls (default): side effects are not limited.
#[test]
fn q6_assignment_calls_delegate_side_effects_allowed() {
    let cfg = cfg();
    assert_eq!(
        cfg.assumptions.management_user_access,
        ManagementUserAccess::AssignmentCalls
    );
    let s = run(&cfg, &management_access());
    let next = ok(&cfg, &s, c(A, Op::DeleteUser(U0)));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.users = U1.bit();
            *w.assigned_mut(P0, M) = group(G0).bit();
            w.ghost = ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER;
        })
    );
    let next = ok(&cfg, &s, c(A, Op::DeleteGroup(G0)));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.groups = G1.bit();
            w.membership = Default::default();
            *w.assigned_mut(P0, M) = user(U0).bit();
            w.ghost = ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER;
        })
    );
    // SRC-7: the change also removes every permission set's role from every account, the
    // management account's `ps-1` included, which the delegate thereby alters.
    let next = ok(&cfg, &s, c(A, Op::ChangeIdentitySource(ad(A))));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.users = 0;
            w.groups = 0;
            w.membership = Default::default();
            w.assignments = Default::default();
            w.provisioned = Default::default();
            w.source = ad(A);
            w.ghost = ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER
                | ghost::DELEGATE_ALTERED_MANAGEMENT_PERMISSION_SET;
        })
    );
}

// -------------------------------------------------------------------------------- IDC-5

// IDC-5: the delegate can't assign, to any account, a permission set provisioned in the
// management account.
#[test]
fn idc5_delegate_assigning_management_permission_set_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[ps_in_management(), mgmt(&[assign(B, P0, user(U1))])].concat(),
    );
    for op in [
        assign(B, P0, user(U0)),
        assign(A, P0, group(G0)),
        unassign(B, P0, user(U1)),
    ] {
        assert_eq!(
            refusal(&cfg, &s, c(A, op)),
            denied(Exception::AccessDeniedException, Rule::Idc5),
            "{op}"
        );
    }
    let relaxed = relax(&cfg, &[Rule::Idc5]);
    let next = ok(&relaxed, &s, c(A, assign(C, P0, user(U0))));
    assert_eq!(
        next,
        expect(&s, |w| {
            *w.assigned_mut(P0, C) = user(U0).bit();
            w.provisioned[0] |= C.bit();
            w.ghost = ghost::DELEGATE_ALTERED_MANAGEMENT_PERMISSION_SET
                | ghost::DELEGATE_ASSIGNED_IN_MEMBER;
        })
    );
    let next = ok(&relaxed, &s, c(A, unassign(B, P0, user(U1))));
    assert_eq!(next, expect(&s, |w| *w.assigned_mut(P0, B) = 0));
}

// IDC-5: a permission set not provisioned in the management account is assigned by the
// delegate to any member account, its own included.
#[test]
fn idc5_delegate_assigns_other_permission_set_in_members() {
    let cfg = cfg();
    let s = run(&cfg, &ps_in_management());
    let next = ok(&cfg, &s, c(A, assign(B, P1, group(G0))));
    assert_eq!(
        next,
        expect(&s, |w| {
            *w.assigned_mut(P1, B) = group(G0).bit();
            w.provisioned[1] = B.bit();
            w.ghost = ghost::DELEGATE_ASSIGNED_IN_MEMBER;
        })
    );
    let own = ok(&cfg, &next, c(A, assign(A, P1, user(U0))));
    assert_eq!(own.provisioned[1], A.bit() | B.bit());
    let deleted = ok(&cfg, &next, c(A, unassign(B, P1, group(G0))));
    assert_eq!(deleted.assigned(P1, B), 0);
    assert_eq!(deleted.ghost, 0);
}

// ----------------------------------------------------------------------- IDC-6 and API

// IDC-6: an assignment provisions its permission set; users reach an account directly or
// through a group.
#[test]
fn idc6_effective_access_directly_and_through_groups() {
    let cfg = cfg();
    let s = run(&cfg, &[instance(), identities()].concat());
    let g = ok(&cfg, &s, c(M, assign(A, P0, group(G0))));
    assert_eq!(
        g,
        expect(&s, |w| {
            *w.assigned_mut(P0, A) = group(G0).bit();
            w.provisioned[0] = A.bit();
        })
    );
    assert_eq!(effective_access(&g, A), 0, "an empty group grants nothing");
    let g = run_from(
        &cfg,
        &g,
        &mgmt(&[
            Op::CreateGroupMembership(G0, U0),
            Op::CreateGroupMembership(G0, U1),
        ]),
    );
    assert_eq!(effective_access(&g, A), U0.bit() | U1.bit());
    assert_eq!(effective_access(&g, B), 0);
    assert_eq!(effective_access(&g, M), 0);
    let g = run_from(&cfg, &g, &mgmt(&[Op::DeleteGroupMembership(G0, U0)]));
    assert_eq!(effective_access(&g, A), U1.bit());
    let g = run_from(&cfg, &g, &mgmt(&[assign(A, P1, user(U0))]));
    assert_eq!(effective_access(&g, A), U0.bit() | U1.bit());
    assert_eq!(g.provisioned[1], A.bit());
    // Deleting a user removes its memberships and assignments.
    let d = ok(&cfg, &g, c(M, Op::DeleteUser(U1)));
    assert_eq!(
        d,
        expect(&g, |w| {
            w.users = U0.bit();
            w.membership[0] = 0;
        })
    );
    assert_eq!(effective_access(&d, A), U0.bit());
    // Deleting the group removes its assignment; the direct one stays.
    let d = ok(&cfg, &g, c(M, Op::DeleteGroup(G0)));
    assert_eq!(
        d,
        expect(&g, |w| {
            w.groups = G1.bit();
            w.membership[0] = 0;
            *w.assigned_mut(P0, A) = 0;
        })
    );
    assert_eq!(effective_access(&d, A), U0.bit());
    // IDC-9: a permission set still provisioned can't be deleted; with IDC-9 relaxed,
    // deleting it removes its assignments and provisioning.
    assert_eq!(
        refusal(&cfg, &g, c(M, Op::DeletePermissionSet(P1))),
        denied(Exception::ConflictException, Rule::Idc9)
    );
    let d = ok(
        &relax(&cfg, &[Rule::Idc9]),
        &g,
        c(M, Op::DeletePermissionSet(P1)),
    );
    assert_eq!(
        d,
        expect(&g, |w| {
            w.permission_sets = P0.bit();
            w.provisioned[1] = 0;
            *w.assigned_mut(P1, A) = 0;
        })
    );
    assert_eq!(effective_access(&d, A), U1.bit());
}

// IDC-6: assignment preconditions of the SSO Admin API.
#[test]
fn idc6_assignment_preconditions_refused_with_api_errors() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            instance(),
            mgmt(&[
                Op::CreateUser(U0),
                Op::CreateGroup(G0),
                Op::CreatePermissionSet(P0),
                assign(A, P0, user(U0)),
            ]),
        ]
        .concat(),
    );
    let missing = precondition(Exception::ResourceNotFoundException);
    for op in [
        assign(A, P1, user(U0)),
        assign(A, P0, user(U1)),
        assign(A, P0, group(G1)),
        unassign(A, P1, user(U0)),
        unassign(A, P0, group(G1)),
        unassign(A, P0, group(G0)),
        unassign(B, P0, user(U0)),
    ] {
        assert_eq!(refusal(&cfg, &s, c(M, op)), missing, "{op}");
    }
    assert_eq!(
        refusal(&cfg, &s, c(M, assign(A, P0, user(U0)))),
        precondition(Exception::ConflictException)
    );
    let next = ok(&cfg, &s, c(M, unassign(A, P0, user(U0))));
    // The permission set stays provisioned after its last assignment goes.
    assert_eq!(next, expect(&s, |w| *w.assigned_mut(P0, A) = 0));
}

// Identity Store and permission-set preconditions of the APIs.
#[test]
fn identity_preconditions_refused_with_api_errors() {
    let cfg = cfg();
    let s = run(&cfg, &[instance(), identities()].concat());
    let conflict = precondition(Exception::ConflictException);
    for op in [
        Op::CreateUser(U0),
        Op::CreateGroup(G1),
        Op::CreatePermissionSet(P1),
    ] {
        assert_eq!(refusal(&cfg, &s, c(M, op)), conflict, "{op}");
    }
    let empty = run(&cfg, &instance());
    let missing = precondition(Exception::ResourceNotFoundException);
    for op in [
        Op::DeleteUser(U0),
        Op::DeleteGroup(G1),
        Op::UpdatePermissionSet(P0),
        Op::DeletePermissionSet(P1),
    ] {
        assert_eq!(refusal(&cfg, &empty, c(M, op)), missing, "{op}");
    }
    let created = ok(&cfg, &empty, c(M, Op::CreatePermissionSet(P1)));
    assert_eq!(created, expect(&empty, |w| w.permission_sets = P1.bit()));
}

// ------------------------------------------------------------------------ IDC-7 practices

// IDC-7 users-only-in-management: the management account assigns no group to itself.
#[test]
fn idc7_users_only_in_management_group_to_management_refused() {
    let cfg = practising(&cfg(), Practice::UsersOnlyInManagement);
    let s = run(&cfg, &[with_delegate(A), identities()].concat());
    assert_eq!(
        refusal(&cfg, &s, c(M, assign(M, P0, group(G0)))),
        Refusal::Practice(Practice::UsersOnlyInManagement)
    );
    assert!(step(&cfg, &s, c(M, assign(M, P0, user(U0)))).is_ok());
    assert!(step(&cfg, &s, c(M, assign(A, P0, group(G0)))).is_ok());
    // A practice never refuses anyone else's call (here the delegate, IDC-2 relaxed).
    let relaxed = relax(&cfg, &[Rule::Idc2]);
    assert!(step(&relaxed, &s, c(A, assign(M, P0, group(G0)))).is_ok());
    // Without the practice the management account may.
    assert!(step(&self::cfg(), &s, c(M, assign(M, P0, group(G0)))).is_ok());
}

// IDC-7 permission-sets-only-for-management: a permission set is provisioned either in the
// management account or in members, never both.
#[test]
fn idc7_permission_sets_only_for_management_mixing_refused() {
    let cfg = practising(&cfg(), Practice::PermissionSetsOnlyForManagement);
    let s = run(
        &cfg,
        &[
            with_delegate(A),
            identities(),
            mgmt(&[assign(M, P0, user(U0)), assign(B, P1, user(U0))]),
        ]
        .concat(),
    );
    let practice = Refusal::Practice(Practice::PermissionSetsOnlyForManagement);
    assert_eq!(refusal(&cfg, &s, c(M, assign(C, P0, user(U1)))), practice);
    assert_eq!(refusal(&cfg, &s, c(M, assign(M, P1, user(U1)))), practice);
    assert!(step(&cfg, &s, c(M, assign(M, P0, user(U1)))).is_ok());
    assert!(step(&cfg, &s, c(M, assign(C, P1, user(U1)))).is_ok());
    // The delegate is not bound by the practice (IDC-5 relaxed to let it try).
    let relaxed = relax(&cfg, &[Rule::Idc5]);
    assert!(step(&relaxed, &s, c(A, assign(C, P0, user(U1)))).is_ok());
}

// IDC-7 least-privilege-in-management: the management account never lets a second user
// reach itself, by assignment or by group membership.
#[test]
fn idc7_least_privilege_second_user_in_management_refused() {
    let cfg = practising(&cfg(), Practice::LeastPrivilegeInManagement);
    let practice = Refusal::Practice(Practice::LeastPrivilegeInManagement);
    let s = run(
        &cfg,
        &[
            with_delegate(A),
            identities(),
            mgmt(&[assign(M, P0, user(U0)), assign(M, P0, group(G0))]),
        ]
        .concat(),
    );
    assert_eq!(assigned_users(&s, M), U0.bit());
    assert_eq!(refusal(&cfg, &s, c(M, assign(M, P1, user(U1)))), practice);
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::CreateGroupMembership(G0, U1))),
        practice
    );
    // The same user again, or users of member accounts, are fine.
    assert!(step(&cfg, &s, c(M, assign(M, P1, user(U0)))).is_ok());
    assert!(step(&cfg, &s, c(M, Op::CreateGroupMembership(G0, U0))).is_ok());
    assert!(step(&cfg, &s, c(M, assign(B, P1, user(U1)))).is_ok());
    // The delegate is not bound by the practice (IDC-3).
    let next = ok(&cfg, &s, c(A, Op::CreateGroupMembership(G0, U1)));
    assert_eq!(assigned_users(&next, M), U0.bit() | U1.bit());
    // A group of two assigned at once is a second user too.
    let fresh = run(
        &cfg,
        &[
            instance(),
            identities(),
            mgmt(&[
                Op::CreateGroupMembership(G1, U0),
                Op::CreateGroupMembership(G1, U1),
            ]),
        ]
        .concat(),
    );
    assert_eq!(
        refusal(&cfg, &fresh, c(M, assign(M, P0, group(G1)))),
        practice
    );
}

// ------------------------------------------------------------------------------ IDC-1a

// IDC-1a: CreateInstance (an account instance) from the management account is refused
// ("Organization management account is not allowed to perform the operation"), with or
// without the organization instance; relaxed, the management account gets one.
#[test]
fn idc1a_management_creating_account_instance_refused_with_validation() {
    let cfg = cfg();
    for setup in [vec![], instance()] {
        let s = run(&cfg, &setup);
        assert_eq!(
            refusal(&cfg, &s, c(M, Op::CreateInstance)),
            denied(Exception::ValidationException, Rule::Idc1a)
        );
        let relaxed = relax(&cfg, &[Rule::Idc1a]);
        let next = ok(&relaxed, &s, c(M, Op::CreateInstance));
        assert_eq!(next, expect(&s, |w| w.account_instances = M.bit()));
    }
}

// IDC-1a: a member creates one account instance in its own account — the delegate and a
// standalone account (outside the organization) too, with or without the organization
// instance; nothing else changes (it is not the organization instance). A second one in
// the same account is refused with ConflictException; relaxed, it changes nothing (one per
// account in the model).
#[test]
fn idc1a_member_creates_one_account_instance_second_refused_with_conflict() {
    let cfg = cfg();
    let bare = run(&cfg, &[]);
    let next = ok(&cfg, &bare, c(B, Op::CreateInstance));
    assert_eq!(next, expect(&bare, |w| w.account_instances = B.bit()));
    assert_eq!(next.instance, None);
    let s = run(
        &cfg,
        &[with_delegate(A), vec![c(C, Op::LeaveOrganization)]].concat(),
    );
    let mut now = s.clone();
    for caller in [A, B, C] {
        let next = ok(&cfg, &now, c(caller, Op::CreateInstance));
        assert_eq!(
            next,
            expect(&now, |w| w.account_instances |= caller.bit()),
            "{caller}"
        );
        now = next;
    }
    assert_eq!(
        now,
        expect(&s, |w| w.account_instances = A.bit() | B.bit() | C.bit())
    );
    for caller in [A, B, C] {
        assert_eq!(
            refusal(&cfg, &now, c(caller, Op::CreateInstance)),
            denied(Exception::ConflictException, Rule::Idc1a),
            "{caller}"
        );
    }
    let relaxed = relax(&cfg, &[Rule::Idc1a]);
    assert_eq!(ok(&relaxed, &now, c(B, Op::CreateInstance)), now);
}

// IDC-1a: an account instance serves only its own account: its owner administers nothing
// of the organization instance (IDC-4), and without the organization instance the
// management account finds nothing to administer.
#[test]
fn idc1a_account_instance_administers_nothing_of_the_organization() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            with_delegate(A),
            identities(),
            vec![c(B, Op::CreateInstance)],
        ]
        .concat(),
    );
    for op in admin_ops() {
        assert_eq!(
            refusal(&cfg, &s, c(B, op)),
            denied(Exception::AccessDeniedException, Rule::Idc4),
            "{op}"
        );
    }
    let alone = run(&cfg, &[c(B, Op::CreateInstance)]);
    assert_eq!(
        refusal(&cfg, &alone, c(B, Op::CreateUser(U0))),
        denied(Exception::AccessDeniedException, Rule::Idc4)
    );
    assert_eq!(
        refusal(&cfg, &alone, c(M, Op::CreateUser(U0))),
        precondition(Exception::ResourceNotFoundException)
    );
}

// IDC-1a: only the account that owns an account instance deletes it: the management
// account, the delegate and another member are refused with AccessDeniedException;
// relaxed, the instance goes (and a missing one is the API's ValidationException, model 3).
#[test]
fn idc1a_deleting_another_accounts_instance_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[with_delegate(A), vec![c(B, Op::CreateInstance)]].concat(),
    );
    let op = Op::DeleteInstance(InstanceRef::Account(B));
    for caller in [M, A, C] {
        assert_eq!(
            refusal(&cfg, &s, c(caller, op)),
            denied(Exception::AccessDeniedException, Rule::Idc1a),
            "{caller}"
        );
    }
    let relaxed = relax(&cfg, &[Rule::Idc1a]);
    for caller in [M, A, C] {
        let next = ok(&relaxed, &s, c(caller, op));
        assert_eq!(next, expect(&s, |w| w.account_instances = 0), "{caller}");
    }
    assert_eq!(
        refusal(
            &relaxed,
            &s,
            c(B, Op::DeleteInstance(InstanceRef::Account(C)))
        ),
        precondition(Exception::ValidationException)
    );
}

// IDC-1a: a member — the delegate too — deletes its own account instance ("those roles can
// delete their own instance"), and may create one again; without one, the API's
// ValidationException (model 3). The organization instance stays.
#[test]
fn idc1a_member_deletes_its_own_account_instance() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            with_delegate(A),
            vec![c(A, Op::CreateInstance), c(B, Op::CreateInstance)],
        ]
        .concat(),
    );
    for caller in [A, B] {
        let own = Op::DeleteInstance(InstanceRef::Account(caller));
        let next = ok(&cfg, &s, c(caller, own));
        assert_eq!(
            next,
            expect(&s, |w| w.account_instances =
                (A.bit() | B.bit()) & !caller.bit()),
            "{caller}"
        );
        assert_eq!(next.instance, Some(M));
        assert_eq!(
            refusal(&cfg, &next, c(caller, own)),
            precondition(Exception::ValidationException),
            "{caller}"
        );
        assert_eq!(
            ok(&cfg, &next, c(caller, Op::CreateInstance)),
            s,
            "{caller}"
        );
    }
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::DeleteInstance(InstanceRef::Account(M)))),
        precondition(Exception::ValidationException)
    );
}

// IDC-1a (with IDC-1): "Neither the delegated administrator nor member account can delete
// the organization instance": refused with AccessDeniedException by IDC-1, also with IDC-1a
// relaxed; the management account deletes it and the account instances stay.
#[test]
fn idc1a_delegate_deleting_organization_instance_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[with_delegate(A), vec![c(A, Op::CreateInstance)]].concat(),
    );
    for cfg in [cfg, relax(&cfg, &[Rule::Idc1a])] {
        for caller in [A, B] {
            assert_eq!(
                refusal(&cfg, &s, c(caller, ORG_INSTANCE)),
                denied(Exception::AccessDeniedException, Rule::Idc1),
                "{caller}"
            );
        }
    }
    let next = ok(&cfg, &s, c(M, ORG_INSTANCE));
    assert_eq!(next, expect(&s, |w| w.instance = None));
    assert_eq!(next.account_instances, A.bit());
}

// ------------------------------------------------------------------------- IDC-8 / A3

// IDC-8: ProvisionPermissionSet adds the set's role to an account without any assignment,
// by the management account (in any account) or the delegate (in member accounts, its own
// included); provisioning again changes nothing. The set must exist; the target must be an
// active account of the organization (ORG-4).
#[test]
fn idc8_provision_permission_set_provisions_without_assignment() {
    let cfg = cfg();
    let s = run(&cfg, &[with_delegate(A), identities()].concat());
    let next = ok(&cfg, &s, c(M, provision(P0, B)));
    assert_eq!(next, expect(&s, |w| w.provisioned[0] = B.bit()));
    assert_eq!(ok(&cfg, &next, c(M, provision(P0, B))), next);
    let next = ok(&cfg, &next, c(M, provision(P0, M)));
    assert_eq!(next, expect(&s, |w| w.provisioned[0] = B.bit() | M.bit()));
    assert_eq!(effective_access(&next, M), 0, "a role alone grants nothing");
    let next = ok(&cfg, &s, c(A, provision(P1, C)));
    assert_eq!(next, expect(&s, |w| w.provisioned[1] = C.bit()));
    let next = ok(&cfg, &next, c(A, provision(P1, A)));
    assert_eq!(next, expect(&s, |w| w.provisioned[1] = C.bit() | A.bit()));
    assert_eq!(
        refusal(&cfg, &run(&cfg, &instance()), c(M, provision(P0, A))),
        precondition(Exception::ResourceNotFoundException)
    );
    let closed = run_from(&cfg, &s, &mgmt(&[Op::CloseAccount(C)]));
    assert_eq!(
        refusal(&cfg, &closed, c(M, provision(P0, C))),
        denied(Exception::ValidationException, Rule::Org4)
    );
}

// IDC-8 / IDC-2: the delegate neither provisions into, nor removes a set from, the
// management account, nor provisions or removes a set provisioned there; relaxed, it does
// (and altering the management account's set is recorded by the ghost fact).
#[test]
fn idc8_delegate_provisioning_in_management_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[ps_in_management(), mgmt(&[provision(P0, B)])].concat(),
    );
    for op in [
        provision(P1, M),
        provision(P0, C),
        remove_from(P0, M),
        remove_from(P0, B),
    ] {
        assert_eq!(
            refusal(&cfg, &s, c(A, op)),
            denied(Exception::AccessDeniedException, Rule::Idc2),
            "{op}"
        );
    }
    let relaxed = relax(&cfg, &[Rule::Idc2]);
    let next = ok(&relaxed, &s, c(A, provision(P1, M)));
    assert_eq!(next, expect(&s, |w| w.provisioned[1] = M.bit()));
    let next = ok(&relaxed, &s, c(A, provision(P0, C)));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.provisioned[0] |= C.bit();
            w.ghost = ghost::DELEGATE_ALTERED_MANAGEMENT_PERMISSION_SET;
        })
    );
    let next = ok(&relaxed, &s, c(A, remove_from(P0, M)));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.provisioned[0] = B.bit();
            *w.assigned_mut(P0, M) = 0;
            w.ghost = ghost::DELEGATE_ALTERED_MANAGEMENT_PERMISSION_SET
                | ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER;
        })
    );
}

// IDC-8: removing a permission set from an account deletes its role there and every
// assignment there that uses it; other sets and other accounts keep theirs. The delegate
// does it in member accounts. Not provisioned there, or no such set: ResourceNotFound.
#[test]
fn idc8_remove_permission_set_from_account_deletes_role_and_assignments() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            with_delegate(C),
            identities(),
            mgmt(&[
                Op::CreateGroupMembership(G0, U0),
                assign(A, P0, user(U0)),
                assign(A, P0, group(G0)),
                assign(A, P1, user(U1)),
                assign(B, P0, user(U1)),
            ]),
        ]
        .concat(),
    );
    assert_eq!(effective_access(&s, A), U0.bit() | U1.bit());
    let want = expect(&s, |w| {
        w.provisioned[0] = B.bit();
        *w.assigned_mut(P0, A) = 0;
    });
    assert_eq!(ok(&cfg, &s, c(M, remove_from(P0, A))), want);
    assert_eq!(ok(&cfg, &s, c(C, remove_from(P0, A))), want);
    assert_eq!(effective_access(&want, A), U1.bit());
    assert_eq!(effective_access(&want, B), U1.bit());
    assert_eq!(
        refusal(&cfg, &s, c(M, remove_from(P1, B))),
        precondition(Exception::ResourceNotFoundException)
    );
    assert_eq!(
        refusal(&cfg, &run(&cfg, &instance()), c(M, remove_from(P0, A))),
        precondition(Exception::ResourceNotFoundException)
    );
}

// IDC-8 / A3: deleting the last assignment of a set in an account keeps the set provisioned
// there (keeps-provisioned, concrete) or deprovisions it (deprovisions); deleting an
// assignment that is not the last keeps it provisioned under both.
#[test]
fn a3_delete_account_assignment_last_assignment_under_each_reading() {
    for a3 in [
        LastAssignmentDeprovisions::KeepsProvisioned,
        LastAssignmentDeprovisions::Deprovisions,
    ] {
        let mut cfg = cfg();
        cfg.assumptions.last_assignment_deprovisions = a3;
        let s = run(
            &cfg,
            &[
                instance(),
                identities(),
                mgmt(&[assign(A, P0, user(U0)), assign(A, P0, user(U1))]),
            ]
            .concat(),
        );
        let one = ok(&cfg, &s, c(M, unassign(A, P0, user(U0))));
        assert_eq!(
            one,
            expect(&s, |w| *w.assigned_mut(P0, A) = user(U1).bit()),
            "{a3}"
        );
        let none = ok(&cfg, &one, c(M, unassign(A, P0, user(U1))));
        let want = match a3 {
            LastAssignmentDeprovisions::KeepsProvisioned => A.bit(),
            _ => 0,
        };
        assert_eq!(
            none,
            expect(&s, |w| {
                *w.assigned_mut(P0, A) = 0;
                w.provisioned[0] = want;
            }),
            "{a3}"
        );
    }
}

// IDC-8 / A3: deleting a user or a group (identity store) deletes its assignments; where
// that was the last assignment of a set in an account, A3 decides whether the set stays
// provisioned there.
#[test]
fn a3_delete_user_or_group_last_assignment_under_each_reading() {
    for a3 in [
        LastAssignmentDeprovisions::KeepsProvisioned,
        LastAssignmentDeprovisions::Deprovisions,
    ] {
        let mut cfg = cfg();
        cfg.assumptions.last_assignment_deprovisions = a3;
        let deprovisions = a3 == LastAssignmentDeprovisions::Deprovisions;
        let s = run(
            &cfg,
            &[
                instance(),
                identities(),
                mgmt(&[
                    Op::CreateGroupMembership(G0, U0),
                    assign(A, P0, user(U0)),
                    assign(B, P0, user(U0)),
                    assign(B, P0, user(U1)),
                    assign(C, P1, group(G0)),
                ]),
            ]
            .concat(),
        );
        let next = ok(&cfg, &s, c(M, Op::DeleteUser(U0)));
        assert_eq!(
            next,
            expect(&s, |w| {
                w.users = U1.bit();
                w.membership[0] = 0;
                *w.assigned_mut(P0, A) = 0;
                *w.assigned_mut(P0, B) = user(U1).bit();
                if deprovisions {
                    // Member-1 lost its last `ps-1` assignment; member-2 keeps one; the
                    // group assignment in member-3 stays.
                    w.provisioned[0] = B.bit();
                }
            }),
            "{a3}"
        );
        let next = ok(&cfg, &s, c(M, Op::DeleteGroup(G0)));
        assert_eq!(
            next,
            expect(&s, |w| {
                w.groups = G1.bit();
                w.membership[0] = 0;
                *w.assigned_mut(P1, C) = 0;
                if deprovisions {
                    w.provisioned[1] = 0;
                }
            }),
            "{a3}"
        );
    }
}

// -------------------------------------------------------------------------------- IDC-9

// IDC-9: a permission set still provisioned in some account — through an assignment or on
// its own — can't be deleted, by the management account or the delegate
// (ConflictException); removed from every account, it can. Relaxed, it goes with its
// provisioning and assignments.
#[test]
fn idc9_deleting_provisioned_permission_set_refused_with_conflict() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            with_delegate(A),
            identities(),
            mgmt(&[provision(P0, B)]),
            vec![c(A, assign(C, P1, user(U0)))],
        ]
        .concat(),
    );
    for (caller, ps) in [(M, P0), (A, P0), (M, P1), (A, P1)] {
        assert_eq!(
            refusal(&cfg, &s, c(caller, Op::DeletePermissionSet(ps))),
            denied(Exception::ConflictException, Rule::Idc9),
            "{caller}: {ps}"
        );
    }
    let relaxed = relax(&cfg, &[Rule::Idc9]);
    let next = ok(&relaxed, &s, c(M, Op::DeletePermissionSet(P0)));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.permission_sets = P1.bit();
            w.provisioned[0] = 0;
        })
    );
    let next = ok(&relaxed, &s, c(A, Op::DeletePermissionSet(P1)));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.permission_sets = P0.bit();
            w.provisioned[1] = 0;
            *w.assigned_mut(P1, C) = 0;
        })
    );
    // Removed from its accounts first (IDC-8), each set is deleted.
    let clean = run_from(
        &cfg,
        &s,
        &[c(M, remove_from(P0, B)), c(A, remove_from(P1, C))],
    );
    assert_eq!(clean.provisioned, [0; 4]);
    let next = ok(&cfg, &clean, c(A, Op::DeletePermissionSet(P1)));
    assert_eq!(next, expect(&clean, |w| w.permission_sets = P0.bit()));
}

// IDC-9 / A3: deleting a set's last assignment frees it for deletion only where that
// deprovisions it.
#[test]
fn idc9_deleting_set_after_its_last_assignment_depends_on_a3() {
    let mut cfg = cfg();
    let setup = [
        instance(),
        identities(),
        mgmt(&[assign(A, P0, user(U0)), unassign(A, P0, user(U0))]),
    ]
    .concat();
    let s = run(&cfg, &setup);
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::DeletePermissionSet(P0))),
        denied(Exception::ConflictException, Rule::Idc9)
    );
    cfg.assumptions.last_assignment_deprovisions = LastAssignmentDeprovisions::Deprovisions;
    let s = run(&cfg, &setup);
    let next = ok(&cfg, &s, c(M, Op::DeletePermissionSet(P0)));
    assert_eq!(next, expect(&s, |w| w.permission_sets = P1.bit()));
}

// ------------------------------------------------------------------------------- IDC-10

// IDC-10: with trusted access disabled (Q2 keeps-registration: the delegate stays), no
// assignment or provisioning into a member account succeeds, whoever calls
// (ValidationException); the management account itself is no member account. Relaxed,
// they go through; trusted access enabled again, they succeed.
#[test]
fn idc10_member_assignment_without_trusted_access_refused_with_validation() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            with_delegate(A),
            identities(),
            mgmt(&[assign(B, P1, user(U1)), Op::DisableAwsServiceAccess]),
        ]
        .concat(),
    );
    assert!(!s.trusted_access && s.is_delegate(A));
    for caller in [M, A] {
        for op in [
            assign(C, P1, user(U0)),
            assign(A, P1, group(G0)),
            provision(P1, C),
            provision(P0, A),
        ] {
            assert_eq!(
                refusal(&cfg, &s, c(caller, op)),
                denied(Exception::ValidationException, Rule::Idc10),
                "{caller}: {op}"
            );
        }
    }
    let next = ok(&cfg, &s, c(M, assign(M, P0, user(U0))));
    assert_eq!(
        next,
        expect(&s, |w| {
            *w.assigned_mut(P0, M) = user(U0).bit();
            w.provisioned[0] = M.bit();
        })
    );
    let next = ok(&cfg, &s, c(M, provision(P0, M)));
    assert_eq!(next, expect(&s, |w| w.provisioned[0] = M.bit()));
    let relaxed = relax(&cfg, &[Rule::Idc10]);
    let next = ok(&relaxed, &s, c(A, assign(C, P1, user(U0))));
    assert_eq!(
        next,
        expect(&s, |w| {
            *w.assigned_mut(P1, C) = user(U0).bit();
            w.provisioned[1] |= C.bit();
            w.ghost = ghost::DELEGATE_ASSIGNED_IN_MEMBER;
        })
    );
    let next = ok(&relaxed, &s, c(M, provision(P0, A)));
    assert_eq!(next, expect(&s, |w| w.provisioned[0] = A.bit()));
    let on = run_from(&cfg, &s, &mgmt(&[Op::EnableAwsServiceAccess]));
    let next = ok(&cfg, &on, c(M, provision(P0, A)));
    assert_eq!(next, expect(&on, |w| w.provisioned[0] = A.bit()));
}

// IDC-10: deletions into member accounts still succeed with trusted access disabled.
#[test]
fn idc10_deletions_without_trusted_access_allowed() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            with_delegate(A),
            identities(),
            mgmt(&[
                assign(B, P1, user(U1)),
                assign(C, P1, user(U0)),
                Op::DisableAwsServiceAccess,
            ]),
        ]
        .concat(),
    );
    let next = ok(&cfg, &s, c(A, unassign(B, P1, user(U1))));
    assert_eq!(next, expect(&s, |w| *w.assigned_mut(P1, B) = 0));
    let next = ok(&cfg, &s, c(M, remove_from(P1, C)));
    assert_eq!(
        next,
        expect(&s, |w| {
            *w.assigned_mut(P1, C) = 0;
            w.provisioned[1] = B.bit();
        })
    );
}
