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
use crate::catalogue::RuleId;
use crate::error::Error;
use crate::explain::Render;
use crate::variant::Variant;

/// The snapshot format version this engine writes. It also reads version 1, written before
/// snapshots carried a [digest](Snapshot::digest); those are always replayed.
pub const SNAPSHOT_FORMAT_VERSION: u64 = 2;

/// How a snapshot given back to the engine is checked before an event is applied to it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verify {
    /// Trust the state when the snapshot's digest matches its content and it was written by
    /// this engine and protocol version; replay the events otherwise. The default.
    #[default]
    Digest,
    /// Always recompute the state from the start and the events, and refuse the snapshot if
    /// it differs from the stored one.
    Replay,
}

/// How a course was started.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
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
    /// The measurement plan: schedule, instruments and change thresholds (defaults when
    /// left out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measurement: Option<super::plan::Measurement>,
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
    /// `xxh3-128:` and 32 hexadecimal digits: the XXH3-128 hash of everything above, written
    /// by the engine with every snapshot it returns. When a snapshot comes back with a
    /// matching digest from the same engine and protocol version, its state is used as it is;
    /// otherwise (no digest, a different one, another version, or [`Verify::Replay`]) the
    /// state is recomputed from the events. It detects a snapshot changed outside the engine;
    /// it is not a signature (anyone can compute it), so a store that untrusted parties can
    /// write should ask for [`Verify::Replay`] or sign what it keeps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<String>,
}

impl Snapshot {
    /// A new course: validated start, no events, state in intake.
    pub fn start(start: StartRequest, root: &str) -> Result<Snapshot, Error> {
        let config = start.config(root)?;
        let mut state = CourseState::new(config);
        if let Some(m) = &start.measurement {
            m.validate(&format!("{root}.measurement"))?;
            state.measurement = m.clone();
        }
        Ok(Snapshot {
            format_version: SNAPSHOT_FORMAT_VERSION,
            engine_version: crate::version::ENGINE_VERSION.to_owned(),
            protocol_version: crate::version::PROTOCOL_VERSION.to_owned(),
            start,
            events: Vec::new(),
            state,
            digest: None,
        })
    }

    /// The digest of the snapshot's content as it is now (see [`Snapshot::digest`]).
    pub fn computed_digest(&self) -> String {
        // Serializing these types cannot fail (no maps with non-string keys, no custom
        // serializers that error); if it did, the text is not a digest and never matches one.
        self.write_content(&mut Vec::with_capacity(8 * 1024))
            .unwrap_or_else(|_| "xxh3-128:unwritable".to_owned())
    }

    /// Writes the snapshot sealed, as `serde_json` writes [`Snapshot::sealed`], serializing its
    /// content once: the digest is computed over the same text as it is written.
    pub fn write_sealed(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
        let digest = self.write_content(out)?;
        out.extend_from_slice(b",\"digest\":");
        crate::json::to_writer(&mut *out, &digest)?;
        out.push(b'}');
        Ok(())
    }

    /// Writes the snapshot's fields but the digest, in order, as serde writes them (an object
    /// left open: `{"format_version":…,"state":{…}`), and returns the digest of the content:
    /// the XXH3-128 hash of the same values written as one array,
    /// `[format_version,engine_version,protocol_version,start,events,state]`. The one place
    /// the fields' order is spelled.
    fn write_content(&self, out: &mut Vec<u8>) -> serde_json::Result<String> {
        let mut hash = xxhash_rust::xxh3::Xxh3::new();
        let h = &mut hash;
        field(out, h, b"{\"format_version\":", b"[", &self.format_version)?;
        field(out, h, b",\"engine_version\":", b",", &self.engine_version)?;
        field(
            out,
            h,
            b",\"protocol_version\":",
            b",",
            &self.protocol_version,
        )?;
        field(out, h, b",\"start\":", b",", &self.start)?;
        field(out, h, b",\"events\":", b",", &self.events)?;
        field(out, h, b",\"state\":", b",", &self.state)?;
        hash.update(b"]");
        Ok(format!("xxh3-128:{:032x}", hash.digest128()))
    }

    /// Sets the digest to the content's; the engine does this on every snapshot it returns.
    pub fn seal(&mut self) {
        self.digest = Some(self.computed_digest());
    }

    /// The snapshot, sealed.
    pub fn sealed(mut self) -> Snapshot {
        self.seal();
        self
    }

    /// Applies an event, appending it on success; on error the snapshot is unchanged. The
    /// outputs are rendered as `r` asks.
    pub fn apply(&mut self, event: Event, path: &str, r: Render<'_>) -> Result<Outputs, Error> {
        self.check_room(path)?;
        let t = apply_at(&self.state, &event, path, r)?;
        self.state = t.state;
        self.events.push(event);
        self.digest = None;
        Ok(t.outputs)
    }

    /// Advances by an event without building outputs, appending it on success; on error the
    /// snapshot is unchanged.
    pub fn advance(&mut self, event: Event, path: &str) -> Result<(), Error> {
        self.check_room(path)?;
        self.state = advance_at(&self.state, &event, path)?;
        self.events.push(event);
        self.digest = None;
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

    /// Parses and validates a snapshot ([`Verify::Digest`]): the format version first, then
    /// the state, trusted when the digest vouches for it and recomputed from the events
    /// otherwise. The result names this engine's versions.
    pub fn from_json(json: &str, root: &str) -> Result<Snapshot, Error> {
        Snapshot::read(json, root, Verify::Digest)
    }

    /// [`Snapshot::from_json`] with the check chosen: with [`Verify::Replay`], or when the
    /// digest does not vouch for the state, the state recomputed from the events must equal
    /// the stored one.
    pub fn read(json: &str, root: &str, verify: Verify) -> Result<Snapshot, Error> {
        let snap = match crate::parse::parse::<Snapshot>(json) {
            Ok(snap) => {
                check_format(Some(snap.format_version), root)?;
                snap
            }
            Err(e) => return Err(explain_unreadable(json, root, e)),
        };
        crate::limits::check_len(
            snap.events.len(),
            crate::limits::MAX_EVENTS,
            "events in one course",
            "max_events",
            || format!("{root}.events").into(),
        )?;
        if verify == Verify::Digest
            && snap.engine_version == crate::version::ENGINE_VERSION
            && snap.protocol_version == crate::version::PROTOCOL_VERSION
            && matches!(&snap.digest, Some(d) if *d == snap.computed_digest())
        {
            // As a replay would give it: the digest is written with the snapshot, not kept.
            return Ok(Snapshot {
                format_version: SNAPSHOT_FORMAT_VERSION,
                digest: None,
                ..snap
            });
        }
        Snapshot::replayed(snap, root)
    }

    /// The snapshot rebuilt from its start and events by this engine, which must reach the
    /// stored state when the snapshot names this engine's versions.
    fn replayed(snap: Snapshot, root: &str) -> Result<Snapshot, Error> {
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
        // A state written by another engine or protocol version may be shaped differently
        // (a later version records more): the events are the record, and the state is this
        // engine's recomputation of them. Within one version the two must agree.
        let same_version = snap.engine_version == crate::version::ENGINE_VERSION
            && snap.protocol_version == crate::version::PROTOCOL_VERSION;
        if same_version && fresh.state != snap.state {
            return Err(Error::InvalidSnapshot {
                path: format!("{root}.state").into(),
                message: words::message(CourseCase::SnapshotStateMismatch, &[]),
            });
        }
        // The state is this engine's recomputation, so the snapshot now names this engine.
        Ok(fresh)
    }
}

/// Writes `key` and a value to `out`, and the value (after `sep`) to the digest's hash.
fn field(
    out: &mut Vec<u8>,
    hash: &mut xxhash_rust::xxh3::Xxh3,
    key: &[u8],
    sep: &[u8],
    value: &impl Serialize,
) -> serde_json::Result<()> {
    out.extend_from_slice(key);
    let at = out.len();
    crate::json::to_writer(&mut *out, value)?;
    hash.update(sep);
    hash.update(out.get(at..).unwrap_or_default());
    Ok(())
}

/// `Ok` for a format version this engine reads (1 or 2).
fn check_format(found: Option<u64>, root: &str) -> Result<(), Error> {
    match found {
        Some(1 | SNAPSHOT_FORMAT_VERSION) => Ok(()),
        Some(found) => Err(Error::UnsupportedSnapshotVersion {
            found,
            supported: SNAPSHOT_FORMAT_VERSION,
        }),
        None => Err(Error::InvalidSnapshot {
            path: format!("{root}.format_version").into(),
            message: words::message(CourseCase::SnapshotVersionRequired, &[]),
        }),
    }
}

/// Why a snapshot could not be read, in the order a reader needs it: not JSON, not an
/// object, no or an unsupported format version (a snapshot of another format has other
/// fields), then the field the parse stopped at. Only runs when the parse failed.
fn explain_unreadable(json: &str, root: &str, parse_error: Error) -> Error {
    let value: serde_json::Value = match serde_json::from_str(json) {
        Ok(value) => value,
        Err(e) => {
            return Error::InvalidJson {
                message: e.to_string(),
            }
        }
    };
    let Some(obj) = value.as_object() else {
        return Error::InvalidSnapshot {
            path: root.into(),
            message: words::message(CourseCase::SnapshotNotObject, &[]),
        };
    };
    if let Err(e) = check_format(
        obj.get("format_version")
            .and_then(serde_json::Value::as_u64),
        root,
    ) {
        return e;
    }
    match parse_error {
        Error::InvalidInput { path, message } => Error::InvalidSnapshot {
            path: path.under(&root.into()),
            message,
        },
        other => Error::InvalidSnapshot {
            path: root.into(),
            message: other.to_string(),
        },
    }
}

/// Replays a log from a start: the snapshot, the outputs of the last event (of the start
/// when there are none) and a summary per event. Errors carry `<root>.events[i]`.
pub fn replay(
    start: StartRequest,
    events: &[Event],
    root: &str,
    r: Render<'_>,
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
        let outputs = advice::initial_outputs(&snap.state, r);
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
        .apply(last_event.clone(), EVENT_PATH, r)
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
