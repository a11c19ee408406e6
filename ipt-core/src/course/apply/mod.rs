//! The transition function: one handler per event kind. A handler checks the event's
//! guards, advances a copy of the state, and records what the event produced as typed
//! outcomes, but only when outputs are wanted ([`apply_at`]); replay and snapshot validation
//! advance the state alone ([`advance_at`]), so no words are built for past events.
//!
//! The handlers: `intake`, `sessions`, `agreements` and `ending`.

mod agreements;
mod ctx;
mod ending;
mod intake;
mod sessions;

use super::advice::{self, Outputs};
use super::event::Event;
use super::guards;
use super::state::CourseState;
use crate::catalogue::{rule_link, Link};
use crate::error::Error;
use crate::explain::Render;
use agreements::{
    on_contract_agreed, on_contract_renegotiated, on_focus_agreed, on_focus_renegotiated,
    on_goals_revised, on_inventory_recorded, on_risk_assessed, on_safety_plan_recorded,
};
use ctx::{Ctx, Item, Produced};
use ending::{
    on_closed, on_course_completed, on_maintenance_contracted, on_maintenance_session_held,
    on_reassessment_recorded, on_relapse_plan_recorded, on_termination_raised,
};
use intake::{on_assessment_recorded, on_course_started};
pub(crate) use sessions::series_days;
use sessions::{on_measures_reviewed, on_session_held, on_session_missed};

/// The path under which events are applied: outputs cite it whether an event comes alone
/// (`course_apply`) or from a log (`course_replay`).
pub const EVENT_PATH: &str = "$.event";

/// The rules the transitions decide, linked to their handlers.
pub static LINKS: &[Link] = &[
    rule_link!(StInitial => crate::course::apply::intake::on_course_started),
    rule_link!(StMiddle => crate::course::apply::agreements::on_focus_renegotiated),
    rule_link!(StTermination => crate::course::apply::ending::on_termination_raised),
    rule_link!(StEvaluate => crate::course::apply::sessions::on_session_held),
    rule_link!(GGoals => crate::course::apply::agreements::on_goals_revised),
    rule_link!(StRelapsePlan => crate::course::apply::ending::on_relapse_plan_recorded),
];

/// The result of [`apply`].
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    /// The new state.
    pub state: CourseState,
    /// Its outputs.
    pub outputs: Outputs,
}

/// Applies an event to a state, with paths under `$.event`, its outputs explained in English.
/// See [`apply_at`].
pub fn apply(state: &CourseState, event: &Event) -> Result<Transition, Error> {
    apply_at(state, event, EVENT_PATH, Render::EXPLAINED)
}

/// Applies an event to a state: the new state and its outputs, or an error that leaves the
/// state as it was (the input is borrowed; nothing changes on an error). A refusal lists
/// every unmet precondition. `path` is the JSONPath of the event in the request.
pub fn apply_at(
    state: &CourseState,
    event: &Event,
    path: &str,
    render: Render<'_>,
) -> Result<Transition, Error> {
    let mut ctx = Ctx {
        path,
        out: Some(Produced::default()),
        render,
    };
    let s = step(state, event, &mut ctx)?;
    let produced = ctx.out.unwrap_or_default();
    let outputs = Outputs {
        alerts: advice::alerts(&s, render),
        items: produced
            .items
            .into_iter()
            .map(|i| match i {
                Item::Outcome(o) => o.render(render),
                Item::Explained(e) => e,
            })
            .collect(),
        next_session: advice::next_session(&s, render),
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
    let mut ctx = Ctx {
        path,
        out: None,
        render: Render::DECISION,
    };
    step(state, event, &mut ctx)
}

fn step(state: &CourseState, event: &Event, ctx: &mut Ctx) -> Result<CourseState, Error> {
    event.check_limits(ctx.path)?;
    let recorded = event.measures().len();
    if recorded > 0 && state.measures.len() + recorded > crate::limits::MAX_MEASURES_PER_COURSE {
        return Err(Error::limit(
            ctx.at("measures"),
            "measures in one course",
            crate::limits::MAX_MEASURES_PER_COURSE,
            "max_measures_per_course",
        ));
    }
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
            goal_ratings,
        } => {
            let held = sessions::Held {
                measures,
                techniques,
                tasks_done,
                goal_ratings,
            };
            on_session_held(&mut s, *number, date, &held, ctx)?
        }
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
        Event::GoalsRevised { goals, reason } => on_goals_revised(&mut s, goals, reason, ctx)?,
        Event::RelapsePlanRecorded {
            date,
            warning_signs,
            what_helps,
            people,
            return_when,
        } => {
            let plan = crate::course::state::RelapsePlan {
                date: date.clone(),
                warning_signs: warning_signs.clone(),
                what_helps: what_helps.clone(),
                people: people.clone(),
                return_when: return_when.clone(),
            };
            on_relapse_plan_recorded(&mut s, plan, ctx)?
        }
        Event::RiskAssessed { level } => on_risk_assessed(&mut s, *level),
        Event::SafetyPlanRecorded { date } => on_safety_plan_recorded(&mut s, date, ctx)?,
        Event::TerminationRaised {} => on_termination_raised(&mut s),
        Event::ReassessmentRecorded { date } => on_reassessment_recorded(&mut s, date, ctx)?,
        Event::MeasuresReviewed { date } => on_measures_reviewed(&mut s, date, ctx)?,
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
