//! Symmetry reduction: member accounts are interchangeable.
//!
//! Nothing in the model singles out a member account: the initial state has every member in
//! the organization, the universe of calls lists every member alike, no guard and no property
//! names a particular member. Only the management account (`Acct(0)`) is special. So renaming
//! member accounts by a permutation `π` of `1..=members` maps every step to a step
//! (`step(π s, π c) = π step(s, c)`, tested below) and keeps every property's value. States
//! that differ only by such a renaming can be explored once.
//!
//! The canonical form: a state is a *global part* (everything that no member account
//! indexes) plus one *member tuple* per member account: in the organization, closed, invited,
//! delegated administrator, owns a directory, owns the directory that is the identity source,
//! owns the instance, owns an account instance, the permission sets provisioned in it, and
//! its account-assignment cells. A permutation moves tuples between account numbers and leaves the global part
//! alone. The representative lists the member tuples sorted (descending, so that the tuples
//! of accounts beyond the configuration, which are all zero, stay at the end and the
//! representative is a state of the same configuration). Two states of one orbit have the
//! same multiset of tuples, so the same representative; ties are equal tuples, so the order
//! among them does not matter. The sort key is injective on tuples (it packs every field),
//! which makes the representative canonical, not only a reduction.
//!
//! Everything is on the stack: no allocation per state.

use stateright::{Representative, Rewrite, RewritePlan};

use crate::account::{bits, Acct, Principal, MAX_ACCOUNTS, MAX_IDENTITIES};
use crate::call::{Call, IdentitySource, Op};
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

impl Representative for State {
    /// The canonical member of the state's orbit under permutations of member accounts.
    fn representative(&self) -> Self {
        let map = canonical_map(self);
        if map == IDENTITY {
            return self.clone();
        }
        self.rewrite(&plan(map))
    }
}

/// The words of [`orbit_words`]: the global part (two words), the management account's
/// tuple, then the member tuples sorted.
pub const ORBIT_WORDS: usize = 2 + MAX_ACCOUNTS;

/// The orbit of `s` as words: equal for two states exactly when they have the same
/// [`Representative::representative`], and cheaper to compute (nothing is renamed). The
/// first two words pack everything that no account indexes (trusted access, AD sync,
/// which kind of identity source, users, groups, permission sets, ghost facts; then the
/// memberships), the third the management account's tuple, the others the member tuples,
/// sorted (descending). Every field of the state is in exactly one of them, injectively,
/// so two states have the same words exactly when a renaming of members maps one to the
/// other.
#[inline]
pub fn orbit_words(s: &State) -> [u64; ORBIT_WORDS] {
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
    keys[1..].sort_unstable_by(|a, b| b.cmp(a));
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

/// How many distinct states the orbit of `s` holds under permutations of the `members`
/// member accounts: `members!` divided by the number of permutations that fix `s`
/// (`k!` for each group of `k` equal member tuples). Summed over the representatives a
/// symmetric exploration visits, it gives the number of states the exploration without
/// symmetry would visit.
pub fn orbit_size(s: &State, members: u8) -> u64 {
    let members = usize::from(members).min(MAX_ACCOUNTS - 1);
    let mut keys = member_keys(s);
    let tuples = &mut keys[1..=members];
    tuples.sort_unstable();
    let factorial = |n: usize| (1..=n as u64).product::<u64>();
    let mut size = factorial(members);
    let mut run = 1;
    for i in 1..=tuples.len() {
        if i < tuples.len() && tuples[i] == tuples[i - 1] {
            run += 1;
        } else {
            size /= factorial(run);
            run = 1;
        }
    }
    size
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::account::{Group, PermissionSet, User};
    use crate::calls::all_calls;
    use crate::config::Config;
    use crate::step::outcomes;

    /// Every permutation of `1..=n` as an account renaming (Heap's algorithm is overkill
    /// for n ≤ 4: plain recursion).
    fn permutations(n: u8) -> Vec<AccountMap> {
        fn go(prefix: &mut Vec<u8>, rest: &mut Vec<u8>, out: &mut Vec<AccountMap>) {
            if rest.is_empty() {
                let mut map = IDENTITY;
                for (i, &to) in prefix.iter().enumerate() {
                    map[i + 1] = to;
                }
                out.push(map);
                return;
            }
            for i in 0..rest.len() {
                let x = rest.remove(i);
                prefix.push(x);
                go(prefix, rest, out);
                prefix.pop();
                rest.insert(i, x);
            }
        }
        let mut out = Vec::new();
        go(&mut Vec::new(), &mut (1..=n).collect(), &mut out);
        out
    }

    /// A busy state of a 3-member configuration: every account-indexed field differs
    /// between members, and two members share a tuple.
    fn busy_state() -> State {
        let cfg = Config {
            members: 3,
            ..Config::default()
        };
        let mut s = State::initial(&cfg);
        s.instance = Some(Acct::MANAGEMENT);
        s.trusted_access = true;
        s.in_org = 0b1011; // member-2 left
        s.invited = 0b0100; // and is invited back
        s.closed = 0b1000; // member-3 closed
        s.delegates = 0b0010;
        s.directories = 0b0110;
        s.account_instances = 0b0100;
        s.source = IdentitySource::ActiveDirectory(Acct(2));
        s.users = 0b11;
        s.groups = 0b1;
        s.membership[0] = 0b10;
        s.permission_sets = 0b11;
        s.provisioned[0] = 0b0011;
        s.provisioned[1] = 0b1000;
        *s.assigned_mut(PermissionSet(0), Acct(1)) = Principal::User(User(0)).bit();
        *s.assigned_mut(PermissionSet(0), Acct(0)) = Principal::Group(Group(0)).bit();
        *s.assigned_mut(PermissionSet(1), Acct(3)) = Principal::User(User(1)).bit();
        s
    }

    #[test]
    fn every_permutation_has_the_same_representative() {
        // member-2 and member-3 untouched: equal tuples.
        let mut twins = busy_state();
        twins.in_org = 0b1111;
        twins.invited = 0;
        twins.closed = 0;
        twins.directories = 0b0010;
        twins.account_instances = 0;
        twins.source = IdentitySource::ExternalIdp;
        twins.provisioned = [0b0011, 0, 0, 0];
        twins.assignments[MAX_ACCOUNTS + 3] = 0;
        // Variants where member-2 and member-3 differ by one field only.
        let mut instance_owner = twins.clone();
        instance_owner.instance = Some(Acct(3));
        let mut source_owner = twins.clone();
        source_owner.directories = 0b1110;
        source_owner.source = IdentitySource::ActiveDirectory(Acct(3));
        let mut account_instance = twins.clone();
        account_instance.account_instances = 0b1000;
        let mut one_cell = twins.clone();
        *one_cell.assigned_mut(PermissionSet(3), Acct(2)) = Principal::Group(Group(3)).bit();
        for s in [
            busy_state(),
            twins,
            instance_owner,
            source_owner,
            account_instance,
            one_cell,
        ] {
            let rep = s.representative();
            let mut images = std::collections::HashSet::new();
            for map in permutations(3) {
                let image = s.rewrite(&plan(map));
                images.insert(image.clone());
                assert_eq!(image.representative(), rep, "renaming {map:?}");
            }
            assert_eq!(images.len() as u64, orbit_size(&s, 3));
            // The representative is itself a renaming of the state, within 3 members.
            assert!(images.contains(&rep));
        }
    }

    /// `orbit_words` identifies exactly the states `representative` identifies: on the
    /// states met in four steps of a 3-member configuration (their renamings included) and
    /// on the busy states above, equal words and equal representatives go together.
    #[test]
    fn orbit_words_identify_exactly_the_orbits() {
        let cfg = Config {
            members: 3,
            users: 2,
            groups: 2,
            permission_sets: 2,
            ..Config::default()
        };
        let calls = all_calls(&cfg);
        let mut all = vec![busy_state()];
        let mut level = vec![State::initial(&cfg), busy_state()];
        for _ in 0..4 {
            let mut next = Vec::new();
            for s in &level {
                for &call in &calls {
                    outcomes(&cfg, s, call, |_, o| {
                        if let Ok(t) = o {
                            if next.len() < 4_000 {
                                next.push(t);
                            }
                        }
                    });
                }
            }
            all.extend(next.iter().cloned());
            level = next;
        }
        let mut renamed = Vec::new();
        for s in all.iter().step_by(5) {
            for map in permutations(3) {
                renamed.push(s.rewrite(&plan(map)));
            }
        }
        all.extend(renamed);
        let mut by_rep = std::collections::HashMap::new();
        let mut by_words = std::collections::HashMap::new();
        for s in &all {
            let (rep, words) = (s.representative(), orbit_words(s));
            assert_eq!(*by_rep.entry(rep.clone()).or_insert(words), words, "{s:?}");
            assert_eq!(*by_words.entry(words).or_insert(rep.clone()), rep, "{s:?}");
        }
        assert!(by_rep.len() > 1_000, "{}", by_rep.len());
    }

    #[test]
    fn representative_keeps_the_management_account_and_the_configuration() {
        let s = busy_state();
        let rep = s.representative();
        assert_eq!(rep.assignments[0], s.assignments[0]);
        assert_eq!(rep.instance, Some(Acct::MANAGEMENT));
        // Nothing moves beyond member-3.
        assert_eq!(rep.in_org & !0b1111, 0);
        assert_eq!(rep.representative(), rep, "idempotent");
    }

    #[test]
    fn orbit_size_counts_distinct_renamings() {
        let cfg = Config {
            members: 3,
            ..Config::default()
        };
        assert_eq!(orbit_size(&State::initial(&cfg), 3), 1);
        let mut s = State::initial(&cfg);
        s.delegates = 0b0010;
        assert_eq!(orbit_size(&s, 3), 3);
        s.directories = 0b0100;
        assert_eq!(orbit_size(&s, 3), 6);
    }

    /// The symmetry assumption itself: renaming members commutes with the step function,
    /// refusals included, from states reached by a few steps.
    #[test]
    fn step_commutes_with_renaming() {
        let cfg = Config {
            members: 3,
            ..Config::default()
        };
        let calls = all_calls(&cfg);
        let maps = permutations(3);
        let mut frontier = vec![State::initial(&cfg), busy_state()];
        for _ in 0..2 {
            let mut next_frontier = Vec::new();
            for s in &frontier {
                for (i, &call) in calls.iter().enumerate() {
                    let all = |s: &State, call: Call| {
                        let mut out = Vec::new();
                        outcomes(&cfg, s, call, |b, o| out.push((b, o)));
                        out
                    };
                    let out = all(s, call);
                    for &map in &maps {
                        let p = plan(map);
                        let renamed = all(&s.rewrite(&p), call.rewrite(&p));
                        let expected: Vec<_> = out
                            .iter()
                            .map(|(b, o)| (*b, o.clone().map(|t| t.rewrite(&p))))
                            .collect();
                        assert_eq!(renamed, expected, "{call} from {s:?} under {map:?}");
                    }
                    for (_, o) in out {
                        if let Ok(t) = o {
                            if i % 7 == 0 {
                                next_frontier.push(t);
                            }
                        }
                    }
                }
            }
            frontier = next_frontier;
        }
    }
}
