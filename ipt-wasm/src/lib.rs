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

/// Any operation by name: `call("assess_suitability", "{...}")`.
#[wasm_bindgen]
pub fn call(operation: &str, request: &str) -> String {
    api::call(operation, request)
}

/// A course kept in memory: its state and event log.
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
                started: started.json,
            }),
            Err(answer) => Err(JsValue::from_str(&answer.json)),
        }
    }

    /// Restores a course from a snapshot. Throws the error answer when it is refused.
    #[wasm_bindgen(js_name = fromSnapshot)]
    pub fn from_snapshot(snapshot: &str) -> Result<Course, JsValue> {
        match api::Course::from_snapshot(snapshot) {
            Ok(inner) => {
                let started = inner.status().json;
                Ok(Course { inner, started })
            }
            Err(answer) => Err(JsValue::from_str(&answer.json)),
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
        self.inner.apply(event).json
    }

    /// The course's status.
    pub fn status(&self) -> String {
        self.inner.status().json
    }

    /// The course's snapshot (bare JSON).
    pub fn snapshot(&self) -> String {
        self.inner.snapshot()
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
