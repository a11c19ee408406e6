//! Bounded integer newtypes: an out-of-range value is rejected while parsing, with the path
//! of the field, and the bounds appear in the JSON Schema.

/// Defines a `u32`-backed newtype accepting `min..=max`.
macro_rules! bounded_int {
    ($(#[$doc:meta])* $name:ident, $min:expr, $max:expr, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(try_from = "i64", into = "u32")]
        pub struct $name(u32);

        impl $name {
            /// The smallest accepted value.
            pub const MIN: u32 = $min;
            /// The largest accepted value.
            pub const MAX: u32 = $max;

            /// The value, if it is in range.
            pub fn new(value: u32) -> Option<$name> {
                (Self::MIN..=Self::MAX).contains(&value).then_some($name(value))
            }

            /// The value.
            pub const fn get(self) -> u32 {
                self.0
            }
        }

        impl TryFrom<i64> for $name {
            type Error = String;
            fn try_from(value: i64) -> Result<$name, String> {
                u32::try_from(value)
                    .ok()
                    .and_then($name::new)
                    .ok_or_else(|| format!("{} must be between {} and {}, got {}", $what, $min, $max, value))
            }
        }

        impl From<$name> for u32 {
            fn from(value: $name) -> u32 {
                value.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "integer",
                    "minimum": $min,
                    "maximum": $max,
                    "description": $what,
                })
            }
        }
    };
}

pub(crate) use bounded_int;
