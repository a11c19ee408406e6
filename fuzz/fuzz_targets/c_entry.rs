//! The C entry points on raw bytes: an input is the operation's name, a newline and the
//! request (as `api_call` reads it, but any bytes, not only UTF-8); `ipt_call_n` gets them as
//! they are, and the NUL-terminated `ipt_call` when they hold no NUL. The status agrees with
//! the answer, and every result is released.
#![no_main]

use std::ffi::{CStr, CString};

use ipt::{ipt_call, ipt_call_n, ipt_result_free, IptResult, IptStatus};
use libfuzzer_sys::fuzz_target;

fn check(mut r: IptResult) {
    assert!(!r.json.is_null());
    // SAFETY: a result of this library holds a NUL-terminated string of `len` bytes.
    let text = unsafe { CStr::from_ptr(r.json) }.to_str().expect("UTF-8");
    assert_eq!(text.len(), r.len);
    let v: serde_json::Value = serde_json::from_str(text).expect("the answer is JSON");
    assert_eq!(
        v["ok"] == serde_json::Value::Bool(true),
        r.status == IptStatus::Ok
    );
    // SAFETY: `r` came from this library and is released once.
    unsafe { ipt_result_free(&mut r) };
}

fuzz_target!(|data: &[u8]| {
    // The operation's name (any bytes: not only UTF-8), a newline, and the request.
    let Some(at) = data.iter().position(|b| *b == b'\n') else {
        return;
    };
    let (name, rest) = (&data[..at], &data[at + 1..]);
    // `schemas` answers 400 KB whatever the request: it would only slow the search.
    if name == b"schemas" {
        return;
    }
    // SAFETY: pointers and lengths of live slices.
    check(unsafe {
        ipt_call_n(
            name.as_ptr().cast(),
            name.len(),
            rest.as_ptr().cast(),
            rest.len(),
        )
    });
    if let (Ok(op), Ok(req)) = (CString::new(name), CString::new(rest)) {
        // SAFETY: NUL-terminated strings.
        check(unsafe { ipt_call(op.as_ptr(), req.as_ptr()) });
    }
});
