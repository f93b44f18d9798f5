//! A Graphviz DOT state graph: one node per distinct state of the trace (its facts, and the
//! properties failing in it, in red), one edge per step (a refused call dashed and red,
//! often a loop: a refused call changes nothing).

use std::collections::HashMap;
use std::fmt::Write as _;

use idc_model::State;

use super::{Facts, Replay};
use crate::engine::trace::Trace;
use crate::format::report::OutcomeView;

/// A DOT string literal.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A left-justified multi-line label (`\l` ends each line).
fn label(lines: &[String]) -> String {
    let body: String = lines
        .iter()
        .map(|l| l.replace('\\', "\\\\").replace('"', "\\\"") + "\\l")
        .collect();
    format!("\"{body}\"")
}

/// Writes the graph, the trace's `from` calls numbered `from 1` … `from N` and its own
/// steps from 1 (as `idc replay` numbers them and the claim counts them). A state seen twice is one node (looked up by hash: linear in the
/// trace); the refused calls made in one state, which change nothing, are one dashed loop
/// listing them all, so that a state with many refusals stays readable.
pub fn dot(trace: &Trace, replay: &Replay, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut out = String::from("digraph trace {\n");
    out += "  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=10];\n";
    let mut nodes: HashMap<State, usize> = HashMap::new();
    let mut node_of = |state: &State, out: &mut String, title: String, failing: &[&str]| {
        if let Some(&i) = nodes.get(state) {
            return i;
        }
        let i = nodes.len();
        nodes.insert(state.clone(), i);
        let mut lines = vec![title];
        lines.extend(Facts::of(&replay.model, state).lines());
        if !failing.is_empty() {
            lines.push(format!("FAILING: {}", failing.join(", ")));
        }
        let style = if failing.is_empty() {
            ""
        } else {
            ", color=red, fontcolor=red, penwidth=2"
        };
        let _ = writeln!(out, "  s{i} [label={}{style}];", label(&lines));
        i
    };
    let mut from = node_of(
        &replay.initial,
        &mut out,
        "initial state".into(),
        &replay.initial_failing,
    );
    // Per node, the refused calls made there (their loops are written at the end).
    let mut refused: Vec<(usize, Vec<String>)> = Vec::new();
    for (n, r) in replay.steps.iter().enumerate() {
        let title = if replay.from > 0 && n + 1 == replay.from {
            format!("start state (after {} `from` calls)", replay.from)
        } else {
            format!("after step {}", replay.label(n))
        };
        let to = node_of(&r.state, &mut out, title, &r.failing);
        let text = format!(
            "{}. {}\n-> {}",
            replay.label(n),
            r.action,
            OutcomeView::of(&r.outcome)
        );
        if r.outcome.is_err() && from == to {
            match refused.iter_mut().find(|(node, _)| *node == from) {
                Some((_, calls)) => calls.push(text),
                None => refused.push((from, vec![text])),
            }
        } else {
            let style = if r.outcome.is_ok() {
                ""
            } else {
                ", style=dashed, color=red, fontcolor=red"
            };
            let _ = writeln!(
                out,
                "  s{from} -> s{to} [label={}{style}];",
                quoted(&text).replace('\n', "\\n")
            );
        }
        from = to;
        if out.len() > 1 << 16 {
            w.write_all(out.as_bytes())?;
            out.clear();
        }
    }
    for (node, calls) in refused {
        let _ = writeln!(
            out,
            "  s{node} -> s{node} [label={}, style=dashed, color=red, fontcolor=red];",
            quoted(&calls.join("\n")).replace('\n', "\\n")
        );
    }
    if let Some(c) = &trace.claim {
        let _ = writeln!(
            out,
            "  label={};\n  labelloc=t;",
            quoted(&format!("claim: {c}"))
        );
    }
    out += "}\n";
    w.write_all(out.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_are_nodes_and_steps_are_edges() {
        let trace = super::super::tests::sample();
        let mut bytes = Vec::new();
        dot(&trace, &Replay::of(&trace).unwrap(), &mut bytes).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with("digraph trace {\n"));
        assert!(text.ends_with("}\n"));
        let nodes = text
            .lines()
            .filter(|l| {
                l.trim_start().starts_with('s') && l.contains("[label=") && !l.contains("->")
            })
            .count();
        let edges = text.lines().filter(|l| l.contains(" -> s")).count();
        // Five steps; the refused one (step 2) loops on the state after step 1.
        assert_eq!(edges, 5);
        assert_eq!(nodes, 5);
        assert!(text.contains("  s1 -> s1 [label=\"2. member-1: DeleteInstance(Instance=organization)\\n-> AccessDeniedException [IDC-1]\", style=dashed, color=red, fontcolor=red];"));
        assert!(text.contains("FAILING: ad-sync-on-while-delegated"));
        // Balanced quotes on every line (no label breaks out of its string).
        for l in text.lines() {
            let unescaped = l.replace("\\\"", "").matches('"').count();
            assert_eq!(unescaped % 2, 0, "{l}");
        }
    }
}
