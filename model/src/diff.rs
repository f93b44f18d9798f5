//! What a step changed, in domain words.

use crate::access::{assigned_users, effective_access};
use crate::account::{bits, Acct, Group, PermissionSet, User};
use crate::call::{Call, IdentitySource, Op};
use crate::config::Config;
use crate::state::State;

fn accounts(set: u8) -> String {
    let names: Vec<String> = bits(set).map(|a| Acct(a).to_string()).collect();
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}

fn users(set: u8) -> String {
    let names: Vec<String> = bits(set).map(|u| User(u).to_string()).collect();
    if names.is_empty() {
        "nobody".to_string()
    } else {
        names.join(", ")
    }
}

fn toggled<T: std::fmt::Display>(
    out: &mut Vec<String>,
    before: u8,
    after: u8,
    name: impl Fn(u8) -> T,
    added: &str,
    removed: &str,
) {
    for i in bits(after & !before) {
        out.push(format!("{} {added}", name(i)));
    }
    for i in bits(before & !after) {
        out.push(format!("{} {removed}", name(i)));
    }
}

/// The changes from `before` to `after`, one line each, in a fixed order. Ghost facts are
/// not listed. Empty when nothing changed.
pub fn describe_changes(cfg: &Config, before: &State, after: &State) -> Vec<String> {
    // Every field, by name, with the part that describes it: a field added to `State` fails
    // to compile here until it is described (ghost facts are not).
    let State {
        in_org: _,
        closed: _,
        invited: _,
        trusted_access: _,
        instance: _,
        account_instances: _,
        delegates: _, // describe_organization
        directories: _,
        source: _,
        idp_admins: _,
        ad_sync: _,
        ad_sync_paused: _, // describe_source
        users: _,
        disabled: _,
        groups: _,
        membership: _,
        permission_sets: _,
        provisioned: _,
        assignments: _, // describe_identities
        ghost: _,       // not described: facts about the step, not the organization
    } = before;
    let mut out = Vec::new();
    describe_organization(before, after, &mut out);
    describe_source(before, after, &mut out);
    describe_identities(cfg, before, after, &mut out);
    describe_reach(before, after, &mut out);
    out
}

/// Membership, trusted access, the instances, the registry.
fn describe_organization(before: &State, after: &State, out: &mut Vec<String>) {
    let acct = |a: u8| Acct(a);
    toggled(
        out,
        before.in_org,
        after.in_org,
        acct,
        "joined the organization",
        "left the organization",
    );
    toggled(
        out,
        before.closed,
        after.closed,
        acct,
        "closed (SUSPENDED)",
        "reopened",
    );
    toggled(
        out,
        before.invited,
        after.invited,
        acct,
        "invited to the organization",
        "no longer invited",
    );
    if before.trusted_access != after.trusted_access {
        out.push(format!(
            "trusted access for sso.amazonaws.com {}",
            if after.trusted_access {
                "enabled"
            } else {
                "disabled"
            }
        ));
    }
    if before.instance != after.instance {
        match after.instance {
            Some(owner) => out.push(format!(
                "IAM Identity Center organization instance enabled in {owner}"
            )),
            None => out.push("IAM Identity Center configuration deleted".to_string()),
        }
    }
    toggled(
        out,
        before.account_instances,
        after.account_instances,
        |a| format!("account instance of {}", Acct(a)),
        "created",
        "deleted",
    );
    if before.delegates != after.delegates {
        out.push(format!(
            "delegated administrators: {} -> {}",
            accounts(before.delegates),
            accounts(after.delegates)
        ));
    }
}

/// Directories, the identity source, AD sync.
fn describe_source(before: &State, after: &State, out: &mut Vec<String>) {
    toggled(
        out,
        before.directories,
        after.directories,
        |a| format!("AD directory of {}", Acct(a)),
        "created",
        "deleted",
    );
    if before.source != after.source {
        out.push(format!(
            "identity source: {} -> {}",
            before.source, after.source
        ));
    }
    if before.idp_admins != after.idp_admins && after.idp_admins != 0 {
        let by: Vec<String> = bits(after.idp_admins)
            .map(|a| Acct(a).to_string())
            .collect();
        out.push(format!(
            "external IdP configured by {} (its admins control its identities)",
            by.join(", ")
        ));
    }
    if before.ad_sync != after.ad_sync {
        out.push(format!(
            "configurable AD sync {}",
            if after.ad_sync { "on" } else { "off" }
        ));
    }
    if before.ad_sync_paused != after.ad_sync_paused && after.ad_sync {
        out.push(format!(
            "configurable AD sync {}",
            if after.ad_sync_paused {
                "paused"
            } else {
                "resumed"
            }
        ));
    }
}

/// Users, groups, memberships, permission sets, provisioning, assignments.
fn describe_identities(cfg: &Config, before: &State, after: &State, out: &mut Vec<String>) {
    toggled(out, before.users, after.users, User, "created", "deleted");
    let kept = before.users & after.users;
    toggled(
        out,
        before.disabled & kept,
        after.disabled & kept,
        User,
        "disabled (UserStatus DISABLED: can't sign in)",
        "enabled (UserStatus ENABLED)",
    );
    toggled(
        out,
        before.groups,
        after.groups,
        Group,
        "created",
        "deleted",
    );
    for g in 0..cfg.groups {
        let (b, a) = (before.membership[g as usize], after.membership[g as usize]);
        toggled(
            out,
            b,
            a,
            User,
            &format!("added to {}", Group(g)),
            &format!("removed from {}", Group(g)),
        );
    }
    toggled(
        out,
        before.permission_sets,
        after.permission_sets,
        PermissionSet,
        "created",
        "deleted",
    );
    for ps in 0..cfg.permission_sets {
        let p = PermissionSet(ps);
        let (b, a) = (
            before.provisioned[ps as usize],
            after.provisioned[ps as usize],
        );
        toggled(
            out,
            b,
            a,
            |x| format!("{p} in {}", Acct(x)),
            "provisioned",
            "deprovisioned",
        );
        for t in 0..cfg.accounts() {
            let (b, a) = (before.assigned(p, Acct(t)), after.assigned(p, Acct(t)));
            for bit in bits(a & !b) {
                out.push(format!(
                    "assignment {} -> {} with {p} created",
                    principal(bit),
                    Acct(t)
                ));
            }
            for bit in bits(b & !a) {
                out.push(format!(
                    "assignment {} -> {} with {p} deleted",
                    principal(bit),
                    Acct(t)
                ));
            }
        }
    }
}

/// Who is assigned to, and who reaches, the management account (derived).
fn describe_reach(before: &State, after: &State, out: &mut Vec<String>) {
    let (b, a) = (
        assigned_users(before, Acct::MANAGEMENT),
        assigned_users(after, Acct::MANAGEMENT),
    );
    if b != a {
        out.push(format!(
            "users assigned to the management account: {} -> {}",
            users(b),
            users(a)
        ));
    }
    let (b, a) = (
        effective_access(before, Acct::MANAGEMENT),
        effective_access(after, Acct::MANAGEMENT),
    );
    if b != a {
        out.push(format!(
            "users who reach the management account: {} -> {}",
            users(b),
            users(a)
        ));
    }
}

/// The changes of a step: the state's ([`describe_changes`]), and what the call did that
/// the state does not keep (a permission set's policies updated, a user taken over in a
/// directory).
pub fn describe_step(cfg: &Config, before: &State, call: &Call, after: &State) -> Vec<String> {
    let mut out = describe_changes(cfg, before, after);
    match call.op {
        Op::UpdatePermissionSet(ps) => out.insert(0, format!("{ps} policies updated")),
        Op::DirectoryResetUserPassword(u)
            if before.source == IdentitySource::ActiveDirectory(call.caller) =>
        {
            let reach = if effective_access(after, Acct::MANAGEMENT) & u.bit() != 0 {
                ", who reaches the management account"
            } else {
                ""
            };
            out.insert(
                0,
                format!(
                    "{} took over {u} (password reset in its directory){reach}",
                    call.caller
                ),
            );
        }
        // Deliberately open: only the calls whose effect the state does not keep are
        // described here; every other call's changes are the state's.
        _ => {}
    }
    out
}

fn principal(bit: u8) -> String {
    if bit < 4 {
        User(bit).to_string()
    } else {
        Group(bit - 4).to_string()
    }
}
