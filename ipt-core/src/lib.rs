//! # ipt-core
//!
//! The Interpersonal Psychotherapy (IPT) protocol as typed, explained state machines, for
//! electronic health records and mental-health apps. Decision *support*: every output offers
//! options with their reasons (rule IDs, sources, inputs used, inputs missing) and never
//! decides for the clinician.
//!
//! Decisions are typed data; words are rendered at the edge. A rule returns an outcome (its
//! status, a case saying why, the inputs used and missing); verdicts are decided from
//! outcomes; the sentences a clinician reads come from one table of words per domain, at the
//! [`Detail`](explain::Detail) level asked for.
//!
//! * [`suitability`]: the intake decision, with three-valued [`findings`].
//! * [`readiness`]: whether a service is ready to deliver IPT.
//! * [`inventory`], [`areas`]: the interpersonal inventory, the ranking of the four problem
//!   areas on its evidence, and the check of an agreed focus.
//! * [`measures`]: PHQ-9, HAM-D 17 and BDI-II bands, change from baseline, response, remission.
//! * [`course`]: the course as an event-sourced state machine: variants, phases, guards,
//!   explained outputs, status and versioned snapshots.
//! * [`catalogue`]: the rule catalogue every output cites, and its bibliography;
//!   [`registry`] says which function implements each rule.
//! * [`ehr`]: electronic health records: coded diagnoses through a versioned terminology
//!   table, FHIR R4 in, CDS Hooks cards and FHIR Observations out.
//! * [`explain`]: outcomes' shared types, detail levels and locales.
//! * [`api`]: the JSON call/answer API that the C library, the wasm package and the CLI wrap.
//!
//! The crate is deterministic: no clock, no randomness, no I/O; dates come in as data.
//!
//! ```
//! use ipt_core::suitability::{assess, Assessment, Verdict};
//! use ipt_core::findings::Finding;
//!
//! let mut a = Assessment::default();
//! a.findings.active_psychosis = Finding::Present;
//! let report = assess(&a);
//! assert_eq!(report.verdict, Verdict::Contraindicated);
//! assert_eq!(report.decided_by[0].as_str(), "C-PSYCHOSIS");
//! ```
#![forbid(unsafe_code)]

pub mod api;
pub mod areas;
mod bounded;
pub mod catalogue;
pub mod course;
pub mod ehr;
pub mod error;
pub mod explain;
pub mod findings;
pub mod inventory;
pub mod limits;
pub mod measures;
pub mod parse;
pub mod path;
pub mod readiness;
pub mod registry;
pub mod suitability;
pub mod variant;

/// The rule catalogue under its former name.
pub use catalogue as rules;

/// The engine's version (the crate version).
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The version of the protocol this engine encodes (`docs/protocol.md`).
pub const PROTOCOL_VERSION: &str = "1.2.0";

/// The version of the terminology table coded records are read through (D-CODE-MAP,
/// [`ehr::terminology`]). Every answer names it beside the engine and protocol versions.
pub const TERMINOLOGY_VERSION: &str = ehr::terminology::TABLE_VERSION;

pub use catalogue::RuleId;
pub use error::{Error, ErrorCode};
pub use explain::{Detail, Explanation};
pub use findings::Finding;
pub use path::JsonPath;

/// The README's Rust example runs as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
mod readme_doctests {}
