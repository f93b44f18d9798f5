//! A Mermaid `sequenceDiagram`: the callers' accounts and the services they call are the
//! participants; each step is a message from the caller to the service, a refused call a
//! crossed arrow (`-x`) with a note giving the error; what a step changed and which
//! properties fail after it are notes.

use std::fmt::Write as _;

use idc_model::{Acct, Service};

use super::Replay;
use crate::engine::trace::Trace;
use crate::format::report::OutcomeView;

fn account_id(a: Acct) -> String {
    a.to_string().replace('-', "_")
}

fn service_id(s: Service) -> &'static str {
    match s {
        Service::Organizations => "Organizations",
        Service::Account => "Account",
        Service::IdentityCenter => "IdentityCenter",
        Service::IdentityStore => "IdentityStore",
        Service::DirectoryService => "DirectoryService",
        Service::Environment => "AWS",
    }
}

/// Text safe inside a Mermaid message or note (`;` separates statements, `#` starts an
/// entity code).
fn text(s: &str) -> String {
    s.replace('#', "#35;").replace(';', "#59;")
}

/// The participant notes go over: the first account, or `management`.
fn first_account(accounts: &[Acct]) -> String {
    accounts
        .first()
        .map(|a| account_id(*a))
        .unwrap_or_else(|| "management".to_string())
}

/// Writes the diagram. The trace's `from` calls come first, numbered `from 1` … `from N`,
/// then a note marks the start state and the trace's own steps are numbered from 1, as
/// `idc replay` numbers them and the claim counts them.
pub fn mermaid(trace: &Trace, replay: &Replay, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut out = String::from("sequenceDiagram\n");
    let mut accounts: Vec<Acct> = Vec::new();
    let mut services: Vec<Service> = Vec::new();
    for s in trace.from.iter().chain(&trace.steps) {
        if !accounts.contains(&s.call.caller) {
            accounts.push(s.call.caller);
        }
        if !services.contains(&s.call.op.service()) {
            services.push(s.call.op.service());
        }
    }
    accounts.sort();
    for a in &accounts {
        let _ = writeln!(out, "    participant {} as {a}", account_id(*a));
    }
    for s in &services {
        let _ = writeln!(out, "    participant {} as {}", service_id(*s), s.name());
    }
    for (i, r) in replay.steps.iter().enumerate() {
        // One step at a time to the writer: memory stays linear in the trace.
        w.write_all(out.as_bytes())?;
        out.clear();
        let from = account_id(r.action.call.caller);
        let to = service_id(r.action.call.op.service());
        let arrow = if r.outcome.is_ok() { "->>" } else { "-x" };
        let _ = writeln!(
            out,
            "    {from}{arrow}{to}: {}. {}",
            replay.label(i),
            text(&r.action.call.op.to_string())
        );
        let mut note: Vec<String> = match &r.outcome {
            Ok(()) => r.changes.iter().map(|c| text(c)).collect(),
            Err(_) => vec![format!(
                "refused: {}",
                text(&OutcomeView::of(&r.outcome).to_string())
            )],
        };
        if !r.action.branch.is_none() {
            note.insert(
                0,
                format!("AWS reading: {}", text(&r.action.branch.to_string())),
            );
        }
        if !r.failing.is_empty() {
            note.push(format!("failing after it: {}", r.failing.join(", ")));
        }
        if !note.is_empty() {
            let over = if from == to {
                from.clone()
            } else {
                format!("{from},{to}")
            };
            let _ = writeln!(out, "    Note over {over}: {}", note.join("<br/>"));
        }
        if replay.from > 0 && i + 1 == replay.from {
            let _ = writeln!(
                out,
                "    Note over {}: start state: {} from calls<br/>the steps are numbered from here",
                first_account(&accounts),
                replay.from
            );
        }
    }
    if let Some(c) = &trace.claim {
        let first = first_account(&accounts);
        if accounts.is_empty() {
            let _ = writeln!(out, "    participant management as management");
        }
        let _ = writeln!(out, "    Note over {first}: claim: {c}");
    }
    w.write_all(out.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_calls_are_crossed_and_explained() {
        let trace = super::super::tests::sample();
        let mut bytes = Vec::new();
        mermaid(&trace, &Replay::of(&trace).unwrap(), &mut bytes).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "sequenceDiagram");
        assert!(lines.contains(&"    participant management as management"));
        assert!(lines.contains(&"    participant member_1 as member-1"));
        assert!(lines.contains(&"    participant IdentityCenter as IAM Identity Center"));
        assert!(lines.contains(&"    participant DirectoryService as Directory Service"));
        assert!(lines
            .contains(&"    member_1-xIdentityCenter: 2. DeleteInstance(Instance=organization)"));
        assert!(lines.contains(
            &"    Note over member_1,IdentityCenter: refused: AccessDeniedException [IDC-1]"
        ));
        assert!(lines.contains(
            &"    management->>Organizations: 3. RegisterDelegatedAdministrator(AccountId=member-1)"
        ));
        assert_eq!(
            lines.last().unwrap(),
            &"    Note over management: claim: ad-sync-on-while-delegated violated after step 5"
        );
    }
}
