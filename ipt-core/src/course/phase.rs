//! The phases of a course.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The phase of a course. Phases never go backwards ([`Phase::rank`]).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Before the course starts: assessment.
    Intake,
    /// Initial phase (ST-INITIAL).
    Initial,
    /// Middle phase (ST-MIDDLE).
    Middle,
    /// Termination phase (ST-TERMINATION).
    Termination,
    /// The acute course is complete.
    Completed,
    /// Maintenance sessions under a separate contract (V-MAINTENANCE).
    Maintenance,
    /// Maintenance has ended.
    MaintenanceCompleted,
    /// Closed before completion; accepts no event.
    Closed,
}

impl Phase {
    /// Position in the phase order; a transition never lowers it.
    pub const fn rank(self) -> u8 {
        self as u8
    }

    /// The phase's JSON name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Phase::Intake => "intake",
            Phase::Initial => "initial",
            Phase::Middle => "middle",
            Phase::Termination => "termination",
            Phase::Completed => "completed",
            Phase::Maintenance => "maintenance",
            Phase::MaintenanceCompleted => "maintenance_completed",
            Phase::Closed => "closed",
        }
    }
}
