//! `idc-bench-query`: what a user property costs. The default check runs without and with
//! each expression as an extra `--invariant`, alternately in one process (so that both see
//! the same machine load), `--repeat` times each; the table gives the median seconds and
//! the ratio to the plain check (the table in `docs/queries.md`).
//!
//! ```sh
//! cargo run --release --bin idc-bench-query -- [--repeat 3] [--threads N] [--members 2] [EXPR ...]
//! ```

#![forbid(unsafe_code)]

use std::process::ExitCode;

use idc_model::properties::Kind;
use idc_model::query::Query;
use idc_model::{Config, IdcModel};
use idc_sim::engine::explore::{explore, Options};
use idc_sim::engine::properties::{Property, PropertySet};

const USAGE: &str = "usage: idc-bench-query [--repeat N] [--threads N] [--members 1..6] [EXPR ...]
  runs the default check without and with each EXPR as an extra invariant, alternately,
  N times each (default 3), and prints the median seconds and the ratio to the plain check";

/// The expressions measured when none is given: the one of `docs/queries.md`'s must-show
/// (a quantifier over accounts), one over users and accounts with effective access, and
/// one about the last step (judged on every transition).
const DEFAULT: &[&str] = &[
    "all a in accounts: source == active-directory(a) => in-org(a)",
    "all u in users: all a in accounts: reaches(u, a) => exists(u)",
    "last.call == CreateAccountAssignment && !last.refused => last.caller == management",
];

struct Args {
    repeat: usize,
    threads: usize,
    members: u8,
    exprs: Vec<String>,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut parsed = Args {
        repeat: 3,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        members: 2,
        exprs: Vec::new(),
    };
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut number = |flag: &str| -> Result<usize, String> {
            it.next()
                .and_then(|v| v.parse().ok())
                .filter(|n| *n >= 1)
                .ok_or_else(|| format!("{flag}: expected a number from 1 up"))
        };
        match arg.as_str() {
            "--repeat" => parsed.repeat = number("--repeat")?,
            "--threads" => parsed.threads = number("--threads")?,
            "--members" => {
                parsed.members = u8::try_from(number("--members")?)
                    .ok()
                    .filter(|m| *m <= 6)
                    .ok_or("--members: expected 1 to 6")?
            }
            "--help" | "-h" => return Err(String::new()),
            flag if flag.starts_with("--") => {
                return Err(format!("unknown flag '{flag}'\n{USAGE}"))
            }
            expr => parsed.exprs.push(expr.to_string()),
        }
    }
    if parsed.exprs.is_empty() {
        parsed.exprs = DEFAULT.iter().map(|e| e.to_string()).collect();
    }
    Ok(parsed)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args = match parse_args(&args) {
        Ok(a) => a,
        Err(e) if e.is_empty() => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("idc-bench-query: {e}");
            return ExitCode::from(2);
        }
    };
    let cfg = Config {
        members: args.members,
        ..Config::default()
    };
    let model = match IdcModel::new(cfg) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("idc-bench-query: {e}");
            return ExitCode::from(2);
        }
    };
    let mut sets = vec![(
        "(built-in properties only)".to_string(),
        PropertySet::builtin(),
    )];
    for expr in &args.exprs {
        let query = match Query::parse(expr, &cfg) {
            Ok(q) => q,
            Err(e) => {
                eprintln!("idc-bench-query: {expr}: {e}");
                return ExitCode::from(2);
            }
        };
        let mut set = PropertySet::builtin();
        if set
            .push(Property::user("bench", Kind::Always, query, None))
            .is_err()
        {
            unreachable!("no built-in property is named bench");
        }
        sets.push((format!("`--invariant 'bench={expr}'`"), set));
    }
    let mut seconds: Vec<Vec<f64>> = vec![Vec::new(); sets.len()];
    let mut counts = vec![(0u64, 0u64); sets.len()];
    for round in 0..args.repeat {
        for (i, (label, set)) in sets.iter().enumerate() {
            eprintln!(
                "idc-bench-query: round {} of {}: {label}",
                round + 1,
                args.repeat
            );
            let e = explore(
                &model,
                Options {
                    threads: args.threads,
                    properties: Some(set),
                    ..Options::default()
                },
            );
            seconds[i].push(e.seconds);
            counts[i] = (e.unique, e.generated);
        }
    }
    let base = median(seconds[0].clone());
    println!(
        "| check of the default model (members={}, {} threads) | unique states | generated | median seconds ({} runs) | × plain |",
        args.members, args.threads, args.repeat
    );
    println!("|---|---:|---:|---:|---:|");
    for (i, (label, _)) in sets.iter().enumerate() {
        let m = median(seconds[i].clone());
        println!(
            "| {label} | {} | {} | {m:.2} | {:.2} |",
            counts[i].0,
            counts[i].1,
            m / base
        );
    }
    ExitCode::SUCCESS
}
