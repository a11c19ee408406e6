//! The rule catalogue against the engine and the tests: every rule ID an answer cites is in the
//! catalogue, and every catalogue rule is named by at least one conformance vector or test.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod vectors_common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ipt_core::rules::{self, RuleId};
use serde_json::Value;

fn files_under(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, ext, out);
        } else if path.extension().is_some_and(|x| x == ext) {
            out.push(path);
        }
    }
}

/// Every `"rule_id"` value anywhere in a JSON value.
fn cited(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                if k == "rule_id"
                    && let Value::String(s) = x
                {
                    out.insert(s.clone());
                }
                cited(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| cited(x, out)),
        _ => {}
    }
}

#[test]
fn every_rule_an_answer_cites_is_in_the_catalogue() {
    let mut ids = BTreeSet::new();
    for (_, v) in vectors_common::all() {
        cited(&v["expected"], &mut ids);
    }
    assert!(
        ids.len() > 40,
        "answers cite only {} distinct rules",
        ids.len()
    );
    for id in &ids {
        assert!(
            RuleId::parse(id).is_some(),
            "an answer cites `{id}`, not in the catalogue"
        );
    }
}

#[test]
fn every_catalogue_rule_is_named_by_a_vector_or_a_test() {
    let mut named = BTreeSet::new();
    for (file, v) in vectors_common::all() {
        for r in v["rules"]
            .as_array()
            .unwrap_or_else(|| panic!("{}: rules", file.display()))
        {
            named.insert(r.as_str().unwrap().to_owned());
        }
    }
    let mut sources = Vec::new();
    files_under(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests"),
        "rs",
        &mut sources,
    );
    let test_text: String = sources
        .iter()
        .filter(|p| !p.ends_with("catalogue.rs"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let unnamed: Vec<&str> = rules::all()
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| !named.contains(*id) && !test_text.contains(&format!("\"{id}\"")))
        .collect();
    assert!(
        unnamed.is_empty(),
        "rules named by no vector or test: {unnamed:?}"
    );
}

#[test]
fn every_vector_is_named_by_a_rule_it_exercises() {
    // `<RULE-ID>.<what>.json`, so a rule ID leads to its vectors in one hop (the `api` group
    // tests the API itself, not a rule).
    for (file, v) in vectors_common::all() {
        if file.parent().is_some_and(|p| p.ends_with("api")) {
            continue;
        }
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let prefix = name.split('.').next().unwrap();
        let rules: Vec<&str> = v["rules"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(
            RuleId::parse(prefix).is_some() && rules.contains(&prefix),
            "{}: the name starts with `{prefix}`, not a rule of {rules:?}",
            file.display()
        );
    }
}
