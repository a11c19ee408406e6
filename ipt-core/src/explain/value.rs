//! The value an input had, as an explanation shows it, and [`InputValue::of`] without a JSON
//! tree: a serializer that builds the value directly, and borrows an enum's JSON string
//! instead of copying it. It takes what an input can be (a number, a flag, a code, text, a
//! list of those, nothing); anything else it leaves to `serde_json`, so the value is the same
//! either way.

use std::borrow::Cow;
use std::fmt;

use schemars::JsonSchema;
use serde::ser::{self, Impossible};
use serde::{Deserialize, Serialize};

use super::text::Text;

/// The value an input had, as the explanation shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum InputValue {
    /// Not given.
    Null,
    /// A yes/no value.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// A number with a fraction.
    Number(f64),
    /// A code or text: an enum's JSON string, a finding, a rule ID, a date.
    Text(Text),
    /// Several codes.
    List(Vec<InputValue>),
}

impl InputValue {
    /// The value of anything serializable, as the explanation shows it: built directly, an
    /// enum's JSON string borrowed; what is not a plain value (a map, a struct) goes through
    /// `serde_json` and comes out as the same value would from there.
    pub fn of(value: impl Serialize) -> InputValue {
        value
            .serialize(Direct)
            .unwrap_or_else(|_| InputValue::via_json(value))
    }

    /// The value of anything serializable, through a `serde_json` value.
    pub(super) fn via_json(value: impl Serialize) -> InputValue {
        fn conv(v: serde_json::Value) -> InputValue {
            match v {
                serde_json::Value::Null => InputValue::Null,
                serde_json::Value::Bool(b) => InputValue::Bool(b),
                serde_json::Value::Number(n) => match n.as_i64() {
                    Some(i) => InputValue::Int(i),
                    None => InputValue::Number(n.as_f64().unwrap_or_default()),
                },
                serde_json::Value::String(s) => InputValue::Text(s.into()),
                serde_json::Value::Array(a) => InputValue::List(a.into_iter().map(conv).collect()),
                // No input is an object; should one be, it shows as its JSON text.
                other @ serde_json::Value::Object(_) => InputValue::Text(other.to_string().into()),
            }
        }
        conv(serde_json::to_value(value).unwrap_or(serde_json::Value::Null))
    }
}

impl From<&'static str> for InputValue {
    fn from(s: &'static str) -> InputValue {
        InputValue::Text(Cow::Borrowed(s))
    }
}

/// What the direct serializer does not build (maps, structs, bytes, enum variants with data).
#[derive(Debug)]
pub(super) struct Unsupported;

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not an input value")
    }
}

impl std::error::Error for Unsupported {}

impl ser::Error for Unsupported {
    fn custom<T: fmt::Display>(_: T) -> Unsupported {
        Unsupported
    }
}

/// Builds an [`InputValue`] as `serde_json::to_value` and its conversion would.
pub(super) struct Direct;

/// A list being built.
pub(super) struct List(Vec<InputValue>);

fn float(v: f64) -> InputValue {
    // serde_json gives `null` for a number that is not finite.
    if v.is_finite() {
        InputValue::Number(v)
    } else {
        InputValue::Null
    }
}

impl ser::Serializer for Direct {
    type Ok = InputValue;
    type Error = Unsupported;
    type SerializeSeq = List;
    type SerializeTuple = List;
    type SerializeTupleStruct = List;
    type SerializeTupleVariant = Impossible<InputValue, Unsupported>;
    type SerializeMap = Impossible<InputValue, Unsupported>;
    type SerializeStruct = Impossible<InputValue, Unsupported>;
    type SerializeStructVariant = Impossible<InputValue, Unsupported>;

    fn serialize_bool(self, v: bool) -> Result<InputValue, Unsupported> {
        Ok(InputValue::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<InputValue, Unsupported> {
        Ok(InputValue::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<InputValue, Unsupported> {
        Ok(InputValue::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<InputValue, Unsupported> {
        Ok(InputValue::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<InputValue, Unsupported> {
        Ok(InputValue::Int(v))
    }
    fn serialize_u8(self, v: u8) -> Result<InputValue, Unsupported> {
        Ok(InputValue::Int(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<InputValue, Unsupported> {
        Ok(InputValue::Int(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<InputValue, Unsupported> {
        Ok(InputValue::Int(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<InputValue, Unsupported> {
        // Past i64, serde_json's number reads back only as a float.
        Ok(i64::try_from(v).map_or_else(|_| float(v as f64), InputValue::Int))
    }
    fn serialize_f32(self, v: f32) -> Result<InputValue, Unsupported> {
        Ok(float(v.into()))
    }
    fn serialize_f64(self, v: f64) -> Result<InputValue, Unsupported> {
        Ok(float(v))
    }
    fn serialize_char(self, v: char) -> Result<InputValue, Unsupported> {
        Ok(InputValue::Text(Cow::Owned(v.to_string())))
    }
    fn serialize_str(self, v: &str) -> Result<InputValue, Unsupported> {
        Ok(InputValue::Text(Cow::Owned(v.to_owned())))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<InputValue, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_none(self) -> Result<InputValue, Unsupported> {
        Ok(InputValue::Null)
    }
    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> Result<InputValue, Unsupported> {
        v.serialize(self)
    }
    fn serialize_unit(self) -> Result<InputValue, Unsupported> {
        Ok(InputValue::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<InputValue, Unsupported> {
        Ok(InputValue::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<InputValue, Unsupported> {
        // The enum's JSON string, borrowed.
        Ok(InputValue::Text(Cow::Borrowed(variant)))
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        v: &T,
    ) -> Result<InputValue, Unsupported> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<InputValue, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<List, Unsupported> {
        Ok(List(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<List, Unsupported> {
        Ok(List(Vec::with_capacity(len)))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<List, Unsupported> {
        Ok(List(Vec::with_capacity(len)))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, Unsupported> {
        Err(Unsupported)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Unsupported> {
        Err(Unsupported)
    }
}

impl List {
    fn push<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Unsupported> {
        self.0.push(v.serialize(Direct)?);
        Ok(())
    }
}

/// A sequence, a tuple and a tuple struct are all a list: one impl each, written once.
macro_rules! list_serializer {
    ($($trait:ident :: $method:ident),+) => {$(
        impl ser::$trait for List {
            type Ok = InputValue;
            type Error = Unsupported;
            fn $method<T: ?Sized + Serialize>(&mut self, v: &T) -> Result<(), Unsupported> {
                self.push(v)
            }
            fn end(self) -> Result<InputValue, Unsupported> {
                Ok(InputValue::List(self.0))
            }
        }
    )+};
}

list_serializer!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direct_values_are_what_serde_json_gives() {
        use crate::findings::Finding;
        macro_rules! same {
            ($($v:expr),+ $(,)?) => {$(
                assert_eq!($v.serialize(Direct).ok(), Some(InputValue::via_json($v)), "{}", stringify!($v));
            )+};
        }
        same!(
            true,
            -3i8,
            40u8,
            7u64,
            u64::MAX,
            i64::MIN,
            2.5f64,
            3.0f64,
            0.1f32,
            'x',
            "text",
            None::<u8>,
            Some(4u32),
            (),
            Finding::Present,
            [Finding::Absent, Finding::Unknown],
            vec![Some(1i32), None],
        );
        // Not a number: `null` either way (NaN is not equal to itself, so not compared above).
        assert_eq!(f64::NAN.serialize(Direct).ok(), Some(InputValue::Null));
        assert_eq!(InputValue::via_json(f64::NAN), InputValue::Null);
        // A map is left to serde_json.
        let mut m = std::collections::BTreeMap::new();
        m.insert("a", 1);
        assert!(m.serialize(Direct).is_err());
    }
}
