//! A static independence relation between calls, for partial-order reduction (issue 22;
//! the argument is in `docs/performance.md`, "Partial-order reduction: the argument").
//!
//! Each call has a *footprint*: the parts of the state it may read (its guards, the
//! `either` decisions it may meet, the values it writes, and, when it may set a ghost
//! fact, what [`crate::step`](mod@crate::step)'s ghost computation reads) and the parts it may write. Two
//! calls are [`independent`] when neither writes what the other reads or writes: then,
//! from every state, each leaves the other's acceptance, branches and ghost facts as
//! they were, and both orders reach the same state but for the ghost facts of the last
//! step (tested exhaustively at 1 member, `model/tests/independence.rs`).
//!
//! The footprints were derived by reading each rule in `step/`; they are conservative:
//! where a rule reads "some account" (the AD directory's owner, the delegate, every
//! account's provisioning), the footprint reads every account. Nothing here is used by the
//! engine yet.

use crate::account::{Acct, MAX_ACCOUNTS};
use crate::call::{Call, InstanceRef, Op, Service};
use crate::config::Config;
use crate::rules::Rule;

/// A set of parts of the state (a bitset): per-account cells for account-indexed fields,
/// one cell for each other field.
pub type Cells = u128;

/// Per-account families: bit `family * 8 + account`.
const IN_ORG: u32 = 0; // in_org
const CLOSED: u32 = 1; // closed
const INVITED: u32 = 2; // invited
const DEL: u32 = 3; // delegates
const ACCI: u32 = 4; // account_instances
const DIR: u32 = 5; // directories
const PROV: u32 = 6; // provisioned[*] & account
const ASG: u32 = 7; // assignments[*][account]

/// `trusted_access`.
pub const TRUST: Cells = 1 << 64;
/// `instance`.
pub const INST: Cells = 1 << 65;
/// `ad_sync`, `ad_sync_paused`.
pub const SYNC: Cells = 1 << 66;
/// `source`, `idp_admins`.
pub const SRC: Cells = 1 << 67;
/// `users`, `disabled`, `groups`, `membership`.
pub const STORE: Cells = 1 << 68;
/// `permission_sets`.
pub const PSETS: Cells = 1 << 69;

// INVARIANT: every account of a state (not AWS) fits a family's 8 bits.
const _: () = assert!(MAX_ACCOUNTS <= 8);

/// An account's status: in the organization, closed (`is_active`, `in_org`).
const fn org(a: Acct) -> Cells {
    one(IN_ORG, a) | one(CLOSED, a)
}

/// Every account's status.
const ORG_ALL: Cells = all(IN_ORG) | all(CLOSED);

/// The cell of `family` for account `a`.
const fn one(family: u32, a: Acct) -> Cells {
    1 << (family * 8 + a.0 as u32)
}

/// Every account's cell of `family`.
const fn all(family: u32) -> Cells {
    0xff << (family * 8)
}

const M: Acct = Acct::MANAGEMENT;

/// What the properties read (`PROPERTIES`), ghost facts apart: every field but
/// `account_instances`, `directories` and `provisioned` (`no-assignment-to-inactive-account`
/// reads every account's assignments; `effective_access`, the users, groups, sets,
/// instance, trusted access, the source and every account's status;
/// `identity_controllers` the source, the IdP's configurer, the delegates, closed accounts).
// INVARIANT: each property of `PROPERTIES` reads either ghost facts only or no ghost fact,
// and no rule's guard or effect reads the ghost facts (only `ghost_facts` writes them): the
// argument in docs/performance.md treats the ghost facts apart on both counts.
pub const PROPERTY_READS: Cells =
    ORG_ALL | all(DEL) | all(ASG) | TRUST | INST | SYNC | SRC | STORE | PSETS;

/// What the ghost computation ([`crate::step`](mod@crate::step)'s `ghost_facts`) reads of the state before
/// and after a step by an account other than the management account, besides the call's
/// own footprint: `assigned_users` and `effective_access` of the management account (its
/// assignments, the users, groups and sets, the instance, trusted access, the source and
/// every account's status: the AD directory's owner may be any account), the sets
/// provisioned in the management account, and whether the caller is a delegate.
const GHOST_READS: Cells =
    one(ASG, M) | STORE | PSETS | INST | TRUST | ORG_ALL | SRC | one(PROV, M);

/// What a write may change that the ghost computation compares before and after (a step
/// by another account that writes none of these, nor administers the organization
/// instance or writes the directory's users, sets no ghost fact).
const GHOST_WATCHED: Cells = one(ASG, M) | STORE | PSETS | INST | TRUST | ORG_ALL | SRC | all(DEL);

/// A call's footprint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Footprint {
    /// What it may read (ghost computation included when it may set a ghost fact).
    pub reads: Cells,
    /// What its acceptance and branches may depend on: its reads but those of the ghost
    /// computation (which decides only the ghost facts of an accepted step). A call's
    /// acceptance changes only by a step that writes one of these.
    pub guard_reads: Cells,
    /// What it may write, ghost facts apart.
    pub writes: Cells,
    /// Whether, in some state, it may set a ghost fact.
    pub sets_ghost: bool,
}

/// `signed_in` (ORG-2): whether the caller is closed (AWS signs in nowhere).
fn signed_in(c: Acct) -> Cells {
    if c.is_aws() {
        0
    } else {
        one(CLOSED, c)
    }
}

/// `org_caller`: signed in (ORG-2) and in the organization (ORG-1).
fn org_caller(c: Acct) -> Cells {
    signed_in(c) | one(IN_ORG, c)
}

/// `admin`: signed in, in the organization (ORG-4), the management account or a delegate
/// (IDC-4), the instance exists.
fn admin(c: Acct) -> Cells {
    org_caller(c) | one(DEL, c) | INST
}

/// `account_departed`: the account's assignments and provisioning (Q5).
fn departed(a: Acct) -> Cells {
    one(ASG, a) | one(PROV, a)
}

/// Reads and writes of the rule alone (no ghost, no practice), by reading `step/`.
fn rule_footprint(c: Acct, op: Op) -> (Cells, Cells) {
    match op {
        // organizations.rs
        Op::InviteAccountToOrganization(t) => {
            (org_caller(c) | org(t) | one(INVITED, t), one(INVITED, t))
        }
        Op::AcceptHandshake => (
            signed_in(c) | one(INVITED, c),
            one(INVITED, c) | one(IN_ORG, c),
        ),
        // `depart`: out of the organization, the invitation dropped, Q5.
        Op::LeaveOrganization => (
            org_caller(c) | one(DEL, c) | departed(c),
            one(IN_ORG, c) | one(INVITED, c) | departed(c),
        ),
        Op::RemoveAccountFromOrganization(t) => (
            org_caller(c) | one(IN_ORG, t) | one(DEL, t) | departed(t),
            one(IN_ORG, t) | one(INVITED, t) | departed(t),
        ),
        Op::CloseAccount(t) => {
            // `close`: delegate_closing (Q7) may deregister t; the management account
            // closing clears every invitation.
            let invited = if t.is_management() {
                all(INVITED)
            } else {
                one(INVITED, t)
            };
            (
                org_caller(c) | org(t) | one(DEL, t) | departed(t),
                one(CLOSED, t) | invited | one(DEL, t) | departed(t),
            )
        }
        Op::CloseOwnAccount => {
            // ORG-2: the management account may close itself once it has no members.
            let (members, invited) = if c.is_management() {
                (all(IN_ORG), all(INVITED))
            } else {
                (0, one(INVITED, c))
            };
            (
                members | org(c) | one(DEL, c) | departed(c),
                one(CLOSED, c) | invited | one(DEL, c) | departed(c),
            )
        }
        Op::RemoveClosedAccount(t) => (
            org(t) | one(DEL, t) | departed(t),
            one(IN_ORG, t) | one(INVITED, t) | one(DEL, t) | departed(t),
        ),
        Op::ReinstateAccount(t) => (org(t), one(CLOSED, t)),
        // delegation.rs
        Op::EnableAwsServiceAccess => (org_caller(c), TRUST),
        Op::DisableAwsServiceAccess => (org_caller(c) | all(DEL), TRUST | all(DEL)),
        Op::RegisterDelegatedAdministrator(t) => (
            // DA-4, DA-5, DA-3, DA-6, DA-7, DA-9 (Q8), SRC-2 at registration (Q4, Q9:
            // the source's owner against the registry).
            org_caller(c) | TRUST | org(t) | all(DEL) | SRC | SYNC,
            one(DEL, t),
        ),
        Op::DeregisterDelegatedAdministrator(t) => {
            (org_caller(c) | one(IN_ORG, t) | all(DEL) | SRC, one(DEL, t))
        }
        _ => identity_footprint(c, op),
    }
}

/// Reads and writes of the rules of IAM Identity Center, the identity source and the
/// identity store (`identity_center.rs`, `identity_source.rs`, `identity_store.rs`).
fn identity_footprint(c: Acct, op: Op) -> (Cells, Cells) {
    let every_prov_asg = all(PROV) | all(ASG);
    match op {
        // identity_center.rs: instances
        Op::EnableIdentityCenter => (signed_in(c) | INST, INST | TRUST),
        Op::CreateInstance => (signed_in(c) | one(ACCI, c), one(ACCI, c)),
        Op::DeleteInstance(InstanceRef::Organization) => (
            signed_in(c) | INST,
            INST | STORE | all(ASG) | PSETS | all(PROV) | SRC | SYNC,
        ),
        Op::DeleteInstance(InstanceRef::Account(o)) => (signed_in(c) | one(ACCI, o), one(ACCI, o)),
        // identity_source.rs
        Op::ChangeIdentitySource(_) => (
            admin(c) | SRC | SYNC | all(DIR) | all(DEL) | ORG_ALL | STORE | every_prov_asg,
            SRC | SYNC | STORE | every_prov_asg,
        ),
        Op::EnableConfigurableAdSync | Op::PauseAdSync | Op::ResumeAdSync => {
            (admin(c) | SRC | SYNC, SYNC)
        }
        Op::CreateMicrosoftAd => (signed_in(c) | one(DIR, c), one(DIR, c)),
        // identity_center.rs: permission sets, provisioning, assignments
        Op::CreatePermissionSet(_) => (admin(c) | PSETS, PSETS),
        Op::UpdatePermissionSet(_) => (admin(c) | PSETS | one(PROV, M), 0),
        Op::DeletePermissionSet(_) => (
            admin(c) | PSETS | all(PROV) | one(ASG, M),
            PSETS | every_prov_asg,
        ),
        Op::ProvisionPermissionSet { target, .. } => (
            // ORG-4, IDC-2, IDC-10, IDC-7 (sets only for management: every account).
            admin(c) | org(target) | PSETS | all(PROV) | TRUST,
            one(PROV, target),
        ),
        Op::RemovePermissionSetFromAccount { target, .. } => (
            admin(c) | PSETS | one(PROV, M) | one(PROV, target),
            one(PROV, target) | one(ASG, target),
        ),
        Op::CreateAccountAssignment { target, .. } => (
            admin(c) | org(target) | PSETS | STORE | all(PROV) | TRUST | one(ASG, target),
            one(ASG, target) | one(PROV, target),
        ),
        Op::DeleteAccountAssignment { target, .. } => (
            // Q6 (IDC-2), Q3 (deprovisioning an emptied cell: only the target's).
            admin(c) | PSETS | STORE | one(PROV, M) | one(ASG, target) | one(PROV, target),
            one(ASG, target) | one(PROV, target),
        ),
        // identity_store.rs
        Op::CreateUser(_) | Op::CreateGroup(_) | Op::UpdateUser(_) => {
            let w = if matches!(op, Op::UpdateUser(_)) {
                0
            } else {
                STORE
            };
            (admin(c) | SRC | STORE, w)
        }
        Op::CreateGroupMembership { .. } | Op::DeleteGroupMembership { .. } => {
            (admin(c) | SRC | STORE, STORE)
        }
        Op::DeleteUser(_) | Op::DeleteGroup(_) => (
            // Q6 side effects; the principal's assignments everywhere; Q3.
            admin(c) | SRC | STORE | every_prov_asg,
            STORE | every_prov_asg,
        ),
        Op::ResetUserPassword(_) => (admin(c) | SRC | STORE, 0),
        Op::EnableUserAccess(_) | Op::DisableUserAccess(_) => (
            // Q6 (user status of a user assigned to the management account).
            admin(c) | SRC | STORE | PSETS | all(ASG),
            STORE,
        ),
        Op::DirectoryCreateUser(_)
        | Op::DirectoryCreateGroup(_)
        | Op::DirectoryAddGroupMember { .. }
        | Op::DirectoryRemoveGroupMember { .. } => {
            (signed_in(c) | one(DIR, c) | SRC | STORE, STORE)
        }
        Op::DirectoryDeleteUser(_) | Op::DirectoryDeleteGroup(_) => (
            signed_in(c) | one(DIR, c) | SRC | STORE | every_prov_asg,
            STORE | every_prov_asg,
        ),
        Op::DirectoryResetUserPassword(_) => (signed_in(c) | one(DIR, c) | SRC | STORE, 0),
        // organizations.rs and delegation.rs: `rule_footprint`.
        _ => (Cells::MAX, Cells::MAX),
    }
}

/// The account a step is attributed to by the ghost facts.
fn actor(call: Call) -> Acct {
    match call.op {
        Op::ReinstateAccount(t) => t,
        _ => call.caller,
    }
}

/// The footprint of a call.
pub fn footprint(call: Call) -> Footprint {
    let c = call.caller;
    let (mut reads, writes) = rule_footprint(c, call.op);
    let reached = one(ASG, M) | STORE | PSETS;
    if c.is_management() && writes & reached != 0 {
        // IDC-7 (least privilege): the users reaching the management account before and
        // after; unchanged, and the practice refuses nothing, unless the call writes them.
        reads |= reached;
    }
    let op = call.op;
    let sets_ghost = matches!(op, Op::DeregisterDelegatedAdministrator(_))
        || !actor(call).is_management()
            && (matches!(
                op,
                Op::CreateAccountAssignment { .. } | Op::UpdatePermissionSet(_)
            ) || op.administers_organization_instance() && writes != 0
                || op.service() == Service::DirectoryService && writes & STORE != 0
                || writes & GHOST_WATCHED != 0);
    let guard_reads = reads;
    if sets_ghost {
        reads |= GHOST_READS | one(DEL, c);
    }
    Footprint {
        reads,
        guard_reads,
        writes,
        sets_ghost,
    }
}

/// Whether two calls are independent: different calls, neither writing what the other
/// reads or writes. The ghost facts are not a cell: a call that may set one reads what
/// their computation reads (so the other call can't change which it sets), and the facts
/// of the last step differ between the two orders by design (see the argument).
pub fn independent(a: Call, b: Call) -> bool {
    if a == b {
        return false;
    }
    let (fa, fb) = (footprint(a), footprint(b));
    fa.writes & (fb.reads | fb.writes) == 0 && fb.writes & (fa.reads | fa.writes) == 0
}

/// Whether a call may change the value of some property: it may set a ghost fact, or it
/// may write what a property reads. An invisible call, from any state, leaves every
/// property's value as it is with the ghost facts cleared.
pub fn visible(call: Call) -> bool {
    let f = footprint(call);
    f.sets_ghost || f.writes & PROPERTY_READS != 0
}

/// Whether no state accepts the call (its rules refuse it whatever the state): such a call
/// has no transition, so it neither enables nor disables anything and can be left out of
/// the relation. Only facts the rules state outright, under the rules `cfg` enforces.
pub fn never_accepted(cfg: &Config, call: Call) -> bool {
    let c = call.caller;
    let member_caller = !c.is_management();
    let org2 = cfg.enforces(Rule::Org2);
    match call.op {
        // The environment's check: AWS never removes the management account.
        Op::RemoveClosedAccount(t) => t.is_management(),
        // ORG-2: only the management account manages membership, and it never leaves,
        // is never removed, closed by CloseAccount, or invited (INVARIANT: it is in the
        // organization while ORG-2 is enforced, `State::in_org`).
        Op::InviteAccountToOrganization(t) => org2 && (member_caller || t.is_management()),
        Op::RemoveAccountFromOrganization(t) | Op::CloseAccount(t) => {
            org2 && (member_caller || t.is_management())
        }
        Op::LeaveOrganization => org2 && c.is_management(),
        // ORG-5, DA-1, DA-2: trusted access and the registry are the management account's.
        Op::EnableAwsServiceAccess | Op::DisableAwsServiceAccess => {
            cfg.enforces(Rule::Org5) && member_caller
        }
        Op::RegisterDelegatedAdministrator(t) => {
            cfg.enforces(Rule::Da1) && member_caller || cfg.enforces(Rule::Da2) && t.is_management()
        }
        Op::DeregisterDelegatedAdministrator(_) => cfg.enforces(Rule::Da1) && member_caller,
        // IDC-1, IDC-1a: the organization instance is the management account's, an account
        // instance its owner's, and the management account has no account instance.
        Op::EnableIdentityCenter | Op::DeleteInstance(InstanceRef::Organization) => {
            cfg.enforces(Rule::Idc1) && member_caller
        }
        Op::CreateInstance => cfg.enforces(Rule::Idc1a) && c.is_management(),
        Op::DeleteInstance(InstanceRef::Account(o)) => cfg.enforces(Rule::Idc1a) && o != c,
        _ => false,
    }
}
