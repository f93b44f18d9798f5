//! The exit codes of `idc`, documented in `--help`, the README and `docs/cli.md`.

/// Success: no `always` property is violated (or every `--expect` matched; or the trace
/// reproduced).
pub const OK: u8 = 0;
/// The model disagrees: an `always` property is violated, an `--expect` did not match, or a
/// replayed trace diverged.
pub const FINDING: u8 = 1;
/// Usage or input error: a bad flag or value, a malformed or out-of-range trace.
pub const USAGE: u8 = 2;
/// The tool could not do its job: a file could not be written.
pub const FAILURE: u8 = 3;

/// The text for `--help`.
pub const HELP: &str = "\
Exit codes:
  0  success: no always-property violated (with --expect: every verdict as expected)
  1  finding: an always-property is violated, or an --expect verdict did not match
  2  usage or input error (bad flag or value, malformed or out-of-range input)
  3  failure: an output file could not be written";

/// The exit codes of every command, for the top-level `--help`.
pub const TOP_HELP: &str = "\
Exit codes:
  0  success (check: no always-property violated, or every --expect matched;
     replay: every trace reproduced)
  1  finding: an always-property is violated (check, simulate), an --expect verdict
     did not match, or a replayed trace diverged
  2  usage or input error (bad flag or value; malformed or out-of-range trace file)
  3  failure: an output file could not be written";

/// The exit codes of `idc replay`, for `--help`.
pub const REPLAY_HELP: &str = "\
Exit codes:
  0  every trace reproduced: each expected outcome and the claim
  1  finding: a trace diverged (its first divergence is named: step and reason)
  2  input error: unreadable, empty or malformed file, unknown format version, unknown
     call, caller or parameter, an account or identity beyond the configuration";

/// The exit codes of `idc simulate`, for `--help`.
pub const SIMULATE_HELP: &str = "\
Exit codes:
  0  no always-property violation found (a simulation proves nothing)
  1  finding: an always-property is violated (its shrunk trace is shown)
  2  usage error (bad flag or value)
  3  failure: a trace file could not be written";

/// The exit codes of `idc export`, for `--help`.
pub const EXPORT_HELP: &str = "\
Exit codes:
  0  exported
  2  input error: the trace file is unreadable, malformed or out of range";
