//! A deserializer wrapper that reads structs only from JSON objects.
//!
//! serde's derived structs also accept a JSON array and read it positionally, so
//! `{"findings": ["present"]}` would set the first finding and give a clinical answer from
//! malformed input. [`Strict`] wraps any deserializer and, at every level, refuses a sequence
//! where a struct (or a struct variant) is expected, with the path of the offending value when
//! the parse tracks paths.

use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

/// A deserializer whose structs accept only objects, at every depth.
pub struct Strict<D>(pub D);

/// A seed whose deserializer is made strict.
struct Seed<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<S> {
    type Value = S::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Strict(d))
    }
}

/// A visitor whose nested deserializers are made strict; `objects_only` refuses sequences.
struct V<X> {
    inner: X,
    objects_only: bool,
}

impl<X> V<X> {
    fn any(inner: X) -> V<X> {
        V {
            inner,
            objects_only: false,
        }
    }
    fn object(inner: X) -> V<X> {
        V {
            inner,
            objects_only: true,
        }
    }
}

macro_rules! forward_visit {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(
            fn $method<E: de::Error>(self, v: $ty) -> Result<X::Value, E> {
                self.inner.$method(v)
            }
        )*
    };
}

impl<'de, X: Visitor<'de>> Visitor<'de> for V<X> {
    type Value = X::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.expecting(f)
    }

    forward_visit! {
        visit_bool(bool), visit_i8(i8), visit_i16(i16), visit_i32(i32), visit_i64(i64),
        visit_i128(i128), visit_u8(u8), visit_u16(u16), visit_u32(u32), visit_u64(u64),
        visit_u128(u128), visit_f32(f32), visit_f64(f64), visit_char(char), visit_str(&str),
        visit_borrowed_str(&'de str), visit_string(String), visit_bytes(&[u8]),
        visit_borrowed_bytes(&'de [u8]), visit_byte_buf(Vec<u8>),
    }

    fn visit_none<E: de::Error>(self) -> Result<X::Value, E> {
        self.inner.visit_none()
    }
    fn visit_unit<E: de::Error>(self) -> Result<X::Value, E> {
        self.inner.visit_unit()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<X::Value, D::Error> {
        self.inner.visit_some(Strict(d))
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<X::Value, D::Error> {
        self.inner.visit_newtype_struct(Strict(d))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<X::Value, A::Error> {
        if self.objects_only {
            return Err(de::Error::invalid_type(
                de::Unexpected::Seq,
                &"a JSON object",
            ));
        }
        self.inner.visit_seq(Seq(seq))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<X::Value, A::Error> {
        self.inner.visit_map(Map(map))
    }
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<X::Value, A::Error> {
        self.inner.visit_enum(Enum(data))
    }
}

struct Seq<A>(A);

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Seq<A> {
    type Error = A::Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Seed(seed))
    }
    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

struct Map<A>(A);

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Map<A> {
    type Error = A::Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(Seed(seed))
    }
    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(Seed(seed))
    }
    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

struct Enum<A>(A);

impl<'de, A: EnumAccess<'de>> EnumAccess<'de> for Enum<A> {
    type Error = A::Error;
    type Variant = Variant<A::Variant>;
    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self::Variant), A::Error> {
        self.0
            .variant_seed(Seed(seed))
            .map(|(value, variant)| (value, Variant(variant)))
    }
}

struct Variant<A>(A);

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for Variant<A> {
    type Error = A::Error;
    fn unit_variant(self) -> Result<(), A::Error> {
        self.0.unit_variant()
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        self.0.newtype_variant_seed(Seed(seed))
    }
    fn tuple_variant<X: Visitor<'de>>(self, len: usize, visitor: X) -> Result<X::Value, A::Error> {
        self.0.tuple_variant(len, V::any(visitor))
    }
    fn struct_variant<X: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: X,
    ) -> Result<X::Value, A::Error> {
        self.0.struct_variant(fields, V::object(visitor))
    }
}

macro_rules! forward_deserialize {
    ($($method:ident),* $(,)?) => {
        $(
            fn $method<X: Visitor<'de>>(self, visitor: X) -> Result<X::Value, D::Error> {
                self.0.$method(V::any(visitor))
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Strict<D> {
    type Error = D::Error;

    forward_deserialize! {
        deserialize_any, deserialize_bool, deserialize_i8, deserialize_i16, deserialize_i32,
        deserialize_i64, deserialize_i128, deserialize_u8, deserialize_u16, deserialize_u32,
        deserialize_u64, deserialize_u128, deserialize_f32, deserialize_f64, deserialize_char,
        deserialize_str, deserialize_string, deserialize_bytes, deserialize_byte_buf,
        deserialize_option, deserialize_unit, deserialize_seq, deserialize_map,
        deserialize_identifier, deserialize_ignored_any,
    }

    fn deserialize_unit_struct<X: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: X,
    ) -> Result<X::Value, D::Error> {
        self.0.deserialize_unit_struct(name, V::any(visitor))
    }
    fn deserialize_newtype_struct<X: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: X,
    ) -> Result<X::Value, D::Error> {
        self.0.deserialize_newtype_struct(name, V::any(visitor))
    }
    fn deserialize_tuple<X: Visitor<'de>>(
        self,
        len: usize,
        visitor: X,
    ) -> Result<X::Value, D::Error> {
        self.0.deserialize_tuple(len, V::any(visitor))
    }
    fn deserialize_tuple_struct<X: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: X,
    ) -> Result<X::Value, D::Error> {
        self.0.deserialize_tuple_struct(name, len, V::any(visitor))
    }
    fn deserialize_struct<X: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: X,
    ) -> Result<X::Value, D::Error> {
        self.0.deserialize_struct(name, fields, V::object(visitor))
    }
    fn deserialize_enum<X: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: X,
    ) -> Result<X::Value, D::Error> {
        self.0.deserialize_enum(name, variants, V::any(visitor))
    }
    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}
