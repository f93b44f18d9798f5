//! The outcome of a refused call, in the API's own words.

use std::fmt;

use crate::practice::Practice;
use crate::rules::Rule;

macro_rules! names {
    ($(#[$doc:meta])* $name:ident { $($variant:ident,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[allow(missing_docs, non_camel_case_types)]
        pub enum $name { $($variant,)* }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The name exactly as the API spells it.
            pub fn name(self) -> &'static str {
                match self { $($name::$variant => stringify!($variant)),* }
            }

            /// Looks a value up by its API spelling.
            pub fn parse(text: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.name() == text)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

names!(
    /// An exception shape of the Organizations, SSO Admin, Identity Store or Directory
    /// Service API.
    Exception {
        AccessDeniedException,
        AWSOrganizationsNotInUseException,
        AccountAlreadyClosedException,
        AccountAlreadyRegisteredException,
        AccountNotFoundException,
        AccountNotRegisteredException,
        ConflictException,
        ConstraintViolationException,
        HandshakeConstraintViolationException,
        HandshakeNotFoundException,
        DuplicateHandshakeException,
        MasterCannotLeaveOrganizationException,
        ResourceNotFoundException,
        ValidationException,
        EntityDoesNotExistException,
        UserDoesNotExistException,
    }
);

names!(
    /// The `Reason` of a `ConstraintViolationException` or
    /// `HandshakeConstraintViolationException`.
    Reason {
        CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG,
        CANNOT_CLOSE_MANAGEMENT_ACCOUNT,
        CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR,
        CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR,
        SERVICE_ACCESS_NOT_ENABLED,
        DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE,
        MAX_DELEGATED_ADMINISTRATORS_FOR_SERVICE_LIMIT_EXCEEDED,
        ALREADY_IN_AN_ORGANIZATION,
        TARGET_ACCOUNT_VALIDATION_FAILURE,
    }
);

/// An API error: the exception and, for constraint violations, the reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ApiError {
    /// The exception shape.
    pub exception: Exception,
    /// The `Reason` field, where the exception has one.
    pub reason: Option<Reason>,
}

impl ApiError {
    /// An error without a reason.
    pub const fn plain(exception: Exception) -> ApiError {
        ApiError {
            exception,
            reason: None,
        }
    }

    /// A `ConstraintViolationException` whose reason AWS does not document: the refusal of
    /// a rule the API may enforce without saying how (DA-9 under Q8, SRC-2 under Q4).
    pub const UNDOCUMENTED_CONSTRAINT: ApiError =
        ApiError::plain(Exception::ConstraintViolationException);

    /// A `ConstraintViolationException` with its reason.
    pub const fn constraint(reason: Reason) -> ApiError {
        ApiError {
            exception: Exception::ConstraintViolationException,
            reason: Some(reason),
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.reason {
            Some(r) => write!(f, "{} ({})", self.exception, r),
            None => write!(f, "{}", self.exception),
        }
    }
}

/// Why a call did not change the state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Refusal {
    /// The API refused it. `rule` is the guard that refused, `None` for the API's own
    /// preconditions (the resource exists, is not a duplicate, …).
    Api {
        /// The error the caller sees.
        error: ApiError,
        /// The rule whose guard refused the call.
        rule: Option<Rule>,
    },
    /// The management account does not make this call: it follows a best practice (IDC-7).
    Practice(Practice),
}

impl Refusal {
    /// The API error, if the API refused the call.
    pub fn api_error(&self) -> Option<ApiError> {
        match self {
            Refusal::Api { error, .. } => Some(*error),
            Refusal::Practice(_) => None,
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Api {
                error,
                rule: Some(rule),
            } => write!(f, "{error} [{rule}]"),
            Refusal::Api { error, rule: None } => write!(f, "{error}"),
            Refusal::Practice(p) => {
                write!(f, "not made: the management account follows {p} [IDC-7]")
            }
        }
    }
}
