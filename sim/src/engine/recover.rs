//! `idc recover`: from every reachable state, can the management account, acting alone,
//! get back to a safe baseline? (The baseline is a domain fact: [`idc_model::baseline`].)
//!
//! This is a question about the state graph, not about single states or single paths
//! (stateright's `eventually` judges only terminal states: `docs/stateright.md`, pitfall
//! 6). The analysis:
//!
//! 1. explore every reachable state (every caller), keeping for each state the management
//!    account's recovery moves only ([`recovery_move`]: its own calls, except those that
//!    shed member accounts), each with all its outcomes, and marking the states in a safe
//!    baseline;
//! 2. solve the game in which the management account picks a call and AWS picks the
//!    outcome (the reading of every `either` assumption the call meets): a state is
//!    *recoverable* when the management account can force a safe baseline whatever AWS
//!    picks. This is the attractor of the baseline states: a state joins it through a call
//!    that no reading refuses and whose every outcome is already in it; its *rank* (the
//!    number of management calls the recovery needs at worst) is one more than the worst
//!    outcome's. So a `0 stuck` verdict holds whatever AWS does where it is silent;
//! 3. every other reachable state is *stuck*. For the first one (the one with the shortest
//!    trace from the initial state) the report says which baseline conditions fail there,
//!    which of them fail in every state the management account can reach from there, which
//!    management calls the guards refuse there (with their rule ids), and for each of those
//!    rules whether relaxing it alone would let the management account force its way back.
//!
//! The analysis runs on [`recovery_model`]: under a design, the management account's allow
//! list is its routine, not a bound on its recovery; what is forbidden to it (and
//! `DeleteInstance` with `--keep-instance`) it never makes, in the exploration or a
//! recovery. It also answers for the start state itself ([`StartAnswer`]), by the game on
//! the management account's moves from there alone (exact even if the exploration stops).
//!
//! With symmetry, a state stands for its orbit under renaming member accounts, users, groups
//! and permission sets. That is sound here too: a renaming maps management calls to
//! management calls and safe baselines to safe baselines (no baseline condition names a
//! member or an identity), so every state of an orbit can get back if one can.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, VecDeque};
use std::ops::Range;
use std::time::Instant;

// The baseline is the model's; re-exported for the callers that ask the analysis for it.
pub use idc_model::baseline::{in_baseline, Condition, BASELINE};
use idc_model::{Action, Call, Config, IdcModel, Op, Refusal, Rule, State};

use crate::engine::explore::{explore, Graph, GraphOptions, Move, Options, Stop};
use crate::engine::run::run_from;

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

/// The model of a recovery: `model`'s, with the threat model of a recovery
/// ([`idc_model::Threat::for_recovery`]: the management account may make every operation
/// not forbidden to it outright, its allow list being its routine) and, with
/// `keep_instance`, `DeleteInstance` forbidden to the management account. One mechanism:
/// the threat model narrows the exploration and the recovery moves alike.
pub fn recovery_model(model: &IdcModel, keep_instance: bool) -> IdcModel {
    let mut cfg: Config = *model.config();
    if keep_instance {
        cfg.threat.forbid(
            idc_model::Acct::MANAGEMENT,
            idc_model::OpKind::DeleteInstance,
        );
    }
    cfg.threat = cfg.threat.for_recovery();
    IdcModel::new(cfg).unwrap_or_else(|_| model.clone())
}

/// What the management account can do from the start state itself.
#[derive(Clone, Debug)]
pub enum StartAnswer {
    /// The management calls that force a safe baseline from it, AWS taking the longest
    /// way (empty: it is in a safe baseline already).
    Recoverable(Vec<Action>),
    /// It can't: why (the path is empty).
    Stuck(StuckState),
}

/// The first stuck state and what the engine found out about it.
#[derive(Clone, Debug)]
pub struct StuckState {
    /// A shortest path from the initial state into it.
    pub path: Vec<Action>,
    /// The baseline conditions failing there.
    pub failing: Vec<&'static str>,
    /// States the management account can reach from there (itself included).
    pub closure: u64,
    /// The baseline conditions failing in every one of those states.
    pub never_restored: Vec<&'static str>,
    /// The management calls a guard (or a practice) refuses there, with the refusal.
    pub refusals: Vec<(Action, Refusal)>,
    /// For each rule among those refusals: with it relaxed, the management calls that force
    /// a safe baseline from there, if any (AWS taking the longest way).
    pub unblocking: Vec<(Rule, Option<Vec<Action>>)>,
}

/// What the analysis found.
#[derive(Clone, Debug)]
pub struct Recoverability {
    /// Whether `DeleteInstance` was withheld from the management account.
    pub keep_instance: bool,
    /// Whether states were identified up to renaming (member accounts, identities).
    pub symmetry: bool,
    /// The state the exploration started from (the initial state, or `--from`'s).
    pub start: State,
    /// Reachable states.
    pub reachable: u64,
    /// Reachable states in a safe baseline.
    pub in_baseline: u64,
    /// Reachable states from which the management account can't force a safe baseline.
    pub stuck: u64,
    /// Of those, the states where the management account is closed (it closed itself,
    /// ORG-2): it signs in nowhere, so it can do nothing until AWS reinstates it.
    pub stuck_management_closed: u64,
    /// The recoverable state that needs the most management calls at worst: the path into
    /// it, and the way back (AWS taking the longest way).
    pub longest: Option<(Vec<Action>, Vec<Action>)>,
    /// The first stuck state (shortest path), if any.
    pub first_stuck: Option<StuckState>,
    /// Whether the management account forces a safe baseline from the start state, and how.
    pub from_start: StartAnswer,
    /// Successor states generated.
    pub generated: u64,
    /// Management moves kept (a call in a state, with all its outcomes).
    pub moves: u64,
    /// Their outcomes.
    pub edges: u64,
    /// Whether every reachable state was explored (else the counts are of those explored).
    pub stop: Option<Stop>,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// The states from which the management account forces a safe baseline (see the module
/// documentation): per state its rank (`None`: stuck) and the move that achieves it.
struct Attractor {
    rank: Vec<Option<u32>>,
    via: Vec<usize>,
}

/// Solves the recovery game on a graph of `n` states whose moves are `moves` (outcomes in
/// `targets`, `ranges[i]` the moves of state `i`), `marked` the states in a baseline.
fn attractor(
    n: usize,
    marked: &[bool],
    ranges: impl Fn(usize) -> Range<usize>,
    moves: &[Move],
    targets: &[u32],
) -> Attractor {
    let start = |m: usize| if m == 0 { 0 } else { moves[m - 1].end as usize };
    let mut owner = vec![0u32; moves.len()];
    for i in 0..n {
        for m in ranges(i) {
            owner[m] = i as u32;
        }
    }
    // The moves each state is an outcome of (compressed rows, one entry per occurrence).
    let mut rev_offsets = vec![0usize; n + 1];
    for &t in targets {
        rev_offsets[t as usize + 1] += 1;
    }
    for i in 0..n {
        rev_offsets[i + 1] += rev_offsets[i];
    }
    let mut fill = rev_offsets.clone();
    let mut rev = vec![0u32; targets.len()];
    for m in 0..moves.len() {
        for &t in &targets[start(m)..moves[m].end as usize] {
            rev[fill[t as usize]] = m as u32;
            fill[t as usize] += 1;
        }
    }
    let mut remaining: Vec<u32> = (0..moves.len())
        .map(|m| (moves[m].end as usize - start(m)) as u32)
        .collect();
    let mut rank = vec![None; n];
    let mut via = vec![usize::MAX; n];
    let mut queue = VecDeque::new();
    for (i, &m) in marked.iter().enumerate() {
        if m {
            rank[i] = Some(0);
            queue.push_back(i as u32);
        }
    }
    // FIFO order visits states by non-decreasing rank, so the move that completes first
    // gives a state its least rank, and the outcome that completes a move is its worst.
    while let Some(t) = queue.pop_front() {
        let r = rank[t as usize].unwrap_or(0);
        for &m in &rev[rev_offsets[t as usize]..rev_offsets[t as usize + 1]] {
            let m = m as usize;
            remaining[m] -= 1;
            let s = owner[m] as usize;
            if remaining[m] == 0 && moves[m].certain && rank[s].is_none() {
                rank[s] = Some(r + 1);
                via[s] = m;
                queue.push_back(s as u32);
            }
        }
    }
    Attractor { rank, via }
}

/// The recovery from state `s` along the attractor's moves, AWS taking the worst outcome at
/// each: the actions, ending in a baseline state.
fn recovery_path(
    a: &Attractor,
    s: u32,
    moves: &[Move],
    targets: &[u32],
    branches: &[idc_model::Branch],
) -> Vec<Action> {
    let mut path = Vec::new();
    let mut s = s as usize;
    while a.rank[s].is_some_and(|r| r > 0) {
        let m = a.via[s];
        let start = if m == 0 { 0 } else { moves[m - 1].end as usize };
        let end = moves[m].end as usize;
        let worst = (start..end)
            .max_by_key(|&k| (a.rank[targets[k] as usize], std::cmp::Reverse(k)))
            .unwrap_or(start);
        path.push(Action {
            call: moves[m].call,
            branch: branches[worst],
        });
        s = targets[worst] as usize;
    }
    path
}

/// What the management account alone reaches from one state, and whether it can force a
/// baseline from there.
struct Closure {
    states: u64,
    /// Per baseline condition: whether it holds in some state of the closure.
    ever_holds: Vec<bool>,
    /// The management calls that force a safe baseline, AWS taking the longest way, if the
    /// management account can.
    to_baseline: Option<Vec<Action>>,
}

/// The management account's moves from `start` (a local [`Graph`]), and the game on them.
fn management_closure(model: &IdcModel, start: State, keep: fn(&Call) -> bool) -> Closure {
    let calls: Vec<Call> = model.calls().iter().copied().filter(keep).collect();
    let mut index: HashMap<State, u32> = HashMap::new();
    let mut states: Vec<State> = Vec::new();
    let mut g = Graph::default();
    let mut ever_holds = vec![false; BASELINE.len()];
    index.insert(start.clone(), 0);
    states.push(start);
    let mut i = 0;
    while i < states.len() {
        let s = states[i].clone();
        for (flag, c) in ever_holds.iter_mut().zip(BASELINE) {
            *flag |= (c.holds)(&s);
        }
        g.marked.push(in_baseline(&s));
        g.offsets.push(g.moves.len() as u64);
        for &call in &calls {
            let (mut accepted, mut refused) = (0u64, false);
            model.outcomes(&s, call, |branch, outcome| {
                let Ok(next) = outcome else {
                    refused = true;
                    return;
                };
                let target = match index.entry(next.clone()) {
                    Entry::Occupied(e) => *e.get(),
                    Entry::Vacant(e) => {
                        let n = states.len() as u32;
                        e.insert(n);
                        states.push(next);
                        n
                    }
                };
                g.targets.push(target);
                g.branches.push(branch);
                accepted += 1;
            });
            if accepted > 0 {
                let end = g.moves.last().map_or(0, |m| m.end) + accepted;
                g.moves.push(Move {
                    call,
                    certain: !refused,
                    end,
                });
            }
        }
        i += 1;
    }
    g.offsets.push(g.moves.len() as u64);
    let n = states.len();
    let a = attractor(n, &g.marked, |i| g.moves_of(i as u32), &g.moves, &g.targets);
    let to_baseline = a.rank[0].map(|_| recovery_path(&a, 0, &g.moves, &g.targets, &g.branches));
    Closure {
        states: n as u64,
        ever_holds,
        to_baseline,
    }
}

/// Whether the management account is closed (it closed itself once it had no members).
fn management_closed(s: &State) -> bool {
    s.is_closed(idc_model::Acct::MANAGEMENT)
}

/// Runs the analysis on [`recovery_model`] of `model`. `explore` carries the search options
/// (symmetry, threads, progress, memory, interruption); its graph is set here.
pub fn recover(
    model: &IdcModel,
    keep_instance: bool,
    explore_options: Options<'_>,
) -> Recoverability {
    let start = Instant::now();
    let model = &recovery_model(model, keep_instance);
    let keep: fn(&Call) -> bool = recovery_move;
    let start_state = explore_options
        .start
        .clone()
        .unwrap_or_else(|| model.initial());
    let e = explore(
        model,
        Options {
            graph: Some(GraphOptions {
                keep,
                mark: in_baseline,
                tag: management_closed,
            }),
            ..explore_options
        },
    );
    let Some(graph) = e.graph.as_ref() else {
        unreachable!("the graph was asked for")
    };
    let n = graph.len();
    let a = attractor(
        n,
        &graph.marked,
        |i| graph.moves_of(i as u32),
        &graph.moves,
        &graph.targets,
    );
    let in_baseline_count = graph.marked.iter().filter(|m| **m).count() as u64;
    let stuck = a.rank.iter().filter(|r| r.is_none()).count() as u64;
    let stuck_management_closed = a
        .rank
        .iter()
        .zip(&graph.tagged)
        .filter(|(r, closed)| r.is_none() && **closed)
        .count() as u64;

    let longest = a
        .rank
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.map(|r| (i, r)))
        .max_by_key(|&(i, r)| (r, std::cmp::Reverse(i)))
        .map(|(i, _)| {
            // With symmetry the graph's targets are orbits: the way back is solved again on
            // the actual states from the actual state (same rank, by symmetry).
            let path = graph.path_to(i as u32);
            let (_, state) = run_from(model, start_state.clone(), &path);
            let back = management_closure(model, state, keep)
                .to_baseline
                .unwrap_or_default();
            (path, back)
        });

    // Only a complete exploration knows which states are stuck: a state whose moves were
    // not explored looks stuck.
    // The first stuck state where the management account is not closed, if any: one that
    // closed itself (ORG-2, once it has no members) is stuck for a reason that needs no
    // explaining.
    let first_stuck = if e.complete {
        let stuck_at = |i: &usize| a.rank[*i].is_none();
        (0..n)
            .filter(stuck_at)
            .find(|&i| !graph.tagged[i])
            .or_else(|| (0..n).find(stuck_at))
            .map(|i| explain_stuck(model, &start_state, &graph.path_to(i as u32), keep))
    } else {
        None
    };

    // The start state itself: a local game, exact even when the exploration stopped early.
    let from_start = match management_closure(model, start_state.clone(), keep).to_baseline {
        Some(plan) => StartAnswer::Recoverable(plan),
        None => StartAnswer::Stuck(explain_stuck(model, &start_state, &[], keep)),
    };

    Recoverability {
        keep_instance,
        from_start,
        symmetry: e.symmetry,
        start: start_state,
        reachable: e.unique,
        in_baseline: in_baseline_count,
        stuck,
        stuck_management_closed,
        longest,
        first_stuck,
        generated: e.generated,
        moves: graph.moves.len() as u64,
        edges: graph.targets.len() as u64,
        stop: e.stop,
        seconds: start.elapsed().as_secs_f64(),
    }
}

/// Why the state at the end of `path` (from `start`) is stuck.
fn explain_stuck(
    model: &IdcModel,
    start: &State,
    path: &[Action],
    keep: fn(&Call) -> bool,
) -> StuckState {
    let (_, state) = run_from(model, start.clone(), path);
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
        model.outcomes(&state, call, |branch, outcome| {
            let refusal = match outcome {
                Err(
                    r @ Refusal::Api {
                        rule: Some(rule), ..
                    },
                ) => {
                    if !rules.contains(&rule) {
                        rules.push(rule);
                    }
                    r
                }
                Err(r @ Refusal::Practice(_)) => r,
                _ => return,
            };
            refusals.push((Action { call, branch }, refusal));
        });
    }
    let unblocking = rules
        .into_iter()
        .map(|rule| {
            let mut cfg: Config = *model.config();
            cfg.relaxed.insert(rule);
            let back = IdcModel::new(cfg)
                .ok()
                .and_then(|relaxed| management_closure(&relaxed, state.clone(), keep).to_baseline);
            (rule, back)
        })
        .collect();
    StuckState {
        path: path.to_vec(),
        failing,
        closure: closure.states,
        never_restored,
        refusals,
        unblocking,
    }
}
