// The crate's documentation is its README (the crates.io page), whose example runs as a doc
// test; its links are absolute, so they work on crates.io and docs.rs alike.
#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod api;
pub mod areas;
mod bounded;
pub mod catalogue;
pub mod course;
pub mod date;
pub mod ehr;
pub mod error;
pub mod explain;
pub mod findings;
pub mod inventory;
pub mod json;
pub mod limits;
pub mod locale;
pub mod measures;
pub mod parse;
pub mod path;
pub mod readiness;
pub mod registry;
#[doc(hidden)]
pub mod samples;
pub mod suitability;
pub mod variant;
pub mod version;

/// The rule catalogue under its former name.
pub use catalogue as rules;

pub use version::{ENGINE_VERSION, PROTOCOL_VERSION, TERMINOLOGY_VERSION};

pub use catalogue::RuleId;
pub use error::{Error, ErrorCode};
pub use explain::{Detail, Explanation};
pub use findings::Finding;
pub use path::JsonPath;

#[doc = include_str!("../protocol.md")]
pub mod protocol {}
