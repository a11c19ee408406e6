//! # ipt-ffi: the C ABI of the IPT rules engine
//!
//! A thin translation of `ipt_core::api` to C: every function takes NUL-terminated UTF-8 JSON
//! and returns an [`IptResult`] by value, holding a status and the answer envelope as an owned
//! UTF-8 string. Decisions are made in `ipt-core` only.
//!
//! ## Ownership
//! Every `IptResult` returned owns its `json` string; release it with [`ipt_result_free`] (and
//! nothing else: not `free()`). Input strings stay owned by the caller and are only read during
//! the call. A course handle from [`ipt_course_new`] or [`ipt_course_from_snapshot`] is owned
//! by the caller until [`ipt_course_free`].
//!
//! ## Thread safety
//! All functions may be called from any thread at the same time. A course handle may be shared
//! between threads: each handle holds a lock, so calls on the same handle are serialized.
//! Freeing a handle while another thread is using it is the caller's error.
//!
//! ## Robustness
//! Every function catches panics (status `IPT_STATUS_INTERNAL`), checks pointers for NULL,
//! bounds the input length ([`IPT_MAX_INPUT_BYTES`]) without reading past it, validates
//! UTF-8, and recognizes handles that were freed or never issued by this library (it keeps a
//! registry of live handles and never dereferences a pointer it did not issue). A freed
//! handle's address may be reused by a later handle; until then it is reported as invalid.

use std::collections::BTreeSet;
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Mutex, MutexGuard, OnceLock};

#[rustfmt::skip] // generated from the operation table: see tests/operations.rs
mod operations;
pub use operations::*;

use ipt_core::api::{self, Course, Operation, Reply};
use ipt_core::ErrorCode;

/// The most bytes of an input string the library reads (16 MiB). A NUL-terminated string must
/// end within them: at most `IPT_MAX_INPUT_BYTES - 1` bytes and its NUL; a longer one gives
/// `IPT_STATUS_INPUT_TOO_LARGE` and no byte past the first `IPT_MAX_INPUT_BYTES` is read. The
/// length-taking functions (`ipt_call_n`, `ipt_course_apply_n`) accept up to
/// `IPT_MAX_INPUT_BYTES` bytes and read exactly the length given.
///
/// It is `ipt_core::limits::MAX_REQUEST_BYTES` (checked at compile time), written as a literal
/// so that the header can carry it.
pub const IPT_MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

const _: () = assert!(IPT_MAX_INPUT_BYTES == ipt_core::limits::MAX_REQUEST_BYTES);

/// The status of a call. `IPT_STATUS_OK` when the answer has a `result`; otherwise it mirrors
/// the answer's stable `error.code`.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IptStatus {
    /// The answer has a result.
    Ok = 0,
    /// `invalid_json`: the input is not well-formed JSON.
    InvalidJson = 1,
    /// `invalid_input`: a field is missing, unknown, of the wrong type or out of range.
    InvalidInput = 2,
    /// `unknown_operation`: the operation name is not known.
    UnknownOperation = 3,
    /// `transition_refused`: the course cannot take the event; the answer lists every reason.
    TransitionRefused = 4,
    /// `invalid_snapshot`: the course snapshot is malformed or inconsistent.
    InvalidSnapshot = 5,
    /// `unsupported_snapshot_version`: the snapshot format version is not supported.
    UnsupportedSnapshotVersion = 6,
    /// `null_pointer`: a required pointer argument was NULL.
    NullPointer = 7,
    /// `invalid_utf8`: an input string is not UTF-8.
    InvalidUtf8 = 8,
    /// `input_too_large`: an input string is longer than `IPT_MAX_INPUT_BYTES`.
    InputTooLarge = 9,
    /// `invalid_handle`: the course handle is NULL, freed, or not from this library.
    InvalidHandle = 10,
    /// `internal`: a defect in the library (a caught panic). Please report it.
    Internal = 11,
    /// `limit_exceeded`: a count or a length is over one of the engine's limits (the `version`
    /// answer lists them); the answer's `path` names the list or the field.
    LimitExceeded = 12,
    /// `invalid_argument`: an argument of the wrong kind. Raised by the JavaScript binding
    /// only; listed so that every error code has a status.
    InvalidArgument = 13,
    /// `not_ready`: the engine was called before its initialization finished. Raised by the
    /// JavaScript binding only; listed so that every error code has a status.
    NotReady = 14,
}

impl IptStatus {
    fn from_code(code: Option<ErrorCode>) -> IptStatus {
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
    fn from_raw(raw: i32) -> Option<IptStatus> {
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
        ALL.into_iter().find(|s| *s as i32 == raw)
    }

    /// The stable code of the status: `ok`, or the answer's `error.code`.
    fn as_cstr(self) -> &'static CStr {
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

/// An `IptStatus` as C passes it: any value of the enum's integer type, so that a value no
/// status has is read without undefined behaviour. The header spells it `IptStatus`.
#[repr(transparent)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IptStatusValue(pub i32);

/// The stable snake_case code of a status: `"ok"`, or the `error.code` its answers carry
/// (`"invalid_json"`, `"limit_exceeded"`, ...); `"unknown"` for a value that is no status. The
/// string is static (never release it) and never NULL.
#[no_mangle]
pub extern "C" fn ipt_status_string(status: IptStatusValue) -> *const c_char {
    IptStatus::from_raw(status.0)
        .map_or(c"unknown", IptStatus::as_cstr)
        .as_ptr()
}

/// The result of a call, returned by value.
///
/// `json` is the answer envelope (`{"engine_version", "protocol_version",
/// "terminology_version", "operation", "ok", "result" | "error"}`), NUL-terminated UTF-8 of `len` bytes (the NUL not counted). It is owned
/// by the caller and must be released with `ipt_result_free`. It is never NULL in a result
/// returned by this library, except after `ipt_result_free`.
#[repr(C)]
#[derive(Debug)]
pub struct IptResult {
    /// `IPT_STATUS_OK`, or the error code of the answer.
    pub status: IptStatus,
    /// The answer envelope as JSON.
    pub json: *mut c_char,
    /// The length of `json` in bytes, without the terminating NUL.
    pub len: usize,
}

/// An opaque course: its state and its event log. Create with `ipt_course_new` or
/// `ipt_course_from_snapshot`, release with `ipt_course_free`.
pub struct IptCourse {
    course: Mutex<Course>,
}

/// The result of a reply: the status is the dispatcher's error code, never read back from the
/// answer's text.
fn result_from(reply: Reply) -> IptResult {
    let status = IptStatus::from_code(reply.error);
    // serde_json escapes control characters, so an answer never contains a NUL byte.
    let c = CString::new(reply.json).unwrap_or_default();
    let len = c.as_bytes().len();
    IptResult {
        status,
        json: c.into_raw(),
        len,
    }
}

fn error_result(operation: &str, code: ErrorCode, message: &str) -> IptResult {
    result_from(Reply {
        json: api::error_answer_with(operation, code, message),
        error: Some(code),
    })
}

/// Runs `f`, turning a panic into an `internal` answer.
fn guarded(operation: &str, f: impl FnOnce() -> IptResult) -> IptResult {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| {
        error_result(
            operation,
            ErrorCode::Internal,
            "the engine panicked; this is a defect, please report it",
        )
    })
}

/// Reads a NUL-terminated UTF-8 string, reading at most `IPT_MAX_INPUT_BYTES` bytes (the
/// NUL included).
///
/// # Safety
/// `ptr` is NULL or points to memory readable up to its NUL terminator or
/// `IPT_MAX_INPUT_BYTES` bytes, whichever comes first.
unsafe fn read_str<'a>(ptr: *const c_char, what: &str) -> Result<&'a str, (ErrorCode, String)> {
    if ptr.is_null() {
        return Err((ErrorCode::NullPointer, format!("{what} is NULL")));
    }
    let mut len = 0usize;
    loop {
        if len == IPT_MAX_INPUT_BYTES {
            return Err((
                ErrorCode::InputTooLarge,
                format!(
                    "{what} has no terminating NUL within {IPT_MAX_INPUT_BYTES} bytes (the most this library reads)"
                ),
            ));
        }
        // SAFETY: `len < IPT_MAX_INPUT_BYTES` and no NUL was found before it, so by the
        // caller's guarantee the byte at `len` is readable.
        if unsafe { *ptr.add(len) } == 0 {
            break;
        }
        len += 1;
    }
    // SAFETY: the `len` bytes before the terminator were just read above, so they are readable
    // and stay valid for the duration of the call (the caller owns them).
    unsafe { read_bytes(ptr, len, what) }
}

/// Reads `len` bytes of UTF-8 (no terminator needed).
///
/// # Safety
/// `ptr` points to `len` readable bytes (checked for NULL here), valid for the call.
unsafe fn read_bytes<'a>(
    ptr: *const c_char,
    len: usize,
    what: &str,
) -> Result<&'a str, (ErrorCode, String)> {
    if ptr.is_null() {
        return Err((ErrorCode::NullPointer, format!("{what} is NULL")));
    }
    if len > IPT_MAX_INPUT_BYTES {
        return Err((
            ErrorCode::InputTooLarge,
            format!("{what} is {len} bytes, more than {IPT_MAX_INPUT_BYTES}"),
        ));
    }
    // SAFETY: the caller guarantees `len` readable bytes at `ptr`, valid for the call.
    let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) };
    std::str::from_utf8(bytes).map_err(|e| {
        (
            ErrorCode::InvalidUtf8,
            format!("{what} is not valid UTF-8: {e}"),
        )
    })
}

/// The engine's answer to an input of `len` bytes, over its limit: word for word what
/// `ipt_core` answers for a request, event or snapshot that long, without reading it.
fn too_large(operation: &str, len: usize) -> IptResult {
    let e = ipt_core::Error::InputTooLarge {
        bytes: len,
        max: IPT_MAX_INPUT_BYTES,
    };
    let code = e.code();
    result_from(Reply {
        json: api::encode::<()>(operation, Err(e)),
        error: Some(code),
    })
}

/// Calls `f` with the request string, or answers the boundary error.
///
/// # Safety
/// As for [`read_str`].
unsafe fn with_request(
    operation: &str,
    request: *const c_char,
    f: impl FnOnce(&str) -> Reply,
) -> IptResult {
    guarded(operation, || {
        // SAFETY: forwarded from the caller of this function.
        match unsafe { read_str(request, "the request") } {
            Ok(text) => result_from(f(text)),
            Err((code, message)) => error_result(operation, code, &message),
        }
    })
}

/// The live handles. A B-tree keeps pointers to the start of its nodes, so leak checkers see
/// the registry as reachable (a hash set points into the middle of its table: "possibly lost").
fn live_handles() -> MutexGuard<'static, BTreeSet<usize>> {
    static LIVE: OnceLock<Mutex<BTreeSet<usize>>> = OnceLock::new();
    LIVE.get_or_init(|| Mutex::new(BTreeSet::new()))
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn register(course: Course) -> *mut IptCourse {
    let ptr = Box::into_raw(Box::new(IptCourse {
        course: Mutex::new(course),
    }));
    live_handles().insert(ptr as usize);
    ptr
}

/// Runs `f` on a live handle, or answers `invalid_handle`. The registry lock is held only
/// while the handle is checked, so calls on different handles run in parallel.
fn with_course(
    operation: &str,
    handle: *mut IptCourse,
    f: impl FnOnce(&mut Course) -> Reply,
) -> IptResult {
    guarded(operation, || {
        if handle.is_null() || !live_handles().contains(&(handle as usize)) {
            return error_result(
                operation,
                ErrorCode::InvalidHandle,
                "the course handle is NULL, already freed, or not from this library",
            );
        }
        // SAFETY: the handle is in the registry of live handles, so it came from `register`
        // (Box::into_raw) and has not been passed to `ipt_course_free`; the library never
        // hands out `&mut IptCourse`, and the inner Mutex serializes access to the course.
        let wrapper = unsafe { &*handle };
        let mut course = wrapper
            .course
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        result_from(f(&mut course))
    })
}

/// Releases the string of a result and sets it to NULL, so releasing the same result twice is
/// harmless. NULL, or a result whose `json` is NULL, is accepted and does nothing.
///
/// # Safety
/// `result` is NULL or points to an `IptResult` returned by this library (or zeroed).
#[no_mangle]
pub unsafe extern "C" fn ipt_result_free(result: *mut IptResult) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        if result.is_null() {
            return;
        }
        // SAFETY: the caller passes a valid, exclusive pointer to an IptResult.
        let r = unsafe { &mut *result };
        if !r.json.is_null() {
            // SAFETY: `json` came from CString::into_raw in `result_from` and has not been
            // freed: freeing sets it to NULL just below.
            drop(unsafe { CString::from_raw(r.json) });
            r.json = std::ptr::null_mut();
            r.len = 0;
        }
    }));
}

/// Calls any operation by name with a JSON request (NUL-terminated UTF-8; both are only read
/// during the call). The caller owns the result: release it with `ipt_result_free`.
///
/// # Safety
/// `operation` and `request` are NULL or NUL-terminated strings readable for the call.
#[no_mangle]
pub unsafe extern "C" fn ipt_call(operation: *const c_char, request: *const c_char) -> IptResult {
    guarded("call", || {
        // SAFETY: forwarded from the caller.
        let op = match unsafe { read_str(operation, "the operation") } {
            Ok(op) => op.to_owned(),
            Err((code, message)) => return error_result("", code, &message),
        };
        // SAFETY: forwarded from the caller.
        unsafe { with_request(&op, request, |r| api::call_reply(&op, r)) }
    })
}

/// [`ipt_call`] with lengths instead of terminators, for buffers that are not NUL-terminated
/// (as SQLite's `sqlite3_prepare_v2` takes one): exactly `operation_len` and `request_len`
/// bytes are read, each at most `IPT_MAX_INPUT_BYTES` (a longer request is refused as the
/// engine refuses it, unread). For UTF-8 input the answer is byte for byte the engine's
/// (`ipt_core::api::call`), as it is from the wasm package. The caller owns the result:
/// release it with `ipt_result_free`.
///
/// # Safety
/// `operation` and `request` are NULL or point to that many readable bytes for the call.
#[no_mangle]
pub unsafe extern "C" fn ipt_call_n(
    operation: *const c_char,
    operation_len: usize,
    request: *const c_char,
    request_len: usize,
) -> IptResult {
    guarded("call", || {
        // SAFETY: forwarded from the caller.
        let op = match unsafe { read_bytes(operation, operation_len, "the operation") } {
            Ok(op) => op.to_owned(),
            Err((code, message)) => return error_result("", code, &message),
        };
        if !request.is_null() && request_len > IPT_MAX_INPUT_BYTES {
            // As the engine answers a request over its limit: an unknown operation first, then
            // the size, in its words. The request is not read.
            return match Operation::parse(&op) {
                None => result_from(api::call_reply(&op, "")),
                Some(_) => too_large(&op, request_len),
            };
        }
        // SAFETY: forwarded from the caller.
        match unsafe { read_bytes(request, request_len, "the request") } {
            Ok(text) => result_from(api::call_reply(&op, text)),
            Err((code, message)) => error_result(&op, code, &message),
        }
    })
}

/// Starts a course (request as for the `course_start` operation). Returns a new handle, or
/// NULL when the request is refused. `answer_out`, when not NULL, receives the `course_start`
/// answer (the caller owns it: release it with `ipt_result_free`). The caller owns the handle:
/// release it with `ipt_course_free`.
///
/// # Safety
/// `request` is NULL or a NUL-terminated string readable for the call; `answer_out` is NULL or
/// points to writable memory for one `IptResult`.
#[no_mangle]
pub unsafe extern "C" fn ipt_course_new(
    request: *const c_char,
    answer_out: *mut IptResult,
) -> *mut IptCourse {
    let mut handle = std::ptr::null_mut();
    let result = guarded("course_start", || {
        // SAFETY: forwarded from the caller.
        match unsafe { read_str(request, "the request") } {
            Ok(text) => {
                let (course, answer) = Course::start(text);
                if let Some(course) = course {
                    handle = register(course);
                }
                result_from(answer)
            }
            Err((code, message)) => error_result("course_start", code, &message),
        }
    });
    deliver(result, answer_out);
    handle
}

/// Restores a course from a snapshot (as returned by `ipt_course_snapshot`). Returns a new
/// handle, or NULL when the snapshot is refused; `answer_out`, when not NULL, receives the
/// error answer in that case, or the course's status. Ownership as for `ipt_course_new`.
///
/// # Safety
/// As for `ipt_course_new`.
#[no_mangle]
pub unsafe extern "C" fn ipt_course_from_snapshot(
    snapshot: *const c_char,
    answer_out: *mut IptResult,
) -> *mut IptCourse {
    let mut handle = std::ptr::null_mut();
    let result = guarded("course_status", || {
        // SAFETY: forwarded from the caller.
        match unsafe { read_str(snapshot, "the snapshot") } {
            Ok(text) => match Course::from_snapshot(text) {
                Ok(course) => {
                    let status = course.status();
                    handle = register(course);
                    result_from(status)
                }
                Err(answer) => result_from(answer),
            },
            Err((code, message)) => error_result("course_status", code, &message),
        }
    });
    deliver(result, answer_out);
    handle
}

/// Writes `result` to `out`, or releases it when `out` is NULL.
fn deliver(mut result: IptResult, out: *mut IptResult) {
    if out.is_null() {
        // SAFETY: `result` was just created by this library and is released once.
        unsafe { ipt_result_free(&mut result) };
    } else {
        // SAFETY: the caller guarantees `out` points to writable memory for one IptResult.
        unsafe { out.write(result) };
    }
}

/// Applies one event (JSON, as the `event` of `course_apply`) to the course. The answer is the
/// `course_apply` envelope whose `result` is `{"outputs": …, "events": n}`: the outputs of the
/// event and how many events the course holds. The snapshot stays in the handle
/// (`ipt_course_snapshot`), so an event costs the same however long the course is. A refused
/// event leaves the course exactly as it was (status `IPT_STATUS_TRANSITION_REFUSED`, every
/// unmet precondition in the answer); a course holds at most 10,000 events
/// (`IPT_STATUS_LIMIT_EXCEEDED`). The caller owns the result: release it with `ipt_result_free`.
///
/// # Safety
/// `course` is a handle from this library or any other value (checked); `event` is NULL or a
/// NUL-terminated string readable for the call.
#[no_mangle]
pub unsafe extern "C" fn ipt_course_apply(
    course: *mut IptCourse,
    event: *const c_char,
) -> IptResult {
    guarded("course_apply", || {
        // SAFETY: forwarded from the caller.
        let text = match unsafe { read_str(event, "the event") } {
            Ok(t) => t,
            Err((code, message)) => return error_result("course_apply", code, &message),
        };
        with_course("course_apply", course, |c| c.apply(text))
    })
}

/// [`ipt_course_apply`] with a length instead of a terminator: exactly `event_len` bytes are
/// read, at most `IPT_MAX_INPUT_BYTES` (a longer event is refused as the engine refuses it,
/// unread). The caller owns the result.
///
/// # Safety
/// `course` is a handle from this library or any other value (checked); `event` is NULL or
/// points to `event_len` readable bytes for the call.
#[no_mangle]
pub unsafe extern "C" fn ipt_course_apply_n(
    course: *mut IptCourse,
    event: *const c_char,
    event_len: usize,
) -> IptResult {
    guarded("course_apply", || {
        if !event.is_null() && event_len > IPT_MAX_INPUT_BYTES {
            return too_large("course_apply", event_len);
        }
        // SAFETY: forwarded from the caller.
        let text = match unsafe { read_bytes(event, event_len, "the event") } {
            Ok(t) => t,
            Err((code, message)) => return error_result("course_apply", code, &message),
        };
        with_course("course_apply", course, |c| c.apply(text))
    })
}

/// The status of the course (the `course_status` answer). The caller owns the result.
#[no_mangle]
pub extern "C" fn ipt_course_status(course: *mut IptCourse) -> IptResult {
    with_course("course_status", course, |c| c.status())
}

/// The course's snapshot: bare JSON (not an envelope) that `ipt_course_from_snapshot` and the
/// `course_apply` operation accept. The caller owns the result.
#[no_mangle]
pub extern "C" fn ipt_course_snapshot(course: *mut IptCourse) -> IptResult {
    with_course("course_snapshot", course, |c| Reply {
        json: c.snapshot(),
        error: None,
    })
}

/// Releases a course handle. NULL, a freed handle or a foreign pointer is ignored (and never
/// dereferenced). Returns `IPT_STATUS_OK` when the handle was released, otherwise
/// `IPT_STATUS_INVALID_HANDLE`.
// The pointer is dereferenced only once the registry proves this library issued it and it is
// still live, so a foreign or stale pointer is safe to pass: the function need not be `unsafe`.
#[allow(clippy::not_unsafe_ptr_arg_deref)]
#[no_mangle]
pub extern "C" fn ipt_course_free(course: *mut IptCourse) -> IptStatus {
    catch_unwind(|| {
        if course.is_null() || !live_handles().remove(&(course as usize)) {
            return IptStatus::InvalidHandle;
        }
        // SAFETY: the handle was in the registry, so it came from Box::into_raw in `register`,
        // and removing it from the registry makes this the only release.
        drop(unsafe { Box::from_raw(course) });
        IptStatus::Ok
    })
    .unwrap_or(IptStatus::Internal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    fn text(r: &IptResult) -> String {
        assert!(!r.json.is_null());
        // SAFETY: a result from this library holds a NUL-terminated string of `len` bytes.
        let s = unsafe { CStr::from_ptr(r.json) }
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(s.len(), r.len);
        s
    }

    fn take(mut r: IptResult) -> (IptStatus, String) {
        let s = text(&r);
        // SAFETY: `r` came from this library.
        unsafe { ipt_result_free(&mut r) };
        assert!(r.json.is_null());
        // SAFETY: freeing twice is harmless by contract.
        unsafe { ipt_result_free(&mut r) };
        (r.status, s)
    }

    #[test]
    fn version_and_null_and_bad_utf8() {
        let (status, json) = take(ipt_version());
        assert_eq!(status, IptStatus::Ok);
        assert!(json.contains(api::ENGINE_VERSION));
        // SAFETY: NULL is accepted.
        let (status, json) = take(unsafe { ipt_assess_suitability(std::ptr::null()) });
        assert_eq!(status, IptStatus::NullPointer);
        assert!(json.contains("null_pointer"));
        let bad = [0xffu8, 0xfe, 0];
        // SAFETY: a NUL-terminated buffer.
        let (status, _) = take(unsafe { ipt_assess_suitability(bad.as_ptr().cast()) });
        assert_eq!(status, IptStatus::InvalidUtf8);
        // SAFETY: NULL results are accepted.
        unsafe { ipt_result_free(std::ptr::null_mut()) };
    }

    #[test]
    fn an_operation_by_name_with_errors_mapped_to_statuses() {
        let op = c"assess_suitability";
        let req = c"{\"findings\":{\"active_psychosis\":\"present\"}}";
        // SAFETY: NUL-terminated literals.
        let (status, json) = take(unsafe { ipt_call(op.as_ptr(), req.as_ptr()) });
        assert_eq!(status, IptStatus::Ok);
        assert!(json.contains("contraindicated"));
        // SAFETY: as above.
        let (status, _) = take(unsafe { ipt_call(c"nope".as_ptr(), c"{}".as_ptr()) });
        assert_eq!(status, IptStatus::UnknownOperation);
        // SAFETY: as above.
        let (status, _) = take(unsafe { ipt_call(op.as_ptr(), c"{\"age\":300}".as_ptr()) });
        assert_eq!(status, IptStatus::InvalidInput);
        // SAFETY: as above.
        let (status, _) = take(unsafe { ipt_call(op.as_ptr(), c"{".as_ptr()) });
        assert_eq!(status, IptStatus::InvalidJson);
    }

    #[test]
    fn a_course_handle_lives_refuses_and_dies() {
        let mut answer = IptResult {
            status: IptStatus::Internal,
            json: std::ptr::null_mut(),
            len: 0,
        };
        // SAFETY: NUL-terminated literal and a valid out pointer.
        let h = unsafe { ipt_course_new(c"{\"variant\":\"brief\"}".as_ptr(), &mut answer) };
        assert!(!h.is_null());
        let (status, _) = take(answer);
        assert_eq!(status, IptStatus::Ok);
        let (_, before) = take(ipt_course_snapshot(h));
        // A session before the course has started is refused and changes nothing.
        let event = c"{\"type\":\"session_held\",\"number\":1,\"date\":\"2026-01-05\"}";
        // SAFETY: a live handle and a literal.
        let (status, json) = take(unsafe { ipt_course_apply(h, event.as_ptr()) });
        assert_eq!(status, IptStatus::TransitionRefused, "{json}");
        let (_, after) = take(ipt_course_snapshot(h));
        assert_eq!(before, after);
        assert_eq!(ipt_course_free(h), IptStatus::Ok);
        // The freed handle is recognized and never dereferenced.
        assert_eq!(ipt_course_free(h), IptStatus::InvalidHandle);
        let (status, _) = take(ipt_course_status(h));
        assert_eq!(status, IptStatus::InvalidHandle);
        let foreign = std::ptr::NonNull::<IptCourse>::dangling().as_ptr();
        let (status, _) = take(ipt_course_status(foreign));
        assert_eq!(status, IptStatus::InvalidHandle);
        // SAFETY: NULL request and NULL out are accepted.
        let h = unsafe { ipt_course_new(std::ptr::null(), std::ptr::null_mut()) };
        assert!(h.is_null());
    }

    /// Every error code, by an exhaustive match: a new code fails to compile here until it
    /// is listed (and `IptStatus::from_code` gives it a status).
    fn every_error_code() -> Vec<ErrorCode> {
        let all = [
            ErrorCode::InvalidJson,
            ErrorCode::InvalidInput,
            ErrorCode::UnknownOperation,
            ErrorCode::TransitionRefused,
            ErrorCode::InvalidSnapshot,
            ErrorCode::UnsupportedSnapshotVersion,
            ErrorCode::NullPointer,
            ErrorCode::InvalidUtf8,
            ErrorCode::InputTooLarge,
            ErrorCode::InvalidHandle,
            ErrorCode::LimitExceeded,
            ErrorCode::InvalidArgument,
            ErrorCode::NotReady,
            ErrorCode::Internal,
        ];
        for code in all {
            match code {
                ErrorCode::InvalidJson
                | ErrorCode::InvalidInput
                | ErrorCode::UnknownOperation
                | ErrorCode::TransitionRefused
                | ErrorCode::InvalidSnapshot
                | ErrorCode::UnsupportedSnapshotVersion
                | ErrorCode::NullPointer
                | ErrorCode::InvalidUtf8
                | ErrorCode::InputTooLarge
                | ErrorCode::InvalidHandle
                | ErrorCode::LimitExceeded
                | ErrorCode::InvalidArgument
                | ErrorCode::NotReady
                | ErrorCode::Internal => {}
            }
        }
        all.to_vec()
    }

    fn status_string(raw: i32) -> &'static str {
        let p = ipt_status_string(IptStatusValue(raw));
        assert!(!p.is_null());
        // SAFETY: the function returns a static NUL-terminated string.
        unsafe { CStr::from_ptr(p) }.to_str().unwrap()
    }

    #[test]
    fn every_error_code_has_its_own_status_named_by_its_code() {
        let mut seen = BTreeSet::new();
        for code in every_error_code() {
            let status = IptStatus::from_code(Some(code));
            assert_ne!(status, IptStatus::Ok);
            assert!(seen.insert(status as i32), "{code} shares a status");
            assert_eq!(status_string(status as i32), code.as_str());
            assert_eq!(IptStatus::from_raw(status as i32), Some(status));
        }
        assert_eq!(status_string(IptStatus::Ok as i32), "ok");
        // The values are stable: 0 for OK, then the codes in the order they were added.
        assert_eq!(
            (0..=14).map(status_string).collect::<Vec<_>>(),
            [
                "ok",
                "invalid_json",
                "invalid_input",
                "unknown_operation",
                "transition_refused",
                "invalid_snapshot",
                "unsupported_snapshot_version",
                "null_pointer",
                "invalid_utf8",
                "input_too_large",
                "invalid_handle",
                "internal",
                "limit_exceeded",
                "invalid_argument",
                "not_ready",
            ]
        );
        for raw in [15, 99, -1, i32::MIN, i32::MAX] {
            assert_eq!(status_string(raw), "unknown");
        }
    }

    #[test]
    fn the_input_bound_is_the_engines_request_limit() {
        assert_eq!(IPT_MAX_INPUT_BYTES, ipt_core::limits::MAX_REQUEST_BYTES);
    }

    #[test]
    fn a_limit_is_its_own_status() {
        let diagnoses = vec![r#"{"category":"major_depression"}"#; 33].join(",");
        let req = CString::new(format!(r#"{{"diagnoses":[{diagnoses}]}}"#)).unwrap();
        // SAFETY: a NUL-terminated string.
        let (status, json) = take(unsafe { ipt_assess_suitability(req.as_ptr()) });
        assert_eq!(status, IptStatus::LimitExceeded, "{json}");
        assert!(json.contains("\"limit_exceeded\""), "{json}");
    }

    #[test]
    fn a_length_over_the_bound_is_answered_as_the_engine_answers_it() {
        if cfg!(miri) {
            return; // 16 MiB under the interpreter takes minutes
        }
        let big = " ".repeat(IPT_MAX_INPUT_BYTES + 1);
        for op in ["assess_suitability", "version", "no_such_operation"] {
            // SAFETY: pointers and lengths of live strings.
            let (status, json) = take(unsafe {
                ipt_call_n(op.as_ptr().cast(), op.len(), big.as_ptr().cast(), big.len())
            });
            let reply = api::call_reply(op, &big);
            assert_eq!(json, reply.json);
            assert_eq!(status, IptStatus::from_code(reply.error));
        }
        // SAFETY: NUL-terminated literal, NULL out.
        let h =
            unsafe { ipt_course_new(c"{\"variant\":\"brief\"}".as_ptr(), std::ptr::null_mut()) };
        let mut course = Course::start("{\"variant\":\"brief\"}").0.unwrap();
        // SAFETY: a live handle, and a pointer and length of a live string.
        let (status, json) = take(unsafe { ipt_course_apply_n(h, big.as_ptr().cast(), big.len()) });
        let reply = course.apply(&big);
        assert_eq!(json, reply.json);
        assert_eq!(status, IptStatus::InputTooLarge);
        assert_eq!(ipt_course_free(h), IptStatus::Ok);
    }

    #[test]
    fn oversized_input_is_refused_without_reading_past_the_bound() {
        if cfg!(miri) {
            return; // 16 MiB under the interpreter takes minutes; the bound logic is the same
        }
        let big = vec![b' '; IPT_MAX_INPUT_BYTES + 8];
        // Not NUL-terminated at all: the bound stops the scan inside the buffer.
        // SAFETY: the buffer holds more than IPT_MAX_INPUT_BYTES + 1 readable bytes.
        let (status, _) = take(unsafe { ipt_assess_suitability(big.as_ptr().cast()) });
        assert_eq!(status, IptStatus::InputTooLarge);
    }
}
