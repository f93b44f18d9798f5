//! Why a query was not understood: one line, with the 1-based character column.

use std::fmt;

/// Why a query's text was not accepted. Every variant carries the 1-based character
/// column of the culprit; the message is one line, ``column N: expected WHAT, found
/// WHAT``, followed by ``; did you mean `NAME`?`` when a known name is near.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// A token that does not fit where it is, or the end of the input.
    #[error("column {column}: expected {expected}, found {found}{}", Hint(.suggestion))]
    Unexpected {
        /// Where.
        column: usize,
        /// What would have fitted (`an expression`, `` `)` ``).
        expected: String,
        /// What is there (`` `x` ``, `end of input`).
        found: String,
        /// A near token or name, if any.
        suggestion: Option<String>,
    },
    /// A name that is no term, literal, domain, variable or operation.
    #[error("column {column}: expected {expected}, found unknown name `{name}`{}", Hint(.suggestion))]
    UnknownName {
        /// Where.
        column: usize,
        /// What would have fitted (`an expression`, `a domain (…)`, `an operation name`).
        expected: String,
        /// The name.
        name: String,
        /// The nearest known name, if any.
        suggestion: Option<String>,
    },
    /// A value of the wrong type.
    #[error("column {column}: expected {expected}, found `{found}` ({found_type})")]
    WrongType {
        /// Where the value starts.
        column: usize,
        /// The type wanted, in words (`an account`).
        expected: String,
        /// The expression's text.
        found: String,
        /// Its type, in words (`an identity source`).
        found_type: String,
    },
    /// A term applied to the wrong number of arguments (or a constant to any).
    #[error("column {column}: expected {} for `{signature}`, found {}", Count(*.expected), Count(*.found))]
    WrongArity {
        /// Where the term is.
        column: usize,
        /// The term's signature.
        signature: &'static str,
        /// How many arguments it takes.
        expected: usize,
        /// How many it was given.
        found: usize,
    },
    /// A literal beyond the configuration (`member-3` with two members).
    #[error("column {column}: {name} is out of range: this model has {range}")]
    OutOfRange {
        /// Where.
        column: usize,
        /// The literal.
        name: String,
        /// What the configuration has (`member-1..member-2`).
        range: String,
    },
    /// `holds(…)` of a name that is no built-in property.
    #[error("column {column}: expected a property name, found `{name}`{}", Hint(.suggestion))]
    UnknownProperty {
        /// Where.
        column: usize,
        /// The name (or the text) given.
        name: String,
        /// The nearest property name, if any.
        suggestion: Option<String>,
    },
    /// Quantifiers (or, to bound recursion, any constructs) nested too deep.
    #[error("column {column}: expected at most {limit} {what}, found more")]
    TooDeep {
        /// Where the one too many starts.
        column: usize,
        /// The limit.
        limit: usize,
        /// What is nested (`nested quantifiers`).
        what: &'static str,
    },
    /// A quantifier's variable named like a term, a literal, a domain or a variable in
    /// scope.
    #[error("column {column}: expected a fresh variable name, found `{name}` ({what})")]
    Shadowing {
        /// Where the variable is.
        column: usize,
        /// Its name.
        name: String,
        /// What it would hide (`a term`, `the variable bound at column 5`).
        what: String,
    },
}

impl QueryError {
    /// The 1-based character column of the culprit.
    pub fn column(&self) -> usize {
        match *self {
            QueryError::Unexpected { column, .. }
            | QueryError::UnknownName { column, .. }
            | QueryError::WrongType { column, .. }
            | QueryError::WrongArity { column, .. }
            | QueryError::OutOfRange { column, .. }
            | QueryError::UnknownProperty { column, .. }
            | QueryError::TooDeep { column, .. }
            | QueryError::Shadowing { column, .. } => column,
        }
    }

    /// The suggested name, if the message has one.
    pub fn suggestion(&self) -> Option<&str> {
        match self {
            QueryError::Unexpected { suggestion, .. }
            | QueryError::UnknownName { suggestion, .. }
            | QueryError::UnknownProperty { suggestion, .. } => suggestion.as_deref(),
            _ => None,
        }
    }
}

/// `; did you mean `x`?`, or nothing.
struct Hint<'a>(&'a Option<String>);

impl fmt::Display for Hint<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(name) => write!(f, "; did you mean `{name}`?"),
            None => Ok(()),
        }
    }
}

/// `no arguments`, `1 argument`, `2 arguments`.
struct Count(usize);

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            0 => f.write_str("no arguments"),
            1 => f.write_str("1 argument"),
            n => write!(f, "{n} arguments"),
        }
    }
}

/// The Levenshtein distance between two names, ignoring ASCII case, stopping early above
/// `limit` (returns `limit + 1` then).
fn distance(a: &str, b: &str, limit: usize) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        let mut best = row[0];
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(here + 1);
            prev = here;
            best = best.min(row[j + 1]);
        }
        if best > limit {
            return limit + 1;
        }
    }
    row[b.len()]
}

/// The known name nearest to `name`: within edit distance 2 (ignoring case, and less than
/// the name's length), else one that starts with it (or that it starts with), at least
/// three characters long. Ties go to the first candidate.
pub(crate) fn suggest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let len = name.chars().count();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == name {
            continue;
        }
        let d = distance(name, c, 2);
        let score = if d <= 2 && d < len {
            d
        } else if (len >= 3 && c.starts_with(name)) || (c.len() >= 3 && name.starts_with(c)) {
            3
        } else {
            continue;
        };
        if best.is_none_or(|(b, _)| score < b) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(distance("delegat", "delegate", 2), 1);
        assert_eq!(distance("Delegate", "delegate", 2), 0);
        assert_eq!(distance("abc", "xyz", 2), 3);
        assert_eq!(distance("a", "abcdef", 2), 3);
    }

    #[test]
    fn suggestions() {
        let names = ["delegate", "in-org", "reaches", "accounts", "in"];
        assert_eq!(suggest("delegat", names).as_deref(), Some("delegate"));
        assert_eq!(suggest("reach", names).as_deref(), Some("reaches"));
        assert_eq!(suggest("in-organization", names).as_deref(), Some("in-org"));
        assert_eq!(suggest("x", names), None);
        assert_eq!(suggest("zzzzzz", names), None);
        assert_eq!(suggest("account", names).as_deref(), Some("accounts"));
    }

    #[test]
    fn messages_are_one_line() {
        let e = QueryError::WrongArity {
            column: 3,
            signature: "member(user, group)",
            expected: 2,
            found: 1,
        };
        assert_eq!(
            e.to_string(),
            "column 3: expected 2 arguments for `member(user, group)`, found 1 argument"
        );
        let e = QueryError::UnknownName {
            column: 1,
            expected: "an expression".into(),
            name: "delegat".into(),
            suggestion: Some("delegate".into()),
        };
        assert_eq!(
            e.to_string(),
            "column 1: expected an expression, found unknown name `delegat`; did you mean `delegate`?"
        );
        assert_eq!(e.column(), 1);
    }
}
