//! The events a clinician records. Each event kind has one handler in [`mod@super::apply`].

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::goals::{GoalInput, GoalRating};
use super::state::{CloseReason, Contract, InitialTask};
use crate::areas::ProblemArea;
use crate::catalogue::RuleId;
use crate::inventory::Inventory;
use crate::measures::Measure;
use crate::suitability::{Assessment, SuicideRisk};

/// A clinician's override of a contraindicated or indeterminate verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// Who overrides.
    pub clinician: String,
    /// Why (required, not blank).
    pub justification: String,
}

crate::parse::tagged_enum! {
/// An event a clinician records. Dates are `YYYY-MM-DD` strings; the engine has no clock.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Event {
    /// A suitability assessment; the engine computes the verdict.
    AssessmentRecorded {
        /// The assessment.
        assessment: Assessment,
    },
    /// The course starts. Refused after a contraindicated or indeterminate verdict unless
    /// overridden.
    CourseStarted {
        /// Date.
        date: String,
        /// A clinician's override with its justification.
        #[serde(default, rename = "override", skip_serializing_if = "Option::is_none")]
        override_: Option<Override>,
    },
    /// A session was held.
    SessionHeld {
        /// Session number: the next one, 1, 2, 3...
        number: u32,
        /// Date.
        date: String,
        /// Measures taken.
        #[serde(default)]
        measures: Vec<Measure>,
        /// Techniques used (T- rule IDs).
        #[serde(default)]
        techniques: Vec<RuleId>,
        /// Initial-phase tasks done in the session.
        #[serde(default)]
        tasks_done: Vec<InitialTask>,
        /// Goals rated in the session, each 0-10 (G-PROGRESS).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        goal_ratings: Vec<GoalRating>,
    },
    /// An appointment was missed (consumes no session number).
    SessionMissed {
        /// Date.
        date: String,
    },
    /// The interpersonal inventory.
    InventoryRecorded {
        /// The inventory.
        inventory: Inventory,
    },
    /// The focus (primary and optional backup area).
    FocusAgreed {
        /// Primary area.
        primary: ProblemArea,
        /// Backup area, distinct.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        backup: Option<ProblemArea>,
    },
    /// The contract.
    ContractAgreed {
        /// The contract.
        contract: Contract,
    },
    /// The focus is changed in the middle phase.
    FocusRenegotiated {
        /// New primary area.
        primary: ProblemArea,
        /// New backup area.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        backup: Option<ProblemArea>,
        /// Why (required).
        reason: String,
    },
    /// The number of sessions is changed in the middle phase.
    ContractRenegotiated {
        /// New number of sessions.
        sessions: u32,
        /// Why (required).
        reason: String,
    },
    /// The goals are revised in the middle or termination phase: the new list replaces the
    /// old one (ratings of the goals kept, by id, are kept). It settles the goals that served
    /// an area a renegotiated focus dropped.
    GoalsRevised {
        /// The goals, as in the contract.
        goals: Vec<GoalInput>,
        /// Why (required).
        reason: String,
    },
    /// A relapse-prevention plan, from the termination phase on (ST-RELAPSE-PLAN).
    RelapsePlanRecorded {
        /// Date.
        date: String,
        /// Early warning signs (at least one).
        warning_signs: Vec<String>,
        /// What helps when they appear (at least one).
        what_helps: Vec<String>,
        /// The people from the inventory the patient can turn to (relationship ids).
        #[serde(default)]
        people: Vec<String>,
        /// When to come back.
        return_when: String,
    },
    /// Suicide risk assessed.
    RiskAssessed {
        /// Level.
        level: SuicideRisk,
    },
    /// A safety plan was made.
    SafetyPlanRecorded {
        /// Date.
        date: String,
    },
    /// The ending was raised with the patient.
    TerminationRaised {},
    /// The clinician reassessed the patient after a reassessment alert in termination (a
    /// rise back to the baseline band or with suicide risk); it clears that alert.
    ReassessmentRecorded {
        /// Date.
        date: String,
    },
    /// A clinician reviewed the measures after a reliable deterioration (M-DETERIORATION);
    /// it clears the deterioration alerts.
    MeasuresReviewed {
        /// Date.
        date: String,
    },
    /// The acute course is complete.
    CourseCompleted {},
    /// A maintenance contract after completion.
    MaintenanceContracted {
        /// Sessions per month (V-MAINTENANCE: monthly, 1).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sessions_per_month: Option<u32>,
    },
    /// A maintenance session.
    MaintenanceSessionHeld {
        /// Number within maintenance: 1, 2, 3...
        number: u32,
        /// Date.
        date: String,
        /// Measures taken.
        #[serde(default)]
        measures: Vec<Measure>,
    },
    /// The course is closed.
    Closed {
        /// Why.
        reason: CloseReason,
    },
}
}

impl Event {
    /// The event's `type` string.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::AssessmentRecorded { .. } => "assessment_recorded",
            Event::CourseStarted { .. } => "course_started",
            Event::SessionHeld { .. } => "session_held",
            Event::SessionMissed { .. } => "session_missed",
            Event::InventoryRecorded { .. } => "inventory_recorded",
            Event::FocusAgreed { .. } => "focus_agreed",
            Event::ContractAgreed { .. } => "contract_agreed",
            Event::FocusRenegotiated { .. } => "focus_renegotiated",
            Event::ContractRenegotiated { .. } => "contract_renegotiated",
            Event::GoalsRevised { .. } => "goals_revised",
            Event::RelapsePlanRecorded { .. } => "relapse_plan_recorded",
            Event::RiskAssessed { .. } => "risk_assessed",
            Event::SafetyPlanRecorded { .. } => "safety_plan_recorded",
            Event::TerminationRaised {} => "termination_raised",
            Event::ReassessmentRecorded { .. } => "reassessment_recorded",
            Event::MeasuresReviewed { .. } => "measures_reviewed",
            Event::CourseCompleted {} => "course_completed",
            Event::MaintenanceContracted { .. } => "maintenance_contracted",
            Event::MaintenanceSessionHeld { .. } => "maintenance_session_held",
            Event::Closed { .. } => "closed",
        }
    }
}

impl Event {
    /// The [`limits`](crate::limits) of one event, checked before it is applied: text and
    /// list lengths, measures per session, and the assessment or inventory it carries.
    /// `path` is the event's JSONPath.
    pub fn check_limits(&self, path: &str) -> Result<(), crate::error::Error> {
        use crate::limits::{self, MAX_LIST_ITEMS, MAX_MEASURES_PER_SESSION};
        let at = |field: &str| -> crate::path::JsonPath { format!("{path}.{field}").into() };
        let measures = |ms: &[Measure]| {
            limits::check_len(
                ms.len(),
                MAX_MEASURES_PER_SESSION,
                "measures in one session",
                "max_measures_per_session",
                || at("measures"),
            )
        };
        let list = |len: usize, field: &str| {
            limits::check_len(len, MAX_LIST_ITEMS, "items", "max_list_items", || at(field))
        };
        let date = |d: &str| limits::check_id(d, || at("date"));
        match self {
            Event::AssessmentRecorded { assessment } => {
                assessment.check_limits_at(&at("assessment"))
            }
            Event::CourseStarted { date: d, override_ } => {
                date(d)?;
                if let Some(o) = override_ {
                    limits::check_id(&o.clinician, || at("override.clinician"))?;
                    limits::check_text(&o.justification, || at("override.justification"))?;
                }
                Ok(())
            }
            Event::SessionHeld {
                date: d,
                measures: ms,
                techniques,
                tasks_done,
                goal_ratings,
                ..
            } => {
                date(d)?;
                measures(ms)?;
                list(techniques.len(), "techniques")?;
                list(tasks_done.len(), "tasks_done")?;
                list(goal_ratings.len(), "goal_ratings")
            }
            Event::MaintenanceSessionHeld {
                date: d,
                measures: ms,
                ..
            } => {
                date(d)?;
                measures(ms)
            }
            Event::SessionMissed { date: d }
            | Event::SafetyPlanRecorded { date: d }
            | Event::ReassessmentRecorded { date: d }
            | Event::MeasuresReviewed { date: d } => date(d),
            Event::FocusRenegotiated { reason, .. }
            | Event::ContractRenegotiated { reason, .. } => {
                limits::check_text(reason, || at("reason"))
            }
            Event::RelapsePlanRecorded {
                date: d,
                warning_signs,
                what_helps,
                people,
                return_when,
            } => {
                date(d)?;
                for (field, items) in [
                    ("warning_signs", warning_signs),
                    ("what_helps", what_helps),
                    ("people", people),
                ] {
                    list(items.len(), field)?;
                    for (i, t) in items.iter().enumerate() {
                        limits::check_text(t, || at(&format!("{field}[{i}]")))?;
                    }
                }
                limits::check_text(return_when, || at("return_when"))
            }
            Event::GoalsRevised { reason, .. } => limits::check_text(reason, || at("reason")),
            // The goals are checked, limits first, by the handler.
            Event::ContractAgreed { .. } => Ok(()),
            // Validated, limits first, by its handler.
            Event::InventoryRecorded { .. }
            | Event::FocusAgreed { .. }
            | Event::RiskAssessed { .. }
            | Event::TerminationRaised {}
            | Event::CourseCompleted {}
            | Event::MaintenanceContracted { .. }
            | Event::Closed { .. } => Ok(()),
        }
    }

    /// The measures the event records.
    pub fn measures(&self) -> &[Measure] {
        match self {
            Event::SessionHeld { measures, .. }
            | Event::MaintenanceSessionHeld { measures, .. } => measures,
            _ => &[],
        }
    }
}
