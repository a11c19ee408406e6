//! The JSON writer of answers: the same text `serde_json::to_writer` writes (compact), byte for
//! byte, with strings scanned for what needs escaping eight bytes at a time instead of one.
//!
//! Most of an explained answer is words, and serde_json looks up every byte of a string in its
//! escape table (about a quarter of the JSON explained path, measured with perf). Here a string
//! is copied in runs between the bytes that need escaping (`"`, `\` and the controls below
//! U+0020), found a 64-bit word at a time; each escape is written as serde_json writes it.
//! Structure (brackets, commas, keys) is written here; numbers, byte strings and map keys that
//! are not strings are written by serde_json itself, and a `serde_json::value::RawValue` is
//! copied as is. The tests compare the two writers on generated values.

use serde::ser::{self, Serialize};
use serde_json::Error;

/// The token by which serde_json's `RawValue` asks to be written verbatim.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// Writes `value` as compact JSON to `out`: the text of `serde_json::to_writer`.
pub fn to_writer<T: ?Sized + Serialize>(out: &mut Vec<u8>, value: &T) -> Result<(), Error> {
    value.serialize(Writer { out })
}

/// `value` as compact JSON: the text of `serde_json::to_string`.
pub fn to_string<T: ?Sized + Serialize>(value: &T) -> Result<String, Error> {
    let mut out = Vec::with_capacity(128);
    to_writer(&mut out, value)?;
    // Only this module and serde_json wrote it, from `str`s: UTF-8.
    String::from_utf8(out).map_err(|e| ser::Error::custom(e.to_string()))
}

/// Whether any of the 8 bytes of `w` is `"`, `\` or below 0x20. Exact as a yes or no (the
/// "has a byte less than n" and "has a zero byte" word tricks).
const fn needs_escape(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const fn has_zero(v: u64) -> bool {
        v.wrapping_sub(ONES) & !v & HIGH != 0
    }
    let below_space = w.wrapping_sub(ONES * 0x20) & !w & HIGH != 0;
    below_space || has_zero(w ^ (ONES * b'"' as u64)) || has_zero(w ^ (ONES * b'\\' as u64))
}

/// Writes the escape serde_json writes for `byte` (one that needs escaping).
#[inline]
fn write_escape(out: &mut Vec<u8>, byte: u8) {
    const fn hex(n: u8) -> u8 {
        if n < 10 {
            b'0' + n
        } else {
            b'a' + n - 10
        }
    }
    match byte {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x0c => out.extend_from_slice(b"\\f"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        _ => out.extend_from_slice(&[b'\\', b'u', b'0', b'0', hex(byte >> 4), hex(byte & 0xf)]),
    }
}

/// How many bytes at the start of `bytes` need no escaping: eight at a time, then one by one.
#[inline]
fn clean_prefix(bytes: &[u8]) -> usize {
    let mut n = 0;
    for word in bytes.chunks_exact(8) {
        match <[u8; 8]>::try_from(word) {
            Ok(w) if !needs_escape(u64::from_le_bytes(w)) => n += 8,
            _ => break,
        }
    }
    n + bytes
        .get(n..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&b| b >= 0x20 && b != b'"' && b != b'\\')
        .count()
}

/// Writes `s` as a JSON string.
#[inline]
fn write_str(out: &mut Vec<u8>, s: &str) {
    let mut rest = s.as_bytes();
    out.reserve(rest.len() + 2);
    out.push(b'"');
    loop {
        let clean = clean_prefix(rest);
        let (run, tail) = rest.split_at(clean.min(rest.len()));
        out.extend_from_slice(run);
        let Some((&byte, tail)) = tail.split_first() else {
            break;
        };
        write_escape(out, byte);
        rest = tail;
    }
    out.push(b'"');
}

/// Lets serde_json write a value this writer leaves to it (a number, a byte string).
fn by_serde_json<F>(out: &mut Vec<u8>, write: F) -> Result<(), Error>
where
    F: FnOnce(&mut serde_json::Serializer<&mut Vec<u8>>) -> Result<(), Error>,
{
    write(&mut serde_json::Serializer::new(out))
}

/// The methods of a serializer that write a string as a JSON string: a `str`, a unit variant
/// (its name) and a newtype around either.
macro_rules! strings {
    () => {
        fn serialize_str(self, v: &str) -> Result<(), Error> {
            write_str(self.out, v);
            Ok(())
        }

        fn serialize_unit_variant(
            self,
            _name: &'static str,
            _index: u32,
            variant: &'static str,
        ) -> Result<(), Error> {
            self.serialize_str(variant)
        }

        fn serialize_newtype_struct<T: ?Sized + Serialize>(
            self,
            _name: &'static str,
            value: &T,
        ) -> Result<(), Error> {
            value.serialize(self)
        }
    };
}

struct Writer<'a> {
    out: &'a mut Vec<u8>,
}

impl<'a> Writer<'a> {
    /// An externally tagged variant's content, opened with `open`: `{"name":` and `open`.
    fn variant(self, name: &str, open: &[u8], close: &'static [u8]) -> Compound<'a> {
        self.out.push(b'{');
        write_str(self.out, name);
        self.out.push(b':');
        self.out.extend_from_slice(open);
        Compound::open(self.out, close)
    }
}

macro_rules! by_serde_json {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(fn $method(self, v: $ty) -> Result<(), Error> {
            by_serde_json(self.out, |s| ser::Serializer::$method(s, v))
        })*
    };
}

impl<'a> ser::Serializer for Writer<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }

    by_serde_json! {
        serialize_i8(i8), serialize_i16(i16), serialize_i32(i32), serialize_i64(i64),
        serialize_i128(i128), serialize_u8(u8), serialize_u16(u16), serialize_u32(u32),
        serialize_u64(u64), serialize_u128(u128), serialize_f32(f32), serialize_f64(f64),
        serialize_bytes(&[u8]),
    }

    fn serialize_char(self, v: char) -> Result<(), Error> {
        write_str(self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }

    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }

    strings!();

    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.out.push(b'{');
        write_str(self.out, variant);
        self.out.push(b':');
        value.serialize(Writer {
            out: &mut *self.out,
        })?;
        self.out.push(b'}');
        Ok(())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        self.out.push(b'[');
        Ok(Compound::open(self.out, b"]"))
    }

    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        Ok(self.variant(variant, b"[", b"]}"))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a>, Error> {
        self.out.push(b'{');
        Ok(Compound::open(self.out, b"}"))
    }

    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Compound<'a>, Error> {
        if name == RAW_VALUE_TOKEN {
            return Ok(Compound::Raw { out: self.out });
        }
        self.serialize_map(Some(len))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a>, Error> {
        Ok(self.variant(variant, b"{", b"}}"))
    }
}

/// An array or object being written (its elements or fields), or a raw value.
enum Compound<'a> {
    Open {
        out: &'a mut Vec<u8>,
        first: bool,
        close: &'static [u8],
    },
    Raw {
        out: &'a mut Vec<u8>,
    },
}

impl<'a> Compound<'a> {
    fn open(out: &'a mut Vec<u8>, close: &'static [u8]) -> Self {
        Compound::Open {
            out,
            first: true,
            close,
        }
    }

    /// The writer of the next element, after its comma; `None` for a raw value.
    fn next(&mut self) -> Option<&mut Vec<u8>> {
        match self {
            Compound::Open { out, first, .. } => {
                if !std::mem::take(first) {
                    out.push(b',');
                }
                Some(out)
            }
            Compound::Raw { .. } => None,
        }
    }

    fn element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        let out = self.next().ok_or_else(not_raw)?;
        value.serialize(Writer { out })
    }

    fn field<T: ?Sized + Serialize>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        if let Compound::Raw { out } = self {
            return value.serialize(Verbatim { out });
        }
        let out = self.next().ok_or_else(not_raw)?;
        write_str(out, key);
        out.push(b':');
        value.serialize(Writer { out })
    }

    fn close(self) -> Result<(), Error> {
        if let Compound::Open { out, close, .. } = self {
            out.extend_from_slice(close);
        }
        Ok(())
    }
}

fn not_raw() -> Error {
    ser::Error::custom("a raw JSON value holds one string")
}

/// The sequence traits: each element after its comma.
macro_rules! elements {
    ($($trait:ident::$method:ident),*) => {
        $(impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
                self.element(value)
            }
            fn end(self) -> Result<(), Error> {
                self.close()
            }
        })*
    };
}
elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Error> {
        let out = self.next().ok_or_else(not_raw)?;
        key.serialize(Key { out })
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        let Compound::Open { out, .. } = self else {
            return Err(not_raw());
        };
        out.push(b':');
        value.serialize(Writer { out })
    }
    fn end(self) -> Result<(), Error> {
        self.close()
    }
}

/// The struct traits: each field after its comma, with its key.
macro_rules! fields {
    ($($trait:ident),*) => {
        $(impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: ?Sized + Serialize>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.field(key, value)
            }
            fn end(self) -> Result<(), Error> {
                self.close()
            }
        })*
    };
}
fields!(SerializeStruct, SerializeStructVariant);

/// The methods of a serializer that takes no compound value (a newtype variant, a sequence,
/// a map, a struct...): each refused with `$error()`, and their types.
macro_rules! refuse_compounds {
    ($error:ident) => {
        type SerializeSeq = ser::Impossible<(), Error>;
        type SerializeTuple = ser::Impossible<(), Error>;
        type SerializeTupleStruct = ser::Impossible<(), Error>;
        type SerializeTupleVariant = ser::Impossible<(), Error>;
        type SerializeMap = ser::Impossible<(), Error>;
        type SerializeStruct = ser::Impossible<(), Error>;
        type SerializeStructVariant = ser::Impossible<(), Error>;

        fn serialize_newtype_variant<T: ?Sized + Serialize>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<(), Error> {
            Err($error())
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
            Err($error())
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
            Err($error())
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, Error> {
            Err($error())
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, Error> {
            Err($error())
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
            Err($error())
        }
        fn serialize_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStruct, Error> {
            Err($error())
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, Error> {
            Err($error())
        }
    };
}

/// The methods for scalars of a serializer that takes only strings: each refused.
macro_rules! refuse_scalars {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(fn $method(self, _: $ty) -> Result<(), Error> {
            Err(not_raw())
        })*
    };
}

/// A map key: a string (or a unit variant or newtype around one) is written here; any other
/// key as serde_json writes it (numbers and booleans quoted, the rest refused).
struct Key<'a> {
    out: &'a mut Vec<u8>,
}

impl Key<'_> {
    /// The key as serde_json writes it: its one-key object, without the braces.
    fn by_serde_json<T: ?Sized + Serialize>(self, key: &T) -> Result<(), Error> {
        use ser::SerializeMap as _;
        let mut object = Vec::new();
        let mut s = serde_json::Serializer::new(&mut object);
        let mut map = ser::Serializer::serialize_map(&mut s, Some(1))?;
        map.serialize_key(key)?;
        map.end()?;
        self.out
            .extend_from_slice(object.get(1..object.len() - 1).unwrap_or_default());
        Ok(())
    }
}

macro_rules! key_by_serde_json {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(fn $method(self, v: $ty) -> Result<(), Error> {
            self.by_serde_json(&v)
        })*
    };
}

impl<'a> ser::Serializer for Key<'a> {
    type Ok = ();
    type Error = Error;

    strings!();

    key_by_serde_json! {
        serialize_bool(bool), serialize_i8(i8), serialize_i16(i16), serialize_i32(i32),
        serialize_i64(i64), serialize_i128(i128), serialize_u8(u8), serialize_u16(u16),
        serialize_u32(u32), serialize_u64(u64), serialize_u128(u128), serialize_f32(f32),
        serialize_f64(f64), serialize_char(char), serialize_bytes(&[u8]),
    }

    fn serialize_none(self) -> Result<(), Error> {
        self.by_serde_json(&())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Error> {
        self.by_serde_json(&Some(value))
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.by_serde_json(&())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.by_serde_json(&())
    }
    refuse_compounds!(key_not_string);
}

/// serde_json's own refusal of a key that is not a string.
fn key_not_string() -> Error {
    ser::Error::custom("key must be a string")
}

/// The string of a raw value, copied as it is.
struct Verbatim<'a> {
    out: &'a mut Vec<u8>,
}

impl ser::Serializer for Verbatim<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.out.extend_from_slice(v.as_bytes());
        Ok(())
    }

    refuse_compounds!(not_raw);

    refuse_scalars! {
        serialize_bool(bool), serialize_i8(i8), serialize_i16(i16), serialize_i32(i32),
        serialize_i64(i64), serialize_i128(i128), serialize_u8(u8), serialize_u16(u16),
        serialize_u32(u32), serialize_u64(u64), serialize_u128(u128), serialize_f32(f32),
        serialize_f64(f64), serialize_char(char),
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(not_raw())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(not_raw())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<(), Error> {
        Err(not_raw())
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(not_raw())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        Err(not_raw())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Error> {
        Err(not_raw())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(not_raw())
    }
}
