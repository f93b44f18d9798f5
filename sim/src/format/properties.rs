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
    #[serde(default)]
    invariants: indexmap_like::Ordered<Entry>,
    #[serde(default)]
    reachable: indexmap_like::Ordered<Entry>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Entry {
    Expression(String),
    Table(TableEntry),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableEntry {
    expression: String,
    #[serde(default)]
    description: Option<String>,
}

/// A map that keeps its keys in the file's order (both parsers hand them over in order).
mod indexmap_like {
    use std::fmt;

    use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};

    /// Key-value pairs in the order they were read; a repeated key is an error.
    pub struct Ordered<T>(pub Vec<(String, T)>);

    impl<T> Default for Ordered<T> {
        fn default() -> Self {
            Ordered(Vec::new())
        }
    }

    impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V<T>(std::marker::PhantomData<T>);
            impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
                type Value = Ordered<T>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a table of NAME = \"EXPR\"")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered<T>, A::Error> {
                    let mut out: Vec<(String, T)> = Vec::new();
                    while let Some(key) = map.next_key::<String>()? {
                        if out.iter().any(|(k, _)| *k == key) {
                            return Err(serde::de::Error::custom(format!(
                                "property '{}' is defined twice",
                                idc_model::echo::echo(&key)
                            )));
                        }
                        let value = map.next_value::<T>()?;
                        out.push((key, value));
                    }
                    Ok(Ordered(out))
                }
            }
            d.deserialize_map(V(std::marker::PhantomData))
        }
    }
}

/// Parses a properties file's text: JSON when it starts with `{`, TOML otherwise.
pub fn parse(text: &str) -> Result<Vec<NamedExpression>, PropertiesFileError> {
    let repr: FileRepr = if text.trim_start().starts_with('{') {
        serde_json::from_str(text)
            .map_err(|e| PropertiesFileError::Syntax(one_line(&e.to_string(), 300)))?
    } else {
        toml::from_str(text).map_err(|e| {
            let message = one_line(e.message(), 300);
            let place = e.span().map(|span| {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!("line {line}, column {column}: ")
            });
            PropertiesFileError::Syntax(format!("{}{message}", place.unwrap_or_default()))
        })?
    };
    let mut out = Vec::new();
    for (kind, table) in [
        (Kind::Always, repr.invariants),
        (Kind::Sometimes, repr.reachable),
    ] {
        for (name, entry) in table.0 {
            let (expression, description) = match entry {
                Entry::Expression(e) => (e, None),
                Entry::Table(t) => (t.expression, t.description),
            };
            if out.iter().any(|p: &NamedExpression| p.name == name) {
                return Err(PropertiesFileError::Syntax(format!(
                    "property '{}' is defined twice",
                    echo(&name)
                )));
            }
            out.push(NamedExpression {
                name,
                kind,
                expression,
                description,
            });
        }
    }
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
