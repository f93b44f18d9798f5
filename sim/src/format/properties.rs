//! Properties files (`--properties FILE`): a team's own questions, kept next to its design
//! and checked in CI. TOML or JSON, the same shape in both:
//!
//! ```toml
//! [invariants]
//! ad-owner-in-org = "all a in accounts: source == active-directory(a) => in-org(a)"
//!
//! [invariants.no-takeover]
//! expression = "all u in users: reaches(u, management) => controls(management, u)"
//! description = "whoever controls a management user is the management account"
//!
//! [reachable]
//! delegate-owns-source = "delegate != none && source == active-directory(delegate)"
//! ```
//!
//! `invariants` must hold in every reachable state (`always`), `reachable` in some
//! (`sometimes`). A property is an expression, or a table with `expression` and an
//! optional `description`. Properties keep the file's order. The expressions are
//! compiled by the caller (they need the model's configuration).

use std::path::Path;

use serde::Deserialize;

use idc_model::echo::{echo, one_line};
use idc_model::properties::Kind;

/// The largest properties file read.
pub const MAX_BYTES: u64 = 1 << 20;

/// One named property of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedExpression {
    /// Its name.
    pub name: String,
    /// `always` (`invariants`) or `sometimes` (`reachable`).
    pub kind: Kind,
    /// The expression, as written.
    pub expression: String,
    /// What it means, for people.
    pub description: Option<String>,
}

/// Why a properties file can't be used.
#[derive(Debug, thiserror::Error)]
pub enum PropertiesFileError {
    /// The file could not be read.
    #[error("cannot read: {0}")]
    Read(#[from] std::io::Error),
    /// Larger than [`MAX_BYTES`].
    #[error("larger than the {} KiB a properties file may have", MAX_BYTES >> 10)]
    TooLarge,
    /// Not UTF-8.
    #[error("not UTF-8 text")]
    NotText,
    /// Malformed TOML or JSON, or a field of the wrong shape.
    #[error("{0}")]
    Syntax(String),
    /// Neither table has a property.
    #[error("no property: expected an [invariants] or a [reachable] table of NAME = \"EXPR\"")]
    Empty,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileRepr {
    #[serde(default, deserialize_with = "tables::invariants")]
    invariants: Vec<(String, Entry)>,
    #[serde(default, deserialize_with = "tables::reachable")]
    reachable: Vec<(String, Entry)>,
}

/// A property: its expression, and what it means.
pub(crate) enum Entry {
    Expression(String),
    Table(TableEntry),
}

pub(crate) struct TableEntry {
    expression: String,
    description: Option<String>,
}

/// The two tables, read by hand so that a value of the wrong shape is said in the file's
/// words (`'invariants' must be a table of NAME = "EXPR", not a list`), not serde's; the
/// keys keep the file's order (both parsers hand them over in order), and a repeated key is
/// an error.
pub(crate) mod tables {
    use std::fmt;

    use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};

    use super::{Entry, TableEntry};
    use idc_model::echo::echo;

    pub(crate) fn invariants<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<(String, Entry)>, D::Error> {
        d.deserialize_any(Table("invariants"))
    }

    pub(crate) fn reachable<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<(String, Entry)>, D::Error> {
        d.deserialize_any(Table("reachable"))
    }

    /// Says "X must be WANTED, not what it is" for every value that is not a map.
    macro_rules! wrong_types {
        ($value:ty) => {
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<$value, E> {
                Err(self.wrong("true or false"))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<$value, E> {
                Err(self.wrong("a number"))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<$value, E> {
                Err(self.wrong("a number"))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<$value, E> {
                Err(self.wrong("a number"))
            }
            fn visit_unit<E: de::Error>(self) -> Result<$value, E> {
                Err(self.wrong("null"))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<$value, A::Error> {
                Err(self.wrong("a list"))
            }
        };
    }

    /// `invariants` or `reachable`.
    struct Table(&'static str);

    impl Table {
        fn wrong<E: de::Error>(&self, what: &str) -> E {
            E::custom(format!(
                "'{}' must be a table of NAME = \"EXPR\", not {what}",
                self.0
            ))
        }
    }

    impl<'de> Visitor<'de> for Table {
        type Value = Vec<(String, Entry)>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "'{}' as a table of NAME = \"EXPR\"", self.0)
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Err(self.wrong("a string"))
        }
        wrong_types!(Self::Value);
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out: Vec<(String, Entry)> = Vec::new();
            while let Some(key) = map.next_key::<String>()? {
                if out.iter().any(|(k, _)| *k == key) {
                    return Err(de::Error::custom(format!(
                        "property '{}' is defined twice",
                        echo(&key)
                    )));
                }
                let value = map.next_value_seed(Property {
                    table: self.0,
                    name: &key,
                })?;
                out.push((key, value));
            }
            Ok(out)
        }
    }

    /// One property of a table: `"EXPR"`, or a table with `expression` and `description`.
    struct Property<'a> {
        table: &'static str,
        name: &'a str,
    }

    impl Property<'_> {
        fn wrong<E: de::Error>(&self, what: &str) -> E {
            E::custom(format!(
                "{}.{}: a property must be \"EXPR\" or a table with 'expression' (and 'description'), not {what}",
                self.table,
                echo(self.name)
            ))
        }
        fn field<E: de::Error>(&self, field: &str, what: &str) -> E {
            E::custom(format!(
                "{}.{}: '{field}' must be {what}",
                self.table,
                echo(self.name)
            ))
        }
    }

    impl<'de> DeserializeSeed<'de> for Property<'_> {
        type Value = Entry;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Entry, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Property<'_> {
        type Value = Entry;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("\"EXPR\" or a table with 'expression' (and 'description')")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Entry, E> {
            Ok(Entry::Expression(v.to_string()))
        }
        wrong_types!(Entry);
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entry, A::Error> {
            let mut expression = None;
            let mut description = None;
            while let Some(key) = map.next_key::<String>()? {
                let slot = match key.as_str() {
                    "expression" => &mut expression,
                    "description" => &mut description,
                    other => {
                        return Err(de::Error::custom(format!(
                            "{}.{}: unknown key '{}' (a property's table has 'expression' and 'description')",
                            self.table,
                            echo(self.name),
                            echo(other)
                        )))
                    }
                };
                if slot.is_some() {
                    return Err(self.field(&key, "given once"));
                }
                let value: serde_json::Value = map.next_value()?;
                match value {
                    serde_json::Value::String(text) => *slot = Some(text),
                    _ => return Err(self.field(&key, "a string")),
                }
            }
            let expression = expression.ok_or_else(|| self.field("expression", "given"))?;
            Ok(Entry::Table(TableEntry {
                expression,
                description,
            }))
        }
    }
}

/// Parses a TOML or JSON document (JSON when it starts with `{`) into `T`, or says where
/// and why not in one line (`line 2, column 5: ...`).
pub(crate) fn parse_toml_or_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| {
            let full = e.to_string();
            let suffix = format!(" at line {} column {}", e.line(), e.column());
            let message = full.strip_suffix(&suffix).unwrap_or(&full);
            format!(
                "line {}, column {}: {}",
                e.line(),
                e.column(),
                one_line(message, 300)
            )
        })
    } else {
        toml::from_str(text).map_err(|e| {
            let message = one_line(e.message(), 300);
            let place = e.span().map(|span| {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!("line {line}, column {column}: ")
            });
            format!("{}{message}", place.unwrap_or_default())
        })
    }
}

/// The named properties of `invariants` and `reachable` tables, in that order, or the name
/// defined twice.
pub(crate) fn named(
    invariants: Vec<(String, Entry)>,
    reachable: Vec<(String, Entry)>,
) -> Result<Vec<NamedExpression>, String> {
    let mut out = Vec::new();
    for (kind, table) in [(Kind::Always, invariants), (Kind::Sometimes, reachable)] {
        for (name, entry) in table {
            let (expression, description) = match entry {
                Entry::Expression(e) => (e, None),
                Entry::Table(t) => (t.expression, t.description),
            };
            if out.iter().any(|p: &NamedExpression| p.name == name) {
                return Err(format!("property '{}' is defined twice", echo(&name)));
            }
            out.push(NamedExpression {
                name,
                kind,
                expression,
                description,
            });
        }
    }
    Ok(out)
}

/// Parses a properties file's text: JSON when it starts with `{`, TOML otherwise.
pub fn parse(text: &str) -> Result<Vec<NamedExpression>, PropertiesFileError> {
    let repr: FileRepr = parse_toml_or_json(text).map_err(PropertiesFileError::Syntax)?;
    let out = named(repr.invariants, repr.reachable).map_err(PropertiesFileError::Syntax)?;
    if out.is_empty() {
        return Err(PropertiesFileError::Empty);
    }
    Ok(out)
}

/// Reads and parses a properties file (at most [`MAX_BYTES`]).
pub fn read(path: &Path) -> Result<Vec<NamedExpression>, PropertiesFileError> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(PropertiesFileError::TooLarge);
    }
    let text = String::from_utf8(bytes).map_err(|_| PropertiesFileError::NotText)?;
    parse(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_and_json_give_the_same_properties_in_file_order() {
        let toml = r#"
[invariants]
b-first = "delegate != management"
a-second = { expression = "trusted-access", description = "on" }

[reachable]
c = "ad-sync"
"#;
        let json = r#"{"invariants": {"b-first": "delegate != management",
            "a-second": {"expression": "trusted-access", "description": "on"}},
            "reachable": {"c": "ad-sync"}}"#;
        let t = parse(toml).unwrap();
        assert_eq!(t, parse(json).unwrap());
        let names: Vec<_> = t.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["b-first", "a-second", "c"]);
        assert_eq!(t[1].description.as_deref(), Some("on"));
        assert_eq!(t[2].kind, Kind::Sometimes);
    }

    #[test]
    fn bad_files_say_where() {
        let e = parse("[invariants]\nx = 3\n").unwrap_err().to_string();
        assert!(e.starts_with("line 2, column 5:"), "{e}");
        let e = parse("[invariant]\nx = \"true\"\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("invariant"), "{e}");
        assert_eq!(
            parse("").unwrap_err().to_string(),
            "no property: expected an [invariants] or a [reachable] table of NAME = \"EXPR\""
        );
        let e = parse("[invariants]\nx = \"true\"\n[reachable]\nx = \"true\"\n")
            .unwrap_err()
            .to_string();
        assert_eq!(e, "property 'x' is defined twice");
        let e = parse(r#"{"invariants": {"x": "true", "x": "false"}}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("defined twice"), "{e}");
    }
}
