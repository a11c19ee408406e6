//! Service readiness (`docs/protocol.md` §2, S1 §II.E-F): evaluated on a service profile, not on a
//! patient.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::explain::{Explanation, Indicator, InputUsed, RuleStatus};
use crate::findings::Finding;
use crate::rules::RuleId;
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

/// The answer of [`evaluate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadinessReport {
    /// Overall readiness.
    pub readiness: Readiness,
    /// Every readiness rule with its status.
    pub requirements: Vec<Explanation>,
    /// Every input still missing (JSONPath), sorted.
    pub inputs_missing: Vec<String>,
}

/// Evaluates a service profile.
pub fn evaluate(p: &ServiceProfile) -> ReadinessReport {
    let groups = p.formats.contains(&Format::Group);
    let item = |id: RuleId, path: &str, f: Finding, what: &str| {
        let (status, indicator, summary) = match f {
            Finding::Present => (
                RuleStatus::Met,
                Indicator::Info,
                format!("{what}: in place."),
            ),
            Finding::Absent => (
                RuleStatus::NotMet,
                Indicator::Warning,
                format!("{what}: not in place."),
            ),
            Finding::Unknown => (
                RuleStatus::Unknown,
                Indicator::Warning,
                format!("{what}: not yet known."),
            ),
        };
        let rationale = match f {
            Finding::Present => format!("{what} is in place, as the practice parameters ask."),
            Finding::Absent => format!("The practice parameters ask for this: {}; consider arranging it before offering IPT.", what.to_lowercase()),
            Finding::Unknown => format!("Record whether this is in place: {}.", what.to_lowercase()),
        };
        let e = Explanation::new(id, status, indicator, summary, rationale)
            .used([InputUsed::new(path, f)]);
        if f.is_unknown() {
            e.missing([path.to_owned()])
        } else {
            e
        }
    };
    let group_space = if groups {
        item(
            RuleId::RGroupSpace,
            "$.group_space",
            p.group_space,
            "Space for group therapy",
        )
    } else {
        Explanation::new(
            RuleId::RGroupSpace,
            RuleStatus::NotApplicable,
            Indicator::Info,
            "Group space: not required (no group format).",
            "Space for groups is needed only when the group format is offered.",
        )
        .used([InputUsed::new("$.formats", &p.formats)])
    };
    let requirements = vec![
        item(
            RuleId::RManuals,
            "$.manuals_available",
            p.manuals_available,
            "IPT manuals available",
        ),
        group_space,
        item(
            RuleId::RTraining,
            "$.therapists_trained",
            p.therapists_trained,
            "Therapists with a working knowledge of IPT",
        ),
        item(
            RuleId::RConsultation,
            "$.consultation_available",
            p.consultation_available,
            "A manual-trained therapist for consultation",
        ),
    ];
    let readiness = if requirements.iter().any(|e| e.status == RuleStatus::NotMet) {
        Readiness::NotReady
    } else if requirements.iter().any(|e| e.status == RuleStatus::Unknown) {
        Readiness::Indeterminate
    } else {
        Readiness::Ready
    };
    let mut inputs_missing: Vec<String> = requirements
        .iter()
        .flat_map(|e| e.inputs_missing.clone())
        .collect();
    inputs_missing.sort();
    ReadinessReport {
        readiness,
        requirements,
        inputs_missing,
    }
}
