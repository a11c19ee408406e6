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

mod answers;
mod course;
mod dispatch;
mod envelope;
mod handle;
mod handlers;
mod operations;
pub mod requests;
pub mod schema;

pub use answers::{input_labels, Empty, InputLabel, Reply, RulesAnswer};
pub use course::{
    CourseAnswer, CourseApplyAnswer, CourseApplyRequest, CourseHandleAnswer, CourseReplayAnswer,
    CourseReplayRequest, CourseStatusRequest,
};
pub use dispatch::*;
pub use envelope::{
    encode, error_answer, error_answer_with, strip_prose, write_answer, write_error_answer, Answer,
    PROSE_KEYS,
};
pub use handle::Course;
pub use operations::*;
pub use requests::WithDetail;

use crate::error::Error;
pub use crate::error::ErrorCode;
pub use crate::version::{ENGINE_VERSION, PROTOCOL_VERSION, TERMINOLOGY_VERSION};

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
