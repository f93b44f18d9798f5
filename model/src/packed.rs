//! A state in as few bytes as its configuration needs: the checker keeps a level's worth of
//! states waiting to be expanded, and at the default configuration a [`State`] takes 54
//! bytes where 19 carry its facts (its arrays are sized for the largest configuration).
//!
//! The packing keeps every field, the ghost facts included; only the array entries of
//! identities and accounts beyond the configuration are left out, and they are zero in
//! every state of the configuration (no call names them).

use crate::account::{Acct, MAX_ACCOUNTS};
use crate::call::IdentitySource;
use crate::config::Config;
use crate::state::State;

/// The bytes of every field but the arrays.
const FIXED: usize = 16;

/// Packs and unpacks the states of one configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Codec {
    groups: usize,
    sets: usize,
    accounts: usize,
}

impl Codec {
    /// The codec of a configuration.
    pub fn new(cfg: &Config) -> Codec {
        Codec {
            groups: usize::from(cfg.groups),
            sets: usize::from(cfg.permission_sets),
            accounts: usize::from(cfg.accounts()),
        }
    }

    /// The bytes of a packed state.
    pub fn len(&self) -> usize {
        FIXED + self.groups + self.sets + self.sets * self.accounts
    }

    /// Whether packed states are empty (never: every state has its fixed fields).
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Appends the packed state to `out` ([`Codec::len`] bytes).
    ///
    /// INVARIANT (checked by [`Codec::fits`] in tests): entries beyond the configuration
    /// are zero, so that [`Codec::unpack`] gives the state back.
    #[inline]
    pub fn pack(&self, s: &State, out: &mut Vec<u8>) {
        // Every field, by name: a field added to `State` fails to compile here (and in the
        // struct literal of `unpack`) until it is packed.
        let State {
            in_org,
            closed,
            invited,
            trusted_access,
            instance,
            account_instances,
            ad_sync,
            ad_sync_paused,
            delegates,
            directories,
            source,
            idp_admins,
            users,
            disabled,
            groups,
            ref membership,
            permission_sets,
            ref provisioned,
            ref assignments,
            ghost,
        } = *s;
        let [g0, g1] = ghost.to_le_bytes();
        out.extend_from_slice(&[
            in_org,
            closed,
            invited,
            u8::from(trusted_access) | u8::from(ad_sync) << 1 | u8::from(ad_sync_paused) << 2,
            instance.map_or(0xff, |a| a.0),
            account_instances,
            delegates,
            directories,
            match source {
                IdentitySource::IdentityCenterDirectory => 0xfe,
                IdentitySource::ExternalIdp => 0xff,
                IdentitySource::ActiveDirectory(a) => a.0,
            },
            users,
            groups,
            permission_sets,
            g0,
            g1,
            idp_admins,
            disabled,
        ]);
        out.extend_from_slice(&membership[..self.groups]);
        out.extend_from_slice(&provisioned[..self.sets]);
        for ps in 0..self.sets {
            let row = ps * MAX_ACCOUNTS;
            out.extend_from_slice(&assignments[row..row + self.accounts]);
        }
    }

    /// The state packed in `b` (its first [`Codec::len`] bytes).
    #[inline]
    pub fn unpack(&self, b: &[u8]) -> State {
        let mut s = State {
            in_org: b[0],
            closed: b[1],
            invited: b[2],
            trusted_access: b[3] & 1 != 0,
            ad_sync: b[3] & 2 != 0,
            ad_sync_paused: b[3] & 4 != 0,
            idp_admins: b[14],
            disabled: b[15],
            instance: (b[4] != 0xff).then_some(Acct(b[4])),
            account_instances: b[5],
            delegates: b[6],
            directories: b[7],
            source: match b[8] {
                0xfe => IdentitySource::IdentityCenterDirectory,
                0xff => IdentitySource::ExternalIdp,
                a => IdentitySource::ActiveDirectory(Acct(a)),
            },
            users: b[9],
            groups: b[10],
            permission_sets: b[11],
            ghost: u16::from_le_bytes([b[12], b[13]]),
            membership: Default::default(),
            provisioned: Default::default(),
            assignments: [0; crate::state::ASSIGNMENT_SLOTS],
        };
        let mut at = FIXED;
        s.membership[..self.groups].copy_from_slice(&b[at..at + self.groups]);
        at += self.groups;
        s.provisioned[..self.sets].copy_from_slice(&b[at..at + self.sets]);
        at += self.sets;
        for ps in 0..self.sets {
            let row = ps * MAX_ACCOUNTS;
            s.assignments[row..row + self.accounts].copy_from_slice(&b[at..at + self.accounts]);
            at += self.accounts;
        }
        s
    }

    /// Whether a state packs without loss: nothing beyond the configuration is set.
    pub fn fits(&self, s: &State) -> bool {
        let mut out = Vec::with_capacity(self.len());
        self.pack(s, &mut out);
        self.unpack(&out) == *s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::IdcModel;

    /// Every state reachable in a few steps at 1 and 2 members (and a larger
    /// configuration) packs and unpacks to itself.
    #[test]
    fn reachable_states_round_trip() {
        for cfg in [
            Config {
                members: 1,
                ..Config::default()
            },
            Config::default(),
            Config {
                members: 2,
                users: 2,
                groups: 2,
                permission_sets: 2,
                ..Config::default()
            },
        ] {
            let model = IdcModel::new(cfg).unwrap();
            let codec = Codec::new(&cfg);
            let mut level = vec![model.initial()];
            let mut checked = 0;
            for _ in 0..4 {
                let mut next = Vec::new();
                for s in &level {
                    assert!(codec.fits(s), "{s:?}");
                    checked += 1;
                    for &call in model.calls() {
                        model.outcomes(s, call, |_, o| {
                            if let Ok(n) = o {
                                if next.len() < 20_000 {
                                    next.push(n);
                                }
                            }
                        });
                    }
                }
                level = next;
            }
            assert!(checked > 1_000, "{checked}");
            let mut out = Vec::new();
            codec.pack(&model.initial(), &mut out);
            assert_eq!(out.len(), codec.len());
        }
        assert_eq!(Codec::new(&Config::default()).len(), 21);
    }
}
