//! The states of a level, packed, and the links from each state to its parent, from which
//! a path is replayed.

use idc_model::packed::Codec;
use idc_model::{Action, Branch, IdcModel, State};

/// The parent of a state, compactly: its index, and the call (its index in
/// [`IdcModel::calls`]) and outcome (its index among the call's outcomes there) that first
/// reached it — 8 bytes where the action itself takes 12. [`Links::path_to`] turns links back
/// into actions by replaying them from the start state.
#[derive(Clone, Copy, Debug)]
pub(super) struct Link {
    pub(super) parent: u32,
    pub(super) call: u16,
    pub(super) outcome: u8,
}

impl Link {
    /// The most calls a search can take: a link keeps a call's index in 16 bits.
    pub(super) const MAX_CALLS: usize = 1 << 16;
    /// The most outcomes a call can have: a link keeps an outcome's index in 8 bits.
    pub(super) const MAX_OUTCOMES: usize = 1 << 8;

    /// Checks, once per search, that links can hold the index of each of `calls` calls.
    /// No configuration has that many (the largest one, 6 members and 4 of each identity,
    /// has 4,746: tested), so more is a bug in the model, not a user's error.
    pub(super) fn check_calls(calls: usize) {
        assert!(
            calls <= Link::MAX_CALLS,
            "{calls} calls: a link holds the index of at most {} calls",
            Link::MAX_CALLS
        );
    }
}

/// Numbers a call's outcomes in the order the model gives them (the numbers links keep):
/// `f` sees each outcome with its number. Every outcome number is made here.
#[inline]
pub(super) fn numbered<R>(mut f: impl FnMut(u8, Branch, R)) -> impl FnMut(Branch, R) {
    let mut next = 0usize;
    move |branch, outcome| {
        // INVARIANT: a call has at most `Link::MAX_OUTCOMES` outcomes in any state, so its
        // number fits a link. A step meets each of the 7 decisions at most once, and an
        // operation meets few of them (a few dozen outcomes at most, with every assumption
        // `either`, the default). The bound is a fact of the model in each state, not of the
        // configuration: it is checked on every outcome in debug builds (the tests' searches
        // run them), not in the search's hot loop.
        debug_assert!(
            next < Link::MAX_OUTCOMES,
            "a call has more than {} outcomes",
            Link::MAX_OUTCOMES
        );
        let this = next as u8;
        next += 1;
        f(this, branch, outcome)
    }
}

/// The states of a level, packed ([`Codec`]: 19 bytes at the default configuration where
/// a [`State`] takes 54), with their numbers.
pub(super) struct Frontier {
    codec: Codec,
    bytes: Vec<u8>,
    idx: Vec<u32>,
}

impl Frontier {
    pub(super) fn new(codec: Codec) -> Frontier {
        Frontier {
            codec,
            bytes: Vec::new(),
            idx: Vec::new(),
        }
    }

    pub(super) fn push(&mut self, state: &State, idx: u32) {
        self.codec.pack(state, &mut self.bytes);
        self.idx.push(idx);
    }

    /// Appends a state packed by the same codec.
    pub(super) fn push_packed(&mut self, packed: &[u8], idx: u32) {
        if self.bytes.len() + packed.len() > self.bytes.capacity() {
            // Grow by a quarter, not double: the two frontiers are a fifth of the memory.
            let more = (self.bytes.len() / 4).max(1 << 16);
            self.bytes.reserve_exact(more);
            self.idx.reserve_exact(more / packed.len().max(1));
        }
        self.bytes.extend_from_slice(packed);
        self.idx.push(idx);
    }

    pub(super) fn len(&self) -> usize {
        self.idx.len()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.idx.is_empty()
    }

    pub(super) fn clear(&mut self) {
        self.bytes.clear();
        self.idx.clear();
    }

    /// The bytes a state takes here.
    pub(super) fn bytes_per_state(codec: &Codec) -> u64 {
        (codec.len() + std::mem::size_of::<u32>()) as u64
    }

    pub(super) fn all(&self) -> Slice<'_> {
        Slice {
            codec: self.codec,
            bytes: &self.bytes,
            idx: &self.idx,
        }
    }
}

/// Consecutive states of a [`Frontier`].
#[derive(Clone, Copy)]
pub(super) struct Slice<'a> {
    codec: Codec,
    bytes: &'a [u8],
    pub(super) idx: &'a [u32],
}

impl<'a> Slice<'a> {
    pub(super) fn len(&self) -> usize {
        self.idx.len()
    }

    /// The `i`-th state.
    #[inline]
    pub(super) fn state(&self, i: usize) -> State {
        let n = self.codec.len();
        self.codec.unpack(&self.bytes[i * n..(i + 1) * n])
    }

    /// Slices of at most `size` states, in order.
    pub(super) fn chunks(self, size: usize) -> impl Iterator<Item = Slice<'a>> {
        let n = self.codec.len();
        self.idx
            .chunks(size.max(1))
            .zip(self.bytes.chunks((size.max(1)) * n))
            .map(move |(idx, bytes)| Slice {
                codec: self.codec,
                bytes,
                idx,
            })
    }
}

/// The link of every state, by number: the start state's (0, unused), then one per new
/// state in the order the merge numbers them.
pub(super) struct Links(Vec<Link>);

impl Links {
    /// The links of a search that has met only its start state.
    pub(super) fn new() -> Links {
        Links(vec![Link {
            parent: 0,
            call: 0,
            outcome: 0,
        }])
    }

    /// The number of states met.
    pub(super) fn len(&self) -> usize {
        self.0.len()
    }

    /// Records the link to the next state, numbered [`Links::len`] before.
    pub(super) fn push(&mut self, link: Link) {
        // INVARIANT: `self.0[i]` is the link to state `i`: the merge numbers the new states
        // in the order it pushes their links, and nothing else pushes.
        if self.0.len() == self.0.capacity() {
            // Grow by a quarter, not double: the links are a fifth of the search's memory.
            self.0.reserve_exact((self.0.len() / 4).max(1 << 12));
        }
        self.0.push(link);
    }

    /// How many steps lead from the start state to state `idx`.
    pub(super) fn depth_of(&self, mut idx: u32) -> usize {
        let mut depth = 0;
        while idx != 0 {
            idx = self.0[idx as usize].parent;
            depth += 1;
        }
        depth
    }

    /// The actions from the start state to state `idx`: the links up to the start, then
    /// replayed from it to name each outcome's branch.
    pub(super) fn path_to(&self, model: &IdcModel, start: &State, mut idx: u32) -> Vec<Action> {
        let mut links = Vec::new();
        while idx != 0 {
            let link = self.0[idx as usize];
            links.push(link);
            idx = link.parent;
        }
        links.reverse();
        let mut state = start.clone();
        let mut actions = Vec::with_capacity(links.len());
        for link in links {
            let call = model.calls()[usize::from(link.call)];
            let mut taken = None;
            model.outcomes(
                &state,
                call,
                numbered(|k, branch, outcome| {
                    if k == link.outcome {
                        taken = Some((branch, outcome));
                    }
                }),
            );
            // INVARIANT: the link was made from this very enumeration in this very state (the
            // states along a path are the ones the search recorded, since each step is
            // deterministic given its branch).
            let Some((branch, outcome)) = taken else {
                unreachable!("a recorded outcome exists")
            };
            if let Ok(next) = outcome {
                state = next;
            } else {
                state.ghost = 0;
            }
            actions.push(Action { call, branch });
        }
        actions
    }
}

#[cfg(test)]
mod tests {
    use idc_model::account::{MAX_IDENTITIES, MAX_MEMBERS};
    use idc_model::calls::all_calls;
    use idc_model::Config;

    use super::*;

    #[test]
    fn the_largest_configuration_s_calls_fit_in_a_link() {
        let largest = Config {
            members: MAX_MEMBERS,
            users: MAX_IDENTITIES,
            groups: MAX_IDENTITIES,
            permission_sets: MAX_IDENTITIES,
            ..Config::default()
        };
        assert!(largest.validate().is_ok());
        let calls = all_calls(&largest).len();
        assert!(calls <= Link::MAX_CALLS, "{calls} calls");
        Link::check_calls(calls);
        Link::check_calls(Link::MAX_CALLS);
    }

    #[test]
    #[should_panic(expected = "a link holds the index of at most 65536 calls")]
    fn more_calls_than_a_link_holds_stop_the_search() {
        Link::check_calls(Link::MAX_CALLS + 1);
    }

    #[test]
    fn outcomes_are_numbered_in_order_up_to_the_last_a_link_holds() {
        let mut seen = Vec::new();
        let mut f = numbered(|k, _, ()| seen.push(k));
        for _ in 0..Link::MAX_OUTCOMES {
            f(Branch::NONE, ());
        }
        drop(f);
        assert_eq!(seen, (0..=u8::MAX).collect::<Vec<u8>>());
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "a call has more than 256 outcomes")]
    fn one_outcome_more_than_a_link_holds_is_caught_in_debug_builds() {
        let mut f = numbered(|_, _, ()| {});
        for _ in 0..=Link::MAX_OUTCOMES {
            f(Branch::NONE, ());
        }
    }
}
