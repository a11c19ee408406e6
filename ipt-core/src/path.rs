//! A JSONPath into a request (`$.diagnoses[0].phase`): what every error and every input used
//! or missing names. Paths are built by appending keys and indices, and an error found inside
//! a nested document (an event in a log, a snapshot in a request) is moved under its parent's
//! path in one place, [`JsonPath::under`].

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A JSONPath in the dot-and-bracket form: `$`, `$.a.b`, `$.a[3].b`.
///
/// Keys are written as they are (the engine's field names are `snake_case` identifiers).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct JsonPath(String);

impl JsonPath {
    /// `$`, the whole request.
    pub fn root() -> JsonPath {
        JsonPath("$".to_owned())
    }

    /// This path with `.key` appended.
    #[must_use]
    pub fn key(&self, key: &str) -> JsonPath {
        let mut s = String::with_capacity(self.0.len() + key.len() + 1);
        s.push_str(&self.0);
        s.push('.');
        s.push_str(key);
        JsonPath(s)
    }

    /// This path with `[index]` appended.
    #[must_use]
    pub fn index(&self, index: usize) -> JsonPath {
        JsonPath(format!("{}[{index}]", self.0))
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// This path, relative to its own root, moved under `parent`: `$.date` under
    /// `$.events[3]` is `$.events[3].date`. A path that does not start at `$` is kept.
    #[must_use]
    pub fn under(&self, parent: &JsonPath) -> JsonPath {
        match self.0.strip_prefix('$') {
            Some(rest) => JsonPath(format!("{}{rest}", parent.0)),
            None => self.clone(),
        }
    }

    /// This path with `prefix` (a path) replaced by `to`, when it starts with it.
    #[must_use]
    pub fn moved(&self, prefix: &JsonPath, to: &JsonPath) -> JsonPath {
        match self.0.strip_prefix(prefix.as_str()) {
            Some(rest) if rest.is_empty() || rest.starts_with(['.', '[']) => {
                JsonPath(format!("{}{rest}", to.0))
            }
            _ => self.clone(),
        }
    }

    /// Whether this path is `other` or lies under it.
    pub fn starts_with(&self, other: &JsonPath) -> bool {
        self.0
            .strip_prefix(other.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
    }
}

impl Default for JsonPath {
    fn default() -> JsonPath {
        JsonPath::root()
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for JsonPath {
    fn from(s: &str) -> JsonPath {
        JsonPath(s.to_owned())
    }
}

impl From<String> for JsonPath {
    fn from(s: String) -> JsonPath {
        JsonPath(s)
    }
}

impl From<&String> for JsonPath {
    fn from(s: &String) -> JsonPath {
        JsonPath(s.clone())
    }
}

impl From<&JsonPath> for JsonPath {
    fn from(p: &JsonPath) -> JsonPath {
        p.clone()
    }
}

impl PartialEq<str> for JsonPath {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for JsonPath {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl JsonSchema for JsonPath {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "JsonPath".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A JSONPath into the request, for example `$.diagnoses[0].phase`.",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_built_and_moved() {
        let p = JsonPath::root().key("diagnoses").index(2).key("phase");
        assert_eq!(p.as_str(), "$.diagnoses[2].phase");
        let ev = JsonPath::root().key("events").index(3);
        assert_eq!(
            JsonPath::from("$.date").under(&ev).as_str(),
            "$.events[3].date"
        );
        assert_eq!(JsonPath::root().under(&ev), ev);
        let event = JsonPath::from("$.event");
        assert_eq!(
            JsonPath::from("$.event.measures[0]")
                .moved(&event, &ev)
                .as_str(),
            "$.events[3].measures[0]"
        );
        // `$.events` does not start with `$.event`.
        assert_eq!(
            JsonPath::from("$.events").moved(&event, &ev).as_str(),
            "$.events"
        );
        assert!(p.starts_with(&JsonPath::from("$.diagnoses")));
        assert!(!p.starts_with(&JsonPath::from("$.diag")));
    }
}
