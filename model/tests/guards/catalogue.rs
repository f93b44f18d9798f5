//! Every rule of the catalogue, at a glance: its example is refused by that rule, and
//! relaxing the rule lets the call through.

use crate::common::*;

// ---------------------------------------------------------------- every rule, at a glance

/// One call each rule's guard refuses: the configuration, the calls that build the state,
/// the call. `None` for the rules the model implements as effects or not at all.
fn refused_example(rule: Rule) -> Option<(Config, Vec<Call>, Call)> {
    let cfg = cfg();
    let enable = mgmt(&[Op::EnableAwsServiceAccess]);
    Some(match rule {
        Rule::Org1 => (
            cfg,
            vec![c(A, Op::LeaveOrganization)],
            c(A, Op::LeaveOrganization),
        ),
        Rule::Org2 => (cfg, vec![], c(M, Op::LeaveOrganization)),
        Rule::Org3 => (cfg, with_delegate(A), c(A, Op::LeaveOrganization)),
        Rule::Org4 => (
            cfg,
            [instance(), identities(), vec![c(B, Op::LeaveOrganization)]].concat(),
            c(M, assign(B, P0, user(U0))),
        ),
        Rule::Org5 => (cfg, vec![], c(A, Op::EnableAwsServiceAccess)),
        Rule::Da1 => (cfg, enable, c(A, Op::RegisterDelegatedAdministrator(B))),
        Rule::Da2 => (cfg, enable, c(M, Op::RegisterDelegatedAdministrator(M))),
        Rule::Da3 => (
            cfg,
            mgmt(&[Op::EnableAwsServiceAccess, Op::CloseAccount(A)]),
            c(M, Op::RegisterDelegatedAdministrator(A)),
        ),
        Rule::Da4 => (cfg, vec![], c(M, Op::RegisterDelegatedAdministrator(A))),
        Rule::Da5 => (
            cfg,
            [enable, vec![c(A, Op::LeaveOrganization)]].concat(),
            c(M, Op::RegisterDelegatedAdministrator(A)),
        ),
        Rule::Da6 => (
            cfg,
            with_delegate(A),
            c(M, Op::RegisterDelegatedAdministrator(A)),
        ),
        Rule::Da7 => (
            cfg,
            with_delegate(A),
            c(M, Op::RegisterDelegatedAdministrator(B)),
        ),
        Rule::Da8 => (cfg, enable, c(M, Op::DeregisterDelegatedAdministrator(A))),
        Rule::Da9 => (
            cfg,
            mgmt(&[
                Op::EnableIdentityCenter,
                Op::CreateMicrosoftAd,
                Op::ChangeIdentitySource(ad(M)),
            ]),
            c(M, Op::RegisterDelegatedAdministrator(A)),
        ),
        Rule::Idc1 => (cfg, vec![], c(A, Op::EnableIdentityCenter)),
        Rule::Idc1a => (cfg, vec![], c(M, Op::CreateInstance)),
        Rule::Idc2 => (cfg, ps_in_management(), c(A, Op::UpdatePermissionSet(P0))),
        Rule::Idc4 => (cfg, instance(), c(B, Op::CreateUser(U0))),
        Rule::Idc5 => (cfg, ps_in_management(), c(A, assign(B, P0, user(U0)))),
        Rule::Idc9 => (
            cfg,
            [instance(), identities(), mgmt(&[provision(P0, A)])].concat(),
            c(M, Op::DeletePermissionSet(P0)),
        ),
        Rule::Idc10 => (
            cfg,
            [
                instance(),
                identities(),
                mgmt(&[Op::DisableAwsServiceAccess]),
            ]
            .concat(),
            c(M, assign(A, P0, user(U0))),
        ),
        Rule::Src2 => (
            cfg,
            [instance(), vec![c(A, Op::CreateMicrosoftAd)]].concat(),
            c(M, Op::ChangeIdentitySource(ad(A))),
        ),
        Rule::Src6 => (cfg, ad_in_management(), c(M, Op::CreateUser(U0))),
        Rule::Org6
        | Rule::Da10
        | Rule::Idc3
        | Rule::Idc6
        | Rule::Idc7
        | Rule::Idc8
        | Rule::Src1
        | Rule::Src3
        | Rule::Src4
        | Rule::Src5
        | Rule::Src7
        | Rule::Src8 => return None,
    })
}

// Every rule of the catalogue that the model implements as a guard: its example is refused
// by that rule; relaxing the rule lets the call through, except DA-6 and DA-8 (fixed
// guards: the registry's own set semantics), which can't be relaxed. The other rules
// (effects, not modelled) have no example and are not relaxable.
#[test]
fn every_rule_refuses_its_example_and_relaxing_it_lets_the_call_through() {
    let mut guards = 0;
    for &rule in Rule::ALL {
        let Some((cfg, setup, call)) = refused_example(rule) else {
            assert!(
                matches!(
                    rule.implementation(),
                    Implementation::Effect | Implementation::NotModelled
                ),
                "{rule} is a guard: give it an example"
            );
            assert!(!rule.relaxable(), "{rule}");
            continue;
        };
        guards += 1;
        let s = run(&cfg, &setup);
        let strict = refusal(&cfg, &s, call);
        assert!(
            matches!(strict, Refusal::Api { rule: Some(r), .. } if r == rule),
            "{rule}: `{call}` refused by {strict:?}"
        );
        let relaxed = relax(&cfg, &[rule]);
        if rule.relaxable() {
            assert_eq!(rule.implementation(), Implementation::Guard, "{rule}");
            let out = step(&relaxed, &s, call);
            assert!(out.is_ok(), "{rule} relaxed: `{call}` gives {out:?}");
        } else {
            assert_eq!(rule.implementation(), Implementation::Fixed, "{rule}");
            assert!(matches!(rule, Rule::Da6 | Rule::Da8), "{rule}");
            assert_eq!(step(&relaxed, &s, call), Err(strict), "{rule}");
        }
    }
    assert_eq!(
        guards, 23,
        "ORG-1..5, DA-1..9, IDC-1, 1a, 2, 4, 5, 9, 10, SRC-2, SRC-6"
    );
}
