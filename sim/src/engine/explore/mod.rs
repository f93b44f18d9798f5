//! Exhaustive breadth-first exploration with shortest discoveries.
//!
//! Why not stateright's own BFS: in stateright 0.31 a property's discovery can be
//! overwritten by a later, longer path, and with more than one thread BFS is not strictly
//! breadth-first (see `docs/stateright.md`, pitfall 1). This explorer is a
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
//! Three reductions identify states that no property and no other call can tell apart,
//! so every verdict and every shortest length is the same with or without them (tested):
//!
//! * **independence** (always on, unless [`Options::independence`] is off): account
//!   instances (IDC-1a) are read and written only by `CreateInstance` and
//!   `DeleteInstance` of an account instance, and read by no property: states that differ
//!   only in them are explored once;
//! * **ghost facts judged on transitions** (always on, unless [`Options::ghosts`] is off
//!   or a state graph is kept): no call reads the ghost facts of the last step (every step
//!   clears them), so states that differ only in them have the same transitions; the
//!   properties that read them ([`idc_model::PropertyInfo::ghost`]) are judged on every
//!   accepted transition, where they are set, instead of on new states, and such states
//!   are explored once. A property is then found on the first transition that sets its
//!   fact, in the same breadth-first order: at the same depth as on the first new state
//!   holding it (that state's last step is such a transition, and every such transition
//!   leads to such a state);
//! * **symmetry** (opt-in, [`Options::symmetry`]): states that differ only by renaming
//!   member accounts, users, groups and permission sets are explored once.
//!
//! A fourth, the **organization slice** ([`Options::slice`], opt-in: `idc check` uses it
//! for the properties that read no identity, [`crate::engine::check::Split`]), identifies
//! states that differ only in their users, groups, permission sets and assignments: sound
//! only for such properties, and only where [`idc_model::slice::applies`].
//!
//! Unique-state counts agree with stateright's own checker, with and without symmetry
//! (tested, independence off).
//!
//! The parts, each with the invariants it keeps: [`explore`] and its phases (a `Search`)
//! here; `frontier` (the levels' packed states, the links from each state to its parent,
//! the numbering of outcomes, and the replay of a path); `expand` (the workers' expansion
//! of a batch); `merge` (the parallel insertion of a batch's successors into the seen
//! table, then their numbering in frontier order); `graph` (the kept state graph).

mod expand;
mod frontier;
mod graph;
mod merge;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use idc_model::packed::Codec;
use idc_model::query::Last;
use idc_model::symmetry::{orbit_size, orbit_words, Symmetry};
use idc_model::{Action, Branch, Call, IdcModel, State};

use crate::engine::properties::{Property, PropertySet};
use crate::engine::seen::Seen;

use expand::{Recent, BATCH};
use frontier::{Frontier, Link, Links, Slice};
use graph::Kept;
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
#[derive(Clone, Debug)]
pub struct Progress {
    /// Successor states generated so far.
    pub generated: u64,
    /// Distinct states so far (with symmetry: distinct up to renaming).
    pub unique: u64,
    /// Depth of the level being expanded.
    pub depth: u32,
    /// Seconds since the start.
    pub seconds: f64,
    /// Per property (in the order of [`Options::properties`]): the length of its
    /// discovery so far (the shortest: it is never replaced), or `None`.
    pub found: Vec<Option<usize>>,
}

/// What an exploration found.
#[derive(Clone, Debug)]
pub struct Exploration {
    /// Successor states generated (refused calls generate none).
    pub generated: u64,
    /// Distinct states reached, the initial one included. With symmetry: distinct up to
    /// the renamings of [`Exploration::renamings`] (one per orbit).
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
    /// Whether states were identified up to their identity part ([`Options::slice`]): then
    /// `unique` counts organization parts, and `unique_unreduced` is not known.
    pub sliced: bool,
    /// In `idc check`'s exploration merged from two searches ([`crate::engine::check::Split`]):
    /// the figures of the organization slice's; the other figures are the whole search's.
    pub slice: Option<crate::engine::slice::SliceFigures>,
    /// Whether symmetry reduction was used (asked for, and sound for the start state and
    /// the properties): some renaming of [`Exploration::renamings`].
    pub symmetry: bool,
    /// Which renamings identified states ([`symmetry_of`]).
    pub renamings: Symmetry,
    /// Whether every reachable state was explored. In an exploration merged by `idc
    /// check`'s split ([`Exploration::slice`]): whether every property is decided (the
    /// slice explored whole, and the other search complete or stopped once it had found
    /// every property it judges).
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
    /// Identify states up to renaming member accounts, users, groups and permission sets,
    /// where that is sound ([`symmetry_of`]; see the module documentation).
    pub symmetry: bool,
    /// With `symmetry`: rename users, groups and permission sets too (on by default; off
    /// gives member accounts alone, `--symmetry` before issue 22, for measurements).
    pub identities: bool,
    /// Identify states that differ only in account instances (see the module
    /// documentation); on by default.
    pub independence: bool,
    /// Identify states that differ only in the ghost facts of their last step, and judge
    /// the properties of those facts on transitions (see the module documentation); on by
    /// default, and off where a state graph is kept.
    pub ghosts: bool,
    /// Identify states that differ only in their identity part (the organization slice,
    /// [`idc_model::slice`]): used only where it is sound, when every property of the
    /// search is a built-in one that doesn't read identities and the configuration allows
    /// it ([`idc_model::slice::applies`]); [`Exploration::sliced`] says whether it was. Off
    /// by default (`idc check` runs such properties in a search of their own).
    pub slice: bool,
    /// Threads that expand states (1 or more); results do not depend on it.
    pub threads: usize,
    /// Keep the state graph restricted to some calls.
    pub graph: Option<GraphOptions>,
    /// Stop before the search's own data would exceed this many bytes (estimated before
    /// each batch: the seen table, the links, both frontiers and the graph).
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
            identities: true,
            independence: true,
            ghosts: true,
            slice: false,
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
    symmetry: Symmetry,
    /// Identify states that differ only in account instances.
    independence: bool,
    /// Identify states that differ only in the ghost facts of their last step: the
    /// properties that read them are judged on transitions (`on_step`).
    ghosts: bool,
    /// Identify states that differ only in their identity part ([`Options::slice`]).
    slice: bool,
    keep: Option<fn(&Call) -> bool>,
    properties: &'m PropertySet,
    /// The indices of the properties judged per transition, refused calls included.
    per_step: Vec<usize>,
    /// With `ghosts`: the indices of the properties of the last step's ghost facts, judged
    /// on every accepted transition instead of on new states.
    on_step: Vec<usize>,
}

impl<'m> Ctx<'m> {
    /// What a search with `opts` and `properties` reads throughout.
    fn new(model: &'m IdcModel, opts: &Options<'_>, properties: &'m PropertySet) -> Ctx<'m> {
        // INVARIANT: links hold a call's index in 16 bits (checked here, once per search)
        // and an outcome's in 8 (checked where outcomes are numbered: `numbered`).
        Link::check_calls(model.calls().len());
        // A kept state graph (recover) judges its nodes as they are: no ghost projection.
        let ghosts = opts.ghosts && opts.graph.is_none();
        // The slice is sound only for built-in properties that don't read identities, under
        // a configuration where no organization outcome depends on them (`idc_model::slice`);
        // not with a kept graph (its nodes are states, judged as they are).
        let slice = opts.slice
            && opts.graph.is_none()
            && idc_model::slice::applies(model.config())
            && properties.iter().all(Property::judged_on_slice);
        Ctx {
            model,
            codec: Codec::new(model.config()),
            fp: fingerprinter(),
            symmetry: symmetry_of(
                model.config(),
                opts.symmetry,
                // A sliced state has no identities left to rename.
                opts.identities && !slice,
                opts.start.is_none(),
                properties,
            ),
            independence: opts.independence && !properties.any_reads_refusal(),
            ghosts,
            slice,
            keep: opts.graph.map(|g| g.keep),
            properties,
            per_step: (0..properties.len())
                .filter(|&i| properties[i].per_step())
                .collect(),
            on_step: (0..properties.len())
                .filter(|&i| ghosts && properties[i].ghost != 0)
                .collect(),
        }
    }

    /// Whether property `i` is judged on transitions rather than on new states.
    fn judged_on_transitions(&self, i: usize) -> bool {
        self.properties[i].per_step() || self.on_step.contains(&i)
    }

    #[inline]
    fn key(&self, state: &State) -> u64 {
        let projected;
        let instances = self.independence && state.account_instances != 0;
        let ghost = self.ghosts && state.ghost != 0;
        let state = if self.slice {
            projected = State {
                account_instances: if self.independence {
                    0
                } else {
                    state.account_instances
                },
                ghost: if self.ghosts { 0 } else { state.ghost },
                ..idc_model::slice::project(state)
            };
            &projected
        } else if instances || ghost {
            projected = State {
                account_instances: if self.independence {
                    0
                } else {
                    state.account_instances
                },
                ghost: if self.ghosts { 0 } else { state.ghost },
                ..state.clone()
            };
            &projected
        } else {
            state
        };
        if self.symmetry.any() {
            self.fp.hash_one(orbit_words(state, self.symmetry))
        } else {
            self.fp.hash_one(state)
        }
    }
}

/// The renamings a search may identify states under, when `asked` (`--symmetry`) from
/// the initial state (`initial`) with `properties`: member accounts unless a property names
/// one or the threat model tells members apart; users, groups and permission sets (if
/// `identities`) unless a property names one, and only where the configuration has two of
/// some kind (with one of each there is nothing to rename). Neither from another start
/// state, which may name both.
pub fn symmetry_of(
    cfg: &idc_model::Config,
    asked: bool,
    identities: bool,
    initial: bool,
    properties: &PropertySet,
) -> Symmetry {
    let on = asked && initial;
    Symmetry {
        accounts: on
            && properties.naming_members().is_none()
            && cfg.threat.members_alike(cfg.members),
        identities: on
            && identities
            && properties.naming_identities().is_none()
            && (cfg.users > 1 || cfg.groups > 1 || cfg.permission_sets > 1),
    }
}

/// Explores every state reachable from the initial one.
///
/// With [`Options::symmetry`], states are identified up to renaming member accounts and
/// identities ([`symmetry_of`] says which): the fingerprint is that of the state's orbit
/// ([`orbit_words`]: the part no account indexes and the sorted member tuples, of the
/// canonical renaming of identities; they determine the representative of
/// [`idc_model::symmetry`] without building it), but the
/// states expanded, recorded and judged are the *actual* states, reached by actual calls,
/// so every path replays exactly from the initial state. Paths stay shortest and verdicts
/// unchanged because a renaming `π` of member accounts is an automorphism of the state
/// graph that fixes the initial state (`step(π s, π c) = π step(s, c)`, and `π` of the
/// initial state is itself): so `π s` is at the same distance as `s`, and every property
/// has the same value on `s` and `π s` (no property names a member). The same holds of a
/// renaming of users, groups and permission sets, and of both at once. By induction on the
/// depth, level `d` of the reduced search holds exactly one actual state of every orbit at
/// distance `d`: the first orbit holding a violation is met at the same depth as without
/// symmetry, and the state recorded for it violates the property too.
///
/// From another start state ([`Options::start`]), with a property that names a member
/// account, or under a threat model that treats members differently (a design's idle,
/// allowed or forbidden calls: the universe of calls is then not invariant), members are
/// not renamed (the argument above needs all three to be invariant under renaming
/// members); from another start state or with a property that names an identity,
/// identities are not (a threat model never tells identities apart).
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
    let ctx = Ctx::new(model, &opts, properties);
    let init = opts.start.take().unwrap_or_else(|| model.initial());
    let mut search = Search::new(&ctx, init, opts.graph, opts.threads.max(1));
    let stop = search.levels(&ctx, &mut opts, start);
    search.finish(&ctx, stop, start)
}

/// Where a property was first found: in a new state (the path to it), or on a transition
/// out of a known state (per-step properties: the path to the state, then the action).
#[derive(Clone, Copy)]
enum Found {
    State(u32),
    Step(u32, Action),
}

/// The search's own data: what it has met, the level it expands and the next one, and
/// what it has found.
struct Search {
    start_state: State,
    seen: Seen,
    /// The parent of every state met.
    links: Links,
    /// The state graph, when one is kept.
    kept: Option<Kept>,
    /// Per property: where it was first found.
    discoveries: Vec<Option<Found>>,
    /// How many of `discoveries` are still `None`.
    open: usize,
    /// With symmetry: the sum of the orbit sizes of the states met.
    unreduced: u64,
    /// The states of the next level, as the merge numbers them.
    next: Frontier,
    generated: u64,
    /// The depth of the level being expanded.
    depth: u32,
    /// One cache of known keys per thread.
    recents: Vec<Recent>,
    threads: usize,
}

impl Search {
    /// A search that has met its start state, and judged every property on it.
    fn new(ctx: &Ctx<'_>, init: State, graph: Option<GraphOptions>, threads: usize) -> Search {
        let properties = ctx.properties;
        let mut search = Search {
            start_state: init.clone(),
            seen: Seen::new(graph.is_some()),
            links: Links::new(),
            kept: graph.map(|g| Kept::new(g, &init)),
            discoveries: vec![None; properties.len()],
            open: properties.len(),
            unreduced: orbit_size(&init, ctx.model.config(), ctx.symmetry),
            next: Frontier::new(ctx.codec),
            generated: 0,
            depth: 0,
            recents: (0..threads).map(|_| Recent::new()).collect(),
            threads,
        };
        let _ = search.seen.insert(ctx.key(&init), 0);
        // The start state has no last step; per-step properties are judged on it too.
        for (i, p) in properties.iter().enumerate() {
            if p.found(&init, &Last::default()) {
                search.discoveries[i] = Some(Found::State(0));
                search.open -= 1;
            }
        }
        search.next.push(&init, 0);
        search
    }

    /// Expands level after level until none is left, or a limit or [`Options::until_found`]
    /// stops the search: then says why.
    fn levels(&mut self, ctx: &Ctx<'_>, opts: &mut Options<'_>, start: Instant) -> Option<Stop> {
        if opts.until_found && self.open == 0 {
            return Some(Stop::Found);
        }
        let mut pace = Pace {
            next: opts.progress_every,
            last: Instant::now(),
        };
        let mut frontier = Frontier::new(ctx.codec);
        loop {
            // The next level becomes the one expanded; the emptied one takes the next.
            std::mem::swap(&mut frontier, &mut self.next);
            if frontier.is_empty() {
                return None;
            }
            if opts.max_depth.is_some_and(|d| self.depth >= d) {
                return Some(Stop::MaxDepth);
            }
            for batch in frontier.all().chunks(BATCH) {
                if let Some(stop) = self.limit(ctx, opts, start, batch.len(), frontier.len()) {
                    return Some(stop);
                }
                self.batch(ctx, batch);
                if opts.until_found && self.open == 0 {
                    return Some(Stop::Found);
                }
                pace.report(self, opts, start);
            }
            frontier.clear();
            if !self.next.is_empty() {
                self.depth += 1;
            }
        }
    }

    /// Whether a limit of `opts` stops the search before it expands a batch of `batch`
    /// states of a level of `level`: an interrupt, the time, or the memory the batch would
    /// take.
    fn limit(
        &self,
        ctx: &Ctx<'_>,
        opts: &Options<'_>,
        start: Instant,
        batch: usize,
        level: usize,
    ) -> Option<Stop> {
        if opts.interrupt.is_some_and(|i| i.load(Ordering::Relaxed)) {
            return Some(Stop::Interrupted);
        }
        if let Some(limit) = opts.max_time.filter(|&l| start.elapsed() >= l) {
            return Some(Stop::Time { limit });
        }
        let limit = opts.max_memory?;
        // A state has at most a few dozen successors that are new; the bound below is
        // generous on purpose (better stop early than be killed).
        let branching = 2 * self
            .generated
            .checked_div(self.links.len() as u64)
            .unwrap_or(1)
            .max(1) as usize;
        let needed = memory_needed(
            &ctx.codec,
            &self.seen,
            self.links.len(),
            level + self.next.len(),
            self.kept.as_ref().map(|k| &k.graph),
            (batch * branching.min(64)) as u64,
            self.threads,
        );
        (needed > limit).then_some(Stop::Memory { needed, limit })
    }

    /// Expands a batch of frontier states and merges their successors, in frontier order,
    /// exactly as a single thread would have: first which successors are new (in parallel,
    /// by parts of the table), then their numbers, links and places in the next frontier
    /// (in order, one thread).
    fn batch(&mut self, ctx: &Ctx<'_>, batch: Slice<'_>) {
        let still: Vec<bool> = self.discoveries.iter().map(Option::is_none).collect();
        let expansions = ctx.expand_batch(batch, &self.seen, &still, &mut self.recents);
        let judging: Vec<usize> = (0..ctx.properties.len())
            .filter(|&i| self.discoveries[i].is_none() && !ctx.judged_on_transitions(i))
            .collect();
        let settled = ctx.settle(
            &expansions,
            &mut self.seen,
            self.links.len() as u32,
            &judging,
            self.threads,
        );
        self.merge(ctx, batch, expansions, &settled);
    }

    /// What the search found, once it stopped (`stop`) or explored every reachable state.
    fn finish(self, ctx: &Ctx<'_>, stop: Option<Stop>, start: Instant) -> Exploration {
        let unique = self.links.len() as u64;
        let graph = self.kept.map(|k| k.finish(self.links.len()));
        let (links, start_state) = (&self.links, &self.start_state);
        let discoveries = self
            .discoveries
            .into_iter()
            .map(|d| {
                d.map(|found| match found {
                    Found::State(idx) => links.path_to(ctx.model, start_state, idx),
                    Found::Step(idx, action) => {
                        let mut path = links.path_to(ctx.model, start_state, idx);
                        path.push(action);
                        path
                    }
                })
            })
            .collect();
        Exploration {
            generated: self.generated,
            unique,
            unique_unreduced: (ctx.symmetry.any() && !ctx.slice).then_some(self.unreduced),
            max_depth: self.depth,
            seconds: start.elapsed().as_secs_f64(),
            discoveries,
            sliced: ctx.slice,
            slice: None,
            symmetry: ctx.symmetry.any(),
            renamings: ctx.symmetry,
            complete: stop.is_none(),
            stop,
            graph,
        }
    }
}

/// When to call [`Options::progress`] next: after so many unique states, or half a second.
struct Pace {
    next: u64,
    last: Instant,
}

impl Pace {
    /// Calls [`Options::progress`] if it is due.
    fn report(&mut self, search: &Search, opts: &mut Options<'_>, start: Instant) {
        let unique = search.links.len() as u64;
        if unique < self.next && self.last.elapsed() < Duration::from_millis(500) {
            return;
        }
        while self.next <= unique {
            self.next += opts.progress_every;
        }
        self.last = Instant::now();
        if let Some(report) = opts.progress.as_mut() {
            let found = search
                .discoveries
                .iter()
                .map(|d| {
                    d.as_ref().map(|found| match found {
                        Found::State(idx) => search.links.depth_of(*idx),
                        Found::Step(idx, _) => search.links.depth_of(*idx) + 1,
                    })
                })
                .collect();
            report(Progress {
                generated: search.generated,
                unique,
                depth: search.depth,
                seconds: start.elapsed().as_secs_f64(),
                found,
            });
        }
    }
}
