//! The explorer's exhaustive endpoints: `/api/v1/check` (every property, with its
//! progress at `/api/v1/check/progress`) and `/api/v1/find` (the shortest path to a state),
//! each a search from the page's root.

use serde_json::{json, Value};

use idc_model::properties::Kind;
use idc_model::query::Query;

use super::api::{Explorer, Response};
use super::path;
use crate::engine::explore::{explore, Options, Progress};
use crate::engine::properties::{Property, PropertySet};
use crate::format::report::Verdict;

impl Explorer {
    pub(super) fn check(&self) -> Response {
        let mut cached = match self.check.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some(v) = cached.as_ref() {
            return Response::json(v);
        }
        let set_progress = |v: Value| *self.progress_lock() = v;
        set_progress(
            json!({ "running": true, "done": false, "states": 0, "generated": 0, "depth": 0, "seconds": 0.0 }),
        );
        let mut report = |p: Progress| {
            set_progress(json!({
                "running": true,
                "done": false,
                "states": p.unique,
                "generated": p.generated,
                "depth": p.depth,
                "seconds": p.seconds,
            }))
        };
        let e = explore(
            &self.model,
            Options {
                threads: self.threads,
                max_memory: self.max_memory,
                properties: Some(&self.properties),
                progress: Some(&mut report),
                start: (!self.start.is_initial()).then(|| self.root()),
                ..Options::default()
            },
        );
        set_progress(json!({
            "running": false,
            "done": true,
            "complete": e.complete,
            "states": e.unique,
            "generated": e.generated,
            "depth": e.max_depth,
            "seconds": e.seconds,
            "discoveries": e.discoveries.iter().filter(|d| d.is_some()).count(),
        }));
        let init = self.root();
        let properties: Vec<Value> = self
            .properties
            .iter()
            .zip(&e.discoveries)
            .map(|(p, found)| {
                let mut v = json!({
                    "name": p.name,
                    "kind": p.kind.name(),
                    "verdict": Verdict::of(p.kind, found.is_some(), e.complete),
                });
                if let Some(actions) = found {
                    v["length"] = json!(actions.len());
                    v["path"] = json!(path::format(&path::of_actions(&self.model, &init, actions)));
                }
                v
            })
            .collect();
        let v = json!({
            "complete": e.complete,
            "states": e.unique,
            "seconds": e.seconds,
            "properties": properties,
        });
        if e.complete {
            *cached = Some(v.clone());
        }
        Response::json(&v)
    }

    /// The check's progress, even if a handler panicked while holding it.
    pub(super) fn progress_lock(&self) -> std::sync::MutexGuard<'_, Value> {
        match self.check_progress.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    pub(super) fn find(&self, expr: &str) -> Response {
        let query = match Query::parse(expr, self.model.config()) {
            Ok(q) => q,
            Err(e) => return Response::error(400, format!("expression: {e}")),
        };
        let mut set = PropertySet::empty();
        // INVARIANT: the set is empty, so the name is free.
        let _ = set.push(Property::user("find", Kind::Sometimes, query, None));
        let e = explore(
            &self.model,
            Options {
                threads: self.threads,
                max_memory: self.max_memory,
                properties: Some(&set),
                until_found: true,
                start: (!self.start.is_initial()).then(|| self.root()),
                ..Options::default()
            },
        );
        match e.discoveries.first().and_then(Option::as_ref) {
            Some(actions) => {
                let tokens = path::of_actions(&self.model, &self.root(), actions);
                Response::json(&json!({
                    "result": "found",
                    "length": tokens.len(),
                    "path": path::format(&tokens),
                }))
            }
            None if e.complete => Response::json(&json!({ "result": "not-found" })),
            None => Response::json(&json!({ "result": "incomplete" })),
        }
    }
}
