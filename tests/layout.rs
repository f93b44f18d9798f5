//! The shape of the product code (issue 17): no product file over 700 lines, no product
//! function over 120 lines, and no import cycle between the files of a crate. Product code
//! is `model/src` and `sim/src` without test modules (`tests.rs`, `#[cfg(test)] mod tests`).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 700;
const MAX_FN_LINES: usize = 120;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the crate is in the workspace")
        .to_path_buf()
}

/// Every `.rs` file below `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).expect("readable source folder") {
            let path = entry.expect("readable entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The product files: every source file but test modules kept in files of their own.
fn product_files() -> Vec<PathBuf> {
    let root = workspace();
    ["model/src", "sim/src"]
        .iter()
        .flat_map(|d| rust_files(&root.join(d)))
        .filter(|p| p.file_name().is_some_and(|n| n != "tests.rs"))
        .collect()
}

/// The file's lines up to its `#[cfg(test)] mod tests` (unit tests sit at the end).
fn product_lines(text: &str) -> Vec<&str> {
    let lines: Vec<&str> = text.lines().collect();
    let end = lines
        .windows(2)
        .position(|w| w[0].trim() == "#[cfg(test)]" && w[1].trim_start().starts_with("mod tests"))
        .unwrap_or(lines.len());
    lines[..end].to_vec()
}

fn relative(p: &Path) -> String {
    p.strip_prefix(workspace())
        .unwrap_or(p)
        .display()
        .to_string()
}

#[test]
fn no_product_file_is_over_700_lines() {
    let long: Vec<String> = product_files()
        .iter()
        .filter_map(|p| {
            let n = fs::read_to_string(p).expect("readable").lines().count();
            (n > MAX_FILE_LINES).then(|| format!("{} ({n} lines)", relative(p)))
        })
        .collect();
    assert!(long.is_empty(), "over {MAX_FILE_LINES} lines: {long:?}");
}

/// `(name, first line, lines)` of every function: from its `fn` line to the first line
/// that closes at the same indentation.
fn functions(lines: &[&str]) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let rest = ["pub(crate) ", "pub(super) ", "pub ", "const ", "unsafe "]
            .iter()
            .fold(trimmed, |t, p| t.strip_prefix(p).unwrap_or(t));
        let Some(sig) = rest.strip_prefix("fn ") else {
            continue;
        };
        if trimmed.ends_with(';') {
            continue; // a declaration in a trait
        }
        let name: String = sig
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let close = lines[i + 1..].iter().position(|l| {
            l.len() > indent && l[..indent].trim().is_empty() && l[indent..].starts_with('}')
        });
        if let Some(k) = close {
            out.push((name, i + 1, k + 2));
        }
    }
    out
}

#[test]
fn no_product_function_is_over_120_lines() {
    let mut long = Vec::new();
    for p in product_files() {
        let text = fs::read_to_string(&p).expect("readable");
        for (name, at, n) in functions(&product_lines(&text)) {
            if n > MAX_FN_LINES {
                long.push(format!("{}:{at} {name} ({n} lines)", relative(&p)));
            }
        }
    }
    assert!(long.is_empty(), "over {MAX_FN_LINES} lines: {long:?}");
}

#[test]
fn the_function_measure_sees_functions() {
    let text = "fn a() {\n    x\n}\n\nimpl T {\n    pub fn b(&self) {\n        if y {\n        }\n    }\n}\n";
    let found = functions(&text.lines().collect::<Vec<_>>());
    assert_eq!(
        found,
        vec![("a".to_string(), 1, 3), ("b".to_string(), 6, 4)]
    );
}

/// A module's path within its crate (`["engine", "explore"]`) from its file.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file
        .strip_prefix(src)
        .expect("below src")
        .with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The `crate::`, `super::` and `self::` paths a file's code names (comments left out),
/// brace groups expanded one level.
fn paths_named(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or("");
        for start in ["crate::", "super::", "self::"] {
            let mut rest = line;
            while let Some(at) = rest.find(start) {
                let before = rest[..at].chars().last();
                rest = &rest[at..];
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    rest = &rest[start.len()..];
                    continue;
                }
                let path: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                    .collect();
                let mut parts: Vec<String> = path
                    .split("::")
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect();
                let after = &rest[path.len()..];
                if let Some(group) = after.strip_prefix('{') {
                    let group = group.split('}').next().unwrap_or("");
                    for item in group.split(',') {
                        let item = item.trim().split(" as ").next().unwrap_or("");
                        let mut p = parts.clone();
                        p.extend(item.split("::").filter(|s| !s.is_empty()).map(String::from));
                        out.push(p);
                    }
                } else if !parts.is_empty() {
                    out.push(std::mem::take(&mut parts));
                }
                rest = &rest[path.len()..];
            }
        }
    }
    out
}

/// The module a path names, resolved from the module `from` (the longest known prefix).
fn target(
    from: &[String],
    is_dir: bool,
    path: &[String],
    known: &BTreeSet<Vec<String>>,
) -> Option<Vec<String>> {
    let (mut base, mut rest): (Vec<String>, &[String]) = match path[0].as_str() {
        "crate" => (Vec::new(), &path[1..]),
        "self" if is_dir => (from.to_vec(), &path[1..]),
        "self" => (from.to_vec(), &path[1..]),
        "super" if is_dir => (from[..from.len().saturating_sub(1)].to_vec(), &path[1..]),
        "super" => (from[..from.len().saturating_sub(1)].to_vec(), &path[1..]),
        _ => return None,
    };
    while rest.first().is_some_and(|s| s == "super") {
        base.pop();
        rest = &rest[1..];
    }
    let mut best = None;
    for part in rest {
        base.push(part.clone());
        if known.contains(&base) {
            best = Some(base.clone());
        }
    }
    best
}

/// The import graph of one crate's files: module -> modules it names (its own ancestors and
/// descendants left out: a module and its parent are one file tree).
fn import_graph(src: &Path, files: &[PathBuf]) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let known: BTreeSet<Vec<String>> = files.iter().map(|f| module_of(src, f)).collect();
    let mut graph = BTreeMap::new();
    for file in files {
        let from = module_of(src, file);
        let is_dir = file
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "lib.rs" || n == "main.rs");
        let text = fs::read_to_string(file).expect("readable");
        let code = product_lines(&text).join("\n");
        let edges: BTreeSet<Vec<String>> = paths_named(&code)
            .iter()
            .filter_map(|p| target(&from, is_dir, p, &known))
            .filter(|t| !t.starts_with(&from) && !from.starts_with(t))
            .collect();
        graph.insert(from, edges);
    }
    graph
}

/// A cycle of the graph, if it has one.
fn cycle(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Option<Vec<String>> {
    fn visit(
        n: &Vec<String>,
        graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        state: &mut BTreeMap<Vec<String>, u8>,
        stack: &mut Vec<Vec<String>>,
    ) -> Option<Vec<String>> {
        state.insert(n.clone(), 1);
        stack.push(n.clone());
        for m in graph.get(n).into_iter().flatten() {
            match state.get(m) {
                Some(1) => {
                    let at = stack.iter().position(|s| s == m).unwrap_or(0);
                    let mut names: Vec<String> = stack[at..].iter().map(|s| s.join("::")).collect();
                    names.push(m.join("::"));
                    return Some(names);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(m, graph, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(n.clone(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in graph.keys() {
        if !state.contains_key(n) {
            if let Some(c) = visit(n, graph, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

#[test]
fn no_import_cycle_between_files() {
    let root = workspace();
    // The library crates, and the `idc` binary (main.rs and the modules it declares).
    let binary = [
        "main.rs",
        "cli.rs",
        "cli",
        "exit.rs",
        "output.rs",
        "commands",
    ];
    let sim = root.join("sim/src");
    let sim_files: Vec<PathBuf> = rust_files(&sim)
        .into_iter()
        .filter(|p| !p.starts_with(sim.join("bin")))
        .collect();
    let in_binary = |p: &PathBuf| {
        let rel = p.strip_prefix(&sim).expect("below src");
        binary.iter().any(|b| rel.starts_with(b))
    };
    let crates: Vec<(PathBuf, Vec<PathBuf>)> = vec![
        (root.join("model/src"), rust_files(&root.join("model/src"))),
        (
            sim.clone(),
            sim_files
                .iter()
                .filter(|p| !in_binary(p))
                .cloned()
                .collect(),
        ),
        (
            sim.clone(),
            sim_files.iter().filter(|p| in_binary(p)).cloned().collect(),
        ),
    ];
    for (src, files) in crates {
        let graph = import_graph(&src, &files);
        assert!(
            graph.len() > 3,
            "the graph of {} has its files",
            src.display()
        );
        if let Some(c) = cycle(&graph) {
            panic!("import cycle in {}: {}", relative(&src), c.join(" -> "));
        }
    }
}

#[test]
fn the_cycle_check_finds_a_cycle() {
    let m = |s: &str| vec![s.to_string()];
    let mut graph = BTreeMap::new();
    graph.insert(m("a"), BTreeSet::from([m("b")]));
    graph.insert(m("b"), BTreeSet::from([m("c")]));
    graph.insert(m("c"), BTreeSet::from([m("a")]));
    assert_eq!(cycle(&graph).map(|c| c.len()), Some(4));
    graph.insert(m("c"), BTreeSet::new());
    assert_eq!(cycle(&graph), None);
}
