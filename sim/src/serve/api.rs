//! The explorer's JSON API (`docs/explore.md`, version [`API_VERSION`]): a request — method,
//! URL, body — in, a [`Response`] out. No I/O here: the HTTP loop is [`super::http`], so
//! every endpoint is tested without a socket.

use std::sync::Mutex;

use serde::Serialize;
use serde_json::{json, Value};

use idc_model::properties::Kind;
use idc_model::query::Last;
use idc_model::rules::Rule;
use idc_model::{Action, Config, IdcModel, State};

use super::assets;
use super::path::{self, PathError, Token};
use super::query::{param, parse_query};
use crate::engine::properties::{last_step, Property, PropertySet};
use crate::engine::replay::{actions_of, outside_threat, start_of};
use crate::engine::run::run_from;
use crate::engine::trace::{Claim, Start, Trace};
use crate::format::export::{export_string, Format};
use crate::format::report::replay::{replay_along, shown_along, Divergence};
use crate::format::report::{branch_json, params_json, ConfigView, OutcomeView, StepView};
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
    pub(super) fn json(value: &impl Serialize) -> Response {
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
    /// Its `from` calls lead elsewhere than the design's start state.
    #[error("its `from` calls do not lead to the design's start state, where the page starts")]
    Start,
    /// A call along it is outside the threat model.
    #[error("its step {step} (counted along the page's path) is outside the threat model: {why}")]
    Threat {
        /// 1-based, along the path.
        step: usize,
        /// What the threat model says of its caller.
        why: String,
    },
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
    pub(super) model: IdcModel,
    pub(super) properties: PropertySet,
    /// The page's root (path `''`): the model's initial state, or a design's start state,
    /// with the calls that lead there and the design's names.
    pub(super) start: Start,
    traces: Vec<LoadedTrace>,
    pub(super) threads: usize,
    pub(super) max_memory: Option<u64>,
    /// The checks that ran to the end, by the path they started from (`""`: the root).
    pub(super) check: Mutex<Vec<(String, Value)>>,
    /// The check's progress, for `/api/v1/check/progress`: not started, running, or done.
    pub(super) check_progress: Mutex<Value>,
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
    let threat = |c: &Config| c.threat.summary(c.accounts(), |a| a.to_string());
    differ("threat model".to_string(), threat(theirs), threat(ours));
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
            start: Start::initial(&model),
            model,
            properties,
            traces: Vec::new(),
            threads: threads.max(1),
            max_memory,
            check: Mutex::new(Vec::new()),
            check_progress: Mutex::new(json!({ "running": false, "done": false })),
        }
    }

    /// The explorer rooted at `start` (a design's start state) instead of the model's
    /// initial state: the page's paths, checks and queries start there, and the traces it
    /// writes record the calls that lead there as `from`, and the design's names.
    pub fn with_start(mut self, start: Start) -> Explorer {
        self.start = start;
        self
    }

    /// The model explored.
    pub fn model(&self) -> &IdcModel {
        &self.model
    }

    /// The state at the page's root (path `''`).
    pub(super) fn root(&self) -> State {
        self.start.state.clone()
    }

    /// How many calls of a trace's `from` the page's paths include: all of them from the
    /// initial state, none from a design's start (its own calls lead there).
    fn path_from_calls(&self, trace: &Trace) -> usize {
        if self.start.is_initial() {
            trace.from.len()
        } else {
            0
        }
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
        Some(json!({ "property": c.name(), "step": self.path_from_calls(trace) + c.step }))
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
        let mut actions: Vec<Action> = Vec::new();
        if self.start.is_initial() {
            actions.extend(start.steps.iter().map(|s| Action {
                call: s.call,
                branch: s.branch.unwrap_or(idc_model::Branch::NONE),
            }));
        } else if start.state != self.start.state {
            return Err(ExploreTraceError::Start);
        }
        let steps = actions_of(&self.model, &start.state, trace);
        let divergence =
            replay_along("", trace, &self.model, &start.state, None, &steps).divergence;
        actions.extend(steps);
        // A call outside the threat model has no place in the page's paths.
        let names = &self.start.names;
        if let Some((i, why)) = actions.iter().enumerate().find_map(|(i, a)| {
            outside_threat(self.model.config(), names, &a.call).map(|why| (i, why))
        }) {
            return Err(ExploreTraceError::Threat { step: i + 1, why });
        }
        Ok((
            path::of_actions(&self.model, &self.root(), &actions),
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
            "/api/v1/diagram" if get => self.with_path(&params, |p| self.diagram(&p.actions)),
            "/api/v1/check" if get => self.check(param(&params, "from").unwrap_or("")),
            "/api/v1/check/progress" if get => Response::json(&*self.progress_lock()),
            "/api/v1/find" if get => match param(&params, "expr") {
                Some(e) => self.find(e, param(&params, "from").unwrap_or("")),
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
            | "/api/v1/diagram"
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

    pub(super) fn walk(&self, text: &str) -> Result<Walked, PathError> {
        let tokens = path::parse(text)?;
        let (actions, state) = path::resolve(&self.model, &self.root(), &tokens)?;
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
            "config": ConfigView::named(self.model.config(), &self.start.names),
            "start": self.start.steps.len(),
            "calls": calls,
            "properties": self.properties.iter().map(property_json).collect::<Vec<_>>(),
            "traces": self.traces,
        }))
    }

    fn state(&self, w: &Walked) -> Response {
        let model = &self.model;
        let (records, end) = run_from(model, self.root(), &w.actions);
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
        Trace::of_actions(&self.model, &self.start, &w.actions, None)
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
                let (records, end) = run_from(&self.model, self.root(), actions);
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

    /// An expression's value in every state of a path: the initial state (no last step),
    /// then after each step, as `idc replay --show` gives them.
    fn show(&self, w: &Walked, expr: &str) -> Response {
        let e = match idc_model::Expression::parse(expr, self.model.config()) {
            Ok(e) => e,
            Err(e) => return Response::error(400, format!("expression: {e}")),
        };
        let values: Vec<Value> = shown_along(&self.model, &self.root(), &w.actions, &[e])
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
pub(super) struct Walked {
    pub(super) tokens: Vec<Token>,
    pub(super) actions: Vec<Action>,
    pub(super) state: State,
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
