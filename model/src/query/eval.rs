//! Evaluation of a compiled tree on a state and the last step: no allocation, no name
//! lookup; `&&`, `||`, `=>` and the quantifiers short-circuit; who reaches an account
//! ([`effective_access`]) is computed at most once per account per evaluation.

use super::compile::{Node, Val, EXTERNAL_IDP, IDENTITY_CENTER_DIRECTORY, MAX_QUANTIFIERS, NONE};
use super::Last;
use crate::access::{effective_access, identity_controllers};
use crate::account::{Acct, PermissionSet, MAX_ACCOUNTS};
use crate::call::IdentitySource;
use crate::state::State;

/// What an evaluation reads and remembers.
pub(crate) struct Ctx<'a> {
    s: &'a State,
    last: &'a Last,
    /// The quantifiers' variables, by slot.
    env: [u8; MAX_QUANTIFIERS],
    /// `effective_access` of each account, valid where `known` has the account's bit.
    reach: [u8; MAX_ACCOUNTS],
    known: u8,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(s: &'a State, last: &'a Last) -> Ctx<'a> {
        Ctx {
            s,
            last,
            env: [NONE; MAX_QUANTIFIERS],
            reach: [0; MAX_ACCOUNTS],
            known: 0,
        }
    }

    #[inline]
    pub(crate) fn val(&self, v: &Val) -> u8 {
        match *v {
            Val::Lit(c) => c,
            Val::Var(slot) => self.env[usize::from(slot) % MAX_QUANTIFIERS],
            Val::Delegate => match self.s.delegates {
                0 => NONE,
                d => d.trailing_zeros() as u8,
            },
            Val::Instance => self.s.instance.map_or(NONE, |a| a.0),
            Val::Source => match self.s.source {
                IdentitySource::IdentityCenterDirectory => IDENTITY_CENTER_DIRECTORY,
                IdentitySource::ExternalIdp => EXTERNAL_IDP,
                IdentitySource::ActiveDirectory(a) => a.0,
            },
            Val::LastCaller => self.last.caller.map_or(NONE, |a| a.0),
            Val::LastCall => self.last.op.map_or(NONE, |k| k as u8),
        }
    }

    /// The bit of an account code in an account bitset: 0 for `none`.
    #[inline]
    fn acct_bit(&self, v: &Val) -> u8 {
        let a = self.val(v);
        if usize::from(a) < MAX_ACCOUNTS {
            1 << a
        } else {
            0
        }
    }

    /// The account of a code, if it is one.
    #[inline]
    fn acct(&self, v: &Val) -> Option<Acct> {
        let a = self.val(v);
        (usize::from(a) < MAX_ACCOUNTS).then_some(Acct(a))
    }

    /// The bit of a user, group or permission-set code in its bitset.
    #[inline]
    fn ix_bit(&self, v: &Val) -> u8 {
        1u8.checked_shl(u32::from(self.val(v))).unwrap_or(0)
    }

    fn reaches(&mut self, a: Acct) -> u8 {
        let i = usize::from(a.0);
        if self.known & a.bit() == 0 {
            self.reach[i] = effective_access(self.s, a);
            self.known |= a.bit();
        }
        self.reach[i]
    }

    /// The assignment cell of `(ps, account)`: 0 when either is out of range.
    fn cell(&self, ps: &Val, a: &Val) -> u8 {
        let ps = self.val(ps);
        match self.acct(a) {
            Some(a) if usize::from(ps) < crate::account::MAX_IDENTITIES as usize => {
                self.s.assigned(PermissionSet(ps), a)
            }
            _ => 0,
        }
    }

    fn controls(&self, a: &Val) -> bool {
        self.acct(a)
            .is_some_and(|a| identity_controllers(self.s) & a.bit() != 0)
    }

    pub(crate) fn eval(&mut self, n: &Node) -> bool {
        let s = self.s;
        match n {
            Node::Const(b) => *b,
            Node::Not(e) => !self.eval(e),
            Node::And(items) => items.iter().all(|e| self.eval(e)),
            Node::Or(items) => items.iter().any(|e| self.eval(e)),
            Node::Implies(a, b) => !self.eval(a) || self.eval(b),
            Node::Iff(a, b) => self.eval(a) == self.eval(b),
            Node::Eq(a, b) => self.val(a) == self.val(b),
            Node::TrustedAccess => s.trusted_access,
            Node::AdSync => s.ad_sync,
            Node::AdSyncPaused => s.ad_sync_paused,
            Node::LastRefused => self.last.refused,
            Node::Registered(a) => s.delegates & self.acct_bit(a) != 0,
            Node::Invited(a) => s.invited & self.acct_bit(a) != 0,
            Node::InOrg(a) => s.in_org & self.acct_bit(a) != 0,
            Node::Active(a) => {
                let bit = self.acct_bit(a);
                s.in_org & bit != 0 && s.closed & bit == 0
            }
            Node::Closed(a) => s.closed & self.acct_bit(a) != 0,
            Node::OwnsDirectory(a) => s.directories & self.acct_bit(a) != 0,
            Node::UserExists(u) => s.users & self.ix_bit(u) != 0,
            Node::GroupExists(g) => s.groups & self.ix_bit(g) != 0,
            Node::PermissionSetExists(p) => s.permission_sets & self.ix_bit(p) != 0,
            Node::Member(u, g) => s
                .membership
                .get(usize::from(self.val(g)))
                .is_some_and(|m| m & self.ix_bit(u) != 0),
            Node::Reaches(u, a) => match self.acct(a) {
                Some(a) => {
                    let bit = self.ix_bit(u);
                    self.reaches(a) & bit != 0
                }
                None => false,
            },
            Node::AssignedUser(u, ps, a) => self.cell(ps, a) & self.ix_bit(u) & 0x0f != 0,
            Node::AssignedGroup(g, ps, a) => self.cell(ps, a) & (self.ix_bit(g) & 0x0f) << 4 != 0,
            Node::Provisioned(ps, a) => s
                .provisioned
                .get(usize::from(self.val(ps)))
                .is_some_and(|p| p & self.acct_bit(a) != 0),
            Node::ControlsUser(a, u) => s.users & self.ix_bit(u) != 0 && self.controls(a),
            Node::ControlsGroup(a, g) => s.groups & self.ix_bit(g) != 0 && self.controls(a),
            Node::Holds(p) => p(s),
            Node::Quantified {
                all,
                slot,
                lo,
                hi,
                body,
            } => {
                let slot = usize::from(*slot) % MAX_QUANTIFIERS;
                for v in *lo..*hi {
                    self.env[slot] = v;
                    if self.eval(body) != *all {
                        return !*all;
                    }
                }
                *all
            }
        }
    }
}
