//! `idc`: check, simulate and replay the IAM Identity Center delegated-administration model.
//!
//! The binary is the command line (`cli.rs`), one module per command (`commands/`), the
//! exit codes and failures (`exit.rs`) and the output streams (`output.rs`); the work is the
//! library's (`idc_sim`). **Architecture invariant:** only `output.rs` writes to stdout or
//! stderr. A command returns how it ended or why it failed ([`exit::Outcome`]); a failure's
//! one line is said here, once.

#![forbid(unsafe_code)]
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod cli;
mod commands;
mod exit;
mod output;

use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::Parser;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return ExitCode::from(clap_error(&e)),
    };
    commands::catch_interrupt();
    let outcome = match &cli.command {
        Command::Check(args) if args.matrix => commands::matrix::run(args),
        Command::Check(args) => commands::check::run(args),
        Command::Find(args) => commands::find::run(args),
        Command::Replay(args) => commands::replay::run(args),
        Command::State(args) => commands::state::run(args),
        Command::Explore(args) => commands::explore::run(args),
        Command::Simulate(args) => commands::simulate::run(args),
        Command::Export(args) => commands::export::run(args),
        Command::Recover(args) => commands::recover::run(args),
        Command::Compare(args) => commands::compare::run(args),
        Command::Import(args) => commands::import::run(args),
        Command::Rules { json } => commands::rules::run(*json),
        Command::Completions { shell } => commands::rules::completions(*shell),
        Command::Man { command } => commands::rules::man(command.as_deref()),
    };
    ExitCode::from(match outcome {
        Ok(status) => status.code(),
        Err(failure) => output::failure(&failure),
    })
}

/// Clap's own message, whole (its tip, the allowed values, "did you mean", the usage line
/// once): help and version on stdout (exit 0), errors on stderr (exit 2). A stream that
/// can't be written: exit 3 for help and version; an error keeps its 2.
fn clap_error(e: &clap::Error) -> u8 {
    let text = e.render().to_string();
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => match output::out(&text) {
            Ok(()) => exit::OK,
            Err(failure) => output::failure(&failure),
        },
        _ => {
            output::clap_error(&text);
            exit::USAGE
        }
    }
}
