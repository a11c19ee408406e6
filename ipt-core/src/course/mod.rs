//! The IPT course as an event-sourced state machine (`docs/protocol.md` §4): variants as validated
//! configurations ([`config`]), phases, events, and one pure transition function [`apply`]
//! that returns the new state with its explained outputs, or a refusal that lists every
//! unmet precondition.
//!
//! Design choices (documented here because the protocol leaves them open):
//! * Session numbers count held sessions; a `session_missed` records a missed appointment and
//!   consumes no number.
//! * Lethality must be assessed in session 1 (S3). A session 1 without it is recorded (it
//!   happened) with a warning, the warning stays among the alerts until lethality is
//!   assessed, and ST-ENTER-MIDDLE refuses the middle phase until then.
//! * The first termination-phase session is refused until the ending has been raised
//!   (`termination_raised`); raised fewer than two sessions before the phase (L1), the
//!   session is accepted with a warning.
//! * V-MAINTENANCE courses go from intake straight to `maintenance`; any maintenance ends
//!   with `course_completed` in phase `maintenance_completed`.
//!
//! ```
//! use ipt_core::course::{apply, CourseConfig, CourseState, Event};
//! use ipt_core::variant::Variant;
//! use ipt_core::Error;
//!
//! let state = CourseState::new(CourseConfig::of(Variant::Brief));
//! let start: Event = serde_json::from_str(r#"{"type":"course_started","date":"2026-01-05"}"#).unwrap();
//! // No assessment yet: refused, with every unmet precondition; `state` is untouched.
//! match apply(&state, &start) {
//!     Err(Error::TransitionRefused { unmet, .. }) => assert_eq!(unmet[0].requirement, "assessment_recorded"),
//!     other => panic!("{other:?}"),
//! }
//! ```

pub mod config;

use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use config::{phase_of, CourseConfig, Overrides};

use crate::areas::{self, AreaRanking, Focus, ProblemArea};
use crate::error::{Error, Unmet};
use crate::explain::{Explanation, Indicator, InputUsed, RuleStatus};
use crate::findings::Finding;
use crate::inventory::{Date, Inventory};
use crate::measures::{self, Instrument, Measure, MeasureReading};
use crate::rules::RuleId;
use crate::suitability::{self, Assessment, Format, SuicideRisk, SuitabilityReport, Verdict};
use crate::variant::Variant;

/// The phase of a course. Phases never go backwards ([`Phase::rank`]).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Before the course starts: assessment.
    Intake,
    /// Initial phase (ST-INITIAL).
    Initial,
    /// Middle phase (ST-MIDDLE).
    Middle,
    /// Termination phase (ST-TERMINATION).
    Termination,
    /// The acute course is complete.
    Completed,
    /// Maintenance sessions under a separate contract (V-MAINTENANCE).
    Maintenance,
    /// Maintenance has ended.
    MaintenanceCompleted,
    /// Closed before completion; accepts no event.
    Closed,
}

impl Phase {
    /// Position in the phase order; a transition never lowers it.
    pub const fn rank(self) -> u8 {
        self as u8
    }
}

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
    pub fn as_str(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

/// A clinician's override of a contraindicated or indeterminate verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Override {
    /// Who overrides.
    pub clinician: String,
    /// Why (required, not blank).
    pub justification: String,
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
    /// Goals agreed with the patient.
    #[serde(default)]
    pub goals: Vec<String>,
}

/// An event a clinician records. Dates are `YYYY-MM-DD` strings; the engine has no clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
            Event::RiskAssessed { .. } => "risk_assessed",
            Event::SafetyPlanRecorded { .. } => "safety_plan_recorded",
            Event::TerminationRaised {} => "termination_raised",
            Event::CourseCompleted {} => "course_completed",
            Event::MaintenanceContracted { .. } => "maintenance_contracted",
            Event::MaintenanceSessionHeld { .. } => "maintenance_session_held",
            Event::Closed { .. } => "closed",
        }
    }
}

/// A measure with the session it was taken in (0: maintenance numbering is separate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasurePoint {
    /// The phase of the session.
    pub phase: Phase,
    /// The session number (within maintenance for maintenance sessions).
    pub session: u32,
    /// The measure.
    pub measure: Measure,
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
    /// Every measure, in order.
    pub measures: Vec<MeasurePoint>,
    /// Why the course was closed.
    pub closed_reason: Option<CloseReason>,
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
            measures: Vec::new(),
            closed_reason: None,
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

    /// The unmet prerequisites of ST-ENTER-MIDDLE.
    pub fn enter_middle_unmet(&self) -> Vec<Unmet> {
        let mut out = Vec::new();
        let mut need = |ok: bool, req: &str, msg: &str| {
            if !ok {
                out.push(unmet(RuleId::StEnterMiddle, req, msg));
            }
        };
        need(
            self.lethality_assessed(),
            "lethality_assessed",
            "lethality has not been assessed",
        );
        need(
            self.inventory.is_some(),
            "inventory_recorded",
            "no interpersonal inventory is recorded",
        );
        need(
            self.focus.is_some(),
            "focus_agreed",
            "no focus has been agreed",
        );
        need(
            self.contract.is_some(),
            "contract_agreed",
            "no contract has been made",
        );
        out
    }

    /// The ranking of the recorded inventory.
    pub fn ranking(&self) -> Option<AreaRanking> {
        self.inventory.as_ref().map(areas::rank)
    }
}

/// The outputs of a transition: every item explained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Outputs {
    /// Active alerts, X-SUICIDE first.
    pub alerts: Vec<Explanation>,
    /// What the event produced (verdict, focus warnings, measure readings, termination notes).
    pub items: Vec<Explanation>,
    /// Options and tasks for the next session.
    pub next_session: Vec<Explanation>,
    /// The override of the verdict, shown on every output once recorded.
    #[serde(rename = "override", default, skip_serializing_if = "Option::is_none")]
    pub override_: Option<RecordedOverride>,
    /// The suitability report of an `assessment_recorded`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suitability: Option<SuitabilityReport>,
    /// The problem-area ranking of an `inventory_recorded`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranking: Option<AreaRanking>,
    /// Measure readings of a session.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub readings: Vec<MeasureReading>,
}

/// The result of [`apply`].
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    /// The new state.
    pub state: CourseState,
    /// Its outputs.
    pub outputs: Outputs,
}

fn unmet(rule_id: RuleId, requirement: &str, message: &str) -> Unmet {
    Unmet {
        rule_id,
        requirement: requirement.to_owned(),
        message: message.to_owned(),
    }
}

fn refused(path: &str, event: &Event, unmet: Vec<Unmet>) -> Error {
    let list: Vec<&str> = unmet.iter().map(|u| u.requirement.as_str()).collect();
    Error::TransitionRefused {
        message: format!("`{}` refused: {}", event.kind(), list.join(", ")),
        path: path.into(),
        unmet,
    }
}

fn check_date(date: &str, path: &str) -> Result<(), Error> {
    if Date::parse(date).is_none() {
        return Err(Error::invalid(
            path,
            format!("`{date}` is not a calendar date in the form YYYY-MM-DD"),
        ));
    }
    Ok(())
}

fn date_unmet(state: &CourseState, date: &str) -> Option<Unmet> {
    let last = state.last_date.as_deref().and_then(Date::parse)?;
    let d = Date::parse(date)?;
    (d < last).then(|| {
        unmet(
            RuleId::StEvaluate,
            "date_not_before_last",
            &format!(
                "the date {date} is before the last recorded date {}",
                state.last_date.as_deref().unwrap_or_default()
            ),
        )
    })
}

fn phase_unmet(state: &CourseState, allowed: &[Phase], rule: RuleId) -> Option<Unmet> {
    (!allowed.contains(&state.phase)).then(|| {
        let names: Vec<String> = allowed
            .iter()
            .map(|p| {
                serde_json::to_value(p)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            })
            .collect();
        unmet(
            rule,
            "phase",
            &format!(
                "the course is in phase {:?}; this event needs phase {}",
                state.phase,
                names.join(" or ")
            ),
        )
    })
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// Applies an event to a state, with paths under `$.event`. See [`apply_at`].
pub fn apply(state: &CourseState, event: &Event) -> Result<Transition, Error> {
    apply_at(state, event, "$.event")
}

/// Applies an event to a state: the new state and its outputs, or an error that leaves the
/// state as it was (the input is borrowed; nothing changes on an error). A refusal lists
/// every unmet precondition. `path` is the JSONPath of the event in the request.
pub fn apply_at(state: &CourseState, event: &Event, path: &str) -> Result<Transition, Error> {
    let mut s = state.clone();
    let mut items: Vec<Explanation> = Vec::new();
    let mut suitability_report = None;
    let mut ranking = None;
    let mut readings = Vec::new();
    let mut un: Vec<Unmet> = Vec::new();
    if s.phase == Phase::Closed {
        return Err(refused(
            path,
            event,
            vec![unmet(
                RuleId::StInitial,
                "course_open",
                "the course is closed and accepts no event",
            )],
        ));
    }
    let acute = [Phase::Initial, Phase::Middle, Phase::Termination];
    match event {
        Event::AssessmentRecorded { assessment } => {
            un.extend(phase_unmet(&s, &[Phase::Intake], RuleId::StInitial));
            if un.is_empty() {
                let report = suitability::assess(assessment);
                s.verdict = Some(report.verdict);
                s.verdict_decided_by = report.decided_by.clone();
                if let Some(r) = assessment.findings.suicide_risk {
                    s.risk = Some(r);
                }
                suitability_report = Some(report);
            }
        }
        Event::CourseStarted { date, override_ } => {
            check_date(date, &format!("{path}.date"))?;
            if let Some(o) = override_ {
                if blank(&o.justification) {
                    return Err(Error::invalid(
                        format!("{path}.override.justification"),
                        "an override needs a written justification",
                    ));
                }
                if blank(&o.clinician) {
                    return Err(Error::invalid(
                        format!("{path}.override.clinician"),
                        "an override names the clinician",
                    ));
                }
            }
            un.extend(phase_unmet(&s, &[Phase::Intake], RuleId::StInitial));
            match s.verdict {
                None => un.push(unmet(
                    RuleId::StInitial,
                    "assessment_recorded",
                    "no suitability assessment is recorded",
                )),
                Some(v @ (Verdict::Contraindicated | Verdict::Indeterminate)) => match override_ {
                    None => un.push(unmet(
                        s.verdict_decided_by.first().copied().unwrap_or(RuleId::StInitial),
                        "suitable_or_override",
                        &format!(
                            "the verdict is {}: starting needs a clinician's override with a justification",
                            v.as_str()
                        ),
                    )),
                    Some(o) => {
                        s.override_ = Some(RecordedOverride {
                            verdict: v,
                            clinician: o.clinician.clone(),
                            justification: o.justification.clone(),
                        })
                    }
                },
                Some(_) => {}
            }
            un.extend(date_unmet(&s, date));
            if un.is_empty() {
                s.phase = if s.config.open_ended() {
                    Phase::Maintenance
                } else {
                    Phase::Initial
                };
                s.last_date = Some(date.clone());
            }
        }
        Event::SessionHeld {
            number,
            date,
            measures: ms,
            techniques,
            tasks_done,
        } => {
            check_date(date, &format!("{path}.date"))?;
            for (i, m) in ms.iter().enumerate() {
                m.validate(&format!("{path}.measures[{i}]"))?;
            }
            for (i, t) in techniques.iter().enumerate() {
                if !t.as_str().starts_with("T-") {
                    return Err(Error::invalid(
                        format!("{path}.techniques[{i}]"),
                        format!("{} is not a technique (T-*)", t.as_str()),
                    ));
                }
            }
            un.extend(phase_unmet(&s, &acute, RuleId::StEvaluate));
            un.extend(date_unmet(&s, date));
            let expected = s.sessions_held + 1;
            let vr = s.config.variant.rule_id();
            if *number != expected {
                un.push(unmet(
                    vr,
                    "session_number",
                    &format!(
                        "the next session is number {expected}, got {number} (no gaps or repeats)"
                    ),
                ));
            }
            match phase_of(*number, &s.config) {
                None => un.push(unmet(
                    vr,
                    "within_contract",
                    &format!(
                        "session {number} is beyond the contracted {} sessions",
                        s.config.total_sessions
                    ),
                )),
                Some(p) => {
                    let lethality = s.lethality_assessed()
                        || tasks_done.contains(&InitialTask::LethalityAssessed);
                    if *number == 1 && !lethality {
                        items.push(
                            Explanation::new(
                                RuleId::StInitial,
                                RuleStatus::NotMet,
                                Indicator::Warning,
                                "Lethality was not assessed in session 1.",
                                "Lethality must be assessed in session 1 (S3): assess it now and record lethality_assessed or a risk assessment. The middle phase cannot begin until it is done (ST-ENTER-MIDDLE).",
                            )
                            .missing([format!("{path}.tasks_done")]),
                        );
                    }
                    if p == Phase::Middle && s.phase == Phase::Initial {
                        let mut probe = s.clone();
                        probe.tasks_done.extend(tasks_done.iter().copied());
                        un.extend(probe.enter_middle_unmet());
                    }
                    if p == Phase::Termination && s.phase != Phase::Termination {
                        match s.termination_raised_after {
                            None => un.push(unmet(
                                RuleId::StTermination,
                                "termination_raised",
                                "the ending has not been raised: record termination_raised first (L1: at least two sessions before)",
                            )),
                            Some(k) if k + 2 > *number => items.push(Explanation::new(
                                RuleId::StTermination,
                                RuleStatus::NotMet,
                                Indicator::Warning,
                                "The ending was raised late.",
                                format!("The ending was raised after session {k}, fewer than two sessions before the termination phase (session {number}); consider giving extra room to the sense of loss at ending."),
                            ).used([InputUsed::new(format!("{path}.number"), number)])),
                            Some(_) => {}
                        }
                    }
                    if un.is_empty() {
                        s.phase = p;
                    }
                }
            }
            if un.is_empty() {
                s.sessions_held = *number;
                s.last_date = Some(date.clone());
                s.tasks_done.extend(tasks_done.iter().copied());
                let phase = s.phase;
                for (i, m) in ms.iter().enumerate() {
                    readings.push(record_measure(
                        &mut s,
                        m,
                        phase,
                        *number,
                        &format!("{path}.measures[{i}]"),
                        &mut items,
                    )?);
                }
                if !techniques.is_empty() {
                    items.push(
                        Explanation::new(
                            RuleId::StMiddle,
                            RuleStatus::Met,
                            Indicator::Info,
                            format!(
                                "{} technique(s) used in session {number}.",
                                techniques.len()
                            ),
                            "Techniques recorded for the session.",
                        )
                        .used([InputUsed::new(format!("{path}.techniques"), techniques)]),
                    );
                }
            }
        }
        Event::SessionMissed { date } => {
            check_date(date, &format!("{path}.date"))?;
            un.extend(phase_unmet(
                &s,
                &[
                    Phase::Initial,
                    Phase::Middle,
                    Phase::Termination,
                    Phase::Maintenance,
                ],
                RuleId::StEvaluate,
            ));
            un.extend(date_unmet(&s, date));
            if un.is_empty() {
                s.sessions_missed += 1;
                s.last_date = Some(date.clone());
                items.push(Explanation::new(
                    RuleId::XFrequency,
                    RuleStatus::Met,
                    Indicator::Warning,
                    format!("Appointment missed ({} so far).", s.sessions_missed),
                    "Sessions must be frequent enough for results; consider rescheduling soon and exploring what kept the patient away.",
                ).used([InputUsed::new(format!("{path}.date"), date)]));
            }
        }
        Event::InventoryRecorded { inventory } => {
            inventory.validate_at(&format!("{path}.inventory"))?;
            un.extend(phase_unmet(&s, &[Phase::Initial], RuleId::StInitial));
            if un.is_empty() {
                s.inventory = Some(inventory.clone());
                s.tasks_done.insert(InitialTask::Inventory);
                ranking = Some(areas::rank(inventory));
            }
        }
        Event::FocusAgreed { primary, backup } => {
            un.extend(phase_unmet(&s, &[Phase::Initial], RuleId::StInitial));
            if s.focus.is_some() {
                un.push(unmet(
                    RuleId::StMiddle,
                    "no_focus_yet",
                    "a focus is already agreed: use focus_renegotiated",
                ));
            }
            match s.ranking() {
                None => un.push(unmet(
                    RuleId::PaSelect,
                    "inventory_recorded",
                    "the focus is chosen on the inventory's evidence: record the inventory first",
                )),
                Some(r) => {
                    let warnings = areas::check_focus_at(&r, *primary, *backup, path)?;
                    if un.is_empty() {
                        items.extend(warnings);
                        s.focus = Some(Focus {
                            primary: *primary,
                            backup: *backup,
                        });
                    }
                }
            }
        }
        Event::ContractAgreed { contract } => {
            un.extend(phase_unmet(&s, &[Phase::Initial], RuleId::StInitial));
            if s.contract.is_some() {
                un.push(unmet(
                    RuleId::StMiddle,
                    "no_contract_yet",
                    "a contract is already agreed: use contract_renegotiated",
                ));
            }
            let cfg = s
                .config
                .with_total(contract.sessions, &format!("{path}.contract.sessions"))?;
            if contract.sessions < s.sessions_held {
                un.push(unmet(
                    s.config.variant.rule_id(),
                    "within_contract",
                    "the contract is shorter than the sessions already held",
                ));
            }
            if un.is_empty() {
                s.config = cfg;
                s.contract = Some(contract.clone());
                s.tasks_done.insert(InitialTask::Contract);
                if !contract.goals.is_empty() {
                    s.tasks_done.insert(InitialTask::Goals);
                }
            }
        }
        Event::FocusRenegotiated {
            primary,
            backup,
            reason,
        } => {
            if blank(reason) {
                un.push(unmet(
                    RuleId::StMiddle,
                    "reason",
                    "a renegotiation needs a reason",
                ));
            }
            un.extend(phase_unmet(&s, &[Phase::Middle], RuleId::StMiddle));
            let warnings = match s.ranking() {
                Some(r) => areas::check_focus_at(&r, *primary, *backup, path)?,
                None => {
                    un.push(unmet(RuleId::PaSelect, "inventory_recorded", "the focus is chosen on the inventory's evidence: record the inventory first"));
                    Vec::new()
                }
            };
            if un.is_empty() {
                items.extend(warnings);
                items.push(
                    Explanation::new(
                        RuleId::StMiddle,
                        RuleStatus::Met,
                        Indicator::Info,
                        format!("Focus renegotiated to {}.", primary.label()),
                        format!("Reason recorded: {reason}"),
                    )
                    .used([InputUsed::new(format!("{path}.reason"), reason)]),
                );
                s.focus = Some(Focus {
                    primary: *primary,
                    backup: *backup,
                });
            }
        }
        Event::ContractRenegotiated { sessions, reason } => {
            if blank(reason) {
                un.push(unmet(
                    RuleId::StMiddle,
                    "reason",
                    "a renegotiation needs a reason",
                ));
            }
            un.extend(phase_unmet(&s, &[Phase::Middle], RuleId::StMiddle));
            let cfg = s
                .config
                .with_total(*sessions, &format!("{path}.sessions"))?;
            if cfg.termination_start() <= s.sessions_held {
                un.push(unmet(
                    RuleId::StMiddle,
                    "within_contract",
                    &format!("{sessions} sessions would put sessions already held in the termination phase"),
                ));
            }
            if un.is_empty() {
                s.config = cfg;
                if let Some(c) = s.contract.as_mut() {
                    c.sessions = *sessions;
                }
                items.push(
                    Explanation::new(
                        RuleId::StMiddle,
                        RuleStatus::Met,
                        Indicator::Info,
                        format!("Contract renegotiated to {sessions} sessions."),
                        format!("Reason recorded: {reason}"),
                    )
                    .used([InputUsed::new(format!("{path}.reason"), reason)]),
                );
            }
        }
        Event::RiskAssessed { level } => {
            s.risk = Some(*level);
            s.item9_positive = false;
            s.tasks_done.insert(InitialTask::LethalityAssessed);
        }
        Event::SafetyPlanRecorded { date } => {
            check_date(date, &format!("{path}.date"))?;
            s.safety_plan = true;
        }
        Event::TerminationRaised {} => {
            un.extend(phase_unmet(
                &s,
                &[Phase::Initial, Phase::Middle],
                RuleId::StTermination,
            ));
            if s.termination_raised_after.is_some() {
                un.push(unmet(
                    RuleId::StTermination,
                    "not_yet_raised",
                    "the ending has already been raised",
                ));
            }
            if un.is_empty() {
                s.termination_raised_after = Some(s.sessions_held);
            }
        }
        Event::CourseCompleted {} => {
            if s.phase == Phase::Maintenance {
                s.phase = Phase::MaintenanceCompleted;
                items.push(
                    Explanation::new(
                        RuleId::VMaintenance,
                        RuleStatus::Met,
                        Indicator::Info,
                        format!(
                            "Maintenance ended after {} session(s).",
                            s.maintenance_sessions_held
                        ),
                        "Maintenance IPT has ended; consider a plan for early signs of relapse.",
                    )
                    .used([InputUsed::new(
                        "$.state.maintenance_sessions_held",
                        s.maintenance_sessions_held,
                    )]),
                );
            } else {
                un.extend(phase_unmet(
                    &s,
                    &[Phase::Termination],
                    RuleId::StTermination,
                ));
                if s.sessions_held < s.config.total_sessions {
                    un.push(unmet(
                        RuleId::StTermination,
                        "all_sessions_held",
                        &format!(
                            "{} of {} sessions held: close the course instead if it ends early",
                            s.sessions_held, s.config.total_sessions
                        ),
                    ));
                }
                if un.is_empty() {
                    s.phase = Phase::Completed;
                    items.extend(completion_items(&s));
                }
            }
        }
        Event::MaintenanceContracted { sessions_per_month } => {
            un.extend(phase_unmet(&s, &[Phase::Completed], RuleId::VMaintenance));
            if sessions_per_month.is_some_and(|n| n == 0 || n > 4) {
                return Err(Error::invalid(
                    format!("{path}.sessions_per_month"),
                    "sessions per month must be between 1 and 4",
                ));
            }
            if un.is_empty() {
                s.phase = Phase::Maintenance;
            }
        }
        Event::MaintenanceSessionHeld {
            number,
            date,
            measures: ms,
        } => {
            check_date(date, &format!("{path}.date"))?;
            for (i, m) in ms.iter().enumerate() {
                m.validate(&format!("{path}.measures[{i}]"))?;
            }
            un.extend(phase_unmet(&s, &[Phase::Maintenance], RuleId::VMaintenance));
            un.extend(date_unmet(&s, date));
            let expected = s.maintenance_sessions_held + 1;
            if *number != expected {
                un.push(unmet(RuleId::VMaintenance, "session_number", &format!("the next maintenance session is number {expected}, got {number} (no gaps or repeats)")));
            }
            if un.is_empty() {
                s.maintenance_sessions_held = *number;
                s.last_date = Some(date.clone());
                for (i, m) in ms.iter().enumerate() {
                    readings.push(record_measure(
                        &mut s,
                        m,
                        Phase::Maintenance,
                        *number,
                        &format!("{path}.measures[{i}]"),
                        &mut items,
                    )?);
                }
            }
        }
        Event::Closed { reason } => {
            if matches!(s.phase, Phase::Completed | Phase::MaintenanceCompleted) {
                un.push(unmet(
                    RuleId::StTermination,
                    "not_terminal",
                    "the course is already complete",
                ));
            }
            if un.is_empty() {
                s.phase = Phase::Closed;
                s.closed_reason = Some(*reason);
            }
        }
    }
    if !un.is_empty() {
        return Err(refused(path, event, un));
    }
    let outputs = Outputs {
        alerts: alerts(&s),
        items,
        next_session: next_session(&s),
        override_: s.override_.clone(),
        suitability: suitability_report,
        ranking,
        readings,
    };
    Ok(Transition { state: s, outputs })
}

fn record_measure(
    s: &mut CourseState,
    m: &Measure,
    phase: Phase,
    session: u32,
    path: &str,
    items: &mut Vec<Explanation>,
) -> Result<MeasureReading, Error> {
    let baseline = s
        .measures
        .iter()
        .find(|p| p.measure.instrument == m.instrument)
        .map(|p| p.measure.clone());
    let previous = s
        .measures
        .iter()
        .rev()
        .find(|p| p.measure.instrument == m.instrument)
        .map(|p| p.measure.total);
    let reading = measures::evaluate_at(baseline.as_ref(), m, "$.baseline", path)?;
    if reading.lethality_assessment_due == Finding::Present {
        s.item9_positive = true;
    }
    items.extend(reading.explanations.iter().cloned());
    let label = m.instrument.label();
    if phase == Phase::Termination {
        if let Some(prev) = previous.filter(|p| m.total > *p) {
            let back_to_baseline = reading
                .baseline_band
                .is_some_and(|b| reading.band.severity() >= b.severity());
            let used = [
                InputUsed::new(format!("{path}.total"), m.total),
                InputUsed::new("$.state.measures", prev),
            ];
            if back_to_baseline || s.risk_unresolved() {
                items.push(Explanation::new(
                    RuleId::StTermination,
                    RuleStatus::Met,
                    Indicator::Warning,
                    format!("{label} rose from {prev} to {}: reassess.", m.total),
                    if back_to_baseline {
                        "The rise reaches the baseline severity band: more than the expected upsurge at ending. Reassess, and consider continuing the course (renegotiated contract) or maintenance IPT.".to_owned()
                    } else {
                        "The rise comes with suicide risk: reassess lethality, and consider continuing the course or maintenance IPT.".to_owned()
                    },
                ).used(used));
            } else {
                items.push(Explanation::new(
                    RuleId::StTermination,
                    RuleStatus::Met,
                    Indicator::Info,
                    format!("{label} rose from {prev} to {}: the expected upsurge at ending.", m.total),
                    "A rise in symptoms during termination is expected (S3); it stays below the baseline band. Address the sense of loss at ending and consolidate gains.",
                ).used(used));
            }
        }
    }
    s.measures.push(MeasurePoint {
        phase,
        session,
        measure: m.clone(),
    });
    Ok(reading)
}

fn completion_items(s: &CourseState) -> Vec<Explanation> {
    let mut out = Vec::new();
    for inst in Instrument::ALL {
        let pts: Vec<&MeasurePoint> = s
            .measures
            .iter()
            .filter(|p| p.measure.instrument == inst)
            .collect();
        let (Some(first), Some(last)) = (pts.first(), pts.last()) else {
            continue;
        };
        let responded = measures::is_response(first.measure.total, last.measure.total);
        let used = [
            InputUsed::new("$.state.measures.baseline", first.measure.total),
            InputUsed::new("$.state.measures.latest", last.measure.total),
        ];
        out.push(if responded {
            Explanation::new(
                RuleId::StEvaluate,
                RuleStatus::Met,
                Indicator::Info,
                format!("{}: response ({} to {}).", inst.label(), first.measure.total, last.measure.total),
                "At least a 50% reduction from the baseline. For recurrent depression, maintenance IPT can prevent relapse (I-MAINTENANCE).",
            ).used(used)
        } else {
            Explanation::new(
                RuleId::StTermination,
                RuleStatus::NotMet,
                Indicator::Warning,
                format!("{}: no response ({} to {}): consider alternatives.", inst.label(), first.measure.total, last.measure.total),
                "Non-response at the end of the course (L1): consider alternatives such as medication, another psychotherapy, or a different focus in a new contract.",
            ).used(used)
        });
    }
    if out.is_empty() {
        out.push(Explanation::new(
            RuleId::StEvaluate,
            RuleStatus::Unknown,
            Indicator::Warning,
            "No symptom measure recorded: response cannot be judged.",
            "Without measures the course's effect is unknown; consider a measure now to decide between ending, maintenance and alternatives.",
        ).missing(["$.event.measures".to_owned()]));
    }
    out
}

/// The active alerts of a state: X-SUICIDE while high/imminent risk or a positive PHQ-9
/// item 9 is unresolved (invariant 8).
pub fn alerts(s: &CourseState) -> Vec<Explanation> {
    let mut out = Vec::new();
    if s.risk_unresolved() {
        let why = if s.item9_positive {
            "PHQ-9 item 9 is above 0 and no later risk assessment has resolved it"
        } else {
            "the latest risk assessment is high or imminent"
        };
        let plan = if s.safety_plan {
            "A safety plan is recorded; review it."
        } else {
            "No safety plan is recorded yet."
        };
        let mut e = Explanation::new(
            RuleId::XSuicide,
            RuleStatus::Met,
            Indicator::Critical,
            "Suicide risk: safety comes first.",
            format!("Safety takes precedence over everything else: {why}. Assess lethality now and record a risk assessment. {plan}"),
        )
        .used([
            InputUsed::new("$.state.risk", s.risk),
            InputUsed::new("$.state.item9_positive", s.item9_positive),
        ]);
        if s.item9_positive {
            e = e.missing(["$.event.level".to_owned()]);
        }
        out.push(e);
    }
    if s.sessions_held >= 1 && !s.lethality_assessed() && s.phase != Phase::Closed {
        out.push(
            Explanation::new(
                RuleId::StInitial,
                RuleStatus::NotMet,
                Indicator::Warning,
                "Lethality has not been assessed.",
                "Lethality must be assessed in session 1 (S3); assess it at the next contact.",
            )
            .used([InputUsed::new("$.state.sessions_held", s.sessions_held)])
            .missing(["$.state.tasks_done".to_owned()]),
        );
    }
    out
}

fn task_done(s: &CourseState, t: InitialTask) -> bool {
    s.tasks_done.contains(&t) || (t == InitialTask::LethalityAssessed && s.lethality_assessed())
}

fn task_item(s: &CourseState) -> Explanation {
    let left: Vec<String> = InitialTask::ALL
        .iter()
        .filter(|t| !task_done(s, **t))
        .map(|t| t.as_str())
        .collect();
    let done: Vec<String> = s.tasks_done.iter().map(|t| t.as_str()).collect();
    Explanation::new(
        RuleId::StInitial,
        if left.is_empty() { RuleStatus::Met } else { RuleStatus::NotMet },
        Indicator::Info,
        if left.is_empty() { "Initial tasks done.".to_owned() } else { format!("Initial tasks left: {}.", left.join(", ")) },
        "The initial phase reviews symptoms, assesses lethality, reviews medical causes, past episodes and medication, gives psychoeducation and the sick role, takes the interpersonal inventory, agrees a formulation, goals and the contract.",
    )
    .used([InputUsed::new("$.state.tasks_done", done)])
}

fn next_session(s: &CourseState) -> Vec<Explanation> {
    let mut out = Vec::new();
    let next = s.sessions_held + 1;
    match s.phase {
        Phase::Intake => {
            if s.verdict.is_none() {
                out.push(Explanation::new(RuleId::StInitial, RuleStatus::Unknown, Indicator::Info,
                    "Record a suitability assessment.", "The course starts after a suitability assessment.")
                    .missing(["$.event.assessment".to_owned()]));
            } else {
                out.push(Explanation::new(RuleId::StInitial, RuleStatus::Met, Indicator::Info,
                    "The course can be started.", format!("The verdict is {}; starting is the clinician's decision.", s.verdict.map(Verdict::as_str).unwrap_or_default())));
            }
        }
        Phase::Initial | Phase::Middle | Phase::Termination => {
            let p = phase_of(next, &s.config);
            match p {
                Some(Phase::Initial) => out.push(task_item(s)),
                Some(Phase::Middle) => {
                    if s.phase == Phase::Initial {
                        let unmet = s.enter_middle_unmet();
                        out.push(Explanation::new(
                            RuleId::StEnterMiddle,
                            if unmet.is_empty() { RuleStatus::Met } else { RuleStatus::NotMet },
                            if unmet.is_empty() { Indicator::Info } else { Indicator::Warning },
                            if unmet.is_empty() { "Ready for the middle phase.".to_owned() } else {
                                format!("Before session {next} (middle phase): {}.", unmet.iter().map(|u| u.requirement.as_str()).collect::<Vec<_>>().join(", "))
                            },
                            "The first middle-phase session needs lethality assessed, the inventory, the focus and the contract.",
                        ));
                        out.push(task_item(s));
                    }
                    if let Some(f) = s.focus {
                        out.push(areas::strategies(f.primary));
                        out.extend(areas::techniques(f.primary));
                    }
                    let t = s.config.termination_start();
                    if s.termination_raised_after.is_none() && next + 2 >= t {
                        out.push(Explanation::new(RuleId::StTermination, RuleStatus::NotMet, Indicator::Warning,
                            format!("Raise the ending now: the termination phase starts at session {t}."),
                            "The ending is raised explicitly at least two sessions before the termination phase (L1)."));
                    }
                }
                Some(Phase::Termination) => {
                    if s.phase != Phase::Termination && s.termination_raised_after.is_none() {
                        out.push(Explanation::new(RuleId::StTermination, RuleStatus::NotMet, Indicator::Warning,
                            "Raise the ending before the next session.", "The ending is raised explicitly before the termination phase (L1)."));
                    }
                    out.push(Explanation::new(RuleId::StTermination, RuleStatus::Met, Indicator::Info,
                        format!("Termination session {next} of {}.", s.config.total_sessions),
                        "Review progress on the inventory's issues, address the sense of loss at ending, consolidate gains, plan relapse prevention. A rise in symptoms now is expected."));
                }
                _ => out.push(Explanation::new(RuleId::StTermination, RuleStatus::Met, Indicator::Info,
                    "All contracted sessions are held: record course_completed.", "The acute course ends after its contracted sessions.")),
            }
        }
        Phase::Completed => out.push(Explanation::new(RuleId::VMaintenance, RuleStatus::Met, Indicator::Info,
            "Option: maintenance IPT.", "After response in recurrent depression, monthly maintenance IPT can prevent relapse (L7); it is a separate contract.")),
        Phase::Maintenance => out.push(Explanation::new(RuleId::VMaintenance, RuleStatus::Met, Indicator::Info,
            format!("Maintenance session {} (monthly).", s.maintenance_sessions_held + 1),
            "Maintenance IPT: monthly sessions keep the focus on interpersonal stability and early signs of relapse.")),
        Phase::MaintenanceCompleted | Phase::Closed => {}
    }
    out
}

/// A task of the initial-phase checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskStatus {
    /// The task.
    pub task: InitialTask,
    /// Whether it is done.
    pub done: bool,
}

/// The trajectory of one instrument.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Trajectory {
    /// The instrument.
    pub instrument: Instrument,
    /// Every measure, in order.
    pub points: Vec<MeasurePoint>,
    /// The latest measure read against the baseline (the first measure).
    pub latest: MeasureReading,
}

/// The status of a course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Status {
    /// The variant.
    pub variant: Variant,
    /// The phase.
    pub phase: Phase,
    /// Sessions held.
    pub session: u32,
    /// Contracted total (0 for open-ended maintenance).
    pub total_sessions: u32,
    /// Sessions left.
    pub sessions_left: u32,
    /// Maintenance sessions held.
    pub maintenance_sessions_held: u32,
    /// The initial-task checklist.
    pub initial_tasks: Vec<TaskStatus>,
    /// The focus.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus: Option<Focus>,
    /// Measure trajectories.
    pub measures: Vec<Trajectory>,
    /// Active alerts.
    pub alerts: Vec<Explanation>,
    /// Options and tasks for the next session.
    pub next_session: Vec<Explanation>,
    /// The override, if any.
    #[serde(rename = "override", default, skip_serializing_if = "Option::is_none")]
    pub override_: Option<RecordedOverride>,
    /// Why the course was closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_reason: Option<CloseReason>,
}

/// The status of a state.
pub fn status(s: &CourseState) -> Status {
    let mut measures_out = Vec::new();
    for inst in Instrument::ALL {
        let points: Vec<MeasurePoint> = s
            .measures
            .iter()
            .filter(|p| p.measure.instrument == inst)
            .cloned()
            .collect();
        if let (Some(first), Some(last)) = (points.first(), points.last()) {
            if let Ok(latest) = measures::evaluate(Some(&first.measure), &last.measure) {
                measures_out.push(Trajectory {
                    instrument: inst,
                    points: points.clone(),
                    latest,
                });
            }
        }
    }
    Status {
        variant: s.config.variant,
        phase: s.phase,
        session: s.sessions_held,
        total_sessions: s.config.total_sessions,
        sessions_left: s.config.total_sessions.saturating_sub(s.sessions_held),
        maintenance_sessions_held: s.maintenance_sessions_held,
        initial_tasks: InitialTask::ALL
            .iter()
            .map(|t| TaskStatus {
                task: *t,
                done: task_done(s, *t),
            })
            .collect(),
        focus: s.focus,
        measures: measures_out,
        alerts: alerts(s),
        next_session: next_session(s),
        override_: s.override_.clone(),
        closed_reason: s.closed_reason,
    }
}

/// The snapshot format version this engine reads and writes.
pub const SNAPSHOT_FORMAT_VERSION: u64 = 1;

/// How a course was started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StartRequest {
    /// The variant.
    pub variant: Variant,
    /// Overrides of the variant's defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overrides: Option<Overrides>,
    /// An identifier the caller chooses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub course_id: Option<String>,
}

impl StartRequest {
    /// The validated configuration (errors at `<root>.overrides.*`).
    pub fn config(&self, root: &str) -> Result<CourseConfig, Error> {
        CourseConfig::new(
            self.variant,
            &self.overrides.unwrap_or_default(),
            &format!("{root}.overrides"),
        )
    }
}

/// A course: its start, its events and the derived state. Versioned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// Always 1 for this engine.
    pub format_version: u64,
    /// The engine that wrote it.
    pub engine_version: String,
    /// The protocol version it encodes.
    pub protocol_version: String,
    /// How the course was started.
    pub start: StartRequest,
    /// Every accepted event, in order.
    pub events: Vec<Event>,
    /// The state derived from the events.
    pub state: CourseState,
}

impl Snapshot {
    /// A new course: validated start, no events, state in intake.
    pub fn start(start: StartRequest, root: &str) -> Result<Snapshot, Error> {
        let config = start.config(root)?;
        Ok(Snapshot {
            format_version: SNAPSHOT_FORMAT_VERSION,
            engine_version: crate::ENGINE_VERSION.to_owned(),
            protocol_version: crate::PROTOCOL_VERSION.to_owned(),
            start,
            events: Vec::new(),
            state: CourseState::new(config),
        })
    }

    /// Applies an event, appending it on success; on error the snapshot is unchanged.
    pub fn apply(&mut self, event: Event, path: &str) -> Result<Outputs, Error> {
        let t = apply_at(&self.state, &event, path)?;
        self.state = t.state;
        self.events.push(event);
        Ok(t.outputs)
    }

    /// Parses and validates a snapshot: version first, then the state recomputed from the
    /// events must equal the stored one. The result names this engine's versions.
    pub fn from_json(json: &str, root: &str) -> Result<Snapshot, Error> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| Error::InvalidJson {
                message: e.to_string(),
            })?;
        Snapshot::from_value(value, root)
    }

    /// [`Snapshot::from_json`] on a parsed value.
    pub fn from_value(value: serde_json::Value, root: &str) -> Result<Snapshot, Error> {
        let Some(obj) = value.as_object() else {
            return Err(Error::InvalidSnapshot {
                path: root.into(),
                message: "a snapshot is an object".to_owned(),
            });
        };
        match obj
            .get("format_version")
            .and_then(serde_json::Value::as_u64)
        {
            Some(SNAPSHOT_FORMAT_VERSION) => {}
            Some(found) => {
                return Err(Error::UnsupportedSnapshotVersion {
                    found,
                    supported: SNAPSHOT_FORMAT_VERSION,
                })
            }
            None => {
                return Err(Error::InvalidSnapshot {
                    path: format!("{root}.format_version").into(),
                    message: "format_version (an integer) is required".to_owned(),
                })
            }
        }
        let text = value.to_string();
        let snap: Snapshot = crate::parse::parse(&text).map_err(|e| match e {
            Error::InvalidInput { path, message } => Error::InvalidSnapshot {
                path: path.under(&root.into()),
                message,
            },
            other => Error::InvalidSnapshot {
                path: root.into(),
                message: other.to_string(),
            },
        })?;
        let mut fresh =
            Snapshot::start(snap.start.clone(), &format!("{root}.start")).map_err(|e| {
                Error::InvalidSnapshot {
                    path: format!("{root}.start").into(),
                    message: e.to_string(),
                }
            })?;
        for (i, ev) in snap.events.iter().enumerate() {
            let p = format!("{root}.events[{i}]");
            fresh
                .apply(ev.clone(), EVENT_PATH)
                .map_err(|e| Error::InvalidSnapshot {
                    path: p.clone().into(),
                    message: format!("the event does not replay: {e}"),
                })?;
        }
        if fresh.state != snap.state {
            return Err(Error::InvalidSnapshot {
                path: format!("{root}.state").into(),
                message: "the state does not match the state recomputed from the events".to_owned(),
            });
        }
        // The state is this engine's recomputation, so the snapshot now names this engine.
        Ok(fresh)
    }
}

/// Replays a log from a start: the snapshot, the outputs of the last event (of the start
/// when there are none) and a summary per event. Errors carry `<root>.events[i]`.
pub fn replay(
    start: StartRequest,
    events: &[Event],
    root: &str,
) -> Result<(Snapshot, Outputs, Vec<EventSummary>), Error> {
    let mut snap = Snapshot::start(start, &format!("{root}.start"))?;
    let mut last = initial_outputs(&snap.state);
    let mut summary = Vec::with_capacity(events.len());
    for (i, ev) in events.iter().enumerate() {
        // Outputs cite `$.event...` exactly as `course_apply` does (invariant 7: replay and
        // one-by-one application give the same outputs); errors point into the log.
        last = snap
            .apply(ev.clone(), EVENT_PATH)
            .map_err(|e| relocate(e, &format!("{root}.events[{i}]")))?;
        summary.push(EventSummary {
            index: u32::try_from(i).unwrap_or(u32::MAX),
            event: ev.kind().to_owned(),
            phase: snap.state.phase,
            session: snap.state.sessions_held,
            alerts: last.alerts.iter().map(|a| a.rule_id).collect(),
        });
    }
    Ok((snap, last, summary))
}

/// The path under which events are applied: outputs cite it whether an event comes alone
/// (`course_apply`) or from a log (`course_replay`).
pub const EVENT_PATH: &str = "$.event";

/// Moves an error's path from [`EVENT_PATH`] to `to` (for example `$.events[3]`).
pub fn relocate(e: Error, to: &str) -> Error {
    e.moved(&EVENT_PATH.into(), &to.into())
}

/// The outputs of a state that no event produced (a course just started).
pub fn initial_outputs(s: &CourseState) -> Outputs {
    Outputs {
        alerts: alerts(s),
        items: Vec::new(),
        next_session: next_session(s),
        override_: s.override_.clone(),
        suitability: None,
        ranking: None,
        readings: Vec::new(),
    }
}

/// One line of a replay: the event and where it left the course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventSummary {
    /// Index in the log.
    pub index: u32,
    /// The event's type.
    pub event: String,
    /// The phase after it.
    pub phase: Phase,
    /// Sessions held after it.
    pub session: u32,
    /// The rule IDs of the active alerts after it.
    pub alerts: Vec<RuleId>,
}
