//! Named assumptions: where the documentation is silent (`docs/rules.md`: Q1–Q9, the IDC-8
//! deprovisioning question A3, and a gap of our own, A1), the model takes a position that a
//! user can flip. (A2, a change from one directory to another, was withdrawn in model 3:
//! the model keeps one directory per account, see `docs/model.md`.)
//!
//! Every *behavioural* assumption also offers `either`: AWS may take any of the readings,
//! a nondeterministic choice made afresh at each call (see [`crate::branch`]). A verdict
//! `holds` under `either` holds whatever AWS actually does, so `either` is the default
//! (`docs/rules.md`, "How an assumption's default is chosen"). One assumption keeps a single
//! default: Q1, which only names an error (it changes no verdict).

use std::fmt;

use crate::branch::{Behaviour, Decision};
use crate::echo::echo;

macro_rules! choice {
    ($(#[$doc:meta])* $name:ident $(either $decision:ident)? { $($(#[$vdoc:meta])* $variant:ident => $text:literal,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vdoc])* $variant,)* }

        impl $name {
            /// Every value, the default first.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The value's name on the command line.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            /// Looks a value up by its name.
            pub fn parse(text: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.name() == text)
            }
        }

        impl Default for $name {
            fn default() -> $name {
                $name::ALL[0]
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }

        $(
        impl Behaviour for $name {
            const DECISION: Decision = Decision::$decision;
            // INVARIANT: `Either` is the first value; the readings are the others.
            const READINGS: &'static [$name] = {
                let (_, readings) = $name::ALL.split_at(1);
                readings
            };
            fn is_either(self) -> bool {
                self == $name::Either
            }
        }
        )?
    };
}

choice!(
    /// Q1 (DA-7): the error for registering a second delegated administrator.
    SecondDelegateError {
        /// `ConstraintViolationException` `DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE`.
        DelegatedAdminExists => "delegated-admin-exists",
        /// `AccountAlreadyRegisteredException`.
        AccountAlreadyRegistered => "account-already-registered",
        /// `ConstraintViolationException`
        /// `MAX_DELEGATED_ADMINISTRATORS_FOR_SERVICE_LIMIT_EXCEEDED` (observed for AWS Config).
        LimitExceeded => "limit-exceeded",
    }
);

choice!(
    /// Q2: what `DisableAWSServiceAccess` does while a delegated administrator is registered.
    DisableTrustedAccessWithDelegate either Q2 {
        /// Any of the readings below, chosen at each call.
        Either => "either",
        /// It succeeds and the registration stays.
        KeepsRegistration => "keeps-registration",
        /// It is refused.
        Refused => "refused",
        /// It succeeds and deregisters the delegated administrator.
        Deregisters => "deregisters",
    }
);

choice!(
    /// Q3: whether the delegated administrator account can be closed (by the management
    /// account, ORG-2, or by its own root user, ORG-6), and what happens to its registration.
    CloseDelegate either Q3 {
        /// Any of the readings below, chosen at each call.
        Either => "either",
        /// Closing is refused like removal (ORG-3).
        Refused => "refused",
        /// The account closes (SUSPENDED) and stays registered.
        KeepsRegistration => "keeps-registration",
        /// The account closes and is deregistered.
        Deregisters => "deregisters",
    }
);

choice!(
    /// Q4: where SRC-2 (the directory's owner) is enforced besides an identity-source change.
    Src2EnforcedAt either Q4 {
        /// Any of the readings below, chosen at each call.
        Either => "either",
        /// Only at an identity-source change, as the documentation says.
        SourceChange => "source-change",
        /// Also when a delegated administrator is registered.
        AlsoRegistration => "also-registration",
        /// Also when a delegated administrator is deregistered.
        AlsoDeregistration => "also-deregistration",
        /// At registration and deregistration too.
        Everywhere => "everywhere",
    }
);

choice!(
    /// Q5: whether account assignments that target a removed, departed or closed account are
    /// deleted (ORG-4 says IAM Identity Center cleans up the account's resources).
    DepartedAccountAssignments either Q5 {
        /// Any of the readings below, chosen at each call.
        Either => "either",
        /// They are deleted, with the account's provisioned permission sets.
        Deleted => "deleted",
        /// They stay (and grant nothing while the account is outside or closed); they can
        /// still be deleted.
        Kept => "kept",
    }
);

choice!(
    /// Q6: what "enabling or disabling user access in the management account" (IDC-2) covers
    /// for the delegated administrator.
    ManagementUserAccess either Q6 {
        /// Any of the readings below, chosen at each call.
        Either => "either",
        /// Creating or deleting account assignments that target the management account.
        AssignmentCalls => "assignment-calls",
        /// Creating or deleting *user* assignments that target the management account;
        /// group assignments there stay the delegate's ("delegated administrators can add,
        /// edit, and delete groups and group assignments", the seed page).
        UserAssignmentCalls => "user-assignment-calls",
        /// Assignment calls, and also any delegate call whose side effect deletes an
        /// assignment that targets the management account (deleting a user or group;
        /// changing the identity source). Group membership stays editable (IDC-3).
        AlsoSideEffects => "also-side-effects",
        /// The status (`UserStatus` ENABLED / DISABLED) of users assigned to the management
        /// account: the delegate can't enable or disable them, but assignment calls that
        /// target the management account are not covered (only IDC-5 binds them).
        UserStatus => "user-status",
        /// Everything above: assignment calls, their side effects and the users' status (the
        /// broadest reading).
        AssignmentsAndStatus => "assignments-and-status",
    }
);

choice!(
    /// A1 (DA-9): whether configurable AD sync is on right after a directory is connected as
    /// the identity source.
    AdSyncOnConnect either A1 {
        /// Any of the readings below, chosen at each call.
        Either => "either",
        /// Off: it has to be enabled afterwards.
        Off => "off",
        /// On.
        On => "on",
    }
);

choice!(
    /// Q7 (ORG-2, ORG-3): what AWS does when a closed account that is still the registered
    /// delegated administrator reaches the end of its post-closure period (AWS removes closed
    /// accounts from the organization after 90 days).
    ClosedDelegateAtRemoval either Q7 {
        /// Any of the readings below, chosen at each call.
        Either => "either",
        /// It is removed and deregistered.
        Deregisters => "deregisters",
        /// It is removed and stays registered (a registration outside the organization).
        KeepsRegistration => "keeps-registration",
        /// It is not removed while it is registered (as ORG-3 refuses a removal).
        NotRemoved => "not-removed",
    }
);

choice!(
    /// Q8 (DA-9): DA-9 is a prerequisite the console states; whether
    /// `RegisterDelegatedAdministrator` called directly (SDK, CLI) enforces it too.
    ApiEnforcesDa9 either Q8 {
        /// Any of the readings below, chosen at each call.
        Either => "either",
        /// The API refuses too (`ConstraintViolationException`; its reason is undocumented).
        Enforced => "enforced",
        /// Only the console checks it: the API registers the account.
        ConsoleOnly => "console-only",
    }
);

choice!(
    /// Q9 (SRC-2): where the directory must be when Active Directory is involved in an
    /// identity-source change. The seed page: in the delegated administrator's account if
    /// one is registered, else in the management account. The current "Connect to a
    /// Microsoft AD directory" page: in the management account.
    Src2Location either Q9 {
        /// Any of the readings below, chosen at each call.
        Either => "either",
        /// The seed page: the delegate's account if one is registered, else the management
        /// account.
        DelegateIfRegistered => "delegate-if-registered",
        /// The current page: the management account.
        Management => "management",
    }
);

choice!(
    /// IDC-8: whether deleting the *last* account assignment of a permission set in an
    /// account (directly, or by deleting its user or group) also deprovisions the set there.
    LastAssignmentDeprovisions either A3 {
        /// Any of the readings below, chosen at each call.
        Either => "either",
        /// The set's role stays in the account until the set is removed from it.
        KeepsProvisioned => "keeps-provisioned",
        /// The set is deprovisioned from the account.
        Deprovisions => "deprovisions",
    }
);

/// The position the model takes on every undocumented point.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Assumptions {
    /// Q1.
    pub second_delegate_error: SecondDelegateError,
    /// Q2.
    pub disable_trusted_access_with_delegate: DisableTrustedAccessWithDelegate,
    /// Q3.
    pub close_delegate: CloseDelegate,
    /// Q4.
    pub src2_enforced_at: Src2EnforcedAt,
    /// Q5.
    pub departed_account_assignments: DepartedAccountAssignments,
    /// Q6.
    pub management_user_access: ManagementUserAccess,
    /// Q7.
    pub closed_delegate_at_removal: ClosedDelegateAtRemoval,
    /// Q8.
    pub api_enforces_da9: ApiEnforcesDa9,
    /// Q9.
    pub src2_location: Src2Location,
    /// A1.
    pub ad_sync_on_connect: AdSyncOnConnect,
    /// A3 (IDC-8).
    pub last_assignment_deprovisions: LastAssignmentDeprovisions,
}

/// One assumption, described for listings and headers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssumptionInfo {
    /// `Q1` … `Q9`, `A1`, `A3`.
    pub id: &'static str,
    /// The key on the command line (`--assume KEY=VALUE`).
    pub key: &'static str,
    /// The value in force.
    pub value: &'static str,
    /// Every value, the default first.
    pub values: Vec<&'static str>,
    /// The question the documentation leaves open.
    pub question: &'static str,
    /// The sound default: the value under which a verdict `holds` holds whatever AWS does
    /// (`either`, or the reading that allows more). `None` when the assumption only names an
    /// error and changes no verdict (Q1).
    pub sound: Option<&'static str>,
}

impl AssumptionInfo {
    /// Whether the value in force is the sound default (always true for Q1).
    pub fn is_sound(&self) -> bool {
        self.sound.is_none_or(|s| s == self.value)
    }
}

/// Why an `--assume KEY=VALUE` was not understood.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AssumptionError {
    /// The text has no `=`.
    #[error("expected KEY=VALUE, got '{0}'")]
    Malformed(String),
    /// No assumption has that key.
    #[error("unknown assumption '{key}' (known: {known})")]
    UnknownKey {
        /// The key given.
        key: String,
        /// The known keys, comma-separated.
        known: String,
    },
    /// The assumption has no such value.
    #[error("assumption '{key}' has no value '{value}' (values: {values})")]
    UnknownValue {
        /// The key.
        key: String,
        /// The value given.
        value: String,
        /// The known values, comma-separated.
        values: String,
    },
}

macro_rules! assumption_table {
    ($($field:ident: $ty:ident, $id:literal, $key:literal, $sound:expr, $question:literal;)*) => {
        impl Assumptions {
            /// Every assumption with the value in force, in id order.
            pub fn describe(&self) -> Vec<AssumptionInfo> {
                vec![$(AssumptionInfo {
                    id: $id,
                    key: $key,
                    value: self.$field.name(),
                    values: $ty::ALL.iter().map(|v| v.name()).collect(),
                    question: $question,
                    sound: $sound,
                }),*]
            }

            /// Every assumption's key, in id order.
            pub const KEYS: &'static [&'static str] = &[$($key),*];

            /// Sets one assumption from `KEY=VALUE`.
            pub fn set(&mut self, text: &str) -> Result<(), AssumptionError> {
                let (key, value) = text
                    .split_once('=')
                    .ok_or_else(|| AssumptionError::Malformed(echo(text)))?;
                match key {
                    $($key => {
                        self.$field = $ty::parse(value).ok_or_else(|| AssumptionError::UnknownValue {
                            key: key.to_string(),
                            value: echo(value),
                            values: $ty::ALL.iter().map(|v| v.name()).collect::<Vec<_>>().join(", "),
                        })?;
                    })*
                    _ => {
                        return Err(AssumptionError::UnknownKey {
                            key: echo(key),
                            known: Assumptions::KEYS.join(", "),
                        })
                    }
                }
                Ok(())
            }
        }
    };
}

assumption_table! {
    second_delegate_error: SecondDelegateError, "Q1", "second-delegate-error", None,
        "which error registering a second IAM Identity Center delegated administrator gets (DA-7)";
    disable_trusted_access_with_delegate: DisableTrustedAccessWithDelegate, "Q2", "disable-trusted-access-with-delegate", Some("either"),
        "whether disabling trusted access fails, or leaves the delegated administrator registered, while one exists";
    close_delegate: CloseDelegate, "Q3", "close-delegate", Some("either"),
        "whether the delegated administrator account can be closed, and what happens to its registration";
    src2_enforced_at: Src2EnforcedAt, "Q4", "src2-enforced-at", Some("either"),
        "whether SRC-2 is enforced besides an identity-source change (at registration? at deregistration?)";
    departed_account_assignments: DepartedAccountAssignments, "Q5", "departed-account-assignments", Some("either"),
        "whether assignments targeting a removed, departed or closed account are deleted";
    management_user_access: ManagementUserAccess, "Q6", "management-user-access", Some("either"),
        "what 'enabling or disabling user access in the management account' covers for the delegate (IDC-2)";
    closed_delegate_at_removal: ClosedDelegateAtRemoval, "Q7", "closed-delegate-at-removal", Some("either"),
        "what happens to a closed delegate's registration when AWS removes the account after its post-closure period";
    api_enforces_da9: ApiEnforcesDa9, "Q8", "api-enforces-da9", Some("either"),
        "whether RegisterDelegatedAdministrator called through the API enforces DA-9, a console prerequisite";
    src2_location: Src2Location, "Q9", "src2-location", Some("either"),
        "where SRC-2 wants the directory: the delegate's account if registered (seed page) or the management account (current page)";
    ad_sync_on_connect: AdSyncOnConnect, "A1", "ad-sync-on-connect", Some("either"),
        "whether configurable AD sync is on right after a directory becomes the identity source";
    last_assignment_deprovisions: LastAssignmentDeprovisions, "A3", "last-assignment-deprovisions", Some("either"),
        "whether deleting the last assignment of a permission set in an account deprovisions the set there (IDC-8)";
}

impl Assumptions {
    /// Every assumption set to a concrete reading: the first reading of each `either`
    /// (the default of the first model), so that no call branches.
    pub fn concrete() -> Assumptions {
        Assumptions {
            disable_trusted_access_with_delegate:
                DisableTrustedAccessWithDelegate::KeepsRegistration,
            close_delegate: CloseDelegate::Refused,
            src2_enforced_at: Src2EnforcedAt::SourceChange,
            departed_account_assignments: DepartedAccountAssignments::Deleted,
            management_user_access: ManagementUserAccess::AssignmentCalls,
            closed_delegate_at_removal: ClosedDelegateAtRemoval::Deregisters,
            api_enforces_da9: ApiEnforcesDa9::Enforced,
            src2_location: Src2Location::DelegateIfRegistered,
            ad_sync_on_connect: AdSyncOnConnect::Off,
            last_assignment_deprovisions: LastAssignmentDeprovisions::KeepsProvisioned,
            ..Assumptions::default()
        }
    }

    /// Whether some assumption is `either` (calls may branch).
    pub fn any_either(&self) -> bool {
        self.disable_trusted_access_with_delegate.is_either()
            || self.close_delegate.is_either()
            || self.src2_enforced_at.is_either()
            || self.departed_account_assignments.is_either()
            || self.management_user_access.is_either()
            || self.closed_delegate_at_removal.is_either()
            || self.api_enforces_da9.is_either()
            || self.src2_location.is_either()
            || self.ad_sync_on_connect.is_either()
            || self.last_assignment_deprovisions.is_either()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_parses_every_value_and_rejects_unknowns() {
        let mut a = Assumptions::default();
        for info in Assumptions::default().describe() {
            assert_eq!(
                info.value, info.values[0],
                "{} defaults to its first value",
                info.id
            );
            assert!(info.is_sound(), "{} defaults to its sound value", info.id);
            for v in &info.values {
                a.set(&format!("{}={}", info.key, v)).unwrap();
            }
        }
        assert!(matches!(a.set("nope"), Err(AssumptionError::Malformed(_))));
        assert!(matches!(
            a.set("nope=1"),
            Err(AssumptionError::UnknownKey { .. })
        ));
        assert!(matches!(
            a.set("close-delegate=maybe"),
            Err(AssumptionError::UnknownValue { .. })
        ));
    }

    fn names<T: Behaviour + fmt::Display>() -> Vec<String> {
        T::READINGS.iter().map(|r| r.to_string()).collect()
    }

    #[test]
    fn readings_are_named_as_their_decisions_name_them() {
        assert_eq!(
            names::<DisableTrustedAccessWithDelegate>(),
            Decision::Q2.readings()
        );
        assert_eq!(names::<CloseDelegate>(), Decision::Q3.readings());
        assert_eq!(names::<Src2EnforcedAt>(), Decision::Q4.readings());
        assert_eq!(
            names::<DepartedAccountAssignments>(),
            Decision::Q5.readings()
        );
        assert_eq!(names::<AdSyncOnConnect>(), Decision::A1.readings());
        assert_eq!(names::<ManagementUserAccess>(), Decision::Q6.readings());
        assert_eq!(names::<ClosedDelegateAtRemoval>(), Decision::Q7.readings());
        assert_eq!(names::<ApiEnforcesDa9>(), Decision::Q8.readings());
        assert_eq!(names::<Src2Location>(), Decision::Q9.readings());
        assert_eq!(
            names::<LastAssignmentDeprovisions>(),
            Decision::A3.readings()
        );
    }

    #[test]
    fn readings_exclude_either() {
        assert_eq!(
            CloseDelegate::READINGS,
            &[
                CloseDelegate::Refused,
                CloseDelegate::KeepsRegistration,
                CloseDelegate::Deregisters
            ]
        );
        assert!(!Assumptions::concrete().any_either());
        assert!(Assumptions::default().any_either());
    }
}
