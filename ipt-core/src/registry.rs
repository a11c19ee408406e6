//! Which function decides each rule: every domain links its rules to their functions in one
//! table (as a rules engine registers its built-ins), and [`registry`] gathers the tables.
//! A link names its function in code, so a renamed function breaks the build; a test holds
//! the registry to the catalogue: every rule linked exactly once.

use crate::catalogue::{Link, RuleId};

/// Every rule linked to the function that decides it, domain by domain: suitability,
/// readiness, problem areas and techniques, measures, the course, coded records.
pub fn registry() -> Vec<Link> {
    crate::suitability::LINKS
        .iter()
        .chain(crate::readiness::LINKS)
        .chain(crate::areas::links::LINKS)
        .chain(crate::measures::links::LINKS)
        .chain(crate::course::links::links())
        .chain(crate::ehr::links::LINKS)
        .copied()
        .collect()
}

/// The link of a rule: the function that decides it.
pub fn link_of(rule: RuleId) -> Option<Link> {
    registry().into_iter().find(|l| l.rule == rule)
}
