//! Calls: who calls which API operation with which parameters. Names follow the AWS APIs;
//! console tasks with no public API get a name that says what they do; operations made in
//! an Active Directory directory (not in IAM Identity Center) carry their IAM service prefix
//! (`ds-data:`, `ds:`).
//!
//! [`Op`] and what it knows of itself (name, service, parameters) derive from the
//! operations table (`operations.rs`).

use std::fmt;

use crate::account::{Acct, Group, IdentityMap, PermissionSet, Principal, User};
use crate::config::Config;
use crate::op_kind::OpKind;
use crate::operations::{op_params, op_value, operations};
use crate::param::{account_in_range, Param};
pub use crate::param::{IdentitySource, InstanceRef, OutOfRange};

/// The AWS service an operation belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Service {
    /// AWS Organizations.
    Organizations,
    /// AWS Account Management (an account's own settings, e.g. closing it).
    Account,
    /// IAM Identity Center (SSO Admin API).
    IdentityCenter,
    /// The Identity Store API of IAM Identity Center.
    IdentityStore,
    /// AWS Directory Service (directories and, with Directory Service Data, their users
    /// and groups).
    DirectoryService,
    /// AWS itself: what happens without anyone's call (a closed account's post-closure
    /// period ends; AWS Support reinstates an account). Called by [`Acct::AWS`] only.
    Environment,
}

impl Service {
    /// The service's name.
    pub fn name(self) -> &'static str {
        match self {
            Service::Organizations => "Organizations",
            Service::Account => "Account Management",
            Service::IdentityCenter => "IAM Identity Center",
            Service::IdentityStore => "Identity Store",
            Service::DirectoryService => "Directory Service",
            Service::Environment => "AWS (environment)",
        }
    }
}

/// Builds the [`Op`] enum, one variant per row, by munching rows: a variant's shape (unit,
/// tuple or named) follows its row's.
macro_rules! op_enum {
    ([$($done:tt)*]) => {
        /// An API operation with its parameters (one variant per row of the operations
        /// table).
        ///
        /// Trusted access (`EnableAWSServiceAccess`, `DisableAWSServiceAccess`) and delegated
        /// administrator registration always concern the service principal
        /// `sso.amazonaws.com`, so it is not a parameter.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Op { $($done)* }
    };
    ([$($done:tt)*] $(#[$doc:meta])* $v:ident () $($rest:tt)*) => {
        op_enum!([$($done)* $(#[$doc])* $v,] $($rest)*);
    };
    ([$($done:tt)*] $(#[$doc:meta])* $v:ident ( $($b:ident : $t:ty = $api:literal),* )
        $($rest:tt)*) => {
        op_enum!([$($done)* $(#[$doc])* $v($($t),*),] $($rest)*);
    };
    ([$($done:tt)*] $(#[$doc:meta])* $v:ident
        { $($(#[$m:meta])* $b:ident : $t:ty = $api:literal),* } $($rest:tt)*) => {
        op_enum!([$($done)* $(#[$doc])* $v { $($(#[$m])* $b: $t),* },] $($rest)*);
    };
}

/// `("ApiName", value)` for each parameter.
macro_rules! param_values {
    ($(($b:ident, $t:ty, $api:literal))*) => {
        vec![$(($api, $b.to_string())),*]
    };
}

/// The parameters' API names.
macro_rules! param_names {
    ($(($b:ident, $t:ty, $api:literal))*) => {
        &[$($api),*]
    };
}

/// The account the parameters name (at most one of them names one).
macro_rules! param_account {
    ($(($b:ident, $t:ty, $api:literal))*) => {
        None$(.or(Param::account($b)))*
    };
}

/// The parameters with their accounts renamed by `$f`.
macro_rules! param_map {
    ($f:ident $v:ident $shape:tt $(($b:ident, $t:ty, $api:literal))*) => {{
        $(let $b = Param::map_accounts($b, &$f);)*
        op_value!($v $shape)
    }};
}

/// The parameters with their users, groups and permission sets renamed by `$map`.
macro_rules! param_map_identities {
    ($map:ident $v:ident $shape:tt $(($b:ident, $t:ty, $api:literal))*) => {{
        $(let $b = Param::map_identities($b, $map);)*
        op_value!($v $shape)
    }};
}

/// Checks the parameters' accounts, then their identities, against `$cfg`.
macro_rules! param_range {
    ($cfg:ident $(($b:ident, $t:ty, $api:literal))*) => {{
        $(if let Some(a) = Param::account($b) { account_in_range($cfg, a)?; })*
        $(Param::identities_in_range($b, $cfg)?;)*
        Ok(())
    }};
}

macro_rules! define_op {
    (context($($ctx:ident),*);
     $($(#[$doc:meta])* $v:ident $shape:tt
        = $name:literal in $service:ident, gate $gate:ident, rule $rule:expr;)*) => {
        op_enum!([] $($(#[$doc])* $v $shape)*);

        impl Op {
            /// The operation's AWS name.
            pub fn name(&self) -> &'static str {
                match self { $(Op::$v { .. } => $name,)* }
            }

            /// The service that serves the operation.
            pub fn service(&self) -> Service {
                match self { $(Op::$v { .. } => Service::$service,)* }
            }

            /// The parameters, by their API names, as readable values.
            pub fn params(&self) -> Vec<(&'static str, String)> {
                match *self { $(op_value!($v $shape) => op_params!(param_values! [] $shape),)* }
            }

            /// The account the operation names as a parameter, if any (not the caller).
            pub fn account_param(&self) -> Option<Acct> {
                match *self { $(op_value!($v $shape) => op_params!(param_account! [] $shape),)* }
            }

            /// The operation with every account it names renamed by `f` (symmetry).
            pub fn map_accounts(self, f: impl Fn(Acct) -> Acct) -> Op {
                match self { $(op_value!($v $shape) => op_params!(param_map! [f $v $shape] $shape),)* }
            }

            /// The operation with every user, group and permission set it names renamed
            /// by `map` (identity symmetry).
            pub fn map_identities(self, map: &IdentityMap) -> Op {
                match self { $(op_value!($v $shape) => op_params!(param_map_identities! [map $v $shape] $shape),)* }
            }

            /// Checks that every account and identity the operation names exists in `cfg`.
            fn in_range(&self, cfg: &Config) -> Result<(), OutOfRange> {
                match *self { $(op_value!($v $shape) => op_params!(param_range! [cfg] $shape),)* }
            }
        }

        /// Every operation's name with its parameter names, as [`Op::name`] and
        /// [`Op::params`] give them, in the order of the operations table.
        pub const SIGNATURES: &[(&str, &[&str])] = &[$(($name, op_params!(param_names! [] $shape)),)*];
    };
}

operations!(define_op);

/// `OpKind::of`, here beside [`Op`] so that [`OpKind`] needs nothing of this file.
macro_rules! define_kind_of {
    (context($($ctx:ident),*);
     $($(#[$doc:meta])* $v:ident $shape:tt
        = $name:literal in $service:ident, gate $gate:ident, rule $rule:expr;)*) => {
        impl OpKind {
            /// The kind of an operation.
            pub fn of(op: &Op) -> OpKind {
                match op { $(Op::$v { .. } => OpKind::$v),* }
            }
        }
    };
}

operations!(define_kind_of);

impl Op {
    /// Whether the operation administers the *organization* instance of IAM Identity Center
    /// or its identity store (every IAM Identity Center and Identity Store operation but
    /// those on account instances, IDC-1a).
    pub fn administers_organization_instance(&self) -> bool {
        match self {
            Op::CreateInstance | Op::DeleteInstance(InstanceRef::Account(_)) => false,
            // Deliberately by service: an operation added to either service administers
            // the organization instance unless it is listed above.
            _ => matches!(
                self.service(),
                Service::IdentityCenter | Service::IdentityStore
            ),
        }
    }
}

/// A call: the caller's account and the operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Call {
    /// The account whose admin makes the call.
    pub caller: Acct,
    /// The operation and its parameters.
    pub op: Op,
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())?;
        let params = self.params();
        if !params.is_empty() {
            f.write_str("(")?;
            for (i, (k, v)) in params.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{k}={v}")?;
            }
            f.write_str(")")?;
        }
        Ok(())
    }
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.caller, self.op)
    }
}

/// Checks that every account and identity a call names exists in the configuration: the
/// caller, then the accounts the operation names, then its users, groups and permission
/// sets.
pub fn call_in_range(cfg: &Config, call: &Call) -> Result<(), OutOfRange> {
    if !call.caller.is_aws() {
        account_in_range(cfg, call.caller)?;
    }
    call.op.in_range(cfg)
}
