//! The organization slice: the state without its identity part, for properties that never
//! read that part (issue 22; the argument is in `docs/performance.md`, "The organization
//! slice").
//!
//! A state has an *organization part* (membership of the organization, closed and invited
//! accounts, trusted access, the instances, AD sync, the registry, the directories, the
//! identity source and who configured an external IdP) and an *identity part* (users and
//! their status, groups and memberships, permission sets, provisioning and account
//! assignments). A property that reads only the organization part
//! ([`PropertyInfo::reads_identities`] false) can be checked on states identified up to
//! their identity part ([`project`]) because, where [`applies`] says so, no call's outcome
//! on the organization part depends on the identity part:
//!
//! * the guards of every call that writes the organization part read only that part, or
//!   read the identity part only to meet an `either` decision whose other reading accepts
//!   the call with the same effect on the organization part (Q6 at a change of identity
//!   source by the delegate, met only while assignments target the management account);
//! * what such a call writes in the organization part is computed from that part alone;
//! * the ghost facts those properties read are computed from the organization part alone
//!   (`registry-changed-only-by-management`, `trusted-access-changed-only-by-management`),
//!   or, for `deregistration-preserves-assignments`, from what `DeregisterDelegatedAdministrator`
//!   writes in the identity part: nothing, in every state.
//!
//! So two states with the same organization part reach, call for call, the same
//! organization parts with the same such ghost facts (tested on every pair of reachable
//! states of small configurations, `model/tests/slice.rs`), and a breadth-first search
//! that explores one state per organization part finds each of them at the same depth as
//! the whole search, with a real trace to it.
//!
//! [`PropertyInfo::reads_identities`]: crate::PropertyInfo::reads_identities

use crate::assumptions::ManagementUserAccess;
use crate::config::Config;
use crate::rules::Rule;
use crate::state::State;

/// The state with its identity part cleared: users, their status, groups, memberships,
/// permission sets, provisioning and assignments.
#[inline]
pub fn project(s: &State) -> State {
    State {
        users: 0,
        disabled: 0,
        groups: 0,
        membership: Default::default(),
        permission_sets: 0,
        provisioned: Default::default(),
        assignments: [0; crate::state::ASSIGNMENT_SLOTS],
        ..s.clone()
    }
}

/// Whether the organization slice is sound under `cfg`: every configuration but one where
/// the delegate is refused, by IDC-2 and a pinned reading of Q6, a change of identity
/// source that would delete an assignment to the management account. There the change is
/// refused or accepted according to the assignments (the identity part), with no reading
/// that accepts it whatever they are.
pub fn applies(cfg: &Config) -> bool {
    let side_effects_refused = matches!(
        cfg.assumptions.management_user_access,
        ManagementUserAccess::AlsoSideEffects | ManagementUserAccess::AssignmentsAndStatus
    );
    !(cfg.enforces(Rule::Idc2) && side_effects_refused)
}
