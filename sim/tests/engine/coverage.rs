//! Must show 4: no unreachable assumption and no vacuous property. Every assumption's
//! values must change something (a unique-state count or a verdict), and every `always`
//! property must be violated under some reading or relaxation, unless it is marked a
//! regression check (then it must hold under all of them).
//!
//! Both tests read the same explorations, run once (one member account, no symmetry): the
//! default configuration, each assumption set to each of its other values, and each
//! relaxable rule relaxed alone. Nothing here names an assumption, a property or a rule
//! except [`ERROR_ONLY`]: the model's lists are iterated, so a new assumption or property
//! is covered as soon as it exists.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use idc_model::assumptions::AssumptionInfo;
use idc_model::properties::Kind;
use idc_model::{Action, Assumptions, Config, IdcModel, Refusal, Rule, PROPERTIES};
use idc_sim::engine::explore::{explore, Exploration, Options};
use idc_sim::engine::matrix::{outcomes, variations, Variation};
use idc_sim::engine::properties::PropertySet;
use idc_sim::engine::run::run;
use idc_sim::engine::verdict::Verdict;

/// The assumptions that only name the error of a refused call, each with the rule whose
/// refusal it names. They cannot change a state count or a verdict (a refusal reaches no
/// state, and no built-in property reads the error), so the count-and-verdict criterion
/// does not apply to them; instead [`every_assumption_value_matters`] checks that each of
/// their values changes the error of that rule's refusal (see [`error_only_changes`]).
/// This list must be exactly the assumptions `describe()` gives no sound value (its mark
/// for "only names an error"), so it can't hide a behavioural assumption.
///
/// - Q1 names the error of DA-7's refusal of a second delegated administrator.
const ERROR_ONLY: &[(&str, Rule)] = &[("second-delegate-error", Rule::Da7)];

/// The size of the explorations: one member account (a few hundred milliseconds each).
const MEMBERS: u8 = 1;

/// What one exploration says: its unique-state count and each property's verdict.
struct Row {
    /// How the row differs from the default configuration.
    label: String,
    unique: u64,
    /// Per property of [`PROPERTIES`] (same index).
    verdicts: Vec<Verdict>,
}

/// Every exploration of the two tests.
struct Runs {
    default: Row,
    /// Per assumption: its description and one row per non-default value.
    assumptions: Vec<(AssumptionInfo, Vec<(&'static str, Row)>)>,
    /// The concrete configuration (every behavioural assumption at its first reading,
    /// `Assumptions::concrete`), and per assumption one row per value set from there. An
    /// assumption whose alternatives only refuse calls changes nothing next to another
    /// assumption's `either` that allows them (Q4 next to Q10, Q8 next to Q9): it matters
    /// where the others are concrete.
    concrete: Row,
    from_concrete: Vec<Vec<Row>>,
    /// One row per relaxable rule, relaxed alone.
    relaxations: Vec<Row>,
    /// Wall-clock seconds of all explorations.
    seconds: f64,
}

impl Runs {
    /// Every row: the default, the assumptions' values, the relaxations.
    fn all(&self) -> impl Iterator<Item = &Row> {
        std::iter::once(&self.default)
            .chain(
                self.assumptions
                    .iter()
                    .flat_map(|(_, rows)| rows.iter().map(|(_, r)| r)),
            )
            .chain(&self.relaxations)
            .chain(std::iter::once(&self.concrete))
            .chain(self.from_concrete.iter().flatten())
    }
}

fn default_config() -> Config {
    Config {
        members: MEMBERS,
        ..Config::default()
    }
}

/// The default configuration with one assumption set to `value`.
fn with_assumption(key: &str, value: &str) -> Config {
    with_assumption_in(default_config(), key, value)
}

/// The concrete configuration (see [`Runs::concrete`]).
fn concrete_config() -> Config {
    Config {
        assumptions: Assumptions::concrete(),
        ..default_config()
    }
}

/// `cfg` with one assumption set to `value`.
fn with_assumption_in(mut cfg: Config, key: &str, value: &str) -> Config {
    cfg.assumptions
        .set(&format!("{key}={value}"))
        .unwrap_or_else(|e| panic!("{key}={value}: {e}"));
    cfg
}

/// Explores every configuration completely, two at a time (each single-threaded), and
/// returns their explorations in order.
fn explore_all(configs: &[Config]) -> Vec<Exploration> {
    let properties = PropertySet::builtin();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Exploration>>> = Mutex::new(vec![None; configs.len()]);
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| loop {
                let job = next.fetch_add(1, Ordering::Relaxed);
                let Some(&cfg) = configs.get(job) else { break };
                let model = IdcModel::new(cfg).expect("a valid configuration");
                let e = explore(
                    &model,
                    Options {
                        properties: Some(&properties),
                        // Count states with their ghost facts apart, as the model has
                        // them: an assumption may change only who did what in a step
                        // (Q6 and A3 at 1 member), which the merged count cannot see.
                        ghosts: false,
                        ..Options::default()
                    },
                );
                assert!(e.complete, "exploration {job} stopped: {:?}", e.stop);
                results.lock().expect("no worker panicked")[job] = Some(e);
            });
        }
    });
    results
        .into_inner()
        .expect("no worker panicked")
        .into_iter()
        .map(|e| e.expect("every job ran"))
        .collect()
}

fn row(label: String, e: &Exploration) -> Row {
    Row {
        label,
        unique: e.unique,
        verdicts: outcomes(&PropertySet::builtin(), e)
            .iter()
            .map(|o| o.verdict)
            .collect(),
    }
}

/// The explorations, run once for both tests.
fn runs() -> &'static Runs {
    static RUNS: OnceLock<Runs> = OnceLock::new();
    RUNS.get_or_init(|| {
        let start = Instant::now();
        let infos = Assumptions::default().describe();
        // Every rule of the catalogue that can be relaxed, as the what-if matrix relaxes
        // them: the others have no guard to switch off (effects, DA-6 and DA-8's set
        // semantics, what is not modelled; see `Rule::relaxable`), so relaxing one would
        // give the default configuration again.
        let rules: Vec<Rule> = variations()
            .into_iter()
            .filter_map(|v| match v {
                Variation::Relax(r) => Some(r),
                Variation::Practice(_) => None,
            })
            .collect();
        let mut configs = vec![default_config()];
        for info in &infos {
            for value in &info.values[1..] {
                configs.push(with_assumption(info.key, value));
            }
        }
        for &r in &rules {
            configs.push(Variation::Relax(r).apply(default_config()));
        }
        configs.push(concrete_config());
        for info in &infos {
            for value in &info.values {
                configs.push(with_assumption_in(concrete_config(), info.key, value));
            }
        }
        let mut explorations = explore_all(&configs).into_iter();
        let mut next = |label: String| row(label, &explorations.next().expect("one per config"));
        let default = next("the default configuration".to_string());
        let assumptions = infos
            .into_iter()
            .map(|info| {
                let rows = info.values[1..]
                    .iter()
                    .map(|&v| (v, next(format!("{}={v}", info.key))))
                    .collect();
                (info, rows)
            })
            .collect();
        let relaxations = rules.iter().map(|r| next(format!("relax {r}"))).collect();
        let concrete = next("the concrete configuration".to_string());
        let from_concrete = infos_again()
            .iter()
            .map(|info| {
                info.values
                    .iter()
                    .map(|v| next(format!("concrete, {}={v}", info.key)))
                    .collect()
            })
            .collect();
        Runs {
            default,
            assumptions,
            relaxations,
            concrete,
            from_concrete,
            seconds: start.elapsed().as_secs_f64(),
        }
    })
}

/// The assumptions, in `describe()` order.
fn infos_again() -> Vec<AssumptionInfo> {
    Assumptions::default().describe()
}

/// The refusals of a run of `trace` in `cfg`, step by step (`None`: accepted).
fn refusals(cfg: Config, trace: &[Action]) -> Vec<Option<Refusal>> {
    let model = IdcModel::new(cfg).expect("a valid configuration");
    run(&model, trace)
        .0
        .into_iter()
        .map(|step| step.outcome.err())
        .collect()
}

/// The values of an error-only assumption that do *not* change the error of `rule`'s
/// refusal. The traces come from the engine: the shortest ones it finds with `rule`
/// relaxed, from two member accounts (with one, DA-7's refusal can't be reached: the only
/// other account is the management account, which DA-2 refuses first) and to depth 4
/// (three calls register two delegates). Replayed under the default configuration, they
/// end in the calls the rule refuses; a value must change the refusal of some step.
fn error_only_changes(key: &str, rule: Rule) -> Vec<&'static str> {
    let base = Config {
        members: 2,
        ..Config::default()
    };
    let relaxed = Variation::Relax(rule).apply(base);
    let e = explore(
        &IdcModel::new(relaxed).expect("a valid configuration"),
        Options {
            max_depth: Some(4),
            ..Options::default()
        },
    );
    let traces: Vec<&Vec<Action>> = e.discoveries.iter().flatten().collect();
    let refused_by_rule = traces.iter().any(|t| {
        refusals(base, t)
            .iter()
            .flatten()
            .any(|r| matches!(r, Refusal::Api { rule: Some(r), .. } if *r == rule))
    });
    assert!(
        refused_by_rule,
        "{key}: no trace found with {rule} relaxed reaches a call {rule} refuses"
    );
    let info = base
        .assumptions
        .describe()
        .into_iter()
        .find(|i| i.key == key)
        .unwrap_or_else(|| panic!("{key} is an assumption"));
    let with = |value: &str| Config {
        assumptions: with_assumption(key, value).assumptions,
        ..base
    };
    let default: Vec<_> = traces
        .iter()
        .map(|t| refusals(with(info.values[0]), t))
        .collect();
    info.values[1..]
        .iter()
        .copied()
        .filter(|v| {
            let now: Vec<_> = traces.iter().map(|t| refusals(with(v), t)).collect();
            now == default
        })
        .collect()
}

/// Whether the rows of one assumption's values set in the concrete configuration differ from
/// each other (in a count or a verdict).
fn concrete_differs(rows: &[Row]) -> bool {
    let same = |a: &Row, b: &Row| a.unique == b.unique && a.verdicts == b.verdicts;
    rows.windows(2).any(|w| !same(&w[0], &w[1]))
}

/// Whether a row differs from the default: in its unique-state count or some verdict.
fn differs(runs: &Runs, r: &Row) -> bool {
    r.unique != runs.default.unique || r.verdicts != runs.default.verdicts
}

/// About 3 s in a debug build (the explorations are shared with the next test).
#[test]
fn every_assumption_value_matters() {
    let runs = runs();
    eprintln!(
        "coverage: {} explorations in {:.1} s",
        runs.all().count(),
        runs.seconds
    );
    let error_only: Vec<&str> = ERROR_ONLY.iter().map(|(k, _)| *k).collect();
    let unsound: Vec<&str> = runs
        .assumptions
        .iter()
        .filter(|(info, _)| info.sound.is_none())
        .map(|(info, _)| info.key)
        .collect();
    assert_eq!(
        error_only, unsound,
        "ERROR_ONLY must list exactly the assumptions that only name an error (no sound value)"
    );

    let mut unchanged = Vec::new();
    for (i, (info, rows)) in runs.assumptions.iter().enumerate() {
        if let Some(&(_, rule)) = ERROR_ONLY.iter().find(|(k, _)| *k == info.key) {
            // It names an error: it must change no count and no verdict (else it is not
            // error-only), and every other value must change the error.
            for (value, r) in rows {
                assert!(
                    !differs(runs, r),
                    "{}={value} changes a count or a verdict: it is not error-only",
                    info.key
                );
            }
            let same = error_only_changes(info.key, rule);
            if !same.is_empty() {
                unchanged.push(format!(
                    "{} ({}, error-only): {} leave the error of {rule}'s refusal unchanged",
                    info.key,
                    info.id,
                    same.join(", ")
                ));
            }
        } else if !rows.iter().any(|(_, r)| differs(runs, r))
            && !concrete_differs(&runs.from_concrete[i])
        {
            unchanged.push(format!(
                "{} ({}): {} give the default's {} states and verdicts, and its values give the same from the concrete configuration",
                info.key,
                info.id,
                rows.iter().map(|(v, _)| *v).collect::<Vec<_>>().join(", "),
                runs.default.unique
            ));
        }
    }
    assert!(
        unchanged.is_empty(),
        "assumptions none of whose values change anything (members = {MEMBERS}):\n  {}",
        unchanged.join("\n  ")
    );
}

/// The `always` properties violated nowhere with [`MEMBERS`] member accounts get a second
/// chance with [`WIDER`]: some can't be broken with one member account whatever is relaxed
/// (two delegated administrators need two candidate accounts besides the management
/// account, DA-2). Each of the property's own rules ([`idc_model::PropertyInfo::rules`])
/// is relaxed alone, and the search is bounded at [`WIDER_DEPTH`] calls to stay quick: a
/// counterexample found is a violation whatever the bound. Returns the labels of the
/// searches that violate property `i`.
fn violated_wider(i: usize) -> Vec<String> {
    let p = &PROPERTIES[i];
    let properties = PropertySet::builtin();
    p.rules
        .iter()
        .filter_map(|id| Rule::parse(id))
        .filter(|r| r.relaxable())
        .filter(|&r| {
            let cfg = Variation::Relax(r).apply(Config {
                members: WIDER,
                ..Config::default()
            });
            let e = explore(
                &IdcModel::new(cfg).expect("a valid configuration"),
                Options {
                    max_depth: Some(WIDER_DEPTH),
                    properties: Some(&properties),
                    ..Options::default()
                },
            );
            e.discoveries[i].is_some()
        })
        .map(|r| format!("members={WIDER}, relax {r}"))
        .collect()
}

/// The member accounts of [`violated_wider`]'s searches.
const WIDER: u8 = 2;

/// The depth bound of [`violated_wider`]'s searches.
const WIDER_DEPTH: u32 = 6;

/// Shares its explorations with [`every_assumption_value_matters`].
#[test]
fn every_always_property_can_be_violated_or_is_a_regression_check() {
    let runs = runs();
    let mut vacuous = Vec::new();
    let mut wrong_marks = Vec::new();
    let mut no_example = Vec::new();
    for (i, p) in PROPERTIES.iter().enumerate() {
        match p.kind {
            Kind::Always if !p.regression => {
                if !runs.all().any(|r| r.verdicts[i] == Verdict::Violated) {
                    let wider = violated_wider(i);
                    eprintln!(
                        "{} is violated nowhere with {MEMBERS} member account(s); with {WIDER}: {wider:?}",
                        p.name
                    );
                    if wider.is_empty() {
                        vacuous.push(p.name.to_string());
                    }
                }
            }
            Kind::Always => {
                let breaking: Vec<&str> = runs
                    .all()
                    .filter(|r| r.verdicts[i] != Verdict::Holds)
                    .map(|r| r.label.as_str())
                    .collect();
                if !breaking.is_empty() {
                    wrong_marks.push(format!("{} (under {})", p.name, breaking.join(", ")));
                }
            }
            Kind::Sometimes => {
                if runs.default.verdicts[i] != Verdict::Example {
                    no_example.push(p.name.to_string());
                }
            }
        }
    }
    let rows = runs.all().count();
    assert!(
        vacuous.is_empty() && wrong_marks.is_empty() && no_example.is_empty(),
        "members = {MEMBERS}, {rows} configurations (the default, each assumption value, \
         each rule relaxed alone; then members = {WIDER} under each of a property's own \
         rules relaxed alone):\n  \
         always-properties violated nowhere (vacuous; mark them regression checks or find \
         the reading that breaks them): {vacuous:?}\n  \
         regression checks violated somewhere (the mark is wrong): {wrong_marks:?}\n  \
         sometimes-properties without example in the default configuration: {no_example:?}"
    );
}
