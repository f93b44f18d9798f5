//! Trace files (`docs/trace-format.md`): versioned JSON, written for people too: accounts,
//! calls and parameters by their readable names. [`read`] turns a file (or standard input)
//! into the engine's [`Trace`](crate::engine::trace::Trace), [`write()`] the other way.
//! Every error names its place: a JSON line and column, `config`, `claim`, or a step.

pub(crate) mod read;
mod shape;
mod write;

pub use read::{
    expect_from_value, parse, read, read_from, ClaimError, ConfigFileError, FileError, StepError,
    TraceError, MAX_BYTES,
};
pub use write::{expect_to_value, to_json, write, write_discoveries};

#[cfg(test)]
mod tests;

/// The value of the `format` field.
pub const FORMAT: &str = "idc-trace";

/// The format version this build reads and writes. Version 2 (model v2): the organization
/// instance is enabled by `EnableIdentityCenter` (`CreateInstance` makes account
/// instances), and steps may name their branch.
pub const VERSION: u64 = 2;
