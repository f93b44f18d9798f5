//! The values of the model and property flags (`--assume`, `--practice`, `--relax`,
//! `--invariant`, `--expect`), parsed and checked, and why one was not understood.

use idc_model::assumptions::AssumptionError;
use idc_model::echo::echo;
use idc_model::{Practice, Rule};
use idc_sim::engine::properties::PropertySet;
use idc_sim::format::report::check::Expectation;
use idc_sim::format::report::Verdict;

/// Why a flag's value was not understood.
#[derive(Debug, thiserror::Error)]
pub enum FlagError {
    /// A bad `--assume`.
    #[error(transparent)]
    Assumption(#[from] AssumptionError),
    /// An unknown practice.
    #[error("unknown practice '{}' (known: {known})", echo(.0), known = Practice::ALL.iter().map(|p| p.name()).collect::<Vec<_>>().join(", "))]
    Practice(String),
    /// An unknown rule id.
    #[error("unknown rule '{}' (see 'idc rules')", echo(.0))]
    Rule(String),
    /// A rule that is not a guard, or whose relaxation would change nothing.
    #[error("rule {0} can't be relaxed: {1}")]
    NotRelaxable(&'static str, &'static str),
    /// A malformed `--expect`.
    #[error("expected NAME=VERDICT, got '{}'", echo(.0))]
    ExpectationSyntax(String),
    /// `--expect` names no property.
    #[error("unknown property '{}' (see 'idc rules')", echo(.0))]
    Property(String),
    /// `--expect` has a verdict the property can't have.
    #[error(
        "'{}' is not a verdict of the {kind} property '{property}' (use {allowed})",
        echo(verdict)
    )]
    Verdict {
        /// The property.
        property: String,
        /// Its kind.
        kind: &'static str,
        /// The verdict given.
        verdict: String,
        /// The verdicts allowed.
        allowed: &'static str,
    },
    /// A size flag contradicts the configuration of the trace the command starts from.
    #[error("{flag} {given} contradicts {origin}, whose configuration has {trace} (its states have that shape)")]
    SizeFromTrace {
        /// The flag.
        flag: &'static str,
        /// The value given.
        given: u8,
        /// What fixes the size: `the trace`, `the design`.
        origin: &'static str,
        /// The trace's value.
        trace: u8,
    },
    /// A malformed `--invariant` / `--reachable`.
    #[error("expected NAME=EXPR, got '{}'", echo(.0))]
    NamedSyntax(String),
    /// The same flag names one thing twice with different values.
    #[error("{flag} sets '{what}' twice: to '{first}' and to '{second}'")]
    Conflict {
        /// The flag.
        flag: &'static str,
        /// What it sets.
        what: String,
        /// The first value.
        first: String,
        /// The second value.
        second: String,
    },
}

pub fn parse_assumption(text: &str) -> Result<String, FlagError> {
    idc_model::Assumptions::default().set(text)?;
    Ok(text.to_string())
}

pub fn parse_practice(text: &str) -> Result<Practice, FlagError> {
    Practice::parse(text).ok_or_else(|| FlagError::Practice(text.to_string()))
}

pub fn parse_rule(text: &str) -> Result<Rule, FlagError> {
    let rule = Rule::parse(text).ok_or_else(|| FlagError::Rule(text.to_string()))?;
    if !rule.relaxable() {
        let why = match rule.implementation() {
            idc_model::rules::Implementation::Fixed => {
                "it is the registry's own set semantics, and without it the call would change nothing"
            }
            _ => "it is not a guard of the model (see 'idc rules')",
        };
        return Err(FlagError::NotRelaxable(rule.id(), why));
    }
    Ok(rule)
}

pub fn parse_named(text: &str) -> Result<(String, String), FlagError> {
    let (name, expr) = text
        .split_once('=')
        .filter(|(name, _)| !name.trim().is_empty())
        .ok_or_else(|| FlagError::NamedSyntax(text.to_string()))?;
    Ok((name.trim().to_string(), expr.to_string()))
}

/// `--expect NAME=VERDICT`, checked for its shape here and against the properties (built-in
/// and the user's) by [`check_expectations`].
pub fn parse_expectation(text: &str) -> Result<(String, String), FlagError> {
    let (name, verdict) = text
        .split_once('=')
        .ok_or_else(|| FlagError::ExpectationSyntax(text.to_string()))?;
    Ok((name.to_string(), verdict.to_string()))
}

/// Checks `--expect` flags against the properties of the check: each names one, with a
/// verdict it can have; two flags for one property with different verdicts are an error.
pub fn check_expectations(
    given: &[(String, String)],
    properties: &PropertySet,
) -> Result<Vec<Expectation>, FlagError> {
    let mut out: Vec<Expectation> = Vec::with_capacity(given.len());
    for (name, verdict) in given {
        let info = properties
            .get(name)
            .ok_or_else(|| FlagError::Property(name.to_string()))?;
        let allowed = match info.kind {
            idc_model::Kind::Always => "holds or violated",
            idc_model::Kind::Sometimes => "example or no-example",
        };
        let bad = || FlagError::Verdict {
            property: name.to_string(),
            kind: info.kind.name(),
            verdict: verdict.to_string(),
            allowed,
        };
        let v = Verdict::parse(verdict).ok_or_else(bad)?;
        if !v.fits(info.kind) {
            return Err(bad());
        }
        if let Some(other) = out.iter().find(|o| o.property == *name && o.verdict != v) {
            return Err(FlagError::Conflict {
                flag: "--expect",
                what: name.to_string(),
                first: other.verdict.name().to_string(),
                second: v.name().to_string(),
            });
        }
        out.push(Expectation {
            property: name.to_string(),
            verdict: v,
        });
    }
    Ok(out)
}

/// A flag's parser (one of the functions above: what it accepts and its one-line errors)
/// that also tells clap the values it knows, so that shell completions offer them. The
/// list accepts nothing by itself: parsing is the function's.
#[derive(Clone)]
pub struct Listed<T> {
    parse: fn(&str) -> Result<T, FlagError>,
    values: fn() -> &'static [&'static str],
}

impl<T> Listed<T> {
    /// `parse`, offering `values`.
    pub fn new(
        parse: fn(&str) -> Result<T, FlagError>,
        values: fn() -> &'static [&'static str],
    ) -> Self {
        Listed { parse, values }
    }
}

impl<T: Clone + Send + Sync + 'static> clap::builder::TypedValueParser for Listed<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        self.parse.parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            (self.values)()
                .iter()
                .map(|v| clap::builder::PossibleValue::new(*v)),
        ))
    }
}

/// Every `--assume` value: each assumption's `key=value` pairs, in id order.
pub fn assumption_values() -> &'static [&'static str] {
    static VALUES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    VALUES.get_or_init(|| {
        idc_model::Assumptions::default()
            .describe()
            .into_iter()
            .flat_map(|a| {
                a.values
                    .into_iter()
                    .map(move |v| &*Box::leak(format!("{}={v}", a.key).into_boxed_str()))
            })
            .collect()
    })
}

/// Every `--practice` value.
pub fn practice_values() -> &'static [&'static str] {
    static VALUES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    VALUES.get_or_init(|| Practice::ALL.iter().map(|p| p.name()).collect())
}

/// Every `--relax` value: the rules whose guard can be switched off.
pub fn rule_values() -> &'static [&'static str] {
    static VALUES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    VALUES.get_or_init(|| {
        Rule::ALL
            .iter()
            .filter(|r| r.relaxable())
            .map(|r| r.id())
            .collect()
    })
}
