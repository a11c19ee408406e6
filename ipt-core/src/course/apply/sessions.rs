//! Sessions: held (with measures, techniques and initial tasks), missed, and maintenance
//! sessions. Recording a measure advances the state the same way with or without outputs.

use super::{Ctx, Item, ACUTE, OPEN};
use crate::course::config::phase_of;
use crate::course::guards::{self, check_date, Requirement};
use crate::course::outcome::Outcome;
use crate::course::state::{
    CourseState, InitialTask, MeasurePoint, Phase, ReassessmentCause, ReassessmentDue,
};
use crate::course::words::{self, CourseCase as C};
use crate::error::Error;
use crate::explain::{Indicator, InputUsed, RuleStatus};
use crate::measures::{self, Instrument, Measure};
use crate::rules::RuleId;

pub(super) fn validate_measures(ms: &[Measure], ctx: &Ctx) -> Result<(), Error> {
    for (i, m) in ms.iter().enumerate() {
        m.validate(&ctx.at(&format!("measures[{i}]")))?;
    }
    Ok(())
}

pub(super) fn on_session_held(
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
                words::message(C::InvalidTechnique, &[("rule", t.as_str().to_owned())]),
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
pub(super) fn record_measure(
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

pub(super) fn on_session_missed(
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
