//! The course operations' requests and answers, and [`Course`], the in-memory course the C
//! and wasm bindings hold behind a handle.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::course::{self, Event, Outputs, Snapshot, StartRequest, Verify};
use crate::error::Error;
use crate::parse::parse;
use crate::path::JsonPath;

/// The request of `course_apply`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseApplyRequest {
    /// The course, as the previous answer returned it.
    pub snapshot: Snapshot,
    /// The event.
    pub event: Event,
    /// How the snapshot is checked: `digest` (the default: its state is trusted when its
    /// digest matches) or `replay` (the state is always recomputed from the events).
    #[serde(default)]
    pub verify: Verify,
}

/// The request of `course_replay`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseReplayRequest {
    /// How the course starts (as for `course_start`).
    pub start: StartRequest,
    /// The events, in order.
    pub events: Vec<Event>,
}

/// The request of `course_status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseStatusRequest {
    /// The course.
    pub snapshot: Snapshot,
    /// How the snapshot is checked: `digest` (the default: its state is trusted when its
    /// digest matches) or `replay` (the state is always recomputed from the events).
    #[serde(default)]
    pub verify: Verify,
}

/// The result of `course_start` and `course_apply`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseAnswer {
    /// The course after the event: pass it to the next `course_apply`.
    pub snapshot: Snapshot,
    /// The outputs of the event.
    pub outputs: Outputs,
}

/// The result of applying an event to a [`Course`] handle (C `ipt_course_apply`, wasm
/// `Course.apply`): the outputs, without the snapshot the handle keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseHandleAnswer {
    /// The outputs of the event.
    pub outputs: Outputs,
    /// How many events the course now holds.
    pub events: usize,
}

/// The result of `course_replay`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseReplayAnswer {
    /// The course after the last event.
    pub snapshot: Snapshot,
    /// The outputs of the last event.
    pub outputs: Outputs,
    /// Where each event left the course.
    pub summary: Vec<course::EventSummary>,
}

/// `course_apply` read in two parts, each validated with its own paths.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawApply {
    pub snapshot: Box<serde_json::value::RawValue>,
    pub event: Box<serde_json::value::RawValue>,
    #[serde(default)]
    pub verify: Verify,
}

/// `course_status` read raw, for the snapshot's own validation.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStatus {
    pub snapshot: Box<serde_json::value::RawValue>,
    #[serde(default)]
    pub verify: Verify,
}

fn event_path() -> JsonPath {
    JsonPath::from(course::EVENT_PATH)
}

/// An event given alone, with its errors under `$.event`.
pub(super) fn parse_event(text: &str) -> Result<Event, Error> {
    parse::<Event>(text).map_err(|e| e.under(&event_path()))
}
