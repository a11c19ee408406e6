//! The ending: raising it, the reassessment after a rise in termination, completion (with
//! its advice), maintenance and closing.

use super::ctx::{Ctx, Item, STARTED};
use super::sessions::{record_measure, validate_measures};
use crate::catalogue::parameters::MAINTENANCE_SESSIONS_PER_MONTH_MAX;
use crate::catalogue::RuleId;
use crate::course::advice;
use crate::course::guards::{self, check_date, Requirement};
use crate::course::outcome::Outcome;
use crate::course::state::{CloseReason, CourseState, Phase, RelapsePlan};
use crate::course::words::{self, CourseCase as C};
use crate::error::Error;
use crate::explain::{Indicator, InputUsed, RuleStatus};
use crate::measures::Measure;

pub(super) fn on_termination_raised(s: &mut CourseState) -> Vec<Requirement> {
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

/// ST-RELAPSE-PLAN: a relapse-prevention plan, from the termination phase on. Its lists
/// are not empty, its people are relationships of the inventory.
pub(super) fn on_relapse_plan_recorded(
    s: &mut CourseState,
    plan: RelapsePlan,
    ctx: &mut Ctx,
) -> Result<Vec<Requirement>, Error> {
    check_date(&plan.date, &ctx.at("date"))?;
    for (field, items) in [
        ("warning_signs", &plan.warning_signs),
        ("what_helps", &plan.what_helps),
    ] {
        if items.iter().all(|t| t.trim().is_empty()) {
            return Err(Error::invalid(
                ctx.at(field),
                words::message(C::RelapsePlanListEmpty, &[("field", field.to_owned())]),
            ));
        }
    }
    if plan.return_when.trim().is_empty() {
        return Err(Error::invalid(
            ctx.at("return_when"),
            words::message(C::RelapsePlanReturnWhen, &[]),
        ));
    }
    let relationships = s
        .inventory
        .as_ref()
        .and_then(|i| i.relationships.as_deref())
        .unwrap_or(&[]);
    for (i, p) in plan.people.iter().enumerate() {
        if !relationships.iter().any(|r| r.id == *p) {
            return Err(Error::invalid(
                ctx.at(&format!("people[{i}]")),
                words::message(
                    C::RelapsePlanPersonUnknown,
                    &[("person", crate::limits::clip(p).to_string())],
                ),
            ));
        }
    }
    let mut unmet: Vec<Requirement> = guards::phase_in(
        s,
        &[Phase::Termination, Phase::Completed, Phase::Maintenance],
        RuleId::StRelapsePlan,
    )
    .into_iter()
    .collect();
    unmet.extend(guards::date_in_order(s, &plan.date));
    if unmet.is_empty() {
        s.last_date = Some(plan.date.clone());
        let signs = plan.warning_signs.len();
        let people = plan.people.len();
        s.relapse_plan = Some(plan);
        ctx.emit(|path| {
            Outcome::new(
                RuleId::StRelapsePlan,
                RuleStatus::Met,
                Indicator::Info,
                C::RelapsePlanRecorded,
            )
            .with("signs", signs)
            .with("people", people)
            .used([InputUsed::new(format!("{path}.warning_signs"), signs)])
        });
    }
    Ok(unmet)
}

pub(super) fn on_reassessment_recorded(
    s: &mut CourseState,
    date: &str,
    ctx: &mut Ctx,
) -> Result<Vec<Requirement>, Error> {
    check_date(date, &ctx.at("date"))?;
    let mut unmet: Vec<Requirement> = guards::phase_in(s, STARTED, RuleId::StTermination)
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

pub(super) fn on_course_completed(s: &mut CourseState, ctx: &mut Ctx) -> Vec<Requirement> {
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

pub(super) fn on_maintenance_contracted(
    s: &mut CourseState,
    sessions_per_month: Option<u32>,
    ctx: &mut Ctx,
) -> Result<Vec<Requirement>, Error> {
    let unmet: Vec<Requirement> = guards::phase_in(s, &[Phase::Completed], RuleId::VMaintenance)
        .into_iter()
        .collect();
    if sessions_per_month.is_some_and(|n| n == 0 || n > MAINTENANCE_SESSIONS_PER_MONTH_MAX) {
        return Err(Error::invalid(
            ctx.at("sessions_per_month"),
            words::message(C::InvalidSessionsPerMonth, &[]),
        ));
    }
    if unmet.is_empty() {
        s.phase = Phase::Maintenance;
    }
    Ok(unmet)
}

pub(super) fn on_maintenance_session_held(
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
            record_measure(s, m, Phase::Maintenance, number, date, i, ctx)?;
        }
    }
    Ok(unmet)
}

pub(super) fn on_closed(s: &mut CourseState, reason: CloseReason) -> Vec<Requirement> {
    if matches!(s.phase, Phase::Completed | Phase::MaintenanceCompleted) {
        return vec![Requirement::NotTerminal];
    }
    s.phase = Phase::Closed;
    s.closed_reason = Some(reason);
    Vec::new()
}
