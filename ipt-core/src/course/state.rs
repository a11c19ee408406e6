//! The derived state of a course and the vocabulary it is made of: phases, close reasons,
//! initial-phase tasks, the contract, overrides and measure points.

use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::config::CourseConfig;
use super::goals::{Goal, RatingPoint};
pub use super::phase::Phase;
use super::plan::Measurement;
use crate::areas::{self, AreaRanking, Focus};
use crate::catalogue::RuleId;
use crate::inventory::Inventory;
use crate::measures::{Instrument, Measure};
use crate::suitability::{Assessment, Format, SuicideRisk, Verdict};

/// Why a course was closed.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
    /// IPT is not suitable.
    NotSuitable,
    /// The patient withdrew.
    Withdrawn,
    /// Referred elsewhere.
    Referred,
    /// The patient dropped out.
    DroppedOut,
}

/// The initial-phase tasks (ST-INITIAL).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum InitialTask {
    /// Review symptoms and give them a name.
    SymptomsReviewed,
    /// Assess lethality (required in session 1).
    LethalityAssessed,
    /// Review medical causes.
    MedicalReview,
    /// Review past episodes.
    PastEpisodes,
    /// Psychoeducation and the sick role.
    PsychoeducationSickRole,
    /// Medication review.
    MedicationReview,
    /// The interpersonal inventory.
    Inventory,
    /// Formulation accepted by the patient.
    FormulationAccepted,
    /// Goals.
    Goals,
    /// The contract.
    Contract,
}

impl InitialTask {
    /// Every task, in checklist order.
    pub const ALL: [InitialTask; 10] = [
        InitialTask::SymptomsReviewed,
        InitialTask::LethalityAssessed,
        InitialTask::MedicalReview,
        InitialTask::PastEpisodes,
        InitialTask::PsychoeducationSickRole,
        InitialTask::MedicationReview,
        InitialTask::Inventory,
        InitialTask::FormulationAccepted,
        InitialTask::Goals,
        InitialTask::Contract,
    ];

    /// The task's JSON name.
    pub const fn as_str(self) -> &'static str {
        match self {
            InitialTask::SymptomsReviewed => "symptoms_reviewed",
            InitialTask::LethalityAssessed => "lethality_assessed",
            InitialTask::MedicalReview => "medical_review",
            InitialTask::PastEpisodes => "past_episodes",
            InitialTask::PsychoeducationSickRole => "psychoeducation_sick_role",
            InitialTask::MedicationReview => "medication_review",
            InitialTask::Inventory => "inventory",
            InitialTask::FormulationAccepted => "formulation_accepted",
            InitialTask::Goals => "goals",
            InitialTask::Contract => "contract",
        }
    }
}

/// The recorded override, with the verdict it overrode.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordedOverride {
    /// The verdict that was overridden.
    pub verdict: Verdict,
    /// Who overrode it.
    pub clinician: String,
    /// Why.
    pub justification: String,
}

/// The course contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contract {
    /// Number of sessions.
    pub sessions: u32,
    /// Format.
    pub format: Format,
    /// Goals agreed with the patient (G-GOALS): objects with an id, their words and the
    /// area of the focus they serve; a string is read as a goal without an area.
    #[serde(default, deserialize_with = "super::goals::read")]
    #[schemars(with = "Vec<super::goals::GoalInput>")]
    pub goals: Vec<Goal>,
}

/// A measure with the session it was taken in (0: maintenance numbering is separate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasurePoint {
    /// The phase of the session.
    pub phase: Phase,
    /// The session number (within maintenance for maintenance sessions).
    pub session: u32,
    /// The date of the session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The measure.
    pub measure: Measure,
}

impl MeasurePoint {
    /// The measure's date, or else the session's.
    pub fn when(&self) -> Option<&str> {
        self.measure.date.as_deref().or(self.date.as_deref())
    }
}

/// A reliable deterioration (M-DETERIORATION) kept as an alert until `measures_reviewed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeteriorationDue {
    /// The instrument.
    pub instrument: Instrument,
    /// The phase of the session it was measured in.
    pub phase: Phase,
    /// The session it was measured in.
    pub session: u32,
    /// The baseline total.
    pub baseline: u32,
    /// The total that showed it.
    pub total: u32,
}

/// Why a reassessment is due in termination (ST-TERMINATION).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ReassessmentCause {
    /// A rise that returns to the baseline severity band.
    BaselineBand,
    /// A rise that comes with suicide risk.
    SuicideRisk,
}

/// A reassessment alert raised in termination; it stays until `reassessment_recorded`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReassessmentDue {
    /// Why.
    pub cause: ReassessmentCause,
    /// The instrument whose total rose.
    pub instrument: Instrument,
    /// The session the rise was measured in.
    pub session: u32,
    /// The previous total.
    pub previous: u32,
    /// The total that rose.
    pub total: u32,
}

/// The derived state of a course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseState {
    /// The configuration (the contracted total replaces the default).
    pub config: CourseConfig,
    /// The phase.
    pub phase: Phase,
    /// Sessions held (the number of the last one).
    pub sessions_held: u32,
    /// Appointments missed.
    pub sessions_missed: u32,
    /// Maintenance sessions held.
    pub maintenance_sessions_held: u32,
    /// Date of the last dated event.
    pub last_date: Option<String>,
    /// The latest suitability assessment, as recorded (completion advice reads I-MAINTENANCE
    /// from it).
    #[serde(default)]
    pub assessment: Option<Assessment>,
    /// The suitability verdict of the latest assessment.
    pub verdict: Option<Verdict>,
    /// The rules that decided the verdict.
    pub verdict_decided_by: Vec<RuleId>,
    /// The clinician's override, if any.
    #[serde(rename = "override")]
    pub override_: Option<RecordedOverride>,
    /// Initial tasks done.
    pub tasks_done: BTreeSet<InitialTask>,
    /// The inventory.
    pub inventory: Option<Inventory>,
    /// The agreed focus.
    pub focus: Option<Focus>,
    /// The contract.
    pub contract: Option<Contract>,
    /// Sessions held when the ending was raised.
    pub termination_raised_after: Option<u32>,
    /// The latest assessed suicide risk.
    pub risk: Option<SuicideRisk>,
    /// PHQ-9 item 9 above 0 since the latest risk assessment.
    pub item9_positive: bool,
    /// A safety plan is recorded.
    pub safety_plan: bool,
    /// A reassessment alert raised in termination, until a reassessment is recorded.
    #[serde(default)]
    pub reassessment_due: Option<ReassessmentDue>,
    /// Every measure, in order.
    pub measures: Vec<MeasurePoint>,
    /// The measurement plan given at the start (M-CADENCE, thresholds).
    #[serde(default, skip_serializing_if = "Measurement::is_default")]
    pub measurement: Measurement,
    /// Reliable deteriorations not yet reviewed (M-DETERIORATION), one per instrument.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deterioration_due: Vec<DeteriorationDue>,
    /// Why the course was closed.
    pub closed_reason: Option<CloseReason>,
    /// Every goal rating, in order (G-PROGRESS).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goal_ratings: Vec<RatingPoint>,
    /// Sessions held when the goals were agreed or last revised.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub goals_agreed_after: u32,
    /// The goals that served an area the focus dropped, until the clinician records what
    /// becomes of them (`goals_revised`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals_to_revisit: Vec<String>,
    /// The relapse-prevention plan (ST-RELAPSE-PLAN).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relapse_plan: Option<RelapsePlan>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A relapse-prevention plan (ST-RELAPSE-PLAN).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RelapsePlan {
    /// The date it was made.
    pub date: String,
    /// Early warning signs the patient knows to look for.
    pub warning_signs: Vec<String>,
    /// What helps when they appear.
    pub what_helps: Vec<String>,
    /// The people from the inventory the patient can turn to (relationship ids).
    #[serde(default)]
    pub people: Vec<String>,
    /// When to come back.
    pub return_when: String,
}

impl CourseState {
    /// A new course in intake.
    pub fn new(config: CourseConfig) -> CourseState {
        CourseState {
            config,
            phase: Phase::Intake,
            sessions_held: 0,
            sessions_missed: 0,
            maintenance_sessions_held: 0,
            last_date: None,
            assessment: None,
            verdict: None,
            verdict_decided_by: Vec::new(),
            override_: None,
            tasks_done: BTreeSet::new(),
            inventory: None,
            focus: None,
            contract: None,
            termination_raised_after: None,
            risk: None,
            item9_positive: false,
            safety_plan: false,
            reassessment_due: None,
            measures: Vec::new(),
            measurement: Measurement::default(),
            deterioration_due: Vec::new(),
            closed_reason: None,
            goal_ratings: Vec::new(),
            goals_agreed_after: 0,
            goals_to_revisit: Vec::new(),
            relapse_plan: None,
        }
    }

    /// High or imminent suicide risk is unresolved (X-SUICIDE, invariant 8).
    pub fn risk_unresolved(&self) -> bool {
        self.item9_positive || self.risk.is_some_and(SuicideRisk::is_high)
    }

    /// Lethality has been assessed in the course (the task, or a `risk_assessed` event; the
    /// suicide risk of the intake assessment does not count: S3 asks for it in session 1).
    pub fn lethality_assessed(&self) -> bool {
        self.tasks_done.contains(&InitialTask::LethalityAssessed)
    }

    /// Whether an initial-phase task is done.
    pub fn task_done(&self, t: InitialTask) -> bool {
        self.tasks_done.contains(&t)
    }

    /// The ranking of the recorded inventory.
    pub fn ranking(&self) -> Option<AreaRanking> {
        self.inventory.as_ref().map(areas::rank)
    }

    /// The first measure of an instrument with a known total: the baseline.
    pub fn baseline(&self, inst: Instrument) -> Option<&MeasurePoint> {
        self.points(inst).find(|p| p.measure.score().is_some())
    }

    /// The measures of one instrument, in order.
    pub fn points(&self, inst: Instrument) -> impl Iterator<Item = &MeasurePoint> {
        self.measures
            .iter()
            .filter(move |p| p.measure.instrument == inst)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn names_are_the_json_names() {
        for t in InitialTask::ALL {
            assert_eq!(serde_json::to_value(t).unwrap(), t.as_str());
        }
        for p in [
            Phase::Intake,
            Phase::Initial,
            Phase::Middle,
            Phase::Termination,
            Phase::Completed,
            Phase::Maintenance,
            Phase::MaintenanceCompleted,
            Phase::Closed,
        ] {
            assert_eq!(serde_json::to_value(p).unwrap(), p.as_str());
        }
    }
}
