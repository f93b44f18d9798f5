//! `idc export`: a trace file (or standard input) as ITF, Mermaid, DOT or SVG on stdout,
//! written as it is produced.

use idc_model::echo::echo;
use idc_sim::format::export::{export, ExportError};
use idc_sim::format::trace;

use crate::cli::ExportArgs;
use crate::exit::{Failure, Outcome, Status};
use crate::output;

/// Runs `idc export`.
pub fn run(args: &ExportArgs) -> Outcome {
    let t = trace::read(&args.file).map_err(Failure::usage)?;
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
    // A configuration error comes before anything is written, so `written` is fine then.
    if let Some(e) = config_error {
        return Err(Failure::usage(format!("{}: config: {e}", echo(&source))));
    }
    written?;
    Ok(Status::Ok)
}
