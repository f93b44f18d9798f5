//! `idc import`'s mapping: an organization as AWS's read-only calls describe it (read by
//! `crate::format::aws`) to a design file's text (docs/designs.md), under the
//! abstraction docs/import.md states. Pure: no file is read or written here.
//!
//! * Accounts with a distinct role keep their own model account: the management account,
//!   the delegate, the directory's owner, suspended (or closing) accounts, and every account
//!   assigned to an identity that reaches the management account. The other active members
//!   are interchangeable: at most [`REPRESENTATIVES`] model members stand for them.
//! * The identities that matter are those that reach the management account (assigned to
//!   it, or members of a group assigned to it), with the permission sets of their
//!   assignments.
//! * More than the model holds is refused ([`ImportError::TooLarge`]), never cut.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// The model's largest number of member accounts.
pub const MAX_MEMBERS: usize = 6;
/// The model's largest number of identities of one kind.
pub const MAX_IDENTITIES: usize = 4;
/// How many model members stand for the interchangeable accounts at most: the cutoff of
/// docs/performance.md.
pub const REPRESENTATIVES: usize = 2;

/// An account's status in `organizations list-accounts`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// `ACTIVE`.
    Active,
    /// `SUSPENDED`.
    Suspended,
    /// `PENDING_CLOSURE`.
    PendingClosure,
}

/// An account of the organization.
#[derive(Clone, Debug)]
pub struct Account {
    /// `Id`.
    pub id: String,
    /// `Name`.
    pub name: String,
    /// `Status`.
    pub status: Status,
}

/// An assignment's principal.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Principal {
    /// `PrincipalType` `USER`, by `PrincipalId`.
    User(String),
    /// `PrincipalType` `GROUP`, by `PrincipalId`.
    Group(String),
}

/// An account assignment.
#[derive(Clone, Debug)]
pub struct Assignment {
    /// `AccountId`.
    pub account: String,
    /// `PermissionSetArn`.
    pub permission_set: String,
    /// The principal.
    pub principal: Principal,
}

/// What the read-only calls say of the organization.
#[derive(Clone, Debug, Default)]
pub struct Organization {
    /// `MasterAccountId`.
    pub management: String,
    /// Every account, the management account included.
    pub accounts: Vec<Account>,
    /// The delegated administrators for `sso.amazonaws.com`.
    pub delegates: Vec<String>,
    /// The owners of IAM Identity Center instances.
    pub instances: Vec<String>,
    /// Permission set ARNs.
    pub permission_sets: Vec<String>,
    /// Account assignments.
    pub assignments: Vec<Assignment>,
    /// Users: `UserId`, and whether `UserStatus` is `DISABLED`.
    pub users: Vec<(String, bool)>,
    /// `GroupId`s.
    pub groups: Vec<String>,
    /// Memberships: `GroupId`, `UserId`.
    pub memberships: Vec<(String, String)>,
}

/// The identity source, which no read-only call returns (`--identity-source`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The Identity Center directory.
    IdentityCenterDirectory,
    /// AWS Managed Microsoft AD, owned by this account (id or name).
    ActiveDirectory(String),
    /// An external IdP.
    ExternalIdp,
}

/// Why an organization can't be imported: one line.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The files contradict each other or AWS.
    #[error("{0}")]
    Mismatch(String),
    /// More than the model holds.
    #[error("the organization does not fit the model: {0}")]
    TooLarge(String),
}

/// The model account of each kept account, and the names the design gives them.
struct Plan<'a> {
    org: &'a Organization,
    /// Model id (`member-1`) and account id, in model order; the management account first.
    kept: Vec<(String, String)>,
    /// Account id to design name.
    names: BTreeMap<String, String>,
    /// The interchangeable accounts' ids, and how many model members stand for them.
    others: (Vec<String>, usize),
    users: Vec<String>,
    groups: Vec<String>,
    permission_sets: Vec<String>,
    assignments: Vec<Assignment>,
    ad_owner: Option<String>,
}

/// The design file's text for `org` with `source` as its identity source. The same
/// organization gives the same text, whatever the order of the files' lists.
pub fn design(org: &Organization, source: &Source) -> Result<String, ImportError> {
    let plan = plan(org, source)?;
    Ok(render(&plan, source))
}

fn account<'a>(org: &'a Organization, id: &str, what: &str) -> Result<&'a Account, ImportError> {
    org.accounts.iter().find(|a| a.id == id).ok_or_else(|| {
        ImportError::Mismatch(format!(
            "{what} {id} is not an account of organizations-list-accounts.json"
        ))
    })
}

/// The identities that reach the management account, and their assignments (sorted, each
/// once).
fn relevant(org: &Organization) -> (BTreeSet<String>, BTreeSet<String>, Vec<Assignment>) {
    let mut users = BTreeSet::new();
    let mut groups = BTreeSet::new();
    for a in org
        .assignments
        .iter()
        .filter(|a| a.account == org.management)
    {
        match &a.principal {
            Principal::User(u) => users.insert(u.clone()),
            Principal::Group(g) => groups.insert(g.clone()),
        };
    }
    for (g, u) in &org.memberships {
        if groups.contains(g) {
            users.insert(u.clone());
        }
    }
    let mut kept: Vec<Assignment> = org
        .assignments
        .iter()
        .filter(|a| match &a.principal {
            Principal::User(u) => users.contains(u),
            Principal::Group(g) => groups.contains(g),
        })
        .cloned()
        .collect();
    let key = |a: &Assignment| {
        (
            a.account.clone(),
            a.permission_set.clone(),
            a.principal.clone(),
        )
    };
    kept.sort_by_key(key);
    kept.dedup_by(|a, b| key(a) == key(b));
    (users, groups, kept)
}

/// Checks what AWS itself guarantees, so that a mismatched set of files is refused.
fn check_roles(org: &Organization) -> Result<(), ImportError> {
    account(org, &org.management, "the management account")?;
    if org.delegates.len() > 1 {
        return Err(ImportError::Mismatch(format!(
            "organizations-list-delegated-administrators.json: {} delegated administrators for sso.amazonaws.com (AWS allows one)",
            org.delegates.len()
        )));
    }
    for d in &org.delegates {
        if account(org, d, "the delegated administrator")?.id == org.management {
            return Err(ImportError::Mismatch(
                "the management account is the delegated administrator: AWS refuses it".into(),
            ));
        }
    }
    if let Some(owner) = org.instances.iter().find(|o| **o != org.management) {
        return Err(ImportError::Mismatch(format!(
            "sso-admin-list-instances.json: an account instance in {owner}: only the organization instance (in the management account) is imported"
        )));
    }
    if org.instances.is_empty() && !org.assignments.is_empty() {
        return Err(ImportError::Mismatch(
            "account assignments but no IAM Identity Center instance".into(),
        ));
    }
    Ok(())
}

fn plan<'a>(org: &'a Organization, source: &Source) -> Result<Plan<'a>, ImportError> {
    check_roles(org)?;
    let ad_owner = match source {
        Source::ActiveDirectory(a) => Some(
            org.accounts
                .iter()
                .find(|x| x.id == *a || x.name == *a)
                .ok_or_else(|| {
                    ImportError::Mismatch(format!(
                        "--identity-source: no account '{a}' in organizations-list-accounts.json"
                    ))
                })?
                .id
                .clone(),
        ),
        _ => None,
    };
    let (users, groups, assignments) = relevant(org);
    for a in &assignments {
        account(org, &a.account, "assignment account")?;
    }
    let permission_sets: BTreeSet<String> = assignments
        .iter()
        .map(|a| a.permission_set.clone())
        .collect();
    for (what, n) in [
        ("users", users.len()),
        ("groups", groups.len()),
        ("permission sets", permission_sets.len()),
    ] {
        if n > MAX_IDENTITIES {
            return Err(ImportError::TooLarge(format!(
                "{n} {what} reach the management account (the model holds {MAX_IDENTITIES})"
            )));
        }
    }
    let kept = kept_accounts(org, ad_owner.as_deref(), &assignments)?;
    let others: Vec<String> = sorted_accounts(org)
        .filter(|a| a.status == Status::Active && !kept.iter().any(|(_, k)| k == &a.id))
        .map(|a| a.id.clone())
        .collect();
    let room = MAX_MEMBERS + 1 - kept.len();
    if !others.is_empty() && room == 0 {
        return Err(ImportError::TooLarge(format!(
            "{} member accounts with a distinct role leave no model member for the {} others",
            kept.len() - 1,
            others.len()
        )));
    }
    let stand_ins = others.len().min(REPRESENTATIVES).min(room);
    if kept.len() + stand_ins < 2 {
        return Err(ImportError::Mismatch(
            "organizations-list-accounts.json: no member account (the model needs one)".into(),
        ));
    }
    let names = names(org, &kept);
    Ok(Plan {
        org,
        kept,
        names,
        others: (others, stand_ins),
        users: users.into_iter().collect(),
        groups: groups.into_iter().collect(),
        permission_sets: permission_sets.into_iter().collect(),
        assignments,
        ad_owner,
    })
}

fn sorted_accounts(org: &Organization) -> impl Iterator<Item = &Account> {
    let mut all: Vec<&Account> = org.accounts.iter().collect();
    all.sort_by(|a, b| a.id.cmp(&b.id));
    all.into_iter()
}

/// The accounts with a distinct role, management first, then role by role (delegate,
/// directory owner, suspended, assigned), each role's accounts by id: model id, account id.
fn kept_accounts(
    org: &Organization,
    ad_owner: Option<&str>,
    assignments: &[Assignment],
) -> Result<Vec<(String, String)>, ImportError> {
    let mut ids: Vec<String> = vec![org.management.clone()];
    let mut add = |id: &str| {
        if !ids.iter().any(|k| k == id) {
            ids.push(id.to_string());
        }
    };
    org.delegates.iter().for_each(|d| add(d));
    ad_owner.into_iter().for_each(&mut add);
    sorted_accounts(org)
        .filter(|a| a.status != Status::Active)
        .for_each(|a| add(&a.id));
    let targets: BTreeSet<&str> = assignments.iter().map(|a| a.account.as_str()).collect();
    targets.into_iter().for_each(add);
    if ids.len() > MAX_MEMBERS + 1 {
        return Err(ImportError::TooLarge(format!(
            "{} member accounts have a distinct role (delegate, directory owner, suspended, or assigned to an identity that reaches the management account; the model holds {MAX_MEMBERS})",
            ids.len() - 1
        )));
    }
    Ok(ids
        .into_iter()
        .enumerate()
        .map(|(i, id)| match i {
            0 => ("management".to_string(), id),
            _ => (format!("member-{i}"), id),
        })
        .collect())
}

/// Words a design name must not be: model ids, the stand-ins' names, and the query
/// language's words for accounts.
fn reserved(name: &str) -> bool {
    let member = name
        .strip_prefix("member-")
        .is_some_and(|n| n.parse::<u8>().is_ok());
    member
        || name.starts_with("others-")
        || [
            "management",
            "delegate",
            "source",
            "none",
            "aws",
            "accounts",
        ]
        .contains(&name)
}

/// The design's names: an account's `Name` when it is made of letters, digits and `-`,
/// unique and no reserved word; `Name (Id)` otherwise.
fn names(org: &Organization, kept: &[(String, String)]) -> BTreeMap<String, String> {
    let count = |n: &str| org.accounts.iter().filter(|a| a.name == n).count();
    kept.iter()
        .map(|(_, id)| {
            let a = org.accounts.iter().find(|a| a.id == *id).expect("checked");
            let plain = !a.name.is_empty()
                && a.name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-')
                && count(&a.name) == 1
                && !reserved(&a.name);
            let name = if plain {
                a.name.clone()
            } else {
                format!("{} ({})", a.name, a.id)
            };
            (id.clone(), name)
        })
        .collect()
}

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

fn render(p: &Plan, source: &Source) -> String {
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
    } else if !p.org.delegates.is_empty() {
        step(out, &m, "EnableAWSServiceAccess", &[]);
    }
    for d in &p.org.delegates {
        let params = [("AccountId", name(d))];
        step(out, &m, "RegisterDelegatedAdministrator", &params);
    }
    let ad = match (source, &p.ad_owner) {
        (Source::ActiveDirectory(_), Some(owner)) => {
            step(out, &name(owner), "CreateMicrosoftAD", &[]);
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
