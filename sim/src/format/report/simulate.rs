//! The report of `idc simulate`: the outcomes of the calls made, and per property whether
//! a walk found it, with its shrunk trace.

use std::collections::BTreeMap;

use serde::Serialize;

use idc_model::properties::Kind;
use idc_model::IdcModel;

use super::{ConfigView, StepView, REPORT_VERSION};
use crate::engine::run::run_from;
use crate::engine::simulate::Simulation;
use crate::engine::trace::Start;

/// A property in the simulation report.
#[derive(Clone, Debug, Serialize)]
pub struct SimPropertyView {
    /// Stable name (a built-in's, or the user's).
    pub name: String,
    /// `always` or `sometimes`.
    pub kind: Kind,
    /// Rule ids (none for a user property).
    pub rules: &'static [&'static str],
    /// One-line meaning (a user property's description or expression).
    pub meaning: String,
    /// A user property's expression (absent for a built-in one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expression: Option<String>,
    /// Whether a walk found it.
    pub verdict: SimVerdict,
    /// In how many walks it was found.
    pub runs_found: u64,
    /// The walk that gave the shortest trace (0-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<u64>,
    /// That walk's trace length before shrinking.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_steps: Option<usize>,
    /// The shortest shrunk trace, step by step.
    pub trace: Option<Vec<StepView>>,
}

/// The report of `idc simulate`.
#[derive(Clone, Debug, Serialize)]
pub struct SimulateReport {
    /// `idc-simulate`.
    pub format: &'static str,
    /// The report's shape ([`REPORT_VERSION`]).
    pub version: u32,
    /// The model's semantics ([`idc_model::MODEL_VERSION`]).
    pub model: u32,
    /// The configuration.
    pub config: ConfigView,
    /// The seed.
    pub seed: u64,
    /// Walks made.
    pub runs: u64,
    /// Moves per walk asked for.
    pub depth: u32,
    /// Moves made in all.
    pub moves: u64,
    /// Calls made in all, refused ones included.
    pub steps: u64,
    /// Outcomes by name (`ok`, API exception names, `not made: <practice>`).
    pub outcomes: BTreeMap<String, u64>,
    /// The number of calls that lead from the initial state to the state the walks started
    /// from (`--from`); absent when they started from the initial state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<usize>,
    /// Every property.
    pub properties: Vec<SimPropertyView>,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Calls made per second.
    pub steps_per_second: f64,
    /// Whether an `always` property was violated.
    pub result: SimulateResult,
}

/// What the walks found of a property.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SimVerdict {
    /// A walk violated the `always` property.
    Violated,
    /// A walk reached a state where the `sometimes` property holds.
    Example,
    /// No walk found it (a simulation proves nothing).
    NotFound,
}

/// The result of a simulation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SimulateResult {
    /// No walk violated an `always` property (exit 0).
    Ok,
    /// A walk violated an `always` property (exit 1).
    Violated,
}

/// Builds the report of a simulation whose walks started from `start` (shrunk traces
/// replayed to describe each step).
pub fn report(model: &IdcModel, start: &Start, sim: &Simulation) -> SimulateReport {
    let properties: Vec<SimPropertyView> = sim
        .properties
        .iter()
        .zip(&sim.findings)
        .map(|(p, f)| SimPropertyView {
            name: p.name.to_string(),
            kind: p.kind,
            rules: p.rules,
            meaning: p.meaning.to_string(),
            expression: p.expression().map(str::to_string),
            verdict: match (f, p.kind) {
                (None, _) => SimVerdict::NotFound,
                (Some(_), Kind::Always) => SimVerdict::Violated,
                (Some(_), Kind::Sometimes) => SimVerdict::Example,
            },
            runs_found: f.as_ref().map_or(0, |f| f.runs_found),
            run: f.as_ref().map(|f| f.run),
            raw_steps: f.as_ref().map(|f| f.raw_steps),
            trace: f
                .as_ref()
                .map(|f| StepView::of_run(&run_from(model, start.state.clone(), &f.actions).0)),
        })
        .collect();
    let violated = properties.iter().any(|p| p.verdict == SimVerdict::Violated);
    SimulateReport {
        format: "idc-simulate",
        version: REPORT_VERSION,
        model: idc_model::MODEL_VERSION,
        config: ConfigView::named(model.config(), &start.names),
        seed: sim.options.seed,
        runs: sim.runs,
        depth: sim.options.depth,
        moves: sim.moves,
        steps: sim.steps,
        outcomes: sim.outcomes.clone(),
        from: (!start.is_initial()).then_some(start.steps.len()),
        properties,
        seconds: sim.seconds,
        steps_per_second: if sim.seconds > 0.0 {
            sim.steps as f64 / sim.seconds
        } else {
            0.0
        },
        result: if violated {
            SimulateResult::Violated
        } else {
            SimulateResult::Ok
        },
    }
}
