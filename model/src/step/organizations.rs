//! AWS Organizations: who is in the organization. Invitations, leaving, removal and
//! closure (ORG-1, ORG-2, ORG-3, ORG-6). What a departure does to the registry and to IAM
//! Identity Center is asked of the modules that own them ([`super::delegation`],
//! [`super::identity_center`]).

use super::{api, guard, management_only, org_caller, refuse, refuse_constraint, signed_in};
use crate::account::Acct;
use crate::assumptions::ClosedDelegateAtRemoval;
use crate::branch::Chooser;
use crate::config::Config;
use crate::error::{ApiError, Exception, Reason, Refusal};
use crate::rules::Rule;
use crate::state::State;

/// `InviteAccountToOrganization` (ORG-2).
pub(super) fn invite(cfg: &Config, s: &State, caller: Acct, t: Acct) -> Result<State, Refusal> {
    org_caller(cfg, s, caller)?;
    management_only(cfg, caller, Rule::Org2)?;
    if s.in_org(t) {
        return Err(Refusal::Api {
            error: ApiError {
                exception: Exception::HandshakeConstraintViolationException,
                reason: Some(Reason::ALREADY_IN_AN_ORGANIZATION),
            },
            rule: None,
        });
    }
    // A closed (suspended) account can't be invited; the exact error is undocumented, this
    // is the handshake constraint that fits.
    if s.is_closed(t) {
        return Err(Refusal::Api {
            error: ApiError {
                exception: Exception::HandshakeConstraintViolationException,
                reason: Some(Reason::TARGET_ACCOUNT_VALIDATION_FAILURE),
            },
            rule: None,
        });
    }
    if s.invited & t.bit() != 0 {
        return api(Exception::DuplicateHandshakeException);
    }
    let mut next = s.clone();
    next.invited |= t.bit();
    Ok(next)
}

/// `AcceptHandshake`: the invited account joins (ORG-2).
pub(super) fn accept_handshake(cfg: &Config, s: &State, caller: Acct) -> Result<State, Refusal> {
    signed_in(cfg, s, caller)?;
    if s.invited & caller.bit() == 0 {
        return api(Exception::HandshakeNotFoundException);
    }
    let mut next = s.clone();
    next.invited &= !caller.bit();
    next.in_org |= caller.bit();
    Ok(next)
}

/// `LeaveOrganization`: a member leaves on its own (ORG-2, ORG-3).
pub(super) fn leave(
    cfg: &Config,
    s: &State,
    caller: Acct,
    ch: &mut Chooser,
) -> Result<State, Refusal> {
    org_caller(cfg, s, caller)?;
    if guard(cfg, Rule::Org2, caller.is_management()) {
        return refuse(
            Exception::MasterCannotLeaveOrganizationException,
            Rule::Org2,
        );
    }
    not_delegate(cfg, s, caller)?;
    Ok(depart(cfg, s, caller, ch))
}

/// `RemoveAccountFromOrganization` (ORG-2, ORG-3).
pub(super) fn remove(
    cfg: &Config,
    s: &State,
    caller: Acct,
    t: Acct,
    ch: &mut Chooser,
) -> Result<State, Refusal> {
    org_caller(cfg, s, caller)?;
    management_only(cfg, caller, Rule::Org2)?;
    if guard(cfg, Rule::Org2, t.is_management()) {
        return refuse(
            Exception::MasterCannotLeaveOrganizationException,
            Rule::Org2,
        );
    }
    if !s.in_org(t) {
        return api(Exception::AccountNotFoundException);
    }
    not_delegate(cfg, s, t)?;
    Ok(depart(cfg, s, t, ch))
}

/// ORG-3: a registered delegated administrator can't leave or be removed.
fn not_delegate(cfg: &Config, s: &State, a: Acct) -> Result<(), Refusal> {
    if guard(cfg, Rule::Org3, s.is_delegate(a)) {
        return refuse_constraint(
            Reason::CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG,
            Rule::Org3,
        );
    }
    Ok(())
}

/// An account leaves the organization (left, removed); IAM Identity Center cleans up
/// (ORG-4, Q5).
fn depart(cfg: &Config, s: &State, a: Acct, ch: &mut Chooser) -> State {
    let mut next = s.clone();
    next.in_org &= !a.bit();
    next.invited &= !a.bit();
    super::identity_center::account_departed(cfg, &mut next, a, ch);
    next
}

/// `CloseAccount`: the management account closes a member (ORG-2; a delegate: Q3).
pub(super) fn close_account(
    cfg: &Config,
    s: &State,
    caller: Acct,
    t: Acct,
    ch: &mut Chooser,
) -> Result<State, Refusal> {
    org_caller(cfg, s, caller)?;
    management_only(cfg, caller, Rule::Org2)?;
    if guard(cfg, Rule::Org2, t.is_management()) {
        return refuse_constraint(Reason::CANNOT_CLOSE_MANAGEMENT_ACCOUNT, Rule::Org2);
    }
    if !s.in_org(t) {
        return api(Exception::AccountNotFoundException);
    }
    if s.is_closed(t) {
        return api(Exception::AccountAlreadyClosedException);
    }
    close(cfg, s, t, ch)
}

/// `CloseOwnAccount`: an account's root user closes it from the account's own settings
/// (ORG-6; a delegate: Q3). The management account can close itself only once every member
/// account is gone ("Closing a member account" / "Closing the management account": remove
/// the members first); until then `CANNOT_CLOSE_MANAGEMENT_ACCOUNT` (ORG-2).
pub(super) fn close_own_account(
    cfg: &Config,
    s: &State,
    caller: Acct,
    ch: &mut Chooser,
) -> Result<State, Refusal> {
    signed_in(cfg, s, caller)?;
    let has_members = s.in_org & !caller.bit() != 0;
    if guard(cfg, Rule::Org2, caller.is_management() && has_members) {
        return refuse_constraint(Reason::CANNOT_CLOSE_MANAGEMENT_ACCOUNT, Rule::Org2);
    }
    if s.is_closed(caller) {
        // Only reachable with ORG-2 relaxed (a closed account signs in).
        return api(Exception::AccountAlreadyClosedException);
    }
    close(cfg, s, caller, ch)
}

/// An account closes: it becomes SUSPENDED (and stays in the organization if it was in it,
/// ORG-2); the registry decides about a delegate (Q3) and IAM Identity Center cleans up
/// (ORG-4, Q5).
fn close(cfg: &Config, s: &State, t: Acct, ch: &mut Chooser) -> Result<State, Refusal> {
    let mut next = s.clone();
    super::delegation::delegate_closing(cfg, s, &mut next, t, ch)?;
    next.closed |= t.bit();
    // A closed account can't accept an invitation: the handshake lapses. A closed
    // management account's own invitations lapse too: its organization takes no one in.
    next.invited &= !t.bit();
    if t.is_management() {
        next.invited = 0;
    }
    if s.in_org(t) {
        super::identity_center::account_departed(cfg, &mut next, t, ch);
    }
    Ok(next)
}

/// AWS ends a closed member's post-closure period (90 days): the account leaves the
/// organization for good ("Closing a member account"; `CloseAccount`'s reference). An
/// environment step: its caller is AWS. Of a closed account that is still the delegated
/// administrator, Q7 (undocumented) decides: it is deregistered, stays registered, or is not
/// removed while registered (as ORG-3 refuses a removal). IAM Identity Center cleans up as
/// for any departure (ORG-4, Q5).
pub(super) fn remove_closed_account(
    cfg: &Config,
    s: &State,
    caller: Acct,
    t: Acct,
    ch: &mut Chooser,
) -> Result<State, Refusal> {
    if !caller.is_aws() {
        return api(Exception::AccessDeniedException);
    }
    if t.is_management() || !s.in_org(t) || !s.is_closed(t) {
        return api(Exception::AccountNotFoundException);
    }
    let mut next = s.clone();
    if s.is_delegate(t) {
        match ch.pick(cfg.assumptions.closed_delegate_at_removal) {
            ClosedDelegateAtRemoval::NotRemoved if cfg.enforces(Rule::Org3) => {
                return refuse_constraint(
                    Reason::CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG,
                    Rule::Org3,
                );
            }
            ClosedDelegateAtRemoval::Deregisters => next.delegates &= !t.bit(),
            _ => {}
        }
    }
    next.in_org &= !t.bit();
    next.invited &= !t.bit();
    super::identity_center::account_departed(cfg, &mut next, t, ch);
    Ok(next)
}

/// AWS reinstates a closed account within its post-closure period, at its root user's
/// request through AWS Support ("Closing a member account": "you can reinstate it within
/// 90 days"): it is active again, in the organization, registered if it still was. An
/// environment step: its caller is AWS.
pub(super) fn reinstate_account(s: &State, caller: Acct, t: Acct) -> Result<State, Refusal> {
    if !caller.is_aws() {
        return api(Exception::AccessDeniedException);
    }
    if !s.in_org(t) || !s.is_closed(t) {
        return api(Exception::AccountNotFoundException);
    }
    let mut next = s.clone();
    next.closed &= !t.bit();
    Ok(next)
}
