//! Traces as the engine sees them: a configuration, calls (with their branch, where the
//! trace names it) and expected outcomes, and a claim about a property. The file format is
//! [`crate::format::trace`].

use std::fmt;

use idc_model::properties::{property, Kind};
use idc_model::{
    AccountNames, Action, Branch, Call, Config, Exception, IdcModel, Practice, Reason, Refusal,
    Rule, State,
};

use crate::engine::properties::Property;
use crate::engine::run::run_from;
use crate::engine::verdict::Verdict;

/// The outcome a step is expected to have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Expect {
    /// The call succeeds.
    Ok,
    /// The API refuses the call with this exception. `reason` and `rule`, when given, must
    /// match too; when absent they are not checked.
    Error {
        /// The exception's name.
        exception: Exception,
        /// The `Reason` of a constraint violation.
        reason: Option<Reason>,
        /// The rule whose guard refuses.
        rule: Option<Rule>,
    },
    /// The API refuses the call, with any error.
    Refused,
    /// The management account does not make the call: it follows this practice (IDC-7).
    NotMade(Practice),
}

impl Expect {
    /// The exact expectation of an outcome (reason and rule included).
    pub fn of(outcome: &Result<(), Refusal>) -> Expect {
        match outcome {
            Ok(()) => Expect::Ok,
            Err(Refusal::Api { error, rule }) => Expect::Error {
                exception: error.exception,
                reason: error.reason,
                rule: *rule,
            },
            Err(Refusal::Practice(p)) => Expect::NotMade(*p),
        }
    }

    /// Whether an outcome meets the expectation.
    pub fn matches(&self, outcome: &Result<(), Refusal>) -> bool {
        match (self, outcome) {
            (Expect::Ok, Ok(())) => true,
            (
                Expect::Error {
                    exception,
                    reason,
                    rule,
                },
                Err(Refusal::Api {
                    error,
                    rule: actual_rule,
                }),
            ) => {
                *exception == error.exception
                    && reason.is_none_or(|r| error.reason == Some(r))
                    && rule.is_none_or(|r| *actual_rule == Some(r))
            }
            (Expect::Refused, Err(Refusal::Api { .. })) => true,
            (Expect::NotMade(p), Err(Refusal::Practice(q))) => p == q,
            _ => false,
        }
    }
}

impl fmt::Display for Expect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expect::Ok => f.write_str("ok"),
            Expect::Error {
                exception,
                reason,
                rule,
            } => {
                write!(f, "{exception}")?;
                if let Some(r) = reason {
                    write!(f, " ({r})")?;
                }
                if let Some(r) = rule {
                    write!(f, " [{r}]")?;
                }
                Ok(())
            }
            Expect::Refused => f.write_str("refused (any error)"),
            Expect::NotMade(p) => write!(f, "not made: practice {p} [IDC-7]"),
        }
    }
}

/// A claim: the property is violated (`always`) or exemplified (`sometimes`) in the state
/// after step `step` (0: the state the trace starts from).
#[derive(Clone)]
pub struct Claim {
    /// The property: a built-in one, or the user's (with its expression).
    pub property: Property,
    /// The step after which it is violated or exemplified.
    pub step: usize,
}

impl Claim {
    /// A claim about the built-in property `name`, if there is one.
    pub fn builtin(name: &str, step: usize) -> Option<Claim> {
        property(name).map(|info| Claim {
            property: Property::builtin(info),
            step,
        })
    }

    /// The property's name.
    pub fn name(&self) -> &str {
        &self.property.name
    }

    /// The verdict claimed: `violated` for an `always` property, `example` for a
    /// `sometimes` one.
    pub fn verdict(&self) -> Verdict {
        match self.property.kind {
            Kind::Sometimes => Verdict::Example,
            Kind::Always => Verdict::Violated,
        }
    }
}

impl PartialEq for Claim {
    fn eq(&self, other: &Claim) -> bool {
        self.property.name == other.property.name
            && self.property.kind == other.property.kind
            && self.property.expression() == other.property.expression()
            && self.step == other.step
    }
}

impl Eq for Claim {}

impl fmt::Debug for Claim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Claim")
            .field("property", &self.property.name)
            .field("expression", &self.property.expression())
            .field("step", &self.step)
            .finish()
    }
}

impl fmt::Display for Claim {
    /// `<property> violated after step N` or `<property> holds (example) after step N`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.verdict() == Verdict::Example {
            "holds (example)"
        } else {
            "violated"
        };
        write!(f, "{} {what} after step {}", self.property.name, self.step)
    }
}

/// One step of a trace.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TraceStep {
    /// The call.
    pub call: Call,
    /// The readings AWS takes at this step where an assumption is `either`; `None` when the
    /// trace does not say (replay then searches for branches that meet the expectations).
    pub branch: Option<Branch>,
    /// Its expected outcome, if the trace states one.
    pub expect: Option<Expect>,
    /// A note for people (why the step is there), if any.
    pub note: Option<String>,
}

/// A trace: the configuration it runs under, where it starts, its steps, and what it
/// claims.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    /// What the trace is about, for people.
    pub description: Option<String>,
    /// The model version it was written under ([`idc_model::MODEL_VERSION`]), if it says.
    pub model: Option<u32>,
    /// The model configuration.
    pub config: Config,
    /// The calls that lead from the initial state to the state the trace starts from
    /// (empty: it starts from the initial state). A search started `--from` another trace
    /// records that trace's calls here.
    pub from: Vec<TraceStep>,
    /// What the trace shows, if anything.
    pub claim: Option<Claim>,
    /// The calls, from the start state.
    pub steps: Vec<TraceStep>,
    /// A design's names for the accounts (empty: none), for people.
    pub names: AccountNames,
}

impl Trace {
    /// A trace of `actions` under the model from `start`, each step naming its branch and
    /// expecting the outcome the model gives it, with the claim that `property` is
    /// violated or exemplified after the last step.
    pub fn of_actions(
        model: &IdcModel,
        start: &Start,
        actions: &[Action],
        property: Option<&Property>,
    ) -> Trace {
        let (records, _) = run_from(model, start.state.clone(), actions);
        Trace {
            description: None,
            model: Some(idc_model::MODEL_VERSION),
            config: *model.config(),
            from: start.steps.clone(),
            claim: property.map(|property| Claim {
                property: property.clone(),
                step: actions.len(),
            }),
            steps: records
                .iter()
                .map(|r| TraceStep {
                    call: r.action.call,
                    branch: Some(r.action.branch),
                    expect: Some(Expect::of(&r.outcome)),
                    note: None,
                })
                .collect(),
            names: start.names.clone(),
        }
    }
}

/// Where a search, a simulation or a run starts: the model's initial state, or the state a
/// trace ends in (`--from`), with the calls that lead there.
#[derive(Clone, Debug)]
pub struct Start {
    /// The calls from the initial state, each with its branch and outcome (empty: the
    /// initial state).
    pub steps: Vec<TraceStep>,
    /// The state they lead to.
    pub state: State,
    /// A design's names for the accounts (empty: none): traces and reports written from
    /// this start speak of the accounts by them.
    pub names: AccountNames,
}

impl Start {
    /// The model's initial state.
    pub fn initial(model: &IdcModel) -> Start {
        Start {
            steps: Vec::new(),
            state: model.initial(),
            names: AccountNames::default(),
        }
    }

    /// Whether it is the model's initial state (no call leads to it).
    pub fn is_initial(&self) -> bool {
        self.steps.is_empty()
    }
}
