//! Every input the fuzzers kept (`fuzz/regressions/api_call/`: past crashers, slow inputs and
//! inputs of interest; `ipt-core/tests/kept_fuzz_inputs` links to it, and the packaged crate
//! holds a copy) replayed through the JSON API as the `api_call` target reads it: the
//! operation's name, a newline, the request (`ipt_core::api::fuzz_input`). A kept input names
//! an operation of the table (a renamed or removed operation fails here rather than turning
//! the input into an `unknown_operation` test), and the directory holds at least one: a replay
//! that finds nothing fails.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::path::Path;

use ipt_core::api::{self, Operation};

/// Replays every kept input of `dir`; returns how many it replayed.
fn replay(dir: &Path) -> usize {
    let mut replayed = 0;
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e} (no kept fuzz inputs)", dir.display()));
    for e in entries {
        let path = e.unwrap().path();
        if path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        {
            continue;
        }
        let data = std::fs::read(&path).unwrap();
        let (name, rest) = api::fuzz_input(&data).unwrap_or_else(|| {
            panic!(
                "{}: not a kept input (the operation's name, a newline, the request)",
                path.display()
            )
        });
        let op = Operation::parse(name)
            .unwrap_or_else(|| panic!("{}: `{name}` is no operation", path.display()));
        replayed += 1;
        let Ok(text) = std::str::from_utf8(rest) else {
            continue;
        };
        let reply = op.answer(text);
        let v: serde_json::Value = serde_json::from_str(&reply.json)
            .unwrap_or_else(|e| panic!("{}: answer is not JSON: {e}", path.display()));
        assert_eq!(v["ok"] == true, reply.error.is_none(), "{}", path.display());
        assert_eq!(v["operation"], name, "{}", path.display());
        // As the target checks: the decision answer is the explained one without its prose.
        if let (true, Ok(serde_json::Value::Object(mut m))) = (
            reply.error.is_none(),
            serde_json::from_str::<serde_json::Value>(text),
        ) && !m.contains_key("detail")
        {
            m.insert("detail".to_owned(), "decision".into());
            let decision = op.answer(&serde_json::Value::Object(m).to_string());
            let decision: serde_json::Value = serde_json::from_str(&decision.json).unwrap();
            let mut explained = v.clone();
            ipt_core::api::strip_prose(&mut explained);
            assert_eq!(decision, explained, "{}", path.display());
        }
    }
    replayed
}

#[test]
fn kept_fuzz_inputs_get_well_formed_answers() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/kept_fuzz_inputs");
    let replayed = replay(&dir);
    assert!(
        replayed > 0,
        "{}: no kept fuzz input found, so nothing was replayed",
        dir.display()
    );
    println!("replayed {replayed} kept fuzz inputs");
}

#[test]
fn the_kept_input_format_names_its_operation() {
    assert_eq!(
        api::fuzz_input(b"cds_hooks\n{\"a\":1}"),
        Some(("cds_hooks", &b"{\"a\":1}"[..]))
    );
    assert_eq!(api::fuzz_input(b"version\n"), Some(("version", &b""[..])));
    assert_eq!(api::fuzz_input(b"no newline"), None);
    assert_eq!(api::fuzz_input(b"\xff\n{}"), None);
}
