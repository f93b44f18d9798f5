//! `idc check --matrix`: what each guard and each best practice is worth.
//!
//! The configuration given on the command line is the *baseline*. Each row of the matrix
//! checks the baseline with one more change: one rule's guard switched off (`--relax`), or
//! one more best practice of the management account (`--practice`). Each row is compared
//! with the baseline, property by property: a relaxed guard can only add transitions (its
//! refusal becomes a success), so it can break properties or shorten their
//! counterexamples, never repair one; a practice can only remove transitions of the
//! management account, so it can repair properties or lengthen counterexamples, never
//! break one. The report still classifies every difference it finds, whatever its
//! direction, so a surprise would show.
//!
//! From a design ([`matrix_from`]), every row starts where the design's start calls lead
//! under *that row's* configuration (a relaxed guard or a practice may change whether they
//! succeed: such a row is not explored, and says why).
//!
//! Rows are explored in parallel, one exploration per thread.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use std::sync::atomic::AtomicBool;

use serde::Serialize;

use idc_model::properties::Kind;
use idc_model::{AccountNames, Config, IdcModel, Practice, Rule};

use crate::engine::check::{Search, Split};
use crate::engine::explore::{explore, symmetry_of, Exploration, Options, Progress};
use crate::engine::properties::PropertySet;
use crate::engine::replay::{start_of_steps, StartRefused};
use crate::engine::trace::{Start, TraceStep};
use crate::engine::verdict::Verdict;

/// What bounds every exploration of a matrix: the memory, shared by the rows explored at
/// once, and the interrupt flag.
#[derive(Clone, Copy, Debug, Default)]
pub struct Limits<'a> {
    /// The memory all running rows may hold together.
    pub max_memory: Option<u64>,
    /// When every row stops.
    pub deadline: Option<Instant>,
    /// Stop once raised.
    pub interrupt: Option<&'a AtomicBool>,
}

/// What one row changes with respect to the baseline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variation {
    /// One more relaxed rule.
    Relax(Rule),
    /// One more practice.
    Practice(Practice),
}

impl Variation {
    /// The baseline configuration with this variation.
    pub fn apply(self, base: Config) -> Config {
        let mut cfg = base;
        match self {
            Variation::Relax(r) => cfg.relaxed.insert(r),
            Variation::Practice(p) => cfg.practices.insert(p),
        }
        cfg
    }

    /// Whether the baseline already has it (the row then equals the baseline).
    pub fn in_baseline(self, base: &Config) -> bool {
        match self {
            Variation::Relax(r) => base.relaxed.contains(r),
            Variation::Practice(p) => base.practices.contains(p),
        }
    }

    /// How progress lines name the row.
    pub fn label(self) -> String {
        match self {
            Variation::Relax(r) => format!("relax {r}"),
            Variation::Practice(p) => format!("practice {p}"),
        }
    }
}

/// A row's start and exploration, or why the design's start calls fail under its
/// configuration (it is then not explored).
pub type RowRun = Result<(Start, Exploration), StartRefused>;

/// Where a row starts, or why the design's start calls fail under its configuration.
type RowStart = Result<Start, StartRefused>;

/// The explorations of a matrix: the baseline's and one per variation.
#[derive(Clone, Debug)]
pub struct MatrixRun {
    /// The baseline configuration.
    pub base: Config,
    /// Whether symmetry reduction was used.
    pub symmetry: bool,
    /// The properties judged (built-in ones first).
    pub properties: PropertySet,
    /// The baseline's model, start and exploration.
    pub baseline: (IdcModel, Start, Exploration),
    /// Each variation with its model and, where its start calls succeed, its start and
    /// exploration (else why they don't), rules first.
    pub rows: Vec<(Variation, IdcModel, RowRun)>,
    /// Wall-clock seconds for the whole matrix.
    pub seconds: f64,
}

/// Where a running matrix stands, for progress reports.
#[derive(Clone, Debug)]
pub struct MatrixProgress {
    /// Rows (the baseline included) finished.
    pub done: usize,
    /// Rows in all.
    pub total: usize,
    /// What each running exploration is doing: its label and latest progress.
    pub running: Vec<(String, Option<Progress>)>,
    /// Seconds since the start.
    pub seconds: f64,
}

/// Rows done, and per worker: the label of its row (empty when idle) and its progress.
type Status = (usize, Vec<(String, Option<Progress>)>);

/// The value behind a lock; a poisoned lock means a worker panicked (a bug): pass it on.
fn lock<T>(result: Result<T, std::sync::PoisonError<T>>) -> T {
    match result {
        Ok(value) => value,
        Err(e) => panic!("matrix worker failed: {e}"),
    }
}

/// Every variation of the matrix, rules first (the relaxable ones: DA-6 and DA-8 would
/// change nothing, see [`Rule::relaxable`]).
pub fn variations() -> Vec<Variation> {
    Rule::ALL
        .iter()
        .filter(|r| r.relaxable())
        .map(|&r| Variation::Relax(r))
        .chain(Practice::ALL.iter().map(|&p| Variation::Practice(p)))
        .collect()
}

/// Why a matrix can't run: a configuration the model refuses, or a baseline whose start
/// calls AWS refuses.
#[derive(Clone, Debug)]
pub enum MatrixError {
    /// The configuration is invalid.
    Config(idc_model::ConfigError),
    /// The baseline's start calls don't all succeed.
    Start(StartRefused),
}

/// Runs the matrix on `base` from its initial state, judging `properties`. `threads`
/// explorations run at once (each single-threaded); `progress` is told whenever a row
/// starts, advances or finishes.
pub fn matrix(
    base: Config,
    properties: &PropertySet,
    search: Search,
    limits: Limits<'_>,
    progress: Option<&(dyn Fn(&MatrixProgress) + Sync)>,
) -> Result<MatrixRun, idc_model::ConfigError> {
    matrix_from(base, None, properties, search, limits, progress).map_err(|e| match e {
        MatrixError::Config(c) => c,
        MatrixError::Start(_) => unreachable!("no start calls"),
    })
}

/// The model and start of every job: job 0 is the baseline, job i + 1 is `rows[i]`; the
/// baseline's start calls must succeed.
fn jobs(
    base: Config,
    rows: &[Variation],
    from: Option<(&[TraceStep], &AccountNames)>,
) -> Result<(Vec<IdcModel>, Vec<RowStart>), MatrixError> {
    let configs: Vec<Config> = std::iter::once(base)
        .chain(rows.iter().map(|v| v.apply(base)))
        .collect();
    let models = configs
        .into_iter()
        .map(IdcModel::new)
        .collect::<Result<Vec<_>, _>>()
        .map_err(MatrixError::Config)?;
    let starts: Vec<RowStart> = models
        .iter()
        .map(|m| match from {
            Some((steps, names)) => start_of_steps(m, steps, names),
            None => Ok(Start::initial(m)),
        })
        .collect();
    if let Err(r) = &starts[0] {
        return Err(MatrixError::Start(r.clone()));
    }
    Ok((models, starts))
}

/// One row's check, as `idc check` checks: the organization slice where it applies to the
/// row's configuration ([`Split`]), one thread, a share of the memory.
fn check_row(
    model: &IdcModel,
    properties: &PropertySet,
    from: &Start,
    symmetry: bool,
    limits: Limits<'_>,
    workers: usize,
    on_progress: &mut dyn FnMut(Progress),
) -> Exploration {
    let mut search_with = |properties: &PropertySet, until_found, slice| {
        explore(
            model,
            Options {
                symmetry,
                threads: 1,
                progress: Some(&mut *on_progress),
                max_memory: limits.max_memory.map(|m| m / workers as u64),
                max_time: limits
                    .deadline
                    .map(|d| d.saturating_duration_since(Instant::now())),
                interrupt: limits.interrupt,
                properties: Some(properties),
                start: (!from.is_initial()).then(|| from.state.clone()),
                until_found,
                slice,
                ..Options::default()
            },
        )
    };
    match Split::of(model.config(), properties) {
        Some(split) => split.run(search_with),
        None => search_with(properties, false, false),
    }
}

/// [`matrix`] from a design's start calls (`from`: the steps and the design's names),
/// replayed under each row's configuration. Symmetry is not used from a start other than
/// the initial state.
pub fn matrix_from(
    base: Config,
    from: Option<(&[TraceStep], &AccountNames)>,
    properties: &PropertySet,
    search: Search,
    limits: Limits<'_>,
    progress: Option<&(dyn Fn(&MatrixProgress) + Sync)>,
) -> Result<MatrixRun, MatrixError> {
    let search = Search {
        symmetry: search.symmetry && from.is_none_or(|(steps, _)| steps.is_empty()),
        ..search
    };
    let start = Instant::now();
    let rows = variations();
    let (models, starts) = jobs(base, &rows, from)?;
    let labels: Vec<String> = std::iter::once("baseline".to_string())
        .chain(rows.iter().map(|v| v.label()))
        .collect();

    let next = AtomicUsize::new(0);
    let workers = search.threads.clamp(1, models.len());
    let results: Mutex<Vec<Option<Exploration>>> = Mutex::new(vec![None; models.len()]);
    let status: Mutex<Status> = Mutex::new((0, vec![(String::new(), None); workers]));
    let tell = |status: &Status| {
        if let Some(progress) = progress {
            progress(&MatrixProgress {
                done: status.0,
                total: models.len(),
                running: status
                    .1
                    .iter()
                    .filter(|(label, _)| !label.is_empty())
                    .cloned()
                    .collect(),
                seconds: start.elapsed().as_secs_f64(),
            });
        }
    };
    std::thread::scope(|scope| {
        for worker in 0..workers {
            let (next, results, status, models, labels, starts) =
                (&next, &results, &status, &models, &labels, &starts);
            let tell = &tell;
            scope.spawn(move || loop {
                let job = next.fetch_add(1, Ordering::Relaxed);
                let Some(model) = models.get(job) else { break };
                let Ok(from) = &starts[job] else {
                    lock(status.lock()).0 += 1;
                    continue;
                };
                {
                    let mut st = lock(status.lock());
                    st.1[worker] = (labels[job].clone(), None);
                    tell(&st);
                }
                let mut on_progress = |p: Progress| {
                    let mut st = lock(status.lock());
                    st.1[worker].1 = Some(p);
                    tell(&st);
                };
                let e = check_row(
                    model,
                    properties,
                    from,
                    search.symmetry,
                    limits,
                    workers,
                    &mut on_progress,
                );
                lock(results.lock())[job] = Some(e);
                let mut st = lock(status.lock());
                st.0 += 1;
                st.1[worker] = (String::new(), None);
                tell(&st);
            });
        }
    });
    let mut results = lock(results.into_inner()).into_iter().zip(starts);
    let (Some(baseline), Ok(base_start)) = results
        .next()
        .unwrap_or_else(|| unreachable!("job 0 exists"))
    else {
        unreachable!("job 0 starts and runs")
    };
    let mut models = models.into_iter();
    let base_model = models
        .next()
        .unwrap_or_else(|| unreachable!("job 0 exists"));
    Ok(MatrixRun {
        base,
        symmetry: symmetry_of(&base, search.symmetry, true, true, properties).any(),
        properties: properties.clone(),
        baseline: (base_model, base_start, baseline),
        rows: rows
            .into_iter()
            .zip(models)
            .zip(results)
            .map(|((v, m), (e, s))| {
                let run = s.map(|s| (s, e.expect("every job that starts runs")));
                (v, m, run)
            })
            .collect(),
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// A property's verdict and the length of its shortest trace, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// The verdict.
    pub verdict: Verdict,
    /// The length of the shortest counterexample or example.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub length: Option<usize>,
}

/// How a property's outcome differs from the baseline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Effect {
    /// An `always` property that holds in the baseline is violated.
    Breaks,
    /// An `always` property violated in the baseline holds.
    Fixes,
    /// A shorter counterexample or example than in the baseline.
    Shortens,
    /// A longer counterexample or example than in the baseline.
    Lengthens,
    /// A `sometimes` property without example in the baseline has one.
    Enables,
    /// A `sometimes` property with an example in the baseline has none.
    Disables,
}

impl Effect {
    /// The effect's name.
    pub fn name(self) -> &'static str {
        match self {
            Effect::Breaks => "breaks",
            Effect::Fixes => "fixes",
            Effect::Shortens => "shortens",
            Effect::Lengthens => "lengthens",
            Effect::Enables => "enables",
            Effect::Disables => "disables",
        }
    }

    /// The effect, if one is known: an outcome without a trace from a search that stopped
    /// early is unknown, and nothing is said about it (the matrix report says so in its `unknown` column).
    pub fn of(kind: Kind, base: Outcome, now: Outcome) -> Option<Effect> {
        if base.verdict == Verdict::Unknown || now.verdict == Verdict::Unknown {
            return None;
        }
        match (kind, base.length, now.length) {
            (_, Some(b), Some(n)) if n < b => Some(Effect::Shortens),
            (_, Some(b), Some(n)) if n > b => Some(Effect::Lengthens),
            (_, Some(_), Some(_)) | (_, None, None) => None,
            (Kind::Always, None, Some(_)) => Some(Effect::Breaks),
            (Kind::Always, Some(_), None) => Some(Effect::Fixes),
            (Kind::Sometimes, None, Some(_)) => Some(Effect::Enables),
            (Kind::Sometimes, Some(_), None) => Some(Effect::Disables),
        }
    }
}

/// Each property's outcome in an exploration: its verdict and the length of its trace.
pub fn outcomes(properties: &PropertySet, e: &Exploration) -> Vec<Outcome> {
    properties
        .iter()
        .zip(&e.discoveries)
        .map(|(p, d)| Outcome {
            verdict: Verdict::of(p.kind, d.is_some(), e.complete),
            length: d.as_ref().map(Vec::len),
        })
        .collect()
}
