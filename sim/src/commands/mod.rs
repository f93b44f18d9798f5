//! One module per command: each turns its arguments into the engine's options, runs it,
//! writes its report through [`crate::output`], and returns how it ended
//! ([`exit::Status`]) or why it could not do its job ([`Failure`], said once by `main`).

pub mod check;
pub mod compare;
pub mod explore;
pub mod export;
pub mod find;
pub mod import;
pub mod matrix;
pub mod recover;
pub mod replay;
pub mod rules;
pub mod simulate;
pub mod state;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use idc_model::echo::{echo, echo_path};
use idc_model::properties::Kind;
use idc_model::query::Query;
use idc_model::{AccountNames, Action, Config, IdcModel};
use idc_sim::engine::check::Split;
use idc_sim::engine::explore::{
    explore, symmetry_of, Exploration, Options, Progress as Figures, Stop,
};
use idc_sim::engine::properties::{check_name, Property, PropertySet};
use idc_sim::engine::replay::{end_of, start_of_steps};
use idc_sim::engine::trace::Start;
use idc_sim::format::design::{self, apply_forbid, Design};
use idc_sim::format::{properties, trace};
use idc_sim::render::thousands;

use crate::cli::{FromArgs, ModelArgs, SearchArgs, UserPropertyArgs};
use crate::exit::{self, Failure};
use crate::output::{self, Progress};

/// Raised by Ctrl-C: searches and simulations stop at their next check and report what
/// they found so far. A second Ctrl-C exits at once.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Installs the Ctrl-C handler (once; if it can't be installed, Ctrl-C keeps its default
/// effect of ending the process).
pub fn catch_interrupt() {
    let _ = ctrlc::set_handler(|| {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            std::process::exit(i32::from(exit::INTERRUPTED));
        }
    });
}

/// The default `--max-memory`: three quarters of the memory the system says is available
/// (`MemAvailable` of `/proc/meminfo`), or 4 GiB where that can't be read.
pub fn default_max_memory() -> u64 {
    let available = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("MemAvailable:"))
                .and_then(|rest| rest.trim().strip_suffix("kB"))
                .and_then(|kb| kb.trim().parse::<u64>().ok())
        })
        .map(|kb| kb * 1024);
    available.map_or(4 << 30, |bytes| bytes / 4 * 3)
}

/// A byte count for people: `1.5 GiB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// A duration for people, as `--max-time` takes it: `90s`, `5m`, `2h`.
pub fn duration(d: std::time::Duration) -> String {
    let s = d.as_secs();
    if s > 0 && s % 3600 == 0 {
        format!("{}h", s / 3600)
    } else if s > 0 && s % 60 == 0 {
        format!("{}m", s / 60)
    } else {
        format!("{s}s")
    }
}

/// Tells stderr why a search stopped early (one line), unless it was the depth bound the
/// user asked for; what to try names `--symmetry` unless the search asked for it already.
pub fn tell_stop(stop: Option<Stop>, symmetry: bool) {
    let smaller = if symmetry {
        "fewer members, users, groups or permission sets"
    } else {
        "--symmetry, fewer members, users, groups or permission sets"
    };
    match stop {
        Some(Stop::Memory { needed, limit }) => output::error(format!(
            "stopped: the search would need {} of memory, over --max-memory {}; try {smaller}, or a larger --max-memory",
            bytes(needed),
            bytes(limit)
        )),
        Some(Stop::Time { limit }) => output::error(format!(
            "stopped: --max-time {} reached; reporting what was found so far (try {smaller}, or a larger --max-time)",
            duration(limit)
        )),
        Some(Stop::Interrupted) => output::error("interrupted: reporting what was found so far"),
        Some(Stop::MaxDepth | Stop::Found) | None => {}
    }
}

/// The model of a configuration, or the usage error.
pub fn model_of(cfg: Config) -> Result<IdcModel, Failure> {
    IdcModel::new(cfg).map_err(Failure::usage)
}

/// What a command runs: the model, where it starts, and the design it came from (if any).
pub struct Setup {
    /// The model of the configuration (a design's or a trace's, with the flags over it).
    pub model: IdcModel,
    /// Where to start.
    pub start: Start,
    /// The design (`--design`), with its file's name for messages.
    pub design: Option<(String, Design)>,
}

/// The model and where to start: the command line's configuration and its initial state;
/// or, `--from TRACE`, the trace's configuration with the flags over it, and the state the
/// trace ends in (it must replay: exit 2 otherwise); or, `--design FILE`, the design's
/// configuration and threat model with the flags over them, and the state its start calls
/// lead to (each must succeed: exit 2 otherwise). `--forbid` narrows the threat model last.
pub fn setup(args: &ModelArgs, from: &FromArgs) -> Result<Setup, Failure> {
    if let Some(path) = &from.design {
        return setup_design(args, &from.forbid, path, "--design ");
    }
    let Some(path) = &from.from else {
        let cfg = args.config().map_err(Failure::usage)?;
        let model = forbidden_model(cfg, &AccountNames::default(), &from.forbid)?;
        let start = Start::initial(&model);
        return Ok(Setup {
            model,
            start,
            design: None,
        });
    };
    let t = trace::read(path).map_err(|e| Failure::usage(format!("--from {e}")))?;
    let file = echo_path(&path.display().to_string());
    let cfg = args
        .over_trace(t.config)
        .map_err(|e| Failure::usage(format!("--from {file}: {e}")))?;
    let model = forbidden_model(cfg, &t.names, &from.forbid)?;
    let start = end_of(&model, &t).ok_or_else(|| {
        Failure::usage(format!("--from {file}: the trace does not replay under this configuration, so it ends in no state (see 'idc replay {file}')"))
    })?;
    Ok(Setup {
        model,
        start,
        design: None,
    })
}

/// [`setup`] with `--design` (and `compare`'s designs): the design file at `path`, the
/// model flags over it, `forbid` last. Every error names the file after `origin`
/// (`--design `, `compare: `).
pub fn setup_design(
    args: &ModelArgs,
    forbid: &[(String, Option<String>)],
    path: &Path,
    origin: &str,
) -> Result<Setup, Failure> {
    let file = echo_path(&path.display().to_string());
    let d = design::read(path).map_err(|e| Failure::usage(format!("{origin}{file}: {e}")))?;
    let cfg = args
        .over_design(d.config)
        .map_err(|e| Failure::usage(format!("{origin}{file}: {e}")))?;
    let model = forbidden_model(cfg, &d.names, forbid)?;
    let start = start_of_steps(&model, &d.start, &d.names).map_err(|r| {
        let why = match r.refusal {
            Some(refusal) => format!("AWS refuses it: {refusal}"),
            None => {
                "no reading of the undocumented points lets it and the start steps after it succeed"
                    .to_string()
            }
        };
        Failure::usage(format!(
            "{origin}{file}: [start] step {} ({}): {why}",
            r.step, r.call
        ))
    })?;
    tell_readings_taken(&file, &d, &start);
    Ok(Setup {
        model,
        start,
        design: Some((file, d)),
    })
}

/// The model of `cfg` with `--forbid`'s exclusions applied last (accounts by model id or by
/// `names`): the one tail of every way [`setup`] finds a configuration.
fn forbidden_model(
    mut cfg: Config,
    names: &AccountNames,
    forbid: &[(String, Option<String>)],
) -> Result<IdcModel, Failure> {
    apply_forbid(&mut cfg, names, forbid).map_err(Failure::usage)?;
    model_of(cfg)
}

/// Says on stderr which start steps of a design met an undocumented point without naming
/// its reading: the checker took the first reading that lets every start step succeed, and
/// today's organization may have taken another (a note, not an error: name the step's
/// `branch` to pin it).
fn tell_readings_taken(file: &str, d: &Design, start: &Start) {
    let taken: Vec<String> = d
        .start
        .iter()
        .zip(&start.steps)
        .enumerate()
        .filter(|(_, (asked, _))| asked.branch.is_none())
        .filter_map(|(i, (_, taken))| {
            let b = taken.branch.filter(|b| !b.is_none())?;
            let readings: Vec<String> = b.named().map(|(k, v)| format!("{k}={v}")).collect();
            Some(format!("step {} {}", i + 1, readings.join(", ")))
        })
        .collect();
    if !taken.is_empty() {
        output::error(format!(
            "note: {file}: the design's start took readings it does not name ({}); if your organization took others, name them in the step's `branch` (docs/designs.md)",
            taken.join("; ")
        ));
    }
}

/// Compiles one user property, or says which and where it is wrong (exit 2).
fn user_property(
    cfg: &Config,
    names: &AccountNames,
    origin: &str,
    name: &str,
    kind: Kind,
    text: &str,
    description: Option<&str>,
) -> Result<Property, Failure> {
    check_name(name).map_err(|e| Failure::usage(format!("{origin}: {e}")))?;
    let query = Query::parse_named(text, cfg, names)
        .map_err(|e| Failure::usage(format!("{origin} {}: {e}", echo(name))))?;
    Ok(Property::user(name, kind, query, description))
}

/// The properties of a check: the built-in ones, then a design's, then those of
/// `--properties`, then every `--invariant` and `--reachable`, in order; a name used twice
/// is an error (exit 2).
pub fn properties_of(
    cfg: &Config,
    args: &UserPropertyArgs,
    design: Option<&(String, Design)>,
) -> Result<PropertySet, Failure> {
    let mut set = PropertySet::builtin();
    let no_names = AccountNames::default();
    let names = design.map_or(&no_names, |(_, d)| &d.names);
    let add = |set: &mut PropertySet, origin: &str, p: Property| {
        set.push(p).map_err(|p| {
            Failure::usage(format!("{origin}: property '{}' is defined twice", p.name))
        })
    };
    let mut files: Vec<(String, Vec<properties::NamedExpression>)> = Vec::new();
    if let Some((file, d)) = design {
        files.push((format!("--design {file}"), d.properties.clone()));
    }
    if let Some(path) = &args.properties {
        let file = echo_path(&path.display().to_string());
        let named = properties::read(path).map_err(|e| Failure::usage(format!("{file}: {e}")))?;
        files.push((file, named));
    }
    for (file, named) in files {
        for n in named {
            let table = match n.kind {
                Kind::Always => "invariants",
                Kind::Sometimes => "reachable",
            };
            let origin = format!("{file}: {table}");
            let p = user_property(
                cfg,
                names,
                &origin,
                &n.name,
                n.kind,
                &n.expression,
                n.description.as_deref(),
            )?;
            add(&mut set, &file, p)?;
        }
    }
    for (flag, kind, list) in [
        ("--invariant", Kind::Always, &args.invariant),
        ("--reachable", Kind::Sometimes, &args.reachable),
    ] {
        for (name, text) in list {
            let p = user_property(cfg, names, flag, name, kind, text, None)?;
            add(&mut set, flag, p)?;
        }
    }
    Ok(set)
}

/// The expected verdicts: a design's, each replaced by an `--expect` flag for the same
/// property.
pub fn expectations_of(
    flags: &[(String, String)],
    design: Option<&(String, Design)>,
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = design
        .map(|(_, d)| d.expect.clone())
        .unwrap_or_default()
        .into_iter()
        .filter(|(name, _)| !flags.iter().any(|(f, _)| f == name))
        .collect();
    out.extend(flags.iter().cloned());
    out
}

/// Symmetry asked for, but unsound for the search, in part or in whole: said once on stderr
/// (the search runs without that part; verdicts do not depend on it).
pub fn tell_no_symmetry(asked: bool, from: bool, cfg: &Config, properties: &PropertySet) {
    if !asked {
        return;
    }
    if from {
        output::error(
            "note: --symmetry is not used from a start state other than the initial one (--from, a design's start): it may tell member accounts or identities apart",
        );
        return;
    }
    let used = symmetry_of(cfg, true, true, true, properties);
    let accounts = if !cfg.threat.members_alike(cfg.members) {
        Some("the threat model treats member accounts differently".to_string())
    } else {
        properties
            .naming_members()
            .map(|p| format!("property '{}' names a member account", p.name))
    };
    let several = cfg.users > 1 || cfg.groups > 1 || cfg.permission_sets > 1;
    let identities = properties.naming_identities().filter(|_| several).map(|p| {
        format!(
            "property '{}' names a user, a group or a permission set",
            p.name
        )
    });
    match (accounts, identities) {
        (Some(why), _) if !used.identities => {
            output::error(format!("note: --symmetry is not used: {why}"));
        }
        (Some(why), _) => output::error(format!(
            "note: --symmetry renames users, groups and permission sets, not member accounts: {why}"
        )),
        (None, Some(why)) => output::error(format!(
            "note: --symmetry renames member accounts, not users, groups and permission sets: {why}"
        )),
        (None, None) => {}
    }
}

/// The exhaustive search of `check` and `find` from `start`, judging `properties` (with
/// `until_found`: stopping at the first level where every property is found): the search
/// flags, progress on stderr unless `json`, Ctrl-C, and the notes on symmetry not used and
/// on a search stopped early. With `slice` (`check` without `--whole`), the properties that
/// don't read identities are judged on the organization slice where it applies, and the
/// whole search stops once it has found the others ([`Split`]).
#[allow(clippy::too_many_arguments)]
pub fn search(
    model: &IdcModel,
    start: &Start,
    properties: &PropertySet,
    args: &SearchArgs,
    json: bool,
    max_depth: Option<u32>,
    until_found: bool,
    slice: bool,
) -> Exploration {
    let search = args.search();
    tell_no_symmetry(
        search.symmetry,
        !start.is_initial(),
        model.config(),
        properties,
    );
    let mut progress = Progress::new(json, args.progress);
    let mut show = |p: Figures| {
        if let Some(pr) = progress.as_mut() {
            pr.show(&check::figures(&p));
        }
    };
    let began = std::time::Instant::now();
    let mut run = |properties: &PropertySet, until_found: bool, slice: bool| {
        explore(
            model,
            Options {
                max_depth,
                progress: Some(&mut show),
                symmetry: search.symmetry,
                threads: search.threads,
                max_memory: Some(args.max_memory.unwrap_or_else(default_max_memory)),
                // One budget for both searches of a split.
                max_time: args.max_time.map(|t| t.saturating_sub(began.elapsed())),
                interrupt: Some(&INTERRUPTED),
                properties: Some(properties),
                start: (!start.is_initial()).then(|| start.state.clone()),
                until_found,
                slice,
                ..Options::default()
            },
        )
    };
    let split = if slice && !until_found {
        Split::of(model.config(), properties)
    } else {
        None
    };
    let mut e = match split {
        None => run(properties, until_found, false),
        Some(split) => split.run(run),
    };
    if let (Some(Stop::Time { limit }), Some(asked)) = (&mut e.stop, args.max_time) {
        // Each search was given what was left of it: the user's limit is the one reached.
        *limit = asked;
    }
    if let Some(pr) = progress.as_mut() {
        pr.done();
    }
    tell_stop(e.stop, search.symmetry);
    e
}

/// Writes trace files, telling stderr where.
pub fn write_traces(
    dir: &Path,
    model: &IdcModel,
    start: &Start,
    found: &[(&Property, Vec<Action>)],
) -> Result<(), Failure> {
    match trace::write_discoveries(dir, model, start, found) {
        Ok(paths) => output::note(format!(
            "wrote {} trace file{} to {}",
            thousands(paths.len() as u64),
            if paths.len() == 1 { "" } else { "s" },
            dir.display()
        )),
        Err(e) => Err(Failure::write(e)),
    }
}
