//! The text of an answer: a table's words borrowed, not copied.

use std::borrow::Cow;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::catalogue::{self, RuleId};

/// Text of an answer: a table's words borrowed as they are, interpolated text owned. It
/// serializes as a string, whichever it is.
pub type Text = Cow<'static, str>;

pub(super) fn no_text(t: &Text) -> bool {
    t.is_empty()
}

/// The sources an item cites: the catalogue's, borrowed, or (read back from JSON) owned.
/// Serialized as a list of strings, whichever it holds.
#[derive(Debug, Clone)]
pub enum Sources {
    /// A rule's sources in the catalogue.
    Catalogue(&'static [&'static str]),
    /// Sources read from an answer.
    Owned(Vec<String>),
}

impl Default for Sources {
    fn default() -> Sources {
        Sources::Catalogue(&[])
    }
}

impl Sources {
    /// A rule's sources, from the catalogue.
    pub fn of(id: RuleId) -> Sources {
        Sources::Catalogue(catalogue::get(id).map_or(&[], |r| r.sources))
    }

    /// The sources, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        let (a, b) = match self {
            Sources::Catalogue(s) => (Some(s.iter().copied()), None),
            Sources::Owned(v) => (None, Some(v.iter().map(String::as_str))),
        };
        a.into_iter().flatten().chain(b.into_iter().flatten())
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        match self {
            Sources::Catalogue(s) => s.len(),
            Sources::Owned(v) => v.len(),
        }
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The sources joined by `sep`.
    pub fn join(&self, sep: &str) -> String {
        self.iter().collect::<Vec<_>>().join(sep)
    }
}

impl PartialEq for Sources {
    fn eq(&self, other: &Sources) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Serialize for Sources {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Sources {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Sources, D::Error> {
        Vec::<String>::deserialize(d).map(Sources::Owned)
    }
}

impl JsonSchema for Sources {
    fn inline_schema() -> bool {
        <Vec<String>>::inline_schema()
    }
    fn schema_name() -> Cow<'static, str> {
        <Vec<String>>::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        <Vec<String>>::schema_id()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Vec<String>>::json_schema(g)
    }
}
