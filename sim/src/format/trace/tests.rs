//! Round trips and error messages of trace files.

use super::*;
use crate::engine::trace::{Claim, Expect, Trace, TraceStep};
use idc_model::calls::all_calls;
use idc_model::{Branch, Config, Exception, Practice, Reason, Refusal, Rule};
use proptest::prelude::*;

fn err(text: &str) -> String {
    parse(text).unwrap_err().to_string()
}

const HEAD: &str = r#""format": "idc-trace", "version": 2"#;

#[test]
fn a_minimal_hand_written_trace_parses_with_defaults() {
    let t = parse(&format!(
            r#"{{{HEAD}, "steps": [
                {{"caller": "management", "call": "EnableIdentityCenter"}},
                {{"caller": "management", "call": "RegisterDelegatedAdministrator", "params": {{"AccountId": "member-1"}}}}
            ]}}"#
        ))
        .unwrap();
    assert_eq!(t.config, Config::default());
    assert_eq!(t.claim, None);
    assert_eq!(t.steps.len(), 2);
    assert_eq!(
        t.steps[1].call.to_string(),
        "management: RegisterDelegatedAdministrator(AccountId=member-1)"
    );
    assert_eq!(t.steps[1].expect, None);
}

#[test]
fn bad_inputs_name_their_place() {
    assert_eq!(
        err(""),
        "empty file, expected a JSON trace (see docs/trace-format.md)"
    );
    assert_eq!(err("{"), "line 1, column 1: EOF while parsing an object");
    assert_eq!(
        err("[]"),
        "not an idc trace: the document is not a JSON object"
    );
    assert_eq!(
        err(r#"{"format": "idc-trace", "version": 3, "steps": []}"#),
        "unknown format version 3 (this idc reads version 2)"
    );
    assert!(err(r#"{"format": "idc-trace", "version": 1, "steps": []}"#)
        .contains("call it EnableIdentityCenter"));
    assert_eq!(
        err(r#"{"version": 1, "steps": []}"#),
        "not an idc trace: no \"format\": \"idc-trace\" field"
    );
    assert_eq!(
            err(&format!("{{{HEAD},\n \"stepz\": []}}")),
            "line 2, column 8: unknown field `stepz`, expected one of `format`, `version`, `model`, `description`, `config`, `accounts`, `from`, `claim`, `steps`"
        );
    assert_eq!(
        err(&format!(
            r#"{{{HEAD}, "steps": [{{"caller": "management", "call": "Frobnicate"}}]}}"#
        )),
        format!(
            "step 1: unknown call 'Frobnicate' (known calls: {})",
            idc_model::call::SIGNATURES
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", ")
        )
    );
    assert_eq!(
        err(&format!(
            r#"{{{HEAD}, "steps": [{{"caller": "management", "call": "EnableIdentityCenter"}}, {{"caller": "management", "call": "RegisterDelegatedAdministrator", "params": {{"AccountId": "member-99"}}}}]}}"#
        )),
        "step 2: member-99 is beyond the configuration (2 member accounts)"
    );
    assert_eq!(
            err(&format!(r#"{{{HEAD}, "steps": [{{"caller": "member-1", "call": "RegisterDelegatedAdministrator"}}]}}"#)),
            "step 1: RegisterDelegatedAdministrator needs parameter 'AccountId' (its parameters: AccountId)"
        );
    assert_eq!(
        err(&format!(
            r#"{{{HEAD}, "config": {{"members": 9}}, "steps": []}}"#
        )),
        "config: members must be between 1 and 6, got 9"
    );
    assert_eq!(
            err(&format!(r#"{{{HEAD}, "config": {{"assumptions": {{"close-delegate": "maybe"}}}}, "steps": []}}"#)),
            "config: assumption 'close-delegate' has no value 'maybe' (values: either, refused, keeps-registration, deregisters)"
        );
    assert_eq!(
        err(&format!(
            r#"{{{HEAD}, "claim": {{"property": "nope", "step": 0}}, "steps": []}}"#
        )),
        "claim: unknown property 'nope' (see 'idc rules'; a claim about your own property gives its \"expression\")"
    );
    // A claim about your own property: its expression, compiled against the configuration.
    assert_eq!(
        err(&format!(
            r#"{{{HEAD}, "claim": {{"property": "mine", "verdict": "violated", "step": 0, "expression": "delegate =="}}, "steps": []}}"#
        )),
        "claim: expression: column 12: expected an account after `==`, found end of input"
    );
    assert_eq!(
        err(&format!(
            r#"{{{HEAD}, "claim": {{"property": "mine", "step": 0, "expression": "true"}}, "steps": []}}"#
        )),
        "claim: a claim with an \"expression\" needs \"verdict\": \"violated\" (an invariant) or \"example\" (reachable)"
    );
    assert_eq!(
        err(&format!(
            r#"{{{HEAD}, "claim": {{"property": "ad-sync-on-while-delegated", "verdict": "violated", "step": 0, "expression": "true"}}, "steps": []}}"#
        )),
        "claim: 'ad-sync-on-while-delegated' is a built-in property: a claim about it has no \"expression\""
    );
    assert_eq!(
        err(&format!(
            r#"{{{HEAD}, "from": [{{"caller": "member-9", "call": "CreateMicrosoftAD"}}], "steps": []}}"#
        ))
        .split(':')
        .next(),
        Some("from, step 1")
    );
    assert_eq!(
            err(&format!(r#"{{{HEAD}, "claim": {{"property": "at-most-one-delegated-admin", "verdict": "example", "step": 0}}, "steps": []}}"#)),
            "claim: 'example' is not a claim about the always property 'at-most-one-delegated-admin' (use violated)"
        );
    assert_eq!(
        err(&format!(
            r#"{{{HEAD}, "claim": {{"property": "at-most-one-delegated-admin", "step": 3}}, "steps": []}}"#
        )),
        "claim: step 3 is beyond the trace's 0 steps"
    );
    assert_eq!(
            err(&format!(r#"{{{HEAD}, "steps": [{{"caller": "management", "call": "EnableIdentityCenter", "expect": "fine"}}]}}"#)),
            "step 1: expect must be \"ok\", \"refused\", {\"error\": ..., \"reason\": ...} or {\"not_made\": ...}, got \"fine\""
        );
    assert_eq!(
        err(&format!(
            r#"{{{HEAD}, "steps": [{{"caller": "management", "call": "EnableIdentityCenter", "expect": {{"error": "Oops"}}}}]}}"#
        )),
        "step 1: unknown error 'Oops'"
    );
    assert_eq!(
            err(&format!(
                r#"{{{HEAD}, "steps": [{{"caller": "management", "call": "EnableIdentityCenter", "branch": {{"close-delegate": "maybe"}}}}]}}"#
            )),
            "step 1: branch: assumption 'close-delegate' has no reading 'maybe' (readings: refused, keeps-registration, deregisters)"
        );
}

#[test]
fn expectations_match_outcomes() {
    let refusal = Refusal::Api {
        error: idc_model::ApiError::constraint(Reason::SERVICE_ACCESS_NOT_ENABLED),
        rule: Some(Rule::Da4),
    };
    let exact = Expect::of(&Err(refusal));
    assert!(exact.matches(&Err(refusal)));
    assert!(!exact.matches(&Ok(())));
    let loose = Expect::Error {
        exception: Exception::ConstraintViolationException,
        reason: None,
        rule: None,
    };
    assert!(loose.matches(&Err(refusal)));
    let wrong_rule = Expect::Error {
        exception: Exception::ConstraintViolationException,
        reason: None,
        rule: Some(Rule::Da7),
    };
    assert!(!wrong_rule.matches(&Err(refusal)));
    assert_eq!(
        exact.to_string(),
        "ConstraintViolationException (SERVICE_ACCESS_NOT_ENABLED) [DA-4]"
    );
    assert!(Expect::Ok.matches(&Ok(())));
}

fn arb_config() -> impl Strategy<Value = Config> {
    (
        1u8..=6,
        1u8..=4,
        1u8..=4,
        1u8..=4,
        any::<u64>(),
        any::<u64>(),
    )
        .prop_map(|(m, u, g, p, bits, rules)| {
            let mut cfg = Config {
                members: m,
                users: u,
                groups: g,
                permission_sets: p,
                ..Config::default()
            };
            for (i, a) in Config::default().assumptions.describe().iter().enumerate() {
                let v = a.values[(bits >> (i * 3)) as usize % a.values.len()];
                cfg.assumptions.set(&format!("{}={v}", a.key)).unwrap();
            }
            for (i, p) in Practice::ALL.iter().enumerate() {
                if bits >> (40 + i) & 1 == 1 {
                    cfg.practices.insert(*p);
                }
            }
            for (i, r) in Rule::ALL.iter().enumerate() {
                if rules >> i & 1 == 1 && r.relaxable() {
                    cfg.relaxed.insert(*r);
                }
            }
            cfg
        })
}

fn arb_expect() -> impl Strategy<Value = Option<Expect>> {
    (0usize..4, 0usize..64, 0usize..64, 0usize..64).prop_map(|(kind, e, r, q)| match kind {
        0 => None,
        1 => Some(Expect::Ok),
        2 => Some(Expect::Error {
            exception: Exception::ALL[e % Exception::ALL.len()],
            reason: (r % 2 == 0).then(|| Reason::ALL[r % Reason::ALL.len()]),
            rule: (q % 3 != 0).then(|| Rule::ALL[q % Rule::ALL.len()]),
        }),
        _ => Some(Expect::NotMade(Practice::ALL[e % Practice::ALL.len()])),
    })
}

fn arb_branch() -> impl Strategy<Value = Option<Branch>> {
    proptest::option::of(
        prop::collection::vec((0usize..7, 0u8..4), 0..3).prop_map(|picks| {
            picks.into_iter().fold(Branch::NONE, |b, (d, r)| {
                let d = idc_model::Decision::ALL[d];
                b.with(d, r % d.readings().len() as u8)
            })
        }),
    )
    .prop_map(|b| b.filter(|b| !b.is_none()))
}

fn arb_trace() -> impl Strategy<Value = Trace> {
    arb_config().prop_flat_map(|cfg| {
        let calls = all_calls(&cfg);
        let n = calls.len();
        (
            Just(cfg),
            prop::collection::vec(
                (
                    0..n,
                    arb_branch(),
                    arb_expect(),
                    proptest::option::of(".{0,20}"),
                ),
                0..30,
            ),
            any::<Option<(prop::sample::Index, prop::sample::Index)>>(),
            proptest::option::of(".{0,40}"),
            proptest::option::of(1u32..5),
        )
            .prop_map(move |(cfg, steps, claim, description, model)| {
                let steps: Vec<TraceStep> = steps
                    .into_iter()
                    .map(|(i, branch, expect, note)| TraceStep {
                        call: calls[i],
                        branch,
                        expect,
                        note,
                    })
                    .collect();
                let claim = claim.and_then(|(p, s)| {
                    Claim::builtin(
                        idc_model::PROPERTIES[p.index(idc_model::PROPERTIES.len())].name,
                        s.index(steps.len() + 1),
                    )
                });
                // Some traces start from the end of others.
                let from = if steps.len() % 3 == 1 {
                    steps[..steps.len() / 2].to_vec()
                } else {
                    Vec::new()
                };
                Trace {
                    description,
                    model,
                    config: cfg,
                    from,
                    claim,
                    steps,
                    names: Default::default(),
                }
            })
    })
}

proptest! {
    /// Writing a trace and reading it back gives the same trace.
    #[test]
    fn write_then_read_is_identity(trace in arb_trace()) {
        let text = to_json(&trace);
        let back = parse(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(back, trace);
    }

    /// Any text gives a trace or an error, never a panic.
    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}") {
        let _ = parse(&text);
    }
}
