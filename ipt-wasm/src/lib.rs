//! wasm-bindgen exports of `ipt_core::api`: JSON strings in, answer envelopes out. The npm
//! package's JavaScript wrapper (`ipt-wasm/js/`) parses them and throws `IptError` on error
//! answers. This crate translates; every decision is `ipt-core`'s.
//!
//! The operations are not typed out here: `call` reaches every one, and the wrapper makes a
//! named function for each operation the `version` answer lists (the operation table of
//! `ipt-core`); the TypeScript declarations are generated from the schemas of the same table.
//!
//! JSON strings rather than JS objects (serde-wasm-bindgen). Measured on a typical assessment
//! from Node: JSON strings (stringify, call, parse) 87-95 µs, serde-wasm-bindgen objects
//! 52-56 µs, the same content. Objects are faster, but they would run requests through a second
//! deserializer, whose error messages and paths the conformance vectors do not hold to the
//! other bindings; until that is done and tested, every binding shares the one JSON path.

use ipt_core::api;
use wasm_bindgen::prelude::*;

/// Any operation by name: `call("assess_suitability", "{...}")`. The answer's text is the one
/// every binding gives (the differential test holds it to C's and Rust's, byte for byte).
#[wasm_bindgen]
pub fn call(operation: &str, request: &str) -> String {
    api::call(operation, request)
}

/// [`call`]'s answer in ASCII: the same JSON, each character beyond ASCII written as its `\u`
/// escape. What the package's functions parse. A string crosses into JavaScript through
/// `TextDecoder`, which on UTF-8 text is slow: in Node 20, 7.5 µs for a 7.5 KB explained
/// answer with 11 characters beyond ASCII, against 0.9 µs for the same answer in ASCII.
#[wasm_bindgen(js_name = callAscii)]
pub fn call_ascii(operation: &str, request: &str) -> String {
    ascii(api::call(operation, request))
}

/// A JSON text with each character beyond ASCII written as its `\u` escape (two, as UTF-16
/// surrogates, beyond the Basic Multilingual Plane): the same JSON value, since outside its
/// strings JSON text is ASCII. An ASCII text is returned as it is.
pub fn ascii(json: String) -> String {
    let Some(first) = first_non_ascii(json.as_bytes()) else {
        return json;
    };
    let mut out = String::with_capacity(json.len() + json.len() / 8);
    let (head, mut rest) = json.split_at(first);
    out.push_str(head);
    loop {
        let mut chars = rest.chars();
        if let Some(c) = chars.next() {
            for unit in c.encode_utf16(&mut [0; 2]) {
                // Lower-case hex, four digits.
                let _ = std::fmt::Write::write_fmt(&mut out, format_args!("\\u{unit:04x}"));
            }
        }
        rest = chars.as_str();
        let Some(at) = first_non_ascii(rest.as_bytes()) else {
            break;
        };
        let (run, tail) = rest.split_at(at);
        out.push_str(run);
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// Where the first byte beyond ASCII is: eight bytes at a time, then one by one.
fn first_non_ascii(bytes: &[u8]) -> Option<usize> {
    let mut n = 0;
    for word in bytes.chunks_exact(8) {
        match <[u8; 8]>::try_from(word) {
            Ok(w) if u64::from_le_bytes(w) & 0x8080_8080_8080_8080 == 0 => n += 8,
            _ => break,
        }
    }
    let tail = bytes.get(n..).unwrap_or_default();
    tail.iter().position(|b| !b.is_ascii()).map(|at| n + at)
}

/// A course kept in memory: its state and event log. Its answers are in ASCII, as
/// [`call_ascii`]'s.
#[wasm_bindgen]
pub struct Course {
    inner: api::Course,
    started: String,
}

#[wasm_bindgen]
impl Course {
    /// Starts a course (a `course_start` request). Throws the error answer (a JSON string)
    /// when the request is refused.
    #[wasm_bindgen(constructor)]
    pub fn new(request: &str) -> Result<Course, JsValue> {
        match api::Course::start(request) {
            Ok((inner, started)) => Ok(Course {
                inner,
                started: ascii(started.json),
            }),
            Err(answer) => Err(JsValue::from_str(&ascii(answer.json))),
        }
    }

    /// Restores a course from a snapshot. Throws the error answer when it is refused.
    #[wasm_bindgen(js_name = fromSnapshot)]
    pub fn from_snapshot(snapshot: &str) -> Result<Course, JsValue> {
        match api::Course::from_snapshot(snapshot) {
            Ok(inner) => {
                let started = ascii(inner.status().json);
                Ok(Course { inner, started })
            }
            Err(answer) => Err(JsValue::from_str(&ascii(answer.json))),
        }
    }

    /// The answer of the start (or, after `fromSnapshot`, the status at restore).
    #[wasm_bindgen(js_name = startAnswer)]
    pub fn start_answer(&self) -> String {
        self.started.clone()
    }

    /// Applies one event: a `course_handle_apply` answer; a refused event leaves the course
    /// unchanged.
    pub fn apply(&mut self, event: &str) -> String {
        ascii(self.inner.apply(event).json)
    }

    /// The course's status.
    pub fn status(&self) -> String {
        ascii(self.inner.status().json)
    }

    /// The course's snapshot (bare JSON).
    pub fn snapshot(&self) -> String {
        ascii(self.inner.snapshot())
    }
}

/// Test builds only: panics, to check that a panic becomes a JS exception and that the package
/// recovers. Never part of the published package.
#[cfg(feature = "test-panic")]
#[wasm_bindgen(js_name = panicForTest)]
pub fn panic_for_test() -> String {
    let empty: Vec<u8> = Vec::new();
    // Index out of bounds: a real panic, as a defect would cause.
    #[allow(clippy::indexing_slicing)]
    let byte = empty[usize::from(empty.is_empty())];
    byte.to_string()
}

#[cfg(test)]
mod tests {
    use super::ascii;

    /// Every kind of character (ASCII, two-, three- and four-byte UTF-8, next to each other and
    /// to escapes): the ASCII text is ASCII and reads as the same JSON value.
    #[test]
    fn ascii_text_is_the_same_json() {
        let samples = [
            "",
            "plain",
            "é",
            "≥ 10 — PHQ-9",
            "12345678é12345678901234567≥",
            "😀x😀",
            "a\"\\\n\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}\u{10ffff}",
            "\u{2028}\u{2029}",
        ];
        for s in samples {
            let json = serde_json::json!({ "k": s, "é": [s, 1] }).to_string();
            let out = ascii(json.clone());
            assert!(out.is_ascii(), "{out}");
            let back: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
            let want: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
            assert_eq!(back, want, "{s:?}");
            if json.is_ascii() {
                assert_eq!(out, json);
            }
        }
        assert_eq!(ascii("\"≥😀\"".to_owned()), "\"\\u2265\\ud83d\\ude00\"");
    }
}
