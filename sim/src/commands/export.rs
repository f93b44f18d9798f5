//! `idc export`: a trace file (or standard input) as ITF, Mermaid or DOT on stdout,
//! written as it is produced.

use idc_model::echo::echo;
use idc_sim::format::export::{export, ExportError};
use idc_sim::format::trace;

use super::finish;
use crate::cli::ExportArgs;
use crate::exit;
use crate::output;

/// Runs `idc export`.
pub fn run(args: &ExportArgs) -> u8 {
    let t = match trace::read(&args.file) {
        Ok(t) => t,
        Err(e) => return output::fail(e, exit::USAGE),
    };
    let source = if args.file.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        args.file.display().to_string()
    };
    let mut config_error = None;
    let written = output::out_with(|w| match export(args.format, &source, &t, w) {
        Ok(()) => Ok(()),
        Err(ExportError::Write(e)) => Err(e),
        Err(ExportError::Config(e)) => {
            config_error = Some(e);
            Ok(())
        }
    });
    if let Some(e) = config_error {
        return output::fail(format!("{}: config: {e}", echo(&source)), exit::USAGE);
    }
    finish(written, exit::OK)
}
