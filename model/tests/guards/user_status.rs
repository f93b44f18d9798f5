//! User status (model 3): enabling and disabling user access (`UserStatus`) and what
//! "enabling or disabling user access in the management account" (IDC-2) covers for the
//! delegate (Q6), part of `model/src/step/identity_store.rs` and of the assignment checks
//! of `model/src/step/identity_center.rs`.

use crate::common::*;

// ------------------------------------------- Enable/DisableUserAccess (IDC-2, Q6 user status)

// IDC-2 (model 3): the management account and the delegate disable and enable a user
// (`UserStatus`): a disabled user stays assigned but reaches nothing; each call only from
// the state where it changes something; another member is refused by IDC-4; deleting the
// user forgets its status.
#[test]
fn idc2_enable_disable_user_access_toggles_reach_not_assignment() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            with_delegate(A),
            identities(),
            mgmt(&[assign(B, P0, user(U0))]),
        ]
        .concat(),
    );
    assert_eq!(effective_access(&s, B), U0.bit());
    for caller in [M, A] {
        let off = ok(&cfg, &s, c(caller, Op::DisableUserAccess(U0)));
        assert_eq!(off, expect(&s, |w| w.disabled = U0.bit()), "{caller}");
        assert_eq!(assigned_users(&off, B), U0.bit());
        assert_eq!(effective_access(&off, B), 0);
        assert_eq!(
            refusal(&cfg, &off, c(caller, Op::DisableUserAccess(U0))),
            precondition(Exception::ValidationException)
        );
        assert_eq!(
            refusal(&cfg, &s, c(caller, Op::EnableUserAccess(U0))),
            precondition(Exception::ValidationException)
        );
        let on = ok(&cfg, &off, c(caller, Op::EnableUserAccess(U0)));
        assert_eq!(on, expect(&off, |w| w.disabled = 0), "{caller}");
        let gone = ok(&cfg, &off, c(caller, Op::DeleteUser(U0)));
        assert_eq!(gone.disabled, 0);
    }
    for op in [Op::DisableUserAccess(U0), Op::EnableUserAccess(U0)] {
        assert_eq!(
            refusal(&cfg, &s, c(B, op)),
            denied(Exception::AccessDeniedException, Rule::Idc4),
            "{op}"
        );
    }
    let empty = run(&cfg, &with_delegate(A));
    assert_eq!(
        refusal(&cfg, &empty, c(M, Op::DisableUserAccess(U0))),
        precondition(Exception::ResourceNotFoundException)
    );
}

fn q6(reading: ManagementUserAccess) -> Config {
    let mut cfg = cfg();
    cfg.assumptions.management_user_access = reading;
    cfg
}

// IDC-2 / Q6 user-status: the delegate can't disable or enable a user assigned to the
// management account (AccessDeniedException, IDC-2); under the assignment readings it
// can. The management account always can; a user assigned only to a member is the
// delegate's under every reading.
#[test]
fn q6_user_status_delegate_refused_for_management_user() {
    let s = run(&cfg(), &status_population());
    let disable = c(A, Op::DisableUserAccess(U0));
    let status = q6(ManagementUserAccess::UserStatus);
    assert_eq!(
        refusal(&status, &s, disable),
        denied(Exception::AccessDeniedException, Rule::Idc2)
    );
    let off = ok(&status, &s, c(M, Op::DisableUserAccess(U0)));
    assert_eq!(
        refusal(&status, &off, c(A, Op::EnableUserAccess(U0))),
        denied(Exception::AccessDeniedException, Rule::Idc2)
    );
    // IDC-2 relaxed: the delegate disables the management account's user.
    let relaxed = ok(&relax(&status, &[Rule::Idc2]), &s, disable);
    assert_eq!(relaxed.disabled, U0.bit());
    // A member's user stays the delegate's.
    let member_user = ok(&status, &s, c(A, Op::DisableUserAccess(U1)));
    assert_eq!(member_user, expect(&s, |w| w.disabled = U1.bit()));
    for reading in [
        ManagementUserAccess::AssignmentCalls,
        ManagementUserAccess::UserAssignmentCalls,
        ManagementUserAccess::AlsoSideEffects,
    ] {
        let cfg = q6(reading);
        let off = ok(&cfg, &s, disable);
        // Disabling changes who reaches the management account, not who is assigned.
        assert_eq!(off, expect(&s, |w| w.disabled = U0.bit()), "{reading}");
        assert_eq!(effective_access(&off, M), 0, "{reading}");
        // Enabling again makes the user reach it: granted by another account.
        let on = ok(&cfg, &off, c(A, Op::EnableUserAccess(U0)));
        assert_eq!(
            on,
            expect(&off, |w| {
                w.disabled = 0;
                w.ghost = ghost::MANAGEMENT_ACCESS_GRANTED_BY_OTHER;
            }),
            "{reading}"
        );
    }
}

// Q6 either (the default): the delegate disabling a user assigned to the management
// account has two outcomes, allowed (assignment-calls) and refused (user-status); a user
// of a member only meets no decision.
#[test]
fn q6_either_user_status_has_both_outcomes() {
    let s = run(&cfg(), &status_population());
    let mut either = cfg();
    either.assumptions.management_user_access = ManagementUserAccess::Either;
    let disable = c(A, Op::DisableUserAccess(U0));
    assert_eq!(
        named_outcomes(&either, &s, disable),
        sorted(vec![
            (
                "management-user-access=assignment-calls",
                Ok(expect(&s, |w| w.disabled = U0.bit())),
            ),
            (
                "management-user-access=user-status",
                Err(denied(Exception::AccessDeniedException, Rule::Idc2)),
            ),
        ])
    );
    assert_eq!(
        all_outcomes(&either, &s, c(A, Op::DisableUserAccess(U1))),
        vec![(Branch::NONE, Ok(expect(&s, |w| w.disabled = U1.bit())))]
    );
}

// Q6 user-assignment-calls: the delegate may create a GROUP assignment to the management
// account ("group assignments" stay the delegate's) but not a USER one (IDC-2);
// assignment-calls refuses both, user-status neither (only IDC-5 binds assignments there);
// under `either` each is decided by the two readings that differ.
#[test]
fn q6_user_assignment_calls_delegate_assigns_group_not_user_to_management() {
    let s = run(&cfg(), &[with_delegate(A), identities()].concat());
    let to_group = c(A, assign(M, P0, group(G0)));
    let to_user = c(A, assign(M, P0, user(U0)));
    let idc2 = denied(Exception::AccessDeniedException, Rule::Idc2);
    let grouped = |s: &State| {
        expect(s, |w| {
            *w.assigned_mut(P0, M) = Principal::Group(G0).bit();
            w.provisioned[0] = M.bit();
        })
    };
    let users = q6(ManagementUserAccess::UserAssignmentCalls);
    let next = ok(&users, &s, to_group);
    assert_eq!(next.assigned(P0, M), grouped(&s).assigned(P0, M));
    assert!(next.is_provisioned(P0, M));
    assert_eq!(refusal(&users, &s, to_user), idc2);
    let calls = q6(ManagementUserAccess::AssignmentCalls);
    assert_eq!(refusal(&calls, &s, to_group), idc2);
    assert_eq!(refusal(&calls, &s, to_user), idc2);
    let status = q6(ManagementUserAccess::UserStatus);
    assert!(step(&status, &s, to_group).is_ok());
    assert!(step(&status, &s, to_user).is_ok());
    let mut either = cfg();
    either.assumptions.management_user_access = ManagementUserAccess::Either;
    let names = |call| -> Vec<(String, bool)> {
        named_outcomes(&either, &s, call)
            .into_iter()
            .map(|(n, r)| (n, r.is_ok()))
            .collect()
    };
    assert_eq!(
        names(to_group),
        vec![
            ("management-user-access=assignment-calls".to_string(), false),
            (
                "management-user-access=user-assignment-calls".to_string(),
                true
            ),
        ]
    );
    assert_eq!(
        names(to_user),
        vec![
            ("management-user-access=assignment-calls".to_string(), false),
            ("management-user-access=user-status".to_string(), true),
        ]
    );
}
