//! The identity source, AD sync and directories (SRC-1..SRC-4, SRC-7, SRC-8; A1; A2 was
//! withdrawn in model 3: a change between two directories deletes identities), like
//! `model/src/step/identity_source.rs`.

use crate::common::*;

// -------------------------------------------------------------------------- SRC-1..SRC-3

// SRC-1: changing to the source in use, or to a directory that does not exist.
#[test]
fn src1_change_preconditions_refused_with_api_errors() {
    let cfg = cfg();
    let s = run(&cfg, &instance());
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::ChangeIdentitySource(IDC))),
        precondition(Exception::ValidationException)
    );
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::ChangeIdentitySource(ad(M)))),
        precondition(Exception::ResourceNotFoundException)
    );
    // SRC-4 (model 3): external IdP → another external IdP is a change, not a no-op: it
    // is allowed (see `src4_idp_to_idp_…`), unlike a change to the Identity Center
    // directory or the AD directory in use.
    let ext = run_from(&cfg, &s, &mgmt(&[Op::ChangeIdentitySource(EXT)]));
    assert!(step(&cfg, &ext, c(M, Op::ChangeIdentitySource(EXT))).is_ok());
    let on_ad = run(&cfg, &[instance(), to_ad_m()].concat());
    assert_eq!(
        refusal(&cfg, &on_ad, c(M, Op::ChangeIdentitySource(ad(M)))),
        precondition(Exception::ValidationException)
    );
}

// SRC-2: without a delegate, the directory must be the management account's.
#[test]
fn src2_member_directory_without_delegate_refused_with_validation() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            instance(),
            vec![c(A, Op::CreateMicrosoftAd), c(M, Op::CreateMicrosoftAd)],
        ]
        .concat(),
    );
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::ChangeIdentitySource(ad(A)))),
        denied(Exception::ValidationException, Rule::Src2)
    );
    let relaxed = relax(&cfg, &[Rule::Src2]);
    let next = ok(&relaxed, &s, c(M, Op::ChangeIdentitySource(ad(A))));
    assert_eq!(next, expect(&s, |w| w.source = ad(A)));
    let next = ok(&cfg, &s, c(M, Op::ChangeIdentitySource(ad(M))));
    assert_eq!(next, expect(&s, |w| w.source = ad(M)));
}

// SRC-2: with a delegate, the directory must be the delegate's, whoever changes the source.
#[test]
fn src2_with_delegate_directory_must_be_delegates() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            with_delegate(A),
            vec![
                c(M, Op::CreateMicrosoftAd),
                c(A, Op::CreateMicrosoftAd),
                c(B, Op::CreateMicrosoftAd),
            ],
        ]
        .concat(),
    );
    for (caller, owner) in [(M, M), (A, M), (M, B), (A, B)] {
        assert_eq!(
            refusal(&cfg, &s, c(caller, Op::ChangeIdentitySource(ad(owner)))),
            denied(Exception::ValidationException, Rule::Src2),
            "{caller}: {owner}"
        );
    }
    for caller in [M, A] {
        let next = ok(&cfg, &s, c(caller, Op::ChangeIdentitySource(ad(A))));
        assert_eq!(next, expect(&s, |w| w.source = ad(A)), "{caller}");
    }
}

// SRC-2: a change *from* a directory with the wrong owner is refused too (after the
// delegate that owns it was deregistered).
#[test]
fn src2_change_from_directory_with_wrong_owner_refused_with_validation() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            ad_in_delegate(),
            mgmt(&[Op::DeregisterDelegatedAdministrator(A)]),
        ]
        .concat(),
    );
    for to in [IDC, EXT] {
        assert_eq!(
            refusal(&cfg, &s, c(M, Op::ChangeIdentitySource(to))),
            denied(Exception::ValidationException, Rule::Src2),
            "{to}"
        );
        let relaxed = relax(&cfg, &[Rule::Src2]);
        assert_eq!(
            ok(&relaxed, &s, c(M, Op::ChangeIdentitySource(to))).source,
            to
        );
    }
}

// SRC-3: the delegate changes the identity source.
#[test]
fn src3_delegate_changes_identity_source() {
    let cfg = cfg();
    let s = run(&cfg, &with_delegate(A));
    let next = ok(&cfg, &s, c(A, Op::ChangeIdentitySource(EXT)));
    // SRC-6 (model 3): the caller configured the IdP, so it controls its users.
    assert_eq!(
        next,
        expect(&s, |w| {
            w.source = EXT;
            w.idp_admins = A.bit();
        })
    );
}

// ------------------------------------------------------------------- SRC-4, SRC-7, SRC-8

/// Who controls an external IdP after the management account changes to `to` (SRC-6: the
/// account that configured it).
fn idp_admins_after(to: IdentitySource) -> u8 {
    if to == EXT {
        M.bit()
    } else {
        0
    }
}

#[track_caller]
fn assert_preserved(s: &State, next: &State, to: IdentitySource) {
    assert_eq!(
        *next,
        expect(s, |w| {
            w.source = to;
            w.idp_admins = idp_admins_after(to);
            w.ad_sync = false;
        }),
        "{} -> {to} preserves identities",
        s.source
    );
}

#[track_caller]
fn assert_deleted(s: &State, next: &State, to: IdentitySource, ad_sync: bool) {
    assert_eq!(
        *next,
        expect(s, |w| {
            w.users = 0;
            w.groups = 0;
            w.membership = Default::default();
            w.assignments = Default::default();
            w.provisioned = Default::default();
            w.source = to;
            w.idp_admins = idp_admins_after(to);
            w.ad_sync = ad_sync;
            w.ad_sync_paused = false;
        }),
        "{} -> {to} deletes users, groups and assignments, and (SRC-7) every permission \
         set's role in every account (the permission sets stay)",
        s.source
    );
}

fn to_ext() -> Vec<Call> {
    mgmt(&[Op::ChangeIdentitySource(EXT)])
}

// SRC-4: Identity Center directory → external IdP preserves everything.
#[test]
fn src4_idc_to_external_idp_preserves_identities() {
    let cfg = cfg();
    let (s, next) = src4_change(&cfg, &[], EXT);
    assert_preserved(&s, &next, EXT);
}

// SRC-4: external IdP → Identity Center directory preserves everything.
#[test]
fn src4_external_idp_to_idc_preserves_identities() {
    let cfg = cfg();
    let (s, next) = src4_change(&cfg, &to_ext(), IDC);
    assert_preserved(&s, &next, IDC);
}

// SRC-4: Identity Center directory → AD deletes users, groups and assignments.
#[test]
fn src4_idc_to_ad_deletes_identities() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[instance(), population(), mgmt(&[Op::CreateMicrosoftAd])].concat(),
    );
    let next = ok(&cfg, &s, c(M, Op::ChangeIdentitySource(ad(M))));
    assert_deleted(&s, &next, ad(M), false);
}

// SRC-4: AD → external IdP deletes users, groups and assignments.
#[test]
fn src4_ad_to_external_idp_deletes_identities() {
    let cfg = cfg();
    let (s, next) = src4_change(&cfg, &to_ad_m(), EXT);
    assert_deleted(&s, &next, EXT, false);
}

// SRC-4: external IdP → AD deletes users, groups and assignments.
#[test]
fn src4_external_idp_to_ad_deletes_identities() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            instance(),
            to_ext(),
            population(),
            mgmt(&[Op::CreateMicrosoftAd]),
        ]
        .concat(),
    );
    let next = ok(&cfg, &s, c(M, Op::ChangeIdentitySource(ad(M))));
    assert_deleted(&s, &next, ad(M), false);
}

// SRC-8: AD → Identity Center directory deletes them.
#[test]
fn src8_ad_to_idc_deletes_identities() {
    let cfg = cfg();
    let (s, next) = src4_change(&cfg, &to_ad_m(), IDC);
    assert_deleted(&s, &next, IDC, false);
}

// SRC-8, SRC-2 relaxed (A2 withdrawn in model 3): AD → another AD directory is a change to
// and from AD, and deletes users, groups, assignments and roles (it was A2's
// deletes-identities / preserves-identities choice). Two directories that both satisfy
// SRC-2 can't exist, so SRC-2 is relaxed to reach the case; under `either` it does not
// branch any more.
#[test]
fn src8_ad_to_other_ad_deletes_identities() {
    let reach = [
        c(M, Op::CreateMicrosoftAd),
        c(A, Op::CreateMicrosoftAd),
        c(M, Op::ChangeIdentitySource(ad(M))),
    ];
    let cfg = relax(&cfg(), &[Rule::Src2]);
    let (s, next) = src4_change(&cfg, &reach, ad(A));
    assert_deleted(&s, &next, ad(A), false);
    let either = relax(&either_cfg(), &[Rule::Src2]);
    let s = run(&cfg, &[instance(), reach.to_vec()].concat());
    let s = run_from(&cfg, &s, &population_in(s.source));
    let all = all_outcomes(&either, &s, c(M, Op::ChangeIdentitySource(ad(A))));
    assert!(!all.is_empty());
    for (b, next) in all {
        let next = next.unwrap_or_else(|r| panic!("{b}: refused {r}"));
        assert_eq!((next.users, next.groups), (0, 0), "{b}: identities deleted");
        assert!(
            !next.has_assignments_to(M) && !next.has_assignments_to(A),
            "{b}"
        );
    }
}

// SRC-4 / A1 on: the sync is on after connecting a directory, off after leaving AD.
#[test]
fn a1_ad_sync_on_connect_follows_the_assumption() {
    let mut on = cfg();
    on.assumptions.ad_sync_on_connect = AdSyncOnConnect::On;
    let s = run(&on, &[instance(), population(), to_ad_m()].concat());
    assert!(s.ad_sync);
    let next = ok(&on, &s, c(M, Op::ChangeIdentitySource(EXT)));
    assert_deleted(&s, &next, EXT, false);
    let off = run(&cfg(), &[instance(), to_ad_m()].concat());
    assert!(!off.ad_sync);
}

// DA-9 setting (model 3: configurable AD sync has no "disable", it is paused and resumed):
// it is turned on, paused and resumed only while AD is the identity source, each only from
// the state where it changes something.
#[test]
fn da9_configurable_ad_sync_enable_pause_resume_only_with_ad_source() {
    let cfg = cfg();
    let s = run(&cfg, &instance());
    for op in [
        Op::EnableConfigurableAdSync,
        Op::PauseAdSync,
        Op::ResumeAdSync,
    ] {
        assert_eq!(
            refusal(&cfg, &s, c(M, op)),
            precondition(Exception::ValidationException),
            "{op}"
        );
    }
    let s = run(&cfg, &[instance(), to_ad_m()].concat());
    // Off: neither paused nor resumed.
    for op in [Op::PauseAdSync, Op::ResumeAdSync] {
        assert_eq!(
            refusal(&cfg, &s, c(M, op)),
            precondition(Exception::ValidationException),
            "{op} while off"
        );
    }
    let on = ok(&cfg, &s, c(M, Op::EnableConfigurableAdSync));
    assert_eq!(on, expect(&s, |w| w.ad_sync = true));
    assert_eq!(
        refusal(&cfg, &on, c(M, Op::EnableConfigurableAdSync)),
        precondition(Exception::ValidationException)
    );
    assert_eq!(
        refusal(&cfg, &on, c(M, Op::ResumeAdSync)),
        precondition(Exception::ValidationException)
    );
    let paused = ok(&cfg, &on, c(M, Op::PauseAdSync));
    assert_eq!(paused, expect(&on, |w| w.ad_sync_paused = true));
    assert_eq!(
        refusal(&cfg, &paused, c(M, Op::PauseAdSync)),
        precondition(Exception::ValidationException)
    );
    assert_eq!(ok(&cfg, &paused, c(M, Op::ResumeAdSync)), on);
    // The delegate administers the sync too (SRC-3); leaving AD clears the pause.
    let d = run(
        &cfg,
        &[ad_in_delegate(), vec![c(A, Op::EnableConfigurableAdSync)]].concat(),
    );
    let d_paused = ok(&cfg, &d, c(A, Op::PauseAdSync));
    assert!(d_paused.ad_sync_paused);
    let left = ok(&cfg, &d_paused, c(A, Op::ChangeIdentitySource(IDC)));
    assert!(!left.ad_sync && !left.ad_sync_paused);
}

// ------------------------------------------------------------------------- directories

// Directory Service: any account, even outside the organization, creates a directory; a
// second one succeeds and changes nothing the model keeps (model 3: no more
// DirectoryLimitExceededException); a closed account creates none (ORG-2).
#[test]
fn directory_creation_any_account_second_changes_nothing() {
    let cfg = cfg();
    let s = run(&cfg, &[c(B, Op::LeaveOrganization)]);
    let next = ok(&cfg, &s, c(B, Op::CreateMicrosoftAd));
    assert_eq!(next, expect(&s, |w| w.directories = B.bit()));
    assert_eq!(ok(&cfg, &next, c(B, Op::CreateMicrosoftAd)), next);
    let closed = run(&cfg, &mgmt(&[Op::CloseAccount(A)]));
    assert_eq!(
        refusal(&cfg, &closed, c(A, Op::CreateMicrosoftAd)),
        denied(Exception::AccessDeniedException, Rule::Org2)
    );
}

// -------------------------------------------------------------------------------- SRC-7

// SRC-7: a change of identity source that removes assignments also removes every
// permission set's role from every account — roles provisioned without an assignment and
// the management account's included — even when there was no assignment to remove; the
// permission sets themselves stay. A change that keeps assignments keeps the roles.
#[test]
fn src7_source_change_removing_assignments_deprovisions_every_permission_set() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            instance(),
            population(),
            mgmt(&[
                Op::CreatePermissionSet(P1),
                provision(P1, C),
                Op::CreateMicrosoftAd,
            ]),
        ]
        .concat(),
    );
    assert_eq!(s.provisioned[..2], [M.bit() | A.bit(), C.bit()]);
    let next = ok(&cfg, &s, c(M, Op::ChangeIdentitySource(ad(M))));
    assert_deleted(&s, &next, ad(M), false);
    assert_eq!(next.permission_sets, P0.bit() | P1.bit());
    let roles_only = run(
        &cfg,
        &[
            instance(),
            mgmt(&[
                Op::CreatePermissionSet(P0),
                provision(P0, A),
                Op::CreateMicrosoftAd,
            ]),
        ]
        .concat(),
    );
    let next = ok(&cfg, &roles_only, c(M, Op::ChangeIdentitySource(ad(M))));
    assert_eq!(
        next,
        expect(&roles_only, |w| {
            w.provisioned = Default::default();
            w.source = ad(M);
        })
    );
    let kept = ok(&cfg, &s, c(M, Op::ChangeIdentitySource(EXT)));
    assert_preserved(&s, &kept, EXT);
}

// -------------------------------------------------------------------------------- SRC-8

// SRC-8: every change to or from Active Directory deletes users, groups and assignments
// (and, SRC-7, the roles), under every reading of A1 (A2, withdrawn, no longer applies).
#[test]
fn src8_every_change_to_or_from_ad_deletes_identities() {
    for a1 in [AdSyncOnConnect::Off, AdSyncOnConnect::On] {
        let mut cfg = cfg();
        cfg.assumptions.ad_sync_on_connect = a1;
        let with_dir = mgmt(&[Op::CreateMicrosoftAd]);
        for (reach, to) in [
            (with_dir.clone(), ad(M)),
            ([to_ext(), with_dir.clone()].concat(), ad(M)),
            (to_ad_m(), IDC),
            (to_ad_m(), EXT),
        ] {
            let (s, next) = src4_change(&cfg, &reach, to);
            assert_deleted(&s, &next, to, to.is_ad() && a1 == AdSyncOnConnect::On);
        }
    }
}

// ------------------------------------------------------------ SRC-4: external IdP to IdP

// SRC-4 (model 3): external IdP → another external IdP keeps users, groups, assignments
// and roles; the caller becomes the IdP's configurer (SRC-6: `idp_admins`), the delegate
// included.
#[test]
fn src4_idp_to_idp_keeps_everything_and_caller_configures() {
    let cfg = cfg();
    let (s, next) = src4_change(&cfg, &to_ext(), EXT);
    assert_eq!(s.idp_admins, M.bit());
    assert_preserved(&s, &next, EXT);
    let d = run_from(&cfg, &s, &mgmt(&[Op::RegisterDelegatedAdministrator(A)]));
    let by_delegate = ok(&cfg, &d, c(A, Op::ChangeIdentitySource(EXT)));
    assert_eq!(by_delegate, expect(&d, |w| w.idp_admins = A.bit()));
    assert!(by_delegate.has_assignments_to(M) && by_delegate.has_assignments_to(A));
    // Leaving the external IdP forgets its configurer.
    let idc = ok(&cfg, &by_delegate, c(M, Op::ChangeIdentitySource(IDC)));
    assert_eq!(idc.idp_admins, 0);
}

// ------------------------------------------------------------- DA-9 under Q8

/// The management account's directory as source, sync on and paused.
fn paused_sync() -> Vec<Call> {
    [
        ad_in_management(),
        mgmt(&[Op::EnableConfigurableAdSync, Op::PauseAdSync]),
    ]
    .concat()
}

fn da9_cfg(q8: ApiEnforcesDa9) -> Config {
    let mut cfg = cfg();
    cfg.assumptions.api_enforces_da9 = q8;
    cfg
}

// DA-9 / Q8: with the sync off, registering a delegate is refused
// (ConstraintViolationException, no reason) only if the API enforces DA-9 (Q8); a paused
// sync stays configured and counts as enabled (a modelling choice: no reachable state
// depends on the other reading, docs/model.md).
#[test]
fn q8_da9_registration_with_paused_or_off_sync() {
    let register = c(M, Op::RegisterDelegatedAdministrator(A));
    let da9 = denied(Exception::ConstraintViolationException, Rule::Da9);
    let paused = run(&cfg(), &paused_sync());
    let off = run(&cfg(), &ad_in_management());
    let registered = |s: &State| expect(s, |w| w.delegates = A.bit());
    for q8 in [ApiEnforcesDa9::Enforced, ApiEnforcesDa9::ConsoleOnly] {
        let cfg = da9_cfg(q8);
        assert_eq!(ok(&cfg, &paused, register), registered(&paused), "{q8}");
    }
    let strict = da9_cfg(ApiEnforcesDa9::Enforced);
    assert_eq!(refusal(&strict, &off, register), da9);
    let console = da9_cfg(ApiEnforcesDa9::ConsoleOnly);
    assert_eq!(ok(&console, &off, register), registered(&off));
    // Under `either`: both outcomes where the sync is off, none to choose where paused.
    let either = da9_cfg(ApiEnforcesDa9::Either);
    let names = |s: &State| -> Vec<(String, bool)> {
        named_outcomes(&either, s, register)
            .into_iter()
            .map(|(n, r)| (n, r.is_ok()))
            .collect()
    };
    let owned = |v: &[(&str, bool)]| -> Vec<(String, bool)> {
        v.iter().map(|(n, ok)| (n.to_string(), *ok)).collect()
    };
    assert_eq!(names(&paused), owned(&[("", true)]));
    assert_eq!(
        names(&off),
        owned(&[
            ("api-enforces-da9=console-only", true),
            ("api-enforces-da9=enforced", false),
        ])
    );
}

// DA-9 (model 3): ad-sync-on-while-delegated needs the sync on and not paused: the
// delegate pausing the sync of its own directory violates it, resuming restores it.
#[test]
fn da9_paused_sync_while_delegated_violates_ad_sync_property() {
    let p = idc_model::properties::property("ad-sync-on-while-delegated").unwrap();
    let cfg = cfg();
    let on = run(
        &cfg,
        &[ad_in_delegate(), vec![c(A, Op::EnableConfigurableAdSync)]].concat(),
    );
    assert!((p.holds)(&on));
    let paused = ok(&cfg, &on, c(A, Op::PauseAdSync));
    assert!(!(p.holds)(&paused));
    assert!((p.holds)(&ok(&cfg, &paused, c(A, Op::ResumeAdSync))));
}

// ------------------------------------------------------------- SRC-2 under Q9

fn q10(reading: Src2Location) -> Config {
    let mut cfg = cfg();
    cfg.assumptions.src2_location = reading;
    cfg
}

// SRC-2 / Q9 at ChangeIdentitySource: with a delegate, the seed page
// (delegate-if-registered) wants the delegate's directory, the current page (management)
// the management account's; the other is refused with ValidationException (SRC-2).
// Without a delegate both want the management account's: no decision.
#[test]
fn q10_src2_location_at_source_change() {
    let src2 = denied(Exception::ValidationException, Rule::Src2);
    let d = run(
        &cfg(),
        &[
            with_delegate(A),
            vec![c(A, Op::CreateMicrosoftAd), c(M, Op::CreateMicrosoftAd)],
        ]
        .concat(),
    );
    let to_a = c(A, Op::ChangeIdentitySource(ad(A)));
    let to_m = c(M, Op::ChangeIdentitySource(ad(M)));
    let seed = q10(Src2Location::DelegateIfRegistered);
    let page = q10(Src2Location::Management);
    assert_eq!(ok(&seed, &d, to_a).source, ad(A));
    assert_eq!(refusal(&seed, &d, to_m), src2);
    assert_eq!(refusal(&page, &d, to_a), src2);
    assert_eq!(ok(&page, &d, to_m).source, ad(M));
    let either = q10(Src2Location::Either);
    for (call, allowed_under) in [(to_a, "delegate-if-registered"), (to_m, "management")] {
        let outcomes: Vec<(String, bool)> = named_outcomes(&either, &d, call)
            .into_iter()
            .map(|(n, r)| (n, r.is_ok()))
            .collect();
        let want: Vec<(String, bool)> = ["delegate-if-registered", "management"]
            .iter()
            .map(|r| (format!("src2-location={r}"), *r == allowed_under))
            .collect();
        assert_eq!(outcomes, want, "{call}");
    }
    // Without a delegate: the management account's directory under both readings.
    let alone = run(
        &cfg(),
        &[
            instance(),
            vec![c(A, Op::CreateMicrosoftAd), c(M, Op::CreateMicrosoftAd)],
        ]
        .concat(),
    );
    assert_eq!(
        all_outcomes(&either, &alone, to_m),
        vec![(Branch::NONE, step(&seed, &alone, to_m))]
    );
    assert_eq!(
        refusal(&either, &alone, c(M, Op::ChangeIdentitySource(ad(A)))),
        src2
    );
}
