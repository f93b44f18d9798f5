//! `idc explore`: serves the state space in a browser (docs/explore.md) until Ctrl-C.

use std::sync::atomic::Ordering;

use idc_model::echo::echo;
use idc_sim::engine::check::default_threads;
use idc_sim::format::trace;
use idc_sim::serve::http::serve;
use idc_sim::serve::Explorer;

use super::{default_max_memory, model_of, properties_of, INTERRUPTED};
use crate::cli::ExploreArgs;
use crate::exit;
use crate::output;

/// Runs `idc explore`.
pub fn run(args: &ExploreArgs) -> u8 {
    let mut traces = Vec::with_capacity(args.traces.len());
    for path in &args.traces {
        match trace::read(path) {
            Ok(t) => traces.push((echo(&path.display().to_string()), t)),
            Err(e) => return output::fail(e, exit::USAGE),
        }
    }
    let cfg = match traces.first() {
        Some((file, t)) => args
            .model
            .over_trace(t.config)
            .map_err(|e| format!("{file}: {e}")),
        None => args.model.config().map_err(|e| e.to_string()),
    };
    let cfg = match cfg {
        Ok(c) => c,
        Err(e) => return output::fail(e, exit::USAGE),
    };
    let model = match model_of(cfg) {
        Ok(m) => m,
        Err(code) => return code,
    };
    let properties = match properties_of(&cfg, &args.properties) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut explorer = Explorer::new(
        model,
        properties,
        args.threads.map_or_else(default_threads, usize::from),
        Some(args.max_memory.unwrap_or_else(default_max_memory)),
    );
    for (file, t) in &traces {
        if let Err(e) = explorer.add_trace(file, t) {
            return output::fail(format!("{file}: {e}"), exit::USAGE);
        }
    }
    let server = match tiny_http::Server::http((args.bind, args.port)) {
        Ok(s) => s,
        Err(e) => {
            return output::fail(
                format!("cannot serve on {}:{}: {e}", args.bind, args.port),
                exit::FAILURE,
            )
        }
    };
    let port = server.server_addr().to_ip().map_or(args.port, |a| a.port());
    let host = match args.bind {
        std::net::IpAddr::V6(a) => format!("[{a}]"),
        a => a.to_string(),
    };
    if !args.bind.is_loopback() {
        if let Err(code) = output::note(format!(
            "note: serving on {host}, not loopback: other machines can reach the page"
        )) {
            return code;
        }
    }
    if let Err(code) = output::out(&format!(
        "idc explore: serving http://{host}:{port}/ (Ctrl-C to stop)\n"
    )) {
        return code;
    }
    serve(&server, &explorer, &INTERRUPTED);
    if INTERRUPTED.load(Ordering::Relaxed) {
        exit::OK
    } else {
        output::fail("the server stopped", exit::FAILURE)
    }
}
