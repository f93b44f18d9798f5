//! Each operation of the model as the AWS CLI command that makes it, or as the instruction
//! for a step that has no public API (docs/import.md, "Replaying a trace against a
//! sandbox", lists the table).
//!
//! Command and parameter names are the CLI's spelling of botocore's service models
//! (organizations, sso-admin, identitystore, ds, ds-data); `tests/aws/exported.sh` runs the
//! exported scripts against moto, where botocore validates every request.

use idc_model::param::{IdentitySource, InstanceRef};
use idc_model::{Acct, Call, Group, Op, PermissionSet, Principal, User};

/// How one step of a trace is made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// An AWS CLI call.
    Cli(Cli),
    /// A step with no public API: what to do by hand (in the console, or what AWS does by
    /// itself).
    Manual(String),
}

/// `aws SERVICE COMMAND ARGS...`, after the `before` lines that resolve its identifiers,
/// with the value of `capture.0` (a `--query`) kept in the shell variable `capture.1` when
/// it succeeds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cli {
    /// Shell lines run first (resolving identifiers; never recorded).
    pub before: Vec<String>,
    /// The CLI's service name (`sso-admin`).
    pub service: &'static str,
    /// The CLI's command name (`create-account-assignment`).
    pub command: &'static str,
    /// `--parameter` and its value as a shell word (quoted where it must be).
    pub args: Vec<(&'static str, String)>,
    /// The output kept: a JMESPath query and the variable that keeps it.
    pub capture: Option<(&'static str, String)>,
}

impl Cli {
    fn new(service: &'static str, command: &'static str) -> Cli {
        Cli {
            before: Vec::new(),
            service,
            command,
            args: Vec::new(),
            capture: None,
        }
    }

    fn before(mut self, line: impl Into<String>) -> Cli {
        self.before.push(line.into());
        self
    }

    fn arg(mut self, name: &'static str, value: impl Into<String>) -> Cli {
        self.args.push((name, value.into()));
        self
    }

    fn capture(mut self, query: &'static str, var: impl Into<String>) -> Cli {
        self.capture = Some((query, var.into()));
        self
    }

    /// An IAM Identity Center or Identity Store call: the caller's instance first.
    fn idc(service: &'static str, command: &'static str, caller: Acct) -> Cli {
        Cli::new(service, command).before(format!("instance_of {}", var(caller)))
    }

    fn instance(self) -> Cli {
        self.arg("--instance-arn", "\"$INSTANCE_ARN\"")
    }

    fn store(self) -> Cli {
        self.arg("--identity-store-id", "\"$IDENTITY_STORE\"")
    }
}

/// An account's name as a shell identifier: `member-1` → `member_1`.
pub fn var(a: Acct) -> String {
    a.to_string().replace('-', "_")
}

/// The account id of an account, as a shell word.
fn account(a: Acct) -> String {
    format!("\"$ACCOUNT_{}\"", var(a))
}

/// The names the script gives the model's identities.
fn user_name(u: User) -> String {
    format!("idc-{u}")
}

fn group_name(g: Group) -> String {
    format!("idc-{g}")
}

fn ps_var(p: PermissionSet) -> String {
    format!("PERMISSION_SET_{}", p.0 + 1)
}

const SERVICE_PRINCIPAL: &str = "sso.amazonaws.com";

/// How `call` is made.
pub fn command(call: &Call) -> Command {
    let c = call.caller;
    let cli = match call.op {
        Op::InviteAccountToOrganization(t) => {
            Cli::new("organizations", "invite-account-to-organization")
                .arg(
                    "--target",
                    format!("\"Id=$ACCOUNT_{},Type=ACCOUNT\"", var(t)),
                )
                .capture("Handshake.Id", format!("HANDSHAKE_{}", var(t)))
        }
        Op::AcceptHandshake => Cli::new("organizations", "accept-handshake")
            .arg("--handshake-id", format!("\"$HANDSHAKE_{}\"", var(c))),
        Op::LeaveOrganization => Cli::new("organizations", "leave-organization"),
        Op::RemoveAccountFromOrganization(t) => {
            Cli::new("organizations", "remove-account-from-organization")
                .arg("--account-id", account(t))
        }
        Op::CloseAccount(t) => {
            Cli::new("organizations", "close-account").arg("--account-id", account(t))
        }
        Op::EnableAwsServiceAccess => Cli::new("organizations", "enable-aws-service-access")
            .arg("--service-principal", SERVICE_PRINCIPAL),
        Op::DisableAwsServiceAccess => Cli::new("organizations", "disable-aws-service-access")
            .arg("--service-principal", SERVICE_PRINCIPAL),
        Op::RegisterDelegatedAdministrator(t) => {
            Cli::new("organizations", "register-delegated-administrator")
                .arg("--account-id", account(t))
                .arg("--service-principal", SERVICE_PRINCIPAL)
        }
        Op::DeregisterDelegatedAdministrator(t) => {
            Cli::new("organizations", "deregister-delegated-administrator")
                .arg("--account-id", account(t))
                .arg("--service-principal", SERVICE_PRINCIPAL)
        }
        Op::CreateInstance => {
            Cli::new("sso-admin", "create-instance").arg("--name", format!("idc-{c}"))
        }
        Op::DeleteInstance(i) => {
            let owner = match i {
                InstanceRef::Organization => Acct::MANAGEMENT,
                InstanceRef::Account(a) => a,
            };
            Cli::new("sso-admin", "delete-instance")
                .before(format!("owned_instance {}", var(owner)))
                .arg("--instance-arn", "\"$OWNED_INSTANCE\"")
        }
        op => return identities(c, op),
    };
    Command::Cli(cli)
}

/// The operations of IAM Identity Center, the Identity Store and Directory Service.
fn identities(c: Acct, op: Op) -> Command {
    let cli = match op {
        Op::CreatePermissionSet(p) => Cli::idc("sso-admin", "create-permission-set", c)
            .instance()
            .arg("--name", format!("idc-{p}"))
            .capture("PermissionSet.PermissionSetArn", ps_var(p)),
        Op::UpdatePermissionSet(p) => Cli::idc("sso-admin", "update-permission-set", c)
            .instance()
            .arg("--permission-set-arn", format!("\"${}\"", ps_var(p)))
            .arg("--description", "\"changed by idc\""),
        Op::DeletePermissionSet(p) => Cli::idc("sso-admin", "delete-permission-set", c)
            .instance()
            .arg("--permission-set-arn", format!("\"${}\"", ps_var(p))),
        Op::ProvisionPermissionSet {
            permission_set,
            target,
        } => Cli::idc("sso-admin", "provision-permission-set", c)
            .instance()
            .arg("--permission-set-arn", format!("\"${}\"", ps_var(permission_set)))
            .arg("--target-type", "AWS_ACCOUNT")
            .arg("--target-id", account(target)),
        Op::CreateAccountAssignment {
            target,
            permission_set,
            principal,
        } => assignment("create-account-assignment", c, target, permission_set, principal),
        Op::DeleteAccountAssignment {
            target,
            permission_set,
            principal,
        } => assignment("delete-account-assignment", c, target, permission_set, principal),
        Op::CreateUser(u) => Cli::idc("identitystore", "create-user", c)
            .store()
            .arg("--user-name", user_name(u))
            .arg("--display-name", user_name(u))
            .arg("--name", format!("GivenName=idc,FamilyName={u}"))
            .capture("UserId", format!("USER_{}", u.0 + 1)),
        Op::DeleteUser(u) => user(Cli::idc("identitystore", "delete-user", c), c, u),
        Op::UpdateUser(u) => user(Cli::idc("identitystore", "update-user", c), c, u).arg(
            "--operations",
            format!(
                "'[{{\"AttributePath\":\"displayName\",\"AttributeValue\":\"{} (changed by idc)\"}}]'",
                user_name(u)
            ),
        ),
        Op::CreateGroup(g) => Cli::idc("identitystore", "create-group", c)
            .store()
            .arg("--display-name", group_name(g))
            .capture("GroupId", format!("GROUP_{}", g.0 + 1)),
        Op::DeleteGroup(g) => group(Cli::idc("identitystore", "delete-group", c), c, g),
        Op::CreateGroupMembership(g, u) => {
            let cli = group(Cli::idc("identitystore", "create-group-membership", c), c, g);
            resolve_user(cli, c, u).arg("--member-id", format!("\"UserId=$USER_{}\"", u.0 + 1))
        }
        Op::DeleteGroupMembership(g, u) => {
            let cli = Cli::idc("identitystore", "delete-group-membership", c);
            let cli = resolve_user(cli.before(resolve(c, Principal::Group(g))), c, u);
            cli.before(format!("membership_of {} {} {}", var(c), g.0 + 1, u.0 + 1))
                .store()
                .arg("--membership-id", "\"$MEMBERSHIP\"")
        }
        op => return directory(c, op),
    };
    Command::Cli(cli)
}

fn resolve(c: Acct, p: Principal) -> String {
    match p {
        Principal::User(u) => format!("resolve_user {} {}", var(c), u.0 + 1),
        Principal::Group(g) => format!("resolve_group {} {}", var(c), g.0 + 1),
    }
}

fn resolve_user(cli: Cli, c: Acct, u: User) -> Cli {
    cli.before(resolve(c, Principal::User(u)))
}

fn user(cli: Cli, c: Acct, u: User) -> Cli {
    resolve_user(cli, c, u)
        .store()
        .arg("--user-id", format!("\"$USER_{}\"", u.0 + 1))
}

fn group(cli: Cli, c: Acct, g: Group) -> Cli {
    cli.before(resolve(c, Principal::Group(g)))
        .store()
        .arg("--group-id", format!("\"$GROUP_{}\"", g.0 + 1))
}

fn assignment(
    command: &'static str,
    c: Acct,
    target: Acct,
    p: PermissionSet,
    principal: Principal,
) -> Cli {
    let (kind, id) = match principal {
        Principal::User(u) => ("USER", format!("\"$USER_{}\"", u.0 + 1)),
        Principal::Group(g) => ("GROUP", format!("\"$GROUP_{}\"", g.0 + 1)),
    };
    Cli::idc("sso-admin", command, c)
        .before(resolve(c, principal))
        .instance()
        .arg("--target-id", account(target))
        .arg("--target-type", "AWS_ACCOUNT")
        .arg("--permission-set-arn", format!("\"${}\"", ps_var(p)))
        .arg("--principal-type", kind)
        .arg("--principal-id", id)
}

/// Directory Service and Directory Service Data: the caller's own directory.
fn directory(c: Acct, op: Op) -> Command {
    let dir = format!("\"$DIRECTORY_{}\"", var(c));
    let data = |command| Cli::new("ds-data", command).arg("--directory-id", dir.clone());
    let cli = match op {
        Op::CreateMicrosoftAd => Cli::new("ds", "create-microsoft-ad")
            .arg("--name", format!("idc-{c}.example.com"))
            .arg("--password", "\"$IDC_AD_PASSWORD\"")
            .arg("--edition", "Standard")
            .arg(
                "--vpc-settings",
                format!("\"VpcId=$VPC_{0},SubnetIds=$SUBNETS_{0}\"", var(c)),
            )
            .capture("DirectoryId", format!("DIRECTORY_{}", var(c))),
        Op::DirectoryCreateUser(u) => data("create-user").arg("--sam-account-name", user_name(u)),
        Op::DirectoryDeleteUser(u) => data("delete-user").arg("--sam-account-name", user_name(u)),
        Op::DirectoryCreateGroup(g) => {
            data("create-group").arg("--sam-account-name", group_name(g))
        }
        Op::DirectoryDeleteGroup(g) => {
            data("delete-group").arg("--sam-account-name", group_name(g))
        }
        Op::DirectoryAddGroupMember(g, u) => data("add-group-member")
            .arg("--group-name", group_name(g))
            .arg("--member-name", user_name(u)),
        Op::DirectoryRemoveGroupMember(g, u) => data("remove-group-member")
            .arg("--group-name", group_name(g))
            .arg("--member-name", user_name(u)),
        Op::DirectoryResetUserPassword(u) => Cli::new("ds", "reset-user-password")
            .arg("--directory-id", dir.clone())
            .arg("--user-name", user_name(u))
            .arg("--new-password", "\"$IDC_AD_PASSWORD\""),
        op => return Command::Manual(manual(c, op)),
    };
    Command::Cli(cli)
}

/// What to do by hand for a step with no public API.
fn manual(c: Acct, op: Op) -> String {
    let console = "in the IAM Identity Center console";
    match op {
        Op::CloseOwnAccount => format!(
            "sign in to {c} as its root user and close the account (Account settings, Close account)"
        ),
        Op::RemoveClosedAccount(t) => format!(
            "AWS: wait until {t}'s post-closure period (90 days) ends and AWS removes it from the organization"
        ),
        Op::ReinstateAccount(t) => {
            format!("AWS: ask AWS Support to reinstate the closed account {t}")
        }
        Op::EnableIdentityCenter => {
            format!("as {c}, {console}: Enable (the organization instance)")
        }
        Op::ChangeIdentitySource(s) => {
            let to = match s {
                IdentitySource::IdentityCenterDirectory => "Identity Center directory".into(),
                IdentitySource::ExternalIdp => "External identity provider".into(),
                IdentitySource::ActiveDirectory(a) => {
                    format!("Active Directory: the directory of {a} (idc-{a}.example.com)")
                }
            };
            format!("as {c}, {console}: Settings, Identity source, Actions, Change identity source: {to}")
        }
        Op::EnableConfigurableAdSync => {
            format!("as {c}, {console}: Settings, Identity source, Actions, Manage sync: set up configurable AD sync")
        }
        Op::PauseAdSync => format!("as {c}, {console}: Settings, Identity source, Manage sync, Pause sync"),
        Op::ResumeAdSync => format!("as {c}, {console}: Settings, Identity source, Manage sync, Resume sync"),
        Op::RemovePermissionSetFromAccount {
            permission_set,
            target,
        } => format!(
            "as {c}, {console}: AWS accounts, {target}, Permission sets: remove idc-{permission_set}"
        ),
        Op::ResetUserPassword(u) => {
            format!("as {c}, {console}: Users, {}, Reset password", user_name(u))
        }
        Op::EnableUserAccess(u) => {
            format!("as {c}, {console}: Users, {}, Enable user access", user_name(u))
        }
        Op::DisableUserAccess(u) => {
            format!("as {c}, {console}: Users, {}, Disable user access", user_name(u))
        }
        // INVARIANT: every other operation has a CLI command above.
        op => format!("as {c}: {op}"),
    }
}
