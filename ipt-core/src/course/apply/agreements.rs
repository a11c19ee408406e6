//! What the initial and middle phases agree: the inventory, the focus, the contract and their
//! renegotiations, and the safety events (risk assessed, safety plan).

use super::ctx::Ctx;
use crate::areas::{self, Focus, ProblemArea};
use crate::catalogue::RuleId;
use crate::course::goals::{self, GoalInput};
use crate::course::guards::{self, blank, check_date, Requirement};
use crate::course::outcome::Outcome;
use crate::course::state::{Contract, CourseState, InitialTask, Phase};
use crate::course::words::CourseCase as C;
use crate::error::Error;
use crate::explain::{Explanation, Indicator, InputUsed, RuleStatus};
use crate::inventory::Inventory;
use crate::suitability::SuicideRisk;

pub(super) fn on_inventory_recorded(
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
            out.ranking = Some(areas::rank_in(inventory, ctx.render));
        }
    }
    Ok(unmet)
}

/// PA-SELECT on a proposed focus: `None` without an inventory, otherwise its warnings. The
/// distinct-backup rule (an error) is checked either way; the ranking and the warnings are
/// built only when outputs are wanted.
fn focus_warnings(
    s: &CourseState,
    primary: ProblemArea,
    backup: Option<ProblemArea>,
    ctx: &Ctx,
) -> Result<Option<Vec<Explanation>>, Error> {
    if s.inventory.is_none() {
        return Ok(None);
    }
    if ctx.out.is_none() {
        areas::check_distinct_at(primary, backup, ctx.path)?;
        return Ok(Some(Vec::new()));
    }
    match s.ranking() {
        None => Ok(None),
        Some(r) => areas::check_focus_at(&r, primary, backup, ctx.path, ctx.render).map(Some),
    }
}

pub(super) fn on_focus_agreed(
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
    match focus_warnings(s, primary, backup, ctx)? {
        None => unmet.push(Requirement::InventoryForFocus),
        Some(warnings) => {
            if unmet.is_empty() {
                ctx.explained(warnings);
                s.focus = Some(Focus { primary, backup });
            }
        }
    }
    Ok(unmet)
}

pub(super) fn on_contract_agreed(
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
    goals::validate(
        &contract.goals,
        s.focus,
        s.inventory.as_ref(),
        &ctx.at("contract.goals"),
    )?;
    if contract.sessions < s.sessions_held {
        unmet.push(Requirement::ContractCoversHeld {
            rule: s.config.variant.rule_id(),
        });
    }
    if unmet.is_empty() {
        s.config = cfg;
        s.contract = Some(contract.clone());
        s.goals_agreed_after = s.sessions_held;
        s.tasks_done.insert(InitialTask::Contract);
        if !contract.goals.is_empty() {
            s.tasks_done.insert(InitialTask::Goals);
        }
    }
    Ok(unmet)
}

pub(super) fn on_focus_renegotiated(
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
    let warnings = match focus_warnings(s, primary, backup, ctx)? {
        Some(w) => w,
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
        let dropped: Vec<String> = s
            .contract
            .iter()
            .flat_map(|c| &c.goals)
            .filter(|g| g.area.is_some_and(|a| a != primary && Some(a) != backup))
            .map(|g| g.id.clone())
            .filter(|id| !s.goals_to_revisit.contains(id))
            .collect();
        if !dropped.is_empty() {
            s.goals_to_revisit.extend(dropped);
            let list = s.goals_to_revisit.join(", ");
            let count = s.goals_to_revisit.len();
            ctx.emit(|path| {
                Outcome::new(
                    RuleId::GGoals,
                    RuleStatus::NotMet,
                    Indicator::Warning,
                    C::GoalsToRevisit,
                )
                .with("count", count)
                .with("list", &list)
                .used([InputUsed::new(format!("{path}.primary"), primary.label())])
            });
        }
    }
    Ok(unmet)
}

/// G-GOALS: the goals revised in the middle or termination phase, with a reason; the new
/// list replaces the old and settles the goals a renegotiated focus left to revisit.
pub(super) fn on_goals_revised(
    s: &mut CourseState,
    inputs: &[GoalInput],
    reason: &str,
    ctx: &mut Ctx,
) -> Result<Vec<Requirement>, Error> {
    let revised = goals::normalize(inputs);
    goals::validate(&revised, s.focus, s.inventory.as_ref(), &ctx.at("goals"))?;
    let mut unmet = Vec::new();
    if blank(reason) {
        unmet.push(Requirement::Reason);
    }
    unmet.extend(guards::phase_in(
        s,
        &[Phase::Middle, Phase::Termination],
        RuleId::GGoals,
    ));
    if unmet.is_empty() {
        let settled = std::mem::take(&mut s.goals_to_revisit);
        if let Some(c) = s.contract.as_mut() {
            c.goals = revised;
        }
        s.goals_agreed_after = s.sessions_held;
        let count = inputs.len();
        ctx.emit(|path| {
            Outcome::new(
                RuleId::GGoals,
                RuleStatus::Met,
                Indicator::Info,
                C::GoalsRevised,
            )
            .with("count", count)
            .with("settled", settled.join(", "))
            .with("reason", reason)
            .used([InputUsed::new(format!("{path}.reason"), reason)])
        });
    }
    Ok(unmet)
}

pub(super) fn on_contract_renegotiated(
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

pub(super) fn on_risk_assessed(s: &mut CourseState, level: SuicideRisk) -> Vec<Requirement> {
    let unmet: Vec<Requirement> = guards::risk_event_phase(s).into_iter().collect();
    if unmet.is_empty() {
        s.risk = Some(level);
        s.item9_positive = false;
        s.tasks_done.insert(InitialTask::LethalityAssessed);
    }
    unmet
}

pub(super) fn on_safety_plan_recorded(
    s: &mut CourseState,
    date: &str,
    ctx: &mut Ctx,
) -> Result<Vec<Requirement>, Error> {
    check_date(date, &ctx.at("date"))?;
    let mut unmet: Vec<Requirement> = guards::risk_event_phase(s).into_iter().collect();
    unmet.extend(guards::date_in_order(s, date));
    if unmet.is_empty() {
        s.safety_plan = true;
        s.last_date = Some(date.to_owned());
    }
    Ok(unmet)
}
