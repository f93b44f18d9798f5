//! `idc-bench`: the checker's throughput and memory for `--members 1..5`, with and without
//! symmetry reduction. Each measurement runs in a child process of its own, so that its
//! peak memory (`VmHWM` of `/proc/self/status`) is its own.
//!
//! ```sh
//! cargo run --release --bin idc-bench -- [--members 1,2,3,4,5] [--threads N] [--unreduced-up-to 3]
//! ```
//!
//! Prints a Markdown table (the one in `docs/performance.md`). Runs without symmetry beyond
//! `--unreduced-up-to` members are not run: their exact state count is known anyway (the
//! symmetric run sums its orbits' sizes), and it is far beyond this machine's memory.
//!
//! ```sh
//! idc-bench --compare OLD_IDC [--new NEW_IDC] [--members 2] [--threads 1,2] [--runs 3] [--symmetry]
//! ```
//!
//! Side by side: runs `OLD_IDC check --json` (an `idc` binary of another release) and the
//! `idc` next to this benchmark (or `--new`), alternately, each in a child process of its
//! own whose CPU time and peak memory are read with `getrusage`. Prints each run, then the
//! medians: generated states per second, per second and core (divided by the threads),
//! per CPU second, peak memory per unique state, and the new binary's ratio to the old.
//! Both must find the same states, verdicts and shortest lengths (exit 1 otherwise).

#![forbid(unsafe_code)]

use std::process::{Command, ExitCode};

use idc_model::{Config, IdcModel};
use idc_sim::engine::explore::{explore, Options};

/// One measurement, as the child prints it (tab-separated).
struct Measurement {
    members: u8,
    symmetry: bool,
    unique: u64,
    unreduced: u64,
    generated: u64,
    max_depth: u32,
    seconds: f64,
    peak_kb: u64,
    /// Per property: the shortest trace's length, if any.
    lengths: Vec<Option<usize>>,
}

fn peak_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// The child: one exploration, one line on stdout.
fn measure(members: u8, symmetry: bool, threads: usize) -> Result<(), String> {
    let model = IdcModel::new(Config {
        members,
        ..Config::default()
    })
    .map_err(|e| e.to_string())?;
    let e = explore(
        &model,
        Options {
            symmetry,
            threads,
            ..Options::default()
        },
    );
    let lengths: Vec<String> = e
        .discoveries
        .iter()
        .map(|d| d.as_ref().map_or("-".to_string(), |c| c.len().to_string()))
        .collect();
    println!(
        "{members}\t{symmetry}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
        e.unique,
        e.unique_unreduced.unwrap_or(e.unique),
        e.generated,
        e.max_depth,
        e.seconds,
        peak_kb(),
        lengths.join(",")
    );
    Ok(())
}

fn parse_line(line: &str) -> Option<Measurement> {
    let f: Vec<&str> = line.trim().split('\t').collect();
    Some(Measurement {
        members: f.first()?.parse().ok()?,
        symmetry: f.get(1)?.parse().ok()?,
        unique: f.get(2)?.parse().ok()?,
        unreduced: f.get(3)?.parse().ok()?,
        generated: f.get(4)?.parse().ok()?,
        max_depth: f.get(5)?.parse().ok()?,
        seconds: f.get(6)?.parse().ok()?,
        peak_kb: f.get(7)?.parse().ok()?,
        lengths: f.get(8)?.split(',').map(|l| l.parse().ok()).collect(),
    })
}

fn thousands(n: u64) -> String {
    idc_sim::render::thousands(n)
}

fn run_child(members: u8, symmetry: bool, threads: usize) -> Result<Measurement, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find myself: {e}"))?;
    let out = Command::new(exe)
        .args([
            "--child",
            &members.to_string(),
            &symmetry.to_string(),
            &threads.to_string(),
        ])
        .output()
        .map_err(|e| format!("cannot run a child: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "members {members} symmetry {symmetry}: child failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    parse_line(&String::from_utf8_lossy(&out.stdout))
        .ok_or_else(|| format!("members {members}: unreadable child output"))
}

struct Args {
    members: Vec<u8>,
    threads: usize,
    unreduced_up_to: u8,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut parsed = Args {
        members: vec![1, 2, 3, 4, 5],
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        unreduced_up_to: 3,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .ok_or_else(|| format!("{flag} needs a value"))
                .cloned()
        };
        match flag.as_str() {
            "--members" => {
                parsed.members = value()?
                    .split(',')
                    .map(|m| match m.parse::<u8>() {
                        Ok(n) if (1..=6).contains(&n) => Ok(n),
                        _ => Err(format!("--members: '{m}' is not a number from 1 to 6")),
                    })
                    .collect::<Result<_, _>>()?;
            }
            "--threads" => {
                parsed.threads = match value()?.parse() {
                    Ok(n) if n >= 1 => n,
                    _ => return Err("--threads: expected a number from 1 up".to_string()),
                }
            }
            "--unreduced-up-to" => {
                parsed.unreduced_up_to = value()?
                    .parse()
                    .map_err(|_| "--unreduced-up-to: expected a number".to_string())?
            }
            other => return Err(format!("unknown argument '{other}' (see the source's doc)")),
        }
    }
    Ok(parsed)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--wrap") => return compare::wrap(&args[1..]),
        Some("--compare") => return compare::main(&args[1..]),
        _ => {}
    }
    if args.first().map(String::as_str) == Some("--child") {
        let parsed = (|| -> Option<(u8, bool, usize)> {
            Some((
                args.get(1)?.parse().ok()?,
                args.get(2)?.parse().ok()?,
                args.get(3)?.parse().ok()?,
            ))
        })();
        let result = match parsed {
            Some((m, s, t)) => measure(m, s, t),
            None => Err("bad child arguments".to_string()),
        };
        return match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("idc-bench: {e}");
                ExitCode::from(2)
            }
        };
    }
    let args = match parse_args(&args) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("idc-bench: {e}");
            return ExitCode::from(2);
        }
    };
    println!(
        "| members | symmetry | unique states | states it stands for | generated | depth | seconds | generated/s | peak memory |"
    );
    println!("|---:|:---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut verdicts: Vec<Measurement> = Vec::new();
    for &m in &args.members {
        for symmetry in [false, true] {
            if !symmetry && m > args.unreduced_up_to {
                println!("| {m} | no | (not run: see the symmetric row's count) | | | | | | |");
                continue;
            }
            eprintln!("idc-bench: members {m}, symmetry {symmetry} ...");
            match run_child(m, symmetry, args.threads) {
                Ok(r) => {
                    println!(
                        "| {} | {} | {} | {} | {} | {} | {:.1} | {} | {} MB |",
                        r.members,
                        if r.symmetry { "yes" } else { "no" },
                        thousands(r.unique),
                        thousands(r.unreduced),
                        thousands(r.generated),
                        r.max_depth,
                        r.seconds,
                        thousands((r.generated as f64 / r.seconds.max(1e-9)) as u64),
                        thousands(r.peak_kb / 1024)
                    );
                    if let Some(same) = verdicts.iter().find(|v| v.members == r.members) {
                        if same.lengths != r.lengths {
                            eprintln!(
                                "idc-bench: members {m}: symmetry changed a verdict or a length"
                            );
                            return ExitCode::from(1);
                        }
                    } else {
                        verdicts.push(r);
                    }
                }
                Err(e) => {
                    eprintln!("idc-bench: {e}");
                    return ExitCode::from(3);
                }
            }
        }
    }
    // The cutoff table: each property's shortest trace length by number of members.
    println!();
    print!("| property |");
    for v in &verdicts {
        print!(" {} |", v.members);
    }
    println!();
    print!("|---|");
    for _ in &verdicts {
        print!("---:|");
    }
    println!();
    for (i, p) in idc_model::PROPERTIES.iter().enumerate() {
        print!("| {} ({}) |", p.name, p.kind.name());
        for v in &verdicts {
            match v.lengths.get(i).copied().flatten() {
                Some(n) => print!(" {n} |"),
                None => print!(
                    " {} |",
                    if p.kind == idc_model::Kind::Always {
                        "holds"
                    } else {
                        "none"
                    }
                ),
            }
        }
        println!();
    }
    ExitCode::SUCCESS
}

/// `--compare`: this release against another, side by side.
mod compare {
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
        /// Per property: name, verdict and trace length.
        verdicts: Vec<(String, String, usize)>,
    }

    struct Args {
        old: String,
        new: String,
        members: u8,
        threads: Vec<usize>,
        runs: usize,
        symmetry: bool,
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
            members: 2,
            threads: vec![1, 2],
            runs: 3,
            symmetry: false,
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
                    parsed.members = match value()?.parse() {
                        Ok(n) if (1..=6).contains(&n) => n,
                        _ => return Err("--members: expected a number from 1 to 6".into()),
                    }
                }
                "--threads" => {
                    parsed.threads = value()?
                        .split(',')
                        .map(|t| match t.parse::<usize>() {
                            Ok(n) if n >= 1 => Ok(n),
                            _ => Err(format!("--threads: '{t}' is not a number from 1 up")),
                        })
                        .collect::<Result<_, _>>()?
                }
                "--runs" => {
                    parsed.runs = match value()?.parse() {
                        Ok(n) if n >= 1 => n,
                        _ => return Err("--runs: expected a number from 1 up".into()),
                    }
                }
                "--symmetry" => parsed.symmetry = true,
                other => return Err(format!("unknown argument '{other}' (see the source's doc)")),
            }
        }
        Ok(parsed)
    }

    fn measure(bin: &str, args: &Args, threads: usize) -> Result<Run, String> {
        let me = std::env::current_exe().map_err(|e| format!("cannot find myself: {e}"))?;
        let mut cmd = Command::new(me);
        cmd.args(["--wrap", bin, "check", "--json", "--members"])
            .arg(args.members.to_string())
            .arg("--threads")
            .arg(threads.to_string());
        if args.symmetry {
            cmd.arg("--symmetry");
        }
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
        let doc: Value =
            serde_json::from_str(json).map_err(|e| format!("{bin}: check --json: {e}"))?;
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
            unique: number(&doc["states"]["unique"])?,
            generated: number(&doc["states"]["generated"])?,
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

    pub fn main(args: &[String]) -> ExitCode {
        let args = match parse(args) {
            Ok(a) => a,
            Err(e) => {
                eprintln!("idc-bench: {e}");
                return ExitCode::from(2);
            }
        };
        println!(
            "`idc check --members {}{}`; old: `{}`, new: `{}`; {} run(s) each, alternating; medians.",
            args.members,
            if args.symmetry { " --symmetry" } else { "" },
            args.old,
            args.new,
            args.runs
        );
        println!();
        println!("| binary | threads | unique states | generated | seconds | generated/s | generated/s per core | generated per CPU second | peak memory | bytes/state | × old per core |");
        println!("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        let mut same = true;
        for &threads in &args.threads {
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
                    eprintln!("idc-bench: {bin}, {threads} thread(s), run {} ...", run + 1);
                    match measure(bin, &args, threads) {
                        Ok(r) => {
                            if is_old {
                                old.push(r)
                            } else {
                                new.push(r)
                            }
                        }
                        Err(e) => {
                            eprintln!("idc-bench: {e}");
                            return ExitCode::from(3);
                        }
                    }
                }
            }
            let summary = |runs: &[Run]| {
                let seconds = median(runs.iter().map(|r| r.seconds).collect());
                let cpu = median(runs.iter().map(|r| r.cpu).collect());
                let peak = median(runs.iter().map(|r| r.peak_kb as f64).collect());
                (seconds, cpu, peak)
            };
            let (o, n) = (summary(&old), summary(&new));
            let per_core = |r: &Run, s: f64| r.generated as f64 / s / threads as f64;
            let base = per_core(&old[0], o.0);
            for (name, runs, (seconds, cpu, peak)) in [("old", &old, o), ("new", &new, n)] {
                let r = &runs[0];
                println!(
                    "| {name} | {threads} | {} | {} | {seconds:.2} | {} | {} | {} | {} MB | {:.0} | {:.2} |",
                    super::thousands(r.unique),
                    super::thousands(r.generated),
                    super::thousands((r.generated as f64 / seconds) as u64),
                    super::thousands(per_core(r, seconds) as u64),
                    super::thousands((r.generated as f64 / cpu) as u64),
                    super::thousands((peak / 1024.0) as u64),
                    peak * 1024.0 / r.unique as f64,
                    per_core(r, seconds) / base,
                );
            }
            let all = old.iter().chain(&new);
            if all.clone().any(|r| {
                r.unique != old[0].unique
                    || r.generated != old[0].generated
                    || r.verdicts != old[0].verdicts
            }) {
                same = false;
            }
        }
        println!();
        if same {
            println!(
                "Both binaries found the same states, verdicts and shortest lengths in every run."
            );
            ExitCode::SUCCESS
        } else {
            println!("The binaries disagree on states, verdicts or shortest lengths.");
            ExitCode::from(1)
        }
    }
}
