//! Internally tagged enums (`{"type": "x", ...}`) read through an externally tagged mirror,
//! so an error inside a variant names its field, and a repeated key is refused.

use serde::de::DeserializeOwned;
use serde::Deserialize as _;

use super::strict::Strict;

/// Marks a path inside an error message from a nested parse (an internally tagged enum), so the
/// path can be joined to the path of the enum's value: `MARK path MARK message`.
pub(crate) const NESTED_PATH_MARK: char = '\u{1f}';

/// Deserializes an internally tagged enum (`{"type": "x", ...fields}`) through its
/// externally tagged mirror `E`, so that errors inside a variant name their field's path
/// (serde buffers internally tagged content and loses it) and repeated keys are refused.
///
/// When the tag comes first, as the engine writes it, the variant's fields are read straight
/// from the input, with no buffering; otherwise the object is buffered and read again.
pub(crate) fn tagged<'de, D, E, T>(d: D, tag: &'static str) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    E: DeserializeOwned + Into<T>,
{
    d.deserialize_map(TaggedVisitor::<E, T> {
        tag,
        marker: std::marker::PhantomData,
    })
}

struct TaggedVisitor<E, T> {
    tag: &'static str,
    marker: std::marker::PhantomData<fn() -> (E, T)>,
}

impl<'de, E: DeserializeOwned + Into<T>, T> serde::de::Visitor<'de> for TaggedVisitor<E, T> {
    type Value = T;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<T, A::Error> {
        let first = m.next_key::<String>()?;
        if first.as_deref() == Some(self.tag) {
            let kind = m.next_value_seed(TagSeed::<E> {
                tag: self.tag,
                marker: std::marker::PhantomData,
            })?;
            return E::deserialize(Variant { kind, map: m }).map(Into::into);
        }
        let mut out = serde_json::Map::new();
        let mut key = first;
        while let Some(k) = key {
            if out.contains_key(&k) {
                return Err(serde::de::Error::custom(format_args!(
                    "duplicate field `{k}`"
                )));
            }
            let v = m.next_value()?;
            out.insert(k, v);
            key = m.next_key::<String>()?;
        }
        buffered::<E, T, A::Error>(out, self.tag)
    }
}

/// The tag's value, refused at the tag's own path when it is not a string or names no
/// variant of `E`.
struct TagSeed<E> {
    tag: &'static str,
    marker: std::marker::PhantomData<fn() -> E>,
}

impl<'de, E: DeserializeOwned> serde::de::DeserializeSeed<'de> for TagSeed<E> {
    type Value = String;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        use serde::de::Error as _;
        let tag = self.tag;
        let serde_json::Value::String(kind) = serde_json::Value::deserialize(d)? else {
            return Err(D::Error::custom(format_args!("`{tag}` must be a string")));
        };
        // The variant is looked up now, so that an unknown one is reported at the tag.
        match E::deserialize(Variant {
            kind: kind.as_str().to_owned(),
            map: Probe,
        }) {
            Err(ProbeError(message)) if message.starts_with("unknown variant") => {
                Err(D::Error::custom(message))
            }
            _ => Ok(kind),
        }
    }
}

/// The buffered route: the object taken apart into the mirror's externally tagged form.
fn buffered<E, T, Er>(
    mut map: serde_json::Map<String, serde_json::Value>,
    tag: &str,
) -> Result<T, Er>
where
    E: DeserializeOwned + Into<T>,
    Er: serde::de::Error,
{
    let kind = match map.remove(tag) {
        Some(serde_json::Value::String(s)) => s,
        Some(_) => {
            return Err(Er::custom(format_args!(
                "{NESTED_PATH_MARK}{tag}{NESTED_PATH_MARK}`{tag}` must be a string"
            )))
        }
        None => return Err(Er::missing_field("type")),
    };
    let mut outer = serde_json::Map::new();
    outer.insert(kind, serde_json::Value::Object(map));
    let outer = serde_json::Value::Object(outer);
    // Read plainly first; only a failure is read again tracking the path, to name the field.
    if let Ok(value) = E::deserialize(Strict(&outer)) {
        return Ok(value.into());
    }
    serde_path_to_error::deserialize::<_, E>(Strict(&outer))
        .map(Into::into)
        .map_err(|e| {
            // The path starts with the variant's key; what follows is inside the event.
            let path = e.path().to_string();
            let message = e.into_inner().to_string();
            // An unknown variant is the tag's value; other errors lie inside the variant.
            let inner = if message.starts_with("unknown variant") {
                tag.to_owned()
            } else {
                path.split_once('.').map_or("", |(_, rest)| rest).to_owned()
            };
            Er::custom(format_args!(
                "{NESTED_PATH_MARK}{inner}{NESTED_PATH_MARK}{message}"
            ))
        })
}

/// An externally tagged enum's view of `{"type": kind, rest...}` once the tag is read: the
/// variant named `kind`, its fields the rest of the map.
struct Variant<M> {
    kind: String,
    map: M,
}

impl<'de, M: serde::de::MapAccess<'de>> serde::Deserializer<'de> for Variant<M> {
    type Error = M::Error;
    fn deserialize_any<V: serde::de::Visitor<'de>>(self, v: V) -> Result<V::Value, M::Error> {
        v.visit_enum(self)
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

impl<'de, M: serde::de::MapAccess<'de>> serde::de::EnumAccess<'de> for Variant<M> {
    type Error = M::Error;
    type Variant = Fields<M>;
    fn variant_seed<S: serde::de::DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Fields<M>), M::Error> {
        use serde::de::IntoDeserializer as _;
        let value = seed.deserialize(self.kind.into_deserializer())?;
        Ok((value, Fields(self.map)))
    }
}

/// A variant's fields: the rest of the object the tag was read from.
struct Fields<M>(M);

impl<'de, M: serde::de::MapAccess<'de>> serde::de::VariantAccess<'de> for Fields<M> {
    type Error = M::Error;
    fn unit_variant(self) -> Result<(), M::Error> {
        Err(serde::de::Error::custom("expected a variant with fields"))
    }
    fn newtype_variant_seed<S: serde::de::DeserializeSeed<'de>>(
        self,
        _: S,
    ) -> Result<S::Value, M::Error> {
        Err(serde::de::Error::custom("expected a variant with fields"))
    }
    fn tuple_variant<V: serde::de::Visitor<'de>>(
        self,
        _: usize,
        _: V,
    ) -> Result<V::Value, M::Error> {
        Err(serde::de::Error::custom("expected a variant with fields"))
    }
    fn struct_variant<V: serde::de::Visitor<'de>>(
        self,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, M::Error> {
        visitor.visit_map(self.0)
    }
}

/// A map with no entries whose reads fail: looking a variant up without reading its fields.
struct Probe;

#[derive(Debug)]
struct ProbeError(String);

impl std::fmt::Display for ProbeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ProbeError {}

impl serde::de::Error for ProbeError {
    fn custom<M: std::fmt::Display>(message: M) -> ProbeError {
        ProbeError(message.to_string())
    }
}

impl<'de> serde::de::MapAccess<'de> for Probe {
    type Error = ProbeError;
    fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(
        &mut self,
        _: K,
    ) -> Result<Option<K::Value>, ProbeError> {
        Err(ProbeError(String::new()))
    }
    fn next_value_seed<V: serde::de::DeserializeSeed<'de>>(
        &mut self,
        _: V,
    ) -> Result<V::Value, ProbeError> {
        Err(ProbeError(String::new()))
    }
}

/// Defines an internally tagged enum (`{"type": "variant", ...fields}`, struct variants only)
/// that serializes as usual and deserializes through an externally tagged mirror (see
/// [`tagged`]), so an error inside a variant names its field and a repeated key is refused.
/// Give the enum's derives without `Deserialize`.
macro_rules! tagged_enum {
    (
        $(#[$em:meta])*
        pub enum $name:ident {
            $(
                $(#[$vm:meta])*
                $variant:ident { $( $(#[$fm:meta])* $field:ident : $ty:ty ),* $(,)? }
            ),* $(,)?
        }
    ) => {
        $(#[$em])*
        pub enum $name {
            $( $(#[$vm])* $variant { $( $(#[$fm])* $field: $ty ),* } ),*
        }

        const _: () = {
            #[derive(serde::Deserialize)]
            #[serde(rename_all = "snake_case", deny_unknown_fields)]
            enum Mirror {
                $( $variant { $( $(#[$fm])* $field: $ty ),* } ),*
            }

            impl From<Mirror> for $name {
                fn from(m: Mirror) -> $name {
                    match m {
                        $( Mirror::$variant { $($field),* } => $name::$variant { $($field),* } ),*
                    }
                }
            }

            impl<'de> serde::Deserialize<'de> for $name {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                    $crate::parse::tagged::<D, Mirror, $name>(d, "type")
                }
            }
        };
    };
}

pub(crate) use tagged_enum;
