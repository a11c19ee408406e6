//! `ipt batch` lines: any bytes, read as the batch reads them (lines kept up to a bound, the
//! rest of a longer line dropped) and answered line by line. Every answer line is JSON with
//! the line's number, an `id` that is `null` or the caller's string or integer id, and an
//! envelope whose `ok` agrees with its `result`; the decision answer is the explained one
//! without its prose.
#![no_main]

use std::io::BufReader;

use ipt_cli::line::{process, read_line_bounded, Unreadable};
use ipt_core::api;
use ipt_core::explain::Detail;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// Small, so that lines over the bound occur; the batch uses the engine's request limit.
const MAX_LINE: usize = 4096;

fuzz_target!(|data: &[u8]| {
    // A small buffer: lines span many fills of the reader.
    let mut input = BufReader::with_capacity(61, data);
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    loop {
        buf.clear();
        let (n, whole) = read_line_bounded(&mut input, &mut buf, MAX_LINE).expect("in memory");
        if n == 0 {
            break;
        }
        line_no += 1;
        assert!(buf.len() <= MAX_LINE + 1, "the kept part is bounded");
        let text = if whole {
            while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                buf.pop();
            }
            std::str::from_utf8(&buf)
                .map(str::to_owned)
                .map_err(|e| Unreadable::NotUtf8(e.to_string()))
        } else {
            Err(Unreadable::TooLong)
        };
        let (explained, _) = process(line_no, &text, Detail::Explained);
        let (decision, _) = process(line_no, &text, Detail::Decision);
        let e: Value = serde_json::from_str(&explained).expect("an answer line is JSON");
        let d: Value = serde_json::from_str(&decision).expect("an answer line is JSON");
        assert_eq!(e["line"], line_no);
        let id = &e["id"];
        assert!(
            id.is_null() || id.is_string() || id.is_i64() || id.is_u64(),
            "id {id}"
        );
        let answer = &e["answer"];
        let ok = answer["ok"].as_bool().expect("`ok` is a boolean");
        assert_eq!(ok, answer.get("result").is_some());
        assert_eq!(!ok, answer.get("error").is_some());
        // An id, when echoed, is the caller's own.
        let given = text
            .as_deref()
            .ok()
            .and_then(|t| serde_json::from_str::<Value>(t).ok());
        if let Some(Value::Object(m)) = given {
            if !id.is_null() {
                assert_eq!(Some(id), m.get("id"), "the caller's id is echoed");
            }
        } else {
            assert!(id.is_null(), "no id is made up");
        }
        let mut stripped = e.clone();
        api::strip_prose(&mut stripped);
        if ok {
            assert_eq!(d, stripped, "decision != explained without prose");
        }
    }
});
