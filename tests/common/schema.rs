//! A JSON Schema (draft 2020-12) validator for the schemas of `docs/schema/`, small enough
//! to read: it knows exactly the keywords those schemas use, and panics on any other, so a
//! schema can't use a keyword it would silently skip. It replaces the `jsonschema` crate,
//! whose dependencies (regex engines, IDNA and Unicode tables, big numbers) were a quarter
//! of a fresh clone's `cargo test` build.
//!
//! Keywords: `type`, `const`, `enum`, `properties`, `required`, `additionalProperties`,
//! `propertyNames` (each key checked as a string), `items`, `minItems`, `uniqueItems`,
//! `minimum`, `maximum`, `pattern`, `allOf`, `oneOf`, `$ref` (to `#/…` in the same schema or `FILE#/…` of another file of the directory);
//! `$schema`, `$id`, `$defs`, `title` and `description` only annotate. Patterns are the
//! regular expressions those schemas write: anchors, literals, `[...]` classes with
//! ranges, groups with `|`, and `?`, `*`, `+`.
//!
//! Used by the end-to-end tests (`tests/robustness.rs`) and, through `#[path]`, by the
//! unit test of `sim/src/format/state.rs`.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

/// The schemas of a directory, by file name.
pub struct Schemas {
    files: BTreeMap<String, Value>,
}

impl Schemas {
    /// Reads every `*.json` file of `dir`.
    pub fn load(dir: &Path) -> Schemas {
        let mut files = BTreeMap::new();
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|x| x == "json") {
                let text = std::fs::read_to_string(&path).unwrap();
                let schema: Value = serde_json::from_str(&text)
                    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                let name = path.file_name().unwrap().to_str().unwrap().to_string();
                files.insert(name, schema);
            }
        }
        Schemas { files }
    }

    /// The errors of `doc` against the schema at `reference` (`FILE` or `FILE#/pointer`),
    /// each with the path of the value it is about; empty when `doc` is valid.
    pub fn errors(&self, reference: &str, doc: &Value) -> Vec<String> {
        let (file, schema) = self.resolve("", reference);
        let mut errors = Vec::new();
        self.check(file, schema, doc, "", &mut errors);
        errors
    }

    /// The schema `reference` names, seen from the file `from`, and the file it is in.
    fn resolve<'a>(&'a self, from: &'a str, reference: &str) -> (&'a str, &'a Value) {
        let (file, pointer) = reference.split_once('#').unwrap_or((reference, ""));
        let file = match file.rsplit('/').next().unwrap_or("") {
            "" => from,
            name => self
                .files
                .get_key_value(name)
                .unwrap_or_else(|| panic!("$ref {reference}: no schema {name}"))
                .0
                .as_str(),
        };
        let schema = self.files[file]
            .pointer(pointer)
            .unwrap_or_else(|| panic!("$ref {reference} (in {from}): nothing at {pointer}"));
        (file, schema)
    }

    fn check(&self, file: &str, schema: &Value, doc: &Value, at: &str, errors: &mut Vec<String>) {
        let mut fail = |what: String| errors.push(format!("{what} at {at:?}"));
        let keywords = match schema {
            Value::Bool(true) => return,
            Value::Bool(false) => return fail("false schema: no value is valid".into()),
            Value::Object(keywords) => keywords,
            _ => panic!("{file}: a schema is an object or a boolean: {schema}"),
        };
        let mut nested: Vec<String> = Vec::new();
        for (keyword, value) in keywords {
            match keyword.as_str() {
                "$schema" | "$id" | "$defs" | "title" | "description" => {}
                "$ref" => {
                    let (f, s) = self.resolve(file, value.as_str().expect("$ref is a string"));
                    self.check(f, s, doc, at, &mut nested);
                }
                "type" => {
                    let types: Vec<&str> = match value {
                        Value::String(t) => vec![t.as_str()],
                        Value::Array(ts) => ts.iter().map(|t| t.as_str().unwrap()).collect(),
                        _ => panic!("{file}: type {value}"),
                    };
                    if !types.iter().any(|t| has_type(doc, t)) {
                        fail(format!("{doc} is not of type {value}"));
                    }
                }
                "const" if doc != value => fail(format!("{doc} is not {value}")),
                "enum" if !value.as_array().unwrap().contains(doc) => {
                    fail(format!("{doc} is not one of {value}"))
                }
                "properties" => {
                    if let Value::Object(fields) = doc {
                        for (name, sub) in value.as_object().unwrap() {
                            if let Some(v) = fields.get(name) {
                                self.check(file, sub, v, &format!("{at}/{name}"), &mut nested);
                            }
                        }
                    }
                }
                "required" => {
                    if let Value::Object(fields) = doc {
                        for name in value.as_array().unwrap() {
                            if !fields.contains_key(name.as_str().unwrap()) {
                                fail(format!("{name} is a required property"));
                            }
                        }
                    }
                }
                "additionalProperties" => {
                    if let Value::Object(fields) = doc {
                        let known = keywords.get("properties").and_then(Value::as_object);
                        for (name, v) in fields {
                            if !known.is_some_and(|k| k.contains_key(name)) {
                                self.check(file, value, v, &format!("{at}/{name}"), &mut nested);
                            }
                        }
                    }
                }
                "propertyNames" => {
                    if let Value::Object(fields) = doc {
                        for name in fields.keys() {
                            let key = Value::String(name.clone());
                            self.check(file, value, &key, &format!("{at}/{name}"), &mut nested);
                        }
                    }
                }
                "items" => {
                    if let Value::Array(items) = doc {
                        for (i, v) in items.iter().enumerate() {
                            self.check(file, value, v, &format!("{at}/{i}"), &mut nested);
                        }
                    }
                }
                "minItems" => {
                    if let Value::Array(items) = doc {
                        if (items.len() as u64) < value.as_u64().unwrap() {
                            fail(format!("fewer than {value} items"));
                        }
                    }
                }
                "uniqueItems" => {
                    if let (Value::Array(items), Some(true)) = (doc, value.as_bool()) {
                        if items
                            .iter()
                            .enumerate()
                            .any(|(i, x)| items[..i].contains(x))
                        {
                            fail("items are not unique".into());
                        }
                    }
                }
                "minimum" | "maximum" => {
                    if let (Some(x), Some(bound)) = (doc.as_f64(), value.as_f64()) {
                        if (keyword == "minimum" && x < bound)
                            || (keyword == "maximum" && x > bound)
                        {
                            fail(format!("{doc} is beyond the {keyword} {value}"));
                        }
                    }
                }
                "pattern" => {
                    let pattern = value.as_str().unwrap();
                    if let Value::String(s) = doc {
                        if !Regex::new(pattern).is_match(s) {
                            fail(format!("{doc} does not match {pattern}"));
                        }
                    }
                }
                "allOf" => {
                    for sub in value.as_array().unwrap() {
                        self.check(file, sub, doc, at, &mut nested);
                    }
                }
                "oneOf" => {
                    let valid = value
                        .as_array()
                        .unwrap()
                        .iter()
                        .filter(|sub| {
                            let mut e = Vec::new();
                            self.check(file, sub, doc, at, &mut e);
                            e.is_empty()
                        })
                        .count();
                    if valid != 1 {
                        fail(format!(
                            "{doc} is valid under {valid} of oneOf, not exactly one"
                        ));
                    }
                }
                "const" | "enum" => {}
                other => {
                    panic!("{file}: keyword {other} is not supported by tests/common/schema.rs")
                }
            }
        }
        errors.extend(nested);
    }
}

fn has_type(doc: &Value, t: &str) -> bool {
    match t {
        "null" => doc.is_null(),
        "boolean" => doc.is_boolean(),
        "object" => doc.is_object(),
        "array" => doc.is_array(),
        "string" => doc.is_string(),
        "number" => doc.is_number(),
        "integer" => doc.is_i64() || doc.is_u64() || doc.as_f64().is_some_and(|x| x.fract() == 0.0),
        _ => panic!("unknown type {t}"),
    }
}

/// A regular expression of the small language the schemas' patterns use.
struct Regex {
    alternatives: Vec<Vec<Piece>>,
}

/// An atom and how many times it may repeat.
struct Piece {
    atom: Atom,
    min: usize,
    max: Option<usize>,
}

enum Atom {
    Start,
    End,
    Char(char),
    Class(Vec<(char, char)>),
    Group(Regex),
}

impl Regex {
    fn new(pattern: &str) -> Regex {
        let chars: Vec<char> = pattern.chars().collect();
        let mut at = 0;
        let regex = Regex::parse(&chars, &mut at);
        assert_eq!(at, chars.len(), "pattern {pattern}: unexpected ) at {at}");
        regex
    }

    fn parse(chars: &[char], at: &mut usize) -> Regex {
        let mut alternatives = vec![Vec::new()];
        while *at < chars.len() && chars[*at] != ')' {
            let c = chars[*at];
            *at += 1;
            let atom = match c {
                '|' => {
                    alternatives.push(Vec::new());
                    continue;
                }
                '^' => Atom::Start,
                '$' => Atom::End,
                '(' => {
                    let group = Regex::parse(chars, at);
                    assert_eq!(chars.get(*at), Some(&')'), "unclosed group");
                    *at += 1;
                    Atom::Group(group)
                }
                '[' => {
                    let mut ranges = Vec::new();
                    while chars[*at] != ']' {
                        let low = chars[*at];
                        assert!(
                            low != '^' && low != '\\',
                            "class syntax [{low} not supported"
                        );
                        if chars[*at + 1] == '-' && chars[*at + 2] != ']' {
                            ranges.push((low, chars[*at + 2]));
                            *at += 3;
                        } else {
                            ranges.push((low, low));
                            *at += 1;
                        }
                    }
                    *at += 1;
                    Atom::Class(ranges)
                }
                '\\' | '.' | '{' | '*' | '+' | '?' => {
                    panic!("pattern syntax {c} at {} not supported", *at - 1)
                }
                c => Atom::Char(c),
            };
            let (min, max) = match chars.get(*at) {
                Some('?') => (0, Some(1)),
                Some('*') => (0, None),
                Some('+') => (1, None),
                _ => (1, Some(1)),
            };
            if max != Some(1) || min != 1 {
                *at += 1;
            }
            alternatives
                .last_mut()
                .unwrap()
                .push(Piece { atom, min, max });
        }
        Regex { alternatives }
    }

    /// Whether the pattern matches somewhere in `text` (JSON Schema patterns are not
    /// anchored unless they say so).
    fn is_match(&self, text: &str) -> bool {
        let text: Vec<char> = text.chars().collect();
        (0..=text.len()).any(|start| !self.ends(&text, start).is_empty())
    }

    /// Every position where a match starting at `start` can end.
    fn ends(&self, text: &[char], start: usize) -> Vec<usize> {
        let mut all = Vec::new();
        for pieces in &self.alternatives {
            let mut here = vec![start];
            for piece in pieces {
                let mut next = Vec::new();
                for &from in &here {
                    piece.ends(text, from, &mut next);
                }
                next.sort_unstable();
                next.dedup();
                here = next;
            }
            all.extend(here);
        }
        all
    }
}

impl Piece {
    fn ends(&self, text: &[char], start: usize, out: &mut Vec<usize>) {
        let mut here = vec![start];
        let mut count = 0;
        loop {
            if count >= self.min {
                out.extend(&here);
            }
            if self.max == Some(count) || here.is_empty() {
                return;
            }
            let mut next: Vec<usize> = here.iter().flat_map(|&p| self.atom.ends(text, p)).collect();
            next.sort_unstable();
            next.dedup();
            next.retain(|p| !here.contains(p) || count < self.min);
            here = next;
            count += 1;
        }
    }
}

impl Atom {
    fn ends(&self, text: &[char], at: usize) -> Vec<usize> {
        match self {
            Atom::Start => [at].into_iter().filter(|&p| p == 0).collect(),
            Atom::End => [at].into_iter().filter(|&p| p == text.len()).collect(),
            Atom::Char(c) => (text.get(at) == Some(c))
                .then_some(at + 1)
                .into_iter()
                .collect(),
            Atom::Class(ranges) => text
                .get(at)
                .filter(|c| ranges.iter().any(|(lo, hi)| (lo..=hi).contains(c)))
                .map(|_| at + 1)
                .into_iter()
                .collect(),
            Atom::Group(regex) => regex.ends(text, at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn patterns_match_as_regular_expressions_do() {
        let cases = [
            ("^user-[1-4]$", "user-3", true),
            ("^user-[1-4]$", "user-5", false),
            ("^user-[1-4]$", "xuser-3", false),
            ("^user-[1-4]$", "user-3 ", false),
            ("^(user|group)-[1-4]$", "group-1", true),
            ("^(user|group)-[1-4]$", "usergroup-1", false),
            ("^[A-Z]+-[0-9]+a?$", "IDC-1a", true),
            ("^[A-Z]+-[0-9]+a?$", "IDC-10", true),
            ("^[A-Z]+-[0-9]+a?$", "IDC-a", false),
            ("^[A-Z]+-[0-9]+a?$", "-1", false),
            ("^[QA][0-9]$", "Q5", true),
            ("^[QA][0-9]$", "B5", false),
            ("^idc-[a-z]+$", "idc-check", true),
            ("^idc-[a-z]+$", "idc-", false),
            (
                "^(identity-center-directory|external-idp|active-directory:(management|member-[1-6]))$",
                "active-directory:member-6",
                true,
            ),
            (
                "^(identity-center-directory|external-idp|active-directory:(management|member-[1-6]))$",
                "active-directory:",
                false,
            ),
            ("ab*c", "xxacyy", true),
            ("ab*c", "xxabbbcyy", true),
            ("ab*c", "xxabbyy", false),
        ];
        for (pattern, text, want) in cases {
            assert_eq!(
                Regex::new(pattern).is_match(text),
                want,
                "{pattern} on {text:?}"
            );
        }
    }

    fn schemas(schema: Value) -> Schemas {
        let other = json!({"$defs": {"n": {"type": "integer", "minimum": 1, "maximum": 3}}});
        Schemas {
            files: [
                ("a.json".to_string(), schema),
                ("b.json".to_string(), other),
            ]
            .into_iter()
            .collect(),
        }
    }

    #[test]
    fn each_keyword_refuses_what_it_should() {
        let s = schemas(json!({
            "type": "object",
            "required": ["kind", "n"],
            "additionalProperties": false,
            "properties": {
                "kind": {"enum": ["a", "b"]},
                "n": {"$ref": "b.json#/$defs/n"},
                "tag": {"const": "t"},
                "list": {"type": "array", "items": {"type": "string", "pattern": "^x"},
                         "minItems": 1, "uniqueItems": true},
                "either": {"oneOf": [{"type": "string"}, {"type": ["integer", "null"]}]},
                "both": {"allOf": [{"$ref": "#/$defs/small"}, {"minimum": 0}]},
                "never": false
            },
            "$defs": {"small": {"maximum": 9}}
        }));
        let valid = json!({"kind": "a", "n": 2, "tag": "t", "list": ["x1", "x2"],
                           "either": null, "both": 9});
        assert_eq!(s.errors("a.json", &valid), Vec::<String>::new());
        let invalid = [
            json!([]),
            json!({"kind": "a"}),
            json!({"kind": "c", "n": 2}),
            json!({"kind": "a", "n": 0}),
            json!({"kind": "a", "n": 4}),
            json!({"kind": "a", "n": 2.5}),
            json!({"kind": "a", "n": 2, "other": 1}),
            json!({"kind": "a", "n": 2, "tag": "u"}),
            json!({"kind": "a", "n": 2, "list": []}),
            json!({"kind": "a", "n": 2, "list": ["x", "x"]}),
            json!({"kind": "a", "n": 2, "list": ["y"]}),
            json!({"kind": "a", "n": 2, "list": [1]}),
            json!({"kind": "a", "n": 2, "either": true}),
            json!({"kind": "a", "n": 2, "both": 10}),
            json!({"kind": "a", "n": 2, "both": -1}),
            json!({"kind": "a", "n": 2, "never": 1}),
        ];
        for doc in invalid {
            assert!(!s.errors("a.json", &doc).is_empty(), "{doc} is invalid");
        }
    }

    #[test]
    #[should_panic(expected = "keyword format is not supported")]
    fn an_unknown_keyword_is_an_error_not_skipped() {
        schemas(json!({"format": "email"})).errors("a.json", &json!("x"));
    }
}
