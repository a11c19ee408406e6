//! Errors of the core, each with a stable code and, where it concerns a field, the JSONPath
//! of that field.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::rules::RuleId;

/// The stable error codes. Front ends may match on these strings; they never change meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request is not well-formed JSON.
    InvalidJson,
    /// The request is JSON but a field is missing, unknown, of the wrong type or out of range.
    InvalidInput,
    /// The operation name is not one the engine knows.
    UnknownOperation,
    /// The event is valid but the course cannot take it now; `unmet` lists every reason.
    TransitionRefused,
    /// The course snapshot is malformed or inconsistent.
    InvalidSnapshot,
    /// The course snapshot was written by an incompatible format version.
    UnsupportedSnapshotVersion,
    /// A binding was given a NULL pointer.
    NullPointer,
    /// A binding was given bytes that are not UTF-8.
    InvalidUtf8,
    /// A binding was given more input than it accepts.
    InputTooLarge,
    /// A binding was given a handle that is not live (freed, foreign or NULL).
    InvalidHandle,
    /// A defect inside the engine (a caught panic). Please report it.
    Internal,
}

impl ErrorCode {
    /// The code as its stable string.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidJson => "invalid_json",
            ErrorCode::InvalidInput => "invalid_input",
            ErrorCode::UnknownOperation => "unknown_operation",
            ErrorCode::TransitionRefused => "transition_refused",
            ErrorCode::InvalidSnapshot => "invalid_snapshot",
            ErrorCode::UnsupportedSnapshotVersion => "unsupported_snapshot_version",
            ErrorCode::NullPointer => "null_pointer",
            ErrorCode::InvalidUtf8 => "invalid_utf8",
            ErrorCode::InputTooLarge => "input_too_large",
            ErrorCode::InvalidHandle => "invalid_handle",
            ErrorCode::Internal => "internal",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One unmet precondition of a refused transition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Unmet {
    /// The rule whose guard is not satisfied.
    pub rule_id: RuleId,
    /// A stable snake_case name of the precondition, for example `lethality_assessed`.
    pub requirement: String,
    /// What is missing, in plain language.
    pub message: String,
}

/// An error of the core.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The request is not well-formed JSON.
    #[error("the request is not valid JSON: {message}")]
    InvalidJson {
        /// What the parser reported, with line and column.
        message: String,
    },
    /// A field is missing, unknown, of the wrong type or out of range.
    #[error("invalid input at {path}: {message}")]
    InvalidInput {
        /// JSONPath of the offending field (`$` for the whole request).
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// The operation is not known.
    #[error("unknown operation `{operation}`")]
    UnknownOperation {
        /// The name that was given.
        operation: String,
    },
    /// The course cannot take the event now.
    #[error("{message}")]
    TransitionRefused {
        /// A one-line summary.
        message: String,
        /// JSONPath of the event in the request.
        path: String,
        /// Every unmet precondition.
        unmet: Vec<Unmet>,
    },
    /// The snapshot is malformed or inconsistent.
    #[error("invalid snapshot at {path}: {message}")]
    InvalidSnapshot {
        /// JSONPath of the offending field.
        path: String,
        /// What is wrong with it.
        message: String,
    },
    /// The snapshot was written by an incompatible format version.
    #[error(
        "snapshot format version {found} is not supported; this engine reads version {supported}"
    )]
    UnsupportedSnapshotVersion {
        /// The version found in the snapshot.
        found: u64,
        /// The version this engine reads and writes.
        supported: u64,
    },
}

impl Error {
    /// An invalid-input error at `path`.
    pub fn invalid(path: impl Into<String>, message: impl Into<String>) -> Error {
        Error::InvalidInput {
            path: path.into(),
            message: message.into(),
        }
    }

    /// The stable code.
    pub fn code(&self) -> ErrorCode {
        match self {
            Error::InvalidJson { .. } => ErrorCode::InvalidJson,
            Error::InvalidInput { .. } => ErrorCode::InvalidInput,
            Error::UnknownOperation { .. } => ErrorCode::UnknownOperation,
            Error::TransitionRefused { .. } => ErrorCode::TransitionRefused,
            Error::InvalidSnapshot { .. } => ErrorCode::InvalidSnapshot,
            Error::UnsupportedSnapshotVersion { .. } => ErrorCode::UnsupportedSnapshotVersion,
        }
    }

    /// JSONPath of the offending field, where there is one.
    pub fn path(&self) -> Option<&str> {
        match self {
            Error::InvalidInput { path, .. }
            | Error::TransitionRefused { path, .. }
            | Error::InvalidSnapshot { path, .. } => Some(path),
            _ => None,
        }
    }

    /// The error as it travels in an answer.
    pub fn to_body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code(),
            message: self.to_string(),
            path: self.path().map(str::to_owned),
            unmet: match self {
                Error::TransitionRefused { unmet, .. } => unmet.clone(),
                _ => Vec::new(),
            },
        }
    }
}

/// An error as it travels in an answer envelope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    /// The stable code.
    pub code: ErrorCode,
    /// What went wrong, in plain language.
    pub message: String,
    /// JSONPath of the offending field, where there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// For `transition_refused`: every unmet precondition.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmet: Vec<Unmet>,
}

/// Parses a request, turning serde's errors into [`Error`]s that carry the JSONPath of the
/// offending field.
///
/// Every request of the API is a JSON object. serde would accept a struct written as an array
/// (positionally), so a top-level array is refused here, before serde sees it.
pub fn parse<T: serde::de::DeserializeOwned>(input: &str) -> Result<T, Error> {
    if input.trim_start().starts_with('[')
        && serde_json::from_str::<serde::de::IgnoredAny>(input).is_ok()
    {
        return Err(Error::InvalidInput {
            path: "$".to_owned(),
            message: "expected a JSON object, found an array".to_owned(),
        });
    }
    let mut de = serde_json::Deserializer::from_str(input);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = json_path(&e.path().to_string());
        let inner = e.into_inner();
        // serde_json reports some type mismatches (an array where an enum string is
        // expected) as syntax errors; the input is then well-formed JSON with a wrong field.
        let well_formed = || serde_json::from_str::<serde::de::IgnoredAny>(input).is_ok();
        if (inner.is_syntax() || inner.is_eof()) && !well_formed() {
            Error::InvalidJson {
                message: inner.to_string(),
            }
        } else if inner.is_syntax() {
            Error::InvalidInput {
                path,
                message: format!(
                    "the value has the wrong type ({})",
                    without_position(&inner)
                ),
            }
        } else {
            Error::InvalidInput {
                path,
                message: without_position(&inner),
            }
        }
    })?;
    de.end().map_err(|e| Error::InvalidJson {
        message: e.to_string(),
    })?;
    Ok(value)
}

/// serde's message without its " at line L column C" suffix: for a field error the JSONPath
/// locates it, and the answer then does not depend on how the request was formatted.
fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    text.strip_suffix(&suffix).unwrap_or(&text).to_owned()
}

/// Turns `serde_path_to_error`'s `a.b[0].c` (or `.` for the root) into JSONPath `$.a.b[0].c`.
fn json_path(p: &str) -> String {
    if p.is_empty() || p == "." {
        "$".to_owned()
    } else if p.starts_with('[') {
        format!("${p}")
    } else {
        format!("$.{p}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        n: u8,
    }
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        items: Vec<Inner>,
    }

    #[test]
    fn errors_carry_the_path_of_the_field() {
        let e = parse::<Outer>(r#"{"items":[{"n":1},{"n":300}]}"#).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput);
        assert_eq!(e.path(), Some("$.items[1].n"));
        let e = parse::<Outer>(r#"{"items":[],"extra":1}"#).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput);
        assert!(e.to_string().contains("extra"), "{e}");
        let e = parse::<Outer>(r#"{"items":["#).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidJson);
        let e = parse::<Outer>(r#"{"items":[]} trailing"#).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidJson);
        let e = parse::<Outer>(r#"{"items":[{"n":[1]}]}"#).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput);
        assert_eq!(e.path(), Some("$.items[0].n"));
        let e = parse::<Outer>("[]").unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput);
        assert_eq!(e.path(), Some("$"));
    }
}
