//! Gates (`idc_model::step::gate`): a call answered from its gate has exactly the outcomes
//! its own rules give, and the open calls of a state give all its accepted outcomes, on
//! every call of every state met: breadth first from the initial
//! state of small configurations (as written, and with every relaxable guard relaxed), and
//! along random walks of larger ones with random rules relaxed.

use std::collections::{HashSet, VecDeque};

use idc_model::{outcomes, Branch, Config, IdcModel, Refusal, Rule, RuleSet, State};
use proptest::prelude::*;

/// Every outcome of every call of `state`, by `outcomes` and by `gated_outcomes`, are the
/// same, in the same order; returns the accepted successors.
fn same_outcomes(model: &IdcModel, state: &State) -> Vec<State> {
    let mut gates = idc_model::step::Gates::new();
    let mut next = Vec::new();
    for (index, &call) in model.calls().iter().enumerate() {
        let mut plain: Vec<(Branch, Result<State, Refusal>)> = Vec::new();
        outcomes(model.config(), state, call, |b, o| plain.push((b, o)));
        let mut gated = Vec::new();
        model.gated_outcomes(state, index, &mut gates, |b, o| gated.push((b, o)));
        assert_eq!(plain, gated, "{call} in {state:?}");
        next.extend(plain.into_iter().filter_map(|(_, o)| o.ok()));
    }
    // The open calls: every call left out has one outcome, a refusal; so the accepted
    // outcomes of the open calls are all of them, in the same order.
    let mut open = Vec::new();
    model.open_calls(state, |i| open.push(i));
    assert!(open.windows(2).all(|w| w[0] < w[1]), "in call order");
    let mut from_open = Vec::new();
    for (index, &call) in model.calls().iter().enumerate() {
        let mut all: Vec<(Branch, Result<State, Refusal>)> = Vec::new();
        outcomes(model.config(), state, call, |b, o| all.push((b, o)));
        if open.binary_search(&index).is_ok() {
            from_open.extend(all.into_iter().filter_map(|(_, o)| o.ok()));
        } else {
            assert!(
                all.len() == 1 && all[0].0 == Branch::NONE && all[0].1.is_err(),
                "{call} left out of the open calls of {state:?}"
            );
        }
    }
    assert_eq!(from_open, next);
    next
}

/// Checks the first `limit` states of a breadth-first search.
fn breadth_first(cfg: Config, limit: usize) -> usize {
    let model = IdcModel::new(cfg).expect("a valid configuration");
    let init = model.initial();
    let mut seen = HashSet::from([init.clone()]);
    let mut queue = VecDeque::from([init]);
    let mut checked = 0;
    while let Some(s) = queue.pop_front() {
        checked += 1;
        if checked > limit {
            break;
        }
        for next in same_outcomes(&model, &s) {
            if seen.insert(next.clone()) {
                queue.push_back(next);
            }
        }
    }
    checked
}

fn all_relaxable() -> RuleSet {
    let mut set = RuleSet::default();
    for r in Rule::ALL.iter().filter(|r| r.relaxable()) {
        set.insert(*r);
    }
    set
}

#[test]
fn gates_agree_on_reachable_states_of_one_member() {
    let cfg = Config {
        members: 1,
        ..Config::default()
    };
    assert!(breadth_first(cfg, 20_000) > 10_000);
}

#[test]
fn gates_agree_with_every_relaxable_guard_relaxed() {
    // ORG-1, ORG-2, ORG-4, ORG-5, DA-1, IDC-4, SRC-6: the gates' own guards among them.
    let cfg = Config {
        members: 1,
        relaxed: all_relaxable(),
        ..Config::default()
    };
    assert!(breadth_first(cfg, 20_000) > 10_000);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn gates_agree_along_random_walks(
        members in 1u8..=3,
        identities in 1u8..=2,
        relax in proptest::collection::vec(any::<bool>(), Rule::ALL.len()),
        picks in proptest::collection::vec(any::<u32>(), 1..40),
    ) {
        let mut relaxed = RuleSet::default();
        for (r, on) in Rule::ALL.iter().zip(relax) {
            if on && r.relaxable() {
                relaxed.insert(*r);
            }
        }
        let model = IdcModel::new(Config {
            members,
            users: identities,
            groups: identities,
            permission_sets: identities,
            relaxed,
            ..Config::default()
        })
        .expect("a valid configuration");
        let mut state = model.initial();
        for pick in picks {
            let next = same_outcomes(&model, &state);
            if next.is_empty() {
                break;
            }
            state = next[pick as usize % next.len()].clone();
        }
    }
}
