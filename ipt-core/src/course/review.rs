//! The ending reviewed (ST-REVIEW): in the termination phase and after it, what a
//! clinician can hand to the patient or the next clinician, rendered from typed outcomes:
//! the sessions held against the contract, each goal from its first to its latest rating,
//! each symptom and functioning measure from the baseline to the latest with its change
//! rules, the focus area's people and events from the inventory with what was recorded about
//! them (and the goals that concern them), and the relapse-prevention plan.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::guards;
use super::outcome::Outcome;
use super::state::{CourseState, Phase, RelapsePlan};
use super::status::{goal_statuses, trajectory, GoalStatus, SeriesPoint};
use super::words::CourseCase as C;
use crate::areas::{self, Evidence, Focus, ProblemArea};
use crate::catalogue::RuleId;
use crate::error::Error;
use crate::explain::{Explanation, Indicator, InputUsed, Render, RuleStatus};
use crate::measures::{Instrument, MeasureReading};

/// The phases a course can be reviewed in: termination and after it.
pub const REVIEW_PHASES: &[Phase] = &[
    Phase::Termination,
    Phase::Completed,
    Phase::Maintenance,
    Phase::MaintenanceCompleted,
    Phase::Closed,
];

/// The sessions held against the contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionsReview {
    /// Sessions held.
    pub held: u32,
    /// Sessions contracted.
    pub contracted: u32,
    /// Appointments missed.
    pub missed: u32,
    /// Maintenance sessions held.
    pub maintenance_held: u32,
}

/// One instrument from its baseline to its latest measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureReview {
    /// The instrument.
    pub instrument: Instrument,
    /// Whether it measures functioning (WSAS) rather than symptoms.
    pub functioning: bool,
    /// The baseline: the first measure with a known total.
    pub baseline: SeriesPoint,
    /// The latest measure with a known total.
    pub latest: SeriesPoint,
    /// Latest minus baseline (negative: improvement).
    pub change: i64,
    /// The latest measure read against the baseline, with the change rules.
    pub reading: MeasureReading,
}

/// An inventory item of the focus: what the inventory recorded, and the goals about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InventoryReview {
    /// The focus area it is evidence for.
    pub area: ProblemArea,
    /// The item as the area's ranking reads it (its path in the inventory, its words).
    pub evidence: Evidence,
    /// The goals that concern it (their ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<String>,
}

/// The ending review of a course.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// The phase the course is in.
    pub phase: Phase,
    /// The sessions held against the contract.
    pub sessions: SessionsReview,
    /// Each goal from its first to its latest rating.
    pub goals: Vec<GoalStatus>,
    /// Each instrument from its baseline to its latest measure.
    pub measures: Vec<MeasureReview>,
    /// The focus.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus: Option<Focus>,
    /// The focus areas' people and events from the inventory.
    pub inventory: Vec<InventoryReview>,
    /// The relapse-prevention plan, if recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relapse_plan: Option<RelapsePlan>,
    /// ST-REVIEW in words: sessions, measures, inventory items and the plan.
    pub explanations: Vec<Explanation>,
}

/// The ending review of a state, rendered as `r` asks; refused (at `path`) before the
/// termination phase.
pub fn review(s: &CourseState, path: &str, r: Render<'_>) -> Result<Review, Error> {
    if let Some(unmet) = guards::phase_in(s, REVIEW_PHASES, RuleId::StReview) {
        return Err(guards::refused(path, "course_review", &[unmet]));
    }
    let mut out: Vec<Outcome> = Vec::new();
    let contracted = s.config.total_sessions;
    out.push(
        Outcome::new(
            RuleId::StReview,
            RuleStatus::Met,
            Indicator::Info,
            C::ReviewSessions,
        )
        .with("held", s.sessions_held)
        .with("contracted", contracted)
        .with("missed", s.sessions_missed)
        .used([InputUsed::new("$.state.sessions_held", s.sessions_held)]),
    );
    let mut measures = Vec::new();
    for inst in Instrument::ALL {
        let Some(t) = trajectory(s, inst, r) else {
            continue;
        };
        let Some(latest) = t.series.iter().rev().find(|p| p.total.is_some()).cloned() else {
            continue;
        };
        let (Some(b), Some(l)) = (t.baseline.total, latest.total) else {
            continue;
        };
        let change = i64::from(l) - i64::from(b);
        let band = |p: &SeriesPoint| p.band.map_or("", |b| b.label());
        out.push(
            Outcome::new(
                RuleId::StReview,
                RuleStatus::Met,
                Indicator::Info,
                C::ReviewMeasure,
            )
            .with("instrument", inst.label())
            .with("baseline", b)
            .with("baseline_band", band(&t.baseline))
            .with("from", t.baseline.session)
            .with("latest", l)
            .with("latest_band", band(&latest))
            .with("to", latest.session)
            .with("change", format!("{change:+}"))
            .used([InputUsed::new("$.state.measures", l)]),
        );
        measures.push(MeasureReview {
            instrument: inst,
            functioning: inst.measures_functioning(),
            baseline: t.baseline,
            latest,
            change,
            reading: t.latest,
        });
    }
    let goals = goal_statuses(s, r);
    let mut inventory = Vec::new();
    if let (Some(inv), Some(focus)) = (&s.inventory, s.focus) {
        let ranking = areas::rank_in(inv, r);
        for area in [Some(focus.primary), focus.backup].into_iter().flatten() {
            let Some(a) = ranking.get(area) else {
                continue;
            };
            for e in &a.evidence {
                let about: Vec<String> = goals
                    .iter()
                    .filter(|g| concerns(&g.goal, e))
                    .map(|g| g.goal.id.clone())
                    .collect();
                out.push(
                    Outcome::new(
                        RuleId::StReview,
                        RuleStatus::Met,
                        Indicator::Info,
                        C::ReviewInventoryItem,
                    )
                    .with("area", area.label())
                    .with("item", &e.summary)
                    .used([InputUsed::new(
                        format!("$.state.inventory{}", &e.path[1..]),
                        &e.summary,
                    )]),
                );
                inventory.push(InventoryReview {
                    area,
                    evidence: e.clone(),
                    goals: about,
                });
            }
        }
    }
    out.push(match &s.relapse_plan {
        Some(p) => Outcome::new(
            RuleId::StReview,
            RuleStatus::Met,
            Indicator::Info,
            C::ReviewRelapsePlan,
        )
        .with("signs", p.warning_signs.join("; "))
        .with("helps", p.what_helps.join("; "))
        .with("people", people(s, &p.people))
        .with("return_when", &p.return_when),
        None => Outcome::new(
            RuleId::StReview,
            RuleStatus::NotMet,
            Indicator::Warning,
            C::ReviewNoRelapsePlan,
        )
        .missing(["$.state.relapse_plan".to_owned()]),
    });
    Ok(Review {
        phase: s.phase,
        sessions: SessionsReview {
            held: s.sessions_held,
            contracted,
            missed: s.sessions_missed,
            maintenance_held: s.maintenance_sessions_held,
        },
        goals,
        measures,
        focus: s.focus,
        inventory,
        relapse_plan: s.relapse_plan.clone(),
        explanations: out.into_iter().map(|o| o.render(r)).collect(),
    })
}

/// Whether a goal concerns an inventory item: the relationship it names, or the life event at
/// the position it names.
fn concerns(goal: &super::goals::Goal, e: &Evidence) -> bool {
    let by_relationship = goal
        .relationship
        .as_ref()
        .is_some_and(|r| e.relationship.as_ref() == Some(r));
    let by_event = goal.life_event.is_some_and(|i| {
        let item = format!("$.life_events[{i}]");
        e.path == item || e.path.starts_with(&format!("{item}."))
    });
    by_relationship || by_event
}

/// The plan's people as the inventory names them: the person's name, or else the
/// relationship's id.
fn people(s: &CourseState, ids: &[String]) -> String {
    if ids.is_empty() {
        return "none named".to_owned();
    }
    let relationships = s
        .inventory
        .as_ref()
        .and_then(|i| i.relationships.as_deref())
        .unwrap_or(&[]);
    let names: Vec<&str> = ids
        .iter()
        .map(|id| {
            relationships
                .iter()
                .find(|r| r.id == *id)
                .and_then(|r| r.person.as_deref())
                .unwrap_or(id)
        })
        .collect();
    names.join(", ")
}
