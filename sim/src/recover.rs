//! `idc recover`: from every reachable state, can the management account, acting alone,
//! get back to a safe baseline?
//!
//! This is a question about the state graph, not about single states or single paths
//! (stateright's `eventually` judges only terminal states: pitfall 6 of the stateright
//! notes). The analysis:
//!
//! 1. explore every reachable state (every caller), keeping for each state the edges of
//!    the management account's recovery moves only ([`recovery_move`]: its own calls, except
//!    those that shed member accounts), and marking the states in a safe baseline;
//! 2. walk the management edges backwards from the marked states: the states reached are
//!    those from which the management account alone can reach a safe baseline, and the
//!    walk's distance is the number of management calls it needs;
//! 3. every other reachable state is *stuck*. For the first one (the one with the shortest
//!    trace from the initial state) the report says which baseline conditions fail there,
//!    which of them fail in every state the management account can reach from there, which
//!    management calls the guards refuse there (with their rule ids), and for each of those
//!    rules whether relaxing it alone would let the management account get back.
//!
//! With symmetry, a state stands for its orbit under renaming member accounts. That is
//! sound here too: a renaming maps management calls to management calls and safe
//! baselines to safe baselines, so every state of an orbit can get back if one can.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, VecDeque};
use std::time::Instant;

use serde::Serialize;

use idc_model::account::bits;
use idc_model::{Acct, Call, Config, IdcModel, IdentitySource, Op, Refusal, State};

use crate::check::Search;
use crate::explore::{explore, GraphOptions, Options, Progress};
use crate::report::{ConfigView, StepView};
use crate::run::run;

/// One condition of the safe baseline.
#[derive(Clone, Copy)]
pub struct Condition {
    /// Its name.
    pub name: &'static str,
    /// What it requires.
    pub meaning: &'static str,
    /// The predicate.
    pub holds: fn(&State) -> bool,
}

/// The safe baseline: every condition holds.
pub const BASELINE: &[Condition] = &[
    Condition {
        name: "no-delegate",
        meaning: "no delegated administrator is registered",
        holds: |s| s.delegates == 0,
    },
    Condition {
        name: "identity-source-safe",
        meaning: "the identity source is not Active Directory, or its directory is owned by the management account",
        holds: |s| match s.source {
            IdentitySource::ActiveDirectory(owner) => owner.is_management(),
            _ => true,
        },
    },
    Condition {
        name: "instance-ready",
        meaning: "the IAM Identity Center instance exists in the management account and trusted access is enabled",
        holds: |s| s.instance == Some(Acct::MANAGEMENT) && s.trusted_access,
    },
    Condition {
        name: "members-reachable",
        meaning: "every active member account (in the organization, not closed) is reached by some user through an account assignment",
        holds: |s| {
            let active_members = s.in_org & !s.closed & !Acct::MANAGEMENT.bit();
            bits(active_members).all(|a| s.effective_access(Acct(a)) != 0)
        },
    },
];

/// Whether a state is in a safe baseline.
pub fn in_baseline(s: &State) -> bool {
    BASELINE.iter().all(|c| (c.holds)(s))
}

/// The management account's recovery moves: every call of its own except those that shed
/// a member account (`RemoveAccountFromOrganization`, `CloseAccount`). Shedding members
/// would satisfy `members-reachable` by emptying it, and the management account alone can't
/// bring a member back (joining needs the member's `AcceptHandshake`). Without them, the
/// set of active member accounts is fixed during a recovery, so `members-reachable` means
/// "every member that was active when the recovery started is reachable again".
pub fn recovery_move(call: &Call) -> bool {
    call.caller.is_management()
        && !matches!(
            call.op,
            Op::RemoveAccountFromOrganization(_) | Op::CloseAccount(_)
        )
}

/// The recovery moves except `DeleteInstance` (`--keep-instance`).
pub fn recovery_move_keeping_instance(call: &Call) -> bool {
    recovery_move(call) && !matches!(call.op, Op::DeleteInstance)
}

/// A baseline condition, for reports.
#[derive(Clone, Debug, Serialize)]
pub struct ConditionView {
    /// Its name.
    pub name: &'static str,
    /// What it requires.
    pub meaning: &'static str,
}

/// A state and the management account's way back from it.
#[derive(Clone, Debug, Serialize)]
pub struct Recovery {
    /// A shortest trace from the initial state into the state.
    pub trace: Vec<StepView>,
    /// A shortest sequence of management calls from there to a safe baseline.
    pub recovery: Vec<StepView>,
}

/// A management call refused by a guard in a stuck state.
#[derive(Clone, Debug, Serialize)]
pub struct GuardRefusal {
    /// The call, as text.
    pub call: String,
    /// The error (or the practice that keeps the management account from making it).
    pub error: String,
    /// The rule id (`IDC-7` for a practice).
    pub rule: &'static str,
}

/// What relaxing one rule would do for a stuck state.
#[derive(Clone, Debug, Serialize)]
pub struct Unblocking {
    /// The rule id.
    pub rule: &'static str,
    /// The management calls that would get back to a safe baseline with the rule relaxed,
    /// if any.
    pub recovery: Option<Vec<StepView>>,
}

/// The first stuck state and why it is stuck.
#[derive(Clone, Debug, Serialize)]
pub struct Stuck {
    /// A shortest trace from the initial state into it.
    pub trace: Vec<StepView>,
    /// The baseline conditions failing there.
    pub failing: Vec<&'static str>,
    /// States the management account can reach from there (itself included).
    pub closure: u64,
    /// The baseline conditions failing in every one of those states.
    pub never_restored: Vec<&'static str>,
    /// The management calls a guard (or a practice) refuses there.
    pub refusals: Vec<GuardRefusal>,
    /// For each rule among those refusals: whether relaxing it alone gets back.
    pub unblocking: Vec<Unblocking>,
}

/// The recoverability report.
#[derive(Clone, Debug, Serialize)]
pub struct RecoverReport {
    /// The configuration.
    pub config: ConfigView,
    /// Whether `DeleteInstance` was withheld from the management account.
    pub keep_instance: bool,
    /// Whether states were identified up to renaming member accounts (counts are then of
    /// orbits).
    pub symmetry: bool,
    /// The conditions of the safe baseline.
    pub baseline_conditions: Vec<ConditionView>,
    /// Reachable states.
    pub reachable: u64,
    /// Reachable states in a safe baseline.
    pub in_baseline: u64,
    /// Reachable states from which the management account alone reaches a safe baseline.
    pub recoverable: u64,
    /// Reachable states from which it can't.
    pub stuck: u64,
    /// The recoverable state that needs the most management calls, and its recovery.
    pub longest_recovery: Option<Recovery>,
    /// The first stuck state (shortest trace), if any.
    pub first_stuck: Option<Stuck>,
    /// Successor states generated.
    pub generated: u64,
    /// Management edges kept.
    pub edges: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// `ok` or `stuck`.
    pub result: &'static str,
}

/// What the management account alone reaches from one state.
struct Closure {
    states: u64,
    /// Per baseline condition: whether it holds in some state of the closure.
    ever_holds: Vec<bool>,
    /// A shortest sequence of management calls to a safe baseline, if one is reachable.
    to_baseline: Option<Vec<Call>>,
}

/// Breadth-first search over the management account's calls only, from `start`.
fn management_closure(model: &IdcModel, start: State, keep: fn(&Call) -> bool) -> Closure {
    let calls: Vec<Call> = model.calls().iter().copied().filter(keep).collect();
    let mut parents: HashMap<State, Option<(State, Call)>> = HashMap::new();
    let mut ever_holds = vec![false; BASELINE.len()];
    let mut found: Option<State> = None;
    let mut queue = VecDeque::from([start.clone()]);
    parents.insert(start, None);
    while let Some(s) = queue.pop_front() {
        for (flag, c) in ever_holds.iter_mut().zip(BASELINE) {
            *flag |= (c.holds)(&s);
        }
        if found.is_none() && in_baseline(&s) {
            found = Some(s.clone());
        }
        for &call in &calls {
            let Ok(next) = model.step(&s, call) else {
                continue;
            };
            if let Entry::Vacant(e) = parents.entry(next.clone()) {
                e.insert(Some((s.clone(), call)));
                queue.push_back(next);
            }
        }
    }
    let to_baseline = found.map(|mut s| {
        let mut path = Vec::new();
        while let Some(Some((prev, call))) = parents.get(&s) {
            path.push(*call);
            s = prev.clone();
        }
        path.reverse();
        path
    });
    Closure {
        states: parents.len() as u64,
        ever_holds,
        to_baseline,
    }
}

/// The steps of `tail`, run after `head` from the initial state.
fn tail_steps(model: &IdcModel, head: &[Call], tail: &[Call]) -> Vec<StepView> {
    let all: Vec<Call> = head.iter().chain(tail).copied().collect();
    let mut views = StepView::of_run(&run(model, &all).0);
    let mut rest = views.split_off(head.len());
    for (i, v) in rest.iter_mut().enumerate() {
        v.step = i + 1;
    }
    rest
}

/// Runs the analysis.
pub fn recover(
    model: &IdcModel,
    search: Search,
    keep_instance: bool,
    progress: Option<&mut dyn FnMut(Progress)>,
) -> RecoverReport {
    let start = Instant::now();
    let keep: fn(&Call) -> bool = if keep_instance {
        recovery_move_keeping_instance
    } else {
        recovery_move
    };
    let e = explore(
        model,
        Options {
            symmetry: search.symmetry,
            threads: search.threads,
            progress,
            graph: Some(GraphOptions {
                keep,
                mark: in_baseline,
            }),
            ..Options::default()
        },
    );
    let graph = e.graph.as_ref().expect("graph requested");
    let n = graph.len();

    // Reverse the management edges (compressed rows), then walk back from the baselines.
    let mut in_offsets = vec![0u64; n + 1];
    for &t in &graph.targets {
        in_offsets[t as usize + 1] += 1;
    }
    for i in 0..n {
        in_offsets[i + 1] += in_offsets[i];
    }
    let mut fill = in_offsets.clone();
    let mut sources = vec![0u32; graph.targets.len()];
    for s in 0..n as u32 {
        for &t in graph.successors(s) {
            sources[fill[t as usize] as usize] = s;
            fill[t as usize] += 1;
        }
    }
    const UNREACHED: u32 = u32::MAX;
    let mut dist = vec![UNREACHED; n];
    let mut queue = VecDeque::new();
    for (i, &marked) in graph.marked.iter().enumerate() {
        if marked {
            dist[i] = 0;
            queue.push_back(i as u32);
        }
    }
    let in_baseline_count = queue.len() as u64;
    while let Some(t) = queue.pop_front() {
        let (a, b) = (in_offsets[t as usize], in_offsets[t as usize + 1]);
        for &s in &sources[a as usize..b as usize] {
            if dist[s as usize] == UNREACHED {
                dist[s as usize] = dist[t as usize] + 1;
                queue.push_back(s);
            }
        }
    }
    let stuck = dist.iter().filter(|&&d| d == UNREACHED).count() as u64;

    let longest_recovery = dist
        .iter()
        .enumerate()
        .filter(|(_, &d)| d != UNREACHED)
        .max_by_key(|(i, &d)| (d, std::cmp::Reverse(*i)))
        .map(|(i, _)| {
            let path = graph.path_to(i as u32);
            let (_, state) = run(model, &path);
            let back = management_closure(model, state, keep)
                .to_baseline
                .expect("the backward walk found a way back");
            Recovery {
                trace: StepView::of_run(&run(model, &path).0),
                recovery: tail_steps(model, &path, &back),
            }
        });

    let first_stuck = dist
        .iter()
        .position(|&d| d == UNREACHED)
        .map(|i| explain_stuck(model, &graph.path_to(i as u32), keep));

    RecoverReport {
        config: ConfigView::of(model.config()),
        keep_instance,
        symmetry: search.symmetry,
        baseline_conditions: BASELINE
            .iter()
            .map(|c| ConditionView {
                name: c.name,
                meaning: c.meaning,
            })
            .collect(),
        reachable: e.unique,
        in_baseline: in_baseline_count,
        recoverable: e.unique - stuck,
        stuck,
        longest_recovery,
        first_stuck,
        generated: e.generated,
        edges: graph.targets.len() as u64,
        seconds: start.elapsed().as_secs_f64(),
        result: if stuck == 0 { "ok" } else { "stuck" },
    }
}

/// Why the state at the end of `path` is stuck.
fn explain_stuck(model: &IdcModel, path: &[Call], keep: fn(&Call) -> bool) -> Stuck {
    let (records, state) = run(model, path);
    let failing = BASELINE
        .iter()
        .filter(|c| !(c.holds)(&state))
        .map(|c| c.name)
        .collect();
    let closure = management_closure(model, state.clone(), keep);
    let never_restored = BASELINE
        .iter()
        .zip(&closure.ever_holds)
        .filter(|(_, &ever)| !ever)
        .map(|(c, _)| c.name)
        .collect();
    let mut refusals = Vec::new();
    let mut rules = Vec::new();
    for &call in model.calls().iter().filter(|c| keep(c)) {
        let (error, rule) = match model.step(&state, call) {
            Err(Refusal::Api {
                error,
                rule: Some(rule),
            }) => {
                if !rules.contains(&rule) {
                    rules.push(rule);
                }
                (error.to_string(), rule.id())
            }
            Err(Refusal::Practice(p)) => (format!("not made: practice {p}"), "IDC-7"),
            _ => continue,
        };
        refusals.push(GuardRefusal {
            call: call.op.to_string(),
            error,
            rule,
        });
    }
    let unblocking = rules
        .into_iter()
        .map(|rule| {
            let mut cfg: Config = *model.config();
            cfg.relaxed.insert(rule);
            let relaxed = IdcModel::new(cfg).expect("same sizes as a valid model");
            let recovery = management_closure(&relaxed, state.clone(), keep)
                .to_baseline
                .map(|back| {
                    // Replayed under the relaxed rule, after the trace under the real ones.
                    let (_, mut s) = run(model, path);
                    back.iter()
                        .enumerate()
                        .map(|(i, &call)| {
                            let next = relaxed.step(&s, call).expect("a step of the path");
                            let view = StepView {
                                step: i + 1,
                                caller: call.caller.to_string(),
                                call: call.op.name(),
                                params: crate::report::params_json(&call),
                                outcome: crate::report::OutcomeView::Ok("ok"),
                                changes: idc_model::diff::describe_changes(&cfg, &s, &next),
                                failing: crate::run::judge(&relaxed, &next).0,
                            };
                            s = next;
                            view
                        })
                        .collect()
                });
            Unblocking {
                rule: rule.id(),
                recovery,
            }
        })
        .collect();
    Stuck {
        trace: StepView::of_run(&records),
        failing,
        closure: closure.states,
        never_restored,
        refusals,
        unblocking,
    }
}
