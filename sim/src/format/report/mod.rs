//! The reports of the commands as data: serialised with `--json` (every document carries
//! `format` and `version`; JSON Schemas in `docs/schema/`), rendered for people by
//! [`crate::render`] otherwise. This module holds the views every report shares: the
//! configuration, a step, an outcome, a stop reason; the verdicts are the engine's ([`Verdict`]).

pub mod check;
pub mod compare;
pub mod find;
pub mod matrix;
pub mod recover;
pub mod replay;
pub mod rules;
pub mod simulate;
pub mod state;

use std::collections::BTreeMap;

use serde::Serialize;

use idc_model::threat::Role;
use idc_model::{AccountNames, Acct, Branch, Call, Config, Refusal};

use crate::engine::explore::Stop;
use crate::engine::run::StepRecord;
pub use crate::engine::verdict::Verdict;

/// The version of every JSON report's shape (`"version"` beside `"format"`): raised when a
/// field changes meaning or goes away.
pub const REPORT_VERSION: u32 = 1;

/// The configuration a report was made under.
#[derive(Clone, Debug, Serialize)]
pub struct ConfigView {
    /// Member accounts.
    pub members: u8,
    /// Users.
    pub users: u8,
    /// Groups.
    pub groups: u8,
    /// Permission sets.
    pub permission_sets: u8,
    /// Every assumption with the value in force.
    pub assumptions: Vec<AssumptionView>,
    /// Practices followed by the management account.
    pub practices: Vec<&'static str>,
    /// Relaxed rules.
    pub relaxed: Vec<&'static str>,
    /// A design's threat model, when it narrows who makes which calls (absent: every
    /// account may make any call).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threat: Option<ThreatView>,
    /// A design's names for the accounts, model id to name (absent: none).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub accounts: BTreeMap<String, String>,
}

/// A design's threat model.
#[derive(Clone, Debug, Serialize)]
pub struct ThreatView {
    /// In one line, for people, accounts by the design's names.
    pub summary: String,
    /// Each account that does not make every call: the operations it makes (empty: idle).
    pub allowed: BTreeMap<String, Vec<&'static str>>,
}

impl ThreatView {
    /// The threat model of `cfg`, `None` when every account may make any call.
    pub fn of(cfg: &Config, names: &AccountNames) -> Option<ThreatView> {
        let t = &cfg.threat;
        (!t.is_open()).then(|| ThreatView {
            summary: t.summary(cfg.accounts(), |a| names.label(a)),
            allowed: (0..cfg.accounts())
                .map(Acct)
                .filter(|&a| !matches!(t.role(a), Role::Any))
                .map(|a| {
                    (
                        a.to_string(),
                        t.allowed(a).iter().map(|k| k.name()).collect(),
                    )
                })
                .collect(),
        })
    }
}

/// One assumption.
#[derive(Clone, Debug, Serialize)]
pub struct AssumptionView {
    /// `Q1` …
    pub id: &'static str,
    /// The `--assume` key.
    pub key: &'static str,
    /// The value in force.
    pub value: &'static str,
    /// Whether it is the default value.
    pub default: bool,
    /// Whether it is the sound value: `either` or the reading that allows more, so that a
    /// verdict `holds` holds whatever AWS does (Q1 only names an error: always sound).
    pub sound: bool,
}

impl ConfigView {
    /// Describes a configuration whose accounts have no names.
    pub fn of(cfg: &Config) -> ConfigView {
        ConfigView::named(cfg, &AccountNames::default())
    }

    /// The design's names for the accounts (none if it has none).
    pub fn names(&self) -> AccountNames {
        let mut names = AccountNames::default();
        for (id, name) in &self.accounts {
            if let Some(a) = Acct::parse(id) {
                names.set(a, name);
            }
        }
        names
    }

    /// Describes a configuration whose accounts a design names.
    pub fn named(cfg: &Config, names: &AccountNames) -> ConfigView {
        ConfigView {
            threat: ThreatView::of(cfg, names),
            accounts: names
                .iter()
                .map(|(a, n)| (a.to_string(), n.to_string()))
                .collect(),
            members: cfg.members,
            users: cfg.users,
            groups: cfg.groups,
            permission_sets: cfg.permission_sets,
            assumptions: cfg
                .assumptions
                .describe()
                .into_iter()
                .map(|a| AssumptionView {
                    id: a.id,
                    key: a.key,
                    value: a.value,
                    default: a.value == a.values[0],
                    sound: a.is_sound(),
                })
                .collect(),
            practices: cfg.practices.iter().map(|p| p.name()).collect(),
            relaxed: cfg.relaxed.iter().map(|r| r.id()).collect(),
        }
    }
}

/// The outcome of a step, as in trace files: `"ok"` or the error.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum OutcomeView {
    /// The call succeeded: `"ok"`.
    Ok(&'static str),
    /// The API refused it.
    Error {
        /// The exception name.
        error: &'static str,
        /// The `ConstraintViolationException` reason, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<&'static str>,
        /// The rule whose guard refused, if any.
        #[serde(skip_serializing_if = "Option::is_none")]
        rule: Option<&'static str>,
    },
    /// The management account does not make the call (a practice).
    NotMade {
        /// The practice (`"not_made"` in JSON, as in trace files' `expect`).
        #[serde(rename = "not_made")]
        practice: &'static str,
    },
}

impl OutcomeView {
    /// Describes an outcome.
    pub fn of(outcome: &Result<(), Refusal>) -> OutcomeView {
        match outcome {
            Ok(()) => OutcomeView::Ok("ok"),
            Err(Refusal::Api { error, rule }) => OutcomeView::Error {
                error: error.exception.name(),
                reason: error.reason.map(|r| r.name()),
                rule: rule.map(|r| r.id()),
            },
            Err(Refusal::Practice(p)) => OutcomeView::NotMade { practice: p.name() },
        }
    }
}

impl std::fmt::Display for OutcomeView {
    /// `ok`, `Exception (REASON) [RULE-ID]`, or `not made: practice NAME [IDC-7]`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutcomeView::Ok(_) => f.write_str("ok"),
            OutcomeView::Error {
                error,
                reason,
                rule,
            } => {
                f.write_str(error)?;
                if let Some(r) = reason {
                    write!(f, " ({r})")?;
                }
                if let Some(r) = rule {
                    write!(f, " [{r}]")?;
                }
                Ok(())
            }
            OutcomeView::NotMade { practice } => {
                write!(f, "not made: practice {practice} [IDC-7]")
            }
        }
    }
}

/// One step of a trace.
#[derive(Clone, Debug, Serialize)]
pub struct StepView {
    /// 1-based step number.
    pub step: usize,
    /// The caller's account (`management`, `member-1`).
    pub caller: String,
    /// The AWS operation name.
    pub call: &'static str,
    /// Its parameters.
    pub params: serde_json::Map<String, serde_json::Value>,
    /// Where an assumption is `either`: the reading AWS took at this step, by assumption
    /// key (absent when the step met no such decision).
    #[serde(skip_serializing_if = "serde_json::Map::is_empty")]
    pub branch: serde_json::Map<String, serde_json::Value>,
    /// What happened.
    pub outcome: OutcomeView,
    /// What changed, in domain words.
    pub changes: Vec<String>,
    /// `always` properties failing after the step.
    pub failing: Vec<&'static str>,
}

/// A branch as a JSON object: assumption key to reading (empty for [`Branch::NONE`]).
pub fn branch_json(branch: Branch) -> serde_json::Map<String, serde_json::Value> {
    branch
        .named()
        .map(|(k, v)| (k.to_string(), serde_json::Value::from(v)))
        .collect()
}

/// A reading AWS took on the way to a `--from` start state: which of the calls from the
/// initial state (1-based) met an `either` assumption, and the reading it took.
#[derive(Clone, Debug, Serialize)]
pub struct ReadingView {
    /// The call, counted from the initial state (1 is the first `from` call).
    pub call: usize,
    /// The readings, assumption → reading.
    pub branch: serde_json::Map<String, serde_json::Value>,
}

/// The readings the calls to a start state took (empty: none met an `either` assumption);
/// `None` for the initial state.
pub fn readings_of(start: &crate::engine::trace::Start) -> Option<Vec<ReadingView>> {
    (!start.is_initial()).then(|| {
        start
            .steps
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let b = s.branch.filter(|b| !b.is_none())?;
                Some(ReadingView {
                    call: i + 1,
                    branch: branch_json(b),
                })
            })
            .collect()
    })
}

/// The parameters of a call as a JSON object.
pub fn params_json(call: &Call) -> serde_json::Map<String, serde_json::Value> {
    call.op
        .params()
        .into_iter()
        .map(|(k, v)| (k.to_string(), serde_json::Value::String(v)))
        .collect()
}

impl StepView {
    /// Describes the records of a run.
    pub fn of_run(records: &[StepRecord]) -> Vec<StepView> {
        records
            .iter()
            .enumerate()
            .map(|(i, r)| StepView {
                step: i + 1,
                caller: r.action.call.caller.to_string(),
                call: r.action.call.op.name(),
                params: params_json(&r.action.call),
                branch: branch_json(r.action.branch),
                outcome: OutcomeView::of(&r.outcome),
                changes: r.changes.clone(),
                failing: r.failing.clone(),
            })
            .collect()
    }
}

/// Why a search stopped before it explored every reachable state, as reports give it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StopReason {
    /// `--max-depth` was reached.
    MaxDepth,
    /// `--max-memory` would have been exceeded.
    Memory,
    /// `--max-time` was reached.
    Time,
    /// Ctrl-C.
    Interrupted,
}

impl StopReason {
    /// The reason a search stopped early, if it did: a search that stopped because it found
    /// everything it looked for ([`Stop::Found`], `find`) did not stop early.
    pub fn early(stop: Option<Stop>) -> Option<StopReason> {
        match stop? {
            Stop::MaxDepth => Some(StopReason::MaxDepth),
            Stop::Memory { .. } => Some(StopReason::Memory),
            Stop::Time { .. } => Some(StopReason::Time),
            Stop::Interrupted => Some(StopReason::Interrupted),
            Stop::Found => None,
        }
    }
}
