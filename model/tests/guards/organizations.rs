//! AWS Organizations: who is in the organization (ORG-1..ORG-4, ORG-6; Q3, Q5), like
//! `model/src/step/organizations.rs`.

use crate::common::*;

// ------------------------------------------------------------------------------- ORG-1

// ORG-1: an account outside the organization calling Organizations.
#[test]
fn org1_outside_account_calling_organizations_refused_with_not_in_use() {
    let cfg = cfg();
    let s = run(&cfg, &[c(A, Op::LeaveOrganization)]);
    for op in org_caller_ops(B) {
        assert_eq!(
            refusal(&cfg, &s, c(A, op)),
            denied(Exception::AWSOrganizationsNotInUseException, Rule::Org1),
            "{op}"
        );
    }
}

// ORG-1 relaxed: the outside account's call goes on to the next guard or succeeds.
#[test]
fn org1_relaxed_lets_outside_account_call_organizations() {
    let cfg = relax(&cfg(), &[Rule::Org1]);
    let s = run(&cfg, &[c(A, Op::LeaveOrganization)]);
    assert_eq!(
        ok(&cfg, &s, c(A, Op::LeaveOrganization)),
        expect(&s, |_| {})
    );
    // ORG-5 (management only) is the next guard of EnableAWSServiceAccess.
    assert_eq!(
        refusal(&cfg, &s, c(A, Op::EnableAwsServiceAccess)),
        denied(Exception::AccessDeniedException, Rule::Org5)
    );
}

// ------------------------------------------------------------------------------- ORG-2

// ORG-2: a closed (suspended) account can't sign in to call Organizations.
#[test]
fn org2_closed_account_calling_organizations_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(&cfg, &mgmt(&[Op::CloseAccount(A)]));
    for op in org_caller_ops(B) {
        assert_eq!(
            refusal(&cfg, &s, c(A, op)),
            denied(Exception::AccessDeniedException, Rule::Org2),
            "{op}"
        );
    }
}

// ORG-2 relaxed: the closed account's call goes through.
#[test]
fn org2_relaxed_lets_closed_account_leave() {
    let cfg = relax(&cfg(), &[Rule::Org2]);
    let s = run(&cfg, &mgmt(&[Op::CloseAccount(A)]));
    let next = ok(&cfg, &s, c(A, Op::LeaveOrganization));
    assert_eq!(next, expect(&s, |w| w.in_org &= !A.bit()));
}

// ORG-2: a closed account can't accept a handshake; relaxed, the API's own precondition
// remains (a closed account can't have been invited).
#[test]
fn org2_closed_account_accepting_handshake_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(&cfg, &mgmt(&[Op::CloseAccount(A)]));
    assert_eq!(
        refusal(&cfg, &s, c(A, Op::AcceptHandshake)),
        denied(Exception::AccessDeniedException, Rule::Org2)
    );
    assert_eq!(
        refusal(&relax(&cfg, &[Rule::Org2]), &s, c(A, Op::AcceptHandshake)),
        precondition(Exception::HandshakeNotFoundException)
    );
}

// ORG-2: a closed account can't call IAM Identity Center, Account Management or Directory
// Service either (the account instance, ORG-6 and SRC-6 calls included).
#[test]
fn org2_closed_account_calling_identity_center_refused_with_access_denied() {
    let mut cfg = cfg();
    cfg.assumptions.close_delegate = CloseDelegate::KeepsRegistration;
    // Member-1 is the delegate, closed and still registered (Q3 keeps-registration).
    let s = run(
        &cfg,
        &[with_delegate(A), mgmt(&[Op::CloseAccount(A)])].concat(),
    );
    let closed_ops = admin_ops()
        .into_iter()
        .chain([
            Op::EnableIdentityCenter,
            ORG_INSTANCE,
            Op::CreateInstance,
            Op::DeleteInstance(InstanceRef::Account(A)),
            Op::CloseOwnAccount,
            Op::CreateMicrosoftAd,
        ])
        .chain(directory_ops());
    for op in closed_ops {
        assert_eq!(
            refusal(&cfg, &s, c(A, op)),
            denied(Exception::AccessDeniedException, Rule::Org2),
            "{op}"
        );
    }
    let relaxed = relax(&cfg, &[Rule::Org2]);
    let next = ok(&relaxed, &s, c(A, Op::CreateUser(U0)));
    assert_eq!(next, expect(&s, |w| w.users = U0.bit()));
    let next = ok(&relaxed, &s, c(A, Op::CreateMicrosoftAd));
    assert_eq!(next, expect(&s, |w| w.directories = A.bit()));
    // IDC-1 is the next guard of DeleteInstance(organization).
    assert_eq!(
        refusal(&relaxed, &s, c(A, ORG_INSTANCE)),
        denied(Exception::AccessDeniedException, Rule::Idc1)
    );
}

// ORG-2: only the management account invites, removes and closes.
#[test]
fn org2_member_inviting_removing_closing_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(&cfg, &[c(B, Op::LeaveOrganization)]);
    for op in [
        Op::InviteAccountToOrganization(B),
        Op::RemoveAccountFromOrganization(C),
        Op::CloseAccount(C),
    ] {
        assert_eq!(
            refusal(&cfg, &s, c(A, op)),
            denied(Exception::AccessDeniedException, Rule::Org2),
            "{op}"
        );
    }
}

// ORG-2 relaxed: a member invites, removes and closes.
#[test]
fn org2_relaxed_lets_member_invite_remove_close() {
    let cfg = relax(&cfg(), &[Rule::Org2]);
    let s = run(&cfg, &[c(B, Op::LeaveOrganization)]);
    let next = ok(&cfg, &s, c(A, Op::InviteAccountToOrganization(B)));
    assert_eq!(next, expect(&s, |w| w.invited = B.bit()));
    let next = ok(&cfg, &s, c(A, Op::RemoveAccountFromOrganization(C)));
    assert_eq!(next, expect(&s, |w| w.in_org &= !C.bit()));
    let next = ok(&cfg, &s, c(A, Op::CloseAccount(C)));
    assert_eq!(next, expect(&s, |w| w.closed = C.bit()));
}

// ORG-2: a member joins by invitation and acceptance.
#[test]
fn org2_management_invites_and_account_accepts() {
    let cfg = cfg();
    let s = run(&cfg, &[c(B, Op::LeaveOrganization)]);
    let invited = ok(&cfg, &s, c(M, Op::InviteAccountToOrganization(B)));
    assert_eq!(invited, expect(&s, |w| w.invited = B.bit()));
    let joined = ok(&cfg, &invited, c(B, Op::AcceptHandshake));
    assert_eq!(joined, expect(&State::initial(&cfg), |_| {}));
}

// ORG-2: invitation preconditions of the API.
#[test]
fn org2_invite_preconditions_refused_with_api_errors() {
    let cfg = cfg();
    let s = run(&cfg, &[]);
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::InviteAccountToOrganization(A))),
        Refusal::Api {
            error: ApiError {
                exception: Exception::HandshakeConstraintViolationException,
                reason: Some(Reason::ALREADY_IN_AN_ORGANIZATION),
            },
            rule: None,
        }
    );
    // A closed account that was then removed can't be invited: the handshake constraint
    // that fits (the exact error is undocumented; it is in the operation's error list).
    let gone = run(
        &cfg,
        &mgmt(&[Op::CloseAccount(A), Op::RemoveAccountFromOrganization(A)]),
    );
    assert_eq!(gone.closed, A.bit());
    assert_eq!(
        refusal(&cfg, &gone, c(M, Op::InviteAccountToOrganization(A))),
        Refusal::Api {
            error: ApiError {
                exception: Exception::HandshakeConstraintViolationException,
                reason: Some(Reason::TARGET_ACCOUNT_VALIDATION_FAILURE),
            },
            rule: None,
        }
    );
    let invited = run(
        &cfg,
        &[
            c(A, Op::LeaveOrganization),
            c(M, Op::InviteAccountToOrganization(A)),
        ],
    );
    assert_eq!(
        refusal(&cfg, &invited, c(M, Op::InviteAccountToOrganization(A))),
        precondition(Exception::DuplicateHandshakeException)
    );
    assert_eq!(
        refusal(&cfg, &s, c(A, Op::AcceptHandshake)),
        precondition(Exception::HandshakeNotFoundException)
    );
}

// ORG-2: the management account can't leave.
#[test]
fn org2_management_leaving_refused_with_master_cannot_leave() {
    let cfg = cfg();
    let s = run(&cfg, &[]);
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::LeaveOrganization)),
        denied(
            Exception::MasterCannotLeaveOrganizationException,
            Rule::Org2
        )
    );
    let relaxed = relax(&cfg, &[Rule::Org2]);
    let next = ok(&relaxed, &s, c(M, Op::LeaveOrganization));
    assert_eq!(next, expect(&s, |w| w.in_org &= !M.bit()));
}

// ORG-2: the management account can't be removed.
#[test]
fn org2_removing_management_refused_with_master_cannot_leave() {
    let cfg = cfg();
    let s = run(&cfg, &[]);
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::RemoveAccountFromOrganization(M))),
        denied(
            Exception::MasterCannotLeaveOrganizationException,
            Rule::Org2
        )
    );
    let relaxed = relax(&cfg, &[Rule::Org2]);
    let next = ok(&relaxed, &s, c(M, Op::RemoveAccountFromOrganization(M)));
    assert_eq!(next, expect(&s, |w| w.in_org &= !M.bit()));
}

// ORG-2: the management account can't be closed.
#[test]
fn org2_closing_management_refused_with_cannot_close_management_account() {
    let cfg = cfg();
    let s = run(&cfg, &[]);
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::CloseAccount(M))),
        violation(Reason::CANNOT_CLOSE_MANAGEMENT_ACCOUNT, Rule::Org2)
    );
    let relaxed = relax(&cfg, &[Rule::Org2]);
    let next = ok(&relaxed, &s, c(M, Op::CloseAccount(M)));
    assert_eq!(next, expect(&s, |w| w.closed = M.bit()));
}

// ORG-2: a member leaves; the management account removes and closes members.
#[test]
fn org2_member_life_cycle_allowed() {
    let cfg = cfg();
    let s = run(&cfg, &[]);
    let left = ok(&cfg, &s, c(A, Op::LeaveOrganization));
    assert_eq!(left, expect(&s, |w| w.in_org &= !A.bit()));
    let removed = ok(&cfg, &s, c(M, Op::RemoveAccountFromOrganization(A)));
    assert_eq!(removed, left);
    // A closed account is SUSPENDED: still in the organization.
    let closed = ok(&cfg, &s, c(M, Op::CloseAccount(A)));
    assert_eq!(closed, expect(&s, |w| w.closed = A.bit()));
    assert!(closed.in_org(A) && !closed.is_active(A));
    // A suspended account can still be removed.
    let removed_closed = ok(&cfg, &closed, c(M, Op::RemoveAccountFromOrganization(A)));
    assert_eq!(removed_closed, expect(&closed, |w| w.in_org &= !A.bit()));
}

// ORG-2: removal and closure preconditions of the API.
#[test]
fn org2_remove_and_close_preconditions_refused_with_api_errors() {
    let cfg = cfg();
    let s = run(&cfg, &[c(A, Op::LeaveOrganization)]);
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::RemoveAccountFromOrganization(A))),
        precondition(Exception::AccountNotFoundException)
    );
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::CloseAccount(A))),
        precondition(Exception::AccountNotFoundException)
    );
    let closed = run(&cfg, &mgmt(&[Op::CloseAccount(B)]));
    assert_eq!(
        refusal(&cfg, &closed, c(M, Op::CloseAccount(B))),
        precondition(Exception::AccountAlreadyClosedException)
    );
}

// ------------------------------------------------------------------------------- ORG-3

// ORG-3: the delegated administrator can't leave.
#[test]
fn org3_delegate_leaving_refused_with_cannot_remove_delegated_administrator() {
    let cfg = cfg();
    let s = run(&cfg, &with_delegate(A));
    assert_eq!(
        refusal(&cfg, &s, c(A, Op::LeaveOrganization)),
        violation(
            Reason::CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG,
            Rule::Org3
        )
    );
    let relaxed = relax(&cfg, &[Rule::Org3]);
    let next = ok(&relaxed, &s, c(A, Op::LeaveOrganization));
    assert_eq!(next, expect(&s, |w| w.in_org &= !A.bit()));
    assert!(next.is_delegate(A), "the registration stays");
}

// ORG-3: the delegated administrator can't be removed.
#[test]
fn org3_removing_delegate_refused_with_cannot_remove_delegated_administrator() {
    let cfg = cfg();
    let s = run(&cfg, &with_delegate(A));
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::RemoveAccountFromOrganization(A))),
        violation(
            Reason::CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG,
            Rule::Org3
        )
    );
    let relaxed = relax(&cfg, &[Rule::Org3]);
    let next = ok(&relaxed, &s, c(M, Op::RemoveAccountFromOrganization(A)));
    assert_eq!(next, expect(&s, |w| w.in_org &= !A.bit()));
}

// ORG-3: once deregistered, the account can leave or be removed.
#[test]
fn org3_deregistered_account_leaves_and_is_removed() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            with_delegate(A),
            mgmt(&[Op::DeregisterDelegatedAdministrator(A)]),
        ]
        .concat(),
    );
    let left = ok(&cfg, &s, c(A, Op::LeaveOrganization));
    assert_eq!(left, expect(&s, |w| w.in_org &= !A.bit()));
    assert_eq!(
        ok(&cfg, &s, c(M, Op::RemoveAccountFromOrganization(A))),
        left
    );
}

// ORG-3 / Q3 refused (concrete): closing the delegate is refused like its removal.
#[test]
fn q3_closing_delegate_refused_with_cannot_remove_delegated_administrator() {
    let cfg = cfg();
    assert_eq!(cfg.assumptions.close_delegate, CloseDelegate::Refused);
    let s = run(&cfg, &with_delegate(A));
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::CloseAccount(A))),
        violation(
            Reason::CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG,
            Rule::Org3
        )
    );
    // ORG-3 relaxed: the account closes and stays registered.
    let relaxed = relax(&cfg, &[Rule::Org3]);
    let next = ok(&relaxed, &s, c(M, Op::CloseAccount(A)));
    assert_eq!(next, expect(&s, |w| w.closed = A.bit()));
    assert!(next.is_delegate(A));
}

// Q3 keeps-registration: the delegate closes (SUSPENDED) and stays registered.
#[test]
fn q3_keeps_registration_closes_delegate_and_keeps_it_registered() {
    let mut cfg = cfg();
    cfg.assumptions.close_delegate = CloseDelegate::KeepsRegistration;
    let s = run(&cfg, &with_delegate(A));
    let next = ok(&cfg, &s, c(M, Op::CloseAccount(A)));
    assert_eq!(next, expect(&s, |w| w.closed = A.bit()));
    assert!(next.is_delegate(A));
}

// Q3 deregisters: the delegate closes and is deregistered.
#[test]
fn q3_deregisters_closes_delegate_and_deregisters_it() {
    let mut cfg = cfg();
    cfg.assumptions.close_delegate = CloseDelegate::Deregisters;
    let s = run(&cfg, &with_delegate(A));
    let next = ok(&cfg, &s, c(M, Op::CloseAccount(A)));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.closed = A.bit();
            w.delegates = 0;
        })
    );
}

// ------------------------------------------------------------------------------- ORG-4

// ORG-4: a standalone account (here a delegate that left, ORG-3 relaxed) administers
// nothing.
#[test]
fn org4_outside_account_administering_refused_with_access_denied() {
    let cfg = relax(&cfg(), &[Rule::Org3]);
    let s = run(
        &cfg,
        &[with_delegate(A), vec![c(A, Op::LeaveOrganization)]].concat(),
    );
    assert!(s.is_delegate(A) && !s.in_org(A));
    for op in admin_ops() {
        assert_eq!(
            refusal(&cfg, &s, c(A, op)),
            denied(Exception::AccessDeniedException, Rule::Org4),
            "{op}"
        );
    }
    let relaxed = relax(&cfg, &[Rule::Org4]);
    let next = ok(&relaxed, &s, c(A, Op::CreateUser(U0)));
    assert_eq!(next, expect(&s, |w| w.users = U0.bit()));
}

// ORG-4: a departed member is refused by ORG-4 before IDC-4 is considered.
#[test]
fn org4_departed_member_administering_refused_before_idc4() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[instance(), vec![c(B, Op::LeaveOrganization)]].concat(),
    );
    assert_eq!(
        refusal(&cfg, &s, c(B, Op::CreateUser(U0))),
        denied(Exception::AccessDeniedException, Rule::Org4)
    );
    assert_eq!(
        refusal(&relax(&cfg, &[Rule::Org4]), &s, c(B, Op::CreateUser(U0))),
        denied(Exception::AccessDeniedException, Rule::Idc4)
    );
}

// ORG-4: no assignment (nor provisioning, IDC-8) to an account outside the organization.
// DeleteAccountAssignment has no ORG-4 guard (v2): deleting the assignment that departed
// with member-2 fails only because Q5 `deleted` already deleted it.
#[test]
fn org4_assignment_to_departed_account_refused_with_validation() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            instance(),
            identities(),
            mgmt(&[assign(B, P0, user(U1))]),
            vec![c(B, Op::LeaveOrganization)],
        ]
        .concat(),
    );
    for op in [assign(B, P0, user(U0)), provision(P1, B)] {
        assert_eq!(
            refusal(&cfg, &s, c(M, op)),
            denied(Exception::ValidationException, Rule::Org4),
            "{op}"
        );
    }
    assert_eq!(
        refusal(&cfg, &s, c(M, unassign(B, P0, user(U1)))),
        precondition(Exception::ResourceNotFoundException)
    );
    let relaxed = relax(&cfg, &[Rule::Org4]);
    let next = ok(&relaxed, &s, c(M, provision(P1, B)));
    assert_eq!(next, expect(&s, |w| w.provisioned[1] = B.bit()));
    let next = ok(&relaxed, &s, c(M, assign(B, P0, user(U0))));
    assert_eq!(
        next,
        expect(&s, |w| {
            *w.assigned_mut(P0, B) = user(U0).bit();
            w.provisioned[0] |= B.bit();
        })
    );
}

// ORG-4: no assignment to a closed (suspended) account.
#[test]
fn org4_assignment_to_closed_account_refused_with_validation() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[instance(), identities(), mgmt(&[Op::CloseAccount(B)])].concat(),
    );
    assert_eq!(
        refusal(&cfg, &s, c(M, assign(B, P0, user(U0)))),
        denied(Exception::ValidationException, Rule::Org4)
    );
    let relaxed = relax(&cfg, &[Rule::Org4]);
    assert!(step(&relaxed, &s, c(M, assign(B, P0, user(U0)))).is_ok());
}

// ORG-4 / Q5 deleted (concrete): leaving, removal and closure delete the account's
// assignments and provisioning; other accounts keep theirs.
#[test]
fn q5_deleted_departed_or_closed_account_loses_its_assignments() {
    let cfg = cfg();
    assert_eq!(
        cfg.assumptions.departed_account_assignments,
        DepartedAccountAssignments::Deleted
    );
    let s = run(&cfg, &member_assignments());
    assert_eq!(effective_access(&s, A), U0.bit());
    let left = expect(&s, |w| {
        w.in_org &= !A.bit();
        without_member1_access(&s, w);
    });
    assert_eq!(ok(&cfg, &s, c(A, Op::LeaveOrganization)), left);
    assert_eq!(
        ok(&cfg, &s, c(M, Op::RemoveAccountFromOrganization(A))),
        left
    );
    let closed = ok(&cfg, &s, c(M, Op::CloseAccount(A)));
    assert_eq!(
        closed,
        expect(&s, |w| {
            w.closed = A.bit();
            without_member1_access(&s, w);
        })
    );
    assert_eq!(closed.assigned(P0, B), user(U1).bit());
    assert_eq!(effective_access(&closed, B), U1.bit());
}

// ORG-4 / Q5 kept: the assignments stay but grant nothing while the account is outside or
// closed; they grant access again once the account rejoins.
#[test]
fn q5_kept_departed_or_closed_account_keeps_its_assignments() {
    let mut cfg = cfg();
    cfg.assumptions.departed_account_assignments = DepartedAccountAssignments::Kept;
    let s = run(&cfg, &member_assignments());
    let left = ok(&cfg, &s, c(A, Op::LeaveOrganization));
    assert_eq!(left, expect(&s, |w| w.in_org &= !A.bit()));
    assert_eq!(assigned_users(&left, A), U0.bit());
    assert_eq!(effective_access(&left, A), 0);
    let removed = ok(&cfg, &s, c(M, Op::RemoveAccountFromOrganization(A)));
    assert_eq!(removed, left);
    let closed = ok(&cfg, &s, c(M, Op::CloseAccount(A)));
    assert_eq!(closed, expect(&s, |w| w.closed = A.bit()));
    assert_eq!(effective_access(&closed, A), 0);
    let back = run_from(
        &cfg,
        &left,
        &[
            c(M, Op::InviteAccountToOrganization(A)),
            c(A, Op::AcceptHandshake),
        ],
    );
    assert_eq!(effective_access(&back, A), U0.bit());
}

// ------------------------------------------------------------------------- ORG-6 / Q3

// ORG-6: a member's root user closes its own account: SUSPENDED, still in the
// organization, exactly as if the management account had closed it (Q5 deleted: its
// assignments and provisioning go). A standalone account closes itself too. A closed
// account can't sign in to close again (ORG-2); relaxed, AccountAlreadyClosedException.
#[test]
fn org6_member_closes_its_own_account() {
    let cfg = cfg();
    let s = run(&cfg, &member_assignments());
    let next = ok(&cfg, &s, c(A, Op::CloseOwnAccount));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.closed = A.bit();
            without_member1_access(&s, w);
        })
    );
    assert!(next.in_org(A) && !next.is_active(A));
    assert_eq!(next, ok(&cfg, &s, c(M, Op::CloseAccount(A))));
    let standalone = run(&cfg, &[c(B, Op::LeaveOrganization)]);
    let next = ok(&cfg, &standalone, c(B, Op::CloseOwnAccount));
    assert_eq!(next, expect(&standalone, |w| w.closed = B.bit()));
    assert!(!next.in_org(B));
    let closed = run(&cfg, &[c(C, Op::CloseOwnAccount)]);
    assert_eq!(
        refusal(&cfg, &closed, c(C, Op::CloseOwnAccount)),
        denied(Exception::AccessDeniedException, Rule::Org2)
    );
    assert_eq!(
        refusal(
            &relax(&cfg, &[Rule::Org2]),
            &closed,
            c(C, Op::CloseOwnAccount)
        ),
        precondition(Exception::AccountAlreadyClosedException)
    );
}

// ORG-6 / ORG-2: the management account can't close itself while it has an organization.
#[test]
fn org6_management_closing_itself_refused_with_cannot_close_management_account() {
    let cfg = cfg();
    let s = run(&cfg, &instance());
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::CloseOwnAccount)),
        violation(Reason::CANNOT_CLOSE_MANAGEMENT_ACCOUNT, Rule::Org2)
    );
    let relaxed = relax(&cfg, &[Rule::Org2]);
    let next = ok(&relaxed, &s, c(M, Op::CloseOwnAccount));
    assert_eq!(next, expect(&s, |w| w.closed = M.bit()));
}

// ORG-6 / Q3: the delegate closing its own account, under each concrete reading. refused:
// like its removal (ORG-3), and with ORG-3 relaxed it closes and stays registered;
// keeps-registration: it closes and stays registered; deregisters: it closes and is
// deregistered — a registry change by another account than the management account, which
// the ghost fact behind `registry-changed-only-by-management` records.
#[test]
fn q3_delegate_closing_its_own_account_under_each_reading() {
    let mut cfg = cfg();
    let s = run(&cfg, &with_delegate(A));
    let call = c(A, Op::CloseOwnAccount);
    cfg.assumptions.close_delegate = CloseDelegate::Refused;
    assert_eq!(
        refusal(&cfg, &s, call),
        violation(
            Reason::CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG,
            Rule::Org3
        )
    );
    let closed = expect(&s, |w| w.closed = A.bit());
    assert_eq!(ok(&relax(&cfg, &[Rule::Org3]), &s, call), closed);
    cfg.assumptions.close_delegate = CloseDelegate::KeepsRegistration;
    assert_eq!(ok(&cfg, &s, call), closed);
    assert!(closed.is_delegate(A));
    cfg.assumptions.close_delegate = CloseDelegate::Deregisters;
    assert_eq!(
        ok(&cfg, &s, call),
        expect(&s, |w| {
            w.closed = A.bit();
            w.delegates = 0;
            w.ghost = ghost::REGISTRY_CHANGED_BY_OTHER;
        })
    );
    // A member that is not the delegate meets no Q3 reading.
    for q3 in [CloseDelegate::Refused, CloseDelegate::Deregisters] {
        cfg.assumptions.close_delegate = q3;
        let next = ok(&cfg, &s, c(B, Op::CloseOwnAccount));
        assert_eq!(next, expect(&s, |w| w.closed = B.bit()), "{q3}");
    }
}

// ------------------------------------------------------------------------- Q5 / ORG-4

// Q5 kept: an assignment to an account that left (or closed) stays, and can be deleted —
// by the management account or the delegate (DeleteAccountAssignment has no ORG-4
// guard); nothing new is assigned or provisioned there (ORG-4); removing the set from the
// departed account cleans the rest up (IDC-8).
#[test]
fn q5_kept_stale_assignment_to_departed_account_can_be_deleted() {
    let mut cfg = cfg();
    cfg.assumptions.departed_account_assignments = DepartedAccountAssignments::Kept;
    let s = run(
        &cfg,
        &[
            with_delegate(A),
            identities(),
            mgmt(&[
                assign(B, P1, user(U0)),
                assign(B, P1, group(G0)),
                assign(C, P1, user(U1)),
                Op::CloseAccount(C),
            ]),
            vec![c(B, Op::LeaveOrganization)],
        ]
        .concat(),
    );
    assert_eq!(s.assigned(P1, B), user(U0).bit() | group(G0).bit());
    let next = ok(&cfg, &s, c(M, unassign(B, P1, user(U0))));
    assert_eq!(
        next,
        expect(&s, |w| *w.assigned_mut(P1, B) = group(G0).bit())
    );
    let next = ok(&cfg, &s, c(A, unassign(B, P1, group(G0))));
    assert_eq!(
        next,
        expect(&s, |w| *w.assigned_mut(P1, B) = user(U0).bit())
    );
    let next = ok(&cfg, &s, c(A, unassign(C, P1, user(U1))));
    assert_eq!(next, expect(&s, |w| *w.assigned_mut(P1, C) = 0));
    assert_eq!(
        next.provisioned[1],
        B.bit() | C.bit(),
        "A3 keeps-provisioned"
    );
    for op in [assign(B, P1, user(U1)), provision(P0, B), provision(P0, C)] {
        assert_eq!(
            refusal(&cfg, &s, c(M, op)),
            denied(Exception::ValidationException, Rule::Org4),
            "{op}"
        );
    }
    let next = ok(&cfg, &s, c(M, remove_from(P1, B)));
    assert_eq!(
        next,
        expect(&s, |w| {
            *w.assigned_mut(P1, B) = 0;
            w.provisioned[1] = C.bit();
        })
    );
}
