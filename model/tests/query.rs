//! The query language against the model: `holds(P)` and hand translations of the built-in
//! properties agree with their predicates on every reachable state of a small
//! configuration; random well-typed queries compile and evaluate without panicking, and
//! print back to equivalent text; random garbage never panics the parser and always gets
//! an error with a column inside the text.

use std::collections::{HashSet, VecDeque};
use std::sync::OnceLock;

use idc_model::calls::all_calls;
use idc_model::query::parser;
use idc_model::{outcomes, Config, Last, OpKind, Query, State, PROPERTIES};
use proptest::prelude::*;
use proptest::sample::select;

/// The configuration explored: one member, one user, group and permission set.
fn small() -> Config {
    Config {
        members: 1,
        ..Config::default()
    }
}

/// Every state reachable in [`small`], with the last step of the first transition found
/// into it (the initial state has none), breadth first.
fn reachable() -> &'static [(State, Last)] {
    static STATES: OnceLock<Vec<(State, Last)>> = OnceLock::new();
    STATES.get_or_init(|| {
        let cfg = small();
        let calls = all_calls(&cfg);
        let init = State::initial(&cfg);
        let mut seen = HashSet::from([init.clone()]);
        let mut out = vec![(init.clone(), Last::default())];
        let mut queue = VecDeque::from([init]);
        while let Some(s) = queue.pop_front() {
            for &call in &calls {
                outcomes(&cfg, &s, call, |_, o| {
                    if let Ok(next) = o {
                        if seen.insert(next.clone()) {
                            let last = Last {
                                caller: Some(call.caller),
                                op: Some(OpKind::of(&call.op)),
                                refused: false,
                            };
                            out.push((next.clone(), last));
                            queue.push_back(next);
                        }
                    }
                });
            }
        }
        out
    })
}

fn query(text: &str) -> Query {
    Query::parse(text, &small()).unwrap_or_else(|e| panic!("{text}: {e}"))
}

#[test]
fn the_small_configuration_is_explored_whole() {
    let n = reachable().len();
    assert!(n > 10_000, "only {n} states");
    println!("{n} states");
}

#[test]
fn holds_agrees_with_every_built_in_property() {
    for p in PROPERTIES {
        let q = query(&format!("holds({})", p.name));
        for (s, last) in reachable() {
            assert_eq!(q.eval(s, last), (p.holds)(s), "{} on {s:?}", p.name);
        }
    }
}

/// The built-in properties that are facts of the state (not of ghost bits), written in the
/// language.
const TRANSLATIONS: &[(&str, &str)] = &[
    (
        "at-most-one-delegated-admin",
        "all a in accounts: all b in accounts: registered(a) && registered(b) => a == b",
    ),
    (
        "delegate-is-active-member",
        "all a in accounts: registered(a) => a != management && active(a)",
    ),
    (
        "instance-in-management-account",
        "instance != none => instance == management && in-org(instance)",
    ),
    (
        "ad-directory-in-correct-owner",
        // Model 3: the management account or the registered delegate (SRC-2 under either
        // reading of Q9).
        "all a in accounts: source == active-directory(a) => \
         a == management || (delegate != none && registered(a))",
    ),
    (
        "ad-directory-inside-organization",
        "all a in accounts: source == active-directory(a) => in-org(a)",
    ),
    (
        "ad-directory-owner-active",
        "all a in accounts: source == active-directory(a) => active(a)",
    ),
    (
        "ad-sync-on-while-delegated",
        // Model 3: on and not paused.
        "delegate != none && (some a in accounts: source == active-directory(a)) => \
         ad-sync && !ad-sync-paused",
    ),
    (
        "management-identities-controlled-by-management",
        "(some u in users: reaches(u, management)) => \
         all a in members: all u in users: !controls(a, u)",
    ),
    (
        "delegated-admin-has-trusted-access",
        "delegate != none => trusted-access",
    ),
    (
        "no-assignment-to-inactive-account",
        "all a in accounts: !active(a) => all p in permission-sets: \
         (all u in users: !assigned(u, p, a)) && (all g in groups: !assigned(g, p, a))",
    ),
    (
        "delegate-registered-with-ad-source",
        "delegate != none && some a in accounts: source == active-directory(a)",
    ),
    (
        "delegate-with-external-idp",
        "delegate != none && source == external-idp",
    ),
    (
        "user-reaches-management-account",
        "some u in users: reaches(u, management)",
    ),
];

#[test]
fn hand_translations_agree_with_the_built_in_properties() {
    for (name, text) in TRANSLATIONS {
        let p = PROPERTIES.iter().find(|p| p.name == *name).unwrap();
        let q = query(text);
        assert!(!q.uses_last() && !q.names_members(), "{name}");
        for (s, last) in reachable() {
            assert_eq!(q.eval(s, last), (p.holds)(s), "{name}: `{text}` on {s:?}");
        }
    }
    // The brief's five are among them.
    for name in [
        "at-most-one-delegated-admin",
        "ad-directory-in-correct-owner",
        "ad-directory-inside-organization",
        "ad-directory-owner-active",
        "ad-sync-on-while-delegated",
        "instance-in-management-account",
    ] {
        assert!(TRANSLATIONS.iter().any(|(n, _)| *n == name));
    }
}

/// A xorshift generator: random states without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn bits(&mut self, mask: u8) -> u8 {
        self.next() as u8 & mask
    }

    /// A set of at most two of `mask`'s bits, mostly (so that "at most one" varies).
    fn few(&mut self, mask: u8) -> u8 {
        match self.next() % 4 {
            0 => 0,
            3 => self.bits(mask),
            _ => {
                let all: Vec<u8> = (0..8).filter(|i| mask & 1 << i != 0).collect();
                1 << all[self.next() as usize % all.len()]
            }
        }
    }
}

/// An arbitrary state of the configuration's universe (most unreachable): every field
/// drawn at random within the configuration's accounts and identities.
fn random_state(cfg: &Config, r: &mut Rng) -> State {
    use idc_model::account::MAX_ACCOUNTS;
    use idc_model::{Acct, IdentitySource};
    let accounts = cfg.all_accounts();
    let users = (1u8 << cfg.users) - 1;
    let groups = (1u8 << cfg.groups) - 1;
    let acct = |r: &mut Rng| Acct((r.next() % u64::from(cfg.accounts())) as u8);
    let mut s = State::initial(cfg);
    s.in_org = accounts & !r.few(accounts);
    s.closed = r.few(accounts);
    s.invited = r.few(accounts);
    s.trusted_access = r.next() % 3 != 0;
    s.instance = match r.next() % 4 {
        0 => None,
        1 => Some(acct(r)),
        _ => Some(Acct::MANAGEMENT),
    };
    s.account_instances = r.few(accounts);
    s.ad_sync = r.next() % 2 == 0;
    s.ad_sync_paused = r.next() % 3 == 0;
    s.delegates = r.few(accounts);
    s.directories = r.bits(accounts);
    s.source = match r.next() % 3 {
        0 => IdentitySource::IdentityCenterDirectory,
        1 => IdentitySource::ExternalIdp,
        _ => IdentitySource::ActiveDirectory(acct(r)),
    };
    s.idp_admins = r.few(accounts);
    s.users = r.bits(users);
    s.disabled = r.few(users);
    s.groups = r.bits(groups);
    for g in 0..usize::from(cfg.groups) {
        s.membership[g] = r.bits(users);
    }
    s.permission_sets = r.bits((1u8 << cfg.permission_sets) - 1);
    for ps in 0..usize::from(cfg.permission_sets) {
        s.provisioned[ps] = r.bits(accounts);
        for a in 0..usize::from(cfg.accounts()) {
            s.assignments[ps * MAX_ACCOUNTS + a] = r.few(users | groups << 4);
        }
    }
    s.ghost = r.next() as u16;
    s
}

/// The translations agree with the built-in predicates on arbitrary states too, where the
/// `always` properties fail as often as they hold.
#[test]
fn hand_translations_agree_on_arbitrary_states() {
    let wider = Config {
        members: 3,
        users: 2,
        groups: 2,
        permission_sets: 2,
        ..Config::default()
    };
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    for cfg in [small(), Config::default(), wider] {
        for (name, text) in TRANSLATIONS {
            let p = PROPERTIES.iter().find(|p| p.name == *name).unwrap();
            let q = Query::parse(text, &cfg).unwrap();
            let mut held = [0usize; 2];
            for _ in 0..20_000 {
                let s = random_state(&cfg, &mut r);
                let expected = (p.holds)(&s);
                held[usize::from(expected)] += 1;
                assert_eq!(q.eval(&s, &Last::default()), expected, "{name} on {s:?}");
            }
            assert!(held[0] > 0 && held[1] > 0, "{name}: {held:?} (false, true)");
        }
    }
}

#[test]
fn last_step_facts_follow_the_transition() {
    let q = query("last.call == RegisterDelegatedAdministrator => last.caller == management");
    let changed = query("last.call != none => last.caller != none");
    for (s, last) in reachable() {
        // DA-1: only the management account registers.
        assert!(q.eval(s, last), "{last:?}");
        assert!(changed.eval(s, last));
    }
}

// ---------------------------------------------------------------------------- random queries

fn account() -> impl Strategy<Value = String> {
    select(vec![
        "management",
        "member-1",
        "none",
        "delegate",
        "instance",
        "last.caller",
        "a",
        "b",
    ])
    .prop_map(str::to_string)
}

fn source() -> impl Strategy<Value = String> {
    prop_oneof![
        select(vec!["source", "identity-center-directory", "external-idp"])
            .prop_map(str::to_string),
        account().prop_map(|a| format!("active-directory({a})")),
    ]
}

fn user() -> impl Strategy<Value = String> {
    select(vec!["user-1", "u"]).prop_map(str::to_string)
}

fn group() -> impl Strategy<Value = String> {
    select(vec!["group-1", "g"]).prop_map(str::to_string)
}

fn ps() -> impl Strategy<Value = String> {
    select(vec!["ps-1", "p"]).prop_map(str::to_string)
}

fn principal() -> impl Strategy<Value = String> {
    prop_oneof![user(), group()]
}

fn operation() -> impl Strategy<Value = String> {
    prop_oneof![
        select(OpKind::ALL.to_vec()).prop_map(|k| k.name().to_string()),
        Just("none".to_string()),
    ]
}

fn atom() -> impl Strategy<Value = String> {
    let f1 = |name: &'static str| account().prop_map(move |a| format!("{name}({a})"));
    prop_oneof![
        select(vec![
            "true",
            "false",
            "trusted-access",
            "ad-sync",
            "last.refused"
        ])
        .prop_map(str::to_string),
        f1("registered"),
        f1("invited"),
        f1("in-org"),
        f1("active"),
        f1("closed"),
        f1("owns-directory"),
        prop_oneof![user(), group(), ps()].prop_map(|x| format!("exists({x})")),
        (user(), group()).prop_map(|(u, g)| format!("member({u}, {g})")),
        (user(), account()).prop_map(|(u, a)| format!("reaches({u}, {a})")),
        (principal(), ps(), account()).prop_map(|(x, p, a)| format!("assigned({x}, {p}, {a})")),
        (ps(), account()).prop_map(|(p, a)| format!("provisioned({p}, {a})")),
        (account(), principal()).prop_map(|(a, x)| format!("controls({a}, {x})")),
        select(PROPERTIES.iter().map(|p| p.name).collect::<Vec<_>>())
            .prop_map(|p| format!("holds({p})")),
        (account(), account(), any::<bool>()).prop_map(|(l, r, ne)| cmp(&l, &r, ne)),
        (source(), source(), any::<bool>()).prop_map(|(l, r, ne)| cmp(&l, &r, ne)),
        (user(), user(), any::<bool>()).prop_map(|(l, r, ne)| cmp(&l, &r, ne)),
        (operation(), any::<bool>(), any::<bool>()).prop_map(|(o, ne, flip)| {
            if flip {
                cmp(&o, "last.call", ne)
            } else {
                cmp("last.call", &o, ne)
            }
        }),
    ]
}

fn cmp(l: &str, r: &str, ne: bool) -> String {
    format!("{l} {} {r}", if ne { "!=" } else { "==" })
}

/// A well-typed boolean over the variables `a`, `b` (accounts), `u` (users), `g` (groups)
/// and `p` (permission sets).
fn body() -> impl Strategy<Value = String> {
    atom().prop_recursive(4, 24, 3, |inner| {
        prop_oneof![
            inner.clone().prop_map(|e| format!("!({e})")),
            (
                inner.clone(),
                inner.clone(),
                select(vec!["&&", "||", "=>", "==", "!="])
            )
                .prop_map(|(l, r, op)| format!("({l}) {op} ({r})")),
            (inner.clone(), inner.clone(), inner.clone())
                .prop_map(|(x, y, z)| format!("{x} && {y} || !{z}")),
            (inner.clone(), inner).prop_map(|(x, y)| format!("{x} => ({y}) => {x}")),
        ]
    })
}

/// [`body`] under quantifiers binding its variables, in a random order.
fn well_typed() -> impl Strategy<Value = String> {
    let binders = vec![
        ("a", "accounts"),
        ("b", "members"),
        ("u", "users"),
        ("g", "groups"),
        ("p", "permission-sets"),
    ];
    (
        Just(binders).prop_shuffle(),
        proptest::collection::vec(any::<bool>(), 5),
        body(),
    )
        .prop_map(|(binders, all, body)| {
            let mut text = String::new();
            for ((var, domain), all) in binders.iter().zip(all) {
                let q = if all { "all" } else { "some" };
                text.push_str(&format!("{q} {var} in {domain}: "));
            }
            text.push_str(&body);
            text
        })
}

/// Strings of the language's tokens and a few others, glued at random.
fn garbage() -> impl Strategy<Value = String> {
    let token = select(vec![
        "all",
        "some",
        "in",
        "last",
        ".",
        "caller",
        "call",
        "refused",
        "true",
        "false",
        "none",
        "(",
        ")",
        ",",
        ":",
        "==",
        "!=",
        "!",
        "&&",
        "||",
        "=>",
        "=",
        "&",
        "|",
        "->",
        "x",
        "users",
        "accounts",
        "delegate",
        "source",
        "member-1",
        "member-9",
        "user-1",
        "ps-0",
        "reaches",
        "holds",
        "at-most-one-delegated-admin",
        "active-directory",
        "CreateUser",
        "ds-data:CreateUser",
        "ds:",
        "é",
        "\u{1b}",
        "\n",
        "0",
        "-",
        "#",
    ]);
    proptest::collection::vec((token, select(vec!["", " "])), 0..24).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(t, sep)| format!("{t}{sep}"))
            .collect()
    })
}

fn sample_states() -> impl Iterator<Item = &'static (State, Last)> {
    reachable().iter().step_by(97)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn well_typed_queries_compile_evaluate_and_print_back(text in well_typed()) {
        let q = Query::parse(&text, &small()).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        let printed = parser::parse(&text).unwrap().to_string();
        let back = Query::parse(&printed, &small())
            .map_err(|e| TestCaseError::fail(format!("{printed}: {e}")))?;
        prop_assert_eq!(q.uses_last(), back.uses_last());
        prop_assert_eq!(q.names_members(), back.names_members());
        for (s, last) in sample_states() {
            prop_assert_eq!(q.eval(s, last), back.eval(s, last), "{} vs {}", text, printed);
        }
        // The printed form is a fixed point.
        prop_assert_eq!(parser::parse(&printed).unwrap().to_string(), printed);
    }

    #[test]
    fn garbage_never_panics_and_errors_point_inside_the_text(text in garbage()) {
        match Query::parse(&text, &small()) {
            Ok(q) => {
                for (s, last) in sample_states() {
                    q.eval(s, last);
                }
            }
            Err(e) => {
                let len = text.chars().count();
                prop_assert!((1..=len + 1).contains(&e.column()), "{:?}: {}", text, e);
                let msg = e.to_string();
                prop_assert!(!msg.contains('\n'), "{}", msg);
                let column = format!("column {}: ", e.column());
                prop_assert!(msg.starts_with(&column), "{}", msg);
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,40}") {
        if let Err(e) = Query::parse(&text, &small()) {
            prop_assert!((1..=text.chars().count() + 1).contains(&e.column()));
            prop_assert!(!e.to_string().contains('\n'));
        }
    }
}

/// A design's names for accounts stand for them in a query exactly as their model ids do,
/// and a member named by its design name makes the query name a member (symmetry is then
/// not used).
#[test]
fn design_names_stand_for_their_accounts() {
    let cfg = small();
    let mut names = idc_model::AccountNames::default();
    names.set(idc_model::Acct(1), "security-tooling");
    names.set(idc_model::Acct::MANAGEMENT, "org-root");
    let by_name = Query::parse_named(
        "delegate == security-tooling || instance == org-root",
        &cfg,
        &names,
    )
    .unwrap();
    let by_id = Query::parse("delegate == member-1 || instance == management", &cfg).unwrap();
    assert!(by_name.names_members());
    for (s, last) in reachable() {
        assert_eq!(by_name.eval(s, last), by_id.eval(s, last));
    }
    // Without the names, a design's name is an unknown name.
    assert!(Query::parse("delegate == security-tooling", &cfg).is_err());
}
