//! Problem areas (`PROTOCOL.md` §3): ranking the four areas on the evidence of the
//! interpersonal inventory (PA-GRIEF, PA-DISPUTE, PA-TRANSITION, PA-DEFICITS), checking an
//! agreed focus (PA-SELECT), and the strategies and techniques of each area.
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

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::explain::{Explanation, Indicator, InputUsed, RuleStatus};
use crate::findings::Finding;
use crate::inventory::{DisputeStage, Inventory, LifeEvent, LifeEventKind};
use crate::rules::RuleId;

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
    /// The rule, its status, the inputs used and missing, and the strategies as options.
    pub explanation: Explanation,
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

struct Draft {
    evidence: Vec<Evidence>,
    used: Vec<InputUsed>,
    missing: Vec<String>,
    /// Whether missing inputs could still provide evidence.
    could_have_evidence: bool,
    notes: Vec<String>,
}

impl Draft {
    fn new() -> Draft {
        Draft {
            evidence: Vec::new(),
            used: Vec::new(),
            missing: Vec::new(),
            could_have_evidence: false,
            notes: Vec::new(),
        }
    }
}

fn kind_text(kind: LifeEventKind) -> &'static str {
    match kind {
        LifeEventKind::Death => "death",
        LifeEventKind::SeparationDivorce => "separation or divorce",
        LifeEventKind::JobLoss => "job loss",
        LifeEventKind::Retirement => "retirement",
        LifeEventKind::BirthOfChild => "birth of a child",
        LifeEventKind::BecomingIndependent => "becoming independent",
        LifeEventKind::Marriage => "marriage",
        LifeEventKind::ChildrenLeavingHome => "children leaving home",
        LifeEventKind::Illness => "illness",
        LifeEventKind::Move => "a move",
        LifeEventKind::OtherLoss => "a loss that is not a death",
        LifeEventKind::Other => "another event",
    }
}

fn onset_text(f: Finding) -> &'static str {
    match f {
        Finding::Present => "within six months before the onset",
        Finding::Absent => "not within six months before the onset",
        Finding::Unknown => "timing relative to the onset unknown",
    }
}

fn timing_paths(at: &str) -> [String; 2] {
    [format!("{at}.months_before_onset"), format!("{at}.date")]
}

/// Grief (PA-GRIEF) and transition (PA-TRANSITION) evidence from life events and dissolved
/// disputes.
fn event_drafts(inv: &Inventory) -> (Draft, Draft) {
    let mut grief = Draft::new();
    let mut transition = Draft::new();
    if inv.life_events.is_none() {
        grief.missing.push("$.life_events".to_owned());
        grief.could_have_evidence = true;
        transition.missing.push("$.life_events".to_owned());
        transition.could_have_evidence = true;
    }
    let onset = inv.onset_date.as_deref();
    for (i, e) in inv.life_events().iter().enumerate() {
        let at = format!("$.life_events[{i}]");
        let draft = if e.kind == LifeEventKind::Death {
            &mut grief
        } else if e.kind.is_transition() {
            &mut transition
        } else {
            continue;
        };
        if e.kind == LifeEventKind::Death && !mourning_obstructed(draft, e, &at) {
            continue;
        }
        let linked = e.timing(onset).onset_linked();
        if linked.is_unknown() {
            draft.missing.extend(timing_paths(&at));
        }
        draft
            .used
            .push(InputUsed::new(format!("{at}.kind"), e.kind));
        if let Some(m) = e.months_before_onset {
            draft
                .used
                .push(InputUsed::new(format!("{at}.months_before_onset"), m));
        } else if let Some(d) = &e.date {
            draft.used.push(InputUsed::new(format!("{at}.date"), d));
            let onset_path = if e.onset_date.is_some() {
                format!("{at}.onset_date")
            } else {
                "$.onset_date".to_owned()
            };
            if let Some(o) = e.onset_date.as_deref().or(onset) {
                draft.used.push(InputUsed::new(onset_path, o));
            }
        }
        let who = e
            .relationship
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        draft.evidence.push(Evidence {
            path: at,
            source: EvidenceSource::LifeEvent,
            relationship: e.relationship.clone(),
            summary: format!(
                "{}{who}{}, {}",
                capitalise(kind_text(e.kind)),
                if e.kind == LifeEventKind::Death {
                    " obstructing mourning"
                } else {
                    ""
                },
                onset_text(linked)
            ),
            onset_linked: linked,
        });
    }
    let any_death = inv
        .life_events()
        .iter()
        .any(|e| e.kind == LifeEventKind::Death);
    if !any_death && inv.life_events.is_some() {
        grief.notes.push(
            "No death is recorded; losses that are not deaths are role transitions.".to_owned(),
        );
    }
    (grief, transition)
}

/// PA-GRIEF (S4): a death is grief-focus evidence when the bereavement obstructs mourning or
/// sustaining the remaining relationships. Returns whether the death counts as evidence;
/// when it does not, says why (absent) or what is missing (unknown).
fn mourning_obstructed(grief: &mut Draft, e: &LifeEvent, at: &str) -> bool {
    let path = format!("{at}.mourning_obstructed");
    grief
        .used
        .push(InputUsed::new(path.clone(), e.mourning_obstructed));
    let who = e
        .relationship
        .as_deref()
        .map(|r| format!(" ({r})"))
        .unwrap_or_default();
    match e.mourning_obstructed {
        Finding::Present => true,
        Finding::Absent => {
            grief.notes.push(format!(
                "The death{who} is recorded with mourning not obstructed: the death alone is not evidence for a grief focus (S4)."
            ));
            false
        }
        Finding::Unknown => {
            grief.notes.push(format!(
                "The death{who} is recorded, but not whether it obstructs mourning or sustaining the remaining relationships (S4): grief cannot be told yet."
            ));
            grief.missing.push(path);
            grief.could_have_evidence = true;
            false
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Dispute (PA-DISPUTE) evidence; dissolved disputes go to the transition draft.
fn dispute_draft(inv: &Inventory, transition: &mut Draft) -> Draft {
    let mut d = Draft::new();
    if inv.relationships.is_none() {
        d.missing.push("$.relationships".to_owned());
        d.could_have_evidence = true;
    }
    for (i, r) in inv.relationships().iter().enumerate() {
        let at = format!("$.relationships[{i}]");
        let Some(conflict) = r.conflict else {
            d.missing.push(format!("{at}.conflict"));
            d.could_have_evidence = true;
            continue;
        };
        d.used
            .push(InputUsed::new(format!("{at}.conflict"), conflict));
        if !conflict.is_conflict() {
            continue;
        }
        let linked = r.conflict_onset_linked;
        if !linked.is_unknown() {
            let input = InputUsed::new(format!("{at}.conflict_onset_linked"), linked);
            if r.dispute_stage == Some(DisputeStage::Dissolution) {
                transition.used.push(input);
            } else {
                d.used.push(input);
            }
        }
        let conflict_text = match conflict {
            crate::inventory::Conflict::Covert => "covert",
            _ => "open",
        };
        match r.dispute_stage {
            Some(DisputeStage::Dissolution) => {
                transition.used.push(InputUsed::new(
                    format!("{at}.dispute_stage"),
                    DisputeStage::Dissolution,
                ));
                transition.evidence.push(Evidence {
                    path: at.clone(),
                    source: EvidenceSource::Relationship,
                    relationship: Some(r.id.clone()),
                    summary: format!(
                        "Dissolved dispute with {} ({}): a role transition",
                        r.id, conflict_text
                    ),
                    onset_linked: linked,
                });
                d.used.push(InputUsed::new(
                    format!("{at}.dispute_stage"),
                    DisputeStage::Dissolution,
                ));
                d.notes.push(format!(
                    "The dispute with {} is dissolved: it points to a role transition, not a dispute.",
                    r.id
                ));
            }
            stage => {
                let stage_text = match stage {
                    Some(DisputeStage::Renegotiation) => "renegotiation",
                    Some(DisputeStage::Impasse) => "impasse",
                    _ => {
                        d.missing.push(format!("{at}.dispute_stage"));
                        "stage not yet assessed"
                    }
                };
                if let Some(s) = stage {
                    d.used
                        .push(InputUsed::new(format!("{at}.dispute_stage"), s));
                }
                if linked.is_unknown() {
                    d.missing.push(format!("{at}.conflict_onset_linked"));
                }
                d.evidence.push(Evidence {
                    path: at.clone(),
                    source: EvidenceSource::Relationship,
                    relationship: Some(r.id.clone()),
                    summary: format!(
                        "{} conflict with {} ({}), {}",
                        capitalise(conflict_text),
                        r.id,
                        stage_text,
                        match linked {
                            Finding::Present => "tied to the onset",
                            Finding::Absent => "not tied to the onset",
                            Finding::Unknown => "link to the onset unknown",
                        }
                    ),
                    onset_linked: linked,
                });
            }
        }
    }
    d
}

/// Deficits (PA-DEFICITS): a long history of difficulties or isolation, with no prolonged
/// good functioning, and not withdrawal caused by the depression. Returns the draft and the
/// three-valued finding.
fn deficits_draft(inv: &Inventory) -> (Draft, Finding) {
    let mut d = Draft::new();
    let mut history = inv.long_standing_isolation;
    d.used.push(InputUsed::new(
        "$.long_standing_isolation",
        inv.long_standing_isolation,
    ));
    if inv.long_standing_isolation == Finding::Present {
        d.evidence.push(Evidence {
            path: "$.long_standing_isolation".to_owned(),
            source: EvidenceSource::Finding,
            relationship: None,
            summary: "Long-standing social isolation".to_owned(),
            onset_linked: Finding::Absent,
        });
    }
    for (i, r) in inv.relationships().iter().enumerate() {
        let at = format!("$.relationships[{i}].long_history_of_difficulty");
        history = history.or(r.long_history_of_difficulty);
        if r.long_history_of_difficulty != Finding::Unknown {
            d.used
                .push(InputUsed::new(at.clone(), r.long_history_of_difficulty));
        }
        if r.long_history_of_difficulty == Finding::Present {
            d.evidence.push(Evidence {
                path: format!("$.relationships[{i}]"),
                source: EvidenceSource::Relationship,
                relationship: Some(r.id.clone()),
                summary: format!(
                    "Long history of difficulty in the relationship with {}",
                    r.id
                ),
                onset_linked: Finding::Absent,
            });
        }
    }
    d.used.push(InputUsed::new(
        "$.prolonged_good_functioning",
        inv.prolonged_good_functioning,
    ));
    d.used.push(InputUsed::new(
        "$.withdrawal_due_to_depression",
        inv.withdrawal_due_to_depression,
    ));
    let finding = history
        .and(inv.prolonged_good_functioning.not())
        .and(inv.withdrawal_due_to_depression.not());
    if finding == Finding::Unknown {
        d.could_have_evidence = true;
        if history.is_unknown() {
            d.missing.push("$.long_standing_isolation".to_owned());
            for (i, r) in inv.relationships().iter().enumerate() {
                if r.long_history_of_difficulty.is_unknown() {
                    d.missing
                        .push(format!("$.relationships[{i}].long_history_of_difficulty"));
                }
            }
        }
        if inv.prolonged_good_functioning.is_unknown() {
            d.missing.push("$.prolonged_good_functioning".to_owned());
        }
        if inv.withdrawal_due_to_depression.is_unknown() {
            d.missing.push("$.withdrawal_due_to_depression".to_owned());
        }
    }
    if inv.prolonged_good_functioning == Finding::Present {
        d.notes.push(
            "A prolonged period of good functioning is recorded, which speaks against deficits."
                .to_owned(),
        );
    }
    if inv.withdrawal_due_to_depression == Finding::Present {
        d.notes.push(
            "The withdrawal is caused by the depression itself, which is not an interpersonal deficit."
                .to_owned(),
        );
    }
    if finding != Finding::Present {
        d.evidence.clear();
    }
    (d, finding)
}

/// The middle-phase strategies of an area (§3), as plain-language options.
pub const fn strategy_texts(area: ProblemArea) -> &'static [&'static str] {
    match area {
        ProblemArea::Grief => &[
            "facilitate mourning",
            "review the relationship with the deceased, from preoccupying memories to a balanced view",
            "help rebuild interests and relationships",
        ],
        ProblemArea::RoleDispute => &[
            "identify the dispute and its stage",
            "plan action",
            "change expectations or faulty communication",
            "consider inviting the other party to a session",
        ],
        ProblemArea::RoleTransition => &[
            "mourn the old role",
            "see the opportunities of the new role",
            "build mastery and support in the new role",
        ],
        ProblemArea::InterpersonalDeficits => &[
            "reduce isolation",
            "build new relationships",
            "use the therapeutic relationship as a model",
        ],
    }
}

/// The techniques that fit an area (§3 techniques; S1 §I.B, S3, S5; L1).
pub const fn technique_ids(area: ProblemArea) -> &'static [RuleId] {
    match area {
        ProblemArea::Grief => &[
            RuleId::TEncourageAffect,
            RuleId::TClarification,
            RuleId::TAcceptance,
            RuleId::TProblemSolving,
        ],
        ProblemArea::RoleDispute => &[
            RuleId::TCommunicationAnalysis,
            RuleId::TClarification,
            RuleId::TDecisionAnalysis,
            RuleId::TRolePlay,
            RuleId::TProblemSolving,
        ],
        ProblemArea::RoleTransition => &[
            RuleId::TEncourageAffect,
            RuleId::TClarification,
            RuleId::TDecisionAnalysis,
            RuleId::TDirective,
            RuleId::TRolePlay,
        ],
        ProblemArea::InterpersonalDeficits => &[
            RuleId::TTherapeuticRelationship,
            RuleId::TCommunicationAnalysis,
            RuleId::TRolePlay,
            RuleId::TModelling,
            RuleId::TSocialSkills,
        ],
    }
}

/// The strategies of an area as one explained option (the course offers it in the middle
/// phase).
pub fn strategies(area: ProblemArea) -> Explanation {
    Explanation::new(
        area.rule_id(),
        RuleStatus::Met,
        Indicator::Info,
        format!("{} strategies to consider.", area.label()),
        format!(
            "Options for work on {}: {}.",
            area.label().to_lowercase(),
            strategy_texts(area).join("; ")
        ),
    )
}

/// The techniques that fit an area, each as an explained option.
pub fn techniques(area: ProblemArea) -> Vec<Explanation> {
    technique_ids(area)
        .iter()
        .map(|&t| {
            let title = crate::rules::title_of(t);
            Explanation::new(
                t,
                RuleStatus::Met,
                Indicator::Info,
                format!("{title}: a technique that fits {}.", area.label().to_lowercase()),
                format!(
                    "{title} is one of the techniques often used for {}; use it where it helps the patient.",
                    area.label().to_lowercase()
                ),
            )
        })
        .collect()
}

fn count_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Ranks the four problem areas on the evidence of a validated inventory.
///
/// Never panics; the result is a pure function of the inventory.
pub fn rank(inv: &Inventory) -> AreaRanking {
    let (grief, mut transition) = event_drafts(inv);
    let dispute = dispute_draft(inv, &mut transition);
    let (deficits, deficit_finding) = deficits_draft(inv);

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
                        notes.push("Another area has evidence, and deficits are the area of last resort: consider that area first.".to_owned());
                    }
                    AreaStatus::NotSupported
                }
                Finding::Present if !others_missing.is_empty() => {
                    notes.push("The deficit findings are present, but the other areas are not fully assessed yet; deficits are the area of last resort.".to_owned());
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
        let summary = match status {
            AreaStatus::Supported => format!(
                "{}: supported by {} item{} of evidence, {} tied to the onset.",
                area.label(),
                draft.evidence.len(),
                if draft.evidence.len() == 1 { "" } else { "s" },
                onset_linked_evidence
            ),
            AreaStatus::Unknown => format!(
                "{}: not yet known; the inventory is missing inputs that could support it.",
                area.label()
            ),
            AreaStatus::NotSupported => format!("{}: no supporting evidence.", area.label()),
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
        rationale.push_str(&format!(
            "If agreed as the focus, strategies to consider: {}.",
            strategy_texts(area).join("; ")
        ));
        let explanation = Explanation::new(
            area.rule_id(),
            status.rule_status(),
            Indicator::Info,
            summary,
            rationale,
        )
        .used(draft.used)
        .missing(missing);
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
    let selection = selection(&areas);
    AreaRanking { areas, selection }
}

fn selection(areas: &[AreaAssessment]) -> Explanation {
    let supported: Vec<&AreaAssessment> = areas
        .iter()
        .filter(|a| a.status == AreaStatus::Supported)
        .collect();
    let missing: Vec<String> = areas
        .iter()
        .filter(|a| a.status == AreaStatus::Unknown)
        .flat_map(|a| a.explanation.inputs_missing.iter().cloned())
        .collect();
    let (status, summary) = match supported.as_slice() {
        [] => (
            if missing.is_empty() {
                RuleStatus::NotMet
            } else {
                RuleStatus::Unknown
            },
            "No area has evidence yet: complete the inventory before agreeing a focus.".to_owned(),
        ),
        [one] => (
            RuleStatus::Met,
            format!(
                "Consider {} as the primary area.",
                one.area.label().to_lowercase()
            ),
        ),
        [first, second, ..] => (
            RuleStatus::Met,
            format!(
                "Consider {} as the primary area, with {} as a possible backup.",
                first.area.label().to_lowercase(),
                second.area.label().to_lowercase()
            ),
        ),
    };
    Explanation::new(
        RuleId::PaSelect,
        status,
        Indicator::Info,
        summary,
        "Areas are ranked by their evidence, preferring evidence tied to the onset of the current episode. The clinician and patient agree one primary area and at most one backup, distinct from each other; choosing an area without evidence, or deficits while another area has evidence, is possible and is flagged.",
    )
    .used(supported.iter().flat_map(|a| {
        a.evidence
            .iter()
            .map(|e| InputUsed::new(e.path.clone(), a.area))
    }))
    .missing(missing)
}

/// Checks an agreed focus against the ranking (PA-SELECT), with errors at `$.primary` and
/// `$.backup`. See [`check_focus_at`].
pub fn check_focus(
    ranking: &AreaRanking,
    primary: ProblemArea,
    backup: Option<ProblemArea>,
) -> Result<Vec<Explanation>, Error> {
    check_focus_at(ranking, primary, backup, "$")
}

/// Checks an agreed focus against the ranking (PA-SELECT): the backup must differ from the
/// primary (otherwise `invalid_input` at `<root>.backup`). Choosing an area without evidence,
/// or deficits while another area has evidence, is allowed and returns a warning for each.
pub fn check_focus_at(
    ranking: &AreaRanking,
    primary: ProblemArea,
    backup: Option<ProblemArea>,
    root: &str,
) -> Result<Vec<Explanation>, Error> {
    if backup == Some(primary) {
        return Err(Error::invalid(
            format!("{root}.backup"),
            format!(
                "the backup area must differ from the primary area ({})",
                primary.as_str()
            ),
        ));
    }
    let other_supported = |area: ProblemArea| {
        ranking
            .areas
            .iter()
            .find(|a| a.area != area && a.status == AreaStatus::Supported)
            .map(|a| a.area)
    };
    let mut warnings = Vec::new();
    for (area, role, path) in [
        (Some(primary), "primary", format!("{root}.primary")),
        (backup, "backup", format!("{root}.backup")),
    ] {
        let Some(area) = area else { continue };
        let status = ranking.get(area).map_or(AreaStatus::Unknown, |a| a.status);
        let warning = match (area, other_supported(area)) {
            (ProblemArea::InterpersonalDeficits, Some(other)) => Some((
                format!(
                    "Deficits chosen as the {role} area while {} has evidence.",
                    other.label().to_lowercase()
                ),
                format!(
                    "Interpersonal deficits are the area of last resort (L1); {} has evidence in the inventory. The choice is the clinician's; consider whether {} fits better.",
                    other.label().to_lowercase(),
                    other.label().to_lowercase()
                ),
            )),
            _ if status != AreaStatus::Supported => Some((
                format!(
                    "{} chosen as the {role} area without evidence in the inventory.",
                    area.label()
                ),
                format!(
                    "The inventory holds no evidence for {} ({}). The choice is the clinician's; consider completing the inventory or choosing an area with evidence.",
                    area.label().to_lowercase(),
                    match status {
                        AreaStatus::Unknown => "inputs are missing",
                        _ => "not supported",
                    }
                ),
            )),
            _ => None,
        };
        if let Some((summary, rationale)) = warning {
            warnings.push(
                Explanation::new(
                    RuleId::PaSelect,
                    RuleStatus::NotMet,
                    Indicator::Warning,
                    summary,
                    rationale,
                )
                .used([InputUsed::new(path, area)]),
            );
        }
    }
    Ok(warnings)
}

/// The request of `check_focus`: an inventory and a proposed focus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FocusRequest {
    /// The interpersonal inventory the areas are ranked on.
    pub inventory: Inventory,
    /// The proposed primary area.
    pub primary: ProblemArea,
    /// The proposed backup area, distinct from the primary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup: Option<ProblemArea>,
}

/// The answer of `check_focus`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FocusCheck {
    /// The focus as proposed (valid: the backup differs from the primary).
    pub focus: Focus,
    /// PA-SELECT warnings: an area without evidence, or deficits while another area has
    /// evidence. The choice stays the clinician's.
    pub warnings: Vec<Explanation>,
    /// The strategies of the primary area, then of the backup.
    pub strategies: Vec<Explanation>,
    /// The techniques that fit the primary area.
    pub techniques: Vec<Explanation>,
}

/// Parses a `check_focus` request, ranks the inventory and checks the focus.
pub fn check_focus_request(json: &str) -> Result<FocusCheck, Error> {
    let req: FocusRequest = crate::error::parse(json)?;
    req.inventory.validate_at("$.inventory")?;
    let ranking = rank(&req.inventory);
    let warnings = check_focus(&ranking, req.primary, req.backup)?;
    let mut strategies_out =
        vec![strategies(req.primary).used([InputUsed::new("$.primary", req.primary)])];
    if let Some(b) = req.backup {
        strategies_out.push(strategies(b).used([InputUsed::new("$.backup", b)]));
    }
    Ok(FocusCheck {
        focus: Focus {
            primary: req.primary,
            backup: req.backup,
        },
        warnings,
        strategies: strategies_out,
        techniques: techniques(req.primary)
            .into_iter()
            .map(|t| t.used([InputUsed::new("$.primary", req.primary)]))
            .collect(),
    })
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
            .rationale
            .contains("not evidence for a grief focus"));
        let unknown = inv("");
        assert_eq!(status(&unknown, ProblemArea::Grief), AreaStatus::Unknown);
        let grief = unknown.get(ProblemArea::Grief).unwrap();
        assert!(grief
            .explanation
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
            d.explanation.inputs_missing,
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
        let e = check_focus_at(&r, ProblemArea::Grief, Some(ProblemArea::Grief), "$.event")
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
            assert_eq!(strategies(a).rule_id, a.rule_id());
            let t = techniques(a);
            assert!(!t.is_empty());
            assert!(t.iter().all(|e| e.rule_id.as_str().starts_with("T-")));
        }
    }
}
