//! What the course offers from a state: the active alerts, the options and tasks for the next
//! session, and the advice at completion (response, alternatives, maintenance). Each is a
//! typed [`Outcome`] rendered from the words table; the outputs of a transition are
//! assembled here.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::cadence;
use super::config::phase_of;
use super::goal_agenda;
use super::guards;
use super::outcome::{self, Outcome};
use super::state::{CourseState, InitialTask, Phase, ReassessmentCause, RecordedOverride};
use super::words::CourseCase as C;
use crate::areas::{self, AreaRanking};
use crate::catalogue::RuleId;
use crate::explain::{Explanation, Indicator, InputUsed, Render, RuleStatus};
use crate::measures::{self, Instrument, MeasureReading};
use crate::suitability::{self, DiagnosisCategory, SuitabilityReport};
use crate::variant::Variant;

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

/// The outputs of a state that no event produced (a course just started).
pub fn initial_outputs(s: &CourseState, r: Render<'_>) -> Outputs {
    Outputs {
        alerts: alerts(s, r),
        items: Vec::new(),
        next_session: next_session(s, r),
        override_: s.override_.clone(),
        suitability: None,
        ranking: None,
        readings: Vec::new(),
    }
}

/// An alert that is active in a state, before its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alert {
    /// X-SUICIDE while high or imminent risk or a positive PHQ-9 item 9 is unresolved
    /// (invariant 8).
    SuicideRisk,
    /// ST-TERMINATION: a reassessment is due after a rise in termination, until
    /// `reassessment_recorded` (not on a closed course).
    Reassessment,
    /// ST-INITIAL: lethality not assessed after session 1 (not on a closed course).
    LethalityNotAssessed,
    /// M-DETERIORATION: a reliable deterioration not yet reviewed (not on a closed course).
    Deterioration(usize),
}

impl Alert {
    /// The rule that raises the alert.
    pub const fn rule(self) -> RuleId {
        match self {
            Alert::SuicideRisk => RuleId::XSuicide,
            Alert::Reassessment => RuleId::StTermination,
            Alert::LethalityNotAssessed => RuleId::StInitial,
            Alert::Deterioration(_) => RuleId::MDeterioration,
        }
    }
}

/// The alerts active in a state, X-SUICIDE first: the one place their conditions live.
pub fn active_alerts(s: &CourseState) -> Vec<Alert> {
    let open = s.phase != Phase::Closed;
    let mut out = Vec::new();
    if s.risk_unresolved() {
        out.push(Alert::SuicideRisk);
    }
    if s.reassessment_due.is_some() && open {
        out.push(Alert::Reassessment);
    }
    if s.sessions_held >= 1 && !s.lethality_assessed() && open {
        out.push(Alert::LethalityNotAssessed);
    }
    if open {
        out.extend((0..s.deterioration_due.len()).map(Alert::Deterioration));
    }
    out
}

fn alert_outcome(s: &CourseState, alert: Alert) -> Outcome {
    match alert {
        Alert::SuicideRisk => {
            let case = if s.item9_positive {
                C::SuicideRiskItem9
            } else {
                C::SuicideRiskHigh
            };
            let plan = if s.safety_plan {
                C::SafetyPlanRecorded
            } else {
                C::NoSafetyPlan
            };
            let o = Outcome::new(RuleId::XSuicide, RuleStatus::Met, Indicator::Critical, case)
                .with("plan", outcome::sentence(RuleId::XSuicide, plan, &[]))
                .used([
                    InputUsed::new("$.state.risk", s.risk),
                    InputUsed::new("$.state.item9_positive", s.item9_positive),
                ]);
            if s.item9_positive {
                o.missing(["$.event.level".to_owned()])
            } else {
                o
            }
        }
        Alert::Reassessment => {
            let o = Outcome::new(
                RuleId::StTermination,
                RuleStatus::Met,
                Indicator::Warning,
                C::RiseToBaselineBand,
            );
            match s.reassessment_due {
                Some(due) => Outcome {
                    case: match due.cause {
                        ReassessmentCause::BaselineBand => C::RiseToBaselineBand,
                        ReassessmentCause::SuicideRisk => C::RiseWithRisk,
                    },
                    ..o
                }
                .with("instrument", due.instrument.label())
                .with("previous", due.previous)
                .with("total", due.total)
                .with("session", due.session)
                .used([
                    InputUsed::new("$.state.reassessment_due.cause", due.cause),
                    InputUsed::new("$.state.reassessment_due.instrument", due.instrument),
                    InputUsed::new("$.state.reassessment_due.session", due.session),
                    InputUsed::new("$.state.reassessment_due.previous", due.previous),
                    InputUsed::new("$.state.reassessment_due.total", due.total),
                ]),
                None => o,
            }
        }
        Alert::LethalityNotAssessed => Outcome::new(
            RuleId::StInitial,
            RuleStatus::NotMet,
            Indicator::Warning,
            C::LethalityNotAssessed,
        )
        .used([InputUsed::new("$.state.sessions_held", s.sessions_held)])
        .missing(["$.state.tasks_done".to_owned()]),
        Alert::Deterioration(k) => {
            let o = Outcome::new(
                RuleId::MDeterioration,
                RuleStatus::Met,
                Indicator::Warning,
                C::DeteriorationDue,
            );
            match s.deterioration_due.get(k) {
                Some(d) => o
                    .with("instrument", d.instrument.label())
                    .with("baseline", d.baseline)
                    .with("total", d.total)
                    .with("session", d.session)
                    .used([
                        InputUsed::new(
                            format!("$.state.deterioration_due[{k}].instrument"),
                            d.instrument,
                        ),
                        InputUsed::new(
                            format!("$.state.deterioration_due[{k}].baseline"),
                            d.baseline,
                        ),
                        InputUsed::new(format!("$.state.deterioration_due[{k}].total"), d.total),
                    ]),
                None => o,
            }
        }
    }
}

/// The active alerts of a state, as outcomes (see [`active_alerts`]).
pub fn alert_outcomes(s: &CourseState) -> Vec<Outcome> {
    active_alerts(s)
        .into_iter()
        .map(|a| alert_outcome(s, a))
        .collect()
}

/// The rule IDs of the active alerts (what a replay summary lists), without their words.
pub fn alert_rules(s: &CourseState) -> Vec<RuleId> {
    active_alerts(s).into_iter().map(Alert::rule).collect()
}

/// The active alerts of a state, explained.
pub fn alerts(s: &CourseState, r: Render<'_>) -> Vec<Explanation> {
    alert_outcomes(s).into_iter().map(|o| o.render(r)).collect()
}

fn task_item(s: &CourseState) -> Outcome {
    let left: Vec<&str> = InitialTask::ALL
        .iter()
        .filter(|t| !s.task_done(**t))
        .map(|t| t.as_str())
        .collect();
    let done: Vec<&str> = s.tasks_done.iter().map(|t| t.as_str()).collect();
    let used = [InputUsed::new("$.state.tasks_done", done)];
    if left.is_empty() {
        Outcome::new(
            RuleId::StInitial,
            RuleStatus::Met,
            Indicator::Info,
            C::InitialTasksDone,
        )
        .used(used)
    } else {
        Outcome::new(
            RuleId::StInitial,
            RuleStatus::NotMet,
            Indicator::Info,
            C::InitialTasksLeft,
        )
        .with("count", left.len())
        .with("list", left.join(", "))
        .used(used)
    }
}

/// Options and tasks for the next session.
pub fn next_session(s: &CourseState, r: Render<'_>) -> Vec<Explanation> {
    let mut out: Vec<Explanation> = Vec::new();
    let mut push = |o: Outcome| out.push(o.render(r));
    let next = s.sessions_held + 1;
    match s.phase {
        Phase::Intake => match s.verdict {
            None => push(
                Outcome::new(
                    RuleId::StInitial,
                    RuleStatus::Unknown,
                    Indicator::Info,
                    C::AssessmentNeeded,
                )
                .missing(["$.event.assessment".to_owned()]),
            ),
            Some(v) => push(
                Outcome::new(
                    RuleId::StInitial,
                    RuleStatus::Met,
                    Indicator::Info,
                    C::CanStart,
                )
                .with("verdict", v.as_str()),
            ),
        },
        Phase::Initial | Phase::Middle | Phase::Termination => match phase_of(next, &s.config) {
            Some(Phase::Initial) => {
                push(task_item(s));
                for o in variant_initial(s, next) {
                    push(o);
                }
            }
            Some(Phase::Middle) => {
                if s.phase == Phase::Initial {
                    let unmet = guards::enter_middle(s);
                    push(if unmet.is_empty() {
                        Outcome::new(
                            RuleId::StEnterMiddle,
                            RuleStatus::Met,
                            Indicator::Info,
                            C::EnterMiddleReady,
                        )
                    } else {
                        let names: Vec<&str> =
                            unmet.iter().map(guards::Requirement::name).collect();
                        Outcome::new(
                            RuleId::StEnterMiddle,
                            RuleStatus::NotMet,
                            Indicator::Warning,
                            C::EnterMiddleBlocked,
                        )
                        .with("number", next)
                        .with("list", names.join(", "))
                    });
                    push(task_item(s));
                }
                if let Some(f) = s.focus {
                    out.push(areas::strategies(f.primary, r));
                    out.extend(areas::techniques(f.primary, r));
                    out.push(between_sessions(f.primary).render(r));
                }
                let t = s.config.termination_start();
                if s.termination_raised_after.is_none() && next + 2 >= t {
                    out.push(
                        Outcome::new(
                            RuleId::StTermination,
                            RuleStatus::NotMet,
                            Indicator::Warning,
                            C::RaiseEndingSoon,
                        )
                        .with("number", t)
                        .render(r),
                    );
                }
            }
            Some(Phase::Termination) => {
                if s.phase != Phase::Termination && s.termination_raised_after.is_none() {
                    push(Outcome::new(
                        RuleId::StTermination,
                        RuleStatus::NotMet,
                        Indicator::Warning,
                        C::RaiseEndingBeforeNext,
                    ));
                }
                let (case, indicator) = if s.reassessment_due.is_some() {
                    (C::TerminationSessionReassess, Indicator::Warning)
                } else {
                    (C::TerminationSession, Indicator::Info)
                };
                push(
                    Outcome::new(RuleId::StTermination, RuleStatus::Met, indicator, case)
                        .with("number", next)
                        .with("total", s.config.total_sessions),
                );
                if s.config.variant == Variant::Adolescent {
                    push(
                        Outcome::new(
                            RuleId::VAdolescent,
                            RuleStatus::Met,
                            Indicator::Info,
                            C::AdolescentParents,
                        )
                        .with("number", next),
                    );
                }
            }
            _ => push(Outcome::new(
                RuleId::StTermination,
                RuleStatus::Met,
                Indicator::Info,
                C::AllSessionsHeld,
            )),
        },
        Phase::Completed => push(maintenance_advice(s)),
        Phase::Maintenance => push(
            Outcome::new(
                RuleId::VMaintenance,
                RuleStatus::Met,
                Indicator::Info,
                C::MaintenanceSession,
            )
            .with("number", s.maintenance_sessions_held + 1),
        ),
        Phase::MaintenanceCompleted | Phase::Closed => {}
    }
    out.extend(goal_agenda::items(s).into_iter().map(|o| o.render(r)));
    out.extend(cadence_items(s).into_iter().map(|o| o.render(r)));
    out
}

/// M-CADENCE in the next session's agenda: the measures overdue, then those due.
pub fn cadence_items(s: &CourseState) -> Vec<Outcome> {
    let mut out = Vec::new();
    let overdue = cadence::overdue(s);
    if let Some((_, session)) = overdue.first() {
        let names: Vec<&str> = overdue.iter().map(|(i, _)| i.label()).collect();
        out.push(
            Outcome::new(
                RuleId::MCadence,
                RuleStatus::NotMet,
                Indicator::Warning,
                C::MeasuresOverdue,
            )
            .with("list", names.join(", "))
            .with("session", session)
            .used([InputUsed::new("$.state.measures", s.measures.len())])
            .missing(["$.event.measures".to_owned()]),
        );
    }
    if let Some((next, due)) = cadence::due_next(s) {
        let names: Vec<&str> = due.iter().map(|i| i.label()).collect();
        out.push(
            Outcome::new(
                RuleId::MCadence,
                RuleStatus::Met,
                Indicator::Info,
                C::MeasuresDue,
            )
            .with("list", names.join(", "))
            .with("number", next)
            .with("every", s.measurement.every())
            .used([InputUsed::new(
                "report.schedule.every",
                s.measurement.every(),
            )]),
        );
    }
    out
}

/// Between-session work suggested for an area (ST-MIDDLE).
pub fn between_sessions(area: areas::ProblemArea) -> Outcome {
    let case = match area {
        areas::ProblemArea::Grief => C::BetweenGrief,
        areas::ProblemArea::RoleDispute => C::BetweenDispute,
        areas::ProblemArea::RoleTransition => C::BetweenTransition,
        areas::ProblemArea::InterpersonalDeficits => C::BetweenDeficits,
    };
    Outcome::new(RuleId::StMiddle, RuleStatus::Met, Indicator::Info, case)
        .used([InputUsed::new("$.state.focus.primary", area)])
}

/// The variant's own items in the initial phase: the group variant's individual pre-group
/// session (L2); the adolescent variant's cautions, parent sessions and closeness circle
/// (L5).
fn variant_initial(s: &CourseState, next: u32) -> Vec<Outcome> {
    let mut out = Vec::new();
    let item = |rule, case| Outcome::new(rule, RuleStatus::Met, Indicator::Info, case);
    match s.config.variant {
        Variant::Group if next == 1 => {
            out.push(item(RuleId::VGroup, C::GroupPreGroupSession));
        }
        Variant::Adolescent => {
            if next == 1 {
                out.push(Outcome {
                    indicator: Indicator::Warning,
                    ..item(RuleId::VAdolescent, C::AdolescentCautions)
                });
            }
            out.push(item(RuleId::VAdolescent, C::AdolescentParents).with("number", next));
            if s.inventory.is_none() {
                out.push(item(RuleId::VAdolescent, C::AdolescentClosenessCircle));
            }
        }
        _ => {}
    }
    out
}

/// The first and last known totals of an instrument.
pub fn first_last(s: &CourseState, inst: Instrument) -> Option<(u32, u32)> {
    let mut totals = s.points(inst).filter_map(|p| p.measure.score());
    let first = totals.next()?;
    Some((first, totals.last().unwrap_or(first)))
}

/// Whether the course's measures show a response: `Some(true)` when every measured
/// instrument shows one (at least 50% below its first measure), `Some(false)` when none
/// does, `None` when nothing was measured or the instruments disagree.
pub fn responded(s: &CourseState) -> Option<bool> {
    let mut seen = Vec::new();
    for inst in Instrument::ALL {
        if inst.measures_functioning() {
            continue;
        }
        let Some((first, last)) = first_last(s, inst) else {
            continue;
        };
        seen.push(measures::is_response(first, last));
    }
    if seen.is_empty() {
        None
    } else if seen.iter().all(|r| *r) {
        Some(true)
    } else if seen.iter().all(|r| !*r) {
        Some(false)
    } else {
        None
    }
}

/// I-MAINTENANCE at the end of the course, decided by suitability's own rule on the recorded
/// assessment read with the course's outcome: offered when it holds, not offered when it
/// does not (first episode, non-response), and "cannot be told yet" with the inputs missing.
pub fn maintenance_advice(s: &CourseState) -> Outcome {
    let response = responded(s);
    let Some(a) = s.assessment.as_ref() else {
        return Outcome::new(
            RuleId::IMaintenance,
            RuleStatus::Unknown,
            Indicator::Info,
            C::MaintenanceUndetermined,
        )
        .missing(["$.state.assessment".to_owned()]);
    };
    let mut used = Vec::new();
    let mut missing = Vec::new();
    for (i, d) in a.diagnoses.iter().enumerate() {
        if d.category == DiagnosisCategory::MajorDepression {
            let path = format!("$.state.assessment.diagnoses[{i}].course");
            match d.course {
                Some(c) => used.push(InputUsed::new(path, c)),
                None => missing.push(path),
            }
        }
    }
    used.push(InputUsed::new("report.response", response));
    if response.is_none() {
        missing.push("$.state.measures".to_owned());
    }
    match suitability::maintenance_status_at_completion(a, response) {
        RuleStatus::Met => Outcome::new(
            RuleId::IMaintenance,
            RuleStatus::Met,
            Indicator::Info,
            C::MaintenanceIndicated,
        )
        .used(used),
        RuleStatus::Unknown => Outcome::new(
            RuleId::IMaintenance,
            RuleStatus::Unknown,
            Indicator::Info,
            C::MaintenanceUndetermined,
        )
        .used(used)
        .missing(missing),
        RuleStatus::NotMet | RuleStatus::NotApplicable => Outcome::new(
            RuleId::IMaintenance,
            RuleStatus::NotMet,
            Indicator::Info,
            if response == Some(false) {
                C::MaintenanceNoResponse
            } else {
                C::MaintenanceNotIndicated
            },
        )
        .used(used),
    }
}

/// The advice at completion: response or non-response per instrument (alternatives on
/// non-response, L1), or that response cannot be judged; then I-MAINTENANCE.
pub fn completion(s: &CourseState) -> Vec<Outcome> {
    let mut out = Vec::new();
    for inst in Instrument::ALL {
        let Some((a, b)) = first_last(s, inst) else {
            continue;
        };
        let used = [
            InputUsed::new("$.state.measures.baseline", a),
            InputUsed::new("$.state.measures.latest", b),
        ];
        let o = if measures::is_response(a, b) {
            Outcome::new(
                RuleId::StEvaluate,
                RuleStatus::Met,
                Indicator::Info,
                C::Response,
            )
        } else {
            Outcome::new(
                RuleId::StTermination,
                RuleStatus::NotMet,
                Indicator::Warning,
                C::NoResponse,
            )
        };
        out.push(
            o.with("instrument", inst.label())
                .with("first", a)
                .with("last", b)
                .used(used),
        );
    }
    if out.is_empty() {
        out.push(
            Outcome::new(
                RuleId::StEvaluate,
                RuleStatus::Unknown,
                Indicator::Warning,
                C::NoMeasures,
            )
            .missing(["$.event.measures".to_owned()]),
        );
    }
    out.push(maintenance_advice(s));
    out
}
