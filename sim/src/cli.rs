//! The command line of `idc` (clap): every command, flag and value, with the parsers that
//! turn text into the engine's options (the values' parsers and their errors in `cli/`).
//! Nothing here runs anything.

mod flags;
mod units;

use clap::{Args, Parser, Subcommand};

use idc_model::echo::echo;
use idc_model::{Config, Practice, Rule};
use idc_sim::engine::check::{default_threads, Search};
use idc_sim::format::design::parse_forbid;

use crate::exit;
use flags::{
    assumption_values, parse_assumption, parse_expectation, parse_named, parse_practice,
    parse_rule, practice_values, rule_values, Listed,
};
pub use flags::{check_expectations, FlagError};
use units::{parse_duration, parse_size};

/// What `--version` prints: the tool's version, the model's and the trace format's.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (model 3, trace format 2, reports 1)"
);

/// The commands with a manual page of their own (`idc man COMMAND`, docs/man/idc-COMMAND.1):
/// every subcommand.
pub const MAN_PAGES: &[&str] = &[
    "check",
    "find",
    "replay",
    "state",
    "explore",
    "simulate",
    "export",
    "recover",
    "compare",
    "import",
    "rules",
    "completions",
    "man",
];

/// Formal model of AWS IAM Identity Center delegated administration: check it
/// exhaustively, and see the shortest sequence of API calls that breaks each property.
#[derive(Debug, Parser)]
#[command(name = "idc", version = VERSION, after_help = exit::TOP_HELP)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Explore every reachable state and judge every property, with shortest traces.
    #[command(after_help = exit::CHECK_HELP)]
    Check(CheckArgs),
    /// The shortest sequence of calls to a state where an expression holds
    /// (docs/queries.md): `idc find 'delegate == member-1 && reaches(user-1, management)'`.
    #[command(after_help = exit::FIND_HELP)]
    Find(FindArgs),
    /// Re-execute trace files from their initial state: every step's outcome, what it
    /// changed and which properties fail after it; confirm expected outcomes and claims.
    #[command(after_help = exit::REPLAY_HELP)]
    Replay(ReplayArgs),
    /// Replay a trace file and print the state after one of its steps, in domain words:
    /// the organization, the registry, IAM Identity Center, the identity source, the
    /// identities, permission sets, assignments, and who reaches which account through
    /// which assignment.
    #[command(after_help = exit::STATE_HELP)]
    State(StateArgs),
    /// Serve the state space in a browser: stand in a state, see every call possible from
    /// it (refused ones with their exception and rule), follow one, go back, branch off
    /// (docs/explore.md).
    #[command(after_help = exit::EXPLORE_HELP)]
    Explore(ExploreArgs),
    /// Seeded random walks making every call (refused ones included), judging every
    /// property after every call; violations are shrunk to short traces.
    #[command(after_help = exit::SIMULATE_HELP)]
    Simulate(SimulateArgs),
    /// Export a trace file as ITF JSON (Apalache/Quint), a Mermaid sequence diagram, a
    /// Graphviz DOT state graph, or an SVG sequence diagram, on stdout.
    #[command(after_help = exit::EXPORT_HELP)]
    Export(ExportArgs),
    /// From every reachable state: can the management account, acting alone, force its way
    /// back to a safe baseline whatever AWS does? (docs/whatif.md defines it.)
    #[command(after_help = exit::RECOVER_HELP)]
    Recover(RecoverArgs),
    /// Today vs your plan: check two designs (or read `idc check --json` reports) and show,
    /// property by property, what the second fixes, breaks, shortens or lengthens, with
    /// both sides' shortest traces where they differ (docs/designs.md).
    #[command(after_help = exit::COMPARE_HELP)]
    Compare(CompareArgs),
    /// Write a design file (docs/designs.md) from the JSON files of AWS's read-only calls
    /// (docs/import.md): today's organization as start steps, its accounts by their names.
    #[command(after_help = exit::IMPORT_HELP)]
    Import(ImportArgs),
    /// List the rules (with sources), assumptions, practices, calls and properties of the
    /// model.
    #[command(after_help = exit::SIMPLE_HELP)]
    Rules {
        /// One JSON document on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script for idc on stdout.
    #[command(after_help = exit::SIMPLE_HELP)]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print idc's manual page (roff, for man) on stdout, or one command's (idc-COMMAND(1)).
    #[command(after_help = exit::SIMPLE_HELP)]
    Man {
        /// The command whose page to print, e.g. `check` (default: idc's own page, which
        /// names the others).
        #[arg(value_name = "COMMAND", value_parser = clap::builder::PossibleValuesParser::new(MAN_PAGES))]
        command: Option<String>,
    },
}

/// `idc import`'s arguments.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The directory of JSON files, one per read-only call, named after it
    /// (`organizations-list-accounts.json`; docs/import.md lists them), as
    /// `scripts/collect-aws.sh DIR` writes them.
    #[arg(value_name = "DIR")]
    pub dir: std::path::PathBuf,
    /// Write the design to this file instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
    /// The identity source, which no read-only call returns: `identity-center-directory`,
    /// `active-directory:ACCOUNT` (the directory's owner, by account id or name; it must
    /// own a directory of the `ds-describe-directories` files when there are some) or
    /// `external-idp`.
    #[arg(
        long,
        value_name = "SOURCE",
        default_value = "identity-center-directory"
    )]
    pub identity_source: String,
}

/// The model's configuration, shared by the commands that build a model.
#[derive(Debug, Clone, Default, Args)]
pub struct ModelArgs {
    /// Member accounts besides the management account [default: 2].
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = clap::value_parser!(u8).range(1..=6))]
    pub members: Option<u8>,
    /// Users of the identity store [default: 1].
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub users: Option<u8>,
    /// Groups of the identity store [default: 1].
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub groups: Option<u8>,
    /// Permission sets [default: 1].
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = clap::value_parser!(u8).range(1..=4))]
    pub permission_sets: Option<u8>,
    /// Set an assumption (repeatable), e.g. `close-delegate=keeps-registration`; `idc rules`
    /// lists them.
    #[arg(long, value_name = "KEY=VALUE", value_parser = Listed::new(parse_assumption, assumption_values), hide_possible_values = true)]
    pub assume: Vec<String>,
    /// The management account follows a best practice (repeatable), e.g.
    /// `users-only-in-management`.
    #[arg(long, value_name = "NAME", value_parser = Listed::new(parse_practice, practice_values))]
    pub practice: Vec<Practice>,
    /// Switch a rule's guard off (repeatable), e.g. `DA-7`.
    #[arg(long, value_name = "RULE-ID", value_parser = Listed::new(parse_rule, rule_values), hide_possible_values = true)]
    pub relax: Vec<Rule>,
}

impl ModelArgs {
    /// The configuration the arguments describe, or why `--assume` flags contradict.
    pub fn config(&self) -> Result<Config, FlagError> {
        self.over(Config::default(), None)
    }

    /// The configuration of a trace (`--from`) with the flags applied over it: assumptions,
    /// practices and relaxed rules may change; sizes, which shape the trace's states, may
    /// only repeat the trace's.
    pub fn over_trace(&self, trace: Config) -> Result<Config, FlagError> {
        self.over(trace, Some("the trace"))
    }

    /// The configuration of a design (`--design`) with the flags applied over it, as
    /// [`ModelArgs::over_trace`] does: its start calls are written for its sizes.
    pub fn over_design(&self, design: Config) -> Result<Config, FlagError> {
        self.over(design, Some("the design"))
    }

    fn over(&self, base: Config, fixed_by: Option<&'static str>) -> Result<Config, FlagError> {
        let mut cfg = base;
        let sizes = [
            ("--members", self.members, &mut cfg.members),
            ("--users", self.users, &mut cfg.users),
            ("--groups", self.groups, &mut cfg.groups),
            (
                "--permission-sets",
                self.permission_sets,
                &mut cfg.permission_sets,
            ),
        ];
        for (flag, given, size) in sizes {
            match given {
                Some(n) if fixed_by.is_some() && n != *size => {
                    return Err(FlagError::SizeFromTrace {
                        flag,
                        given: n,
                        origin: fixed_by.unwrap_or_default(),
                        trace: *size,
                    })
                }
                Some(n) => *size = n,
                None => {}
            }
        }
        apply_overrides(&mut cfg, &self.assume, &self.practice, &self.relax)?;
        Ok(cfg)
    }
}

/// Applies `--assume`, `--practice` and `--relax` to a configuration (the command line's or
/// a trace file's). Two `--assume` flags for one assumption with different values are an
/// error, not "the last one wins".
pub fn apply_overrides(
    cfg: &mut Config,
    assume: &[String],
    practice: &[Practice],
    relax: &[Rule],
) -> Result<(), FlagError> {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for a in assume {
        let (key, value) = a.split_once('=').unwrap_or((a.as_str(), ""));
        if let Some((_, other)) = seen.iter().find(|(k, v)| *k == key && *v != value) {
            return Err(FlagError::Conflict {
                flag: "--assume",
                what: echo(key),
                first: echo(other),
                second: echo(value),
            });
        }
        seen.push((key, value));
        cfg.assumptions.set(a)?;
    }
    for p in practice {
        cfg.practices.insert(*p);
    }
    for r in relax {
        cfg.relaxed.insert(*r);
    }
    Ok(())
}

/// How the state space is searched and bounded (`check`, `recover`); none of the flags
/// changes a verdict or a trace, though a bound can leave verdicts unknown.
#[derive(Debug, Clone, Args)]
pub struct SearchArgs {
    /// Identify states that differ only by renaming member accounts, users, groups or
    /// permission sets (same verdicts and trace lengths, fewer states).
    #[arg(long)]
    pub symmetry: bool,
    /// Threads that expand states (default: the machine's cores); results do not depend on
    /// it.
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,
    /// Stop the search before its data would take more than SIZE of memory (e.g. 512M, 8G;
    /// default: three quarters of the memory available when idc starts). A stopped search
    /// reports what it found so far, its other verdicts unknown (exit codes below).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_memory: Option<u64>,
    /// Stop the search after this long (e.g. 90s, 5m, 2h; a number alone is seconds). A
    /// stopped search reports what it found so far, its other verdicts unknown (exit codes
    /// below).
    #[arg(long, value_name = "DURATION", allow_hyphen_values = true, value_parser = parse_duration)]
    pub max_time: Option<std::time::Duration>,
    /// Print progress lines on stderr even when it is not a terminal (CI logs).
    #[arg(long)]
    pub progress: bool,
}

impl SearchArgs {
    /// The search the arguments ask for.
    pub fn search(&self) -> Search {
        Search {
            symmetry: self.symmetry,
            threads: self.threads.map_or_else(default_threads, usize::from),
        }
    }
}

/// Your own properties, in the query language (docs/queries.md): `check` judges them with
/// the built-in ones.
#[derive(Debug, Clone, Default, Args)]
pub struct UserPropertyArgs {
    /// Your own invariant (repeatable): NAME=EXPR must hold in every reachable state, e.g.
    /// `mine=all a in accounts: source == active-directory(a) => in-org(a)`.
    #[arg(long, value_name = "NAME=EXPR", value_parser = parse_named)]
    pub invariant: Vec<(String, String)>,
    /// Your own reachability question (repeatable): NAME=EXPR must hold in some reachable
    /// state (a `sometimes` property).
    #[arg(long, value_name = "NAME=EXPR", value_parser = parse_named)]
    pub reachable: Vec<(String, String)>,
    /// A file of named properties (TOML or JSON: `[invariants]` and `[reachable]` tables of
    /// NAME = "EXPR"; docs/queries.md).
    #[arg(long, value_name = "FILE")]
    pub properties: Option<std::path::PathBuf>,
}

/// Where to start and who acts: `--from` a trace, or `--design` a design file, and
/// `--forbid` calls.
#[derive(Debug, Clone, Args)]
pub struct FromArgs {
    /// Start from the state this trace file ends in, under its configuration (`--assume`,
    /// `--practice` and `--relax` apply over it); traces written then record the calls
    /// that lead there (`"from"`) and replay from there.
    #[arg(long, value_name = "TRACE", conflicts_with = "design")]
    pub from: Option<std::path::PathBuf>,
    /// Check your own design (docs/designs.md): its accounts' names, today's organization
    /// (its start calls, which must all succeed), its threat model (who is untrusted, idle,
    /// or makes only its runbook's calls), its properties and expected verdicts. The model
    /// flags apply over it.
    #[arg(long, value_name = "FILE")]
    pub design: Option<std::path::PathBuf>,
    /// No account makes this operation, or only ACCOUNT does not (a model id such as
    /// `member-1`, or a design's name for it); repeatable. Like a design's [threat.forbid].
    #[arg(long, value_name = "OPERATION[@ACCOUNT]", value_parser = parse_forbid)]
    pub forbid: Vec<(String, Option<String>)>,
}

/// `idc find`.
#[derive(Debug, Clone, Args)]
pub struct FindArgs {
    /// The expression a state must satisfy (docs/queries.md), e.g.
    /// `delegate == member-1 && source == active-directory(member-1)`.
    #[arg(value_name = "EXPR", allow_hyphen_values = true)]
    pub expr: String,
    /// The model's configuration.
    #[command(flatten)]
    pub model: ModelArgs,
    /// Where to start.
    #[command(flatten)]
    pub from: FromArgs,
    /// One JSON document on stdout instead of the human report.
    #[arg(long)]
    pub json: bool,
    /// Write the trace found to FILE (a trace file whose claim is the expression), for
    /// `idc replay`.
    #[arg(long, value_name = "FILE")]
    pub out: Option<std::path::PathBuf>,
    /// Look no deeper than D calls (no state found then: exit 4).
    #[arg(long, value_name = "D")]
    pub max_depth: Option<u32>,
    /// How the state space is searched.
    #[command(flatten)]
    pub search: SearchArgs,
}

/// `idc explore`.
#[derive(Debug, Clone, Args)]
pub struct ExploreArgs {
    /// Trace files to start from (one click each on the page); the model flags apply over
    /// each one's configuration, and they must then share one.
    #[arg(value_name = "TRACE")]
    pub traces: Vec<std::path::PathBuf>,
    /// The model's configuration.
    #[command(flatten)]
    pub model: ModelArgs,
    /// Your own properties, judged in every state with the built-in ones.
    #[command(flatten)]
    pub properties: UserPropertyArgs,
    /// Explore your own design (docs/designs.md): the page starts at its start state, names
    /// its accounts by the design's names, and lists only the calls its threat model allows.
    /// The model flags apply over it; TRACE files must start from its start state.
    #[arg(long, value_name = "FILE")]
    pub design: Option<std::path::PathBuf>,
    /// No account makes this operation, or only ACCOUNT does not (a model id such as
    /// `member-1`, or a design's name for it); repeatable. Like a design's [threat.forbid].
    #[arg(long, value_name = "OPERATION[@ACCOUNT]", value_parser = parse_forbid)]
    pub forbid: Vec<(String, Option<String>)>,
    /// The port to serve on (0: any free port).
    #[arg(long, value_name = "N", default_value_t = 8765)]
    pub port: u16,
    /// The address to serve on. The default serves this machine only; any other address
    /// makes the page (and the model) reachable from other machines.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Threads for the page's exhaustive check (default: the machine's cores).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub threads: Option<u16>,
    /// The memory the page's check and queries may take (e.g. 512M, 8G; default: three
    /// quarters of the memory available when idc starts).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_memory: Option<u64>,
}

/// `idc check`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// The model's configuration.
    #[command(flatten)]
    pub model: ModelArgs,
    /// Your own properties.
    #[command(flatten)]
    pub user: UserPropertyArgs,
    /// Where to start.
    #[command(flatten)]
    pub from: FromArgs,
    /// One JSON document on stdout instead of the human report.
    #[arg(long)]
    pub json: bool,
    /// Expect a verdict (repeatable): NAME=holds|violated|example|no-example. Then exit 0
    /// only if every named property has its expected verdict and every other
    /// always-property holds.
    #[arg(long, value_name = "NAME=VERDICT", value_parser = parse_expectation)]
    pub expect: Vec<(String, String)>,
    /// Stop at this depth (verdicts without a trace are then unknown: exit 4, or 1 if a
    /// violation was found).
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
    /// Explore every reachable state for every property. By default the properties that
    /// read no user, group, permission set or assignment are judged on states up to those
    /// (the organization slice), and the search of the others stops once it has found them
    /// all: the same verdicts and trace lengths, far fewer states (docs/performance.md).
    #[arg(long, conflicts_with = "matrix")]
    pub whole: bool,
    /// Check the configuration once per guard relaxed alone and once per best practice
    /// added alone, and report what each changes against the configuration itself
    /// (`--threads`: rows checked at once; `--max-time`: for the whole matrix). With
    /// `--design`: the design's configuration, threat model and properties, each row from
    /// the design's start calls replayed under its own configuration.
    #[arg(long, conflicts_with_all = ["expect", "max_depth", "from"])]
    pub matrix: bool,
}

/// `idc replay`.
#[derive(Debug, Clone, Args)]
pub struct ReplayArgs {
    /// Trace files (docs/trace-format.md); `-` reads one from standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<std::path::PathBuf>,
    /// One JSON document on stdout instead of the human report.
    #[arg(long)]
    pub json: bool,
    /// Set an assumption for every trace, over the file's own configuration (repeatable).
    #[arg(long, value_name = "KEY=VALUE", value_parser = Listed::new(parse_assumption, assumption_values), hide_possible_values = true)]
    pub assume: Vec<String>,
    /// Add a practice of the management account to every trace's configuration.
    #[arg(long, value_name = "NAME", value_parser = Listed::new(parse_practice, practice_values))]
    pub practice: Vec<Practice>,
    /// Relax a rule in every trace's configuration.
    #[arg(long, value_name = "RULE-ID", value_parser = Listed::new(parse_rule, rule_values), hide_possible_values = true)]
    pub relax: Vec<Rule>,
    /// Print the value of EXPR (docs/queries.md: a boolean such as
    /// `reaches(user-1, management)`, or a value such as `delegate` or `source`) in the
    /// state the steps start from and after every step (repeatable).
    #[arg(long, value_name = "EXPR", allow_hyphen_values = true)]
    pub show: Vec<String>,
    /// Replay every trace under your design (docs/designs.md) instead of its own
    /// configuration: the design's assumptions, practices, relaxed rules, threat model and
    /// account names (the trace's sizes must be the design's). A step outside the design's
    /// threat model diverges: would the trace be possible under your design?
    #[arg(long, value_name = "FILE")]
    pub design: Option<std::path::PathBuf>,
    /// Judge the outcomes file an exported `aws-cli` script wrote (docs/import.md) against
    /// the model: agree, or the first step where the observed outcome is not the model's
    /// (exit 1). One trace FILE.
    #[arg(long, value_name = "OUTCOMES", conflicts_with = "show")]
    pub observed: Option<std::path::PathBuf>,
}

/// `idc state`.
#[derive(Debug, Clone, Args)]
pub struct StateArgs {
    /// The trace file (docs/trace-format.md); `-` reads it from standard input.
    #[arg(value_name = "FILE")]
    pub file: std::path::PathBuf,
    /// Show the state after step N (0: the initial state; default: the last step).
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub step: Option<usize>,
    /// One JSON document on stdout instead of the human report.
    #[arg(long)]
    pub json: bool,
    /// Set an assumption, over the file's own configuration (repeatable).
    #[arg(long, value_name = "KEY=VALUE", value_parser = Listed::new(parse_assumption, assumption_values), hide_possible_values = true)]
    pub assume: Vec<String>,
    /// Add a practice of the management account to the trace's configuration.
    #[arg(long, value_name = "NAME", value_parser = Listed::new(parse_practice, practice_values))]
    pub practice: Vec<Practice>,
    /// Relax a rule in the trace's configuration.
    #[arg(long, value_name = "RULE-ID", value_parser = Listed::new(parse_rule, rule_values), hide_possible_values = true)]
    pub relax: Vec<Rule>,
    /// Replay the trace under your design (docs/designs.md), as `idc replay --design`:
    /// its configuration, threat model and account names (the trace's sizes must be the
    /// design's).
    #[arg(long, value_name = "FILE")]
    pub design: Option<std::path::PathBuf>,
}

/// `idc simulate`.
#[derive(Debug, Clone, Args)]
pub struct SimulateArgs {
    /// The model's configuration.
    #[command(flatten)]
    pub model: ModelArgs,
    /// Your own properties, judged after every call with the built-in ones.
    #[command(flatten)]
    pub user: UserPropertyArgs,
    /// Where the walks start.
    #[command(flatten)]
    pub from: FromArgs,
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
    /// Print progress lines on stderr even when it is not a terminal (CI logs).
    #[arg(long)]
    pub progress: bool,
}

/// `idc export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The output format.
    #[arg(long, value_enum)]
    pub format: idc_sim::format::export::Format,
    /// The trace file (docs/trace-format.md); `-` reads it from standard input.
    #[arg(value_name = "FILE")]
    pub file: std::path::PathBuf,
}

/// `idc recover`.
#[derive(Debug, Clone, Args)]
pub struct RecoverArgs {
    /// The model's configuration.
    #[command(flatten)]
    pub model: ModelArgs,
    /// Where the search starts.
    #[command(flatten)]
    pub from: FromArgs,
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
    /// Write trace files into DIR, for `idc replay`: the management account's plan from the
    /// start state (`start-plan.json`), the longest recovery (`longest-recovery.json`) and
    /// the trace into the first stuck state (`first-stuck.json`), those there are.
    #[arg(long, value_name = "DIR")]
    pub out: Option<std::path::PathBuf>,
    /// How the state space is searched.
    #[command(flatten)]
    pub search: SearchArgs,
}

/// `idc compare`.
#[derive(Debug, Clone, Args)]
pub struct CompareArgs {
    /// The first side ("today"): a design file (TOML or JSON, as `--design` takes it), or
    /// a report of `idc check --json`.
    #[arg(value_name = "A")]
    pub a: std::path::PathBuf,
    /// The second side ("the plan"), read as A is.
    #[arg(value_name = "B")]
    pub b: std::path::PathBuf,
    /// One JSON document on stdout instead of the human report.
    #[arg(long)]
    pub json: bool,
    /// Print the headers, the verdict table and the summary line, not the traces.
    #[arg(long)]
    pub brief: bool,
    /// How each design's state space is searched.
    #[command(flatten)]
    pub search: SearchArgs,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_a_manual_page() {
        use clap::CommandFactory;
        let names: Vec<String> = Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .collect();
        assert_eq!(names, MAN_PAGES, "MAN_PAGES lists every command, in order");
    }

    #[test]
    fn conflicting_assumptions_are_refused() {
        let mut cfg = Config::default();
        let same = [
            "close-delegate=refused".to_string(),
            "close-delegate=refused".to_string(),
        ];
        assert!(apply_overrides(&mut cfg, &same, &[], &[]).is_ok());
        let conflict = [
            "close-delegate=refused".to_string(),
            "close-delegate=deregisters".to_string(),
        ];
        let err = apply_overrides(&mut cfg, &conflict, &[], &[]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "--assume sets 'close-delegate' twice: to 'refused' and to 'deregisters'"
        );
    }
}
