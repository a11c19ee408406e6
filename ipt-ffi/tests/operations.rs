//! `ipt-ffi/src/operations.rs`, the C library's named function per operation, is generated
//! from the operation table of `ipt-core` (`ipt_core::api::Operation`), so no operation is
//! typed out here: this test fails when the committed file drifts from the table, and
//! `IPT_BLESS=1` rewrites it (then bless the header too: `--test header`).

#![allow(missing_docs, clippy::unwrap_used)]

use std::fmt::Write as _;

use ipt_core::api::Operation;

fn generate() -> String {
    let mut s = String::from(
        "//! The named C function of every operation, generated from `ipt_core::api::Operation`\n\
         //! by `ipt-ffi/tests/operations.rs` (do not edit by hand). Each is `ipt_call` with the\n\
         //! operation's name. The course operations that also live behind a handle\n\
         //! (`course_start`, `course_apply`, `course_status`) are reached through the handle\n\
         //! functions and `ipt_call`.\n\n\
         use std::ffi::c_char;\n\n\
         use ipt_core::api::Operation;\n\n\
         use super::{guarded, result_from, with_request, IptResult};\n",
    );
    for op in Operation::ALL {
        if op.has_course_handle() {
            continue;
        }
        let name = op.as_str();
        let variant = format!("{op:?}");
        let _ = writeln!(s);
        for line in op.doc().lines() {
            let _ = writeln!(
                s,
                "///{}{}",
                if line.is_empty() { "" } else { " " },
                line.trim()
            );
        }
        if op.takes_request() {
            let _ = writeln!(s, "///\n/// The request is NUL-terminated UTF-8 JSON of at most `IPT_MAX_INPUT_BYTES` bytes, only read\n/// during the call; it may carry `\"detail\": \"decision\"` for the answer without prose. The\n/// caller owns the result: release it with `ipt_result_free`.\n///\n/// # Safety\n/// `request` is NULL or a NUL-terminated string readable for the call.");
            let _ = writeln!(s, "#[no_mangle]\npub unsafe extern \"C\" fn ipt_{name}(request: *const c_char) -> IptResult {{");
            let _ = writeln!(s, "    // SAFETY: forwarded from the caller.\n    unsafe {{ with_request(\"{name}\", request, |r| Operation::{variant}.answer(r)) }}\n}}");
        } else {
            let _ = writeln!(
                s,
                "///\n/// The caller owns the result: release it with `ipt_result_free`."
            );
            let _ = writeln!(
                s,
                "#[no_mangle]\npub extern \"C\" fn ipt_{name}() -> IptResult {{"
            );
            let _ = writeln!(
                s,
                "    guarded(\"{name}\", || result_from(Operation::{variant}.answer(\"\")))\n}}"
            );
        }
    }
    s
}

/// The C harness's table of named functions, from the same operation table.
fn generate_c_table() -> String {
    let mut s = String::from(
        "/* The named function of every operation that takes a request, generated from\n \
         * ipt_core::api::Operation by ipt-ffi/tests/operations.rs (do not edit by hand). */\n\
         static const struct { const char *name; IptResult (*fn)(const char *); } NAMED[] = {\n",
    );
    for op in Operation::ALL {
        if op.has_course_handle() || !op.takes_request() {
            continue;
        }
        let _ = writeln!(s, "    {{\"{0}\", ipt_{0}}},", op.as_str());
    }
    s.push_str("};\n");
    s
}

#[test]
fn committed_c_table_matches_the_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/c/named_operations.h");
    let generated = generate_c_table();
    if std::env::var("IPT_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "tests/c/named_operations.h drifted from the operation table: run IPT_BLESS=1 cargo test -p ipt-ffi --test operations"
    );
}

#[test]
fn committed_operations_match_the_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/operations.rs");
    let generated = generate();
    if std::env::var("IPT_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "ipt-ffi/src/operations.rs drifted from the operation table: run IPT_BLESS=1 cargo test -p ipt-ffi --test operations"
    );
}
