//! Shrinking a trace that violates (or exemplifies) a property: delta debugging.
//!
//! A candidate is kept when the same property is still found at its end. The algorithm is
//! Zeller and Hildebrandt's *ddmin* on the complement ("Simplifying and isolating
//! failure-inducing input", TSE 2002): split the calls into `n` chunks, try dropping each
//! chunk; on success continue with `max(n - 1, 2)` chunks, otherwise double `n`, until the
//! chunks are single calls and none can be dropped. After every success the trace is cut at
//! the first step where the property is found. The result is *1-minimal*: dropping any single
//! step loses the property. Then every remaining step is tried with a simpler call: the
//! management account as caller, then earlier calls of the configuration's universe (in
//! [`idc_model::calls::all_calls`] order).
//!
//! Steps are actions (a call and its branch under `either`): a step whose branch no longer
//! fits once earlier steps are gone takes its call's first branch ([`crate::engine::run::run`]),
//! and the result names the branches its steps take.

use idc_model::{Action, Call, IdcModel, Last, OpKind, State};

use crate::engine::properties::{last_step, Property};
use crate::engine::run::{advance, run_from, step_along};

/// The length of the shortest prefix of `actions` (run from `start`) after which `prop` is
/// found (violated if `always`, holds if `sometimes`; a property of the last step judged
/// on each step), if any.
pub fn first_found(
    model: &IdcModel,
    start: &State,
    prop: &Property,
    actions: &[Action],
) -> Option<usize> {
    let mut state = start.clone();
    if prop.found(&state, &Last::default()) {
        return Some(0);
    }
    for (i, &action) in actions.iter().enumerate() {
        let (_, outcome) = step_along(model, &state, action);
        advance(&mut state, &outcome);
        if prop.found(&state, &last_step(&action.call, outcome.is_err())) {
            return Some(i + 1);
        }
    }
    None
}

/// Shrinks `actions` (run from `start`), after which `prop` is found, to a 1-minimal trace
/// after which it is still found. Returns `actions` cut at the property's first appearance
/// if it is not found at all there (nothing to shrink).
pub fn shrink(model: &IdcModel, start: &State, prop: &Property, actions: &[Action]) -> Vec<Action> {
    let Some(k) = first_found(model, start, prop, actions) else {
        return actions.to_vec();
    };
    let mut cur = actions[..k].to_vec();
    let mut n = 2usize;
    while !cur.is_empty() {
        let len = cur.len();
        let chunk = len.div_ceil(n);
        let mut reduced = false;
        for begin in (0..len).step_by(chunk) {
            let end = (begin + chunk).min(len);
            let cand: Vec<Action> = cur[..begin].iter().chain(&cur[end..]).copied().collect();
            if let Some(k) = first_found(model, start, prop, &cand) {
                cur = cand[..k].to_vec();
                n = n.saturating_sub(1).max(2);
                reduced = true;
                break;
            }
        }
        if !reduced {
            if n >= len {
                break;
            }
            n = (n * 2).min(len);
        }
    }
    let simple = simplify(model, start, prop, cur);
    // Name the branch each step takes.
    run_from(model, start.clone(), &simple)
        .0
        .iter()
        .map(|r| r.action)
        .collect()
}

/// Replaces steps by simpler calls where the property is still found at the same length.
fn simplify(model: &IdcModel, start: &State, prop: &Property, mut cur: Vec<Action>) -> Vec<Action> {
    let universe = model.calls();
    let rank = |c: &Call| universe.iter().position(|u| u == c).unwrap_or(usize::MAX);
    for i in 0..cur.len() {
        let mut simpler: Vec<Call> = Vec::new();
        let call = cur[i].call;
        // The management account as caller, where the threat model lets it make the call.
        let threat = &model.config().threat;
        if !call.caller.is_management()
            && threat.permits(idc_model::Acct::MANAGEMENT, OpKind::of(&call.op))
        {
            simpler.push(Call {
                caller: idc_model::Acct::MANAGEMENT,
                op: call.op,
            });
        }
        let r = rank(&call);
        simpler.extend(universe.iter().take(r).copied());
        for c in simpler {
            let mut cand = cur.clone();
            cand[i] = Action {
                call: c,
                branch: cur[i].branch,
            };
            if first_found(model, start, prop, &cand) == Some(cand.len()) {
                cur = cand;
                break;
            }
        }
    }
    cur
}

#[cfg(test)]
mod tests {
    use super::*;
    use idc_model::properties::property;
    use idc_model::{Acct, Config, Op};

    fn call(caller: u8, op: Op) -> Action {
        Action::from(Call {
            caller: Acct(caller),
            op,
        })
    }

    #[test]
    fn drops_noise_and_keeps_the_violation() {
        let model = IdcModel::new(Config::default()).unwrap();
        let prop = &Property::builtin(property("ad-sync-on-while-delegated").unwrap());
        let noisy = vec![
            call(0, Op::EnableAwsServiceAccess),
            call(2, Op::CreateMicrosoftAd),
            call(0, Op::EnableIdentityCenter),
            call(1, Op::EnableIdentityCenter), // refused (IDC-1)
            call(0, Op::CreateUser(idc_model::User(0))),
            call(0, Op::RegisterDelegatedAdministrator(Acct(1))),
            call(0, Op::CreatePermissionSet(idc_model::PermissionSet(0))),
            call(1, Op::CreateMicrosoftAd),
            call(
                0,
                Op::ChangeIdentitySource(idc_model::IdentitySource::ActiveDirectory(Acct(1))),
            ),
            call(0, Op::CreateGroup(idc_model::Group(0))),
        ];
        assert_eq!(first_found(&model, &model.initial(), prop, &noisy), Some(9));
        let shrunk = shrink(&model, &model.initial(), prop, &noisy);
        assert_eq!(
            first_found(&model, &model.initial(), prop, &shrunk),
            Some(shrunk.len())
        );
        // The check's shortest counterexample has 4 steps; ddmin finds a 4-step one here.
        assert_eq!(shrunk.len(), 4, "{shrunk:?}");
        // 1-minimal: no single step can go.
        for i in 0..shrunk.len() {
            let mut fewer = shrunk.clone();
            fewer.remove(i);
            assert_eq!(first_found(&model, &model.initial(), prop, &fewer), None);
        }
    }
}
