//! `idc`: check, simulate and replay the IAM Identity Center delegated-administration model.

use std::io::Write;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::Parser;

use idc_sim::cli::{CheckArgs, Cli, Command};
use idc_sim::{check, exit, render, rules_cmd};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_error(e),
    };
    let code = match cli.command {
        Command::Check(args) => run_check(&args),
        Command::Rules { json } => {
            if json {
                print_json(&rules_cmd::json())
            } else {
                print_out(&rules_cmd::text())
            }
        }
    };
    ExitCode::from(code)
}

/// Clap's errors as one line on stderr; help and version as clap prints them.
fn clap_error(e: clap::Error) -> ExitCode {
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            ExitCode::from(exit::OK)
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = e.print();
            ExitCode::from(exit::USAGE)
        }
        _ => {
            let text = e.to_string();
            let first = text
                .lines()
                .next()
                .unwrap_or("invalid arguments")
                .trim_start_matches("error: ");
            eprintln!("idc: {first} (see 'idc --help')");
            ExitCode::from(exit::USAGE)
        }
    }
}

fn fail(what: impl std::fmt::Display, code: u8) -> u8 {
    eprintln!("idc: {what}");
    code
}

fn print_out(text: &str) -> u8 {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => exit::OK,
        // A closed pipe (`idc check | head`) is not an error worth a message.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => exit::OK,
        Err(e) => fail(format!("cannot write to stdout: {e}"), exit::FAILURE),
    }
}

fn print_json(value: &impl serde::Serialize) -> u8 {
    match serde_json::to_string_pretty(value) {
        Ok(text) => print_out(&(text + "\n")),
        Err(e) => fail(format!("cannot encode JSON: {e}"), exit::FAILURE),
    }
}

fn run_check(args: &CheckArgs) -> u8 {
    let model = match check::model_of(args.model.config()) {
        Ok(m) => m,
        Err(e) => return fail(e, exit::USAGE),
    };
    let mut printer = if args.json {
        None
    } else {
        check::terminal_progress()
    };
    let progress = printer.as_mut().map(|p| p as &mut dyn FnMut(_));
    let (_, mut report) = check::check(&model, args.max_depth, progress);
    if printer.is_some() {
        eprint!("\r\x1b[2K");
    }
    let ok = check::apply_expectations(&mut report, &args.expect);
    let code = if args.json {
        print_json(&report)
    } else {
        print_out(&render::check(&report, args.brief))
    };
    match code {
        exit::OK if ok => exit::OK,
        exit::OK => exit::FINDING,
        other => other,
    }
}
