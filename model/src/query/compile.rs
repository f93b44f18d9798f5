//! Syntax tree to compiled tree: names resolved against the vocabulary and the
//! configuration, types checked, literals range-checked. The compiled tree holds only small
//! codes (accounts as `u8`, [`NONE`] for none; variables as slots of a fixed environment),
//! so that evaluation neither allocates nor looks a name up.

use super::error::{suggest, QueryError};
use super::parser::{Expr, ExprKind, LastField, Quantifier, Span};
use super::vocabulary::{lookup, numbered, Class, Param, Type, KEYWORDS, VOCABULARY};
use crate::config::Config;
use crate::echo::echo;
use crate::names::AccountNames;
use crate::op_kind::OpKind;
use crate::properties::PROPERTIES;
use crate::rules::Rule;
use crate::state::State;

/// The most quantifiers that may nest (the size of the evaluation environment).
pub const MAX_QUANTIFIERS: usize = 8;

/// The code of `none`: no account, no operation, no identity source.
pub(crate) const NONE: u8 = 0xFF;
/// The code of the Identity Center directory. Active Directory owned by account `a` has the
/// code of `a` (so `active-directory(x)` is `x`'s code, and `active-directory(none)` is
/// [`NONE`]).
pub(crate) const IDENTITY_CENTER_DIRECTORY: u8 = 0x10;
/// The code of an external IdP.
pub(crate) const EXTERNAL_IDP: u8 = 0x11;

/// A compiled value: evaluates to a `u8` code.
#[derive(Clone, Debug)]
pub(crate) enum Val {
    /// A literal's code.
    Lit(u8),
    /// A quantifier's variable, by slot.
    Var(u8),
    /// `delegate`.
    Delegate,
    /// `instance`.
    Instance,
    /// `source`.
    Source,
    /// `last.caller`.
    LastCaller,
    /// `last.call` (an [`OpKind`] as `u8`, or [`NONE`]).
    LastCall,
}

/// A compiled boolean expression.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    Const(bool),
    Not(Box<Node>),
    And(Box<[Node]>),
    Or(Box<[Node]>),
    Implies(Box<Node>, Box<Node>),
    /// `a == b` on booleans.
    Iff(Box<Node>, Box<Node>),
    /// `a == b` on values of one type.
    Eq(Val, Val),
    TrustedAccess,
    AdSync,
    AdSyncPaused,
    LastRefused,
    Registered(Val),
    Invited(Val),
    InOrg(Val),
    Active(Val),
    Closed(Val),
    OwnsDirectory(Val),
    UserExists(Val),
    GroupExists(Val),
    PermissionSetExists(Val),
    /// `member(user, group)`.
    Member(Val, Val),
    /// `reaches(user, account)`.
    Reaches(Val, Val),
    /// `assigned(user, ps, account)`.
    AssignedUser(Val, Val, Val),
    /// `assigned(group, ps, account)`.
    AssignedGroup(Val, Val, Val),
    /// `provisioned(ps, account)`.
    Provisioned(Val, Val),
    /// `controls(account, user)`.
    ControlsUser(Val, Val),
    /// `controls(account, group)`.
    ControlsGroup(Val, Val),
    /// `holds(property)`.
    Holds(fn(&State) -> bool),
    /// `all`/`some` over the codes `lo..hi`, bound in `slot`.
    Quantified {
        all: bool,
        slot: u8,
        lo: u8,
        hi: u8,
        body: Box<Node>,
    },
}

/// The outcome of compiling a query.
#[derive(Clone, Debug)]
pub(crate) struct Compiled {
    pub root: Node,
    pub uses_last: bool,
    pub uses_refused: bool,
    pub names_members: bool,
    pub names_identities: bool,
}

/// Compiles a syntax tree against a configuration whose accounts `names` may name;
/// `text` is the source, for messages.
pub(crate) fn compile(
    e: &Expr,
    text: &str,
    cfg: &Config,
    names: &AccountNames,
) -> Result<Compiled, QueryError> {
    let mut c = Compiler::new(text, cfg, names);
    let root = c.boolean(e)?;
    Ok(Compiled {
        root,
        uses_last: c.uses_last,
        uses_refused: c.uses_refused,
        // With DA-7 relaxed, `delegate` (the lowest-numbered of several) depends on how
        // member accounts are numbered.
        names_members: c.names_members || (c.reads_delegate && !cfg.enforces(Rule::Da7)),
        names_identities: c.names_identities,
    })
}

/// Compiles a syntax tree of any type (a boolean, or a value such as `delegate`) against a
/// configuration, for showing its value ([`Expression`](super::Expression)).
pub(crate) fn compile_any(
    e: &Expr,
    text: &str,
    cfg: &Config,
    names: &AccountNames,
) -> Result<Typed, QueryError> {
    let mut c = Compiler::new(text, cfg, names);
    c.expr(e)
}

/// A compiled expression with its type.
#[derive(Clone, Debug)]
pub(crate) enum Typed {
    Bool(Node),
    Value(Val, Type),
}

struct Binding<'e> {
    name: &'e str,
    ty: Type,
    column: usize,
}

struct Compiler<'a, 'e> {
    text: &'a str,
    cfg: &'a Config,
    /// A design's names for the accounts: each stands for its account as a literal.
    names: &'a AccountNames,
    scope: Vec<Binding<'e>>,
    uses_last: bool,
    uses_refused: bool,
    names_members: bool,
    /// A literal `user-N`, `group-N` or `ps-N` was met.
    names_identities: bool,
    reads_delegate: bool,
}

impl<'a> Compiler<'a, '_> {
    /// A compiler with an empty scope, nothing read yet.
    fn new(text: &'a str, cfg: &'a Config, names: &'a AccountNames) -> Self {
        Compiler {
            text,
            cfg,
            names,
            scope: Vec::new(),
            uses_last: false,
            uses_refused: false,
            names_members: false,
            names_identities: false,
            reads_delegate: false,
        }
    }
}

/// Every domain's name (for suggestions).
fn domains() -> impl Iterator<Item = &'static str> {
    VOCABULARY
        .iter()
        .filter(|t| t.class == Class::Domain)
        .map(|t| t.name)
}

fn is_variable_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

impl<'a, 'e> Compiler<'a, 'e> {
    /// The source text of a span, for messages.
    fn snippet(&self, span: Span) -> String {
        let text: String = self
            .text
            .chars()
            .skip(span.start.saturating_sub(1))
            .take(span.end.saturating_sub(span.start))
            .collect();
        echo(&text)
    }

    fn wrong_type(&self, e: &Expr, expected: &str, found: &str) -> QueryError {
        QueryError::WrongType {
            column: e.span.start,
            expected: expected.to_string(),
            found: self.snippet(e.span),
            found_type: found.to_string(),
        }
    }

    /// Every name a general position accepts, for suggestions: the terms, the domains, the
    /// configuration's literals, the keywords, the variables in scope.
    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = VOCABULARY
            .iter()
            .filter(|t| !t.name.contains(['N', '<']) && t.class != Class::Step)
            .map(|t| t.name.to_string())
            .collect();
        let cfg = self.cfg;
        for (prefix, n) in [
            ("member-", cfg.members),
            ("user-", cfg.users),
            ("group-", cfg.groups),
            ("ps-", cfg.permission_sets),
        ] {
            names.extend((1..=n).map(|i| format!("{prefix}{i}")));
        }
        names.extend(self.names.iter().map(|(_, n)| n.to_string()));
        names.extend(KEYWORDS.iter().map(|k| k.to_string()));
        names.extend(self.scope.iter().map(|b| b.name.to_string()));
        names
    }

    fn unknown_name(&self, name: &str, span: Span, expected: &str) -> QueryError {
        let names = self.names();
        QueryError::UnknownName {
            column: span.start,
            expected: expected.to_string(),
            name: echo(name),
            suggestion: suggest(name, names.iter().map(String::as_str)),
        }
    }

    fn boolean(&mut self, e: &'e Expr) -> Result<Node, QueryError> {
        match self.expr(e)? {
            Typed::Bool(n) => Ok(n),
            Typed::Value(_, t) => Err(self.wrong_type(e, "a boolean", t.article())),
        }
    }

    fn value(&mut self, e: &'e Expr, want: Param) -> Result<(Val, Type), QueryError> {
        match self.expr(e)? {
            Typed::Value(v, t) if want.accepts(t) => Ok((v, t)),
            Typed::Value(_, t) => Err(self.wrong_type(e, want.article(), t.article())),
            Typed::Bool(_) => Err(self.wrong_type(e, want.article(), "a boolean")),
        }
    }

    fn expr(&mut self, e: &'e Expr) -> Result<Typed, QueryError> {
        Ok(match &e.kind {
            ExprKind::Bool(b) => Typed::Bool(Node::Const(*b)),
            ExprKind::None => Typed::Value(Val::Lit(NONE), Type::Account),
            ExprKind::Name(n) => self.name(n, e.span)?,
            ExprKind::Apply {
                name,
                name_span,
                args,
            } => self.apply(name, *name_span, args)?,
            ExprKind::Last(field) => {
                self.uses_last = true;
                match field {
                    LastField::Caller => Typed::Value(Val::LastCaller, Type::Account),
                    LastField::Call => Typed::Value(Val::LastCall, Type::Operation),
                    LastField::Refused => {
                        self.uses_refused = true;
                        Typed::Bool(Node::LastRefused)
                    }
                }
            }
            ExprKind::Not(inner) => Typed::Bool(Node::Not(Box::new(self.boolean(inner)?))),
            ExprKind::And(items) => Typed::Bool(Node::And(self.booleans(items)?)),
            ExprKind::Or(items) => Typed::Bool(Node::Or(self.booleans(items)?)),
            ExprKind::Implies(a, b) => Typed::Bool(Node::Implies(
                Box::new(self.boolean(a)?),
                Box::new(self.boolean(b)?),
            )),
            ExprKind::Compare { negated, lhs, rhs } => {
                let eq = self.compare(lhs, rhs)?;
                Typed::Bool(if *negated {
                    Node::Not(Box::new(eq))
                } else {
                    eq
                })
            }
            ExprKind::Quantified {
                quantifier,
                var,
                var_span,
                domain,
                domain_span,
                body,
            } => Typed::Bool(self.quantified(
                e.span,
                *quantifier,
                (var, *var_span),
                (domain, *domain_span),
                body,
            )?),
        })
    }

    fn booleans(&mut self, items: &'e [Expr]) -> Result<Box<[Node]>, QueryError> {
        items.iter().map(|e| self.boolean(e)).collect()
    }

    /// A numbered literal's code, range-checked.
    fn numbered(&mut self, name: &str, span: Span) -> Option<Result<Typed, QueryError>> {
        let (prefix, ty, n) = numbered(name)?;
        let cfg = self.cfg;
        let limit = match ty {
            Type::Account => cfg.members,
            Type::User => cfg.users,
            Type::Group => cfg.groups,
            _ => cfg.permission_sets,
        };
        if n == 0 || n > u32::from(limit) {
            let range = if limit == 1 {
                format!("{prefix}1 only")
            } else {
                format!("{prefix}1..{prefix}{limit}")
            };
            return Some(Err(QueryError::OutOfRange {
                column: span.start,
                name: echo(name),
                range,
            }));
        }
        // INVARIANT: n ≤ limit ≤ 6 here.
        let code = if ty == Type::Account {
            self.names_members = true;
            n as u8
        } else {
            self.names_identities = true;
            n as u8 - 1
        };
        Some(Ok(Typed::Value(Val::Lit(code), ty)))
    }

    fn name(&mut self, name: &'e str, span: Span) -> Result<Typed, QueryError> {
        if let Some(slot) = self.scope.iter().rposition(|b| b.name == name) {
            return Ok(Typed::Value(Val::Var(slot as u8), self.scope[slot].ty));
        }
        let value = |v, t| Ok(Typed::Value(v, t));
        match name {
            "delegate" => {
                self.reads_delegate = true;
                return value(Val::Delegate, Type::Account);
            }
            "instance" => return value(Val::Instance, Type::Account),
            "source" => return value(Val::Source, Type::Source),
            "trusted-access" => return Ok(Typed::Bool(Node::TrustedAccess)),
            "ad-sync" => return Ok(Typed::Bool(Node::AdSync)),
            "ad-sync-paused" => return Ok(Typed::Bool(Node::AdSyncPaused)),
            "management" => return value(Val::Lit(0), Type::Account),
            // A design's name for an account (`security-tooling`), as its model id.
            _ if self.names.iter().any(|(_, n)| n == name) => {
                if let Some(a) = self.names.account(name) {
                    self.names_members |= !a.is_management();
                    return value(Val::Lit(a.0), Type::Account);
                }
            }
            // AWS itself, the caller of the environment's steps (`last.caller == aws`): an
            // account of no organization, so every account predicate is false of it.
            "aws" => return value(Val::Lit(crate::Acct::AWS.0), Type::Account),
            "identity-center-directory" => {
                return value(Val::Lit(IDENTITY_CENTER_DIRECTORY), Type::Source)
            }
            "external-idp" => return value(Val::Lit(EXTERNAL_IDP), Type::Source),
            _ => {}
        }
        if let Some(r) = self.numbered(name, span) {
            return r;
        }
        let misuse = |found: String, hint: &str| QueryError::Unexpected {
            column: span.start,
            expected: "an expression".to_string(),
            found: format!("{found} ({hint})"),
            suggestion: None,
        };
        match lookup(name) {
            Some(t) if t.class == Class::Function => Err(QueryError::WrongArity {
                column: span.start,
                signature: t.signature,
                expected: t.params.len(),
                found: 0,
            }),
            Some(t) if t.class == Class::Domain => Err(misuse(
                format!("the domain `{name}`"),
                &format!("quantify over it: `all x in {name}: ...`"),
            )),
            Some(t) if t.kind == Type::Operation => Err(misuse(
                format!("the operation name `{name}`"),
                "compare it with `last.call`",
            )),
            _ if PROPERTIES.iter().any(|p| p.name == name) => Err(misuse(
                format!("the property name `{name}`"),
                &format!("write `holds({name})`"),
            )),
            _ => Err(self.unknown_name(name, span, "an expression")),
        }
    }

    fn apply(&mut self, name: &'e str, span: Span, args: &'e [Expr]) -> Result<Typed, QueryError> {
        if self.scope.iter().any(|b| b.name == name) {
            return Err(QueryError::Unexpected {
                column: span.start,
                expected: "a function name before `(`".to_string(),
                found: format!("the variable `{name}`"),
                suggestion: None,
            });
        }
        let Some(term) = lookup(name) else {
            let functions = VOCABULARY
                .iter()
                .filter(|t| t.class == Class::Function)
                .map(|t| t.name);
            return Err(QueryError::UnknownName {
                column: span.start,
                expected: "a function name".to_string(),
                name: echo(name),
                suggestion: suggest(name, functions),
            });
        };
        if term.class != Class::Function && args.is_empty() {
            return Err(QueryError::Unexpected {
                column: span.start,
                expected: "a function name before `(`".to_string(),
                found: format!(
                    "`{name}` ({}, which takes no arguments)",
                    term.kind.article()
                ),
                suggestion: None,
            });
        }
        if term.params.len() != args.len() {
            return Err(QueryError::WrongArity {
                column: span.start,
                signature: term.signature,
                expected: term.params.len(),
                found: args.len(),
            });
        }
        if term.name == "holds" {
            return self.holds(&args[0]).map(Typed::Bool);
        }
        let mut vals = Vec::with_capacity(args.len());
        for (arg, &param) in args.iter().zip(term.params) {
            vals.push(self.value(arg, param)?);
        }
        let mut it = vals.into_iter();
        let mut next = || it.next().expect("arity checked above");
        let node = match term.name {
            "active-directory" => return Ok(Typed::Value(next().0, Type::Source)),
            "registered" => Node::Registered(next().0),
            "invited" => Node::Invited(next().0),
            "in-org" => Node::InOrg(next().0),
            "active" => Node::Active(next().0),
            "closed" => Node::Closed(next().0),
            "owns-directory" => Node::OwnsDirectory(next().0),
            "exists" => match next() {
                (v, Type::User) => Node::UserExists(v),
                (v, Type::Group) => Node::GroupExists(v),
                (v, _) => Node::PermissionSetExists(v),
            },
            "member" => Node::Member(next().0, next().0),
            "reaches" => Node::Reaches(next().0, next().0),
            "assigned" => {
                let (p, t) = next();
                let (ps, a) = (next().0, next().0);
                if t == Type::User {
                    Node::AssignedUser(p, ps, a)
                } else {
                    Node::AssignedGroup(p, ps, a)
                }
            }
            "provisioned" => Node::Provisioned(next().0, next().0),
            "controls" => {
                let a = next().0;
                match next() {
                    (u, Type::User) => Node::ControlsUser(a, u),
                    (g, _) => Node::ControlsGroup(a, g),
                }
            }
            // INVARIANT: every function of the vocabulary is handled above (tested).
            _ => {
                return Err(QueryError::UnknownName {
                    column: span.start,
                    expected: "a function name".to_string(),
                    name: echo(name),
                    suggestion: None,
                })
            }
        };
        Ok(Typed::Bool(node))
    }

    fn holds(&mut self, arg: &Expr) -> Result<Node, QueryError> {
        let names = PROPERTIES.iter().map(|p| p.name);
        let ExprKind::Name(name) = &arg.kind else {
            return Err(QueryError::UnknownProperty {
                column: arg.span.start,
                name: self.snippet(arg.span),
                suggestion: None,
            });
        };
        match PROPERTIES.iter().find(|p| p.name == name) {
            Some(p) => Ok(Node::Holds(p.holds)),
            None => Err(QueryError::UnknownProperty {
                column: arg.span.start,
                name: echo(name),
                suggestion: suggest(name, names),
            }),
        }
    }

    /// `a == b`: booleans, values of one type, or `last.call` with an operation name.
    fn compare(&mut self, lhs: &'e Expr, rhs: &'e Expr) -> Result<Node, QueryError> {
        let is_call = |e: &Expr| matches!(e.kind, ExprKind::Last(LastField::Call));
        if is_call(lhs) || is_call(rhs) {
            self.uses_last = true;
            let other = if is_call(lhs) { rhs } else { lhs };
            return Ok(Node::Eq(Val::LastCall, self.operation(other)?));
        }
        let l = self.expr(lhs)?;
        let r = self.expr(rhs)?;
        match (l, r) {
            (Typed::Bool(a), Typed::Bool(b)) => Ok(Node::Iff(Box::new(a), Box::new(b))),
            (Typed::Value(a, ta), Typed::Value(b, tb)) if ta == tb => Ok(Node::Eq(a, b)),
            (l, r) => {
                let t = |x: &Typed| match x {
                    Typed::Bool(_) => Type::Bool,
                    Typed::Value(_, t) => *t,
                };
                Err(self.wrong_type(rhs, t(&l).article(), t(&r).article()))
            }
        }
    }

    /// The other side of `last.call ==`: an operation name, `none`, or an operation value.
    fn operation(&mut self, e: &'e Expr) -> Result<Val, QueryError> {
        if let ExprKind::Name(name) = &e.kind {
            if let Some(k) = OpKind::parse(name) {
                return Ok(Val::Lit(k as u8));
            }
            let known = self.scope.iter().any(|b| b.name == name) || lookup(name).is_some();
            if !known {
                let names = OpKind::ALL.iter().map(|k| k.name()).chain(["none"]);
                return Err(QueryError::UnknownName {
                    column: e.span.start,
                    expected: "an operation name".to_string(),
                    name: echo(name),
                    suggestion: suggest(name, names),
                });
            }
        }
        match self.expr(e)? {
            Typed::Value(Val::Lit(NONE), Type::Account) => Ok(Val::Lit(NONE)),
            Typed::Value(v, Type::Operation) => Ok(v),
            Typed::Value(_, t) => Err(self.wrong_type(e, "an operation name", t.article())),
            Typed::Bool(_) => Err(self.wrong_type(e, "an operation name", "a boolean")),
        }
    }

    fn quantified(
        &mut self,
        span: Span,
        quantifier: Quantifier,
        (var, var_span): (&'e str, Span),
        (domain, domain_span): (&'e str, Span),
        body: &'e Expr,
    ) -> Result<Node, QueryError> {
        if self.scope.len() == MAX_QUANTIFIERS {
            return Err(QueryError::TooDeep {
                column: span.start,
                limit: MAX_QUANTIFIERS,
                what: "nested quantifiers",
            });
        }
        let cfg = self.cfg;
        let (ty, lo, hi) = match domain {
            "accounts" => (Type::Account, 0, cfg.members + 1),
            "members" => (Type::Account, 1, cfg.members + 1),
            "users" => (Type::User, 0, cfg.users),
            "groups" => (Type::Group, 0, cfg.groups),
            "permission-sets" => (Type::PermissionSet, 0, cfg.permission_sets),
            _ => {
                return Err(QueryError::UnknownName {
                    column: domain_span.start,
                    expected: "a domain (accounts, members, users, groups or permission-sets)"
                        .to_string(),
                    name: echo(domain),
                    suggestion: suggest(domain, domains()),
                })
            }
        };
        if !is_variable_name(var) {
            return Err(QueryError::Unexpected {
                column: var_span.start,
                expected: "a lower-case variable name".to_string(),
                found: format!("`{}`", echo(var)),
                suggestion: None,
            });
        }
        let hidden = match lookup(var) {
            Some(t) if t.class == Class::Domain => Some("a domain".to_string()),
            Some(t) if t.class == Class::Literal => Some("a literal".to_string()),
            Some(_) => Some("a term".to_string()),
            None => self
                .scope
                .iter()
                .find(|b| b.name == var)
                .map(|b| format!("the variable bound at column {}", b.column)),
        };
        if let Some(what) = hidden {
            return Err(QueryError::Shadowing {
                column: var_span.start,
                name: echo(var),
                what,
            });
        }
        let slot = self.scope.len() as u8;
        self.scope.push(Binding {
            name: var,
            ty,
            column: var_span.start,
        });
        let body = self.boolean(body)?;
        self.scope.pop();
        Ok(Node::Quantified {
            all: quantifier == Quantifier::All,
            slot,
            lo,
            hi,
            body: Box::new(body),
        })
    }
}
