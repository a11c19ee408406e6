//! The goals and the ending's plan in the next session's agenda (G-GOALS, G-PROGRESS,
//! ST-RELAPSE-PLAN).

use super::goals;
use super::outcome::Outcome;
use super::state::{CourseState, Phase};
use super::words::CourseCase as C;
use crate::catalogue::RuleId;
use crate::explain::{Indicator, RuleStatus};

/// The goals and the ending's plan in the next session's agenda: goals left to revisit after
/// the focus changed (G-GOALS), goals not rated for a while (G-PROGRESS), and in
/// termination or at completion the relapse-prevention plan not yet recorded
/// (ST-RELAPSE-PLAN).
pub fn items(s: &CourseState) -> Vec<Outcome> {
    let mut out = Vec::new();
    if !matches!(
        s.phase,
        Phase::Initial | Phase::Middle | Phase::Termination | Phase::Completed
    ) {
        return out;
    }
    if !s.goals_to_revisit.is_empty() {
        out.push(
            Outcome::new(
                RuleId::GGoals,
                RuleStatus::NotMet,
                Indicator::Warning,
                C::GoalsToRevisit,
            )
            .with("count", s.goals_to_revisit.len())
            .with("list", s.goals_to_revisit.join(", ")),
        );
    }
    if s.phase != Phase::Completed
        && let Some(c) = &s.contract
    {
        for (g, since) in goals::unrated(
            &c.goals,
            &s.goal_ratings,
            s.sessions_held,
            s.goals_agreed_after,
        ) {
            out.push(goals::unrated_outcome(g, since));
        }
    }
    if matches!(s.phase, Phase::Termination | Phase::Completed) && s.relapse_plan.is_none() {
        out.push(Outcome::new(
            RuleId::StRelapsePlan,
            RuleStatus::NotMet,
            Indicator::Warning,
            C::RelapsePlanDue,
        ));
    }
    out
}
