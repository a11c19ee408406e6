//! The transition function: one handler per event kind. A handler checks the event's
//! guards, advances a copy of the state, and records what the event produced as typed
//! outcomes, but only when outputs are wanted ([`apply_at`]); replay and snapshot validation
//! advance the state alone ([`advance_at`]), so no words are built for past events.

use super::advice::{self, Outputs};
use super::config::phase_of;
use super::event::{Event, Override};
use super::guards::{self, blank, check_date, Requirement};
use super::outcome::Outcome;
use super::state::{
    Contract, CourseState, InitialTask, MeasurePoint, Phase, ReassessmentCause, ReassessmentDue,
    RecordedOverride,
};
use super::words::CourseCase as C;
use crate::areas::{self, AreaRanking, Focus, ProblemArea};
use crate::error::Error;
use crate::explain::{Explanation, Indicator, InputUsed, RuleStatus};
use crate::inventory::Inventory;
use crate::measures::{self, Instrument, Measure, MeasureReading};
use crate::rules::RuleId;
use crate::suitability::{self, Assessment, SuicideRisk, SuitabilityReport, Verdict};

/// The path under which events are applied: outputs cite it whether an event comes alone
/// (`course_apply`) or from a log (`course_replay`).
pub const EVENT_PATH: &str = "$.event";

/// The result of [`apply`].
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    /// The new state.
    pub state: CourseState,
    /// Its outputs.
    pub outputs: Outputs,
}

/// One item an event produced: a course outcome, or an explanation another module built
/// (focus warnings, measure readings).
enum Item {
    Outcome(Outcome),
    Explained(Explanation),
}

/// What an event produced, before rendering.
#[derive(Default)]
struct Produced {
    items: Vec<Item>,
    suitability: Option<SuitabilityReport>,
    ranking: Option<AreaRanking>,
    readings: Vec<MeasureReading>,
}

/// A handler's context: the event's path and, when outputs are wanted, what it produced.
struct Ctx<'a> {
    path: &'a str,
    out: Option<Produced>,
}

impl Ctx<'_> {
    fn at(&self, field: &str) -> String {
        format!("{}.{field}", self.path)
    }

    fn emit(&mut self, f: impl FnOnce(&str) -> Outcome) {
        if let Some(out) = self.out.as_mut() {
            out.items.push(Item::Outcome(f(self.path)));
        }
    }

    fn explained(&mut self, items: impl IntoIterator<Item = Explanation>) {
        if let Some(out) = self.out.as_mut() {
            out.items.extend(items.into_iter().map(Item::Explained));
        }
    }
}

/// Applies an event to a state, with paths under `$.event`. See [`apply_at`].
pub fn apply(state: &CourseState, event: &Event) -> Result<Transition, Error> {
    apply_at(state, event, EVENT_PATH)
}

/// Applies an event to a state: the new state and its outputs, or an error that leaves the
/// state as it was (the input is borrowed; nothing changes on an error). A refusal lists
/// every unmet precondition. `path` is the JSONPath of the event in the request.
pub fn apply_at(state: &CourseState, event: &Event, path: &str) -> Result<Transition, Error> {
    let mut ctx = Ctx {
        path,
        out: Some(Produced::default()),
    };
    let s = step(state, event, &mut ctx)?;
    let produced = ctx.out.unwrap_or_default();
    let outputs = Outputs {
        alerts: advice::alerts(&s),
        items: produced
            .items
            .into_iter()
            .map(|i| match i {
                Item::Outcome(o) => o.render(),
                Item::Explained(e) => e,
            })
            .collect(),
        next_session: advice::next_session(&s),
        override_: s.override_.clone(),
        suitability: produced.suitability,
        ranking: produced.ranking,
        readings: produced.readings,
    };
    Ok(Transition { state: s, outputs })
}

/// Advances the state by an event without building outputs: the same state [`apply_at`]
/// returns, and the same errors.
pub fn advance_at(state: &CourseState, event: &Event, path: &str) -> Result<CourseState, Error> {
    let mut ctx = Ctx { path, out: None };
    step(state, event, &mut ctx)
}

fn step(state: &CourseState, event: &Event, ctx: &mut Ctx) -> Result<CourseState, Error> {
    if let Some(r) = guards::course_open(state) {
        return Err(guards::refused(ctx.path, event.kind(), &[r]));
    }
    let mut s = state.clone();
    let unmet = match event {
        Event::AssessmentRecorded { assessment } => on_assessment_recorded(&mut s, assessment, ctx),
        Event::CourseStarted { date, override_ } => {
            on_course_started(&mut s, date, override_.as_ref(), ctx)?
        }
        Event::SessionHeld {
            number,
            date,
            measures,
            techniques,
            tasks_done,
        } => on_session_held(&mut s, *number, date, measures, techniques, tasks_done, ctx)?,
        Event::SessionMissed { date } => on_session_missed(&mut s, date, ctx)?,
        Event::InventoryRecorded { inventory } => on_inventory_recorded(&mut s, inventory, ctx)?,
        Event::FocusAgreed { primary, backup } => on_focus_agreed(&mut s, *primary, *backup, ctx)?,
        Event::ContractAgreed { contract } => on_contract_agreed(&mut s, contract, ctx)?,
        Event::FocusRenegotiated {
            primary,
            backup,
            reason,
        } => on_focus_renegotiated(&mut s, *primary, *backup, reason, ctx)?,
        Event::ContractRenegotiated { sessions, reason } => {
            on_contract_renegotiated(&mut s, *sessions, reason, ctx)?
        }
        Event::RiskAssessed { level } => on_risk_assessed(&mut s, *level),
        Event::SafetyPlanRecorded { date } => on_safety_plan_recorded(&mut s, date, ctx)?,
        Event::TerminationRaised {} => on_termination_raised(&mut s),
        Event::ReassessmentRecorded { date } => on_reassessment_recorded(&mut s, date, ctx)?,
        Event::CourseCompleted {} => on_course_completed(&mut s, ctx),
        Event::MaintenanceContracted { sessions_per_month } => {
            on_maintenance_contracted(&mut s, *sessions_per_month, ctx)?
        }
        Event::MaintenanceSessionHeld {
            number,
            date,
            measures,
        } => on_maintenance_session_held(&mut s, *number, date, measures, ctx)?,
        Event::Closed { reason } => on_closed(&mut s, *reason),
    };
    if unmet.is_empty() {
        Ok(s)
    } else {
        Err(guards::refused(ctx.path, event.kind(), &unmet))
    }
}

const ACUTE: &[Phase] = &[Phase::Initial, Phase::Middle, Phase::Termination];
const OPEN: &[Phase] = &[
    Phase::Initial,
    Phase::Middle,
    Phase::Termination,
    Phase::Maintenance,
];

fn on_assessment_recorded(s: &mut CourseState, a: &Assessment, ctx: &mut Ctx) -> Vec<Requirement> {
    let unmet: Vec<Requirement> = guards::phase_in(s, &[Phase::Intake], RuleId::StInitial)
        .into_iter()
        .collect();
    if unmet.is_empty() {
        let report = suitability::assess(a);
        s.verdict = Some(report.verdict.verdict);
        s.verdict_decided_by.clone_from(&report.verdict.decided_by);
        if let Some(r) = a.findings.suicide_risk {
            s.risk = Some(r);
        }
        s.assessment = Some(a.clone());
        if let Some(out) = ctx.out.as_mut() {
            out.suitability = Some(report);
        }
    }
    unmet
}

fn on_course_started(
    s: &mut CourseState,
    date: &str,
    override_: Option<&Override>,
    ctx: &mut Ctx,
) -> Result<Vec<Requirement>, Error> {
    check_date(date, &ctx.at("date"))?;
    if let Some(o) = override_ {
        if blank(&o.justification) {
            return Err(Error::invalid(
                ctx.at("override.justification"),
                "an override needs a written justification",
            ));
        }
        if blank(&o.clinician) {
            return Err(Error::invalid(
                ctx.at("override.clinician"),
                "an override names the clinician",
            ));
        }
    }
    let mut unmet: Vec<Requirement> = guards::phase_in(s, &[Phase::Intake], RuleId::StInitial)
        .into_iter()
        .collect();
    match s.verdict {
        None => unmet.push(Requirement::AssessmentRecorded),
        Some(v @ (Verdict::Contraindicated | Verdict::Indeterminate)) => match override_ {
            None => unmet.push(Requirement::SuitableOrOverride {
                verdict: v,
                rule: s
                    .verdict_decided_by
                    .first()
                    .copied()
                    .unwrap_or(RuleId::StInitial),
            }),
            Some(o) => {
                s.override_ = Some(RecordedOverride {
                    verdict: v,
                    clinician: o.clinician.clone(),
                    justification: o.justification.clone(),
                });
            }
        },
        Some(_) => {}
    }
    unmet.extend(guards::date_in_order(s, date));
    if unmet.is_empty() {
        s.phase = if s.config.open_ended() {
            Phase::Maintenance
        } else {
            Phase::Initial
        };
        s.last_date = Some(date.to_owned());
    }
    Ok(unmet)
}

fn validate_measures(ms: &[Measure], ctx: &Ctx) -> Result<(), Error> {
    for (i, m) in ms.iter().enumerate() {
        m.validate(&ctx.at(&format!("measures[{i}]")))?;
    }
    Ok(())
}

fn on_session_held(
    s: &mut CourseState,
    number: u32,
    date: &str,
    ms: &[Measure],
    techniques: &[RuleId],
    tasks_done: &[InitialTask],
    ctx: &mut Ctx,
) -> Result<Vec<Requirement>, Error> {
    check_date(date, &ctx.at("date"))?;
    validate_measures(ms, ctx)?;
    for (i, t) in techniques.iter().enumerate() {
        if !t.as_str().starts_with("T-") {
            return Err(Error::invalid(
                ctx.at(&format!("techniques[{i}]")),
                format!("{} is not a technique (T-*)", t.as_str()),
            ));
        }
    }
    let mut unmet: Vec<Requirement> = guards::phase_in(s, ACUTE, RuleId::StInitial)
        .into_iter()
        .collect();
    unmet.extend(guards::date_in_order(s, date));
    let expected = s.sessions_held + 1;
    let vr = s.config.variant.rule_id();
    if number != expected {
        unmet.push(Requirement::SessionNumber {
            rule: vr,
            expected,
            got: number,
        });
    }
    match phase_of(number, &s.config) {
        None => unmet.push(Requirement::WithinContract {
            rule: vr,
            number,
            total: s.config.total_sessions,
        }),
        Some(p) => {
            let lethality =
                s.lethality_assessed() || tasks_done.contains(&InitialTask::LethalityAssessed);
            if number == 1 && !lethality {
                ctx.emit(|path| {
                    Outcome::new(
                        RuleId::StInitial,
                        RuleStatus::NotMet,
                        Indicator::Warning,
                        C::Session1WithoutLethality,
                    )
                    .missing([format!("{path}.tasks_done")])
                });
            }
            if p == Phase::Middle && s.phase == Phase::Initial {
                let mut probe = s.clone();
                probe.tasks_done.extend(tasks_done.iter().copied());
                unmet.extend(guards::enter_middle(&probe));
            }
            if p == Phase::Termination && s.phase != Phase::Termination {
                match s.termination_raised_after {
                    None => unmet.push(Requirement::TerminationRaised),
                    Some(k) if k + 2 > number => ctx.emit(|path| {
                        Outcome::new(
                            RuleId::StTermination,
                            RuleStatus::NotMet,
                            Indicator::Warning,
                            C::EndingRaisedLate,
                        )
                        .with("raised_after", k)
                        .with("number", number)
                        .used([InputUsed::new(format!("{path}.number"), number)])
                    }),
                    Some(_) => {}
                }
            }
            if unmet.is_empty() {
                s.phase = p;
            }
        }
    }
    if unmet.is_empty() {
        s.sessions_held = number;
        s.last_date = Some(date.to_owned());
        s.tasks_done.extend(tasks_done.iter().copied());
        let phase = s.phase;
        for (i, m) in ms.iter().enumerate() {
            record_measure(s, m, phase, number, i, ctx)?;
        }
        if !techniques.is_empty() {
            ctx.emit(|path| {
                Outcome::new(
                    RuleId::StMiddle,
                    RuleStatus::Met,
                    Indicator::Info,
                    C::TechniquesUsed,
                )
                .with("count", techniques.len())
                .with("number", number)
                .used([InputUsed::new(format!("{path}.techniques"), techniques)])
            });
        }
    }
    Ok(unmet)
}

/// Records a measure taken in a session: the state (item 9, the termination reassessment)
/// advances the same way with or without outputs; the reading is built only for outputs.
fn record_measure(
    s: &mut CourseState,
    m: &Measure,
    phase: Phase,
    session: u32,
    index: usize,
    ctx: &mut Ctx,
) -> Result<(), Error> {
    let inst = m.instrument;
    let baseline = s.points(inst).next().map(|p| p.measure.clone());
    let previous = s.points(inst).last().map(|p| p.measure.total);
    if let Some(out) = ctx.out.as_mut() {
        let at = format!("{}.measures[{index}]", ctx.path);
        let reading = measures::evaluate_at(baseline.as_ref(), m, "$.baseline", &at)?;
        out.items
            .extend(reading.explanations.iter().cloned().map(Item::Explained));
        out.readings.push(reading);
    }
    if inst == Instrument::Phq9 && m.item9.is_some_and(|i| i > 0) {
        s.item9_positive = true;
    }
    if phase == Phase::Termination {
        if let Some(prev) = previous.filter(|p| m.total > *p) {
            let back_to_baseline = baseline.as_ref().is_some_and(|b| {
                measures::band(inst, m.total).severity() >= measures::band(inst, b.total).severity()
            });
            let cause = if back_to_baseline {
                Some(ReassessmentCause::BaselineBand)
            } else if s.risk_unresolved() {
                Some(ReassessmentCause::SuicideRisk)
            } else {
                None
            };
            match cause {
                Some(cause) => {
                    s.reassessment_due = Some(ReassessmentDue {
                        cause,
                        instrument: inst,
                        session,
                        previous: prev,
                        total: m.total,
                    });
                }
                // Beside an active reassessment alert, a rise is not reported as expected.
                None if s.reassessment_due.is_none() => ctx.emit(|path| {
                    Outcome::new(
                        RuleId::StTermination,
                        RuleStatus::Met,
                        Indicator::Info,
                        C::UpsurgeExpected,
                    )
                    .with("instrument", inst.label())
                    .with("previous", prev)
                    .with("total", m.total)
                    .used([
                        InputUsed::new(format!("{path}.measures[{index}].total"), m.total),
                        InputUsed::new("$.state.measures", prev),
                    ])
                }),
                None => {}
            }
        }
    }
    s.measures.push(MeasurePoint {
        phase,
        session,
        measure: m.clone(),
    });
    Ok(())
}

fn on_session_missed(
    s: &mut CourseState,
    date: &str,
    ctx: &mut Ctx,
) -> Result<Vec<Requirement>, Error> {
    check_date(date, &ctx.at("date"))?;
    let mut unmet: Vec<Requirement> = guards::phase_in(s, OPEN, RuleId::StInitial)
        .into_iter()
        .collect();
    unmet.extend(guards::date_in_order(s, date));
    if unmet.is_empty() {
        s.sessions_missed += 1;
        s.last_date = Some(date.to_owned());
        let count = s.sessions_missed;
        ctx.emit(|path| {
            Outcome::new(
                RuleId::XFrequency,
                RuleStatus::Met,
                Indicator::Warning,
                C::AppointmentMissed,
            )
            .with("count", count)
            .used([InputUsed::new(format!("{path}.date"), date)])
        });
    }
    Ok(unmet)
}

fn on_inventory_recorded(
    s: &mut CourseState,
    inventory: &Inventory,
    ctx: &mut Ctx,
) -> Result<Vec<Requirement>, Error> {
    inventory.validate_at(&ctx.at("inventory"))?;
    let unmet: Vec<Requirement> = guards::phase_in(s, &[Phase::Initial], RuleId::StInitial)
        .into_iter()
        .collect();
    if unmet.is_empty() {
        s.inventory = Some(inventory.clone());
        s.tasks_done.insert(InitialTask::Inventory);
        if let Some(out) = ctx.out.as_mut() {
            out.ranking = Some(areas::rank(inventory));
        }
    }
    Ok(unmet)
}

fn on_focus_agreed(
    s: &mut CourseState,
    primary: ProblemArea,
    backup: Option<ProblemArea>,
    ctx: &mut Ctx,
) -> Result<Vec<Requirement>, Error> {
    let mut unmet: Vec<Requirement> = guards::phase_in(s, &[Phase::Initial], RuleId::StInitial)
        .into_iter()
        .collect();
    if s.focus.is_some() {
        unmet.push(Requirement::NoFocusYet);
    }
    match s.ranking() {
        None => unmet.push(Requirement::InventoryForFocus),
        Some(r) => {
            let warnings = areas::check_focus_at(&r, primary, backup, ctx.path)?;
            if unmet.is_empty() {
                ctx.explained(warnings);
                s.focus = Some(Focus { primary, backup });
            }
        }
    }
    Ok(unmet)
}

fn on_contract_agreed(
    s: &mut CourseState,
    contract: &Contract,
    ctx: &mut Ctx,
) -> Result<Vec<Requirement>, Error> {
    let mut unmet: Vec<Requirement> = guards::phase_in(s, &[Phase::Initial], RuleId::StInitial)
        .into_iter()
        .collect();
    if s.contract.is_some() {
        unmet.push(Requirement::NoContractYet);
    }
    let cfg = s
        .config
        .with_total(contract.sessions, &ctx.at("contract.sessions"))?;
    if contract.sessions < s.sessions_held {
        unmet.push(Requirement::ContractCoversHeld {
            rule: s.config.variant.rule_id(),
        });
    }
    if unmet.is_empty() {
        s.config = cfg;
        s.contract = Some(contract.clone());
        s.tasks_done.insert(InitialTask::Contract);
        if !contract.goals.is_empty() {
            s.tasks_done.insert(InitialTask::Goals);
        }
    }
    Ok(unmet)
}

fn on_focus_renegotiated(
    s: &mut CourseState,
    primary: ProblemArea,
    backup: Option<ProblemArea>,
    reason: &str,
    ctx: &mut Ctx,
) -> Result<Vec<Requirement>, Error> {
    let mut unmet = Vec::new();
    if blank(reason) {
        unmet.push(Requirement::Reason);
    }
    unmet.extend(guards::phase_in(s, &[Phase::Middle], RuleId::StMiddle));
    let warnings = match s.ranking() {
        Some(r) => areas::check_focus_at(&r, primary, backup, ctx.path)?,
        None => {
            unmet.push(Requirement::InventoryForFocus);
            Vec::new()
        }
    };
    if unmet.is_empty() {
        ctx.explained(warnings);
        ctx.emit(|path| {
            Outcome::new(
                RuleId::StMiddle,
                RuleStatus::Met,
                Indicator::Info,
                C::FocusRenegotiated,
            )
            .with("area", primary.label())
            .with("reason", reason)
            .used([InputUsed::new(format!("{path}.reason"), reason)])
        });
        s.focus = Some(Focus { primary, backup });
    }
    Ok(unmet)
}

fn on_contract_renegotiated(
    s: &mut CourseState,
    sessions: u32,
    reason: &str,
    ctx: &mut Ctx,
) -> Result<Vec<Requirement>, Error> {
    let mut unmet = Vec::new();
    if blank(reason) {
        unmet.push(Requirement::Reason);
    }
    unmet.extend(guards::phase_in(s, &[Phase::Middle], RuleId::StMiddle));
    let cfg = s.config.with_total(sessions, &ctx.at("sessions"))?;
    if cfg.termination_start() <= s.sessions_held {
        unmet.push(Requirement::RenegotiationWithinContract { sessions });
    }
    if unmet.is_empty() {
        s.config = cfg;
        if let Some(c) = s.contract.as_mut() {
            c.sessions = sessions;
        }
        ctx.emit(|path| {
            Outcome::new(
                RuleId::StMiddle,
                RuleStatus::Met,
                Indicator::Info,
                C::ContractRenegotiated,
            )
            .with("sessions", sessions)
            .with("reason", reason)
            .used([InputUsed::new(format!("{path}.reason"), reason)])
        });
    }
    Ok(unmet)
}

fn on_risk_assessed(s: &mut CourseState, level: SuicideRisk) -> Vec<Requirement> {
    s.risk = Some(level);
    s.item9_positive = false;
    s.tasks_done.insert(InitialTask::LethalityAssessed);
    Vec::new()
}

fn on_safety_plan_recorded(
    s: &mut CourseState,
    date: &str,
    ctx: &mut Ctx,
) -> Result<Vec<Requirement>, Error> {
    check_date(date, &ctx.at("date"))?;
    s.safety_plan = true;
    Ok(Vec::new())
}

fn on_termination_raised(s: &mut CourseState) -> Vec<Requirement> {
    let mut unmet: Vec<Requirement> =
        guards::phase_in(s, &[Phase::Initial, Phase::Middle], RuleId::StTermination)
            .into_iter()
            .collect();
    if s.termination_raised_after.is_some() {
        unmet.push(Requirement::NotYetRaised);
    }
    if unmet.is_empty() {
        s.termination_raised_after = Some(s.sessions_held);
    }
    unmet
}

fn on_reassessment_recorded(
    s: &mut CourseState,
    date: &str,
    ctx: &mut Ctx,
) -> Result<Vec<Requirement>, Error> {
    check_date(date, &ctx.at("date"))?;
    let mut unmet: Vec<Requirement> = guards::phase_in(
        s,
        &[
            Phase::Initial,
            Phase::Middle,
            Phase::Termination,
            Phase::Completed,
            Phase::Maintenance,
        ],
        RuleId::StTermination,
    )
    .into_iter()
    .collect();
    unmet.extend(guards::date_in_order(s, date));
    if unmet.is_empty() {
        let case = if s.reassessment_due.take().is_some() {
            C::ReassessmentRecorded
        } else {
            C::ReassessmentRecordedNoneDue
        };
        s.last_date = Some(date.to_owned());
        ctx.emit(|path| {
            Outcome::new(
                RuleId::StTermination,
                RuleStatus::Met,
                Indicator::Info,
                case,
            )
            .used([InputUsed::new(format!("{path}.date"), date)])
        });
    }
    Ok(unmet)
}

fn on_course_completed(s: &mut CourseState, ctx: &mut Ctx) -> Vec<Requirement> {
    if s.phase == Phase::Maintenance {
        s.phase = Phase::MaintenanceCompleted;
        let held = s.maintenance_sessions_held;
        ctx.emit(|_| {
            Outcome::new(
                RuleId::VMaintenance,
                RuleStatus::Met,
                Indicator::Info,
                C::MaintenanceEnded,
            )
            .with("count", held)
            .used([InputUsed::new("$.state.maintenance_sessions_held", held)])
        });
        return Vec::new();
    }
    let mut unmet: Vec<Requirement> =
        guards::phase_in(s, &[Phase::Termination], RuleId::StTermination)
            .into_iter()
            .collect();
    if s.sessions_held < s.config.total_sessions {
        unmet.push(Requirement::AllSessionsHeld {
            held: s.sessions_held,
            total: s.config.total_sessions,
        });
    }
    if unmet.is_empty() {
        s.phase = Phase::Completed;
        if let Some(out) = ctx.out.as_mut() {
            out.items
                .extend(advice::completion(s).into_iter().map(Item::Outcome));
        }
    }
    unmet
}

fn on_maintenance_contracted(
    s: &mut CourseState,
    sessions_per_month: Option<u32>,
    ctx: &mut Ctx,
) -> Result<Vec<Requirement>, Error> {
    let unmet: Vec<Requirement> = guards::phase_in(s, &[Phase::Completed], RuleId::VMaintenance)
        .into_iter()
        .collect();
    if sessions_per_month.is_some_and(|n| n == 0 || n > 4) {
        return Err(Error::invalid(
            ctx.at("sessions_per_month"),
            "sessions per month must be between 1 and 4",
        ));
    }
    if unmet.is_empty() {
        s.phase = Phase::Maintenance;
    }
    Ok(unmet)
}

fn on_maintenance_session_held(
    s: &mut CourseState,
    number: u32,
    date: &str,
    ms: &[Measure],
    ctx: &mut Ctx,
) -> Result<Vec<Requirement>, Error> {
    check_date(date, &ctx.at("date"))?;
    validate_measures(ms, ctx)?;
    let mut unmet: Vec<Requirement> =
        guards::phase_in(s, &[Phase::Maintenance], RuleId::VMaintenance)
            .into_iter()
            .collect();
    unmet.extend(guards::date_in_order(s, date));
    let expected = s.maintenance_sessions_held + 1;
    if number != expected {
        unmet.push(Requirement::MaintenanceSessionNumber {
            expected,
            got: number,
        });
    }
    if unmet.is_empty() {
        s.maintenance_sessions_held = number;
        s.last_date = Some(date.to_owned());
        for (i, m) in ms.iter().enumerate() {
            record_measure(s, m, Phase::Maintenance, number, i, ctx)?;
        }
    }
    Ok(unmet)
}

fn on_closed(s: &mut CourseState, reason: super::state::CloseReason) -> Vec<Requirement> {
    if matches!(s.phase, Phase::Completed | Phase::MaintenanceCompleted) {
        return vec![Requirement::NotTerminal];
    }
    s.phase = Phase::Closed;
    s.closed_reason = Some(reason);
    Vec::new()
}
