//! `idc explore`'s server: the model's state space in a browser. [`api`] answers the JSON
//! API and serves the page ([`assets`]), [`path`] names sequences of steps by indices (the
//! page's URLs), `search` runs the page's check and find, [`http`] is the socket loop.
//! `docs/explore.md` documents the API.
//!
//! **Architecture invariant:** the server reads no file: the page is embedded, and the
//! traces it shows are those the command line gave (read before it starts) or uploaded.

pub mod api;
pub mod assets;
mod diagram;
pub mod http;
pub mod path;
mod query;
mod search;

pub use api::{Explorer, Response, API_VERSION};
