//! The explorer's JSON API (`docs/explore.md`, version [`API_VERSION`]): a request — method,
//! URL, body — in, a [`Response`] out. No I/O here: the HTTP loop is [`super::http`], so
//! every endpoint is tested without a socket.

use std::sync::Mutex;

use serde::Serialize;
use serde_json::{json, Value};

use idc_model::properties::Kind;
use idc_model::query::{Last, Query};
use idc_model::rules::Rule;
use idc_model::{Action, Config, IdcModel, State};

use super::assets;
use super::path::{self, PathError, Token};
use super::query::{param, parse_query};
use crate::engine::explore::{explore, Options, Progress};
use crate::engine::properties::{last_step, Property, PropertySet};
use crate::engine::replay::{actions_of, start_of};
use crate::engine::run::run_from;
use crate::engine::trace::{Claim, Start, Trace};
use crate::format::export::{export_string, Format};
use crate::format::report::replay::{replay_along, shown_along, Divergence};
use crate::format::report::{branch_json, params_json, ConfigView, OutcomeView, StepView, Verdict};
use crate::format::state::StateView;
use crate::format::trace as trace_file;
use idc_model::diff::describe_step;

/// The API's version: the `v1` of its URLs and the `version` of `/api/v1/model`.
pub const API_VERSION: u32 = 1;

/// The largest request body (an uploaded trace), as for trace files.
pub const MAX_BODY: usize = 16 << 20;

/// An HTTP response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The `Content-Type`.
    pub content_type: &'static str,
    /// `Content-Disposition: attachment; filename=...` when the body is a download.
    pub attachment: Option<&'static str>,
    /// The `Allow` header of a 405: the method the resource takes.
    pub allow: Option<&'static str>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    fn json(value: &impl Serialize) -> Response {
        Response {
            status: 200,
            content_type: "application/json",
            attachment: None,
            allow: None,
            body: serde_json::to_vec(value).unwrap_or_else(|e| {
                // INVARIANT: our views serialize (no maps with non-string keys).
                format!("{{\"error\": \"cannot serialize: {e}\"}}").into_bytes()
            }),
        }
    }

    /// An error: the status and one line, as `{"error": "..."}`.
    pub fn error(status: u16, message: impl std::fmt::Display) -> Response {
        let line = message.to_string().replace(['\n', '\r'], " ");
        Response {
            status,
            ..Response::json(&json!({ "error": line }))
        }
    }

    fn asset(content_type: &'static str, text: &'static str) -> Response {
        Response {
            status: 200,
            content_type,
            attachment: None,
            allow: None,
            body: text.as_bytes().to_vec(),
        }
    }
}

/// Why a trace can't be explored.
#[derive(Debug, thiserror::Error)]
pub enum ExploreTraceError {
    /// Its configuration is not the explorer's.
    #[error("its configuration is not the explorer's ({0}); explore it with its own flags, or on its own")]
    Config(String),
    /// Its `from` calls don't replay.
    #[error("its `from` calls do not replay as written (see 'idc replay')")]
    From,
}

/// A trace given on the command line.
#[derive(Clone, Debug, Serialize)]
pub struct LoadedTrace {
    /// Its index.
    pub id: usize,
    /// The file as named.
    pub file: String,
    /// Its description.
    pub description: Option<String>,
    /// Its steps (with its `from` calls).
    pub steps: usize,
    /// Its path.
    pub path: String,
    /// Where it does not replay as written (as `idc replay` says), if it does not.
    pub divergence: Option<Divergence>,
    /// Its claim, `{"property", "step"}` with the step counted along its path (its `from`
    /// calls included), if it has one about a property of the explorer.
    pub claim: Option<Value>,
}

/// The explorer: the model, its properties, the traces it was given, and the check's
/// result once it ran.
pub struct Explorer {
    model: IdcModel,
    properties: PropertySet,
    traces: Vec<LoadedTrace>,
    threads: usize,
    max_memory: Option<u64>,
    check: Mutex<Option<Value>>,
    /// The check's progress, for `/api/v1/check/progress`: not started, running, or done.
    check_progress: Mutex<Value>,
}

/// What differs between a trace's configuration and the explorer's, key by key, for
/// errors: `assumption close-delegate: the trace says either, the explorer refused`.
fn differences(theirs: &Config, ours: &Config) -> String {
    let (t, o) = (ConfigView::of(theirs), ConfigView::of(ours));
    let mut out = Vec::new();
    let mut differ = |key: String, a: String, b: String| {
        if a != b {
            out.push(format!("{key}: the trace says {a}, the explorer {b}"));
        }
    };
    for (key, a, b) in [
        ("members", t.members, o.members),
        ("users", t.users, o.users),
        ("groups", t.groups, o.groups),
        ("permission-sets", t.permission_sets, o.permission_sets),
    ] {
        differ(key.to_string(), a.to_string(), b.to_string());
    }
    for (a, b) in t.assumptions.iter().zip(&o.assumptions) {
        differ(
            format!("assumption {}", a.key),
            a.value.to_string(),
            b.value.to_string(),
        );
    }
    let list = |l: &[&str]| {
        if l.is_empty() {
            "none".to_string()
        } else {
            l.join(" ")
        }
    };
    differ(
        "practices".to_string(),
        list(&t.practices),
        list(&o.practices),
    );
    differ("relaxed".to_string(), list(&t.relaxed), list(&o.relaxed));
    out.join("; ")
}

impl Explorer {
    /// An explorer of `model` judging `properties`; the check of `/api/v1/check` runs on
    /// `threads` threads within `max_memory`.
    pub fn new(
        model: IdcModel,
        properties: PropertySet,
        threads: usize,
        max_memory: Option<u64>,
    ) -> Explorer {
        Explorer {
            model,
            properties,
            traces: Vec::new(),
            threads: threads.max(1),
            max_memory,
            check: Mutex::new(None),
            check_progress: Mutex::new(json!({ "running": false, "done": false })),
        }
    }

    /// The model explored.
    pub fn model(&self) -> &IdcModel {
        &self.model
    }

    /// Adds a trace of the command line; its path is where it leads.
    pub fn add_trace(&mut self, file: &str, trace: &Trace) -> Result<(), ExploreTraceError> {
        let (tokens, divergence) = self.path_of_trace(trace)?;
        self.traces.push(LoadedTrace {
            id: self.traces.len(),
            file: file.to_string(),
            description: trace.description.clone(),
            steps: tokens.len(),
            path: path::format(&tokens),
            divergence,
            claim: self.claim_of(trace),
        });
        Ok(())
    }

    /// A trace's claim for the page, `{"property", "step"}` with the step counted along its
    /// path, if it is about one of the explorer's properties (the download can then keep it).
    fn claim_of(&self, trace: &Trace) -> Option<Value> {
        let c = trace.claim.as_ref()?;
        self.properties.get(c.name())?;
        Some(json!({ "property": c.name(), "step": trace.from.len() + c.step }))
    }

    /// The path of a trace: its `from` calls, then its steps as `idc replay` takes them;
    /// and where it does not replay as written, if it does not (it is explored along the
    /// branches replay takes, as `idc state` shows it).
    fn path_of_trace(
        &self,
        trace: &Trace,
    ) -> Result<(Vec<Token>, Option<Divergence>), ExploreTraceError> {
        let cfg = *self.model.config();
        if trace.config != cfg {
            return Err(ExploreTraceError::Config(differences(&trace.config, &cfg)));
        }
        let start = start_of(&self.model, trace).ok_or(ExploreTraceError::From)?;
        let mut actions: Vec<Action> = start
            .steps
            .iter()
            .map(|s| Action {
                call: s.call,
                branch: s.branch.unwrap_or(idc_model::Branch::NONE),
            })
            .collect();
        let steps = actions_of(&self.model, &start.state, trace);
        let divergence =
            replay_along("", trace, &self.model, &start.state, None, &steps).divergence;
        actions.extend(steps);
        Ok((
            path::of_actions(&self.model, &self.model.initial(), &actions),
            divergence,
        ))
    }

    /// Answers one request. `url` is the request target (path and query).
    pub fn handle(&self, method: &str, url: &str, body: &[u8]) -> Response {
        let (route, query) = url.split_once('?').unwrap_or((url, ""));
        let params = match parse_query(query) {
            Ok(p) => p,
            Err(e) => return Response::error(400, e),
        };
        let get = method == "GET" || method == "HEAD";
        let wrong_method = |allowed: &'static str| Response {
            allow: Some(allowed),
            ..Response::error(
                405,
                format!(
                    "{} {route}: method not allowed (use {allowed})",
                    echo(method)
                ),
            )
        };
        match route {
            "/" | "/index.html" if get => {
                Response::asset("text/html; charset=utf-8", assets::INDEX)
            }
            "/assets/app.js" if get => {
                Response::asset("text/javascript; charset=utf-8", assets::APP_JS)
            }
            "/assets/app.css" if get => Response::asset("text/css; charset=utf-8", assets::APP_CSS),
            "/" | "/index.html" | "/assets/app.js" | "/assets/app.css" => wrong_method("GET"),
            "/api/v1/model" if get => self.model_info(),
            "/api/v1/state" if get => self.with_path(&params, |p| self.state(p)),
            "/api/v1/trace" if get => self.with_path(&params, |p| self.trace(p, &params)),
            "/api/v1/mermaid" if get => self.with_path(&params, |p| self.mermaid(p)),
            "/api/v1/check" if get => self.check(),
            "/api/v1/check/progress" if get => Response::json(&*self.progress_lock()),
            "/api/v1/find" if get => match param(&params, "expr") {
                Some(e) => self.find(e),
                None => Response::error(400, "find: the parameter expr is missing (?expr=...)"),
            },
            "/api/v1/show" if get => match param(&params, "expr") {
                Some(e) => self.with_path(&params, |p| self.show(p, e)),
                None => Response::error(400, "show: the parameter expr is missing (?expr=...)"),
            },
            "/api/v1/upload" if method == "POST" => self.upload(body),
            "/api/v1/model"
            | "/api/v1/state"
            | "/api/v1/trace"
            | "/api/v1/mermaid"
            | "/api/v1/check"
            | "/api/v1/check/progress"
            | "/api/v1/find"
            | "/api/v1/show" => wrong_method("GET"),
            "/api/v1/upload" => wrong_method("POST"),
            _ => Response::error(404, format!("{}: no such page or endpoint", echo(route))),
        }
    }

    fn with_path(
        &self,
        params: &[(String, String)],
        f: impl FnOnce(&Walked) -> Response,
    ) -> Response {
        let text = param(params, "path").unwrap_or("");
        match self.walk(text) {
            Ok(w) => f(&w),
            Err(e) => Response::error(400, e),
        }
    }

    fn walk(&self, text: &str) -> Result<Walked, PathError> {
        let tokens = path::parse(text)?;
        let init = self.model.initial();
        let (actions, state) = path::resolve(&self.model, &init, &tokens)?;
        Ok(Walked {
            tokens,
            actions,
            state,
        })
    }

    fn model_info(&self) -> Response {
        let calls: Vec<Value> = self
            .model
            .calls()
            .iter()
            .enumerate()
            .map(|(i, c)| {
                json!({
                    "index": i,
                    "caller": c.caller.to_string(),
                    "call": c.op.name(),
                    "params": params_json(c),
                })
            })
            .collect();
        Response::json(&json!({
            "format": "idc-explore",
            "version": API_VERSION,
            "model": idc_model::MODEL_VERSION,
            "config": ConfigView::of(self.model.config()),
            "calls": calls,
            "properties": self.properties.iter().map(property_json).collect::<Vec<_>>(),
            "traces": self.traces,
        }))
    }

    fn state(&self, w: &Walked) -> Response {
        let model = &self.model;
        let (records, end) = run_from(model, model.initial(), &w.actions);
        // INVARIANT: run_from follows the path's own branches, so it ends where walk did.
        debug_assert!(end == w.state);
        let last = match (w.actions.last(), records.last()) {
            (Some(a), Some(r)) => last_step(&a.call, r.outcome.is_err()),
            _ => Last::default(),
        };
        let properties: Vec<Value> = self
            .properties
            .iter()
            .map(|p| {
                json!({
                    "name": p.name,
                    "kind": p.kind.name(),
                    "holds": p.holds(&end, &last),
                })
            })
            .collect();
        let here = path::format(&w.tokens);
        let prefix = if here.is_empty() {
            String::new()
        } else {
            format!("{here},")
        };
        let cfg = model.config();
        let calls: Vec<Value> = model
            .calls()
            .iter()
            .enumerate()
            .map(|(i, &call)| {
                let mut outcomes = Vec::new();
                model.outcomes(&end, call, |branch, outcome| {
                    let k = outcomes.len();
                    let token = Token {
                        call: i,
                        outcome: k,
                    };
                    let changes = match &outcome {
                        Ok(next) => describe_step(cfg, &end, &call, next),
                        Err(_) => Vec::new(),
                    };
                    // The always-properties the next state violates (none for a refusal).
                    let violates: Vec<&str> = match &outcome {
                        Ok(next) => {
                            let last = last_step(&call, false);
                            self.properties
                                .iter()
                                .filter(|p| p.kind == Kind::Always && !p.holds(next, &last))
                                .map(|p| p.name.as_ref())
                                .collect()
                        }
                        Err(_) => Vec::new(),
                    };
                    let done = outcome.as_ref().map(|_| ()).map_err(Clone::clone);
                    let rule = match &done {
                        Err(idc_model::Refusal::Api { rule: Some(r), .. }) => Some(rule_json(*r)),
                        Err(idc_model::Refusal::Practice(_)) => Rule::parse("IDC-7").map(rule_json),
                        _ => None,
                    };
                    let mut o = json!({
                        "outcome": OutcomeView::of(&done),
                        "accepted": done.is_ok(),
                        "branch": branch_json(branch),
                        "changes": changes,
                        "violates": violates,
                        "path": format!("{prefix}{token}"),
                    });
                    if let Some(r) = rule {
                        o["rule"] = r;
                    }
                    outcomes.push(o);
                });
                json!({
                    "index": i,
                    "caller": call.caller.to_string(),
                    "call": call.op.name(),
                    "params": params_json(&call),
                    "outcomes": outcomes,
                })
            })
            .collect();
        Response::json(&json!({
            "path": here,
            "steps": StepView::of_run(&records),
            "state": StateView::of(cfg, &end),
            "properties": properties,
            "calls": calls,
        }))
    }

    fn trace_of(&self, w: &Walked) -> Trace {
        Trace::of_actions(&self.model, &Start::initial(&self.model), &w.actions, None)
    }

    /// The path as a trace file. With `claim=NAME` (and `step=N`, by default the path's
    /// length), the claim of what the page loaded: kept when the path reaches step N and the
    /// property is violated (exemplified) in the state after it, dropped otherwise.
    fn trace(&self, w: &Walked, params: &[(String, String)]) -> Response {
        let mut trace = self.trace_of(w);
        if let Some(name) = param(params, "claim") {
            let Some(property) = self.properties.get(name) else {
                return Response::error(
                    400,
                    format!("trace: claim: no property '{}' here", echo(name)),
                );
            };
            let step = match param(params, "step").map(str::parse::<usize>) {
                None => w.actions.len(),
                Some(Ok(n)) => n,
                Some(Err(_)) => {
                    return Response::error(400, "trace: step must be a number of steps")
                }
            };
            if let Some(actions) = w.actions.get(..step) {
                let (records, end) = run_from(&self.model, self.model.initial(), actions);
                let last = match (actions.last(), records.last()) {
                    (Some(a), Some(r)) => last_step(&a.call, r.outcome.is_err()),
                    _ => Last::default(),
                };
                if property.found(&end, &last) {
                    trace.claim = Some(Claim {
                        property: property.clone(),
                        step,
                    });
                }
            }
        }
        Response {
            status: 200,
            content_type: "application/json",
            attachment: Some("idc-explore.json"),
            allow: None,
            body: trace_file::to_json(&trace).into_bytes(),
        }
    }

    fn mermaid(&self, w: &Walked) -> Response {
        match export_string(Format::Mermaid, "idc explore", &self.trace_of(w)) {
            Ok(text) => Response::json(&json!({ "mermaid": text })),
            Err(e) => Response::error(500, format!("mermaid: {e}")),
        }
    }

    fn check(&self) -> Response {
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
        let init = self.model.initial();
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
    fn progress_lock(&self) -> std::sync::MutexGuard<'_, Value> {
        match self.check_progress.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    fn find(&self, expr: &str) -> Response {
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
                ..Options::default()
            },
        );
        match e.discoveries.first().and_then(Option::as_ref) {
            Some(actions) => {
                let tokens = path::of_actions(&self.model, &self.model.initial(), actions);
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

    /// An expression's value in every state of a path: the initial state (no last step),
    /// then after each step, as `idc replay --show` gives them.
    fn show(&self, w: &Walked, expr: &str) -> Response {
        let e = match idc_model::Expression::parse(expr, self.model.config()) {
            Ok(e) => e,
            Err(e) => return Response::error(400, format!("expression: {e}")),
        };
        let init = self.model.initial();
        let values: Vec<Value> = shown_along(&self.model, &init, &w.actions, &[e])
            .into_iter()
            .map(|m| m.into_iter().next().map_or(Value::Null, |(_, v)| v))
            .collect();
        Response::json(&json!({ "expr": expr, "values": values }))
    }

    fn upload(&self, body: &[u8]) -> Response {
        if body.len() > MAX_BODY {
            return Response::error(413, format!("upload: over {} MiB", MAX_BODY >> 20));
        }
        let Ok(text) = std::str::from_utf8(body) else {
            return Response::error(400, "upload: the trace is not UTF-8 text");
        };
        let trace = match trace_file::parse(text) {
            Ok(t) => t,
            Err(e) => return Response::error(400, format!("upload: {e}")),
        };
        match self.path_of_trace(&trace) {
            Ok((tokens, divergence)) => Response::json(&json!({
                "path": path::format(&tokens),
                "steps": tokens.len(),
                "divergence": divergence,
                "claim": self.claim_of(&trace),
            })),
            Err(e) => Response::error(400, format!("upload: {e}")),
        }
    }
}

/// A path walked: its tokens, actions, and the state it ends in.
struct Walked {
    tokens: Vec<Token>,
    actions: Vec<Action>,
    state: State,
}

fn echo(text: &str) -> String {
    idc_model::echo::echo(text)
}

fn property_json(p: &Property) -> Value {
    let mut v = json!({
        "name": p.name,
        "kind": p.kind.name(),
        "rules": p.rules,
        "meaning": p.meaning,
    });
    if let Some(e) = p.expression() {
        v["expression"] = json!(e);
    }
    v
}

fn rule_json(r: Rule) -> Value {
    let urls: Vec<&str> = r.sources().iter().map(|s| s.url()).collect();
    json!({ "id": r.id(), "summary": r.summary(), "source": r.source(), "urls": urls })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_carries_the_url_of_each_source_key() {
        let r = rule_json(Rule::Src2);
        assert_eq!(
            r["source"],
            "[SEED] [GSAD] [manage-your-identity-source-ad]"
        );
        assert_eq!(
            r["urls"],
            json!([
                "https://docs.aws.amazon.com/singlesignon/latest/userguide/delegated-admin.html",
                "https://docs.aws.amazon.com/singlesignon/latest/userguide/gs-ad.html",
                "https://docs.aws.amazon.com/singlesignon/latest/userguide/manage-your-identity-source-ad.html"
            ])
        );
    }
}
