//! `idc check`: explore exhaustively, judge every property, keep the shortest traces.

use std::io::IsTerminal;

use idc_model::properties::Kind;
use idc_model::{Config, IdcModel, PROPERTIES};

use crate::cli::Expectation;
use crate::explore::{explore, Exploration, Options, Progress};
use crate::report::{
    CheckReport, ConfigView, PropertyView, StatesView, StepView, SymmetryView, Verdict,
};
use crate::run::run;

/// Explores the model of `cfg` and builds the report. `progress` is told about long runs.
pub fn check(
    model: &IdcModel,
    max_depth: Option<u32>,
    progress: Option<&mut dyn FnMut(Progress)>,
) -> (Exploration, CheckReport) {
    check_with(model, Search::default(), max_depth, progress)
}

/// How an exploration searches: symmetry reduction and threads (neither changes a verdict
/// or a trace length).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Search {
    /// Identify states up to renaming member accounts.
    pub symmetry: bool,
    /// Threads that expand states.
    pub threads: usize,
}

impl Default for Search {
    fn default() -> Search {
        Search {
            symmetry: false,
            threads: 1,
        }
    }
}

/// [`check`] with a [`Search`].
pub fn check_with(
    model: &IdcModel,
    search: Search,
    max_depth: Option<u32>,
    progress: Option<&mut dyn FnMut(Progress)>,
) -> (Exploration, CheckReport) {
    let exploration = explore(
        model,
        Options {
            max_depth,
            progress,
            symmetry: search.symmetry,
            threads: search.threads,
            ..Options::default()
        },
    );
    let report = report(model, &exploration);
    (exploration, report)
}

/// The number of threads to use when the user does not say: the machine's cores.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Builds the report of an exploration (traces replayed to describe each step).
pub fn report(model: &IdcModel, e: &Exploration) -> CheckReport {
    let properties = PROPERTIES
        .iter()
        .zip(&e.discoveries)
        .map(|(info, found)| {
            let trace = found
                .as_ref()
                .map(|actions| StepView::of_run(&run(model, actions).0));
            PropertyView::of(info, trace)
        })
        .collect();
    let mut report = CheckReport {
        config: ConfigView::of(model.config()),
        properties,
        states: StatesView {
            generated: e.generated,
            unique: e.unique,
            symmetry: e.unique_unreduced.map(|unreduced| SymmetryView {
                unreduced,
                reduction: unreduced as f64 / e.unique.max(1) as f64,
            }),
        },
        max_depth: e.max_depth,
        complete: e.complete,
        seconds: e.seconds,
        states_per_second: if e.seconds > 0.0 {
            e.generated as f64 / e.seconds
        } else {
            0.0
        },
        result: "ok",
    };
    report.result = if report
        .properties
        .iter()
        .any(|p| p.verdict == Verdict::Violated)
    {
        "violated"
    } else {
        "ok"
    };
    report
}

/// Applies `--expect`: records the expected verdicts and decides the result. Returns
/// whether the run succeeds.
pub fn apply_expectations(report: &mut CheckReport, expectations: &[Expectation]) -> bool {
    if expectations.is_empty() {
        return report.result == "ok";
    }
    let mut ok = true;
    for p in report.properties.iter_mut() {
        let expected = expectations
            .iter()
            .rev()
            .find(|e| e.property == p.name)
            .map(|e| e.verdict);
        p.expected = expected;
        let wanted = expected.or((p.kind == Kind::Always.name()).then_some(Verdict::Holds));
        if wanted.is_some_and(|w| w != p.verdict) {
            ok = false;
        }
    }
    report.result = if ok { "ok" } else { "unexpected" };
    ok
}

/// A progress printer for stderr, when stderr is a terminal.
pub fn terminal_progress() -> Option<impl FnMut(Progress)> {
    terminal_progress_labelled(String::new())
}

/// A progress printer for stderr, when stderr is a terminal, each line starting with `label`
/// (e.g. which relaxation of a matrix is being explored).
pub fn terminal_progress_labelled(label: String) -> Option<impl FnMut(Progress)> {
    std::io::stderr().is_terminal().then_some(move |p: Progress| {
        eprint!(
            "\r\x1b[2K  {label}exploring: {} unique / {} generated states, depth {}, {:.0} states/s, {:.1} s",
            p.unique,
            p.generated,
            p.depth,
            p.generated as f64 / p.seconds.max(1e-9),
            p.seconds
        );
    })
}

/// The model of a configuration, or the reason it is out of range.
pub fn model_of(cfg: Config) -> Result<IdcModel, idc_model::ConfigError> {
    IdcModel::new(cfg)
}
