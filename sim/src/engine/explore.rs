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

use std::collections::hash_map::Entry;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use idc_model::packed::Codec;
use idc_model::query::Last;
use idc_model::step::Gates;
use idc_model::symmetry::{orbit_size, orbit_words};
use idc_model::OpKind;
use idc_model::{Action, Branch, Call, IdcModel, State};

use crate::engine::properties::PropertySet;
use crate::engine::seen::{FingerprintSet, Known, PartitionedSet, Seen, PARTS};

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

/// The explored state graph restricted to some calls (see [`GraphOptions`]). State `i`
/// (numbered in discovery order, the initial state is 0) has the *moves*
/// `moves[offsets[i]..offsets[i + 1]]`: one per kept call with an accepted outcome. A
/// move's outcomes (one per accepted branch) lead to the states [`Graph::outcomes`] names.
/// With symmetry a state stands for its whole orbit, and a target is the number of the
/// successor's orbit.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    /// Start of each state's moves in `moves`; one more entry than states.
    pub offsets: Vec<u64>,
    /// Every move, state by state.
    pub moves: Vec<Move>,
    /// The outcomes' target states, move by move.
    pub targets: Vec<u32>,
    /// The outcomes' branches, parallel to `targets`.
    pub branches: Vec<Branch>,
    /// Per state: whether the mark predicate holds.
    pub marked: Vec<bool>,
    /// Per state: the state it was first reached from and the action (unused for state 0).
    pub parents: Vec<(u32, Action)>,
}

/// A kept call made in one state.
#[derive(Clone, Copy, Debug)]
pub struct Move {
    /// The call.
    pub call: Call,
    /// Whether every branch of the call is accepted there (no reading refuses it).
    pub certain: bool,
    /// The end of its outcomes in [`Graph::targets`] (they start where the previous move's
    /// end).
    pub end: u64,
}

impl Graph {
    /// The moves of state `i`, as indices into [`Graph::moves`].
    pub fn moves_of(&self, i: u32) -> std::ops::Range<usize> {
        self.offsets[i as usize] as usize..self.offsets[i as usize + 1] as usize
    }

    /// The outcomes of move `m`: their target states and branches.
    pub fn outcomes(&self, m: usize) -> (&[u32], &[Branch]) {
        let start = if m == 0 { 0 } else { self.moves[m - 1].end } as usize;
        let end = self.moves[m].end as usize;
        (&self.targets[start..end], &self.branches[start..end])
    }

    /// The number of states.
    pub fn len(&self) -> usize {
        self.marked.len()
    }

    /// Whether the graph has no state.
    pub fn is_empty(&self) -> bool {
        self.marked.is_empty()
    }

    /// A shortest path of actions from the initial state to state `i`.
    pub fn path_to(&self, i: u32) -> Vec<Action> {
        let mut actions = Vec::new();
        let mut idx = i;
        while idx != 0 {
            let (parent, action) = self.parents[idx as usize];
            actions.push(action);
            idx = parent;
        }
        actions.reverse();
        actions
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

/// The parent of a state, compactly: its index, and the call (its index in
/// [`IdcModel::calls`]) and outcome (its index among the call's outcomes there) that first
/// reached it — 8 bytes where the action itself takes 12. [`path_to`] turns links back
/// into actions by replaying them from the start state.
#[derive(Clone, Copy, Debug)]
struct Link {
    parent: u32,
    call: u16,
    outcome: u8,
}

/// The states of a level, packed ([`Codec`]: 19 bytes at the default configuration where
/// a [`State`] takes 54), with their numbers.
struct Frontier {
    codec: Codec,
    bytes: Vec<u8>,
    idx: Vec<u32>,
}

impl Frontier {
    fn new(codec: Codec) -> Frontier {
        Frontier {
            codec,
            bytes: Vec::new(),
            idx: Vec::new(),
        }
    }

    fn push(&mut self, state: &State, idx: u32) {
        self.codec.pack(state, &mut self.bytes);
        self.idx.push(idx);
    }

    /// Appends a state packed by the same codec.
    fn push_packed(&mut self, packed: &[u8], idx: u32) {
        if self.bytes.len() + packed.len() > self.bytes.capacity() {
            // Grow by a quarter, not double: the two frontiers are a fifth of the memory.
            let more = (self.bytes.len() / 4).max(1 << 16);
            self.bytes.reserve_exact(more);
            self.idx.reserve_exact(more / packed.len().max(1));
        }
        self.bytes.extend_from_slice(packed);
        self.idx.push(idx);
    }

    fn len(&self) -> usize {
        self.idx.len()
    }

    fn is_empty(&self) -> bool {
        self.idx.is_empty()
    }

    fn clear(&mut self) {
        self.bytes.clear();
        self.idx.clear();
    }

    /// The bytes a state takes here.
    fn bytes_per_state(codec: &Codec) -> u64 {
        (codec.len() + std::mem::size_of::<u32>()) as u64
    }

    fn all(&self) -> Slice<'_> {
        Slice {
            codec: self.codec,
            bytes: &self.bytes,
            idx: &self.idx,
        }
    }
}

/// Consecutive states of a [`Frontier`].
#[derive(Clone, Copy)]
struct Slice<'a> {
    codec: Codec,
    bytes: &'a [u8],
    idx: &'a [u32],
}

impl<'a> Slice<'a> {
    fn len(&self) -> usize {
        self.idx.len()
    }

    /// The `i`-th state.
    #[inline]
    fn state(&self, i: usize) -> State {
        let n = self.codec.len();
        self.codec.unpack(&self.bytes[i * n..(i + 1) * n])
    }

    /// Slices of at most `size` states, in order.
    fn chunks(self, size: usize) -> impl Iterator<Item = Slice<'a>> {
        let n = self.codec.len();
        self.idx
            .chunks(size.max(1))
            .zip(self.bytes.chunks((size.max(1)) * n))
            .map(move |(idx, bytes)| Slice {
                codec: self.codec,
                bytes,
                idx,
            })
    }
}

/// Entries of a worker's cache of known keys (a power of two).
const RECENT: usize = 1 << 12;

/// A worker's cache of keys it found in the seen table: direct-mapped, [`RECENT`] keys.
/// A key in the table stays in it, so the cache stays true for the whole search and is
/// kept from one batch to the next. It only spares lookups: what is known does not depend
/// on it.
struct Recent(Vec<u64>);

impl Recent {
    fn new() -> Recent {
        // INVARIANT: an empty entry `i` holds `!i`, whose low bits are not `i`: no key that
        // maps to entry `i` (by its low bits) equals it.
        Recent((0..RECENT as u64).map(|i| !i).collect())
    }
}

/// Frontier states expanded between two merges: bounds the memory of pending successors.
const BATCH: usize = 1 << 13;

/// Frontier states a worker expands at a time: small enough that the workers finish a
/// batch together, large enough that taking a chunk costs nothing.
const CHUNK: usize = 1 << 9;

/// A successor met by a worker while it expands one state, before it is looked up in the
/// seen table.
struct Candidate {
    key: u64,
    branch: Branch,
    /// The call's index and the outcome's, for the state's [`Link`].
    call: u16,
    outcome: u8,
    /// The state, unless it is known already.
    state: Option<State>,
    edge: bool,
}

/// A successor produced by a worker: its fingerprint, its call, outcome and branch, and
/// the state itself, packed, unless it was already known when the batch started. 24
/// bytes, and the packed state ([`Codec::len`]: 19 at the default configuration) where a
/// `State` takes 54.
struct Succ {
    key: u64,
    /// Where the packed state starts in [`Expansion::packed`]; [`Succ::KNOWN`] if known.
    at: u32,
    branch: Branch,
    call: u16,
    outcome: u8,
    edge: bool,
}

impl Succ {
    const KNOWN: u32 = u32::MAX;
}

/// A transition where a per-step property is found: the frontier state (its position in
/// the expanded slice), the property and the action.
struct Hit {
    state: u32,
    property: u32,
    action: Action,
}

/// A kept call's accepted outcomes in one state (their successors are consecutive kept
/// edges).
struct MoveInfo {
    call: Call,
    outcomes: u32,
    certain: bool,
}

/// The successors of a slice of frontier states, in (state, call) order, and how many each
/// state produced. Successors already in `seen` are left out unless they are kept edges.
/// With a graph: the moves of each state and how many.
struct Expansion {
    succs: Vec<Succ>,
    /// The new successors' states, packed.
    packed: Vec<u8>,
    counts: Vec<u32>,
    moves: Vec<MoveInfo>,
    move_counts: Vec<u32>,
    generated: u64,
    /// The first transition of the slice where each open per-step property is found.
    hits: Vec<Hit>,
}

/// What the seen table says about a batch's successors, found before the merge numbers
/// them (see [`Ctx::settle`]).
struct Settled {
    /// Per successor, in merge order (expansion by expansion, successor by successor):
    /// whether it is a new state, the first of the search with its fingerprint.
    fresh: Vec<bool>,
    /// The sum of the new states' orbit sizes (with symmetry).
    unreduced: u64,
    /// `(successor, property)`, in merge order: the first new state of the batch where a
    /// property still open, judged on states, is found.
    found: Vec<(u32, u32)>,
}

/// One thread's share of [`Settled`], among the successors whose fingerprints it owns.
struct SettledPart {
    /// The positions (in merge order) of the successors it found new.
    fresh: Vec<u32>,
    unreduced: u64,
    /// Per property judged: the first of its new successors where it is found.
    found: Vec<Option<u32>>,
}

/// Steps that change nothing but the ghost facts, in one state: they lead back to the
/// state itself (same ghost facts) or all to one state (ghost facts cleared), which needs
/// looking up once.
struct NoOp<'s> {
    state: &'s State,
    cleared: State,
    cleared_met: bool,
}

impl<'s> NoOp<'s> {
    fn new(state: &'s State) -> NoOp<'s> {
        NoOp {
            state,
            cleared: State {
                ghost: 0,
                ..state.clone()
            },
            cleared_met: false,
        }
    }

    /// The state with its ghost facts cleared: where a refused call leaves it.
    fn cleared(&self) -> &State {
        &self.cleared
    }

    /// Whether `next` is a state already met from this one: the state itself, or the
    /// ghost-cleared state after its first meeting.
    #[inline]
    fn repeats(&mut self, next: &State) -> bool {
        if *next == *self.state {
            return true;
        }
        if *next == self.cleared {
            return std::mem::replace(&mut self.cleared_met, true);
        }
        false
    }
}

struct Ctx<'m> {
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

    /// Expands a slice of frontier states. `open[i]` says whether property `i` is still to
    /// be found (per-step properties are judged on every transition while open).
    /// `recent` is the worker's cache of keys known to be in `seen` (see [`Recent`]).
    fn expand(
        &self,
        states: Slice<'_>,
        seen: &Seen,
        open: &[bool],
        recent: &mut Recent,
    ) -> Expansion {
        // One dispatch per slice, not per successor: the lookup is the hot loop's core.
        match seen {
            Seen::Set(set) => self.expand_in(states, set, open, &mut recent.0),
            Seen::Map(map) => self.expand_in(states, map, open, &mut recent.0),
        }
    }

    fn expand_in<K: Known>(
        &self,
        states: Slice<'_>,
        seen: &K,
        open: &[bool],
        recent: &mut [u64],
    ) -> Expansion {
        let mut pending: Vec<Candidate> = Vec::new();
        let mut known: Vec<bool> = Vec::new();
        let mut out = Expansion {
            succs: Vec::new(),
            packed: Vec::new(),
            counts: Vec::with_capacity(states.len()),
            moves: Vec::new(),
            move_counts: Vec::new(),
            generated: 0,
            hits: Vec::new(),
        };
        // Per-step properties still to look for in this slice (the first hit is enough).
        let mut looking: Vec<usize> = self.per_step.iter().copied().filter(|&p| open[p]).collect();
        for position in 0..states.len() {
            let state = &states.state(position);
            let before = out.succs.len();
            let moves_before = out.moves.len();
            let mut noop = NoOp::new(state);
            if self.keep.is_none() && looking.is_empty() {
                // Only accepted outcomes matter: the calls a gate refuses are not even
                // looked at (see `IdcModel::open_calls`).
                let calls = self.model.calls();
                self.model.open_calls(state, |call_index| {
                    let call = calls[call_index];
                    let mut outcome_index = 0u8;
                    self.model.outcomes(state, call, |branch, outcome| {
                        let this_outcome = outcome_index;
                        outcome_index = outcome_index.wrapping_add(1);
                        if let Ok(next) = outcome {
                            out.generated += 1;
                            if !noop.repeats(&next) {
                                self.candidate(
                                    next,
                                    call_index,
                                    this_outcome,
                                    branch,
                                    false,
                                    recent,
                                    &mut pending,
                                );
                            }
                        }
                    });
                });
            } else {
                let mut gates = Gates::new();
                for (call_index, &call) in self.model.calls().iter().enumerate() {
                    let edge = self.keep.is_some_and(|keep| keep(&call));
                    let (mut accepted, mut refused) = (0u32, false);
                    let op = OpKind::of(&call.op);
                    let mut outcome_index = 0u8;
                    self.model
                        .gated_outcomes(state, call_index, &mut gates, |branch, outcome| {
                            let this_outcome = outcome_index;
                            outcome_index = outcome_index.wrapping_add(1);
                            if !looking.is_empty() {
                                // A refused call changes nothing but the ghost facts of the
                                // last step.
                                let (after, refused) = match &outcome {
                                    Ok(next) => (next, false),
                                    Err(_) => (noop.cleared(), true),
                                };
                                let last = Last {
                                    caller: Some(call.caller),
                                    op: Some(op),
                                    refused,
                                };
                                looking.retain(|&p| {
                                    if !self.properties[p].found(after, &last) {
                                        return true;
                                    }
                                    out.hits.push(Hit {
                                        state: position as u32,
                                        property: p as u32,
                                        action: Action { call, branch },
                                    });
                                    false
                                });
                            }
                            let Ok(next) = outcome else {
                                refused = true;
                                return;
                            };
                            accepted += 1;
                            out.generated += 1;
                            if edge || !noop.repeats(&next) {
                                self.candidate(
                                    next,
                                    call_index,
                                    this_outcome,
                                    branch,
                                    edge,
                                    recent,
                                    &mut pending,
                                );
                            }
                        });
                    if edge && accepted > 0 {
                        out.moves.push(MoveInfo {
                            call,
                            outcomes: accepted,
                            certain: !refused,
                        });
                    }
                }
            }
            // The state's candidates are looked up in the large table together, in a loop
            // of independent lookups: their cache misses overlap.
            known.clear();
            known.extend(
                pending
                    .iter()
                    .map(|p| p.state.is_none() || seen.known(p.key)),
            );
            for (candidate, &known) in pending.drain(..).zip(known.iter()) {
                if known {
                    recent[(candidate.key as usize) & (RECENT - 1)] = candidate.key;
                    if !candidate.edge {
                        continue;
                    }
                }
                let at = match candidate.state {
                    Some(state) if !known => {
                        // INVARIANT: a batch's packed states stay far below 4 GiB (BATCH
                        // states of a few dozen successors of at most 64 bytes).
                        let at = out.packed.len() as u32;
                        self.codec.pack(&state, &mut out.packed);
                        at
                    }
                    _ => Succ::KNOWN,
                };
                out.succs.push(Succ {
                    key: candidate.key,
                    at,
                    branch: candidate.branch,
                    call: candidate.call,
                    outcome: candidate.outcome,
                    edge: candidate.edge,
                });
            }
            out.counts.push((out.succs.len() - before) as u32);
            out.move_counts
                .push((out.moves.len() - moves_before) as u32);
        }
        out
    }

    /// Expands a batch of frontier states, in parallel with one thread per cache of
    /// `recents`: the threads take chunks of [`CHUNK`] states in turn, so that none waits
    /// long for the others at the end of the batch. The expansions come back in frontier
    /// order, whichever thread made them.
    fn expand_batch(
        &self,
        batch: Slice<'_>,
        seen: &Seen,
        open: &[bool],
        recents: &mut [Recent],
    ) -> Vec<Expansion> {
        let (first, others) = match recents {
            [first, others @ ..] if !others.is_empty() && batch.len() > CHUNK => (first, others),
            [first, ..] => return vec![self.expand(batch, seen, open, first)],
            [] => unreachable!("at least one thread"),
        };
        let chunks: Vec<Slice<'_>> = batch.chunks(CHUNK).collect();
        let next = AtomicUsize::new(0);
        let work = |recent: &mut Recent| {
            let mut done = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(&chunk) = chunks.get(i) else {
                    return done;
                };
                done.push((i, self.expand(chunk, seen, open, recent)));
            }
        };
        let mut done: Vec<(usize, Expansion)> = std::thread::scope(|scope| {
            let handles: Vec<_> = others
                .iter_mut()
                .map(|recent| scope.spawn(|| work(recent)))
                .collect();
            let mut all = work(first);
            // A worker only panics on a bug in the model: pass it on.
            for h in handles {
                match h.join() {
                    Ok(part) => all.extend(part),
                    Err(p) => std::panic::resume_unwind(p),
                }
            }
            all
        });
        done.sort_unstable_by_key(|&(i, _)| i);
        done.into_iter().map(|(_, e)| e).collect()
    }

    /// Inserts a batch's successors into the seen table in merge order, says which are new,
    /// and judges the new states: sums their orbits (with symmetry) and finds the
    /// properties of `judging` (open, judged on states) in them.
    ///
    /// With a set, each of `threads` threads owns some of its parts and does this for the
    /// successors whose fingerprints fall in them. Every fingerprint is inserted by one
    /// thread, in merge order, so exactly the successors that one thread inserting them all
    /// would find new are found new, whatever the number of threads; and the first new state
    /// where a property is found is the first of the threads' firsts. With a map (a state
    /// graph is kept), one thread inserts, numbering the new states from `next` in merge
    /// order: the numbers the merge gives them.
    fn settle(
        &self,
        expansions: &[Expansion],
        seen: &mut Seen,
        next: u32,
        judging: &[usize],
        threads: usize,
    ) -> Settled {
        let parts: Vec<SettledPart> = match seen {
            Seen::Map(map) => {
                let mut next = next;
                vec![
                    self.settle_part(expansions, judging, |key| match map.entry(key) {
                        Entry::Occupied(_) => Some(false),
                        Entry::Vacant(e) => {
                            e.insert(next);
                            next += 1;
                            Some(true)
                        }
                    }),
                ]
            }
            Seen::Set(set) => {
                let threads = threads.clamp(1, PARTS);
                let mut owned: Vec<Vec<Option<&mut FingerprintSet>>> = (0..threads)
                    .map(|_| (0..PARTS).map(|_| None).collect())
                    .collect();
                for (p, part) in set.parts_mut().iter_mut().enumerate() {
                    owned[p % threads][p] = Some(part);
                }
                let work = |mut mine: Vec<Option<&mut FingerprintSet>>| {
                    self.settle_part(expansions, judging, move |key| {
                        mine[PartitionedSet::part(key)]
                            .as_deref_mut()
                            .map(|part| part.insert(key))
                    })
                };
                let mut owned = owned.into_iter();
                let Some(first) = owned.next() else {
                    unreachable!("at least one thread")
                };
                std::thread::scope(|scope| {
                    let handles: Vec<_> =
                        owned.map(|mine| scope.spawn(move || work(mine))).collect();
                    let mut all = vec![work(first)];
                    // A thread only panics on a bug in the model: pass it on.
                    all.extend(handles.into_iter().map(|h| match h.join() {
                        Ok(part) => part,
                        Err(p) => std::panic::resume_unwind(p),
                    }));
                    all
                })
            }
        };
        let total: usize = expansions.iter().map(|e| e.succs.len()).sum();
        let mut settled = Settled {
            fresh: vec![false; total],
            unreduced: 0,
            found: Vec::new(),
        };
        let mut first: Vec<Option<u32>> = vec![None; judging.len()];
        for part in parts {
            for at in part.fresh {
                settled.fresh[at as usize] = true;
            }
            settled.unreduced += part.unreduced;
            for (first, theirs) in first.iter_mut().zip(part.found) {
                *first = match (*first, theirs) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
            }
        }
        settled.found = first
            .iter()
            .zip(judging)
            .filter_map(|(at, &p)| at.map(|at| (at, p as u32)))
            .collect();
        settled.found.sort_unstable();
        settled
    }

    /// [`Ctx::settle`] for the successors `insert` owns: it inserts a fingerprint and says
    /// whether it was new, or says `None` for one that is another thread's.
    fn settle_part(
        &self,
        expansions: &[Expansion],
        judging: &[usize],
        mut insert: impl FnMut(u64) -> Option<bool>,
    ) -> SettledPart {
        let members = self.model.config().members;
        let mut out = SettledPart {
            fresh: Vec::new(),
            unreduced: 0,
            found: vec![None; judging.len()],
        };
        let mut left = judging.len();
        let mut position = 0u32;
        for expansion in expansions {
            for succ in &expansion.succs {
                let here = position;
                position += 1;
                if succ.at == Succ::KNOWN || insert(succ.key) != Some(true) {
                    continue;
                }
                out.fresh.push(here);
                if self.symmetry || left > 0 {
                    let at = succ.at as usize;
                    let next = self
                        .codec
                        .unpack(&expansion.packed[at..at + self.codec.len()]);
                    if self.symmetry {
                        out.unreduced += orbit_size(&next, members);
                    }
                    for (slot, &p) in out.found.iter_mut().zip(judging) {
                        if slot.is_none() && self.properties[p].found(&next, &Last::default()) {
                            *slot = Some(here);
                            left -= 1;
                        }
                    }
                }
            }
        }
        out
    }

    /// A successor to look up in the seen table, unless it is a known one already (kept
    /// anyway, without the state, when it is a kept edge).
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn candidate(
        &self,
        next: State,
        call_index: usize,
        outcome: u8,
        branch: Branch,
        edge: bool,
        recent: &[u64],
        pending: &mut Vec<Candidate>,
    ) {
        let key = self.key(&next);
        // Known states stay known: a small direct-mapped cache of keys found in `seen`
        // spares most lookups in the large table (its cache misses are the search's main
        // cost).
        let known = recent[(key as usize) & (RECENT - 1)] == key;
        if !known || edge {
            pending.push(Candidate {
                key,
                branch,
                // INVARIANT: fewer than 2^16 calls (IdcModel::new) and 2^8 outcomes a call.
                call: call_index as u16,
                outcome,
                state: (!known).then_some(next),
                edge,
            });
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

/// The actions from the start state to state `idx`: the links up to the start, then
/// replayed from it to name each outcome's branch.
fn path_to(model: &IdcModel, start: &State, parents: &[Link], mut idx: u32) -> Vec<Action> {
    let mut links = Vec::new();
    while idx != 0 {
        let link = parents[idx as usize];
        links.push(link);
        idx = link.parent;
    }
    links.reverse();
    let mut state = start.clone();
    let mut actions = Vec::with_capacity(links.len());
    for link in links {
        let call = model.calls()[usize::from(link.call)];
        let mut k = 0u8;
        let mut taken = None;
        model.outcomes(&state, call, |branch, outcome| {
            if k == link.outcome {
                taken = Some((branch, outcome));
            }
            k = k.wrapping_add(1);
        });
        // INVARIANT: the link was made from this very enumeration in this very state (the
        // states along a path are the ones the search recorded, since each step is
        // deterministic given its branch).
        let Some((branch, outcome)) = taken else {
            unreachable!("a recorded outcome exists")
        };
        if let Ok(next) = outcome {
            state = next;
        } else {
            state.ghost = 0;
        }
        actions.push(Action { call, branch });
    }
    actions
}
