//! `idc replay`: re-execute a trace from the initial state of its configuration, confirm
//! each step's expected outcome and the claim, and say where it first diverges.
//!
//! Where an assumption is `either`, a step may have several outcomes. A step that names its
//! branch (trace files written by `idc` always do) takes it; for a step that does not, the
//! replay searches the branches: the trace reproduces when *some* choice of branches meets
//! every expected outcome and the claim, and the report names the branches it found.

use std::collections::HashSet;

use idc_model::properties::{property, Kind};
use idc_model::{Action, Branch, IdcModel, Refusal, State};

use crate::engine::run::advance;
use crate::engine::trace::{Claim, Trace};

/// Whether the claim is met in the state after its step.
pub fn claim_met(c: Claim, state: &State) -> bool {
    let Some(p) = property(c.property) else {
        return false;
    };
    let holds = (p.holds)(state);
    match p.kind {
        Kind::Always => !holds,
        Kind::Sometimes => holds,
    }
}

/// One pending step of the branch search: the state before step `i`, its candidate
/// outcomes, and the next candidate to try.
struct Frame {
    state: State,
    candidates: Vec<(Branch, Result<State, Refusal>)>,
    next: usize,
}

/// The actions of a choice of branches that meets every expected outcome and the claim, if
/// one exists: depth-first over the candidate outcomes of each step (its named branch, or
/// every branch when it names none), in the model's order, remembering the (step, state)
/// pairs from which no choice succeeds.
fn resolve(model: &IdcModel, trace: &Trace) -> Option<Vec<Action>> {
    let n = trace.steps.len();
    let claim_ok = |i: usize, state: &State| {
        trace
            .claim
            .is_none_or(|c| c.step != i || claim_met(c, state))
    };
    let candidates = |i: usize, state: &State| {
        let step = &trace.steps[i];
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
    let init = model.initial();
    if !claim_ok(0, &init) {
        return None;
    }
    if n == 0 {
        return Some(Vec::new());
    }
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
        top.next += 1;
        if !claim_ok(i + 1, &state) || dead.contains(&(i + 1, state.clone())) {
            continue;
        }
        if i + 1 == n {
            return Some(
                stack
                    .iter()
                    .zip(&trace.steps)
                    .map(|(f, s)| Action {
                        call: s.call,
                        branch: f.candidates[f.next - 1].0,
                    })
                    .collect(),
            );
        }
        stack.push(Frame {
            candidates: candidates(i + 1, &state),
            state,
            next: 0,
        });
    }
    None
}

/// The actions a trace's replay takes: a choice of branches that meets every expectation
/// and the claim if some does, else each step's named branch (or its call's first branch)
/// to show where the trace diverges.
pub fn actions_of(model: &IdcModel, trace: &Trace) -> Vec<Action> {
    resolve(model, trace).unwrap_or_else(|| {
        trace
            .steps
            .iter()
            .map(|s| Action {
                call: s.call,
                branch: s.branch.unwrap_or(Branch::NONE),
            })
            .collect()
    })
}
