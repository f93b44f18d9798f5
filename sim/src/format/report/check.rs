//! The report of `idc check`: every property with its verdict and shortest trace, the
//! state counts, and the result the exit code follows.

use std::borrow::Cow;

use serde::Serialize;

use idc_model::properties::Kind;
use idc_model::IdcModel;

use super::{ConfigView, StepView, StopReason, Verdict, REPORT_VERSION};
use crate::engine::explore::Exploration;
use crate::engine::properties::{Property, PropertySet};
use crate::engine::run::run_from;
use crate::engine::trace::Start;
pub use crate::engine::verdict::CheckResult;
use crate::format::state::StateView;

/// A property and its verdict.
#[derive(Clone, Debug, Serialize)]
pub struct PropertyView {
    /// Stable name (a built-in's, or the user's).
    pub name: Cow<'static, str>,
    /// `always` or `sometimes`.
    pub kind: Kind,
    /// Rule ids (none for a user property).
    pub rules: &'static [&'static str],
    /// One-line meaning (a user property's: its expression).
    pub meaning: Cow<'static, str>,
    /// A user property's expression (absent for built-in ones).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    /// The verdict.
    pub verdict: Verdict,
    /// The expected verdict, when `--expect` named the property.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<Verdict>,
    /// The shortest counterexample or example, if any.
    pub trace: Option<Vec<StepView>>,
    /// The state that trace ends in, in domain words (as `idc state` shows it; absent
    /// without a trace).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<StateView>,
}

impl PropertyView {
    /// Describes a property, its verdict and trace, after a complete search or not.
    pub fn of(
        info: &Property,
        trace: Option<Vec<StepView>>,
        state: Option<StateView>,
        complete: bool,
    ) -> PropertyView {
        PropertyView {
            name: info.name.clone(),
            kind: info.kind,
            rules: info.rules,
            meaning: info.meaning.clone(),
            expression: info.expression().map(str::to_string),
            verdict: Verdict::of(info.kind, trace.is_some(), complete),
            expected: None,
            trace,
            state,
        }
    }
}

/// State counts.
#[derive(Clone, Debug, Serialize)]
pub struct StatesView {
    /// Successor states generated.
    pub generated: u64,
    /// Distinct states (with symmetry: distinct up to renaming).
    pub unique: u64,
    /// With `--symmetry`: what the reduction saved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub symmetry: Option<SymmetryView>,
    /// Under a design's threat model: the calls explored from each state, of all the calls
    /// of the configuration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calls: Option<CallsView>,
    /// The organization slice's search, when the properties that read no identity were
    /// judged there (the figures above are then the other properties' search).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slice: Option<SliceView>,
}

/// The organization slice's search (docs/performance.md, "The organization slice").
#[derive(Clone, Debug, Serialize)]
pub struct SliceView {
    /// The properties it judged (those that read no user, group, permission set or
    /// assignment).
    pub properties: Vec<Cow<'static, str>>,
    /// Successor states generated.
    pub generated: u64,
    /// Distinct states up to their identity part (with symmetry: up to renaming members).
    pub unique: u64,
    /// The greatest depth of any of them.
    pub max_depth: u32,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Whether it explored every reachable organization part.
    pub complete: bool,
    /// The other properties' search's wall-clock seconds (the report's `seconds` are both
    /// searches').
    pub others_seconds: f64,
    /// Whether the other properties' search decided them all: it explored every state, or
    /// found them all (`others_found_early`).
    pub others_complete: bool,
    /// The greatest depth the other properties' search reached (the report's `max_depth`
    /// is the greater of the two).
    pub others_max_depth: u32,
    /// Whether the other properties' search stopped once it had found them all (each one
    /// violated or reached) rather than after exploring every state.
    pub others_found_early: bool,
}

/// The calls explored from each state under a threat model.
#[derive(Clone, Debug, Serialize)]
pub struct CallsView {
    /// The calls the threat model lets the accounts make (AWS's environment steps included).
    pub explored: usize,
    /// Every call of the configuration.
    pub all: usize,
}

impl CallsView {
    /// The calls of `model` under its threat model; `None` when it narrows nothing.
    pub fn of(model: &IdcModel) -> Option<CallsView> {
        let cfg = model.config();
        (!cfg.threat.is_open()).then(|| CallsView {
            explored: model.calls().len(),
            all: idc_model::calls::all_calls(&idc_model::Config {
                threat: Default::default(),
                ..*cfg
            })
            .len(),
        })
    }
}

/// What symmetry reduction saved.
#[derive(Clone, Debug, Serialize)]
pub struct SymmetryView {
    /// The distinct states the exploration without symmetry reaches (the sum of the orbit
    /// sizes of the states explored: exact, not estimated).
    pub unreduced: u64,
    /// `unreduced / unique`.
    pub reduction: f64,
    /// What was renamed: `member-accounts`, `identities` (users, groups and permission
    /// sets), or both.
    pub renamed: Vec<&'static str>,
}

/// The whole report of a check.
#[derive(Clone, Debug, Serialize)]
pub struct CheckReport {
    /// `idc-check`.
    pub format: &'static str,
    /// The report's shape ([`REPORT_VERSION`]).
    pub version: u32,
    /// The model's semantics ([`idc_model::MODEL_VERSION`]).
    pub model: u32,
    /// The configuration.
    pub config: ConfigView,
    /// Every property with its verdict.
    pub properties: Vec<PropertyView>,
    /// State counts.
    pub states: StatesView,
    /// Greatest depth reached.
    pub max_depth: u32,
    /// Whether every reachable state was explored.
    pub complete: bool,
    /// The number of calls that lead from the initial state to the state the search
    /// started from (`--from`); absent when it started from the initial state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<usize>,
    /// With `from`: the readings AWS took on the calls to the start state, which decide
    /// what follows (empty when none met an `either` assumption).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_readings: Option<Vec<super::ReadingView>>,
    /// Why the search stopped early: `max-depth`, `memory`, `time` or `interrupted`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<StopReason>,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Generated states per second.
    pub states_per_second: f64,
    /// The result: `incomplete` whenever the search stopped early, even when it found a
    /// violation (the other verdicts are unknown, not `holds`).
    pub result: CheckResult,
    /// Whether the run made a definite finding (an always-property violated, or a verdict
    /// that differs from `--expect`), stopped early or not: exit 1.
    #[serde(skip)]
    pub finding: bool,
}

/// An expected verdict for a property (`--expect NAME=VERDICT`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    /// The property's name.
    pub property: String,
    /// The verdict expected.
    pub verdict: Verdict,
}

/// Builds the report of an exploration of `properties` from `start` (traces replayed to
/// describe each step).
pub fn report(
    model: &IdcModel,
    start: &Start,
    properties: &PropertySet,
    e: &Exploration,
) -> CheckReport {
    let slice = e.slice.as_ref().map(|f| SliceView {
        properties: f
            .properties
            .iter()
            .map(|&i| properties[i].name.clone())
            .collect(),
        generated: f.generated,
        unique: f.unique,
        max_depth: f.max_depth,
        seconds: f.seconds,
        complete: f.complete,
        others_seconds: f.whole_seconds,
        others_complete: f.whole_decided,
        others_max_depth: f.whole_max_depth,
        others_found_early: f.whole_stopped_when_found,
    });
    // Whether the search that judged property `i` decided it: with the slice, each search
    // for its own properties (the slice's verdicts stand when a limit stopped the other).
    let decided = |i: usize| match &e.slice {
        Some(f) if f.properties.contains(&i) => f.complete,
        Some(f) => f.whole_decided,
        None => e.complete,
    };
    let properties = properties
        .iter()
        .zip(&e.discoveries)
        .enumerate()
        .map(|(i, (info, found))| {
            let run = found
                .as_ref()
                .map(|actions| run_from(model, start.state.clone(), actions));
            let trace = run.as_ref().map(|(records, _)| StepView::of_run(records));
            let state = run.map(|(_, end)| StateView::of(model.config(), &end));
            PropertyView::of(info, trace, state, decided(i))
        })
        .collect();
    let mut report = CheckReport {
        format: "idc-check",
        version: REPORT_VERSION,
        model: idc_model::MODEL_VERSION,
        config: ConfigView::named(model.config(), &start.names),
        properties,
        states: StatesView {
            generated: e.generated,
            unique: e.unique,
            symmetry: e.unique_unreduced.map(|unreduced| SymmetryView {
                unreduced,
                reduction: unreduced as f64 / e.unique.max(1) as f64,
                renamed: [
                    (e.renamings.accounts, "member-accounts"),
                    (e.renamings.identities, "identities"),
                ]
                .into_iter()
                .filter_map(|(on, name)| on.then_some(name))
                .collect(),
            }),
            calls: CallsView::of(model),
            slice,
        },
        max_depth: e.max_depth,
        complete: e.complete,
        from: (!start.is_initial()).then_some(start.steps.len()),
        from_readings: super::readings_of(start),
        stopped: StopReason::early(e.stop),
        seconds: e.seconds,
        // Both searches' states over both searches' time.
        states_per_second: if e.seconds > 0.0 {
            (e.generated + e.slice.as_ref().map_or(0, |f| f.generated)) as f64 / e.seconds
        } else {
            0.0
        },
        result: CheckResult::Ok,
        finding: false,
    };
    settle(&mut report, &[]);
    report
}

/// The result of a report (see [`CheckResult::decide`]).
fn decide(
    properties: &[PropertyView],
    expectations: &[Expectation],
    complete: bool,
) -> CheckResult {
    CheckResult::decide(
        properties.iter().map(|p| (p.kind, p.verdict, p.expected)),
        !expectations.is_empty(),
        complete,
    )
}

/// Applies `--expect`: records the expected verdicts and decides the result again.
pub fn apply_expectations(report: &mut CheckReport, expectations: &[Expectation]) {
    for p in report.properties.iter_mut() {
        p.expected = expectations
            .iter()
            .rev()
            .find(|e| e.property == p.name)
            .map(|e| e.verdict);
    }
    settle(report, expectations);
}

/// Decides the result and whether there is a finding: a search stopped early is
/// `incomplete` whatever it found, and a finding all the same when it found one.
fn settle(report: &mut CheckReport, expectations: &[Expectation]) {
    let decided = decide(&report.properties, expectations, report.complete);
    report.finding = matches!(decided, CheckResult::Violated | CheckResult::Unexpected);
    report.result = if report.complete {
        decided
    } else {
        CheckResult::Incomplete
    };
}
