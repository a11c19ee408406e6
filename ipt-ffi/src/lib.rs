//! # ipt-ffi: the C ABI of the IPT rules engine
//!
//! A thin translation of `ipt_core::api` to C: every function takes NUL-terminated UTF-8 JSON
//! (or a pointer and a length) and returns an [`IptResult`] by value, holding a status and the
//! answer envelope as an owned UTF-8 string. Decisions are made in `ipt-core` only.
//!
//! The doc comments of the exported items are written for C readers: cbindgen copies them
//! into `include/ipt.h` (plain C doc blocks with `@param`, `@return` and ownership; each
//! function's requirements on its pointers stand where Rust would put a `# Safety` heading,
//! which has no place in a C header). `ipt-ffi/tests/header.rs` generates the header and
//! fails when the committed one drifts.
//!
//! Course handles: each live course is an `Arc<IptCourse>` (its own lock inside) in a
//! registry keyed by the address the caller holds. A call looks the address up, takes a clone
//! of the `Arc` under the registry's lock, releases that lock and then locks the course, so
//! calls on different courses run in parallel and `ipt_course_free` racing a call on another
//! thread only drops the registry's reference: the call finishes on its own reference, and the
//! course is released when the last one goes. A handle is never dereferenced: a freed, foreign
//! or forged address is simply not in the registry.

// The exported functions' requirements on their pointers are stated, for C readers, in each
// doc block ("The caller guarantees …"), not under a rustdoc `# Safety` heading, which
// cbindgen would copy into the C header.
#![allow(clippy::missing_safety_doc)]

use std::collections::BTreeMap;
use std::ffi::{c_char, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

#[rustfmt::skip] // generated from the operation table: see tests/operations.rs
mod operations;
pub use operations::*;
#[rustfmt::skip] // generated from the error code table: see tests/operations.rs
mod status;
pub use status::IptStatus;

use ipt_core::api::{self, Course, Operation, Reply};
use ipt_core::ErrorCode;

/// The most bytes of an input string the library reads: 16 MiB. A NUL-terminated string ends
/// within them (at most IPT_MAX_INPUT_BYTES - 1 bytes and its NUL); a longer one gets
/// IPT_STATUS_INPUT_TOO_LARGE, and no byte past the first IPT_MAX_INPUT_BYTES is read. The
/// functions that take a length (ipt_call_n(), ipt_course_apply_n()) accept up to
/// IPT_MAX_INPUT_BYTES bytes and read exactly the length given. It is the engine's request
/// limit, which the version answer lists.
pub const IPT_MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

const _: () = assert!(IPT_MAX_INPUT_BYTES == ipt_core::limits::MAX_REQUEST_BYTES);

/// An `IptStatus` as C passes it: any value of the enum's integer type, so that a value no
/// status has is read without undefined behaviour. The header spells it `IptStatus`.
#[repr(transparent)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IptStatusValue(pub i32);

/// The version of the library, "MAJOR.MINOR.PATCH": the engine_version of every answer. The
/// header's IPT_VERSION_STRING is the version it was written for; compare the two to find a
/// program running against another library than it was built with.
///
/// @return a static string: never NULL, never to be released.
#[no_mangle]
pub extern "C" fn ipt_version_string() -> *const c_char {
    static VERSION: OnceLock<CString> = OnceLock::new();
    VERSION
        .get_or_init(|| CString::new(api::ENGINE_VERSION).unwrap_or_default())
        .as_ptr()
}

/// The stable code of a status: "ok", or the error.code its answers carry ("invalid_json",
/// "limit_exceeded", ...).
///
/// @param status  any value; one that is no status gives "unknown"
/// @return a static string: never NULL, never to be released.
#[no_mangle]
pub extern "C" fn ipt_status_string(status: IptStatusValue) -> *const c_char {
    IptStatus::from_raw(status.0)
        .map_or(c"unknown", IptStatus::as_cstr)
        .as_ptr()
}

/// The result of a call, returned by value. Release it with ipt_result_free() (never free()).
#[repr(C)]
#[derive(Debug)]
pub struct IptResult {
    /// IPT_STATUS_OK, or the status of the answer's error.code.
    pub status: IptStatus,
    /// The answer envelope, NUL-terminated UTF-8 JSON: {"engine_version", "protocol_version",
    /// "terminology_version", "operation", "ok", "result" | "error": {"code", "message",
    /// "path"}}. Owned by the caller until ipt_result_free(); never NULL in a result of this
    /// library until then.
    pub json: *mut c_char,
    /// The length of json in bytes, without its NUL.
    pub len: usize,
}

/// A course kept by the library: its state and its event log. Opaque; made by ipt_course_new()
/// or ipt_course_from_snapshot() and released by ipt_course_free().
pub struct IptCourse {
    course: Mutex<Course>,
}

/// The result of a reply: the status is the dispatcher's error code, never read back from the
/// answer's text.
fn result_from(reply: Reply) -> IptResult {
    let status = IptStatus::of(reply.error);
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

/// The live courses, by the address their handle holds: each one shared (`Arc`), so a call
/// keeps its course alive however the registry changes meanwhile. A B-tree keeps pointers to
/// the start of its nodes, so leak checkers see the courses as reachable.
fn live_handles() -> MutexGuard<'static, BTreeMap<usize, Arc<IptCourse>>> {
    static LIVE: OnceLock<Mutex<BTreeMap<usize, Arc<IptCourse>>>> = OnceLock::new();
    LIVE.get_or_init(|| Mutex::new(BTreeMap::new()))
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Registers a course; its handle is the address of the shared course, unique while the
/// course lives (a call still holding a freed course keeps its address from being reused).
fn register(course: Course) -> *mut IptCourse {
    let shared = Arc::new(IptCourse {
        course: Mutex::new(course),
    });
    let handle = Arc::as_ptr(&shared).cast_mut();
    live_handles().insert(handle as usize, shared);
    handle
}

/// The live course of a handle, as a reference of the caller's own: `None` for NULL, freed or
/// foreign handles. The handle is never dereferenced.
fn lookup(handle: *mut IptCourse) -> Option<Arc<IptCourse>> {
    if handle.is_null() {
        return None;
    }
    live_handles().get(&(handle as usize)).cloned()
}

/// Runs `f` on a live course, or answers `invalid_handle`. The registry's lock is held only
/// while the handle is looked up; the course's own lock serializes calls on it.
fn with_course(
    operation: &str,
    handle: *mut IptCourse,
    f: impl FnOnce(&mut Course) -> Reply,
) -> IptResult {
    guarded(operation, || {
        let Some(shared) = lookup(handle) else {
            return error_result(
                operation,
                ErrorCode::InvalidHandle,
                "the course handle is NULL, already freed, or not from this library",
            );
        };
        let mut course = shared
            .course
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        result_from(f(&mut course))
    })
}

/// Releases the answer of a result and sets json to NULL (len to 0), so releasing the same
/// result twice is harmless.
///
/// @param result  a result of this library, a zeroed one, or NULL (then nothing happens)
///
/// The caller guarantees that result, when not NULL, points to an IptResult this library
/// returned (or a zeroed one) that no other thread uses meanwhile.
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

/// Calls an operation by its name.
///
/// @param operation  the operation's name, NUL-terminated UTF-8: "assess_suitability",
///                   "course_replay", ... (the version answer lists them)
/// @param request    the request, NUL-terminated UTF-8 JSON (see IPT_MAX_INPUT_BYTES); it
///                   may carry "detail": "decision" for the answer without its prose
/// @return the answer and its status. The caller owns it: release it with ipt_result_free().
///         A NULL argument gives IPT_STATUS_NULL_POINTER, an unknown name
///         IPT_STATUS_UNKNOWN_OPERATION.
///
/// The caller guarantees that operation and request are NULL or NUL-terminated strings
/// readable for the call; they stay the caller's and are only read during the call.
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

/// Calls an operation by its name, with lengths instead of NUL terminators (for buffers that
/// are not NUL-terminated, as sqlite3_prepare_v2() takes one). For UTF-8 input the answer is
/// byte for byte the one of ipt_call() and of the wasm package.
///
/// @param operation      the operation's name, UTF-8
/// @param operation_len  its length in bytes
/// @param request        the request, UTF-8 JSON
/// @param request_len    its length in bytes: at most IPT_MAX_INPUT_BYTES (a longer request
///                       is refused, unread, as the engine refuses it)
/// @return the answer and its status. The caller owns it: release it with ipt_result_free().
///
/// The caller guarantees that operation and request are NULL or point to that many readable
/// bytes for the call.
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

/// Starts a course and keeps it behind a handle.
///
/// @param request     a course_start request, NUL-terminated UTF-8 JSON: {"variant", "overrides"?,
///                    "course_id"?}
/// @param answer_out  NULL, or where to write the course_start answer (the caller owns it:
///                    release it with ipt_result_free())
/// @return a new handle, owned by the caller until ipt_course_free(); NULL when the request is
///         refused (answer_out then holds the refusal).
///
/// The caller guarantees that request is NULL or a NUL-terminated string readable for the
/// call, and that answer_out is NULL or points to writable memory for one IptResult.
#[no_mangle]
pub unsafe extern "C" fn ipt_course_new(
    request: *const c_char,
    answer_out: *mut IptResult,
) -> *mut IptCourse {
    let mut handle = std::ptr::null_mut();
    let result = guarded("course_start", || {
        // SAFETY: forwarded from the caller.
        match unsafe { read_str(request, "the request") } {
            Ok(text) => match Course::start(text) {
                Ok((course, answer)) => {
                    handle = register(course);
                    result_from(answer)
                }
                Err(refused) => result_from(refused),
            },
            Err((code, message)) => error_result("course_start", code, &message),
        }
    });
    deliver(result, answer_out);
    handle
}

/// Restores a course from a snapshot (as ipt_course_snapshot() gives it) and keeps it behind a
/// handle.
///
/// @param snapshot    the snapshot, NUL-terminated UTF-8 JSON
/// @param answer_out  NULL, or where to write the course_status answer of the restored course,
///                    or the refusal (the caller owns it: release it with ipt_result_free())
/// @return a new handle, owned by the caller until ipt_course_free(); NULL when the snapshot is
///         refused.
///
/// The caller guarantees the same of its pointers as for ipt_course_new().
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

/// Applies one event to a course. The snapshot stays in the handle (ipt_course_snapshot()), so
/// an event costs the same however long the course is. A refused event leaves the course as it
/// was: IPT_STATUS_TRANSITION_REFUSED, with every unmet precondition in the answer. A course
/// holds at most 10,000 events (IPT_STATUS_LIMIT_EXCEEDED).
///
/// @param course  a handle; a NULL, freed or foreign one gives IPT_STATUS_INVALID_HANDLE
/// @param event   the event, NUL-terminated UTF-8 JSON (as the event of course_apply)
/// @return the course_handle_apply answer: its result is {"outputs", "events"}, the outputs of
///         the event and how many events the course holds (schema
///         course_handle_apply.answer.json). The caller owns it: release it with
///         ipt_result_free().
///
/// The caller guarantees that event is NULL or a NUL-terminated string readable for the call.
/// Calls on one course from several threads are serialized; ipt_course_free() on another
/// thread meanwhile is safe (the call finishes first, then the course is released).
#[no_mangle]
pub unsafe extern "C" fn ipt_course_apply(
    course: *mut IptCourse,
    event: *const c_char,
) -> IptResult {
    let name = api::HandleOperation::CourseHandleApply.as_str();
    guarded(name, || {
        // SAFETY: forwarded from the caller.
        let text = match unsafe { read_str(event, "the event") } {
            Ok(t) => t,
            Err((code, message)) => return error_result(name, code, &message),
        };
        with_course(name, course, |c| c.apply(text))
    })
}

/// Applies one event to a course, with a length instead of a NUL terminator; otherwise as
/// ipt_course_apply().
///
/// @param course     a handle
/// @param event      the event, UTF-8 JSON
/// @param event_len  its length in bytes: at most IPT_MAX_INPUT_BYTES (a longer event is
///                   refused, unread, as the engine refuses it)
/// @return as ipt_course_apply(). The caller owns it: release it with ipt_result_free().
///
/// The caller guarantees that event is NULL or points to event_len readable bytes for the
/// call.
#[no_mangle]
pub unsafe extern "C" fn ipt_course_apply_n(
    course: *mut IptCourse,
    event: *const c_char,
    event_len: usize,
) -> IptResult {
    let name = api::HandleOperation::CourseHandleApply.as_str();
    guarded(name, || {
        if !event.is_null() && event_len > IPT_MAX_INPUT_BYTES {
            return too_large(name, event_len);
        }
        // SAFETY: forwarded from the caller.
        let text = match unsafe { read_bytes(event, event_len, "the event") } {
            Ok(t) => t,
            Err((code, message)) => return error_result(name, code, &message),
        };
        with_course(name, course, |c| c.apply(text))
    })
}

/// The status of a course: where it stands, what is due, its alerts.
///
/// @param course  a handle; a NULL, freed or foreign one gives IPT_STATUS_INVALID_HANDLE
/// @return the course_status answer. The caller owns it: release it with ipt_result_free().
#[no_mangle]
pub extern "C" fn ipt_course_status(course: *mut IptCourse) -> IptResult {
    with_course("course_status", course, |c| c.status())
}

/// The snapshot of a course, to store it and restore it later with ipt_course_from_snapshot()
/// (or to pass it to the course_apply and course_status operations).
///
/// @param course  a handle; a NULL, freed or foreign one gives IPT_STATUS_INVALID_HANDLE
/// @return the snapshot itself as json (not an answer envelope), or an error answer. The caller
///         owns it: release it with ipt_result_free().
#[no_mangle]
pub extern "C" fn ipt_course_snapshot(course: *mut IptCourse) -> IptResult {
    with_course("course_snapshot", course, |c| Reply {
        json: c.snapshot(),
        error: None,
    })
}

/// Releases a course handle. A call on the course running on another thread finishes first;
/// any later call with the handle gives IPT_STATUS_INVALID_HANDLE.
///
/// @param course  a handle; NULL, a freed or a foreign one is ignored (never dereferenced)
/// @return IPT_STATUS_OK when the handle was released, otherwise IPT_STATUS_INVALID_HANDLE.
#[no_mangle]
pub extern "C" fn ipt_course_free(course: *mut IptCourse) -> IptStatus {
    catch_unwind(|| {
        if course.is_null() {
            return IptStatus::InvalidHandle;
        }
        // The registry's reference goes; a call still running on the course holds its own.
        let removed = live_handles().remove(&(course as usize));
        match removed {
            Some(shared) => {
                drop(shared);
                IptStatus::Ok
            }
            None => IptStatus::InvalidHandle,
        }
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

    fn status_string(raw: i32) -> &'static str {
        let p = ipt_status_string(IptStatusValue(raw));
        assert!(!p.is_null());
        // SAFETY: the function returns a static NUL-terminated string.
        unsafe { CStr::from_ptr(p) }.to_str().unwrap()
    }

    #[test]
    fn every_error_code_has_its_own_status_named_by_its_code() {
        let mut seen = std::collections::BTreeSet::new();
        for &code in ErrorCode::ALL {
            let status = IptStatus::of(Some(code));
            assert_ne!(status, IptStatus::Ok);
            assert!(seen.insert(status as i32), "{code} shares a status");
            assert_eq!(status as i32, i32::from(code.status()));
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
    fn the_version_string_is_the_engines() {
        // SAFETY: a static NUL-terminated string.
        let v = unsafe { CStr::from_ptr(ipt_version_string()) };
        assert_eq!(v.to_str().unwrap(), api::ENGINE_VERSION);
        assert_eq!(
            ipt_version_string(),
            ipt_version_string(),
            "one static string"
        );
    }

    /// `ipt_course_free` on one thread while others apply events to, and read the status of,
    /// the same course: every call answers either from the live course or `invalid_handle`,
    /// and nothing is read after it is released (miri and the C sanitizers check the last).
    #[test]
    fn freeing_a_course_while_other_threads_use_it_is_safe() {
        let rounds = if cfg!(miri) { 2 } else { 200 };
        let event = c"{\"type\":\"session_held\",\"number\":1,\"date\":\"2026-01-05\"}";
        for _ in 0..rounds {
            // SAFETY: a NUL-terminated literal, NULL out.
            let h = unsafe {
                ipt_course_new(c"{\"variant\":\"brief\"}".as_ptr(), std::ptr::null_mut())
            };
            let handle = h as usize;
            let barrier = std::sync::Barrier::new(3);
            let statuses = std::thread::scope(|s| {
                let users: Vec<_> = (0..2)
                    .map(|i| {
                        let barrier = &barrier;
                        s.spawn(move || {
                            let h = handle as *mut IptCourse;
                            barrier.wait();
                            let mut seen = Vec::new();
                            for _ in 0..4 {
                                let r = if i == 0 {
                                    // SAFETY: a handle (live or not: checked) and a literal.
                                    unsafe { ipt_course_apply(h, event.as_ptr()) }
                                } else {
                                    ipt_course_status(h)
                                };
                                seen.push(take(r).0);
                            }
                            seen
                        })
                    })
                    .collect();
                barrier.wait();
                assert_eq!(ipt_course_free(handle as *mut IptCourse), IptStatus::Ok);
                users
                    .into_iter()
                    .flat_map(|u| u.join().unwrap())
                    .collect::<Vec<_>>()
            });
            for status in statuses {
                assert!(
                    matches!(
                        status,
                        IptStatus::Ok | IptStatus::TransitionRefused | IptStatus::InvalidHandle
                    ),
                    "{status:?}"
                );
            }
            assert_eq!(ipt_course_free(h), IptStatus::InvalidHandle);
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
            assert_eq!(status, IptStatus::of(reply.error));
        }
        // SAFETY: NUL-terminated literal, NULL out.
        let h =
            unsafe { ipt_course_new(c"{\"variant\":\"brief\"}".as_ptr(), std::ptr::null_mut()) };
        let (mut course, _) = Course::start("{\"variant\":\"brief\"}").unwrap();
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
