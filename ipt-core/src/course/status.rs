//! The status of a course: where it stands, its checklist, its measure trajectories, its
//! alerts and what the next session offers.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::advice;
use super::state::{CloseReason, CourseState, InitialTask, MeasurePoint, Phase, RecordedOverride};
use crate::areas::Focus;
use crate::explain::Explanation;
use crate::measures::{self, Instrument, MeasureReading};
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

/// The trajectory of one instrument.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Trajectory {
    /// The instrument.
    pub instrument: Instrument,
    /// Every measure, in order.
    pub points: Vec<MeasurePoint>,
    /// The latest measure read against the baseline (the first measure).
    pub latest: MeasureReading,
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
}

/// The status of a state.
pub fn status(s: &CourseState) -> Status {
    let mut measures_out = Vec::new();
    for inst in Instrument::ALL {
        let points: Vec<MeasurePoint> = s.points(inst).cloned().collect();
        if let (Some(first), Some(last)) = (points.first(), points.last()) {
            if let Ok(latest) = measures::evaluate(Some(&first.measure), &last.measure) {
                measures_out.push(Trajectory {
                    instrument: inst,
                    points: points.clone(),
                    latest,
                });
            }
        }
    }
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
        alerts: advice::alerts(s),
        next_session: advice::next_session(s),
        override_: s.override_.clone(),
        closed_reason: s.closed_reason,
    }
}
