//! The page, embedded in the binary: no network, no CDN, no build step.

/// The page.
pub const INDEX: &str = include_str!("assets/index.html");
/// Its script.
pub const APP_JS: &str = include_str!("assets/app.js");
/// Its style sheet.
pub const APP_CSS: &str = include_str!("assets/app.css");
