//! Runs a sequence of actions from the initial state and records what each step did.

use idc_model::diff::describe_step;
use idc_model::properties::Kind;
use idc_model::{Action, Branch, IdcModel, Refusal, State, PROPERTIES};

/// One step of a run.
#[derive(Clone, Debug)]
pub struct StepRecord {
    /// The call and the branch it took.
    pub action: Action,
    /// `Ok` or the refusal.
    pub outcome: Result<(), Refusal>,
    /// What changed, in domain words (empty when refused).
    pub changes: Vec<String>,
    /// The `always` properties that fail in the state after the step.
    pub failing: Vec<&'static str>,
    /// The `sometimes` properties that hold in the state after the step.
    pub exemplified: Vec<&'static str>,
}

/// The outcome of one action from `state`: along its branch if the branch fits the call
/// there, otherwise along the call's first branch. Returns the branch taken.
pub fn step_along(
    model: &IdcModel,
    state: &State,
    action: Action,
) -> (Branch, Result<State, Refusal>) {
    if let Some(outcome) = model.step(state, action) {
        return (action.branch, outcome);
    }
    let mut first = None;
    model.outcomes(state, action.call, |branch, outcome| {
        if first.is_none() {
            first = Some((branch, outcome));
        }
    });
    // INVARIANT: every call has at least one outcome.
    first.unwrap_or((Branch::NONE, Ok(state.clone())))
}

/// Applies an outcome to the state: the next state, or — refused — the same state with its
/// ghost facts cleared (as for any step).
pub fn advance(state: &mut State, outcome: &Result<State, Refusal>) {
    match outcome {
        Ok(next) => *state = next.clone(),
        Err(_) => state.ghost = 0,
    }
}

/// Runs `actions` from the initial state. Each step takes its action's branch where it fits
/// (paths of the checker always fit) and its call's first branch otherwise; the record
/// names the branch taken.
pub fn run(model: &IdcModel, actions: &[Action]) -> (Vec<StepRecord>, State) {
    run_from(model, model.initial(), actions)
}

/// [`run`] from another state.
pub fn run_from(model: &IdcModel, start: State, actions: &[Action]) -> (Vec<StepRecord>, State) {
    let mut state = start;
    let mut records = Vec::with_capacity(actions.len());
    for &action in actions {
        let (branch, outcome) = step_along(model, &state, action);
        let changes = match &outcome {
            Ok(next) => describe_step(model.config(), &state, &action.call, next),
            Err(_) => Vec::new(),
        };
        advance(&mut state, &outcome);
        let (failing, exemplified) = judge(&state);
        records.push(StepRecord {
            action: Action {
                call: action.call,
                branch,
            },
            outcome: outcome.map(|_| ()),
            changes,
            failing,
            exemplified,
        });
    }
    (records, state)
}

/// The `always` properties failing and the `sometimes` properties holding in a state.
pub fn judge(state: &State) -> (Vec<&'static str>, Vec<&'static str>) {
    let mut failing = Vec::new();
    let mut exemplified = Vec::new();
    for p in PROPERTIES {
        let holds = (p.holds)(state);
        match p.kind {
            Kind::Always if !holds => failing.push(p.name),
            Kind::Sometimes if holds => exemplified.push(p.name),
            _ => {}
        }
    }
    (failing, exemplified)
}
