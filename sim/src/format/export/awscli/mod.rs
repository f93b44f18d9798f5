//! `idc export --format aws-cli`: a trace as a bash script that makes its calls against a
//! sandbox organization with the AWS CLI and writes each call's observed outcome to a file
//! that `idc replay --observed` judges against the model (docs/import.md, "Replaying a
//! trace against a sandbox").
//!
//! The script's top maps the model's accounts to account ids and callers to CLI profiles;
//! identifiers AWS makes (instance ARNs, permission set ARNs, user and group ids) are
//! resolved while it runs, from earlier outputs or by lookups. A step with no public API
//! is printed as an instruction and paused for.

pub mod commands;

use std::io::Write;

use idc_model::{Acct, Refusal};

use super::Replay;
use crate::engine::trace::Trace;
use commands::{command, var, Cli, Command};

/// The helpers every script shares (bash).
const PRELUDE: &str = include_str!("prelude.sh");

/// The outcome of a step as the outcomes file spells it: `ok`, the API error's code, or
/// `not-made` (the management account follows a practice and does not make the call).
pub fn outcome_word(outcome: &Result<(), Refusal>) -> &'static str {
    match outcome {
        Ok(()) => "ok",
        Err(Refusal::Api { error, .. }) => error.exception.name(),
        Err(Refusal::Practice(_)) => "not-made",
    }
}

/// The step's name in the outcomes file: `from-N` for the trace's `from` calls, then `1`,
/// `2`, ... for its own steps (as `idc replay` numbers them, without spaces).
pub fn step_word(replay: &Replay, index: usize) -> String {
    replay.label(index).replace(' ', "-")
}

/// Quotes a text as one single-quoted shell word.
fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// Writes the script of a replayed trace.
pub fn awscli(
    source: &str,
    trace: &Trace,
    replay: &Replay,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let cfg = replay.model.config();
    let accounts: Vec<Acct> = (0..cfg.accounts()).map(Acct).collect();
    header(source, trace, &accounts, out)?;
    out.write_all(PRELUDE.as_bytes())?;
    for (i, step) in replay.steps.iter().enumerate() {
        let label = step_word(replay, i);
        if i == 0 && replay.from > 0 {
            writeln!(
                out,
                "\n# The trace's `from` calls: they build the state it starts from."
            )?;
        }
        if i == replay.from && replay.from > 0 {
            writeln!(out, "\n# The trace's own steps.")?;
        }
        let call = step.action.call;
        let branch = step.action.branch;
        let reading = if branch.is_none() {
            String::new()
        } else {
            format!(" (reading {branch})")
        };
        writeln!(
            out,
            "\n# step {label}: {call}; the model: {}{reading}",
            outcome_word(&step.outcome)
        )?;
        let text = quoted(&call.to_string());
        if matches!(step.outcome, Err(Refusal::Practice(_))) {
            writeln!(out, "not_made {label} {text}")?;
            continue;
        }
        match command(&call) {
            Command::Manual(what) => writeln!(out, "manual {label} {text} {}", quoted(&what))?,
            Command::Cli(cli) => write_cli(&label, &text, call.caller, &cli, out)?,
        }
    }
    writeln!(
        out,
        "\necho \"idc: outcomes in $IDC_OBSERVED: judge them with idc replay --observed $IDC_OBSERVED {}\" >&2",
        quoted(source)
    )?;
    Ok(())
}

/// The script's top: what it is, the warning, and the settings (account ids, profiles).
fn header(
    source: &str,
    trace: &Trace,
    accounts: &[Acct],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out, "#!/usr/bin/env bash")?;
    writeln!(
        out,
        "# The trace {} as AWS CLI calls (idc export --format aws-cli).",
        source.replace('\n', " ")
    )?;
    if let Some(claim) = &trace.claim {
        let what = match claim.property.kind {
            idc_model::Kind::Always => "violated",
            idc_model::Kind::Sometimes => "holds (an example)",
        };
        writeln!(
            out,
            "# Its claim: {} {what} after step {}.",
            claim.name(),
            claim.step
        )?;
    }
    writeln!(
        out,
        "#
# WARNING: this script CHANGES THE ORGANIZATION IT RUNS IN: it enables services, registers
# administrators, creates and deletes users, permission sets and assignments, and may remove
# or close accounts. Run it only in a sandbox organization made for it.
#
# Each call's outcome (ok, or the AWS error code) goes to $IDC_OBSERVED; judge it with
#   idc replay --observed observed.txt TRACE
# Steps with no public API are printed and paused for (IDC_NO_PAUSE=1: recorded `skipped`).
set -u
"
    )?;
    let names: Vec<String> = accounts.iter().map(|a| var(*a)).collect();
    writeln!(
        out,
        "# The model's accounts: the 12-digit id of each (set them here or in the environment)."
    )?;
    for (a, n) in accounts.iter().zip(&names) {
        writeln!(out, "ACCOUNT_{n}=\"${{ACCOUNT_{n}:-}}\"  # {a}")?;
    }
    writeln!(
        out,
        "# The AWS CLI profile each account's calls use (empty: the default credentials)."
    )?;
    for n in &names {
        writeln!(out, "PROFILE_{n}=\"${{PROFILE_{n}:-}}\"")?;
    }
    writeln!(out, "# Directories (CreateMicrosoftAD; AWS Managed Microsoft AD is billed): a VPC and two subnets per account.")?;
    for n in &names {
        writeln!(
            out,
            "VPC_{n}=\"${{VPC_{n}:-vpc-00000000}}\"; SUBNETS_{n}=\"${{SUBNETS_{n}:-subnet-00000000,subnet-00000001}}\""
        )?;
    }
    writeln!(
        out,
        "IDC_AD_PASSWORD=\"${{IDC_AD_PASSWORD:-Idc-$RANDOM$RANDOM-Sandbox}}\"
IDC_OBSERVED=\"${{IDC_OBSERVED:-observed.txt}}\"
IDC_NO_PAUSE=\"${{IDC_NO_PAUSE:-0}}\"
IDC_ACCOUNTS=\"{}\"",
        names.join(" ")
    )?;
    writeln!(
        out,
        "# Identifiers AWS makes, kept as the script learns them."
    )?;
    for n in &names {
        writeln!(
            out,
            "HANDSHAKE_{n}=h-0000000000; DIRECTORY_{n}=d-0000000000"
        )?;
    }
    for i in 1..=4 {
        writeln!(
            out,
            "USER_{i}=00000000-0000-0000-0000-00000000000{i}; GROUP_{i}=00000000-0000-0000-0000-00000000001{i}; PERMISSION_SET_{i}=arn:aws:sso:::permissionSet/ssoins-0000000000000000/ps-000000000000000{i}"
        )?;
    }
    Ok(())
}

/// One CLI step: its lookups, the call, and what it keeps.
fn write_cli(
    label: &str,
    text: &str,
    caller: Acct,
    cli: &Cli,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for line in &cli.before {
        writeln!(out, "{line}")?;
    }
    write!(
        out,
        "step {label} {text} {} {} {}",
        var(caller),
        cli.service,
        cli.command
    )?;
    for (name, value) in &cli.args {
        write!(out, " \\\n    {name} {value}")?;
    }
    if let Some((query, var)) = &cli.capture {
        writeln!(out, " \\\n    --query {query} --output text")?;
        writeln!(out, "if [ \"$OUTCOME\" = ok ]; then {var}=$OUT; fi")?;
    } else {
        writeln!(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
