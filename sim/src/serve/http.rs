//! The HTTP loop: requests from a bound [`tiny_http::Server`] to [`Explorer::handle`] and
//! back, on a few threads, until the stop flag is set. A body over [`MAX_BODY`] is refused
//! (413) without being read whole; a panic in a handler answers 500 and the server goes on.

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::api::{Explorer, Response, MAX_BODY};

/// How many requests are answered at once (the check can take seconds; the page keeps
/// working meanwhile).
pub const WORKERS: usize = 4;

/// Serves until `stop` is set (Ctrl-C) or the server fails.
pub fn serve(server: &tiny_http::Server, explorer: &Explorer, stop: &AtomicBool) {
    std::thread::scope(|s| {
        for _ in 0..WORKERS {
            s.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    match server.recv_timeout(Duration::from_millis(200)) {
                        Ok(Some(request)) => respond(explorer, request),
                        Ok(None) => {}
                        Err(_) => break,
                    }
                }
            });
        }
    });
}

fn respond(explorer: &Explorer, mut request: tiny_http::Request) {
    let method = request.method().as_str().to_string();
    let url = request.url().to_string();
    let declared_too_big = request.body_length().is_some_and(|n| n > MAX_BODY);
    let mut body = Vec::new();
    let response = if declared_too_big {
        Response::error(413, format!("the body is over {} MiB", MAX_BODY >> 20))
    } else {
        match request
            .as_reader()
            .take(MAX_BODY as u64 + 1)
            .read_to_end(&mut body)
        {
            Ok(_) if body.len() > MAX_BODY => {
                Response::error(413, format!("the body is over {} MiB", MAX_BODY >> 20))
            }
            Ok(_) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                explorer.handle(&method, &url, &body)
            }))
            .unwrap_or_else(|_| Response::error(500, "internal error (a bug: please report it)")),
            Err(e) => Response::error(400, format!("cannot read the body: {e}")),
        }
    };
    let head = method == "HEAD";
    let mut r = tiny_http::Response::from_data(if head { Vec::new() } else { response.body })
        .with_status_code(response.status);
    for (name, value) in [
        ("Content-Type", response.content_type.to_string()),
        ("Cache-Control", "no-store".to_string()),
        ("X-Content-Type-Options", "nosniff".to_string()),
    ]
    .into_iter()
    .chain(response.attachment.map(|f| {
        (
            "Content-Disposition",
            format!("attachment; filename=\"{f}\""),
        )
    }))
    .chain(response.allow.map(|m| ("Allow", m.to_string())))
    {
        if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            r.add_header(h);
        }
    }
    // A client that went away is not the server's failure.
    let _ = request.respond(r);
}
