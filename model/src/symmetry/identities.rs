//! Identity symmetry: users, groups and permission sets are interchangeable.
//!
//! No guard, property, practice, assumption, baseline condition or call of the universe
//! names a particular user, group or permission set (`docs/performance.md`, "Identity
//! symmetry: why it is sound"), and the initial state has none. So renaming them maps
//! steps to steps and keeps every property's value, as renaming member accounts does.
//!
//! This file renames the identities of a state ([`rename`]) and lists the few renamings
//! among which the canonical one is chosen ([`candidates`]): each identity gets a
//! *signature* that no renaming (of identities or of member accounts) changes — whether
//! it is used at all, then a hash of its own facts and of its neighbours' (the groups a
//! user is in, the permission sets and accounts it is assigned to, …). Identities are put
//! in order of their signatures; identities with equal signatures (a *run*) can still
//! differ, so every order within a run is a candidate, unless the run's identities are
//! *twins* (swapping any two of them changes nothing: the same facts, so every order gives
//! the same state). The caller (`symmetry/mod.rs`) keeps the candidate whose state has the
//! least orbit words: that minimum is the same for every state of an orbit, because the
//! candidates of `π s` are those of `s` composed with `π⁻¹` (signatures move with the
//! identities they describe).
//!
//! Allocation-free: everything is on the stack.

use crate::account::{IdentityMap, MAX_ACCOUNTS, MAX_IDENTITIES};
use crate::state::State;

const N: usize = MAX_IDENTITIES as usize;

// INVARIANT: a permission set's row (its bit, the 7 bits of the accounts it is provisioned
// in, then one byte per account's cell) fits in a u64; a user's (2 + 4 + 28 bits) and a
// group's (1 + 4 + 4 + 28) too.
const _: () = assert!(MAX_ACCOUNTS <= 7 && N == 4);

/// The bitset `set` (of identity indices, low nibble) renamed by `map`, as a table of all
/// 16 nibbles.
fn nibble_table(map: &[u8; N]) -> [u8; 16] {
    let mut table = [0u8; 16];
    for (set, out) in table.iter_mut().enumerate() {
        for (i, &to) in map.iter().enumerate() {
            if set & (1 << i) != 0 {
                *out |= 1 << to;
            }
        }
    }
    table
}

/// The state with its users, groups and permission sets renamed by `map`.
pub fn rename(s: &State, map: &IdentityMap) -> State {
    // Every field, by name: a field added to `State` fails to compile here until this says
    // whether it names identities.
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
    } = *s;
    let (u, g, p) = (
        nibble_table(&map.users),
        nibble_table(&map.groups),
        nibble_table(&map.permission_sets),
    );
    // INVARIANT: identity bitsets use the low nibble only (MAX_IDENTITIES = 4).
    let nib = |t: &[u8; 16], set: u8| t[usize::from(set & 15)];
    let mut out = State {
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
        users: nib(&u, users),
        disabled: nib(&u, disabled),
        groups: nib(&g, groups),
        membership,
        permission_sets: nib(&p, permission_sets),
        provisioned,
        assignments,
        ghost,
    };
    for i in 0..N {
        out.membership[usize::from(map.groups[i])] = nib(&u, membership[i]);
        let to = usize::from(map.permission_sets[i]);
        out.provisioned[to] = provisioned[i];
        for a in 0..MAX_ACCOUNTS {
            let cell = assignments[i * MAX_ACCOUNTS + a];
            out.assignments[to * MAX_ACCOUNTS + a] = nib(&u, cell) | nib(&g, cell >> 4) << 4;
        }
    }
    out
}

/// Mixes a word into a hash (a multiply and a rotation: cheap, and good enough to tell
/// identities apart; a collision only costs candidates, never soundness).
#[inline]
fn mix(h: u64, x: u64) -> u64 {
    (h ^ x)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        .rotate_left(31)
        .wrapping_add(0x632b_e59b_d9b4_e019)
}

/// Every identity's facts, as *rows* (twins have equal rows) and *signatures* (invariant
/// under every renaming of identities and member accounts).
struct Facts {
    /// Per kind (users, groups, permission sets), per index: the identity's facts, by the
    /// other identities' and the accounts' numbers. Two identities of a kind are twins
    /// exactly when their rows are equal.
    rows: [[u64; N]; 3],
    /// Per kind, per index: the signature; 0 exactly for an identity that is used nowhere
    /// (blank), which all states of the configuration have beyond its sizes.
    sigs: [[u64; N]; 3],
}

const USERS: usize = 0;
const GROUPS: usize = 1;
const SETS: usize = 2;

/// The set bits of `x`, lowest first.
#[inline]
fn ones(mut x: u8) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (x != 0).then(|| {
            let i = x.trailing_zeros() as usize;
            x &= x - 1;
            i
        })
    })
}

/// The rows and signatures of every identity of `s`. Each membership and each non-empty
/// assignment cell is visited once, and each of its principals by its bit: a state has
/// few of them (most of the 28 cells are empty), and this runs on every state generated
/// with identity symmetry.
fn facts(s: &State) -> Facts {
    let mut rows = [[0u64; N]; 3];
    // Per kind and index: counts that no renaming changes (the management account, fixed
    // by every renaming, counted apart from the members): [0] memberships (users: groups
    // it is in; groups: its members) or, for a set, whether it is provisioned in the
    // management account and in how many members; [1] assignments in the management
    // account; [2] in members; [3] (sets) non-empty cells.
    let mut counts = [[[0u64; 4]; N]; 3];
    for i in 0..N {
        let bit = 1u8 << i;
        // `|=`: earlier groups may have set this user's membership bits already.
        rows[USERS][i] |= u64::from(s.users & bit != 0) | u64::from(s.disabled & bit != 0) << 1;
        rows[GROUPS][i] = u64::from(s.groups & bit != 0) | u64::from(s.membership[i]) << 1;
        rows[SETS][i] = u64::from(s.permission_sets & bit != 0) | u64::from(s.provisioned[i]) << 1;
        counts[GROUPS][i][0] = u64::from(s.membership[i].count_ones());
        counts[SETS][i][0] =
            u64::from(s.provisioned[i] & 1) << 3 | u64::from((s.provisioned[i] >> 1).count_ones());
        for u in ones(s.membership[i]) {
            rows[USERS][u] |= 1 << (2 + i);
            counts[USERS][u][0] += 1;
        }
    }
    for (at, &cell) in s.assignments.iter().enumerate() {
        if cell == 0 {
            continue;
        }
        let (p, a) = (at / MAX_ACCOUNTS, at % MAX_ACCOUNTS);
        let side = usize::from(a != 0) + 1;
        for u in ones(cell & 15) {
            rows[USERS][u] |= 1 << (6 + at);
            counts[USERS][u][side] += 1;
        }
        for g in ones(cell >> 4) {
            rows[GROUPS][g] |= 1 << (9 + at);
            counts[GROUPS][g][side] += 1;
        }
        rows[SETS][p] |= u64::from(cell) << (8 + 8 * a);
        let (users_in, groups_in) = ((cell & 15).count_ones(), (cell >> 4).count_ones());
        counts[SETS][p][side] += u64::from(users_in) | u64::from(groups_in) << 8;
        counts[SETS][p][3] += 1;
    }
    // Base signatures: the flags and the counts, mixed.
    let mut base = [[0u64; N]; 3];
    for i in 0..N {
        let bit = 1u8 << i;
        let flags = [
            u64::from(s.users & bit != 0) | u64::from(s.disabled & bit != 0) << 1,
            u64::from(s.groups & bit != 0),
            u64::from(s.permission_sets & bit != 0),
        ];
        for k in 0..3 {
            base[k][i] = counts[k][i]
                .iter()
                .fold(mix(0, flags[k]), |h, &c| mix(h, c));
        }
    }
    // One round of refinement: each identity's signature also sums (an order-free
    // combination) its neighbours' base signatures, each with the side of the assignment
    // (the management account or a member) where it meets them.
    let mut acc = base;
    for g in 0..N {
        for u in ones(s.membership[g]) {
            acc[USERS][u] = acc[USERS][u].wrapping_add(mix(1, base[GROUPS][g]));
            acc[GROUPS][g] = acc[GROUPS][g].wrapping_add(mix(2, base[USERS][u]));
        }
    }
    for (at, &cell) in s.assignments.iter().enumerate() {
        if cell == 0 {
            continue;
        }
        let (p, a) = (at / MAX_ACCOUNTS, at % MAX_ACCOUNTS);
        let side = u64::from(a != 0);
        for i in ones(cell & 15) {
            acc[USERS][i] = acc[USERS][i].wrapping_add(mix(3 + side, base[SETS][p]));
            acc[SETS][p] = acc[SETS][p].wrapping_add(mix(5 + side, base[USERS][i]));
        }
        for i in ones(cell >> 4) {
            acc[GROUPS][i] = acc[GROUPS][i].wrapping_add(mix(7 + side, base[SETS][p]));
            acc[SETS][p] = acc[SETS][p].wrapping_add(mix(9 + side, base[GROUPS][i]));
        }
    }
    let mut sigs = [[0u64; N]; 3];
    for k in 0..3 {
        for i in 0..N {
            // Blank identities (no fact at all) get 0, every other one its top bit set: the
            // used identities come first, within the configuration's sizes.
            sigs[k][i] = if rows[k][i] == 0 {
                0
            } else {
                1 << 63 | mix(0, acc[k][i]) >> 1
            };
        }
    }
    Facts { rows, sigs }
}

/// The rows and signatures of every identity of `s`.
/// The permutations of `0..k` for `k` = 2, 3, 4, in a fixed order.
const PERMS_2: [[u8; 4]; 2] = [[0, 1, 2, 3], [1, 0, 2, 3]];
const PERMS_3: [[u8; 4]; 6] = [
    [0, 1, 2, 3],
    [0, 2, 1, 3],
    [1, 0, 2, 3],
    [1, 2, 0, 3],
    [2, 0, 1, 3],
    [2, 1, 0, 3],
];
const PERMS_4: [[u8; 4]; 24] = [
    [0, 1, 2, 3],
    [0, 1, 3, 2],
    [0, 2, 1, 3],
    [0, 2, 3, 1],
    [0, 3, 1, 2],
    [0, 3, 2, 1],
    [1, 0, 2, 3],
    [1, 0, 3, 2],
    [1, 2, 0, 3],
    [1, 2, 3, 0],
    [1, 3, 0, 2],
    [1, 3, 2, 0],
    [2, 0, 1, 3],
    [2, 0, 3, 1],
    [2, 1, 0, 3],
    [2, 1, 3, 0],
    [2, 3, 0, 1],
    [2, 3, 1, 0],
    [3, 0, 1, 2],
    [3, 0, 2, 1],
    [3, 1, 0, 2],
    [3, 1, 2, 0],
    [3, 2, 0, 1],
    [3, 2, 1, 0],
];

fn perms(k: usize) -> &'static [[u8; 4]] {
    match k {
        2 => &PERMS_2,
        3 => &PERMS_3,
        _ => &PERMS_4,
    }
}

fn factorial(n: usize) -> u64 {
    (1..=n as u64).product()
}

/// A run of identities with equal signatures whose orders are candidates.
#[derive(Clone, Copy, Default)]
struct Run {
    kind: usize,
    start: usize,
    len: usize,
}

/// Calls `f` with every candidate renaming of `s` (see the module documentation) and
/// returns how many renamings of identities *within the configuration's sizes* fix `s`
/// whatever the candidate (twins swapped among themselves, blank identities among
/// themselves): the factor the caller multiplies its own count of automorphisms by.
/// `sizes` are the configuration's users, groups and permission sets.
pub fn candidates(s: &State, sizes: [u8; 3], mut f: impl FnMut(&IdentityMap)) -> u64 {
    let facts = facts(s);
    // order[k][pos]: the identity of kind k that gets number pos (signatures descending).
    let mut order = [[0u8, 1, 2, 3]; 3];
    let mut runs = [Run::default(); 6];
    let mut nruns = 0;
    let mut fixed = 1u64;
    for k in 0..3 {
        let sig = &facts.sigs[k];
        let o = &mut order[k];
        // Insertion sort, descending, ties by index: at most 4 elements.
        for i in 1..N {
            let mut j = i;
            while j > 0 && sig[usize::from(o[j - 1])] < sig[usize::from(o[j])] {
                o.swap(j - 1, j);
                j -= 1;
            }
        }
        let used = sig.iter().filter(|&&x| x != 0).count();
        // INVARIANT: blank identities are twins, and every identity beyond the
        // configuration's size is blank: they fix every state among themselves.
        fixed *= factorial(usize::from(sizes[k]).saturating_sub(used));
        let mut start = 0;
        while start < used {
            let mut end = start + 1;
            while end < used && sig[usize::from(o[end])] == sig[usize::from(o[start])] {
                end += 1;
            }
            let first = facts.rows[k][usize::from(o[start])];
            let twins = (start..end).all(|p| facts.rows[k][usize::from(o[p])] == first);
            if twins {
                fixed *= factorial(end - start);
            } else {
                runs[nruns] = Run {
                    kind: k,
                    start,
                    len: end - start,
                };
                nruns += 1;
            }
            start = end;
        }
    }
    // Mixed-radix enumeration of one permutation per run.
    let mut digit = [0usize; 6];
    loop {
        let mut ord = order;
        for (r, &d) in runs[..nruns].iter().zip(&digit) {
            let p = perms(r.len)[d];
            for i in 0..r.len {
                ord[r.kind][r.start + i] = order[r.kind][r.start + usize::from(p[i])];
            }
        }
        let invert = |ord: &[u8; N]| {
            let mut map = [0u8; N];
            for (pos, &old) in ord.iter().enumerate() {
                map[usize::from(old)] = pos as u8;
            }
            map
        };
        let map = IdentityMap {
            users: invert(&ord[USERS]),
            groups: invert(&ord[GROUPS]),
            permission_sets: invert(&ord[SETS]),
        };
        f(&map);
        // Next digits.
        let mut r = 0;
        loop {
            if r == nruns {
                return fixed;
            }
            digit[r] += 1;
            if digit[r] < perms(runs[r].len).len() {
                break;
            }
            digit[r] = 0;
            r += 1;
        }
    }
}
