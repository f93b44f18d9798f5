//! Reading trace files: bounded input, strict JSON (no duplicate keys, no `null`), then
//! the shape and the meaning of every name, each error with its place.

use std::collections::HashSet;
use std::fmt;
use std::io::Read;
use std::path::Path;

use serde::de::{self, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use idc_model::assumptions::AssumptionError;
use idc_model::branch::BranchError;
use idc_model::echo::{echo, echo_path, one_line};
use idc_model::parse::CallError;
use idc_model::properties::{property, Kind};
use idc_model::query::{Query, QueryError};
use idc_model::{
    AccountNames, Acct, Branch, Call, Config, ConfigError, Exception, OpKind, Practice, Reason,
    Rule,
};

use super::{FORMAT, VERSION};
use crate::engine::properties::{check_name, NameError, Property};
use crate::engine::trace::{Claim, Expect, Trace, TraceStep};

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
    #[error("assumption '{}' must have a string value", echo(.0))]
    AssumptionNotString(String),
    /// An unknown practice.
    #[error("unknown practice '{}' (known: {known})", echo(.0), known = Practice::ALL.iter().map(|p| p.name()).collect::<Vec<_>>().join(", "))]
    Practice(String),
    /// An unknown or unrelaxable rule id.
    #[error("unknown or unrelaxable rule '{}' (see 'idc rules')", echo(.0))]
    Rule(String),
    /// The threat model (account to the operations it makes) is not understood.
    #[error("threat: {0}")]
    Threat(String),
}

/// What is wrong in one step.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    /// The caller, call or a parameter is not understood, or beyond the configuration.
    #[error(transparent)]
    Call(#[from] CallError),
    /// A parameter's value is not a string.
    #[error("parameter '{}' must have a string value", echo(.0))]
    ParamNotString(String),
    /// The expected outcome is malformed.
    #[error("{0}")]
    Expect(String),
    /// The branch is malformed.
    #[error(transparent)]
    Branch(#[from] BranchError),
    /// A branch reading is not a string.
    #[error("branch: assumption '{}' must have a string value", echo(.0))]
    BranchNotString(String),
}

/// What is wrong in the claim.
#[derive(Debug, thiserror::Error)]
pub enum ClaimError {
    /// No built-in property has that name, and the claim gives no expression.
    #[error("unknown property '{}' (see 'idc rules'; a claim about your own property gives its \"expression\")", echo(.0))]
    UnknownProperty(String),
    /// A claim with an expression names a built-in property.
    #[error("'{0}' is a built-in property: a claim about it has no \"expression\"")]
    BuiltinWithExpression(&'static str),
    /// A claim with an expression does not say whether it is violated or exemplified.
    #[error("a claim with an \"expression\" needs \"verdict\": \"violated\" (an invariant) or \"example\" (reachable)")]
    VerdictRequired,
    /// The claim's property name is not a valid name.
    #[error(transparent)]
    Name(#[from] NameError),
    /// The claim's expression does not parse.
    #[error("expression: {0}")]
    Expression(#[from] QueryError),
    /// The verdict does not fit the property's kind.
    #[error(
        "'{}' is not a claim about the {kind} property '{property}' (use {allowed})",
        echo(verdict)
    )]
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
    #[error("step {step} is beyond the trace's {steps} step{}", if *.steps == 1 { "" } else { "s" })]
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
    /// The file is larger than a trace file may be.
    #[error("larger than the {} MiB a trace file may have", MAX_BYTES >> 20)]
    TooLarge,
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
    #[error("not an idc trace: {}", one_line(.0, 300))]
    NotATrace(String),
    /// A format version this build does not read.
    #[error("unknown format version {} (this idc reads version {VERSION}{hint})", echo(.0), hint = if .0 == "1" { "; a version 1 trace enables IAM Identity Center with CreateInstance: call it EnableIdentityCenter and set \"version\": 2" } else { "" })]
    Version(String),
    /// The configuration is invalid.
    #[error("config: {0}")]
    Config(#[from] ConfigFileError),
    /// The `accounts` object (the design's names) is invalid.
    #[error("accounts: {0}")]
    Accounts(String),
    /// A step is invalid (steps are numbered from 1).
    #[error("step {step}: {error}")]
    Step {
        /// The step's number.
        step: usize,
        /// What is wrong.
        error: StepError,
    },
    /// A step of `from` is invalid (numbered from 1).
    #[error("from, step {step}: {error}")]
    FromStep {
        /// The step's number in `from`.
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
        let message = full.strip_suffix(&suffix).unwrap_or(&full);
        // The parser's words for a word that is not JSON's, in a person's.
        let message = match message {
            "expected ident" => "not a JSON value: expected true, false or null here",
            "expected value" => {
                "expected a JSON value (a string, number, list, object, true, false or null)"
            }
            other => other,
        };
        // The parser's message may quote the input (an unknown field's name): one line, and
        // short.
        TraceError::Json {
            line: e.line(),
            column: e.column(),
            message: one_line(message, 300),
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
pub(super) struct FileRepr {
    pub(super) format: String,
    pub(super) version: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) model: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) description: Option<String>,
    #[serde(default)]
    pub(super) config: ConfigRepr,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub(super) accounts: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) from: Vec<StepRepr>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) claim: Option<ClaimRepr>,
    pub(super) steps: Vec<StepRepr>,
}

#[derive(Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConfigRepr {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) members: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) users: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) groups: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) permission_sets: Option<u8>,
    #[serde(default)]
    pub(crate) assumptions: Map<String, Value>,
    #[serde(default)]
    pub(crate) practices: Vec<String>,
    #[serde(default)]
    pub(crate) relaxed: Vec<String>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub(crate) threat: Map<String, Value>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ClaimRepr {
    pub(super) property: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) verdict: Option<String>,
    pub(super) step: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) expression: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct StepRepr {
    pub(crate) caller: String,
    pub(crate) call: String,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub(crate) params: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) branch: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) expect: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) note: Option<String>,
}

// --------------------------------------------------------------------- reading

/// The largest trace file `idc` reads: a trace of that size has about a hundred thousand
/// steps; anything larger is refused before it is parsed.
pub const MAX_BYTES: u64 = 16 << 20;

/// Parses a trace from its text. Four passes, each linear and without copies of the
/// document: syntax, duplicate keys and `null`s (with their line and column); the header
/// (`format`, `version`); the shape; then the meaning of every name.
pub fn parse(text: &str) -> Result<Trace, TraceError> {
    if text.trim().is_empty() {
        return Err(TraceError::Empty);
    }
    serde_json::from_str::<Strict>(text)?;
    if !text.trim_start().starts_with('{') {
        return Err(TraceError::NotATrace(
            "the document is not a JSON object".into(),
        ));
    }
    let header: Header = serde_json::from_str(text)?;
    match header.format {
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
    match header.version {
        Some(v) if v.as_u64() == Some(VERSION) => {}
        Some(v) => return Err(TraceError::Version(v.to_string())),
        None => return Err(TraceError::NotATrace("no \"version\" field".into())),
    }
    let repr: FileRepr = serde_json::from_str(text).map_err(|e| plain_shape_error(text, e))?;
    resolve(repr)
}

/// A field of the wrong type, said in the trace's words: which key, what it must be and
/// what it is (`steps must be a list of steps, not a string`), at serde's line and column.
/// Other errors (an unknown field, a missing one) keep serde's message, which names the key.
fn plain_shape_error(text: &str, e: serde_json::Error) -> TraceError {
    let plain = (e.classify() == serde_json::error::Category::Data)
        .then(|| serde_json::from_str::<Value>(text).ok())
        .flatten()
        .and_then(|doc| super::shape::file(&doc));
    match plain {
        Some(message) => TraceError::Json {
            line: e.line(),
            column: e.column(),
            message: one_line(&message, 300),
        },
        None => e.into(),
    }
}

/// The two fields read before anything else (the others are skipped unread).
#[derive(Deserialize)]
struct Header {
    format: Option<Value>,
    version: Option<Value>,
}

/// A pass over the whole document that keeps nothing: it refuses an object with the same
/// key twice (a JSON parser would keep the last silently) and `null` anywhere (a field a
/// trace does not state is left out, never `null`).
struct Strict;

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Strict, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Strict;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Strict, E> {
        Ok(Strict)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Strict, E> {
        Ok(Strict)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Strict, E> {
        Ok(Strict)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Strict, E> {
        Ok(Strict)
    }

    fn visit_str<E>(self, _: &str) -> Result<Strict, E> {
        Ok(Strict)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Strict, E> {
        Err(E::custom(
            "null is not a value of a trace file (leave the field out)",
        ))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
        while seq.next_element::<Strict>()?.is_some() {}
        Ok(Strict)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
        let mut keys: HashSet<String> = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if keys.contains(&key) {
                return Err(de::Error::custom(format!("duplicate key '{}'", echo(&key))));
            }
            map.next_value::<Strict>()?;
            keys.insert(key);
        }
        Ok(Strict)
    }
}

fn resolve(repr: FileRepr) -> Result<Trace, TraceError> {
    let config = resolve_config(repr.config)?;
    let names = resolve_names(&config, &repr.accounts)?;
    let mut from = Vec::with_capacity(repr.from.len());
    for (i, s) in repr.from.iter().enumerate() {
        let step = resolve_step(&config, s)
            .map_err(|error| TraceError::FromStep { step: i + 1, error })?;
        from.push(step);
    }
    let mut steps = Vec::with_capacity(repr.steps.len());
    for (i, s) in repr.steps.iter().enumerate() {
        let step =
            resolve_step(&config, s).map_err(|error| TraceError::Step { step: i + 1, error })?;
        steps.push(step);
    }
    let claim = repr
        .claim
        .map(|c| resolve_claim(c, &config, &names, steps.len()))
        .transpose()?;
    Ok(Trace {
        description: repr.description,
        model: repr.model,
        config,
        from,
        claim,
        steps,
        names,
    })
}

/// The `accounts` object: model id to the design's name.
fn resolve_names(cfg: &Config, accounts: &Map<String, Value>) -> Result<AccountNames, TraceError> {
    let mut names = AccountNames::default();
    for (id, name) in accounts {
        let account = Acct::parse(id)
            .filter(|a| !a.is_aws() && a.0 < cfg.accounts())
            .ok_or_else(|| TraceError::Accounts(format!("unknown account '{}'", echo(id))))?;
        let name = name
            .as_str()
            .ok_or_else(|| TraceError::Accounts(format!("the name of {id} must be a string")))?;
        names.set(account, name);
    }
    Ok(names)
}

pub(crate) fn resolve_config(c: ConfigRepr) -> Result<Config, ConfigFileError> {
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
    for (id, ops) in &c.threat {
        let account = Acct::parse(id)
            .filter(|a| !a.is_aws() && a.0 < cfg.accounts())
            .ok_or_else(|| ConfigFileError::Threat(format!("unknown account '{}'", echo(id))))?;
        let list = ops.as_array().ok_or_else(|| {
            ConfigFileError::Threat(format!("{id} must have a list of operation names"))
        })?;
        let mut kinds = Vec::with_capacity(list.len());
        for op in list {
            let kind = op.as_str().and_then(OpKind::parse).ok_or_else(|| {
                ConfigFileError::Threat(format!(
                    "{id}: unknown operation {}",
                    one_line(&op.to_string(), 80)
                ))
            })?;
            kinds.push(kind);
        }
        cfg.threat.allow_only(account, &kinds);
    }
    Ok(cfg)
}

pub(crate) fn resolve_step(cfg: &Config, s: &StepRepr) -> Result<TraceStep, StepError> {
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
    let expect = s.expect.as_ref().map(expect_from_value).transpose()?;
    Ok(TraceStep {
        call,
        branch,
        expect,
        note: s.note.clone(),
    })
}

fn resolve_claim(
    c: ClaimRepr,
    cfg: &Config,
    names: &AccountNames,
    steps: usize,
) -> Result<Claim, ClaimError> {
    let claim = match &c.expression {
        None => {
            let info =
                property(&c.property).ok_or(ClaimError::UnknownProperty(c.property.clone()))?;
            Claim {
                property: Property::builtin(info),
                step: c.step,
            }
        }
        Some(text) => {
            if let Some(info) = property(&c.property) {
                return Err(ClaimError::BuiltinWithExpression(info.name));
            }
            check_name(&c.property)?;
            let kind = match c.verdict.as_deref() {
                Some("violated") => Kind::Always,
                Some("example") => Kind::Sometimes,
                Some(other) => {
                    return Err(ClaimError::Verdict {
                        property: c.property.clone(),
                        kind: "user",
                        verdict: other.to_string(),
                        allowed: "violated or example",
                    })
                }
                None => return Err(ClaimError::VerdictRequired),
            };
            Claim {
                property: Property::user(
                    &c.property,
                    kind,
                    Query::parse_named(text, cfg, names)?,
                    None,
                ),
                step: c.step,
            }
        }
    };
    if let Some(v) = c.verdict {
        if v != claim.verdict().name() {
            return Err(ClaimError::Verdict {
                kind: claim.property.kind.name(),
                property: c.property,
                verdict: v,
                allowed: claim.verdict().name(),
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

/// Reads and parses a trace file; `-` is standard input. At most [`MAX_BYTES`] are read.
pub fn read(path: &Path) -> Result<Trace, FileError> {
    if path.as_os_str() == "-" {
        return read_from(std::io::stdin().lock(), "<stdin>");
    }
    let label = path.display().to_string();
    match std::fs::File::open(path) {
        Ok(f) => read_from(f, &label),
        Err(e) => Err(FileError {
            path: echo_path(&label),
            error: e.into(),
        }),
    }
}

/// Reads and parses a trace from a stream, at most [`MAX_BYTES`] of it; `label` names it
/// in errors.
pub fn read_from(stream: impl Read, label: &str) -> Result<Trace, FileError> {
    let located = |error| FileError {
        path: echo_path(label),
        error,
    };
    let mut bytes = Vec::new();
    stream
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| located(e.into()))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(located(TraceError::TooLarge));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        located(TraceError::NotATrace(format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        )))
    })?;
    parse(&text).map_err(located)
}

/// An expectation read from a trace file.
pub fn expect_from_value(v: &Value) -> Result<Expect, StepError> {
    let bad = || {
        StepError::Expect(format!("expect must be \"ok\", \"refused\", {{\"error\": ..., \"reason\": ...}} or {{\"not_made\": ...}}, got {}", one_line(&v.to_string(), 80)))
    };
    match v {
        Value::String(s) if s == "ok" => Ok(Expect::Ok),
        Value::String(s) if s == "refused" => Ok(Expect::Refused),
        Value::Object(m) if m.contains_key("error") => {
            let field = |key: &str| -> Result<Option<&str>, StepError> {
                match m.get(key) {
                    None => Ok(None),
                    Some(Value::String(s)) => Ok(Some(s)),
                    Some(other) => Err(StepError::Expect(format!(
                        "expect.{key} must be a string, got {}",
                        one_line(&other.to_string(), 80)
                    ))),
                }
            };
            if let Some(k) = m
                .keys()
                .find(|k| !["error", "reason", "rule"].contains(&k.as_str()))
            {
                return Err(StepError::Expect(format!(
                    "expect has no field '{}' (fields: error, reason, rule)",
                    echo(k)
                )));
            }
            let name = field("error")?.unwrap_or_default();
            let exception = Exception::parse(name)
                .ok_or_else(|| StepError::Expect(format!("unknown error '{}'", echo(name))))?;
            let reason = field("reason")?
                .map(|r| {
                    Reason::parse(r)
                        .ok_or_else(|| StepError::Expect(format!("unknown reason '{}'", echo(r))))
                })
                .transpose()?;
            let rule = field("rule")?
                .map(|r| {
                    Rule::parse(r)
                        .ok_or_else(|| StepError::Expect(format!("unknown rule '{}'", echo(r))))
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
                .ok_or_else(|| StepError::Expect(format!("unknown practice '{}'", echo(name))))
        }
        _ => Err(bad()),
    }
}
