//! Trusted access and the delegated-administrator registry (ORG-5, DA-1..DA-10; Q1, Q2,
//! Q4), like `model/src/step/delegation.rs`.

use crate::common::*;

// ------------------------------------------------------------------------------- ORG-5

// ORG-5: only the management account enables or disables trusted access.
#[test]
fn org5_member_toggling_trusted_access_refused_with_access_denied() {
    let cfg = cfg();
    let off = run(&cfg, &[]);
    let on = run(&cfg, &mgmt(&[Op::EnableAwsServiceAccess]));
    for (s, op) in [
        (&off, Op::EnableAwsServiceAccess),
        (&on, Op::DisableAwsServiceAccess),
    ] {
        assert_eq!(
            refusal(&cfg, s, c(A, op)),
            denied(Exception::AccessDeniedException, Rule::Org5),
            "{op}"
        );
    }
    // The ghost fact behind `trusted-access-changed-only-by-management` records it.
    let relaxed = relax(&cfg, &[Rule::Org5]);
    let by_other = |s: &State| expect(s, |w| w.ghost = ghost::TRUSTED_ACCESS_CHANGED_BY_OTHER);
    assert_eq!(
        ok(&relaxed, &off, c(A, Op::EnableAwsServiceAccess)),
        by_other(&on)
    );
    assert_eq!(
        ok(&relaxed, &on, c(A, Op::DisableAwsServiceAccess)),
        by_other(&off)
    );
}

// ORG-5: the management account enables and disables trusted access.
#[test]
fn org5_management_toggles_trusted_access() {
    let cfg = cfg();
    let off = run(&cfg, &[]);
    let on = ok(&cfg, &off, c(M, Op::EnableAwsServiceAccess));
    assert_eq!(on, expect(&off, |w| w.trusted_access = true));
    assert_eq!(ok(&cfg, &on, c(M, Op::DisableAwsServiceAccess)), off);
}

// ORG-5: enabling IAM Identity Center enables trusted access.
#[test]
fn org5_enable_identity_center_enables_trusted_access() {
    let cfg = cfg();
    let s = run(&cfg, &[]);
    assert!(!s.trusted_access);
    let next = ok(&cfg, &s, c(M, Op::EnableIdentityCenter));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.instance = Some(M);
            w.trusted_access = true;
        })
    );
}

// ORG-5: with trusted access off nobody reaches any account, but the configuration stays;
// re-enabling restores access as before.
#[test]
fn org5_effective_access_is_zero_while_trusted_access_is_off() {
    let cfg = cfg();
    let s = run(&cfg, &member_assignments());
    assert_eq!(effective_access(&s, A), U0.bit());
    assert_eq!(effective_access(&s, B), U1.bit());
    let off = ok(&cfg, &s, c(M, Op::DisableAwsServiceAccess));
    assert_eq!(off, expect(&s, |w| w.trusted_access = false));
    for a in 0..=cfg.members {
        assert_eq!(effective_access(&off, Acct(a)), 0, "{}", Acct(a));
    }
    assert_eq!(assigned_users(&off, A), U0.bit());
    let on = ok(&cfg, &off, c(M, Op::EnableAwsServiceAccess));
    assert_eq!(on, expect(&s, |_| {}));
    assert_eq!(effective_access(&on, A), U0.bit());
}

// ORG-5 / Q2 keeps-registration (concrete): disabling succeeds and the delegate stays.
#[test]
fn q2_keeps_registration_disables_and_keeps_delegate() {
    let cfg = cfg();
    assert_eq!(
        cfg.assumptions.disable_trusted_access_with_delegate,
        DisableTrustedAccessWithDelegate::KeepsRegistration
    );
    let s = run(&cfg, &with_delegate(A));
    let next = ok(&cfg, &s, c(M, Op::DisableAwsServiceAccess));
    assert_eq!(next, expect(&s, |w| w.trusted_access = false));
    assert!(next.is_delegate(A));
}

// ORG-5 / Q2 refused: disabling with a delegate is refused; relaxing ORG-5 lets it through
// (registration kept); without a delegate it succeeds.
#[test]
fn q2_refused_disabling_with_delegate_refused_with_delegated_admin_exists() {
    let mut cfg = cfg();
    cfg.assumptions.disable_trusted_access_with_delegate =
        DisableTrustedAccessWithDelegate::Refused;
    let s = run(&cfg, &with_delegate(A));
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::DisableAwsServiceAccess)),
        violation(
            Reason::DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE,
            Rule::Org5
        )
    );
    let relaxed = relax(&cfg, &[Rule::Org5]);
    let next = ok(&relaxed, &s, c(M, Op::DisableAwsServiceAccess));
    assert_eq!(next, expect(&s, |w| w.trusted_access = false));
    let alone = run(&cfg, &instance());
    assert!(!ok(&cfg, &alone, c(M, Op::DisableAwsServiceAccess)).trusted_access);
}

// ORG-5 / Q2 deregisters: disabling deregisters the delegate.
#[test]
fn q2_deregisters_disabling_deregisters_delegate() {
    let mut cfg = cfg();
    cfg.assumptions.disable_trusted_access_with_delegate =
        DisableTrustedAccessWithDelegate::Deregisters;
    let s = run(&cfg, &with_delegate(A));
    let next = ok(&cfg, &s, c(M, Op::DisableAwsServiceAccess));
    assert_eq!(
        next,
        expect(&s, |w| {
            w.trusted_access = false;
            w.delegates = 0;
        })
    );
}

// --------------------------------------------------------------------------------- DA-1

// DA-1: only the management account registers or deregisters (the delegate neither).
#[test]
fn da1_member_registering_refused_with_access_denied() {
    let cfg = cfg();
    let s = run(&cfg, &mgmt(&[Op::EnableAwsServiceAccess]));
    let d = run(&cfg, &with_delegate(A));
    for (s, caller, op) in [
        (&s, A, Op::RegisterDelegatedAdministrator(B)),
        (&s, A, Op::DeregisterDelegatedAdministrator(B)),
        (&d, A, Op::RegisterDelegatedAdministrator(B)),
        (&d, A, Op::DeregisterDelegatedAdministrator(A)),
        (&d, B, Op::DeregisterDelegatedAdministrator(A)),
    ] {
        assert_eq!(
            refusal(&cfg, s, c(caller, op)),
            denied(Exception::AccessDeniedException, Rule::Da1),
            "{caller}: {op}"
        );
    }
}

// DA-1 relaxed: a member registers and deregisters.
#[test]
fn da1_relaxed_lets_member_register_and_deregister() {
    let cfg = relax(&cfg(), &[Rule::Da1]);
    let s = run(&cfg, &mgmt(&[Op::EnableAwsServiceAccess]));
    let registered = ok(&cfg, &s, c(A, Op::RegisterDelegatedAdministrator(B)));
    // The ghost fact behind `registry-changed-only-by-management` records it.
    assert_eq!(
        registered,
        expect(&s, |w| {
            w.delegates = B.bit();
            w.ghost = ghost::REGISTRY_CHANGED_BY_OTHER;
        })
    );
    assert_eq!(
        ok(
            &cfg,
            &registered,
            c(B, Op::DeregisterDelegatedAdministrator(B))
        ),
        expect(&s, |w| w.ghost = ghost::REGISTRY_CHANGED_BY_OTHER)
    );
}

// DA-1: the management account registers and deregisters.
#[test]
fn da1_management_registers_and_deregisters() {
    let cfg = cfg();
    let s = run(&cfg, &instance());
    let registered = ok(&cfg, &s, c(M, Op::RegisterDelegatedAdministrator(A)));
    assert_eq!(registered, expect(&s, |w| w.delegates = A.bit()));
    assert_eq!(
        ok(
            &cfg,
            &registered,
            c(M, Op::DeregisterDelegatedAdministrator(A))
        ),
        expect(&s, |_| {})
    );
}

// ------------------------------------------------------------------------------ DA-2..5

// DA-2: the management account can't be registered.
#[test]
fn da2_registering_management_refused_with_cannot_register_master() {
    let cfg = cfg();
    let s = run(&cfg, &mgmt(&[Op::EnableAwsServiceAccess]));
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::RegisterDelegatedAdministrator(M))),
        violation(
            Reason::CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR,
            Rule::Da2
        )
    );
    let relaxed = relax(&cfg, &[Rule::Da2]);
    let next = ok(&relaxed, &s, c(M, Op::RegisterDelegatedAdministrator(M)));
    assert_eq!(next, expect(&s, |w| w.delegates = M.bit()));
}

// DA-3: a suspended (closed) account can't be registered.
#[test]
fn da3_registering_closed_account_refused_with_cannot_register_suspended() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &mgmt(&[Op::EnableAwsServiceAccess, Op::CloseAccount(A)]),
    );
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::RegisterDelegatedAdministrator(A))),
        violation(
            Reason::CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR,
            Rule::Da3
        )
    );
    let relaxed = relax(&cfg, &[Rule::Da3]);
    let next = ok(&relaxed, &s, c(M, Op::RegisterDelegatedAdministrator(A)));
    assert_eq!(next, expect(&s, |w| w.delegates = A.bit()));
}

// DA-4: registration needs trusted access; it does not need the instance.
#[test]
fn da4_registering_without_trusted_access_refused_with_service_access_not_enabled() {
    let cfg = cfg();
    let s = run(&cfg, &[]);
    let call = c(M, Op::RegisterDelegatedAdministrator(A));
    assert_eq!(
        refusal(&cfg, &s, call),
        violation(Reason::SERVICE_ACCESS_NOT_ENABLED, Rule::Da4)
    );
    let relaxed = relax(&cfg, &[Rule::Da4]);
    assert_eq!(
        ok(&relaxed, &s, call),
        expect(&s, |w| w.delegates = A.bit())
    );
    // Allowed once trusted access is on, by EnableAWSServiceAccess or by EnableIdentityCenter.
    let enabled = run(&cfg, &mgmt(&[Op::EnableAwsServiceAccess]));
    assert_eq!(
        ok(&cfg, &enabled, call),
        expect(&enabled, |w| w.delegates = A.bit())
    );
    assert!(ok(&cfg, &run(&cfg, &instance()), call).is_delegate(A));
    // Refused again once it is disabled.
    let disabled = run(
        &cfg,
        &mgmt(&[Op::EnableIdentityCenter, Op::DisableAwsServiceAccess]),
    );
    assert_eq!(
        refusal(&cfg, &disabled, call),
        violation(Reason::SERVICE_ACCESS_NOT_ENABLED, Rule::Da4)
    );
}

// DA-5: the account to register must be in the organization.
#[test]
fn da5_registering_account_outside_refused_with_account_not_found() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            mgmt(&[Op::EnableAwsServiceAccess]),
            vec![c(A, Op::LeaveOrganization)],
        ]
        .concat(),
    );
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::RegisterDelegatedAdministrator(A))),
        denied(Exception::AccountNotFoundException, Rule::Da5)
    );
    let relaxed = relax(&cfg, &[Rule::Da5]);
    let next = ok(&relaxed, &s, c(M, Op::RegisterDelegatedAdministrator(A)));
    assert_eq!(next, expect(&s, |w| w.delegates = A.bit()));
}

// DA-5: the account to deregister must be in the organization; relaxed, DA-8 decides.
#[test]
fn da5_deregistering_account_outside_refused_with_account_not_found() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            mgmt(&[Op::EnableAwsServiceAccess]),
            vec![c(B, Op::LeaveOrganization)],
        ]
        .concat(),
    );
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::DeregisterDelegatedAdministrator(B))),
        denied(Exception::AccountNotFoundException, Rule::Da5)
    );
    assert_eq!(
        refusal(
            &relax(&cfg, &[Rule::Da5]),
            &s,
            c(M, Op::DeregisterDelegatedAdministrator(B))
        ),
        denied(Exception::AccountNotRegisteredException, Rule::Da8)
    );
    // A delegate that left (ORG-3 relaxed) is deregistered once DA-5 is relaxed too.
    let cfg = relax(&cfg, &[Rule::Org3]);
    let gone = run(
        &cfg,
        &[with_delegate(A), vec![c(A, Op::LeaveOrganization)]].concat(),
    );
    assert_eq!(
        refusal(&cfg, &gone, c(M, Op::DeregisterDelegatedAdministrator(A))),
        denied(Exception::AccountNotFoundException, Rule::Da5)
    );
    let relaxed = relax(&cfg, &[Rule::Da5]);
    let next = ok(
        &relaxed,
        &gone,
        c(M, Op::DeregisterDelegatedAdministrator(A)),
    );
    assert_eq!(next, expect(&gone, |w| w.delegates = 0));
}

// ------------------------------------------------------------------------------ DA-6..8

// DA-6: registering the delegate again; relaxing DA-6 changes nothing (the registry is a set).
#[test]
fn da6_registering_delegate_again_refused_with_account_already_registered() {
    let cfg = cfg();
    let s = run(&cfg, &with_delegate(A));
    let want = denied(Exception::AccountAlreadyRegisteredException, Rule::Da6);
    let call = c(M, Op::RegisterDelegatedAdministrator(A));
    assert_eq!(refusal(&cfg, &s, call), want);
    assert_eq!(refusal(&relax(&cfg, &[Rule::Da6]), &s, call), want);
    // DA-6 is checked before DA-7, also when DA-7 is relaxed.
    assert_eq!(refusal(&relax(&cfg, &[Rule::Da7]), &s, call), want);
}

// DA-7 / Q1 delegated-admin-exists (default): a second delegate is refused.
#[test]
fn da7_second_delegate_refused_with_delegated_admin_exists() {
    let cfg = cfg();
    assert_eq!(
        cfg.assumptions.second_delegate_error,
        SecondDelegateError::DelegatedAdminExists
    );
    let s = run(&cfg, &with_delegate(A));
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::RegisterDelegatedAdministrator(B))),
        violation(
            Reason::DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE,
            Rule::Da7
        )
    );
}

// DA-7 / Q1 account-already-registered: the other error.
#[test]
fn da7_second_delegate_refused_with_account_already_registered_under_q1() {
    let mut cfg = cfg();
    cfg.assumptions.second_delegate_error = SecondDelegateError::AccountAlreadyRegistered;
    let s = run(&cfg, &with_delegate(A));
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::RegisterDelegatedAdministrator(B))),
        denied(Exception::AccountAlreadyRegisteredException, Rule::Da7)
    );
}

// DA-7 relaxed: two delegates; DA-7 allows a new one after deregistration.
#[test]
fn da7_relaxed_registers_second_delegate() {
    let cfg = cfg();
    let s = run(&cfg, &with_delegate(A));
    let relaxed = relax(&cfg, &[Rule::Da7]);
    let next = ok(&relaxed, &s, c(M, Op::RegisterDelegatedAdministrator(B)));
    assert_eq!(next, expect(&s, |w| w.delegates = A.bit() | B.bit()));
    let swapped = run_from(
        &cfg,
        &s,
        &mgmt(&[
            Op::DeregisterDelegatedAdministrator(A),
            Op::RegisterDelegatedAdministrator(B),
        ]),
    );
    assert_eq!(swapped, expect(&s, |w| w.delegates = B.bit()));
}

// DA-8: only the registered account can be deregistered; relaxing DA-8 changes nothing.
#[test]
fn da8_deregistering_unregistered_account_refused_with_account_not_registered() {
    let cfg = cfg();
    let want = denied(Exception::AccountNotRegisteredException, Rule::Da8);
    let s = run(&cfg, &mgmt(&[Op::EnableAwsServiceAccess]));
    let call = c(M, Op::DeregisterDelegatedAdministrator(A));
    assert_eq!(refusal(&cfg, &s, call), want);
    assert_eq!(refusal(&relax(&cfg, &[Rule::Da8]), &s, call), want);
    let d = run(&cfg, &with_delegate(A));
    assert_eq!(
        refusal(&cfg, &d, c(M, Op::DeregisterDelegatedAdministrator(B))),
        want
    );
}

// --------------------------------------------------------------------------------- DA-9

// DA-9: with AD as identity source, registration needs configurable AD sync (model 3:
// Organizations answers ConstraintViolationException, its reason undocumented).
#[test]
fn da9_registering_with_ad_source_without_sync_refused_with_constraint_violation() {
    let cfg = cfg();
    let s = run(&cfg, &ad_in_management());
    assert!(!s.ad_sync);
    let call = c(M, Op::RegisterDelegatedAdministrator(A));
    assert_eq!(
        refusal(&cfg, &s, call),
        denied(Exception::ConstraintViolationException, Rule::Da9)
    );
    let relaxed = relax(&cfg, &[Rule::Da9]);
    assert_eq!(
        ok(&relaxed, &s, call),
        expect(&s, |w| w.delegates = A.bit())
    );
}

// DA-9: with configurable AD sync on, registration is allowed.
#[test]
fn da9_registering_with_ad_source_and_sync_allowed() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[ad_in_management(), mgmt(&[Op::EnableConfigurableAdSync])].concat(),
    );
    let call = c(M, Op::RegisterDelegatedAdministrator(A));
    assert_eq!(ok(&cfg, &s, call), expect(&s, |w| w.delegates = A.bit()));
    // A1 on: the sync is on as soon as the directory is connected.
    let mut on = cfg;
    on.assumptions.ad_sync_on_connect = AdSyncOnConnect::On;
    let s = run(&on, &ad_in_management());
    assert!(s.ad_sync);
    assert!(ok(&on, &s, call).is_delegate(A));
}

// --------------------------------------------------------------------------- SRC-2 / Q4

// SRC-2 / Q4 also-registration (and everywhere): registering an account that does not own
// the AD directory in use is refused.
#[test]
// (Model 3: Organizations answers ConstraintViolationException with no reason.)
fn q4_src2_at_registration_refused_with_constraint_violation() {
    for at in [Src2EnforcedAt::AlsoRegistration, Src2EnforcedAt::Everywhere] {
        let mut cfg = cfg();
        cfg.assumptions.src2_enforced_at = at;
        let s = run(
            &cfg,
            &[ad_in_management(), mgmt(&[Op::EnableConfigurableAdSync])].concat(),
        );
        let call = c(M, Op::RegisterDelegatedAdministrator(A));
        assert_eq!(
            refusal(&cfg, &s, call),
            denied(Exception::ConstraintViolationException, Rule::Src2),
            "{at}"
        );
        let relaxed = relax(&cfg, &[Rule::Src2]);
        assert!(ok(&relaxed, &s, call).is_delegate(A), "{at}");
    }
    // Not checked at registration under source-change and also-deregistration.
    for at in [
        Src2EnforcedAt::SourceChange,
        Src2EnforcedAt::AlsoDeregistration,
    ] {
        let mut cfg = cfg();
        cfg.assumptions.src2_enforced_at = at;
        let s = run(
            &cfg,
            &[ad_in_management(), mgmt(&[Op::EnableConfigurableAdSync])].concat(),
        );
        assert!(ok(&cfg, &s, c(M, Op::RegisterDelegatedAdministrator(A))).is_delegate(A));
    }
}

// SRC-2 / Q4 also-registration: registering the directory's owner is allowed.
#[test]
fn q4_src2_at_registration_allows_directory_owner() {
    let mut cfg = cfg();
    cfg.assumptions.src2_enforced_at = Src2EnforcedAt::AlsoRegistration;
    let s = run(
        &cfg,
        &[
            with_delegate(A),
            vec![
                c(A, Op::CreateMicrosoftAd),
                c(A, Op::ChangeIdentitySource(ad(A))),
                c(A, Op::EnableConfigurableAdSync),
                c(M, Op::DeregisterDelegatedAdministrator(A)),
            ],
        ]
        .concat(),
    );
    let next = ok(&cfg, &s, c(M, Op::RegisterDelegatedAdministrator(A)));
    assert_eq!(next, expect(&s, |w| w.delegates = A.bit()));
}

// SRC-2 / Q4 also-deregistration (and everywhere): deregistering the owner of the AD
// directory in use is refused (afterwards the directory would have to be the management
// account's).
#[test]
// (Model 3: Organizations answers ConstraintViolationException with no reason.)
fn q4_src2_at_deregistration_refused_with_constraint_violation() {
    for at in [
        Src2EnforcedAt::AlsoDeregistration,
        Src2EnforcedAt::Everywhere,
    ] {
        let mut cfg = cfg();
        cfg.assumptions.src2_enforced_at = at;
        let s = run(&cfg, &ad_in_delegate());
        let call = c(M, Op::DeregisterDelegatedAdministrator(A));
        assert_eq!(
            refusal(&cfg, &s, call),
            denied(Exception::ConstraintViolationException, Rule::Src2),
            "{at}"
        );
        let relaxed = relax(&cfg, &[Rule::Src2]);
        assert_eq!(
            ok(&relaxed, &s, call),
            expect(&s, |w| w.delegates = 0),
            "{at}"
        );
    }
    // Under source-change (concrete) and also-registration, only the registry changes:
    // the directory keeps its (now wrong) owner (hazard b).
    for at in [
        Src2EnforcedAt::SourceChange,
        Src2EnforcedAt::AlsoRegistration,
    ] {
        let mut cfg = cfg();
        cfg.assumptions.src2_enforced_at = at;
        let s = run(&cfg, &ad_in_delegate());
        let next = ok(&cfg, &s, c(M, Op::DeregisterDelegatedAdministrator(A)));
        assert_eq!(next, expect(&s, |w| w.delegates = 0), "{at}");
        assert_eq!(next.source, ad(A));
    }
}

// SRC-2 / Q4 also-deregistration: deregistering is allowed when the directory in use is
// the management account's.
#[test]
fn q4_src2_at_deregistration_allows_management_directory() {
    let mut cfg = cfg();
    cfg.assumptions.src2_enforced_at = Src2EnforcedAt::AlsoDeregistration;
    let s = run(
        &cfg,
        &[
            ad_in_management(),
            mgmt(&[
                Op::EnableConfigurableAdSync,
                Op::RegisterDelegatedAdministrator(A),
            ]),
        ]
        .concat(),
    );
    let next = ok(&cfg, &s, c(M, Op::DeregisterDelegatedAdministrator(A)));
    assert_eq!(next, expect(&s, |w| w.delegates = 0));
}

// -------------------------------------------------------------------------------- DA-10

// DA-10: deregistration changes only the registry: every user, group, membership,
// permission set, provisioning and assignment stays, and the ghost bit
// DEREGISTRATION_CHANGED_ACCESS stays clear.
// (SRC-6: with the delegate's AD directory as the source, the users, groups and memberships
// are made in the directory by its owner, not through the identity store.)
#[test]
fn da10_deregistration_changes_only_the_registry() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            ad_in_delegate(),
            vec![c(A, Op::EnableConfigurableAdSync)],
            directory_identities(A),
            vec![
                c(A, Op::DirectoryAddGroupMember(G0, U0)),
                c(A, Op::DirectoryAddGroupMember(G1, U1)),
            ],
            mgmt(&[
                Op::CreatePermissionSet(P0),
                Op::CreatePermissionSet(P1),
                assign(M, P0, user(U0)),
                assign(M, P0, group(G1)),
            ]),
            vec![
                c(A, assign(A, P1, group(G0))),
                c(A, assign(B, P1, user(U1))),
                c(A, Op::UpdatePermissionSet(P1)),
            ],
        ]
        .concat(),
    );
    assert_eq!(effective_access(&s, M), U0.bit() | U1.bit());
    assert_eq!(effective_access(&s, B), U1.bit());
    let next = ok(&cfg, &s, c(M, Op::DeregisterDelegatedAdministrator(A)));
    assert_eq!(next, expect(&s, |w| w.delegates = 0));
    assert_eq!(next.ghost & ghost::DEREGISTRATION_CHANGED_ACCESS, 0);
    for a in 0..=cfg.members {
        assert_eq!(
            effective_access(&next, Acct(a)),
            effective_access(&s, Acct(a)),
            "{}",
            Acct(a)
        );
    }
}

// --------------------------------------------------------------------------------- Q1

// DA-7 / Q1 limit-exceeded: the error observed for AWS Config.
#[test]
fn da7_second_delegate_refused_with_limit_exceeded_under_q1() {
    let mut cfg = cfg();
    cfg.assumptions.second_delegate_error = SecondDelegateError::LimitExceeded;
    let s = run(&cfg, &with_delegate(A));
    assert_eq!(
        refusal(&cfg, &s, c(M, Op::RegisterDelegatedAdministrator(B))),
        violation(
            Reason::MAX_DELEGATED_ADMINISTRATORS_FOR_SERVICE_LIMIT_EXCEEDED,
            Rule::Da7
        )
    );
}
