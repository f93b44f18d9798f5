//! The threat model of a design: which operations each account of the organization makes.
//!
//! AWS's documents say what the API *allows*; a design says who *acts*. By default every
//! account may make every call (the sound default: the checker then finds everything any
//! account could do). A design narrows that: an account may be *idle* (it makes no call),
//! or *trusted* with an allow list (its runbook: it makes only those operations), or have
//! some operations *forbidden* (`--forbid OPERATION@ACCOUNT`). An *untrusted* account may
//! make any call, like an account the design does not name.
//!
//! The threat model is not an AWS rule: it never refuses a call. It narrows the calls the
//! checker explores (the universe of [`crate::calls::all_calls`]), as TLC's
//! `ACTION_CONSTRAINT` does. AWS's own environment steps (caller `aws`) always happen.

use std::fmt;

use crate::account::{Acct, MAX_ACCOUNTS};
use crate::op_kind::OpKind;

/// Every operation's bit, in [`OpKind::ALL`] order.
const ALL_OPS: u64 = if OpKind::ALL.len() == 64 {
    u64::MAX
} else {
    (1u64 << OpKind::ALL.len()) - 1
};

// INVARIANT: an account's permissions are a u64 bitset of operation kinds.
const _: () = assert!(OpKind::ALL.len() <= 64);

/// The operations each account may make: one bitset of [`OpKind`] indices per account
/// (`Acct(i)` at `i`). Copy, so it lives in [`crate::Config`].
///
/// Two threat models are equal when they let each account make the same calls (what the
/// checker explores, and what a trace file records); which of those exclusions were
/// forbidden outright only matters to [`Threat::for_recovery`].
#[derive(Clone, Copy)]
pub struct Threat {
    allowed: [u64; MAX_ACCOUNTS],
    /// The operations forbidden outright ([`Threat::forbid`]), apart from the allow lists:
    /// a forbidden operation is never made, not even in a recovery ([`Threat::for_recovery`]).
    forbidden: [u64; MAX_ACCOUNTS],
}

impl PartialEq for Threat {
    fn eq(&self, other: &Threat) -> bool {
        self.allowed == other.allowed
    }
}

impl Eq for Threat {}

impl std::hash::Hash for Threat {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.allowed.hash(state);
    }
}

impl Default for Threat {
    /// Every account may make every call.
    fn default() -> Threat {
        Threat {
            allowed: [ALL_OPS; MAX_ACCOUNTS],
            forbidden: [0; MAX_ACCOUNTS],
        }
    }
}

/// What a design says an account does, in its own words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Role {
    /// Any call (not named, or named `untrusted`).
    Any,
    /// No call at all.
    Idle,
    /// Only these operations (its allow list, minus anything forbidden).
    Only(Vec<OpKind>),
    /// Any call but these.
    AllBut(Vec<OpKind>),
}

impl Threat {
    /// Whether `caller` may make an operation of kind `op`. AWS's environment steps always
    /// happen.
    #[inline]
    pub fn permits(&self, caller: Acct, op: OpKind) -> bool {
        self.allowed
            .get(usize::from(caller.0))
            .is_none_or(|ops| ops & (1 << op as u64) != 0)
    }

    /// Whether every account may make every call (no design, or a design that narrows
    /// nothing).
    pub fn is_open(&self) -> bool {
        self.allowed.iter().all(|&ops| ops == ALL_OPS)
    }

    /// The account makes no call.
    pub fn idle(&mut self, account: Acct) {
        self.allowed[usize::from(account.0)] = 0;
    }

    /// The account makes only these operations (and nothing it was already denied).
    pub fn allow_only(&mut self, account: Acct, ops: &[OpKind]) {
        let mask = ops.iter().fold(0u64, |m, &k| m | 1 << k as u64);
        self.allowed[usize::from(account.0)] &= mask;
    }

    /// The account does not make this operation.
    pub fn forbid(&mut self, account: Acct, op: OpKind) {
        self.allowed[usize::from(account.0)] &= !(1 << op as u64);
        self.forbidden[usize::from(account.0)] |= 1 << op as u64;
    }

    /// The threat model of a recovery (`idc recover`): the management account, the
    /// defender, may make every operation not forbidden to it outright. Its allow list (or
    /// `idle`) says what it does routinely, not what it would do to get back to a safe
    /// baseline; a forbidden operation (`[threat.forbid]`, `--forbid`, `--keep-instance`) it
    /// never makes. The other accounts keep theirs.
    pub fn for_recovery(&self) -> Threat {
        let mut t = *self;
        let m = usize::from(Acct::MANAGEMENT.0);
        t.allowed[m] = ALL_OPS & !self.forbidden[m];
        t
    }

    /// What the account does.
    pub fn role(&self, account: Acct) -> Role {
        let ops = self.allowed[usize::from(account.0)];
        let kinds = |want: bool| -> Vec<OpKind> {
            OpKind::ALL
                .iter()
                .copied()
                .filter(|&k| (ops & (1 << k as u64) != 0) == want)
                .collect()
        };
        if ops == ALL_OPS {
            Role::Any
        } else if ops == 0 {
            Role::Idle
        } else if ops.count_ones() * 2 <= ALL_OPS.count_ones() {
            Role::Only(kinds(true))
        } else {
            Role::AllBut(kinds(false))
        }
    }

    /// The operations the account may make, in [`OpKind::ALL`] order.
    pub fn allowed(&self, account: Acct) -> Vec<OpKind> {
        let ops = self.allowed[usize::from(account.0)];
        OpKind::ALL
            .iter()
            .copied()
            .filter(|&k| ops & (1 << k as u64) != 0)
            .collect()
    }

    /// Whether the member accounts `1..=members` all have the same permissions, so that
    /// renaming them keeps the universe of calls (a condition of symmetry reduction).
    pub fn members_alike(&self, members: u8) -> bool {
        let members = &self.allowed[1..=usize::from(members)];
        members.iter().all(|&ops| ops == members[0])
    }

    /// What the account does, as the summary says it (`makes no call`, `makes only A and
    /// B`, `makes any call but C`); `None` when it may make any call.
    pub fn says(&self, account: Acct) -> Option<String> {
        Some(match self.role(account) {
            Role::Any => return None,
            Role::Idle => "makes no call".to_string(),
            Role::Only(ops) => format!("makes only {}", list(&ops)),
            Role::AllBut(ops) => format!("makes any call but {}", list(&ops)),
        })
    }

    /// The threat model in one line, over the accounts `0..accounts` (`anyone makes any
    /// call` when it narrows nothing): `member-1 any call; member-2 idle; management only
    /// 3 operations`.
    pub fn summary(&self, accounts: u8, name: impl Fn(Acct) -> String) -> String {
        let parts: Vec<String> = (0..accounts)
            .map(Acct)
            .filter_map(|a| Some(format!("{} {}", name(a), self.says(a)?)))
            .collect();
        if parts.is_empty() {
            "every account may make any call".to_string()
        } else {
            format!("{}; every other account any call", parts.join("; "))
        }
    }
}

/// `A, B and C`, or `N operations` past four.
fn list(ops: &[OpKind]) -> String {
    if ops.len() > 4 {
        return format!("{} operations", ops.len());
    }
    let names: Vec<&str> = ops.iter().map(|k| k.name()).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

impl fmt::Debug for Threat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary(MAX_ACCOUNTS as u8, |a| a.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_permits_everything_and_aws_always_acts() {
        let t = Threat::default();
        assert!(t.is_open());
        for &k in OpKind::ALL {
            assert!(t.permits(Acct::MANAGEMENT, k));
            assert!(t.permits(Acct::AWS, k));
        }
        assert_eq!(
            t.summary(3, |a| a.to_string()),
            "every account may make any call"
        );
    }

    #[test]
    fn idle_allow_and_forbid_narrow_one_account() {
        let mut t = Threat::default();
        t.idle(Acct(2));
        t.allow_only(
            Acct::MANAGEMENT,
            &[
                OpKind::RegisterDelegatedAdministrator,
                OpKind::CreateAccountAssignment,
            ],
        );
        t.forbid(Acct::MANAGEMENT, OpKind::CreateAccountAssignment);
        t.forbid(Acct(1), OpKind::DeleteInstance);
        assert!(t.permits(Acct::MANAGEMENT, OpKind::RegisterDelegatedAdministrator));
        assert!(!t.permits(Acct::MANAGEMENT, OpKind::CreateAccountAssignment));
        assert!(!t.permits(Acct(2), OpKind::AcceptHandshake));
        assert!(!t.permits(Acct(1), OpKind::DeleteInstance));
        assert!(t.permits(Acct(1), OpKind::CreateInstance));
        assert!(t.permits(Acct::AWS, OpKind::DeleteInstance));
        assert!(!t.members_alike(2));
        assert_eq!(t.role(Acct(2)), Role::Idle);
        assert_eq!(t.role(Acct(1)), Role::AllBut(vec![OpKind::DeleteInstance]));
        assert_eq!(
            t.summary(3, |a| a.to_string()),
            "management makes only RegisterDelegatedAdministrator; member-1 makes any call but DeleteInstance; member-2 makes no call; every other account any call"
        );
        // A recovery widens the management account's routine, not what it was forbidden.
        let r = t.for_recovery();
        assert!(r.permits(Acct::MANAGEMENT, OpKind::DeleteInstance));
        assert!(!r.permits(Acct::MANAGEMENT, OpKind::CreateAccountAssignment));
        assert!(!r.permits(Acct(1), OpKind::DeleteInstance));
        assert!(!r.permits(Acct(2), OpKind::AcceptHandshake));
    }
}
