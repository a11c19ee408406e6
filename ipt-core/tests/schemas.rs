//! The JSON Schemas: the committed files in `ipt-core/schemas/` match the code, and every
//! conformance vector's request and answer validate against its operation's schemas.
//! `IPT_BLESS=1` rewrites the committed files.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod vectors_common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ipt_core::api::schema;
use ipt_core::api::Operation;
use serde_json::Value;

fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas")
}

fn pretty(v: &Value) -> String {
    format!("{}\n", serde_json::to_string_pretty(v).unwrap())
}

#[test]
fn committed_schemas_match_the_code() {
    let all = schema::all();
    let dir = schema_dir();
    if std::env::var("IPT_BLESS").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(&dir).unwrap() {
            std::fs::remove_file(entry.unwrap().path()).unwrap();
        }
        for (name, s) in &all {
            std::fs::write(dir.join(format!("{name}.json")), pretty(s)).unwrap();
        }
    }
    let mut drift = Vec::new();
    for (name, s) in &all {
        let file = dir.join(format!("{name}.json"));
        match std::fs::read_to_string(&file) {
            Ok(text) if text == pretty(s) => {}
            Ok(_) => drift.push(format!("{name}: differs from the code")),
            Err(_) => drift.push(format!("{name}: not committed")),
        }
    }
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry
            .unwrap()
            .file_name()
            .to_string_lossy()
            .replace(".json", "");
        if !all.contains_key(&name) {
            drift.push(format!("{name}: committed but no longer produced"));
        }
    }
    assert!(
        drift.is_empty(),
        "schemas drifted (run IPT_BLESS=1 cargo test -p ipt-core --test integration schemas::):\n{}",
        drift.join("\n")
    );
    assert_eq!(
        all.len(),
        (Operation::ALL.len() + ipt_core::api::HandleOperation::ALL.len()) * 2
    );
}

#[test]
fn every_vector_validates_against_its_schemas() {
    let all: BTreeMap<String, Value> = schema::all();
    let mut validators = BTreeMap::new();
    for (name, s) in &all {
        let v = jsonschema::validator_for(s).unwrap_or_else(|e| panic!("{name}: {e}"));
        validators.insert(name.clone(), v);
    }
    let (mut answers, mut requests, mut failures) = (0, 0, Vec::new());
    for (file, v) in vectors_common::all() {
        let op = v["operation"].as_str().unwrap();
        if Operation::parse(op).is_none() {
            continue; // unknown operations have no schema
        }
        let expected = &v["expected"];
        let check = |kind: &str, instance: &Value, failures: &mut Vec<String>| {
            let validator = &validators[&format!("{op}.{kind}")];
            for e in validator.iter_errors(instance) {
                failures.push(format!(
                    "{} ({kind}): {e} at {}",
                    file.display(),
                    e.instance_path
                ));
            }
        };
        check("answer", expected, &mut failures);
        answers += 1;
        if let (Some(request), Some(true)) = (v.get("request"), expected["ok"].as_bool()) {
            check("request", request, &mut failures);
            requests += 1;
        }
    }
    println!("validated {answers} answers and {requests} requests");
    assert!(
        answers > 100 && requests > 50,
        "{answers} answers, {requests} requests"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn request_schemas_reject_unknown_fields_and_bad_values() {
    let all = schema::all();
    let assess = jsonschema::validator_for(&all["assess_suitability.request"]).unwrap();
    assert!(assess.is_valid(&serde_json::json!({"age": 40})));
    assert!(!assess.is_valid(&serde_json::json!({"agee": 40})));
    assert!(!assess.is_valid(&serde_json::json!({"age": 300})));
    assert!(!assess.is_valid(&serde_json::json!({"findings": {"active_psychosis": "maybe"}})));
}
