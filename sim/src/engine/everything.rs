//! The model as stateright's own checkers see it for a full count: `IdcModel` with one
//! property that always holds. stateright's checkers stop expanding a state once no
//! property awaits a discovery there, so without it they would stop early. Used to compare
//! this engine with stateright's (the tests that pin equal state counts, and
//! `idc-bench-stateright`).

use idc_model::{Action, IdcModel, State};
use stateright::{Model, Property};

/// `IdcModel` with one always-true property (see the module documentation).
pub struct Everything(pub IdcModel);

impl Model for Everything {
    type State = State;
    type Action = Action;

    fn init_states(&self) -> Vec<State> {
        self.0.init_states()
    }

    fn actions(&self, state: &State, actions: &mut Vec<Action>) {
        self.0.actions(state, actions)
    }

    fn next_state(&self, state: &State, action: Action) -> Option<State> {
        self.0.next_state(state, action)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        vec![Property::always("everything", |_, _| true)]
    }
}
