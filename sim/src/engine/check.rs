//! `idc check`'s search: every reachable state explored, every property judged, the
//! shortest traces kept ([`crate::engine::explore`]), with the options that change how,
//! never what: symmetry and threads.

use idc_model::IdcModel;

use crate::engine::explore::{explore, Exploration, Options, Progress};

/// How an exploration searches: symmetry reduction and threads (neither changes a verdict
/// or a trace length).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Search {
    /// Identify states up to renaming member accounts and identities, where sound.
    pub symmetry: bool,
    /// Threads that expand states.
    pub threads: usize,
}

impl Default for Search {
    fn default() -> Search {
        Search {
            symmetry: false,
            threads: 1,
        }
    }
}

/// Explores the model with a [`Search`], to `max_depth` if given; `progress` is told about
/// long runs.
pub fn check(
    model: &IdcModel,
    search: Search,
    max_depth: Option<u32>,
    progress: Option<&mut dyn FnMut(Progress)>,
) -> Exploration {
    explore(
        model,
        Options {
            max_depth,
            progress,
            symmetry: search.symmetry,
            threads: search.threads,
            ..Options::default()
        },
    )
}

/// The number of threads to use when the user does not say: the machine's cores.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
