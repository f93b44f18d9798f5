//! The assignments of a state and who reaches which account through them, for
//! [`StateView::of`](super::StateView::of).

use idc_model::access::{assigned_users, effective_access};
use idc_model::account::bits;
use idc_model::{Acct, Config, Group, PermissionSet, Principal, State, User};

use super::{AccessView, ThroughView};

/// Every account assignment of `s`: by permission set, account, then principal (users
/// first).
pub(super) fn assignment_cells(cfg: &Config, s: &State) -> Vec<(Principal, PermissionSet, Acct)> {
    let mut assignments = Vec::new();
    for ps in bits(s.permission_sets).map(PermissionSet) {
        for a in (0..cfg.accounts()).map(Acct) {
            let cell = s.assigned(ps, a);
            for u in bits(cell & 0x0f) {
                assignments.push((Principal::User(User(u)), ps, a));
            }
            for g in bits(cell >> 4) {
                assignments.push((Principal::Group(Group(g)), ps, a));
            }
        }
    }
    assignments
}

/// Every user assigned to an account of `s`, by user then account, with the
/// assignments (`assignments`, from [`assignment_cells`]) that reach it.
pub(super) fn access_of(
    cfg: &Config,
    s: &State,
    assignments: &[(Principal, PermissionSet, Acct)],
) -> Vec<AccessView> {
    let mut access = Vec::new();
    for u in bits(s.users).map(User) {
        for a in (0..cfg.accounts()).map(Acct) {
            if assigned_users(s, a) & u.bit() == 0 {
                continue;
            }
            let through = assignments
                .iter()
                .filter(|(p, _, target)| {
                    *target == a
                        && match p {
                            Principal::User(v) => *v == u,
                            Principal::Group(g) => s.membership[g.0 as usize] & u.bit() != 0,
                        }
                })
                .map(|(p, ps, _)| ThroughView {
                    permission_set: ps.to_string(),
                    principal: p.to_string(),
                })
                .collect();
            access.push(AccessView {
                user: u.to_string(),
                account: a.to_string(),
                effective: effective_access(s, a) & u.bit() != 0,
                through,
            });
        }
    }
    access
}
