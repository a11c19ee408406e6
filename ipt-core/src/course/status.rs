//! The status of a course: where it stands, its checklist, its measure trajectories, its
//! alerts and what the next session offers.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::advice;
use super::goals::{self, Goal, Progress};
use super::state::{
    CloseReason, CourseState, InitialTask, MeasurePoint, Phase, RecordedOverride, RelapsePlan,
};
use crate::areas::Focus;
use crate::catalogue::RuleId;
use crate::explain::{Explanation, Render};
use crate::measures::change::{self, Resolved, SustainedRemission};
use crate::measures::{self, Band, Instrument, MeasureReading};
use crate::variant::Variant;

/// A task of the initial-phase checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskStatus {
    /// The task.
    pub task: InitialTask,
    /// Whether it is done.
    pub done: bool,
}

/// One point of a trend: a session's measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SeriesPoint {
    /// The phase of the session.
    pub phase: Phase,
    /// The session (within maintenance for maintenance sessions).
    pub session: u32,
    /// The measure's date, or else the session's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The total; absent when an item is missing (no proration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u32>,
    /// The band of the total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<Band>,
}

/// What a threshold line marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// The baseline total.
    Baseline,
    /// Response: at or below half the baseline.
    Response,
    /// Remission: at or below this total.
    Remission,
    /// Caseness: at or above this total is a case (M-RECOVERY).
    Caseness,
    /// Reliable improvement: at or below the baseline minus the threshold.
    ReliableImprovement,
    /// Reliable deterioration: at or above the baseline plus the threshold.
    ReliableDeterioration,
}

/// A horizontal line a chart can draw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// What it marks.
    pub kind: LineKind,
    /// Its total (response may fall between whole totals: half the baseline).
    pub value: f64,
    /// The rule it comes from.
    pub rule_id: RuleId,
}

/// A chart's value axis: the instrument's range and its bands' lowest totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Axis {
    /// The lowest total.
    pub min: u32,
    /// The highest total.
    pub max: u32,
    /// Each band with its lowest total, in order.
    pub bands: Vec<BandFloor>,
}

/// A band and its lowest total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BandFloor {
    /// The band.
    pub band: Band,
    /// Its lowest total.
    pub from: u32,
}

/// The trajectory of one instrument: its trend against the baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Trajectory {
    /// The instrument.
    pub instrument: Instrument,
    /// Every measure, in order.
    pub points: Vec<MeasurePoint>,
    /// The series a chart draws: session, date, total and band of every measure.
    pub series: Vec<SeriesPoint>,
    /// The baseline: the first measure with a known total.
    pub baseline: SeriesPoint,
    /// The value axis.
    pub axis: Axis,
    /// The thresholds as lines: baseline, response, remission, caseness, reliable
    /// improvement and deterioration (those the instrument has).
    pub lines: Vec<Line>,
    /// The latest measure with a known total, read against the baseline, with the change
    /// rules (reliable change, deterioration, recovery).
    pub latest: MeasureReading,
    /// M-SUSTAINED-REMISSION at the latest measure.
    pub sustained_remission: SustainedRemission,
}

/// The lines of an instrument's chart from its baseline.
pub fn lines(inst: Instrument, baseline: u32, p: &Resolved) -> Vec<Line> {
    let mut out = vec![
        Line {
            kind: LineKind::Baseline,
            value: f64::from(baseline),
            rule_id: RuleId::StEvaluate,
        },
        Line {
            kind: LineKind::Response,
            value: f64::from(baseline) / 2.0,
            rule_id: inst.rule_id(),
        },
        Line {
            kind: LineKind::Remission,
            value: f64::from(inst.remission_max()),
            rule_id: inst.rule_id(),
        },
    ];
    if let Some(c) = p.caseness {
        out.push(Line {
            kind: LineKind::Caseness,
            value: f64::from(c),
            rule_id: RuleId::MRecovery,
        });
    }
    if let Some(t) = p.threshold {
        if let Some(v) = baseline.checked_sub(t) {
            out.push(Line {
                kind: LineKind::ReliableImprovement,
                value: f64::from(v),
                rule_id: RuleId::MReliableChange,
            });
        }
        let up = baseline + t;
        if up <= inst.max_total() {
            out.push(Line {
                kind: LineKind::ReliableDeterioration,
                value: f64::from(up),
                rule_id: RuleId::MDeterioration,
            });
        }
    }
    out
}

/// The trajectory of an instrument in a state; `None` without a known total.
pub fn trajectory(s: &CourseState, inst: Instrument, r: Render<'_>) -> Option<Trajectory> {
    let points: Vec<MeasurePoint> = s.points(inst).cloned().collect();
    let series: Vec<SeriesPoint> = points
        .iter()
        .map(|p| {
            let total = p.measure.score();
            SeriesPoint {
                phase: p.phase,
                session: p.session,
                date: p.when().map(str::to_owned),
                total,
                band: total.map(|t| measures::band(inst, t)),
            }
        })
        .collect();
    let first = s.baseline(inst)?;
    let last = points.iter().rev().find(|p| p.measure.score().is_some())?;
    let params = s.measurement.resolved(inst);
    let latest = measures::evaluate_with(
        Some(&first.measure),
        &last.measure,
        "$.state.baseline",
        "$.state.latest",
        &params,
        r,
    )
    .ok()?;
    let b = first.measure.score()?;
    let baseline = series.iter().find(|p| p.total.is_some()).cloned()?;
    let series_days = crate::course::apply::series_days(s, inst);
    Some(Trajectory {
        instrument: inst,
        points,
        baseline,
        axis: Axis {
            min: 0,
            max: inst.max_total(),
            bands: measures::band_floors(inst)
                .into_iter()
                .map(|(from, band)| BandFloor { band, from })
                .collect(),
        },
        lines: lines(inst, b, &params),
        series,
        latest,
        sustained_remission: change::sustained_remission(
            inst,
            &series_days,
            s.measurement.sustained_remission_days(),
        ),
    })
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
    /// Each goal of the contract with its progress (G-PROGRESS).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goals: Vec<GoalStatus>,
    /// The relapse-prevention plan, once recorded (ST-RELAPSE-PLAN).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relapse_plan: Option<RelapsePlan>,
}

/// A goal with its progress, explained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalStatus {
    /// The goal.
    pub goal: Goal,
    /// Its progress: first and latest rating, change, reliable or not.
    pub progress: Progress,
    /// G-PROGRESS on it, explained.
    pub outcome: Explanation,
}

/// Each goal of a course's contract with its progress, rendered as `r` asks.
pub fn goal_statuses(s: &CourseState, r: Render<'_>) -> Vec<GoalStatus> {
    s.contract
        .iter()
        .flat_map(|c| &c.goals)
        .map(|g| {
            let progress = goals::progress(g, &s.goal_ratings);
            GoalStatus {
                goal: g.clone(),
                outcome: goals::progress_outcome(g, &progress).render(r),
                progress,
            }
        })
        .collect()
}

/// The status of a state, explained in English. See [`status_in`].
pub fn status(s: &CourseState) -> Status {
    status_in(s, Render::EXPLAINED)
}

/// The status of a state, rendered as `r` asks.
pub fn status_in(s: &CourseState, r: Render<'_>) -> Status {
    let measures_out: Vec<Trajectory> = Instrument::ALL
        .iter()
        .filter_map(|i| trajectory(s, *i, r))
        .collect();
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
                done: s.task_done(*t),
            })
            .collect(),
        focus: s.focus,
        measures: measures_out,
        alerts: advice::alerts(s, r),
        next_session: advice::next_session(s, r),
        override_: s.override_.clone(),
        closed_reason: s.closed_reason,
        goals: goal_statuses(s, r),
        relapse_plan: s.relapse_plan.clone(),
    }
}
