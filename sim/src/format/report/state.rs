//! The report of `idc state`: the state a trace reaches after one of its steps, replayed as
//! `idc replay` replays it (the same branches), in domain words ([`StateView`]).

use std::collections::BTreeMap;

use serde::Serialize;

use idc_model::access::{access_blockers, Blocker};
use idc_model::{Acct, Config, ConfigError, IdcModel, State};

use super::replay::{replay_along, start_or_named, Divergence};
use super::{ConfigView, StepView, REPORT_VERSION};
use crate::engine::replay::actions_of;
use crate::engine::run::{judge, run_from};
use crate::engine::trace::Trace;
use crate::format::state::StateView;

/// The state after one step of a trace.
#[derive(Clone, Debug, Serialize)]
pub struct StateReport {
    /// `idc-state`.
    pub format: &'static str,
    /// The report's shape ([`REPORT_VERSION`]).
    pub version: u32,
    /// The model's semantics ([`idc_model::MODEL_VERSION`]).
    pub model: u32,
    /// The trace file, as named on the command line (`<stdin>` for `-`).
    pub trace: String,
    /// The configuration it ran under (the file's, with the command line's overrides).
    pub config: ConfigView,
    /// The number of calls (the trace's `from`) that lead from the initial state to the
    /// state its steps start from; absent when they start from the initial state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<usize>,
    /// The step after which the state is shown (0: the state the trace starts from: the
    /// initial state, or the state after its `from` calls).
    pub step: usize,
    /// The number of steps of the trace.
    pub steps: usize,
    /// The step that led to the state, as it ran (absent for the initial state).
    pub last_step: Option<StepView>,
    /// The first divergence at or before `step` (the state shown is then not the one the
    /// trace describes), else the trace's first divergence after it, else none.
    pub divergence: Option<Divergence>,
    /// The `always` properties that fail in the state.
    pub failing: Vec<&'static str>,
    /// The `sometimes` properties that hold in the state.
    pub exemplified: Vec<&'static str>,
    /// The state.
    pub state: StateView,
    /// Per account of the configuration (by name), why its assigned users can't sign in to
    /// it (the model's [`access_blockers`]); for people, not in the JSON.
    #[serde(skip)]
    pub blockers: Blockers,
}

/// Per account (by name), the conditions of effective access that fail for it.
pub type Blockers = BTreeMap<String, Vec<Blocker>>;

/// The [`Blockers`] of every account of `cfg` in state `s`.
pub fn blockers(cfg: &Config, s: &State) -> Blockers {
    (0..cfg.accounts())
        .map(Acct)
        .map(|a| (a.to_string(), access_blockers(s, a)))
        .collect()
}

/// Why the state after a step can't be shown.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The trace has fewer steps.
    #[error("--step {step}: the trace has {steps} step{}", if *.steps == 1 { "" } else { "s" })]
    StepOutOfRange {
        /// The step asked for.
        step: usize,
        /// The trace's steps.
        steps: usize,
    },
    /// The trace's configuration is out of range.
    #[error("config: {0}")]
    Config(#[from] ConfigError),
}

impl StateReport {
    /// Whether the steps up to the one shown (and a claim about a state up to it) replay as
    /// the trace writes them.
    pub fn as_written(&self) -> bool {
        self.divergence.as_ref().is_none_or(|d| d.step > self.step)
    }
}

/// The state after step `step` of a trace (0: the state it starts from). `file` labels the
/// report. The branches are those `idc replay` takes: chosen for the whole trace, so the
/// state is the one replay's report shows after that step.
pub fn state_after(file: &str, trace: &Trace, step: usize) -> Result<StateReport, StateError> {
    let steps = trace.steps.len();
    if step > steps {
        return Err(StateError::StepOutOfRange { step, steps });
    }
    let model = IdcModel::new(trace.config)?;
    let (start, from_divergence) = start_or_named(&model, trace);
    let actions = actions_of(&model, &start, trace);
    let replayed = replay_along(file, trace, &model, &start, from_divergence, &actions);
    let (_, state) = run_from(&model, start, &actions[..step]);
    let (failing, exemplified) = judge(&state);
    let divergence = replayed
        .divergence_within(step)
        .or_else(|| replayed.divergence.clone());
    let last_step = step
        .checked_sub(1)
        .and_then(|i| replayed.steps.get(i))
        .map(|s| s.step.clone());
    Ok(StateReport {
        format: "idc-state",
        version: REPORT_VERSION,
        model: idc_model::MODEL_VERSION,
        trace: file.to_string(),
        config: ConfigView::named(&trace.config, &trace.names),
        from: (!trace.from.is_empty()).then_some(trace.from.len()),
        step,
        steps,
        last_step,
        divergence,
        failing,
        exemplified,
        state: StateView::of(&trace.config, &state),
        blockers: blockers(&trace.config, &state),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::trace::{Claim, Expect, TraceStep};
    use idc_model::{Acct, Call, Config, Op, State};

    fn trace(expect_second: Expect) -> Trace {
        let m = Acct::MANAGEMENT;
        let step = |op: Op, expect: Expect| TraceStep {
            call: Call { caller: m, op },
            branch: None,
            expect: Some(expect),
            note: None,
        };
        Trace {
            description: None,
            model: None,
            config: Config::default(),
            from: Vec::new(),
            claim: None,
            steps: vec![
                step(Op::EnableIdentityCenter, Expect::Ok),
                step(Op::RegisterDelegatedAdministrator(Acct(1)), expect_second),
                step(Op::CloseAccount(Acct(2)), Expect::Ok),
            ],
            names: Default::default(),
        }
    }

    #[test]
    fn the_state_after_each_step() {
        let t = trace(Expect::Ok);
        let r = state_after("t.json", &t, 0).unwrap();
        assert_eq!(
            r.state,
            StateView::of(&t.config, &State::initial(&t.config))
        );
        assert!(r.last_step.is_none() && r.divergence.is_none() && r.as_written());
        let r = state_after("t.json", &t, 2).unwrap();
        assert_eq!(r.state.registry.delegated_administrators, vec!["member-1"]);
        assert_eq!(r.last_step.unwrap().call, "RegisterDelegatedAdministrator");
        let r = state_after("t.json", &t, 3).unwrap();
        assert_eq!(
            r.state.organization.accounts[2].status,
            crate::format::state::AccountStatus::Suspended
        );
        assert_eq!(
            state_after("t.json", &t, 4).unwrap_err().to_string(),
            "--step 4: the trace has 3 steps"
        );
    }

    #[test]
    fn a_divergence_counts_up_to_the_step_shown() {
        let t = trace(Expect::Refused);
        let r = state_after("t.json", &t, 1).unwrap();
        assert!(r.as_written(), "the divergence is after step 1");
        assert_eq!(r.divergence.as_ref().map(|d| d.step), Some(2));
        let r = state_after("t.json", &t, 2).unwrap();
        assert!(!r.as_written());
        // The state is the one the model reaches: the registration succeeded.
        assert_eq!(r.state.registry.delegated_administrators, vec!["member-1"]);
        // A claim about an earlier state that does not reproduce comes first.
        let mut t = trace(Expect::Refused);
        t.claim = Claim::builtin("at-most-one-delegated-admin", 1);
        let r = state_after("t.json", &t, 3).unwrap();
        let d = r.divergence.unwrap();
        assert_eq!(d.step, 1);
        assert!(
            d.reason.starts_with("the claim does not reproduce"),
            "{}",
            d.reason
        );
        let r = state_after("t.json", &t, 0).unwrap();
        assert!(r.as_written());
    }
}
