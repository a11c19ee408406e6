//! A course held in memory behind a handle (the C library's and the wasm package's), answering
//! in the envelopes of the course operations.

use super::answers::Reply;
use super::course::{parse_event, CourseAnswer, CourseHandleAnswer};
use super::envelope::encode;
use super::operations::{HandleOperation, Operation};
use crate::course::{self, Snapshot, StartRequest};
use crate::error::Error;
use crate::explain::Render;
use crate::parse::parse;

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
        crate::json::to_string(&self.snapshot.clone().sealed()).unwrap_or_default()
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
