//! `idc export`: a trace as Apalache/Quint ITF JSON, a Mermaid sequence diagram, a
//! Graphviz DOT state graph, a sequence diagram drawn as SVG, or a bash script of AWS CLI
//! calls that replays it against a sandbox organization.

pub mod awscli;
pub mod dot;
pub mod itf;
pub mod mermaid;
pub mod svg;

use idc_model::account::bits;
use idc_model::{Acct, Group, IdcModel, PermissionSet, Refusal, State, User};

use idc_model::diff::describe_step;

use crate::engine::run::{advance, judge, step_along};
use crate::engine::trace::Trace;

/// The export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Apalache's Informal Trace Format (JSON), readable by Quint's and Apalache's tools.
    Itf,
    /// A Mermaid `sequenceDiagram`.
    Mermaid,
    /// A Graphviz DOT state graph.
    Dot,
    /// A sequence diagram drawn as SVG (the page of `idc explore` shows it).
    Svg,
    /// A bash script of AWS CLI calls that replays the trace against a sandbox
    /// organization and records each call's outcome for `idc replay --observed`.
    AwsCli,
}

/// One step of a trace, replayed: the call, its outcome, and the state after it.
#[derive(Clone, Debug)]
pub struct Replayed {
    /// The call and the branch it took.
    pub action: idc_model::Action,
    /// `Ok` or the refusal.
    pub outcome: Result<(), Refusal>,
    /// What changed (empty when refused).
    pub changes: Vec<String>,
    /// The state after the step.
    pub state: State,
    /// The `always` properties failing after the step.
    pub failing: Vec<&'static str>,
}

/// A trace replayed from the initial state: the initial state, its failing properties, and
/// every step.
#[derive(Clone, Debug)]
pub struct Replay {
    /// The model.
    pub model: IdcModel,
    /// The initial state.
    pub initial: State,
    /// `always` properties failing in the initial state.
    pub initial_failing: Vec<&'static str>,
    /// Every step: the `from` calls first (the first [`Replay::from`] of them), then the
    /// trace's own steps.
    pub steps: Vec<Replayed>,
    /// How many of `steps` are the trace's `from` calls (0 when it has none).
    pub from: usize,
}

impl Replay {
    /// Replays a trace, along the branches `idc replay` takes, from the initial state: a
    /// trace that starts from the end of another (`from`) has those calls first.
    pub fn of(trace: &Trace) -> Result<Replay, idc_model::ConfigError> {
        let model = IdcModel::new(trace.config)?;
        let initial = model.initial();
        let initial_failing = judge(&initial).0;
        let named = |steps: &[crate::engine::trace::TraceStep]| -> Vec<idc_model::Action> {
            steps
                .iter()
                .map(|s| idc_model::Action {
                    call: s.call,
                    branch: s.branch.unwrap_or(idc_model::Branch::NONE),
                })
                .collect()
        };
        let (mut actions, start) = match crate::engine::replay::start_of(&model, trace) {
            Some(start) => (named(&start.steps), start.state),
            None => {
                let from = named(&trace.from);
                let state = crate::engine::run::run_from(&model, initial.clone(), &from).1;
                (from, state)
            }
        };
        let from = actions.len();
        actions.extend(crate::engine::replay::actions_of(&model, &start, trace));
        let mut state = initial.clone();
        let mut steps = Vec::with_capacity(actions.len());
        for action in actions {
            let (branch, outcome) = step_along(&model, &state, action);
            let changes = match &outcome {
                Ok(next) => describe_step(model.config(), &state, &action.call, next),
                Err(_) => Vec::new(),
            };
            advance(&mut state, &outcome);
            steps.push(Replayed {
                action: idc_model::Action {
                    call: action.call,
                    branch,
                },
                outcome: outcome.map(|_| ()),
                changes,
                state: state.clone(),
                failing: judge(&state).0,
            });
        }
        Ok(Replay {
            model,
            initial,
            initial_failing,
            steps,
            from,
        })
    }

    /// The label of the step at `index` (0-based in `steps`), numbered as `idc replay`
    /// numbers a trace: the `from` calls `from 1` … `from N`, then the trace's own steps
    /// from 1, so that the claim's step names the right call.
    pub fn label(&self, index: usize) -> String {
        if index < self.from {
            format!("from {}", index + 1)
        } else {
            (index - self.from + 1).to_string()
        }
    }

    /// The step number of the state after `steps[index]` (`None`: the initial state) as
    /// the claim counts it: 0 is the end of the `from` calls, the states before it
    /// negative.
    pub fn step_number(&self, index: Option<usize>) -> i64 {
        let after = index.map_or(0, |i| i as i64 + 1);
        after - self.from as i64
    }
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The trace's configuration is out of range.
    #[error("config: {0}")]
    Config(#[from] idc_model::ConfigError),
    /// The output could not be written.
    #[error("cannot write: {0}")]
    Write(#[from] std::io::Error),
}

/// Writes a trace in a format to `out`, state by state: memory stays linear in the trace
/// (one state per step), whatever its length.
pub fn export(
    format: Format,
    source: &str,
    trace: &Trace,
    out: &mut dyn std::io::Write,
) -> Result<(), ExportError> {
    let replay = Replay::of(trace)?;
    match format {
        Format::Itf => itf::itf(source, trace, &replay, out)?,
        Format::Mermaid => mermaid::mermaid(trace, &replay, out)?,
        Format::Dot => dot::dot(trace, &replay, out)?,
        Format::Svg => svg::svg(trace, &replay, out)?,
        Format::AwsCli => awscli::awscli(source, trace, &replay, out)?,
    }
    Ok(())
}

/// Renders a trace in a format into a string (small traces, tests).
pub fn export_string(format: Format, source: &str, trace: &Trace) -> Result<String, ExportError> {
    let mut out = Vec::new();
    export(format, source, trace, &mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// The facts of a state, by readable names, restricted to the configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facts {
    /// Accounts in the organization.
    pub in_org: Vec<String>,
    /// Closed accounts.
    pub closed: Vec<String>,
    /// Accounts with a pending invitation.
    pub invited: Vec<String>,
    /// Trusted access for `sso.amazonaws.com`.
    pub trusted_access: bool,
    /// The organization instance's owner.
    pub instance: Option<String>,
    /// Accounts that own an account instance.
    pub account_instances: Vec<String>,
    /// Registered delegated administrators.
    pub delegates: Vec<String>,
    /// Accounts owning an AD directory.
    pub directories: Vec<String>,
    /// The identity source.
    pub identity_source: String,
    /// Configurable AD sync.
    pub ad_sync: bool,
    /// Configurable AD sync paused.
    pub ad_sync_paused: bool,
    /// With an external IdP: the account that configured it.
    pub idp_configured_by: Vec<String>,
    /// Users.
    pub users: Vec<String>,
    /// Users whose status is DISABLED.
    pub disabled_users: Vec<String>,
    /// Groups with their members (every group of the configuration).
    pub membership: Vec<(String, Vec<String>)>,
    /// Groups that exist.
    pub groups: Vec<String>,
    /// Permission sets that exist.
    pub permission_sets: Vec<String>,
    /// Per permission set of the configuration: the accounts it is provisioned in.
    pub provisioned: Vec<(String, Vec<String>)>,
    /// Per (permission set, account) of the configuration: the principals assigned.
    pub assignments: Vec<((String, String), Vec<String>)>,
}

fn accounts(set: u8) -> Vec<String> {
    bits(set).map(|a| Acct(a).to_string()).collect()
}

fn users(set: u8) -> Vec<String> {
    bits(set).map(|u| User(u).to_string()).collect()
}

impl Facts {
    /// The facts of `s` under the model's configuration.
    pub fn of(model: &IdcModel, s: &State) -> Facts {
        let cfg = model.config();
        let sets = (0..cfg.permission_sets).map(PermissionSet);
        let mut assignments = Vec::new();
        for ps in sets.clone() {
            for a in 0..cfg.accounts() {
                let cell = s.assigned(ps, Acct(a));
                let mut principals = users(cell & 0x0f);
                principals.extend(bits(cell >> 4).map(|g| Group(g).to_string()));
                assignments.push(((ps.to_string(), Acct(a).to_string()), principals));
            }
        }
        // Every field, by name: a field added to `State` fails to compile here until it is
        // a fact (ghost facts describe the step, not the organization).
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
            users: user_set,
            disabled,
            groups,
            membership,
            permission_sets,
            provisioned,
            assignments: _, // read cell by cell above
            ghost: _,
        } = *s;
        Facts {
            in_org: accounts(in_org),
            closed: accounts(closed),
            invited: accounts(invited),
            trusted_access,
            instance: instance.map(|a| a.to_string()),
            account_instances: accounts(account_instances),
            delegates: accounts(delegates),
            directories: accounts(directories),
            identity_source: source.to_string(),
            ad_sync,
            ad_sync_paused,
            idp_configured_by: accounts(idp_admins),
            users: users(user_set),
            disabled_users: users(disabled),
            groups: bits(groups).map(|g| Group(g).to_string()).collect(),
            membership: (0..cfg.groups)
                .map(|g| (Group(g).to_string(), users(membership[g as usize])))
                .collect(),
            permission_sets: bits(permission_sets)
                .map(|p| PermissionSet(p).to_string())
                .collect(),
            provisioned: sets
                .map(|p| (p.to_string(), accounts(provisioned[p.0 as usize])))
                .collect(),
            assignments,
        }
    }

    /// The facts as short lines, leaving out what is empty or off.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        let list = |v: &[String]| v.join(", ");
        out.push(format!("organization: {}", list(&self.in_org)));
        if !self.invited.is_empty() {
            out.push(format!("invited: {}", list(&self.invited)));
        }
        if !self.closed.is_empty() {
            out.push(format!("closed: {}", list(&self.closed)));
        }
        out.push(format!(
            "trusted access: {}",
            if self.trusted_access { "on" } else { "off" }
        ));
        if let Some(i) = &self.instance {
            out.push(format!("instance: {i}"));
        }
        if !self.account_instances.is_empty() {
            out.push(format!(
                "account instances: {}",
                list(&self.account_instances)
            ));
        }
        if !self.delegates.is_empty() {
            out.push(format!("delegated admin: {}", list(&self.delegates)));
        }
        if !self.directories.is_empty() {
            out.push(format!("AD directories: {}", list(&self.directories)));
        }
        let sync = match (self.ad_sync, self.ad_sync_paused) {
            (true, false) => " (AD sync on)",
            (true, true) => " (AD sync paused)",
            (false, _) => "",
        };
        let by = if self.idp_configured_by.is_empty() {
            String::new()
        } else {
            format!(" (configured by {})", list(&self.idp_configured_by))
        };
        out.push(format!(
            "identity source: {}{sync}{by}",
            self.identity_source
        ));
        if !self.users.is_empty() {
            out.push(format!("users: {}", list(&self.users)));
        }
        if !self.disabled_users.is_empty() {
            out.push(format!("disabled users: {}", list(&self.disabled_users)));
        }
        for (g, members) in &self.membership {
            if self.groups.contains(g) {
                out.push(format!("{g}: {{{}}}", list(members)));
            }
        }
        for (p, accts) in &self.provisioned {
            if self.permission_sets.contains(p) {
                let at = if accts.is_empty() {
                    String::new()
                } else {
                    format!(" in {}", list(accts))
                };
                out.push(format!("{p}{at}"));
            }
        }
        for ((p, a), principals) in &self.assignments {
            for pr in principals {
                out.push(format!("{pr} -> {a} with {p}"));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::trace::parse;

    pub(crate) fn sample() -> Trace {
        parse(
            r#"{"format": "idc-trace", "version": 2,
                "claim": {"property": "ad-sync-on-while-delegated", "step": 5},
                "steps": [
                {"caller": "management", "call": "EnableIdentityCenter"},
                {"caller": "member-1", "call": "DeleteInstance", "params": {"Instance": "organization"}},
                {"caller": "management", "call": "RegisterDelegatedAdministrator", "params": {"AccountId": "member-1"}},
                {"caller": "member-1", "call": "CreateMicrosoftAD"},
                {"caller": "management", "call": "ChangeIdentitySource", "params": {"IdentitySource": "active-directory:member-1"}}
            ]}"#,
        )
        .unwrap()
    }

    #[test]
    fn facts_describe_the_state() {
        let r = Replay::of(&sample()).unwrap();
        let lines = Facts::of(&r.model, &r.steps[4].state).lines();
        assert_eq!(
            lines,
            vec![
                "organization: management, member-1, member-2",
                "trusted access: on",
                "instance: management",
                "delegated admin: member-1",
                "AD directories: member-1",
                "identity source: active-directory:member-1",
            ]
        );
        assert_eq!(r.steps[4].failing, vec!["ad-sync-on-while-delegated"]);
        assert!(r.steps[1].outcome.is_err());
    }
}
