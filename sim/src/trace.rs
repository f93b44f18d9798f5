//! Trace files (`docs/trace-format.md`): a configuration, a sequence of calls with their
//! expected outcomes (and, where an assumption is `either`, the branch each took), and
//! optionally a claim about a property. Versioned JSON, written for people too: accounts,
//! calls and parameters by their readable names.
//!
//! [`Trace`] is the typed trace; [`parse`] and [`to_json`] convert it from and to the
//! file's text, [`read`] and [`write`] do the same with files. Every error names its place:
//! a JSON line and column, `config`, `claim`, or a step number.

use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use idc_model::assumptions::AssumptionError;
use idc_model::branch::BranchError;
use idc_model::parse::CallError;
use idc_model::properties::{property, Kind};
use idc_model::{
    Action, Branch, Call, Config, ConfigError, Exception, IdcModel, Practice, Reason, Refusal, Rule,
};

use crate::report::{branch_json, params_json};
use crate::run::run;

/// The value of the `format` field.
pub const FORMAT: &str = "idc-trace";
/// The format version this build reads and writes. Version 2 (model v2): the organization
/// instance is enabled by `EnableIdentityCenter` (`CreateInstance` makes account
/// instances), and steps may name their branch.
pub const VERSION: u64 = 2;

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
            (Expect::NotMade(p), Err(Refusal::Practice(q))) => p == q,
            _ => false,
        }
    }

    /// The expectation as in trace files.
    pub fn to_value(&self) -> Value {
        match self {
            Expect::Ok => Value::from("ok"),
            Expect::Error {
                exception,
                reason,
                rule,
            } => {
                let mut m = Map::new();
                m.insert("error".into(), exception.name().into());
                if let Some(r) = reason {
                    m.insert("reason".into(), r.name().into());
                }
                if let Some(r) = rule {
                    m.insert("rule".into(), r.id().into());
                }
                Value::Object(m)
            }
            Expect::NotMade(p) => {
                let mut m = Map::new();
                m.insert("not_made".into(), p.name().into());
                Value::Object(m)
            }
        }
    }

    fn from_value(v: &Value) -> Result<Expect, StepError> {
        let bad = || {
            StepError::Expect(format!("expect must be \"ok\", {{\"error\": ..., \"reason\": ...}} or {{\"not_made\": ...}}, got {v}"))
        };
        match v {
            Value::String(s) if s == "ok" => Ok(Expect::Ok),
            Value::Object(m) if m.contains_key("error") => {
                let field = |key: &str| -> Result<Option<&str>, StepError> {
                    match m.get(key) {
                        None => Ok(None),
                        Some(Value::String(s)) => Ok(Some(s)),
                        Some(other) => Err(StepError::Expect(format!(
                            "expect.{key} must be a string, got {other}"
                        ))),
                    }
                };
                if let Some(k) = m
                    .keys()
                    .find(|k| !["error", "reason", "rule"].contains(&k.as_str()))
                {
                    return Err(StepError::Expect(format!(
                        "expect has no field '{k}' (fields: error, reason, rule)"
                    )));
                }
                let name = field("error")?.unwrap_or_default();
                let exception = Exception::parse(name)
                    .ok_or_else(|| StepError::Expect(format!("unknown error '{name}'")))?;
                let reason = field("reason")?
                    .map(|r| {
                        Reason::parse(r)
                            .ok_or_else(|| StepError::Expect(format!("unknown reason '{r}'")))
                    })
                    .transpose()?;
                let rule = field("rule")?
                    .map(|r| {
                        Rule::parse(r)
                            .ok_or_else(|| StepError::Expect(format!("unknown rule '{r}'")))
                    })
                    .transpose()?;
                Ok(Expect::Error {
                    exception,
                    reason,
                    rule,
                })
            }
            Value::Object(m) if m.len() == 1 && m.contains_key("not_made") => {
                let name = m["not_made"].as_str().unwrap_or_default();
                Practice::parse(name)
                    .map(Expect::NotMade)
                    .ok_or_else(|| StepError::Expect(format!("unknown practice '{name}'")))
            }
            _ => Err(bad()),
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
            Expect::NotMade(p) => write!(f, "not made: practice {p} [IDC-7]"),
        }
    }
}

/// A claim: the property is violated (`always`) or exemplified (`sometimes`) in the state
/// after step `step` (0: the initial state).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Claim {
    /// The property's stable name.
    pub property: &'static str,
    /// The step after which it is violated or exemplified.
    pub step: usize,
}

impl Claim {
    /// `violated` for an `always` property, `example` for a `sometimes` one.
    pub fn verdict(&self) -> &'static str {
        match property(self.property).map(|p| p.kind) {
            Some(Kind::Sometimes) => "example",
            _ => "violated",
        }
    }
}

impl fmt::Display for Claim {
    /// `<property> violated after step N` or `<property> holds (example) after step N`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.verdict() == "example" {
            "holds (example)"
        } else {
            "violated"
        };
        write!(f, "{} {what} after step {}", self.property, self.step)
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

/// A trace: the configuration it runs under, its steps, and what it claims.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trace {
    /// What the trace is about, for people.
    pub description: Option<String>,
    /// The model configuration.
    pub config: Config,
    /// What the trace shows, if anything.
    pub claim: Option<Claim>,
    /// The calls, from the initial state.
    pub steps: Vec<TraceStep>,
}

impl Trace {
    /// A trace of `actions` under the model, each step naming its branch and expecting the
    /// outcome the model gives it, with the claim that `property` is violated or
    /// exemplified after the last step.
    pub fn of_actions(
        model: &IdcModel,
        actions: &[Action],
        property: Option<&'static str>,
    ) -> Trace {
        let (records, _) = run(model, actions);
        Trace {
            description: None,
            config: *model.config(),
            claim: property.map(|property| Claim {
                property,
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
        }
    }
}

// ------------------------------------------------------------------------ errors

/// What is wrong in the `config` object.
#[derive(Debug, thiserror::Error)]
pub enum ConfigFileError {
    /// A size is out of range.
    #[error(transparent)]
    Size(#[from] ConfigError),
    /// An assumption's key or value is unknown.
    #[error(transparent)]
    Assumption(#[from] AssumptionError),
    /// An assumption's value is not a string.
    #[error("assumption '{0}' must have a string value")]
    AssumptionNotString(String),
    /// An unknown practice.
    #[error("unknown practice '{0}' (known: {known})", known = Practice::ALL.iter().map(|p| p.name()).collect::<Vec<_>>().join(", "))]
    Practice(String),
    /// An unknown or unrelaxable rule id.
    #[error("unknown or unrelaxable rule '{0}' (see 'idc rules')")]
    Rule(String),
}

/// What is wrong in one step.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    /// The caller, call or a parameter is not understood, or beyond the configuration.
    #[error(transparent)]
    Call(#[from] CallError),
    /// A parameter's value is not a string.
    #[error("parameter '{0}' must have a string value")]
    ParamNotString(String),
    /// The expected outcome is malformed.
    #[error("{0}")]
    Expect(String),
    /// The branch is malformed.
    #[error(transparent)]
    Branch(#[from] BranchError),
    /// A branch reading is not a string.
    #[error("branch: assumption '{0}' must have a string value")]
    BranchNotString(String),
}

/// What is wrong in the claim.
#[derive(Debug, thiserror::Error)]
pub enum ClaimError {
    /// No property has that name.
    #[error("unknown property '{0}' (see 'idc rules')")]
    UnknownProperty(String),
    /// The verdict does not fit the property's kind.
    #[error("'{verdict}' is not a claim about the {kind} property '{property}' (use {allowed})")]
    Verdict {
        /// The property.
        property: String,
        /// Its kind.
        kind: &'static str,
        /// The verdict given.
        verdict: String,
        /// The verdict that fits.
        allowed: &'static str,
    },
    /// The claim's step is beyond the trace.
    #[error("step {step} is beyond the trace's {steps} steps")]
    StepBeyond {
        /// The claimed step.
        step: usize,
        /// The number of steps.
        steps: usize,
    },
}

/// Why a trace's text is not a valid trace.
#[derive(Debug, thiserror::Error)]
pub enum TraceError {
    /// The file could not be read.
    #[error("cannot read: {0}")]
    Read(#[from] std::io::Error),
    /// The file (or its directory) could not be written.
    #[error("cannot write: {0}")]
    Write(std::io::Error),
    /// The file is empty (or only whitespace).
    #[error("empty file, expected a JSON trace (see docs/trace-format.md)")]
    Empty,
    /// Malformed JSON, or a field of the wrong shape.
    #[error("line {line}, column {column}: {message}")]
    Json {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What is wrong there.
        message: String,
    },
    /// Valid JSON, but not an `idc-trace` document.
    #[error("not an idc trace: {0}")]
    NotATrace(String),
    /// A format version this build does not read.
    #[error("unknown format version {0} (this idc reads version {VERSION}{hint})", hint = if .0 == "1" { "; a version 1 trace enables IAM Identity Center with CreateInstance: call it EnableIdentityCenter and set \"version\": 2" } else { "" })]
    Version(String),
    /// The configuration is invalid.
    #[error("config: {0}")]
    Config(#[from] ConfigFileError),
    /// A step is invalid (steps are numbered from 1).
    #[error("step {step}: {error}")]
    Step {
        /// The step's number.
        step: usize,
        /// What is wrong.
        error: StepError,
    },
    /// The claim is invalid.
    #[error("claim: {0}")]
    Claim(#[from] ClaimError),
}

impl From<serde_json::Error> for TraceError {
    fn from(e: serde_json::Error) -> TraceError {
        let full = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        TraceError::Json {
            line: e.line(),
            column: e.column(),
            message: full.strip_suffix(&suffix).unwrap_or(&full).to_string(),
        }
    }
}

/// A trace file that could not be read, written or understood: the path and the reason.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {error}")]
pub struct FileError {
    /// The file.
    pub path: String,
    /// What went wrong.
    pub error: TraceError,
}

// ----------------------------------------------------------------- file shapes

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRepr {
    format: String,
    version: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default)]
    config: ConfigRepr,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    claim: Option<ClaimRepr>,
    steps: Vec<StepRepr>,
}

#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigRepr {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    members: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    users: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    groups: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    permission_sets: Option<u8>,
    #[serde(default)]
    assumptions: Map<String, Value>,
    #[serde(default)]
    practices: Vec<String>,
    #[serde(default)]
    relaxed: Vec<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimRepr {
    property: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    verdict: Option<String>,
    step: usize,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct StepRepr {
    caller: String,
    call: String,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    params: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    branch: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expect: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

// --------------------------------------------------------------------- reading

/// Parses a trace from its text.
pub fn parse(text: &str) -> Result<Trace, TraceError> {
    if text.trim().is_empty() {
        return Err(TraceError::Empty);
    }
    // Syntax first (line and column), then the header, then the shape (line and column).
    let value: Value = serde_json::from_str(text)?;
    let Value::Object(root) = &value else {
        return Err(TraceError::NotATrace(
            "the document is not a JSON object".into(),
        ));
    };
    match root.get("format") {
        Some(Value::String(f)) if f == FORMAT => {}
        Some(other) => {
            return Err(TraceError::NotATrace(format!(
                "format is {other}, expected \"{FORMAT}\""
            )))
        }
        None => {
            return Err(TraceError::NotATrace(format!(
                "no \"format\": \"{FORMAT}\" field"
            )))
        }
    }
    match root.get("version") {
        Some(v) if v.as_u64() == Some(VERSION) => {}
        Some(v) => return Err(TraceError::Version(v.to_string())),
        None => return Err(TraceError::NotATrace("no \"version\" field".into())),
    }
    let repr: FileRepr = serde_json::from_str(text)?;
    resolve(repr)
}

fn resolve(repr: FileRepr) -> Result<Trace, TraceError> {
    let config = resolve_config(repr.config)?;
    let mut steps = Vec::with_capacity(repr.steps.len());
    for (i, s) in repr.steps.iter().enumerate() {
        let step =
            resolve_step(&config, s).map_err(|error| TraceError::Step { step: i + 1, error })?;
        steps.push(step);
    }
    let claim = repr
        .claim
        .map(|c| resolve_claim(c, steps.len()))
        .transpose()?;
    Ok(Trace {
        description: repr.description,
        config,
        claim,
        steps,
    })
}

fn resolve_config(c: ConfigRepr) -> Result<Config, ConfigFileError> {
    let d = Config::default();
    let mut cfg = Config {
        members: c.members.unwrap_or(d.members),
        users: c.users.unwrap_or(d.users),
        groups: c.groups.unwrap_or(d.groups),
        permission_sets: c.permission_sets.unwrap_or(d.permission_sets),
        ..d
    };
    cfg.validate()?;
    for (key, value) in &c.assumptions {
        let value = value
            .as_str()
            .ok_or_else(|| ConfigFileError::AssumptionNotString(key.clone()))?;
        cfg.assumptions.set(&format!("{key}={value}"))?;
    }
    for p in &c.practices {
        cfg.practices
            .insert(Practice::parse(p).ok_or_else(|| ConfigFileError::Practice(p.clone()))?);
    }
    for r in &c.relaxed {
        let rule = Rule::parse(r)
            .filter(|rule| rule.relaxable())
            .ok_or_else(|| ConfigFileError::Rule(r.clone()))?;
        cfg.relaxed.insert(rule);
    }
    Ok(cfg)
}

fn resolve_step(cfg: &Config, s: &StepRepr) -> Result<TraceStep, StepError> {
    let mut params = Vec::with_capacity(s.params.len());
    for (k, v) in &s.params {
        let v = v
            .as_str()
            .ok_or_else(|| StepError::ParamNotString(k.clone()))?;
        params.push((k.as_str(), v));
    }
    let call = Call::parse(cfg, &s.caller, &s.call, params)?;
    let branch = match &s.branch {
        None => None,
        Some(m) => {
            let mut pairs = Vec::with_capacity(m.len());
            for (k, v) in m {
                let v = v
                    .as_str()
                    .ok_or_else(|| StepError::BranchNotString(k.clone()))?;
                pairs.push((k.as_str(), v));
            }
            Some(Branch::from_named(pairs)?)
        }
    };
    let expect = s.expect.as_ref().map(Expect::from_value).transpose()?;
    Ok(TraceStep {
        call,
        branch,
        expect,
        note: s.note.clone(),
    })
}

fn resolve_claim(c: ClaimRepr, steps: usize) -> Result<Claim, ClaimError> {
    let info = property(&c.property).ok_or(ClaimError::UnknownProperty(c.property.clone()))?;
    let claim = Claim {
        property: info.name,
        step: c.step,
    };
    if let Some(v) = c.verdict {
        if v != claim.verdict() {
            return Err(ClaimError::Verdict {
                property: c.property,
                kind: info.kind.name(),
                verdict: v,
                allowed: claim.verdict(),
            });
        }
    }
    if c.step > steps {
        return Err(ClaimError::StepBeyond {
            step: c.step,
            steps,
        });
    }
    Ok(claim)
}

/// Reads and parses a trace file.
pub fn read(path: &Path) -> Result<Trace, FileError> {
    let located = |error| FileError {
        path: path.display().to_string(),
        error,
    };
    let text = std::fs::read_to_string(path).map_err(|e| located(e.into()))?;
    parse(&text).map_err(located)
}

// --------------------------------------------------------------------- writing

/// Serialises without line breaks, with a space after each `:` and `,`.
struct OneLine;

impl serde_json::ser::Formatter for OneLine {
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
}

fn one_line<T: Serialize>(value: &T) -> String {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, OneLine);
    // INVARIANT: the file shapes serialise infallibly (strings, numbers, maps with string keys).
    value
        .serialize(&mut ser)
        .expect("trace shapes always serialise");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

fn config_repr(cfg: &Config) -> ConfigRepr {
    ConfigRepr {
        members: Some(cfg.members),
        users: Some(cfg.users),
        groups: Some(cfg.groups),
        permission_sets: Some(cfg.permission_sets),
        // Every assumption, defaults included: the file keeps its meaning if a default
        // changes in a later model.
        assumptions: cfg
            .assumptions
            .describe()
            .into_iter()
            .map(|a| (a.key.to_string(), Value::from(a.value)))
            .collect(),
        practices: cfg.practices.iter().map(|p| p.name().to_string()).collect(),
        relaxed: cfg.relaxed.iter().map(|r| r.id().to_string()).collect(),
    }
}

fn step_repr(s: &TraceStep) -> StepRepr {
    StepRepr {
        caller: s.call.caller.to_string(),
        call: s.call.op.name().to_string(),
        params: params_json(&s.call),
        branch: s.branch.filter(|b| !b.is_none()).map(branch_json),
        expect: s.expect.map(|e| e.to_value()),
        note: s.note.clone(),
    }
}

/// The text of a trace file: the header and configuration pretty-printed, the claim and
/// each step on one line.
pub fn to_json(trace: &Trace) -> String {
    let config = serde_json::to_string_pretty(&config_repr(&trace.config))
        .expect("trace shapes always serialise")
        .replace('\n', "\n  ");
    let mut out = format!("{{\n  \"format\": \"{FORMAT}\",\n  \"version\": {VERSION},\n");
    if let Some(d) = &trace.description {
        out += &format!("  \"description\": {},\n", Value::from(d.as_str()));
    }
    out += &format!("  \"config\": {config},\n");
    if let Some(c) = &trace.claim {
        let claim = ClaimRepr {
            property: c.property.to_string(),
            verdict: Some(c.verdict().to_string()),
            step: c.step,
        };
        out += &format!("  \"claim\": {},\n", one_line(&claim));
    }
    if trace.steps.is_empty() {
        out += "  \"steps\": []\n}\n";
        return out;
    }
    out += "  \"steps\": [\n";
    for (i, s) in trace.steps.iter().enumerate() {
        let comma = if i + 1 < trace.steps.len() { "," } else { "" };
        out += &format!("    {}{comma}\n", one_line(&step_repr(s)));
    }
    out += "  ]\n}\n";
    out
}

/// Writes a trace file (creating or replacing it).
pub fn write(path: &Path, trace: &Trace) -> Result<(), FileError> {
    let located = |e: std::io::Error| FileError {
        path: path.display().to_string(),
        error: TraceError::Write(e),
    };
    let mut f = std::fs::File::create(path).map_err(located)?;
    f.write_all(to_json(trace).as_bytes()).map_err(located)?;
    f.flush().map_err(located)
}

/// Writes one trace file per discovery into `dir` (created if missing), named
/// `<property>.json`, replacing a file of that name. Other files are left alone. Returns
/// the paths written.
pub fn write_discoveries(
    dir: &Path,
    model: &IdcModel,
    discoveries: &[(&'static str, Vec<Action>)],
) -> Result<Vec<PathBuf>, FileError> {
    std::fs::create_dir_all(dir).map_err(|e| FileError {
        path: dir.display().to_string(),
        error: TraceError::Write(e),
    })?;
    let mut written = Vec::new();
    for (name, actions) in discoveries {
        let path = dir.join(format!("{name}.json"));
        write(&path, &Trace::of_actions(model, actions, Some(name)))?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use idc_model::calls::all_calls;
    use proptest::prelude::*;

    fn err(text: &str) -> String {
        parse(text).unwrap_err().to_string()
    }

    const HEAD: &str = r#""format": "idc-trace", "version": 2"#;

    #[test]
    fn a_minimal_hand_written_trace_parses_with_defaults() {
        let t = parse(&format!(
            r#"{{{HEAD}, "steps": [
                {{"caller": "management", "call": "EnableIdentityCenter"}},
                {{"caller": "management", "call": "RegisterDelegatedAdministrator", "params": {{"AccountId": "member-1"}}}}
            ]}}"#
        ))
        .unwrap();
        assert_eq!(t.config, Config::default());
        assert_eq!(t.claim, None);
        assert_eq!(t.steps.len(), 2);
        assert_eq!(
            t.steps[1].call.to_string(),
            "management: RegisterDelegatedAdministrator(AccountId=member-1)"
        );
        assert_eq!(t.steps[1].expect, None);
    }

    #[test]
    fn bad_inputs_name_their_place() {
        assert_eq!(
            err(""),
            "empty file, expected a JSON trace (see docs/trace-format.md)"
        );
        assert_eq!(err("{"), "line 1, column 1: EOF while parsing an object");
        assert_eq!(
            err("[]"),
            "not an idc trace: the document is not a JSON object"
        );
        assert_eq!(
            err(r#"{"format": "idc-trace", "version": 3, "steps": []}"#),
            "unknown format version 3 (this idc reads version 2)"
        );
        assert!(err(r#"{"format": "idc-trace", "version": 1, "steps": []}"#)
            .contains("call it EnableIdentityCenter"));
        assert_eq!(
            err(r#"{"version": 1, "steps": []}"#),
            "not an idc trace: no \"format\": \"idc-trace\" field"
        );
        assert_eq!(
            err(&format!("{{{HEAD},\n \"stepz\": []}}")),
            "line 2, column 8: unknown field `stepz`, expected one of `format`, `version`, `description`, `config`, `claim`, `steps`"
        );
        assert_eq!(
            err(&format!(
                r#"{{{HEAD}, "steps": [{{"caller": "management", "call": "Frobnicate"}}]}}"#
            )),
            format!(
                "step 1: unknown call 'Frobnicate' (known calls: {})",
                idc_model::call::SIGNATURES
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        );
        assert_eq!(
            err(&format!(
                r#"{{{HEAD}, "steps": [{{"caller": "management", "call": "EnableIdentityCenter"}}, {{"caller": "management", "call": "RegisterDelegatedAdministrator", "params": {{"AccountId": "member-99"}}}}]}}"#
            )),
            "step 2: member-99 is beyond the configuration (2 member accounts)"
        );
        assert_eq!(
            err(&format!(r#"{{{HEAD}, "steps": [{{"caller": "member-1", "call": "RegisterDelegatedAdministrator"}}]}}"#)),
            "step 1: RegisterDelegatedAdministrator needs parameter 'AccountId' (its parameters: AccountId)"
        );
        assert_eq!(
            err(&format!(
                r#"{{{HEAD}, "config": {{"members": 9}}, "steps": []}}"#
            )),
            "config: members must be between 1 and 6, got 9"
        );
        assert_eq!(
            err(&format!(r#"{{{HEAD}, "config": {{"assumptions": {{"close-delegate": "maybe"}}}}, "steps": []}}"#)),
            "config: assumption 'close-delegate' has no value 'maybe' (values: either, refused, keeps-registration, deregisters)"
        );
        assert_eq!(
            err(&format!(
                r#"{{{HEAD}, "claim": {{"property": "nope", "step": 0}}, "steps": []}}"#
            )),
            "claim: unknown property 'nope' (see 'idc rules')"
        );
        assert_eq!(
            err(&format!(r#"{{{HEAD}, "claim": {{"property": "at-most-one-delegated-admin", "verdict": "example", "step": 0}}, "steps": []}}"#)),
            "claim: 'example' is not a claim about the always property 'at-most-one-delegated-admin' (use violated)"
        );
        assert_eq!(
            err(&format!(
                r#"{{{HEAD}, "claim": {{"property": "at-most-one-delegated-admin", "step": 3}}, "steps": []}}"#
            )),
            "claim: step 3 is beyond the trace's 0 steps"
        );
        assert_eq!(
            err(&format!(r#"{{{HEAD}, "steps": [{{"caller": "management", "call": "EnableIdentityCenter", "expect": "fine"}}]}}"#)),
            "step 1: expect must be \"ok\", {\"error\": ..., \"reason\": ...} or {\"not_made\": ...}, got \"fine\""
        );
        assert_eq!(
            err(&format!(
                r#"{{{HEAD}, "steps": [{{"caller": "management", "call": "EnableIdentityCenter", "expect": {{"error": "Oops"}}}}]}}"#
            )),
            "step 1: unknown error 'Oops'"
        );
        assert_eq!(
            err(&format!(
                r#"{{{HEAD}, "steps": [{{"caller": "management", "call": "EnableIdentityCenter", "branch": {{"close-delegate": "maybe"}}}}]}}"#
            )),
            "step 1: branch: assumption 'close-delegate' has no reading 'maybe' (readings: refused, keeps-registration, deregisters)"
        );
    }

    #[test]
    fn expectations_match_outcomes() {
        let refusal = Refusal::Api {
            error: idc_model::ApiError::constraint(Reason::SERVICE_ACCESS_NOT_ENABLED),
            rule: Some(Rule::Da4),
        };
        let exact = Expect::of(&Err(refusal));
        assert!(exact.matches(&Err(refusal)));
        assert!(!exact.matches(&Ok(())));
        let loose = Expect::Error {
            exception: Exception::ConstraintViolationException,
            reason: None,
            rule: None,
        };
        assert!(loose.matches(&Err(refusal)));
        let wrong_rule = Expect::Error {
            exception: Exception::ConstraintViolationException,
            reason: None,
            rule: Some(Rule::Da7),
        };
        assert!(!wrong_rule.matches(&Err(refusal)));
        assert_eq!(
            exact.to_string(),
            "ConstraintViolationException (SERVICE_ACCESS_NOT_ENABLED) [DA-4]"
        );
        assert!(Expect::Ok.matches(&Ok(())));
    }

    fn arb_config() -> impl Strategy<Value = Config> {
        (
            1u8..=6,
            1u8..=4,
            1u8..=4,
            1u8..=4,
            any::<u64>(),
            any::<u64>(),
        )
            .prop_map(|(m, u, g, p, bits, rules)| {
                let mut cfg = Config {
                    members: m,
                    users: u,
                    groups: g,
                    permission_sets: p,
                    ..Config::default()
                };
                for (i, a) in Config::default().assumptions.describe().iter().enumerate() {
                    let v = a.values[(bits >> (i * 3)) as usize % a.values.len()];
                    cfg.assumptions.set(&format!("{}={v}", a.key)).unwrap();
                }
                for (i, p) in Practice::ALL.iter().enumerate() {
                    if bits >> (40 + i) & 1 == 1 {
                        cfg.practices.insert(*p);
                    }
                }
                for (i, r) in Rule::ALL.iter().enumerate() {
                    if rules >> i & 1 == 1 && r.relaxable() {
                        cfg.relaxed.insert(*r);
                    }
                }
                cfg
            })
    }

    fn arb_expect() -> impl Strategy<Value = Option<Expect>> {
        (0usize..4, 0usize..64, 0usize..64, 0usize..64).prop_map(|(kind, e, r, q)| match kind {
            0 => None,
            1 => Some(Expect::Ok),
            2 => Some(Expect::Error {
                exception: Exception::ALL[e % Exception::ALL.len()],
                reason: (r % 2 == 0).then(|| Reason::ALL[r % Reason::ALL.len()]),
                rule: (q % 3 != 0).then(|| Rule::ALL[q % Rule::ALL.len()]),
            }),
            _ => Some(Expect::NotMade(Practice::ALL[e % Practice::ALL.len()])),
        })
    }

    fn arb_branch() -> impl Strategy<Value = Option<Branch>> {
        proptest::option::of(
            prop::collection::vec((0usize..7, 0u8..4), 0..3).prop_map(|picks| {
                picks.into_iter().fold(Branch::NONE, |b, (d, r)| {
                    let d = idc_model::Decision::ALL[d];
                    b.with(d, r % d.readings().len() as u8)
                })
            }),
        )
        .prop_map(|b| b.filter(|b| !b.is_none()))
    }

    fn arb_trace() -> impl Strategy<Value = Trace> {
        arb_config().prop_flat_map(|cfg| {
            let calls = all_calls(&cfg);
            let n = calls.len();
            (
                Just(cfg),
                prop::collection::vec(
                    (
                        0..n,
                        arb_branch(),
                        arb_expect(),
                        proptest::option::of(".{0,20}"),
                    ),
                    0..30,
                ),
                any::<Option<(prop::sample::Index, prop::sample::Index)>>(),
                proptest::option::of(".{0,40}"),
            )
                .prop_map(move |(cfg, steps, claim, description)| {
                    let steps: Vec<TraceStep> = steps
                        .into_iter()
                        .map(|(i, branch, expect, note)| TraceStep {
                            call: calls[i],
                            branch,
                            expect,
                            note,
                        })
                        .collect();
                    let claim = claim.map(|(p, s)| Claim {
                        property: idc_model::PROPERTIES[p.index(idc_model::PROPERTIES.len())].name,
                        step: s.index(steps.len() + 1),
                    });
                    Trace {
                        description,
                        config: cfg,
                        claim,
                        steps,
                    }
                })
        })
    }

    proptest! {
        /// Writing a trace and reading it back gives the same trace.
        #[test]
        fn write_then_read_is_identity(trace in arb_trace()) {
            let text = to_json(&trace);
            let back = parse(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
            prop_assert_eq!(back, trace);
        }

        /// Any text gives a trace or an error, never a panic.
        #[test]
        fn arbitrary_text_never_panics(text in ".{0,200}") {
            let _ = parse(&text);
        }
    }
}
