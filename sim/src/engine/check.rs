//! `idc check`'s search: every reachable state explored, every property judged, the
//! shortest traces kept ([`crate::engine::explore`]), with the options that change how,
//! never what: symmetry and threads.

use idc_model::{Config, IdcModel};

use crate::engine::explore::{explore, Exploration, Options, Progress, Stop};
use crate::engine::properties::{Property, PropertySet};
use crate::engine::slice::SliceFigures;

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

/// How `idc check` divides its properties between two searches: those that don't read
/// identities, judged on the organization slice ([`idc_model::slice`], states identified up
/// to their identity part), and the others, judged by the whole search, which stops once it
/// has found all of them (every one violated or reached: nothing it judges is left to
/// decide). Both keep every verdict and every shortest length (docs/performance.md, "The
/// organization slice").
pub struct Split {
    /// The properties judged on the slice.
    pub slice: PropertySet,
    /// Their indices in the whole set.
    pub slice_indices: Vec<usize>,
    /// The properties judged by the whole search.
    pub whole: PropertySet,
    /// Their indices in the whole set.
    pub whole_indices: Vec<usize>,
}

impl Split {
    /// The split of `properties` under `cfg`; `None` where the slice doesn't apply
    /// ([`idc_model::slice::applies`]) or no property is for it.
    pub fn of(cfg: &Config, properties: &PropertySet) -> Option<Split> {
        if !idc_model::slice::applies(cfg) {
            return None;
        }
        let (slice, slice_indices) = properties.subset(Property::judged_on_slice);
        let (whole, whole_indices) = properties.subset(|p| !p.judged_on_slice());
        (!slice.is_empty()).then_some(Split {
            slice,
            slice_indices,
            whole,
            whole_indices,
        })
    }

    /// Runs both searches, each with `search(properties, until_found, slice)`: first the
    /// slice (small: its verdicts are decided even when a limit then stops the other),
    /// then the whole search, until it has found every property it judges. One
    /// exploration of the whole set.
    pub fn run(
        &self,
        mut search: impl FnMut(&PropertySet, bool, bool) -> Exploration,
    ) -> Exploration {
        let mut slice = search(&self.slice, false, true);
        let mut whole = search(&self.whole, true, false);
        let mut discoveries = vec![None; self.slice_indices.len() + self.whole_indices.len()];
        for (&i, d) in self.whole_indices.iter().zip(whole.discoveries.drain(..)) {
            discoveries[i] = d;
        }
        for (&i, d) in self.slice_indices.iter().zip(slice.discoveries.drain(..)) {
            discoveries[i] = d;
        }
        let found = whole.stop == Some(Stop::Found);
        let figures = SliceFigures {
            properties: self.slice_indices.clone(),
            generated: slice.generated,
            unique: slice.unique,
            max_depth: slice.max_depth,
            seconds: slice.seconds,
            complete: slice.complete,
            whole_decided: whole.complete || found,
            whole_stopped_when_found: found,
            whole_max_depth: whole.max_depth,
            whole_seconds: whole.seconds,
        };
        // The first limit that stopped a search (the slice's, if both were stopped).
        let stop = [slice.stop, whole.stop]
            .into_iter()
            .flatten()
            .find(|s| *s != Stop::Found);
        Exploration {
            discoveries,
            seconds: whole.seconds + slice.seconds,
            max_depth: whole.max_depth.max(slice.max_depth),
            complete: (whole.complete || found) && slice.complete,
            stop,
            slice: Some(figures),
            ..whole
        }
    }
}
