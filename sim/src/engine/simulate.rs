//! `idc simulate`: seeded random walks that make every call, refused ones included, and
//! judge every property after every call; each violation found is shrunk.
//!
//! The walk (documented in `docs/simulate.md`):
//!
//! * A master [`SplitMix64`] is seeded with `--seed`; walk `r` (0-based) uses its own
//!   generator seeded with the master's `r`-th output, so a walk does not depend on how
//!   many numbers earlier walks drew.
//! * Every walk first draws its *swarm*: each operation (by AWS name, in the order of
//!   [`SIGNATURES`]) is in it when `below(5) < 4` (swarm testing, Groce et al., ISSTA
//!   2012). A walk moves only along operations of its swarm; it still makes every call.
//! * Every walk starts in the initial state and makes `--depth` moves. At each state it
//!   first makes **every** call of the configuration ([`IdcModel::calls`], in that order),
//!   refused ones included, along every branch where an assumption is `either`: each
//!   outcome is counted, and every property is judged in every resulting state. Then it
//!   moves along one accepted outcome that changes the state: among those leading to a
//!   state no walk of this simulation has stood in yet (or, if there is none, among all of
//!   them) it draws an operation uniformly (`below(n)` of [`SplitMix64`], by AWS name in
//!   order of first appearance), then one of that operation's outcomes uniformly. A walk
//!   with no such outcome ends early.
//! * The first time a walk finds a property (an `always` property violated, a `sometimes`
//!   property holding), the calls that led there are shrunk ([`super::shrink`]); for each
//!   property the shortest shrunk trace is kept (the earliest walk's on a tie).
//!
//! Everything is deterministic: the same seed, options and model give the same report (the
//! timings aside).

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use idc_model::call::SIGNATURES;
use idc_model::{Action, IdcModel, Last, Refusal, State};

use crate::engine::properties::{last_step, Property, PropertySet};
use crate::engine::rng::SplitMix64;
use crate::engine::shrink::shrink;

/// How many walks, how deep, from which seed.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// The seed of the master generator.
    pub seed: u64,
    /// Number of walks.
    pub runs: u64,
    /// Moves per walk.
    pub depth: u32,
}

/// What the simulation found for one property.
#[derive(Clone, Debug)]
pub struct Finding {
    /// The shortest shrunk trace.
    pub actions: Vec<Action>,
    /// The walk (0-based) that gave it.
    pub run: u64,
    /// The length of that walk's trace before shrinking.
    pub raw_steps: usize,
    /// In how many walks the property was found.
    pub runs_found: u64,
}

/// How far a running simulation is.
#[derive(Clone, Copy, Debug)]
pub struct SimProgress {
    /// Walks finished.
    pub runs: u64,
    /// Walks asked for.
    pub of: u64,
    /// Calls made so far.
    pub steps: u64,
    /// Seconds since the start.
    pub seconds: f64,
}

/// The raw result of a simulation.
#[derive(Clone, Debug)]
pub struct Simulation {
    /// The options.
    pub options: Options,
    /// Walks made (fewer than asked when interrupted).
    pub runs: u64,
    /// Whether it was interrupted before its last walk.
    pub interrupted: bool,
    /// Moves made (accepted calls walked along).
    pub moves: u64,
    /// Calls made, refused ones included.
    pub steps: u64,
    /// Outcomes by name: `ok`, an API exception, or `not made: <practice>`.
    pub outcomes: BTreeMap<String, u64>,
    /// The properties judged (built-in ones first, then the user's).
    pub properties: PropertySet,
    /// Per property of `properties` (same index): what was found.
    pub findings: Vec<Option<Finding>>,
    /// Wall-clock seconds.
    pub seconds: f64,
}

fn outcome_name(outcome: &Result<State, Refusal>) -> String {
    match outcome {
        Ok(_) => "ok".to_string(),
        Err(Refusal::Api { error, .. }) => error.exception.name().to_string(),
        Err(Refusal::Practice(p)) => format!("not made: {}", p.name()),
    }
}

/// The state with its ghost facts cleared (to compare what a call changed).
fn without_ghost(s: &State) -> State {
    State {
        ghost: 0,
        ..s.clone()
    }
}

/// Records the first discovery of each property in the current walk.
struct Walk<'p> {
    properties: &'p PropertySet,
    found_here: Vec<bool>,
    raw: Vec<(usize, Vec<Action>)>,
}

impl Walk<'_> {
    /// Judges the state reached by `last` (refused or not) after `path`.
    fn judge(&mut self, state: &State, path: &[Action], last: Option<(Action, bool)>) {
        let step = last.map_or(Last::default(), |(a, refused)| last_step(&a.call, refused));
        let last = last.map(|(a, _)| a);
        for (i, p) in self.properties.iter().enumerate() {
            if !self.found_here[i] && p.found(state, &step) {
                self.found_here[i] = true;
                let mut actions = path.to_vec();
                actions.extend(last);
                self.raw.push((i, actions));
            }
        }
    }
}

/// Draws a move among `candidates` (indices into `moving`): first an operation uniformly
/// among those the candidates make (by AWS name, in order of first appearance), then one of
/// its candidates uniformly. Operations with many parameter combinations do not crowd out
/// the rare ones a hazard needs (one group membership among many assignments).
fn pick_by_operation(
    rng: &mut SplitMix64,
    moving: &[(Action, State)],
    candidates: &[usize],
) -> Option<usize> {
    let mut ops: Vec<&'static str> = Vec::new();
    for &i in candidates {
        let name = moving[i].0.call.op.name();
        if !ops.contains(&name) {
            ops.push(name);
        }
    }
    if ops.is_empty() {
        return None;
    }
    let op = ops[rng.below(ops.len() as u64) as usize];
    let of_op: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|&i| moving[i].0.call.op.name() == op)
        .collect();
    Some(of_op[rng.below(of_op.len() as u64) as usize])
}

/// Counts a discovery of property `i` in run `r` (`raw`: the walk's actions up to it) in
/// `slot`, and keeps its shrunk path if it is the shortest so far.
fn keep_finding(
    slot: &mut Option<Finding>,
    model: &IdcModel,
    start_state: &State,
    property: &Property,
    raw: &[Action],
    r: u64,
) {
    let shrunk = shrink(model, start_state, property, raw);
    match slot {
        Some(f) => {
            f.runs_found += 1;
            if shrunk.len() < f.actions.len() {
                f.actions = shrunk;
                f.run = r;
                f.raw_steps = raw.len();
            }
        }
        None => {
            *slot = Some(Finding {
                actions: shrunk,
                run: r,
                raw_steps: raw.len(),
                runs_found: 1,
            })
        }
    }
}

/// Runs the simulation, every walk from `start` (the model's initial state, or another),
/// judging `properties`.
pub fn simulate(
    model: &IdcModel,
    start_state: &State,
    properties: &PropertySet,
    options: Options,
    mut progress: Option<&mut dyn FnMut(SimProgress)>,
    interrupt: Option<&AtomicBool>,
) -> Simulation {
    let start = Instant::now();
    let calls = model.calls();
    let mut master = SplitMix64::new(options.seed);
    let mut visited: HashSet<State> = HashSet::new();
    let mut outcomes: BTreeMap<String, u64> = BTreeMap::new();
    let mut findings: Vec<Option<Finding>> = vec![None; properties.len()];
    let (mut moves, mut steps) = (0u64, 0u64);

    let mut runs = 0;
    let mut interrupted = false;
    for r in 0..options.runs {
        if interrupt.is_some_and(|i| i.load(Ordering::Relaxed)) {
            interrupted = true;
            break;
        }
        runs += 1;
        let mut rng = SplitMix64::new(master.next_u64());
        // Swarm testing (Groce et al., ISSTA 2012): each walk moves only along a random
        // four fifths of the operations (every call is still made and judged), so that
        // some walks are spared the operations that undo others' work (DeleteInstance, a
        // source change that deletes identities, closing accounts).
        let swarm: Vec<&'static str> = SIGNATURES
            .iter()
            .map(|(name, _)| *name)
            .filter(|_| rng.below(5) < 4)
            .collect();
        let mut state = start_state.clone();
        let mut path: Vec<Action> = Vec::with_capacity(options.depth as usize);
        let mut walk = Walk {
            properties,
            found_here: vec![false; properties.len()],
            raw: Vec::new(),
        };
        walk.judge(&state, &path, None);
        visited.insert(state.clone());
        for _ in 0..options.depth {
            let here = without_ghost(&state);
            let mut moving: Vec<(Action, State)> = Vec::new();
            let mut novel: Vec<usize> = Vec::new();
            let mut refused_judged = false;
            for &call in calls {
                model.outcomes(&state, call, |branch, outcome| {
                    let action = Action { call, branch };
                    steps += 1;
                    *outcomes.entry(outcome_name(&outcome)).or_insert(0) += 1;
                    match outcome {
                        Ok(next) => {
                            walk.judge(&next, &path, Some((action, false)));
                            if without_ghost(&next) != here {
                                if !visited.contains(&next) {
                                    novel.push(moving.len());
                                }
                                moving.push((action, next));
                            }
                        }
                        Err(_) if !refused_judged => {
                            // A refused call leaves the state as it was, its ghost facts
                            // cleared: the same state for every refused call, judged once.
                            refused_judged = true;
                            walk.judge(&here, &path, Some((action, true)));
                        }
                        Err(_) => {}
                    }
                });
            }
            let in_swarm = |i: &usize| swarm.contains(&moving[*i].0.call.op.name());
            let novel_in: Vec<usize> = novel.iter().copied().filter(in_swarm).collect();
            let candidates: Vec<usize> = if !novel_in.is_empty() {
                novel_in
            } else {
                (0..moving.len()).filter(in_swarm).collect()
            };
            let Some(pick) = pick_by_operation(&mut rng, &moving, &candidates) else {
                break;
            };
            let (action, next) = moving.swap_remove(pick);
            path.push(action);
            state = next;
            visited.insert(state.clone());
            moves += 1;
        }
        for (i, raw) in walk.raw {
            keep_finding(
                &mut findings[i],
                model,
                start_state,
                &properties[i],
                &raw,
                r,
            );
        }
        if let Some(report) = progress.as_mut() {
            report(SimProgress {
                runs,
                of: options.runs,
                steps,
                seconds: start.elapsed().as_secs_f64(),
            });
        }
    }
    Simulation {
        options,
        runs,
        interrupted,
        moves,
        steps,
        outcomes,
        properties: properties.clone(),
        findings,
        seconds: start.elapsed().as_secs_f64(),
    }
}

/// The discoveries of a simulation, for trace files: (property, shrunk actions).
pub fn discoveries(sim: &Simulation) -> Vec<(Property, Vec<Action>)> {
    sim.properties
        .iter()
        .zip(&sim.findings)
        .filter_map(|(p, f)| f.as_ref().map(|f| (p.clone(), f.actions.clone())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::trace::Start;
    use crate::format::report::simulate::{report, SimulateReport};
    use idc_model::Config;

    fn json_without_timings(r: &SimulateReport) -> serde_json::Value {
        let mut v = serde_json::to_value(r).unwrap();
        let m = v.as_object_mut().unwrap();
        m.remove("seconds");
        m.remove("steps_per_second");
        v
    }

    #[test]
    fn same_seed_same_report_other_seed_other_walks() {
        let model = IdcModel::new(Config {
            members: 1,
            ..Config::default()
        })
        .unwrap();
        let opts = Options {
            seed: 3,
            runs: 20,
            depth: 12,
        };
        let init = model.initial();
        let start = Start::initial(&model);
        let a = report(
            &model,
            &start,
            &simulate(&model, &init, &PropertySet::builtin(), opts, None, None),
        );
        let b = report(
            &model,
            &start,
            &simulate(&model, &init, &PropertySet::builtin(), opts, None, None),
        );
        assert_eq!(json_without_timings(&a), json_without_timings(&b));
        let c = report(
            &model,
            &start,
            &simulate(
                &model,
                &init,
                &PropertySet::builtin(),
                Options { seed: 4, ..opts },
                None,
                None,
            ),
        );
        assert_ne!(json_without_timings(&a), json_without_timings(&c));
    }

    #[test]
    fn every_finding_is_found_at_the_end_of_its_trace() {
        let model = IdcModel::new(Config {
            members: 1,
            ..Config::default()
        })
        .unwrap();
        let sim = simulate(
            &model,
            &model.initial(),
            &PropertySet::builtin(),
            Options {
                seed: 11,
                runs: 30,
                depth: 15,
            },
            None,
            None,
        );
        assert!(sim.findings.iter().any(Option::is_some));
        assert!(
            sim.outcomes.keys().any(|k| k != "ok"),
            "refused calls are made"
        );
        for (p, f) in sim.properties.iter().zip(&sim.findings) {
            if let Some(f) = f {
                assert_eq!(
                    crate::engine::shrink::first_found(&model, &model.initial(), p, &f.actions),
                    Some(f.actions.len()),
                    "{}",
                    p.name
                );
                assert!(f.actions.len() <= f.raw_steps);
            }
        }
    }
}
