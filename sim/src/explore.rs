//! Exhaustive breadth-first exploration with shortest discoveries.
//!
//! Why not stateright's own BFS: in stateright 0.31 a property's discovery can be
//! overwritten by a later, longer path, and with more than one thread BFS is not strictly
//! breadth-first (see `shared/notes/stateright.md`, pitfall 1). This explorer is a
//! single-threaded, level-by-level BFS over the same [`stateright::Model`]:
//!
//! * every state is recorded with the parent it was *first* reached from, and states are
//!   reached in order of non-decreasing depth, so each recorded path is a shortest path;
//! * each property is judged on each new state in that same order, and its first
//!   discovery is kept and never replaced, so every counterexample and example is a
//!   shortest one for the configuration.
//!
//! Unique-state counts agree with stateright's own checker (tested).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::time::Instant;

use idc_model::properties::Kind;
use idc_model::{Call, IdcModel, State, PROPERTIES};

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
    /// Distinct states so far.
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
    /// Distinct states reached, the initial one included.
    pub unique: u64,
    /// The greatest depth (number of calls from the initial state) of any state.
    pub max_depth: u32,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Per property of [`PROPERTIES`] (same index): the shortest path of calls to a state
    /// that violates it (`always`) or satisfies it (`sometimes`), if any.
    pub discoveries: Vec<Option<Vec<Call>>>,
    /// Whether every reachable state was explored (false when `max_depth` cut it short).
    pub complete: bool,
}

/// How far and how loudly to explore.
pub struct Options<'a> {
    /// Stop expanding at this depth (states at this depth are judged, not expanded).
    pub max_depth: Option<u32>,
    /// Called about every `progress_every` unique states.
    pub progress: Option<&'a mut dyn FnMut(Progress)>,
    /// How often `progress` is called.
    pub progress_every: u64,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            max_depth: None,
            progress: None,
            progress_every: 1 << 20,
        }
    }
}

/// The parent of a state: its index and the call that first reached it.
type Parent = (u32, Call);

/// Explores every state reachable from the initial one.
pub fn explore(model: &IdcModel, mut opts: Options<'_>) -> Exploration {
    let start = Instant::now();
    let fp = fingerprinter();
    let mut seen: HashMap<u64, u32, BuildHasherDefault<Passthrough>> = HashMap::default();
    // INVARIANT: parents[i] is the parent of state i; parents[0] (the initial state) is unused.
    let mut parents: Vec<Parent> = Vec::new();
    let mut discoveries: Vec<Option<u32>> = vec![None; PROPERTIES.len()];
    let mut open = PROPERTIES.len();

    let init = model.initial();
    seen.insert(fp.hash_one(&init), 0);
    parents.push((
        0,
        Call {
            caller: idc_model::Acct::MANAGEMENT,
            op: idc_model::Op::CreateInstance,
        },
    ));
    judge(model, &init, 0, &mut discoveries, &mut open);

    let mut frontier: Vec<(State, u32)> = vec![(init, 0)];
    let mut next_frontier: Vec<(State, u32)> = Vec::new();
    let mut generated = 0u64;
    let mut depth = 0u32;
    let mut complete = true;
    let mut next_report = opts.progress_every;
    let calls = model.calls();

    while !frontier.is_empty() {
        if opts.max_depth.is_some_and(|d| depth >= d) {
            complete = false;
            break;
        }
        for (state, idx) in frontier.drain(..) {
            for &call in calls {
                let Ok(next) = model.step(&state, call) else {
                    continue;
                };
                generated += 1;
                let key = fp.hash_one(&next);
                let new_idx = parents.len() as u32;
                if let std::collections::hash_map::Entry::Vacant(e) = seen.entry(key) {
                    e.insert(new_idx);
                    parents.push((idx, call));
                    if open > 0 {
                        judge(model, &next, new_idx, &mut discoveries, &mut open);
                    }
                    next_frontier.push((next, new_idx));
                }
            }
            if parents.len() as u64 >= next_report {
                next_report += opts.progress_every;
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
        if !next_frontier.is_empty() {
            depth += 1;
        }
        std::mem::swap(&mut frontier, &mut next_frontier);
    }

    let discoveries = discoveries
        .into_iter()
        .map(|d| d.map(|idx| path_to(&parents, idx)))
        .collect();
    Exploration {
        generated,
        unique: parents.len() as u64,
        max_depth: depth,
        seconds: start.elapsed().as_secs_f64(),
        discoveries,
        complete,
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
