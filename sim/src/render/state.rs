//! `idc state`'s report for people: a short header (the trace, the step, the call that led
//! there, the properties failing there), then one section per part of the state.

use std::fmt::Write as _;

use idc_model::access::Blocker;

use super::step;
use crate::format::report::state::{Blockers, StateReport};
use crate::format::state::{AccessView, StateView};

/// A list of names, or `none`.
fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

/// `label  value` lines with the values aligned.
fn fields(out: &mut String, rows: &[(&str, String)]) {
    let width = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    for (label, value) in rows {
        let _ = writeln!(out, "  {label:<width$}  {value}");
    }
}

/// Why a user's assigned access is not effective, in words: each condition of
/// `access::effective_access` that fails ([`Blocker`], the model's), with the statuses of
/// the accounts involved.
pub fn blocked_by(v: &StateView, blockers: &Blockers, access: &AccessView) -> Vec<String> {
    let status = |name: &str| {
        v.organization
            .accounts
            .iter()
            .find(|a| a.account == name)
            .map_or("not in the configuration", |a| a.status.name())
    };
    let Some(blockers) = blockers.get(&access.account) else {
        return vec![format!("{} not in the configuration", access.account)];
    };
    let disabled = v.identities.disabled_users.contains(&access.user);
    let user = disabled.then(|| format!("{} disabled", access.user));
    user.into_iter()
        .chain(blockers.iter().map(|b| match b {
            Blocker::NoInstance => "no organization instance".to_string(),
            Blocker::TrustedAccessOff => "trusted access off".to_string(),
            Blocker::AccountInactive => {
                format!("{} {}", access.account, status(&access.account))
            }
            Blocker::DirectoryOwnerInactive(owner) => {
                let owner = owner.to_string();
                format!("directory owner {owner} {}", status(&owner))
            }
        }))
        .collect()
}

/// The state's sections, without the report's header.
pub fn render_state(out: &mut String, v: &StateView, blockers: &Blockers) {
    organization(out, v);
    identities(out, v);
    access(out, v, blockers);
}

/// `on` or `off`.
fn on_off(b: bool) -> String {
    if b { "on" } else { "off" }.to_string()
}

/// The organization, the registry, Identity Center and the identity source.
fn organization(out: &mut String, v: &StateView) {
    let _ = writeln!(out, "\norganization");
    let org: Vec<(&str, String)> = v
        .organization
        .accounts
        .iter()
        .map(|a| (a.account.as_str(), a.status.name().to_string()))
        .collect();
    fields(out, &org);
    fields(
        out,
        &[(
            "trusted access for sso.amazonaws.com",
            on_off(v.organization.trusted_access),
        )],
    );

    let _ = writeln!(out, "\nregistry");
    fields(
        out,
        &[(
            "delegated administrators",
            list(&v.registry.delegated_administrators),
        )],
    );

    let _ = writeln!(out, "\nidentity center");
    let ic = &v.identity_center;
    fields(
        out,
        &[
            (
                "organization instance",
                ic.instance.clone().unwrap_or_else(|| "none".into()),
            ),
            ("account instances", list(&ic.account_instances)),
        ],
    );

    let _ = writeln!(out, "\nidentity source");
    let src = &v.identity_source;
    let mut rows = vec![("source", src.source.clone())];
    if let Some(owner) = &src.owner {
        rows.push(("directory owner", owner.clone()));
    }
    if let Some(by) = &src.idp_configured_by {
        rows.push(("external IdP configured by", by.clone()));
    }
    let sync = if src.ad_sync && src.ad_sync_paused {
        "paused".to_string()
    } else {
        on_off(src.ad_sync)
    };
    rows.extend([
        ("AD sync", sync),
        ("AD directories", list(&src.directories)),
        (
            "identities controlled by",
            if src.identities_controlled_by.is_empty() {
                "no account of the organization".into()
            } else {
                list(&src.identities_controlled_by)
            },
        ),
    ]);
    fields(out, &rows);
}

/// The users and groups, the permission sets and the assignments.
fn identities(out: &mut String, v: &StateView) {
    let _ = writeln!(out, "\nidentities");
    let mut rows = vec![("users", list(&v.identities.users))];
    if !v.identities.disabled_users.is_empty() {
        rows.push(("disabled users", list(&v.identities.disabled_users)));
    }
    for g in &v.identities.groups {
        rows.push((g.group.as_str(), format!("members: {}", list(&g.members))));
    }
    if v.identities.groups.is_empty() {
        rows.push(("groups", "none".into()));
    }
    fields(out, &rows);

    let _ = writeln!(out, "\npermission sets");
    if v.permission_sets.is_empty() {
        let _ = writeln!(out, "  none");
    }
    let rows: Vec<(&str, String)> = v
        .permission_sets
        .iter()
        .map(|p| {
            (
                p.permission_set.as_str(),
                format!("provisioned in {}", list(&p.provisioned_in)),
            )
        })
        .collect();
    fields(out, &rows);

    let _ = writeln!(out, "\nassignments");
    if v.assignments.is_empty() {
        let _ = writeln!(out, "  none");
    }
    let pw = v
        .assignments
        .iter()
        .map(|a| a.principal.len())
        .max()
        .unwrap_or(0);
    for a in &v.assignments {
        let _ = writeln!(
            out,
            "  {:<pw$}  {}  {}",
            a.principal, a.permission_set, a.account
        );
    }
}

/// Every user's access to an account: effective, or why not.
fn access(out: &mut String, v: &StateView, blockers: &Blockers) {
    let _ = writeln!(
        out,
        "\naccess (assigned users; effective: they can sign in now)"
    );
    if v.access.is_empty() {
        let _ = writeln!(out, "  none");
    }
    let uw = v.access.iter().map(|a| a.user.len()).max().unwrap_or(0);
    let aw = v.access.iter().map(|a| a.account.len()).max().unwrap_or(0);
    for a in &v.access {
        let through: Vec<String> = a
            .through
            .iter()
            .map(|t| format!("{} via {}", t.permission_set, t.principal))
            .collect();
        let (label, why) = if a.effective {
            ("effective", String::new())
        } else {
            (
                "NOT EFFECTIVE",
                format!("  ({})", blocked_by(v, blockers, a).join("; ")),
            )
        };
        let _ = writeln!(
            out,
            "  {:<uw$}  {:<aw$}  {label:<13}  {}{why}",
            a.user,
            a.account,
            through.join(", ")
        );
    }
}

/// The human rendering of the state after a step.
pub fn render(r: &StateReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "idc state: {}", r.trace);
    let c = &r.config;
    let mut rows = vec![(
        "configuration",
        format!(
            "members={} users={} groups={} permission-sets={}",
            c.members, c.users, c.groups, c.permission_sets
        ),
    )];
    let changed: Vec<String> = c
        .assumptions
        .iter()
        .filter(|a| !a.default)
        .map(|a| format!("{}={}", a.key, a.value))
        .collect();
    if !changed.is_empty() {
        rows.push(("assumptions", format!("changed: {}", changed.join(", "))));
    }
    if !c.practices.is_empty() {
        rows.push(("practices", c.practices.join(", ")));
    }
    if !c.relaxed.is_empty() {
        rows.push(("relaxed rules", c.relaxed.join(", ")));
    }
    let initial = match (r.step, r.from) {
        (0, None) => " (the initial state)".to_string(),
        (0, Some(n)) => format!(
            " (the state after the trace's {n} `from` call{})",
            if n == 1 { "" } else { "s" }
        ),
        _ => String::new(),
    };
    rows.push(("after step", format!("{} of {}{initial}", r.step, r.steps)));
    fields(&mut out, &rows);
    if let Some(s) = &r.last_step {
        step(&mut out, s, &r.config.names());
    }
    let names = |v: &[&str]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    let mut rows = vec![
        ("failing here", names(&r.failing)),
        ("examples here", names(&r.exemplified)),
    ];
    if let Some(d) = &r.divergence {
        let when = if d.step > r.step {
            format!(" (after step {}, the state shown)", r.step)
        } else {
            String::new()
        };
        rows.push((
            "DIVERGED",
            format!("at step {}{when}: {}", d.step, d.reason),
        ));
    }
    fields(&mut out, &rows);
    render_state(&mut out, &r.state, &r.blockers);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::report::state::blockers;
    use crate::format::state::tests::walk;
    use idc_model::Config;
    use proptest::prelude::*;

    proptest! {
        /// The text's reason for an access that is not effective names exactly the
        /// conditions of `access::effective_access`: there is one when the access is not
        /// effective, none when it is.
        #[test]
        fn blocked_by_agrees_with_effective_access(
            members in 1u8..=2,
            picks in prop::collection::vec(any::<prop::sample::Index>(), 0..40),
        ) {
            let cfg = Config { members, ..Config::default() };
            for s in walk(cfg, &picks) {
                let v = StateView::of(&cfg, &s);
                let b = blockers(&cfg, &s);
                for a in &v.access {
                    prop_assert_eq!(a.effective, blocked_by(&v, &b, a).is_empty(), "{:?}", a);
                }
                let mut text = String::new();
                render_state(&mut text, &v, &b);
                prop_assert!(text.contains("\naccess "));
            }
        }
    }
}
