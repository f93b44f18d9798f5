//! Exhaustive breadth-first exploration with shortest discoveries.
//!
//! Why not stateright's own BFS: in stateright 0.31 a property's discovery can be
//! overwritten by a later, longer path, and with more than one thread BFS is not strictly
//! breadth-first (see `shared/notes/stateright.md`, pitfall 1). This explorer is a
//! level-by-level BFS over the same [`stateright::Model`]:
//!
//! * every state is recorded with the parent it was *first* reached from, and states are
//!   reached in order of non-decreasing depth, so each recorded path is a shortest path;
//! * each property is judged on each new state in that same order, and its first
//!   discovery is kept and never replaced, so every counterexample and example is a
//!   shortest one for the configuration.
//!
//! With more than one thread, each batch of frontier states is expanded in parallel (the
//! workers only read the set of known states); then the successors are inserted in the
//! set in frontier order, in parallel by parts of the set (each fingerprint by the thread
//! that owns its part), and numbered in frontier order by one thread. So states get the
//! same numbers, parents and discoveries as with one thread (tested).
//!
//! Two reductions identify states that no property and no other call can tell apart, so
//! every verdict and every shortest length is the same with or without them (tested):
//!
//! * **independence** (always on, unless [`Options::independence`] is off): account
//!   instances (IDC-1a) are read and written only by `CreateInstance` and
//!   `DeleteInstance` of an account instance, and read by no property: states that differ
//!   only in them are explored once;
//! * **symmetry** (opt-in, [`Options::symmetry`]): states that differ only by renaming
//!   member accounts are explored once.
//!
//! Unique-state counts agree with stateright's own checker, with and without symmetry
//! (tested, independence off).

mod expand;
mod frontier;
mod graph;
mod merge;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use idc_model::packed::Codec;
use idc_model::query::Last;
use idc_model::symmetry::{orbit_size, orbit_words};
use idc_model::{Action, Branch, Call, IdcModel, State};

use crate::engine::properties::PropertySet;
use crate::engine::seen::Seen;

use expand::{Recent, BATCH};
use frontier::{path_to, Frontier, Link};
pub use graph::{Graph, GraphOptions, Move};

/// 64-bit state fingerprints with fixed seeds (not persisted: only valid within one run).
fn fingerprinter() -> ahash::RandomState {
    ahash::RandomState::with_seeds(
        0x243f_6a88_85a3_08d3,
        0x1319_8a2e_0370_7344,
        0xa409_3822_299f_31d0,
        0x082e_fa98_ec4e_6c89,
    )
}

/// Progress of a running exploration.
#[derive(Clone, Copy, Debug)]
pub struct Progress {
    /// Successor states generated so far.
    pub generated: u64,
    /// Distinct states so far (with symmetry: distinct up to renaming member accounts).
    pub unique: u64,
    /// Depth of the level being expanded.
    pub depth: u32,
    /// Seconds since the start.
    pub seconds: f64,
}

/// What an exploration found.
#[derive(Clone, Debug)]
pub struct Exploration {
    /// Successor states generated (refused calls generate none).
    pub generated: u64,
    /// Distinct states reached, the initial one included. With symmetry: distinct up to
    /// renaming member accounts (one per orbit).
    pub unique: u64,
    /// With symmetry: the number of distinct states the same exploration without symmetry
    /// reaches, computed exactly as the sum of the orbit sizes of the states explored.
    pub unique_unreduced: Option<u64>,
    /// The greatest depth (number of calls from the initial state) of any state.
    pub max_depth: u32,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Per property of the search's [`PropertySet`] (same index): the shortest path of
    /// actions to a state that violates it (`always`) or satisfies it (`sometimes`), if any.
    /// For a property judged per transition, the path's last action is that transition
    /// (possibly a refused call).
    pub discoveries: Vec<Option<Vec<Action>>>,
    /// Whether symmetry reduction was used (asked for, and sound for the start state and
    /// the properties).
    pub symmetry: bool,
    /// Whether every reachable state was explored.
    pub complete: bool,
    /// Why the exploration stopped before that, if it did.
    pub stop: Option<Stop>,
    /// The state graph, when [`Options::graph`] asked for it.
    pub graph: Option<Graph>,
}

/// Why an exploration stopped before every reachable state was explored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// [`Options::max_depth`] was reached.
    MaxDepth,
    /// Going on would need more memory than [`Options::max_memory`] allows.
    Memory {
        /// The bytes the next step of the search would hold.
        needed: u64,
        /// The limit.
        limit: u64,
    },
    /// The search ran for [`Options::max_time`].
    Time {
        /// The limit.
        limit: Duration,
    },
    /// [`Options::interrupt`] was raised (Ctrl-C).
    Interrupted,
    /// With [`Options::until_found`]: every property was found.
    Found,
}

/// How far and how loudly to explore.
pub struct Options<'a> {
    /// Stop expanding at this depth (states at this depth are judged, not expanded).
    pub max_depth: Option<u32>,
    /// Called about every `progress_every` unique states, and at least every half second.
    pub progress: Option<&'a mut dyn FnMut(Progress)>,
    /// How often `progress` is called, in unique states.
    pub progress_every: u64,
    /// Identify states up to renaming member accounts (see the module documentation).
    pub symmetry: bool,
    /// Identify states that differ only in account instances (see the module
    /// documentation); on by default.
    pub independence: bool,
    /// Threads that expand states (1 or more); results do not depend on it.
    pub threads: usize,
    /// Keep the state graph restricted to some calls.
    pub graph: Option<GraphOptions>,
    /// Stop before the search's own data would exceed this many bytes (see
    /// [`memory_needed`]).
    pub max_memory: Option<u64>,
    /// Stop, between two batches of states, once the search has run this long.
    pub max_time: Option<Duration>,
    /// Stop, between two batches of states, once this flag is raised.
    pub interrupt: Option<&'a AtomicBool>,
    /// The properties to judge; `None`: the built-in ones.
    pub properties: Option<&'a PropertySet>,
    /// The state to start from; `None`: the model's initial state. Symmetry reduction is
    /// not used from another state (it may name member accounts).
    pub start: Option<State>,
    /// Stop as soon as every property is found ([`Stop::Found`]).
    pub until_found: bool,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            max_depth: None,
            progress: None,
            progress_every: 1 << 20,
            symmetry: false,
            independence: true,
            threads: 1,
            graph: None,
            max_memory: None,
            max_time: None,
            interrupt: None,
            properties: None,
            start: None,
            until_found: false,
        }
    }
}

/// The bytes the exploration's data would hold after the next batch: the table of seen
/// fingerprints (its parts that grow doubled), the parent of every state, both frontiers
/// (`incoming` more states in each: a batch times a generous branching), and the state
/// graph when one is kept. An estimate of the heap the search needs (allocator overhead
/// aside), checked before the memory is taken.
fn memory_needed(
    codec: &Codec,
    seen: &Seen,
    parents: usize,
    frontiers: usize,
    graph: Option<&Graph>,
    incoming: u64,
    threads: usize,
) -> u64 {
    let table = seen.bytes_with(incoming, threads);
    let parent = std::mem::size_of::<Link>() as u64;
    let state = Frontier::bytes_per_state(codec);
    let graph = graph.map_or(0, |g| {
        (g.offsets.capacity() * 8
            + g.moves.capacity() * std::mem::size_of::<Move>()
            + g.targets.capacity() * 4
            + g.branches.capacity() * std::mem::size_of::<Branch>()
            + g.marked.capacity()
            + g.parents.capacity() * std::mem::size_of::<(u32, Action)>()) as u64
    });
    table + (parents as u64 + incoming) * parent + (frontiers as u64 + incoming) * state + graph
}

pub(super) struct Ctx<'m> {
    model: &'m IdcModel,
    codec: Codec,
    fp: ahash::RandomState,
    symmetry: bool,
    independence: bool,
    keep: Option<fn(&Call) -> bool>,
    properties: &'m PropertySet,
    /// The indices of the properties judged per transition.
    per_step: Vec<usize>,
}

impl Ctx<'_> {
    #[inline]
    fn key(&self, state: &State) -> u64 {
        let projected;
        let state = if self.independence && state.account_instances != 0 {
            projected = State {
                account_instances: 0,
                ..state.clone()
            };
            &projected
        } else {
            state
        };
        if self.symmetry {
            self.fp.hash_one(orbit_words(state))
        } else {
            self.fp.hash_one(state)
        }
    }
}

/// Explores every state reachable from the initial one.
///
/// With [`Options::symmetry`], states are identified up to renaming member accounts: the
/// fingerprint is that of the state's orbit ([`orbit_words`]: the part no account indexes
/// and the sorted member tuples, which determine the representative of
/// [`idc_model::symmetry`] without building it), but the
/// states expanded, recorded and judged are the *actual* states, reached by actual calls,
/// so every path replays exactly from the initial state. Paths stay shortest and verdicts
/// unchanged because a renaming `π` of member accounts is an automorphism of the state
/// graph that fixes the initial state (`step(π s, π c) = π step(s, c)`, and `π` of the
/// initial state is itself): so `π s` is at the same distance as `s`, and every property
/// has the same value on `s` and `π s` (no property names a member). By induction on the
/// depth, level `d` of the reduced search holds exactly one actual state of every orbit at
/// distance `d`: the first orbit holding a violation is met at the same depth as without
/// symmetry, and the state recorded for it violates the property too.
///
/// From another start state ([`Options::start`]) or with a property that names a member
/// account, symmetry is not used (the argument above needs both to be invariant under
/// renaming members).
///
/// Properties judged per transition see the caller, the operation, whether the call was
/// refused, and the state after it. Two states that differ only in account instances have
/// the same transitions in all of these but one: `CreateInstance` and `DeleteInstance` of
/// an account instance may be refused in one and accepted in the other (their state after,
/// ghost facts cleared and account instances aside, is the same either way). So
/// independence stays on unless a property reads `last.refused`.
pub fn explore(model: &IdcModel, mut opts: Options<'_>) -> Exploration {
    let start = Instant::now();
    let builtin;
    let properties = match opts.properties {
        Some(p) => p,
        None => {
            builtin = PropertySet::builtin();
            &builtin
        }
    };
    let per_step: Vec<usize> = (0..properties.len())
        .filter(|&i| properties[i].per_step())
        .collect();
    let ctx = Ctx {
        model,
        codec: Codec::new(model.config()),
        fp: fingerprinter(),
        symmetry: opts.symmetry && opts.start.is_none() && properties.naming_members().is_none(),
        independence: opts.independence && !properties.any_reads_refusal(),
        keep: opts.graph.map(|g| g.keep),
        properties,
        per_step,
    };
    let mark = opts.graph.map(|g| g.mark);
    let members = model.config().members;
    let threads = opts.threads.max(1);
    // INVARIANT: links hold a call's index in 16 bits (the largest configuration has 4,746
    // calls) and an outcome's in 8 (a call has a few dozen outcomes at most).
    debug_assert!(model.calls().len() <= usize::from(u16::MAX));
    let mut seen = Seen::new(opts.graph.is_some());
    // INVARIANT: parents[i] is the link to state i; parents[0] (the initial state) is unused.
    let mut parents: Vec<Link> = Vec::new();
    // With a graph: the same, as actions (the graph's users read them for every state).
    let mut graph_parents: Vec<(u32, Action)> = Vec::new();
    let mut discoveries: Vec<Option<Found>> = vec![None; properties.len()];
    let mut open = properties.len();
    let mut unreduced = 0u64;
    let mut graph = opts.graph.map(|_| Graph::default());

    let init = opts.start.take().unwrap_or_else(|| model.initial());
    let start_state = init.clone();
    let _ = seen.insert(ctx.key(&init), 0);
    parents.push(Link {
        parent: 0,
        call: 0,
        outcome: 0,
    });
    if graph.is_some() {
        graph_parents.push((
            0,
            Action::from(Call {
                caller: idc_model::Acct::MANAGEMENT,
                op: idc_model::Op::EnableIdentityCenter,
            }),
        ));
    }
    unreduced += orbit_size(&init, members);
    if let (Some(g), Some(mark)) = (graph.as_mut(), mark) {
        g.marked.push(mark(&init));
    }
    // The start state has no last step; per-step properties are judged on it too.
    for (i, p) in properties.iter().enumerate() {
        if p.found(&init, &Last::default()) {
            discoveries[i] = Some(Found::State(0));
            open -= 1;
        }
    }

    let codec = Codec::new(model.config());
    let mut frontier = Frontier::new(codec);
    frontier.push(&init, 0);
    let mut next_frontier = Frontier::new(codec);
    let mut generated = 0u64;
    let mut depth = 0u32;
    let mut next_report = opts.progress_every;
    let mut last_report = Instant::now();

    let mut recents: Vec<Recent> = (0..threads).map(|_| Recent::new()).collect();
    let mut stop = None;
    if opts.until_found && open == 0 {
        stop = Some(Stop::Found);
        frontier.clear();
    }
    'levels: while !frontier.is_empty() {
        if opts.max_depth.is_some_and(|d| depth >= d) {
            stop = Some(Stop::MaxDepth);
            break;
        }
        for batch in frontier.all().chunks(BATCH) {
            if opts.interrupt.is_some_and(|i| i.load(Ordering::Relaxed)) {
                stop = Some(Stop::Interrupted);
                break 'levels;
            }
            if let Some(limit) = opts.max_time.filter(|&l| start.elapsed() >= l) {
                stop = Some(Stop::Time { limit });
                break 'levels;
            }
            if let Some(limit) = opts.max_memory {
                // A state has at most a few dozen successors that are new; the bound below
                // is generous on purpose (better stop early than be killed).
                let branching = 2 * generated
                    .checked_div(parents.len() as u64)
                    .unwrap_or(1)
                    .max(1) as usize;
                let needed = memory_needed(
                    &codec,
                    &seen,
                    parents.len(),
                    frontier.len() + next_frontier.len(),
                    graph.as_ref(),
                    (batch.len() * branching.min(64)) as u64,
                    threads,
                );
                if needed > limit {
                    stop = Some(Stop::Memory { needed, limit });
                    break 'levels;
                }
            }
            let still: Vec<bool> = discoveries.iter().map(Option::is_none).collect();
            let expansions = ctx.expand_batch(batch, &seen, &still, &mut recents);
            // Merge in frontier order, exactly as a single thread would have inserted: first
            // which successors are new (in parallel, by parts of the table), then their
            // numbers, links and places in the next frontier (in order, one thread).
            let judging: Vec<usize> = (0..properties.len())
                .filter(|&i| discoveries[i].is_none() && !properties[i].per_step())
                .collect();
            let settled = ctx.settle(
                &expansions,
                &mut seen,
                parents.len() as u32,
                &judging,
                threads,
            );
            unreduced += settled.unreduced;
            let mut found = settled.found.iter().copied().peekable();
            let mut fresh = settled.fresh.iter().copied().enumerate();
            let mut sources = batch.idx.iter();
            for expansion in expansions {
                generated += expansion.generated;
                let mut succs = expansion.succs.into_iter();
                let mut moves = expansion.moves.into_iter();
                let mut hits = expansion.hits.into_iter().peekable();
                for (position, (count, move_count)) in expansion
                    .counts
                    .into_iter()
                    .zip(expansion.move_counts)
                    .enumerate()
                {
                    let Some(&idx) = sources.next() else {
                        unreachable!("one count per frontier state")
                    };
                    // Its transitions where a per-step property is found, in call order.
                    while let Some(hit) = hits.next_if(|h| h.state as usize == position) {
                        let slot = &mut discoveries[hit.property as usize];
                        if slot.is_none() {
                            *slot = Some(Found::Step(idx, hit.action));
                            open -= 1;
                        }
                    }
                    if let Some(g) = graph.as_mut() {
                        g.offsets.push(g.moves.len() as u64);
                    }
                    for succ in succs.by_ref().take(count as usize) {
                        let Some((at_in_batch, is_new)) = fresh.next() else {
                            unreachable!("one verdict per successor")
                        };
                        let target = if !is_new {
                            seen.number(succ.key)
                        } else {
                            let new_idx = parents.len() as u32;
                            debug_assert!(
                                matches!(seen, Seen::Set(_)) || seen.number(succ.key) == new_idx
                            );
                            if parents.len() == parents.capacity() {
                                // Grow by a quarter, not double: the links are a fifth of
                                // the search's memory.
                                parents.reserve_exact((parents.len() / 4).max(1 << 12));
                            }
                            parents.push(Link {
                                parent: idx,
                                call: succ.call,
                                outcome: succ.outcome,
                            });
                            if graph.is_some() {
                                let action = Action {
                                    call: model.calls()[usize::from(succ.call)],
                                    branch: succ.branch,
                                };
                                graph_parents.push((idx, action));
                            }
                            // INVARIANT: a new successor carries its packed state (`settle`
                            // only finds new those that do).
                            let at = succ.at as usize;
                            let packed = &expansion.packed[at..at + codec.len()];
                            if let (Some(g), Some(mark)) = (graph.as_mut(), mark) {
                                g.marked.push(mark(&codec.unpack(packed)));
                            }
                            while let Some((_, property)) =
                                found.next_if(|&(first, _)| first as usize == at_in_batch)
                            {
                                discoveries[property as usize] = Some(Found::State(new_idx));
                                open -= 1;
                            }
                            next_frontier.push_packed(packed, new_idx);
                            new_idx
                        };
                        if succ.edge {
                            if let Some(g) = graph.as_mut() {
                                g.targets.push(target);
                                g.branches.push(succ.branch);
                            }
                        }
                    }
                    // The state's kept edges, just pushed, are its moves' outcomes in order.
                    for m in moves.by_ref().take(move_count as usize) {
                        if let Some(g) = graph.as_mut() {
                            let end =
                                g.moves.last().map_or(0, |last| last.end) + u64::from(m.outcomes);
                            g.moves.push(Move {
                                call: m.call,
                                certain: m.certain,
                                end,
                            });
                        }
                    }
                }
            }
            if opts.until_found && open == 0 {
                stop = Some(Stop::Found);
                break 'levels;
            }
            let due = parents.len() as u64 >= next_report
                || last_report.elapsed() >= Duration::from_millis(500);
            if due {
                while next_report <= parents.len() as u64 {
                    next_report += opts.progress_every;
                }
                last_report = Instant::now();
                if let Some(report) = opts.progress.as_mut() {
                    report(Progress {
                        generated,
                        unique: parents.len() as u64,
                        depth,
                        seconds: start.elapsed().as_secs_f64(),
                    });
                }
            }
        }
        frontier.clear();
        if !next_frontier.is_empty() {
            depth += 1;
        }
        std::mem::swap(&mut frontier, &mut next_frontier);
    }

    if let Some(g) = graph.as_mut() {
        // States left unexpanded (a depth bound) have no moves.
        while g.offsets.len() <= parents.len() {
            g.offsets.push(g.moves.len() as u64);
        }
    }
    let complete = stop.is_none();
    let discoveries = discoveries
        .into_iter()
        .map(|d| {
            d.map(|found| match found {
                Found::State(idx) => path_to(model, &start_state, &parents, idx),
                Found::Step(idx, action) => {
                    let mut path = path_to(model, &start_state, &parents, idx);
                    path.push(action);
                    path
                }
            })
        })
        .collect();
    let unique = parents.len() as u64;
    if let Some(g) = graph.as_mut() {
        g.parents = graph_parents;
    }
    Exploration {
        generated,
        unique,
        unique_unreduced: ctx.symmetry.then_some(unreduced),
        max_depth: depth,
        seconds: start.elapsed().as_secs_f64(),
        discoveries,
        symmetry: ctx.symmetry,
        complete,
        stop,
        graph,
    }
}

/// Where a property was first found: in a new state (the path to it), or on a transition
/// out of a known state (per-step properties: the path to the state, then the action).
#[derive(Clone, Copy)]
enum Found {
    State(u32),
    Step(u32, Action),
}
