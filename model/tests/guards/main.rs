//! Every guard of `model/src/step/`, case by case: what each rule allows (the call
//! succeeds, with its effect on the state), what it refuses (the exact API error and the rule
//! that refused, or the practice), and that relaxing a relaxable rule lets the refused call
//! through. States are built by running calls from `State::initial` through `step`.
//!
//! The shared configuration takes every assumption at a concrete reading
//! ([`Assumptions::concrete`]: the first model's defaults), so that every call has exactly
//! one outcome; the tests of `either` (the default) enumerate the outcomes with `outcomes`.
//!
//! Each test names its rule id first (`da7_…`, `q3_…`, `src4_…`) and carries it in a comment.
//!
//! One test binary, one module per AWS area like `model/src/step/`; shared helpers in
//! `common`.

mod common;

mod aws_errors;
mod catalogue;
mod delegation;
mod either;
mod environment;
mod ghosts;
mod identity_center;
mod identity_source;
mod identity_store;
mod organizations;
mod user_status;
