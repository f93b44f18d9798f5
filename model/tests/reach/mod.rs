//! Shared by the model's test binaries that walk a configuration's reachable states.

use std::collections::{HashSet, VecDeque};

use idc_model::{IdcModel, State};

/// Every state within `depth` steps of the initial state (all of them with `usize::MAX`),
/// breadth-first, each accepted outcome passed through `normalize` first (to identify
/// states a test treats as one).
pub fn reachable(m: &IdcModel, depth: usize, normalize: impl Fn(&mut State)) -> Vec<State> {
    let init = m.initial();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut q = VecDeque::new();
    seen.insert(init.clone());
    q.push_back((init, 0));
    while let Some((s, d)) = q.pop_front() {
        if d < depth {
            for &c in m.calls() {
                m.outcomes(&s, c, |_, r| {
                    if let Ok(mut t) = r {
                        normalize(&mut t);
                        if seen.insert(t.clone()) {
                            q.push_back((t, d + 1));
                        }
                    }
                });
            }
        }
        out.push(s);
    }
    out
}
