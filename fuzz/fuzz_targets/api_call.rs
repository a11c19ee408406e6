//! The JSON API, every operation: an input is the operation's name, a newline, and the request
//! (`ipt_core::api::fuzz_input`), so a kept input keeps its operation whatever is added to the
//! table. Whatever the input: no panic, the answer is a JSON envelope whose `ok` agrees with
//! the error code the dispatcher returned, and a decision answer is the explained one without
//! its prose.
#![no_main]

use ipt_core::api;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((name, rest)) = api::fuzz_input(data) else {
        return;
    };
    // `schemas` answers 400 KB whatever the request: it would only slow the search.
    if name == "schemas" {
        return;
    }
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let reply = api::call_reply(name, text);
    let v: serde_json::Value = serde_json::from_str(&reply.json).expect("the answer is JSON");
    let ok = v["ok"].as_bool().expect("`ok` is a boolean");
    assert_eq!(ok, reply.error.is_none());
    assert_eq!(ok, v.get("result").is_some());
    if let Some(code) = reply.error {
        assert_eq!(v["error"]["code"], code.as_str());
    }
    // Detail levels agree, for requests that are objects.
    if let (true, Some(op)) = (ok, api::Operation::parse(name)) {
        if let Ok(serde_json::Value::Object(mut m)) =
            serde_json::from_str::<serde_json::Value>(text)
        {
            if !m.contains_key("detail") {
                m.insert("detail".to_owned(), "decision".into());
                let decision = op.answer(&serde_json::Value::Object(m).to_string());
                let mut explained = v.clone();
                api::strip_prose(&mut explained);
                let decision: serde_json::Value =
                    serde_json::from_str(&decision.json).expect("JSON");
                assert_eq!(decision, explained, "decision != explained without prose");
            }
        }
    }
});
