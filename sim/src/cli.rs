//! The command line of `idc` (clap).

use clap::{Args, Parser, Subcommand};

use idc_model::assumptions::AssumptionError;
use idc_model::{Config, Practice, Rule};

use crate::exit;
use crate::report::Verdict;

/// Formal model of AWS IAM Identity Center delegated administration: check it
/// exhaustively, and see the shortest sequence of API calls that breaks each property.
#[derive(Debug, Parser)]
#[command(name = "idc", version, after_help = exit::TOP_HELP)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Explore every reachable state and judge every property, with shortest traces.
    #[command(after_help = exit::HELP)]
    Check(CheckArgs),
    /// Re-execute trace files from their initial state: every step's outcome, what it
    /// changed and which properties fail after it; confirm expected outcomes and claims.
    #[command(after_help = exit::REPLAY_HELP)]
    Replay(ReplayArgs),
    /// Seeded random walks making every call (refused ones included), judging every
    /// property after every call; violations are shrunk to short traces.
    #[command(after_help = exit::SIMULATE_HELP)]
    Simulate(SimulateArgs),
    /// Export a trace file as ITF JSON (Apalache/Quint), a Mermaid sequence diagram, or a
    /// Graphviz DOT state graph, on stdout.
    #[command(after_help = exit::EXPORT_HELP)]
    Export(ExportArgs),
    /// From every reachable state: can the management account, acting alone, get back to a
    /// safe baseline? (docs/whatif.md defines it.)
    #[command(after_help = RECOVER_HELP)]
    Recover(RecoverArgs),
    /// List the rules (with sources), assumptions, practices and properties of the model.
    Rules {
        /// One JSON document on stdout.
        #[arg(long)]
        json: bool,
    },
}

/// The model's configuration, shared by the commands that build a model.
#[derive(Debug, Clone, Args)]
pub struct ModelArgs {
    /// Member accounts besides the management account.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=6))]
    pub members: u8,
    /// Users of the identity store.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub users: u8,
    /// Groups of the identity store.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub groups: u8,
    /// Permission sets.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub permission_sets: u8,
    /// Flip an assumption (repeatable), e.g. `close-delegate=keeps-registration`; `idc rules` lists them.
    #[arg(long, value_name = "KEY=VALUE", value_parser = parse_assumption)]
    pub assume: Vec<String>,
    /// The management account follows a best practice (repeatable), e.g. `users-only-in-management`.
    #[arg(long, value_name = "NAME", value_parser = parse_practice)]
    pub practice: Vec<Practice>,
    /// Switch a rule's guard off (repeatable), e.g. `DA-7`.
    #[arg(long, value_name = "RULE-ID", value_parser = parse_rule)]
    pub relax: Vec<Rule>,
}

impl ModelArgs {
    /// The configuration the arguments describe.
    pub fn config(&self) -> Config {
        let mut cfg = Config {
            members: self.members,
            users: self.users,
            groups: self.groups,
            permission_sets: self.permission_sets,
            ..Config::default()
        };
        for a in &self.assume {
            // INVARIANT: validated by `parse_assumption` at parse time.
            cfg.assumptions
                .set(a)
                .expect("assumption validated by the parser");
        }
        for p in &self.practice {
            cfg.practices.insert(*p);
        }
        for r in &self.relax {
            cfg.relaxed.insert(*r);
        }
        cfg
    }
}

/// `idc check`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// The model's configuration.
    #[command(flatten)]
    pub model: ModelArgs,
    /// One JSON document on stdout instead of the human report.
    #[arg(long)]
    pub json: bool,
    /// Expect a verdict (repeatable): NAME=holds|violated|example|no-example. Then exit 0
    /// only if every named property has its expected verdict and every other always-property holds.
    #[arg(long, value_name = "NAME=VERDICT", value_parser = parse_expectation)]
    pub expect: Vec<Expectation>,
    /// Stop at this depth (the result is then marked incomplete).
    #[arg(long, value_name = "D")]
    pub max_depth: Option<u32>,
    /// Print only the property table, not the traces.
    #[arg(long)]
    pub brief: bool,
    /// Write one trace file per discovery into DIR (`<property>.json`), for `idc replay`.
    #[arg(long, value_name = "DIR")]
    pub out: Option<std::path::PathBuf>,
    /// How the state space is searched.
    #[command(flatten)]
    pub search: SearchArgs,
    /// Check the configuration once per guard relaxed alone and once per best practice
    /// added alone, and report what each changes against the configuration itself.
    #[arg(long, conflicts_with_all = ["expect", "max_depth"])]
    pub matrix: bool,
}

/// `idc replay`.
#[derive(Debug, Clone, Args)]
pub struct ReplayArgs {
    /// Trace files (docs/trace-format.md).
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<std::path::PathBuf>,
    /// One JSON document on stdout instead of the human report.
    #[arg(long)]
    pub json: bool,
}

/// `idc simulate`.
#[derive(Debug, Clone, Args)]
pub struct SimulateArgs {
    /// The model's configuration.
    #[command(flatten)]
    pub model: ModelArgs,
    /// Seed of the random walks: the same seed and options give the same walks and report.
    #[arg(long, value_name = "S", default_value_t = 0)]
    pub seed: u64,
    /// Number of walks.
    #[arg(long, value_name = "R", default_value_t = 1000)]
    pub runs: u64,
    /// Moves per walk (calls accepted and walked along).
    #[arg(long, value_name = "D", default_value_t = 25)]
    pub depth: u32,
    /// Write each property's shortest shrunk trace into DIR (`<property>.json`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<std::path::PathBuf>,
    /// One JSON document on stdout instead of the human report.
    #[arg(long)]
    pub json: bool,
}

/// `idc export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The output format.
    #[arg(long, value_enum)]
    pub format: crate::export::Format,
    /// The trace file (docs/trace-format.md).
    #[arg(value_name = "FILE")]
    pub file: std::path::PathBuf,
}

/// Exit codes of `idc recover`.
pub const RECOVER_HELP: &str = "\
Exit codes:
  0  from every reachable state the management account can get back to a safe baseline
  1  finding: some reachable state is stuck
  2  usage or input error (bad flag or value)";

/// `idc recover`.
#[derive(Debug, Clone, Args)]
pub struct RecoverArgs {
    /// The model's configuration.
    #[command(flatten)]
    pub model: ModelArgs,
    /// Withhold DeleteInstance from the management account (it deletes every user, group,
    /// permission set and assignment): recovery without starting over.
    #[arg(long)]
    pub keep_instance: bool,
    /// One JSON document on stdout instead of the human report.
    #[arg(long)]
    pub json: bool,
    /// Leave out the traces.
    #[arg(long)]
    pub brief: bool,
    /// How the state space is searched.
    #[command(flatten)]
    pub search: SearchArgs,
}

/// How the state space is searched (`check`, `recover`); neither flag changes a verdict or
/// a trace.
#[derive(Debug, Clone, Args)]
pub struct SearchArgs {
    /// Identify states that differ only by renaming member accounts (same verdicts and
    /// trace lengths, fewer states).
    #[arg(long)]
    pub symmetry: bool,
    /// Threads that expand states (default: the machine's cores); results do not depend on
    /// it. With --matrix: rows checked at once.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,
}

impl SearchArgs {
    /// The search the arguments ask for.
    pub fn search(&self) -> crate::check::Search {
        crate::check::Search {
            symmetry: self.symmetry,
            threads: self
                .threads
                .map_or_else(crate::check::default_threads, usize::from),
        }
    }
}

/// An expected verdict for a property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expectation {
    /// The property's name.
    pub property: &'static str,
    /// The verdict expected.
    pub verdict: Verdict,
}

/// Why a flag's value was not understood.
#[derive(Debug, thiserror::Error)]
pub enum FlagError {
    /// A bad `--assume`.
    #[error(transparent)]
    Assumption(#[from] AssumptionError),
    /// An unknown practice.
    #[error("unknown practice '{0}' (known: {known})", known = Practice::ALL.iter().map(|p| p.name()).collect::<Vec<_>>().join(", "))]
    Practice(String),
    /// An unknown rule id.
    #[error("unknown rule '{0}' (see 'idc rules')")]
    Rule(String),
    /// A rule whose relaxation would change nothing.
    #[error("rule {0} can't be relaxed: it is the registry's own set semantics, and without it the call would change nothing")]
    NotRelaxable(&'static str),
    /// A malformed `--expect`.
    #[error("expected NAME=VERDICT, got '{0}'")]
    ExpectationSyntax(String),
    /// `--expect` names no property.
    #[error("unknown property '{0}' (see 'idc rules')")]
    Property(String),
    /// `--expect` has a verdict the property can't have.
    #[error("'{verdict}' is not a verdict of the {kind} property '{property}' (use {allowed})")]
    Verdict {
        /// The property.
        property: String,
        /// Its kind.
        kind: &'static str,
        /// The verdict given.
        verdict: String,
        /// The verdicts allowed.
        allowed: &'static str,
    },
}

fn parse_assumption(text: &str) -> Result<String, FlagError> {
    idc_model::Assumptions::default().set(text)?;
    Ok(text.to_string())
}

fn parse_practice(text: &str) -> Result<Practice, FlagError> {
    Practice::parse(text).ok_or_else(|| FlagError::Practice(text.to_string()))
}

fn parse_rule(text: &str) -> Result<Rule, FlagError> {
    let rule = Rule::parse(text).ok_or_else(|| FlagError::Rule(text.to_string()))?;
    if !rule.relaxable() {
        return Err(FlagError::NotRelaxable(rule.id()));
    }
    Ok(rule)
}

fn parse_expectation(text: &str) -> Result<Expectation, FlagError> {
    let (name, verdict) = text
        .split_once('=')
        .ok_or_else(|| FlagError::ExpectationSyntax(text.to_string()))?;
    let info = idc_model::properties::property(name)
        .ok_or_else(|| FlagError::Property(name.to_string()))?;
    let allowed = match info.kind {
        idc_model::Kind::Always => "holds or violated",
        idc_model::Kind::Sometimes => "example or no-example",
    };
    let bad = || FlagError::Verdict {
        property: name.to_string(),
        kind: info.kind.name(),
        verdict: verdict.to_string(),
        allowed,
    };
    let v = Verdict::parse(verdict).ok_or_else(bad)?;
    if !v.fits(info.kind) {
        return Err(bad());
    }
    Ok(Expectation {
        property: info.name,
        verdict: v,
    })
}
