//! `idc`: check, simulate and replay the IAM Identity Center delegated-administration model.

use std::io::Write;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::Parser;

use idc_sim::cli::{CheckArgs, Cli, Command, ExportArgs, RecoverArgs, ReplayArgs, SimulateArgs};
use idc_sim::{
    check, exit, export, matrix, recover, render, render_whatif, replay, rules_cmd, simulate, trace,
};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_error(e),
    };
    let code = match cli.command {
        Command::Check(args) if args.matrix => run_matrix(&args),
        Command::Check(args) => run_check(&args),
        Command::Replay(args) => run_replay(&args),
        Command::Simulate(args) => run_simulate(&args),
        Command::Export(args) => run_export(&args),
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

/// Runs an exploration with a progress line on stderr (when it is a terminal and the
/// output is not JSON), erased when the exploration ends.
fn with_progress<T>(
    json: bool,
    explore: impl FnOnce(Option<&mut dyn FnMut(idc_sim::explore::Progress)>) -> T,
) -> T {
    let mut printer = if json {
        None
    } else {
        check::terminal_progress()
    };
    let result = explore(printer.as_mut().map(|p| p as &mut dyn FnMut(_)));
    if printer.is_some() {
        eprint!("\r\x1b[2K");
    }
    result
}

fn run_check(args: &CheckArgs) -> u8 {
    let model = match check::model_of(args.model.config()) {
        Ok(m) => m,
        Err(e) => return fail(e, exit::USAGE),
    };
    let (exploration, mut report) = with_progress(args.json, |progress| {
        check::check_with(&model, args.search.search(), args.max_depth, progress)
    });
    if let Some(dir) = &args.out {
        let found: Vec<_> = idc_model::PROPERTIES
            .iter()
            .zip(&exploration.discoveries)
            .filter_map(|(p, d)| d.clone().map(|actions| (p.name, actions)))
            .collect();
        if let Err(e) = write_traces(dir, &model, &found) {
            return e;
        }
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

/// Writes trace files, telling stderr where; the exit code on failure.
fn write_traces(
    dir: &std::path::Path,
    model: &idc_model::IdcModel,
    found: &[(&'static str, Vec<idc_model::Action>)],
) -> Result<(), u8> {
    match trace::write_discoveries(dir, model, found) {
        Ok(paths) => {
            eprintln!(
                "idc: wrote {} trace file{} to {}",
                paths.len(),
                if paths.len() == 1 { "" } else { "s" },
                dir.display()
            );
            Ok(())
        }
        Err(e) => Err(fail(e, exit::FAILURE)),
    }
}

fn run_replay(args: &ReplayArgs) -> u8 {
    // Every file is read and validated before anything is replayed: bad input never
    // yields a partial result.
    let mut traces = Vec::with_capacity(args.files.len());
    let mut bad = false;
    for f in &args.files {
        match trace::read(f) {
            Ok(t) => traces.push((f.display().to_string(), t)),
            Err(e) => {
                eprintln!("idc: {e}");
                bad = true;
            }
        }
    }
    if bad {
        return exit::USAGE;
    }
    let mut reports = Vec::with_capacity(traces.len());
    for (file, t) in &traces {
        match replay::replay(file, t) {
            Ok(r) => reports.push(r),
            Err(e) => return fail(format!("{file}: config: {e}"), exit::USAGE),
        }
    }
    let all = reports.iter().all(replay::ReplayReport::reproduced);
    for r in &reports {
        if let Some(d) = &r.divergence {
            eprintln!("idc: {}: diverged at step {}: {}", r.file, d.step, d.reason);
        }
    }
    let code = if args.json {
        print_json(&serde_json::json!({
            "result": if all { "reproduced" } else { "diverged" },
            "traces": reports,
        }))
    } else {
        let text: Vec<String> = reports.iter().map(replay::render).collect();
        print_out(&text.join("\n"))
    };
    match code {
        exit::OK if all => exit::OK,
        exit::OK => exit::FINDING,
        other => other,
    }
}

fn run_simulate(args: &SimulateArgs) -> u8 {
    let model = match check::model_of(args.model.config()) {
        Ok(m) => m,
        Err(e) => return fail(e, exit::USAGE),
    };
    let sim = simulate::simulate(
        &model,
        simulate::Options {
            seed: args.seed,
            runs: args.runs,
            depth: args.depth,
        },
    );
    if let Some(dir) = &args.out {
        if let Err(code) = write_traces(dir, &model, &simulate::discoveries(&sim)) {
            return code;
        }
    }
    let report = simulate::report(&model, &sim);
    let code = if args.json {
        print_json(&report)
    } else {
        print_out(&simulate::render(&report))
    };
    match code {
        exit::OK if report.result == "ok" => exit::OK,
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
    let report = match matrix::matrix(args.model.config(), args.search.search(), progress) {
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
    let report = with_progress(args.json, |progress| {
        recover::recover(&model, args.search.search(), args.keep_instance, progress)
    });
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

fn run_export(args: &ExportArgs) -> u8 {
    let t = match trace::read(&args.file) {
        Ok(t) => t,
        Err(e) => return fail(e, exit::USAGE),
    };
    let source = args.file.display().to_string();
    match export::export(args.format, &source, &t) {
        Ok(text) => print_out(&text),
        Err(e) => fail(format!("{source}: config: {e}"), exit::USAGE),
    }
}
