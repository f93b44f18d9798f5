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
//! idc-bench --compare OLD_IDC [--new NEW_IDC] [--members 2[,3]] [--threads 1,2] [--runs 3]
//!           [--symmetry] [--users N] [--groups N] [--permission-sets N] [--max-depth D]
//! ```
//!
//! Side by side: runs `OLD_IDC check --json` (an `idc` binary of another release) and the
//! `idc` next to this benchmark (or `--new`), alternately, each in a child process of its
//! own (see `compare.rs`): the medians, and the new binary's ratios to the old (states,
//! seconds, generated states per second and core). Both must give the same verdicts and
//! shortest lengths (exit 1 otherwise).

#![forbid(unsafe_code)]

#[path = "../common/mod.rs"]
mod common;

mod compare;

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
        common::peak_kb(),
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
