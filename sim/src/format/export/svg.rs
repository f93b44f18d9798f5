//! A sequence diagram drawn as SVG (no script, no font, no network): the callers' accounts
//! (by a design's names where the trace has them) and the services they call are
//! lifelines; each step is an arrow from the caller to the service labelled with its call,
//! a refused call a dashed red arrow ending in a cross with its exception; what a step
//! changed and which properties fail after it are short notes under the arrow.

use std::fmt::Write as _;

use idc_model::{Acct, Service};

use super::Replay;
use crate::engine::trace::Trace;
use crate::format::report::OutcomeView;

/// The width of a lifeline's column.
const COLUMN: usize = 190;
/// The left margin.
const MARGIN: usize = 20;
/// The height of the participants' boxes.
const HEAD: usize = 34;
/// The height of a line of text.
const LINE: usize = 15;
/// The most note lines a step shows (then `… N more`).
const MAX_NOTES: usize = 4;
/// The most characters of a note line or label.
const MAX_CHARS: usize = 70;

/// The diagram's style and arrow heads (a head, and a cross for a refusal).
const STYLE: &str = concat!(
    "<style>",
    ".head rect{fill:#eef2f7;stroke:#567}.life{stroke:#bbb;stroke-dasharray:4 3}",
    ".arrow.ok{stroke:#246}.arrow.refused{stroke:#c22;stroke-dasharray:5 3}",
    ".note{fill:#555}.refusal{fill:#c22}.failing{fill:#c22;font-weight:bold}",
    ".label{fill:#111}.start,.claim{fill:#555;font-style:italic}",
    "</style>\n",
    "<defs><marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" ",
    "markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#246\"/>",
    "</marker><marker id=\"cross\" viewBox=\"0 0 10 10\" refX=\"5\" refY=\"5\" markerWidth=\"10\" ",
    "markerHeight=\"10\"><path d=\"M1,1 L9,9 M9,1 L1,9\" stroke=\"#c22\" stroke-width=\"2\"/>",
    "</marker></defs>\n"
);

/// Text safe inside an XML element or attribute.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `s` cut to [`MAX_CHARS`] characters, with `…` when cut.
fn short(s: &str) -> String {
    if s.chars().count() <= MAX_CHARS {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(MAX_CHARS - 1).collect();
        t.push('…');
        t
    }
}

/// A lifeline: an account or a service.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lifeline {
    Account(Acct),
    Service(Service),
}

/// One step's lines of note, each with its class (`note`, `refusal`, `failing`).
fn notes(replay: &Replay, i: usize) -> Vec<(&'static str, String)> {
    let r = &replay.steps[i];
    let mut out: Vec<(&'static str, String)> = Vec::new();
    if !r.action.branch.is_none() {
        out.push(("note", format!("AWS reading: {}", r.action.branch)));
    }
    match &r.outcome {
        Ok(()) => {
            let n = r.changes.len();
            let shown = if n > MAX_NOTES { MAX_NOTES - 1 } else { n };
            out.extend(r.changes[..shown].iter().map(|c| ("note", c.clone())));
            if shown < n {
                out.push(("note", format!("… {} more", n - shown)));
            }
        }
        Err(_) => out.push((
            "refusal",
            format!("refused: {}", OutcomeView::of(&r.outcome)),
        )),
    }
    if !r.failing.is_empty() {
        out.push((
            "failing",
            format!("failing after it: {}", r.failing.join(", ")),
        ));
    }
    out
}

/// Writes the diagram: one `<g class="step">` per step (the `from` calls first, labelled
/// `from 1` … as `idc replay` numbers them), each with one arrow and one label.
pub fn svg(trace: &Trace, replay: &Replay, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut accounts: Vec<Acct> = Vec::new();
    let mut services: Vec<Service> = Vec::new();
    for r in &replay.steps {
        if !accounts.contains(&r.action.call.caller) {
            accounts.push(r.action.call.caller);
        }
        if !services.contains(&r.action.call.op.service()) {
            services.push(r.action.call.op.service());
        }
    }
    accounts.sort();
    let lines: Vec<Lifeline> = accounts
        .iter()
        .map(|a| Lifeline::Account(*a))
        .chain(services.iter().map(|s| Lifeline::Service(*s)))
        .collect();
    let x = |l: Lifeline| {
        let i = lines.iter().position(|m| *m == l).unwrap_or(0);
        MARGIN + i * COLUMN + COLUMN / 2
    };
    // The body first, to know the height (the whole diagram is in memory: a path is short).
    let mut body = String::new();
    let mut y = MARGIN + HEAD + 20;
    for (i, r) in replay.steps.iter().enumerate() {
        let (from, to) = (
            x(Lifeline::Account(r.action.call.caller)),
            x(Lifeline::Service(r.action.call.op.service())),
        );
        let ok = r.outcome.is_ok();
        let class = if ok { "ok" } else { "refused" };
        let label = trace
            .names
            .relabel(&format!("{}. {}", replay.label(i), r.action.call.op));
        let _ = writeln!(body, r#"<g class="step {class}" data-step="{}">"#, i + 1);
        let _ = writeln!(
            body,
            r#"<text class="label" x="{}" y="{}">{}</text>"#,
            from.min(to) + 6,
            y,
            escape(&short(&label))
        );
        y += 6;
        let end = if to >= from { to - 6 } else { to + 6 };
        let _ = writeln!(
            body,
            r#"<line class="arrow {class}" x1="{from}" y1="{y}" x2="{end}" y2="{y}" marker-end="url(#{})"/>"#,
            if ok { "head" } else { "cross" }
        );
        y += LINE + 2;
        for (kind, note) in notes(replay, i) {
            let _ = writeln!(
                body,
                r#"<text class="{kind}" x="{}" y="{y}">{}</text>"#,
                from.min(to) + 6,
                escape(&short(&trace.names.relabel(&note)))
            );
            y += LINE;
        }
        body.push_str("</g>\n");
        if replay.from > 0 && i + 1 == replay.from {
            let _ = writeln!(
                body,
                r#"<text class="start" x="{MARGIN}" y="{y}">start state: {} from calls; the steps are numbered from here</text>"#,
                replay.from
            );
            y += LINE;
        }
        y += 12;
    }
    if let Some(c) = &trace.claim {
        let _ = writeln!(
            body,
            r#"<text class="claim" x="{MARGIN}" y="{y}">claim: {}</text>"#,
            escape(&c.to_string())
        );
        y += LINE;
    }
    let width = (MARGIN * 2 + lines.len().max(1) * COLUMN).max(420);
    let height = y + MARGIN;
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="sequence" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">"#
    );
    out.push_str(STYLE);
    for l in &lines {
        let name = match l {
            Lifeline::Account(a) => trace.names.label(*a),
            Lifeline::Service(s) => s.name().to_string(),
        };
        let cx = x(*l);
        let _ = writeln!(
            out,
            r#"<line class="life" x1="{cx}" y1="{}" x2="{cx}" y2="{}"/>"#,
            MARGIN + HEAD,
            height - MARGIN / 2
        );
        let _ = writeln!(
            out,
            r#"<g class="head"><rect x="{}" y="{MARGIN}" width="{}" height="{HEAD}" rx="4"/><text x="{cx}" y="{}" text-anchor="middle">{}</text></g>"#,
            cx - COLUMN / 2 + 8,
            COLUMN - 16,
            MARGIN + HEAD / 2 + 4,
            escape(&short(&name))
        );
    }
    out.push_str(&body);
    out.push_str("</svg>\n");
    w.write_all(out.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks the tags balance (a tiny XML well-formedness check: every element closed in
    /// order, every `&` an entity, no `<` in text) and answers the element names opened.
    pub(crate) fn well_formed(text: &str) -> Vec<String> {
        let mut stack: Vec<String> = Vec::new();
        let mut opened = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('<') {
            let before = &rest[..open];
            for (i, _) in before.match_indices('&') {
                let entity = &before[i..];
                assert!(
                    ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                        .iter()
                        .any(|e| entity.starts_with(e)),
                    "a bare & in {before:?}"
                );
            }
            let close = rest[open..].find('>').expect("a tag is closed") + open;
            let tag = &rest[open + 1..close];
            assert!(!tag.contains('<'), "a < inside a tag: {tag}");
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop().as_deref(), Some(name), "closes {name}");
            } else {
                let name: String = tag
                    .chars()
                    .take_while(|c| !c.is_whitespace() && *c != '/')
                    .collect();
                opened.push(name.clone());
                if !tag.ends_with('/') {
                    stack.push(name);
                }
            }
            rest = &rest[close + 1..];
        }
        assert!(stack.is_empty(), "left open: {stack:?}");
        assert!(rest.trim().is_empty());
        opened
    }

    #[test]
    fn every_step_is_an_arrow_and_refusals_are_red() {
        let trace = super::super::tests::sample();
        let mut bytes = Vec::new();
        svg(&trace, &Replay::of(&trace).unwrap(), &mut bytes).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        let tags = well_formed(&text);
        assert_eq!(tags.iter().filter(|t| *t == "svg").count(), 1);
        assert_eq!(text.matches("<g class=\"step ").count(), 5);
        assert_eq!(text.matches("<line class=\"arrow ").count(), 5);
        assert_eq!(text.matches("<text class=\"label\"").count(), 5);
        assert_eq!(text.matches("<line class=\"arrow refused\"").count(), 1);
        assert!(text.contains(">2. DeleteInstance(Instance=organization)</text>"));
        assert!(text.contains(">refused: AccessDeniedException [IDC-1]</text>"));
        assert!(text.contains(">IAM Identity Center</text>"));
        assert!(text.contains(">claim: ad-sync-on-while-delegated violated after step 5</text>"));
    }

    #[test]
    fn text_is_escaped_and_names_are_the_designs() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;"
        );
        let mut trace = super::super::tests::sample();
        trace.names.set(Acct(1), "<sec&tools>");
        let mut bytes = Vec::new();
        svg(&trace, &Replay::of(&trace).unwrap(), &mut bytes).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        well_formed(&text);
        assert!(text.contains(">&lt;sec&amp;tools&gt; (member-1)</text>"));
        // The calls and notes name the account by its name too.
        assert!(
            text.contains(">3. RegisterDelegatedAdministrator(AccountId=&lt;sec&amp;tools&gt; (member-1))</text>"),
            "{text}"
        );
    }
}
