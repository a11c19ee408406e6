//! The JSON call/answer API: one string-in, string-out function per operation.
//!
//! This is the single surface the C library, the wasm package and the command line wrap, so
//! its shape is the product's contract:
//!
//! * every answer is an [`Answer`] envelope carrying `engine_version`, `protocol_version` and
//!   `operation`, then either `"ok": true` with a `result` or `"ok": false` with an `error`
//!   `{code, message, path}`;
//! * error codes are the stable strings of [`ErrorCode`];
//! * unknown fields, out-of-range values and unknown enum strings are rejected with the JSONPath
//!   of the offending field;
//! * no input makes these functions panic.
//!
//! [`call`] dispatches on the operation name; the named functions are the same thing, typed.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::course::{self, Event, Outputs, Snapshot, StartRequest};
use crate::error::{parse, Error, ErrorBody, ErrorCode};
use crate::{areas, inventory, measures, readiness, rules, schema, suitability};

/// The engine's version (the crate version).
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The version of `PROTOCOL.md` this engine encodes.
pub const PROTOCOL_VERSION: &str = "1.0.0";

macro_rules! operations {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal ),+ $(,)?) => {
        /// The operations of the API.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
        pub enum Operation {
            $( $(#[$doc])* #[serde(rename = $name)] $variant, )+
        }

        impl Operation {
            /// Every operation.
            pub const ALL: &'static [Operation] = &[ $( Operation::$variant, )+ ];

            /// The operation's name as used by [`call`].
            pub const fn as_str(self) -> &'static str {
                match self { $( Operation::$variant => $name, )+ }
            }

            /// Looks an operation up by name.
            pub fn parse(name: &str) -> Option<Operation> {
                match name { $( $name => Some(Operation::$variant), )+ _ => None }
            }
        }
    };
}

operations! {
    /// Engine and protocol versions, and the operations available. Request: `{}`.
    Version = "version",
    /// The rule catalogue. Request: `{}`.
    Rules = "rules",
    /// The JSON Schemas of every request and answer. Request: `{}`.
    Schemas = "schemas",
    /// Suitability of a patient for IPT. Request: an assessment.
    AssessSuitability = "assess_suitability",
    /// Readiness of a service to deliver IPT. Request: a service profile.
    ServiceReadiness = "service_readiness",
    /// The four problem areas ranked on an interpersonal inventory. Request: an inventory.
    RankProblemAreas = "rank_problem_areas",
    /// A proposed focus (primary and backup area) checked against the inventory's evidence.
    /// Request: `{inventory, primary, backup?}`.
    CheckFocus = "check_focus",
    /// A symptom measure read against its bands and a baseline. Request: `{current, baseline?}`.
    EvaluateMeasure = "evaluate_measure",
    /// A new course in intake. Request: `{variant, overrides?, course_id?}`.
    CourseStart = "course_start",
    /// An event applied to a course. Request: `{snapshot, event}`.
    CourseApply = "course_apply",
    /// A course rebuilt from its start and events. Request: `{start, events}`.
    CourseReplay = "course_replay",
    /// The status of a course. Request: `{snapshot}`.
    CourseStatus = "course_status",
}

/// The answer envelope of every operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer<T> {
    /// The engine's version.
    pub engine_version: String,
    /// The version of the protocol the engine encodes.
    pub protocol_version: String,
    /// The operation that was called, as given.
    pub operation: String,
    /// `true` when `result` is present, `false` when `error` is.
    pub ok: bool,
    /// The result, when `ok`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<T>,
    /// The error, when not `ok`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

/// The request of operations that take no input: an empty object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Empty {}

/// The result of `version`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionInfo {
    /// The engine's version.
    pub engine_version: String,
    /// The version of the protocol the engine encodes.
    pub protocol_version: String,
    /// The operations this engine answers.
    pub operations: Vec<Operation>,
}

/// The versions and operations of this engine.
pub fn version_info() -> VersionInfo {
    VersionInfo {
        engine_version: ENGINE_VERSION.to_owned(),
        protocol_version: PROTOCOL_VERSION.to_owned(),
        operations: Operation::ALL.to_vec(),
    }
}

/// Serializes an answer. Serialization of these types cannot fail (no maps with non-string
/// keys); should it ever, the answer is an `internal` error, still a valid envelope.
pub fn encode<T: Serialize>(operation: &str, result: Result<T, Error>) -> String {
    let answer = match result {
        Ok(value) => Answer {
            engine_version: ENGINE_VERSION.to_owned(),
            protocol_version: PROTOCOL_VERSION.to_owned(),
            operation: operation.to_owned(),
            ok: true,
            result: Some(value),
            error: None,
        },
        Err(e) => return error_answer(operation, &e.to_body()),
    };
    serde_json::to_string(&answer).unwrap_or_else(|e| {
        error_answer(
            operation,
            &ErrorBody {
                code: ErrorCode::Internal,
                message: format!("could not serialize the answer: {e}"),
                path: None,
                unmet: Vec::new(),
            },
        )
    })
}

/// An error answer. The bindings use this for errors at their boundary (NULL pointers,
/// invalid UTF-8, caught panics) so that every answer has the same shape.
pub fn error_answer(operation: &str, error: &ErrorBody) -> String {
    let answer: Answer<()> = Answer {
        engine_version: ENGINE_VERSION.to_owned(),
        protocol_version: PROTOCOL_VERSION.to_owned(),
        operation: operation.to_owned(),
        ok: false,
        result: None,
        error: Some(error.clone()),
    };
    serde_json::to_string(&answer).unwrap_or_else(|_| {
        // Unreachable in practice: the envelope has only strings and enums.
        String::from(
            r#"{"ok":false,"error":{"code":"internal","message":"could not serialize an error"}}"#,
        )
    })
}

/// An error answer from a code and a message, for the bindings.
pub fn error_answer_with(operation: &str, code: ErrorCode, message: &str) -> String {
    error_answer(
        operation,
        &ErrorBody {
            code,
            message: message.to_owned(),
            path: None,
            unmet: Vec::new(),
        },
    )
}

/// The error code of an answer envelope, `None` when the answer is `ok`. The bindings use this
/// to turn an answer into their own status values without reading the envelope themselves.
pub fn error_code_of(answer: &str) -> Option<ErrorCode> {
    #[derive(Deserialize)]
    struct Code {
        code: ErrorCode,
    }
    #[derive(Deserialize)]
    struct Envelope {
        #[serde(default)]
        error: Option<Code>,
    }
    match serde_json::from_str::<Envelope>(answer) {
        Ok(Envelope { error }) => error.map(|e| e.code),
        Err(_) => Some(ErrorCode::Internal),
    }
}

/// Parses the request of an operation that takes none: `{}`, or an empty string.
fn parse_empty(request: &str) -> Result<Empty, Error> {
    if request.trim().is_empty() {
        Ok(Empty {})
    } else {
        parse(request)
    }
}

/// Calls an operation by name. Unknown names give an `unknown_operation` error answer.
pub fn call(operation: &str, request: &str) -> String {
    match Operation::parse(operation) {
        Some(op) => dispatch(op, request),
        None => encode::<()>(
            operation,
            Err(Error::UnknownOperation {
                operation: operation.to_owned(),
            }),
        ),
    }
}

fn dispatch(op: Operation, request: &str) -> String {
    let name = op.as_str();
    match op {
        Operation::Version => encode(name, parse_empty(request).map(|_| version_info())),
        Operation::Rules => encode(name, parse_empty(request).map(|_| rules::catalogue())),
        Operation::Schemas => encode(name, parse_empty(request).map(|_| schema::all())),
        Operation::AssessSuitability => encode(
            name,
            parse::<suitability::Assessment>(request).map(|a| suitability::assess(&a)),
        ),
        Operation::ServiceReadiness => encode(
            name,
            parse::<readiness::ServiceProfile>(request).map(|p| readiness::evaluate(&p)),
        ),
        Operation::RankProblemAreas => encode(
            name,
            inventory::Inventory::from_json(request).map(|inv| areas::rank(&inv)),
        ),
        Operation::CheckFocus => encode(name, areas::check_focus_request(request)),
        Operation::EvaluateMeasure => encode(name, measures::evaluate_request(request)),
        Operation::CourseStart => encode(name, course_start_typed(request)),
        Operation::CourseApply => encode(name, course_apply_typed(request)),
        Operation::CourseReplay => encode(name, course_replay_typed(request)),
        Operation::CourseStatus => encode(name, course_status_typed(request)),
    }
}

/// `version`: engine and protocol versions.
pub fn version() -> String {
    dispatch(Operation::Version, "")
}

/// `rules`: the rule catalogue.
pub fn rules() -> String {
    dispatch(Operation::Rules, "")
}

/// `schemas`: the JSON Schemas of every request and answer.
pub fn schemas() -> String {
    dispatch(Operation::Schemas, "")
}

/// `assess_suitability`: an assessment in, a suitability report out.
pub fn assess_suitability(request: &str) -> String {
    dispatch(Operation::AssessSuitability, request)
}

/// `service_readiness`: a service profile in, a readiness report out.
pub fn service_readiness(request: &str) -> String {
    dispatch(Operation::ServiceReadiness, request)
}

/// `rank_problem_areas`: an interpersonal inventory in, the ranking of the four problem areas
/// out.
pub fn rank_problem_areas(request: &str) -> String {
    dispatch(Operation::RankProblemAreas, request)
}

/// `check_focus`: an inventory and a proposed focus in, PA-SELECT warnings and the primary
/// area's strategies and techniques out.
pub fn check_focus(request: &str) -> String {
    dispatch(Operation::CheckFocus, request)
}

/// `evaluate_measure`: a current measure (and optionally the baseline) in, its band, change,
/// response, remission and item-9 alert out.
pub fn evaluate_measure(request: &str) -> String {
    dispatch(Operation::EvaluateMeasure, request)
}

/// `course_start`: `{variant, overrides?, course_id?}` in, `{snapshot, outputs}` out.
pub fn course_start(request: &str) -> String {
    dispatch(Operation::CourseStart, request)
}

/// `course_apply`: `{snapshot, event}` in, `{snapshot, outputs}` out; a refusal lists every
/// unmet precondition.
pub fn course_apply(request: &str) -> String {
    dispatch(Operation::CourseApply, request)
}

/// `course_replay`: `{start, events}` in, `{snapshot, outputs, summary}` out.
pub fn course_replay(request: &str) -> String {
    dispatch(Operation::CourseReplay, request)
}

/// `course_status`: `{snapshot}` in, the course status out.
pub fn course_status(request: &str) -> String {
    dispatch(Operation::CourseStatus, request)
}

/// The request of `course_apply`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseApplyRequest {
    /// The course, as the previous answer returned it.
    pub snapshot: Snapshot,
    /// The event.
    pub event: Event,
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

/// Raw two-part request: the parts are validated with their own paths.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApply {
    snapshot: serde_json::Value,
    event: serde_json::Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatus {
    snapshot: serde_json::Value,
}

fn reroot(e: Error, root: &str) -> Error {
    match e {
        Error::InvalidInput { path, message } => Error::InvalidInput {
            path: path.replacen('$', root, 1),
            message,
        },
        other => other,
    }
}

fn parse_event(value: &serde_json::Value, root: &str) -> Result<Event, Error> {
    parse::<Event>(&value.to_string()).map_err(|e| reroot(e, root))
}

fn course_start_typed(request: &str) -> Result<CourseAnswer, Error> {
    let start: StartRequest = parse(request)?;
    let snapshot = Snapshot::start(start, "$")?;
    let outputs = course::initial_outputs(&snapshot.state);
    Ok(CourseAnswer { snapshot, outputs })
}

fn course_apply_typed(request: &str) -> Result<CourseAnswer, Error> {
    let raw: RawApply = parse(request)?;
    let mut snapshot = Snapshot::from_value(raw.snapshot, "$.snapshot")?;
    let event = parse_event(&raw.event, "$.event")?;
    let outputs = snapshot.apply(event, "$.event")?;
    Ok(CourseAnswer { snapshot, outputs })
}

fn course_replay_typed(request: &str) -> Result<CourseReplayAnswer, Error> {
    let req: CourseReplayRequest = parse(request)?;
    let (snapshot, outputs, summary) = course::replay(req.start, &req.events, "$")?;
    Ok(CourseReplayAnswer {
        snapshot,
        outputs,
        summary,
    })
}

fn course_status_typed(request: &str) -> Result<course::Status, Error> {
    let raw: RawStatus = parse(request)?;
    let snapshot = Snapshot::from_value(raw.snapshot, "$.snapshot")?;
    Ok(course::status(&snapshot.state))
}

/// An in-memory course: its state and its event log. The C and wasm bindings wrap it.
#[derive(Debug, Clone, PartialEq)]
pub struct Course {
    snapshot: Snapshot,
}

impl Course {
    /// Starts a course from a `course_start` request. The string is the `course_start`
    /// answer; the course is `None` when that answer is an error.
    pub fn start(request: &str) -> (Option<Course>, String) {
        let name = Operation::CourseStart.as_str();
        match parse::<StartRequest>(request).and_then(|s| Snapshot::start(s, "$")) {
            Ok(snapshot) => {
                let outputs = course::initial_outputs(&snapshot.state);
                let course = Course { snapshot };
                let answer = encode(
                    name,
                    Ok(CourseAnswer {
                        snapshot: course.snapshot.clone(),
                        outputs,
                    }),
                );
                (Some(course), answer)
            }
            Err(e) => (None, encode::<()>(name, Err(e))),
        }
    }

    /// A course from a bare snapshot (validated). `Err` is an error answer envelope with
    /// operation `course_from_snapshot`.
    pub fn from_snapshot(snapshot: &str) -> Result<Course, String> {
        Snapshot::from_json(snapshot, "$")
            .map(|snapshot| Course { snapshot })
            .map_err(|e| encode::<()>("course_from_snapshot", Err(e)))
    }

    /// Applies an event (the bare event JSON; error paths are under `$.event`, as in
    /// `course_apply`). The answer is the `course_apply` answer; a refused or invalid event
    /// leaves the course unchanged.
    pub fn apply(&mut self, event: &str) -> String {
        let name = Operation::CourseApply.as_str();
        let result = parse::<Event>(event)
            .map_err(|e| reroot(e, "$.event"))
            .and_then(|ev| {
                let mut next = self.snapshot.clone();
                let outputs = next.apply(ev, "$.event")?;
                Ok((next, outputs))
            });
        match result {
            Ok((next, outputs)) => {
                self.snapshot = next;
                encode(
                    name,
                    Ok(CourseAnswer {
                        snapshot: self.snapshot.clone(),
                        outputs,
                    }),
                )
            }
            Err(e) => encode::<()>(name, Err(e)),
        }
    }

    /// The `course_status` answer.
    pub fn status(&self) -> String {
        encode(
            Operation::CourseStatus.as_str(),
            Ok(course::status(&self.snapshot.state)),
        )
    }

    /// The bare snapshot JSON (what `course_apply` takes as `snapshot`).
    pub fn snapshot(&self) -> String {
        serde_json::to_string(&self.snapshot).unwrap_or_default()
    }

    /// The typed snapshot.
    pub fn snapshot_typed(&self) -> &Snapshot {
        &self.snapshot
    }
}
