//! The merge of an expanded batch: which successors are new, found by inserting them in the
//! seen table in parallel, by parts of the table.

use std::collections::hash_map::Entry;
use std::iter::Peekable;

use idc_model::query::Last;
use idc_model::symmetry::orbit_size;
use idc_model::Action;

use super::expand::{Expansion, Succ};
use super::frontier::{Link, Slice};
use super::{Ctx, Found, Search};
use crate::engine::seen::{FingerprintSet, PartitionedSet, Seen, PARTS};

/// What the seen table says about a batch's successors, found before the merge numbers
/// them (see [`Ctx::settle`]).
pub(super) struct Settled {
    /// Per successor, in merge order (expansion by expansion, successor by successor):
    /// whether it is a new state, the first of the search with its fingerprint.
    pub(super) fresh: Vec<bool>,
    /// The sum of the new states' orbit sizes (with symmetry).
    pub(super) unreduced: u64,
    /// `(successor, property)`, in merge order: the first new state of the batch where a
    /// property still open, judged on states, is found.
    pub(super) found: Vec<(u32, u32)>,
}

/// One thread's share of [`Settled`], among the successors whose fingerprints it owns.
struct SettledPart {
    /// The positions (in merge order) of the successors it found new.
    fresh: Vec<u32>,
    unreduced: u64,
    /// Per property judged: the first of its new successors where it is found.
    found: Vec<Option<u32>>,
}

impl Ctx<'_> {
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
    pub(super) fn settle(
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
        let cfg = self.model.config();
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
                if self.symmetry.any() || left > 0 {
                    let at = succ.at as usize;
                    let next = self
                        .codec
                        .unpack(&expansion.packed[at..at + self.codec.len()]);
                    if self.symmetry.any() {
                        out.unreduced += orbit_size(&next, cfg, self.symmetry);
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
}

impl Search {
    /// Numbers a batch's new states, in merge order, from the next free number: records
    /// each one's link (and with a graph its parent action and mark), the discoveries made
    /// in it, and its place in the next frontier. With a graph, also records each expanded
    /// state's moves and their outcomes' targets. `batch` is the slice `expansions` expand
    /// and `settled` what [`Ctx::settle`] said of them.
    pub(super) fn merge(
        &mut self,
        ctx: &Ctx<'_>,
        batch: Slice<'_>,
        expansions: Vec<Expansion>,
        settled: &Settled,
    ) {
        self.unreduced += settled.unreduced;
        let mut found = settled.found.iter().copied().peekable();
        let mut fresh = settled.fresh.iter().copied().enumerate();
        let mut sources = batch.idx.iter();
        for expansion in expansions {
            self.generated += expansion.generated;
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
                    let slot = &mut self.discoveries[hit.property as usize];
                    if slot.is_none() {
                        *slot = Some(Found::Step(idx, hit.action));
                        self.open -= 1;
                    }
                }
                if let Some(kept) = self.kept.as_mut() {
                    kept.begin_moves();
                }
                for succ in succs.by_ref().take(count as usize) {
                    let Some((at_in_batch, is_new)) = fresh.next() else {
                        unreachable!("one verdict per successor")
                    };
                    let target = if is_new {
                        self.number(ctx, idx, &succ, &expansion.packed, at_in_batch, &mut found)
                    } else {
                        self.seen.number(succ.key)
                    };
                    if succ.edge {
                        if let Some(kept) = self.kept.as_mut() {
                            kept.add_outcome(target, succ.branch);
                        }
                    }
                }
                // The state's kept edges, just added, are its moves' outcomes in order.
                for m in moves.by_ref().take(move_count as usize) {
                    if let Some(kept) = self.kept.as_mut() {
                        kept.add_move(m.call, m.certain, m.outcomes);
                    }
                }
            }
        }
    }

    /// Numbers a new successor of state `parent`, the `at_in_batch`-th successor of the
    /// batch in merge order, and records it (see [`Search::merge`]); `found` are the
    /// batch's first new states where properties are found, from this one on.
    fn number(
        &mut self,
        ctx: &Ctx<'_>,
        parent: u32,
        succ: &Succ,
        packed: &[u8],
        at_in_batch: usize,
        found: &mut Peekable<impl Iterator<Item = (u32, u32)>>,
    ) -> u32 {
        let new_idx = self.links.len() as u32;
        debug_assert!(matches!(self.seen, Seen::Set(_)) || self.seen.number(succ.key) == new_idx);
        self.links.push(Link {
            parent,
            call: succ.call,
            outcome: succ.outcome,
        });
        // INVARIANT: a new successor carries its packed state (`settle` only finds new those
        // that do).
        let at = succ.at as usize;
        let packed = &packed[at..at + ctx.codec.len()];
        if let Some(kept) = self.kept.as_mut() {
            let action = Action {
                call: ctx.model.calls()[usize::from(succ.call)],
                branch: succ.branch,
            };
            kept.add_state(parent, action, &ctx.codec.unpack(packed));
        }
        while let Some((_, property)) = found.next_if(|&(first, _)| first as usize == at_in_batch) {
            self.discoveries[property as usize] = Some(Found::State(new_idx));
            self.open -= 1;
        }
        self.next.push_packed(packed, new_idx);
        new_idx
    }
}
