//! The exit codes of `idc`, documented in `--help`, the README and `docs/cli.md`.

/// Success: no `always` property is violated (or every `--expect` matched; or every trace
/// reproduced; or the output was written).
pub const OK: u8 = 0;
/// A finding: an `always` property is violated, an `--expect` did not match, a replayed
/// trace diverged, or (recover) a state is stuck.
pub const FINDING: u8 = 1;
/// Usage or input error: a bad flag or value, a malformed or out-of-range trace.
pub const USAGE: u8 = 2;
/// The tool could not do its job: something could not be written (a file, stdout, stderr).
pub const FAILURE: u8 = 3;
/// The search stopped before it could decide (`--max-depth`, `--max-memory`,
/// `--max-time`) and found nothing that decides: some verdicts are unknown. (`check`: a
/// violation found before the stop is a finding all the same, exit 1.)
pub const INCOMPLETE: u8 = 4;
/// Interrupted (Ctrl-C): what was found so far is reported; some verdicts are unknown.
pub const INTERRUPTED: u8 = 130;

/// How a command that did its job ended: its exit code. What it found is in its report;
/// any line it had to say on stderr is said already.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// [`OK`].
    Ok,
    /// [`FINDING`].
    Finding,
    /// [`USAGE`], after the report: `replay` skipped a bad file (and said why).
    BadInput,
    /// [`INCOMPLETE`].
    Incomplete,
    /// [`INTERRUPTED`].
    Interrupted,
}

impl Status {
    /// The exit code.
    pub fn code(self) -> u8 {
        match self {
            Status::Ok => OK,
            Status::Finding => FINDING,
            Status::BadInput => USAGE,
            Status::Incomplete => INCOMPLETE,
            Status::Interrupted => INTERRUPTED,
        }
    }
}

/// Why a command could not do its job: the one line `main` says on stderr (`idc: ...`,
/// through [`crate::output`]) and the documented exit code.
#[derive(Debug)]
pub enum Failure {
    /// [`USAGE`]: a bad flag or value, a malformed or out-of-range input.
    Usage(String),
    /// [`FAILURE`]: something could not be written (a file, stdout) or served.
    Write(String),
    /// [`FAILURE`]: stderr itself could not be written, so there is no line to say.
    Stderr,
}

impl Failure {
    /// A usage or input error.
    pub fn usage(message: impl std::fmt::Display) -> Failure {
        Failure::Usage(message.to_string())
    }

    /// Something could not be written.
    pub fn write(message: impl std::fmt::Display) -> Failure {
        Failure::Write(message.to_string())
    }

    /// The line to say on stderr, if any.
    pub fn message(&self) -> Option<&str> {
        match self {
            Failure::Usage(m) | Failure::Write(m) => Some(m),
            Failure::Stderr => None,
        }
    }

    /// The exit code.
    pub fn code(&self) -> u8 {
        match self {
            Failure::Usage(_) => USAGE,
            Failure::Write(_) | Failure::Stderr => FAILURE,
        }
    }
}

/// What every command returns: how it ended, or why it could not do its job.
pub type Outcome = Result<Status, Failure>;

/// The exit codes of `idc check`, for `--help`.
pub const CHECK_HELP: &str = "\
Exit codes:
  0    success: every always-property holds (with --expect: every verdict as expected)
  1    finding: an always-property is violated, or an --expect verdict did not match
       (also when a bound stopped the search: the result then says INCOMPLETE)
  2    usage or input error (bad flag or value, a bad --invariant / --reachable
       expression or properties file, a --from trace that does not replay)
  3    failure: something could not be written (--out, stdout, stderr)
  4    incomplete: --max-depth, --max-memory or --max-time stopped the search with no
       violation found: the verdicts not found are unknown
  130  interrupted (Ctrl-C): the figures and findings so far are reported";

/// The exit codes of `idc find`, for `--help`.
pub const FIND_HELP: &str = "\
Exit codes:
  0    found: the shortest trace to a state where the expression holds is shown
  1    no reachable state satisfies the expression (every state was explored)
  2    usage or input error: a bad expression (its column is named), flag or --from trace
  3    failure: something could not be written (--out, stdout, stderr)
  4    incomplete: --max-depth, --max-memory or --max-time stopped the search first
  130  interrupted (Ctrl-C)";

/// The exit codes of every command, for the top-level `--help`.
pub const TOP_HELP: &str = "\
Exit codes:
  0    success (check: no always-property violated, or every --expect matched;
       find: a state was found; replay: every trace reproduced; recover: no stuck state
       but where the management account closed itself; compare: compared, whether or
       not the sides differ)
  1    finding: an always-property is violated (check, simulate), an --expect verdict
       did not match (check: also when a bound stopped the search first), a replayed
       trace diverged (replay; state: up to the step shown),
       a stuck state (recover); find: no reachable state satisfies the expression
  2    usage or input error (bad flag or value; malformed or out-of-range trace file;
       state: --step beyond the trace)
  3    failure: something could not be written (a file, stdout, stderr); explore: the
       address could not be bound
  4    incomplete: a bound (--max-depth, --max-memory, --max-time) stopped the search
       with nothing found that decides (check: no violation)
  130  interrupted (Ctrl-C)";

/// The exit codes of `idc replay`, for `--help`.
pub const REPLAY_HELP: &str = "\
Exit codes (every file is replayed; the worst result decides):
  0  every trace reproduced: each expected outcome and the claim
  1  finding: a trace diverged (its first divergence is named: step and reason)
  2  input error: unreadable, too large, empty or malformed file, unknown format version,
     unknown call, caller or parameter, an account or identity beyond the configuration
  3  failure: the report could not be written";

/// The exit codes of `idc state`, for `--help`.
pub const STATE_HELP: &str = "\
Exit codes:
  0  the state is shown, and the trace replays as written up to that step
  1  finding: the state is shown, but a step up to it did not replay as written (its
     expected outcome or named branch) or a claim about a state up to it does not
     reproduce; the divergence is named on stderr. The state is the one the model reaches
     (a refused step changes nothing)
  2  input error: --step beyond the trace; unreadable, too large, empty or malformed file,
     unknown format version, call, caller or parameter, an account or identity beyond the
     configuration
  3  failure: the report could not be written";

/// The exit codes of `idc explore`, for `--help`.
pub const EXPLORE_HELP: &str = "\
Exit codes:
  0  stopped by Ctrl-C (the way to stop serving)
  2  usage or input error: a bad flag or value, a trace file that is not valid, has
     another configuration than the first, or whose from calls do not replay; a bad
     --invariant/--reachable/--properties
  3  failure: the address could not be bound (the port is in use?), or stdout could not
     be written";

/// The exit codes of `idc simulate`, for `--help`.
pub const SIMULATE_HELP: &str = "\
Exit codes:
  0    no always-property violation found (a simulation proves nothing)
  1    finding: an always-property is violated (its shrunk trace is shown)
  2    usage error (bad flag or value)
  3    failure: something could not be written (a trace file, stdout, stderr)
  130  interrupted (Ctrl-C): the walks made so far are reported";

/// The exit codes of `idc export`, for `--help`.
pub const EXPORT_HELP: &str = "\
Exit codes:
  0  exported
  2  input error: the trace file is unreadable, too large, malformed or out of range
  3  failure: the export could not be written";

/// The exit codes of `idc recover`, for `--help`.
pub const RECOVER_HELP: &str = "\
Exit codes:
  0    from every reachable state the management account can force a safe baseline,
       leaving aside those where it closed itself (counted apart in the report)
  1    finding: some other reachable state is stuck
  2    usage or input error (bad flag or value)
  3    failure: the report could not be written
  4    incomplete: --max-memory or --max-time stopped the exploration
  130  interrupted (Ctrl-C)";

/// The exit codes of `idc compare`, for `--help`.
pub const COMPARE_HELP: &str = "\
Exit codes:
  0    compared, whether or not the two sides' verdicts differ
  2    input error: a file that can't be read, a design that is not valid (an unknown key
       or account, a start step AWS refuses), a check report that is malformed (the file
       and what is wrong are named)
  3    failure: the report could not be written
  4    incomplete: a check stopped early (--max-memory, --max-time, or a report read that
       did): some verdicts are unknown
  130  interrupted (Ctrl-C)";

/// `idc import`'s exit codes.
pub const IMPORT_HELP: &str = "\
Exit codes:
  0  the design was written
  2  input error: a file missing, malformed, truncated (a NextToken left) or contradicting
     another (the file and field are named), a bad --identity-source, or an organization
     the model cannot represent soundly (what does not fit is named)
  3  failure: the design could not be written";

/// The exit codes of the commands that only print (`rules`, `completions`, `man`).
pub const SIMPLE_HELP: &str = "\
Exit codes:
  0  printed
  2  usage error (bad flag or value)
  3  failure: stdout could not be written";
