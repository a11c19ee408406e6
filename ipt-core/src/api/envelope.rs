//! The answer envelope of every operation, and its encoding.

use schemars::{schema_for, JsonSchema};
use serde::{Deserialize, Serialize};

use super::answers::Reply;
use crate::error::{Error, ErrorBody, ErrorCode};
use crate::version::{ENGINE_VERSION, PROTOCOL_VERSION, TERMINOLOGY_VERSION};

/// The answer envelope of every operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer<T> {
    /// The engine's version.
    pub engine_version: String,
    /// The version of the protocol the engine encodes.
    pub protocol_version: String,
    /// The version of the terminology table coded records are read through (D-CODE-MAP).
    pub terminology_version: String,
    /// The operation that was called, as given.
    pub operation: String,
    /// `true` when `result` is present, `false` when `error` is.
    pub ok: bool,
    /// The result, when `ok`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<T>,
    /// The error, when not `ok`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

/// The keys an explained answer has beyond its decision: an item's words and inputs used, and
/// an answer's `explanation` block.
#[doc(hidden)]
pub const PROSE_KEYS: &[&str] = &["title", "summary", "rationale", "sources", "inputs_used"];

/// What "a decision answer is the explained one without its prose" means, for the tests and
/// the fuzz targets that compare the two renderings: removes from an explained answer (JSON)
/// the `explanation` block, in every item that cites a rule the keys of [`PROSE_KEYS`], and in
/// every CDS Hooks card (an object with `uuid`, `indicator` and `source`) its Markdown
/// `detail`. No answer is built with it: every operation renders its decision natively.
#[doc(hidden)]
pub fn strip_prose(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            m.remove("explanation");
            if m.contains_key("rule_id") {
                for k in PROSE_KEYS {
                    m.remove(*k);
                }
            }
            if ["uuid", "indicator", "source"]
                .iter()
                .all(|k| m.contains_key(*k))
            {
                m.remove("detail");
            }
            for x in m.values_mut() {
                strip_prose(x);
            }
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(strip_prose),
        _ => {}
    }
}

/// The envelope as it is written: the same fields as [`Answer`], borrowed, so that writing
/// an answer copies no version string.
#[derive(Serialize)]
struct Written<'a, T> {
    engine_version: &'static str,
    protocol_version: &'static str,
    terminology_version: &'static str,
    operation: &'a str,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    result: Option<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a ErrorBody>,
}

fn envelope<'a, T>(
    operation: &'a str,
    result: Option<T>,
    error: Option<&'a ErrorBody>,
) -> Written<'a, T> {
    Written {
        engine_version: ENGINE_VERSION,
        protocol_version: PROTOCOL_VERSION,
        terminology_version: TERMINOLOGY_VERSION,
        operation,
        ok: error.is_none(),
        result,
        error,
    }
}

/// A result as the answer writes it. Every serializable result is written by serde; a result
/// may instead write its own JSON, the same text its schema type would give (`course_apply`
/// seals the snapshot while writing it).
pub trait Encode {
    /// Writes the result's JSON to `out`.
    fn encode_into(&self, out: &mut Vec<u8>) -> serde_json::Result<()>;
}

impl<T: Serialize> Encode for T {
    fn encode_into(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        crate::json::to_writer(out, self)
    }
}

/// The envelope of an `ok` answer around a result: the envelope without a result, its `}`
/// replaced by `,"result":` and the result. The same text as the envelope serialized with
/// the result in it (`result` is its last field).
fn write_ok(out: &mut Vec<u8>, operation: &str, result: &impl Encode) -> serde_json::Result<()> {
    crate::json::to_writer(&mut *out, &envelope::<()>(operation, None, None))?;
    out.pop();
    out.extend_from_slice(b",\"result\":");
    result.encode_into(out)?;
    out.push(b'}');
    Ok(())
}

/// The reply to an operation (by its name): the encoded answer and, for the bindings, its error code.
pub fn reply<T: Encode>(name: &str, result: Result<T, Error>) -> Reply {
    match result {
        Err(e) => Reply {
            error: Some(e.code()),
            json: error_answer(name, &e.to_body()),
        },
        Ok(value) => match encode_ok(name, &value) {
            Ok(json) => Reply { json, error: None },
            Err(e) => Reply {
                error: Some(ErrorCode::Internal),
                json: error_answer_with(
                    name,
                    ErrorCode::Internal,
                    &format!("could not serialize the answer: {e}"),
                ),
            },
        },
    }
}

fn encode_ok(name: &str, value: &impl Encode) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(1024);
    write_ok(&mut out, name, value)?;
    // Only serde_json and the results' own writers wrote it: UTF-8.
    String::from_utf8(out).map_err(|e| serde::ser::Error::custom(e.to_string()))
}

/// Encodes a result as an answer envelope.
pub fn encode<T: Serialize>(operation: &str, result: Result<T, Error>) -> String {
    match result {
        Err(e) => error_answer(operation, &e.to_body()),
        Ok(v) => crate::json::to_string(&envelope(operation, Some(v), None)).unwrap_or_else(|e| {
            error_answer_with(
                operation,
                ErrorCode::Internal,
                &format!("could not serialize the answer: {e}"),
            )
        }),
    }
}

/// Writes the answer envelope of a result to `out` (for callers that write many answers into
/// one buffer, such as `ipt batch`); `false` if it could not be serialized, which the types
/// of the answers rule out.
pub fn write_answer<T: Serialize>(out: &mut Vec<u8>, operation: &str, result: T) -> bool {
    crate::json::to_writer(&mut *out, &envelope(operation, Some(result), None)).is_ok()
}

/// Writes an error answer to `out`; see [`write_answer`].
pub fn write_error_answer(out: &mut Vec<u8>, operation: &str, error: &ErrorBody) -> bool {
    crate::json::to_writer(&mut *out, &envelope::<()>(operation, None, Some(error))).is_ok()
}

/// An error answer. The bindings use this for errors at their boundary (NULL pointers,
/// invalid UTF-8, caught panics) so that every answer has the same shape.
pub fn error_answer(operation: &str, error: &ErrorBody) -> String {
    crate::json::to_string(&envelope::<()>(operation, None, Some(error))).unwrap_or_else(|_| {
        // Unreachable in practice: the envelope has only strings and enums.
        String::from(
            r#"{"ok":false,"error":{"code":"internal","message":"could not serialize an error"}}"#,
        )
    })
}

/// An error answer from a code and a message, for the bindings.
pub fn error_answer_with(operation: &str, code: ErrorCode, message: &str) -> String {
    error_answer(
        operation,
        &ErrorBody {
            code,
            message: message.to_owned(),
            path: None,
            unmet: Vec::new(),
        },
    )
}

/// The schemas of a request type and of the answer envelope around a result type.
pub fn schema_pair<Req: JsonSchema, Res: JsonSchema>() -> (serde_json::Value, serde_json::Value) {
    (
        serde_json::to_value(schema_for!(Req)).unwrap_or_default(),
        serde_json::to_value(schema_for!(Answer<Res>)).unwrap_or_default(),
    )
}
