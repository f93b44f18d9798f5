//! Expansion: the successors of a batch of frontier states, made by worker threads that
//! only read the seen table.

use std::sync::atomic::{AtomicUsize, Ordering};

use idc_model::query::Last;
use idc_model::step::Gates;
use idc_model::OpKind;
use idc_model::{Action, Branch, Call, State};

use super::frontier::{numbered, Slice};
use super::Ctx;
use crate::engine::seen::{Known, Seen};

/// Entries of a worker's cache of known keys (a power of two).
const RECENT: usize = 1 << 12;

/// A worker's cache of keys it found in the seen table: direct-mapped, [`RECENT`] keys.
/// A key in the table stays in it, so the cache stays true for the whole search and is
/// kept from one batch to the next. It only spares lookups: what is known does not depend
/// on it.
pub(super) struct Recent(Vec<u64>);

impl Recent {
    pub(super) fn new() -> Recent {
        // INVARIANT: an empty entry `i` holds `!i`, whose low bits are not `i`: no key that
        // maps to entry `i` (by its low bits) equals it.
        Recent((0..RECENT as u64).map(|i| !i).collect())
    }
}

/// Frontier states expanded between two merges: bounds the memory of pending successors.
pub(super) const BATCH: usize = 1 << 13;

/// Frontier states a worker expands at a time: small enough that the workers finish a
/// batch together, large enough that taking a chunk costs nothing.
const CHUNK: usize = 1 << 9;

/// A successor met by a worker while it expands one state, before it is looked up in the
/// seen table.
struct Candidate {
    key: u64,
    branch: Branch,
    /// The call's index and the outcome's, for the state's [`Link`](super::frontier::Link).
    call: u16,
    outcome: u8,
    /// The state, unless it is known already.
    state: Option<State>,
    edge: bool,
}

/// A successor produced by a worker: its fingerprint, its call, outcome and branch, and
/// the state itself, packed, unless it was already known when the batch started. 24
/// bytes, and the packed state ([`Codec::len`](idc_model::packed::Codec::len): 19 at the default configuration) where a
/// `State` takes 54.
pub(super) struct Succ {
    pub(super) key: u64,
    /// Where the packed state starts in [`Expansion::packed`]; [`Succ::KNOWN`] if known.
    pub(super) at: u32,
    pub(super) branch: Branch,
    pub(super) call: u16,
    pub(super) outcome: u8,
    pub(super) edge: bool,
}

impl Succ {
    pub(super) const KNOWN: u32 = u32::MAX;
}

/// A transition where a per-step property is found: the frontier state (its position in
/// the expanded slice), the property and the action.
pub(super) struct Hit {
    pub(super) state: u32,
    pub(super) property: u32,
    pub(super) action: Action,
}

/// A kept call's accepted outcomes in one state (their successors are consecutive kept
/// edges).
pub(super) struct MoveInfo {
    pub(super) call: Call,
    pub(super) outcomes: u32,
    pub(super) certain: bool,
}

/// The successors of a slice of frontier states, in (state, call) order, and how many each
/// state produced. Successors already in `seen` are left out unless they are kept edges.
/// With a graph: the moves of each state and how many.
pub(super) struct Expansion {
    pub(super) succs: Vec<Succ>,
    /// The new successors' states, packed.
    pub(super) packed: Vec<u8>,
    pub(super) counts: Vec<u32>,
    pub(super) moves: Vec<MoveInfo>,
    pub(super) move_counts: Vec<u32>,
    pub(super) generated: u64,
    /// The first transition of the slice where each open per-step property is found.
    pub(super) hits: Vec<Hit>,
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

impl Ctx<'_> {
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
        // Properties of the last step's ghost facts still to look for in this slice.
        let mut ghostly: Vec<usize> = self.on_step.iter().copied().filter(|&p| open[p]).collect();
        let mut ghost_hits: Vec<Hit> = Vec::new();
        for position in 0..states.len() {
            let state = &states.state(position);
            let before = out.succs.len();
            let moves_before = out.moves.len();
            let mut met = Met {
                ctx: self,
                noop: NoOp::new(state),
                recent,
                pending: &mut pending,
                generated: 0,
                position: position as u32,
                ghostly: &mut ghostly,
                hits: &mut ghost_hits,
            };
            if self.keep.is_none() && looking.is_empty() {
                self.open_outcomes(state, &mut met);
            } else {
                let position = position as u32;
                self.every_outcome(state, position, &mut looking, &mut met, &mut out);
            }
            out.generated += met.generated;
            // A property is judged either per step or on the ghost facts, never both: the
            // two lists of hits need no interleaving, only the frontier order.
            out.hits.append(&mut ghost_hits);
            self.look_up(seen, &mut pending, &mut known, recent, &mut out);
            out.counts.push((out.succs.len() - before) as u32);
            out.move_counts
                .push((out.moves.len() - moves_before) as u32);
        }
        out
    }

    /// The accepted outcomes of the calls of `state` that its gates do not refuse: when
    /// only accepted outcomes matter (no open per-step property, no graph), the calls a gate
    /// refuses are not even looked at (see `IdcModel::open_calls`).
    #[inline]
    fn open_outcomes(&self, state: &State, met: &mut Met<'_>) {
        let calls = self.model.calls();
        self.model.open_calls(state, |call_index| {
            let call = calls[call_index];
            self.model.outcomes(
                state,
                call,
                numbered(|outcome_index, branch, outcome| {
                    if let Ok(next) = outcome {
                        met.accepted(next, call_index, outcome_index, branch, false);
                    }
                }),
            );
        });
    }

    /// Every outcome of every call of `state`, the frontier state at `position` in its
    /// slice: its accepted outcomes, and with a graph its moves (into `out`); the per-step
    /// properties of `looking` are judged on every transition, and the first transition
    /// where one is found is a hit (into `out`), after which it is no longer looked for.
    #[inline]
    fn every_outcome(
        &self,
        state: &State,
        position: u32,
        looking: &mut Vec<usize>,
        met: &mut Met<'_>,
        out: &mut Expansion,
    ) {
        let mut gates = Gates::new();
        for (call_index, &call) in self.model.calls().iter().enumerate() {
            let edge = self.keep.is_some_and(|keep| keep(&call));
            let (mut accepted, mut refused) = (0u32, false);
            let op = OpKind::of(&call.op);
            self.model.gated_outcomes(
                state,
                call_index,
                &mut gates,
                numbered(|outcome_index, branch, outcome| {
                    if !looking.is_empty() {
                        // A refused call changes nothing but the ghost facts of the last step.
                        let (after, refused) = match &outcome {
                            Ok(next) => (next, false),
                            Err(_) => (met.noop.cleared(), true),
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
                                state: position,
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
                    met.accepted(next, call_index, outcome_index, branch, edge);
                }),
            );
            if edge && accepted > 0 {
                out.moves.push(MoveInfo {
                    call,
                    outcomes: accepted,
                    certain: !refused,
                });
            }
        }
    }

    /// Looks a state's candidates (`pending`, drained) up in the large table together, in
    /// a loop of independent lookups so that their cache misses overlap, and adds the
    /// successors to `out`: the unknown ones, with their states packed, and the kept edges.
    /// `known` is scratch space; the keys found are remembered in `recent`.
    #[inline]
    fn look_up<K: Known>(
        &self,
        seen: &K,
        pending: &mut Vec<Candidate>,
        known: &mut Vec<bool>,
        recent: &mut [u64],
        out: &mut Expansion,
    ) {
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
    }

    /// Expands a batch of frontier states, in parallel with one thread per cache of
    /// `recents`: the threads take chunks of [`CHUNK`] states in turn, so that none waits
    /// long for the others at the end of the batch. The expansions come back in frontier
    /// order, whichever thread made them.
    pub(super) fn expand_batch(
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
}

/// What a worker has met in one state's calls so far: the successors to look up.
struct Met<'a> {
    ctx: &'a Ctx<'a>,
    /// The state's steps that change nothing but the ghost facts.
    noop: NoOp<'a>,
    /// The worker's cache of keys known to be in the seen table.
    recent: &'a [u64],
    /// The successors to look up in the seen table.
    pending: &'a mut Vec<Candidate>,
    /// The accepted outcomes met.
    generated: u64,
    /// The state's position in the expanded slice.
    position: u32,
    /// The properties of the last step's ghost facts still open in the slice.
    ghostly: &'a mut Vec<usize>,
    /// Where they are found: the first transition of the slice for each.
    hits: &'a mut Vec<Hit>,
}

impl Met<'_> {
    /// Judges the open properties of the ghost facts on `next`, reached by the call
    /// `call_index` along `branch`: where one is found, the transition is its hit.
    fn judge_ghost(&mut self, next: &State, call_index: usize, branch: Branch) {
        let (ctx, position, hits) = (self.ctx, self.position, &mut *self.hits);
        self.ghostly.retain(|&p| {
            if !ctx.properties[p].found(next, &Last::default()) {
                return true;
            }
            hits.push(Hit {
                state: position,
                property: p as u32,
                action: Action {
                    call: ctx.model.calls()[call_index],
                    branch,
                },
            });
            false
        });
    }

    /// An accepted outcome of the call `call_index`, its `outcome`-th: one more generated,
    /// and a successor to look up unless it is known already or it repeats a state met
    /// from the same state (a kept edge is always kept, without its state if known).
    #[inline]
    fn accepted(
        &mut self,
        next: State,
        call_index: usize,
        outcome: u8,
        branch: Branch,
        edge: bool,
    ) {
        self.generated += 1;
        // A property of the last step's ghost facts holds (`always`) or is not satisfied
        // (`sometimes`) where they are all clear: most steps set none.
        if next.ghost != 0 && !self.ghostly.is_empty() {
            self.judge_ghost(&next, call_index, branch);
        }
        if !edge && self.noop.repeats(&next) {
            return;
        }
        let key = self.ctx.key(&next);
        // Known states stay known: a small direct-mapped cache of keys found in `seen`
        // spares most lookups in the large table (its cache misses are the search's main
        // cost).
        let known = self.recent[(key as usize) & (RECENT - 1)] == key;
        if !known || edge {
            self.pending.push(Candidate {
                key,
                branch,
                // INVARIANT: the index fits (`Link::check_calls`, in `Ctx::new`), and so
                // does the outcome's number (`numbered`).
                call: call_index as u16,
                outcome,
                state: (!known).then_some(next),
                edge,
            });
        }
    }
}
