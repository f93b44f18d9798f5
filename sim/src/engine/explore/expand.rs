//! Expansion: the successors of a batch of frontier states, made by worker threads that
//! only read the seen table.

use std::sync::atomic::{AtomicUsize, Ordering};

use idc_model::query::Last;
use idc_model::step::Gates;
use idc_model::OpKind;
use idc_model::{Action, Branch, Call, State};

use super::frontier::Slice;
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
