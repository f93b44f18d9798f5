//! One state of the model in domain words: which accounts are in the organization, who is
//! the delegated administrator, where IAM Identity Center and the identity source live,
//! the identities, permission sets and assignments, and who reaches which account through
//! which assignment. Only names (`management`, `member-1`, `user-1`, `group-1`, `ps-1`),
//! never the model's bitsets; every list in a fixed order (accounts, then users, groups
//! and permission sets by number). `idc state` prints it; its JSON Schema is
//! `docs/schema/state.schema.json` (`$defs/state`).

use serde::{Deserialize, Serialize};

use idc_model::access::identity_controllers;
use idc_model::account::bits;
use idc_model::echo::echo;
use idc_model::{Acct, Config, Group, IdentitySource, PermissionSet, Principal, State, User};

mod access;

use access::{access_of, assignment_cells};

/// An account's standing with the organization. The model keeps three facts per account
/// (in the organization, closed, invited); these are the combinations reachable states
/// have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AccountStatus {
    /// In the organization and open.
    Active,
    /// Closed, still in the organization (AWS's SUSPENDED, ORG-2).
    Suspended,
    /// Not in the organization, with a pending invitation (handshake) from it.
    Invited,
    /// Not in the organization and open: it left or was removed (the model does not tell
    /// the two apart), with no pending invitation.
    Outside,
    /// Closed and not in the organization: closed after it left or was removed, or removed
    /// while suspended.
    Closed,
}

impl AccountStatus {
    /// The status of an account in a state.
    pub fn of(s: &State, a: Acct) -> AccountStatus {
        match (s.in_org(a), s.is_closed(a)) {
            (true, false) => AccountStatus::Active,
            (true, true) => AccountStatus::Suspended,
            (false, true) => AccountStatus::Closed,
            (false, false) if s.invited & a.bit() != 0 => AccountStatus::Invited,
            (false, false) => AccountStatus::Outside,
        }
    }

    /// The name, as in JSON (`ACTIVE`, `SUSPENDED`, `INVITED`, `OUTSIDE`, `CLOSED`).
    pub fn name(self) -> &'static str {
        match self {
            AccountStatus::Active => "ACTIVE",
            AccountStatus::Suspended => "SUSPENDED",
            AccountStatus::Invited => "INVITED",
            AccountStatus::Outside => "OUTSIDE",
            AccountStatus::Closed => "CLOSED",
        }
    }
}

/// An account of the configuration and its status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountView {
    /// `management`, `member-N`.
    pub account: String,
    /// Its standing with the organization.
    pub status: AccountStatus,
}

/// AWS Organizations: every account of the configuration, and trusted access.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationView {
    /// Every account of the configuration, the management account first.
    pub accounts: Vec<AccountView>,
    /// Trusted access for `sso.amazonaws.com` is enabled (ORG-5).
    pub trusted_access: bool,
}

/// The delegated-administrator registry of AWS Organizations for `sso.amazonaws.com`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistryView {
    /// The registered delegated administrators (a set: more than one means DA-7 failed).
    pub delegated_administrators: Vec<String>,
}

/// The instances of IAM Identity Center.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityCenterView {
    /// The account that owns the organization instance, if one exists (IDC-1).
    pub instance: Option<String>,
    /// The accounts that own an account instance (IDC-1a).
    pub account_instances: Vec<String>,
}

/// The identity source and the directories that could become one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentitySourceView {
    /// The source, as the CLI and trace files name it: `identity-center-directory`,
    /// `external-idp` or `active-directory:<account>` (SRC-1).
    pub source: String,
    /// With Active Directory as the source: the account that owns the directory.
    pub owner: Option<String>,
    /// Configurable AD sync is on (DA-9).
    pub ad_sync: bool,
    /// Configurable AD sync is paused (it stays configured).
    pub ad_sync_paused: bool,
    /// With an external IdP as the source: the account that configured it.
    pub idp_configured_by: Option<String>,
    /// The accounts that own an AD directory (Directory Service).
    pub directories: Vec<String>,
    /// The accounts that control the identities outside IAM Identity Center's assignment
    /// rules (SRC-6, `access::identity_controllers`), none closed: the directory's owner;
    /// with the Identity Center directory the instance's owner and the delegate; with an
    /// external IdP the account that configured it.
    pub identities_controlled_by: Vec<String>,
}

/// A group and its members.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupView {
    /// `group-N`.
    pub group: String,
    /// Its members (`user-N`).
    pub members: Vec<String>,
}

/// The users and groups of the identity store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentitiesView {
    /// The users that exist.
    pub users: Vec<String>,
    /// The users whose status is DISABLED (they can't sign in).
    pub disabled_users: Vec<String>,
    /// The groups that exist, with their members.
    pub groups: Vec<GroupView>,
}

/// A permission set that exists and where it is provisioned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermissionSetView {
    /// `ps-N`.
    pub permission_set: String,
    /// The accounts it is provisioned in (IDC-8): where its role exists.
    pub provisioned_in: Vec<String>,
}

/// An account assignment (IDC-6).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AssignmentView {
    /// `user-N` or `group-N`.
    pub principal: String,
    /// `ps-N`.
    pub permission_set: String,
    /// The target account.
    pub account: String,
}

/// An assignment through which a user reaches an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThroughView {
    /// `ps-N`.
    pub permission_set: String,
    /// The principal assigned: the user itself or a group it is a member of.
    pub principal: String,
}

/// A user assigned to an account, directly or through a group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccessView {
    /// `user-N`.
    pub user: String,
    /// The account.
    pub account: String,
    /// Whether the user can sign in to the account now (`access::effective_access`): the
    /// organization instance exists, trusted access is on, the account is ACTIVE and, with
    /// Active Directory as the source, the directory's owner is ACTIVE.
    pub effective: bool,
    /// The assignments that give the access.
    pub through: Vec<ThroughView>,
}

/// One state of the model, in domain words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateView {
    /// AWS Organizations.
    pub organization: OrganizationView,
    /// The delegated administrators for `sso.amazonaws.com`.
    pub registry: RegistryView,
    /// IAM Identity Center's instances.
    pub identity_center: IdentityCenterView,
    /// The identity source.
    pub identity_source: IdentitySourceView,
    /// Users and groups.
    pub identities: IdentitiesView,
    /// The permission sets that exist.
    pub permission_sets: Vec<PermissionSetView>,
    /// Every account assignment, by permission set, account, then principal (users first).
    pub assignments: Vec<AssignmentView>,
    /// Every user assigned to an account, by user then account.
    pub access: Vec<AccessView>,
}

/// Why a [`StateView`] is not a state of a configuration.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StateViewError {
    /// A name is not one of the configuration.
    #[error("{section}: '{}' is not {what} of the configuration", echo(.name))]
    UnknownName {
        /// Where the name is.
        section: &'static str,
        /// What it should name (`an account`, `a user`, …).
        what: &'static str,
        /// The name.
        name: String,
    },
    /// The identity source is not one the CLI names.
    #[error("identity_source: '{}' is not an identity source", echo(.0))]
    UnknownSource(String),
    /// The section disagrees with the state the rest of the view describes: an account
    /// missing or listed twice, a list out of order, or a derived fact (`owner`,
    /// `identities_controlled_by`, `access`) that does not follow.
    #[error("{0}: not what the model describes for this state")]
    Inconsistent(&'static str),
}

fn accounts(cfg: &Config, set: u8) -> Vec<String> {
    bits(set & cfg.all_accounts())
        .map(|a| Acct(a).to_string())
        .collect()
}

impl StateView {
    /// Describes a state of the configuration.
    pub fn of(cfg: &Config, s: &State) -> StateView {
        // Every field, by name: a field added to `State` fails to compile here until the
        // view shows it (ghost facts describe the step, not the organization).
        let State {
            in_org: _,
            closed: _,
            invited: _, // organization (AccountStatus)
            trusted_access: _,
            delegates: _,
            instance: _,
            account_instances: _,
            source: _,
            idp_admins: _,
            ad_sync: _,
            ad_sync_paused: _,
            directories: _,
            users: _,
            disabled: _,
            groups: _,
            membership: _,
            permission_sets: _,
            provisioned: _,
            assignments: _, // assignments and access
            ghost: _,
        } = s;
        let all = || (0..cfg.accounts()).map(Acct);
        let users =
            |set: u8| -> Vec<String> { bits(set & s.users).map(|u| User(u).to_string()).collect() };
        let owner = match s.source {
            IdentitySource::ActiveDirectory(a) => Some(a.to_string()),
            _ => None,
        };
        let assignments = assignment_cells(cfg, s);
        let access = access_of(cfg, s, &assignments);
        StateView {
            organization: OrganizationView {
                accounts: all()
                    .map(|a| AccountView {
                        account: a.to_string(),
                        status: AccountStatus::of(s, a),
                    })
                    .collect(),
                trusted_access: s.trusted_access,
            },
            registry: RegistryView {
                delegated_administrators: accounts(cfg, s.delegates),
            },
            identity_center: IdentityCenterView {
                instance: s.instance.map(|a| a.to_string()),
                account_instances: accounts(cfg, s.account_instances),
            },
            identity_source: IdentitySourceView {
                source: s.source.to_string(),
                owner,
                ad_sync: s.ad_sync,
                ad_sync_paused: s.ad_sync_paused,
                idp_configured_by: bits(s.idp_admins).next().map(|a| Acct(a).to_string()),
                directories: accounts(cfg, s.directories),
                identities_controlled_by: accounts(cfg, identity_controllers(s)),
            },
            identities: IdentitiesView {
                users: users(s.users),
                disabled_users: users(s.disabled),
                groups: bits(s.groups)
                    .map(|g| GroupView {
                        group: Group(g).to_string(),
                        members: users(s.membership[g as usize]),
                    })
                    .collect(),
            },
            permission_sets: bits(s.permission_sets)
                .map(|ps| PermissionSetView {
                    permission_set: PermissionSet(ps).to_string(),
                    provisioned_in: accounts(cfg, s.provisioned[ps as usize]),
                })
                .collect(),
            assignments: assignments
                .iter()
                .map(|(p, ps, a)| AssignmentView {
                    principal: p.to_string(),
                    permission_set: ps.to_string(),
                    account: a.to_string(),
                })
                .collect(),
            access,
        }
    }

    /// The state the view describes (its ghost facts, which are about the step that led
    /// there, cleared): the inverse of [`StateView::of`]. The view must be exactly what
    /// [`StateView::of`] gives for that state: every account listed once and in order,
    /// every list in order, the derived facts (`owner`, `identities_controlled_by`,
    /// `access`) as they follow from the rest.
    pub fn to_state(&self, cfg: &Config) -> Result<State, StateViewError> {
        let names = Names { cfg };
        let mut s = State::initial(cfg);
        s.in_org = 0;
        for a in &self.organization.accounts {
            let acct = names.account("organization", &a.account)?;
            match a.status {
                AccountStatus::Active => s.in_org |= acct.bit(),
                AccountStatus::Suspended => {
                    s.in_org |= acct.bit();
                    s.closed |= acct.bit();
                }
                AccountStatus::Invited => s.invited |= acct.bit(),
                AccountStatus::Outside => {}
                AccountStatus::Closed => s.closed |= acct.bit(),
            }
        }
        s.trusted_access = self.organization.trusted_access;
        s.delegates = names.accounts("registry", &self.registry.delegated_administrators)?;
        s.instance = match &self.identity_center.instance {
            Some(a) => Some(names.account("identity_center", a)?),
            None => None,
        };
        s.account_instances =
            names.accounts("identity_center", &self.identity_center.account_instances)?;
        let src = &self.identity_source;
        s.source = IdentitySource::parse(&src.source)
            .ok_or_else(|| StateViewError::UnknownSource(src.source.clone()))?;
        if let IdentitySource::ActiveDirectory(a) = s.source {
            names.account("identity_source", &a.to_string())?;
        }
        s.ad_sync = src.ad_sync;
        s.ad_sync_paused = src.ad_sync_paused;
        if let Some(a) = &src.idp_configured_by {
            s.idp_admins = names.account("identity_source", a)?.bit();
        }
        s.directories = names.accounts("identity_source", &src.directories)?;
        for u in &self.identities.users {
            s.users |= names.user("identities", u)?.bit();
        }
        for u in &self.identities.disabled_users {
            s.disabled |= names.user("identities", u)?.bit();
        }
        for g in &self.identities.groups {
            let group = names.group("identities", &g.group)?;
            s.groups |= group.bit();
            for u in &g.members {
                s.membership[group.0 as usize] |= names.user("identities", u)?.bit();
            }
        }
        for p in &self.permission_sets {
            let ps = names.permission_set("permission_sets", &p.permission_set)?;
            s.permission_sets |= ps.bit();
            s.provisioned[ps.0 as usize] |= names.accounts("permission_sets", &p.provisioned_in)?;
        }
        for a in &self.assignments {
            let principal = Principal::parse(&a.principal)
                .filter(|p| match p {
                    Principal::User(u) => u.0 < cfg.users,
                    Principal::Group(g) => g.0 < cfg.groups,
                })
                .ok_or_else(|| StateViewError::UnknownName {
                    section: "assignments",
                    what: "a user or group",
                    name: a.principal.clone(),
                })?;
            let ps = names.permission_set("assignments", &a.permission_set)?;
            let target = names.account("assignments", &a.account)?;
            *s.assigned_mut(ps, target) |= principal.bit();
        }
        let back = StateView::of(cfg, &s);
        let sections = [
            ("organization", back.organization == self.organization),
            ("registry", back.registry == self.registry),
            (
                "identity_center",
                back.identity_center == self.identity_center,
            ),
            (
                "identity_source",
                back.identity_source == self.identity_source,
            ),
            ("identities", back.identities == self.identities),
            (
                "permission_sets",
                back.permission_sets == self.permission_sets,
            ),
            ("assignments", back.assignments == self.assignments),
            ("access", back.access == self.access),
        ];
        match sections.iter().find(|(_, same)| !same) {
            Some((section, _)) => Err(StateViewError::Inconsistent(section)),
            None => Ok(s),
        }
    }
}

/// Parses the names of a configuration's accounts and identities.
struct Names<'a> {
    cfg: &'a Config,
}

impl Names<'_> {
    fn unknown(section: &'static str, what: &'static str, name: &str) -> StateViewError {
        StateViewError::UnknownName {
            section,
            what,
            name: name.to_string(),
        }
    }

    fn account(&self, section: &'static str, name: &str) -> Result<Acct, StateViewError> {
        Acct::parse(name)
            .filter(|a| a.0 < self.cfg.accounts())
            .ok_or_else(|| Self::unknown(section, "an account", name))
    }

    fn accounts(&self, section: &'static str, names: &[String]) -> Result<u8, StateViewError> {
        names
            .iter()
            .try_fold(0, |set, n| Ok(set | self.account(section, n)?.bit()))
    }

    fn user(&self, section: &'static str, name: &str) -> Result<User, StateViewError> {
        User::parse(name)
            .filter(|u| u.0 < self.cfg.users)
            .ok_or_else(|| Self::unknown(section, "a user", name))
    }

    fn group(&self, section: &'static str, name: &str) -> Result<Group, StateViewError> {
        Group::parse(name)
            .filter(|g| g.0 < self.cfg.groups)
            .ok_or_else(|| Self::unknown(section, "a group", name))
    }

    fn permission_set(
        &self,
        section: &'static str,
        name: &str,
    ) -> Result<PermissionSet, StateViewError> {
        PermissionSet::parse(name)
            .filter(|p| p.0 < self.cfg.permission_sets)
            .ok_or_else(|| Self::unknown(section, "a permission set", name))
    }
}

/// The JSON Schema validator of the end-to-end tests, for the schema check below.
#[cfg(test)]
#[path = "../../../tests/common/schema.rs"]
mod schema;

#[cfg(test)]
pub(crate) mod tests {
    use super::schema::Schemas;
    use super::*;
    use crate::engine::run::advance;
    use idc_model::calls::all_calls;
    use idc_model::{Call, IdcModel, Op};
    use proptest::prelude::*;

    fn as_management(cfg: Config, calls: &[Op]) -> State {
        let model = IdcModel::new(cfg).unwrap();
        let mut s = model.initial();
        for &op in calls {
            let call = Call {
                caller: Acct::MANAGEMENT,
                op,
            };
            let mut first = None;
            model.outcomes(&s, call, |_, o| {
                first.get_or_insert(o);
            });
            advance(&mut s, &first.unwrap());
        }
        s
    }

    #[test]
    fn the_initial_state_in_words() {
        let cfg = Config::default();
        let v = StateView::of(&cfg, &State::initial(&cfg));
        let json = serde_json::to_value(&v).unwrap();
        assert_eq!(
            json["organization"]["accounts"],
            serde_json::json!([
                {"account": "management", "status": "ACTIVE"},
                {"account": "member-1", "status": "ACTIVE"},
                {"account": "member-2", "status": "ACTIVE"},
            ])
        );
        assert_eq!(json["identity_center"]["instance"], serde_json::Value::Null);
        assert_eq!(
            json["identity_source"]["source"],
            "identity-center-directory"
        );
        assert!(v.access.is_empty() && v.assignments.is_empty());
    }

    #[test]
    fn a_group_assignment_gives_its_members_access() {
        let cfg = Config::default();
        let s = as_management(
            cfg,
            &[
                Op::EnableIdentityCenter,
                Op::CreatePermissionSet(PermissionSet(0)),
                Op::CreateUser(User(0)),
                Op::CreateGroup(Group(0)),
                Op::CreateGroupMembership(Group(0), User(0)),
                Op::CreateAccountAssignment {
                    target: Acct(1),
                    permission_set: PermissionSet(0),
                    principal: Principal::Group(Group(0)),
                },
            ],
        );
        let v = StateView::of(&cfg, &s);
        assert_eq!(
            v.access,
            vec![AccessView {
                user: "user-1".into(),
                account: "member-1".into(),
                effective: s.trusted_access,
                through: vec![ThroughView {
                    permission_set: "ps-1".into(),
                    principal: "group-1".into()
                }],
            }]
        );
        assert_eq!(v.permission_sets[0].provisioned_in, vec!["member-1"]);
        assert_eq!(v.to_state(&cfg), Ok(State { ghost: 0, ..s }));
    }

    #[test]
    fn a_view_that_does_not_describe_a_state_is_refused() {
        let cfg = Config::default();
        let mut v = StateView::of(&cfg, &State::initial(&cfg));
        v.identity_source.identities_controlled_by = vec!["member-1".into()];
        assert_eq!(
            v.to_state(&cfg),
            Err(StateViewError::Inconsistent("identity_source"))
        );
        let mut v = StateView::of(&cfg, &State::initial(&cfg));
        v.registry.delegated_administrators = vec!["member-3".into()];
        assert_eq!(
            v.to_state(&cfg).unwrap_err().to_string(),
            "registry: 'member-3' is not an account of the configuration"
        );
        let mut v = StateView::of(&cfg, &State::initial(&cfg));
        v.organization.accounts.pop();
        assert_eq!(
            v.to_state(&cfg),
            Err(StateViewError::Inconsistent("organization"))
        );
        let text = r#"{"organization": {"accounts": [], "trusted_access": false, "extra": 1}}"#;
        assert!(serde_json::from_str::<StateView>(text).is_err());
        // The schema says the same.
        let mut json = serde_json::to_value(StateView::of(&cfg, &State::initial(&cfg))).unwrap();
        assert!(state_errors(&json).is_empty());
        json["organization"]["accounts"][1]["status"] = "GONE".into();
        assert!(!state_errors(&json).is_empty());
        json["organization"]["accounts"][1]["status"] = "OUTSIDE".into();
        json["registry"]["bitset"] = 3.into();
        assert!(!state_errors(&json).is_empty());
    }

    /// The states of a walk from the initial state of `cfg` that takes, at each step, the
    /// successful outcome a pick points at among every call's every branch (refusals only
    /// clear the ghost facts, which views leave out).
    pub(crate) fn walk(cfg: Config, picks: &[prop::sample::Index]) -> Vec<State> {
        let model = IdcModel::new(cfg).unwrap();
        let universe = all_calls(&cfg);
        let mut s = model.initial();
        let mut states = vec![s.clone()];
        for pick in picks {
            let mut next = Vec::new();
            for &call in &universe {
                model.outcomes(&s, call, |_, o| {
                    if let Ok(n) = o {
                        next.push(n);
                    }
                });
            }
            if next.is_empty() {
                break;
            }
            s = next.swap_remove(pick.index(next.len()));
            states.push(s.clone());
        }
        states
    }

    /// What makes `json` not a state of `$defs/state` of `docs/schema/state.schema.json`.
    fn state_errors(json: &serde_json::Value) -> Vec<String> {
        static SCHEMAS: std::sync::OnceLock<Schemas> = std::sync::OnceLock::new();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/schema");
        SCHEMAS
            .get_or_init(|| Schemas::load(&dir))
            .errors("state.schema.json#/$defs/state", json)
    }

    proptest! {
        /// Every state a random walk reaches is described completely: the view gives the
        /// state back, through JSON too, and fits its JSON Schema.
        #[test]
        fn the_view_of_a_reachable_state_gives_it_back(
            members in 1u8..=3,
            users in 1u8..=2,
            groups in 1u8..=2,
            picks in prop::collection::vec(any::<prop::sample::Index>(), 0..40),
        ) {
            let cfg = Config { members, users, groups, permission_sets: 2, ..Config::default() };
            for s in walk(cfg, &picks) {
                let v = StateView::of(&cfg, &s);
                let text = serde_json::to_string(&v).unwrap();
                let back: StateView = serde_json::from_str(&text).unwrap();
                prop_assert_eq!(&back, &v);
                prop_assert_eq!(back.to_state(&cfg), Ok(State { ghost: 0, ..s }));
                let json = serde_json::to_value(&v).unwrap();
                let errors = state_errors(&json);
                prop_assert!(errors.is_empty(), "{:#?}", errors);
            }
        }
    }
}
