//! The Informal Trace Format of Apalache (ADR-015), as Quint and Apalache's tools read it:
//! `{"#meta": …, "vars": [...], "states": [{"#meta": {"index": i}, var: value, …}]}` with
//! integers as `{"#bigint": "n"}`, sets as `{"#set": [...]}`, maps as
//! `{"#map": [[key, value], ...]}`, tuples as `{"#tup": [...]}` and the optional instance
//! as a Quint variant `{"tag": "Some" | "None", "value": …}`.
//!
//! State 0 is the initial state; state `i` is the state after the `i`th call. A trace with
//! `from` calls has them first: `#meta.from` says how many (a string), and the `step` variable counts
//! as `idc replay` and the claim count, 0 at the end of the `from` calls (the states
//! before it negative). As in Quint's
//! model-based testing, `mbt::actionTaken` names the operation that led there (`init` for
//! state 0) and `mbt::nondetPicks` what was chosen for it (the caller, the parameters and,
//! where an assumption is `either`, the branch), each an optional value; `outcome` is the
//! API's answer and `failing` the `always` properties that fail there. `#meta.varTypes`
//! gives every variable's type in Apalache's notation (ADR-015).
//!
//! The document is written state by state, so memory stays linear in the trace.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::{Facts, Replay};
use crate::engine::trace::Trace;
use crate::format::report::{branch_json, params_json, OutcomeView};

/// The variables of every state, in order, with their types (Apalache's notation).
pub const VARS: &[(&str, &str)] = &[
    ("in_org", "Set(Str)"),
    ("closed", "Set(Str)"),
    ("invited", "Set(Str)"),
    ("trusted_access", "Bool"),
    ("instance", "Some(Str) | None(UNIT)"),
    ("account_instances", "Set(Str)"),
    ("delegates", "Set(Str)"),
    ("directories", "Set(Str)"),
    ("identity_source", "Str"),
    ("ad_sync", "Bool"),
    ("ad_sync_paused", "Bool"),
    ("idp_configured_by", "Set(Str)"),
    ("users", "Set(Str)"),
    ("disabled_users", "Set(Str)"),
    ("groups", "Set(Str)"),
    ("membership", "Str -> Set(Str)"),
    ("permission_sets", "Set(Str)"),
    ("provisioned", "Str -> Set(Str)"),
    ("assignments", "<<Str, Str>> -> Set(Str)"),
    ("step", "Int"),
    ("mbt::actionTaken", "Str"),
    (
        "mbt::nondetPicks",
        "{ caller: Some(Str) | None(UNIT), params: Some(Str -> Str) | None(UNIT), branch: Some(Str -> Str) | None(UNIT) }",
    ),
    ("outcome", "Str"),
    ("failing", "Set(Str)"),
];

fn bigint(n: impl ToString) -> Value {
    json!({ "#bigint": n.to_string() })
}

fn set(items: &[impl AsRef<str>]) -> Value {
    json!({ "#set": items.iter().map(|s| s.as_ref()).collect::<Vec<_>>() })
}

fn map(entries: Vec<(Value, Value)>) -> Value {
    json!({ "#map": entries.into_iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>() })
}

fn some(v: Value) -> Value {
    json!({"tag": "Some", "value": v})
}

fn none() -> Value {
    json!({"tag": "None", "value": {"#tup": []}})
}

/// A string map as an ITF map, or `None` when empty.
fn picked(m: serde_json::Map<String, Value>) -> Value {
    if m.is_empty() {
        none()
    } else {
        some(map(m
            .into_iter()
            .map(|(k, v)| (Value::from(k), v))
            .collect()))
    }
}

/// What a step of the trace chose: the action taken and the picks.
struct Step<'a> {
    index: usize,
    step: i64,
    action: &'a str,
    picks: Value,
    outcome: &'a str,
    failing: &'a [&'static str],
}

fn state(facts: &Facts, step: &Step<'_>) -> serde_json::Map<String, Value> {
    // Every fact, by name: a fact added to `Facts` fails to compile here until it is a
    // variable, and `values` must have exactly one entry per variable of `VARS`.
    let Facts {
        in_org,
        closed,
        invited,
        trusted_access,
        instance,
        account_instances,
        delegates,
        directories,
        identity_source,
        ad_sync,
        ad_sync_paused,
        idp_configured_by,
        users,
        disabled_users,
        membership,
        groups,
        permission_sets,
        provisioned,
        assignments,
    } = facts;
    let instance = match instance {
        Some(a) => some(Value::from(a.as_str())),
        None => none(),
    };
    let mut m = serde_json::Map::new();
    m.insert("#meta".into(), json!({ "index": step.index }));
    let values: [Value; VARS.len()] = [
        set(in_org),
        set(closed),
        set(invited),
        Value::Bool(*trusted_access),
        instance,
        set(account_instances),
        set(delegates),
        set(directories),
        Value::from(identity_source.as_str()),
        Value::Bool(*ad_sync),
        Value::Bool(*ad_sync_paused),
        set(idp_configured_by),
        set(users),
        set(disabled_users),
        set(groups),
        map(membership
            .iter()
            .map(|(g, u)| (Value::from(g.as_str()), set(u)))
            .collect()),
        set(permission_sets),
        map(provisioned
            .iter()
            .map(|(p, a)| (Value::from(p.as_str()), set(a)))
            .collect()),
        map(assignments
            .iter()
            .map(|((p, a), pr)| (json!({ "#tup": [p, a] }), set(pr)))
            .collect()),
        bigint(step.step),
        Value::from(step.action),
        step.picks.clone(),
        Value::from(step.outcome),
        set(step.failing),
    ];
    for ((name, _), value) in VARS.iter().zip(values) {
        m.insert((*name).into(), value);
    }
    m
}

/// Writes the ITF document of a replayed trace.
pub fn itf(source: &str, trace: &Trace, replay: &Replay, out: &mut dyn Write) -> io::Result<()> {
    let description = match &trace.claim {
        Some(c) => format!("idc trace: {c}"),
        None => "idc trace".to_string(),
    };
    let mut meta = json!({
        "format": "ITF",
        "format-description": "https://apalache-mc.org/docs/adr/015adr-trace.html",
        "source": source,
        "description": description,
        "varTypes": VARS.iter().map(|(n, t)| (n.to_string(), Value::from(*t))).collect::<serde_json::Map<_, _>>(),
    });
    if replay.from > 0 {
        // A string: the ITF readers take the other fields of `#meta` as strings.
        meta["from"] = Value::from(replay.from.to_string());
    }
    let vars: Vec<&str> = VARS.iter().map(|(n, _)| *n).collect();
    writeln!(out, "{{")?;
    writeln!(out, "  \"#meta\": {meta},")?;
    writeln!(out, "  \"vars\": {},", json!(vars))?;
    writeln!(out, "  \"states\": [")?;
    let init = Step {
        index: 0,
        step: replay.step_number(None),
        action: "init",
        picks: json!({"caller": none(), "params": none(), "branch": none()}),
        outcome: "init",
        failing: &replay.initial_failing,
    };
    let first = Value::Object(state(&Facts::of(&replay.model, &replay.initial), &init));
    write!(out, "    {first}")?;
    for (i, s) in replay.steps.iter().enumerate() {
        let outcome = OutcomeView::of(&s.outcome).to_string();
        let step = Step {
            index: i + 1,
            step: replay.step_number(Some(i)),
            action: s.action.call.op.name(),
            picks: json!({
                "caller": some(Value::from(s.action.call.caller.to_string())),
                "params": picked(params_json(&s.action.call)),
                "branch": picked(branch_json(s.action.branch)),
            }),
            outcome: &outcome,
            failing: &s.failing,
        };
        let v = Value::Object(state(&Facts::of(&replay.model, &s.state), &step));
        write!(out, ",\n    {v}")?;
    }
    writeln!(out, "\n  ]\n}}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_carry_every_var_and_itf_encodings() {
        let trace = super::super::tests::sample();
        let r = Replay::of(&trace).unwrap();
        let mut text = Vec::new();
        itf("sample.json", &trace, &r, &mut text).unwrap();
        let doc: Value = serde_json::from_slice(&text).unwrap();
        let states = doc["states"].as_array().unwrap();
        assert_eq!(states.len(), 6);
        for (i, s) in states.iter().enumerate() {
            assert_eq!(s["#meta"]["index"], i);
            for (v, _) in VARS {
                assert!(s.get(*v).is_some(), "state {i} lacks {v}");
            }
        }
        assert_eq!(states[0]["instance"]["tag"], "None");
        assert_eq!(
            states[1]["instance"],
            json!({"tag": "Some", "value": "management"})
        );
        assert_eq!(states[3]["delegates"], json!({"#set": ["member-1"]}));
        assert_eq!(states[2]["step"], json!({"#bigint": "2"}));
        assert_eq!(states[2]["outcome"], "AccessDeniedException [IDC-1]");
        assert_eq!(
            states[5]["failing"],
            json!({"#set": ["ad-sync-on-while-delegated"]})
        );
        assert_eq!(
            states[0]["assignments"]["#map"][0][0],
            json!({"#tup": ["ps-1", "management"]})
        );
        assert_eq!(states[0]["mbt::actionTaken"], "init");
        assert_eq!(
            states[3]["mbt::actionTaken"],
            "RegisterDelegatedAdministrator"
        );
        assert_eq!(
            states[3]["mbt::nondetPicks"]["caller"],
            json!({"tag": "Some", "value": "management"})
        );
        assert_eq!(doc["#meta"]["varTypes"]["trusted_access"], "Bool");
    }
}
