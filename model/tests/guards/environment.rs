//! The environment's steps, called by AWS itself (`aws`): a closed member's post-closure
//! period ends and it leaves the organization (ORG-2; a delegate: Q7; its assignments:
//! Q5), a closed account is reinstated (ORG-2); and the management account closing itself
//! (ORG-2), like the environment's part of `model/src/step/organizations.rs`.

use crate::common::*;

const AWS: Acct = Acct::AWS;

fn removal(t: Acct) -> Call {
    c(AWS, Op::RemoveClosedAccount(t))
}

fn reinstate(t: Acct) -> Call {
    c(AWS, Op::ReinstateAccount(t))
}

/// `cfg` where closing the delegate keeps its registration (Q3) and Q7 reads `q7`.
fn q7(reading: ClosedDelegateAtRemoval) -> Config {
    let mut cfg = cfg();
    cfg.assumptions.close_delegate = CloseDelegate::KeepsRegistration;
    cfg.assumptions.closed_delegate_at_removal = reading;
    cfg
}

// ORG-2 (model 3): only AWS makes the environment's steps (an account gets
// AccessDeniedException), and AWS makes nothing else (it signs in to no account).
#[test]
fn org2_environment_steps_only_by_aws() {
    let cfg = cfg();
    let s = run(&cfg, &[instance(), mgmt(&[Op::CloseAccount(A)])].concat());
    for caller in [M, A, B] {
        for op in [Op::RemoveClosedAccount(A), Op::ReinstateAccount(A)] {
            assert_eq!(
                refusal(&cfg, &s, c(caller, op)),
                precondition(Exception::AccessDeniedException),
                "{caller}: {op}"
            );
        }
    }
    for op in [
        Op::EnableIdentityCenter,
        Op::CreateUser(U0),
        Op::RegisterDelegatedAdministrator(B),
        Op::CloseOwnAccount,
        Op::CreateMicrosoftAd,
        Op::InviteAccountToOrganization(A),
    ] {
        assert!(
            matches!(
                refusal(&cfg, &s, c(AWS, op)),
                Refusal::Api {
                    error: ApiError {
                        exception: Exception::AccessDeniedException,
                        ..
                    },
                    ..
                }
            ),
            "aws: {op}"
        );
    }
}

// ORG-2 (model 3): AWS removes only a closed member still in the organization (else
// AccountNotFoundException: an active member, the management account, a departed
// account); the account leaves and stays closed.
#[test]
fn org2_remove_closed_account_only_closed_members() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            instance(),
            vec![c(B, Op::LeaveOrganization)],
            mgmt(&[Op::CloseAccount(A)]),
        ]
        .concat(),
    );
    for t in [M, B, C] {
        assert_eq!(
            refusal(&cfg, &s, removal(t)),
            precondition(Exception::AccountNotFoundException),
            "{t}"
        );
    }
    let gone = ok(&cfg, &s, removal(A));
    assert_eq!(gone, expect(&s, |w| w.in_org &= !A.bit()));
    assert!(gone.is_closed(A));
    assert_eq!(
        refusal(&cfg, &gone, removal(A)),
        precondition(Exception::AccountNotFoundException)
    );
}

// Q7: AWS removing a closed delegate (still registered: Q3 keeps-registration) deregisters
// it (deregisters), removes it registered (keeps-registration), or does not remove it
// while registered (not-removed: ORG-3's CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG;
// relaxed, it leaves registered).
#[test]
fn q7_closed_delegate_at_removal_three_readings() {
    let setup = [with_delegate(A), mgmt(&[Op::CloseAccount(A)])].concat();
    let s = run(&q7(ClosedDelegateAtRemoval::Deregisters), &setup);
    assert!(s.is_delegate(A) && s.is_closed(A) && s.in_org(A));
    let out = ok(&q7(ClosedDelegateAtRemoval::Deregisters), &s, removal(A));
    assert!(!out.in_org(A) && out.delegates == 0);
    assert_ne!(out.ghost & ghost::REGISTRY_CHANGED_BY_OTHER, 0);
    let kept = ok(
        &q7(ClosedDelegateAtRemoval::KeepsRegistration),
        &s,
        removal(A),
    );
    assert!(!kept.in_org(A) && kept.is_delegate(A));
    let not_removed = q7(ClosedDelegateAtRemoval::NotRemoved);
    assert_eq!(
        refusal(&not_removed, &s, removal(A)),
        violation(
            Reason::CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG,
            Rule::Org3
        )
    );
    let relaxed = ok(&relax(&not_removed, &[Rule::Org3]), &s, removal(A));
    assert_eq!(relaxed, kept);
    // Under `either`: the three outcomes.
    let either = q7(ClosedDelegateAtRemoval::Either);
    assert_eq!(
        named_outcomes(&either, &s, removal(A)),
        sorted(vec![
            ("closed-delegate-at-removal=deregisters", Ok(out)),
            ("closed-delegate-at-removal=keeps-registration", Ok(kept)),
            (
                "closed-delegate-at-removal=not-removed",
                Err(violation(
                    Reason::CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG,
                    Rule::Org3
                )),
            ),
        ])
    );
}

// Q5 at the removal (ORG-4): assignments kept when the account closed are deleted or kept
// when it leaves, as Q5 reads it; deleted at the closure, nothing is left to decide.
#[test]
fn q5_remove_closed_account_cleans_up_assignments() {
    let mut kept = cfg();
    kept.assumptions.departed_account_assignments = DepartedAccountAssignments::Kept;
    let s = run(
        &kept,
        &[member_assignments(), mgmt(&[Op::CloseAccount(A)])].concat(),
    );
    assert!(s.has_assignments_to(A));
    let stays = ok(&kept, &s, removal(A));
    assert_eq!(stays, expect(&s, |w| w.in_org &= !A.bit()));
    let deleted = ok(&cfg(), &s, removal(A));
    assert_eq!(
        deleted,
        expect(&s, |w| {
            w.in_org &= !A.bit();
            without_member1_access(&s, w);
        })
    );
    let mut either = cfg();
    either.assumptions.departed_account_assignments = DepartedAccountAssignments::Either;
    assert_eq!(
        named_outcomes(&either, &s, removal(A)),
        sorted(vec![
            ("departed-account-assignments=deleted", Ok(deleted)),
            ("departed-account-assignments=kept", Ok(stays)),
        ])
    );
    // Deleted at the closure: the removal meets no decision.
    let closed_clean = run(
        &cfg(),
        &[member_assignments(), mgmt(&[Op::CloseAccount(A)])].concat(),
    );
    assert!(!closed_clean.has_assignments_to(A));
    assert_eq!(all_outcomes(&either, &closed_clean, removal(A)).len(), 1);
}

// ORG-2 (model 3): AWS reinstates a closed account still in the organization: it is active
// again (and signs in), registered if it still was (Q3 keeps-registration); an active
// account or one that left is AccountNotFoundException.
#[test]
fn org2_reinstate_account() {
    let cfg = q7(ClosedDelegateAtRemoval::Deregisters);
    let s = run(
        &cfg,
        &[with_delegate(A), mgmt(&[Op::CloseAccount(A)])].concat(),
    );
    let back = ok(&cfg, &s, reinstate(A));
    assert_eq!(back, expect(&s, |w| w.closed = 0));
    assert!(back.is_delegate(A) && back.is_active(A));
    let p = idc_model::properties::property("delegate-is-active-member").unwrap();
    assert!(!(p.holds)(&s) && (p.holds)(&back));
    assert!(step(&cfg, &back, c(A, Op::CreateMicrosoftAd)).is_ok());
    for (state, t) in [(&s, B), (&ok(&cfg, &s, removal(A)), A)] {
        assert_eq!(
            refusal(&cfg, state, reinstate(t)),
            precondition(Exception::AccountNotFoundException),
            "{t}"
        );
    }
}

// ORG-2 (model 3): the management account closes itself only once no member is in the
// organization — a closed member still counts until AWS removes it —; its pending
// invitations lapse (no one joins an organization whose management account is closed).
#[test]
fn org2_management_closes_itself_only_without_members() {
    let cfg = cfg();
    let refused = violation(Reason::CANNOT_CLOSE_MANAGEMENT_ACCOUNT, Rule::Org2);
    let s = run(&cfg, &[]);
    assert_eq!(refusal(&cfg, &s, c(M, Op::CloseOwnAccount)), refused);
    let closed_member = run(
        &cfg,
        &[
            c(B, Op::LeaveOrganization),
            c(C, Op::LeaveOrganization),
            c(M, Op::CloseAccount(A)),
        ],
    );
    assert_eq!(
        refusal(&cfg, &closed_member, c(M, Op::CloseOwnAccount)),
        refused
    );
    let empty = ok(&cfg, &closed_member, removal(A));
    let invited = ok(&cfg, &empty, c(M, Op::InviteAccountToOrganization(B)));
    let closed = ok(&cfg, &invited, c(M, Op::CloseOwnAccount));
    assert_eq!(
        closed,
        expect(&invited, |w| {
            w.closed |= M.bit();
            w.invited = 0;
        })
    );
    assert_eq!(
        refusal(&cfg, &closed, c(B, Op::AcceptHandshake)),
        precondition(Exception::HandshakeNotFoundException)
    );
}
