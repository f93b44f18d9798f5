//! The outcomes file an exported `aws-cli` script writes, and `idc replay --observed`'s
//! judgement of it against the model (docs/import.md, "Replaying a trace against a
//! sandbox").
//!
//! One line per step made, in the trace's order: `STEP OUTCOME CALL`, where STEP is `1`,
//! `2`, ... (`from-1`, ... for the trace's `from` calls), OUTCOME is `ok`, an AWS error code,
//! `done` (a step made by hand), `skipped` (not made), `not-made` (the management account's
//! practice) or `usage-error` (the AWS CLI refused the command itself), and CALL is the call
//! as idc prints it (`management: CloseAccount(AccountId=member-1)`). Blank lines and lines
//! starting with `#` are ignored.

use serde::Serialize;

use idc_model::echo::echo;

use super::export::awscli::{outcome_word, step_word};
use super::export::Replay;

/// One line of an outcomes file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObservedLine {
    /// The step, as the file names it (`3`, `from-1`).
    pub step: String,
    /// The outcome word.
    pub outcome: String,
    /// The call, as the file prints it.
    pub call: String,
    /// The line number (1-based).
    pub line: usize,
}

/// Why an outcomes file cannot be judged: the line and what is wrong with it.
#[derive(Debug, thiserror::Error)]
pub enum ObservedError {
    /// The file could not be read.
    #[error("{file}: {error}")]
    Read {
        /// The file.
        file: String,
        /// The error.
        error: std::io::Error,
    },
    /// A line is not `STEP OUTCOME CALL`, or does not fit the trace.
    #[error("{file}:{line}: {what}")]
    Line {
        /// The file.
        file: String,
        /// The line number.
        line: usize,
        /// What is wrong.
        what: String,
    },
}

/// Reads an outcomes file (`file` names it in errors).
pub fn read(path: &std::path::Path, file: &str) -> Result<Vec<ObservedLine>, ObservedError> {
    let text = std::fs::read_to_string(path).map_err(|error| ObservedError::Read {
        file: file.to_string(),
        error,
    })?;
    parse(&text, file)
}

/// Parses an outcomes file's text.
pub fn parse(text: &str, file: &str) -> Result<Vec<ObservedLine>, ObservedError> {
    let mut lines = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let l = raw.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let bad = |what: String| ObservedError::Line {
            file: file.to_string(),
            line: i + 1,
            what,
        };
        let mut parts = l.splitn(3, char::is_whitespace);
        let (step, outcome, call) = match (parts.next(), parts.next(), parts.next()) {
            (Some(s), Some(o), Some(c)) if !c.trim().is_empty() => (s, o, c.trim()),
            _ => return Err(bad(format!("`{}` is not `STEP OUTCOME CALL`", echo(l)))),
        };
        let word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.';
        if !outcome.chars().all(word) {
            return Err(bad(format!("`{}` is not an outcome word", echo(outcome))));
        }
        lines.push(ObservedLine {
            step: step.to_string(),
            outcome: outcome.to_string(),
            call: call.to_string(),
            line: i + 1,
        });
    }
    Ok(lines)
}

/// `agree` or `disagree`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ObservedResult {
    /// Every step observed has the model's outcome (steps skipped are not judged).
    Agree,
    /// Some step's observed outcome is not the model's.
    Disagree,
}

/// One step: the model's outcome beside the observed one.
#[derive(Clone, Debug, Serialize)]
pub struct ObservedStep {
    /// The step (`3`, `from-1`).
    pub step: String,
    /// The call.
    pub call: String,
    /// The model's outcome word (`ok`, an error code, `not-made`).
    pub model: String,
    /// The reading the model takes at the step, where an assumption is `either` (the
    /// trace's `branch`), as `key=reading` pairs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reading: Option<String>,
    /// The observed outcome (absent: the file stops before the step).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub observed: Option<String>,
    /// Whether they agree (absent when the step was not observed or was skipped).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agree: Option<bool>,
    /// Other readings of the call, at this step, whose outcome is the observed one.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub other_readings: Vec<String>,
}

/// The judgement of an outcomes file against a trace (`idc replay --observed --json`).
#[derive(Clone, Debug, Serialize)]
pub struct ObservedReport {
    /// `idc-observed`.
    pub format: &'static str,
    /// The report's shape.
    pub version: u32,
    /// The model's semantics.
    pub model: u32,
    /// The trace file.
    pub trace: String,
    /// The outcomes file.
    pub observed: String,
    /// `agree` or `disagree`.
    pub result: ObservedResult,
    /// How many steps were judged, skipped, and not in the file.
    pub judged: usize,
    /// Steps recorded `skipped`.
    pub skipped: usize,
    /// Steps the file stops before.
    pub missing: usize,
    /// The first step where the observed outcome is not the model's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_difference: Option<usize>,
    /// Every step of the trace.
    pub steps: Vec<ObservedStep>,
}

/// Whether an observed outcome agrees with the model's word (`None`: not judged).
fn agrees(model: &str, observed: &str) -> Option<bool> {
    match observed {
        "skipped" => None,
        "done" => Some(model == "ok"),
        _ => Some(model == observed),
    }
}

/// Judges the lines of an outcomes file against a replayed trace: errors name the line
/// when it does not fit the trace (another step or call than the trace's, or more lines).
pub fn judge(
    replay: &Replay,
    lines: &[ObservedLine],
    trace_file: &str,
    observed_file: &str,
) -> Result<ObservedReport, ObservedError> {
    if let Some(extra) = lines.get(replay.steps.len()) {
        return Err(ObservedError::Line {
            file: observed_file.to_string(),
            line: extra.line,
            what: format!(
                "the trace has {} steps; this line is one more",
                replay.steps.len()
            ),
        });
    }
    let mut steps = Vec::with_capacity(replay.steps.len());
    for (i, s) in replay.steps.iter().enumerate() {
        let step = step_word(replay, i);
        let call = s.action.call.to_string();
        let line = lines.get(i);
        if let Some(l) = line {
            let bad = |what: String| ObservedError::Line {
                file: observed_file.to_string(),
                line: l.line,
                what,
            };
            if l.step != step {
                return Err(bad(format!(
                    "step `{}`, expected step {step}",
                    echo(&l.step)
                )));
            }
            if l.call != call {
                return Err(bad(format!(
                    "step {step} is `{call}` in the trace, not `{}`",
                    echo(&l.call)
                )));
            }
        }
        let model = outcome_word(&s.outcome).to_string();
        let observed = line.map(|l| l.outcome.clone());
        let agree = observed.as_deref().and_then(|o| agrees(&model, o));
        let other_readings = match (&observed, agree) {
            (Some(o), Some(false)) => other_readings(replay, i, o),
            _ => Vec::new(),
        };
        steps.push(ObservedStep {
            step,
            call,
            model,
            reading: (!s.action.branch.is_none()).then(|| s.action.branch.to_string()),
            observed,
            agree,
            other_readings,
        });
    }
    let first_difference = steps.iter().position(|s| s.agree == Some(false));
    let count = |f: &dyn Fn(&ObservedStep) -> bool| steps.iter().filter(|s| f(s)).count();
    Ok(ObservedReport {
        format: "idc-observed",
        version: super::report::REPORT_VERSION,
        model: idc_model::MODEL_VERSION,
        trace: trace_file.to_string(),
        observed: observed_file.to_string(),
        result: if first_difference.is_some() {
            ObservedResult::Disagree
        } else {
            ObservedResult::Agree
        },
        judged: count(&|s| s.agree.is_some()),
        skipped: count(&|s| s.observed.as_deref() == Some("skipped")),
        missing: count(&|s| s.observed.is_none()),
        first_difference,
        steps,
    })
}

/// The readings of step `i`'s call, from the state before it, whose outcome is `observed`.
fn other_readings(replay: &Replay, i: usize, observed: &str) -> Vec<String> {
    let before = if i == 0 {
        &replay.initial
    } else {
        &replay.steps[i - 1].state
    };
    let mut found = Vec::new();
    let taken = replay.steps[i].action.branch;
    replay
        .model
        .outcomes(before, replay.steps[i].action.call, |branch, outcome| {
            let word = outcome_word(&outcome.map(|_| ()));
            if branch != taken && !branch.is_none() && agrees(word, observed) == Some(true) {
                found.push(branch.to_string());
            }
        });
    found
}

#[cfg(test)]
mod tests;
