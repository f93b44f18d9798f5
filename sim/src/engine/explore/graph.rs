//! The kept state graph: the moves of each state and where their outcomes lead, for the
//! analyses that read the graph after the search ([`crate::engine::recover`]).

use idc_model::{Action, Branch, Call, State};

/// The explored state graph restricted to some calls (see [`GraphOptions`]). State `i`
/// (numbered in discovery order, the initial state is 0) has the *moves*
/// `moves[offsets[i]..offsets[i + 1]]`: one per kept call with an accepted outcome. A
/// move's outcomes (one per accepted branch) lead to the states [`Graph::outcomes`] names.
/// With symmetry a state stands for its whole orbit, and a target is the number of the
/// successor's orbit.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    /// Start of each state's moves in `moves`; one more entry than states.
    pub offsets: Vec<u64>,
    /// Every move, state by state.
    pub moves: Vec<Move>,
    /// The outcomes' target states, move by move.
    pub targets: Vec<u32>,
    /// The outcomes' branches, parallel to `targets`.
    pub branches: Vec<Branch>,
    /// Per state: whether the mark predicate holds.
    pub marked: Vec<bool>,
    /// Per state: whether the tag predicate holds.
    pub tagged: Vec<bool>,
    /// Per state: the state it was first reached from and the action (unused for state 0).
    pub parents: Vec<(u32, Action)>,
}

/// A kept call made in one state.
#[derive(Clone, Copy, Debug)]
pub struct Move {
    /// The call.
    pub call: Call,
    /// Whether every branch of the call is accepted there (no reading refuses it).
    pub certain: bool,
    /// The end of its outcomes in [`Graph::targets`] (they start where the previous move's
    /// end).
    pub end: u64,
}

impl Graph {
    /// The moves of state `i`, as indices into [`Graph::moves`].
    pub fn moves_of(&self, i: u32) -> std::ops::Range<usize> {
        self.offsets[i as usize] as usize..self.offsets[i as usize + 1] as usize
    }

    /// The outcomes of move `m`: their target states and branches.
    pub fn outcomes(&self, m: usize) -> (&[u32], &[Branch]) {
        let start = if m == 0 { 0 } else { self.moves[m - 1].end } as usize;
        let end = self.moves[m].end as usize;
        (&self.targets[start..end], &self.branches[start..end])
    }

    /// The number of states.
    pub fn len(&self) -> usize {
        self.marked.len()
    }

    /// Whether the graph has no state.
    pub fn is_empty(&self) -> bool {
        self.marked.is_empty()
    }

    /// A shortest path of actions from the initial state to state `i`.
    pub fn path_to(&self, i: u32) -> Vec<Action> {
        let mut actions = Vec::new();
        let mut idx = i;
        while idx != 0 {
            let (parent, action) = self.parents[idx as usize];
            actions.push(action);
            idx = parent;
        }
        actions.reverse();
        actions
    }
}

/// What to keep of the state graph.
#[derive(Clone, Copy)]
pub struct GraphOptions {
    /// Which calls' edges to keep.
    pub keep: fn(&Call) -> bool,
    /// A predicate recorded for every state.
    pub mark: fn(&State) -> bool,
    /// A second predicate recorded for every state (what a caller wants to tell apart).
    pub tag: fn(&State) -> bool,
}

/// The graph while the search builds it: the merge adds each expanded state's moves and
/// each new state, in the order it numbers them.
pub(super) struct Kept {
    pub(super) graph: Graph,
    mark: fn(&State) -> bool,
    tag: fn(&State) -> bool,
    /// The parent of every state, as actions (the graph's users read them for every state);
    /// moved into [`Graph::parents`] at the end.
    parents: Vec<(u32, Action)>,
}

impl Kept {
    /// The graph of a search that has met only its start state.
    pub(super) fn new(options: GraphOptions, start: &State) -> Kept {
        let mut kept = Kept {
            graph: Graph::default(),
            mark: options.mark,
            tag: options.tag,
            parents: Vec::new(),
        };
        // State 0 has no parent: a placeholder, never read.
        kept.parents.push((
            0,
            Action::from(Call {
                caller: idc_model::Acct::MANAGEMENT,
                op: idc_model::Op::EnableIdentityCenter,
            }),
        ));
        kept.graph.marked.push((kept.mark)(start));
        kept.graph.tagged.push((kept.tag)(start));
        kept
    }

    /// Starts the moves of the next state expanded (states are expanded in number order).
    pub(super) fn begin_moves(&mut self) {
        self.graph.offsets.push(self.graph.moves.len() as u64);
    }

    /// Records the next new state: its parent and the action from it, and its mark.
    pub(super) fn add_state(&mut self, parent: u32, action: Action, state: &State) {
        self.parents.push((parent, action));
        self.graph.marked.push((self.mark)(state));
        self.graph.tagged.push((self.tag)(state));
    }

    /// Records a kept edge of the state being expanded: the next outcome of its moves.
    pub(super) fn add_outcome(&mut self, target: u32, branch: Branch) {
        self.graph.targets.push(target);
        self.graph.branches.push(branch);
    }

    /// Records a move of the state being expanded, whose `outcomes` are the last ones
    /// added and not yet in a move.
    pub(super) fn add_move(&mut self, call: Call, certain: bool, outcomes: u32) {
        let g = &mut self.graph;
        let end = g.moves.last().map_or(0, |last| last.end) + u64::from(outcomes);
        g.moves.push(Move { call, certain, end });
    }

    /// The graph of a search that met `states` states: those left unexpanded (a depth
    /// bound, or a stop) have no moves.
    pub(super) fn finish(mut self, states: usize) -> Graph {
        while self.graph.offsets.len() <= states {
            self.graph.offsets.push(self.graph.moves.len() as u64);
        }
        self.graph.parents = self.parents;
        self.graph
    }
}
