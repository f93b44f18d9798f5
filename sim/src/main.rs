//! `idc`: check, simulate and replay the IAM Identity Center delegated-administration model.

use std::io::Write;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::Parser;

use idc_sim::cli::{CheckArgs, Cli, Command, RecoverArgs};
use idc_sim::{check, exit, matrix, recover, render, render_whatif, rules_cmd};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_error(e),
    };
    let code = match cli.command {
        Command::Check(args) if args.matrix => run_matrix(&args),
        Command::Check(args) => run_check(&args),
        Command::Recover(args) => run_recover(&args),
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
    let (_, mut report) = check::check_with(&model, args.search(), args.max_depth, progress);
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

fn run_matrix(args: &CheckArgs) -> u8 {
    use std::io::IsTerminal;
    let show = !args.json && std::io::stderr().is_terminal();
    let printer = |p: &matrix::MatrixProgress| {
        let running: Vec<String> = p
            .running
            .iter()
            .map(|(label, progress)| match progress {
                Some(q) => format!("{label}: {} states, depth {}", q.unique, q.depth),
                None => label.clone(),
            })
            .collect();
        eprint!(
            "\r\x1b[2K  matrix: {} of {} checks done, {:.0} s; {}",
            p.done,
            p.total,
            p.seconds,
            running.join(" | ")
        );
    };
    let progress: Option<&(dyn Fn(&matrix::MatrixProgress) + Sync)> =
        if show { Some(&printer) } else { None };
    let report = match matrix::matrix(args.model.config(), args.search(), progress) {
        Ok(r) => r,
        Err(e) => return fail(e, exit::USAGE),
    };
    if show {
        eprint!("\r\x1b[2K");
    }
    if args.json {
        print_json(&report)
    } else {
        print_out(&render_whatif::matrix(&report, args.brief))
    }
}

fn run_recover(args: &RecoverArgs) -> u8 {
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
    let report = recover::recover(&model, args.search(), args.keep_instance, progress);
    if printer.is_some() {
        eprint!("\r\x1b[2K");
    }
    let code = if args.json {
        print_json(&report)
    } else {
        print_out(&render_whatif::recover(&report, args.brief))
    };
    match code {
        exit::OK if report.stuck == 0 => exit::OK,
        exit::OK => exit::FINDING,
        other => other,
    }
}
