//! `idc compare A B`: today vs the plan. Each side is a design, checked here as
//! `idc check --design` checks it, or a report of `idc check --json`, read as it is; the
//! report says per property what changed from A to B.

use std::io::Read;
use std::path::Path;

use serde_json::Value;

use idc_model::echo::echo_path;
use idc_sim::engine::explore::Stop;
use idc_sim::format::report::compare::{compare, Input, Side};
use idc_sim::render;

use super::check::{checked, Checked};
use super::setup_design;
use crate::cli::{CompareArgs, ModelArgs, UserPropertyArgs};
use crate::exit::{Failure, Outcome, Status};
use crate::output;

/// The largest check report read (a report carries every property's trace and end state).
const MAX_REPORT_BYTES: u64 = 64 << 20;

/// Runs `idc compare`.
pub fn run(args: &CompareArgs) -> Outcome {
    let (a, stop_a) = side(&args.a, args)?;
    let (b, stop_b) = side(&args.b, args)?;
    let report = compare(a, b);
    if args.json {
        output::json(&report)?;
    } else {
        output::out(&render::compare::compare(&report, args.brief))?;
    }
    Ok(if [stop_a, stop_b].contains(&Some(Stop::Interrupted)) {
        Status::Interrupted
    } else if report.complete {
        Status::Ok
    } else {
        Status::Incomplete
    })
}

/// One side: a check report read, or a design checked (with why its search stopped).
fn side(path: &Path, args: &CompareArgs) -> Result<(Side, Option<Stop>), Failure> {
    let file = echo_path(&path.display().to_string());
    let bad = |e: String| Failure::usage(format!("compare: {file}: {e}"));
    if let Some(doc) = report_of(path).map_err(bad)? {
        let side = Side::of_json(file.clone(), Input::CheckReport, None, &doc).map_err(bad)?;
        return Ok((side, None));
    }
    let setup = setup_design(&ModelArgs::default(), &[], path, "compare: ")?;
    let description = setup
        .design
        .as_ref()
        .and_then(|(_, d)| d.description.clone());
    let Checked {
        report,
        exploration,
        ..
    } = checked(
        &setup,
        &UserPropertyArgs::default(),
        &[],
        &args.search,
        args.json,
        None,
        true,
    )
    .map_err(|f| match f {
        Failure::Usage(m) => match m.strip_prefix("--design ") {
            Some(rest) => Failure::usage(format!("compare: {rest}")),
            None => bad(m),
        },
        other => other,
    })?;
    let doc = serde_json::to_value(&report).map_err(|e| Failure::write(e.to_string()))?;
    let side = Side::of_json(file.clone(), Input::Design, description, &doc).map_err(bad)?;
    Ok((side, exploration.stop))
}

/// The file's JSON document if it is a check report (`"format": "idc-check"`); `None`
/// for anything else, which is read as a design. Another idc report is an error: it is
/// neither.
fn report_of(path: &Path) -> Result<Option<Value>, String> {
    let f = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let mut bytes = Vec::new();
    f.take(MAX_REPORT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.first() != Some(&b'{') {
        return Ok(None);
    }
    let Ok(doc) = serde_json::from_slice::<Value>(&bytes) else {
        return Ok(None);
    };
    match doc.get("format").and_then(Value::as_str) {
        Some("idc-check") if bytes.len() as u64 > MAX_REPORT_BYTES => Err(format!(
            "larger than the {} MiB a check report may have",
            MAX_REPORT_BYTES >> 20
        )),
        Some("idc-check") => Ok(Some(doc)),
        Some(other) if other.starts_with("idc-") => Err(format!(
            "a report of another kind ({other}): compare reads designs and reports of idc check --json"
        )),
        _ => Ok(None),
    }
}
