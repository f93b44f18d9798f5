//! The search and simulation engine: exhaustive breadth-first exploration with shortest
//! traces ([`explore`]), runs of actions ([`run`]), traces as the engine sees them
//! ([`trace`]) and their replay ([`replay`]), shrinking ([`shrink`]), seeded random walks
//! ([`simulate`], [`rng`]), and the analyses built on the exploration: [`check`], the
//! what-if [`matrix`], and [`recover`]; [`everything`] is the model as stateright's own
//! checkers see it, to compare with them.
//!
//! **Architecture invariant:** the engine depends on the model only: it knows nothing of
//! files, JSON or terminals (`crate::format`, `crate::render` and the `idc` binary build on
//! it, never the other way).

pub mod check;
pub mod everything;
pub mod explore;
pub mod import;
pub mod matrix;
pub mod properties;
pub mod recover;
pub mod replay;
pub mod rng;
pub mod run;
mod seen;
pub mod shrink;
pub mod simulate;
pub mod slice;
pub mod trace;
pub mod verdict;
