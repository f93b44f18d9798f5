//! Symmetry reduction: member accounts are interchangeable, and so are users, groups and
//! permission sets.
//!
//! Nothing in the model singles out a member account: the initial state has every member in
//! the organization, the universe of calls lists every member alike, no guard and no property
//! names a particular member. Only the management account (`Acct(0)`) is special. So renaming
//! member accounts by a permutation `π` of `1..=members` maps every step to a step
//! (`step(π s, π c) = π step(s, c)`, tested) and keeps every property's value. States
//! that differ only by such a renaming can be explored once. The same holds of users, groups
//! and permission sets (issue 22): nothing names one, and the initial state has none
//! (`docs/performance.md` gives both arguments; [`Symmetry`] says which renamings a search
//! uses).
//!
//! The canonical form under member accounts: a state is a *global part* (everything that no
//! member account indexes) plus one *member tuple* per member account: in the organization,
//! closed, invited, delegated administrator, owns a directory, owns the directory that is the
//! identity source, owns the instance, owns an account instance, the permission sets
//! provisioned in it, and its account-assignment cells. A permutation moves tuples between
//! account numbers and leaves the global part alone. The representative lists the member
//! tuples sorted (descending, so that the tuples of accounts beyond the configuration, which
//! are all zero, stay at the end and the representative is a state of the same
//! configuration). Two states of one orbit have the same multiset of tuples, so the same
//! representative; ties are equal tuples, so the order among them does not matter. The sort
//! key is injective on tuples (it packs every field), which makes the representative
//! canonical, not only a reduction.
//!
//! Under identities too: the identity renamings that put each kind's identities in order of
//! a signature no renaming changes are the *candidates* ([`identities`]):
//! usually one, more only where identities with equal signatures differ. The canonical form
//! is the least of the candidates' member-sorted words. It is exact (one per orbit): the
//! candidates of `π s` are those of `s` composed with `π⁻¹`, so both have the same least
//! words; and equal words mean equal states up to renaming members.
//!
//! Everything is on the stack: no allocation per state.

use stateright::{Representative, Rewrite, RewritePlan};

pub mod identities;

pub use identities::rename as rename_identities;

use crate::account::{bits, Acct, IdentityMap, Principal, MAX_ACCOUNTS, MAX_IDENTITIES};
use crate::call::{Call, IdentitySource, Op};
use crate::config::Config;
use crate::model::Action;
use crate::state::State;

const MAX_PS: usize = MAX_IDENTITIES as usize;

/// A renaming of accounts: `map[i]` is the new number of `Acct(i)`; `map[0] == 0`.
pub type AccountMap = [u8; MAX_ACCOUNTS];

/// The identity renaming.
pub const IDENTITY: AccountMap = {
    let mut map = [0u8; MAX_ACCOUNTS];
    let mut i = 0;
    while i < MAX_ACCOUNTS {
        map[i] = i as u8;
        i += 1;
    }
    map
};

/// A stateright rewrite plan from an account renaming.
pub fn plan(map: AccountMap) -> RewritePlan<Acct, AccountMap> {
    // AWS (Acct::AWS, the environment's caller) is fixed by every renaming.
    RewritePlan::new(map, |a, map| {
        map.get(a.0 as usize).map_or(*a, |&to| Acct(to))
    })
}

impl Rewrite<Acct> for Acct {
    #[inline]
    fn rewrite<S>(&self, plan: &RewritePlan<Acct, S>) -> Self {
        plan.rewrite(self)
    }
}

impl Rewrite<Acct> for IdentitySource {
    fn rewrite<S>(&self, plan: &RewritePlan<Acct, S>) -> Self {
        match self {
            IdentitySource::ActiveDirectory(owner) => {
                IdentitySource::ActiveDirectory(owner.rewrite(plan))
            }
            other => *other,
        }
    }
}

impl Rewrite<Acct> for Principal {
    fn rewrite<S>(&self, _: &RewritePlan<Acct, S>) -> Self {
        *self
    }
}

impl Rewrite<Acct> for Op {
    fn rewrite<S>(&self, plan: &RewritePlan<Acct, S>) -> Self {
        self.map_accounts(|a| a.rewrite(plan))
    }
}

impl Rewrite<Acct> for Call {
    fn rewrite<S>(&self, plan: &RewritePlan<Acct, S>) -> Self {
        Call {
            caller: self.caller.rewrite(plan),
            op: self.op.rewrite(plan),
        }
    }
}

impl Rewrite<Acct> for Action {
    fn rewrite<S>(&self, plan: &RewritePlan<Acct, S>) -> Self {
        Action {
            call: self.call.rewrite(plan),
            branch: self.branch,
        }
    }
}

/// Renames the accounts of an account bitset.
#[inline]
fn rewrite_set<S>(set: u8, plan: &RewritePlan<Acct, S>) -> u8 {
    bits(set).fold(0, |out, a| out | plan.rewrite(&Acct(a)).bit())
}

impl Rewrite<Acct> for State {
    /// Renames every account-indexed part of the state: the account bitsets, the accounts
    /// each permission set is provisioned in, the assignment cells (moved to the renamed
    /// account), the AD directory named as identity source, and the instance owner.
    fn rewrite<S>(&self, plan: &RewritePlan<Acct, S>) -> Self {
        // Every field, by name: a field added to `State` fails to compile here until this
        // says whether it names accounts.
        let State {
            in_org,
            closed,
            invited,
            trusted_access,
            instance,
            account_instances,
            ad_sync,
            ad_sync_paused,
            delegates,
            directories,
            source,
            idp_admins,
            users,
            disabled,
            groups,
            membership,
            permission_sets,
            provisioned,
            assignments,
            ghost,
        } = *self;
        let mut out = State {
            in_org: rewrite_set(in_org, plan),
            closed: rewrite_set(closed, plan),
            invited: rewrite_set(invited, plan),
            trusted_access,
            instance: instance.rewrite(plan),
            account_instances: rewrite_set(account_instances, plan),
            ad_sync,
            ad_sync_paused,
            delegates: rewrite_set(delegates, plan),
            directories: rewrite_set(directories, plan),
            source: source.rewrite(plan),
            idp_admins: rewrite_set(idp_admins, plan),
            users,
            disabled,
            groups,
            membership,
            permission_sets,
            provisioned,
            assignments,
            ghost,
        };
        for ps in 0..MAX_PS {
            out.provisioned[ps] = rewrite_set(provisioned[ps], plan);
            for a in 0..MAX_ACCOUNTS {
                let to = plan.rewrite(&Acct(a as u8)).0 as usize;
                out.assignments[ps * MAX_ACCOUNTS + to] = assignments[ps * MAX_ACCOUNTS + a];
            }
        }
        out
    }
}

/// The member tuple of account `a`, packed injectively into a sort key (see the module
/// documentation): whether it configured the external IdP in bit 44, assignment cells in
/// bits 12..44, provisioned permission sets in 8..12, the eight flags in 0..8.
#[inline]
fn member_key(s: &State, a: usize) -> u64 {
    let bit = 1u8 << a;
    let flag = |set: u8, shift: u32| u64::from(set & bit != 0) << shift;
    let mut key = flag(s.account_instances, 7)
        | flag(s.in_org, 6)
        | flag(s.closed, 5)
        | flag(s.invited, 4)
        | flag(s.delegates, 3)
        | flag(s.directories, 2)
        | u64::from(s.source == IdentitySource::ActiveDirectory(Acct(a as u8))) << 1
        | u64::from(s.instance == Some(Acct(a as u8)))
        | flag(s.idp_admins, 44);
    for ps in 0..MAX_PS {
        key |= u64::from(s.provisioned[ps] & bit != 0) << (8 + ps);
        key |= u64::from(s.assignments[ps * MAX_ACCOUNTS + a]) << (12 + 8 * ps);
    }
    key
}

/// The member tuples' keys, by account (index 0, the management account, unused).
fn member_keys(s: &State) -> [u64; MAX_ACCOUNTS] {
    let mut keys = [0u64; MAX_ACCOUNTS];
    for (a, key) in keys.iter_mut().enumerate().skip(1) {
        *key = member_key(s, a);
    }
    keys
}

/// The renaming that sorts the member tuples (descending); the management account stays.
pub fn canonical_map(s: &State) -> AccountMap {
    let keys = member_keys(s);
    // Insertion sort of the member numbers by key, descending: at most 6 elements.
    let mut order: [u8; MAX_ACCOUNTS] = IDENTITY;
    for i in 2..MAX_ACCOUNTS {
        let mut j = i;
        while j > 1 && keys[order[j - 1] as usize] < keys[order[j] as usize] {
            order.swap(j - 1, j);
            j -= 1;
        }
    }
    // order[k] is the old account that gets number k.
    let mut map = IDENTITY;
    for (new, &old) in order.iter().enumerate().skip(1) {
        map[old as usize] = new as u8;
    }
    map
}

/// Which renamings a symmetric search identifies states under.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Symmetry {
    /// Renamings of member accounts.
    pub accounts: bool,
    /// Renamings of users, groups and permission sets.
    pub identities: bool,
}

impl Symmetry {
    /// No renaming: every state is its own orbit.
    pub const NONE: Symmetry = Symmetry {
        accounts: false,
        identities: false,
    };
    /// Member accounts only (`--symmetry` before issue 22).
    pub const ACCOUNTS: Symmetry = Symmetry {
        accounts: true,
        identities: false,
    };
    /// Member accounts, users, groups and permission sets.
    pub const FULL: Symmetry = Symmetry {
        accounts: true,
        identities: true,
    };

    /// Whether it identifies any states at all.
    pub fn any(self) -> bool {
        self.accounts || self.identities
    }
}

/// The canonical choice among the identity renamings of a state (see
/// [`identities`]).
struct Canonical {
    /// The renaming whose state has the least words.
    map: IdentityMap,
    /// Those words.
    words: [u64; ORBIT_WORDS],
    /// How many renamings of identities within `sizes` map the state to one with the
    /// same words (the state itself up to renaming members, if `sym.accounts`).
    automorphisms: u64,
}

/// The canonical identity renaming of `s` under `sym` (`sym.identities` is assumed).
fn canonical(s: &State, accounts: bool, sizes: [u8; 3]) -> Canonical {
    let mut best = Canonical {
        map: IdentityMap::IDENTITY,
        words: [u64::MAX; ORBIT_WORDS],
        automorphisms: 0,
    };
    let fixed = identities::candidates(s, sizes, |map| {
        let w = if *map == IdentityMap::IDENTITY {
            words(s, accounts)
        } else {
            words(&identities::rename(s, map), accounts)
        };
        if w < best.words {
            best.map = *map;
            best.words = w;
            best.automorphisms = 1;
        } else if w == best.words {
            best.automorphisms += 1;
        }
    });
    best.automorphisms *= fixed;
    best
}

impl Representative for State {
    /// The canonical member of the state's orbit under permutations of member accounts,
    /// users, groups and permission sets ([`Symmetry::FULL`]): one state per orbit.
    fn representative(&self) -> Self {
        let renamed = identities::rename(self, &canonical(self, true, [4; 3]).map);
        let map = canonical_map(&renamed);
        if map == IDENTITY {
            return renamed;
        }
        renamed.rewrite(&plan(map))
    }
}

/// The words of [`orbit_words`]: the global part (two words), the management account's
/// tuple, then the member tuples sorted.
pub const ORBIT_WORDS: usize = 2 + MAX_ACCOUNTS;

/// The orbit of `s` under `sym` as words: equal for two states exactly when a renaming of
/// `sym` maps one to the other, and cheaper to compute than [`Representative`]'s state
/// (only identities are renamed, and only when `sym.identities`). With member accounts
/// alone: the first two words pack everything that no account indexes (trusted access, AD
/// sync, which kind of identity source, users, groups, permission sets, ghost facts; then
/// the memberships), the third the management account's tuple, the others the member
/// tuples, sorted (descending). Every field of the state is in exactly one of them,
/// injectively, so two states have the same words exactly when a renaming of members maps
/// one to the other. With identities: the least of these words over the candidate
/// renamings of identities (module documentation).
#[inline]
pub fn orbit_words(s: &State, sym: Symmetry) -> [u64; ORBIT_WORDS] {
    if sym.identities {
        canonical(s, sym.accounts, [4; 3]).words
    } else {
        words(s, sym.accounts)
    }
}

/// The words of `s` (see [`orbit_words`]), the member tuples sorted if `accounts`.
#[inline]
fn words(s: &State, accounts: bool) -> [u64; ORBIT_WORDS] {
    // Every field, by name: the global ones here, the account-indexed ones in the member
    // tuples (`member_key`). A field added to `State` fails to compile here until it is
    // placed in one of them.
    let State {
        trusted_access,
        ad_sync,
        ad_sync_paused,
        source,
        users,
        disabled,
        groups,
        permission_sets,
        ghost,
        membership,
        idp_admins: _,
        in_org: _,
        closed: _,
        invited: _,
        instance: _,
        account_instances: _,
        delegates: _,
        directories: _,
        provisioned: _,
        assignments: _,
    } = *s;
    let mut keys = member_keys(s);
    if accounts {
        keys[1..].sort_unstable_by(|a, b| b.cmp(a));
    }
    let source = match source {
        IdentitySource::IdentityCenterDirectory => 0u64,
        IdentitySource::ExternalIdp => 1,
        IdentitySource::ActiveDirectory(_) => 2,
    };
    let mut out = [0u64; ORBIT_WORDS];
    out[0] = u64::from(trusted_access)
        | u64::from(ad_sync) << 1
        | source << 2
        | u64::from(ad_sync_paused) << 4
        | u64::from(users) << 8
        | u64::from(groups) << 16
        | u64::from(permission_sets) << 24
        | u64::from(ghost) << 32
        | u64::from(disabled) << 48;
    out[1] = u64::from(u32::from_le_bytes(membership));
    out[2] = member_key(s, 0);
    out[3..].copy_from_slice(&keys[1..]);
    out
}

fn factorial(n: usize) -> u64 {
    (1..=n as u64).product()
}

/// How many distinct states the orbit of `s` holds under the renamings of `sym` within
/// `cfg`'s sizes: the size of the group (`members!` for the member accounts, `users!
/// groups! permission-sets!` for the identities) divided by the number of its renamings
/// that fix `s` (for members alone: `k!` for each group of `k` equal member tuples).
/// Summed over the states a symmetric exploration visits, it gives the number of states
/// the exploration without symmetry would visit.
pub fn orbit_size(s: &State, cfg: &Config, sym: Symmetry) -> u64 {
    let members = usize::from(cfg.members).min(MAX_ACCOUNTS - 1);
    let (mut size, mut fixing) = (1u64, 1u64);
    if sym.accounts {
        size = factorial(members);
        let mut keys = member_keys(s);
        let tuples = &mut keys[1..=members];
        tuples.sort_unstable();
        let mut run = 1;
        for i in 1..=tuples.len() {
            if i < tuples.len() && tuples[i] == tuples[i - 1] {
                run += 1;
            } else {
                fixing *= factorial(run);
                run = 1;
            }
        }
    }
    if sym.identities {
        let sizes = [cfg.users, cfg.groups, cfg.permission_sets];
        size *= sizes
            .iter()
            .map(|&n| factorial(usize::from(n)))
            .product::<u64>();
        fixing *= canonical(s, sym.accounts, sizes).automorphisms;
    }
    size / fixing
}

#[cfg(test)]
mod tests;
