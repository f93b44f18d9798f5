//! `idc replay`: re-execute a trace from the initial state of its configuration, confirm
//! each step's expected outcome and the claim, and say where it first diverges.

use std::fmt::Write as _;

use serde::Serialize;

use idc_model::properties::{property, Kind};
use idc_model::{ConfigError, IdcModel};

use crate::render;
use crate::report::{ConfigView, StepView};
use crate::run::{judge, run};
use crate::trace::{Claim, Trace};

/// One replayed step: what happened, and what the trace expected.
#[derive(Clone, Debug, Serialize)]
pub struct ReplayStep {
    /// The step as it ran (caller, call, outcome, changes, failing properties).
    #[serde(flatten)]
    pub step: StepView,
    /// The expected outcome, as the trace states it (absent when the trace states none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<serde_json::Value>,
    /// Whether the outcome met the expectation (absent when there is none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub as_expected: Option<bool>,
    /// How the outcome differs from the expected one (absent when it does not).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mismatch: Option<String>,
    /// The trace's note on the step, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The claim of a trace and whether it reproduced.
#[derive(Clone, Debug, Serialize)]
pub struct ClaimView {
    /// The property.
    pub property: &'static str,
    /// Its rule ids.
    pub rules: &'static [&'static str],
    /// `violated` or `example`.
    pub verdict: &'static str,
    /// The step after which it is claimed (0: the initial state).
    pub step: usize,
    /// Whether the property is indeed violated (or exemplified) after that step.
    pub reproduced: bool,
}

impl ClaimView {
    /// The claim it reports on.
    pub fn claim(&self) -> Claim {
        Claim {
            property: self.property,
            step: self.step,
        }
    }
}

/// The first place where a replay disagrees with its trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Divergence {
    /// The step (1-based; for a claim, the claimed step, which may be 0).
    pub step: usize,
    /// Why, in one line.
    pub reason: String,
}

/// The replay of one trace file.
#[derive(Clone, Debug, Serialize)]
pub struct ReplayReport {
    /// The file, as named on the command line.
    pub file: String,
    /// The trace's description, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The configuration it ran under.
    pub config: ConfigView,
    /// The claim, if the trace makes one.
    pub claim: Option<ClaimView>,
    /// Every step.
    pub steps: Vec<ReplayStep>,
    /// `reproduced` or `diverged`.
    pub result: &'static str,
    /// The first divergence, if any.
    pub divergence: Option<Divergence>,
}

impl ReplayReport {
    /// Whether every expected outcome and the claim reproduced.
    pub fn reproduced(&self) -> bool {
        self.divergence.is_none()
    }
}

/// Replays a trace. `file` labels the report.
pub fn replay(file: &str, trace: &Trace) -> Result<ReplayReport, ConfigError> {
    let model = IdcModel::new(trace.config)?;
    let (records, _) = run(&model, &trace.calls());
    let views = StepView::of_run(&records);
    let mut divergence = None;
    let mut steps = Vec::with_capacity(views.len());
    for ((view, record), ts) in views.into_iter().zip(&records).zip(&trace.steps) {
        let as_expected = ts.expect.map(|e| e.matches(&record.outcome));
        let mismatch = match ts.expect {
            Some(e) if as_expected == Some(false) => {
                Some(format!("expected {e}, got {}", view.outcome))
            }
            _ => None,
        };
        if let (Some(reason), None) = (&mismatch, &divergence) {
            divergence = Some(Divergence {
                step: view.step,
                reason: reason.clone(),
            });
        }
        steps.push(ReplayStep {
            step: view,
            expected: ts.expect.map(|e| e.to_value()),
            as_expected,
            mismatch,
            note: ts.note.clone(),
        });
    }
    let claim = trace.claim.map(|c| {
        let reproduced = claim_holds(&model, &records, c);
        if !reproduced && divergence.is_none() {
            let what = match property(c.property).map(|p| p.kind) {
                Some(Kind::Sometimes) => "does not hold",
                _ => "holds",
            };
            divergence = Some(Divergence {
                step: c.step,
                reason: format!(
                    "the claim does not reproduce: {} {what} after step {}",
                    c.property, c.step
                ),
            });
        }
        ClaimView {
            property: c.property,
            rules: property(c.property).map_or(&[], |p| p.rules),
            verdict: c.verdict(),
            step: c.step,
            reproduced,
        }
    });
    Ok(ReplayReport {
        file: file.to_string(),
        description: trace.description.clone(),
        config: ConfigView::of(&trace.config),
        claim,
        steps,
        result: if divergence.is_none() {
            "reproduced"
        } else {
            "diverged"
        },
        divergence,
    })
}

/// Whether the claimed property is violated (always) or exemplified (sometimes) after the
/// claimed step.
fn claim_holds(model: &IdcModel, records: &[crate::run::StepRecord], c: Claim) -> bool {
    let (failing, exemplified) = match c.step {
        0 => judge(model, &model.initial()),
        n => match records.get(n - 1) {
            Some(r) => (r.failing.clone(), r.exemplified.clone()),
            None => return false,
        },
    };
    match property(c.property).map(|p| p.kind) {
        Some(Kind::Always) => failing.contains(&c.property),
        Some(Kind::Sometimes) => exemplified.contains(&c.property),
        None => false,
    }
}

/// The human rendering of a replay.
pub fn render(r: &ReplayReport) -> String {
    let mut out = String::new();
    render::header(&mut out, &format!("idc replay: {}", r.file), &r.config);
    if let Some(d) = &r.description {
        let _ = writeln!(out, "  description    {d}");
    }
    if let Some(c) = &r.claim {
        let _ = writeln!(
            out,
            "  claim          {} [{}]",
            c.claim(),
            c.rules.join(", ")
        );
    }
    let _ = writeln!(out);
    if r.steps.is_empty() {
        let _ = writeln!(out, "  (no steps: the initial state)");
    }
    for s in &r.steps {
        if let Some(n) = &s.note {
            let _ = writeln!(out, "      # {n}");
        }
        render::step(&mut out, &s.step);
        if let Some(m) = &s.mismatch {
            let _ = writeln!(out, "          !! {m}");
        }
        if !s.step.failing.is_empty() {
            let _ = writeln!(
                out,
                "          failing after it: {}",
                s.step.failing.join(", ")
            );
        }
    }
    let expected = r.steps.iter().filter(|s| s.as_expected.is_some()).count();
    let _ = match &r.divergence {
        None => {
            let claim = r
                .claim
                .as_ref()
                .map(|c| format!("; {}", c.claim()))
                .unwrap_or_default();
            let outcomes = match expected {
                0 => "no expected outcomes stated".to_string(),
                1 => "1 expected outcome met".to_string(),
                n => format!("{n} expected outcomes met"),
            };
            writeln!(
                out,
                "result: reproduced ({} step{}, {outcomes}{claim})",
                r.steps.len(),
                if r.steps.len() == 1 { "" } else { "s" },
            )
        }
        Some(d) => writeln!(out, "result: DIVERGED at step {}: {}", d.step, d.reason),
    };
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::{Expect, TraceStep};
    use idc_model::calls::all_calls;
    use idc_model::{Acct, Call, Config, Op};
    use proptest::prelude::*;

    fn register_trace() -> Trace {
        let m = Acct::MANAGEMENT;
        Trace {
            description: None,
            config: Config::default(),
            claim: None,
            steps: vec![
                TraceStep {
                    call: Call {
                        caller: m,
                        op: Op::CreateInstance,
                    },
                    expect: Some(Expect::Ok),
                    note: None,
                },
                TraceStep {
                    call: Call {
                        caller: Acct(1),
                        op: Op::RegisterDelegatedAdministrator(Acct(2)),
                    },
                    expect: Some(Expect::Ok),
                    note: None,
                },
            ],
        }
    }

    #[test]
    fn a_changed_expectation_diverges_at_its_step() {
        let r = replay("t.json", &register_trace()).unwrap();
        assert_eq!(
            r.divergence,
            Some(Divergence {
                step: 2,
                reason: "expected ok, got AccessDeniedException [DA-1]".into()
            })
        );
        assert!(render(&r)
            .contains("result: DIVERGED at step 2: expected ok, got AccessDeniedException [DA-1]"));
    }

    #[test]
    fn a_claim_that_does_not_hold_diverges() {
        let mut t = register_trace();
        t.steps[1].expect = None;
        t.claim = Some(Claim {
            property: "at-most-one-delegated-admin",
            step: 2,
        });
        let r = replay("t.json", &t).unwrap();
        assert_eq!(
            r.divergence.unwrap().reason,
            "the claim does not reproduce: at-most-one-delegated-admin holds after step 2"
        );
    }

    proptest! {
        /// Any generated trace replays to the outcomes the model gave when it was generated.
        #[test]
        fn generated_traces_replay_to_their_outcomes(
            members in 1u8..=3,
            picks in prop::collection::vec(any::<prop::sample::Index>(), 0..40),
        ) {
            let cfg = Config { members, ..Config::default() };
            let model = IdcModel::new(cfg).unwrap();
            let universe = all_calls(&cfg);
            let calls: Vec<Call> = picks.iter().map(|i| universe[i.index(universe.len())]).collect();
            // Generate: step the model directly; its outcomes become the expectations.
            let mut state = model.initial();
            let mut steps = Vec::new();
            for &call in &calls {
                let outcome = match model.step(&state, call) {
                    Ok(next) => { state = next; Ok(()) }
                    Err(refusal) => Err(refusal),
                };
                steps.push(TraceStep { call, expect: Some(Expect::of(&outcome)), note: None });
            }
            let trace = Trace { description: None, config: cfg, claim: None, steps };
            let text = crate::trace::to_json(&trace);
            let back = crate::trace::parse(&text).unwrap();
            let r = replay("generated", &back).unwrap();
            prop_assert!(r.reproduced(), "{:?}", r.divergence);
            prop_assert_eq!(r.steps.len(), calls.len());
        }
    }
}
