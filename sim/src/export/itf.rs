//! The Informal Trace Format of Apalache (ADR-015), as Quint and Apalache's tools read it:
//! `{"#meta": …, "vars": [...], "states": [{"#meta": {"index": i}, var: value, …}]}` with
//! integers as `{"#bigint": "n"}`, sets as `{"#set": [...]}`, maps as
//! `{"#map": [[key, value], ...]}`, tuples as `{"#tup": [...]}` and the optional instance
//! as a Quint variant `{"tag": "Some" | "None", "value": …}`.
//!
//! State 0 is the initial state; state `i` is the state after step `i`, with the call that
//! led there in `action` and its outcome in `outcome`.

use serde_json::{json, Value};

use super::{Facts, Replay};
use crate::report::OutcomeView;
use crate::trace::Trace;

/// The variables of every state, in order.
pub const VARS: &[&str] = &[
    "in_org",
    "closed",
    "invited",
    "trusted_access",
    "instance",
    "account_instances",
    "delegates",
    "directories",
    "identity_source",
    "ad_sync",
    "users",
    "groups",
    "membership",
    "permission_sets",
    "provisioned",
    "assignments",
    "step",
    "action",
    "outcome",
    "failing",
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

fn state(
    facts: &Facts,
    step: usize,
    action: &str,
    outcome: &str,
    failing: &[&str],
) -> serde_json::Map<String, Value> {
    let instance = match &facts.instance {
        Some(a) => json!({"tag": "Some", "value": a}),
        None => json!({"tag": "None", "value": {"#tup": []}}),
    };
    let mut m = serde_json::Map::new();
    m.insert("#meta".into(), json!({ "index": step }));
    let values = [
        set(&facts.in_org),
        set(&facts.closed),
        set(&facts.invited),
        Value::Bool(facts.trusted_access),
        instance,
        set(&facts.account_instances),
        set(&facts.delegates),
        set(&facts.directories),
        Value::from(facts.identity_source.as_str()),
        Value::Bool(facts.ad_sync),
        set(&facts.users),
        set(&facts.groups),
        map(facts
            .membership
            .iter()
            .map(|(g, u)| (Value::from(g.as_str()), set(u)))
            .collect()),
        set(&facts.permission_sets),
        map(facts
            .provisioned
            .iter()
            .map(|(p, a)| (Value::from(p.as_str()), set(a)))
            .collect()),
        map(facts
            .assignments
            .iter()
            .map(|((p, a), pr)| (json!({ "#tup": [p, a] }), set(pr)))
            .collect()),
        bigint(step),
        Value::from(action),
        Value::from(outcome),
        set(failing),
    ];
    for (name, value) in VARS.iter().zip(values) {
        m.insert((*name).into(), value);
    }
    m
}

/// The ITF document of a replayed trace.
pub fn itf(source: &str, trace: &Trace, replay: &Replay) -> Value {
    let mut states = vec![Value::Object(state(
        &Facts::of(&replay.model, &replay.initial),
        0,
        "init",
        "init",
        &replay.initial_failing,
    ))];
    for (i, s) in replay.steps.iter().enumerate() {
        states.push(Value::Object(state(
            &Facts::of(&replay.model, &s.state),
            i + 1,
            &s.action.to_string(),
            &OutcomeView::of(&s.outcome).to_string(),
            &s.failing,
        )));
    }
    let description = match &trace.claim {
        Some(c) => format!("idc trace: {c}"),
        None => "idc trace".to_string(),
    };
    json!({
        "#meta": {
            "format": "ITF",
            "format-description": "https://apalache-mc.org/docs/adr/015adr-trace.html",
            "source": source,
            "description": description,
        },
        "vars": VARS,
        "states": states,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_carry_every_var_and_itf_encodings() {
        let trace = super::super::tests::sample();
        let r = Replay::of(&trace).unwrap();
        let doc = itf("sample.json", &trace, &r);
        let states = doc["states"].as_array().unwrap();
        assert_eq!(states.len(), 6);
        for (i, s) in states.iter().enumerate() {
            assert_eq!(s["#meta"]["index"], i);
            for v in VARS {
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
    }
}
