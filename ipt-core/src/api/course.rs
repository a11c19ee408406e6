//! The course operations' requests and answers, and [`Course`], the in-memory course the C
//! and wasm bindings hold behind a handle.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::envelope::encode;
use super::{HandleOperation, Operation, Reply};
use crate::course::{self, Event, Outputs, Snapshot, StartRequest, Verify};
use crate::error::Error;
use crate::explain::Render;
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

/// An in-memory course: its state and its event log. The C and wasm bindings wrap it.
#[derive(Debug, Clone, PartialEq)]
pub struct Course {
    snapshot: Snapshot,
}

impl Course {
    /// Starts a course from a `course_start` request: the course and the `course_start`
    /// answer, or `Err` with the `course_start` error answer (as [`Course::from_snapshot`]
    /// gives its refusal).
    pub fn start(request: &str) -> Result<(Course, Reply), Reply> {
        let name = Operation::CourseStart.as_str();
        let snapshot = crate::limits::check_request(request)
            .and_then(|()| parse::<StartRequest>(request))
            .and_then(|s| Snapshot::start(s, "$"))
            .map_err(|e| failure(name, e))?;
        let outputs = course::initial_outputs(&snapshot.state, Render::EXPLAINED);
        let course = Course { snapshot };
        let answer = encode(
            name,
            Ok(CourseAnswer {
                snapshot: course.snapshot.clone().sealed(),
                outputs,
            }),
        );
        Ok((
            course,
            Reply {
                json: answer,
                error: None,
            },
        ))
    }

    /// A course from a bare snapshot (validated). `Err` is a `course_status` error reply: the
    /// snapshot is what `course_status` reads.
    pub fn from_snapshot(snapshot: &str) -> Result<Course, Reply> {
        crate::limits::check_request(snapshot)
            .and_then(|()| Snapshot::from_json(snapshot, "$"))
            .map(|snapshot| Course { snapshot })
            .map_err(|e| failure(Operation::CourseStatus.as_str(), e))
    }

    /// Applies an event (the bare event JSON; error paths are under `$.event`, as in
    /// `course_apply`). The reply is a `course_handle_apply` answer
    /// ([`HandleOperation::CourseHandleApply`], its own schema) whose result is a
    /// [`CourseHandleAnswer`]: the outputs and the number of events the course holds, not the
    /// snapshot (the handle keeps it; [`Course::snapshot`] gives it), so applying an event
    /// costs the same however long the course is. A refused or invalid event leaves the
    /// course unchanged.
    pub fn apply(&mut self, event: &str) -> Reply {
        let name = HandleOperation::CourseHandleApply.as_str();
        let result = crate::limits::check_request(event)
            .and_then(|()| parse_event(event))
            .and_then(|ev| {
                self.snapshot
                    .apply(ev, course::EVENT_PATH, Render::EXPLAINED)
            });
        match result {
            Ok(outputs) => Reply {
                json: encode(
                    name,
                    Ok(CourseHandleAnswer {
                        outputs,
                        events: self.snapshot.events.len(),
                    }),
                ),
                error: None,
            },
            Err(e) => failure(name, e),
        }
    }

    /// The `course_status` answer.
    pub fn status(&self) -> Reply {
        Reply {
            json: encode(
                Operation::CourseStatus.as_str(),
                Ok(course::status(&self.snapshot.state)),
            ),
            error: None,
        }
    }

    /// The bare snapshot JSON, sealed with its digest (what `course_apply` takes as
    /// `snapshot`).
    pub fn snapshot(&self) -> String {
        serde_json::to_string(&self.snapshot.clone().sealed()).unwrap_or_default()
    }

    /// The typed snapshot.
    pub fn snapshot_typed(&self) -> &Snapshot {
        &self.snapshot
    }
}

fn failure(operation: &str, e: Error) -> Reply {
    Reply {
        error: Some(e.code()),
        json: encode::<()>(operation, Err(e)),
    }
}
