//! The figures of `idc check`'s organization slice, kept in the exploration merged from its
//! two searches ([`crate::engine::check::Split`]; docs/performance.md, "The organization
//! slice").

/// The figures of the organization slice's search, in an exploration merged by
/// `idc check`'s split ([`crate::engine::check::Split`]).
#[derive(Clone, Debug)]
pub struct SliceFigures {
    /// The indices of the properties it judged.
    pub properties: Vec<usize>,
    /// Successor states generated.
    pub generated: u64,
    /// Distinct organization parts reached (with symmetry: up to renaming members).
    pub unique: u64,
    /// The greatest depth of any of them.
    pub max_depth: u32,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Whether it explored every reachable organization part.
    pub complete: bool,
    /// Whether the whole search decided every property it judges: it explored every state,
    /// or found them all.
    pub whole_decided: bool,
    /// Whether the whole search stopped once it had found every property it judges,
    /// before exploring every state.
    pub whole_stopped_when_found: bool,
    /// The greatest depth the whole search reached (the merged exploration's `max_depth`
    /// is the greater of both searches').
    pub whole_max_depth: u32,
    /// The whole search's wall-clock seconds (the merged exploration's are both searches').
    pub whole_seconds: f64,
}
