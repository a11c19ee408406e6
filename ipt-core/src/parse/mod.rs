//! The one parsing layer every request goes through: strict JSON to typed requests, with the
//! JSONPath of the offending field in every error.
//!
//! A request is parsed with plain serde first; only when that fails is it parsed again with
//! path tracking, to name the field (tracking paths costs about as much as the parse itself,
//! and valid requests do not need it). Unknown fields are rejected and the nearest known
//! name is suggested; a top-level array is refused (serde would read a struct written as an
//! array positionally); a byte-order mark and nesting past serde_json's limit get their own
//! messages.

mod strict;
mod tagged;

use serde::de::DeserializeOwned;

pub use strict::Strict;
pub(crate) use tagged::{tagged, tagged_enum, NESTED_PATH_MARK};

use crate::error::Error;
use crate::path::JsonPath;

/// Parses a request.
pub fn parse<T: DeserializeOwned>(input: &str) -> Result<T, Error> {
    if input.starts_with('\u{feff}') {
        return Err(Error::InvalidJson {
            message: "the request starts with a byte-order mark (U+FEFF); send UTF-8 without one"
                .to_owned(),
        });
    }
    if input.trim_start().starts_with('[') && well_formed(input) {
        return Err(Error::invalid(
            JsonPath::root(),
            "expected a JSON object, found an array",
        ));
    }
    let mut de = serde_json::Deserializer::from_str(input);
    match T::deserialize(Strict(&mut de)).and_then(|v| de.end().map(|()| v)) {
        Ok(value) => Ok(value),
        Err(_) => Err(parse_tracked::<T>(input)
            .err()
            .unwrap_or_else(|| Error::InvalidJson {
                message: "the request could not be read".to_owned(),
            })),
    }
}

fn well_formed(input: &str) -> bool {
    serde_json::from_str::<serde::de::IgnoredAny>(input).is_ok()
}

/// Parses with path tracking; used to explain a failure.
fn parse_tracked<T: DeserializeOwned>(input: &str) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_str(input);
    let value: T = serde_path_to_error::deserialize(Strict(&mut de)).map_err(|e| {
        let path = json_path(&e.path().to_string());
        let inner = e.into_inner();
        let text = without_position(&inner);
        if text.contains("recursion limit exceeded") {
            return Error::limit(
                path,
                "levels of nested arrays and objects",
                crate::limits::MAX_DEPTH,
                "max_depth",
            );
        }
        let text = clip_quoted(&text);
        // serde_json reports some type mismatches (an array where an enum string is
        // expected) as syntax errors; the input is then well-formed JSON with a wrong field.
        // A string escape that is not text (`\ud800` alone) is malformed JSON, though a
        // reader that skips the value accepts it.
        let bad_escape = inner.is_syntax() && text.contains("escape");
        if bad_escape || ((inner.is_syntax() || inner.is_eof()) && !well_formed(input)) {
            Error::InvalidJson {
                message: syntax_message(&inner),
            }
        } else if inner.is_syntax() {
            Error::invalid(path, format!("the value has the wrong type ({text})"))
        } else {
            let (path, text) = nested(path, &text);
            Error::invalid(path, with_suggestion(&text))
        }
    })?;
    de.end().map_err(|e| Error::InvalidJson {
        message: e.to_string(),
    })?;
    Ok(value)
}

/// serde's message for malformed JSON, with quoted values clipped. serde_json names an
/// unpaired UTF-16 surrogate escape in words that mislead ("unexpected end of hex escape" for
/// `"\ud800"`, "lone leading surrogate" for a trailing one, `"\udc00"`): those get one
/// message that says what is wrong.
fn syntax_message(e: &serde_json::Error) -> String {
    let text = without_position(e);
    if text == "unexpected end of hex escape" || text.contains("surrogate in hex escape") {
        return format!(
            "a \\u escape is an unpaired UTF-16 surrogate (\\uD800 to \\uDBFF must be \
             followed by \\uDC00 to \\uDFFF, and those never stand alone) at line {} column {}",
            e.line(),
            e.column()
        );
    }
    clip_quoted(&e.to_string())
}

/// serde's message without its " at line L column C" suffix: for a field error the JSONPath
/// locates it, and the answer then does not depend on how the request was formatted.
fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    text.strip_suffix(&suffix).unwrap_or(&text).to_owned()
}

/// Turns `serde_path_to_error`'s `a.b[0].c` (or `.` for the root) into a JSONPath. A long key
/// (an unknown field's name) is clipped: an error never repeats a large input.
fn json_path(p: &str) -> JsonPath {
    let clipped;
    let p = if p.len() > 64 && p.split('.').any(|k| k.len() > 64) {
        clipped = p
            .split('.')
            .map(crate::limits::clip)
            .collect::<Vec<_>>()
            .join(".");
        clipped.as_str()
    } else {
        p
    };
    if p.is_empty() || p == "." {
        JsonPath::root()
    } else if p.starts_with('[') {
        JsonPath::from(format!("${p}"))
    } else {
        JsonPath::from(format!("$.{p}"))
    }
}

/// serde's message with every quoted value (between backticks or double quotes) longer than
/// 64 characters clipped ([`crate::limits::clip`]): an error answer never repeats a large
/// input. Linear in the message.
fn clip_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(1024));
    let mut rest = message;
    while let Some(open) = rest.find(['`', '"']) {
        let quote = &rest[open..=open];
        out.push_str(&rest[..=open]);
        let after = &rest[open + 1..];
        match after.find(quote) {
            Some(close) => {
                out.push_str(&crate::limits::clip(&after[..close]));
                out.push_str(quote);
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&crate::limits::clip(after));
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// For serde's "unknown field `x`, expected one of `a`, `b`": the nearest known name.
fn with_suggestion(message: &str) -> String {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message.to_owned();
    };
    let Some((given, rest)) = rest.split_once('`') else {
        return message.to_owned();
    };
    // A clipped (long) name has no near neighbour worth naming.
    if given.contains('…') {
        return message.to_owned();
    }
    let known: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    // The nearest by edits, or a known name that contains the given one (`psychosis` ->
    // `active_psychosis`).
    let best = known
        .iter()
        .map(|k| (edit_distance(given, k), *k))
        .filter(|(d, k)| *d <= (k.len().max(given.len()) / 3).max(2))
        .min()
        .or_else(|| {
            known
                .iter()
                .filter(|k| given.len() >= 4 && k.contains(given))
                .map(|k| (k.len(), *k))
                .min()
        });
    match best {
        Some((_, k)) => format!("{message}; did you mean `{k}`?"),
        None => message.to_owned(),
    }
}

/// Levenshtein distance, counting a swap of two neighbours as one edit.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let (ai, bj) = (a.get(i - 1), b.get(j - 1));
            let cost = usize::from(ai != bj);
            let mut d = (prev.get(j).copied().unwrap_or(0) + 1)
                .min(cur.get(j - 1).copied().unwrap_or(0) + 1)
                .min(prev.get(j - 1).copied().unwrap_or(0) + cost);
            if i > 1 && j > 1 && ai == b.get(j - 2) && a.get(i - 2) == bj {
                d = d.min(prev2.get(j - 2).copied().unwrap_or(0) + 1);
            }
            if let Some(c) = cur.get_mut(j) {
                *c = d;
            }
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    prev.get(b.len()).copied().unwrap_or(0)
}

/// Joins an outer path and a nested error's marked message, when there is one.
fn nested(path: JsonPath, message: &str) -> (JsonPath, String) {
    let mut parts = message.splitn(3, NESTED_PATH_MARK);
    match (parts.next(), parts.next(), parts.next()) {
        (Some(_), Some(inner), Some(rest)) => {
            let inner = json_path(inner);
            (inner.under(&path), rest.to_owned())
        }
        _ => (path, message.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        n: u8,
        conflict: Option<u8>,
    }
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        items: Vec<Inner>,
    }

    #[test]
    fn errors_carry_the_path_of_the_field() {
        let e = parse::<Outer>(r#"{"items":[{"n":1},{"n":300}]}"#).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput);
        assert_eq!(e.path(), Some("$.items[1].n"));
        let e = parse::<Outer>(r#"{"items":[],"extra":1}"#).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput);
        assert!(e.to_string().contains("extra"), "{e}");
        let e = parse::<Outer>(r#"{"items":["#).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidJson);
        let e = parse::<Outer>(r#"{"items":[]} trailing"#).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidJson);
        let e = parse::<Outer>(r#"{"items":[{"n":[1]}]}"#).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput);
        assert_eq!(e.path(), Some("$.items[0].n"));
        let e = parse::<Outer>("[]").unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidInput);
        assert_eq!(e.path(), Some("$"));
    }

    #[test]
    fn a_struct_written_as_an_array_is_refused_at_every_depth() {
        let e = parse::<Outer>(r#"{"items":[[1, 2]]}"#).unwrap_err();
        assert_eq!(e.path(), Some("$.items[0]"), "{e}");
        assert!(e.to_string().contains("expected a JSON object"), "{e}");
        let e = parse::<Log>(r#"{"events":[{"type":"held","number":1,"inner":[1, null]}]}"#)
            .unwrap_err();
        assert_eq!(e.path(), Some("$.events[0].inner"), "{e}");
        // Arrays stay arrays where a list is expected.
        assert_eq!(
            parse::<Outer>(r#"{"items":[{"n":1}]}"#)
                .unwrap()
                .items
                .len(),
            1
        );
    }

    #[test]
    fn an_unknown_field_suggests_the_nearest_name() {
        let e = parse::<Outer>(r#"{"items":[{"n":1,"conflcit":2}]}"#).unwrap_err();
        assert_eq!(e.path(), Some("$.items[0].conflcit"));
        assert!(e.to_string().ends_with("did you mean `conflict`?"), "{e}");
        let e = parse::<Outer>(r#"{"zzzzzzzz":1}"#).unwrap_err();
        assert!(!e.to_string().contains("did you mean"), "{e}");
    }

    #[test]
    fn a_byte_order_mark_and_deep_nesting_have_their_own_messages() {
        let e = parse::<Outer>("\u{feff}{\"items\":[]}").unwrap_err();
        assert!(e.to_string().contains("byte-order mark"), "{e}");
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Deep {
            v: serde_json::Value,
        }
        // The object is one level; `v` may nest up to the limit, and one more is refused.
        let nest = |n: usize| format!("{{\"v\":{}{}}}", "[".repeat(n), "]".repeat(n));
        let at = crate::limits::MAX_DEPTH - 1;
        assert!(parse::<Deep>(&nest(at - 1)).is_ok());
        assert!(parse::<Deep>(&nest(at)).is_ok());
        let e = parse::<Deep>(&nest(at + 1)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::LimitExceeded);
        assert!(e.to_string().contains("max_depth"), "{e}");
        assert!(e.path().is_some_and(|p| p.starts_with("$.v[0][0]")), "{e}");
    }

    #[test]
    fn an_escaped_lone_surrogate_is_malformed_json_not_a_wrong_type() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Text {
            t: String,
        }
        let e = parse::<Text>(r#"{"t":"\ud800"}"#).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidJson, "{e}");
        assert!(
            e.to_string().contains("surrogate") || e.to_string().contains("escape"),
            "{e}"
        );
    }

    #[test]
    fn a_huge_unknown_key_is_echoed_clipped_and_quickly() {
        let key = "k".repeat(4 << 20);
        let request = format!("{{\"{key}\":1}}");
        let started = std::time::Instant::now();
        let e = parse::<Outer>(&request).unwrap_err();
        assert!(e.to_string().len() < 1000, "{}", e.to_string().len());
        assert!(e.to_string().contains("(4194304 characters)"), "{e}");
        // No suggestion is searched for a clipped name (edit distance would be quadratic).
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
    }

    #[derive(Debug, PartialEq)]
    enum Ev {
        Held { number: u8, inner: Option<Inner> },
        Raised {},
    }
    #[derive(Deserialize)]
    #[serde(rename_all = "snake_case", deny_unknown_fields)]
    enum EvExternal {
        Held { number: u8, inner: Option<Inner> },
        Raised {},
    }
    impl From<EvExternal> for Ev {
        fn from(e: EvExternal) -> Ev {
            match e {
                EvExternal::Held { number, inner } => Ev::Held { number, inner },
                EvExternal::Raised {} => Ev::Raised {},
            }
        }
    }
    impl<'de> Deserialize<'de> for Ev {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Ev, D::Error> {
            tagged::<D, EvExternal, Ev>(d, "type")
        }
    }
    impl PartialEq for Inner {
        fn eq(&self, o: &Inner) -> bool {
            self.n == o.n
        }
    }
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Log {
        events: Vec<Ev>,
    }

    #[test]
    fn errors_inside_a_tagged_enum_name_the_field() {
        let ok =
            parse::<Log>(r#"{"events":[{"type":"raised"},{"type":"held","number":2}]}"#).unwrap();
        assert_eq!(
            ok.events,
            vec![
                Ev::Raised {},
                Ev::Held {
                    number: 2,
                    inner: None
                }
            ]
        );
        let e = parse::<Log>(
            r#"{"events":[{"type":"raised"},{"type":"held","number":2,"inner":{"n":1,"x":2}}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.path(), Some("$.events[1].inner.x"), "{e}");
        let e = parse::<Log>(r#"{"events":[{"type":"held","number":[1]}]}"#).unwrap_err();
        assert_eq!(e.path(), Some("$.events[0].number"), "{e}");
        let e = parse::<Log>(r#"{"events":[{"type":"held","number":1,"number":2}]}"#).unwrap_err();
        assert!(e.to_string().contains("duplicate field `number`"), "{e}");
        assert_eq!(e.path(), Some("$.events[0]"), "{e}");
        let e = parse::<Log>(r#"{"events":[{"type":"sung"}]}"#).unwrap_err();
        assert!(e.to_string().contains("unknown variant `sung`"), "{e}");
    }

    /// The tag first (read straight through) or later (buffered): the same values, and the
    /// same errors at the same paths.
    #[test]
    fn a_tagged_enum_reads_the_same_whatever_the_key_order() {
        let pairs = [
            (
                r#"{"events":[{"type":"held","number":2,"inner":{"n":1}}]}"#,
                r#"{"events":[{"inner":{"n":1},"number":2,"type":"held"}]}"#,
            ),
            (
                r#"{"events":[{"type":"held","number":1,"inner":{"n":1,"x":2}}]}"#,
                r#"{"events":[{"number":1,"inner":{"n":1,"x":2},"type":"held"}]}"#,
            ),
            (
                r#"{"events":[{"type":"sung","number":1}]}"#,
                r#"{"events":[{"number":1,"type":"sung"}]}"#,
            ),
            (
                r#"{"events":[{"type":7,"number":1}]}"#,
                r#"{"events":[{"number":1,"type":7}]}"#,
            ),
            (
                r#"{"events":[{"type":"held","number":1,"number":2}]}"#,
                r#"{"events":[{"number":1,"number":2,"type":"held"}]}"#,
            ),
            (
                r#"{"events":[{"type":"held","number":[1]}]}"#,
                r#"{"events":[{"number":[1],"type":"held"}]}"#,
            ),
            (
                r#"{"events":[{"type":"held"}]}"#,
                r#"{"events":[{"inner":null,"type":"held"}]}"#,
            ),
        ];
        for (first, later) in pairs {
            match (parse::<Log>(first), parse::<Log>(later)) {
                (Ok(a), Ok(b)) => assert_eq!(a.events, b.events, "{first}"),
                (Err(a), Err(b)) => {
                    assert_eq!(a.path(), b.path(), "{first} / {later}");
                    assert_eq!(a.code(), b.code(), "{first} / {later}");
                }
                (a, b) => panic!("{first}: {a:?} / {later}: {b:?}"),
            }
        }
        let e = parse::<Log>(r#"{"events":[{"type":"sung"}]}"#).unwrap_err();
        assert_eq!(e.path(), Some("$.events[0].type"), "{e}");
        let e = parse::<Log>(r#"{"events":[{"type":7}]}"#).unwrap_err();
        assert_eq!(e.path(), Some("$.events[0].type"), "{e}");
        assert!(e.to_string().contains("`type` must be a string"), "{e}");
        let e = parse::<Log>(r#"{"events":[{"number":1}]}"#).unwrap_err();
        assert!(e.to_string().contains("missing field `type`"), "{e}");
    }

    #[test]
    fn an_unpaired_surrogate_escape_is_named_as_such_whichever_half() {
        for input in [
            r#"{"n":"\ud800"}"#,
            r#"{"n":"\udc00"}"#,
            r#"{"n":"\ud800\ud800"}"#,
            r#"{"n":"\ud800x"}"#,
        ] {
            let e = parse::<Inner>(input).unwrap_err();
            assert_eq!(e.code(), ErrorCode::InvalidJson, "{input}");
            assert!(
                e.to_string().contains("unpaired UTF-16 surrogate"),
                "{input}: {e}"
            );
        }
        let e = parse::<Inner>(r#"{"n":"\u12"}"#).unwrap_err();
        assert!(e.to_string().contains("invalid escape"), "{e}");
    }

    #[test]
    fn edit_distance_counts_swaps_as_one() {
        assert_eq!(edit_distance("conflcit", "conflict"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
