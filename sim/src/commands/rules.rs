//! `idc rules`, `idc completions` and `idc man`: listings on stdout.

use clap::CommandFactory;

use idc_sim::format::report::rules::json;
use idc_sim::render::rules::text;

use crate::cli::Cli;
use crate::exit;
use crate::output;

/// `idc rules [--json]`.
pub fn run(as_json: bool) -> u8 {
    let written = if as_json {
        output::json(&json())
    } else {
        output::out(&text())
    };
    super::finish(written, exit::OK)
}

/// `idc completions SHELL`.
pub fn completions(shell: clap_complete::Shell) -> u8 {
    let mut cmd = Cli::command();
    let written = output::out_with(|w| {
        clap_complete::generate(shell, &mut cmd, "idc", w);
        Ok(())
    });
    super::finish(written, exit::OK)
}

/// `idc man`: the manual page, generated from the command line's own definition.
pub fn man() -> u8 {
    let written = output::out_with(|w| clap_mangen::Man::new(Cli::command()).render(w));
    super::finish(written, exit::OK)
}
