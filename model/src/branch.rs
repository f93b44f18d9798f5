//! Branches: the readings AWS takes at undocumented points, when an assumption is `either`.
//!
//! Under `either`, one call can have several outcomes: closing the delegated administrator's
//! account may be refused, keep its registration or deregister it (Q3). The model makes
//! that choice at each call, independently of earlier calls (a sound over-approximation:
//! whatever AWS does, consistently or not, is among the model's behaviours). A [`Branch`]
//! records the readings one step took, one per [`Decision`] it met; the [`Chooser`] makes
//! them while the step runs, so that every step's outcomes are enumerated exactly once
//! ([`crate::step::outcomes`]) and any one of them can be re-run ([`crate::step::step`]).
//!
//! A decision is met only where the reading makes a difference (closing an account that is
//! not the delegate meets no Q3 decision), so a step has as few branches as it can.

use std::fmt;

use crate::echo::echo;

/// An undocumented point where AWS's behaviour is chosen at each call (an assumption set to
/// `either`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Decision {
    /// Q2: disabling trusted access with a delegate registered.
    Q2,
    /// Q3: closing the delegate's account.
    Q3,
    /// Q4: SRC-2 at registration or deregistration.
    Q4,
    /// Q5: assignments to an account that departs or closes.
    Q5,
    /// Q6: what the delegate's exception "user access in the management account" covers.
    Q6,
    /// Q7: a closed delegate at the end of its post-closure period.
    Q7,
    /// Q8: whether the API enforces DA-9.
    Q8,
    /// Q9: where SRC-2 wants the directory.
    Q9,
    /// A1: AD sync when a directory is connected.
    A1,
    /// A3 (IDC-8): deleting the last assignment of a set in an account.
    A3,
}

impl Decision {
    /// Every decision, in order.
    pub const ALL: &'static [Decision] = &[
        Decision::Q2,
        Decision::Q3,
        Decision::Q4,
        Decision::Q5,
        Decision::Q6,
        Decision::Q7,
        Decision::Q8,
        Decision::Q9,
        Decision::A1,
        Decision::A3,
    ];

    /// The assumption's key (`--assume KEY=...`).
    pub fn key(self) -> &'static str {
        match self {
            Decision::Q2 => "disable-trusted-access-with-delegate",
            Decision::Q3 => "close-delegate",
            Decision::Q4 => "src2-enforced-at",
            Decision::Q5 => "departed-account-assignments",
            Decision::Q6 => "management-user-access",
            Decision::Q7 => "closed-delegate-at-removal",
            Decision::Q8 => "api-enforces-da9",
            Decision::Q9 => "src2-location",
            Decision::A1 => "ad-sync-on-connect",
            Decision::A3 => "last-assignment-deprovisions",
        }
    }

    /// The names of the concrete readings, numbered as in a [`Branch`].
    pub fn readings(self) -> &'static [&'static str] {
        match self {
            Decision::Q2 => &["keeps-registration", "refused", "deregisters"],
            Decision::Q3 => &["refused", "keeps-registration", "deregisters"],
            Decision::Q4 => &[
                "source-change",
                "also-registration",
                "also-deregistration",
                "everywhere",
            ],
            Decision::Q5 => &["deleted", "kept"],
            Decision::Q6 => &[
                "assignment-calls",
                "user-assignment-calls",
                "also-side-effects",
                "user-status",
                "assignments-and-status",
            ],
            Decision::Q7 => &["deregisters", "keeps-registration", "not-removed"],
            Decision::Q8 => &["enforced", "console-only"],
            Decision::Q9 => &["delegate-if-registered", "management"],
            Decision::A1 => &["off", "on"],
            Decision::A3 => &["keeps-provisioned", "deprovisions"],
        }
    }

    /// Looks a decision up by its assumption key.
    pub fn by_key(key: &str) -> Option<Decision> {
        Decision::ALL.iter().copied().find(|d| d.key() == key)
    }

    #[inline]
    fn shift(self) -> u64 {
        3 * self as u64
    }
}

/// The readings one step took: for each [`Decision`] it met, the reading's number (in
/// [`Decision::readings`]). [`Branch::NONE`] is the branch of a step that met no decision.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Branch(u64);

impl Branch {
    /// No decision met.
    pub const NONE: Branch = Branch(0);

    /// The reading taken at `d`, if the step met it.
    #[inline]
    pub fn reading(self, d: Decision) -> Option<u8> {
        match (self.0 >> d.shift()) & 7 {
            0 => None,
            r => Some(r as u8 - 1),
        }
    }

    /// This branch with reading `r` at `d`.
    #[inline]
    pub fn with(self, d: Decision, r: u8) -> Branch {
        Branch((self.0 & !(7 << d.shift())) | (u64::from(r) + 1) << d.shift())
    }

    /// Whether the step met no decision.
    pub fn is_none(self) -> bool {
        self.0 == 0
    }

    /// The decisions met and the readings taken, in decision order.
    pub fn readings(self) -> impl Iterator<Item = (Decision, u8)> {
        Decision::ALL
            .iter()
            .filter_map(move |d| self.reading(*d).map(|r| (*d, r)))
    }

    /// The decisions met and the readings taken, as `(assumption key, reading name)`.
    pub fn named(self) -> impl Iterator<Item = (&'static str, &'static str)> {
        self.readings()
            .map(|(d, r)| (d.key(), d.readings()[r as usize]))
    }

    /// Builds a branch from `(assumption key, reading name)` pairs.
    pub fn from_named<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Branch, BranchError> {
        let mut b = Branch::NONE;
        for (key, value) in pairs {
            let d = Decision::by_key(key).ok_or_else(|| BranchError::UnknownKey(echo(key)))?;
            let r = d
                .readings()
                .iter()
                .position(|n| *n == value)
                .ok_or_else(|| BranchError::UnknownReading {
                    key: key.into(),
                    value: echo(value),
                    readings: d.readings().join(", "),
                })?;
            b = b.with(d, r as u8);
        }
        Ok(b)
    }
}

impl fmt::Display for Branch {
    /// `close-delegate=deregisters, departed-account-assignments=kept`; empty for none.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (k, v)) in self.named().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{k}={v}")?;
        }
        Ok(())
    }
}

/// Why a branch given by names was not understood.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BranchError {
    /// No decision has that assumption key.
    #[error("branch: '{0}' is not an assumption that branches (see 'idc rules')")]
    UnknownKey(String),
    /// The decision has no such reading.
    #[error("branch: assumption '{key}' has no reading '{value}' (readings: {readings})")]
    UnknownReading {
        /// The key.
        key: String,
        /// The value given.
        value: String,
        /// The readings, comma-separated.
        readings: String,
    },
}

/// An assumption whose readings can be chosen nondeterministically (`either`).
pub trait Behaviour: Copy + Eq + 'static {
    /// The decision it makes at a call.
    const DECISION: Decision;
    /// The concrete readings, in the order [`Decision::readings`] names them.
    const READINGS: &'static [Self];
    /// Whether this is `either`.
    fn is_either(self) -> bool;
}

/// Reading numbers `0..n` as options (`&OPTIONS[..n]`).
static OPTIONS: [u8; 8] = [0, 1, 2, 3, 4, 5, 6, 7];

/// Makes the decisions of one step: from a given [`Branch`] where it names them, otherwise
/// the first of the options (and notes the first decision it was not given).
#[derive(Clone, Copy, Debug)]
pub struct Chooser {
    given: Branch,
    taken: Branch,
    missing: Option<(Decision, &'static [u8])>,
    misfit: bool,
}

impl Chooser {
    /// A chooser that follows `given`.
    #[inline]
    pub fn new(given: Branch) -> Chooser {
        Chooser {
            given,
            taken: Branch::NONE,
            missing: None,
            misfit: false,
        }
    }

    /// The reading of an assumption: the configured one, or under `either` the one this
    /// branch takes.
    #[inline]
    pub fn pick<T: Behaviour>(&mut self, configured: T) -> T {
        if !configured.is_either() {
            return configured;
        }
        let r = self.choose(T::DECISION, &OPTIONS[..T::READINGS.len()]);
        T::READINGS[r as usize]
    }

    /// The reading at `d`, one of `options` (reading numbers of [`Decision::readings`]).
    /// A given reading that is not among the options makes the branch misfit (and the
    /// first option is returned).
    #[inline]
    pub fn choose(&mut self, d: Decision, options: &'static [u8]) -> u8 {
        match self.given.reading(d) {
            Some(r) => {
                self.taken = self.taken.with(d, r);
                if options.contains(&r) {
                    r
                } else {
                    self.misfit = true;
                    options[0]
                }
            }
            None => {
                if self.missing.is_none() {
                    self.missing = Some((d, options));
                }
                options[0]
            }
        }
    }

    /// The first decision met that the given branch did not name, with its options.
    pub fn missing(&self) -> Option<(Decision, &'static [u8])> {
        self.missing
    }

    /// Whether the step met exactly the decisions the given branch names, with readings
    /// among the options at each.
    pub fn fits(&self) -> bool {
        self.missing.is_none() && !self.misfit && self.taken == self.given
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branches_round_trip_through_names() {
        let b = Branch::NONE.with(Decision::Q3, 2).with(Decision::Q5, 1);
        assert_eq!(b.reading(Decision::Q3), Some(2));
        assert_eq!(b.reading(Decision::Q2), None);
        assert_eq!(
            b.to_string(),
            "close-delegate=deregisters, departed-account-assignments=kept"
        );
        assert_eq!(Branch::from_named(b.named()), Ok(b));
        assert!(Branch::from_named([("close-delegate", "maybe")]).is_err());
        assert!(Branch::from_named([("second-delegate-error", "x")]).is_err());
        for d in Decision::ALL {
            assert!(d.readings().len() < 7, "3 bits per decision");
            assert_eq!(Decision::by_key(d.key()), Some(*d));
        }
    }

    #[test]
    fn a_chooser_notes_what_it_was_not_given() {
        let mut c = Chooser::new(Branch::NONE);
        assert_eq!(c.choose(Decision::Q3, &[0, 1, 2]), 0);
        assert_eq!(c.missing().map(|(d, _)| d), Some(Decision::Q3));
        assert!(!c.fits());
        let mut c = Chooser::new(Branch::NONE.with(Decision::Q4, 2));
        assert_eq!(c.choose(Decision::Q4, &[0, 1]), 0);
        assert!(!c.fits(), "reading 2 is not among the options");
    }
}
