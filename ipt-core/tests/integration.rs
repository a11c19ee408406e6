//! ipt-core's integration tests, in one test binary: each file of `tests/` stays a module of its
//! own, as it was a binary of its own, and is edited as before. One binary links once where
//! twenty linked twenty times. Two files are binaries of their own: `zero_alloc.rs` installs a
//! counting global allocator, which must see that test's allocations alone, and
//! `exhaustive_course.rs`, the walk of every course state, runs apart from the rest: its five
//! variants, the longest tests, run side by side with nothing else waiting behind them.
//!
//! A new test file is added here (`mod name;` with its path); `every_test_file_is_run` fails
//! until it is. Run one file's tests with its name as the filter:
//! `cargo test -p ipt-core --test integration schemas::`.

// Each file declares the shared helpers it uses (`mod vectors_common;`), as it did when it was
// a binary of its own, so they are compiled once per file that uses them.
#![allow(clippy::duplicate_mod)]

#[path = "catalogue.rs"]
mod catalogue;
#[path = "conformance.rs"]
mod conformance;
#[path = "course_object.rs"]
mod course_object;
#[path = "ehr.rs"]
mod ehr;
#[path = "fuzz_regressions.rs"]
mod fuzz_regressions;
#[path = "json_writer.rs"]
mod json_writer;
#[path = "limits.rs"]
mod limits;
#[path = "model_course.rs"]
mod model_course;
#[path = "native_paths.rs"]
mod native_paths;
#[path = "properties.rs"]
mod properties;
#[path = "properties_areas.rs"]
mod properties_areas;
#[path = "properties_ehr.rs"]
mod properties_ehr;
#[path = "properties_goals.rs"]
mod properties_goals;
#[path = "properties_measures.rs"]
mod properties_measures;
#[path = "protocol_doc.rs"]
mod protocol_doc;
#[path = "readme.rs"]
mod readme;
#[path = "rules_and_words.rs"]
mod rules_and_words;
#[path = "schemas.rs"]
mod schemas;
#[path = "snapshot_digest.rs"]
mod snapshot_digest;
#[path = "structure.rs"]
mod structure;
#[path = "terminology_doc.rs"]
mod terminology_doc;

/// Every `tests/*.rs` is a module above or a test binary of its own in `Cargo.toml`, so a new
/// file cannot sit unrun (`autotests` is off).
#[test]
fn every_test_file_is_run() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let harness = std::fs::read_to_string(dir.join("integration.rs")).unwrap_or_default();
    let manifest = std::fs::read_to_string(dir.join("../Cargo.toml")).unwrap_or_default();
    let mut unrun = Vec::new();
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(".rs") || name == "integration.rs" {
            continue;
        }
        let included = harness.contains(&format!("#[path = \"{name}\"]"));
        let own_binary = manifest.contains(&format!("path = \"tests/{name}\""));
        if !included && !own_binary {
            unrun.push(name);
        }
    }
    assert!(
        unrun.is_empty(),
        "tests not run: {unrun:?} (add them to ipt-core/tests/integration.rs)"
    );
}
