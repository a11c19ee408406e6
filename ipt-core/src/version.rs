//! The versions every answer names: the engine's, the protocol's it encodes, and the
//! terminology table's coded records are read through.

/// The engine's version (the crate version).
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The version of the [protocol](crate::protocol) this engine encodes.
pub const PROTOCOL_VERSION: &str = "1.5.0";

/// The version of the terminology table coded records are read through (D-CODE-MAP,
/// [`ehr::terminology`](crate::ehr::terminology)). Every answer names it beside the engine
/// and protocol versions.
pub const TERMINOLOGY_VERSION: &str = "1.0.0";
