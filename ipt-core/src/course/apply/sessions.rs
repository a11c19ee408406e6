//! Sessions: held (with measures, techniques and initial tasks), missed, and maintenance
//! sessions. Recording a measure advances the state the same way with or without outputs.

use super::ctx::{Ctx, Item, ACUTE, OPEN, STARTED};
use crate::catalogue::RuleId;
use crate::course::config::phase_of;
use crate::course::goals::{self, GoalRating, RatingPoint};
use crate::course::guards::{self, check_date, Requirement};
use crate::course::outcome::Outcome;
use crate::course::state::{
    CourseState, DeteriorationDue, InitialTask, MeasurePoint, Phase, ReassessmentCause,
    ReassessmentDue,
};
use crate::course::words::{self, CourseCase as C};
use crate::date::Date;
use crate::error::Error;
use crate::explain::{Indicator, InputUsed, RuleStatus};
use crate::measures::{self, change, Instrument, Measure};

pub(super) fn validate_measures(ms: &[Measure], ctx: &Ctx) -> Result<(), Error> {
    for (i, m) in ms.iter().enumerate() {
        m.validate(&ctx.at(&format!("measures[{i}]")))?;
    }
    Ok(())
}

/// What a session records besides its number and date.
pub(super) struct Held<'a> {
    pub(super) measures: &'a [Measure],
    pub(super) techniques: &'a [RuleId],
    pub(super) tasks_done: &'a [InitialTask],
    pub(super) goal_ratings: &'a [GoalRating],
}

pub(super) fn on_session_held(
    s: &mut CourseState,
    number: u32,
    date: &str,
    held: &Held<'_>,
    ctx: &mut Ctx,
) -> Result<Vec<Requirement>, Error> {
    let Held {
        measures: ms,
        techniques,
        tasks_done,
        goal_ratings,
    } = *held;
    check_date(date, &ctx.at("date"))?;
    validate_measures(ms, ctx)?;
    let goals = s.contract.as_ref().map_or(&[][..], |c| &c.goals[..]);
    goals::validate_ratings(goal_ratings, goals, &ctx.at("goal_ratings"))?;
    for (i, t) in techniques.iter().enumerate() {
        // A technique is what the catalogue says is one, not an ID that looks like one.
        if crate::catalogue::get(*t).map(|r| r.kind) != Some(crate::catalogue::RuleKind::Technique)
        {
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
            record_measure(s, m, phase, number, date, i, ctx)?;
        }
        for (i, r) in goal_ratings.iter().enumerate() {
            s.goal_ratings.push(RatingPoint {
                goal: r.goal.clone(),
                phase,
                session: number,
                date: date.to_owned(),
                rating: r.rating,
            });
            if ctx.out.is_some() {
                let goal = s
                    .contract
                    .iter()
                    .flat_map(|c| &c.goals)
                    .find(|g| g.id == r.goal);
                if let Some(g) = goal {
                    let o =
                        goals::progress_outcome(g, &goals::progress(g, &s.goal_ratings)).used([
                            InputUsed::new(
                                format!("{}.goal_ratings[{i}].rating", ctx.path),
                                r.rating,
                            ),
                        ]);
                    ctx.emit(|_| o);
                }
            }
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

/// Records a measure taken in a session: the state (item 9, the termination reassessment,
/// a reliable deterioration) advances the same way with or without outputs; the reading and
/// the change rules' outcomes are built only for outputs.
pub(super) fn record_measure(
    s: &mut CourseState,
    m: &Measure,
    phase: Phase,
    session: u32,
    date: &str,
    index: usize,
    ctx: &mut Ctx,
) -> Result<(), Error> {
    let inst = m.instrument;
    let baseline = s.baseline(inst).map(|p| p.measure.clone());
    let previous = s.points(inst).filter_map(|p| p.measure.score()).last();
    let total = m.score();
    let params = s.measurement.resolved(inst);
    if let Some(out) = ctx.out.as_mut() {
        let at = format!("{}.measures[{index}]", ctx.path);
        let reading =
            measures::evaluate_with(baseline.as_ref(), m, "$.baseline", &at, &params, ctx.render)?;
        out.items
            .extend(reading.explanations.iter().cloned().map(Item::Explained));
        out.readings.push(reading);
    }
    if m.item9_score().is_some_and(|i| i > 0) {
        s.item9_positive = true;
    }
    let b_total = baseline.as_ref().and_then(Measure::score);
    if let (Some(b), Some(t)) = (b_total, total) {
        let rc = change::reliable_change(b, t, &params);
        if change::Change::deterioration(&rc) == RuleStatus::Met {
            let due = DeteriorationDue {
                instrument: inst,
                phase,
                session,
                baseline: b,
                total: t,
            };
            s.deterioration_due.retain(|d| d.instrument != inst);
            s.deterioration_due.push(due);
        }
    }
    // ST-TERMINATION's expected upsurge and reassessment are about symptoms, not functioning.
    let symptoms = !inst.measures_functioning();
    if let (Phase::Termination, Some(total), true) = (phase, total, symptoms)
        && let Some(prev) = previous.filter(|p| total > *p)
    {
        let back_to_baseline = b_total.is_some_and(|b| {
            measures::band(inst, total).severity() >= measures::band(inst, b).severity()
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
                    total,
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
                .with("total", total)
                .used([
                    InputUsed::new(format!("{path}.measures[{index}].total"), total),
                    InputUsed::new("$.state.measures", prev),
                ])
            }),
            None => {}
        }
    }
    s.measures.push(MeasurePoint {
        phase,
        session,
        date: Some(date.to_owned()),
        measure: m.clone(),
    });
    if let (Some(out), Some(t)) = (ctx.out.as_mut(), total) {
        // Sustained remission is about symptoms, not functioning.
        if inst.in_remission(t) && b_total.is_some() && symptoms {
            let series = series_days(s, inst);
            let sr = change::sustained_remission(
                inst,
                &series,
                s.measurement.sustained_remission_days(),
            );
            out.items.push(Item::Explained(change::explain_sustained(
                inst, &sr, ctx.render,
            )));
        }
    }
    Ok(())
}

/// The known totals of an instrument with their day numbers, in order (measures without a
/// date are left out).
pub(crate) fn series_days(s: &CourseState, inst: Instrument) -> Vec<(u32, i64)> {
    s.points(inst)
        .filter_map(|p| {
            let t = p.measure.score()?;
            let d = p.when().and_then(Date::parse)?;
            Some((t, d.day_number()))
        })
        .collect()
}

pub(super) fn on_measures_reviewed(
    s: &mut CourseState,
    date: &str,
    ctx: &mut Ctx,
) -> Result<Vec<Requirement>, Error> {
    check_date(date, &ctx.at("date"))?;
    let mut unmet: Vec<Requirement> = guards::phase_in(s, STARTED, RuleId::MDeterioration)
        .into_iter()
        .collect();
    unmet.extend(guards::date_in_order(s, date));
    if unmet.is_empty() {
        let cleared = std::mem::take(&mut s.deterioration_due);
        s.last_date = Some(date.to_owned());
        let case = if cleared.is_empty() {
            C::MeasuresReviewedNoneDue
        } else {
            C::MeasuresReviewed
        };
        let names: Vec<&str> = cleared.iter().map(|d| d.instrument.label()).collect();
        ctx.emit(|path| {
            Outcome::new(
                RuleId::MDeterioration,
                RuleStatus::Met,
                Indicator::Info,
                case,
            )
            .with("list", names.join(", "))
            .used([InputUsed::new(format!("{path}.date"), date)])
        });
    }
    Ok(unmet)
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
