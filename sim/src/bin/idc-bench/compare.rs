//! `--compare`: this release against another, side by side.
//!
//! ```sh
//! idc-bench --compare OLD_IDC [--new NEW_IDC] [--members 2[,3,…]] [--threads 1,2] [--runs 3]
//!           [--symmetry] [--users N] [--groups N] [--permission-sets N] [--max-depth D]
//! ```
//!
//! For each number of members and threads, runs `OLD_IDC check --json …` and the new `idc
//! check --json …` alternately (the order swapped every run), each in a child process of
//! its own whose CPU time and peak memory are read with `getrusage`, and prints the
//! medians as a Markdown table: states, generated states, seconds, generated states per
//! second and core, per CPU second, peak memory, and the new binary's ratios to the old
//! (states, seconds, generated per second and core).
//!
//! States and generated states count both searches of a check that uses the organization
//! slice. The two binaries may explore different numbers of states (a reduction identifies
//! more of them), but they must give the same verdicts and the same shortest trace lengths, and
//! each binary the same counts in every run: otherwise the exit status is 1. With
//! `--max-depth` both stop at the same depth, so a bounded comparison is as exact as a full
//! one (every state within that many steps judged by both).

use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use nix::sys::resource::{getrusage, UsageWho};
use serde_json::Value;

/// The child of `--wrap`: runs the command, then prints its CPU seconds, peak resident
/// kilobytes and wall-clock seconds on one line, then the command's standard output.
pub fn wrap(args: &[String]) -> ExitCode {
    let Some((program, rest)) = args.split_first() else {
        eprintln!("idc-bench: --wrap needs a command");
        return ExitCode::from(2);
    };
    let start = Instant::now();
    let out = match Command::new(program)
        .args(rest)
        .stderr(Stdio::inherit())
        .output()
    {
        Ok(o) => o,
        Err(e) => {
            eprintln!("idc-bench: cannot run {program}: {e}");
            return ExitCode::from(2);
        }
    };
    let wall = start.elapsed().as_secs_f64();
    // The only child this process ever waited for is the command.
    let usage = match getrusage(UsageWho::RUSAGE_CHILDREN) {
        Ok(u) => u,
        Err(e) => {
            eprintln!("idc-bench: getrusage: {e}");
            return ExitCode::from(2);
        }
    };
    let cpu = |t: nix::sys::time::TimeVal| t.tv_sec() as f64 + t.tv_usec() as f64 / 1e6;
    println!(
        "{}\t{}\t{}",
        cpu(usage.user_time()) + cpu(usage.system_time()),
        usage.max_rss(),
        wall
    );
    print!("{}", String::from_utf8_lossy(&out.stdout));
    ExitCode::SUCCESS
}

/// One run of one binary.
struct Run {
    cpu: f64,
    peak_kb: u64,
    seconds: f64,
    unique: u64,
    generated: u64,
    depth: u64,
    /// Per property: name, verdict and trace length.
    verdicts: Vec<(String, String, usize)>,
}

struct Args {
    old: String,
    new: String,
    members: Vec<u8>,
    threads: Vec<usize>,
    runs: usize,
    /// Flags passed to both binaries' `check` (`--symmetry`, identities, `--max-depth`).
    check: Vec<String>,
}

/// A list of numbers from `min` up, separated by commas.
fn numbers<T: std::str::FromStr + PartialOrd>(
    flag: &str,
    v: &str,
    min: T,
) -> Result<Vec<T>, String> {
    v.split(',')
        .map(|t| match t.parse::<T>() {
            Ok(n) if n >= min => Ok(n),
            _ => Err(format!("{flag}: '{t}' is not a number in range")),
        })
        .collect()
}

fn parse(args: &[String]) -> Result<Args, String> {
    let mut it = args.iter();
    let old = it
        .next()
        .cloned()
        .ok_or("--compare needs the old idc binary")?;
    let new = std::env::current_exe()
        .map_err(|e| format!("cannot find myself: {e}"))?
        .with_file_name("idc")
        .to_string_lossy()
        .into_owned();
    let mut parsed = Args {
        old,
        new,
        members: vec![2],
        threads: vec![1, 2],
        runs: 3,
        check: Vec::new(),
    };
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--new" => parsed.new = value()?,
            "--members" => {
                parsed.members = numbers(flag, &value()?, 1)?;
                if parsed.members.iter().any(|&m| m > 6) {
                    return Err("--members: at most 6".into());
                }
            }
            "--threads" => parsed.threads = numbers(flag, &value()?, 1)?,
            "--runs" => {
                parsed.runs = match numbers(flag, &value()?, 1)?.as_slice() {
                    [n] => *n,
                    _ => return Err("--runs: expected one number".into()),
                }
            }
            "--symmetry" => parsed.check.push(flag.clone()),
            "--users" | "--groups" | "--permission-sets" | "--max-depth" => {
                let v = value()?;
                numbers::<u32>(flag, &v, 0)?;
                parsed.check.extend([flag.clone(), v]);
            }
            other => return Err(format!("unknown argument '{other}' (see the source's doc)")),
        }
    }
    Ok(parsed)
}

/// A figure of the organization slice's search in `states`, or 0 without one (a release
/// before it, `--whole`, or a configuration where it doesn't apply).
fn slice(states: &Value, figure: &str) -> u64 {
    states["slice"][figure].as_u64().unwrap_or(0)
}

fn measure(bin: &str, args: &Args, members: u8, threads: usize) -> Result<Run, String> {
    let me = std::env::current_exe().map_err(|e| format!("cannot find myself: {e}"))?;
    let mut cmd = Command::new(me);
    cmd.args(["--wrap", bin, "check", "--json", "--members"])
        .arg(members.to_string())
        .arg("--threads")
        .arg(threads.to_string())
        .args(&args.check);
    let out = cmd.output().map_err(|e| format!("cannot run {bin}: {e}"))?;
    if !out.status.success() {
        // The wrapper could not run the binary: its one-line reason.
        let reason = String::from_utf8_lossy(&out.stderr);
        return Err(reason.trim().trim_start_matches("idc-bench: ").to_string());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let (first, json) = text.split_once('\n').unwrap_or((&text, ""));
    let f: Vec<&str> = first.split('\t').collect();
    let bad = || format!("{bin}: unreadable measurement '{first}'");
    if f.len() != 3 {
        return Err(bad());
    }
    let doc: Value = serde_json::from_str(json).map_err(|e| format!("{bin}: check --json: {e}"))?;
    let number = |v: &Value| v.as_u64().ok_or_else(|| format!("{bin}: no state counts"));
    let verdicts = doc["properties"]
        .as_array()
        .ok_or_else(|| format!("{bin}: no properties"))?
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap_or_default().to_string(),
                p["verdict"].as_str().unwrap_or_default().to_string(),
                p["trace"].as_array().map_or(0, Vec::len),
            )
        })
        .collect();
    Ok(Run {
        cpu: f.first().and_then(|v| v.parse().ok()).ok_or_else(bad)?,
        peak_kb: f.get(1).and_then(|v| v.parse().ok()).ok_or_else(bad)?,
        // The search's own time, start-up and output aside.
        seconds: doc["seconds"]
            .as_f64()
            .ok_or_else(|| format!("{bin}: no seconds"))?,
        // With the organization slice (docs/performance.md), both searches' states: they
        // run one after the other, in the same process.
        unique: number(&doc["states"]["unique"])? + slice(&doc["states"], "unique"),
        generated: number(&doc["states"]["generated"])? + slice(&doc["states"], "generated"),
        depth: number(&doc["max_depth"])?,
        verdicts,
    })
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// The runs of both binaries for one number of members and threads, alternating.
fn runs(args: &Args, members: u8, threads: usize) -> Result<(Vec<Run>, Vec<Run>), String> {
    let (mut old, mut new) = (Vec::new(), Vec::new());
    for run in 0..args.runs {
        // Alternate which goes first, so neither always meets a warm or cold machine.
        let order = if run % 2 == 0 {
            [true, false]
        } else {
            [false, true]
        };
        for is_old in order {
            let bin = if is_old { &args.old } else { &args.new };
            eprintln!(
                "idc-bench: {bin}, {members} member(s), {threads} thread(s), run {} ...",
                run + 1
            );
            let r = measure(bin, args, members, threads)?;
            if is_old {
                old.push(r)
            } else {
                new.push(r)
            }
        }
    }
    Ok((old, new))
}

/// Prints one binary's row; `base`: the old binary's (states, seconds, per core).
fn row(
    name: &str,
    members: u8,
    threads: usize,
    runs: &[Run],
    base: Option<(u64, f64, f64)>,
) -> (u64, f64, f64) {
    let seconds = median(runs.iter().map(|r| r.seconds).collect());
    let cpu = median(runs.iter().map(|r| r.cpu).collect());
    let peak = median(runs.iter().map(|r| r.peak_kb as f64).collect());
    let r = &runs[0];
    let per_core = r.generated as f64 / seconds / threads as f64;
    let ratios = match base {
        None => "| 1.00 | 1.00 | 1.00".to_string(),
        Some((states, secs, core)) => format!(
            "| {:.2} | {:.2} | {:.2}",
            states as f64 / r.unique as f64,
            secs / seconds,
            per_core / core
        ),
    };
    println!(
        "| {members} | {name} | {threads} | {} | {} | {} | {seconds:.2} | {} | {} | {} MB | {:.0} {ratios} |",
        super::thousands(r.unique),
        super::thousands(r.generated),
        r.depth,
        super::thousands(per_core as u64),
        super::thousands((r.generated as f64 / cpu) as u64),
        super::thousands((peak / 1024.0) as u64),
        peak * 1024.0 / r.unique as f64,
    );
    (r.unique, seconds, per_core)
}

pub fn main(args: &[String]) -> ExitCode {
    let args = match parse(args) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("idc-bench: {e}");
            return ExitCode::from(2);
        }
    };
    println!(
        "`idc check --members N{}{}`; old: `{}`, new: `{}`; {} run(s) each, alternating; medians.",
        if args.check.is_empty() { "" } else { " " },
        args.check.join(" "),
        args.old,
        args.new,
        args.runs
    );
    println!();
    println!("| members | binary | threads | unique states | generated | depth | seconds | generated/s per core | generated per CPU second | peak memory | bytes/state | × fewer states | × faster | × old per core |");
    println!("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let (mut same_verdicts, mut steady) = (true, true);
    for &members in &args.members {
        for &threads in &args.threads {
            let (old, new) = match runs(&args, members, threads) {
                Ok(r) => r,
                Err(e) => {
                    eprintln!("idc-bench: {e}");
                    return ExitCode::from(3);
                }
            };
            let base = row("old", members, threads, &old, None);
            row("new", members, threads, &new, Some(base));
            for runs in [&old, &new] {
                if runs.iter().any(|r| {
                    r.unique != runs[0].unique
                        || r.generated != runs[0].generated
                        || r.verdicts != runs[0].verdicts
                }) {
                    steady = false;
                }
            }
            if old[0].verdicts != new[0].verdicts {
                same_verdicts = false;
            }
        }
    }
    println!();
    if same_verdicts && steady {
        println!("Both binaries gave the same verdicts and shortest lengths, each the same counts in every run.");
        ExitCode::SUCCESS
    } else if !same_verdicts {
        println!("The binaries disagree on verdicts or shortest lengths.");
        ExitCode::from(1)
    } else {
        println!("A binary found different counts or verdicts from one run to the next.");
        ExitCode::from(1)
    }
}

#[cfg(test)]
mod tests {
    use super::parse;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn flags_reach_both_binaries_and_bad_ones_are_named() {
        let p = parse(&args(&[
            "/old/idc",
            "--members",
            "1,3",
            "--symmetry",
            "--users",
            "2",
            "--max-depth",
            "9",
        ]))
        .expect("valid flags");
        assert_eq!(p.old, "/old/idc");
        assert_eq!(p.members, vec![1, 3]);
        assert_eq!(
            p.check,
            args(&["--symmetry", "--users", "2", "--max-depth", "9"])
        );
        for (bad, says) in [
            (vec![], "needs the old idc binary"),
            (vec!["o", "--members", "7"], "at most 6"),
            (vec!["o", "--members", "0"], "'0' is not a number in range"),
            (vec!["o", "--threads", "x"], "'x' is not a number in range"),
            (vec!["o", "--runs", "2,3"], "expected one number"),
            (vec!["o", "--max-depth"], "--max-depth needs a value"),
            (vec!["o", "--users", "-1"], "'-1' is not a number in range"),
            (vec!["o", "--frobnicate"], "unknown argument '--frobnicate'"),
        ] {
            let err = parse(&args(&bad)).err().expect("refused");
            assert!(err.contains(says), "{bad:?}: {err}");
        }
    }
}
