//! The engine's tests: the explorer against stateright's checker and a naive search,
//! symmetry reduction and threads, the "what if" analyses, and a fuzzer of the trace
//! reader. They call `idc_sim` as a library; the tests of the `idc` binary are the
//! end-to-end tests of the top-level `tests/`.
//!
//! One test binary (each costs a link), one module per file; run one file's tests with
//! `cargo test -p idc-sim --test engine -- symmetry::`.

mod coverage;
mod explore;
mod fuzz_traces;
mod import;
mod slice;
mod symmetry;
mod whatif;
