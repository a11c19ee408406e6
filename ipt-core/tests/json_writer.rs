//! The answers' JSON writer (`ipt_core::json`) writes the text serde_json writes, byte for byte:
//! on generated JSON values, on strings with every byte that needs escaping at every offset
//! of the eight-byte scan, on every shape serde's data model has (variants, tuples, maps with
//! keys that are not strings, raw values), and on the same refusals.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde::Serialize;
use serde_json::Value;

fn same<T: Serialize + ?Sized + std::fmt::Debug>(value: &T) {
    let ours = ipt_core::json::to_string(value);
    let theirs = serde_json::to_string(value);
    match (ours, theirs) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{value:?}"),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{value:?}"),
        (a, b) => panic!("{value:?}: ipt_core::json {a:?}, serde_json {b:?}"),
    }
}

/// Text with what needs escaping (controls, quote, backslash), DEL, and multi-byte characters.
fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => prop::char::range('a', 'z'),
            2 => prop::char::range('\0', '\u{7f}'),
            1 => prop::sample::select(vec!['"', '\\', '\n', '\u{1f}', 'é', '€', '😀', '\u{2028}']),
        ],
        0..40,
    )
    .prop_map(|cs| cs.into_iter().collect())
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((text(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn values_are_written_as_serde_json_writes_them(v in value()) {
        same(&v);
    }

    /// Each byte class at each offset of a word, and at a word's end.
    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them(prefix in 0usize..17, s in text()) {
        let padded = format!("{}{s}", "x".repeat(prefix));
        same(&padded);
    }
}

#[test]
fn every_ascii_byte_alone_and_inside_words() {
    for b in 0u8..=0x7f {
        let c = char::from(b);
        for at in 0..17 {
            let s: String = (0..20).map(|i| if i == at { c } else { 'a' }).collect();
            same(&s);
        }
        same(&c);
    }
}

#[derive(Debug, Serialize)]
enum Shape {
    Unit,
    Newtype(u8),
    Tuple(i32, String),
    Struct { a: Option<bool>, b: Vec<f32> },
}

#[derive(Debug, Serialize)]
struct Unit;

#[derive(Debug, Serialize)]
struct Wrapper(String);

#[derive(Debug, Serialize)]
struct Tuple(u8, char);

#[derive(Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
enum KeyVariant {
    First,
}

#[derive(Debug, Serialize)]
struct Everything<'a> {
    shapes: Vec<Shape>,
    unit: Unit,
    wrapper: Wrapper,
    tuple: Tuple,
    pair: (u128, i128),
    #[serde(with = "bytes")]
    bytes: &'a [u8],
    empty_list: Vec<u8>,
    empty_map: BTreeMap<String, u8>,
    nothing: Option<u8>,
    raw: &'a serde_json::value::RawValue,
    int_keys: BTreeMap<i32, &'a str>,
    bool_keys: BTreeMap<bool, u8>,
    char_keys: BTreeMap<char, u8>,
    variant_keys: BTreeMap<KeyVariant, u8>,
    newtype_keys: BTreeMap<String, ()>,
    not_finite: [f64; 3],
}

mod bytes {
    pub fn serialize<S: serde::Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(b)
    }
}

#[test]
fn every_shape_of_the_data_model() {
    let raw: Box<serde_json::value::RawValue> =
        serde_json::from_str(r#"{"kept" : [1, "as is"]}"#).unwrap();
    let everything = Everything {
        shapes: vec![
            Shape::Unit,
            Shape::Newtype(7),
            Shape::Tuple(-3, "t\"".into()),
            Shape::Struct {
                a: Some(true),
                b: vec![1.5, -0.0],
            },
            Shape::Struct { a: None, b: vec![] },
        ],
        unit: Unit,
        wrapper: Wrapper("w\u{0}".into()),
        tuple: Tuple(1, '\u{7}'),
        pair: (u128::MAX, i128::MIN),
        bytes: &[0, 255],
        empty_list: vec![],
        empty_map: BTreeMap::new(),
        nothing: None,
        raw: &raw,
        int_keys: [(-1, "a"), (2, "b")].into_iter().collect(),
        bool_keys: [(false, 0), (true, 1)].into_iter().collect(),
        char_keys: [('"', 0), ('k', 1)].into_iter().collect(),
        variant_keys: [(KeyVariant::First, 1)].into_iter().collect(),
        newtype_keys: [("n\n".to_owned(), ())].into_iter().collect(),
        not_finite: [f64::NAN, f64::INFINITY, 2.0],
    };
    same(&everything);
}

#[test]
fn keys_that_are_not_strings_are_refused_alike() {
    let by_list: BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into_iter().collect();
    same(&by_list);
    let by_float: Vec<(f64, u8)> = vec![(f64::NAN, 1)];
    let as_map = |v: &Vec<(f64, u8)>| {
        let mut out = Vec::new();
        let mut s = serde_json::Serializer::new(&mut out);
        let r = serde::Serializer::collect_map(&mut s, v.iter().map(|(k, v)| (k, v)));
        (r.map_err(|e| e.to_string()), out)
    };
    struct FloatKeys<'a>(&'a Vec<(f64, u8)>);
    impl Serialize for FloatKeys<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
        }
    }
    let ours = ipt_core::json::to_string(&FloatKeys(&by_float)).map_err(|e| e.to_string());
    let (theirs, _) = as_map(&by_float);
    assert_eq!(ours.err(), theirs.err());
}
