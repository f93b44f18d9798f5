//! Text to syntax tree: a recursive-descent parser over the lexer's tokens. Every node
//! carries its span of 1-based character columns; names are not resolved here (the
//! compiler of [`Query::parse`](super::Query::parse) does that). The grammar is in the
//! [module documentation](super).

use std::fmt;

use super::error::{suggest, QueryError};
use super::lexer::{lex, Tok, Token};
use super::vocabulary::{lookup, Class, Type, KEYWORDS};
use crate::echo::echo;

/// How deep constructs may nest (parentheses, arguments, `!`, `=>`, quantifier bodies), so
/// that parsing, compiling and evaluating never recurse without bound.
pub const MAX_NESTING: usize = 64;

/// Where a node is: 1-based character columns, `end` just after its last character.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Span {
    /// The column of the first character.
    pub start: usize,
    /// The column just after the last character.
    pub end: usize,
}

/// A quantifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Quantifier {
    /// `all X in D: e`.
    All,
    /// `some X in D: e`.
    Some,
}

/// A fact about the last step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LastField {
    /// `last.caller`.
    Caller,
    /// `last.call`.
    Call,
    /// `last.refused`.
    Refused,
}

impl LastField {
    fn name(self) -> &'static str {
        match self {
            LastField::Caller => "caller",
            LastField::Call => "call",
            LastField::Refused => "refused",
        }
    }
}

/// An expression of the syntax tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where it is (parentheses included).
    pub span: Span,
}

/// The forms of an expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExprKind {
    /// `true` or `false`.
    Bool(bool),
    /// `none`.
    None,
    /// A name: a term, a literal, a variable or an operation name.
    Name(String),
    /// A name applied to arguments: `reaches(u, management)`.
    Apply {
        /// The name.
        name: String,
        /// Where the name is.
        name_span: Span,
        /// The arguments.
        args: Vec<Expr>,
    },
    /// `last.caller`, `last.call` or `last.refused`.
    Last(LastField),
    /// `!e`.
    Not(Box<Expr>),
    /// `a && b && …` (two or more).
    And(Vec<Expr>),
    /// `a || b || …` (two or more).
    Or(Vec<Expr>),
    /// `a => b`.
    Implies(Box<Expr>, Box<Expr>),
    /// `a == b`, or `a != b` when negated.
    Compare {
        /// `!=`.
        negated: bool,
        /// The left side.
        lhs: Box<Expr>,
        /// The right side.
        rhs: Box<Expr>,
    },
    /// `all X in D: e` or `some X in D: e`.
    Quantified {
        /// Which quantifier.
        quantifier: Quantifier,
        /// The variable.
        var: String,
        /// Where the variable is.
        var_span: Span,
        /// The domain's name.
        domain: String,
        /// Where the domain is.
        domain_span: Span,
        /// The body.
        body: Box<Expr>,
    },
}

/// Parses `text` into a syntax tree (names unresolved).
pub fn parse(text: &str) -> Result<Expr, QueryError> {
    let mut p = Parser {
        toks: lex(text),
        pos: 0,
        depth: 0,
        binders: Vec::new(),
        cmp_lhs: None,
    };
    let e = p.expr()?;
    if p.peek().tok != Tok::End {
        return Err(p.unexpected("an operator or end of input"));
    }
    Ok(e)
}

struct Parser<'a> {
    toks: Vec<Token<'a>>,
    pos: usize,
    depth: usize,
    /// The quantifiers' variables in scope and their domains, for messages only.
    binders: Vec<(&'a str, &'a str)>,
    /// The type of the left side of the comparison being parsed, for messages only.
    cmp_lhs: Option<Option<Type>>,
}

/// The found part of a message: `` `x` `` or `end of input`.
fn found(t: &Token<'_>) -> String {
    match t.tok {
        Tok::End => "end of input".to_string(),
        _ => format!("`{}`", echo(t.text)),
    }
}

/// The operator a misspelt one probably is.
fn operator_hint(t: &Token<'_>) -> Option<String> {
    let hint = match t.text {
        "=" => "==",
        "&" | "and" | "AND" => "&&",
        "|" | "or" | "OR" => "||",
        "->" | "implies" => "=>",
        "not" | "NOT" => "!",
        _ => return None,
    };
    Some(hint.to_string())
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Token<'a> {
        self.toks[self.pos]
    }

    fn bump(&mut self) -> Token<'a> {
        let t = self.toks[self.pos];
        if t.tok != Tok::End {
            self.pos += 1;
        }
        t
    }

    fn unexpected(&self, expected: &str) -> QueryError {
        let t = self.peek();
        QueryError::Unexpected {
            column: t.col,
            expected: expected.to_string(),
            found: found(&t),
            suggestion: operator_hint(&t),
        }
    }

    fn expect(&mut self, tok: Tok, expected: &str) -> Result<Token<'a>, QueryError> {
        if self.peek().tok == tok {
            Ok(self.bump())
        } else {
            Err(self.unexpected(expected))
        }
    }

    fn enter(&mut self) -> Result<(), QueryError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(QueryError::TooDeep {
                column: self.peek().col,
                limit: MAX_NESTING,
                what: "levels of nesting",
            });
        }
        Ok(())
    }

    /// implication = disjunction [ "=>" implication ]
    fn expr(&mut self) -> Result<Expr, QueryError> {
        self.enter()?;
        let lhs = self.disjunction()?;
        let e = if self.peek().tok == Tok::Implies {
            self.bump();
            let rhs = self.expr()?;
            Expr {
                span: Span {
                    start: lhs.span.start,
                    end: rhs.span.end,
                },
                kind: ExprKind::Implies(Box::new(lhs), Box::new(rhs)),
            }
        } else {
            lhs
        };
        self.depth -= 1;
        Ok(e)
    }

    fn chain(
        &mut self,
        op: Tok,
        item: fn(&mut Self) -> Result<Expr, QueryError>,
        make: fn(Vec<Expr>) -> ExprKind,
    ) -> Result<Expr, QueryError> {
        let first = item(self)?;
        if self.peek().tok != op {
            return Ok(first);
        }
        let mut items = vec![first];
        while self.peek().tok == op {
            self.bump();
            items.push(item(self)?);
        }
        let span = Span {
            start: items[0].span.start,
            end: items[items.len() - 1].span.end,
        };
        Ok(Expr {
            kind: make(items),
            span,
        })
    }

    /// disjunction = conjunction { "||" conjunction }
    fn disjunction(&mut self) -> Result<Expr, QueryError> {
        self.chain(Tok::OrOr, Self::conjunction, ExprKind::Or)
    }

    /// conjunction = negation { "&&" negation }
    fn conjunction(&mut self) -> Result<Expr, QueryError> {
        self.chain(Tok::AndAnd, Self::negation, ExprKind::And)
    }

    /// negation = "!" negation | comparison
    fn negation(&mut self) -> Result<Expr, QueryError> {
        if self.peek().tok != Tok::Bang {
            return self.comparison();
        }
        let bang = self.bump();
        self.enter()?;
        let inner = self.negation()?;
        self.depth -= 1;
        Ok(Expr {
            span: Span {
                start: bang.col,
                end: inner.span.end,
            },
            kind: ExprKind::Not(Box::new(inner)),
        })
    }

    /// comparison = atom [ ( "==" | "!=" ) atom ]
    fn comparison(&mut self) -> Result<Expr, QueryError> {
        let lhs = self.atom()?;
        let negated = match self.peek().tok {
            Tok::EqEq => false,
            Tok::NotEq => true,
            _ => return Ok(lhs),
        };
        self.bump();
        self.cmp_lhs = Some(self.syntactic_type(&lhs));
        let rhs = self.atom()?;
        self.cmp_lhs = None;
        if matches!(self.peek().tok, Tok::EqEq | Tok::NotEq) {
            return Err(self.unexpected("`&&`, `||`, `=>` or the end (comparisons do not chain)"));
        }
        Ok(Expr {
            span: Span {
                start: lhs.span.start,
                end: rhs.span.end,
            },
            kind: ExprKind::Compare {
                negated,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
            },
        })
    }

    /// The error for a token that starts no expression, saying after what one was expected.
    fn no_expression(&self) -> QueryError {
        let prev = self.pos.checked_sub(1).map(|i| self.toks[i]);
        let expected = match prev {
            Some(p) if matches!(p.tok, Tok::EqEq | Tok::NotEq) => {
                let what = match self.cmp_lhs {
                    Some(Some(t)) => t.article(),
                    _ => "an expression",
                };
                format!("{what} after `{}`", p.text)
            }
            Some(p)
                if matches!(
                    p.tok,
                    Tok::AndAnd
                        | Tok::OrOr
                        | Tok::Implies
                        | Tok::Bang
                        | Tok::LParen
                        | Tok::Comma
                        | Tok::Colon
                ) =>
            {
                format!("an expression after `{}`", p.text)
            }
            _ => "an expression".to_string(),
        };
        let t = self.peek();
        // A misspelt operator (`=`, `&`) where an operand should be.
        let suggestion = operator_hint(&t).filter(|_| t.tok == Tok::Bad);
        QueryError::Unexpected {
            column: t.col,
            expected,
            found: found(&t),
            suggestion,
        }
    }

    /// atom = quantifier | "(" expr ")" | "true" | "false" | "none"
    ///      | "last" "." ( "caller" | "call" | "refused" ) | name [ arguments ]
    fn atom(&mut self) -> Result<Expr, QueryError> {
        let t = self.peek();
        let leaf = |kind| {
            Ok(Expr {
                kind,
                span: Span {
                    start: t.col,
                    end: t.end,
                },
            })
        };
        match t.tok {
            Tok::LParen => {
                self.bump();
                let inner = self.expr()?;
                let close = self.expect(Tok::RParen, "`)`")?;
                Ok(Expr {
                    kind: inner.kind,
                    span: Span {
                        start: t.col,
                        end: close.end,
                    },
                })
            }
            Tok::Ident => match t.text {
                "all" | "some" => self.quantified(),
                "true" | "false" => {
                    self.bump();
                    leaf(ExprKind::Bool(t.text == "true"))
                }
                "none" => {
                    self.bump();
                    leaf(ExprKind::None)
                }
                "last" => self.last(),
                "in" => Err(self.no_expression()),
                name => {
                    self.bump();
                    if self.peek().tok != Tok::LParen {
                        return leaf(ExprKind::Name(name.to_string()));
                    }
                    self.arguments(t)
                }
            },
            _ => Err(self.no_expression()),
        }
    }

    /// arguments = "(" [ expr { "," expr } ] ")"
    fn arguments(&mut self, name: Token<'a>) -> Result<Expr, QueryError> {
        self.bump();
        let mut args = Vec::new();
        if self.peek().tok != Tok::RParen {
            loop {
                args.push(self.expr()?);
                if self.peek().tok == Tok::Comma {
                    self.bump();
                } else {
                    break;
                }
            }
        }
        let close = self.expect(Tok::RParen, "`,` or `)`")?;
        Ok(Expr {
            kind: ExprKind::Apply {
                name: name.text.to_string(),
                name_span: Span {
                    start: name.col,
                    end: name.end,
                },
                args,
            },
            span: Span {
                start: name.col,
                end: close.end,
            },
        })
    }

    /// "last" "." ( "caller" | "call" | "refused" )
    fn last(&mut self) -> Result<Expr, QueryError> {
        let kw = self.bump();
        self.expect(
            Tok::Dot,
            "`.` after `last` (last.caller, last.call or last.refused)",
        )?;
        let t = self.peek();
        let field = match (t.tok, t.text) {
            (Tok::Ident, "caller") => LastField::Caller,
            (Tok::Ident, "call") => LastField::Call,
            (Tok::Ident, "refused") => LastField::Refused,
            _ => {
                let suggestion = (t.tok == Tok::Ident)
                    .then(|| suggest(t.text, ["caller", "call", "refused"]))
                    .flatten();
                return Err(QueryError::Unexpected {
                    column: t.col,
                    expected: "`caller`, `call` or `refused` after `last.`".to_string(),
                    found: found(&t),
                    suggestion,
                });
            }
        };
        self.bump();
        Ok(Expr {
            kind: ExprKind::Last(field),
            span: Span {
                start: kw.col,
                end: t.end,
            },
        })
    }

    /// quantifier = ( "all" | "some" ) variable "in" domain ":" expr
    fn quantified(&mut self) -> Result<Expr, QueryError> {
        let kw = self.bump();
        let quantifier = if kw.text == "all" {
            Quantifier::All
        } else {
            Quantifier::Some
        };
        let var = self.peek();
        if var.tok != Tok::Ident || KEYWORDS.contains(&var.text) {
            return Err(self.unexpected(&format!("a variable name after `{}`", kw.text)));
        }
        self.bump();
        let t = self.peek();
        if t.tok != Tok::Ident || t.text != "in" {
            let mut e = self.unexpected("`in` after the variable");
            if let QueryError::Unexpected { suggestion, .. } = &mut e {
                *suggestion = None;
            }
            return Err(e);
        }
        self.bump();
        let domain = self.expect(
            Tok::Ident,
            "a domain (accounts, members, users, groups or permission-sets) after `in`",
        )?;
        self.expect(Tok::Colon, "`:` after the domain")?;
        self.binders.push((var.text, domain.text));
        let body = self.expr()?;
        self.binders.pop();
        Ok(Expr {
            span: Span {
                start: kw.col,
                end: body.span.end,
            },
            kind: ExprKind::Quantified {
                quantifier,
                var: var.text.to_string(),
                var_span: Span {
                    start: var.col,
                    end: var.end,
                },
                domain: domain.text.to_string(),
                domain_span: Span {
                    start: domain.col,
                    end: domain.end,
                },
                body: Box::new(body),
            },
        })
    }

    /// The type an expression has if it compiles, as far as its syntax tells (for messages).
    fn syntactic_type(&self, e: &Expr) -> Option<Type> {
        match &e.kind {
            ExprKind::Bool(_)
            | ExprKind::Not(_)
            | ExprKind::And(_)
            | ExprKind::Or(_)
            | ExprKind::Implies(..)
            | ExprKind::Compare { .. }
            | ExprKind::Quantified { .. } => Some(Type::Bool),
            ExprKind::None => Some(Type::Account),
            ExprKind::Last(LastField::Caller) => Some(Type::Account),
            ExprKind::Last(LastField::Call) => Some(Type::Operation),
            ExprKind::Last(LastField::Refused) => Some(Type::Bool),
            ExprKind::Name(n) => match self.binders.iter().rev().find(|(v, _)| v == n) {
                Some((_, domain)) => lookup(domain)
                    .filter(|t| t.class == Class::Domain)
                    .map(|t| t.kind),
                None => lookup(n)
                    .filter(|t| matches!(t.class, Class::Literal | Class::State))
                    .map(|t| t.kind),
            },
            ExprKind::Apply { name, .. } => lookup(name)
                .filter(|t| t.class == Class::Function)
                .map(|t| t.kind),
        }
    }
}

// ------------------------------------------------------------------------ pretty-printing

/// Binding strength, loosest first.
fn level(e: &Expr) -> u8 {
    match e.kind {
        ExprKind::Implies(..) => 0,
        ExprKind::Or(_) => 1,
        ExprKind::And(_) => 2,
        ExprKind::Not(_) => 3,
        ExprKind::Compare { .. } => 4,
        // A quantifier's body extends to the right: parenthesised unless alone.
        ExprKind::Quantified { .. } => 0,
        _ => 5,
    }
}

struct At<'a>(&'a Expr, u8);

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if level(self.0) < self.1 {
            write!(f, "({})", self.0)
        } else {
            self.0.fmt(f)
        }
    }
}

impl fmt::Display for Expr {
    /// The expression in the language, with the parentheses its structure needs: parsing
    /// the text gives the same tree (up to spans).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |f: &mut fmt::Formatter<'_>, items: &[Expr], op: &str, at: u8| {
            for (i, e) in items.iter().enumerate() {
                if i > 0 {
                    write!(f, " {op} ")?;
                }
                write!(f, "{}", At(e, at))?;
            }
            Ok(())
        };
        match &self.kind {
            ExprKind::Bool(b) => write!(f, "{b}"),
            ExprKind::None => f.write_str("none"),
            ExprKind::Name(n) => f.write_str(n),
            ExprKind::Apply { name, args, .. } => {
                write!(f, "{name}(")?;
                list(f, args, ",", 0)?;
                f.write_str(")")
            }
            ExprKind::Last(field) => write!(f, "last.{}", field.name()),
            ExprKind::Not(e) => write!(f, "!{}", At(e, 3)),
            ExprKind::And(items) => list(f, items, "&&", 3),
            ExprKind::Or(items) => list(f, items, "||", 2),
            ExprKind::Implies(a, b) => write!(f, "{} => {}", At(a, 1), At(b, 0)),
            ExprKind::Compare { negated, lhs, rhs } => {
                let op = if *negated { "!=" } else { "==" };
                write!(f, "{} {op} {}", At(lhs, 5), At(rhs, 5))
            }
            ExprKind::Quantified {
                quantifier,
                var,
                domain,
                body,
                ..
            } => {
                let q = match quantifier {
                    Quantifier::All => "all",
                    Quantifier::Some => "some",
                };
                write!(f, "{q} {var} in {domain}: {body}")
            }
        }
    }
}
