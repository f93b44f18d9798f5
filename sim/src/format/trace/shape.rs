//! The first field of a trace document whose JSON type is wrong, as a sentence: what
//! a person reads instead of serde's `invalid type` (the reader asks only when serde
//! refuses the document's shape).

use serde_json::{Map, Value};

fn what(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[derive(Clone, Copy)]
enum Want {
    Text,
    Count,
    Object,
    Texts,
    Any,
}

fn fits(want: Want, v: &Value) -> bool {
    match want {
        Want::Text => v.is_string(),
        Want::Count => v.as_u64().is_some(),
        Want::Object => v.is_object(),
        Want::Texts => v.as_array().is_some_and(|a| a.iter().all(Value::is_string)),
        Want::Any => true,
    }
}

fn wanted(want: Want) -> &'static str {
    match want {
        Want::Text => "a string",
        Want::Count => "a whole number",
        Want::Object => "a JSON object",
        Want::Texts => "a list of strings",
        Want::Any => "a value",
    }
}

fn fields(place: &str, obj: &Map<String, Value>, spec: &[(&str, Want)]) -> Option<String> {
    spec.iter().find_map(|(key, want)| {
        let v = obj.get(*key)?;
        (!fits(*want, v))
            .then(|| format!("{place}{key} must be {}, not {}", wanted(*want), what(v)))
    })
}

fn steps(key: &str, v: &Value) -> Option<String> {
    let Some(list) = v.as_array() else {
        return Some(format!(
            "{key} must be a list of steps ({{\"caller\": ..., \"call\": ...}}), not {}",
            what(v)
        ));
    };
    list.iter().enumerate().find_map(|(i, step)| {
        let place = format!("{key}, step {}: ", i + 1);
        let Some(obj) = step.as_object() else {
            return Some(format!(
                "{place}expected a JSON object ({{\"caller\": ..., \"call\": ...}}), not {}",
                what(step)
            ));
        };
        fields(
            &place,
            obj,
            &[
                ("caller", Want::Text),
                ("call", Want::Text),
                ("params", Want::Object),
                ("branch", Want::Object),
                ("expect", Want::Any),
                ("note", Want::Text),
            ],
        )
    })
}

/// The first wrong type in a trace document, or `None`.
pub(super) fn file(doc: &Value) -> Option<String> {
    let obj = doc.as_object()?;
    if let Some(m) = fields(
        "",
        obj,
        &[
            ("model", Want::Count),
            ("description", Want::Text),
            ("config", Want::Object),
            ("claim", Want::Object),
        ],
    ) {
        return Some(m);
    }
    if let Some(config) = obj.get("config").and_then(Value::as_object) {
        let m = fields(
            "config: ",
            config,
            &[
                ("members", Want::Count),
                ("users", Want::Count),
                ("groups", Want::Count),
                ("permission_sets", Want::Count),
                ("assumptions", Want::Object),
                ("practices", Want::Texts),
                ("relaxed", Want::Texts),
            ],
        );
        if m.is_some() {
            return m;
        }
    }
    if let Some(claim) = obj.get("claim").and_then(Value::as_object) {
        let m = fields(
            "claim: ",
            claim,
            &[
                ("property", Want::Text),
                ("verdict", Want::Text),
                ("step", Want::Count),
                ("expression", Want::Text),
            ],
        );
        if m.is_some() {
            return m;
        }
    }
    ["from", "steps"]
        .iter()
        .find_map(|key| steps(key, obj.get(*key)?))
}
