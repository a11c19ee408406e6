//! Errors of the core, each with a stable code and, where it concerns a field, the JSONPath
//! of that field.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::catalogue::RuleId;
use crate::path::JsonPath;

/// Defines the error codes, once: for each, its variant, its stable string, its number as a C
/// status (`ipt-ffi`'s `IptStatus`, generated from [`ErrorCode::ALL`]; 0 is success) and its
/// description. The enum, [`ErrorCode::ALL`], [`ErrorCode::as_str`], [`ErrorCode::parse`],
/// [`ErrorCode::status`] and [`ErrorCode::doc`] all come from the one list below.
macro_rules! error_codes {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $name:literal, status $status:literal; )+) => {
        /// The stable error codes. Front ends may match on these strings; they never change meaning.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
        pub enum ErrorCode {
            $( $(#[doc = $doc])+ #[serde(rename = $name)] $variant, )+
        }

        impl ErrorCode {
            /// Every error code.
            pub const ALL: &'static [ErrorCode] = &[ $( ErrorCode::$variant, )+ ];

            /// The code as its stable string.
            pub const fn as_str(self) -> &'static str {
                match self { $( ErrorCode::$variant => $name, )+ }
            }

            /// Looks a code up by its stable string.
            pub fn parse(name: &str) -> Option<ErrorCode> {
                match name { $( $name => Some(ErrorCode::$variant), )+ _ => None }
            }

            /// The code's number as a status of the C library (`IPT_STATUS_*`): stable, never
            /// reused, never 0 (0 is success).
            pub const fn status(self) -> u8 {
                match self { $( ErrorCode::$variant => $status, )+ }
            }

            /// What the code means, in one or two sentences.
            pub const fn doc(self) -> &'static str {
                match self { $( ErrorCode::$variant => concat!($($doc),+), )+ }
            }
        }
    };
}

// The status numbers are in the order the codes were added; the variants are in the order of
// the schemas (a new code takes the next number, wherever it is listed).
error_codes! {
    /// The request is not well-formed JSON.
    InvalidJson = "invalid_json", status 1;
    /// The request is JSON but a field is missing, unknown, of the wrong type or out of range.
    InvalidInput = "invalid_input", status 2;
    /// The operation name is not one the engine knows.
    UnknownOperation = "unknown_operation", status 3;
    /// The event is valid but the course cannot take it now; `unmet` lists every reason.
    TransitionRefused = "transition_refused", status 4;
    /// The course snapshot is malformed or inconsistent.
    InvalidSnapshot = "invalid_snapshot", status 5;
    /// The course snapshot was written by an incompatible format version.
    UnsupportedSnapshotVersion = "unsupported_snapshot_version", status 6;
    /// A binding was given a NULL pointer.
    NullPointer = "null_pointer", status 7;
    /// A binding was given bytes that are not UTF-8.
    InvalidUtf8 = "invalid_utf8", status 8;
    /// The request is larger than the engine accepts (16 MiB; the `version` answer lists them).
    InputTooLarge = "input_too_large", status 9;
    /// A binding was given a handle that is not live (freed, foreign or NULL).
    InvalidHandle = "invalid_handle", status 10;
    /// A count or a length in the request is over one of the engine's limits (the `version`
    /// answer lists them); `path` names the list or the field.
    LimitExceeded = "limit_exceeded", status 12;
    /// A binding was given an argument of the wrong kind (in JavaScript, a number where a
    /// string or an object is expected).
    InvalidArgument = "invalid_argument", status 13;
    /// The wasm module is not ready: it was called before its initialization finished.
    NotReady = "not_ready", status 14;
    /// A defect inside the engine (a caught panic). Please report it.
    Internal = "internal", status 11;
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
        path: JsonPath,
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
        path: JsonPath,
        /// Every unmet precondition.
        unmet: Vec<Unmet>,
    },
    /// The snapshot is malformed or inconsistent.
    #[error("invalid snapshot at {path}: {message}")]
    InvalidSnapshot {
        /// JSONPath of the offending field.
        path: JsonPath,
        /// What is wrong with it.
        message: String,
    },
    /// A count or a length is over a documented limit.
    #[error("limit exceeded at {path}: {message}")]
    LimitExceeded {
        /// JSONPath of the list or field over the limit (`$` for the whole request).
        path: JsonPath,
        /// Which limit, and its value.
        message: String,
    },
    /// The request is larger than the engine accepts.
    #[error("the request is {bytes} bytes; at most {max} are accepted")]
    InputTooLarge {
        /// The request's size in bytes.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// The snapshot was written by an incompatible format version.
    #[error(
        "snapshot format version {found} is not supported; this engine reads versions 1 to {supported}"
    )]
    UnsupportedSnapshotVersion {
        /// The version found in the snapshot.
        found: u64,
        /// The newest version this engine reads, the one it writes.
        supported: u64,
    },
}

impl Error {
    /// An invalid-input error at `path`.
    pub fn invalid(path: impl Into<JsonPath>, message: impl Into<String>) -> Error {
        Error::InvalidInput {
            path: path.into(),
            message: message.into(),
        }
    }

    /// A limit error at `path`: `what` is over `max` (`name` is the limit's name in
    /// the limits module).
    pub fn limit(path: impl Into<JsonPath>, what: &str, max: usize, name: &str) -> Error {
        Error::LimitExceeded {
            path: path.into(),
            message: format!("at most {max} {what} (limit {name})"),
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
            Error::LimitExceeded { .. } => ErrorCode::LimitExceeded,
            Error::InputTooLarge { .. } => ErrorCode::InputTooLarge,
        }
    }

    /// JSONPath of the offending field, where there is one.
    pub fn path(&self) -> Option<&str> {
        match self {
            Error::InvalidInput { path, .. }
            | Error::TransitionRefused { path, .. }
            | Error::InvalidSnapshot { path, .. }
            | Error::LimitExceeded { path, .. } => Some(path.as_str()),
            _ => None,
        }
    }

    /// The error of a nested document (an event, a snapshot, a part of a request) moved
    /// under the path of that document in its parent: `$.date` under `$.events[3]` becomes
    /// `$.events[3].date`. The one place where errors are rerooted.
    #[must_use]
    pub fn under(self, parent: &JsonPath) -> Error {
        self.map_path(|p| p.under(parent))
    }

    /// The error with a path prefix replaced: `$.event.date` moved from `$.event` to
    /// `$.events[3]` is `$.events[3].date`.
    #[must_use]
    pub fn moved(self, from: &JsonPath, to: &JsonPath) -> Error {
        self.map_path(|p| p.moved(from, to))
    }

    fn map_path(self, f: impl Fn(&JsonPath) -> JsonPath) -> Error {
        match self {
            Error::InvalidInput { path, message } => Error::InvalidInput {
                path: f(&path),
                message,
            },
            Error::TransitionRefused {
                message,
                path,
                unmet,
            } => Error::TransitionRefused {
                message,
                path: f(&path),
                unmet,
            },
            Error::InvalidSnapshot { path, message } => Error::InvalidSnapshot {
                path: f(&path),
                message,
            },
            Error::LimitExceeded { path, message } => Error::LimitExceeded {
                path: f(&path),
                message,
            },
            other => other,
        }
    }

    /// The error as it travels in an answer.
    pub fn to_body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code(),
            // Every echo of the input is clipped where it is made; this bounds the rest.
            message: clip_to(&self.to_string(), 1000).into_owned(),
            path: self.path().map(str::to_owned),
            unmet: match self {
                Error::TransitionRefused { unmet, .. } => unmet.clone(),
                _ => Vec::new(),
            },
        }
    }
}

/// A text clipped for echoing in an error message: at most 64 characters, with the full
/// length said when it was longer. An error answer never repeats a large input.
pub fn clip(text: &str) -> std::borrow::Cow<'_, str> {
    clip_to(text, 64)
}

/// A text clipped to at most `keep` characters, with the full length said when it was longer.
pub fn clip_to(text: &str, keep: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(keep) {
        None => text.into(),
        Some((cut, _)) => format!("{}… ({} characters)", &text[..cut], text.chars().count()).into(),
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

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn every_code_has_its_own_string_and_status_and_reads_back() {
        let mut names = std::collections::BTreeSet::new();
        let mut statuses = std::collections::BTreeSet::new();
        for &code in ErrorCode::ALL {
            assert!(names.insert(code.as_str()), "{code}: string shared");
            assert!(statuses.insert(code.status()), "{code}: status shared");
            assert_ne!(code.status(), 0, "{code}: 0 is success");
            assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
            assert_eq!(
                serde_json::to_value(code).ok(),
                Some(serde_json::Value::from(code.as_str()))
            );
            assert!(!code.doc().trim().is_empty());
        }
        // The statuses are 1..=n with no gap, so a new code takes the next number.
        assert_eq!(
            statuses.into_iter().collect::<Vec<_>>(),
            (1..=ErrorCode::ALL.len())
                .map(|n| n as u8)
                .collect::<Vec<_>>()
        );
        assert_eq!(ErrorCode::parse("ok"), None);
    }
}
