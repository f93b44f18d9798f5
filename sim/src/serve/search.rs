//! The explorer's exhaustive endpoints: `/api/v1/check` (every property, with its
//! progress at `/api/v1/check/progress`) and `/api/v1/find` (the shortest path to a state),
//! each a search from the page's root, or with `from=PATH` from the state at the end of
//! that path (the state on screen): the paths they answer still start at the root, the
//! path `from` first, so they replay as they are.

use serde_json::{json, Value};

use idc_model::properties::Kind;
use idc_model::query::Query;
use idc_model::{Action, State};

use super::api::{Explorer, Response};
use super::path::{self, Token};
use crate::engine::explore::{explore, Exploration, Options, Progress};
use crate::engine::properties::{Property, PropertySet};
use crate::format::report::Verdict;

/// How many finished checks the explorer keeps (by the path they started from).
const KEPT_CHECKS: usize = 8;

/// Where a search starts: the path to it (its tokens, empty for the root) and its state.
struct From {
    text: String,
    tokens: Vec<Token>,
    state: State,
}

impl From {
    /// The full path of `actions` made from this start: the path to it, then them.
    fn path(&self, explorer: &Explorer, actions: &[Action]) -> String {
        let mut tokens = self.tokens.clone();
        tokens.extend(path::of_actions(&explorer.model, &self.state, actions));
        path::format(&tokens)
    }
}

impl Explorer {
    /// The start of a search: the state at the end of the path `text` (the root if empty).
    fn search_from(&self, what: &str, text: &str) -> Result<From, Response> {
        let w = self
            .walk(text)
            .map_err(|e| Response::error(400, format!("{what}: from: {e}")))?;
        Ok(From {
            text: path::format(&w.tokens),
            tokens: w.tokens,
            state: w.state,
        })
    }

    /// Explores from `from` (the root: a design's start or the initial state).
    fn explore_from(&self, from: &From, opts: Options<'_>) -> Exploration {
        let at_initial = from.tokens.is_empty() && self.start.is_initial();
        explore(
            &self.model,
            Options {
                threads: self.threads,
                max_memory: self.max_memory,
                start: (!at_initial).then(|| from.state.clone()),
                ..opts
            },
        )
    }

    pub(super) fn check(&self, from_text: &str) -> Response {
        let from = match self.search_from("check", from_text) {
            Ok(f) => f,
            Err(r) => return r,
        };
        let mut cached = match self.check.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        if let Some((_, v)) = cached.iter().find(|(p, _)| *p == from.text) {
            return Response::json(v);
        }
        let set_progress = |v: Value| *self.progress_lock() = v;
        set_progress(
            json!({ "running": true, "done": false, "from": from.text, "states": 0,
            "generated": 0, "depth": 0, "seconds": 0.0, "found": [] }),
        );
        let mut report = |p: Progress| {
            set_progress(json!({
                "running": true,
                "done": false,
                "from": from.text,
                "states": p.unique,
                "generated": p.generated,
                "depth": p.depth,
                "seconds": p.seconds,
                "found": self.found_so_far(&p.found),
            }))
        };
        let e = self.explore_from(
            &from,
            Options {
                properties: Some(&self.properties),
                progress: Some(&mut report),
                ..Options::default()
            },
        );
        let lengths: Vec<Option<usize>> = e
            .discoveries
            .iter()
            .map(|d| d.as_ref().map(Vec::len))
            .collect();
        set_progress(json!({
            "running": false,
            "done": true,
            "from": from.text,
            "complete": e.complete,
            "states": e.unique,
            "generated": e.generated,
            "depth": e.max_depth,
            "seconds": e.seconds,
            "discoveries": e.discoveries.iter().filter(|d| d.is_some()).count(),
            "found": self.found_so_far(&lengths),
        }));
        let v = self.check_answer(&from, &e);
        if e.complete {
            if cached.len() >= KEPT_CHECKS {
                cached.remove(0);
            }
            cached.push((from.text.clone(), v.clone()));
        }
        Response::json(&v)
    }

    /// The properties found so far, `[{"name", "kind", "length"}]`, in the properties' order.
    fn found_so_far(&self, found: &[Option<usize>]) -> Vec<Value> {
        self.properties
            .iter()
            .zip(found)
            .filter_map(|(p, f)| {
                f.map(|length| json!({ "name": p.name, "kind": p.kind.name(), "length": length }))
            })
            .collect()
    }

    /// The answer of `/api/v1/check`: every property's verdict, and for a discovery its
    /// length (from `from`) and its full path (from the root).
    fn check_answer(&self, from: &From, e: &Exploration) -> Value {
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
                    v["path"] = json!(from.path(self, actions));
                }
                v
            })
            .collect();
        let mut v = json!({
            "complete": e.complete,
            "states": e.unique,
            "seconds": e.seconds,
            "properties": properties,
        });
        if !from.tokens.is_empty() {
            v["from"] = json!(from.text);
        }
        v
    }

    /// The check's progress, even if a handler panicked while holding it.
    pub(super) fn progress_lock(&self) -> std::sync::MutexGuard<'_, Value> {
        match self.check_progress.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    pub(super) fn find(&self, expr: &str, from_text: &str) -> Response {
        let query = match Query::parse(expr, self.model.config()) {
            Ok(q) => q,
            Err(e) => return Response::error(400, format!("expression: {e}")),
        };
        let from = match self.search_from("find", from_text) {
            Ok(f) => f,
            Err(r) => return r,
        };
        let mut set = PropertySet::empty();
        // INVARIANT: the set is empty, so the name is free.
        let _ = set.push(Property::user("find", Kind::Sometimes, query, None));
        let e = self.explore_from(
            &from,
            Options {
                properties: Some(&set),
                until_found: true,
                ..Options::default()
            },
        );
        let mut v = match e.discoveries.first().and_then(Option::as_ref) {
            Some(actions) => json!({
                "result": "found",
                "length": actions.len(),
                "path": from.path(self, actions),
            }),
            None if e.complete => json!({ "result": "not-found" }),
            None => json!({ "result": "incomplete" }),
        };
        if !from.tokens.is_empty() {
            v["from"] = json!(from.text);
        }
        Response::json(&v)
    }
}
