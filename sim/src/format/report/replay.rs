//! The report of `idc replay`: every step as it ran, against what the trace expected, and
//! the first place where they disagree.

use serde::Serialize;

use idc_model::query::Last;
use idc_model::{Branch, ConfigError, Expression, IdcModel, Shown};

use super::{ConfigView, StepView, Verdict, REPORT_VERSION};
use crate::engine::properties::last_step;
use crate::engine::replay::{
    actions_of, claim_holds, mismatch, outside_threat, start_or_as_named, Mismatch,
};
use crate::engine::run::{advance, run_from, step_along};
use crate::engine::trace::Trace;
use crate::format::trace::expect_to_value;

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
    /// How the step differs from the trace's (absent when it does not): its call is outside
    /// the threat model, its named branch does not fit, or its outcome is not the expected one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mismatch: Option<String>,
    /// Which of those (absent when the step is as written).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mismatch_kind: Option<DivergenceKind>,
    /// The trace's note on the step, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Whether the branch the step took was found by the replay (the trace named none).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub branch_found: bool,
    /// The values of the `--show` expressions in the state after the step, by expression
    /// (absent without `--show`).
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub show: serde_json::Map<String, serde_json::Value>,
}

/// The claim of a trace and whether it reproduced.
#[derive(Clone, Debug, Serialize)]
pub struct ClaimView {
    /// The property.
    pub property: String,
    /// Its rule ids (none for a user property).
    pub rules: &'static [&'static str],
    /// A user property's expression.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    /// `violated` or `example`.
    pub verdict: Verdict,
    /// The step after which it is claimed (0: the state the trace starts from).
    pub step: usize,
    /// Whether the property is indeed violated (or exemplified) after that step.
    pub reproduced: bool,
}

impl std::fmt::Display for ClaimView {
    /// `<property> violated after step N` or `<property> holds (example) after step N`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = if self.verdict == Verdict::Example {
            "holds (example)"
        } else {
            "violated"
        };
        write!(f, "{} {what} after step {}", self.property, self.step)
    }
}

impl ClaimView {
    /// The divergence of a claim that did not reproduce.
    pub fn divergence(&self) -> Option<Divergence> {
        if self.reproduced {
            return None;
        }
        let what = if self.verdict == Verdict::Example {
            "does not hold"
        } else {
            "holds"
        };
        Some(Divergence {
            step: self.step,
            kind: DivergenceKind::Claim,
            reason: format!(
                "the claim does not reproduce: {} {what} after step {}",
                self.property, self.step
            ),
        })
    }
}

/// The first place where a replay disagrees with its trace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Divergence {
    /// The step (1-based; for a claim, the claimed step, which may be 0).
    pub step: usize,
    /// What kind of disagreement.
    pub kind: DivergenceKind,
    /// Why, in one line.
    pub reason: String,
}

/// How a replay disagrees with its trace.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DivergenceKind {
    /// Its `from` calls do not replay as written (step 0).
    From,
    /// A step's call is outside the trace's threat model (`config.threat`): the account
    /// makes no such call.
    Threat,
    /// A step names a branch its call does not take there.
    Branch,
    /// A step's outcome is not the one it expects.
    Outcome,
    /// The claim does not reproduce.
    Claim,
}

/// The replay of one trace file.
#[derive(Clone, Debug, Serialize)]
pub struct ReplayReport {
    /// The file, as named on the command line.
    pub file: String,
    /// `reproduced` or `diverged`.
    pub result: ReplayResult,
    /// When the trace was written under another model version: what that means.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model_note: Option<String>,
    /// The trace's description, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The configuration it ran under.
    pub config: ConfigView,
    /// The number of calls (the trace's `from`) that lead from the initial state to the
    /// state its steps start from; absent when they start from the initial state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<usize>,
    /// The claim, if the trace makes one.
    pub claim: Option<ClaimView>,
    /// The values of the `--show` expressions in the state the steps start from (step 0:
    /// the initial state, or where the `from` calls lead), by expression (absent without
    /// `--show`).
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub show: serde_json::Map<String, serde_json::Value>,
    /// Every step.
    pub steps: Vec<ReplayStep>,
    /// The first divergence, if any.
    pub divergence: Option<Divergence>,
}

/// A file that could not be replayed: it is not a valid trace.
#[derive(Clone, Debug, Serialize)]
pub struct ReplayError {
    /// The file, as named on the command line.
    pub file: String,
    /// `error`.
    pub result: ReplayResult,
    /// Why, in one line.
    pub error: String,
}

/// The result of replaying a file, or every file (the worst).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReplayResult {
    /// Every step and the claim reproduced (exit 0).
    Reproduced,
    /// A step or the claim did not (exit 1).
    Diverged,
    /// The file is not a valid trace (exit 2).
    Error,
}

/// One file of a replay: its report, or why it could not be replayed.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum ReplayEntry {
    /// The trace was replayed.
    Replayed(Box<ReplayReport>),
    /// The file is not a valid trace.
    Error(ReplayError),
}

/// Every file of a replay.
#[derive(Clone, Debug, Serialize)]
pub struct ReplayDocument {
    /// `idc-replay`.
    pub format: &'static str,
    /// The report's shape ([`REPORT_VERSION`]).
    pub version: u32,
    /// The model's semantics ([`idc_model::MODEL_VERSION`]).
    pub model: u32,
    /// `reproduced` (every file), `diverged` (some trace diverged, none was invalid), or
    /// `error` (some file was not a valid trace).
    pub result: ReplayResult,
    /// Each file, in the order given.
    pub traces: Vec<ReplayEntry>,
}

impl ReplayDocument {
    /// The document of the files replayed.
    pub fn of(traces: Vec<ReplayEntry>) -> ReplayDocument {
        let error = traces.iter().any(|t| matches!(t, ReplayEntry::Error(_)));
        let diverged = traces
            .iter()
            .any(|t| matches!(t, ReplayEntry::Replayed(r) if !r.reproduced()));
        ReplayDocument {
            format: "idc-replay",
            version: REPORT_VERSION,
            model: idc_model::MODEL_VERSION,
            result: if error {
                ReplayResult::Error
            } else if diverged {
                ReplayResult::Diverged
            } else {
                ReplayResult::Reproduced
            },
            traces,
        }
    }
}

impl ReplayReport {
    /// Whether every expected outcome and the claim reproduced.
    pub fn reproduced(&self) -> bool {
        self.divergence.is_none()
    }

    /// The first divergence at or before step `step`: the `from` calls (step 0), a step up
    /// to it that did not meet its expectation or whose named branch does not fit, or a
    /// claim about a state up to it that does not reproduce (the earliest; a step before a
    /// claim on the state after it). `None` when the trace, read up to that step, replays
    /// as written.
    pub fn divergence_within(&self, step: usize) -> Option<Divergence> {
        if let Some(d) = self.divergence.as_ref().filter(|d| d.step == 0) {
            return Some(d.clone());
        }
        let mismatch = self.steps.iter().take(step).find_map(|s| {
            s.mismatch.as_ref().map(|m| Divergence {
                step: s.step.step,
                kind: s.mismatch_kind.unwrap_or(DivergenceKind::Outcome),
                reason: m.clone(),
            })
        });
        let claim = self
            .claim
            .as_ref()
            .filter(|c| c.step <= step)
            .and_then(ClaimView::divergence);
        match (mismatch, claim) {
            (Some(m), Some(c)) if c.step < m.step => Some(c),
            (Some(m), _) => Some(m),
            (None, c) => c,
        }
    }
}

/// Replays a trace. `file` labels the report.
pub fn replay(file: &str, trace: &Trace) -> Result<ReplayReport, ConfigError> {
    replay_showing(file, trace, &[])
}

/// Replays a trace, showing the value of each expression in `shows` at step 0 and after
/// every step (`idc replay --show`).
pub fn replay_showing(
    file: &str,
    trace: &Trace,
    shows: &[Expression],
) -> Result<ReplayReport, ConfigError> {
    let model = IdcModel::new(trace.config)?;
    let (start, from_divergence) = start_or_named(&model, trace);
    let actions = actions_of(&model, &start, trace);
    let mut r = replay_along(file, trace, &model, &start, from_divergence, &actions);
    if !shows.is_empty() {
        let values = shown_along(&model, &start, &actions, shows);
        let mut values = values.into_iter();
        r.show = values.next().unwrap_or_default();
        for (step, v) in r.steps.iter_mut().zip(values) {
            step.show = v;
        }
    }
    Ok(r)
}

/// The value of a shown expression as JSON: a boolean, or a value's name.
pub fn shown_json(v: Shown) -> serde_json::Value {
    match v {
        Shown::Bool(b) => serde_json::Value::Bool(b),
        Shown::Value(s) => serde_json::Value::String(s),
    }
}

/// The values of `shows` in `start` (with no last step) and after each of `actions` run
/// from it: one map (expression to value) per state, `actions.len() + 1` in all.
pub fn shown_along(
    model: &IdcModel,
    start: &idc_model::State,
    actions: &[idc_model::Action],
    shows: &[Expression],
) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let at = |state: &idc_model::State, last: &Last| {
        shows
            .iter()
            .map(|e| (e.text().to_string(), shown_json(e.eval(state, last))))
            .collect()
    };
    let mut state = start.clone();
    let mut out = Vec::with_capacity(actions.len() + 1);
    out.push(at(&state, &Last::default()));
    for &action in actions {
        let (_, outcome) = step_along(model, &state, action);
        advance(&mut state, &outcome);
        out.push(at(&state, &last_step(&action.call, outcome.is_err())));
    }
    out
}

/// The state a trace's steps start from (after its `from` calls), and, when the `from`
/// calls do not replay as written, the divergence that says so (the state is then the one
/// their named branches lead to).
pub fn start_or_named(model: &IdcModel, trace: &Trace) -> (idc_model::State, Option<Divergence>) {
    match start_or_as_named(model, trace) {
        Ok(start) => (start, None),
        Err(as_named) => (
            as_named,
            Some(Divergence {
                step: 0,
                kind: DivergenceKind::From,
                reason: format!(
                    "its {} `from` call{} do not replay as written (a branch or an expected outcome no reading gives)",
                    trace.from.len(),
                    if trace.from.len() == 1 { "" } else { "s" }
                ),
            }),
        ),
    }
}

/// [`replay`] under the trace's model from `start` (see [`start_or_named`]), along the
/// actions [`actions_of`] chose for it (one per step).
pub fn replay_along(
    file: &str,
    trace: &Trace,
    model: &IdcModel,
    start: &idc_model::State,
    from_divergence: Option<Divergence>,
    actions: &[idc_model::Action],
) -> ReplayReport {
    let mut divergence = from_divergence;
    let (records, _) = run_from(model, start.clone(), actions);
    let views = StepView::of_run(&records);
    let mut steps = Vec::with_capacity(views.len());
    for ((view, record), ts) in views.into_iter().zip(&records).zip(&trace.steps) {
        let as_expected = ts.expect.map(|e| e.matches(&record.outcome));
        let branch_name = |b: Branch| {
            if b.is_none() {
                "none".to_string()
            } else {
                b.to_string()
            }
        };
        let threat = outside_threat(&trace.config, &trace.names, &ts.call).map(|why| {
            (
                DivergenceKind::Threat,
                format!("outside the threat model: {why}"),
            )
        });
        let mismatch = threat.or_else(|| {
            mismatch(ts, record).map(|m| match m {
                Mismatch::Misfit { named, taken } => (
                    DivergenceKind::Branch,
                    format!(
                        "the branch [{}] does not fit this call here (it takes [{}])",
                        branch_name(named),
                        branch_name(taken)
                    ),
                ),
                Mismatch::Unexpected(e) => (
                    DivergenceKind::Outcome,
                    format!("expected {e}, got {}", view.outcome),
                ),
            })
        });
        if let (Some((kind, reason)), None) = (&mismatch, &divergence) {
            divergence = Some(Divergence {
                step: view.step,
                kind: *kind,
                reason: reason.clone(),
            });
        }
        let (mismatch_kind, mismatch) = match mismatch {
            Some((k, m)) => (Some(k), Some(m)),
            None => (None, None),
        };
        steps.push(ReplayStep {
            branch_found: ts.branch.is_none() && !record.action.branch.is_none(),
            step: view,
            expected: ts.expect.as_ref().map(expect_to_value),
            as_expected,
            mismatch,
            mismatch_kind,
            note: ts.note.clone(),
            show: serde_json::Map::new(),
        });
    }
    let claim = trace.claim.as_ref().map(|c| {
        let view = ClaimView {
            property: c.name().to_string(),
            rules: c.property.rules,
            expression: c.property.expression().map(str::to_string),
            verdict: c.verdict(),
            step: c.step,
            reproduced: claim_holds(model, start, actions, c),
        };
        if divergence.is_none() {
            divergence = view.divergence();
        }
        view
    });
    let model_note = trace
        .model
        .filter(|v| *v != idc_model::MODEL_VERSION)
        .map(|v| {
            format!(
                "written under model version {v}; this idc implements version {}: outcomes may differ where the rules changed",
                idc_model::MODEL_VERSION
            )
        });
    ReplayReport {
        file: file.to_string(),
        model_note,
        description: trace.description.clone(),
        config: ConfigView::named(&trace.config, &trace.names),
        from: (!trace.from.is_empty()).then_some(trace.from.len()),
        claim,
        show: serde_json::Map::new(),
        steps,
        result: if divergence.is_none() {
            ReplayResult::Reproduced
        } else {
            ReplayResult::Diverged
        },
        divergence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::run::advance;
    use crate::engine::trace::{Claim, Expect, TraceStep};
    use crate::render::replay::render;
    use idc_model::assumptions::CloseDelegate;
    use idc_model::calls::all_calls;
    use idc_model::{Acct, Call, Config, Op};
    use proptest::prelude::*;

    fn register_trace() -> Trace {
        let m = Acct::MANAGEMENT;
        Trace {
            description: None,
            model: None,
            config: Config::default(),
            from: Vec::new(),
            claim: None,
            steps: vec![
                TraceStep {
                    call: Call {
                        caller: m,
                        op: Op::EnableIdentityCenter,
                    },
                    branch: None,
                    expect: Some(Expect::Ok),
                    note: None,
                },
                TraceStep {
                    call: Call {
                        caller: Acct(1),
                        op: Op::RegisterDelegatedAdministrator(Acct(2)),
                    },
                    branch: None,
                    expect: Some(Expect::Ok),
                    note: None,
                },
            ],
            names: Default::default(),
        }
    }

    #[test]
    fn a_changed_expectation_diverges_at_its_step() {
        let r = replay("t.json", &register_trace()).unwrap();
        assert_eq!(
            r.divergence,
            Some(Divergence {
                step: 2,
                kind: DivergenceKind::Outcome,
                reason: "expected ok, got AccessDeniedException [DA-1]".into()
            })
        );
        assert!(render(&r)
            .contains("result: DIVERGED at step 2: expected ok, got AccessDeniedException [DA-1]"));
    }

    /// A step whose caller the threat model says makes no such call does not reproduce,
    /// even when AWS would accept it; the `from` calls are history, and exempt.
    #[test]
    fn a_step_outside_the_threat_model_diverges_and_from_is_exempt() {
        let mut t = register_trace();
        t.steps[1].expect = None;
        t.config.threat.idle(Acct(1));
        t.names.set(Acct(1), "workloads");
        let r = replay("t.json", &t).unwrap();
        let d = r.divergence.clone().unwrap();
        assert_eq!(d.step, 2);
        assert_eq!(d.kind, DivergenceKind::Threat);
        assert_eq!(
            d.reason,
            "outside the threat model: workloads (member-1) makes no call"
        );
        assert_eq!(r.steps[1].mismatch_kind, Some(DivergenceKind::Threat));
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["divergence"]["kind"], "threat");
        // The same call as history (`from`) is not judged.
        t.from = t.steps.drain(..).collect();
        let r = replay("t.json", &t).unwrap();
        assert!(r.reproduced(), "{:?}", r.divergence);
    }

    #[test]
    fn a_claim_that_does_not_hold_diverges() {
        let mut t = register_trace();
        t.steps[1].expect = None;
        t.claim = Claim::builtin("at-most-one-delegated-admin", 2);
        let r = replay("t.json", &t).unwrap();
        assert_eq!(
            r.divergence.unwrap().reason,
            "the claim does not reproduce: at-most-one-delegated-admin holds after step 2"
        );
    }

    /// Closing the delegate under `either` (Q3): refused, or closed keeping or losing its
    /// registration. A trace that names no branch reproduces when some branch meets its
    /// expectations, and the replay names the branch it found.
    #[test]
    fn a_trace_without_branches_reproduces_when_some_branch_fits() {
        let m = Acct::MANAGEMENT;
        let step = |caller: Acct, op: Op, expect: Expect| TraceStep {
            call: Call { caller, op },
            branch: None,
            expect: Some(expect),
            note: None,
        };
        let mut t = Trace {
            description: None,
            model: None,
            config: Config::default(),
            from: Vec::new(),
            claim: Claim::builtin("delegate-is-active-member", 3),
            steps: vec![
                step(m, Op::EnableIdentityCenter, Expect::Ok),
                step(m, Op::RegisterDelegatedAdministrator(Acct(1)), Expect::Ok),
                step(m, Op::CloseAccount(Acct(1)), Expect::Ok),
            ],
            names: Default::default(),
        };
        assert_eq!(t.config.assumptions.close_delegate, CloseDelegate::Either);
        let r = replay("t.json", &t).unwrap();
        assert!(r.reproduced(), "{:?}", r.divergence);
        assert!(r.steps[2].branch_found);
        assert_eq!(
            r.steps[2].step.branch.get("close-delegate"),
            Some(&serde_json::Value::from("keeps-registration"))
        );
        assert!(render(&r)
            .contains("branches found by the replay: step 3 [close-delegate=keeps-registration"));
        // Under `refused` no branch closes the account: the trace diverges at step 3.
        t.config.assumptions.close_delegate = CloseDelegate::Refused;
        let r = replay("t.json", &t).unwrap();
        assert_eq!(r.divergence.map(|d| d.step), Some(3));
        // A named branch that does not fit diverges, naming it.
        t.config.assumptions.close_delegate = CloseDelegate::Either;
        t.steps[1].branch = Some(Branch::NONE.with(idc_model::Decision::Q3, 2));
        let r = replay("t.json", &t).unwrap();
        let d = r.divergence.unwrap();
        assert_eq!(d.step, 2);
        assert!(d.reason.contains("does not fit"), "{}", d.reason);
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
            // Generate: step the model directly (the last branch of each call); its outcomes
            // become the expectations, and every other step names its branch.
            let mut state = model.initial();
            let mut steps = Vec::new();
            for (k, &call) in calls.iter().enumerate() {
                let mut last = None;
                model.outcomes(&state, call, |b, o| last = Some((b, o)));
                let (branch, outcome) = last.unwrap();
                advance(&mut state, &outcome);
                let outcome = outcome.map(|_| ());
                let branch = (k % 2 == 0).then_some(branch);
                steps.push(TraceStep { call, branch, expect: Some(Expect::of(&outcome)), note: None });
            }
            let trace = Trace { description: None, model: None, config: cfg, from: Vec::new(), claim: None, steps, names: Default::default() };
            let text = crate::format::trace::to_json(&trace);
            let back = crate::format::trace::parse(&text).unwrap();
            let r = replay("generated", &back).unwrap();
            prop_assert!(r.reproduced(), "{:?}", r.divergence);
            prop_assert_eq!(r.steps.len(), calls.len());
        }
    }
}
