//! Service readiness ([protocol](crate::protocol#service-readiness), S1 §II.E-F): evaluated on
//! a service profile, not on a patient. Each R-* rule is one function returning a typed
//! outcome; the readiness is decided from the outcomes; the words are in [`WORDS`] and rendered
//! at the edge.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::catalogue::{rule_link, Link, RuleId};
use crate::explain::{
    Detail, Explanation, Indicator, InputUsed, Locale, RuleStatus, RulesByStatus, Words, ENGLISH,
};
use crate::findings::Finding;
use crate::suitability::Format;

/// What a service has in place to deliver IPT.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceProfile {
    /// IPT manuals are available (R-MANUALS).
    #[serde(default)]
    pub manuals_available: Finding,
    /// Space for group therapy is available (R-GROUP-SPACE).
    #[serde(default)]
    pub group_space: Finding,
    /// Therapists have a working knowledge of IPT (R-TRAINING).
    #[serde(default)]
    pub therapists_trained: Finding,
    /// A manual-trained therapist is available for consultation (R-CONSULTATION).
    #[serde(default)]
    pub consultation_available: Finding,
    /// The formats the service offers or plans; group space is needed only for `group`.
    #[serde(default)]
    pub formats: Vec<Format>,
}

/// Whether the service is ready to deliver IPT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Readiness {
    /// Every requirement is met.
    Ready,
    /// At least one requirement is not met.
    NotReady,
    /// No requirement is known to be unmet, but at least one is not yet known.
    Indeterminate,
}

/// Why a readiness rule came out as it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReadinessCase {
    /// In place.
    InPlace,
    /// Not in place.
    Missing,
    /// Not yet known.
    Unknown,
    /// Not required (group space without the group format).
    NotRequired,
}

/// The outcome of one readiness rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadinessOutcome {
    /// The rule.
    pub rule: RuleId,
    /// How it applies.
    pub status: RuleStatus,
    /// Why.
    pub case: ReadinessCase,
    /// The profile field it read.
    pub field: &'static str,
    /// The finding it read (`None` when it read the formats: group space not required).
    pub finding: Option<Finding>,
}

fn requirement(rule: RuleId, field: &'static str, f: Finding) -> ReadinessOutcome {
    let case = match f {
        Finding::Present => ReadinessCase::InPlace,
        Finding::Absent => ReadinessCase::Missing,
        Finding::Unknown => ReadinessCase::Unknown,
    };
    ReadinessOutcome {
        rule,
        status: RuleStatus::of(f),
        case,
        field,
        finding: Some(f),
    }
}

/// R-MANUALS: IPT manuals are available.
pub fn r_manuals(p: &ServiceProfile) -> ReadinessOutcome {
    requirement(RuleId::RManuals, "$.manuals_available", p.manuals_available)
}

/// R-GROUP-SPACE: space for groups, when the group format is offered.
pub fn r_group_space(p: &ServiceProfile) -> ReadinessOutcome {
    if p.formats.contains(&Format::Group) {
        requirement(RuleId::RGroupSpace, "$.group_space", p.group_space)
    } else {
        ReadinessOutcome {
            rule: RuleId::RGroupSpace,
            status: RuleStatus::NotApplicable,
            case: ReadinessCase::NotRequired,
            field: "$.formats",
            finding: None,
        }
    }
}

/// R-TRAINING: therapists have a working knowledge of IPT.
pub fn r_training(p: &ServiceProfile) -> ReadinessOutcome {
    requirement(
        RuleId::RTraining,
        "$.therapists_trained",
        p.therapists_trained,
    )
}

/// R-CONSULTATION: a manual-trained therapist is available for consultation.
pub fn r_consultation(p: &ServiceProfile) -> ReadinessOutcome {
    requirement(
        RuleId::RConsultation,
        "$.consultation_available",
        p.consultation_available,
    )
}

/// A readiness rule: reads the service profile, gives its outcome.
pub type ReadinessFn = fn(&ServiceProfile) -> ReadinessOutcome;

macro_rules! readiness_rules {
    ($($rule:ident => $function:ident,)+) => {
        /// The readiness rules, each with its function, in answer order.
        pub static RULES: &[(RuleId, ReadinessFn)] = &[$((RuleId::$rule, $function),)+];

        /// The readiness rules linked to the functions that decide them.
        pub static LINKS: &[Link] = &[$(rule_link!($rule => crate::readiness::$function),)+];
    };
}

readiness_rules! {
    RManuals => r_manuals,
    RGroupSpace => r_group_space,
    RTraining => r_training,
    RConsultation => r_consultation,
}

const fn w(indicator: Indicator, summary: &'static str, rationale: &'static str) -> Words {
    Words {
        indicator,
        summary,
        rationale,
    }
}

/// The words of readiness: every (rule, case).
pub static WORDS: &[(RuleId, ReadinessCase, Words)] = &[
    (RuleId::RManuals, ReadinessCase::InPlace, w(Indicator::Info, "IPT manuals available: in place.", "IPT manuals are available, as the practice parameters ask.")),
    (RuleId::RManuals, ReadinessCase::Missing, w(Indicator::Warning, "IPT manuals available: not in place.", "The practice parameters ask for IPT manuals; arranging them before offering IPT is an option.")),
    (RuleId::RManuals, ReadinessCase::Unknown, w(Indicator::Warning, "IPT manuals available: not yet known.", "Whether IPT manuals are available is not yet recorded.")),
    (RuleId::RGroupSpace, ReadinessCase::InPlace, w(Indicator::Info, "Space for group therapy: in place.", "Space for group therapy is available, as the practice parameters ask.")),
    (RuleId::RGroupSpace, ReadinessCase::Missing, w(Indicator::Warning, "Space for group therapy: not in place.", "The practice parameters ask for space for group therapy where the group format is used; arranging it before offering group IPT is an option.")),
    (RuleId::RGroupSpace, ReadinessCase::Unknown, w(Indicator::Warning, "Space for group therapy: not yet known.", "Whether space for group therapy is available is not yet recorded.")),
    (RuleId::RGroupSpace, ReadinessCase::NotRequired, w(Indicator::Info, "Group space: not required (no group format).", "Space for groups is needed only when the group format is offered.")),
    (RuleId::RTraining, ReadinessCase::InPlace, w(Indicator::Info, "Therapists with a working knowledge of IPT: in place.", "Therapists have a working knowledge of IPT, as the practice parameters ask.")),
    (RuleId::RTraining, ReadinessCase::Missing, w(Indicator::Warning, "Therapists with a working knowledge of IPT: not in place.", "The practice parameters ask for therapists with a working knowledge of IPT; training before offering IPT is an option.")),
    (RuleId::RTraining, ReadinessCase::Unknown, w(Indicator::Warning, "Therapists with a working knowledge of IPT: not yet known.", "Whether therapists have a working knowledge of IPT is not yet recorded.")),
    (RuleId::RConsultation, ReadinessCase::InPlace, w(Indicator::Info, "A manual-trained therapist for consultation: in place.", "A manual-trained therapist is available for consultation, as the practice parameters ask.")),
    (RuleId::RConsultation, ReadinessCase::Missing, w(Indicator::Warning, "A manual-trained therapist for consultation: not in place.", "The practice parameters ask for a manual-trained therapist available for consultation; arranging one before offering IPT is an option.")),
    (RuleId::RConsultation, ReadinessCase::Unknown, w(Indicator::Warning, "A manual-trained therapist for consultation: not yet known.", "Whether a manual-trained therapist is available for consultation is not yet recorded.")),
];

/// The words of a (rule, case).
pub fn words(rule: RuleId, case: ReadinessCase) -> Option<&'static Words> {
    WORDS
        .iter()
        .find(|(r, c, _)| *r == rule && *c == case)
        .map(|(_, _, w)| w)
}

/// The answer of [`evaluate`]: the decision, and at `explained` detail every requirement
/// explained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadinessReport {
    /// Overall readiness.
    pub readiness: Readiness,
    /// Every readiness rule, by how it applies.
    pub rules: RulesByStatus,
    /// Every input still missing (JSONPath), sorted.
    pub inputs_missing: Vec<String>,
    /// Every requirement explained (only at `explained` detail).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<ReadinessExplanation>,
}

/// The explained items of a readiness answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadinessExplanation {
    /// Every readiness rule with its status.
    pub requirements: Vec<Explanation>,
}

/// Decides readiness from the outcomes.
pub fn decide(outcomes: &[ReadinessOutcome]) -> Readiness {
    if outcomes.iter().any(|o| o.status == RuleStatus::NotMet) {
        Readiness::NotReady
    } else if outcomes.iter().any(|o| o.status == RuleStatus::Unknown) {
        Readiness::Indeterminate
    } else {
        Readiness::Ready
    }
}

/// Evaluates a service profile at a detail level, in a locale.
pub fn evaluate_at(p: &ServiceProfile, detail: Detail, locale: &dyn Locale) -> ReadinessReport {
    let outcomes: Vec<ReadinessOutcome> = RULES.iter().map(|(_, f)| f(p)).collect();
    let mut inputs_missing: Vec<String> = outcomes
        .iter()
        .filter(|o| o.status == RuleStatus::Unknown)
        .map(|o| o.field.to_owned())
        .collect();
    inputs_missing.sort();
    let explanation = (detail == Detail::Explained).then(|| ReadinessExplanation {
        requirements: outcomes
            .iter()
            .filter_map(|o| {
                let w = words(o.rule, o.case)?;
                let value = match o.finding {
                    Some(f) => InputUsed::new(o.field, f),
                    None => InputUsed::new(o.field, &p.formats),
                };
                let missing = (o.status == RuleStatus::Unknown).then(|| o.field.to_owned());
                Some(
                    Explanation::render(o.rule, o.status, w, &[], locale)
                        .used([value])
                        .missing(missing),
                )
            })
            .collect(),
    });
    ReadinessReport {
        readiness: decide(&outcomes),
        rules: RulesByStatus::from_pairs(outcomes.iter().map(|o| (o.rule, o.status))),
        inputs_missing,
        explanation,
    }
}

/// Evaluates a service profile: the explained answer, in English.
pub fn evaluate(p: &ServiceProfile) -> ReadinessReport {
    evaluate_at(p, Detail::Explained, &ENGLISH)
}
