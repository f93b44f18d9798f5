//! The universe of calls of a configuration: every caller, every operation, every parameter.
//!
//! Derived from the operations table (`operations.rs`, which states the order).

use crate::account::{Acct, Group, PermissionSet, Principal, User};
use crate::call::{Call, IdentitySource, InstanceRef, Op, Service};
use crate::config::Config;
use crate::op_kind::OpKind;
use crate::operations::{op_params, op_value, operations};
use crate::param::{Param, Value, ValueKind};

/// One row of the operations table, as the universe needs it.
struct Row {
    /// Its parameters' types, in order.
    kinds: &'static [ValueKind],
    /// Builds the operation from one value per parameter (`None` if they don't fit).
    build: fn(&[Value]) -> Option<Op>,
}

/// Builds a row's operation from `$vals`, one value per parameter in order.
macro_rules! build_from_values {
    ($vals:ident $v:ident $shape:tt $(($b:ident, $t:ty, $api:literal))*) => {{
        #[allow(unused_mut, unused_variables)] // rows without parameters
        let mut values = $vals.iter().copied();
        $(let $b = <$t as Param>::from_value(values.next()?)?;)*
        Some(op_value!($v $shape))
    }};
}

/// `&[Type::KIND, ...]` of a row's parameters.
macro_rules! param_kinds {
    ($(($b:ident, $t:ty, $api:literal))*) => {
        &[$(<$t as Param>::KIND),*]
    };
}

macro_rules! define_rows {
    (context($($ctx:ident),*);
     $($(#[$doc:meta])* $v:ident $shape:tt
        = $name:literal in $service:ident, gate $gate:ident, rule $rule:expr;)*) => {
        /// The operations table's rows, in order.
        const ROWS: &[Row] = &[$(Row {
            kinds: op_params!(param_kinds! [] $shape),
            build: |vals| op_params!(build_from_values! [vals $v $shape] $shape),
        },)*];
    };
}

operations!(define_rows);

/// Lists the operations of `rows` whose first `depth` parameters are `prefix`: rows in
/// order, consecutive rows whose next parameter has the same type grouped, the group run
/// over that parameter's values.
fn enumerate(cfg: &Config, rows: &[&Row], prefix: &mut Vec<Value>, out: &mut Vec<Op>) {
    let depth = prefix.len();
    let mut i = 0;
    while i < rows.len() {
        let Some(&kind) = rows[i].kinds.get(depth) else {
            // INVARIANT: `prefix` holds one value of each of the row's parameter types.
            out.extend((rows[i].build)(prefix));
            i += 1;
            continue;
        };
        let group = rows[i..]
            .iter()
            .take_while(|r| r.kinds.get(depth) == Some(&kind))
            .count();
        for value in Value::domain(kind, cfg) {
            prefix.push(value);
            enumerate(cfg, &rows[i..i + group], prefix, out);
            prefix.pop();
        }
        i += group;
    }
}

/// Every operation of the configuration, valid or not, in the universe's order.
pub fn all_ops(cfg: &Config) -> Vec<Op> {
    let rows: Vec<&Row> = ROWS.iter().collect();
    let mut ops = Vec::new();
    enumerate(cfg, &rows, &mut Vec::new(), &mut ops);
    ops
}

/// Every call of the configuration, valid or not, in a fixed order: by caller, then by
/// operation, then by parameters (see `operations.rs` for the order). The checker explores
/// all of them (refused ones simply lead nowhere). The accounts call every operation but
/// the environment's; AWS ([`Acct::AWS`]) calls the environment's, last. A design's threat
/// model ([`Config::threat`]) leaves out the calls an account does not make.
pub fn all_calls(cfg: &Config) -> Vec<Call> {
    let ops = all_ops(cfg);
    let environment = |op: &Op| op.service() == Service::Environment;
    let mut calls = Vec::with_capacity(usize::from(cfg.accounts()) * ops.len());
    for caller in (0..cfg.accounts()).map(Acct) {
        calls.extend(
            ops.iter()
                .filter(|op| !environment(op) && cfg.threat.permits(caller, OpKind::of(op)))
                .map(|&op| Call { caller, op }),
        );
    }
    calls.extend(ops.iter().filter(|op| environment(op)).map(|&op| Call {
        caller: Acct::AWS,
        op,
    }));
    calls
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::call_in_range;

    #[test]
    fn every_enumerated_call_is_in_range() {
        let cfg = Config::default();
        let calls = all_calls(&cfg);
        assert!(calls.iter().all(|c| call_in_range(&cfg, c).is_ok()));
        let distinct: std::collections::HashSet<_> = calls.iter().collect();
        assert_eq!(distinct.len(), calls.len(), "no call is listed twice");
    }

    #[test]
    fn out_of_range_names_the_culprit() {
        let cfg = Config::default();
        let call = Call {
            caller: Acct::MANAGEMENT,
            op: Op::RegisterDelegatedAdministrator(Acct(5)),
        };
        let err = call_in_range(&cfg, &call).unwrap_err();
        assert_eq!(
            err.to_string(),
            "member-5 is beyond the configuration (2 member accounts)"
        );
    }
}
