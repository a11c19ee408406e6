//! The statuses of the C library, generated from `ipt_core::ErrorCode` (its numbers,
//! words and strings) by `ipt-ffi/tests/operations.rs` (do not edit by hand).

use std::ffi::CStr;

use ipt_core::ErrorCode;

/// The status of a call: IPT_STATUS_OK when the answer has a result, otherwise the status
/// of the answer's error.code (ipt_status_string() gives the code). The values are stable:
/// a new code takes the next number.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IptStatus {
    /// The answer has a result.
    Ok = 0,
    /// "invalid_json": The request is not well-formed JSON.
    InvalidJson = 1,
    /// "invalid_input": The request is JSON but a field is missing, unknown, of the wrong type
    /// or out of range.
    InvalidInput = 2,
    /// "unknown_operation": The operation name is not one the engine knows.
    UnknownOperation = 3,
    /// "transition_refused": The event is valid but the course cannot take it now; `unmet`
    /// lists every reason.
    TransitionRefused = 4,
    /// "invalid_snapshot": The course snapshot is malformed or inconsistent.
    InvalidSnapshot = 5,
    /// "unsupported_snapshot_version": The course snapshot was written by an incompatible
    /// format version.
    UnsupportedSnapshotVersion = 6,
    /// "null_pointer": A binding was given a NULL pointer.
    NullPointer = 7,
    /// "invalid_utf8": A binding was given bytes that are not UTF-8.
    InvalidUtf8 = 8,
    /// "input_too_large": The request is larger than the engine accepts (16 MiB; the `version`
    /// answer lists them).
    InputTooLarge = 9,
    /// "invalid_handle": A binding was given a handle that is not live (freed, foreign or
    /// NULL).
    InvalidHandle = 10,
    /// "internal": A defect inside the engine (a caught panic). Please report it.
    Internal = 11,
    /// "limit_exceeded": A count or a length in the request is over one of the engine's limits
    /// (the `version` answer lists them); `path` names the list or the field.
    LimitExceeded = 12,
    /// "invalid_argument": A binding was given an argument of the wrong kind (in JavaScript, a
    /// number where a string or an object is expected).
    InvalidArgument = 13,
    /// "not_ready": The wasm module is not ready: it was called before its initialization
    /// finished.
    NotReady = 14,
}

impl IptStatus {
    /// Every status, by value.
    const ALL: [IptStatus; 15] = [
        IptStatus::Ok,
        IptStatus::InvalidJson,
        IptStatus::InvalidInput,
        IptStatus::UnknownOperation,
        IptStatus::TransitionRefused,
        IptStatus::InvalidSnapshot,
        IptStatus::UnsupportedSnapshotVersion,
        IptStatus::NullPointer,
        IptStatus::InvalidUtf8,
        IptStatus::InputTooLarge,
        IptStatus::InvalidHandle,
        IptStatus::Internal,
        IptStatus::LimitExceeded,
        IptStatus::InvalidArgument,
        IptStatus::NotReady,
    ];

    /// The status of an answer with this error code (`None`: ok).
    pub(crate) const fn of(code: Option<ErrorCode>) -> IptStatus {
        match code {
            None => IptStatus::Ok,
            Some(ErrorCode::InvalidJson) => IptStatus::InvalidJson,
            Some(ErrorCode::InvalidInput) => IptStatus::InvalidInput,
            Some(ErrorCode::UnknownOperation) => IptStatus::UnknownOperation,
            Some(ErrorCode::TransitionRefused) => IptStatus::TransitionRefused,
            Some(ErrorCode::InvalidSnapshot) => IptStatus::InvalidSnapshot,
            Some(ErrorCode::UnsupportedSnapshotVersion) => IptStatus::UnsupportedSnapshotVersion,
            Some(ErrorCode::NullPointer) => IptStatus::NullPointer,
            Some(ErrorCode::InvalidUtf8) => IptStatus::InvalidUtf8,
            Some(ErrorCode::InputTooLarge) => IptStatus::InputTooLarge,
            Some(ErrorCode::InvalidHandle) => IptStatus::InvalidHandle,
            Some(ErrorCode::Internal) => IptStatus::Internal,
            Some(ErrorCode::LimitExceeded) => IptStatus::LimitExceeded,
            Some(ErrorCode::InvalidArgument) => IptStatus::InvalidArgument,
            Some(ErrorCode::NotReady) => IptStatus::NotReady,
        }
    }

    /// The status of a raw value from C, which may be any integer.
    pub(crate) fn from_raw(raw: i32) -> Option<IptStatus> {
        IptStatus::ALL.into_iter().find(|s| *s as i32 == raw)
    }

    /// The stable code of the status: `ok`, or the answer's `error.code`.
    pub(crate) const fn as_cstr(self) -> &'static CStr {
        match self {
            IptStatus::Ok => c"ok",
            IptStatus::InvalidJson => c"invalid_json",
            IptStatus::InvalidInput => c"invalid_input",
            IptStatus::UnknownOperation => c"unknown_operation",
            IptStatus::TransitionRefused => c"transition_refused",
            IptStatus::InvalidSnapshot => c"invalid_snapshot",
            IptStatus::UnsupportedSnapshotVersion => c"unsupported_snapshot_version",
            IptStatus::NullPointer => c"null_pointer",
            IptStatus::InvalidUtf8 => c"invalid_utf8",
            IptStatus::InputTooLarge => c"input_too_large",
            IptStatus::InvalidHandle => c"invalid_handle",
            IptStatus::Internal => c"internal",
            IptStatus::LimitExceeded => c"limit_exceeded",
            IptStatus::InvalidArgument => c"invalid_argument",
            IptStatus::NotReady => c"not_ready",
        }
    }
}
