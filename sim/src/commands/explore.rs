//! `idc explore`: serves the state space in a browser (docs/explore.md) until Ctrl-C.

use std::sync::atomic::Ordering;

use idc_model::echo::echo_path;
use idc_sim::engine::check::default_threads;
use idc_sim::engine::trace::Start;
use idc_sim::format::design::apply_forbid;
use idc_sim::format::trace;
use idc_sim::serve::http::serve;
use idc_sim::serve::Explorer;

use super::{default_max_memory, model_of, properties_of, setup, Setup, INTERRUPTED};
use crate::cli::{ExploreArgs, FromArgs};
use crate::exit::{Failure, Outcome, Status};
use crate::output;

/// Runs `idc explore`.
pub fn run(args: &ExploreArgs) -> Outcome {
    // The model flags apply over each trace's configuration (as for `replay`); the first
    // trace's gives the explorer's, and the others must come out the same. With a design,
    // the design's (flags over it) is the explorer's, and every trace must come out the same.
    // `--forbid` narrows each one's threat model as the explorer's.
    let mut traces = Vec::with_capacity(args.traces.len());
    for path in &args.traces {
        let mut t = trace::read(path).map_err(Failure::usage)?;
        let file = echo_path(&path.display().to_string());
        t.config = args
            .model
            .over_trace(t.config)
            .map_err(|e| Failure::Usage(format!("{file}: {e}")))?;
        apply_forbid(&mut t.config, &t.names, &args.forbid)
            .map_err(|e| Failure::usage(format!("{file}: {e}")))?;
        traces.push((file, t));
    }
    let from = FromArgs {
        from: None,
        design: args.design.clone(),
        forbid: args.forbid.clone(),
    };
    let Setup {
        model,
        start,
        design,
    } = match traces.first() {
        Some((_, t)) if args.design.is_none() => {
            let model = model_of(t.config)?;
            // From the initial state, naming the accounts as the first trace does.
            let start = Start {
                names: t.names.clone(),
                ..Start::initial(&model)
            };
            Setup {
                model,
                start,
                design: None,
            }
        }
        _ => setup(&args.model, &from)?,
    };
    let cfg = *model.config();
    let properties = properties_of(&cfg, &args.properties, design.as_ref())?;
    let mut explorer = Explorer::new(
        model,
        properties,
        args.threads.map_or_else(default_threads, usize::from),
        Some(args.max_memory.unwrap_or_else(default_max_memory)),
    )
    .with_start(start);
    for (file, t) in &traces {
        explorer
            .add_trace(file, t)
            .map_err(|e| Failure::usage(format!("{file}: {e}")))?;
    }
    let server = tiny_http::Server::http((args.bind, args.port))
        .map_err(|e| Failure::write(format!("cannot serve on {}:{}: {e}", args.bind, args.port)))?;
    let port = server.server_addr().to_ip().map_or(args.port, |a| a.port());
    let host = match args.bind {
        std::net::IpAddr::V6(a) => format!("[{a}]"),
        a => a.to_string(),
    };
    if !args.bind.is_loopback() {
        output::note(format!(
            "note: serving on {host}, not loopback: other machines can reach the page"
        ))?;
    }
    output::out(&format!(
        "idc explore: serving http://{host}:{port}/ (Ctrl-C to stop)\n"
    ))?;
    serve(&server, &explorer, &INTERRUPTED);
    if INTERRUPTED.load(Ordering::Relaxed) {
        Ok(Status::Ok)
    } else {
        Err(Failure::write("the server stopped"))
    }
}
