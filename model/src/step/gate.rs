//! Gates: the check a call's rules begin with, when it reads only the state and the caller.
//!
//! Most calls of a state are refused (about 170 of the 204 of a typical state of the
//! default configuration), and most of those by the first check of their rules: who may
//! call at all. An administrator of the organization instance (ORG-2, ORG-4, IDC-4), an
//! identity-store writer (also SRC-6), a directory's owner (ORG-2, SRC-6), the management
//! account for Organizations (ORG-1, ORG-2, ORG-5, DA-1). That check reads the state and
//! the caller only, so it gives the same answer for every call of the caller that begins
//! with it: [`Gates`] makes each check once per caller and state, and a call whose check
//! refuses is refused with that very refusal, its own rules unrun.
//!
//! [`OpenCalls`] goes further for a search that only wants accepted outcomes: it lists a
//! state's calls that no gate refuses, caller by caller, without looking at the others
//! (about 30 of the 204 calls of a typical state are accepted; the gates leave some 90 to
//! run).
//!
//! The rules stay where AWS puts them; a gate only names the check they begin with and
//! calls the same function.
//!
//! INVARIANT: the rules of every call whose [`Gate`] is not [`Gate::None`] begin with that
//! gate's check, and meet no `either` decision before it. So when the check refuses, the
//! call has exactly one outcome, [`Branch::NONE`] with that refusal. Debug builds check
//! this on every gated refusal; a test checks it on every call of every reachable state of
//! small configurations, some rules relaxed.

use super::identity_store::{directory_owner, store_writer};
use super::{admin, management_only, org_caller, outcomes};
use crate::account::Acct;
use crate::branch::Branch;
use crate::call::{Call, Op};
use crate::config::Config;
use crate::error::Refusal;
use crate::operations::operations;
use crate::rules::Rule;
use crate::state::State;

/// The check a call's rules begin with, if it reads only the state and the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// No such check: the call's rules always run.
    None,
    /// An administrator of the organization instance: signed in (ORG-2), in the
    /// organization (ORG-4), the management account or the delegate (IDC-4), and the
    /// instance exists. Permission sets, provisioning, assignments, the identity source.
    Administrator,
    /// An administrator, and the identity store is writable (SRC-6). Users, groups,
    /// memberships.
    StoreWriter,
    /// Signed in (ORG-2) and owner of a directory. Directory-side operations (SRC-6).
    DirectoryOwner,
    /// The management account, for membership of the organization (ORG-1, ORG-2).
    ManagesMembership,
    /// The management account, for trusted access (ORG-1, ORG-5).
    ManagesTrustedAccess,
    /// The management account, for the delegated-administrator registry (ORG-1, DA-1).
    ManagesRegistry,
}

macro_rules! define_gate_of {
    (context($($ctx:ident),*);
     $($(#[$doc:meta])* $v:ident $shape:tt
        = $name:literal in $service:ident, gate $gate:ident, rule $rule:expr;)*) => {
        impl Gate {
            /// The gate of an operation (the operations table's `gate` column).
            pub fn of(op: &Op) -> Gate {
                match op { $(Op::$v { .. } => Gate::$gate,)* }
            }
        }
    };
}

operations!(define_gate_of);

/// The gates that check something, one slot each in [`Gates`].
const CHECKED: usize = 6;

impl Gate {
    /// Its slot in [`Gates`], if it checks something.
    fn slot(self) -> Option<usize> {
        match self {
            Gate::None => None,
            Gate::Administrator => Some(0),
            Gate::StoreWriter => Some(1),
            Gate::DirectoryOwner => Some(2),
            Gate::ManagesMembership => Some(3),
            Gate::ManagesTrustedAccess => Some(4),
            Gate::ManagesRegistry => Some(5),
        }
    }

    /// The check itself: the very function the calls' rules begin with.
    fn check(self, cfg: &Config, s: &State, caller: Acct) -> Result<(), Refusal> {
        match self {
            Gate::None => Ok(()),
            Gate::Administrator => admin(cfg, s, caller).map(|_| ()),
            Gate::StoreWriter => store_writer(cfg, s, caller).map(|_| ()),
            Gate::DirectoryOwner => directory_owner(cfg, s, caller),
            Gate::ManagesMembership => {
                org_caller(cfg, s, caller).and_then(|()| management_only(cfg, caller, Rule::Org2))
            }
            Gate::ManagesTrustedAccess => {
                org_caller(cfg, s, caller).and_then(|()| management_only(cfg, caller, Rule::Org5))
            }
            Gate::ManagesRegistry => {
                org_caller(cfg, s, caller).and_then(|()| management_only(cfg, caller, Rule::Da1))
            }
        }
    }
}

/// The gates' answers for one state, made at most once per caller. Make one per state and
/// pass it to [`gated_outcomes`] for each call of that state.
#[derive(Clone, Debug)]
pub struct Gates {
    caller: Option<Acct>,
    answers: [Option<Result<(), Refusal>>; CHECKED],
}

impl Default for Gates {
    fn default() -> Gates {
        Gates::new()
    }
}

impl Gates {
    /// No answer made yet.
    pub fn new() -> Gates {
        Gates {
            caller: None,
            answers: [None; CHECKED],
        }
    }

    /// The gate's answer for the caller in `s`.
    #[inline]
    fn answer(&mut self, cfg: &Config, s: &State, gate: Gate, caller: Acct) -> Result<(), Refusal> {
        let Some(slot) = gate.slot() else {
            return Ok(());
        };
        if self.caller != Some(caller) {
            self.caller = Some(caller);
            self.answers = [None; CHECKED];
        }
        *self.answers[slot].get_or_insert_with(|| gate.check(cfg, s, caller))
    }
}

/// Every outcome of a call, exactly as [`outcomes`] gives them, but a call whose gate
/// refuses is answered from `gates` without running its rules. `gate` is the call's
/// ([`Gate::of`]); `gates` holds the answers made so far in this very state `s`.
#[inline]
pub fn gated_outcomes(
    cfg: &Config,
    s: &State,
    call: Call,
    gate: Gate,
    gates: &mut Gates,
    mut f: impl FnMut(Branch, Result<State, Refusal>),
) {
    if let Err(refusal) = gates.answer(cfg, s, gate, call.caller) {
        debug_assert!(
            refused_alike(cfg, s, call, refusal),
            "{call} does not begin with its gate {gate:?}"
        );
        f(Branch::NONE, Err(refusal));
        return;
    }
    outcomes(cfg, s, call, f)
}

/// Whether the call's only outcome in `s` is [`Branch::NONE`] with `refusal`.
pub fn refused_alike(cfg: &Config, s: &State, call: Call, refusal: Refusal) -> bool {
    let mut all = Vec::new();
    outcomes(cfg, s, call, |branch, outcome| all.push((branch, outcome)));
    all.len() == 1 && all[0] == (Branch::NONE, Err(refusal))
}

/// The calls of a configuration, grouped so that a state's calls that no gate refuses can
/// be listed without looking at the others: for each caller (a run of consecutive calls
/// with that caller) and each set of its gates that refuse (a 6-bit signature), the indices
/// of the calls left, in call order.
#[derive(Clone, Debug)]
pub struct OpenCalls {
    /// Each run of consecutive calls with one caller: the caller.
    runs: Vec<Acct>,
    /// `lists[run * SIGNATURES + signature]`: the range of `indices` listing the run's calls
    /// whose gate is not in the signature.
    lists: Vec<(u32, u32)>,
    indices: Vec<u16>,
}

/// Signatures: one bit per gate that checks something.
const SIGNATURES: usize = 1 << CHECKED;

/// The gates that check something, by slot.
const BY_SLOT: [Gate; CHECKED] = [
    Gate::Administrator,
    Gate::StoreWriter,
    Gate::DirectoryOwner,
    Gate::ManagesMembership,
    Gate::ManagesTrustedAccess,
    Gate::ManagesRegistry,
];

impl OpenCalls {
    /// Groups `calls` (at most 2^16 of them).
    pub fn new(calls: &[Call]) -> OpenCalls {
        let mut runs: Vec<(Acct, usize, usize)> = Vec::new();
        for (i, call) in calls.iter().enumerate() {
            match runs.last_mut() {
                Some((caller, _, end)) if *caller == call.caller => *end = i + 1,
                _ => runs.push((call.caller, i, i + 1)),
            }
        }
        let mut lists = Vec::with_capacity(runs.len() * SIGNATURES);
        let mut indices = Vec::new();
        for &(_, start, end) in &runs {
            for signature in 0..SIGNATURES {
                let first = indices.len() as u32;
                for (i, call) in calls.iter().enumerate().take(end).skip(start) {
                    let shut = Gate::of(&call.op)
                        .slot()
                        .is_some_and(|slot| signature & (1 << slot) != 0);
                    if !shut {
                        // INVARIANT: fewer than 2^16 calls (IdcModel::new).
                        indices.push(i as u16);
                    }
                }
                lists.push((first, indices.len() as u32));
            }
        }
        OpenCalls {
            runs: runs.into_iter().map(|(caller, _, _)| caller).collect(),
            lists,
            indices,
        }
    }

    /// Calls `f` with the index of every call of `s` whose gate does not refuse, in call
    /// order. The calls left out each have one outcome: their gate's refusal.
    #[inline]
    pub fn each(&self, cfg: &Config, s: &State, mut f: impl FnMut(usize)) {
        for (run, &caller) in self.runs.iter().enumerate() {
            let mut signature = 0;
            for (slot, gate) in BY_SLOT.iter().enumerate() {
                if gate.check(cfg, s, caller).is_err() {
                    signature |= 1 << slot;
                }
            }
            let (first, end) = self.lists[run * SIGNATURES + signature];
            for &i in &self.indices[first as usize..end as usize] {
                f(usize::from(i));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_and_by_slot_agree() {
        for (slot, gate) in BY_SLOT.iter().enumerate() {
            assert_eq!(gate.slot(), Some(slot));
        }
        assert_eq!(Gate::None.slot(), None);
    }
}
