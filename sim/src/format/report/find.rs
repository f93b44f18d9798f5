//! The report of `idc find`: the expression, whether a state satisfies it, and the
//! shortest trace to one.

use serde::Serialize;

use idc_model::IdcModel;

use super::check::{CallsView, StatesView};
use super::{ConfigView, StepView, StopReason, REPORT_VERSION};
use crate::engine::explore::Exploration;
use crate::engine::run::run_from;
use crate::engine::trace::Start;
use crate::format::state::StateView;

/// The whole report of a find.
#[derive(Clone, Debug, Serialize)]
pub struct FindReport {
    /// `idc-find`.
    pub format: &'static str,
    /// The report's shape ([`REPORT_VERSION`]).
    pub version: u32,
    /// The model's semantics ([`idc_model::MODEL_VERSION`]).
    pub model: u32,
    /// The configuration.
    pub config: ConfigView,
    /// The expression, as given.
    pub expression: String,
    /// The number of calls that lead from the initial state to the state the search
    /// started from (`--from`); absent when it started from the initial state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<usize>,
    /// With `from`: the readings AWS took on the calls to the start state, which decide
    /// what follows (empty when none met an `either` assumption).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_readings: Option<Vec<super::ReadingView>>,
    /// Whether a state was found.
    pub result: FindResult,
    /// The shortest trace to a state where the expression holds (when found).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<Vec<StepView>>,
    /// The state found, in domain words (as `idc state` shows it; absent when none was).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<StateView>,
    /// State counts (the search stops at the first level holding a state it looks for).
    pub states: StatesView,
    /// Greatest depth reached.
    pub max_depth: u32,
    /// Why the search stopped before exploring every state, short of finding one:
    /// `max-depth`, `memory`, `time` or `interrupted`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<StopReason>,
    /// Whether symmetry reduction was used.
    pub symmetry: bool,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// The result of a find.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FindResult {
    /// A state satisfies the expression (exit 0).
    Found,
    /// Every reachable state was explored and none satisfies it (exit 1).
    NotFound,
    /// The search stopped first (exit 4, or 130 when interrupted).
    Incomplete,
}

/// Builds the report of the search for `expression` from `start` (its one property).
pub fn report(model: &IdcModel, start: &Start, expression: &str, e: &Exploration) -> FindReport {
    let found = e.discoveries.first().and_then(Option::as_ref);
    let run = found.map(|actions| run_from(model, start.state.clone(), actions));
    let trace = run.as_ref().map(|(records, _)| StepView::of_run(records));
    let state = run.map(|(_, end)| StateView::of(model.config(), &end));
    let result = match (found, e.stop) {
        (Some(_), _) => FindResult::Found,
        (None, None) => FindResult::NotFound,
        (None, Some(_)) => FindResult::Incomplete,
    };
    FindReport {
        format: "idc-find",
        version: REPORT_VERSION,
        model: idc_model::MODEL_VERSION,
        config: ConfigView::named(model.config(), &start.names),
        expression: expression.to_string(),
        from: (!start.is_initial()).then_some(start.steps.len()),
        from_readings: super::readings_of(start),
        result,
        trace,
        state,
        states: StatesView {
            generated: e.generated,
            unique: e.unique,
            symmetry: None,
            calls: CallsView::of(model),
            slice: None,
        },
        max_depth: e.max_depth,
        stopped: StopReason::early(e.stop),
        symmetry: e.symmetry,
        seconds: e.seconds,
    }
}
