//! The file formats: trace files ([`trace`]), properties files ([`properties`]), the JSON
//! reports of the commands ([`report`]), one state in domain words ([`state`]), and the
//! exports of a trace ([`export`]: ITF, Mermaid, DOT, SVG, AWS CLI) and the outcomes an
//! exported AWS CLI script observed ([`observed`]).
//!
//! **Architecture invariant:** formats build on the engine, never the other way.

pub mod aws;
pub mod design;
pub mod export;
pub mod observed;
pub mod properties;
pub mod report;
pub mod state;
pub mod trace;
