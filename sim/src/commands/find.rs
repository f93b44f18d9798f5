//! `idc find`: the shortest trace to a state where an expression holds.

use idc_model::properties::Kind;
use idc_model::query::Query;
use idc_sim::engine::explore::Stop;
use idc_sim::engine::properties::{Property, PropertySet};
use idc_sim::engine::trace::Trace;
use idc_sim::format::report::find::{report, FindResult};
use idc_sim::format::trace;
use idc_sim::render::find::render;

use super::{search, setup, Setup};
use crate::cli::FindArgs;
use crate::exit::{Failure, Outcome, Status};
use crate::output;

/// The name trace files give the expression of a find (their claim's property).
pub const CLAIM_NAME: &str = "find";

/// Runs `idc find`.
pub fn run(args: &FindArgs) -> Outcome {
    let Setup {
        model,
        start,
        design: _,
    } = setup(&args.model, &args.from)?;
    let query = Query::parse_named(&args.expr, model.config(), &start.names)
        .map_err(|e| Failure::usage(format!("expression: {e}")))?;
    let mut properties = PropertySet::empty();
    let property = Property::user(CLAIM_NAME, Kind::Sometimes, query, None);
    if properties.push(property.clone()).is_err() {
        unreachable!("the set was empty");
    }
    let e = search(
        &model,
        &start,
        &properties,
        &args.search,
        args.json,
        args.max_depth,
        true,
        false,
    );
    let report = report(&model, &start, &args.expr, &e);
    if let (Some(path), Some(actions)) = (&args.out, e.discoveries.first().and_then(Option::as_ref))
    {
        let t = Trace::of_actions(&model, &start, actions, Some(&property));
        trace::write(path, &t).map_err(Failure::write)?;
        output::note(format!("wrote {}", path.display()))?;
    }
    if args.json {
        output::json(&report)?;
    } else {
        output::out(&render(&report))?;
    }
    Ok(match (report.result, e.stop) {
        (_, Some(Stop::Interrupted)) => Status::Interrupted,
        (FindResult::Found, _) => Status::Ok,
        (FindResult::NotFound, _) => Status::Finding,
        (FindResult::Incomplete, _) => Status::Incomplete,
    })
}
