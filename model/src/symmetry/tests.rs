//! The symmetry assumption and the canonical forms, tested.

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

/// The configuration [`busy_state`] belongs to: 3 members, every identity.
fn busy_config() -> Config {
    Config {
        members: 3,
        users: 4,
        groups: 4,
        permission_sets: 4,
        ..Config::default()
    }
}

/// Every renaming of the first `sizes` users, groups and permission sets (the others
/// fixed).
fn identity_permutations(sizes: [u8; 3]) -> Vec<IdentityMap> {
    let perms = |n: u8| -> Vec<[u8; 4]> {
        permutations(n)
            .into_iter()
            .map(|m| {
                let mut out = [0, 1, 2, 3];
                for i in 0..usize::from(n) {
                    out[i] = m[i + 1] - 1;
                }
                out
            })
            .collect()
    };
    let mut out = Vec::new();
    for users in perms(sizes[0]) {
        for groups in perms(sizes[1]) {
            for permission_sets in perms(sizes[2]) {
                out.push(IdentityMap {
                    users,
                    groups,
                    permission_sets,
                });
            }
        }
    }
    out
}

/// The orbit of `s` under every renaming of members and identities within `cfg`.
fn full_orbit(s: &State, cfg: &Config) -> std::collections::HashSet<State> {
    let ids = identity_permutations([cfg.users, cfg.groups, cfg.permission_sets]);
    let mut out = std::collections::HashSet::new();
    for map in permutations(cfg.members) {
        let t = s.rewrite(&plan(map));
        for m in &ids {
            out.insert(rename_identities(&t, m));
        }
    }
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
        let words = orbit_words(&s, Symmetry::ACCOUNTS);
        let mut images = std::collections::HashSet::new();
        for map in permutations(3) {
            let image = s.rewrite(&plan(map));
            images.insert(image.clone());
            assert_eq!(image.representative(), rep, "renaming {map:?}");
            assert_eq!(orbit_words(&image, Symmetry::ACCOUNTS), words);
        }
        assert_eq!(
            images.len() as u64,
            orbit_size(&s, &busy_config(), Symmetry::ACCOUNTS)
        );
        // The representative is itself a renaming of the state (of members and
        // identities), within the configuration.
        let full = full_orbit(&s, &busy_config());
        assert!(full.contains(&rep));
        assert!(full
            .iter()
            .step_by(50)
            .all(|image| image.representative() == rep));
        assert_eq!(
            full.len() as u64,
            orbit_size(&s, &busy_config(), Symmetry::FULL)
        );
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
    let identity_maps = identity_permutations([2, 2, 2]);
    for (i, s) in all.iter().enumerate().step_by(5) {
        for map in permutations(3) {
            let ids = &identity_maps[i % identity_maps.len()];
            renamed.push(rename_identities(&s.rewrite(&plan(map)), ids));
        }
    }
    all.extend(renamed);
    let mut by_rep = std::collections::HashMap::new();
    let mut by_words = std::collections::HashMap::new();
    for s in &all {
        let (rep, words) = (s.representative(), orbit_words(s, Symmetry::FULL));
        assert_eq!(*by_rep.entry(rep.clone()).or_insert(words), words, "{s:?}");
        assert_eq!(*by_words.entry(words).or_insert(rep.clone()), rep, "{s:?}");
    }
    assert!(by_rep.len() > 1_000, "{}", by_rep.len());
}

#[test]
fn representative_keeps_the_management_account_and_the_configuration() {
    let s = busy_state();
    let rep = s.representative();
    // The management account's cell keeps its principals (renamed, perhaps).
    let management = |s: &State| {
        (0..MAX_PS)
            .map(|p| s.assignments[p * MAX_ACCOUNTS].count_ones())
            .sum::<u32>()
    };
    assert_eq!(management(&rep), management(&s));
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
    let size = |s: &State| orbit_size(s, &cfg, Symmetry::ACCOUNTS);
    assert_eq!(size(&State::initial(&cfg)), 1);
    let mut s = State::initial(&cfg);
    s.delegates = 0b0010;
    assert_eq!(size(&s), 3);
    s.directories = 0b0100;
    assert_eq!(size(&s), 6);
    // Identities: one user of two exists (2 states), then it is in one group of three
    // (3 more), and a permission set of two exists (2 more).
    let cfg = Config {
        users: 2,
        groups: 3,
        permission_sets: 2,
        ..cfg
    };
    let size = |s: &State, sym| orbit_size(s, &cfg, sym);
    assert_eq!(size(&State::initial(&cfg), Symmetry::FULL), 1);
    s.users = 0b01;
    assert_eq!(size(&s, Symmetry::FULL), 12);
    assert_eq!(size(&s, Symmetry::ACCOUNTS), 6);
    s.groups = 0b010;
    s.membership[1] = 0b01;
    assert_eq!(size(&s, Symmetry::FULL), 36);
    s.permission_sets = 0b10;
    let identities = Symmetry {
        accounts: false,
        identities: true,
    };
    assert_eq!(size(&s, identities), 12);
    assert_eq!(size(&s, Symmetry::FULL), 72);
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

/// The states met in `depth` steps of `cfg` (every `keep`-th successor of each level, at
/// most `cap` a level), the initial state included.
fn sample(cfg: &Config, depth: usize, keep: usize, cap: usize) -> Vec<State> {
    let calls = all_calls(cfg);
    let mut all = vec![State::initial(cfg)];
    let mut level = all.clone();
    for _ in 0..depth {
        let mut next = Vec::new();
        for s in &level {
            for &call in &calls {
                outcomes(cfg, s, call, |_, o| next.extend(o.ok()));
            }
        }
        // Evenly spread over the level: every `keep`-th successor, or fewer if too many.
        let stride = keep.max(next.len() / cap).min(next.len() / 8).max(1);
        level = next.into_iter().step_by(stride).take(cap).collect();
        all.extend(level.iter().cloned());
    }
    all
}

/// The symmetry assumption for identities: renaming users, groups and permission sets
/// commutes with the step function (calls renamed with [`Op::map_identities`]), refusals
/// and branches included, from states reached by a few steps and from the busy state.
#[test]
fn step_commutes_with_renaming_identities() {
    let cfg = Config {
        members: 2,
        users: 3,
        groups: 2,
        permission_sets: 2,
        ..Config::default()
    };
    let calls = all_calls(&cfg);
    let maps = identity_permutations([3, 2, 2]);
    let mut states = sample(&cfg, 4, 97, 60);
    let mut busy = busy_state();
    busy.in_org &= 0b111;
    busy.closed = 0;
    busy.directories &= 0b111;
    busy.source = IdentitySource::ActiveDirectory(Acct(2));
    busy.provisioned[1] = 0b0010;
    *busy.assigned_mut(PermissionSet(1), Acct(3)) = 0;
    *busy.assigned_mut(PermissionSet(1), Acct(1)) = Principal::User(User(1)).bit();
    busy.users = 0b111;
    busy.disabled = 0b100;
    busy.groups = 0b11;
    busy.membership = [0b011, 0b100, 0, 0];
    states.push(busy);
    let all = |s: &State, call: Call| {
        let mut out = Vec::new();
        outcomes(&cfg, s, call, |b, o| out.push((b, o)));
        out
    };
    let mut compared = 0;
    for s in &states {
        for &call in &calls {
            let out = all(s, call);
            for map in &maps {
                let renamed_call = Call {
                    caller: call.caller,
                    op: call.op.map_identities(map),
                };
                let renamed = all(&rename_identities(s, map), renamed_call);
                let expected: Vec<_> = out
                    .iter()
                    .map(|(b, o)| (*b, o.clone().map(|t| rename_identities(&t, map))))
                    .collect();
                assert_eq!(renamed, expected, "{call} from {s:?} under {map:?}");
                compared += 1;
            }
        }
    }
    assert!(compared > 20_000, "{compared}");
}

/// The properties, the baseline of `recover` and the renaming of calls are invariant
/// under renaming identities; a renaming and its inverse cancel.
#[test]
fn properties_do_not_tell_identities_apart() {
    let cfg = Config {
        members: 2,
        users: 2,
        groups: 2,
        permission_sets: 2,
        ..Config::default()
    };
    let maps = identity_permutations([2, 2, 2]);
    for s in sample(&cfg, 5, 13, 300) {
        for map in &maps {
            let t = rename_identities(&s, map);
            assert_eq!(rename_identities(&t, &map.inverse()), s);
            for p in crate::properties::PROPERTIES {
                assert_eq!((p.holds)(&t), (p.holds)(&s), "{} under {map:?}", p.name);
            }
            assert_eq!(
                crate::baseline::in_baseline(&t),
                crate::baseline::in_baseline(&s)
            );
        }
    }
    for call in all_calls(&cfg) {
        for map in &maps {
            assert_eq!(
                call.op.map_identities(map).map_identities(&map.inverse()),
                call.op
            );
        }
    }
}

/// The canonical words under every renaming are exact: on the states met in a few steps
/// of a configuration with two of every identity (and their renamings), two states have
/// the same [`orbit_words`] exactly when a brute-force search over every renaming of
/// members and identities maps one to the other; and [`orbit_size`] counts the distinct
/// renamings.
#[test]
fn identity_words_are_exactly_canonical() {
    let cfg = Config {
        members: 2,
        users: 2,
        groups: 2,
        permission_sets: 2,
        ..Config::default()
    };
    let maps = identity_permutations([2, 2, 2]);
    let mut states = sample(&cfg, 7, 11, 2_000);
    let renamed: Vec<State> = states
        .iter()
        .enumerate()
        .step_by(3)
        .map(|(i, s)| rename_identities(&s.rewrite(&plan(permutations(2)[i % 2])), &maps[i % 8]))
        .collect();
    states.extend(renamed);
    // Brute force: the least account-sorted words over every identity renaming.
    let brute = |s: &State| {
        maps.iter()
            .map(|m| words(&rename_identities(s, m), true))
            .min()
            .expect("some renaming")
    };
    let mut by_brute = std::collections::HashMap::new();
    let mut by_words = std::collections::HashMap::new();
    let (mut sizes, mut checked) = (0u64, 0u64);
    for (i, s) in states.iter().enumerate() {
        let (b, w) = (brute(s), orbit_words(s, Symmetry::FULL));
        assert_eq!(*by_brute.entry(b).or_insert(w), w, "{s:?}");
        assert_eq!(*by_words.entry(w).or_insert(b), b, "{s:?}");
        if i % 7 == 0 {
            let orbit = full_orbit(s, &cfg);
            assert_eq!(
                orbit.len() as u64,
                orbit_size(s, &cfg, Symmetry::FULL),
                "{s:?}"
            );
            assert!(orbit.contains(&s.representative()));
            sizes += orbit.len() as u64;
            checked += 1;
        }
    }
    assert!(by_words.len() > 400, "{}", by_words.len());
    assert!(
        sizes > 2 * checked,
        "orbits of several states: {sizes} for {checked}"
    );
}
