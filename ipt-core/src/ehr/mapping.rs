//! How the terminology table read each coding of the record, and the conflicts between
//! sources (D-CODE-MAP), with their words.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::catalogue::RuleId;
use crate::explain::{fill, Locale, Render};
use crate::limits::clip;
use crate::suitability;

use super::condition;
use super::terminology::{Implied, Lookup, System, TABLE_VERSION};
use super::words;
use super::{Claim, Origin};

/// How the terminology table read a coding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CodeOutcome {
    /// A row of the table maps it.
    Mapped,
    /// A code of a system the table reads that no row covers: not read.
    NotInTable,
    /// Not written as a code of its system: not read.
    MalformedCode,
    /// A terminology the table does not read: not read.
    SystemNotMapped,
    /// A system the engine does not know: not read.
    UnknownSystem,
}

/// A coding of a Condition and what the terminology table made of it (D-CODE-MAP).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeMapping {
    /// D-CODE-MAP.
    pub rule_id: RuleId,
    /// The coding.
    #[serde(flatten)]
    pub origin: Origin,
    /// `Coding.system`, as given.
    pub system: String,
    /// `Coding.code`, as given.
    pub code: String,
    /// How the table read it.
    pub outcome: CodeOutcome,
    /// The terminology, when the table reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminology: Option<System>,
    /// The category it maps to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<suitability::DiagnosisCategory>,
    /// The course it states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub course: Option<suitability::IllnessCourse>,
    /// The phase it states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<suitability::IllnessPhase>,
    /// The finding it implies present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implies: Option<Implied>,
    /// The version of the table that read it.
    pub table_version: String,
    /// One line.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// Why, with the code's title.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rationale: String,
}

/// Sources that disagree on an input: it is left unknown (D-CODE-MAP).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Conflict {
    /// D-CODE-MAP.
    pub rule_id: RuleId,
    /// The input (`$.findings.active_psychosis`).
    pub input: String,
    /// Each value given, with its sources.
    pub claims: Vec<Claim>,
    /// One line.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// Why it is left unknown.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub rationale: String,
}

pub(crate) fn conflict(input: &str, claims: Vec<Claim>, r: Render<'_>) -> Conflict {
    let locale = r.locale;
    let label = words::label(input, |_| None, locale);
    let values = claims
        .iter()
        .map(|c| serde_json::to_string(&c.value).unwrap_or_default())
        .collect::<Vec<_>>()
        .join(", ");
    Conflict {
        rule_id: RuleId::DCodeMap,
        input: input.to_owned(),
        summary: r.words(words::CONFLICT, &[("input", &label)]),
        rationale: r.words(
            words::CONFLICT_WHY,
            &[("input", &label), ("values", &values)],
        ),
        claims,
    }
}

pub(crate) fn mapping(cr: condition::CodingRead, r: Render<'_>) -> CodeMapping {
    let mut m = mapping_explained(cr, r.locale);
    if !r.explained() {
        m.summary.clear();
        m.rationale.clear();
    }
    m
}

fn mapping_explained(cr: condition::CodingRead, locale: &dyn Locale) -> CodeMapping {
    let code = clip(&cr.code).into_owned();
    let version = TABLE_VERSION;
    let mut m = CodeMapping {
        rule_id: RuleId::DCodeMap,
        origin: cr.origin,
        system: cr.system.clone(),
        code: code.clone(),
        outcome: CodeOutcome::Mapped,
        terminology: None,
        category: None,
        course: None,
        phase: None,
        implies: None,
        table_version: version.to_owned(),
        summary: String::new(),
        rationale: String::new(),
    };
    let (outcome, system, summary, why) = match cr.lookup {
        Lookup::Mapped(row) => {
            m.category = Some(row.category);
            m.course = row.course;
            m.phase = row.phase;
            m.implies = row.implies;
            m.terminology = Some(row.system);
            let mut parts = vec![locale.text(words::category(row.category)).into_owned()];
            parts.extend(
                row.course
                    .map(|c| locale.text(words::course(c)).into_owned()),
            );
            parts.extend(row.phase.map(|p| locale.text(words::phase(p)).into_owned()));
            let mut mapping = parts.join(", ");
            if let Some(i) = row.implies {
                mapping.push_str("; ");
                mapping.push_str(&locale.text(words::implied(i)));
            }
            let system = row.system.label();
            m.summary = fill(
                &locale.text(words::MAPPED),
                &[("system", &system), ("code", &code), ("mapping", &mapping)],
            );
            m.rationale = fill(
                &locale.text(words::MAPPED_WHY),
                &[
                    ("system", &system),
                    ("code", &code),
                    ("title", &locale.text(row.title)),
                    ("version", &version),
                    ("mapping", &mapping),
                ],
            );
            return m;
        }
        Lookup::NotInTable(s) => {
            m.terminology = Some(s);
            (
                CodeOutcome::NotInTable,
                s.label(),
                words::NOT_IN_TABLE,
                words::NOT_IN_TABLE_WHY,
            )
        }
        Lookup::Malformed(s) => {
            m.terminology = Some(s);
            (
                CodeOutcome::MalformedCode,
                s.label(),
                words::MALFORMED,
                words::MALFORMED_WHY,
            )
        }
        Lookup::SystemNotMapped(name) => (
            CodeOutcome::SystemNotMapped,
            name,
            words::SYSTEM_NOT_MAPPED,
            words::SYSTEM_NOT_MAPPED_WHY,
        ),
        Lookup::UnknownSystem => (
            CodeOutcome::UnknownSystem,
            cr.system.as_str(),
            words::UNKNOWN_SYSTEM,
            words::UNKNOWN_SYSTEM_WHY,
        ),
    };
    let params: [(&str, &dyn std::fmt::Display); 3] =
        [("system", &system), ("code", &code), ("version", &version)];
    m.outcome = outcome;
    m.summary = fill(&locale.text(summary), &params);
    m.rationale = fill(&locale.text(why), &params);
    m
}
