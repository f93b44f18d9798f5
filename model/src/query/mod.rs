//! A small language of state expressions: what a user asks of the model's states
//! (`reaches(user-1, management) => delegate == none`), parsed once, checked against a
//! configuration, and evaluated cheaply on millions of states.
//!
//! # The language
//!
//! An expression is a boolean built from the terms of [`VOCABULARY`]:
//!
//! * literals: the accounts `management`, `member-N` (1 ≤ N ≤ the configuration's
//!   members) and `none` (no account); `user-N`, `group-N`, `ps-N` (within the
//!   configuration's universe, existing or not); the identity sources
//!   `identity-center-directory`, `external-idp` and `active-directory(ACCOUNT)` (any
//!   account-valued expression; `active-directory(none)` is no source, equal to no
//!   state's source); `true`, `false`; an operation's AWS name ([`OpKind::name`]), only as
//!   the other side of `last.call ==` or `!=`;
//! * the state: `delegate` (the registered delegated administrator, the lowest-numbered if
//!   several — possible only with DA-7 relaxed — or `none`), `source`, `instance` (the
//!   owner of the organization instance, or `none`), `trusted-access`, `ad-sync`,
//!   `ad-sync-paused`;
//! * predicates: `registered(a)`, `invited(a)`, `in-org(a)`, `active(a)`, `closed(a)`,
//!   `owns-directory(a)`, `exists(x)`, `member(u, g)`, `reaches(u, a)`,
//!   `assigned(p, ps, a)`, `provisioned(ps, a)`, `controls(a, p)`, `holds(PROPERTY)` (a
//!   built-in property of [`PROPERTIES`](crate::PROPERTIES), by its stable name). Every
//!   predicate of `none` is false;
//! * the last step: `last.caller` (an account, `none` at the initial state), `last.call`
//!   (compared with an operation name or `none`), `last.refused`;
//! * operators: `==` and `!=` (both sides of one type: two accounts, `none` being one; two
//!   sources; two users, groups or permission sets; two booleans; `last.call` and an
//!   operation name), `!`, `&&`, `||`, `=>` (right-associative), parentheses;
//! * quantifiers `all X in D: e` and `some X in D: e` over the domains `accounts` (the
//!   management account and every member), `members`, `users`, `groups`,
//!   `permission-sets` (the configuration's whole universe: `exists(x)` restricts to what
//!   exists). A quantifier's body extends as far right as possible; at most
//!   [`MAX_QUANTIFIERS`] nest. Its variable is a lower-case name that is no term, literal,
//!   keyword or variable in scope.
//!
//! Names are made of ASCII letters, digits and `-` (`member-1`, `in-org` and
//! `permission-sets` are single names); `ds-data:` and `ds:` followed by a letter join
//! across the colon into one operation name (`ds-data:CreateUser`). Whitespace is
//! insignificant. The keywords are `all`, `some`, `in`, `last`, `true`, `false`, `none`.
//!
//! # Grammar
//!
//! From loosest to tightest: quantifier body, `=>`, `||`, `&&`, `!`, `==`/`!=`, atoms.
//!
//! ```text
//! query       = expr END ;
//! expr        = disjunction [ "=>" expr ] ;                 (* right-associative *)
//! disjunction = conjunction { "||" conjunction } ;
//! conjunction = negation { "&&" negation } ;
//! negation    = "!" negation | comparison ;
//! comparison  = atom [ ( "==" | "!=" ) atom ] ;             (* does not chain *)
//! atom        = quantifier
//!             | "(" expr ")"
//!             | "true" | "false" | "none"
//!             | "last" "." ( "caller" | "call" | "refused" )
//!             | name [ "(" [ expr { "," expr } ] ")" ] ;
//! quantifier  = ( "all" | "some" ) variable "in" domain ":" expr ;
//! domain      = "accounts" | "members" | "users" | "groups" | "permission-sets" ;
//! name        = alnum { alnum | "-" } | ( "ds-data:" | "ds:" ) letter { alnum | "-" } ;
//! variable    = lower { lower | digit | "-" } ;             (* not a term or keyword *)
//! ```
//!
//! # Using it
//!
//! [`Query::parse`] parses, resolves and type-checks once; [`Query::eval`] evaluates a
//! compiled tree of small codes without allocating. Errors ([`QueryError`]) are one line
//! with the column: `column 12: expected an account after `==`, found end of input`.

mod compile;
mod error;
mod eval;
mod lexer;
pub mod parser;
pub mod vocabulary;

#[cfg(test)]
mod tests;

use std::fmt;

pub use compile::MAX_QUANTIFIERS;
pub use error::QueryError;
pub use vocabulary::{Term, Type, VOCABULARY};

use crate::account::Acct;
use crate::config::Config;
use crate::names::AccountNames;
use crate::op_kind::OpKind;
use crate::state::State;

/// A compiled query: immutable, cheap to clone, shareable between threads.
#[derive(Clone, Debug)]
pub struct Query {
    text: Box<str>,
    root: compile::Node,
    uses_last: bool,
    uses_refused: bool,
    names_members: bool,
    names_identities: bool,
}

/// The last step, for `last.*`: all `None`/`false` at the initial state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Last {
    /// The caller of the last call.
    pub caller: Option<Acct>,
    /// The operation of the last call.
    pub op: Option<OpKind>,
    /// Whether the last call was refused (the state did not change).
    pub refused: bool,
}

impl Query {
    /// Parses, resolves and type-checks `text` against the configuration (literal ranges:
    /// `member-N` up to `cfg.members`, `user-N` up to `cfg.users`, …).
    pub fn parse(text: &str, cfg: &Config) -> Result<Query, QueryError> {
        Query::parse_named(text, cfg, &AccountNames::default())
    }

    /// [`Query::parse`], where a design's name for an account (`security-tooling`) stands
    /// for that account as its model id does.
    pub fn parse_named(
        text: &str,
        cfg: &Config,
        names: &AccountNames,
    ) -> Result<Query, QueryError> {
        let ast = parser::parse(text)?;
        let c = compile::compile(&ast, text, cfg, names)?;
        Ok(Query {
            text: text.into(),
            root: c.root,
            uses_last: c.uses_last,
            uses_refused: c.uses_refused,
            names_members: c.names_members,
            names_identities: c.names_identities,
        })
    }

    /// Evaluates the query on a state, given the last step (see [`Last`]). Never allocates
    /// and never panics.
    pub fn eval(&self, s: &State, last: &Last) -> bool {
        eval::Ctx::new(s, last).eval(&self.root)
    }

    /// Whether it reads `last.caller`, `last.call` or `last.refused` (then the checker
    /// judges it per transition).
    pub fn uses_last(&self) -> bool {
        self.uses_last
    }

    /// Whether it reads `last.refused`: whether the last call was refused is the one fact of
    /// a step that can depend on account instances (IDC-1a: `CreateInstance` is refused
    /// where one exists), so a checker that identifies states differing only in account
    /// instances must not use that reduction with such a query.
    pub fn uses_refused(&self) -> bool {
        self.uses_refused
    }

    /// Whether it names a particular member account (a literal `member-N` anywhere,
    /// including inside `active-directory(member-N)`): such a query is not invariant under
    /// renaming member accounts, so the checker must not use symmetry reduction with it.
    /// Also true when it reads `delegate` in a configuration that relaxes DA-7: with
    /// several delegates, `delegate` is the lowest-numbered one, which depends on the
    /// numbering.
    pub fn names_members(&self) -> bool {
        self.names_members
    }

    /// Whether it names a particular user, group or permission set (a literal `user-N`,
    /// `group-N` or `ps-N` anywhere): such a query is not invariant under renaming
    /// identities, so the checker must not identify states up to renaming them. Quantifiers
    /// over `users`, `groups` and `permission-sets` name none.
    pub fn names_identities(&self) -> bool {
        self.names_identities
    }

    /// The source text.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// An expression of any type, for showing its value at each step of a trace
/// (`idc replay --show`, the explorer's columns): a boolean query, or a value term such as
/// `delegate`, `source`, `instance`, `last.caller` or `last.call`.
#[derive(Clone, Debug)]
pub struct Expression {
    text: Box<str>,
    root: compile::Typed,
}

/// The value of an [`Expression`] in a state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shown {
    /// A boolean expression's value.
    Bool(bool),
    /// A value's name, as the language writes it (`member-1`, `none`,
    /// `active-directory(member-1)`, `CreateInstance`).
    Value(String),
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shown::Bool(b) => write!(f, "{b}"),
            Shown::Value(v) => f.write_str(v),
        }
    }
}

impl Expression {
    /// Parses, resolves and type-checks `text` against the configuration, as
    /// [`Query::parse`] does, but accepts an expression of any type.
    pub fn parse(text: &str, cfg: &Config) -> Result<Expression, QueryError> {
        Expression::parse_named(text, cfg, &AccountNames::default())
    }

    /// [`Expression::parse`], where a design's name for an account stands for it.
    pub fn parse_named(
        text: &str,
        cfg: &Config,
        names: &AccountNames,
    ) -> Result<Expression, QueryError> {
        let ast = parser::parse(text)?;
        let root = compile::compile_any(&ast, text, cfg, names)?;
        Ok(Expression {
            text: text.into(),
            root,
        })
    }

    /// The expression's value in a state, given the last step.
    pub fn eval(&self, s: &State, last: &Last) -> Shown {
        let mut ctx = eval::Ctx::new(s, last);
        match &self.root {
            compile::Typed::Bool(n) => Shown::Bool(ctx.eval(n)),
            compile::Typed::Value(v, t) => Shown::Value(name_of(ctx.val(v), *t)),
        }
    }

    /// The source text.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// The name of a value's code of type `t`, as the language writes it.
fn name_of(code: u8, t: Type) -> String {
    use crate::account::MAX_ACCOUNTS;
    if code == compile::NONE {
        return "none".to_string();
    }
    match t {
        Type::Account => Acct(code).to_string(),
        Type::Source => match code {
            compile::IDENTITY_CENTER_DIRECTORY => "identity-center-directory".to_string(),
            compile::EXTERNAL_IDP => "external-idp".to_string(),
            a if usize::from(a) < MAX_ACCOUNTS => format!("active-directory({})", Acct(a)),
            _ => "none".to_string(),
        },
        Type::User => format!("user-{}", u32::from(code) + 1),
        Type::Group => format!("group-{}", u32::from(code) + 1),
        Type::PermissionSet => format!("ps-{}", u32::from(code) + 1),
        Type::Operation => OpKind::ALL
            .get(usize::from(code))
            .map_or_else(|| "none".to_string(), |k| k.name().to_string()),
        Type::Bool => (code != 0).to_string(),
    }
}

impl fmt::Display for Query {
    /// The source text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
