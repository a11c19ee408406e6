//! The rule catalogue: every rule ID of the [protocol](crate::protocol), with its title,
//! kind, sources and statement, and the bibliography the sources refer to.
//!
//! Outputs cite rules through [`RuleId`], so an output can only name a rule that is in the
//! catalogue; the titles and sources shown to clinicians come from here and nowhere else.

use schemars::JsonSchema;
use serde::Serialize;

pub(crate) mod link;
pub mod parameters;
pub(crate) mod rule;
mod sources;
mod table;

pub(crate) use link::rule_link;
pub use link::Link;
pub use rule::{Rule, RuleId, RuleKind};
use sources::SOURCES;
pub use sources::{Source, SourceKind};
use table::RULES;

/// One rule as the `rules` operation serves it: its words through the locale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct RuleEntry {
    /// The stable rule ID.
    pub id: RuleId,
    /// A short title.
    pub title: String,
    /// What part of the protocol the rule belongs to.
    pub kind: RuleKind,
    /// Citations: keys of the bibliography (`sources`), with a section where one helps.
    pub sources: &'static [&'static str],
    /// The rule as `docs/protocol.md` states it.
    pub statement: String,
}

/// The whole catalogue, as served by the `rules` operation.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Catalogue {
    /// Every rule, in catalogue order.
    pub rules: Vec<RuleEntry>,
    /// The bibliography the `sources` fields refer to.
    pub sources: Vec<Source>,
}

/// A rule's statement as a person reads it: through the locale, with the protocol's
/// [parameters](parameters) filled in (the table holds `{phq9_caseness}`, a reader sees 10).
pub fn statement_in(rule: &Rule, locale: &dyn crate::locale::Locale) -> String {
    crate::locale::fill_with(&locale.text(rule.statement), |_| None)
}

/// Every rule, in catalogue order.
pub fn all() -> &'static [Rule] {
    RULES
}

/// The bibliography.
pub fn sources() -> &'static [Source] {
    SOURCES
}

/// Looks a rule up. Every [`RuleId`] has an entry; a test holds the catalogue to that.
pub fn get(id: RuleId) -> Option<&'static Rule> {
    // The table is in `RuleId` order; a test holds it to that.
    RULES.get(id as usize).filter(|r| r.id == id)
}

/// The sources of a rule, as owned strings for an output.
pub fn sources_of(id: RuleId) -> Vec<String> {
    get(id)
        .map(|r| r.sources.iter().map(|s| (*s).to_owned()).collect())
        .unwrap_or_default()
}

/// The title of a rule.
pub fn title_of(id: RuleId) -> &'static str {
    get(id).map(|r| r.title).unwrap_or("")
}

/// The whole catalogue with its bibliography.
pub fn catalogue() -> Catalogue {
    catalogue_in(&crate::locale::ENGLISH)
}

/// The whole catalogue, its titles and statements through `locale`.
pub fn catalogue_in(locale: &dyn crate::locale::Locale) -> Catalogue {
    Catalogue {
        rules: RULES
            .iter()
            .map(|r| RuleEntry {
                id: r.id,
                title: locale.text(r.title).into_owned(),
                kind: r.kind,
                sources: r.sources,
                statement: statement_in(r, locale),
            })
            .collect(),
        sources: SOURCES.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_id_has_exactly_one_entry_in_order() {
        let ids: Vec<RuleId> = RULES.iter().map(|r| r.id).collect();
        assert_eq!(ids, RuleId::ALL);
    }

    #[test]
    fn ids_round_trip_through_their_strings() {
        for id in RuleId::ALL {
            assert_eq!(RuleId::parse(id.as_str()), Some(*id));
            let json = serde_json::to_string(id).unwrap();
            assert_eq!(json, format!("\"{}\"", id.as_str()));
        }
    }

    #[test]
    fn every_cited_source_is_in_the_bibliography() {
        for rule in RULES {
            assert!(!rule.sources.is_empty(), "{} has no source", rule.id);
            for s in rule.sources {
                let key = s.split_whitespace().next().unwrap_or("");
                assert!(SOURCES.iter().any(|b| b.key == key), "{}: {s}", rule.id);
            }
        }
    }
}
