//! The report of `idc compare`: two checks side by side ("today" and "the plan"), each a
//! design checked now or an `idc check --json` report read back, and per property what
//! changed from A to B, with both shortest traces where the verdict or length differs.
//!
//! Both kinds of side go through one reader, [`Side::of_json`]: a design's check report is
//! serialised and read back as a report file is, so the two can't drift apart.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use idc_model::properties::Kind;
use idc_model::{AccountNames, Acct};

use super::{OutcomeView, StepView, StopReason, Verdict, REPORT_VERSION};

/// What a side was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Input {
    /// A design file, checked by `compare`.
    Design,
    /// A report of `idc check --json`, read as it is.
    CheckReport,
}

/// One property of a side, as its check judged it.
#[derive(Clone, Debug)]
pub struct SideProperty {
    /// Its name.
    pub name: String,
    /// `always` or `sometimes`.
    pub kind: Kind,
    /// Whether it is the user's (a design's or `--invariant`'s), not a built-in one.
    pub user: bool,
    /// The verdict.
    pub verdict: Verdict,
    /// The shortest counterexample or example, if any.
    pub trace: Option<Vec<StepView>>,
}

/// One side of the comparison.
#[derive(Clone, Debug, Serialize)]
pub struct Side {
    /// The file, as given (escaped for a terminal).
    pub file: String,
    /// A design or a check report.
    pub input: Input,
    /// A design's description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The model version the side was checked under (a report's may be older).
    pub model: u32,
    /// The configuration, as check reports give it (`config.accounts`, `config.threat`).
    pub config: Value,
    /// Whether the check explored every reachable state.
    pub complete: bool,
    /// Why the check stopped early, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<StopReason>,
    /// The calls from the initial state to the state the check started from (a design's
    /// start), if not the initial state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<usize>,
    /// The design's names for the accounts.
    #[serde(skip)]
    pub names: AccountNames,
    /// The sizes: members, users, groups, permission sets.
    #[serde(skip)]
    pub sizes: [u8; 4],
    /// The properties, in the check's order.
    #[serde(skip)]
    pub properties: Vec<SideProperty>,
}

/// A side's verdict on a property.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Judged {
    /// The verdict.
    pub verdict: Verdict,
    /// The shortest trace's length (`null`: no trace).
    pub length: Option<usize>,
}

/// What changed from A to B for one property.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    /// An always-property violated in A holds in B.
    Fixed,
    /// An always-property that holds in A is violated in B.
    Broken,
    /// A sometimes-property with no example in A has one in B.
    Enabled,
    /// A sometimes-property with an example in A has none in B.
    Disabled,
    /// The same verdict, reached in fewer steps in B.
    Shorter,
    /// The same verdict, reached in more steps in B.
    Longer,
    /// The same verdict and length.
    Same,
    /// The property is only in A.
    OnlyInA,
    /// The property is only in B.
    OnlyInB,
    /// The property is `always` on one side and `sometimes` on the other.
    Redefined,
    /// A side's verdict is unknown (its check stopped early): no telling.
    Unknown,
}

impl Change {
    /// Classifies the change of a property from `a` to `b` (each absent when the side has
    /// no such property).
    pub fn of(a: Option<Judged>, b: Option<Judged>) -> Change {
        use Verdict::*;
        let (a, b) = match (a, b) {
            (Some(a), Some(b)) => (a, b),
            (Some(_), None) => return Change::OnlyInA,
            _ => return Change::OnlyInB,
        };
        match (a.verdict, b.verdict) {
            (Unknown, _) | (_, Unknown) => Change::Unknown,
            (Violated, Holds) => Change::Fixed,
            (Holds, Violated) => Change::Broken,
            (NoExample, Example) => Change::Enabled,
            (Example, NoExample) => Change::Disabled,
            (x, y) if x != y => Change::Redefined,
            _ => match b.length.cmp(&a.length) {
                std::cmp::Ordering::Less => Change::Shorter,
                std::cmp::Ordering::Greater => Change::Longer,
                std::cmp::Ordering::Equal => Change::Same,
            },
        }
    }

    /// For people: `fixed`, `only in A`, …
    pub fn label(self) -> &'static str {
        match self {
            Change::Fixed => "fixed",
            Change::Broken => "broken",
            Change::Enabled => "enabled",
            Change::Disabled => "disabled",
            Change::Shorter => "shorter",
            Change::Longer => "longer",
            Change::Same => "same",
            Change::OnlyInA => "only in A",
            Change::OnlyInB => "only in B",
            Change::Redefined => "redefined",
            Change::Unknown => "unknown",
        }
    }
}

/// One row of the verdict table.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// The property's name.
    pub name: String,
    /// Its kind (A's where both sides have it).
    pub kind: Kind,
    /// Whether it is a user property (not built in).
    pub user: bool,
    /// A's verdict (`null`: A has no such property).
    pub a: Option<Judged>,
    /// B's verdict.
    pub b: Option<Judged>,
    /// What changed from A to B.
    pub change: Change,
}

/// Both traces of a property whose verdict or shortest length differs.
#[derive(Clone, Debug, Serialize)]
pub struct Difference {
    /// The property's name.
    pub name: String,
    /// What changed.
    pub change: Change,
    /// A's shortest trace (`null`: none).
    pub a_trace: Option<Vec<StepView>>,
    /// B's shortest trace (`null`: none).
    pub b_trace: Option<Vec<StepView>>,
}

/// The whole report of `idc compare`.
#[derive(Clone, Debug, Serialize)]
pub struct CompareReport {
    /// `idc-compare`.
    pub format: &'static str,
    /// The report's shape ([`REPORT_VERSION`]).
    pub version: u32,
    /// This tool's model version ([`idc_model::MODEL_VERSION`]).
    pub model: u32,
    /// The first side ("today").
    pub a: Side,
    /// The second side ("the plan").
    pub b: Side,
    /// Whether both sides have the same sizes (members, users, groups, permission sets);
    /// sides of different sizes are compared all the same, property by property.
    pub same_size: bool,
    /// Every property of either side: the built-in ones, then the user's.
    pub properties: Vec<Row>,
    /// Each property whose verdict or shortest length differs (every row not `same`).
    pub differences: Vec<Difference>,
    /// How many rows of each change (every change named, zeros included).
    pub summary: BTreeMap<Change, usize>,
    /// Whether both checks were complete (no verdict unknown).
    pub complete: bool,
}

/// Every change, in the order of the summary.
pub const CHANGES: [Change; 11] = [
    Change::Fixed,
    Change::Broken,
    Change::Enabled,
    Change::Disabled,
    Change::Shorter,
    Change::Longer,
    Change::Same,
    Change::OnlyInA,
    Change::OnlyInB,
    Change::Redefined,
    Change::Unknown,
];

fn judged(p: &SideProperty) -> Judged {
    Judged {
        verdict: p.verdict,
        length: p.trace.as_ref().map(Vec::len),
    }
}

/// Compares two sides.
pub fn compare(a: Side, b: Side) -> CompareReport {
    let mut names: Vec<(&str, Kind, bool)> = Vec::new();
    for p in a.properties.iter().chain(&b.properties) {
        if !names.iter().any(|(n, _, _)| *n == p.name) {
            names.push((&p.name, p.kind, p.user));
        }
    }
    names.sort_by_key(|(_, _, user)| *user);
    let find = |side: &Side, name: &str| side.properties.iter().find(|p| p.name == name).cloned();
    let mut properties = Vec::new();
    let mut differences = Vec::new();
    for (name, kind, user) in names {
        let (pa, pb) = (find(&a, name), find(&b, name));
        let (ja, jb) = (pa.as_ref().map(judged), pb.as_ref().map(judged));
        let change = match (&pa, &pb) {
            (Some(x), Some(y)) if x.kind != y.kind => Change::Redefined,
            _ => Change::of(ja, jb),
        };
        properties.push(Row {
            name: name.to_string(),
            kind,
            user,
            a: ja,
            b: jb,
            change,
        });
        if change != Change::Same {
            differences.push(Difference {
                name: name.to_string(),
                change,
                a_trace: pa.and_then(|p| p.trace),
                b_trace: pb.and_then(|p| p.trace),
            });
        }
    }
    let summary = CHANGES
        .iter()
        .map(|c| (*c, properties.iter().filter(|r| r.change == *c).count()))
        .collect();
    CompareReport {
        format: "idc-compare",
        version: REPORT_VERSION,
        model: idc_model::MODEL_VERSION,
        same_size: a.sizes == b.sizes,
        complete: a.complete && b.complete,
        a,
        b,
        properties,
        differences,
        summary,
    }
}

impl Side {
    /// Reads a side from a check report as JSON (`idc check --json`'s document): `input`
    /// says where it came from; the error says what is wrong with the document.
    pub fn of_json(
        file: String,
        input: Input,
        description: Option<String>,
        doc: &Value,
    ) -> Result<Side, String> {
        if doc["format"] != "idc-check" {
            return Err("not a report of idc check --json (no \"format\": \"idc-check\")".into());
        }
        if doc["version"] != REPORT_VERSION {
            return Err(format!(
                "report version {} (this idc reads version {REPORT_VERSION})",
                doc["version"]
            ));
        }
        let config = doc
            .get("config")
            .filter(|c| c.is_object())
            .ok_or("no config")?;
        let mut sizes = [0u8; 4];
        for (i, key) in ["members", "users", "groups", "permission_sets"]
            .iter()
            .enumerate()
        {
            sizes[i] = config[key]
                .as_u64()
                .and_then(|n| u8::try_from(n).ok())
                .ok_or_else(|| format!("config.{key}: not a size"))?;
        }
        let mut names = AccountNames::default();
        if let Some(accounts) = config.get("accounts").and_then(Value::as_object) {
            for (id, name) in accounts {
                match (Acct::parse(id), name.as_str()) {
                    (Some(a), Some(n)) => names.set(a, n),
                    _ => return Err(format!("config.accounts: bad entry {id:?}")),
                }
            }
        }
        let list = doc["properties"].as_array().ok_or("no properties list")?;
        let properties = list
            .iter()
            .enumerate()
            .map(|(i, p)| property(p).map_err(|e| format!("properties[{i}]: {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        let stopped = match doc.get("stopped").and_then(Value::as_str) {
            None => None,
            Some("max-depth") => Some(StopReason::MaxDepth),
            Some("memory") => Some(StopReason::Memory),
            Some("time") => Some(StopReason::Time),
            Some("interrupted") => Some(StopReason::Interrupted),
            Some(other) => return Err(format!("stopped: unknown reason {other:?}")),
        };
        Ok(Side {
            file,
            input,
            description,
            model: doc["model"]
                .as_u64()
                .and_then(|m| u32::try_from(m).ok())
                .ok_or("no model version")?,
            config: config.clone(),
            complete: doc["complete"].as_bool().ok_or("complete: not a boolean")?,
            stopped,
            from: doc.get("from").and_then(Value::as_u64).map(|n| n as usize),
            names,
            sizes,
            properties,
        })
    }

    /// The threat model in one line, if the side has one.
    pub fn threat(&self) -> Option<&str> {
        self.config["threat"]["summary"].as_str()
    }
}

/// A property of a check report.
fn property(p: &Value) -> Result<SideProperty, String> {
    let name = p["name"].as_str().ok_or("no name")?.to_string();
    let kind = match p["kind"].as_str() {
        Some("always") => Kind::Always,
        Some("sometimes") => Kind::Sometimes,
        _ => return Err(format!("{name}: kind is neither always nor sometimes")),
    };
    let verdict = match p["verdict"].as_str() {
        Some("unknown") => Verdict::Unknown,
        Some(v) => Verdict::parse(v).ok_or_else(|| format!("{name}: unknown verdict {v:?}"))?,
        None => return Err(format!("{name}: no verdict")),
    };
    let trace = match &p["trace"] {
        Value::Null => None,
        Value::Array(steps) => Some(
            steps
                .iter()
                .map(step)
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| format!("{name}: trace: {e}"))?,
        ),
        _ => return Err(format!("{name}: trace is neither a list nor null")),
    };
    Ok(SideProperty {
        name,
        kind,
        user: p.get("expression").is_some(),
        verdict,
        trace,
    })
}

/// The text of a report read back, kept for the rest of the run: a step's view holds
/// `'static` names (the engine's own), and a report read back is read once per run.
fn keep(text: &str) -> &'static str {
    Box::leak(text.to_string().into_boxed_str())
}

fn text<'a>(v: &'a Value, key: &str) -> Result<&'a str, String> {
    v[key]
        .as_str()
        .ok_or_else(|| format!("{key}: not a string"))
}

fn strings(v: &Value, key: &str) -> Result<Vec<String>, String> {
    v[key]
        .as_array()
        .ok_or_else(|| format!("{key}: not a list"))?
        .iter()
        .map(|s| {
            s.as_str()
                .map(str::to_string)
                .ok_or(format!("{key}: not a string"))
        })
        .collect()
}

fn object(v: &Value, key: &str) -> Result<Map<String, Value>, String> {
    match v.get(key) {
        None => Ok(Map::new()),
        Some(Value::Object(m)) => Ok(m.clone()),
        Some(_) => Err(format!("{key}: not an object")),
    }
}

/// A step of a check report.
fn step(s: &Value) -> Result<StepView, String> {
    let outcome = match &s["outcome"] {
        Value::String(ok) if ok == "ok" => OutcomeView::Ok("ok"),
        o @ Value::Object(m) if m.contains_key("error") => OutcomeView::Error {
            error: keep(text(o, "error")?),
            reason: o["reason"].as_str().map(keep),
            rule: o["rule"].as_str().map(keep),
        },
        o @ Value::Object(_) => OutcomeView::NotMade {
            practice: keep(text(o, "not_made")?),
        },
        _ => return Err("outcome: neither \"ok\" nor an object".into()),
    };
    Ok(StepView {
        step: s["step"].as_u64().ok_or("step: not a number")? as usize,
        caller: text(s, "caller")?.to_string(),
        call: keep(text(s, "call")?),
        params: object(s, "params")?,
        branch: object(s, "branch")?,
        outcome,
        changes: strings(s, "changes")?,
        failing: strings(s, "failing")?.iter().map(|f| keep(f)).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(verdict: Verdict, length: Option<usize>) -> Option<Judged> {
        Some(Judged { verdict, length })
    }

    #[test]
    fn changes_are_classified_from_a_to_b() {
        use Verdict::*;
        let cases = [
            (j(Violated, Some(3)), j(Holds, None), Change::Fixed),
            (j(Holds, None), j(Violated, Some(2)), Change::Broken),
            (j(NoExample, None), j(Example, Some(4)), Change::Enabled),
            (j(Example, Some(4)), j(NoExample, None), Change::Disabled),
            (j(Violated, Some(5)), j(Violated, Some(3)), Change::Shorter),
            (j(Example, Some(1)), j(Example, Some(2)), Change::Longer),
            (j(Violated, Some(3)), j(Violated, Some(3)), Change::Same),
            (j(Holds, None), j(Holds, None), Change::Same),
            (j(Holds, None), None, Change::OnlyInA),
            (None, j(Example, Some(1)), Change::OnlyInB),
            (j(Unknown, None), j(Holds, None), Change::Unknown),
            (j(Violated, Some(2)), j(Unknown, None), Change::Unknown),
            (j(Unknown, None), j(Unknown, None), Change::Unknown),
            (j(Holds, None), j(Example, Some(1)), Change::Redefined),
        ];
        for (a, b, change) in cases {
            assert_eq!(Change::of(a, b), change, "{a:?} -> {b:?}");
        }
    }

    #[test]
    fn every_change_is_in_the_summary_once() {
        for c in CHANGES {
            assert_eq!(CHANGES.iter().filter(|x| **x == c).count(), 1);
            let json = serde_json::to_value(c).unwrap();
            assert!(json
                .as_str()
                .unwrap()
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch == '-'));
        }
    }
}
