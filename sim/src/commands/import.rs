//! `idc import DIR`: the JSON files of AWS's read-only calls (docs/import.md) to a design
//! file (docs/designs.md), on stdout or `--out FILE`. The design is parsed back before it
//! is written: `idc import` never writes a file that `--design` refuses to read.

use idc_model::echo::{echo, echo_path};
use idc_sim::engine::import::{design, Source};
use idc_sim::format::{aws, design as design_file};

use crate::cli::ImportArgs;
use crate::exit::{Failure, Outcome, Status};
use crate::output;

/// Runs `idc import`.
pub fn run(args: &ImportArgs) -> Outcome {
    let source = source_of(&args.identity_source)?;
    let dir = echo_path(&args.dir.display().to_string());
    let org = aws::read_dir(&args.dir).map_err(|e| Failure::usage(format!("{dir}/{e}")))?;
    let text = design(&org, &source).map_err(|e| Failure::usage(format!("{dir}: {e}")))?;
    design_file::parse(&text).map_err(|e| {
        Failure::usage(format!(
            "{dir}: the imported design does not parse (a bug): {e}"
        ))
    })?;
    output::note(format!(
        "the identity source is not returned by any read-only call: the design says {} (--identity-source)",
        echo(&args.identity_source)
    ))?;
    match &args.out {
        Some(path) => {
            let shown = echo_path(&path.display().to_string());
            std::fs::write(path, &text).map_err(|e| Failure::write(format!("{shown}: {e}")))?;
            output::note(format!("wrote {shown}"))?;
        }
        None => output::out(&text)?,
    }
    Ok(Status::Ok)
}

/// `--identity-source`'s value.
fn source_of(text: &str) -> Result<Source, Failure> {
    match text {
        "identity-center-directory" => Ok(Source::IdentityCenterDirectory),
        "external-idp" => Ok(Source::ExternalIdp),
        _ => match text.strip_prefix("active-directory:") {
            Some(account) if !account.is_empty() => Ok(Source::ActiveDirectory(account.into())),
            _ => Err(Failure::usage(format!(
                "--identity-source: '{}' is not identity-center-directory, active-directory:ACCOUNT or external-idp",
                echo(text)
            ))),
        },
    }
}
