//! The report of `idc rules`: every rule with its source (keys and URLs) and how the model
//! implements it, every assumption, practice, call and property.

use serde_json::json;

use idc_model::call::SIGNATURES;
use idc_model::{Assumptions, Practice, Rule, PROPERTIES};

use super::REPORT_VERSION;

/// The listing as JSON.
pub fn json() -> serde_json::Value {
    json!({
        "format": "idc-rules",
        "version": REPORT_VERSION,
        "model": idc_model::MODEL_VERSION,
        "rules": Rule::ALL.iter().map(|r| json!({
            "id": r.id(), "source": r.source(), "summary": r.summary(),
            "implementation": r.implementation().name(), "relaxable": r.relaxable(),
            "urls": r.sources().iter().map(|s| s.url()).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "assumptions": Assumptions::default().describe().iter().map(|a| json!({
            "id": a.id, "key": a.key, "default": a.value, "values": a.values,
            "either": a.values.contains(&"either"), "sound": a.sound, "question": a.question,
        })).collect::<Vec<_>>(),
        "practices": Practice::ALL.iter().map(|p| json!({"name": p.name(), "summary": p.summary(), "rule": "IDC-7"})).collect::<Vec<_>>(),
        "calls": SIGNATURES.iter().map(|(name, params)| json!({"name": name, "params": params})).collect::<Vec<_>>(),
        "properties": PROPERTIES.iter().map(|p| json!({
            "name": p.name, "kind": p.kind.name(), "rules": p.rules, "meaning": p.meaning,
        })).collect::<Vec<_>>(),
    })
}
