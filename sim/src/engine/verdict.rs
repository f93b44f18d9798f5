//! The verdicts of a search: a property's, decided from what the search found and whether
//! it was complete, and a check's result, decided from the properties' verdicts and what
//! `--expect` asked for. Reports carry them as they are: each derives `Serialize` as its
//! name (format-neutral; the engine still writes nothing).

use serde::Serialize;

use idc_model::properties::Kind;

/// A property's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// An `always` property holds in every reachable state.
    Holds,
    /// An `always` property fails in some reachable state.
    Violated,
    /// A `sometimes` property holds in some reachable state.
    Example,
    /// A `sometimes` property holds in no reachable state.
    NoExample,
    /// The search stopped before it could tell (`--max-depth`, memory, time, interrupted).
    Unknown,
}

impl Verdict {
    /// The verdict's name (`holds`, `violated`, `example`, `no-example`).
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::Violated => "violated",
            Verdict::Example => "example",
            Verdict::NoExample => "no-example",
            Verdict::Unknown => "unknown",
        }
    }

    /// Parses a verdict name.
    pub fn parse(text: &str) -> Option<Verdict> {
        [
            Verdict::Holds,
            Verdict::Violated,
            Verdict::Example,
            Verdict::NoExample,
        ]
        .into_iter()
        .find(|v| v.name() == text)
    }

    /// The verdict of a property of `kind`, given whether something was discovered and
    /// whether the search was complete (a discovery is a verdict either way; its absence
    /// is one only when every reachable state was judged).
    pub fn of(kind: Kind, discovered: bool, complete: bool) -> Verdict {
        match (kind, discovered) {
            (Kind::Always, true) => Verdict::Violated,
            (Kind::Sometimes, true) => Verdict::Example,
            _ if !complete => Verdict::Unknown,
            (Kind::Always, false) => Verdict::Holds,
            (Kind::Sometimes, false) => Verdict::NoExample,
        }
    }

    /// Whether the verdict is one a property of `kind` can have.
    pub fn fits(self, kind: Kind) -> bool {
        matches!(
            (kind, self),
            (Kind::Always, Verdict::Holds | Verdict::Violated)
                | (Kind::Sometimes, Verdict::Example | Verdict::NoExample)
        )
    }
}

/// The result of a check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckResult {
    /// Every `always` property holds, or every verdict is as expected (exit 0).
    Ok,
    /// An `always` property is violated (exit 1).
    Violated,
    /// A verdict differs from its `--expect` (exit 1).
    Unexpected,
    /// The search stopped early: some verdicts are unknown (exit 4; 1 when it found a
    /// violation or a verdict other than `--expect`'s, a definite finding; 130 when
    /// interrupted).
    Incomplete,
}

impl CheckResult {
    /// The result of a check whose properties have these kinds, verdicts and expected
    /// verdicts (`expecting`: whether `--expect` was given at all): `violated` when an
    /// `always` property is violated (without expectations) or a determined verdict differs
    /// from its expectation (`unexpected`); otherwise `incomplete` if some verdict is
    /// unknown, else `ok`. With expectations, an `always` property they do not name is
    /// expected to hold.
    pub fn decide(
        properties: impl IntoIterator<Item = (Kind, Verdict, Option<Verdict>)>,
        expecting: bool,
        complete: bool,
    ) -> CheckResult {
        let mut unknown = !complete;
        for (kind, verdict, expected) in properties {
            if !expecting {
                if verdict == Verdict::Violated {
                    return CheckResult::Violated;
                }
                continue;
            }
            let wanted = expected.or((kind == Kind::Always).then_some(Verdict::Holds));
            match wanted {
                Some(_) if verdict == Verdict::Unknown => unknown = true,
                Some(w) if w != verdict => return CheckResult::Unexpected,
                Some(_) | None => {}
            }
        }
        if unknown {
            CheckResult::Incomplete
        } else {
            CheckResult::Ok
        }
    }
}
