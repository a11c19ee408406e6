//! `ipt-ffi/src/operations.rs`, the C library's named function per operation, is generated
//! from the operation table of `ipt-core` (`ipt_core::api::Operation`), and
//! `ipt-ffi/src/status.rs`, the C statuses, from its error code table (`ipt_core::ErrorCode`),
//! so no operation and no code is typed out here: this test fails when a committed file
//! drifts from its table, and `IPT_BLESS=1` rewrites it (then bless the header too:
//! `--test header`).

#![allow(missing_docs, clippy::unwrap_used)]

use std::fmt::Write as _;

use ipt_core::api::Operation;
use ipt_core::ErrorCode;

/// `text` as doc comment lines of at most 96 columns, each after `prefix`.
fn doc_lines(out: &mut String, text: &str, indent: &str) {
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && indent.len() + 4 + line.len() + 1 + word.len() > 96 {
            let _ = writeln!(out, "{indent}/// {line}");
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        let _ = writeln!(out, "{indent}/// {line}");
    }
}

fn generate() -> String {
    let mut s = String::from(
        "//! The named C function of every operation, generated from `ipt_core::api::Operation`\n\
         //! by `ipt-ffi/tests/operations.rs` (do not edit by hand). Each is `ipt_call` with the\n\
         //! operation's name. The course operations that also live behind a handle\n\
         //! (`course_start`, `course_apply`, `course_status`) are reached through the handle\n\
         //! functions and `ipt_call`. The doc comments are the header's: written for C readers.\n\n\
         use std::ffi::c_char;\n\n\
         use ipt_core::api::Operation;
         use super::{guarded, result_from, with_request, IptResult};\n",
    );
    for op in Operation::ALL {
        if op.has_course_handle() {
            continue;
        }
        let name = op.as_str();
        let variant = format!("{op:?}");
        let _ = writeln!(s);
        doc_lines(&mut s, op.doc(), "");
        if op.takes_request() {
            let _ = writeln!(s, "///\n/// @param request  the request, NUL-terminated UTF-8 JSON (see IPT_MAX_INPUT_BYTES); it may\n///                 carry \"detail\": \"decision\" for the answer without its prose\n/// @return the {name} answer. The caller owns it: release it with ipt_result_free().\n///\n/// The caller guarantees that request is NULL or a NUL-terminated string readable for the\n/// call.");
            let _ = writeln!(s, "#[no_mangle]\npub unsafe extern \"C\" fn ipt_{name}(request: *const c_char) -> IptResult {{");
            let _ = writeln!(s, "    // SAFETY: forwarded from the caller.\n    unsafe {{ with_request(\"{name}\", request, |r| Operation::{variant}.answer(r)) }}\n}}");
        } else {
            let _ = writeln!(
                s,
                "///\n/// @return the {name} answer. The caller owns it: release it with ipt_result_free()."
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

/// `ipt-ffi/src/status.rs`: the C statuses, one per error code of `ipt_core::ErrorCode`, with
/// the code's own number, words and string.
fn generate_status() -> String {
    let mut codes: Vec<ErrorCode> = ErrorCode::ALL.to_vec();
    codes.sort_by_key(|c| c.status());
    let mut s = String::from(
        "//! The statuses of the C library, generated from `ipt_core::ErrorCode` (its numbers,\n\
         //! words and strings) by `ipt-ffi/tests/operations.rs` (do not edit by hand).\n\n\
         use std::ffi::CStr;\n\n\
         use ipt_core::ErrorCode;\n\n\
         /// The status of a call: IPT_STATUS_OK when the answer has a result, otherwise the status\n\
         /// of the answer's error.code (ipt_status_string() gives the code). The values are stable:\n\
         /// a new code takes the next number.\n\
         #[repr(C)]\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq)]\n\
         pub enum IptStatus {\n    \
             /// The answer has a result.\n    \
             Ok = 0,\n",
    );
    for code in &codes {
        doc_lines(
            &mut s,
            &format!("\"{}\": {}", code.as_str(), code.doc().trim()),
            "    ",
        );
        let _ = writeln!(s, "    {code:?} = {},", code.status());
    }
    let _ = writeln!(s, "}}\n\nimpl IptStatus {{");
    let _ = writeln!(
        s,
        "    /// Every status, by value.\n    const ALL: [IptStatus; {}] = [\n        IptStatus::Ok,",
        codes.len() + 1
    );
    for code in &codes {
        let _ = writeln!(s, "        IptStatus::{code:?},");
    }
    let _ = writeln!(s, "    ];\n\n    /// The status of an answer with this error code (`None`: ok).\n    pub(crate) const fn of(code: Option<ErrorCode>) -> IptStatus {{\n        match code {{\n            None => IptStatus::Ok,");
    for code in &codes {
        let _ = writeln!(
            s,
            "            Some(ErrorCode::{code:?}) => IptStatus::{code:?},"
        );
    }
    let _ = writeln!(s, "        }}\n    }}\n\n    /// The status of a raw value from C, which may be any integer.\n    pub(crate) fn from_raw(raw: i32) -> Option<IptStatus> {{\n        IptStatus::ALL.into_iter().find(|s| *s as i32 == raw)\n    }}\n\n    /// The stable code of the status: `ok`, or the answer's `error.code`.\n    pub(crate) const fn as_cstr(self) -> &'static CStr {{\n        match self {{\n            IptStatus::Ok => c\"ok\",");
    for code in &codes {
        let _ = writeln!(
            s,
            "            IptStatus::{code:?} => c\"{}\",",
            code.as_str()
        );
    }
    let _ = writeln!(s, "        }}\n    }}\n}}");
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

#[test]
fn committed_statuses_match_the_error_codes() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/status.rs");
    let generated = generate_status();
    if std::env::var("IPT_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "ipt-ffi/src/status.rs drifted from the error codes: run IPT_BLESS=1 cargo test -p ipt-ffi --test operations"
    );
}
