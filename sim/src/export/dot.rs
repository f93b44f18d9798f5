//! A Graphviz DOT state graph: one node per distinct state of the trace (its facts, and the
//! properties failing in it, in red), one edge per step (a refused call dashed and red,
//! often a loop: a refused call changes nothing).

use std::fmt::Write as _;

use idc_model::State;

use super::{Facts, Replay};
use crate::report::OutcomeView;
use crate::trace::Trace;

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

/// The graph.
pub fn dot(trace: &Trace, replay: &Replay) -> String {
    let mut out = String::from("digraph trace {\n");
    out += "  rankdir=TB;\n  node [shape=box, fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=10];\n";
    let mut nodes: Vec<State> = Vec::new();
    let mut node_of = |state: &State, out: &mut String, title: String, failing: &[&str]| {
        if let Some(i) = nodes.iter().position(|s| s == state) {
            return i;
        }
        let i = nodes.len();
        nodes.push(state.clone());
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
    for (n, r) in replay.steps.iter().enumerate() {
        let to = node_of(
            &r.state,
            &mut out,
            format!("after step {}", n + 1),
            &r.failing,
        );
        let text = format!(
            "{}. {}\n-> {}",
            n + 1,
            r.action,
            OutcomeView::of(&r.outcome)
        );
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
        from = to;
    }
    if let Some(c) = &trace.claim {
        let _ = writeln!(
            out,
            "  label={};\n  labelloc=t;",
            quoted(&format!("claim: {c}"))
        );
    }
    out += "}\n";
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_are_nodes_and_steps_are_edges() {
        let trace = super::super::tests::sample();
        let text = dot(&trace, &Replay::of(&trace).unwrap());
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
