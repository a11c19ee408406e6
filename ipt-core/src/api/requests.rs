//! Request wrappers shared by every operation: the detail level a caller asks for, read from
//! the request object beside the operation's own fields.

use std::marker::PhantomData;

use schemars::JsonSchema;
use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::explain::Detail;

/// A request with an optional `"detail": "decision" | "explained"` member beside the
/// operation's own fields (`explained` when omitted).
#[derive(Debug, Clone, PartialEq)]
pub struct WithDetail<T> {
    /// The detail level asked for.
    pub detail: Detail,
    /// The operation's request.
    pub body: T,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for WithDetail<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = WithDetail<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<WithDetail<T>, A::Error> {
                let mut detail = None;
                let body = T::deserialize(de::value::MapAccessDeserializer::new(Filter {
                    inner: map,
                    detail: &mut detail,
                }))?;
                Ok(WithDetail {
                    detail: detail.unwrap_or_default(),
                    body,
                })
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

/// The request's map with `detail` taken out.
struct Filter<'a, A> {
    inner: A,
    detail: &'a mut Option<Detail>,
}

enum Key<V> {
    Detail,
    Other(V),
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Filter<'_, A> {
    type Error = A::Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let mut seed = Some(seed);
        loop {
            let Some(s) = seed.take() else {
                return Ok(None);
            };
            // The seed is consumed by a key; `detail` consumes none, so keep it for the next.
            let mut kept = None;
            let key = self.inner.next_key_seed(Keep {
                seed: s,
                kept: &mut kept,
            })?;
            match key {
                None => return Ok(None),
                Some(Key::Other(v)) => return Ok(Some(v)),
                Some(Key::Detail) => {
                    if self.detail.is_some() {
                        return Err(de::Error::duplicate_field("detail"));
                    }
                    *self.detail = Some(self.inner.next_value()?);
                    seed = kept;
                }
            }
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.inner.next_value_seed(seed)
    }
}

/// Reads a key: `detail` is ours (and the operation's seed is given back for the next key),
/// any other key goes to the operation's own seed. Both are read inside the inner map's
/// `next_key_seed`, so a tracked parse names the key's path.
struct Keep<'a, K> {
    seed: K,
    kept: &'a mut Option<K>,
}

impl<'de, K: DeserializeSeed<'de>> DeserializeSeed<'de> for Keep<'_, K> {
    type Value = Key<K::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, K: DeserializeSeed<'de>> Visitor<'de> for Keep<'_, K> {
    type Value = Key<K::Value>;
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v == "detail" {
            *self.kept = Some(self.seed);
            Ok(Key::Detail)
        } else {
            self.seed.deserialize(v.into_deserializer()).map(Key::Other)
        }
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        if v == "detail" {
            *self.kept = Some(self.seed);
            Ok(Key::Detail)
        } else {
            self.seed
                .deserialize(de::value::BorrowedStrDeserializer::new(v))
                .map(Key::Other)
        }
    }
}

impl<T: Serialize> Serialize for WithDetail<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.body.serialize(s)
    }
}

impl<T: JsonSchema> JsonSchema for WithDetail<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut schema = T::json_schema(generator);
        let detail = generator.subschema_for::<Detail>();
        if let Some(props) = schema
            .ensure_object()
            .entry("properties")
            .or_insert_with(|| serde_json::json!({}))
            .as_object_mut()
        {
            let mut detail = detail.to_value();
            if let Some(d) = detail.as_object_mut() {
                d.insert(
                    "description".to_owned(),
                    "How much of the answer to render: `decision` (no prose) or `explained` (the default).".into(),
                );
            }
            props.insert("detail".to_owned(), detail);
        }
        schema
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Req {
        #[serde(default)]
        age: u8,
    }

    #[test]
    fn detail_is_read_beside_the_fields() {
        let r: WithDetail<Req> = parse(r#"{"age": 3, "detail": "decision"}"#).unwrap();
        assert_eq!((r.detail, r.body), (Detail::Decision, Req { age: 3 }));
        let r: WithDetail<Req> = parse(r#"{"detail": "explained"}"#).unwrap();
        assert_eq!((r.detail, r.body), (Detail::Explained, Req { age: 0 }));
        let r: WithDetail<Req> = parse(r#"{"age": 1}"#).unwrap();
        assert_eq!(r.detail, Detail::Explained);
        let e = parse::<WithDetail<Req>>(r#"{"detail": "terse"}"#).unwrap_err();
        assert_eq!(e.path(), Some("$.detail"));
        let e = parse::<WithDetail<Req>>(r#"{"detail": "decision", "detail": "explained"}"#)
            .unwrap_err();
        assert!(e.to_string().contains("duplicate field `detail`"), "{e}");
        let e = parse::<WithDetail<Req>>(r#"{"agee": 1}"#).unwrap_err();
        assert_eq!(e.path(), Some("$.agee"));
        assert!(e.to_string().contains("did you mean `age`"), "{e}");
        let e = parse::<WithDetail<Req>>(r#"{"age": 300}"#).unwrap_err();
        assert_eq!(e.path(), Some("$.age"));
    }
}
