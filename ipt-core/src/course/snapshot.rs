//! Snapshots (a course's start, its events and the derived state, versioned) and replay.
//! Both advance the state alone for past events; only the last event of a replay builds
//! outputs, and they are the outputs `course_apply` gives for it (invariant 7).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::advice::{self, Outputs};
use super::apply::{advance_at, apply_at, EVENT_PATH};
use super::config::{CourseConfig, Overrides};
use super::event::Event;
use super::state::{CourseState, Phase};
use super::words::{self, CourseCase};
use crate::error::Error;
use crate::rules::RuleId;
use crate::variant::Variant;

/// The snapshot format version this engine reads and writes.
pub const SNAPSHOT_FORMAT_VERSION: u64 = 1;

/// How a course was started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StartRequest {
    /// The variant.
    pub variant: Variant,
    /// Overrides of the variant's defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overrides: Option<Overrides>,
    /// An identifier the caller chooses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub course_id: Option<String>,
}

impl StartRequest {
    /// The validated configuration (errors at `<root>.overrides.*`).
    pub fn config(&self, root: &str) -> Result<CourseConfig, Error> {
        if let Some(id) = &self.course_id {
            crate::limits::check_id(id, || format!("{root}.course_id").into())?;
        }
        CourseConfig::new(
            self.variant,
            &self.overrides.unwrap_or_default(),
            &format!("{root}.overrides"),
        )
    }
}

/// A course: its start, its events and the derived state. Versioned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Snapshot {
    /// Always 1 for this engine.
    pub format_version: u64,
    /// The engine that wrote it.
    pub engine_version: String,
    /// The protocol version it encodes.
    pub protocol_version: String,
    /// How the course was started.
    pub start: StartRequest,
    /// Every accepted event, in order.
    pub events: Vec<Event>,
    /// The state derived from the events.
    pub state: CourseState,
}

impl Snapshot {
    /// A new course: validated start, no events, state in intake.
    pub fn start(start: StartRequest, root: &str) -> Result<Snapshot, Error> {
        let config = start.config(root)?;
        Ok(Snapshot {
            format_version: SNAPSHOT_FORMAT_VERSION,
            engine_version: crate::ENGINE_VERSION.to_owned(),
            protocol_version: crate::PROTOCOL_VERSION.to_owned(),
            start,
            events: Vec::new(),
            state: CourseState::new(config),
        })
    }

    /// Applies an event, appending it on success; on error the snapshot is unchanged.
    pub fn apply(&mut self, event: Event, path: &str) -> Result<Outputs, Error> {
        self.check_room(path)?;
        let t = apply_at(&self.state, &event, path)?;
        self.state = t.state;
        self.events.push(event);
        Ok(t.outputs)
    }

    /// Advances by an event without building outputs, appending it on success; on error the
    /// snapshot is unchanged.
    pub fn advance(&mut self, event: Event, path: &str) -> Result<(), Error> {
        self.check_room(path)?;
        self.state = advance_at(&self.state, &event, path)?;
        self.events.push(event);
        Ok(())
    }

    /// `limit_exceeded` at the event's `path` when the course already holds
    /// [`MAX_EVENTS`](crate::limits::MAX_EVENTS) events.
    fn check_room(&self, path: &str) -> Result<(), Error> {
        if self.events.len() >= crate::limits::MAX_EVENTS {
            return Err(Error::limit(
                path,
                "events in one course",
                crate::limits::MAX_EVENTS,
                "max_events",
            ));
        }
        Ok(())
    }

    /// Parses and validates a snapshot: version first, then the state recomputed from the
    /// events must equal the stored one. The result names this engine's versions.
    pub fn from_json(json: &str, root: &str) -> Result<Snapshot, Error> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| Error::InvalidJson {
                message: e.to_string(),
            })?;
        Snapshot::from_value(value, root)
    }

    /// [`Snapshot::from_json`] on a parsed value.
    pub fn from_value(value: serde_json::Value, root: &str) -> Result<Snapshot, Error> {
        let Some(obj) = value.as_object() else {
            return Err(Error::InvalidSnapshot {
                path: root.into(),
                message: words::message(CourseCase::SnapshotNotObject, &[]),
            });
        };
        match obj
            .get("format_version")
            .and_then(serde_json::Value::as_u64)
        {
            Some(SNAPSHOT_FORMAT_VERSION) => {}
            Some(found) => {
                return Err(Error::UnsupportedSnapshotVersion {
                    found,
                    supported: SNAPSHOT_FORMAT_VERSION,
                })
            }
            None => {
                return Err(Error::InvalidSnapshot {
                    path: format!("{root}.format_version").into(),
                    message: words::message(CourseCase::SnapshotVersionRequired, &[]),
                })
            }
        }
        let text = value.to_string();
        let snap: Snapshot = crate::parse::parse(&text).map_err(|e| match e {
            Error::InvalidInput { path, message } => Error::InvalidSnapshot {
                path: path.under(&root.into()),
                message,
            },
            other => Error::InvalidSnapshot {
                path: root.into(),
                message: other.to_string(),
            },
        })?;
        crate::limits::check_len(
            snap.events.len(),
            crate::limits::MAX_EVENTS,
            "events in one course",
            "max_events",
            || format!("{root}.events").into(),
        )?;
        let mut fresh =
            Snapshot::start(snap.start.clone(), &format!("{root}.start")).map_err(|e| {
                Error::InvalidSnapshot {
                    path: format!("{root}.start").into(),
                    message: e.to_string(),
                }
            })?;
        for (i, ev) in snap.events.iter().enumerate() {
            let p = format!("{root}.events[{i}]");
            fresh.advance(ev.clone(), EVENT_PATH).map_err(|e| match e {
                // A limit is a limit wherever the event comes from.
                Error::LimitExceeded { .. } => e.moved(&EVENT_PATH.into(), &p.as_str().into()),
                e => Error::InvalidSnapshot {
                    path: p.clone().into(),
                    message: words::message(
                        CourseCase::SnapshotEventDoesNotReplay,
                        &[("error", e.to_string())],
                    ),
                },
            })?;
        }
        if fresh.state != snap.state {
            return Err(Error::InvalidSnapshot {
                path: format!("{root}.state").into(),
                message: words::message(CourseCase::SnapshotStateMismatch, &[]),
            });
        }
        // The state is this engine's recomputation, so the snapshot now names this engine.
        Ok(fresh)
    }
}

/// Replays a log from a start: the snapshot, the outputs of the last event (of the start
/// when there are none) and a summary per event. Errors carry `<root>.events[i]`.
pub fn replay(
    start: StartRequest,
    events: &[Event],
    root: &str,
) -> Result<(Snapshot, Outputs, Vec<EventSummary>), Error> {
    crate::limits::check_len(
        events.len(),
        crate::limits::MAX_EVENTS,
        "events in one course",
        "max_events",
        || format!("{root}.events").into(),
    )?;
    let mut snap = Snapshot::start(start, &format!("{root}.start"))?;
    let mut summary = Vec::with_capacity(events.len());
    let Some((last_event, past)) = events.split_last() else {
        let outputs = advice::initial_outputs(&snap.state);
        return Ok((snap, outputs, summary));
    };
    // Past events advance the state only; the last one builds the outputs. Outputs cite
    // `$.event...` exactly as `course_apply` does (invariant 7); errors point into the log.
    let line = |i: usize, ev: &Event, state: &CourseState| EventSummary {
        index: u32::try_from(i).unwrap_or(u32::MAX),
        event: ev.kind().to_owned(),
        phase: state.phase,
        session: state.sessions_held,
        alerts: advice::alert_rules(state),
    };
    for (i, ev) in past.iter().enumerate() {
        snap.advance(ev.clone(), EVENT_PATH)
            .map_err(|e| relocate(e, &format!("{root}.events[{i}]")))?;
        summary.push(line(i, ev, &snap.state));
    }
    let i = past.len();
    let last = snap
        .apply(last_event.clone(), EVENT_PATH)
        .map_err(|e| relocate(e, &format!("{root}.events[{i}]")))?;
    summary.push(line(i, last_event, &snap.state));
    Ok((snap, last, summary))
}

/// Moves an error's path from [`EVENT_PATH`] to `to` (for example `$.events[3]`).
pub fn relocate(e: Error, to: &str) -> Error {
    e.moved(&EVENT_PATH.into(), &to.into())
}

/// One line of a replay: the event and where it left the course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventSummary {
    /// Index in the log.
    pub index: u32,
    /// The event's type.
    pub event: String,
    /// The phase after it.
    pub phase: Phase,
    /// Sessions held after it.
    pub session: u32,
    /// The rule IDs of the active alerts after it.
    pub alerts: Vec<RuleId>,
}
