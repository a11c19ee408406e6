//! Internally tagged enums (`{"type": "x", ...}`) read through an externally tagged mirror,
//! so an error inside a variant names its field, and a repeated key is refused.

use serde::de::DeserializeOwned;

use super::strict::Strict;
use super::NESTED_PATH_MARK;

/// An object read strictly: a repeated key is an error, not "the last one wins".
pub(crate) struct StrictObject(pub serde_json::Map<String, serde_json::Value>);

impl<'de> serde::Deserialize<'de> for StrictObject {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = StrictObject;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<StrictObject, A::Error> {
                let mut out = serde_json::Map::new();
                while let Some(k) = m.next_key::<String>()? {
                    if out.contains_key(&k) {
                        return Err(serde::de::Error::custom(format_args!(
                            "duplicate field `{k}`"
                        )));
                    }
                    let v = m.next_value()?;
                    out.insert(k, v);
                }
                Ok(StrictObject(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Deserializes an internally tagged enum (`{"type": "x", ...fields}`) through its
/// externally tagged mirror `E`, so that errors inside a variant name their field's path
/// (serde buffers internally tagged content and loses it) and repeated keys are refused.
pub(crate) fn tagged<'de, D, E, T>(d: D, tag: &str) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    E: DeserializeOwned + Into<T>,
{
    use serde::de::Error as _;
    let StrictObject(mut map) = serde::Deserialize::deserialize(d)?;
    let kind = match map.remove(tag) {
        Some(serde_json::Value::String(s)) => s,
        Some(_) => return Err(D::Error::custom(format_args!("`{tag}` must be a string"))),
        None => return Err(D::Error::missing_field("type")),
    };
    let mut outer = serde_json::Map::new();
    outer.insert(kind, serde_json::Value::Object(map));
    serde_path_to_error::deserialize::<_, E>(Strict(serde_json::Value::Object(outer)))
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
            D::Error::custom(format_args!(
                "{NESTED_PATH_MARK}{inner}{NESTED_PATH_MARK}{message}"
            ))
        })
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
