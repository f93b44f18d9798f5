//! Every exception the model gives an operation is in that operation's error list in the AWS
//! service model (botocore's `service-2.json` of organizations, sso-admin, identitystore, ds
//! and ds-data), and every `Reason` is in its exception's enum.
//!
//! The service models are kept as a fixture, `model/tests/fixtures/aws-errors.json`, with
//! botocore's version; `model/tests/fixtures/extract_aws_errors.py` regenerates it from a
//! botocore `data` directory. It lists every operation of the five services, so that a newly
//! modelled operation is covered without regenerating it.
//!
//! Every refusal the model can produce is enumerated: breadth-first over every reachable
//! state of small configurations, every call, every outcome (see [`configurations`]).

use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};

use idc_model::assumptions::Assumptions;
use idc_model::calls::{all_calls, all_ops};
use idc_model::{outcomes, Call, Config, Op, Refusal, Rule, Service, State};

/// The fixture: botocore's version, each service's operations with their error lists, and
/// the `Reason` enums.
const FIXTURE: &str = include_str!("../fixtures/aws-errors.json");

/// Operations that are console tasks or console settings with no public API: they are in no
/// service model, and their refusals are the console's, not an API's error model, so they
/// are not checked. Every other operation must be in its service's model (a new operation
/// has to be classified here or match an API operation's name).
const CONSOLE_TASKS: &[&str] = &[
    "EnableIdentityCenter",
    "ChangeIdentitySource",
    "EnableConfigurableADSync",
    "PauseADSync",
    "ResumeADSync",
    "RemovePermissionSetFromAccount",
    // Users → user in the console: "Reset password", "Disable user access" / "Enable user
    // access" (the Identity Store API has no password; status is an attribute there).
    "ResetUserPassword",
    "EnableUserAccess",
    "DisableUserAccess",
    // Account Management in the console: the account's root user closes its own account
    // (the Account Management API has no such operation; `CloseAccount` is Organizations').
    "CloseOwnAccount",
];

// ------------------------------------------------------------------------------- fixture

/// A JSON value of the fixture: it has only objects, arrays and strings.
#[derive(Debug)]
enum Json {
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Json {
    fn get(&self, key: &str) -> &Json {
        match self {
            Json::Obj(fields) => fields
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v)
                .unwrap_or_else(|| panic!("fixture: no key `{key}`")),
            _ => panic!("fixture: `{key}` looked up in a non-object"),
        }
    }

    fn fields(&self) -> &[(String, Json)] {
        match self {
            Json::Obj(fields) => fields,
            _ => panic!("fixture: expected an object"),
        }
    }

    fn str(&self) -> &str {
        match self {
            Json::Str(s) => s,
            _ => panic!("fixture: expected a string"),
        }
    }

    fn strings(&self) -> BTreeSet<String> {
        match self {
            Json::Arr(items) => items.iter().map(|i| i.str().to_string()).collect(),
            _ => panic!("fixture: expected an array"),
        }
    }
}

/// A reader of the JSON subset the fixture uses (objects, arrays, strings with simple
/// escapes); anything else panics.
struct Reader<'a> {
    text: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn skip_space(&mut self) {
        while self.text.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) {
        self.skip_space();
        assert_eq!(
            self.text.get(self.at),
            Some(&byte),
            "fixture: expected `{}` at byte {}",
            byte as char,
            self.at
        );
        self.at += 1;
    }

    /// Whether the next byte is `byte` (consumed if so).
    fn eat(&mut self, byte: u8) -> bool {
        self.skip_space();
        let hit = self.text.get(self.at) == Some(&byte);
        if hit {
            self.at += 1;
        }
        hit
    }

    fn string(&mut self) -> String {
        self.expect(b'"');
        let mut out = Vec::new();
        loop {
            let b = self.text[self.at];
            self.at += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let e = self.text[self.at];
                    self.at += 1;
                    assert!(
                        matches!(e, b'"' | b'\\' | b'/'),
                        "fixture: unsupported escape"
                    );
                    out.push(e);
                }
                _ => out.push(b),
            }
        }
        String::from_utf8(out).expect("fixture: UTF-8")
    }

    /// The items of an array or object, `item` reading each, after the opening byte.
    fn items<T>(&mut self, close: u8, mut item: impl FnMut(&mut Self) -> T) -> Vec<T> {
        let mut items = Vec::new();
        if self.eat(close) {
            return items;
        }
        loop {
            items.push(item(self));
            if self.eat(close) {
                return items;
            }
            self.expect(b',');
        }
    }

    fn value(&mut self) -> Json {
        if self.eat(b'{') {
            Json::Obj(self.items(b'}', |r| {
                let k = r.string();
                r.expect(b':');
                (k, r.value())
            }))
        } else if self.eat(b'[') {
            Json::Arr(self.items(b']', Reader::value))
        } else {
            Json::Str(self.string())
        }
    }
}

/// The fixture, read.
struct ServiceModels {
    /// service → operation → its exceptions.
    services: BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
    /// exception → its `Reason` enum.
    reasons: BTreeMap<String, BTreeSet<String>>,
}

fn service_models() -> ServiceModels {
    let mut reader = Reader {
        text: FIXTURE.as_bytes(),
        at: 0,
    };
    let json = reader.value();
    reader.skip_space();
    assert_eq!(reader.at, FIXTURE.len(), "fixture: text after the value");
    assert!(!json.get("botocore").str().is_empty());
    let services = json
        .get("services")
        .fields()
        .iter()
        .map(|(service, ops)| {
            let ops = ops
                .fields()
                .iter()
                .map(|(op, errors)| (op.clone(), errors.strings()))
                .collect();
            (service.clone(), ops)
        })
        .collect();
    let reasons = json
        .get("reasons")
        .fields()
        .iter()
        .map(|(exception, reasons)| (exception.clone(), reasons.strings()))
        .collect();
    ServiceModels { services, reasons }
}

// ------------------------------------------------------------------ operations → services

/// Where an operation's errors are specified.
#[derive(Debug, PartialEq, Eq)]
enum Home {
    /// An API operation: the fixture's service and the operation's name there.
    Api(&'static str, &'static str),
    /// A console task (in [`CONSOLE_TASKS`]).
    Console,
    /// One of the environment's steps, made by AWS itself (`Service::Environment`): no
    /// API, no error model.
    Environment,
}

/// The service model of an operation: `ds-data:CreateUser` is `CreateUser` of ds-data,
/// `ds:ResetUserPassword` `ResetUserPassword` of ds; otherwise the operation's name in its
/// service's model. `Err` names an operation that is neither in its service's model nor a
/// console task.
fn home(models: &ServiceModels, op: &Op) -> Result<Home, String> {
    let name = op.name();
    if CONSOLE_TASKS.contains(&name) {
        return Ok(Home::Console);
    }
    let (service, operation) = match (op.service(), name.split_once(':')) {
        (Service::DirectoryService, Some(("ds", operation))) => ("ds", operation),
        (Service::DirectoryService, Some(("ds-data", operation))) => ("ds-data", operation),
        (Service::DirectoryService, None) => ("ds", name),
        (_, Some(_)) => {
            return Err(format!(
                "{name}: a service prefix the test does not know (service {})",
                op.service().name()
            ))
        }
        (Service::Environment, None) => return Ok(Home::Environment),
        (Service::Organizations, None) => ("organizations", name),
        (Service::IdentityCenter, None) => ("sso-admin", name),
        (Service::IdentityStore, None) => ("identitystore", name),
        (Service::Account, None) => {
            return Err(format!(
                "{name}: an Account Management operation; the fixture has no service model of \
                 Account Management (add it, or list the operation in CONSOLE_TASKS)"
            ))
        }
    };
    let known = models
        .services
        .get(service)
        .is_some_and(|ops| ops.contains_key(operation));
    if known {
        Ok(Home::Api(service, operation))
    } else {
        Err(format!(
            "{name}: not an operation of {service}'s service model, and not in CONSOLE_TASKS"
        ))
    }
}

/// One operation of each row of the operations table.
fn every_op() -> Vec<Op> {
    let mut seen = HashSet::new();
    let ops: Vec<Op> = all_ops(&Config::default())
        .into_iter()
        .filter(|op| seen.insert(op.name()))
        .collect();
    assert_eq!(
        ops.len(),
        idc_model::call::SIGNATURES.len(),
        "every row of the operations table has an operation in the default configuration"
    );
    ops
}

/// Every operation is either an operation of its service's model or a console task.
#[test]
fn every_operation_is_in_its_service_model_or_a_console_task() {
    let models = service_models();
    let unclassified: Vec<String> = every_op()
        .iter()
        .filter_map(|op| home(&models, op).err())
        .collect();
    assert!(
        unclassified.is_empty(),
        "operations neither in their service's model nor console tasks:\n{}",
        unclassified.join("\n")
    );
    let names: Vec<&str> = every_op().iter().map(Op::name).collect();
    let stale: Vec<&&str> = CONSOLE_TASKS
        .iter()
        .filter(|t| !names.contains(t))
        .collect();
    assert!(
        stale.is_empty(),
        "CONSOLE_TASKS names operations the model does not have: {stale:?}"
    );
}

/// The fixture holds the five services, botocore's version and both `Reason` enums, and a
/// known operation's list (a sanity check of the reader and the extraction).
#[test]
fn the_fixture_is_the_five_service_models() {
    let models = service_models();
    let services: Vec<&str> = models.services.keys().map(String::as_str).collect();
    assert_eq!(
        services,
        [
            "ds",
            "ds-data",
            "identitystore",
            "organizations",
            "sso-admin"
        ]
    );
    let register = &models.services["organizations"]["RegisterDelegatedAdministrator"];
    assert!(register.contains("AccountAlreadyRegisteredException"));
    assert!(models.reasons["ConstraintViolationException"]
        .contains("CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR"));
    assert!(models.reasons["HandshakeConstraintViolationException"]
        .contains("ALREADY_IN_AN_ORGANIZATION"));
}

// ----------------------------------------------------------------- every refusal, checked

/// An exception the model gives an operation, with its reason.
type Triple = (&'static str, &'static str, Option<&'static str>);

/// A configuration explored: its name for the report, the configuration, and how many
/// states of it are explored at most (breadth-first, so the states nearest the initial one;
/// `usize::MAX`: every reachable state).
struct Explored {
    name: String,
    cfg: Config,
    cap: usize,
}

/// The configurations explored. Chosen for a debug build (measured: about 7 s in all):
///
/// * One member and one user, group and permission set, default assumptions, every
///   reachable state (35 thousand, 0.3 s). The default assumptions are `either` for Q2..Q5
///   and A1..A3, so the outcomes already take every reading.
/// * The same with every relaxable rule relaxed at once, so that the API's own
///   preconditions in states the guards otherwise keep unreachable show up; its 2 million
///   states take half a minute, so only the first [`RELAXED_CAP`].
/// * Q1 and Q6 have no `either`: each of their other readings gets a configuration of its
///   own. Q1 (the error of a second delegated administrator, DA-7) needs two members, whose
///   state space is too large: the first [`TWO_MEMBER_CAP`] states of two members, for
///   every reading of Q1 (the default too, for DA-7's refusals of a second member).
fn configurations() -> Vec<Explored> {
    let one = Config {
        members: 1,
        ..Config::default()
    };
    let mut all_relaxed = one.relaxed;
    for rule in Rule::ALL.iter().filter(|r| r.relaxable()) {
        all_relaxed.insert(*rule);
    }
    let mut configs = vec![
        Explored {
            name: "one member".into(),
            cfg: one,
            cap: usize::MAX,
        },
        Explored {
            name: "one member, every rule relaxed".into(),
            cfg: Config {
                relaxed: all_relaxed,
                ..one
            },
            cap: RELAXED_CAP,
        },
    ];
    // Every reading of the assumptions that have no `either`.
    for info in one.assumptions.describe() {
        if info.values.contains(&"either") {
            continue;
        }
        let two_members = info.key == "second-delegate-error";
        for value in &info.values {
            if *value == info.value && !two_members {
                continue; // the configurations above
            }
            let mut assumptions: Assumptions = one.assumptions;
            assumptions
                .set(&format!("{}={value}", info.key))
                .expect("a listed value");
            configs.push(if two_members {
                Explored {
                    name: format!("two members, {}={value}", info.key),
                    cfg: Config {
                        members: 2,
                        assumptions,
                        ..one
                    },
                    cap: TWO_MEMBER_CAP,
                }
            } else {
                Explored {
                    name: format!("one member, {}={value}", info.key),
                    cfg: Config { assumptions, ..one },
                    cap: usize::MAX,
                }
            });
        }
    }
    configs
}

/// The states explored of the configuration with every rule relaxed (of 2 million).
const RELAXED_CAP: usize = 100_000;

/// The states explored of each two-member configuration.
const TWO_MEMBER_CAP: usize = 100_000;

/// Every refusal of every call in the first `cap` reachable states of `cfg`, with the first
/// example met (breadth-first, so a shortest one); returns the number of states.
///
/// States are compared without their ghost facts: the ghost facts record the last step for
/// the properties, and no rule reads them, so two states that differ only there have the
/// same refusals.
fn refusals(explored: &Explored, found: &mut BTreeMap<Triple, String>) -> usize {
    let Explored { name, cfg, cap } = explored;
    let calls = all_calls(cfg);
    let initial = State::initial(cfg);
    let mut seen = HashSet::from([initial.clone()]);
    let mut queue = VecDeque::from([initial]);
    while let Some(s) = queue.pop_front() {
        for &call in &calls {
            outcomes(cfg, &s, call, |_, outcome| match outcome {
                Ok(mut next) => {
                    next.ghost = 0;
                    if seen.len() < *cap && !seen.contains(&next) {
                        seen.insert(next.clone());
                        queue.push_back(next);
                    }
                }
                // ORG-2: a closed account's credentials are refused before any operation
                // runs; `AccessDeniedException` is then one of AWS's "common errors" (every
                // service's API reference lists them apart: they apply to every action and
                // are in no operation's error list).
                Err(Refusal::Api {
                    error,
                    rule: Some(Rule::Org2),
                }) if s.is_closed(call.caller)
                    && error.exception == idc_model::Exception::AccessDeniedException => {}
                Err(Refusal::Api { error, .. }) => {
                    let triple = (
                        call.op.name(),
                        error.exception.name(),
                        error.reason.map(|r| r.name()),
                    );
                    found
                        .entry(triple)
                        .or_insert_with(|| example(name, &s, call));
                }
                // IDC-7: the management account does not make the call; no API refuses it.
                Err(Refusal::Practice(_)) => {}
            });
        }
    }
    seen.len()
}

fn example(config: &str, s: &State, call: Call) -> String {
    format!("`{call}` in [{config}] {s:?}")
}

/// Every exception the model gives an API operation is in that operation's error list of
/// the fixture, and every reason is in its exception's `Reason` enum.
#[test]
fn every_refusal_is_in_the_operations_error_list() {
    let models = service_models();
    let mut found = BTreeMap::new();
    for explored in configurations() {
        let start = std::time::Instant::now();
        let before = found.len();
        let states = refusals(&explored, &mut found);
        eprintln!(
            "{}: {states} states, {} new refusals, {:?}",
            explored.name,
            found.len() - before,
            start.elapsed()
        );
    }
    let mut offending = Vec::new();
    for (&(op_name, exception, reason), example) in &found {
        let op = every_op()
            .into_iter()
            .find(|op| op.name() == op_name)
            .expect("an operation of the table");
        let (service, operation) = match home(&models, &op) {
            Ok(Home::Api(service, operation)) => (service, operation),
            Ok(Home::Console | Home::Environment) => continue,
            Err(why) => {
                offending.push(format!("{why}\n    e.g. {example}"));
                continue;
            }
        };
        let mut problems = Vec::new();
        if !models.services[service][operation].contains(exception) {
            problems.push(format!(
                "{exception} is not in {service}:{operation}'s errors"
            ));
        }
        if let Some(reason) = reason {
            match models.reasons.get(exception) {
                Some(enum_) if enum_.contains(reason) => {}
                Some(_) => problems.push(format!("{reason} is not in {exception}'s Reason enum")),
                None => problems.push(format!("{exception} has no Reason enum in the fixture")),
            }
        }
        if !problems.is_empty() {
            offending.push(format!(
                "{op_name}, {exception}, {}: {}\n    e.g. {example}",
                reason.unwrap_or("-"),
                problems.join("; ")
            ));
        }
    }
    assert!(
        offending.is_empty(),
        "{} refusals are not in the AWS service models (botocore fixture):\n{}",
        offending.len(),
        offending.join("\n")
    );
}
