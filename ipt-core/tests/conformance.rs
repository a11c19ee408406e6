//! Runs every conformance vector in `tests/vectors/<group>/*.json` (format: `tests/README.md` of
//! the repository; in the repository `ipt-core/tests/vectors` links to its `tests/vectors`, and
//! the packaged crate holds a copy):
//! parse the file, call `api::call(operation, compact(request))` (or `request_text` verbatim),
//! compare the parsed answer with `expected` as JSON values. The C harness and the Node tests
//! run the same files. `IPT_BLESS=1` rewrites `expected` from the engine: review the diff.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};

use ipt_core::api;
use ipt_core::RuleId;
use serde_json::{Map, Value};

/// The minimum number of vectors per group, so a lost directory fails loudly.
const MINIMUM: &[(&str, usize)] = &[
    ("api", 8),
    ("areas", 25),
    ("course", 40),
    ("ehr", 35),
    ("measures", 20),
    ("readiness", 4),
    ("suitability", 40),
];

fn groups() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(vectors_dir())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("vectors")
}

fn files(group: &str) -> Vec<PathBuf> {
    let dir = vectors_dir().join(group);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    out.sort();
    out
}

fn request_of(v: &Map<String, Value>, file: &Path) -> String {
    match (v.get("request"), v.get("request_text")) {
        (Some(r), None) => serde_json::to_string(r).unwrap(),
        (None, Some(Value::String(t))) => t.clone(),
        _ => panic!(
            "{}: exactly one of `request` and `request_text` (a string)",
            file.display()
        ),
    }
}

/// Writes the vector back with `expected` replaced, keys in the documented order.
fn bless(file: &Path, v: &Map<String, Value>, answer: &Value) {
    let mut fields = Vec::new();
    for key in [
        "description",
        "rules",
        "operation",
        "request",
        "request_text",
    ] {
        if let Some(x) = v.get(key) {
            fields.push((key, x));
        }
    }
    fields.push(("expected", answer));
    let body: Vec<String> = fields
        .iter()
        .map(|(k, x)| {
            let value = serde_json::to_string_pretty(x)
                .unwrap()
                .replace('\n', "\n  ");
            format!("  \"{k}\": {value}")
        })
        .collect();
    std::fs::write(file, format!("{{\n{}\n}}\n", body.join(",\n"))).unwrap();
}

#[test]
fn every_conformance_vector_gives_its_expected_answer() {
    let blessing = std::env::var("IPT_BLESS").is_ok_and(|v| v == "1");
    let mut total = 0;
    let mut failures = Vec::new();
    let groups = groups();
    for (group, minimum) in MINIMUM {
        assert!(groups.iter().any(|g| g == group), "missing group {group}");
        let n = files(group).len();
        assert!(
            n >= *minimum,
            "{group}: {n} vectors, expected at least {minimum}"
        );
    }
    for group in &groups {
        let mut count = 0;
        for file in files(group) {
            let text = std::fs::read_to_string(&file).unwrap();
            let v: Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let v = v
                .as_object()
                .cloned()
                .unwrap_or_else(|| panic!("{}: a vector is a JSON object", file.display()));
            for key in v.keys() {
                assert!(
                    [
                        "description",
                        "rules",
                        "operation",
                        "request",
                        "request_text",
                        "expected"
                    ]
                    .contains(&key.as_str()),
                    "{}: unknown key {key}",
                    file.display()
                );
            }
            assert!(
                v.get("description")
                    .and_then(Value::as_str)
                    .is_some_and(|d| !d.is_empty()),
                "{}: description",
                file.display()
            );
            let rules = v
                .get("rules")
                .and_then(Value::as_array)
                .unwrap_or_else(|| panic!("{}: `rules` must be an array", file.display()));
            // A vector of the API (parsing, envelopes, unknown operations, the catalogue)
            // decides no rule and names none, so it counts toward no rule's coverage; every
            // other vector names the rules it exercises.
            if group == "api" {
                assert!(
                    rules.is_empty(),
                    "{}: an API vector names no rule",
                    file.display()
                );
            } else {
                assert!(!rules.is_empty(), "{}: name the rules", file.display());
            }
            for r in rules {
                let id = r.as_str().unwrap_or_default();
                assert!(
                    RuleId::parse(id).is_some(),
                    "{}: `{id}` is not in the catalogue",
                    file.display()
                );
            }
            let op = v
                .get("operation")
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("{}: operation", file.display()));
            let request = request_of(&v, &file);
            let answer: Value = serde_json::from_str(&api::call(op, &request)).unwrap();
            count += 1;
            if blessing {
                if v.get("expected") != Some(&answer) {
                    bless(&file, &v, &answer);
                }
            } else if v.get("expected") != Some(&answer) {
                failures.push(format!(
                    "{}:\n  expected {}\n  got      {}",
                    file.display(),
                    v.get("expected").unwrap_or(&Value::Null),
                    answer
                ));
            }
        }
        println!("{group}: {count} vectors");
        total += count;
    }
    println!("{total} conformance vectors in {} groups", groups.len());
    assert!(total > 0, "no vectors");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
