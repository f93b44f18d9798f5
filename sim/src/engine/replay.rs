//! `idc replay`: re-execute a trace from the initial state of its configuration, confirm
//! each step's expected outcome and the claim, and say where it first diverges.
//!
//! Where an assumption is `either`, a step may have several outcomes. A step that names its
//! branch (trace files written by `idc` always do) takes it; for a step that does not, the
//! replay searches the branches: the trace reproduces when *some* choice of branches meets
//! every expected outcome and the claim, and the report names the branches it found.

use std::collections::HashSet;

use idc_model::query::Last;
use idc_model::{AccountNames, Action, Branch, Call, Config, IdcModel, OpKind, Refusal, State};

use crate::engine::properties::last_step;
use crate::engine::run::{advance, run_from, step_along, StepRecord};
use crate::engine::trace::{Claim, Expect, Start, Trace, TraceStep};

/// Whether the claim is met in the state after its step, reached by the step `last`.
pub fn claim_met(c: &Claim, state: &State, last: &Last) -> bool {
    c.property.found(state, last)
}

/// One pending step of the branch search: the state before step `i`, its candidate
/// outcomes, and the next candidate to try.
struct Frame {
    state: State,
    candidates: Vec<(Branch, Result<State, Refusal>)>,
    next: usize,
}

/// The actions of a choice of branches for `steps` from `start` that meets every expected
/// outcome and the claim, if one exists: depth-first over the candidate outcomes of each
/// step (its named branch, or every branch when it names none), in the model's order,
/// remembering the (step, state) pairs from which no choice succeeds. When none does,
/// `Err` with the choice that got furthest (the longest prefix of steps that meets its
/// expectations and the claim so far; the first such in the model's order), so that the
/// replay shows the real blocker rather than the first reading's.
fn resolve(
    model: &IdcModel,
    start: &State,
    steps: &[TraceStep],
    claim: Option<&Claim>,
) -> Result<Vec<Action>, Vec<Action>> {
    let n = steps.len();
    let claim_ok = |i: usize, state: &State, last: &Last| {
        claim.is_none_or(|c| c.step != i || claim_met(c, state, last))
    };
    let candidates = |i: usize, state: &State| {
        let step = &steps[i];
        let mut out = Vec::new();
        match step.branch {
            Some(branch) => {
                if let Some(o) = model.step(
                    state,
                    Action {
                        call: step.call,
                        branch,
                    },
                ) {
                    out.push((branch, o));
                }
            }
            None => model.outcomes(state, step.call, |b, o| out.push((b, o))),
        }
        out.retain(|(_, o)| {
            step.expect
                .is_none_or(|e| e.matches(&o.as_ref().map(|_| ()).map_err(|r| *r)))
        });
        out
    };
    let init = start.clone();
    if !claim_ok(0, &init, &Last::default()) {
        return Err(Vec::new());
    }
    if n == 0 {
        return Ok(Vec::new());
    }
    let chosen = |stack: &[Frame]| -> Vec<Action> {
        stack
            .iter()
            .zip(steps)
            .map(|(f, s)| Action {
                call: s.call,
                branch: f.candidates[f.next - 1].0,
            })
            .collect()
    };
    let mut furthest: Vec<Action> = Vec::new();
    let mut dead: HashSet<(usize, State)> = HashSet::new();
    let mut stack = vec![Frame {
        candidates: candidates(0, &init),
        state: init,
        next: 0,
    }];
    while let Some(i) = stack.len().checked_sub(1) {
        let top = &mut stack[i];
        let Some((_, outcome)) = top.candidates.get(top.next) else {
            dead.insert((i, top.state.clone()));
            stack.pop();
            continue;
        };
        let mut state = top.state.clone();
        advance(&mut state, outcome);
        let last = last_step(&steps[i].call, outcome.is_err());
        top.next += 1;
        if !claim_ok(i + 1, &state, &last) || dead.contains(&(i + 1, state.clone())) {
            continue;
        }
        if i + 1 == n {
            return Ok(chosen(&stack));
        }
        if i + 1 > furthest.len() {
            furthest = chosen(&stack);
        }
        stack.push(Frame {
            candidates: candidates(i + 1, &state),
            state,
            next: 0,
        });
    }
    Err(furthest)
}

/// A choice of branches for `steps` (see [`resolve`]), or, when none meets every
/// expectation and the claim, the choice that got furthest followed by each remaining
/// step's named branch (or its call's first branch), to show where the trace diverges.
fn resolve_or_furthest(
    model: &IdcModel,
    start: &State,
    steps: &[TraceStep],
    claim: Option<&Claim>,
) -> Vec<Action> {
    resolve(model, start, steps, claim).unwrap_or_else(|mut furthest| {
        furthest.extend(steps[furthest.len()..].iter().map(|s| Action {
            call: s.call,
            branch: s.branch.unwrap_or(Branch::NONE),
        }));
        furthest
    })
}

/// The actions a trace's replay takes from `start` (see [`start_of`]): a choice of branches
/// that meets every expectation and the claim if some does, else the choice that got
/// furthest, then each remaining step's named branch (or its call's first branch), to show
/// where the trace diverges.
pub fn actions_of(model: &IdcModel, start: &State, trace: &Trace) -> Vec<Action> {
    resolve_or_furthest(model, start, &trace.steps, trace.claim.as_ref())
}

/// The steps of `actions` run from `start` as trace steps: each names its branch and
/// expects the outcome it has.
fn as_steps(model: &IdcModel, start: &State, actions: &[Action]) -> (Vec<TraceStep>, State) {
    let (records, end) = run_from(model, start.clone(), actions);
    let steps = records
        .iter()
        .map(|r| TraceStep {
            call: r.action.call,
            branch: Some(r.action.branch),
            expect: Some(Expect::of(&r.outcome)),
            note: None,
        })
        .collect();
    (steps, end)
}

/// A start step AWS does not accept, in any reading of an `either` assumption: the first
/// one along the readings that got furthest.
#[derive(Clone, Debug)]
pub struct StartRefused {
    /// 1-based.
    pub step: usize,
    /// The call.
    pub call: idc_model::Call,
    /// AWS's answer to it there (along its first reading); `None` when some reading
    /// accepts it but no reading lets the later start steps succeed.
    pub refusal: Option<Refusal>,
}

/// The start state of calls that must all succeed (a design's `[start]`), named by
/// `names`: some choice of readings where every call succeeds, or the first call that
/// none lets succeed.
pub fn start_of_steps(
    model: &IdcModel,
    steps: &[TraceStep],
    names: &idc_model::AccountNames,
) -> Result<Start, StartRefused> {
    let init = model.initial();
    match resolve(model, &init, steps, None) {
        Ok(actions) => {
            let (steps, state) = as_steps(model, &init, &actions);
            Ok(Start {
                steps,
                state,
                names: names.clone(),
            })
        }
        Err(furthest) => {
            let (_, state) = run_from(model, init, &furthest);
            let step = &steps[furthest.len()];
            let (mut refusal, mut accepted) = (None, false);
            model.outcomes(&state, step.call, |b, o| {
                if step.branch.is_none_or(|n| n == b) {
                    match o {
                        Ok(_) => accepted = true,
                        Err(r) => refusal = refusal.or(Some(r)),
                    }
                }
            });
            Err(StartRefused {
                step: furthest.len() + 1,
                call: step.call,
                refusal: refusal.filter(|_| !accepted),
            })
        }
    }
}

/// Where a trace's steps start: the state its `from` calls lead to (the initial state when
/// it has none), or `None` when they do not replay as written (a branch or an expected
/// outcome that no reading gives).
pub fn start_of(model: &IdcModel, trace: &Trace) -> Option<Start> {
    let init = model.initial();
    let actions = resolve(model, &init, &trace.from, None).ok()?;
    let (steps, state) = as_steps(model, &init, &actions);
    Some(Start {
        steps,
        state,
        names: trace.names.clone(),
    })
}

/// The state a trace's steps start from: `Ok` the one its `from` calls lead to (see
/// [`start_of`]); `Err` when they do not replay as written, with the state their named
/// branches (or each call's first) lead to, to show what follows.
pub fn start_or_as_named(model: &IdcModel, trace: &Trace) -> Result<State, State> {
    match start_of(model, trace) {
        Some(start) => Ok(start.state),
        None => Err(from_as_named(model, trace)),
    }
}

/// The state a trace's `from` calls lead to when they do not replay as written: along the
/// choice of branches that got furthest, then each remaining call's named branch (or its
/// first), to show what follows.
fn from_as_named(model: &IdcModel, trace: &Trace) -> State {
    let init = model.initial();
    let actions = resolve_or_furthest(model, &init, &trace.from, None);
    run_from(model, init, &actions).1
}

/// What the threat model of `cfg` says of a call it does not allow, its caller labelled by
/// `names` (`workloads (member-2) makes no call`); `None` when it allows the call (AWS's own
/// environment steps always happen).
pub fn outside_threat(cfg: &Config, names: &AccountNames, call: &Call) -> Option<String> {
    if call.caller.is_aws() || cfg.threat.permits(call.caller, OpKind::of(&call.op)) {
        return None;
    }
    let says = cfg.threat.says(call.caller)?;
    Some(format!("{} {says}", names.label(call.caller)))
}

/// How a replayed step disagrees with the trace step it replays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mismatch {
    /// The step names a branch the call does not take here.
    Misfit {
        /// The branch the trace names.
        named: Branch,
        /// The branch the replay took.
        taken: Branch,
    },
    /// The outcome is not the one the step expects.
    Unexpected(Expect),
}

/// Whether the replayed step `record` is as the trace step `ts` writes it: `None` when it
/// is, else the first way it is not (a misfit branch before an unexpected outcome).
pub fn mismatch(ts: &TraceStep, record: &StepRecord) -> Option<Mismatch> {
    let misfit = ts.branch.filter(|b| *b != record.action.branch);
    match (misfit, ts.expect) {
        (Some(named), _) => Some(Mismatch::Misfit {
            named,
            taken: record.action.branch,
        }),
        (None, Some(e)) if !e.matches(&record.outcome) => Some(Mismatch::Unexpected(e)),
        (None, Some(_) | None) => None,
    }
}

/// Whether the claimed property is violated (always) or exemplified (sometimes) after the
/// claimed step of `actions` run from `start`.
pub fn claim_holds(model: &IdcModel, start: &State, actions: &[Action], c: &Claim) -> bool {
    if c.step > actions.len() {
        return false;
    }
    let mut state = start.clone();
    let mut last = Last::default();
    for &action in &actions[..c.step] {
        let (_, outcome) = step_along(model, &state, action);
        advance(&mut state, &outcome);
        last = last_step(&action.call, outcome.is_err());
    }
    claim_met(c, &state, &last)
}

/// The state a trace ends in, with every call that leads there (its `from` calls, then its
/// steps), for a search that starts from it (`--from`); `None` when the trace does not
/// replay (a step or the claim diverges).
pub fn end_of(model: &IdcModel, trace: &Trace) -> Option<Start> {
    let start = start_of(model, trace)?;
    let actions = resolve(model, &start.state, &trace.steps, trace.claim.as_ref()).ok()?;
    let (steps, state) = as_steps(model, &start.state, &actions);
    let mut all = start.steps;
    all.extend(steps);
    Some(Start {
        steps: all,
        state,
        names: trace.names.clone(),
    })
}
