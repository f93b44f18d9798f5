//! The report of `idc recover`: how many reachable states the management account can bring
//! back to a safe baseline whatever AWS does, the longest such recovery, and why the first
//! stuck state is stuck.

use serde::Serialize;

use idc_model::baseline::BASELINE;
use idc_model::{Action, Config, IdcModel, Refusal, State};

use super::{ConfigView, StepView, StopReason, REPORT_VERSION};
use crate::engine::recover::{recovery_model, Recoverability, StartAnswer, StuckState};
use crate::engine::run::run_from;
use crate::engine::trace::Start;

/// A baseline condition, for reports.
#[derive(Clone, Debug, Serialize)]
pub struct ConditionView {
    /// Its name.
    pub name: &'static str,
    /// What it requires.
    pub meaning: &'static str,
}

/// A state and the management account's way back from it.
#[derive(Clone, Debug, Serialize)]
pub struct Recovery {
    /// A shortest trace from the initial state into the state.
    pub trace: Vec<StepView>,
    /// The management calls from there to a safe baseline, AWS taking at each the reading
    /// that makes the way back longest.
    pub recovery: Vec<StepView>,
}

/// A management call refused by a guard in a stuck state.
#[derive(Clone, Debug, Serialize)]
pub struct GuardRefusal {
    /// The call, as text.
    pub call: String,
    /// The error (or the practice that keeps the management account from making it).
    pub error: String,
    /// The rule id (`IDC-7` for a practice).
    pub rule: &'static str,
}

/// What relaxing one rule would do for a stuck state.
#[derive(Clone, Debug, Serialize)]
pub struct Unblocking {
    /// The rule id.
    pub rule: &'static str,
    /// The management calls that would force a safe baseline with the rule relaxed, if
    /// any (AWS taking the longest way).
    pub recovery: Option<Vec<StepView>>,
}

/// The first stuck state and why it is stuck.
#[derive(Clone, Debug, Serialize)]
pub struct Stuck {
    /// A shortest trace from the initial state into it.
    pub trace: Vec<StepView>,
    /// The baseline conditions failing there.
    pub failing: Vec<&'static str>,
    /// States the management account can reach from there (itself included).
    pub closure: u64,
    /// The baseline conditions failing in every one of those states.
    pub never_restored: Vec<&'static str>,
    /// The management calls a guard (or a practice) refuses there.
    pub refusals: Vec<GuardRefusal>,
    /// For each rule among those refusals: whether relaxing it alone gets back.
    pub unblocking: Vec<Unblocking>,
}

/// The answer for the start state itself (the initial state, `--from`'s or the design's).
#[derive(Clone, Debug, Serialize)]
pub struct StartView {
    /// Whether the start state is in a safe baseline.
    pub already_safe: bool,
    /// Whether the management account alone forces a safe baseline from it, whatever
    /// readings AWS takes.
    pub recoverable: bool,
    /// The baseline conditions failing in it.
    pub failing: Vec<&'static str>,
    /// The management account's plan from it (empty when already safe; null when not
    /// recoverable): its calls, each with AWS's answer, AWS taking at each the reading that
    /// makes the way back longest.
    pub plan: Option<Vec<StepView>>,
    /// Why it is not recoverable (its trace empty); absent when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stuck: Option<Stuck>,
}

/// The recoverability report.
#[derive(Clone, Debug, Serialize)]
pub struct RecoverReport {
    /// `idc-recover`.
    pub format: &'static str,
    /// The report's shape ([`REPORT_VERSION`]).
    pub version: u32,
    /// The model's semantics ([`idc_model::MODEL_VERSION`]).
    pub model: u32,
    /// The configuration.
    pub config: ConfigView,
    /// Whether `DeleteInstance` was withheld from the management account.
    pub keep_instance: bool,
    /// Whether states were identified up to renaming member accounts or identities (counts are then of
    /// orbits).
    pub symmetry: bool,
    /// The number of calls that lead from the initial state to the state the analysis
    /// started from (`--from`); absent when it started from the initial state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<usize>,
    /// The answer for the start state itself.
    pub start: StartView,
    /// The conditions of the safe baseline.
    pub baseline_conditions: Vec<ConditionView>,
    /// Reachable states.
    pub reachable: u64,
    /// Reachable states in a safe baseline.
    pub in_baseline: u64,
    /// Reachable states from which the management account alone forces a safe baseline,
    /// whatever readings AWS takes.
    pub recoverable: u64,
    /// Reachable states from which it can't.
    pub stuck: u64,
    /// Of those, the states where the management account is closed (it closed itself).
    pub stuck_management_closed: u64,
    /// The recoverable state that needs the most management calls, and its recovery.
    pub longest_recovery: Option<Recovery>,
    /// The first stuck state (shortest trace) where the management account is not closed,
    /// else the first stuck state, if any.
    pub first_stuck: Option<Stuck>,
    /// Successor states generated.
    pub generated: u64,
    /// Management moves kept (a call in a state, with all its outcomes).
    pub moves: u64,
    /// Their outcomes.
    pub edges: u64,
    /// Why the exploration stopped early (`max-depth` is never set here; `memory`,
    /// `time`, `interrupted`): the counts are then of the states explored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<StopReason>,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Whether every reachable state can recover.
    pub result: RecoverResult,
}

/// The result of a recoverability analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum RecoverResult {
    /// From every reachable state the management account can force the safe baseline.
    Ok,
    /// Some reachable state is stuck.
    Stuck,
    /// The exploration stopped early.
    Incomplete,
}

/// The steps of `tail`, run after `head` from `start`.
pub fn tail_steps(
    model: &IdcModel,
    start: &State,
    head: &[Action],
    tail: &[Action],
) -> Vec<StepView> {
    let all: Vec<Action> = head.iter().chain(tail).copied().collect();
    let mut views = StepView::of_run(&run_from(model, start.clone(), &all).0);
    let mut rest = views.split_off(head.len());
    for (i, v) in rest.iter_mut().enumerate() {
        v.step = i + 1;
    }
    rest
}

/// The steps of `tail` from the state `head` leads to under `model`, replayed under
/// `relaxed` (a relaxed rule's way back), numbered from 1.
fn relaxed_steps(
    model: &IdcModel,
    relaxed: &IdcModel,
    start: &State,
    head: &[Action],
    tail: &[Action],
) -> Vec<StepView> {
    let (_, state) = run_from(model, start.clone(), head);
    StepView::of_run(&run_from(relaxed, state, tail).0)
}

fn refusal_text(r: &Refusal) -> (String, &'static str) {
    match r {
        Refusal::Api { error, rule } => (error.to_string(), rule.map_or("", |r| r.id())),
        Refusal::Practice(p) => (format!("not made: practice {p}"), "IDC-7"),
    }
}

fn stuck_view(model: &IdcModel, start: &State, s: &StuckState) -> Stuck {
    Stuck {
        trace: StepView::of_run(&run_from(model, start.clone(), &s.path).0),
        failing: s.failing.clone(),
        closure: s.closure,
        never_restored: s.never_restored.clone(),
        refusals: s
            .refusals
            .iter()
            .map(|(action, refusal)| {
                let (error, rule) = refusal_text(refusal);
                GuardRefusal {
                    call: action.to_string(),
                    error,
                    rule,
                }
            })
            .collect(),
        unblocking: s
            .unblocking
            .iter()
            .map(|(rule, back)| {
                let mut cfg: Config = *model.config();
                cfg.relaxed.insert(*rule);
                let recovery = back.as_ref().and_then(|back| {
                    IdcModel::new(cfg)
                        .ok()
                        .map(|relaxed| relaxed_steps(model, &relaxed, start, &s.path, back))
                });
                Unblocking {
                    rule: rule.id(),
                    recovery,
                }
            })
            .collect(),
    }
}

fn start_view(model: &IdcModel, r: &Recoverability) -> StartView {
    let failing = BASELINE
        .iter()
        .filter(|c| !(c.holds)(&r.start))
        .map(|c| c.name)
        .collect::<Vec<_>>();
    match &r.from_start {
        StartAnswer::Recoverable(plan) => StartView {
            already_safe: failing.is_empty(),
            recoverable: true,
            failing,
            plan: Some(StepView::of_run(&run_from(model, r.start.clone(), plan).0)),
            stuck: None,
        },
        StartAnswer::Stuck(s) => StartView {
            already_safe: false,
            recoverable: false,
            failing,
            plan: None,
            stuck: Some(stuck_view(model, &r.start, s)),
        },
    }
}

/// Builds the report of a recoverability analysis of `model` (the command's: the report
/// speaks of its [`recovery_model`]) from `start` (the initial state, `--from`'s or a
/// design's: its names name the accounts).
pub fn report(model: &IdcModel, start: &Start, r: &Recoverability) -> RecoverReport {
    let model = &recovery_model(model, r.keep_instance);
    RecoverReport {
        format: "idc-recover",
        version: REPORT_VERSION,
        model: idc_model::MODEL_VERSION,
        config: ConfigView::named(model.config(), &start.names),
        keep_instance: r.keep_instance,
        symmetry: r.symmetry,
        from: (!start.is_initial()).then_some(start.steps.len()),
        start: start_view(model, r),
        baseline_conditions: BASELINE
            .iter()
            .map(|c| ConditionView {
                name: c.name,
                meaning: c.meaning,
            })
            .collect(),
        reachable: r.reachable,
        in_baseline: r.in_baseline,
        recoverable: r.reachable - r.stuck,
        stuck: r.stuck,
        stuck_management_closed: r.stuck_management_closed,
        longest_recovery: r.longest.as_ref().map(|(path, back)| Recovery {
            trace: StepView::of_run(&run_from(model, r.start.clone(), path).0),
            recovery: tail_steps(model, &r.start, path, back),
        }),
        first_stuck: r
            .first_stuck
            .as_ref()
            .map(|s| stuck_view(model, &r.start, s)),
        generated: r.generated,
        moves: r.moves,
        edges: r.edges,
        stopped: StopReason::early(r.stop),
        seconds: r.seconds,
        result: if r.stop.is_some() {
            RecoverResult::Incomplete
        } else if r.stuck == r.stuck_management_closed {
            // Only where the management account closed itself (it signs in nowhere): a
            // state it chose to leave, reported apart (`stuck_management_closed`).
            RecoverResult::Ok
        } else {
            RecoverResult::Stuck
        },
    }
}
