//! The JSON call/answer API: one string-in, string-out function per operation.
//!
//! This is the single surface the C library, the wasm package and the command line wrap, so
//! its shape is the product's contract:
//!
//! * every answer is an [`Answer`] envelope carrying `engine_version`, `protocol_version`,
//!   `terminology_version` and `operation`, then either `"ok": true` with a `result` or `"ok": false` with an `error`
//!   `{code, message, path}`;
//! * every request may carry `"detail": "decision" | "explained"` (default `explained`): a
//!   decision answer is exactly the explained answer without its prose;
//! * error codes are the stable strings of [`ErrorCode`];
//! * unknown fields, out-of-range values and unknown enum strings are rejected with the JSONPath
//!   of the offending field, and an unknown field names the nearest known one;
//! * no input makes these functions panic.
//!
//! The operations are defined once, in [`Operation`]; [`call`] dispatches on the name, and the
//! named functions ([`assess_suitability`], …) are generated from the same list.
//!
//! ```
//! use ipt_core::api;
//!
//! let answer = api::call("assess_suitability", r#"{"findings": {"active_psychosis": "present"}, "detail": "decision"}"#);
//! let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
//! assert_eq!(answer["result"]["verdict"], "contraindicated");
//! assert_eq!(answer["result"]["decided_by"][0], "C-PSYCHOSIS");
//! assert!(answer["result"].get("explanation").is_none());
//! ```

mod course;
mod envelope;
mod handlers;
mod operations;
pub mod requests;
pub mod schema;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use course::{
    Course, CourseAnswer, CourseApplyRequest, CourseHandleAnswer, CourseReplayAnswer,
    CourseReplayRequest, CourseStatusRequest,
};
pub use envelope::{
    encode, error_answer, error_answer_with, strip_prose, write_answer, write_error_answer, Answer,
    PROSE_KEYS,
};
pub use operations::*;
pub use requests::WithDetail;

use crate::catalogue::Catalogue;
use crate::error::Error;
pub use crate::error::ErrorCode;
pub use crate::version::{ENGINE_VERSION, PROTOCOL_VERSION, TERMINOLOGY_VERSION};

/// The request of operations that take no input: an empty object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Empty {}

/// The result of `version`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionInfo {
    /// The engine's version.
    pub engine_version: String,
    /// The version of the protocol the engine encodes.
    pub protocol_version: String,
    /// The version of the terminology table coded records are read through (D-CODE-MAP).
    pub terminology_version: String,
    /// The operations this engine answers.
    pub operations: Vec<Operation>,
    /// The limits every way in enforces ([`crate::limits`]).
    pub limits: crate::limits::Limits,
}

/// The result of `rules`: the rule catalogue, and the label of every input of an assessment
/// its rules read, so that every edge (the command line, the demo page, an EHR's form) names
/// an input as the engine does in its own words.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RulesAnswer {
    /// The rules and their sources.
    #[serde(flatten)]
    pub catalogue: Catalogue,
    /// Every input of an assessment, in path order: its JSONPath and its label. A diagnosis's
    /// fields stand as `$.diagnoses[*].category` etc., their label with `{n}` for the
    /// diagnosis's number (1 for `$.diagnoses[0]`).
    pub inputs: Vec<InputLabel>,
}

/// An input and how the engine names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InputLabel {
    /// The input's JSONPath in an assessment (`$.findings.motivation`).
    pub path: String,
    /// Its label (`Motivation for change`).
    pub label: String,
}

/// The labels of every input of an assessment: the words the engine's own cards use
/// (`ehr::words`).
pub fn input_labels() -> Vec<InputLabel> {
    use crate::{ehr, explain, suitability};
    use explain::Locale;
    let english = &explain::ENGLISH;
    let fields = suitability::inputs::Field::ALL.iter().map(|f| InputLabel {
        path: f.path().to_owned(),
        label: ehr::words::label(f.path(), |_| None, english),
    });
    let diagnosis = [
        ("category", ehr::words::DIAGNOSIS_CATEGORY),
        ("course", ehr::words::DIAGNOSIS_COURSE),
        ("phase", ehr::words::DIAGNOSIS_PHASE),
    ]
    .into_iter()
    .map(|(field, template)| InputLabel {
        path: format!("$.diagnoses[*].{field}"),
        // The card's template without the diagnosis's code, which an assessment does not hold.
        label: english.text(template).replace("{code}", ""),
    });
    fields.chain(diagnosis).collect()
}

/// The versions and operations of this engine.
pub fn version_info() -> VersionInfo {
    VersionInfo {
        engine_version: ENGINE_VERSION.to_owned(),
        protocol_version: PROTOCOL_VERSION.to_owned(),
        terminology_version: TERMINOLOGY_VERSION.to_owned(),
        operations: Operation::ALL.to_vec(),
        limits: crate::limits::LIMITS,
    }
}

/// An answer with its error code, as the dispatcher produced it: the bindings take the status
/// from here instead of reading the answer back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The answer envelope (JSON).
    pub json: String,
    /// The error code, `None` when the answer is `ok`.
    pub error: Option<ErrorCode>,
}

/// Calls an operation by name with its request as JSON text, and answers the JSON envelope
/// every binding returns: `{"engine_version", "protocol_version", "operation", "ok", "result"}`
/// or, instead of `result`, `"error": {"code", "message", "path"}` with a stable code and the
/// JSONPath of the offending field. Unknown names give an `unknown_operation` error answer. It
/// never panics, whatever the input.
///
/// # Examples
///
/// ```
/// use ipt_core::api;
/// use serde_json::Value;
///
/// let answer: Value = serde_json::from_str(&api::call(
///     "assess_suitability",
///     r#"{"findings": {"active_psychosis": "present"}, "detail": "decision"}"#,
/// )).unwrap();
/// assert_eq!(answer["ok"], true);
/// assert_eq!(answer["result"]["verdict"], "contraindicated");
/// assert_eq!(answer["result"]["decided_by"][0], "C-PSYCHOSIS");
///
/// // Bad input: a stable code and the path of the field, never a clinical answer.
/// let refused: Value = serde_json::from_str(&api::call("evaluate_measure",
///     r#"{"current": {"instrument": "phq9", "total": 30}}"#)).unwrap();
/// assert_eq!(refused["ok"], false);
/// assert_eq!(refused["error"]["code"], "invalid_input");
/// assert_eq!(refused["error"]["path"], "$.current.total");
///
/// let unknown: Value = serde_json::from_str(&api::call("assess", "{}")).unwrap();
/// assert_eq!(unknown["error"]["code"], "unknown_operation");
/// ```
pub fn call(operation: &str, request: &str) -> String {
    call_reply(operation, request).json
}

/// [`call`], with the answer's error code beside it.
///
/// # Examples
///
/// ```
/// use ipt_core::{api, ErrorCode};
///
/// let reply = api::call_reply("course_start", r#"{"variant": "weekly"}"#);
/// assert_eq!(reply.error, Some(ErrorCode::InvalidInput));
/// assert!(reply.json.contains(r#""path":"$.variant""#));
/// assert_eq!(api::call_reply("version", "").error, None);
/// ```
pub fn call_reply(operation: &str, request: &str) -> Reply {
    match Operation::parse(operation) {
        Some(op) => op.answer(request),
        None => {
            // The name is echoed clipped: an answer never repeats a large input.
            let shown = crate::limits::clip(operation);
            let e = Error::UnknownOperation {
                operation: shown.clone().into_owned(),
            };
            Reply {
                error: Some(e.code()),
                json: encode::<()>(&shown, Err(e)),
            }
        }
    }
}
