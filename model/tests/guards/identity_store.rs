//! Users, groups and memberships, in the identity store or the AD directory (IDC-3, SRC-6),
//! like `model/src/step/identity_store.rs`.

use crate::common::*;

// -------------------------------------------------------------------------------- IDC-3

// IDC-3: the delegate edits the membership of a group assigned to the management account,
// and so changes who reaches it.
#[test]
fn idc3_delegate_edits_membership_of_management_group() {
    for q6 in ManagementUserAccess::ALL {
        let mut cfg = cfg();
        cfg.assumptions.management_user_access = *q6;
        let s = run(&cfg, &management_access());
        assert_eq!(assigned_users(&s, M), U0.bit() | U1.bit());
        let removed = ok(&cfg, &s, c(A, Op::DeleteGroupMembership(G0, U1)));
        assert_eq!(
            removed,
            expect(&s, |w| {
                w.membership[0] = 0;
                w.ghost = ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER;
            }),
            "{q6}"
        );
        assert_eq!(assigned_users(&removed, M), U0.bit());
        let added = ok(&cfg, &removed, c(A, Op::CreateGroupMembership(G0, U1)));
        assert_eq!(
            added,
            expect(&s, |w| {
                w.ghost = ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER
                    | ghost::MANAGEMENT_ACCESS_GRANTED_BY_OTHER;
            }),
            "{q6}"
        );
    }
}

// IDC-3: membership preconditions of the Identity Store API.
#[test]
fn idc3_membership_preconditions_refused_with_api_errors() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            instance(),
            mgmt(&[
                Op::CreateUser(U0),
                Op::CreateGroup(G0),
                Op::CreateGroupMembership(G0, U0),
            ]),
        ]
        .concat(),
    );
    let missing = precondition(Exception::ResourceNotFoundException);
    for op in [
        Op::CreateGroupMembership(G1, U0),
        Op::CreateGroupMembership(G0, U1),
        Op::DeleteGroupMembership(G1, U0),
        Op::DeleteGroupMembership(G0, U1),
    ] {
        assert_eq!(refusal(&cfg, &s, c(M, op)), missing, "{op}");
    }
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::CreateGroupMembership(G0, U0))),
        precondition(Exception::ConflictException)
    );
    let none = run_from(&cfg, &s, &mgmt(&[Op::DeleteGroupMembership(G0, U0)]));
    assert_eq!(none.membership[0], 0);
    assert_eq!(
        refusal(&cfg, &none, c(M, Op::DeleteGroupMembership(G0, U0))),
        missing
    );
}

// -------------------------------------------------------------------------------- SRC-6

// SRC-6: with Active Directory as the identity source, the identity store refuses every
// user, group and membership write (ValidationException), by the management account and
// the delegate alike, before looking at the identities; permission sets and assignments
// stay writable. Relaxed, the writes go through.
#[test]
fn src6_identity_store_writes_with_ad_source_refused_with_validation() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            ad_in_delegate(),
            vec![c(A, Op::EnableConfigurableAdSync)],
            directory_identities(A),
            vec![c(A, Op::DirectoryAddGroupMember(G0, U0))],
        ]
        .concat(),
    );
    let store_writes = [
        Op::CreateUser(U0),
        Op::DeleteUser(U1),
        Op::CreateGroup(G0),
        Op::DeleteGroup(G1),
        Op::CreateGroupMembership(G1, U1),
        Op::DeleteGroupMembership(G0, U0),
    ];
    for caller in [M, A] {
        for op in store_writes {
            assert_eq!(
                refusal(&cfg, &s, c(caller, op)),
                denied(Exception::ValidationException, Rule::Src6),
                "{caller}: {op}"
            );
        }
    }
    // Who may administer is checked first (IDC-4).
    assert_eq!(
        refusal(&cfg, &s, c(B, Op::CreateUser(U0))),
        denied(Exception::AccessDeniedException, Rule::Idc4)
    );
    let next = run_from(
        &cfg,
        &s,
        &mgmt(&[Op::CreatePermissionSet(P0), assign(M, P0, user(U0))]),
    );
    assert_eq!(assigned_users(&next, M), U0.bit());
    let relaxed = relax(&cfg, &[Rule::Src6]);
    assert_eq!(
        ok(&relaxed, &s, c(M, Op::DeleteUser(U1))),
        expect(&s, |w| w.users = U0.bit())
    );
    assert_eq!(
        ok(&relaxed, &s, c(A, Op::CreateGroupMembership(G1, U1))),
        expect(&s, |w| w.membership[1] = U1.bit())
    );
    let mine = run(&cfg, &ad_in_management());
    assert_eq!(
        refusal(&cfg, &mine, c(M, Op::CreateUser(U0))),
        denied(Exception::ValidationException, Rule::Src6)
    );
}

// SRC-6: the owner of the directory that is the identity source creates and deletes users
// and groups and edits memberships (what IAM Identity Center syncs); a password reset
// changes nothing the model sees. The API's own preconditions hold.
#[test]
fn src6_directory_owner_manages_identities_of_the_source() {
    let cfg = cfg();
    let s = run(&cfg, &ad_in_delegate());
    let u = ok(&cfg, &s, c(A, Op::DirectoryCreateUser(U0)));
    assert_eq!(u, expect(&s, |w| w.users = U0.bit()));
    let g = ok(&cfg, &u, c(A, Op::DirectoryCreateGroup(G0)));
    assert_eq!(g, expect(&u, |w| w.groups = G0.bit()));
    let m = ok(&cfg, &g, c(A, Op::DirectoryAddGroupMember(G0, U0)));
    assert_eq!(m, expect(&g, |w| w.membership[0] = U0.bit()));
    assert_eq!(ok(&cfg, &m, c(A, Op::DirectoryResetUserPassword(U0))), m);
    assert_eq!(
        ok(&cfg, &m, c(A, Op::DirectoryRemoveGroupMember(G0, U0))),
        g
    );
    assert_eq!(
        ok(&cfg, &m, c(A, Op::DirectoryDeleteGroup(G0))),
        expect(&u, |_| {})
    );
    assert_eq!(
        ok(&cfg, &m, c(A, Op::DirectoryDeleteUser(U0))),
        expect(&g, |w| w.users = 0)
    );
    let conflict = precondition(Exception::ConflictException);
    let missing = precondition(Exception::ResourceNotFoundException);
    for (op, want) in [
        (Op::DirectoryCreateUser(U0), &conflict),
        (Op::DirectoryCreateGroup(G0), &conflict),
        (Op::DirectoryAddGroupMember(G0, U0), &conflict),
        (Op::DirectoryDeleteUser(U1), &missing),
        (Op::DirectoryDeleteGroup(G1), &missing),
        (Op::DirectoryAddGroupMember(G1, U0), &missing),
        (Op::DirectoryAddGroupMember(G0, U1), &missing),
        (Op::DirectoryRemoveGroupMember(G0, U1), &missing),
        // Model 3: ds:ResetUserPassword has Directory Service's own error.
        (
            Op::DirectoryResetUserPassword(U1),
            &precondition(Exception::UserDoesNotExistException),
        ),
    ] {
        assert_eq!(refusal(&cfg, &m, c(A, op)), *want, "{op}");
    }
}

// SRC-6: the directory's owner controls the identities whether or not it is (still) the
// delegate: deregistered (Q4 source-change), it still adds a user to a group assigned to
// the management account — a change of the management account's access by another
// account, which the ghost facts record — and takes users over.
#[test]
fn src6_former_delegate_owning_the_source_edits_management_group() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            ad_in_delegate(),
            vec![
                c(A, Op::DirectoryCreateUser(U0)),
                c(A, Op::DirectoryCreateGroup(G0)),
            ],
            mgmt(&[
                Op::CreatePermissionSet(P0),
                assign(M, P0, group(G0)),
                Op::DeregisterDelegatedAdministrator(A),
            ]),
        ]
        .concat(),
    );
    assert!(s.delegates == 0 && s.source == ad(A));
    let next = ok(&cfg, &s, c(A, Op::DirectoryAddGroupMember(G0, U0)));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.membership[0] = U0.bit();
            // Model 3: a directory-side write to the synced store by a non-delegate is
            // administration by an outsider (administered-only-by-management-or-delegate).
            w.ghost = ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER
                | ghost::MANAGEMENT_ACCESS_GRANTED_BY_OTHER
                | ghost::ADMINISTERED_BY_OUTSIDER;
        })
    );
    assert_eq!(effective_access(&next, M), U0.bit());
    assert_eq!(
        ok(&cfg, &next, c(A, Op::DirectoryResetUserPassword(U0))),
        expect(&next, |_| {})
    );
}

// SRC-6: on a directory that is not the identity source, the owner's calls succeed and
// change nothing of IAM Identity Center (that directory's contents are not modelled).
#[test]
fn src6_directory_ops_on_a_directory_not_the_source_change_nothing() {
    let cfg = cfg();
    for setup in [
        [instance(), identities(), vec![c(B, Op::CreateMicrosoftAd)]].concat(),
        [ad_in_management(), vec![c(B, Op::CreateMicrosoftAd)]].concat(),
    ] {
        let s = run(&cfg, &setup);
        for op in directory_ops().into_iter().chain([
            Op::DirectoryDeleteUser(U1),
            Op::DirectoryResetUserPassword(U1),
        ]) {
            assert_eq!(
                ok(&cfg, &s, c(B, op)),
                expect(&s, |_| {}),
                "{}: {op}",
                s.source
            );
        }
    }
}

// SRC-6: an account that owns no directory is refused every directory-side call, the
// management account included (model 3: ds-data answers AccessDeniedException — the
// directory named is not the caller's —, ds:ResetUserPassword EntityDoesNotExistException).
#[test]
fn src6_directory_ops_without_a_directory_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(&cfg, &ad_in_delegate());
    let bare = run(&cfg, &[]);
    for (s, caller) in [(&s, M), (&s, B), (&bare, A)] {
        for op in directory_ops() {
            let want = if matches!(op, Op::DirectoryResetUserPassword(_)) {
                Exception::EntityDoesNotExistException
            } else {
                Exception::AccessDeniedException
            };
            assert_eq!(
                refusal(&cfg, s, c(caller, op)),
                precondition(want),
                "{caller}: {op}"
            );
        }
    }
}

// SRC-6: a user deleted in the directory loses its memberships and assignments in IAM
// Identity Center, but nothing is deprovisioned ("in Microsoft AD, when identities are
// deleted ... corresponding assignments are not deleted": the roles stay), under both A3
// readings; the same for a group.
#[test]
fn src6_directory_delete_user_drops_assignments_but_keeps_provisioning() {
    for a3 in [
        LastAssignmentDeprovisions::KeepsProvisioned,
        LastAssignmentDeprovisions::Deprovisions,
    ] {
        let mut cfg = cfg();
        cfg.assumptions.last_assignment_deprovisions = a3;
        let s = run(
            &cfg,
            &[
                ad_in_delegate(),
                vec![c(A, Op::EnableConfigurableAdSync)],
                directory_identities(A),
                vec![c(A, Op::DirectoryAddGroupMember(G0, U0))],
                mgmt(&[
                    Op::CreatePermissionSet(P0),
                    Op::CreatePermissionSet(P1),
                    assign(B, P0, user(U0)),
                    assign(B, P1, group(G0)),
                ]),
                vec![c(A, assign(C, P1, user(U0)))],
            ]
            .concat(),
        );
        let next = ok(&cfg, &s, c(A, Op::DirectoryDeleteUser(U0)));
        assert_eq!(
            next,
            expect(&s, |w| {
                w.users = U1.bit();
                w.membership[0] = 0;
                *w.assigned_mut(P0, B) = 0;
                *w.assigned_mut(P1, C) = 0;
            }),
            "{a3}"
        );
        assert_eq!(next.provisioned, s.provisioned, "{a3}");
        let next = ok(&cfg, &s, c(A, Op::DirectoryDeleteGroup(G0)));
        assert_eq!(
            next,
            expect(&s, |w| {
                w.groups = G1.bit();
                w.membership[0] = 0;
                *w.assigned_mut(P1, B) = 0;
            }),
            "{a3}"
        );
    }
}

// SRC-6 (effective access): with Active Directory as the source, users reach accounts only
// while the directory's owner is active: its closure (Q3 keeps-registration) or departure
// cuts everyone off, though the assignments stay.
#[test]
fn src6_effective_access_needs_the_directory_owner_active() {
    let mut cfg = cfg();
    cfg.assumptions.close_delegate = CloseDelegate::KeepsRegistration;
    let s = run(
        &cfg,
        &[
            ad_in_delegate(),
            vec![c(A, Op::DirectoryCreateUser(U0))],
            mgmt(&[Op::CreatePermissionSet(P0), assign(B, P0, user(U0))]),
        ]
        .concat(),
    );
    assert_eq!(effective_access(&s, B), U0.bit());
    let closed = ok(&cfg, &s, c(A, Op::CloseOwnAccount));
    assert_eq!(assigned_users(&closed, B), U0.bit());
    assert_eq!(effective_access(&closed, B), 0);
    let gone = run_from(
        &cfg,
        &s,
        &[
            c(M, Op::DeregisterDelegatedAdministrator(A)),
            c(A, Op::LeaveOrganization),
        ],
    );
    assert_eq!(assigned_users(&gone, B), U0.bit());
    assert_eq!(effective_access(&gone, B), 0);
    // With the Identity Center directory as the source, a closed member cuts off only
    // itself.
    let idc = run(
        &cfg,
        &[
            with_delegate(A),
            identities(),
            mgmt(&[assign(B, P0, user(U0))]),
        ]
        .concat(),
    );
    let closed = ok(&cfg, &idc, c(A, Op::CloseOwnAccount));
    assert_eq!(effective_access(&closed, B), U0.bit());
}

// ------------------------------------------------- UpdateUser, ResetUserPassword (SRC-6)

// SRC-6, IDC-4 (model 3): `UpdateUser` is an identity-store write (gate StoreWriter): the
// management account and the delegate edit an existing user and nothing the model keeps
// changes; another member is refused by IDC-4; with AD as the source the store is
// read-only (SRC-6), relaxed the call goes through and still changes nothing.
#[test]
fn src6_update_user_by_store_writers_only_changes_nothing() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[with_delegate(A), mgmt(&[Op::CreateUser(U0)])].concat(),
    );
    for caller in [M, A] {
        assert_eq!(
            ok(&cfg, &s, c(caller, Op::UpdateUser(U0))),
            expect(&s, |_| {}),
            "{caller}"
        );
        assert_eq!(
            refusal(&cfg, &s, c(caller, Op::UpdateUser(U1))),
            precondition(Exception::ResourceNotFoundException),
            "{caller}"
        );
    }
    assert_eq!(
        refusal(&cfg, &s, c(B, Op::UpdateUser(U0))),
        denied(Exception::AccessDeniedException, Rule::Idc4)
    );
    let ad = run(
        &cfg,
        &[ad_in_management(), vec![c(M, Op::DirectoryCreateUser(U0))]].concat(),
    );
    assert_eq!(
        refusal(&cfg, &ad, c(M, Op::UpdateUser(U0))),
        denied(Exception::ValidationException, Rule::Src6)
    );
    let relaxed = relax(&cfg, &[Rule::Src6]);
    assert_eq!(
        ok(&relaxed, &ad, c(M, Op::UpdateUser(U0))),
        expect(&ad, |_| {})
    );
}

// SRC-6 (model 3): resetting a user's password (console) is possible only with the
// Identity Center directory as the source, by the management account or the delegate
// (gate Administrator, IDC-4 for another member); it changes nothing the model keeps.
// With an external IdP or AD the password lives there: ValidationException.
#[test]
fn src6_reset_user_password_only_with_identity_center_directory() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[with_delegate(A), mgmt(&[Op::CreateUser(U0)])].concat(),
    );
    for caller in [M, A] {
        assert_eq!(
            ok(&cfg, &s, c(caller, Op::ResetUserPassword(U0))),
            expect(&s, |_| {}),
            "{caller}"
        );
        assert_eq!(
            refusal(&cfg, &s, c(caller, Op::ResetUserPassword(U1))),
            precondition(Exception::ResourceNotFoundException),
            "{caller}"
        );
    }
    assert_eq!(
        refusal(&cfg, &s, c(B, Op::ResetUserPassword(U0))),
        denied(Exception::AccessDeniedException, Rule::Idc4)
    );
    let ext = run_from(&cfg, &s, &mgmt(&[Op::ChangeIdentitySource(EXT)]));
    assert!(ext.has_user(U0));
    let ad = run(
        &cfg,
        &[ad_in_management(), vec![c(M, Op::DirectoryCreateUser(U0))]].concat(),
    );
    for s in [&ext, &ad] {
        assert_eq!(
            refusal(&cfg, s, c(M, Op::ResetUserPassword(U0))),
            precondition(Exception::ValidationException),
            "{}",
            s.source
        );
    }
}

// ------------------------------------------------------------- who controls users (SRC-6)

// SRC-6 (model 3): identity control is a set. The Identity Center directory: the instance
// owner and the registered delegate; AD: the directory's owner (delegate or not); an
// external IdP: the account that configured it (an IdP-to-IdP change hands it to the
// caller); a closed account controls nothing; without an instance, nobody.
#[test]
fn src6_identity_controllers_by_source() {
    use idc_model::access::{controls, identity_controllers};
    let cfg = cfg();
    assert_eq!(identity_controllers(&run(&cfg, &[])), 0);
    let s = run(
        &cfg,
        &[with_delegate(A), mgmt(&[Op::CreateUser(U0)])].concat(),
    );
    assert_eq!(identity_controllers(&s), M.bit() | A.bit());
    assert!(controls(&s, A, U0) && controls(&s, M, U0));
    assert!(!controls(&s, B, U0) && !controls(&s, A, U1));
    // Configured by the management account, then replaced by the delegate's IdP.
    let ext = run_from(&cfg, &s, &mgmt(&[Op::ChangeIdentitySource(EXT)]));
    assert_eq!(identity_controllers(&ext), M.bit());
    let ext_a = ok(&cfg, &ext, c(A, Op::ChangeIdentitySource(EXT)));
    assert_eq!(identity_controllers(&ext_a), A.bit());
    assert!(controls(&ext_a, A, U0) && !controls(&ext_a, M, U0));
    // AD: the owner, still after its deregistration.
    let ad = run(&cfg, &ad_in_delegate());
    assert_eq!(identity_controllers(&ad), A.bit());
    let former = ok(&cfg, &ad, c(M, Op::DeregisterDelegatedAdministrator(A)));
    assert_eq!(identity_controllers(&former), A.bit());
    // Closed (Q3 keeps-registration): the delegate controls nothing.
    let mut keeps = cfg;
    keeps.assumptions.close_delegate = CloseDelegate::KeepsRegistration;
    let closed = ok(&keeps, &s, c(M, Op::CloseAccount(A)));
    assert!(closed.is_delegate(A));
    assert_eq!(identity_controllers(&closed), M.bit());
    let closed_ext = ok(&keeps, &ext_a, c(M, Op::CloseAccount(A)));
    assert_eq!(identity_controllers(&closed_ext), 0);
}

// SRC-6 (model 3): with the Identity Center directory and a delegate, a user who reaches
// the management account is controlled by the delegate too, so
// management-identities-controlled-by-management fails; deregistered, it holds again.
#[test]
fn src6_delegate_controls_identity_center_directory_users_of_management() {
    let name = "management-identities-controlled-by-management";
    let p = idc_model::properties::property(name).unwrap();
    let cfg = cfg();
    let s = run(&cfg, &status_population());
    assert_eq!(effective_access(&s, M), U0.bit());
    assert!(!(p.holds)(&s));
    let alone = ok(&cfg, &s, c(M, Op::DeregisterDelegatedAdministrator(A)));
    assert!((p.holds)(&alone));
    // A disabled user reaches nothing: it holds with the delegate too.
    let off = ok(&cfg, &s, c(M, Op::DisableUserAccess(U0)));
    assert!((p.holds)(&off));
}
