//! Every input the fuzzers kept (`fuzz/regressions/api_call/`: past crashers, slow inputs and
//! inputs of interest; `ipt-core/tests/kept_fuzz_inputs` links to it, and the packaged crate
//! holds a copy) replayed through the JSON API as the `api_call` target reads it: the first
//! byte picks the operation (by name, `schemas` left out), the rest is the request.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;

#[test]
fn kept_fuzz_inputs_get_well_formed_answers() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/kept_fuzz_inputs");
    let ops = ipt_core::api::fuzz_operations();
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        {
            continue;
        }
        let data = std::fs::read(&path).unwrap();
        let Some((&pick, rest)) = data.split_first() else {
            continue;
        };
        let Ok(text) = std::str::from_utf8(rest) else {
            continue;
        };
        let op = ops[usize::from(pick) % ops.len()];
        let reply = op.answer(text);
        let v: serde_json::Value = serde_json::from_str(&reply.json)
            .unwrap_or_else(|e| panic!("{}: answer is not JSON: {e}", path.display()));
        assert_eq!(v["ok"] == true, reply.error.is_none(), "{}", path.display());
        // As the target checks: the decision answer is the explained one without its prose.
        if let (true, Ok(serde_json::Value::Object(mut m))) = (
            reply.error.is_none(),
            serde_json::from_str::<serde_json::Value>(text),
        ) {
            if !m.contains_key("detail") {
                m.insert("detail".to_owned(), "decision".into());
                let decision = op.answer(&serde_json::Value::Object(m).to_string());
                let decision: serde_json::Value = serde_json::from_str(&decision.json).unwrap();
                let mut explained = v.clone();
                ipt_core::api::strip_prose(&mut explained);
                assert_eq!(decision, explained, "{}", path.display());
            }
        }
    }
}
