//! The problem areas and what the ranking says of each.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::catalogue::RuleId;
use crate::explain::{Explanation, RuleStatus};
use crate::findings::Finding;

/// The four IPT problem areas.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ProblemArea {
    /// Grief after a death.
    Grief,
    /// Role dispute with a significant other.
    RoleDispute,
    /// Role transition: a life change.
    RoleTransition,
    /// Interpersonal deficits (sensitivity): the area of last resort.
    InterpersonalDeficits,
}

impl ProblemArea {
    /// Every area, in the canonical order that breaks ties.
    pub const ALL: [ProblemArea; 4] = [
        ProblemArea::Grief,
        ProblemArea::RoleDispute,
        ProblemArea::RoleTransition,
        ProblemArea::InterpersonalDeficits,
    ];

    /// The rule of the area.
    pub const fn rule_id(self) -> RuleId {
        match self {
            ProblemArea::Grief => RuleId::PaGrief,
            ProblemArea::RoleDispute => RuleId::PaDispute,
            ProblemArea::RoleTransition => RuleId::PaTransition,
            ProblemArea::InterpersonalDeficits => RuleId::PaDeficits,
        }
    }

    /// The area's JSON name.
    pub const fn as_str(self) -> &'static str {
        match self {
            ProblemArea::Grief => "grief",
            ProblemArea::RoleDispute => "role_dispute",
            ProblemArea::RoleTransition => "role_transition",
            ProblemArea::InterpersonalDeficits => "interpersonal_deficits",
        }
    }

    /// A human label.
    pub const fn label(self) -> &'static str {
        match self {
            ProblemArea::Grief => "Grief",
            ProblemArea::RoleDispute => "Role dispute",
            ProblemArea::RoleTransition => "Role transition",
            ProblemArea::InterpersonalDeficits => "Interpersonal deficits",
        }
    }

    pub(super) const fn index(self) -> usize {
        match self {
            ProblemArea::Grief => 0,
            ProblemArea::RoleDispute => 1,
            ProblemArea::RoleTransition => 2,
            ProblemArea::InterpersonalDeficits => 3,
        }
    }
}

/// How the inventory bears on an area.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum AreaStatus {
    /// The inventory holds evidence for the area.
    Supported,
    /// Missing inputs could provide evidence; see `inputs_missing`.
    Unknown,
    /// No evidence (or, for deficits, another area has evidence).
    NotSupported,
}

impl AreaStatus {
    pub(super) const fn rule_status(self) -> RuleStatus {
        match self {
            AreaStatus::Supported => RuleStatus::Met,
            AreaStatus::Unknown => RuleStatus::Unknown,
            AreaStatus::NotSupported => RuleStatus::NotMet,
        }
    }
}

/// Where a piece of evidence comes from.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceSource {
    /// A life event.
    LifeEvent,
    /// A relationship.
    Relationship,
    /// A global finding of the inventory.
    Finding,
}

/// One piece of evidence for an area.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// JSONPath of the item in the inventory, for example `$.life_events[0]`.
    pub path: String,
    /// What kind of item it is.
    pub source: EvidenceSource,
    /// The relationship involved, by id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationship: Option<String>,
    /// What the item is, in plain language.
    pub summary: String,
    /// Whether the item is tied to the onset of the current episode (within six months
    /// before it, S3); `unknown` when its timing is missing.
    pub onset_linked: Finding,
}

/// One area as ranked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AreaAssessment {
    /// Position in the ranking, 1 first.
    pub rank: u32,
    /// The area.
    pub area: ProblemArea,
    /// How the inventory bears on it.
    pub status: AreaStatus,
    /// Weight of the evidence: 2 per onset-linked item, 1 per other item (0 when not supported).
    pub score: u32,
    /// How many evidence items are tied to the onset.
    pub onset_linked_evidence: u32,
    /// The evidence.
    pub evidence: Vec<Evidence>,
    /// The rule, its status, the inputs used and missing, and the strategies as options
    /// (explained answers only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
}

/// The ranking of all four areas, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AreaRanking {
    /// The four areas: supported first, then unknown, then not supported; within a status
    /// more onset-linked evidence first, then higher score, then the canonical order
    /// grief, role dispute, role transition, deficits.
    pub areas: Vec<AreaAssessment>,
    /// PA-SELECT: the options for a primary area and a backup.
    pub selection: Explanation,
}

impl AreaRanking {
    /// The assessment of one area.
    pub fn get(&self, area: ProblemArea) -> Option<&AreaAssessment> {
        self.areas.iter().find(|a| a.area == area)
    }

    /// The areas with evidence, best first.
    pub fn supported(&self) -> impl Iterator<Item = ProblemArea> + '_ {
        self.areas
            .iter()
            .filter(|a| a.status == AreaStatus::Supported)
            .map(|a| a.area)
    }
}

/// An agreed focus: one primary area and at most one backup (PA-SELECT, invariant 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Focus {
    /// The primary area.
    pub primary: ProblemArea,
    /// The backup area, distinct from the primary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup: Option<ProblemArea>,
}
