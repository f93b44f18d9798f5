//! The kind of an operation without its parameters ([`OpKind`]): what a state expression
//! compares `last.call` with, and what a checker records of the last step cheaply.

use std::fmt;

use crate::operations::operations;

macro_rules! define_op_kinds {
    (context($($ctx:ident),*);
     $($(#[$doc:meta])* $v:ident $shape:tt
        = $name:literal in $service:ident, gate $gate:ident, rule $rule:expr;)*) => {
        /// An operation without its parameters: one variant per [`Op`](crate::call::Op) variant, with the
        /// same name (one per row of the operations table).
        #[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
        pub enum OpKind { $($(#[$doc])* $v,)* }

        impl OpKind {
            /// Every kind, in the order of [`Op`](crate::call::Op)'s variants.
            pub const ALL: &'static [OpKind] = &[$(OpKind::$v),*];

            /// The operation's AWS name, exactly as [`Op::name`](crate::call::Op::name) gives it
            /// (`EnableAWSServiceAccess`, `ds-data:CreateUser`, `ds:ResetUserPassword`).
            pub fn name(self) -> &'static str {
                match self { $(OpKind::$v => $name),* }
            }
        }
    };
}

operations!(define_op_kinds);

impl OpKind {
    /// Looks a kind up by its AWS name (exact spelling).
    pub fn parse(name: &str) -> Option<OpKind> {
        OpKind::ALL.iter().copied().find(|k| k.name() == name)
    }
}

impl fmt::Display for OpKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calls::all_calls;
    use crate::config::Config;

    #[test]
    fn kinds_are_named_as_their_operations() {
        let calls = all_calls(&Config::default());
        let mut seen = Vec::new();
        for call in &calls {
            let kind = OpKind::of(&call.op);
            assert_eq!(kind.name(), call.op.name(), "{:?}", call.op);
            assert_eq!(OpKind::parse(call.op.name()), Some(kind));
            if !seen.contains(&kind) {
                seen.push(kind);
            }
        }
        // The default configuration's universe has every kind of operation.
        assert_eq!(seen.len(), OpKind::ALL.len());
    }

    #[test]
    fn names_are_distinct_and_parse_back() {
        for (i, k) in OpKind::ALL.iter().enumerate() {
            assert_eq!(OpKind::parse(k.name()), Some(*k));
            assert_eq!(*k as usize, i);
        }
        assert_eq!(OpKind::parse("createuser"), None);
        assert_eq!(
            OpKind::parse("ds:ResetUserPassword"),
            Some(OpKind::DirectoryResetUserPassword)
        );
    }
}
