//! AWS Organizations: trusted access for `sso.amazonaws.com` and the delegated-administrator
//! registry (ORG-5, DA-1..DA-10, Q1..Q4).

use super::{guard, management_only, org_caller, refuse, refuse_constraint};
use crate::account::Acct;
use crate::assumptions::{
    ApiEnforcesDa9, CloseDelegate, DisableTrustedAccessWithDelegate, SecondDelegateError,
};
use crate::branch::Chooser;
use crate::config::Config;
use crate::error::{ApiError, Exception, Reason, Refusal};
use crate::rules::Rule;
use crate::state::State;

/// `EnableAWSServiceAccess` for `sso.amazonaws.com` (ORG-5).
pub(super) fn enable_service_access(
    cfg: &Config,
    s: &State,
    caller: Acct,
) -> Result<State, Refusal> {
    org_caller(cfg, s, caller)?;
    management_only(cfg, caller, Rule::Org5)?;
    let mut next = s.clone();
    next.trusted_access = true;
    Ok(next)
}

/// `DisableAWSServiceAccess` for `sso.amazonaws.com` (ORG-5; with a delegate: Q2). IAM
/// Identity Center keeps its configuration; users reach no account until it is enabled
/// again (ORG-5, IDC-10).
pub(super) fn disable_service_access(
    cfg: &Config,
    s: &State,
    caller: Acct,
    ch: &mut Chooser,
) -> Result<State, Refusal> {
    org_caller(cfg, s, caller)?;
    management_only(cfg, caller, Rule::Org5)?;
    let mut next = s.clone();
    if s.delegates != 0 {
        // Q2: undocumented.
        match ch.pick(cfg.assumptions.disable_trusted_access_with_delegate) {
            DisableTrustedAccessWithDelegate::Refused if cfg.enforces(Rule::Org5) => {
                return refuse_constraint(
                    Reason::DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE,
                    Rule::Org5,
                );
            }
            DisableTrustedAccessWithDelegate::Deregisters => next.delegates = 0,
            _ => {}
        }
    }
    next.trusted_access = false;
    Ok(next)
}

/// `RegisterDelegatedAdministrator` (DA-1..DA-9; Q1, Q4).
pub(super) fn register(
    cfg: &Config,
    s: &State,
    caller: Acct,
    t: Acct,
    ch: &mut Chooser,
) -> Result<State, Refusal> {
    org_caller(cfg, s, caller)?;
    management_only(cfg, caller, Rule::Da1)?;
    if guard(cfg, Rule::Da4, !s.trusted_access) {
        return refuse_constraint(Reason::SERVICE_ACCESS_NOT_ENABLED, Rule::Da4);
    }
    if guard(cfg, Rule::Da2, t.is_management()) {
        return refuse_constraint(
            Reason::CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR,
            Rule::Da2,
        );
    }
    if guard(cfg, Rule::Da5, !s.in_org(t)) {
        return refuse(Exception::AccountNotFoundException, Rule::Da5);
    }
    if guard(cfg, Rule::Da3, s.is_closed(t)) {
        return refuse_constraint(
            Reason::CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR,
            Rule::Da3,
        );
    }
    if s.is_delegate(t) {
        // DA-6 is the registry's own uniqueness: relaxing it changes nothing.
        return refuse(Exception::AccountAlreadyRegisteredException, Rule::Da6);
    }
    if guard(cfg, Rule::Da7, s.delegates != 0) {
        // Q1: the error is undocumented.
        return match cfg.assumptions.second_delegate_error {
            SecondDelegateError::DelegatedAdminExists => refuse_constraint(
                Reason::DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE,
                Rule::Da7,
            ),
            SecondDelegateError::AccountAlreadyRegistered => {
                refuse(Exception::AccountAlreadyRegisteredException, Rule::Da7)
            }
            SecondDelegateError::LimitExceeded => refuse_constraint(
                Reason::MAX_DELEGATED_ADMINISTRATORS_FOR_SERVICE_LIMIT_EXCEEDED,
                Rule::Da7,
            ),
        };
    }
    da9(cfg, s, ch)?;
    super::identity_source::src2_at_registration(cfg, s, t, ch)?;
    let mut next = s.clone();
    next.delegates |= t.bit();
    Ok(next)
}

/// DA-9, a prerequisite the console states: with Active Directory as the identity source,
/// configurable AD sync must be enabled. Whether the API, called directly, enforces it at
/// all (Q8) is undocumented; enforced, its error is a `ConstraintViolationException` whose
/// reason is undocumented. A *paused* sync counts as enabled (it stays configured): the
/// other reading would refuse only registrations that the same calls with a resume before
/// and a pause after achieve, so no reachable state and no verdict depends on it
/// (`docs/model.md`, modelling choices).
fn da9(cfg: &Config, s: &State, ch: &mut Chooser) -> Result<(), Refusal> {
    if !s.source.is_ad() {
        return Ok(());
    }
    let met = s.ad_sync;
    if guard(cfg, Rule::Da9, !met)
        && ch.pick(cfg.assumptions.api_enforces_da9) == ApiEnforcesDa9::Enforced
    {
        return Err(Refusal::Api {
            error: ApiError::UNDOCUMENTED_CONSTRAINT,
            rule: Some(Rule::Da9),
        });
    }
    Ok(())
}

/// `DeregisterDelegatedAdministrator` (DA-1, DA-5, DA-8; DA-10: only the registry changes;
/// Q4).
pub(super) fn deregister(
    cfg: &Config,
    s: &State,
    caller: Acct,
    t: Acct,
    ch: &mut Chooser,
) -> Result<State, Refusal> {
    org_caller(cfg, s, caller)?;
    management_only(cfg, caller, Rule::Da1)?;
    if guard(cfg, Rule::Da5, !s.in_org(t)) {
        return refuse(Exception::AccountNotFoundException, Rule::Da5);
    }
    if !s.is_delegate(t) {
        // DA-8 is the registry's own membership test: relaxing it changes nothing.
        return refuse(Exception::AccountNotRegisteredException, Rule::Da8);
    }
    let mut next = s.clone();
    next.delegates &= !t.bit();
    super::identity_source::src2_at_deregistration(cfg, &next, ch)?;
    Ok(next)
}

/// The delegate's account is about to close (ORG-2 or ORG-6): Q3, undocumented, decides
/// whether that is refused like removal (ORG-3), keeps the registration or deregisters.
pub(super) fn delegate_closing(
    cfg: &Config,
    s: &State,
    next: &mut State,
    t: Acct,
    ch: &mut Chooser,
) -> Result<(), Refusal> {
    if !s.is_delegate(t) {
        return Ok(());
    }
    match ch.pick(cfg.assumptions.close_delegate) {
        CloseDelegate::Refused if cfg.enforces(Rule::Org3) => refuse_constraint(
            Reason::CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG,
            Rule::Org3,
        ),
        CloseDelegate::Deregisters => {
            next.delegates &= !t.bit();
            Ok(())
        }
        _ => Ok(()),
    }
}
