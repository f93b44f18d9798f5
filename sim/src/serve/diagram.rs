//! `/api/v1/diagram`: the path's sequence diagram drawn as SVG (`idc export --format svg`),
//! for the page to show inline: no script, no network.

use super::api::{Explorer, Response};
use crate::format::export::{export_string, Format};

impl Explorer {
    /// The diagram of the path `actions` (from the page's root), as `image/svg+xml`.
    pub(super) fn diagram(&self, actions: &[idc_model::Action]) -> Response {
        let trace =
            crate::engine::trace::Trace::of_actions(&self.model, &self.start, actions, None);
        match export_string(Format::Svg, "idc explore", &trace) {
            Ok(text) => Response {
                status: 200,
                content_type: "image/svg+xml; charset=utf-8",
                attachment: None,
                allow: None,
                body: text.into_bytes(),
            },
            Err(e) => Response::error(500, format!("diagram: {e}")),
        }
    }
}
