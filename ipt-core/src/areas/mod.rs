//! Problem areas ([protocol](crate::protocol#problem-areas-and-the-focus)): ranking the four
//! areas on the evidence of the interpersonal inventory (PA-GRIEF, PA-DISPUTE, PA-TRANSITION,
//! PA-DEFICITS), checking an agreed focus (PA-SELECT), and the strategies and techniques of
//! each area.
//!
//! The ranking offers options; the clinician and patient agree the focus.
//!
//! ```
//! use ipt_core::areas::{check_focus, rank, AreaStatus, ProblemArea};
//! use ipt_core::inventory::Inventory;
//!
//! let inv = Inventory::from_json(
//!     r#"{"relationships": [], "life_events": [{"kind": "death", "months_before_onset": 2, "mourning_obstructed": "present"}]}"#,
//! )
//! .unwrap();
//! let ranking = rank(&inv);
//! assert_eq!(ranking.areas[0].area, ProblemArea::Grief);
//! assert_eq!(ranking.areas[0].status, AreaStatus::Supported);
//! // Deficits while grief has evidence: allowed, with a PA-SELECT warning.
//! let warnings = check_focus(&ranking, ProblemArea::InterpersonalDeficits, None).unwrap();
//! assert_eq!(warnings[0].rule_id.as_str(), "PA-SELECT");
//! // The backup must differ from the primary.
//! assert!(check_focus(&ranking, ProblemArea::Grief, Some(ProblemArea::Grief)).is_err());
//! ```
//!
//! Layout: the types and [`rank`] here; the evidence of each area in [`evidence`]; the
//! strategies and techniques in [`mod@strategies`]; the focus check (PA-SELECT) in [`focus`].

pub mod evidence;
pub mod focus;
pub mod strategies;
pub mod words;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::explain::{Explanation, Indicator, Render, RuleStatus};
use crate::findings::Finding;
use crate::inventory::Inventory;
use crate::rules::RuleId;
use evidence::{deficits_draft, dispute_draft, event_drafts};
use focus::selection;
use words::AreaCase;

pub use focus::{
    check_distinct_at, check_focus, check_focus_at, check_focus_of, check_focus_request,
    FocusCheck, FocusRequest,
};
pub use strategies::{strategies, strategies_text, strategy_texts, technique_ids, techniques};

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

    const fn index(self) -> usize {
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
    const fn rule_status(self) -> RuleStatus {
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

fn count_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Ranks the four problem areas on the evidence of a validated inventory, explained in
/// English. See [`rank_in`].
pub fn rank(inv: &Inventory) -> AreaRanking {
    rank_in(inv, Render::EXPLAINED)
}

/// Ranks the four problem areas on the evidence of a validated inventory, rendered as `r`
/// asks (at decision detail an area has no `explanation`).
///
/// Never panics; the result is a pure function of the inventory.
pub fn rank_in(inv: &Inventory, r: Render<'_>) -> AreaRanking {
    let (grief, mut transition) = event_drafts(inv, r.locale);
    let dispute = dispute_draft(inv, &mut transition, r.locale);
    let (deficits, deficit_finding) = deficits_draft(inv, r.locale);
    let mut missing_of: Vec<(ProblemArea, Vec<String>)> = Vec::with_capacity(4);

    let mut areas: Vec<AreaAssessment> = Vec::with_capacity(4);
    let others_supported = !grief.evidence.is_empty()
        || !dispute.evidence.is_empty()
        || !transition.evidence.is_empty();
    // Inputs still missing for the other areas: they could yet give evidence that makes
    // deficits (the last resort) not applicable.
    let others_missing: Vec<String> = [&grief, &dispute, &transition]
        .iter()
        .filter(|d| d.evidence.is_empty() && d.could_have_evidence)
        .flat_map(|d| d.missing.iter().cloned())
        .collect();
    for (area, draft) in [
        (ProblemArea::Grief, grief),
        (ProblemArea::RoleDispute, dispute),
        (ProblemArea::RoleTransition, transition),
        (ProblemArea::InterpersonalDeficits, deficits),
    ] {
        let mut notes = draft.notes;
        let mut missing = draft.missing;
        let status = if area == ProblemArea::InterpersonalDeficits {
            match deficit_finding {
                _ if others_supported => {
                    if deficit_finding != Finding::Absent {
                        notes.push(words::rationale(
                            r.locale,
                            AreaCase::DeficitsLastResortNote,
                            &[],
                        ));
                    }
                    AreaStatus::NotSupported
                }
                Finding::Present if !others_missing.is_empty() => {
                    notes.push(words::rationale(
                        r.locale,
                        AreaCase::DeficitsPendingNote,
                        &[],
                    ));
                    missing.extend(others_missing.iter().cloned());
                    AreaStatus::Unknown
                }
                Finding::Present => AreaStatus::Supported,
                Finding::Unknown => AreaStatus::Unknown,
                Finding::Absent => AreaStatus::NotSupported,
            }
        } else if !draft.evidence.is_empty() {
            AreaStatus::Supported
        } else if draft.could_have_evidence {
            AreaStatus::Unknown
        } else {
            AreaStatus::NotSupported
        };
        let linked = count_u32(
            draft
                .evidence
                .iter()
                .filter(|e| e.onset_linked == Finding::Present)
                .count(),
        );
        let score = if status == AreaStatus::Supported {
            linked
                .saturating_mul(2)
                .saturating_add(count_u32(draft.evidence.len()).saturating_sub(linked))
        } else {
            0
        };
        let onset_linked_evidence = if status == AreaStatus::Supported {
            linked
        } else {
            0
        };
        let explanation = r.explained().then(|| {
            let label = r.locale.text(area.label());
            let summary = match status {
                AreaStatus::Supported => words::summary(
                    r.locale,
                    AreaCase::AreaSupported,
                    &[
                        ("area", &label),
                        ("count", &draft.evidence.len().to_string()),
                        ("plural", if draft.evidence.len() == 1 { "" } else { "s" }),
                        ("linked", &onset_linked_evidence.to_string()),
                    ],
                ),
                AreaStatus::Unknown => {
                    words::summary(r.locale, AreaCase::AreaUnknown, &[("area", &label)])
                }
                AreaStatus::NotSupported => {
                    words::summary(r.locale, AreaCase::AreaNotSupported, &[("area", &label)])
                }
            };
            let mut rationale = String::new();
            for e in &draft.evidence {
                rationale.push_str(&e.summary);
                rationale.push_str(". ");
            }
            for n in &notes {
                rationale.push_str(n);
                rationale.push(' ');
            }
            rationale.push_str(&words::rationale(
                r.locale,
                AreaCase::StrategiesIfAgreed,
                &[("strategies", &strategies::strategies_text(area, r))],
            ));
            r.item(
                area.rule_id(),
                status.rule_status(),
                Indicator::Info,
                |_| (summary, rationale),
            )
            .used(draft.used)
            .missing(missing.iter().cloned())
        });
        missing_of.push((area, missing));
        areas.push(AreaAssessment {
            rank: 0,
            area,
            status,
            score,
            onset_linked_evidence,
            evidence: draft.evidence,
            explanation,
        });
    }
    areas.sort_by(|a, b| {
        a.status
            .cmp(&b.status)
            .then(b.onset_linked_evidence.cmp(&a.onset_linked_evidence))
            .then(b.score.cmp(&a.score))
            .then(a.area.index().cmp(&b.area.index()))
    });
    for (i, a) in areas.iter_mut().enumerate() {
        a.rank = count_u32(i).saturating_add(1);
    }
    let selection = selection(&areas, &missing_of, r);
    AreaRanking { areas, selection }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranked(json: &str) -> AreaRanking {
        rank(&Inventory::from_json(json).unwrap())
    }

    fn status(r: &AreaRanking, a: ProblemArea) -> AreaStatus {
        r.get(a).unwrap().status
    }

    #[test]
    fn pa_grief_a_death_is_evidence_only_when_mourning_is_obstructed() {
        let inv = |m: &str| {
            ranked(&format!(
                r#"{{"life_events":[{{"kind":"death","months_before_onset":2{m}}}]}}"#
            ))
        };
        let present = inv(r#","mourning_obstructed":"present""#);
        assert_eq!(status(&present, ProblemArea::Grief), AreaStatus::Supported);
        let absent = inv(r#","mourning_obstructed":"absent""#);
        assert_eq!(
            status(&absent, ProblemArea::Grief),
            AreaStatus::NotSupported
        );
        let grief = absent.get(ProblemArea::Grief).unwrap();
        assert!(grief
            .explanation
            .as_ref()
            .unwrap()
            .rationale
            .contains("not evidence for a grief focus"));
        let unknown = inv("");
        assert_eq!(status(&unknown, ProblemArea::Grief), AreaStatus::Unknown);
        let grief = unknown.get(ProblemArea::Grief).unwrap();
        assert!(grief
            .explanation
            .as_ref()
            .unwrap()
            .inputs_missing
            .contains(&"$.life_events[0].mourning_obstructed".to_owned()));
        assert!(grief.evidence.is_empty());
    }

    #[test]
    fn pa_grief_only_for_a_death_and_divorce_is_a_transition() {
        let r = ranked(
            r#"{"life_events":[{"kind":"death","months_before_onset":2,"mourning_obstructed":"present"}]}"#,
        );
        assert_eq!(r.areas[0].area, ProblemArea::Grief);
        assert_eq!(status(&r, ProblemArea::Grief), AreaStatus::Supported);
        assert_eq!(
            status(&r, ProblemArea::RoleTransition),
            AreaStatus::NotSupported
        );
        for kind in ["separation_divorce", "other_loss", "job_loss"] {
            let r = ranked(&format!(
                r#"{{"life_events":[{{"kind":"{kind}","months_before_onset":2}}]}}"#
            ));
            assert_eq!(
                status(&r, ProblemArea::Grief),
                AreaStatus::NotSupported,
                "{kind}"
            );
            assert_eq!(
                status(&r, ProblemArea::RoleTransition),
                AreaStatus::Supported
            );
        }
    }

    #[test]
    fn pa_dispute_dissolved_points_to_transition() {
        let base = r#"{"relationships":[{"id":"p","role":"partner","conflict":"open","dispute_stage":"STAGE"}],"life_events":[]}"#;
        let r = ranked(&base.replace("STAGE", "impasse"));
        assert_eq!(status(&r, ProblemArea::RoleDispute), AreaStatus::Supported);
        assert_eq!(
            status(&r, ProblemArea::RoleTransition),
            AreaStatus::NotSupported
        );
        let r = ranked(&base.replace("STAGE", "dissolution"));
        assert_eq!(
            status(&r, ProblemArea::RoleDispute),
            AreaStatus::NotSupported
        );
        assert_eq!(
            status(&r, ProblemArea::RoleTransition),
            AreaStatus::Supported
        );
    }

    #[test]
    fn pa_deficits_last_resort_and_not_withdrawal() {
        let deficits = r#"{"relationships":[],"life_events":[],"long_standing_isolation":"present","prolonged_good_functioning":"absent","withdrawal_due_to_depression":"absent"}"#;
        let r = ranked(deficits);
        assert_eq!(
            status(&r, ProblemArea::InterpersonalDeficits),
            AreaStatus::Supported
        );
        assert_eq!(r.areas[0].area, ProblemArea::InterpersonalDeficits);
        let r = ranked(&deficits.replace(
            r#""life_events":[]"#,
            r#""life_events":[{"kind":"move","months_before_onset":1}]"#,
        ));
        assert_eq!(
            status(&r, ProblemArea::InterpersonalDeficits),
            AreaStatus::NotSupported
        );
        let r = ranked(&deficits.replace(
            r#""withdrawal_due_to_depression":"absent""#,
            r#""withdrawal_due_to_depression":"present""#,
        ));
        assert_eq!(
            status(&r, ProblemArea::InterpersonalDeficits),
            AreaStatus::NotSupported
        );
        let r =
            ranked(r#"{"relationships":[],"life_events":[],"long_standing_isolation":"present"}"#);
        let d = r.get(ProblemArea::InterpersonalDeficits).unwrap();
        assert_eq!(d.status, AreaStatus::Unknown);
        assert_eq!(
            d.explanation.as_ref().unwrap().inputs_missing,
            vec![
                "$.prolonged_good_functioning",
                "$.withdrawal_due_to_depression"
            ]
        );
    }

    #[test]
    fn pa_select_onset_linked_evidence_ranks_first() {
        let r = ranked(
            r#"{"life_events":[{"kind":"death","months_before_onset":24},{"kind":"job_loss","months_before_onset":2}]}"#,
        );
        assert_eq!(r.areas[0].area, ProblemArea::RoleTransition);
        assert_eq!(r.areas[1].area, ProblemArea::Grief);
        assert_eq!(r.selection.rule_id, RuleId::PaSelect);
        let ranks: Vec<u32> = r.areas.iter().map(|a| a.rank).collect();
        assert_eq!(ranks, vec![1, 2, 3, 4]);
    }

    #[test]
    fn pa_select_focus_checks() {
        let r = ranked(
            r#"{"relationships":[],"life_events":[{"kind":"death","months_before_onset":2,"mourning_obstructed":"present"}],"long_standing_isolation":"present","prolonged_good_functioning":"absent","withdrawal_due_to_depression":"absent"}"#,
        );
        assert!(check_focus(&r, ProblemArea::Grief, None)
            .unwrap()
            .is_empty());
        let e = check_focus(&r, ProblemArea::Grief, Some(ProblemArea::Grief)).unwrap_err();
        assert_eq!(e.path(), Some("$.backup"));
        let e = check_focus_at(
            &r,
            ProblemArea::Grief,
            Some(ProblemArea::Grief),
            "$.event",
            Render::EXPLAINED,
        )
        .unwrap_err();
        assert_eq!(e.path(), Some("$.event.backup"));
        let w = check_focus(&r, ProblemArea::Grief, Some(ProblemArea::RoleDispute)).unwrap();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].rule_id, RuleId::PaSelect);
        assert_eq!(w[0].indicator, Indicator::Warning);
        assert_eq!(w[0].inputs_used[0].path, "$.backup");
        let w = check_focus(&r, ProblemArea::InterpersonalDeficits, None).unwrap();
        assert_eq!(w.len(), 1);
        assert!(w[0].summary.contains("grief"), "{}", w[0].summary);
    }

    #[test]
    fn strategies_and_techniques_cite_rules() {
        for a in ProblemArea::ALL {
            assert_eq!(strategies(a, Render::EXPLAINED).rule_id, a.rule_id());
            let t = techniques(a, Render::EXPLAINED);
            assert!(!t.is_empty());
            assert!(t.iter().all(|e| e.rule_id.as_str().starts_with("T-")));
        }
    }
}
