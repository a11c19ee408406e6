//! The answers written by hand (issue 25, "native paths") are the text serde would write from
//! their schema types, byte for byte: `course_apply`'s snapshot, sealed as it is written, and
//! the envelope around every result. The conformance vectors compare answers as JSON values;
//! these compare the text.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;

use ipt_core::api::{self, CourseApplyAnswer};
use ipt_core::error::ErrorBody;
use ipt_core::suitability::SuitabilityReport;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The fields of `api::Answer`, in its order (its own `Deserialize` asks for `T: Default`).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Answer<T> {
    engine_version: String,
    protocol_version: String,
    terminology_version: String,
    operation: String,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    result: Option<T>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ErrorBody>,
}

fn vectors(group: &str) -> Vec<Value> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("vectors")
        .join(group);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap())
        .collect()
}

/// Every `operation` vector of `group` answered through `call`: the answer read as `Answer<T>`
/// and written again by serde is the answer's text, byte for byte. Returns the typed answers.
fn answers_written_as_serde_would<T: Serialize + DeserializeOwned>(
    group: &str,
    operation: &str,
    call: impl Fn(&str) -> String,
) -> Vec<Answer<T>> {
    let answers: Vec<Answer<T>> = vectors(group)
        .iter()
        .filter(|v| v["operation"] == operation)
        .map(|v| {
            let text = call(&v["request"].to_string());
            let typed: Answer<T> = serde_json::from_str(&text).unwrap();
            let again = serde_json::to_string(&typed).unwrap();
            assert_eq!(again, text, "{}", v["description"]);
            typed
        })
        .collect();
    assert!(!answers.is_empty(), "no {operation} vector in {group}");
    answers
}

#[test]
fn course_apply_answers_are_the_text_of_their_schema_type() {
    let answers: Vec<Answer<CourseApplyAnswer>> =
        answers_written_as_serde_would("course", "course_apply", api::course_apply);
    let mut sealed = 0;
    for snapshot in answers.into_iter().filter_map(|a| a.result?.snapshot) {
        // The digest written with the snapshot is the one computed from its content.
        assert_eq!(snapshot.digest, Some(snapshot.computed_digest()));
        sealed += 1;
    }
    assert!(sealed > 0, "no course_apply vector answers with a snapshot");
}

#[test]
fn course_apply_without_the_snapshot_gives_the_same_outputs() {
    let mut n = 0;
    for v in vectors("course") {
        if v["operation"] != "course_apply"
            || !v["request"].is_object()
            || v["request"].get("include_snapshot").is_some()
        {
            continue;
        }
        let with: Value =
            serde_json::from_str(&api::course_apply(&v["request"].to_string())).unwrap();
        let mut request = v["request"].clone();
        request["include_snapshot"] = false.into();
        let without: Value =
            serde_json::from_str(&api::course_apply(&request.to_string())).unwrap();
        if with["ok"] == true {
            assert!(without["result"].get("snapshot").is_none());
            assert_eq!(with["result"]["outputs"], without["result"]["outputs"]);
            n += 1;
        } else {
            // A refusal is the same refusal.
            assert_eq!(with, without, "{}", v["description"]);
        }
    }
    assert!(n > 0);
}

#[test]
fn suitability_answers_are_the_text_of_their_schema_type() {
    let _: Vec<Answer<SuitabilityReport>> = answers_written_as_serde_would(
        "suitability",
        "assess_suitability",
        api::assess_suitability,
    );
}
