//! Checking drivers for the IAM Identity Center delegated-administration model, and the
//! pieces of the `idc` command-line tool.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod check;
pub mod cli;
pub mod exit;
pub mod explore;
pub mod export;
pub mod matrix;
pub mod recover;
pub mod render;
pub mod render_whatif;
pub mod replay;
pub mod report;
pub mod rng;
pub mod rules_cmd;
pub mod run;
pub mod shrink;
pub mod simulate;
pub mod trace;
