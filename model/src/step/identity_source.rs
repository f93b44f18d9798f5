//! The identity source: changing it (SRC-1..SRC-4, SRC-7, SRC-8; A1, A2), configurable AD
//! sync (DA-9), AD directories (Directory Service), and where the directory must be owned
//! (SRC-2; Q4 at registration and deregistration).

use super::{admin, api, guard, refuse, side_effect_on_management, signed_in};
use crate::account::{Acct, MAX_IDENTITIES};
use crate::assumptions::{AdSyncOnConnect, AdToOtherDirectory, Src2EnforcedAt};
use crate::branch::{Chooser, Decision};
use crate::call::IdentitySource;
use crate::config::Config;
use crate::error::{Exception, Refusal};
use crate::rules::Rule;
use crate::state::State;

/// SRC-2: whether an AD directory owned by `owner` may be the identity source: owned by the
/// delegated administrator if one is registered, else by the management account.
pub fn directory_owner_allowed(s: &State, owner: Acct) -> bool {
    if s.delegates != 0 {
        s.is_delegate(owner)
    } else {
        owner.is_management()
    }
}

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
    if new == current {
        return api(Exception::ValidationException);
    }
    if let IdentitySource::ActiveDirectory(owner) = new {
        if s.directories & owner.bit() == 0 {
            return api(Exception::ResourceNotFoundException);
        }
    }
    // SRC-2: every directory the change involves must be owned by the delegated
    // administrator if one exists, else by the management account.
    for side in [current, new] {
        if let IdentitySource::ActiveDirectory(owner) = side {
            if guard(cfg, Rule::Src2, !directory_owner_allowed(s, owner)) {
                return refuse(Exception::ValidationException, Rule::Src2);
            }
        }
    }
    let mut next = s.clone();
    // SRC-4, SRC-8: what the change does to users, groups and assignments; SRC-7: the
    // permission sets' roles go with the assignments.
    use IdentitySource::{
        ActiveDirectory as Ad, ExternalIdp as Ext, IdentityCenterDirectory as Idc,
    };
    let wipes = match (current, new) {
        (Idc, Ext) | (Ext, Idc) | (Ext, Ext) | (Idc, Idc) => false,
        (Idc, Ad(_)) | (Ad(_), Idc) | (Ad(_), Ext) | (Ext, Ad(_)) => true,
        // A2: SRC-4 and SRC-8 are silent on one directory to another. The decision is met
        // only where a wipe would change something.
        (Ad(_), Ad(_)) => {
            holds_identities_or_roles(s)
                && ch.pick(cfg.assumptions.ad_to_other_directory)
                    == AdToOtherDirectory::DeletesIdentities
        }
    };
    if wipes {
        side_effect_on_management(cfg, role, s.assigned_to_management_any())?;
        next.clear_identities();
        next.provisioned = [0; MAX_IDENTITIES as usize];
    }
    next.source = new;
    // A1: whether configurable AD sync starts on.
    next.ad_sync =
        new.is_ad() && ch.pick(cfg.assumptions.ad_sync_on_connect) == AdSyncOnConnect::On;
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

/// `EnableConfigurableADSync` / `DisableConfigurableADSync` (console setting; DA-9).
pub(super) fn set_ad_sync(
    cfg: &Config,
    s: &State,
    caller: Acct,
    on: bool,
) -> Result<State, Refusal> {
    admin(cfg, s, caller)?;
    if !s.source.is_ad() {
        return api(Exception::ValidationException);
    }
    let mut next = s.clone();
    next.ad_sync = on;
    Ok(next)
}

/// `CreateDirectory` (Directory Service): the caller creates an AD directory in its own
/// account; the model gives each account at most one.
pub(super) fn create_directory(cfg: &Config, s: &State, caller: Acct) -> Result<State, Refusal> {
    signed_in(cfg, s, caller)?;
    if s.directories & caller.bit() != 0 {
        return api(Exception::DirectoryLimitExceededException);
    }
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
    if !guard(cfg, Rule::Src2, owner != t) {
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
        return refuse(Exception::ValidationException, Rule::Src2);
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
    if !guard(cfg, Rule::Src2, !directory_owner_allowed(next, owner)) {
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
        return refuse(Exception::ValidationException, Rule::Src2);
    }
    Ok(())
}
