//! Parsing a call given by names, as trace files and the command line write it: the
//! caller's account, the operation's name ([`Op::name`]) and its parameters by the names
//! [`Op::params`] uses, with the same readable values.

use crate::account::{Acct, Group, PermissionSet, Principal, User};
use crate::call::{call_in_range, Call, IdentitySource, InstanceRef, Op, OutOfRange, SIGNATURES};
use crate::config::Config;
use crate::echo::echo;
use crate::operations::{op_params, op_value, operations};
pub use crate::param::ValueKind;
use crate::param::{account_in_range, Param};

/// Why a call given by names (caller, AWS operation name, parameters) was not understood.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// No operation has that name.
    #[error("unknown call '{name}' ({hint})")]
    UnknownCall {
        /// The name given.
        name: String,
        /// A close match, or the known names.
        hint: String,
    },
    /// A parameter the operation needs is absent.
    #[error("{call} needs parameter '{param}' (its parameters: {expected})")]
    MissingParameter {
        /// The operation.
        call: &'static str,
        /// The missing parameter.
        param: &'static str,
        /// Every parameter of the operation.
        expected: String,
    },
    /// The operation has no parameter of that name.
    #[error("{call} has no parameter '{param}' ({expected})")]
    UnknownParameter {
        /// The operation.
        call: &'static str,
        /// The parameter given.
        param: String,
        /// The operation's parameters, in words.
        expected: String,
    },
    /// A value is not a name of the right kind.
    #[error("{param} '{value}' is not {kind}")]
    BadValue {
        /// The parameter (or `caller`).
        param: String,
        /// The value given.
        value: String,
        /// What was expected.
        kind: ValueKind,
    },
    /// An account or identity is beyond the configuration.
    #[error(transparent)]
    OutOfRange(#[from] OutOfRange),
}

/// The given parameters of one call, looked up by name.
struct Params<'a> {
    given: Vec<(&'a str, &'a str)>,
}

impl<'a> Params<'a> {
    fn value(&self, key: &str) -> &'a str {
        // INVARIANT: `Call::parse` checked that every parameter of the signature is given.
        self.given
            .iter()
            .find(|(k, _)| *k == key)
            .map_or("", |(_, v)| *v)
    }

    /// The parameter's value, read as its type.
    fn get<T: Param>(&self, key: &str) -> Result<T, CallError> {
        let value = self.value(key);
        T::parse_lenient(value).ok_or_else(|| CallError::BadValue {
            param: echo(key),
            value: echo(value),
            kind: T::KIND,
        })
    }
}

/// Builds the operation named `$name` from the given parameters, each read as its type in
/// the row's order.
macro_rules! build_op {
    ($p:ident $v:ident $shape:tt $(($b:ident, $t:ty, $api:literal))*) => {{
        $(let $b: $t = $p.get($api)?;)*
        op_value!($v $shape)
    }};
}

macro_rules! define_parse_op {
    (context($($ctx:ident),*);
     $($(#[$doc:meta])* $v:ident $shape:tt
        = $name:literal in $service:ident, gate $gate:ident, rule $rule:expr;)*) => {
        /// The operation of the given name, its parameters read from `p` (whose keys
        /// [`Call::parse`] checked against the signature).
        fn parse_op(name: &str, p: &Params<'_>) -> Result<Op, CallError> {
            Ok(match name {
                $($name => op_params!(build_op! [p $v $shape] $shape),)*
                other => return Err(unknown_call(other)),
            })
        }
    };
}

operations!(define_parse_op);

fn unknown_call(name: &str) -> CallError {
    let close = SIGNATURES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()));
    let hint = match close {
        Some((n, _)) => format!("did you mean '{n}'?"),
        None => format!(
            "known calls: {}",
            SIGNATURES
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    CallError::UnknownCall {
        name: echo(name),
        hint,
    }
}

impl Call {
    /// Parses a call given by names, as trace files write it: the caller's account
    /// (`management`, `member-2`), the operation's AWS name ([`Op::name`]) and its
    /// parameters by the names [`Op::params`] uses, with the same readable values.
    ///
    /// Every account and identity must exist in `cfg` ([`call_in_range`]): the result is
    /// safe to give to [`crate::step()`].
    pub fn parse<'a>(
        cfg: &Config,
        caller: &str,
        name: &str,
        params: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Call, CallError> {
        let (call, signature) = SIGNATURES
            .iter()
            .copied()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| unknown_call(name))?;
        let p = Params {
            given: params.into_iter().collect(),
        };
        let expected = || {
            if signature.is_empty() {
                "none".to_string()
            } else {
                signature.join(", ")
            }
        };
        if let Some((k, _)) = p.given.iter().find(|(k, _)| !signature.contains(k)) {
            return Err(CallError::UnknownParameter {
                call,
                param: echo(k),
                expected: if signature.is_empty() {
                    "it takes none".to_string()
                } else {
                    format!("its parameters: {}", expected())
                },
            });
        }
        if let Some(missing) = signature
            .iter()
            .find(|s| !p.given.iter().any(|(k, _)| k == *s))
        {
            return Err(CallError::MissingParameter {
                call,
                param: missing,
                expected: expected(),
            });
        }
        // `aws` calls the environment's steps; `member-N` is parsed leniently (to name it
        // beyond the configuration), and `member-7` must not read as AWS's index.
        let caller = if caller == "aws" {
            Acct::AWS
        } else {
            let a = Acct::parse_lenient(caller).ok_or_else(|| CallError::BadValue {
                param: "caller".to_string(),
                value: echo(caller),
                kind: ValueKind::Account,
            })?;
            if a.is_aws() {
                account_in_range(cfg, a)?;
            }
            a
        };
        let op = parse_op(call, &p)?;
        let call = Call { caller, op };
        call_in_range(cfg, &call)?;
        Ok(call)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calls::all_calls;
    use proptest::prelude::*;

    fn parse_back(cfg: &Config, call: &Call) -> Result<Call, CallError> {
        let params = call.op.params();
        Call::parse(
            cfg,
            &call.caller.to_string(),
            call.op.name(),
            params.iter().map(|(k, v)| (*k, v.as_str())),
        )
    }

    #[test]
    fn every_call_of_the_largest_configuration_parses_back() {
        let cfg = Config {
            members: crate::account::MAX_MEMBERS,
            users: crate::account::MAX_IDENTITIES,
            groups: crate::account::MAX_IDENTITIES,
            permission_sets: crate::account::MAX_IDENTITIES,
            ..Config::default()
        };
        for call in all_calls(&cfg) {
            assert_eq!(parse_back(&cfg, &call), Ok(call), "{call}");
            let signature = SIGNATURES
                .iter()
                .find(|(n, _)| *n == call.op.name())
                .map(|(_, s)| *s)
                .expect("every operation has a signature");
            let keys: Vec<&str> = call.op.params().iter().map(|(k, _)| *k).collect();
            assert_eq!(keys, signature, "{}", call.op.name());
        }
    }

    #[test]
    fn every_signature_names_an_operation() {
        let cfg = Config::default();
        let names: std::collections::HashSet<&str> =
            all_calls(&cfg).iter().map(|c| c.op.name()).collect();
        assert_eq!(names.len(), SIGNATURES.len());
        assert!(SIGNATURES.iter().all(|(n, _)| names.contains(n)));
    }

    // `aws` is the environment's caller; `member-7` (AWS's index) is beyond every
    // configuration, not AWS.
    #[test]
    fn aws_parses_as_caller_and_member_7_is_not_aws() {
        let cfg = Config::default();
        let parse = |caller: &str| {
            Call::parse(
                &cfg,
                caller,
                "RemoveClosedAccount",
                [("AccountId", "member-1")],
            )
        };
        assert_eq!(parse("aws").map(|c| c.caller), Ok(Acct::AWS));
        let err = parse("member-7").unwrap_err().to_string();
        assert_eq!(
            err,
            "member-7 is beyond the configuration (2 member accounts)"
        );
    }

    #[test]
    fn errors_name_the_culprit() {
        let cfg = Config::default();
        let err = |caller: &str, name: &str, params: &[(&str, &str)]| {
            Call::parse(&cfg, caller, name, params.iter().copied())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err("management", "enableidentitycenter", &[]),
            "unknown call 'enableidentitycenter' (did you mean 'EnableIdentityCenter'?)"
        );
        assert!(err("management", "Frobnicate", &[])
            .starts_with("unknown call 'Frobnicate' (known calls: InviteAccountToOrganization, "));
        assert_eq!(
            err("management", "RegisterDelegatedAdministrator", &[]),
            "RegisterDelegatedAdministrator needs parameter 'AccountId' (its parameters: AccountId)"
        );
        assert_eq!(
            err("management", "CreateInstance", &[("AccountId", "member-1")]),
            "CreateInstance has no parameter 'AccountId' (it takes none)"
        );
        assert_eq!(
            err(
                "management",
                "RegisterDelegatedAdministrator",
                &[("Account", "member-1")]
            ),
            "RegisterDelegatedAdministrator has no parameter 'Account' (its parameters: AccountId)"
        );
        assert_eq!(
            err("root", "CreateInstance", &[]),
            "caller 'root' is not an account (management or member-N)"
        );
        assert_eq!(
            err(
                "management",
                "RegisterDelegatedAdministrator",
                &[("AccountId", "member-99")]
            ),
            "member-99 is beyond the configuration (2 member accounts)"
        );
        assert_eq!(
            err("member-7", "CreateMicrosoftAD", &[]),
            "member-7 is beyond the configuration (2 member accounts)"
        );
        assert_eq!(
            err("management", "CreateUser", &[("User", "user-2")]),
            "user-2 is beyond the configuration (1 user)"
        );
        assert_eq!(
            err("management", "CreateUser", &[("User", "user-0")]),
            "User 'user-0' is not a user (user-N)"
        );
        assert_eq!(
            err("management", "ChangeIdentitySource", &[("IdentitySource", "ad")]),
            "IdentitySource 'ad' is not an identity source (identity-center-directory, external-idp or active-directory:<account>)"
        );
        assert_eq!(
            err(
                "management",
                "ChangeIdentitySource",
                &[("IdentitySource", "active-directory:member-3")]
            ),
            "member-3 is beyond the configuration (2 member accounts)"
        );
    }

    proptest! {
        /// Any name-shaped account, even far beyond the configuration, parses to an error or
        /// to a call within range (never a panic, never an out-of-range call).
        #[test]
        fn parsed_calls_are_in_range(n in 0u16..300, members in 1u8..=6, op in 0usize..SIGNATURES.len()) {
            let cfg = Config { members, ..Config::default() };
            let name = format!("member-{n}");
            let (call, signature) = SIGNATURES[op];
            let params: Vec<(&str, &str)> = signature.iter().map(|k| (*k, name.as_str())).collect();
            if let Ok(c) = Call::parse(&cfg, &name, call, params) {
                prop_assert!(call_in_range(&cfg, &c).is_ok());
            }
        }
    }
}
