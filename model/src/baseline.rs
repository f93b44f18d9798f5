//! The safe baseline of `idc recover`: the conditions a state must meet for the
//! organization to be back under the management account's control (no delegated
//! administrator, an identity source it controls, its instance ready with trusted access,
//! every active member reached by some user). `sim`'s recoverability analysis asks whether
//! the management account can force a state back into it.

use crate::access::{effective_access, identity_controllers};
use crate::account::bits;
use crate::{Acct, State};

/// One condition of the safe baseline.
#[derive(Clone, Copy)]
pub struct Condition {
    /// Its name.
    pub name: &'static str,
    /// What it requires.
    pub meaning: &'static str,
    /// The predicate.
    pub holds: fn(&State) -> bool,
}

/// The safe baseline: every condition holds.
pub const BASELINE: &[Condition] = &[
    Condition {
        name: "no-delegate",
        meaning: "no delegated administrator is registered",
        holds: |s| s.delegates == 0,
    },
    Condition {
        name: "identity-source-safe",
        meaning: "the identity source's identities are controlled by the management account alone (its own directory, the Identity Center directory with no delegate, or an external IdP it configured)",
        holds: |s| identity_controllers(s) & !Acct::MANAGEMENT.bit() == 0,
    },
    Condition {
        name: "instance-ready",
        meaning: "the IAM Identity Center instance exists in the management account, which is not closed, and trusted access is enabled",
        holds: |s| {
            s.instance == Some(Acct::MANAGEMENT)
                && !s.is_closed(Acct::MANAGEMENT)
                && s.trusted_access
        },
    },
    Condition {
        name: "members-reachable",
        meaning: "every active member account (in the organization, not closed) is reached by some user through an account assignment",
        holds: |s| {
            let active_members = s.in_org & !s.closed & !Acct::MANAGEMENT.bit();
            bits(active_members).all(|a| effective_access(s, Acct(a)) != 0)
        },
    },
];

/// Whether a state is in a safe baseline.
pub fn in_baseline(s: &State) -> bool {
    BASELINE.iter().all(|c| (c.holds)(s))
}
