//! The design file's text for a [`Plan`]: sizes, `[accounts]`, `[start]` steps and a
//! commented `[threat]` (docs/import.md, "The design written").

use std::fmt::Write;

use idc_model::echo::echo;

use super::org::{Principal, Source, Status};
use super::plan::Plan;

/// A TOML basic string (JSON's escapes are TOML's).
fn q(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

fn index(list: &[String], id: &str) -> usize {
    list.iter().position(|x| x == id).expect("relevant") + 1
}

fn step(out: &mut String, caller: &str, call: &str, params: &[(&str, String)]) {
    let _ = write!(out, "  {{ caller = {}, call = {}", q(caller), q(call));
    if !params.is_empty() {
        let p: Vec<String> = params
            .iter()
            .map(|(k, v)| format!("{k} = {}", q(v)))
            .collect();
        let _ = write!(out, ", params = {{ {} }}", p.join(", "));
    }
    out.push_str(" },\n");
}

pub(super) fn render(p: &Plan, source: &Source) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Written by `idc import` from the read-only calls of the organization whose management\n\
         # account is {} (docs/import.md).\n\
         # The identity source is not returned by any read-only call: it was given with\n\
         # --identity-source ({}). Check it.",
        p.org.management,
        source_word(p, source)
    );
    let description = format!(
        "imported: {} accounts, {} with a distinct role, {} interchangeable",
        p.org.accounts.len(),
        p.kept.len(),
        p.others.0.len()
    );
    let _ = writeln!(out, "description = {}\n", q(&description));
    let _ = writeln!(out, "members = {}", p.kept.len() - 1 + p.others.1);
    let _ = writeln!(out, "users = {}", p.users.len().max(1));
    let _ = writeln!(out, "groups = {}", p.groups.len().max(1));
    let _ = writeln!(
        out,
        "permission-sets = {}\n",
        p.permission_sets.len().max(1)
    );
    render_accounts(&mut out, p);
    render_identity_names(&mut out, p);
    render_start(&mut out, p, source);
    render_threat(&mut out, p);
    out
}

fn source_word(p: &Plan, source: &Source) -> String {
    match (source, &p.ad_owner) {
        (Source::ActiveDirectory(_), Some(owner)) => {
            format!("active-directory:{}", p.names[owner])
        }
        (Source::ExternalIdp, _) => "external-idp".into(),
        _ => "identity-center-directory".into(),
    }
}

fn render_accounts(out: &mut String, p: &Plan) {
    out.push_str("[accounts]\n");
    for (model, id) in &p.kept {
        let _ = writeln!(out, "{model} = {}", q(&p.names[id]));
    }
    for i in 0..p.others.1 {
        let _ = writeln!(out, "member-{} = \"others-{}\"", p.kept.len() + i, i + 1);
    }
    if !p.others.0.is_empty() {
        let _ = writeln!(
            out,
            "# others-*: interchangeable members standing for these {} active accounts\n\
             # (docs/import.md): {}",
            p.others.0.len(),
            p.others.0.join(", ")
        );
    }
    out.push('\n');
}

fn render_start(out: &mut String, p: &Plan, source: &Source) {
    let name = |id: &str| p.names[id].clone();
    let m = name(&p.org.management);
    out.push_str("[start]\nsteps = [\n");
    if !p.org.instances.is_empty() {
        step(out, &m, "EnableIdentityCenter", &[]);
    } else if !p.org.delegates.is_empty() || p.org.trusted_access == Some(true) {
        step(out, &m, "EnableAWSServiceAccess", &[]);
    }
    for d in &p.org.delegates {
        let params = [("AccountId", name(d))];
        step(out, &m, "RegisterDelegatedAdministrator", &params);
    }
    let mut owners = p.directory_owners.clone();
    owners.sort();
    for owner in &owners {
        step(out, &name(owner), "CreateMicrosoftAD", &[]);
    }
    let ad = match (source, &p.ad_owner) {
        (Source::ActiveDirectory(_), Some(owner)) => {
            let params = [(
                "IdentitySource",
                format!("active-directory:{}", name(owner)),
            )];
            step(out, &m, "ChangeIdentitySource", &params);
            Some(name(owner))
        }
        (Source::ExternalIdp, _) => {
            let params = [("IdentitySource", "external-idp".to_string())];
            step(out, &m, "ChangeIdentitySource", &params);
            None
        }
        _ => None,
    };
    render_identities(out, p, &m, ad.as_deref());
    for a in &p.assignments {
        let principal = match &a.principal {
            Principal::User(u) => format!("user-{}", index(&p.users, u)),
            Principal::Group(g) => format!("group-{}", index(&p.groups, g)),
        };
        let ps = format!("ps-{}", index(&p.permission_sets, &a.permission_set));
        let params = [
            ("TargetId", name(&a.account)),
            ("PermissionSet", ps),
            ("Principal", principal),
        ];
        step(out, &m, "CreateAccountAssignment", &params);
    }
    for (ps, account) in &p.provisioned {
        let params = [
            (
                "PermissionSet",
                format!("ps-{}", index(&p.permission_sets, ps)),
            ),
            ("TargetId", name(account)),
        ];
        step(out, &m, "ProvisionPermissionSet", &params);
    }
    for (i, u) in p.users.iter().enumerate() {
        if p.org
            .users
            .iter()
            .any(|(id, disabled)| id == u && *disabled)
        {
            step(
                out,
                &m,
                "DisableUserAccess",
                &[("User", format!("user-{}", i + 1))],
            );
        }
    }
    for (_, id) in &p.kept {
        let a = p.org.accounts.iter().find(|a| a.id == *id).expect("kept");
        if a.status != Status::Active {
            step(out, &m, "CloseAccount", &[("AccountId", name(id))]);
        }
    }
    out.push_str("]\n\n");
}

/// Permission sets, users, groups and memberships: in the identity store by the
/// management account, or (AD) in the directory by its owner.
fn render_identities(out: &mut String, p: &Plan, m: &str, ad: Option<&str>) {
    for i in 1..=p.permission_sets.len() {
        step(
            out,
            m,
            "CreatePermissionSet",
            &[("PermissionSet", format!("ps-{i}"))],
        );
    }
    let (caller, user, group, member) = match ad {
        Some(owner) => (
            owner,
            "ds-data:CreateUser",
            "ds-data:CreateGroup",
            "ds-data:AddGroupMember",
        ),
        None => (m, "CreateUser", "CreateGroup", "CreateGroupMembership"),
    };
    for i in 1..=p.users.len() {
        step(out, caller, user, &[("User", format!("user-{i}"))]);
    }
    for i in 1..=p.groups.len() {
        step(out, caller, group, &[("Group", format!("group-{i}"))]);
    }
    let mut memberships: Vec<(usize, usize)> = p
        .org
        .memberships
        .iter()
        .filter(|(g, u)| p.groups.contains(g) && p.users.contains(u))
        .map(|(g, u)| (index(&p.groups, g), index(&p.users, u)))
        .collect();
    memberships.sort();
    memberships.dedup();
    for (g, u) in memberships {
        let params = [
            ("Group", format!("group-{g}")),
            ("User", format!("user-{u}")),
        ];
        step(out, caller, member, &params);
    }
}

fn render_threat(out: &mut String, p: &Plan) {
    out.push_str(
        "# The threat model is yours to state (docs/designs.md): without one, every account may\n\
         # make any call. The usual question is \"the delegate is compromised\":\n\
         # [threat]\n",
    );
    match p.org.delegates.first() {
        Some(d) => {
            let _ = writeln!(out, "# untrusted = [{}]", q(&p.names[d]));
        }
        None => out.push_str("# untrusted = []   # no delegated administrator is registered\n"),
    }
    let _ = writeln!(
        out,
        "# idle = []\n# [threat.allow]\n# {} = [\"CreateAccountAssignment\", \"DeleteAccountAssignment\"]",
        q(&p.names[&p.org.management])
    );
}

/// Which permission set, user and group each model identity stands for, as comments:
/// the model has no names for them.
fn render_identity_names(out: &mut String, p: &Plan) {
    let lists = [
        ("ps", &p.permission_sets, &p.org.permission_set_names),
        ("user", &p.users, &p.org.user_names),
        ("group", &p.groups, &p.org.group_names),
    ];
    if lists.iter().all(|(_, l, _)| l.is_empty()) {
        return;
    }
    out.push_str(
        "# The model's identities (the design has no names for them):
",
    );
    for (word, list, names) in lists {
        for (i, id) in list.iter().enumerate() {
            // A permission set by its id (`ps-…`), the end of its ARN.
            let short = id.rsplit('/').next().unwrap_or(id);
            match names.get(id) {
                Some(n) => {
                    let _ = writeln!(out, "#   {word}-{} = {} ({})", i + 1, echo(n), echo(short));
                }
                None => {
                    let _ = writeln!(out, "#   {word}-{} = {}", i + 1, echo(short));
                }
            }
        }
    }
    out.push('\n');
}
