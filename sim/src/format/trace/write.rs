//! Writing trace files: the header and configuration pretty-printed, the claim and each
//! step on one line, written whole or not at all.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde_json::{Map, Value};

use idc_model::echo::echo_path;
use idc_model::threat::Role;
use idc_model::{Acct, Action, Config, IdcModel};

use super::read::{ClaimRepr, ConfigRepr, FileError, StepRepr, TraceError};
use super::{FORMAT, VERSION};
#[cfg(doc)]
use crate::engine::properties::check_name;
use crate::engine::properties::Property;
use crate::engine::trace::{Expect, Start, Trace, TraceStep};
use crate::format::report::{branch_json, params_json};

/// An expectation as trace files write it.
pub fn expect_to_value(e: &Expect) -> Value {
    match e {
        Expect::Ok => Value::from("ok"),
        Expect::Refused => Value::from("refused"),
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
        // The threat model of a design: each account that does not make every call, with
        // the operations it makes.
        threat: (0..cfg.accounts())
            .map(Acct)
            .filter(|&a| !matches!(cfg.threat.role(a), Role::Any))
            .map(|a| {
                let ops = cfg
                    .threat
                    .allowed(a)
                    .iter()
                    .map(|k| Value::from(k.name()))
                    .collect();
                (a.to_string(), Value::Array(ops))
            })
            .collect(),
    }
}

fn step_repr(s: &TraceStep) -> StepRepr {
    StepRepr {
        caller: s.call.caller.to_string(),
        call: s.call.op.name().to_string(),
        params: params_json(&s.call),
        branch: s.branch.filter(|b| !b.is_none()).map(branch_json),
        expect: s.expect.as_ref().map(expect_to_value),
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
    if let Some(m) = trace.model {
        out += &format!("  \"model\": {m},\n");
    }
    if let Some(d) = &trace.description {
        out += &format!("  \"description\": {},\n", Value::from(d.as_str()));
    }
    out += &format!("  \"config\": {config},\n");
    if !trace.names.is_empty() {
        let names: serde_json::Map<String, Value> = trace
            .names
            .iter()
            .map(|(a, n)| (a.to_string(), Value::from(n)))
            .collect();
        out += &format!("  \"accounts\": {},\n", Value::Object(names));
    }
    if !trace.from.is_empty() {
        out += "  \"from\": [\n";
        for (i, s) in trace.from.iter().enumerate() {
            let comma = if i + 1 < trace.from.len() { "," } else { "" };
            out += &format!("    {}{comma}\n", one_line(&step_repr(s)));
        }
        out += "  ],\n";
    }
    if let Some(c) = &trace.claim {
        let claim = ClaimRepr {
            property: c.name().to_string(),
            verdict: Some(c.verdict().name().to_string()),
            step: c.step,
            expression: c.property.expression().map(str::to_string),
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

/// Writes a trace file (creating or replacing it): into a temporary file beside it, then
/// renamed, so that an interrupted or failed write never leaves half a trace behind.
pub fn write(path: &Path, trace: &Trace) -> Result<(), FileError> {
    let located = |e: std::io::Error| FileError {
        path: echo_path(&path.display().to_string()),
        error: TraceError::Write(e),
    };
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(format!(".tmp-{}", std::process::id()));
    let tmp = PathBuf::from(tmp);
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(to_json(trace).as_bytes())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.map_err(located)
}

/// Writes one trace file per discovery into `dir` (created if missing), named
/// `<property>.json`, replacing a file of that name. Other files are left alone. Returns
/// the paths written. Property names are safe file names ([`check_name`]).
pub fn write_discoveries(
    dir: &Path,
    model: &IdcModel,
    start: &Start,
    discoveries: &[(&Property, Vec<Action>)],
) -> Result<Vec<PathBuf>, FileError> {
    std::fs::create_dir_all(dir).map_err(|e| FileError {
        path: echo_path(&dir.display().to_string()),
        error: TraceError::Write(e),
    })?;
    let mut written = Vec::new();
    for (property, actions) in discoveries {
        let path = dir.join(format!("{}.json", property.name));
        write(
            &path,
            &Trace::of_actions(model, start, actions, Some(property)),
        )?;
        written.push(path);
    }
    Ok(written)
}
