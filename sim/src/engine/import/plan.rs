//! Which accounts keep their own model account, which identities and permission sets
//! matter, and the checks of what AWS itself guarantees (docs/import.md, "The abstraction").

use std::collections::{BTreeMap, BTreeSet};

use super::org::{Account, Assignment, ImportError, Organization, Principal, Source, Status};

/// The model's largest number of member accounts.
pub const MAX_MEMBERS: usize = 6;
/// The model's largest number of identities of one kind.
pub const MAX_IDENTITIES: usize = 4;
/// How many model members stand for the interchangeable accounts at most: the cutoff of
/// docs/performance.md.
pub const REPRESENTATIVES: usize = 2;

/// The model account of each kept account, and the names the design gives them.
pub(super) struct Plan<'a> {
    pub org: &'a Organization,
    /// Model id (`member-1`) and account id, in model order; the management account first.
    pub kept: Vec<(String, String)>,
    /// Account id to design name.
    pub names: BTreeMap<String, String>,
    /// The interchangeable accounts' ids, and how many model members stand for them.
    pub others: (Vec<String>, usize),
    pub users: Vec<String>,
    pub groups: Vec<String>,
    pub permission_sets: Vec<String>,
    pub assignments: Vec<Assignment>,
    /// Provisioning without an assignment to keep: permission set ARN, account id.
    pub provisioned: Vec<(String, String)>,
    /// The identity source's directory owner.
    pub ad_owner: Option<String>,
    /// Every directory owner, by account id (the identity source's included).
    pub directory_owners: Vec<String>,
}

fn account<'a>(org: &'a Organization, id: &str, what: &str) -> Result<&'a Account, ImportError> {
    org.accounts.iter().find(|a| a.id == id).ok_or_else(|| {
        ImportError::Mismatch(format!(
            "{what} {id} is not an account of organizations-list-accounts.json"
        ))
    })
}

fn mismatch(text: impl Into<String>) -> ImportError {
    ImportError::Mismatch(text.into())
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

/// Checks what AWS itself guarantees, so that a mismatched set of files is refused. moto
/// accepts some of it (several delegates, removing a delegate's account): the import
/// must still refuse.
fn check_roles(org: &Organization) -> Result<(), ImportError> {
    account(org, &org.management, "organizations-describe-organization.json: Organization.MasterAccountId: the management account")?;
    let file = "organizations-list-delegated-administrators.json";
    if org.delegates.len() > 1 {
        return Err(mismatch(format!(
            "{file}: DelegatedAdministrators: {} delegated administrators for sso.amazonaws.com (AWS allows one: DA-7)",
            org.delegates.len()
        )));
    }
    for d in &org.delegates {
        let what =
            format!("{file}: DelegatedAdministrators[0].Id (DA-5): the delegated administrator");
        if account(org, d, &what)?.id == org.management {
            return Err(mismatch(format!(
                "{file}: DelegatedAdministrators[0].Id: the management account is the delegated administrator: AWS refuses it (DA-2)"
            )));
        }
    }
    if let Some(owner) = org.instances.iter().find(|o| **o != org.management) {
        return Err(mismatch(format!(
            "sso-admin-list-instances.json: Instances[].OwnerAccountId: an account instance in {owner}: only the organization instance (in the management account) is imported"
        )));
    }
    if org.instances.is_empty() && !org.assignments.is_empty() {
        return Err(mismatch(
            "sso-admin-list-account-assignments.*.json: account assignments but no IAM Identity Center instance in sso-admin-list-instances.json",
        ));
    }
    if org.instances.is_empty() && !org.provisioned.is_empty() {
        return Err(mismatch(
            "sso-admin-list-accounts-for-provisioned-permission-set.*.json: provisioning but no IAM Identity Center instance in sso-admin-list-instances.json",
        ));
    }
    check_trusted_access(org)?;
    check_targets(org)
}

/// Trusted access for `sso.amazonaws.com`, when listed, agrees with the instance and the
/// delegate (AWS enables it with the instance; registering a delegate needs it, ORG-5).
fn check_trusted_access(org: &Organization) -> Result<(), ImportError> {
    if org.trusted_access != Some(false) {
        return Ok(());
    }
    let why = if !org.instances.is_empty() {
        "sso-admin-list-instances.json lists the organization instance, which enables it (ORG-5)"
    } else if !org.delegates.is_empty() {
        "organizations-list-delegated-administrators.json lists a delegate, which needs it (DA-4)"
    } else {
        return Ok(());
    };
    Err(mismatch(format!(
        "organizations-list-aws-service-access-for-organization.json: EnabledServicePrincipals: sso.amazonaws.com is not enabled, but {why}"
    )))
}

/// Every account an assignment, a provisioning or a directory names is listed.
fn check_targets(org: &Organization) -> Result<(), ImportError> {
    for a in &org.assignments {
        let what =
            "sso-admin-list-account-assignments.*.json: AccountAssignments[].AccountId: account";
        account(org, &a.account, what)?;
    }
    for (ps, a) in &org.provisioned {
        let id = ps.rsplit('/').next().unwrap_or(ps);
        let what = format!(
            "sso-admin-list-accounts-for-provisioned-permission-set.{id}.json: AccountIds[]: account"
        );
        account(org, a, &what)?;
    }
    for d in org.directories.iter().flatten() {
        let what = format!("{}: the owner of directory {}", d.file, d.id);
        account(org, &d.owner, &what)?;
    }
    Ok(())
}

/// The identity source's directory owner: an account of the organization, which owns a
/// directory when the directories were listed.
fn source_owner(org: &Organization, source: &Source) -> Result<Option<String>, ImportError> {
    let Source::ActiveDirectory(a) = source else {
        return Ok(None);
    };
    let id = org
        .accounts
        .iter()
        .find(|x| x.id == *a || x.name == *a)
        .ok_or_else(|| {
            mismatch(format!(
                "--identity-source: no account '{a}' in organizations-list-accounts.json"
            ))
        })?
        .id
        .clone();
    if let Some(dirs) = &org.directories {
        if !dirs.iter().any(|d| d.owner == id) {
            let owners: BTreeSet<&str> = dirs.iter().map(|d| d.owner.as_str()).collect();
            let owners: Vec<&str> = owners.into_iter().collect();
            return Err(mismatch(format!(
                "--identity-source: account '{a}' owns no directory in ds-describe-directories.*.json (owners: {})",
                if owners.is_empty() { "none".to_string() } else { owners.join(", ") }
            )));
        }
    }
    Ok(Some(id))
}

pub(super) fn plan<'a>(org: &'a Organization, source: &Source) -> Result<Plan<'a>, ImportError> {
    check_roles(org)?;
    let ad_owner = source_owner(org, source)?;
    let mut directory_owners: Vec<String> = ad_owner.iter().cloned().collect();
    let mut listed: Vec<String> = org
        .directories
        .iter()
        .flatten()
        .map(|d| d.owner.clone())
        .collect();
    listed.sort();
    for o in listed {
        if !directory_owners.contains(&o) {
            directory_owners.push(o);
        }
    }
    let (users, groups, assignments) = relevant(org);
    let mut permission_sets: BTreeSet<String> = assignments
        .iter()
        .map(|a| a.permission_set.clone())
        .collect();
    // IDC-2: a set provisioned in the management account is out of the delegate's reach.
    for (ps, a) in &org.provisioned {
        if *a == org.management {
            permission_sets.insert(ps.clone());
        }
    }
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
    let kept = kept_accounts(org, &directory_owners, &assignments)?;
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
        return Err(mismatch(
            "organizations-list-accounts.json: Accounts: no member account (the model needs one)",
        ));
    }
    let provisioned = provisioned(org, &permission_sets, &kept, &assignments);
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
        provisioned,
        ad_owner,
        directory_owners,
    })
}

/// The provisioning of the permission sets that matter in kept accounts that no kept
/// assignment explains (an assignment provisions its set), sorted.
fn provisioned(
    org: &Organization,
    permission_sets: &BTreeSet<String>,
    kept: &[(String, String)],
    assignments: &[Assignment],
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = org
        .provisioned
        .iter()
        .filter(|(ps, a)| {
            permission_sets.contains(ps)
                && kept.iter().any(|(_, k)| k == a)
                && !assignments
                    .iter()
                    .any(|x| x.account == *a && x.permission_set == *ps)
        })
        .cloned()
        .collect();
    out.sort_by(|x, y| (&x.1, &x.0).cmp(&(&y.1, &y.0)));
    out.dedup();
    out
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
    directory_owners: &[String],
    assignments: &[Assignment],
) -> Result<Vec<(String, String)>, ImportError> {
    let mut ids: Vec<String> = vec![org.management.clone()];
    let mut add = |id: &str| {
        if !ids.iter().any(|k| k == id) {
            ids.push(id.to_string());
        }
    };
    org.delegates.iter().for_each(|d| add(d));
    directory_owners.iter().for_each(|o| add(o));
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
