//! The ghost facts `step` sets for the properties (`model/src/step/mod.rs`).

use crate::common::*;

// ------------------------------------------------------------------------------- ghosts

// Ghost bits: the management account's own calls set none.
#[test]
fn ghost_management_calls_set_no_ghost_bit() {
    let cfg = cfg();
    let calls = [
        with_delegate(A),
        identities(),
        mgmt(&[
            Op::CreateGroupMembership(G0, U0),
            assign(M, P0, group(G0)),
            Op::CreateGroupMembership(G0, U1),
            assign(B, P1, user(U0)),
            Op::UpdatePermissionSet(P0),
            Op::DeleteGroupMembership(G0, U1),
            Op::DeleteUser(U0),
            provision(P1, C),
            // IDC-9: the set is removed from the accounts that use it before it is deleted.
            remove_from(P0, M),
            Op::DeletePermissionSet(P0),
            Op::ChangeIdentitySource(EXT),
            ORG_INSTANCE,
        ]),
    ]
    .concat();
    let mut s = State::initial(&cfg);
    for call in calls {
        s = ok(&cfg, &s, call);
        assert_eq!(s.ghost, 0, "after `{call}`");
    }
}

// Ghost bits: a member leaving deprovisions as a side effect, which is not administration,
// so DELEGATE_ALTERED_MANAGEMENT_PERMISSION_SET stays clear.
#[test]
fn ghost_member_leaving_sets_no_ghost_bit() {
    let cfg = cfg();
    let s = run(
        &cfg,
        &[
            instance(),
            identities(),
            mgmt(&[assign(M, P0, user(U0)), assign(A, P0, user(U0))]),
        ]
        .concat(),
    );
    let next = ok(&cfg, &s, c(A, Op::LeaveOrganization));
    assert_eq!(
        next.provisioned[0],
        M.bit(),
        "Q5: deprovisioned from member-1"
    );
    assert_eq!(next.ghost, 0);
}

// Ghost bits: each is set by the step that did it, and cleared by the next step.
#[test]
fn ghost_bits_set_by_the_step_that_did_it_and_cleared_by_the_next() {
    let cfg = cfg();
    let s = run(&cfg, &management_access());
    let granted = ok(&cfg, &s, c(A, Op::CreateGroupMembership(G0, U0)));
    // user-1 already reaches the management account directly: no change.
    assert_eq!(granted.ghost, 0);
    let granted = ok(&cfg, &s, c(A, Op::CreateGroupMembership(G1, U0)));
    assert_eq!(
        granted.ghost, 0,
        "group-2 grants nothing in the management account"
    );
    let removed = ok(&cfg, &s, c(A, Op::DeleteGroupMembership(G0, U1)));
    assert_eq!(removed.ghost, ghost::MANAGEMENT_ACCESS_CHANGED_BY_OTHER);
    let cleared = ok(&cfg, &removed, c(M, Op::CreateGroupMembership(G1, U1)));
    assert_eq!(cleared.ghost, 0);
    let cleared = ok(&cfg, &removed, c(A, Op::UpdatePermissionSet(P1)));
    assert_eq!(cleared.ghost, 0);
    let in_member = ok(&cfg, &removed, c(A, assign(C, P1, user(U0))));
    assert_eq!(in_member.ghost, ghost::DELEGATE_ASSIGNED_IN_MEMBER);
    let in_member_again = ok(&cfg, &in_member, c(A, assign(C, P1, user(U1))));
    assert_eq!(in_member_again.ghost, ghost::DELEGATE_ASSIGNED_IN_MEMBER);
    let deregistered = ok(
        &cfg,
        &in_member,
        c(M, Op::DeregisterDelegatedAdministrator(A)),
    );
    assert_eq!(deregistered.ghost, 0);
}

// ===================================================================== rules new in v2
