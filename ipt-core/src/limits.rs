//! The limits every way in enforces, before any clinical work starts. They are the same in
//! the Rust API, the C library, the wasm package and the CLI (each binding reads them from
//! here; the `version` operation lists them). A request over a byte limit is refused with
//! `input_too_large`; a count or length over a limit with `limit_exceeded` and the JSONPath
//! of the list or field. Together they bound the work and the answer of every call: no
//! call's time or answer grows faster than its (bounded) input.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::path::JsonPath;

/// The most bytes a request (or a course event, or a snapshot) may have: 16 MiB of UTF-8.
pub const MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;
/// The deepest nesting of arrays and objects a request may have, the request object counting
/// as one level (the JSON reader's own bound; no request shape needs more than a dozen).
pub const MAX_DEPTH: usize = 127;
/// The most events one course may hold (a snapshot's log, a replay). A 16-session course
/// records well under 100; ten years of monthly maintenance, under 1,000.
pub const MAX_EVENTS: usize = 10_000;
/// The most measures one session may record.
pub const MAX_MEASURES_PER_SESSION: usize = 8;
/// The most measures one course may record, all sessions together.
pub const MAX_MEASURES_PER_COURSE: usize = 2_000;
/// The most diagnoses an assessment may list.
pub const MAX_DIAGNOSES: usize = 32;
/// The most relationships in one inventory.
pub const MAX_RELATIONSHIPS: usize = 64;
/// The most life events in one inventory.
pub const MAX_LIFE_EVENTS: usize = 64;
/// The most items in one list (aspects, wanted changes, goals, techniques, tasks).
pub const MAX_LIST_ITEMS: usize = 32;
/// The most characters in one free-text field (a justification, a reason, a note).
pub const MAX_TEXT_CHARS: usize = 2_000;
/// The most entries one FHIR Bundle may hold (`fhir_assess`, each CDS Hooks prefetch key).
pub const MAX_BUNDLE_ENTRIES: usize = 10_000;
/// The most characters in an identifier, a code or a name (a course id, a relationship id, a
/// clinician, a diagnosis code, a language tag).
pub const MAX_ID_CHARS: usize = 64;

/// The limits, as the `version` operation reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// [`MAX_REQUEST_BYTES`]
    pub max_request_bytes: usize,
    /// [`MAX_DEPTH`]
    pub max_depth: usize,
    /// [`MAX_EVENTS`]
    pub max_events: usize,
    /// [`MAX_MEASURES_PER_SESSION`]
    pub max_measures_per_session: usize,
    /// [`MAX_MEASURES_PER_COURSE`]
    pub max_measures_per_course: usize,
    /// [`MAX_DIAGNOSES`]
    pub max_diagnoses: usize,
    /// [`MAX_RELATIONSHIPS`]
    pub max_relationships: usize,
    /// [`MAX_LIFE_EVENTS`]
    pub max_life_events: usize,
    /// [`MAX_LIST_ITEMS`]
    pub max_list_items: usize,
    /// [`MAX_TEXT_CHARS`]
    pub max_text_chars: usize,
    /// [`MAX_ID_CHARS`]
    pub max_id_chars: usize,
    /// [`MAX_BUNDLE_ENTRIES`]
    pub max_bundle_entries: usize,
}

/// The limits of this engine.
pub const LIMITS: Limits = Limits {
    max_request_bytes: MAX_REQUEST_BYTES,
    max_depth: MAX_DEPTH,
    max_events: MAX_EVENTS,
    max_measures_per_session: MAX_MEASURES_PER_SESSION,
    max_measures_per_course: MAX_MEASURES_PER_COURSE,
    max_diagnoses: MAX_DIAGNOSES,
    max_relationships: MAX_RELATIONSHIPS,
    max_life_events: MAX_LIFE_EVENTS,
    max_list_items: MAX_LIST_ITEMS,
    max_text_chars: MAX_TEXT_CHARS,
    max_id_chars: MAX_ID_CHARS,
    max_bundle_entries: MAX_BUNDLE_ENTRIES,
};

/// `input_too_large` when `text` is over [`MAX_REQUEST_BYTES`].
pub fn check_request(text: &str) -> Result<(), Error> {
    if text.len() > MAX_REQUEST_BYTES {
        return Err(Error::InputTooLarge {
            bytes: text.len(),
            max: MAX_REQUEST_BYTES,
        });
    }
    Ok(())
}

/// `limit_exceeded` at `path` when a list of `len` items has more than `max`.
pub fn check_len(
    len: usize,
    max: usize,
    what: &str,
    name: &str,
    path: impl FnOnce() -> JsonPath,
) -> Result<(), Error> {
    if len > max {
        return Err(Error::limit(path(), what, max, name));
    }
    Ok(())
}

/// `limit_exceeded` at `path` when a text has more than `max` characters. Counting stops at
/// `max + 1`, so the check is bounded by the limit, not the text.
pub fn check_chars(
    text: &str,
    max: usize,
    name: &str,
    path: impl FnOnce() -> JsonPath,
) -> Result<(), Error> {
    if text.len() > max && text.chars().nth(max).is_some() {
        return Err(Error::limit(path(), "characters", max, name));
    }
    Ok(())
}

/// [`check_chars`] with [`MAX_TEXT_CHARS`].
pub fn check_text(text: &str, path: impl FnOnce() -> JsonPath) -> Result<(), Error> {
    check_chars(text, MAX_TEXT_CHARS, "max_text_chars", path)
}

/// [`check_chars`] with [`MAX_ID_CHARS`].
pub fn check_id(text: &str, path: impl FnOnce() -> JsonPath) -> Result<(), Error> {
    check_chars(text, MAX_ID_CHARS, "max_id_chars", path)
}

pub use crate::error::{clip, clip_to};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_exactly_at_the_limit_passes_and_one_over_is_refused() {
        let at = "é".repeat(MAX_TEXT_CHARS);
        assert!(check_text(&at, || "$.x".into()).is_ok());
        let over = "é".repeat(MAX_TEXT_CHARS + 1);
        let e = check_text(&over, || "$.x".into()).unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::LimitExceeded);
        assert_eq!(e.path(), Some("$.x"));
        assert!(e.to_string().contains("max_text_chars"), "{e}");
    }

    #[test]
    fn request_exactly_at_the_byte_limit_passes_and_one_over_is_refused() {
        let at = " ".repeat(MAX_REQUEST_BYTES);
        assert!(check_request(&at).is_ok());
        let over = " ".repeat(MAX_REQUEST_BYTES + 1);
        assert_eq!(
            check_request(&over).unwrap_err().code(),
            crate::ErrorCode::InputTooLarge
        );
    }

    #[test]
    fn clip_keeps_short_texts_and_cuts_long_ones_on_a_character_boundary() {
        assert_eq!(clip("level"), "level");
        let long = "ü".repeat(1000);
        let c = clip(&long);
        assert!(c.starts_with(&"ü".repeat(64)));
        assert!(c.ends_with("(1000 characters)"), "{c}");
    }
}
