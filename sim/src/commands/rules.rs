//! `idc rules`, `idc completions` and `idc man`: listings on stdout.

use clap::CommandFactory;

use idc_sim::format::report::rules::json;
use idc_sim::render::rules::text;

use crate::cli::Cli;
use crate::exit::{Outcome, Status};
use crate::output;

/// `idc rules [--json]`.
pub fn run(as_json: bool) -> Outcome {
    if as_json {
        output::json(&json())?;
    } else {
        output::out(&text())?;
    }
    Ok(Status::Ok)
}

/// `idc completions SHELL`.
pub fn completions(shell: clap_complete::Shell) -> Outcome {
    let mut cmd = Cli::command();
    // clap_complete panics when its writer fails (a closed or full stdout): it writes to
    // memory, and the script goes out with stdout's policy for errors.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "idc", &mut script);
    output::out_with(|w| w.write_all(&script))?;
    Ok(Status::Ok)
}

/// `idc man [COMMAND]`: the manual page of idc, or of one of its commands
/// (`idc-COMMAND(1)`, which idc's page names), generated from the command line's own
/// definition. The pages leave out `help`, which has none.
pub fn man(command: Option<&str>) -> Outcome {
    let mut cli = Cli::command().disable_help_subcommand(true);
    // Building names each command `idc-COMMAND`, the name of its page.
    cli.build();
    let page = match command {
        None => cli,
        Some(name) => cli
            .find_subcommand(name)
            .cloned()
            .expect("clap accepts only the names of commands"),
    };
    let man = clap_mangen::Man::new(page).source(format!("idc {}", crate::cli::VERSION));
    output::out_with(|w| man.render(w))?;
    Ok(Status::Ok)
}
