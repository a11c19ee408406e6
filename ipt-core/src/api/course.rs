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
    /// Whether the answer holds the course's new snapshot: `true` (the default), or `false`
    /// for the outputs alone, for a caller that keeps the course another way (its own store
    /// of the events, a course handle) or only wants to see what an event would give.
    /// The event is applied the same either way; leaving the snapshot out spares writing it
    /// and sealing it with its digest.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub include_snapshot: bool,
}

fn yes() -> bool {
    true
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's `skip_serializing_if` passes a reference
fn is_true(b: &bool) -> bool {
    *b
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

/// The result of `course_apply`: the outputs, and the snapshot unless the request asked for
/// none (`"include_snapshot": false`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseApplyAnswer {
    /// The course after the event: pass it to the next `course_apply`. Left out when the
    /// request has `"include_snapshot": false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snapshot: Option<Snapshot>,
    /// The outputs of the event.
    pub outputs: Outputs,
}

/// A `course_apply` result as it is written: the snapshot (if asked for) sealed while it is
/// written, so that its content is serialized once, for the answer and the digest alike.
pub(super) struct Applied {
    pub snapshot: Option<Snapshot>,
    pub outputs: Outputs,
}

impl super::envelope::Encode for Applied {
    fn encode_into(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        // The fields of `CourseApplyAnswer`, in its order.
        out.push(b'{');
        if let Some(snapshot) = &self.snapshot {
            out.extend_from_slice(b"\"snapshot\":");
            snapshot.write_sealed(out)?;
            out.push(b',');
        }
        out.extend_from_slice(b"\"outputs\":");
        crate::json::to_writer(&mut *out, &self.outputs)?;
        out.push(b'}');
        Ok(())
    }
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
    #[serde(default = "yes")]
    pub include_snapshot: bool,
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
