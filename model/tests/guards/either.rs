//! The `either` readings of the assumptions: every outcome of a branching call, and
//! `outcomes` and `step` agree.

use crate::common::*;

// ----------------------------------------------------------------------------- either

// The states below are built under the concrete configuration (its readings are among
// those of `either`, so the states are reachable under `either` too) and the call under
// test is judged under the default configuration, where Q2..Q5 and A1..A3 are `either`.

/// Checks that each outcome's branch re-runs to the same outcome with `step`, and that
/// `Branch::NONE` does not fit a call that meets a decision.
#[track_caller]
fn assert_branches_rerun(cfg: &Config, s: &State, call: Call) {
    let all = all_outcomes(cfg, s, call);
    for (b, outcome) in &all {
        assert_eq!(
            idc_model::step(cfg, s, call, *b).as_ref(),
            Some(outcome),
            "`{call}` along `{b}`"
        );
    }
    if all.len() > 1 || !all[0].0.is_none() {
        assert_eq!(
            idc_model::step(cfg, s, call, Branch::NONE),
            None,
            "`{call}`"
        );
    }
}

// Q3 either: closing the delegate (by the management account, ORG-2, or by itself, ORG-6)
// has three outcomes: refused like its removal, closed and still registered, closed and
// deregistered.
#[test]
fn q3_either_closing_delegate_has_three_outcomes() {
    let cfg = either_cfg();
    let s = run(&self::cfg(), &with_delegate(A));
    let refused = Err(violation(
        Reason::CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG,
        Rule::Org3,
    ));
    assert_eq!(
        named_outcomes(&cfg, &s, c(M, Op::CloseAccount(A))),
        sorted(vec![
            ("close-delegate=refused", refused.clone()),
            (
                "close-delegate=keeps-registration",
                Ok(expect(&s, |w| w.closed = A.bit())),
            ),
            (
                "close-delegate=deregisters",
                Ok(expect(&s, |w| {
                    w.closed = A.bit();
                    w.delegates = 0;
                })),
            ),
        ])
    );
    assert_eq!(
        named_outcomes(&cfg, &s, c(A, Op::CloseOwnAccount)),
        sorted(vec![
            ("close-delegate=refused", refused),
            (
                "close-delegate=keeps-registration",
                Ok(expect(&s, |w| w.closed = A.bit())),
            ),
            (
                "close-delegate=deregisters",
                Ok(expect(&s, |w| {
                    w.closed = A.bit();
                    w.delegates = 0;
                    w.ghost = ghost::REGISTRY_CHANGED_BY_OTHER;
                })),
            ),
        ])
    );
    assert_branches_rerun(&cfg, &s, c(M, Op::CloseAccount(A)));
    assert_branches_rerun(&cfg, &s, c(A, Op::CloseOwnAccount));
    // The first reading first.
    let order: Vec<String> = all_outcomes(&cfg, &s, c(M, Op::CloseAccount(A)))
        .iter()
        .map(|(b, _)| b.to_string())
        .collect();
    assert_eq!(
        order,
        [
            "close-delegate=refused",
            "close-delegate=keeps-registration",
            "close-delegate=deregisters"
        ]
    );
}

// Q3 and Q5 either: closing a delegate that holds assignments meets Q5 only where it
// closes: five outcomes.
#[test]
fn q3_q5_either_closing_delegate_with_assignments_has_five_outcomes() {
    let cfg = either_cfg();
    let s = run(
        &self::cfg(),
        &[
            with_delegate(A),
            identities(),
            mgmt(&[assign(A, P1, user(U0))]),
        ]
        .concat(),
    );
    let closed = |deregisters: bool, deleted: bool| {
        Ok(expect(&s, |w| {
            w.closed = A.bit();
            if deregisters {
                w.delegates = 0;
            }
            if deleted {
                *w.assigned_mut(P1, A) = 0;
                w.provisioned[1] = 0;
            }
        }))
    };
    assert_eq!(
        named_outcomes(&cfg, &s, c(M, Op::CloseAccount(A))),
        sorted(vec![
            (
                "close-delegate=refused",
                Err(violation(
                    Reason::CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG,
                    Rule::Org3
                )),
            ),
            (
                "close-delegate=keeps-registration, departed-account-assignments=deleted",
                closed(false, true),
            ),
            (
                "close-delegate=keeps-registration, departed-account-assignments=kept",
                closed(false, false),
            ),
            (
                "close-delegate=deregisters, departed-account-assignments=deleted",
                closed(true, true),
            ),
            (
                "close-delegate=deregisters, departed-account-assignments=kept",
                closed(true, false),
            ),
        ])
    );
    assert_branches_rerun(&cfg, &s, c(M, Op::CloseAccount(A)));
}

// Q2 either: disabling trusted access with a delegate registered has three outcomes;
// without a delegate it meets no decision.
#[test]
fn q2_either_disabling_trusted_access_with_delegate_has_three_outcomes() {
    let cfg = either_cfg();
    let s = run(&self::cfg(), &with_delegate(A));
    let call = c(M, Op::DisableAwsServiceAccess);
    assert_eq!(
        named_outcomes(&cfg, &s, call),
        sorted(vec![
            (
                "disable-trusted-access-with-delegate=keeps-registration",
                Ok(expect(&s, |w| w.trusted_access = false)),
            ),
            (
                "disable-trusted-access-with-delegate=refused",
                Err(violation(
                    Reason::DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE,
                    Rule::Org5,
                )),
            ),
            (
                "disable-trusted-access-with-delegate=deregisters",
                Ok(expect(&s, |w| {
                    w.trusted_access = false;
                    w.delegates = 0;
                })),
            ),
        ])
    );
    assert_branches_rerun(&cfg, &s, call);
    let alone = run(&self::cfg(), &instance());
    assert_eq!(
        all_outcomes(&cfg, &alone, call),
        vec![(
            Branch::NONE,
            Ok(expect(&alone, |w| w.trusted_access = false))
        )]
    );
}

// Q5 either: removing a member that holds assignments has two outcomes (its assignments
// and provisioning deleted or kept); a member without any meets no decision.
#[test]
fn q5_either_removing_member_with_assignments_has_two_outcomes() {
    let cfg = either_cfg();
    let s = run(&self::cfg(), &member_assignments());
    let call = c(M, Op::RemoveAccountFromOrganization(A));
    assert_eq!(
        named_outcomes(&cfg, &s, call),
        sorted(vec![
            (
                "departed-account-assignments=deleted",
                Ok(expect(&s, |w| {
                    w.in_org &= !A.bit();
                    without_member1_access(&s, w);
                })),
            ),
            (
                "departed-account-assignments=kept",
                Ok(expect(&s, |w| w.in_org &= !A.bit())),
            ),
        ])
    );
    assert_branches_rerun(&cfg, &s, call);
    assert_eq!(
        all_outcomes(&cfg, &s, c(M, Op::RemoveAccountFromOrganization(C))),
        vec![(Branch::NONE, Ok(expect(&s, |w| w.in_org &= !C.bit())))]
    );
}

// A1 either: connecting an AD directory has two outcomes (configurable AD sync off or
// on), both deleting the identities and roles (SRC-8, SRC-7); leaving AD for the Identity
// Center directory meets no decision (A2 covers only AD → AD).
#[test]
fn a1_either_changing_to_ad_has_two_outcomes() {
    let cfg = either_cfg();
    let s = run(
        &self::cfg(),
        &[instance(), population(), mgmt(&[Op::CreateMicrosoftAd])].concat(),
    );
    let call = c(M, Op::ChangeIdentitySource(ad(M)));
    let wiped = |ad_sync: bool| {
        Ok(expect(&s, |w| {
            w.users = 0;
            w.groups = 0;
            w.membership = Default::default();
            w.assignments = Default::default();
            w.provisioned = Default::default();
            w.source = ad(M);
            w.ad_sync = ad_sync;
        }))
    };
    assert_eq!(
        named_outcomes(&cfg, &s, call),
        sorted(vec![
            ("ad-sync-on-connect=off", wiped(false)),
            ("ad-sync-on-connect=on", wiped(true)),
        ])
    );
    assert_branches_rerun(&cfg, &s, call);
    let (on_ad, to_idc) = src4_change(&self::cfg(), &to_ad_m(), IDC);
    let call = c(M, Op::ChangeIdentitySource(IDC));
    assert_eq!(
        all_outcomes(&cfg, &on_ad, call),
        vec![(Branch::NONE, Ok(to_idc))]
    );
}

// SRC-8 (A2 withdrawn in model 3): AD → another AD directory (SRC-2 relaxed) meets only
// A1: it deletes what there is to delete (it was A2's choice), with the sync on or off.
#[test]
fn src8_either_ad_to_other_ad_deletes_and_meets_only_a1() {
    let cfg = relax(&either_cfg(), &[Rule::Src2]);
    let concrete = relax(&self::cfg(), &[Rule::Src2]);
    let reach = [
        c(M, Op::CreateMicrosoftAd),
        c(A, Op::CreateMicrosoftAd),
        c(M, Op::ChangeIdentitySource(ad(M))),
    ];
    let empty = run(&concrete, &[instance(), reach.to_vec()].concat());
    let (s, _) = src4_change(&concrete, &reach, ad(A));
    let call = c(M, Op::ChangeIdentitySource(ad(A)));
    let to = |s: &State, deletes: bool, ad_sync: bool| {
        Ok(expect(s, |w| {
            if deletes {
                w.users = 0;
                w.groups = 0;
                w.membership = Default::default();
                w.assignments = Default::default();
                w.provisioned = Default::default();
            }
            w.source = ad(A);
            w.ad_sync = ad_sync;
        }))
    };
    assert_eq!(
        named_outcomes(&cfg, &s, call),
        sorted(vec![
            ("ad-sync-on-connect=off", to(&s, true, false)),
            ("ad-sync-on-connect=on", to(&s, true, true)),
        ])
    );
    assert_branches_rerun(&cfg, &s, call);
    assert_eq!(
        named_outcomes(&cfg, &empty, call),
        sorted(vec![
            ("ad-sync-on-connect=off", to(&empty, false, false)),
            ("ad-sync-on-connect=on", to(&empty, false, true)),
        ])
    );
}

// A3 either: deleting the last assignment of a set in an account has two outcomes;
// deleting one that is not the last meets no decision; nor does a directory-side deletion
// (SRC-6: nothing is deprovisioned).
#[test]
fn a3_either_deleting_last_assignment_has_two_outcomes() {
    let cfg = either_cfg();
    let s = run(
        &self::cfg(),
        &[
            instance(),
            identities(),
            mgmt(&[
                assign(A, P0, user(U0)),
                assign(B, P0, user(U0)),
                assign(B, P0, user(U1)),
            ]),
        ]
        .concat(),
    );
    let call = c(M, unassign(A, P0, user(U0)));
    assert_eq!(
        named_outcomes(&cfg, &s, call),
        sorted(vec![
            (
                "last-assignment-deprovisions=keeps-provisioned",
                Ok(expect(&s, |w| *w.assigned_mut(P0, A) = 0)),
            ),
            (
                "last-assignment-deprovisions=deprovisions",
                Ok(expect(&s, |w| {
                    *w.assigned_mut(P0, A) = 0;
                    w.provisioned[0] = B.bit();
                })),
            ),
        ])
    );
    assert_branches_rerun(&cfg, &s, call);
    assert_eq!(
        all_outcomes(&cfg, &s, c(M, unassign(B, P0, user(U0)))),
        vec![(
            Branch::NONE,
            Ok(expect(&s, |w| *w.assigned_mut(P0, B) = user(U1).bit()))
        )]
    );
    let d = run(
        &self::cfg(),
        &[
            ad_in_delegate(),
            vec![c(A, Op::DirectoryCreateUser(U0))],
            mgmt(&[Op::CreatePermissionSet(P0), assign(B, P0, user(U0))]),
        ]
        .concat(),
    );
    assert_eq!(
        all_outcomes(&cfg, &d, c(A, Op::DirectoryDeleteUser(U0))),
        vec![(
            Branch::NONE,
            Ok(expect(&d, |w| {
                w.users = 0;
                *w.assigned_mut(P0, B) = 0;
            }))
        )]
    );
}

// Q4 either: with SRC-2 violated at a registration or a deregistration, the call has two
// outcomes (not enforced there / enforced there); each call meets only its own readings.
#[test]
fn q4_either_src2_at_registration_and_deregistration_has_two_outcomes() {
    let cfg = either_cfg();
    let s = run(
        &self::cfg(),
        &[ad_in_management(), mgmt(&[Op::EnableConfigurableAdSync])].concat(),
    );
    let register = c(M, Op::RegisterDelegatedAdministrator(A));
    // Model 3: Organizations answers ConstraintViolationException (no reason); and the
    // registration violates SRC-2 only as the seed page reads it (Q9
    // delegate-if-registered: the directory must then be member-1's), not as the current
    // page does (management), so Q4 is met only under the first reading.
    let src2 = Err(denied(Exception::ConstraintViolationException, Rule::Src2));
    let registered = Ok(expect(&s, |w| w.delegates = A.bit()));
    assert_eq!(
        named_outcomes(&cfg, &s, register),
        sorted(vec![
            (
                "src2-enforced-at=source-change, src2-location=delegate-if-registered",
                registered.clone(),
            ),
            (
                "src2-enforced-at=also-registration, src2-location=delegate-if-registered",
                src2.clone(),
            ),
            ("src2-location=management", registered),
        ])
    );
    assert_branches_rerun(&cfg, &s, register);
    let d = run(&self::cfg(), &ad_in_delegate());
    let deregister = c(M, Op::DeregisterDelegatedAdministrator(A));
    assert_eq!(
        named_outcomes(&cfg, &d, deregister),
        sorted(vec![
            (
                "src2-enforced-at=source-change",
                Ok(expect(&d, |w| w.delegates = 0)),
            ),
            ("src2-enforced-at=also-deregistration", src2),
        ])
    );
    assert_branches_rerun(&cfg, &d, deregister);
}

// either: a call that meets no decision has the single branch `Branch::NONE`, with the
// outcome it has under the concrete configuration.
#[test]
fn either_calls_meeting_no_decision_have_the_single_branch_none() {
    let cfg = either_cfg();
    let concrete = self::cfg();
    let s = run(
        &concrete,
        &[
            with_delegate(A),
            identities(),
            mgmt(&[assign(B, P0, user(U0)), Op::CreateGroupMembership(G0, U1)]),
        ]
        .concat(),
    );
    for call in [
        c(M, Op::CreateUser(U0)),
        c(A, assign(C, P1, user(U1))),
        c(A, Op::DeleteGroupMembership(G0, U1)),
        c(M, Op::CloseAccount(C)),
        c(C, Op::CloseOwnAccount),
        c(C, Op::LeaveOrganization),
        c(M, Op::RegisterDelegatedAdministrator(B)),
        c(M, Op::DeregisterDelegatedAdministrator(A)),
        c(A, Op::ChangeIdentitySource(EXT)),
        c(B, Op::CreateInstance),
        c(A, Op::LeaveOrganization),
    ] {
        let all = all_outcomes(&cfg, &s, call);
        assert_eq!(all.len(), 1, "`{call}`: {all:?}");
        assert_eq!(all[0].0, Branch::NONE, "`{call}`");
        assert_eq!(all[0].0.to_string(), "", "`{call}`");
        assert_eq!(all[0].1, step(&concrete, &s, call), "`{call}`");
        assert_eq!(
            idc_model::step(&cfg, &s, call, Branch::NONE),
            Some(all[0].1.clone()),
            "`{call}`"
        );
    }
}

// either: `step` returns `None` for a branch that does not name exactly the decisions the
// call meets, with readings among its options.
#[test]
fn either_step_returns_none_for_a_branch_that_does_not_fit() {
    let cfg = either_cfg();
    let s = run(&self::cfg(), &with_delegate(A));
    let close = c(M, Op::CloseAccount(A));
    let q3 = |r| Branch::NONE.with(Decision::Q3, r);
    // Missing the decision met.
    assert_eq!(idc_model::step(&cfg, &s, close, Branch::NONE), None);
    // A decision the call does not meet, alone or besides the one it meets (member-1
    // holds no assignment: no Q5).
    assert_eq!(
        idc_model::step(&cfg, &s, close, Branch::NONE.with(Decision::Q2, 0)),
        None
    );
    assert_eq!(
        idc_model::step(&cfg, &s, close, q3(1).with(Decision::Q5, 0)),
        None
    );
    assert_eq!(
        idc_model::step(&cfg, &s, c(M, Op::CreateUser(U0)), q3(0)),
        None
    );
    // A reading that is not among the call's options: registration meets only Q4's
    // source-change and also-registration.
    let ad = run(
        &self::cfg(),
        &[ad_in_management(), mgmt(&[Op::EnableConfigurableAdSync])].concat(),
    );
    let register = c(M, Op::RegisterDelegatedAdministrator(A));
    let q4 = |r| Branch::NONE.with(Decision::Q4, r);
    assert_eq!(idc_model::step(&cfg, &ad, register, q4(2)), None);
    assert_eq!(idc_model::step(&cfg, &ad, register, q4(3)), None);
    assert_eq!(idc_model::step(&cfg, &ad, register, q4(0)), None);
    // Q9 delegate-if-registered (reading 0) is met first.
    let q9 = Branch::NONE.with(Decision::Q9, 0);
    assert!(idc_model::step(&cfg, &ad, register, q9.with(Decision::Q4, 0)).is_some());
    // A branch named as `to_string` names it fits.
    let b = Branch::from_named([("close-delegate", "deregisters")]).unwrap();
    assert_eq!(b, q3(2));
    assert_eq!(
        idc_model::step(&cfg, &s, close, b),
        Some(Ok(expect(&s, |w| {
            w.closed = A.bit();
            w.delegates = 0;
        })))
    );
    // Under the concrete configuration no call meets a decision: only `Branch::NONE` fits.
    let concrete = self::cfg();
    assert_eq!(idc_model::step(&concrete, &s, close, q3(0)), None);
    assert_eq!(
        idc_model::step(&concrete, &s, close, Branch::NONE),
        Some(Err(violation(
            Reason::CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG,
            Rule::Org3
        )))
    );
}

/// A few states that reach every decision: a delegate holding assignments, AD in the
/// delegate's account with identities, trusted access off, a departed member.
fn branching_states() -> Vec<State> {
    let concrete = cfg();
    [
        [
            with_delegate(A),
            identities(),
            mgmt(&[
                Op::CreateGroupMembership(G0, U0),
                assign(A, P0, user(U0)),
                assign(B, P1, group(G0)),
                assign(M, P1, user(U1)),
            ]),
        ]
        .concat(),
        [
            ad_in_delegate(),
            vec![
                c(A, Op::EnableConfigurableAdSync),
                c(M, Op::CreateMicrosoftAd),
            ],
            directory_identities(A),
            mgmt(&[Op::CreatePermissionSet(P0), assign(B, P0, user(U0))]),
        ]
        .concat(),
        [
            member_assignments(),
            mgmt(&[Op::DisableAwsServiceAccess]),
            vec![c(C, Op::LeaveOrganization)],
        ]
        .concat(),
    ]
    .iter()
    .map(|calls| run(&concrete, calls))
    .collect()
}

// either: under the concrete configuration every call of the configuration has exactly one
// outcome, on `Branch::NONE`; under `either`, every outcome re-runs on its branch with
// `step`, the branches are distinct, and the concrete outcome is among them.
#[test]
fn either_outcomes_and_step_agree_on_every_call() {
    let concrete = cfg();
    let either = either_cfg();
    for s in branching_states() {
        for call in idc_model::calls::all_calls(&either) {
            let one = all_outcomes(&concrete, &s, call);
            assert_eq!(one.len(), 1, "`{call}`: {one:?}");
            assert!(one[0].0.is_none(), "`{call}`");
            let all = all_outcomes(&either, &s, call);
            let mut branches: Vec<Branch> = all.iter().map(|(b, _)| *b).collect();
            branches.sort();
            branches.dedup();
            assert_eq!(branches.len(), all.len(), "`{call}`: {all:?}");
            assert!(
                all.iter().any(|(_, o)| *o == one[0].1),
                "`{call}`: the concrete outcome {:?} is not among {all:?}",
                one[0].1
            );
            for (b, o) in &all {
                assert_eq!(
                    idc_model::step(&either, &s, call, *b).as_ref(),
                    Some(o),
                    "`{call}` along `{b}`"
                );
            }
        }
    }
}
