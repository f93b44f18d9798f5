//! The stateright [`Model`]: a configuration, its universe of calls, and its properties.

use std::fmt;

use stateright::{Model, Property};

use crate::branch::Branch;
use crate::call::Call;
use crate::calls::all_calls;
use crate::config::{Config, ConfigError};
use crate::error::Refusal;
use crate::properties::{Kind, PROPERTIES};
use crate::state::State;
use crate::step::{gated_outcomes, outcomes, step, Gate, Gates, OpenCalls};

/// One step of a behaviour: a call, and the readings AWS took where an assumption is
/// `either` ([`Branch::NONE`] where it met none).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Action {
    /// The call.
    pub call: Call,
    /// The branch it took.
    pub branch: Branch,
}

impl From<Call> for Action {
    /// The call along [`Branch::NONE`].
    fn from(call: Call) -> Action {
        Action {
            call,
            branch: Branch::NONE,
        }
    }
}

impl fmt::Display for Action {
    /// The call, then the branch in brackets if it took one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.call)?;
        if !self.branch.is_none() {
            write!(f, " [{}]", self.branch)?;
        }
        Ok(())
    }
}

/// The model of IAM Identity Center delegated administration for one configuration.
#[derive(Clone, Debug)]
pub struct IdcModel {
    cfg: Config,
    calls: Vec<Call>,
    /// The gate of each call (same index).
    gates: Vec<Gate>,
    /// The calls grouped by caller and refusing gates.
    open: OpenCalls,
}

impl IdcModel {
    /// Builds the model of a configuration.
    pub fn new(cfg: Config) -> Result<IdcModel, ConfigError> {
        cfg.validate()?;
        let calls = all_calls(&cfg);
        Ok(IdcModel {
            gates: calls.iter().map(|c| Gate::of(&c.op)).collect(),
            open: OpenCalls::new(&calls),
            calls,
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

    /// Applies an action: the next state or the refusal; `None` when its branch does not
    /// fit the call in this state (see [`step`]).
    pub fn step(&self, state: &State, action: Action) -> Option<Result<State, Refusal>> {
        step(&self.cfg, state, action.call, action.branch)
    }

    /// Every outcome of a call, with its branch (see [`outcomes`]).
    pub fn outcomes(
        &self,
        state: &State,
        call: Call,
        f: impl FnMut(Branch, Result<State, Refusal>),
    ) {
        outcomes(&self.cfg, state, call, f)
    }

    /// The index of every call of `state` that the check its rules begin with does not
    /// refuse, in call order: every accepted outcome of `state` is an outcome of one of
    /// them. Each call left out has one outcome, that check's refusal along
    /// [`Branch::NONE`] (see [`crate::step::gate`]).
    #[inline]
    pub fn open_calls(&self, state: &State, f: impl FnMut(usize)) {
        self.open.each(&self.cfg, state, f)
    }

    /// Every outcome of the call `calls()[index]`, exactly as [`IdcModel::outcomes`] gives
    /// them, faster when the check its rules begin with refuses: `gates` (one per state)
    /// keeps that check's answer for the other calls of the same caller in `state` (see
    /// [`crate::step::gate`]).
    #[inline]
    pub fn gated_outcomes(
        &self,
        state: &State,
        index: usize,
        gates: &mut Gates,
        f: impl FnMut(Branch, Result<State, Refusal>),
    ) {
        gated_outcomes(
            &self.cfg,
            state,
            self.calls[index],
            self.gates[index],
            gates,
            f,
        )
    }
}

impl Model for IdcModel {
    type State = State;
    type Action = Action;

    fn init_states(&self) -> Vec<State> {
        vec![self.initial()]
    }

    fn actions(&self, state: &State, actions: &mut Vec<Action>) {
        // Every call along every branch, refused ones included: `next_state` returns
        // `None` for those, so guards live in one place (the step function) and replay
        // sees the same outcome.
        let mut gates = Gates::new();
        for (index, &call) in self.calls.iter().enumerate() {
            self.gated_outcomes(state, index, &mut gates, |branch, _| {
                actions.push(Action { call, branch })
            });
        }
    }

    fn next_state(&self, state: &State, action: Action) -> Option<State> {
        self.step(state, action)?.ok()
    }

    fn format_action(&self, action: &Action) -> String {
        action.to_string()
    }

    fn properties(&self) -> Vec<Property<Self>> {
        PROPERTIES
            .iter()
            .zip(PREDICATES)
            .map(|(p, holds)| match p.kind {
                Kind::Always => Property::always(p.name, *holds),
                Kind::Sometimes => Property::sometimes(p.name, *holds),
            })
            .collect()
    }
}

/// stateright takes a property as a plain `fn(&Model, &State)`; ours read only the state.
/// `PREDICATES[i]` is property `i` of [`PROPERTIES`] in that shape.
fn predicate<const I: usize>(_: &IdcModel, s: &State) -> bool {
    (PROPERTIES[I].holds)(s)
}

macro_rules! predicates {
    ($($i:literal)*) => { &[$(predicate::<$i>),*] };
}

const PREDICATES: &[fn(&IdcModel, &State) -> bool] =
    predicates!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20);

// INVARIANT: one predicate per property, checked at compile time.
const _: () = assert!(PREDICATES.len() == PROPERTIES.len());
