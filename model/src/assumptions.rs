//! Named assumptions: where the documentation is silent (RULES.md Q1–Q6, and a few gaps of
//! our own, A1–A2), the model takes a position that a user can flip.

use std::fmt;

macro_rules! choice {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $text:literal,)* }) => {
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

            fn parse(text: &str) -> Option<$name> {
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
    };
}

choice!(
    /// Q1 (DA-7): the error for registering a second delegated administrator.
    SecondDelegateError {
        /// `ConstraintViolationException` `DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE`.
        DelegatedAdminExists => "delegated-admin-exists",
        /// `AccountAlreadyRegisteredException`.
        AccountAlreadyRegistered => "account-already-registered",
    }
);

choice!(
    /// Q2: what `DisableAWSServiceAccess` does while a delegated administrator is registered.
    DisableTrustedAccessWithDelegate {
        /// It succeeds and the registration stays.
        KeepsRegistration => "keeps-registration",
        /// It is refused.
        Refused => "refused",
        /// It succeeds and deregisters the delegated administrator.
        Deregisters => "deregisters",
    }
);

choice!(
    /// Q3: whether the delegated administrator account can be closed, and what happens to its
    /// registration.
    CloseDelegate {
        /// `CloseAccount` is refused like removal (ORG-3).
        Refused => "refused",
        /// The account closes (SUSPENDED) and stays registered.
        KeepsRegistration => "keeps-registration",
        /// The account closes and is deregistered.
        Deregisters => "deregisters",
    }
);

choice!(
    /// Q4: where SRC-2 (the directory's owner) is enforced besides an identity-source change.
    Src2EnforcedAt {
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
    DepartedAccountAssignments {
        /// They are deleted, with the account's provisioned permission sets.
        Deleted => "deleted",
        /// They stay (and grant nothing while the account is outside or closed).
        Kept => "kept",
    }
);

choice!(
    /// Q6: what "enabling or disabling user access in the management account" (IDC-2) covers
    /// for the delegated administrator.
    ManagementUserAccess {
        /// Creating or deleting account assignments that target the management account.
        AssignmentCalls => "assignment-calls",
        /// Also any delegate call whose side effect deletes an assignment that targets the
        /// management account (deleting a user, group or permission set; changing the
        /// identity source). Group membership stays editable (IDC-3).
        AlsoSideEffects => "also-side-effects",
    }
);

choice!(
    /// A1 (DA-9): whether configurable AD sync is on right after a directory is connected as
    /// the identity source.
    AdSyncOnConnect {
        /// Off: it has to be enabled afterwards.
        Off => "off",
        /// On.
        On => "on",
    }
);

choice!(
    /// A2 (SRC-4): SRC-4 is silent on a change from Active Directory to the Identity Center
    /// directory, and from one directory to another.
    AdToOtherDirectory {
        /// Users, groups and assignments are deleted (as for every other change involving AD).
        DeletesIdentities => "deletes-identities",
        /// They are preserved.
        PreservesIdentities => "preserves-identities",
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
    /// A1.
    pub ad_sync_on_connect: AdSyncOnConnect,
    /// A2.
    pub ad_to_other_directory: AdToOtherDirectory,
}

/// One assumption, described for listings and headers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssumptionInfo {
    /// `Q1` … `Q6`, `A1`, `A2`.
    pub id: &'static str,
    /// The key on the command line (`--assume KEY=VALUE`).
    pub key: &'static str,
    /// The value in force.
    pub value: &'static str,
    /// Every value, the default first.
    pub values: Vec<&'static str>,
    /// The question the documentation leaves open.
    pub question: &'static str,
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
    ($($field:ident: $ty:ident, $id:literal, $key:literal, $question:literal;)*) => {
        impl Assumptions {
            /// Every assumption with the value in force, in id order.
            pub fn describe(&self) -> Vec<AssumptionInfo> {
                vec![$(AssumptionInfo {
                    id: $id,
                    key: $key,
                    value: self.$field.name(),
                    values: $ty::ALL.iter().map(|v| v.name()).collect(),
                    question: $question,
                }),*]
            }

            /// Sets one assumption from `KEY=VALUE`.
            pub fn set(&mut self, text: &str) -> Result<(), AssumptionError> {
                let (key, value) = text
                    .split_once('=')
                    .ok_or_else(|| AssumptionError::Malformed(text.to_string()))?;
                match key {
                    $($key => {
                        self.$field = $ty::parse(value).ok_or_else(|| AssumptionError::UnknownValue {
                            key: key.to_string(),
                            value: value.to_string(),
                            values: $ty::ALL.iter().map(|v| v.name()).collect::<Vec<_>>().join(", "),
                        })?;
                    })*
                    _ => {
                        return Err(AssumptionError::UnknownKey {
                            key: key.to_string(),
                            known: [$($key),*].join(", "),
                        })
                    }
                }
                Ok(())
            }
        }
    };
}

assumption_table! {
    second_delegate_error: SecondDelegateError, "Q1", "second-delegate-error",
        "which error registering a second IAM Identity Center delegated administrator gets (DA-7)";
    disable_trusted_access_with_delegate: DisableTrustedAccessWithDelegate, "Q2", "disable-trusted-access-with-delegate",
        "whether disabling trusted access fails, or leaves the delegated administrator registered, while one exists";
    close_delegate: CloseDelegate, "Q3", "close-delegate",
        "whether the delegated administrator account can be closed, and what happens to its registration";
    src2_enforced_at: Src2EnforcedAt, "Q4", "src2-enforced-at",
        "whether SRC-2 is enforced besides an identity-source change (at registration? at deregistration?)";
    departed_account_assignments: DepartedAccountAssignments, "Q5", "departed-account-assignments",
        "whether assignments targeting a removed, departed or closed account are deleted";
    management_user_access: ManagementUserAccess, "Q6", "management-user-access",
        "what 'enabling or disabling user access in the management account' covers";
    ad_sync_on_connect: AdSyncOnConnect, "A1", "ad-sync-on-connect",
        "whether configurable AD sync is on right after a directory becomes the identity source";
    ad_to_other_directory: AdToOtherDirectory, "A2", "ad-to-other-directory",
        "what a change from Active Directory to the Identity Center directory (or to another AD directory) does to identities";
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
}
