//! Locales: every sentence a user reads passes through [`Locale::text`], keyed by its English
//! text (the gettext convention), so a second language is a table from English sentences to
//! translations and no rule changes. The engine ships English; a test renders every answer
//! through a pseudo-locale to show that nothing reaches a user around the table.

use std::borrow::Cow;

use crate::catalogue::parameters::{parameter, Parameter};

/// Turns the English words of a table into the words a user reads.
pub trait Locale: Sync {
    /// The text for `english` in this locale. Placeholders (`{session}`) must be kept.
    fn text<'a>(&self, english: &'a str) -> Cow<'a, str>;
}

/// English, the language of the tables.
#[derive(Debug, Clone, Copy, Default)]
pub struct English;

impl Locale for English {
    fn text<'a>(&self, english: &'a str) -> Cow<'a, str> {
        Cow::Borrowed(english)
    }
}

/// The English locale, for callers that want a `&'static dyn Locale`.
pub static ENGLISH: English = English;

/// Fills `{name}` placeholders with their values, and the protocol's
/// [parameters](crate::catalogue::parameters) by their names; unknown placeholders are left
/// as written.
pub fn fill(template: &str, params: &[(&str, &dyn std::fmt::Display)]) -> String {
    if !template.contains('{') {
        return template.to_owned();
    }
    fill_with(template, |name| {
        params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.to_string())
    })
}

/// [`fill`] on a template that may be borrowed: one without placeholders is given back as it
/// is, without a copy.
pub fn fill_text(
    template: Cow<'static, str>,
    params: &[(&str, &dyn std::fmt::Display)],
) -> Cow<'static, str> {
    if template.contains('{') {
        Cow::Owned(fill(&template, params))
    } else {
        template
    }
}

/// Fills `{name}` placeholders with what `value` gives for each name, then with the
/// protocol's [parameters](crate::catalogue::parameters) (`{phq9_caseness}`); a name neither
/// knows is left as written. Every words table, and every statement of the catalogue, fills
/// its templates through this one function, so a parameter's value is written once.
pub fn fill_with(template: &str, value: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let (before, after) = rest.split_at(open);
        out.push_str(before);
        let Some(close) = after.find('}') else {
            out.push_str(after);
            return out;
        };
        let name = after.get(1..close).unwrap_or_default();
        match value(name).or_else(|| parameter(name).map(Parameter::shown)) {
            Some(v) => out.push_str(&v),
            None => out.push_str(after.get(..=close).unwrap_or_default()),
        }
        rest = after.get(close + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled() {
        let n = 3;
        assert_eq!(
            fill("Session {n} of {total}.", &[("n", &n), ("total", &16)]),
            "Session 3 of 16."
        );
        assert_eq!(fill("No {x} here", &[("n", &n)]), "No {x} here");
        assert_eq!(fill("open {brace", &[("n", &n)]), "open {brace");
        // The protocol's parameters, by name, with or without other values.
        assert_eq!(fill("Caseness {phq9_caseness}.", &[]), "Caseness 10.");
        assert_eq!(
            fill_with("alpha {phq9_reliability}", |_| None),
            "alpha 0.89"
        );
    }
}
