//! Shrinking a trace that violates (or exemplifies) a property: delta debugging.
//!
//! A candidate is kept when the same property is still found at its end. The algorithm is
//! Zeller and Hildebrandt's *ddmin* on the complement ("Simplifying and isolating
//! failure-inducing input", TSE 2002): split the calls into `n` chunks, try dropping each
//! chunk; on success continue with `max(n - 1, 2)` chunks, otherwise double `n`, until the
//! chunks are single calls and none can be dropped. After every success the trace is cut at
//! the first step where the property is found. The result is *1-minimal*: dropping any single
//! call loses the property. Then every remaining step is tried with a simpler call: the
//! management account as caller, then earlier calls of the configuration's universe (in
//! [`idc_model::calls::all_calls`] order).

use idc_model::properties::Kind;
use idc_model::{Call, IdcModel, PropertyInfo, State};

/// Whether `prop` is found (violated if `always`, holds if `sometimes`) in `state`.
pub fn found(model: &IdcModel, prop: &PropertyInfo, state: &State) -> bool {
    let holds = (prop.holds)(model, state);
    match prop.kind {
        Kind::Always => !holds,
        Kind::Sometimes => holds,
    }
}

/// The length of the shortest prefix of `calls` after which `prop` is found, if any.
pub fn first_found(model: &IdcModel, prop: &PropertyInfo, calls: &[Call]) -> Option<usize> {
    let mut state = model.initial();
    if found(model, prop, &state) {
        return Some(0);
    }
    for (i, &call) in calls.iter().enumerate() {
        match model.step(&state, call) {
            Ok(next) => state = next,
            Err(_) => state.ghost = 0,
        }
        if found(model, prop, &state) {
            return Some(i + 1);
        }
    }
    None
}

/// Shrinks `calls`, after which `prop` is found, to a 1-minimal trace after which it is
/// still found. Returns `calls` cut at the property's first appearance if it is not found
/// at all there (nothing to shrink).
pub fn shrink(model: &IdcModel, prop: &PropertyInfo, calls: &[Call]) -> Vec<Call> {
    let Some(k) = first_found(model, prop, calls) else {
        return calls.to_vec();
    };
    let mut cur = calls[..k].to_vec();
    let mut n = 2usize;
    while !cur.is_empty() {
        let len = cur.len();
        let chunk = len.div_ceil(n);
        let mut reduced = false;
        for start in (0..len).step_by(chunk) {
            let end = (start + chunk).min(len);
            let cand: Vec<Call> = cur[..start].iter().chain(&cur[end..]).copied().collect();
            if let Some(k) = first_found(model, prop, &cand) {
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
    simplify(model, prop, cur)
}

/// Replaces steps by simpler calls where the property is still found at the same length.
fn simplify(model: &IdcModel, prop: &PropertyInfo, mut cur: Vec<Call>) -> Vec<Call> {
    let universe = model.calls();
    let rank = |c: &Call| universe.iter().position(|u| u == c).unwrap_or(usize::MAX);
    for i in 0..cur.len() {
        let mut simpler: Vec<Call> = Vec::new();
        if !cur[i].caller.is_management() {
            simpler.push(Call {
                caller: idc_model::Acct::MANAGEMENT,
                op: cur[i].op,
            });
        }
        let r = rank(&cur[i]);
        simpler.extend(universe.iter().take(r).copied());
        for c in simpler {
            let mut cand = cur.clone();
            cand[i] = c;
            if first_found(model, prop, &cand) == Some(cand.len()) {
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

    fn call(caller: u8, op: Op) -> Call {
        Call {
            caller: Acct(caller),
            op,
        }
    }

    #[test]
    fn drops_noise_and_keeps_the_violation() {
        let model = IdcModel::new(Config::default()).unwrap();
        let prop = property("ad-sync-on-while-delegated").unwrap();
        let noisy = vec![
            call(0, Op::EnableAwsServiceAccess),
            call(2, Op::CreateDirectory),
            call(0, Op::CreateInstance),
            call(1, Op::CreateInstance), // refused (IDC-1)
            call(0, Op::CreateUser(idc_model::User(0))),
            call(0, Op::RegisterDelegatedAdministrator(Acct(1))),
            call(0, Op::CreatePermissionSet(idc_model::PermissionSet(0))),
            call(1, Op::CreateDirectory),
            call(
                0,
                Op::ChangeIdentitySource(idc_model::IdentitySource::ActiveDirectory(Acct(1))),
            ),
            call(0, Op::CreateGroup(idc_model::Group(0))),
        ];
        assert_eq!(first_found(&model, prop, &noisy), Some(9));
        let shrunk = shrink(&model, prop, &noisy);
        assert_eq!(first_found(&model, prop, &shrunk), Some(shrunk.len()));
        // The check's shortest counterexample has 4 steps; ddmin finds a 4-step one here.
        assert_eq!(shrunk.len(), 4, "{shrunk:?}");
        // 1-minimal: no single step can go.
        for i in 0..shrunk.len() {
            let mut fewer = shrunk.clone();
            fewer.remove(i);
            assert_eq!(first_found(&model, prop, &fewer), None);
        }
    }
}
