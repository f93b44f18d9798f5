//! Design files (`--design FILE`): a user's organization and threat model. TOML or JSON,
//! the same shape in both (docs/designs.md is the reference):
//!
//! ```toml
//! description = "AD in the delegate's account, as the seed advises"
//! members = 2                      # sizes, as the flags: members, users, groups, permission-sets
//! practices = []                   # as --practice
//! relaxed = []                     # as --relax
//! [assumptions]                    # as --assume KEY=VALUE
//! close-delegate = "either"
//! [accounts]                       # model account = your name for it
//! management = "org-root"
//! member-1 = "security-tooling"
//! [start]                          # where the organization is today: calls, as trace steps
//! steps = [ { caller = "management", call = "EnableIdentityCenter" } ]
//! [threat]
//! untrusted = ["member-1"]         # may make any call
//! idle = ["member-2"]              # makes no call
//! [threat.allow]                   # a trusted account makes only these operations
//! management = ["CreateAccountAssignment"]
//! [threat.forbid]                  # an account makes any call but these
//! member-1 = ["DeleteInstance"]
//! [invariants]                     # your own properties, as in a properties file
//! [reachable]
//! [expect]                         # expected verdicts, as --expect
//! ad-directory-in-correct-owner = "holds"
//! ```
//!
//! Accounts are named by their model id (`member-1`) or the design's name for them, in the
//! threat model, in start steps (caller and parameters) and in `--forbid`. Parsing checks
//! every name; whether AWS accepts the start steps needs the model, and is
//! [`crate::engine::replay::start_of_steps`]'s.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value};

use idc_model::echo::echo;
use idc_model::{AccountNames, Acct, Config, OpKind};

use super::properties::{self, Entry, NamedExpression};
use super::trace::read::{resolve_config, resolve_step, ConfigRepr, StepRepr};
use super::trace::{ConfigFileError, StepError};
use crate::engine::trace::{Expect, TraceStep};

/// The largest design file read.
pub const MAX_BYTES: u64 = 1 << 20;

/// A design: the configuration (threat model included), the names of its accounts, where
/// the organization starts, and the user's own properties and expected verdicts.
#[derive(Clone, Debug)]
pub struct Design {
    /// What the design is, for people.
    pub description: Option<String>,
    /// The model's configuration, with the design's threat model.
    pub config: Config,
    /// The design's names for the model's accounts.
    pub names: AccountNames,
    /// The calls that lead from the initial state to today's organization, each expected
    /// to succeed.
    pub start: Vec<TraceStep>,
    /// The user's own properties (`invariants`, `reachable`), not yet compiled.
    pub properties: Vec<NamedExpression>,
    /// Expected verdicts, property name to verdict, as `--expect` takes them.
    pub expect: Vec<(String, String)>,
}

/// Why a design file can't be used: each names the key or step.
#[derive(Debug, thiserror::Error)]
pub enum DesignError {
    /// The file could not be read.
    #[error("cannot read: {0}")]
    Read(#[from] std::io::Error),
    /// Larger than [`MAX_BYTES`].
    #[error("larger than the {} KiB a design file may have", MAX_BYTES >> 10)]
    TooLarge,
    /// Not UTF-8.
    #[error("not UTF-8 text")]
    NotText,
    /// Malformed TOML or JSON, an unknown key, or a value of the wrong shape.
    #[error("{0}")]
    Syntax(String),
    /// A size, assumption, practice or relaxed rule is not understood.
    #[error("{0}")]
    Config(#[from] ConfigFileError),
    /// A key names an account the design does not have.
    #[error(
        "{key}: unknown account '{}' (this design's accounts: {known})",
        echo(name)
    )]
    Account {
        /// Where (`[threat] untrusted`).
        key: String,
        /// The name given.
        name: String,
        /// The accounts it has.
        known: String,
    },
    /// An allow or forbid list names an operation the model does not have.
    #[error(
        "{key}: unknown operation '{}' (see 'idc rules' for the operations)",
        echo(name)
    )]
    Operation {
        /// Where.
        key: String,
        /// The name given.
        name: String,
    },
    /// Two keys say different things of one account, or a name is used twice.
    #[error("{0}")]
    Conflict(String),
    /// A start step is not understood.
    #[error("[start] step {step}: {error}")]
    Step {
        /// 1-based.
        step: usize,
        /// What is wrong.
        error: StepError,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct DesignRepr {
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    members: Option<u8>,
    #[serde(default)]
    users: Option<u8>,
    #[serde(default)]
    groups: Option<u8>,
    #[serde(default, alias = "permission_sets")]
    permission_sets: Option<u8>,
    #[serde(default)]
    assumptions: BTreeMap<String, Value>,
    #[serde(default)]
    practices: Vec<String>,
    #[serde(default)]
    relaxed: Vec<String>,
    #[serde(default)]
    accounts: BTreeMap<String, String>,
    #[serde(default)]
    start: StartRepr,
    #[serde(default)]
    threat: ThreatRepr,
    #[serde(default, deserialize_with = "properties::tables::invariants")]
    invariants: Vec<(String, Entry)>,
    #[serde(default, deserialize_with = "properties::tables::reachable")]
    reachable: Vec<(String, Entry)>,
    #[serde(default)]
    expect: BTreeMap<String, String>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct StartRepr {
    #[serde(default)]
    steps: Vec<StepRepr>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThreatRepr {
    #[serde(default)]
    untrusted: Vec<String>,
    #[serde(default)]
    idle: Vec<String>,
    #[serde(default)]
    allow: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    forbid: BTreeMap<String, Vec<String>>,
}

/// Parses a design file's text: JSON when it starts with `{`, TOML otherwise.
pub fn parse(text: &str) -> Result<Design, DesignError> {
    let repr: DesignRepr = properties::parse_toml_or_json(text).map_err(DesignError::Syntax)?;
    let config = config_of(&repr)?;
    let names = names_of(&config, &repr.accounts)?;
    let config = Config {
        threat: threat_of(&config, &names, &repr.threat)?,
        ..config
    };
    let start = start_of(&config, &names, &repr.start.steps)?;
    let properties =
        properties::named(repr.invariants, repr.reachable).map_err(DesignError::Syntax)?;
    Ok(Design {
        description: repr.description,
        config,
        names,
        start,
        properties,
        expect: repr.expect.into_iter().collect(),
    })
}

/// Reads and parses a design file (at most [`MAX_BYTES`]).
pub fn read(path: &Path) -> Result<Design, DesignError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(DesignError::TooLarge);
    }
    let text = String::from_utf8(bytes).map_err(|_| DesignError::NotText)?;
    parse(&text)
}

/// The sizes, assumptions, practices and relaxed rules, read as a trace file's `config`
/// (one reader for both: [`resolve_config`]).
fn config_of(r: &DesignRepr) -> Result<Config, DesignError> {
    Ok(resolve_config(ConfigRepr {
        members: r.members,
        users: r.users,
        groups: r.groups,
        permission_sets: r.permission_sets,
        assumptions: r.assumptions.clone().into_iter().collect(),
        practices: r.practices.clone(),
        relaxed: r.relaxed.clone(),
        threat: Map::new(),
    })?)
}

/// The accounts of a configuration, for messages: `management, member-1, member-2`.
fn known_accounts(cfg: &Config, names: &AccountNames) -> String {
    (0..cfg.accounts())
        .map(|i| names.label(Acct(i)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The account `name` stands for (a model id or the design's name) in `cfg`.
fn account(cfg: &Config, names: &AccountNames, key: &str, name: &str) -> Result<Acct, DesignError> {
    names
        .account(name)
        .filter(|a| !a.is_aws() && a.0 < cfg.accounts())
        .ok_or_else(|| DesignError::Account {
            key: key.to_string(),
            name: name.to_string(),
            known: known_accounts(cfg, names),
        })
}

fn names_of(
    cfg: &Config,
    accounts: &BTreeMap<String, String>,
) -> Result<AccountNames, DesignError> {
    let mut names = AccountNames::default();
    for (id, name) in accounts {
        let a = account(cfg, &AccountNames::default(), "[accounts]", id)?;
        let name = name.trim();
        if name.is_empty() || name.chars().any(|c| c.is_control()) {
            return Err(DesignError::Conflict(format!(
                "[accounts] {id}: a name must be non-empty text on one line"
            )));
        }
        if let Some(other) = Acct::parse(name).filter(|&o| o != a) {
            return Err(DesignError::Conflict(format!(
                "[accounts] {id}: the name '{}' is the model id of another account ({other})",
                echo(name)
            )));
        }
        // A name that is a word of the query language would be shadowed by it in
        // expressions (`delegate`, `source`, `none`, an operation's name).
        let word = idc_model::query::vocabulary::lookup(name).is_some()
            || idc_model::query::vocabulary::KEYWORDS.contains(&name);
        if word && Acct::parse(name) != Some(a) {
            return Err(DesignError::Conflict(format!(
                "[accounts] {id}: the name '{}' is a word of the query language (docs/queries.md); choose another",
                echo(name)
            )));
        }
        if let Some((other, _)) = names.iter().find(|(_, n)| *n == name) {
            return Err(DesignError::Conflict(format!(
                "[accounts]: the name '{}' is given to both {other} and {id}",
                echo(name)
            )));
        }
        names.set(a, name);
    }
    Ok(names)
}

fn operation(key: &str, name: &str) -> Result<OpKind, DesignError> {
    OpKind::parse(name).ok_or_else(|| DesignError::Operation {
        key: key.to_string(),
        name: name.to_string(),
    })
}

fn threat_of(
    cfg: &Config,
    names: &AccountNames,
    t: &ThreatRepr,
) -> Result<idc_model::Threat, DesignError> {
    let mut threat = idc_model::Threat::default();
    // Each account in at most one of untrusted, idle and allow.
    let mut said: Vec<(Acct, &str)> = Vec::new();
    let mut say = |a: Acct, key: &'static str| match said.iter().find(|(b, _)| *b == a) {
        Some((_, other)) if *other != key => Err(DesignError::Conflict(format!(
            "[threat]: {} is both {other} and {key}",
            names.label(a)
        ))),
        _ => {
            said.push((a, key));
            Ok(())
        }
    };
    for name in &t.untrusted {
        say(
            account(cfg, names, "[threat] untrusted", name)?,
            "untrusted",
        )?;
    }
    for name in &t.idle {
        let a = account(cfg, names, "[threat] idle", name)?;
        say(a, "idle")?;
        threat.idle(a);
    }
    for (name, ops) in &t.allow {
        let key = format!("[threat.allow] {name}");
        let a = account(cfg, names, "[threat.allow]", name)?;
        say(a, "allow")?;
        let kinds = ops
            .iter()
            .map(|op| operation(&key, op))
            .collect::<Result<Vec<_>, _>>()?;
        threat.allow_only(a, &kinds);
    }
    for (name, ops) in &t.forbid {
        let key = format!("[threat.forbid] {name}");
        let a = account(cfg, names, "[threat.forbid]", name)?;
        for op in ops {
            threat.forbid(a, operation(&key, op)?);
        }
    }
    Ok(threat)
}

/// The start steps, with accounts given by their design names (also the owner of an
/// `active-directory:` identity source) turned into model ids, each expected to succeed.
fn start_of(
    cfg: &Config,
    names: &AccountNames,
    steps: &[StepRepr],
) -> Result<Vec<TraceStep>, DesignError> {
    let named = |v: &str| match names.account(v) {
        Some(a) if names.get(a) == Some(v) => a.to_string(),
        _ => v.to_string(),
    };
    // An account is named alone (`AccountId`) or in an identity source
    // (`active-directory:security-tooling`).
    let id = |v: &str| match v.strip_prefix("active-directory:") {
        Some(owner) => format!("active-directory:{}", named(owner)),
        None => named(v),
    };
    steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let params: Map<String, Value> = s
                .params
                .iter()
                .map(|(k, v)| match v.as_str() {
                    Some(text) => (k.clone(), Value::String(id(text))),
                    None => (k.clone(), v.clone()),
                })
                .collect();
            let repr = StepRepr {
                caller: id(&s.caller),
                call: s.call.clone(),
                params,
                branch: s.branch.clone(),
                expect: None,
                note: s.note.clone(),
            };
            let mut step = resolve_step(cfg, &repr)
                .map_err(|error| DesignError::Step { step: i + 1, error })?;
            // Steps copied from a trace file may say `"expect": "ok"`: the only outcome a
            // start step may have.
            if s.expect.as_ref().is_some_and(|e| e.as_str() != Some("ok")) {
                return Err(DesignError::Step {
                    step: i + 1,
                    error: StepError::Expect(
                        "a start step's 'expect' can only be \"ok\": every start step must succeed"
                            .into(),
                    ),
                });
            }
            step.expect = Some(Expect::Ok);
            Ok(step)
        })
        .collect()
}

/// Parses `--forbid OPERATION[@ACCOUNT]`'s shape (the operation and account are checked
/// against the model and the design by [`apply_forbid`]).
pub fn parse_forbid(text: &str) -> Result<(String, Option<String>), String> {
    let (op, account) = match text.split_once('@') {
        Some((op, account)) => (op, Some(account.to_string())),
        None => (text, None),
    };
    if op.is_empty() || account.as_deref() == Some("") {
        return Err(format!(
            "expected OPERATION or OPERATION@ACCOUNT, got '{}'",
            echo(text)
        ));
    }
    OpKind::parse(op).ok_or_else(|| {
        format!(
            "unknown operation '{}' (see 'idc rules' for the operations)",
            echo(op)
        )
    })?;
    Ok((op.to_string(), account))
}

/// Applies `--forbid` flags to a configuration: the operation, for the account named (a
/// model id or a design name) or for every account.
pub fn apply_forbid(
    cfg: &mut Config,
    names: &AccountNames,
    forbid: &[(String, Option<String>)],
) -> Result<(), DesignError> {
    for (op, who) in forbid {
        let kind = operation("--forbid", op)?;
        match who {
            Some(name) => {
                let a = account(cfg, names, "--forbid", name)?;
                cfg.threat.forbid(a, kind);
            }
            None => {
                for a in (0..cfg.accounts()).map(Acct) {
                    cfg.threat.forbid(a, kind);
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DESIGN: &str = r#"
description = "AD in the delegate's account"
members = 2
[accounts]
management = "org-root"
member-1 = "security-tooling"
member-2 = "workloads"
[start]
steps = [
  { caller = "management", call = "EnableAWSServiceAccess" },
  { caller = "org-root", call = "RegisterDelegatedAdministrator", params = { AccountId = "security-tooling" } },
]
[threat]
untrusted = ["security-tooling"]
idle = ["member-2"]
[threat.allow]
management = ["CreateAccountAssignment", "DeleteAccountAssignment"]
[expect]
ad-directory-in-correct-owner = "holds"
"#;

    #[test]
    fn a_design_names_accounts_and_narrows_calls() {
        let d = parse(DESIGN).unwrap();
        assert_eq!(d.names.label(Acct(1)), "security-tooling (member-1)");
        assert_eq!(d.start.len(), 2);
        assert_eq!(
            d.start[1].call.to_string(),
            "management: RegisterDelegatedAdministrator(AccountId=member-1)"
        );
        let t = d.config.threat;
        assert!(t.permits(Acct(1), OpKind::DeleteInstance));
        assert!(!t.permits(Acct(2), OpKind::AcceptHandshake));
        assert!(!t.permits(Acct::MANAGEMENT, OpKind::DeleteInstance));
        assert!(t.permits(Acct::MANAGEMENT, OpKind::CreateAccountAssignment));
        assert_eq!(
            d.expect,
            [(
                "ad-directory-in-correct-owner".to_string(),
                "holds".to_string()
            )]
        );
    }

    #[test]
    fn json_reads_like_toml() {
        let d = parse(
            r#"{"accounts": {"member-1": "a"}, "threat": {"idle": ["a"]}, "permission-sets": 2}"#,
        )
        .unwrap();
        assert!(!d.config.threat.permits(Acct(1), OpKind::AcceptHandshake));
        assert_eq!(d.config.permission_sets, 2);
    }

    #[test]
    fn bad_designs_name_the_key() {
        let err = |text: &str| parse(text).unwrap_err().to_string();
        assert!(err("colour = 3\n").contains("unknown field `colour`"));
        assert_eq!(
            err("[threat]\nidle = [\"member-3\"]\n"),
            "[threat] idle: unknown account 'member-3' (this design's accounts: management, member-1, member-2)"
        );
        assert_eq!(
            err("[threat.allow]\nmanagement = [\"DeleteEverything\"]\n"),
            "[threat.allow] management: unknown operation 'DeleteEverything' (see 'idc rules' for the operations)"
        );
        assert_eq!(
            err("[threat]\nidle = [\"member-1\"]\nuntrusted = [\"member-1\"]\n"),
            "[threat]: member-1 is both untrusted and idle"
        );
        assert!(
            err("[start]\nsteps = [{ caller = \"member-1\", call = \"Nope\" }]\n")
                .starts_with("[start] step 1: ")
        );
        assert!(
            err("[accounts]\nmember-1 = \"member-2\"\n").contains("model id of another account")
        );
        assert!(err("[threat]\nidle = [\"aws\"]\n").contains("unknown account 'aws'"));
        assert!(
            err("[accounts]\nmember-1 = \"delegate\"\n").contains("a word of the query language")
        );
        assert!(err("[accounts]\nmember-2 = \"DeleteInstance\"\n")
            .contains("a word of the query language"));
    }

    #[test]
    fn forbid_flags() {
        assert!(parse_forbid("DeleteInstance@member-1").is_ok());
        assert!(parse_forbid("DeleteInstance").is_ok());
        assert!(parse_forbid("Nope@member-1")
            .unwrap_err()
            .contains("unknown operation 'Nope'"));
        assert!(parse_forbid("DeleteInstance@").is_err());
        let mut cfg = Config::default();
        apply_forbid(
            &mut cfg,
            &AccountNames::default(),
            &[("DeleteInstance".into(), None)],
        )
        .unwrap();
        assert!(!cfg.threat.permits(Acct(2), OpKind::DeleteInstance));
        let e = apply_forbid(
            &mut cfg,
            &AccountNames::default(),
            &[("DeleteInstance".into(), Some("member-9".into()))],
        )
        .unwrap_err();
        assert!(e
            .to_string()
            .starts_with("--forbid: unknown account 'member-9'"));
    }
}
