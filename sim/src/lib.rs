//! Checking drivers for the IAM Identity Center delegated-administration model and the
//! pieces of the `idc` command-line tool, laid out by role:
//!
//! * [`engine`]: the search and simulation engine (exploration, runs, replay, shrinking,
//!   simulation, the what-if analyses), on the model only;
//! * [`format`](mod@format): the file formats (trace files, the JSON reports, the exports);
//! * [`render`]: the reports for people;
//! * [`serve`]: `idc explore`'s web server and JSON API, on the engine and the formats.
//!
//! The `idc` binary (`src/main.rs`) adds the command line (`cli.rs`), one module per
//! command (`commands/`), the exit codes and the output streams. Imports point one way:
//! commands → serve → render → format → engine → `idc_model`.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod engine;
pub mod format;
pub mod render;
pub mod serve;
