//! The identity source: changing it (SRC-1..SRC-4, SRC-7, SRC-8; A1), configurable AD sync
//! (DA-9: enable, pause, resume), AD directories (Directory Service), and where the
//! directory must be owned (SRC-2: Q9 where; Q4 at registration and deregistration).

use super::{admin, api, guard, refuse, side_effect_on_management, signed_in};
use crate::account::{Acct, MAX_IDENTITIES};
use crate::assumptions::{AdSyncOnConnect, Src2EnforcedAt, Src2Location};
use crate::branch::{Chooser, Decision};
use crate::call::IdentitySource;
use crate::config::Config;
use crate::error::{ApiError, Exception, Refusal};
use crate::rules::Rule;
use crate::state::State;

/// SRC-2 as the seed page states it: an AD directory owned by `owner` may be involved in an
/// identity-source change if it is owned by the delegated administrator when one is
/// registered, else by the management account.
fn directory_owner_allowed(s: &State, owner: Acct) -> bool {
    if s.delegates != 0 {
        s.is_delegate(owner)
    } else {
        owner.is_management()
    }
}

/// Whether SRC-2 allows a directory owned by `owner` in `s`, under the reading of Q9 in
/// force: the seed page ([`directory_owner_allowed`]) or the current "Connect to a Microsoft
/// AD directory" page (the management account only). The decision is met only where the
/// two readings differ.
fn src2_allows(cfg: &Config, s: &State, owner: Acct, ch: &mut Chooser) -> bool {
    let seed = directory_owner_allowed(s, owner);
    let page = owner.is_management();
    if seed == page {
        return seed;
    }
    match ch.pick(cfg.assumptions.src2_location) {
        Src2Location::Management => page,
        Src2Location::DelegateIfRegistered | Src2Location::Either => seed,
    }
}

/// The error of SRC-2 where the console refuses an identity-source change.
const SRC2_CHANGE: Exception = Exception::ValidationException;

/// `ChangeIdentitySource` (console task; SRC-3: the management account and the delegate).
pub(super) fn change_identity_source(
    cfg: &Config,
    s: &State,
    caller: Acct,
    new: IdentitySource,
    ch: &mut Chooser,
) -> Result<State, Refusal> {
    let role = admin(cfg, s, caller)?;
    let current = s.source;
    // SRC-4: an external IdP can be replaced by another external IdP (the caller's); any
    // other "change" to the source in force is no change.
    if new == current && new != IdentitySource::ExternalIdp {
        return api(Exception::ValidationException);
    }
    if let IdentitySource::ActiveDirectory(owner) = new {
        if s.directories & owner.bit() == 0 {
            return api(Exception::ResourceNotFoundException);
        }
    }
    // SRC-2: every directory the change involves must be where SRC-2 wants it (Q9: one
    // reading for the whole call).
    for side in [current, new] {
        if let IdentitySource::ActiveDirectory(owner) = side {
            if guard(cfg, Rule::Src2, !src2_allows(cfg, s, owner, ch)) {
                return refuse(SRC2_CHANGE, Rule::Src2);
            }
        }
    }
    let mut next = s.clone();
    // SRC-4, SRC-8: what the change does to users, groups and assignments; SRC-7: the
    // permission sets' roles go with the assignments. A change between two directories
    // (only possible with SRC-2 relaxed: the model keeps one directory per account) is a
    // change to and from AD, and deletes them (SRC-8).
    use IdentitySource::{
        ActiveDirectory as Ad, ExternalIdp as Ext, IdentityCenterDirectory as Idc,
    };
    let wipes = match (current, new) {
        (Idc, Ext) | (Ext, Idc) | (Ext, Ext) | (Idc, Idc) => false,
        (Idc, Ad(_)) | (Ad(_), Idc) | (Ad(_), Ext) | (Ext, Ad(_)) | (Ad(_), Ad(_)) => true,
    };
    if wipes && holds_identities_or_roles(s) {
        side_effect_on_management(cfg, role, s.assigned_to_management_any(), ch)?;
        next.clear_identities();
        next.provisioned = [0; MAX_IDENTITIES as usize];
    }
    next.source = new;
    // SRC-6: an external IdP is operated by the account whose admins configured it.
    next.idp_admins = if new == Ext { caller.bit() } else { 0 };
    // A1: whether configurable AD sync starts on.
    next.ad_sync =
        new.is_ad() && ch.pick(cfg.assumptions.ad_sync_on_connect) == AdSyncOnConnect::On;
    next.ad_sync_paused = false;
    Ok(next)
}

/// Whether the instance has users, groups, assignments or provisioned sets (what a change
/// of source can delete).
fn holds_identities_or_roles(s: &State) -> bool {
    s.users != 0
        || s.groups != 0
        || s.assignments.iter().any(|c| *c != 0)
        || s.provisioned.iter().any(|p| *p != 0)
}

/// `EnableConfigurableADSync` (console setting; DA-9): turns configurable AD sync on.
pub(super) fn enable_ad_sync(cfg: &Config, s: &State, caller: Acct) -> Result<State, Refusal> {
    admin(cfg, s, caller)?;
    if !s.source.is_ad() || s.ad_sync {
        return api(Exception::ValidationException);
    }
    let mut next = s.clone();
    next.ad_sync = true;
    next.ad_sync_paused = false;
    Ok(next)
}

/// Pause or resume configurable AD sync (console: "Pause sync", "Resume sync"; DA-9, Q8).
/// Configurable AD sync has no "disable": it is paused and resumed.
pub(super) fn pause_ad_sync(
    cfg: &Config,
    s: &State,
    caller: Acct,
    pause: bool,
) -> Result<State, Refusal> {
    admin(cfg, s, caller)?;
    if !s.source.is_ad() || !s.ad_sync || s.ad_sync_paused == pause {
        return api(Exception::ValidationException);
    }
    let mut next = s.clone();
    next.ad_sync_paused = pause;
    Ok(next)
}

/// `CreateMicrosoftAD` (Directory Service): the caller creates an AWS Managed Microsoft AD
/// directory in its own account. The model keeps one directory per account (its users are
/// modelled only while it is the identity source): a further one (AWS's quota is 20 per
/// Region) succeeds and changes nothing the model keeps.
pub(super) fn create_directory(cfg: &Config, s: &State, caller: Acct) -> Result<State, Refusal> {
    signed_in(cfg, s, caller)?;
    let mut next = s.clone();
    next.directories |= caller.bit();
    Ok(next)
}

/// Q4 at `RegisterDelegatedAdministrator(t)`: SRC-2 may be enforced there too
/// (undocumented). The decision is met only where the guard would fire.
pub(super) fn src2_at_registration(
    cfg: &Config,
    s: &State,
    t: Acct,
    ch: &mut Chooser,
) -> Result<(), Refusal> {
    let IdentitySource::ActiveDirectory(owner) = s.source else {
        return Ok(());
    };
    // Judged on the registry after the registration.
    let mut after = s.clone();
    after.delegates |= t.bit();
    if !guard(cfg, Rule::Src2, !src2_allows(cfg, &after, owner, ch)) {
        return Ok(());
    }
    let enforced = match cfg.assumptions.src2_enforced_at {
        // Readings 0 and 1 of Q4: source-change, also-registration.
        Src2EnforcedAt::Either => ch.choose(Decision::Q4, &[0, 1]) == 1,
        other => matches!(
            other,
            Src2EnforcedAt::AlsoRegistration | Src2EnforcedAt::Everywhere
        ),
    };
    if enforced {
        return Err(Refusal::Api {
            error: ApiError::UNDOCUMENTED_CONSTRAINT,
            rule: Some(Rule::Src2),
        });
    }
    Ok(())
}

/// Q4 at `DeregisterDelegatedAdministrator`: SRC-2 may be enforced there too
/// (undocumented), judged on the registry after the deregistration (`next`).
pub(super) fn src2_at_deregistration(
    cfg: &Config,
    next: &State,
    ch: &mut Chooser,
) -> Result<(), Refusal> {
    let IdentitySource::ActiveDirectory(owner) = next.source else {
        return Ok(());
    };
    if !guard(cfg, Rule::Src2, !src2_allows(cfg, next, owner, ch)) {
        return Ok(());
    }
    let enforced = match cfg.assumptions.src2_enforced_at {
        // Readings 0 and 2 of Q4: source-change, also-deregistration.
        Src2EnforcedAt::Either => ch.choose(Decision::Q4, &[0, 2]) == 2,
        other => matches!(
            other,
            Src2EnforcedAt::AlsoDeregistration | Src2EnforcedAt::Everywhere
        ),
    };
    if enforced {
        return Err(Refusal::Api {
            error: ApiError::UNDOCUMENTED_CONSTRAINT,
            rule: Some(Rule::Src2),
        });
    }
    Ok(())
}
