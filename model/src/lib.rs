//! A formal, executable model of AWS IAM Identity Center *delegated administration*.
//!
//! The domain (accounts, the delegated-administrator registry, the identity source,
//! identities and access) is a pure state machine: [`step()`] takes a state and a [`Call`]
//! and yields the next state or the API's own refusal. The rules live in [`step`](mod@step)'s
//! modules, one per part of AWS (Organizations, the registry, IAM Identity Center, the
//! identity source, the identity store). [`IdcModel`] wraps them as a stateright
//! [`stateright::Model`] with named [`properties`]. Every guard names its rule of
//! `docs/rules.md` ([`Rule`]); every undocumented point is a named
//! [`assumptions`] entry, and under `either` the model takes every reading ([`branch`]).
//! This crate does no I/O.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod access;
pub mod account;
pub mod assumptions;
pub mod baseline;
pub mod branch;
pub mod call;
pub mod calls;
pub mod config;
pub mod diff;
pub mod echo;
pub mod error;
pub mod independence;
pub mod model;
pub mod names;
pub mod op_kind;
mod operations;
pub mod packed;
pub mod param;
pub mod parse;
pub mod practice;
pub mod properties;
pub mod query;
pub mod rules;
pub mod slice;
pub mod state;
pub mod step;
pub mod symmetry;
pub mod threat;

pub use account::{Acct, Group, PermissionSet, Principal, User};
pub use assumptions::Assumptions;
pub use branch::{Branch, Decision};
pub use call::{Call, IdentitySource, InstanceRef, Op, Service};
pub use config::{Config, ConfigError};
pub use error::{ApiError, Exception, Reason, Refusal};
pub use model::{Action, IdcModel};
pub use names::AccountNames;
pub use op_kind::OpKind;
pub use practice::{Practice, PracticeSet};
pub use properties::{Kind, PropertyInfo, PROPERTIES};
pub use query::{Expression, Last, Query, QueryError, Shown};
pub use rules::{Rule, RuleSet};
pub use state::State;
pub use step::{outcomes, step};
pub use threat::Threat;

/// The version of the model's semantics: raised whenever a rule, an assumption or a
/// property changes what a trace means. Trace files record it; `idc --version` shows it.
/// Version 2 is the model after the independent audit (SRC-6..SRC-8, IDC-1a, IDC-8..IDC-10,
/// ORG-6, `either`); version 3 the model after the second audit (identity control as a set,
/// user status, the environment's steps, only AWS's own calls and errors, Q6..Q9).
pub const MODEL_VERSION: u32 = 3;
