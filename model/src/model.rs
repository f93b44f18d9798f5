//! The stateright [`Model`]: a configuration, its universe of calls, and its properties.

use stateright::{Model, Property};

use crate::call::Call;
use crate::calls::all_calls;
use crate::config::{Config, ConfigError};
use crate::error::Refusal;
use crate::properties::{Kind, PROPERTIES};
use crate::state::State;
use crate::step::step;

/// The model of IAM Identity Center delegated administration for one configuration.
#[derive(Clone, Debug)]
pub struct IdcModel {
    cfg: Config,
    calls: Vec<Call>,
}

impl IdcModel {
    /// Builds the model of a configuration.
    pub fn new(cfg: Config) -> Result<IdcModel, ConfigError> {
        cfg.validate()?;
        Ok(IdcModel {
            calls: all_calls(&cfg),
            cfg,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// Every call of the configuration, in the order `actions` lists them.
    pub fn calls(&self) -> &[Call] {
        &self.calls
    }

    /// The initial state.
    pub fn initial(&self) -> State {
        State::initial(&self.cfg)
    }

    /// Applies a call: the next state or the refusal.
    pub fn step(&self, state: &State, call: Call) -> Result<State, Refusal> {
        step(&self.cfg, state, call)
    }
}

impl Model for IdcModel {
    type State = State;
    type Action = Call;

    fn init_states(&self) -> Vec<State> {
        vec![self.initial()]
    }

    fn actions(&self, _state: &State, actions: &mut Vec<Call>) {
        // Every call, refused ones included: `next_state` returns `None` for those, so
        // guards live in one place (the step function) and replay sees the same outcome.
        actions.extend_from_slice(&self.calls);
    }

    fn next_state(&self, state: &State, call: Call) -> Option<State> {
        step(&self.cfg, state, call).ok()
    }

    fn format_action(&self, call: &Call) -> String {
        call.to_string()
    }

    fn properties(&self) -> Vec<Property<Self>> {
        PROPERTIES
            .iter()
            .map(|p| match p.kind {
                Kind::Always => Property::always(p.name, p.holds),
                Kind::Sometimes => Property::sometimes(p.name, p.holds),
            })
            .collect()
    }
}
