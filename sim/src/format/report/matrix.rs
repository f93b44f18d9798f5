//! The report of `idc check --matrix`: per guard relaxed and per practice added, which
//! properties change against the baseline, and how.

use serde::Serialize;

use std::borrow::Cow;

use idc_model::properties::Kind;

use super::{ConfigView, StepView, Verdict, REPORT_VERSION};
use crate::engine::matrix::{outcomes, MatrixRun, Variation};
pub use crate::engine::matrix::{Effect, Outcome};
use crate::engine::replay::StartRefused;
use crate::engine::run::run_from;

/// One property whose outcome differs from the baseline.
#[derive(Clone, Debug, Serialize)]
pub struct Change {
    /// The property.
    pub property: Cow<'static, str>,
    /// `always` or `sometimes`.
    pub kind: Kind,
    /// The difference.
    pub effect: Effect,
    /// The outcome in the baseline.
    pub baseline: Outcome,
    /// The outcome in this row.
    pub now: Outcome,
    /// This row's shortest counterexample or example, if it has one.
    pub trace: Option<Vec<StepView>>,
}

/// What a row varies: a rule relaxed or a practice made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VariationKind {
    /// A guard switched off (`--relax`).
    Relax,
    /// A practice followed (`--practice`).
    Practice,
}

/// One row: a variation of the baseline and what it changes.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// `relax` or `practice`.
    pub variation: VariationKind,
    /// The rule id or the practice name.
    pub name: &'static str,
    /// The rule's sources, for rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'static str>,
    /// What the guard or the practice does.
    pub summary: &'static str,
    /// Whether the baseline already has this variation (then nothing can differ).
    pub in_baseline: bool,
    /// Every property whose outcome differs from the baseline.
    pub changes: Vec<Change>,
    /// The `always` properties this row breaks (holds in the baseline, violated here).
    pub breaks: Vec<Cow<'static, str>>,
    /// The `always` properties this row fixes (violated in the baseline, holding here).
    pub fixes: Vec<Cow<'static, str>>,
    /// Whether this row's exploration was complete.
    pub complete: bool,
    /// Why the design's start calls don't all succeed under this row's configuration (the
    /// row is then not explored: it has no changes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_refused: Option<String>,
    /// The properties whose change is unknown: this row or the baseline stopped early
    /// (`--max-memory`, `--max-time`, Ctrl-C) before finding them.
    pub unknown: Vec<Cow<'static, str>>,
    /// Distinct states explored (with the organization slice, both searches' states:
    /// docs/performance.md).
    pub unique: u64,
    /// Seconds.
    pub seconds: f64,
}

/// A property's outcome in the baseline.
#[derive(Clone, Debug, Serialize)]
pub struct BaselineProperty {
    /// The property.
    pub property: Cow<'static, str>,
    /// `always` or `sometimes`.
    pub kind: Kind,
    /// Its rule ids.
    pub rules: &'static [&'static str],
    /// Verdict and length.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// The whole matrix.
#[derive(Clone, Debug, Serialize)]
pub struct MatrixReport {
    /// `idc-matrix`.
    pub format: &'static str,
    /// The report's shape ([`REPORT_VERSION`]).
    pub version: u32,
    /// The model's semantics ([`idc_model::MODEL_VERSION`]).
    pub model: u32,
    /// Whether every row's exploration was complete (else some outcomes are unknown).
    pub complete: bool,
    /// The baseline configuration (with a design's names and threat model).
    pub config: ConfigView,
    /// The number of a design's start calls every row replays under its own configuration
    /// (absent: every row starts from the initial state).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<usize>,
    /// Whether symmetry reduction was used (it changes no outcome).
    pub symmetry: bool,
    /// The baseline's outcomes.
    pub baseline: Vec<BaselineProperty>,
    /// One row per rule the model implements as a guard, in catalogue order.
    pub rules: Vec<Row>,
    /// One row per best practice.
    pub practices: Vec<Row>,
    /// The rules whose relaxation breaks no property of the baseline (rows with an unknown
    /// outcome, or whose start calls fail, left out).
    pub rules_breaking_nothing: Vec<&'static str>,
    /// Wall-clock seconds for the whole matrix.
    pub seconds: f64,
}

/// Builds the report of a matrix (each change's trace replayed to describe its steps).
pub fn report(m: &MatrixRun) -> MatrixReport {
    let base = m.base;
    let (_, base_start, base_e) = &m.baseline;
    let base_outcomes = outcomes(&m.properties, base_e);
    let mut rule_rows = Vec::new();
    let mut practice_rows = Vec::new();
    for (v, model, run) in &m.rows {
        let mut changes = Vec::new();
        let mut unknown = Vec::new();
        let (start, e) = match run {
            Ok((start, e)) => (Some(start), Some(e)),
            Err(_) => (None, None),
        };
        let now = e.map(|e| outcomes(&m.properties, e)).unwrap_or_default();
        for (j, prop) in m.properties.iter().enumerate() {
            let (Some(start), Some(e)) = (start, e) else {
                break;
            };
            if base_outcomes[j].verdict == Verdict::Unknown || now[j].verdict == Verdict::Unknown {
                unknown.push(prop.name.clone());
            }
            let Some(effect) = Effect::of(prop.kind, base_outcomes[j], now[j]) else {
                continue;
            };
            let trace = e.discoveries[j]
                .as_ref()
                .map(|actions| StepView::of_run(&run_from(model, start.state.clone(), actions).0));
            changes.push(Change {
                property: prop.name.clone(),
                kind: prop.kind,
                effect,
                baseline: base_outcomes[j],
                now: now[j],
                trace,
            });
        }
        let with = |effect| {
            changes
                .iter()
                .filter(|c| c.effect == effect)
                .map(|c| c.property.clone())
                .collect()
        };
        let (variation, name, source, summary) = match *v {
            Variation::Relax(r) => (VariationKind::Relax, r.id(), Some(r.source()), r.summary()),
            Variation::Practice(p) => (VariationKind::Practice, p.name(), None, p.summary()),
        };
        let row = Row {
            variation,
            name,
            source,
            summary,
            in_baseline: v.in_baseline(&base),
            breaks: with(Effect::Breaks),
            fixes: with(Effect::Fixes),
            changes,
            complete: e.is_none_or(|e| e.complete),
            start_refused: run.as_ref().err().map(refused),
            unknown,
            unique: e.map_or(0, |e| e.unique + e.slice.as_ref().map_or(0, |f| f.unique)),
            seconds: e.map_or(0.0, |e| e.seconds),
        };
        match v {
            Variation::Relax(_) => rule_rows.push(row),
            Variation::Practice(_) => practice_rows.push(row),
        }
    }
    let rules_breaking_nothing = rule_rows
        .iter()
        .filter(|r| r.breaks.is_empty() && r.unknown.is_empty() && r.start_refused.is_none())
        .map(|r| r.name)
        .collect();
    MatrixReport {
        format: "idc-matrix",
        version: REPORT_VERSION,
        model: idc_model::MODEL_VERSION,
        complete: base_e.complete
            && m.rows
                .iter()
                .all(|(_, _, r)| r.as_ref().map_or(true, |(_, e)| e.complete)),
        config: ConfigView::named(&base, &base_start.names),
        from: (!base_start.is_initial()).then_some(base_start.steps.len()),
        symmetry: m.symmetry,
        baseline: m
            .properties
            .iter()
            .zip(base_outcomes)
            .map(|(p, outcome)| BaselineProperty {
                property: p.name.clone(),
                kind: p.kind,
                rules: p.rules,
                outcome,
            })
            .collect(),
        rules: rule_rows,
        practices: practice_rows,
        rules_breaking_nothing,
        seconds: m.seconds,
    }
}

/// Why a row's start calls fail, in the words of `--design`'s errors.
pub fn refused(r: &StartRefused) -> String {
    let why = match r.refusal {
        Some(refusal) => format!("AWS refuses it: {refusal}"),
        None => {
            "no reading of the undocumented points lets it and the start steps after it succeed"
                .to_string()
        }
    };
    format!("[start] step {} ({}): {why}", r.step, r.call)
}
