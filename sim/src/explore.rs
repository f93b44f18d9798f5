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
//! workers only read the set of known states) and the successors are merged in frontier
//! order by one thread, so states get the same numbers, parents and discoveries as with one
//! thread (tested).
//!
//! Unique-state counts agree with stateright's own checker, with and without symmetry
//! (tested).

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::time::{Duration, Instant};

use idc_model::properties::Kind;
use idc_model::symmetry::orbit_size;
use idc_model::{Call, IdcModel, State, PROPERTIES};
use stateright::Representative;

/// A hasher for keys that are already fingerprints.
#[derive(Default)]
struct Passthrough(u64);

impl Hasher for Passthrough {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8) | u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

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

/// The explored state graph restricted to some calls (see [`GraphOptions`]): for state
/// `i` (numbered in discovery order, the initial state is 0), the states its kept calls
/// lead to are `targets[offsets[i]..offsets[i + 1]]`. With symmetry a state stands for its
/// whole orbit, and a target is the number of the successor's orbit.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    /// Start of each state's edges in `targets`; one more entry than states.
    pub offsets: Vec<u64>,
    /// Edge targets.
    pub targets: Vec<u32>,
    /// Per state: whether the mark predicate holds.
    pub marked: Vec<bool>,
    /// Per state: the state it was first reached from and the call (unused for state 0).
    pub parents: Vec<(u32, Call)>,
}

impl Graph {
    /// The successors of state `i` by the kept calls.
    pub fn successors(&self, i: u32) -> &[u32] {
        let (a, b) = (self.offsets[i as usize], self.offsets[i as usize + 1]);
        &self.targets[a as usize..b as usize]
    }

    /// The number of states.
    pub fn len(&self) -> usize {
        self.marked.len()
    }

    /// Whether the graph has no state.
    pub fn is_empty(&self) -> bool {
        self.marked.is_empty()
    }

    /// A shortest path of calls from the initial state to state `i`.
    pub fn path_to(&self, i: u32) -> Vec<Call> {
        path_to(&self.parents, i)
    }
}

/// What to keep of the state graph.
#[derive(Clone, Copy)]
pub struct GraphOptions {
    /// Which calls' edges to keep.
    pub keep: fn(&Call) -> bool,
    /// A predicate recorded for every state.
    pub mark: fn(&State) -> bool,
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
    /// Per property of [`PROPERTIES`] (same index): the shortest path of calls to a state
    /// that violates it (`always`) or satisfies it (`sometimes`), if any.
    pub discoveries: Vec<Option<Vec<Call>>>,
    /// Whether every reachable state was explored (false when `max_depth` cut it short).
    pub complete: bool,
    /// The state graph, when [`Options::graph`] asked for it.
    pub graph: Option<Graph>,
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
    /// Threads that expand states (1 or more); results do not depend on it.
    pub threads: usize,
    /// Keep the state graph restricted to some calls.
    pub graph: Option<GraphOptions>,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            max_depth: None,
            progress: None,
            progress_every: 1 << 20,
            symmetry: false,
            threads: 1,
            graph: None,
        }
    }
}

/// The parent of a state: its index and the call that first reached it.
type Parent = (u32, Call);

type Seen = HashMap<u64, u32, BuildHasherDefault<Passthrough>>;

/// Frontier states expanded between two merges: bounds the memory of pending successors.
const BATCH: usize = 1 << 14;

/// A successor produced by a worker: its fingerprint, the call, and the state itself
/// unless it was already known when the batch started.
struct Succ {
    key: u64,
    call: Call,
    state: Option<State>,
    edge: bool,
}

/// The successors of a slice of frontier states, in (state, call) order, and how many each
/// state produced. Successors already in `seen` are left out unless they are kept edges.
struct Expansion {
    succs: Vec<Succ>,
    counts: Vec<u32>,
    generated: u64,
}

struct Ctx<'m> {
    model: &'m IdcModel,
    fp: ahash::RandomState,
    symmetry: bool,
    keep: Option<fn(&Call) -> bool>,
}

impl Ctx<'_> {
    #[inline]
    fn key(&self, state: &State) -> u64 {
        if self.symmetry {
            self.fp.hash_one(state.representative())
        } else {
            self.fp.hash_one(state)
        }
    }

    fn expand(&self, states: &[(State, u32)], seen: &Seen) -> Expansion {
        let mut out = Expansion {
            succs: Vec::new(),
            counts: Vec::with_capacity(states.len()),
            generated: 0,
        };
        for (state, _) in states {
            let before = out.succs.len();
            for &call in self.model.calls() {
                let Ok(next) = self.model.step(state, call) else {
                    continue;
                };
                out.generated += 1;
                let key = self.key(&next);
                let edge = self.keep.is_some_and(|keep| keep(&call));
                let known = seen.contains_key(&key);
                if !known || edge {
                    out.succs.push(Succ {
                        key,
                        call,
                        state: (!known).then_some(next),
                        edge,
                    });
                }
            }
            out.counts.push((out.succs.len() - before) as u32);
        }
        out
    }
}

/// Explores every state reachable from the initial one.
///
/// With [`Options::symmetry`], states are identified up to renaming member accounts: the
/// fingerprint is that of the state's representative ([`idc_model::symmetry`]), but the
/// states expanded, recorded and judged are the *actual* states, reached by actual calls,
/// so every path replays exactly from the initial state. Paths stay shortest and verdicts
/// unchanged because a renaming `π` of member accounts is an automorphism of the state
/// graph that fixes the initial state (`step(π s, π c) = π step(s, c)`, and `π` of the
/// initial state is itself): so `π s` is at the same distance as `s`, and every property
/// has the same value on `s` and `π s` (no property names a member). By induction on the
/// depth, level `d` of the reduced search holds exactly one actual state of every orbit at
/// distance `d`: the first orbit holding a violation is met at the same depth as without
/// symmetry, and the state recorded for it violates the property too.
pub fn explore(model: &IdcModel, mut opts: Options<'_>) -> Exploration {
    let start = Instant::now();
    let ctx = Ctx {
        model,
        fp: fingerprinter(),
        symmetry: opts.symmetry,
        keep: opts.graph.map(|g| g.keep),
    };
    let mark = opts.graph.map(|g| g.mark);
    let members = model.config().members;
    let threads = opts.threads.max(1);
    let mut seen: Seen = HashMap::default();
    // INVARIANT: parents[i] is the parent of state i; parents[0] (the initial state) is unused.
    let mut parents: Vec<Parent> = Vec::new();
    let mut discoveries: Vec<Option<u32>> = vec![None; PROPERTIES.len()];
    let mut open = PROPERTIES.len();
    let mut unreduced = 0u64;
    let mut graph = opts.graph.map(|_| Graph::default());

    let init = model.initial();
    seen.insert(ctx.key(&init), 0);
    parents.push((
        0,
        Call {
            caller: idc_model::Acct::MANAGEMENT,
            op: idc_model::Op::CreateInstance,
        },
    ));
    unreduced += orbit_size(&init, members);
    if let (Some(g), Some(mark)) = (graph.as_mut(), mark) {
        g.marked.push(mark(&init));
    }
    judge(model, &init, 0, &mut discoveries, &mut open);

    let mut frontier: Vec<(State, u32)> = vec![(init, 0)];
    let mut next_frontier: Vec<(State, u32)> = Vec::new();
    let mut generated = 0u64;
    let mut depth = 0u32;
    let mut complete = true;
    let mut next_report = opts.progress_every;
    let mut last_report = Instant::now();

    while !frontier.is_empty() {
        if opts.max_depth.is_some_and(|d| depth >= d) {
            complete = false;
            break;
        }
        for batch in frontier.chunks(BATCH) {
            let expansions: Vec<Expansion> = if threads == 1 || batch.len() < 2 * threads {
                vec![ctx.expand(batch, &seen)]
            } else {
                let part = batch.len().div_ceil(threads);
                let (ctx, seen) = (&ctx, &seen);
                std::thread::scope(|scope| {
                    let mut chunks = batch.chunks(part);
                    let first = chunks.next().unwrap_or_default();
                    let handles: Vec<_> = chunks
                        .map(|c| scope.spawn(move || ctx.expand(c, seen)))
                        .collect();
                    let mut all = vec![ctx.expand(first, seen)];
                    // A worker only panics on a bug in the model: pass it on.
                    all.extend(handles.into_iter().map(|h| match h.join() {
                        Ok(e) => e,
                        Err(p) => std::panic::resume_unwind(p),
                    }));
                    all
                })
            };
            // Merge in frontier order, exactly as a single thread would have inserted.
            let mut sources = batch.iter();
            for expansion in expansions {
                generated += expansion.generated;
                let mut succs = expansion.succs.into_iter();
                for count in expansion.counts {
                    let Some(&(_, idx)) = sources.next() else {
                        unreachable!("one count per frontier state")
                    };
                    if let Some(g) = graph.as_mut() {
                        g.offsets.push(g.targets.len() as u64);
                    }
                    for succ in succs.by_ref().take(count as usize) {
                        let target = match succ.state {
                            None => seen[&succ.key],
                            Some(next) => match seen.entry(succ.key) {
                                Entry::Occupied(e) => *e.get(),
                                Entry::Vacant(e) => {
                                    let new_idx = parents.len() as u32;
                                    e.insert(new_idx);
                                    parents.push((idx, succ.call));
                                    if ctx.symmetry {
                                        unreduced += orbit_size(&next, members);
                                    }
                                    if let (Some(g), Some(mark)) = (graph.as_mut(), mark) {
                                        g.marked.push(mark(&next));
                                    }
                                    if open > 0 {
                                        judge(model, &next, new_idx, &mut discoveries, &mut open);
                                    }
                                    next_frontier.push((next, new_idx));
                                    new_idx
                                }
                            },
                        };
                        if succ.edge {
                            if let Some(g) = graph.as_mut() {
                                g.targets.push(target);
                            }
                        }
                    }
                }
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
        // States left unexpanded (a depth bound) have no edges.
        while g.offsets.len() <= parents.len() {
            g.offsets.push(g.targets.len() as u64);
        }
    }
    let discoveries = discoveries
        .into_iter()
        .map(|d| d.map(|idx| path_to(&parents, idx)))
        .collect();
    let unique = parents.len() as u64;
    if let Some(g) = graph.as_mut() {
        g.parents = parents;
    }
    Exploration {
        generated,
        unique,
        unique_unreduced: ctx.symmetry.then_some(unreduced),
        max_depth: depth,
        seconds: start.elapsed().as_secs_f64(),
        discoveries,
        complete,
        graph,
    }
}

/// Judges every not-yet-discovered property on a new state.
fn judge(
    model: &IdcModel,
    state: &State,
    idx: u32,
    discoveries: &mut [Option<u32>],
    open: &mut usize,
) {
    for (slot, prop) in discoveries.iter_mut().zip(PROPERTIES) {
        if slot.is_none() {
            let holds = (prop.holds)(model, state);
            let found = match prop.kind {
                Kind::Always => !holds,
                Kind::Sometimes => holds,
            };
            if found {
                *slot = Some(idx);
                *open -= 1;
            }
        }
    }
}

/// The calls from the initial state to state `idx`.
fn path_to(parents: &[Parent], mut idx: u32) -> Vec<Call> {
    let mut calls = Vec::new();
    while idx != 0 {
        let (parent, call) = parents[idx as usize];
        calls.push(call);
        idx = parent;
    }
    calls.reverse();
    calls
}
