//! Runs a sequence of calls from the initial state and records what each step did.

use idc_model::diff::describe_changes;
use idc_model::properties::Kind;
use idc_model::{Call, IdcModel, Refusal, State, PROPERTIES};

/// One step of a run.
#[derive(Clone, Debug)]
pub struct StepRecord {
    /// The call.
    pub call: Call,
    /// `Ok` or the refusal.
    pub outcome: Result<(), Refusal>,
    /// What changed, in domain words (empty when refused).
    pub changes: Vec<String>,
    /// The `always` properties that fail in the state after the step.
    pub failing: Vec<&'static str>,
    /// The `sometimes` properties that hold in the state after the step.
    pub exemplified: Vec<&'static str>,
}

/// Runs `calls` from the initial state; a refused call leaves the state as it was (its
/// ghost facts cleared, as for any step).
pub fn run(model: &IdcModel, calls: &[Call]) -> (Vec<StepRecord>, State) {
    let mut state = model.initial();
    let mut records = Vec::with_capacity(calls.len());
    for &call in calls {
        let (outcome, changes) = match model.step(&state, call) {
            Ok(next) => {
                let changes = describe_changes(model.config(), &state, &next);
                state = next;
                (Ok(()), changes)
            }
            Err(refusal) => {
                state.ghost = 0;
                (Err(refusal), Vec::new())
            }
        };
        let (failing, exemplified) = judge(model, &state);
        records.push(StepRecord {
            call,
            outcome,
            changes,
            failing,
            exemplified,
        });
    }
    (records, state)
}

/// The `always` properties failing and the `sometimes` properties holding in a state.
pub fn judge(model: &IdcModel, state: &State) -> (Vec<&'static str>, Vec<&'static str>) {
    let mut failing = Vec::new();
    let mut exemplified = Vec::new();
    for p in PROPERTIES {
        let holds = (p.holds)(model, state);
        match p.kind {
            Kind::Always if !holds => failing.push(p.name),
            Kind::Sometimes if holds => exemplified.push(p.name),
            _ => {}
        }
    }
    (failing, exemplified)
}
