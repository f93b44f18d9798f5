//! `idc-bench-stateright`: our search against stateright's own checker on the same
//! `IdcModel`, same configuration, one run: states per second and peak memory. Each
//! search runs in a child process of its own (its peak memory, `VmHWM`, is its own).
//!
//! ```sh
//! cargo run --release --bin idc-bench-stateright -- [--members 1,2] [--threads N]
//! ```
//!
//! stateright knows neither the independence of account instances nor this explorer's
//! other shortcuts, so both search the same space here: ours with the independence
//! reduction off, stateright's with one property that always holds (so that it explores
//! every state). Both count the same unique states (checked: exit 1 otherwise). Ours judges
//! every built-in property on every state as well; stateright's judges its one.

#![forbid(unsafe_code)]

#[path = "common/mod.rs"]
mod common;

use std::process::{Command, ExitCode};
use std::time::Instant;

use idc_model::{Config, IdcModel};
use idc_sim::engine::everything::Everything;
use idc_sim::engine::explore::{explore, Options};
use stateright::{Checker, Model};

const SEARCHES: [&str; 3] = ["idc", "stateright-bfs", "stateright-dfs"];

/// Runs one search; prints `unique\tseconds\tpeak_kb`.
fn child(search: &str, members: u8, threads: usize) -> Result<(), String> {
    let model = IdcModel::new(Config {
        members,
        ..Config::default()
    })
    .map_err(|e| e.to_string())?;
    let start = Instant::now();
    let unique = match search {
        "idc" => {
            explore(
                &model,
                Options {
                    threads,
                    independence: false,
                    ghosts: false,
                    ..Options::default()
                },
            )
            .unique
        }
        "stateright-bfs" => Everything(model)
            .checker()
            .threads(threads)
            .spawn_bfs()
            .join()
            .unique_state_count() as u64,
        "stateright-dfs" => Everything(model)
            .checker()
            .threads(threads)
            .spawn_dfs()
            .join()
            .unique_state_count() as u64,
        other => return Err(format!("unknown search '{other}'")),
    };
    let seconds = start.elapsed().as_secs_f64();
    println!("{unique}\t{seconds}\t{}", common::peak_kb());
    Ok(())
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--child") {
        let run = || -> Result<(), String> {
            let search = args.get(1).ok_or("child: search")?;
            let members = args
                .get(2)
                .and_then(|m| m.parse().ok())
                .ok_or("child: members")?;
            let threads = args
                .get(3)
                .and_then(|t| t.parse().ok())
                .ok_or("child: threads")?;
            child(search, members, threads)
        };
        return match run() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("idc-bench-stateright: {e}");
                ExitCode::from(2)
            }
        };
    }
    let mut members: Vec<u8> = vec![1, 2];
    let mut threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match (a.as_str(), it.next()) {
            ("--members", Some(v)) => {
                members = match v.split(',').map(str::parse).collect() {
                    Ok(m) => m,
                    Err(_) => {
                        eprintln!("idc-bench-stateright: --members: a list like 1,2");
                        return ExitCode::from(2);
                    }
                }
            }
            ("--threads", Some(v)) => match v.parse() {
                Ok(t) if t >= 1 => threads = t,
                _ => {
                    eprintln!("idc-bench-stateright: --threads: a number from 1 up");
                    return ExitCode::from(2);
                }
            },
            _ => {
                eprintln!(
                    "usage: idc-bench-stateright [--members 1,2] [--threads N]\n  our search against stateright's BFS and DFS on the same model, one child process each"
                );
                return ExitCode::from(if a == "--help" || a == "-h" { 0 } else { 2 });
            }
        }
    }
    let Ok(exe) = std::env::current_exe() else {
        eprintln!("idc-bench-stateright: cannot find its own executable");
        return ExitCode::from(3);
    };
    println!("| members | search | unique states | seconds | unique states/s | × stateright BFS | peak memory | bytes/state |");
    println!("|---:|---|---:|---:|---:|---:|---:|---:|");
    for m in members {
        let mut rows = Vec::new();
        for search in SEARCHES {
            eprintln!("idc-bench-stateright: members {m}, {search} ...");
            let out = Command::new(&exe)
                .args(["--child", search, &m.to_string(), &threads.to_string()])
                .output();
            let line = match out {
                Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
                Ok(o) => {
                    eprintln!(
                        "idc-bench-stateright: {search}: {}",
                        String::from_utf8_lossy(&o.stderr).trim()
                    );
                    return ExitCode::from(3);
                }
                Err(e) => {
                    eprintln!("idc-bench-stateright: {e}");
                    return ExitCode::from(3);
                }
            };
            let f: Vec<&str> = line.trim().split('\t').collect();
            let (Some(unique), Some(seconds), Some(kb)) = (
                f.first().and_then(|v| v.parse::<u64>().ok()),
                f.get(1).and_then(|v| v.parse::<f64>().ok()),
                f.get(2).and_then(|v| v.parse::<u64>().ok()),
            ) else {
                eprintln!(
                    "idc-bench-stateright: {search}: unreadable '{}'",
                    line.trim()
                );
                return ExitCode::from(3);
            };
            rows.push((search, unique, seconds, kb));
        }
        if rows.iter().any(|r| r.1 != rows[0].1) {
            eprintln!("idc-bench-stateright: members {m}: the searches count different states");
            return ExitCode::from(1);
        }
        let bfs_rate = rows
            .iter()
            .find(|r| r.0 == "stateright-bfs")
            .map_or(1.0, |r| r.1 as f64 / r.2.max(1e-9));
        for (search, unique, seconds, kb) in rows {
            let rate = unique as f64 / seconds.max(1e-9);
            println!(
                "| {m} | {search} | {} | {seconds:.1} | {} | {:.2} | {} MB | {} |",
                thousands(unique),
                thousands(rate as u64),
                rate / bfs_rate,
                thousands(kb / 1024),
                kb * 1024 / unique.max(1)
            );
        }
    }
    ExitCode::SUCCESS
}
