//! The JSON files of AWS's read-only calls, one file per call, named after it
//! (`organizations-list-accounts.json`), each the call's output as botocore's service
//! model defines it (docs/import.md lists them). A call made several times (one per
//! account and permission set, one per group) or a listing split into pages is one file
//! each, `CALL.SUFFIX.json` with any suffix; a file that still has a `NextToken` is a
//! truncated listing and is refused.
//!
//! Every error is one line naming the file and the field.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use idc_model::echo::echo;

use crate::engine::import::{Account, Assignment, Directory, Organization, Principal, Status};

/// The largest file read.
pub const MAX_BYTES: u64 = 16 << 20;

/// Why the files can't be read: one line, naming the file and the field.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {message}")]
pub struct AwsError {
    /// The file's name.
    pub file: String,
    /// What is wrong, starting with the field.
    pub message: String,
}

fn err(file: &str, message: impl Into<String>) -> AwsError {
    AwsError {
        file: file.to_string(),
        message: message.into(),
    }
}

/// One file's object, and its name for errors.
struct File {
    name: String,
    body: Map<String, Value>,
}

impl File {
    /// The whole file as an object, for [`Obj`]'s accessors.
    fn top(&self) -> Obj<'_> {
        Obj {
            file: &self.name,
            path: String::new(),
            body: &self.body,
        }
    }

    fn list(&self, field: &str) -> Result<Vec<Obj<'_>>, AwsError> {
        match self.body.get(field) {
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Value::Object(o) => Ok(Obj {
                        file: &self.name,
                        path: format!("{field}[{i}]."),
                        body: o,
                    }),
                    _ => Err(err(&self.name, format!("{field}[{i}]: not an object"))),
                })
                .collect(),
            Some(_) => Err(err(&self.name, format!("{field}: not a list"))),
            None => Err(err(&self.name, format!("{field}: missing"))),
        }
    }

    /// The first dot-separated part of the name after `CALL.`: what the call was made for
    /// (an account id, a permission set id), when the file name says it.
    fn suffix(&self, call: &str) -> Option<&str> {
        let rest = self.name.strip_prefix(call)?.strip_prefix('.')?;
        let rest = rest.strip_suffix(".json")?;
        rest.split('.').next().filter(|s| !s.is_empty())
    }

    fn strings(&self, field: &str) -> Result<Vec<String>, AwsError> {
        match self.body.get(field) {
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    v.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| err(&self.name, format!("{field}[{i}]: not a string")))
                })
                .collect(),
            Some(_) => Err(err(&self.name, format!("{field}: not a list"))),
            None => Err(err(&self.name, format!("{field}: missing"))),
        }
    }
}

/// An object inside a file, with its path for errors (`Accounts[3].`).
struct Obj<'a> {
    file: &'a str,
    path: String,
    body: &'a Map<String, Value>,
}

impl Obj<'_> {
    fn fail(&self, field: &str, what: impl std::fmt::Display) -> AwsError {
        err(self.file, format!("{}{field}: {what}", self.path))
    }

    fn string(&self, field: &str) -> Result<String, AwsError> {
        match self.body.get(field) {
            Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
            Some(Value::String(_)) => Err(self.fail(field, "empty")),
            Some(_) => Err(self.fail(field, "not a string")),
            None => Err(self.fail(field, "missing")),
        }
    }

    fn object(&self, field: &str) -> Result<Obj<'_>, AwsError> {
        match self.body.get(field) {
            Some(Value::Object(o)) => Ok(Obj {
                file: self.file,
                path: format!("{}{field}.", self.path),
                body: o,
            }),
            Some(_) => Err(self.fail(field, "not an object")),
            None => Err(self.fail(field, "missing")),
        }
    }

    fn one_of(&self, field: &str, values: &[&str]) -> Result<String, AwsError> {
        let v = self.string(field)?;
        if values.contains(&v.as_str()) {
            Ok(v)
        } else {
            let allowed = values.join(", ");
            Err(self.fail(field, format!("'{}' is not one of {allowed}", echo(&v))))
        }
    }
}

/// Reads one file: a JSON object, without a `NextToken` (a truncated listing).
fn read(path: &Path) -> Result<File, AwsError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let meta = std::fs::metadata(path).map_err(|e| err(&name, format!("cannot read: {e}")))?;
    if meta.len() > MAX_BYTES {
        return Err(err(&name, format!("larger than {} MiB", MAX_BYTES >> 20)));
    }
    let text = std::fs::read(path).map_err(|e| err(&name, format!("cannot read: {e}")))?;
    let value: Value = serde_json::from_slice(&text).map_err(|e| {
        let what = if e.is_eof() {
            "truncated JSON"
        } else {
            "malformed JSON"
        };
        let at = format!("at line {} column {}", e.line(), e.column());
        err(&name, format!("{what} {at}"))
    })?;
    let Value::Object(body) = value else {
        return Err(err(&name, "not a JSON object"));
    };
    if body.get("NextToken").is_some_and(|t| !t.is_null()) {
        return Err(err(
            &name,
            "NextToken: a truncated listing (collect every page: the AWS CLI does unless --no-paginate)",
        ));
    }
    Ok(File { name, body })
}

/// The files of `dir` for `call`: `CALL.json` and `CALL.SUFFIX.json`, sorted by name.
/// `required`: at least one must exist.
fn files(dir: &Path, call: &str, required: bool) -> Result<Vec<File>, AwsError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| err(&dir.display().to_string(), format!("cannot read: {e}")))?;
    let whole = format!("{call}.json");
    let part = format!("{call}.");
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.file_name().map(|n| n.to_string_lossy().into_owned());
            n.is_some_and(|n| n == whole || (n.starts_with(&part) && n.ends_with(".json")))
        })
        .collect();
    paths.sort();
    if paths.is_empty() && required {
        return Err(err(&whole, "missing (docs/import.md lists the files)"));
    }
    paths.iter().map(|p| read(p)).collect()
}

/// Reads the organization from the directory `dir`.
pub fn read_dir(dir: &Path) -> Result<Organization, AwsError> {
    let mut org = Organization::default();
    for f in files(dir, "organizations-describe-organization", true)? {
        org.management = f.top().object("Organization")?.string("MasterAccountId")?;
    }
    for f in files(dir, "organizations-list-accounts", true)? {
        for a in f.list("Accounts")? {
            let statuses = ["ACTIVE", "SUSPENDED", "PENDING_CLOSURE"];
            let status = match a.one_of("Status", &statuses)?.as_str() {
                "ACTIVE" => Status::Active,
                "SUSPENDED" => Status::Suspended,
                _ => Status::PendingClosure,
            };
            let id = a.string("Id")?;
            if org.accounts.iter().any(|x| x.id == id) {
                return Err(a.fail("Id", format!("account {id} is listed twice")));
            }
            let name = a.string("Name")?;
            org.accounts.push(Account { id, name, status });
        }
    }
    for f in files(dir, "organizations-list-delegated-administrators", false)? {
        for d in f.list("DelegatedAdministrators")? {
            org.delegates.push(d.string("Id")?);
        }
    }
    org.delegates.sort();
    org.delegates.dedup();
    for f in files(
        dir,
        "organizations-list-aws-service-access-for-organization",
        false,
    )? {
        let mut enabled = false;
        for p in f.list("EnabledServicePrincipals")? {
            enabled |= p.string("ServicePrincipal")? == "sso.amazonaws.com";
        }
        org.trusted_access = Some(org.trusted_access.unwrap_or(false) || enabled);
    }
    read_directories(dir, &mut org)?;
    for f in files(dir, "sso-admin-list-instances", true)? {
        for i in f.list("Instances")? {
            i.string("InstanceArn")?;
            org.instances.push(i.string("OwnerAccountId")?);
        }
    }
    read_identity_store(dir, &mut org)?;
    read_identity_center(dir, &mut org)?;
    Ok(org)
}

/// Permission sets and account assignments; every principal must be a listed identity.
fn read_identity_center(dir: &Path, org: &mut Organization) -> Result<(), AwsError> {
    let enabled = !org.instances.is_empty();
    for f in files(dir, "sso-admin-list-permission-sets", enabled)? {
        org.permission_sets.extend(f.strings("PermissionSets")?);
    }
    read_permission_sets(dir, org)?;
    for f in files(dir, "sso-admin-list-account-assignments", false)? {
        for a in f.list("AccountAssignments")? {
            let id = a.string("PrincipalId")?;
            let (principal, known, what) = match a.one_of("PrincipalType", &["USER", "GROUP"])? {
                t if t == "USER" => {
                    let known = org.users.iter().any(|u| u.0 == id);
                    (Principal::User(id.clone()), known, "users")
                }
                _ => {
                    let known = org.groups.contains(&id);
                    (Principal::Group(id.clone()), known, "groups")
                }
            };
            if !known {
                let why = format!("{id} is not listed by identitystore-list-{what}.json");
                return Err(a.fail("PrincipalId", why));
            }
            let permission_set = a.string("PermissionSetArn")?;
            if !org.permission_sets.contains(&permission_set) {
                let why = format!(
                    "{permission_set} is not listed by sso-admin-list-permission-sets.json"
                );
                return Err(a.fail("PermissionSetArn", why));
            }
            let account = a.string("AccountId")?;
            org.assignments.push(Assignment {
                account,
                permission_set,
                principal,
            });
        }
    }
    Ok(())
}

/// Users (with their status), groups and memberships.
fn read_identity_store(dir: &Path, org: &mut Organization) -> Result<(), AwsError> {
    let enabled = !org.instances.is_empty();
    for f in files(dir, "identitystore-list-users", enabled)? {
        for u in f.list("Users")? {
            let name = u.string("UserName")?;
            let disabled = match u.body.get("UserStatus") {
                None | Some(Value::Null) => false,
                Some(_) => u.one_of("UserStatus", &["ENABLED", "DISABLED"])? == "DISABLED",
            };
            let id = u.string("UserId")?;
            org.user_names.insert(id.clone(), name);
            org.users.push((id, disabled));
        }
    }
    for f in files(dir, "identitystore-list-groups", enabled)? {
        for g in f.list("Groups")? {
            let id = g.string("GroupId")?;
            if let Some(Value::String(n)) = g.body.get("DisplayName") {
                org.group_names.insert(id.clone(), n.clone());
            }
            org.groups.push(id);
        }
    }
    for f in files(dir, "identitystore-list-group-memberships", false)? {
        for m in f.list("GroupMemberships")? {
            let group = m.string("GroupId")?;
            let member = m.object("MemberId")?;
            let user = member.string("UserId")?;
            if !org.groups.contains(&group) {
                let why = format!("{group} is not listed by identitystore-list-groups.json");
                return Err(m.fail("GroupId", why));
            }
            if !org.users.iter().any(|u| u.0 == user) {
                let why = format!("{user} is not listed by identitystore-list-users.json");
                return Err(member.fail("UserId", why));
            }
            org.memberships.push((group, user));
        }
    }
    Ok(())
}

/// The permission set a file is about, from its suffix (`CALL.ps-1a2b3c.json`): the last
/// part of a listed permission set ARN.
fn permission_set_of(f: &File, call: &str, org: &Organization) -> Result<String, AwsError> {
    let id = f.suffix(call).unwrap_or("");
    org.permission_sets
        .iter()
        .find(|arn| arn.rsplit('/').next() == Some(id))
        .cloned()
        .ok_or_else(|| {
            err(
                &f.name,
                format!("file name: '{}' is not the id (ps-...) of a permission set of sso-admin-list-permission-sets.json", echo(id)),
            )
        })
}

/// Permission sets' names (`describe-permission-set`) and provisioning
/// (`list-accounts-for-provisioned-permission-set`, one file per permission set, named by
/// its id).
fn read_permission_sets(dir: &Path, org: &mut Organization) -> Result<(), AwsError> {
    for f in files(dir, "sso-admin-describe-permission-set", false)? {
        let top = f.top();
        let ps = top.object("PermissionSet")?;
        let arn = ps.string("PermissionSetArn")?;
        if !org.permission_sets.contains(&arn) {
            let why = format!("{arn} is not listed by sso-admin-list-permission-sets.json");
            return Err(ps.fail("PermissionSetArn", why));
        }
        org.permission_set_names.insert(arn, ps.string("Name")?);
    }
    let call = "sso-admin-list-accounts-for-provisioned-permission-set";
    for f in files(dir, call, false)? {
        let arn = permission_set_of(&f, call, org)?;
        for (i, account) in f.strings("AccountIds")?.into_iter().enumerate() {
            if !org.accounts.iter().any(|a| a.id == account) {
                let why = format!(
                    "AccountIds[{i}]: {account} is not an account of organizations-list-accounts.json"
                );
                return Err(err(&f.name, why));
            }
            org.provisioned.push((arn.clone(), account));
        }
    }
    Ok(())
}

/// AWS Managed Microsoft AD directories, one file per account whose credentials listed
/// them (`ds-describe-directories.ACCOUNT.json`: Directory Service is per account and
/// `DirectoryDescription` does not name its account). A directory shared with the account
/// (`SharedMicrosoftAD`) belongs to `OwnerDirectoryDescription.AccountId` (skipped when
/// that is not an account of the organization); Simple AD and
/// AD Connector are not in the model and are skipped, as are deleted or failed
/// directories.
fn read_directories(dir: &Path, org: &mut Organization) -> Result<(), AwsError> {
    let call = "ds-describe-directories";
    let found = files(dir, call, false)?;
    if found.is_empty() {
        return Ok(());
    }
    let mut all = Vec::new();
    for f in found {
        let account = f.suffix(call).unwrap_or("").to_string();
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err(
                &f.name,
                format!("file name: '{}' is not an account id (name the file after the account whose credentials listed the directories)", echo(&account)),
            ));
        }
        for d in f.list("DirectoryDescriptions")? {
            let id = d.string("DirectoryId")?;
            let types = [
                "SimpleAD",
                "ADConnector",
                "MicrosoftAD",
                "SharedMicrosoftAD",
            ];
            let kind = d.one_of("Type", &types)?;
            let gone = match d.body.get("Stage") {
                None | Some(Value::Null) => false,
                Some(_) => ["Deleting", "Deleted", "Failed"].contains(&d.string("Stage")?.as_str()),
            };
            let owner = match kind.as_str() {
                "MicrosoftAD" => account.clone(),
                "SharedMicrosoftAD" => {
                    let owner = d.object("OwnerDirectoryDescription")?.string("AccountId")?;
                    // Shared from outside the organization: it can't be its identity
                    // source (SRC-2), and its owner is no account of the model.
                    if !org.accounts.iter().any(|a| a.id == owner) {
                        continue;
                    }
                    owner
                }
                _ => continue,
            };
            if gone {
                continue;
            }
            all.push(Directory {
                owner,
                id,
                file: f.name.clone(),
            });
        }
    }
    all.sort();
    all.dedup_by(|a, b| a.owner == b.owner && a.id == b.id);
    org.directories = Some(all);
    Ok(())
}
