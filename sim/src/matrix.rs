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
//! Rows are explored in parallel, one exploration per thread.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use serde::Serialize;

use idc_model::properties::Kind;
use idc_model::{Config, IdcModel, Practice, Rule, PROPERTIES};

use crate::check::Search;
use crate::explore::{explore, Exploration, Options, Progress};
use crate::report::{ConfigView, StepView, Verdict};
use crate::run::run;

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

    fn label(self) -> String {
        match self {
            Variation::Relax(r) => format!("relax {r}"),
            Variation::Practice(p) => format!("practice {p}"),
        }
    }
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

    fn of(kind: Kind, base: Outcome, now: Outcome) -> Option<Effect> {
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

/// One property whose outcome differs from the baseline.
#[derive(Clone, Debug, Serialize)]
pub struct Change {
    /// The property.
    pub property: &'static str,
    /// `always` or `sometimes`.
    pub kind: &'static str,
    /// The difference.
    pub effect: Effect,
    /// The outcome in the baseline.
    pub baseline: Outcome,
    /// The outcome in this row.
    pub now: Outcome,
    /// This row's shortest counterexample or example, if it has one.
    pub trace: Option<Vec<StepView>>,
}

/// One row: a variation of the baseline and what it changes.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// `relax` or `practice`.
    pub variation: &'static str,
    /// The rule id or the practice name.
    pub name: &'static str,
    /// The rule's sources, for rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'static str>,
    /// What the guard or the practice does.
    pub summary: &'static str,
    /// Whether the baseline already has this variation (then nothing can differ).
    pub in_baseline: bool,
    /// Every property whose outcome differs from the baseline.
    pub changes: Vec<Change>,
    /// The `always` properties this row breaks (holds in the baseline, violated here).
    pub breaks: Vec<&'static str>,
    /// The `always` properties this row fixes (violated in the baseline, holding here).
    pub fixes: Vec<&'static str>,
    /// Distinct states explored.
    pub unique: u64,
    /// Seconds.
    pub seconds: f64,
}

/// A property's outcome in the baseline.
#[derive(Clone, Debug, Serialize)]
pub struct BaselineProperty {
    /// The property.
    pub property: &'static str,
    /// `always` or `sometimes`.
    pub kind: &'static str,
    /// Its rule ids.
    pub rules: &'static [&'static str],
    /// Verdict and length.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// The whole matrix.
#[derive(Clone, Debug, Serialize)]
pub struct MatrixReport {
    /// The baseline configuration.
    pub config: ConfigView,
    /// Whether symmetry reduction was used (it changes no outcome).
    pub symmetry: bool,
    /// The baseline's outcomes.
    pub baseline: Vec<BaselineProperty>,
    /// One row per rule the model implements as a guard, in catalogue order.
    pub rules: Vec<Row>,
    /// One row per best practice.
    pub practices: Vec<Row>,
    /// The rules whose relaxation breaks no property of the baseline.
    pub rules_breaking_nothing: Vec<&'static str>,
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

fn outcomes(e: &Exploration) -> Vec<Outcome> {
    PROPERTIES
        .iter()
        .zip(&e.discoveries)
        .map(|(p, d)| Outcome {
            verdict: Verdict::of(p.kind, d.is_some()),
            length: d.as_ref().map(Vec::len),
        })
        .collect()
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

/// Runs the matrix on `base`. `threads` explorations run at once (each single-threaded);
/// `progress` is told whenever a row starts, advances or finishes.
pub fn matrix(
    base: Config,
    search: Search,
    progress: Option<&(dyn Fn(&MatrixProgress) + Sync)>,
) -> Result<MatrixReport, idc_model::ConfigError> {
    let start = Instant::now();
    let rows = variations();
    // Job 0 is the baseline, job i + 1 is rows[i].
    let configs: Vec<Config> = std::iter::once(base)
        .chain(rows.iter().map(|v| v.apply(base)))
        .collect();
    let models = configs
        .into_iter()
        .map(IdcModel::new)
        .collect::<Result<Vec<_>, _>>()?;
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
            let (next, results, status, models, labels) =
                (&next, &results, &status, &models, &labels);
            let tell = &tell;
            scope.spawn(move || loop {
                let job = next.fetch_add(1, Ordering::Relaxed);
                let Some(model) = models.get(job) else { break };
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
                let e = explore(
                    model,
                    Options {
                        symmetry: search.symmetry,
                        threads: 1,
                        progress: Some(&mut on_progress),
                        ..Options::default()
                    },
                );
                lock(results.lock())[job] = Some(e);
                let mut st = lock(status.lock());
                st.0 += 1;
                st.1[worker] = (String::new(), None);
                tell(&st);
            });
        }
    });
    let results: Vec<Exploration> = lock(results.into_inner())
        .into_iter()
        .map(|e| e.expect("every job ran"))
        .collect();

    let base_outcomes = outcomes(&results[0]);
    let mut rule_rows = Vec::new();
    let mut practice_rows = Vec::new();
    for (i, v) in rows.iter().enumerate() {
        let (model, e) = (&models[i + 1], &results[i + 1]);
        let now = outcomes(e);
        let mut changes = Vec::new();
        for (j, prop) in PROPERTIES.iter().enumerate() {
            let Some(effect) = Effect::of(prop.kind, base_outcomes[j], now[j]) else {
                continue;
            };
            let trace = e.discoveries[j]
                .as_ref()
                .map(|actions| StepView::of_run(&run(model, actions).0));
            changes.push(Change {
                property: prop.name,
                kind: prop.kind.name(),
                effect,
                baseline: base_outcomes[j],
                now: now[j],
                trace,
            });
        }
        let with = |effect| {
            changes
                .iter()
                .filter(|c| c.effect == effect)
                .map(|c| c.property)
                .collect()
        };
        let (variation, name, source, summary) = match *v {
            Variation::Relax(r) => ("relax", r.id(), Some(r.source()), r.summary()),
            Variation::Practice(p) => ("practice", p.name(), None, p.summary()),
        };
        let row = Row {
            variation,
            name,
            source,
            summary,
            in_baseline: v.in_baseline(&base),
            breaks: with(Effect::Breaks),
            fixes: with(Effect::Fixes),
            changes,
            unique: e.unique,
            seconds: e.seconds,
        };
        match v {
            Variation::Relax(_) => rule_rows.push(row),
            Variation::Practice(_) => practice_rows.push(row),
        }
    }
    let rules_breaking_nothing = rule_rows
        .iter()
        .filter(|r| r.breaks.is_empty())
        .map(|r| r.name)
        .collect();
    Ok(MatrixReport {
        config: ConfigView::of(&base),
        symmetry: search.symmetry,
        baseline: PROPERTIES
            .iter()
            .zip(base_outcomes)
            .map(|(p, outcome)| BaselineProperty {
                property: p.name,
                kind: p.kind.name(),
                rules: p.rules,
                outcome,
            })
            .collect(),
        rules: rule_rows,
        practices: practice_rows,
        rules_breaking_nothing,
        seconds: start.elapsed().as_secs_f64(),
    })
}
