//! The IPT course as an event-sourced state machine
//! ([protocol](crate::protocol#the-course-phases-and-guards)): variants as validated
//! configurations ([`config`]), phases, events, and one pure transition function [`apply()`] that
//! returns the new state with its explained outputs, or a refusal that lists every unmet
//! precondition.
//!
//! Design choices (documented here because the protocol leaves them open):
//! * Session numbers count held sessions; a `session_missed` records a missed appointment and
//!   consumes no number.
//! * Lethality must be assessed in session 1 (S3). A session 1 without it is recorded (it
//!   happened) with a warning, the warning stays among the alerts until lethality is
//!   assessed, and ST-ENTER-MIDDLE refuses the middle phase until then.
//! * The first termination-phase session is refused until the ending has been raised
//!   (`termination_raised`); raised fewer than two sessions before the phase (L1), the
//!   session is accepted with a warning.
//! * V-MAINTENANCE courses go from intake straight to `maintenance`; any maintenance ends
//!   with `course_completed` in phase `maintenance_completed`.
//! * In termination, a rise that returns to the baseline severity band, or that comes with
//!   suicide risk, raises an ST-TERMINATION reassessment alert. It is kept in the state
//!   (`reassessment_due`), shown in `alerts` of every output and of `course_status`, and
//!   cleared only by `reassessment_recorded`: a `risk_assessed` answers X-SUICIDE (a
//!   lethality assessment), not the clinical reassessment that a return to the baseline
//!   band calls for, so it does not clear this alert. Beside an active reassessment alert,
//!   no rise is reported as the expected upsurge. A closed course shows no such alert.
//! * At completion, maintenance IPT is offered only when suitability's I-MAINTENANCE holds
//!   for the recorded assessment read with the course's outcome (recurrent depression after
//!   response); otherwise the advice says it does not apply, or cannot be told yet and
//!   which inputs are missing. Non-response offers alternatives (ST-TERMINATION, L1).
//! * Refusals cite the rule that imposes them: ST-PHASES for the order of the course
//!   (phases never go backwards, events in date order, a closed course accepts no event),
//!   ST-ENTER-MIDDLE, ST-TERMINATION, ST-MIDDLE, PA-SELECT, the variant's rule for session
//!   numbers and the contract.
//!
//! Layout: [`state`] (the derived state), [`event`] (what a clinician records), [`mod@apply`]
//! (one handler per event kind; advancing the state is apart from building outputs),
//! [`guards`] (typed [`Requirement`]s), [`advice`] (alerts, next session, completion),
//! [`mod@status`], [`snapshot`] (snapshots and replay), [`outcome`] (typed outcomes and their
//! rendering) and [`words`] (every sentence the course shows).
//!
//! ```
//! use ipt_core::course::{apply, CourseConfig, CourseState, Event};
//! use ipt_core::variant::Variant;
//! use ipt_core::Error;
//!
//! let state = CourseState::new(CourseConfig::of(Variant::Brief));
//! let start: Event = serde_json::from_str(r#"{"type":"course_started","date":"2026-01-05"}"#).unwrap();
//! // No assessment yet: refused, with every unmet precondition; `state` is untouched.
//! match apply(&state, &start) {
//!     Err(Error::TransitionRefused { unmet, .. }) => assert_eq!(unmet[0].requirement, "assessment_recorded"),
//!     other => panic!("{other:?}"),
//! }
//! ```

pub mod advice;
pub mod apply;
pub mod cadence;
mod cases;
pub mod config;
pub mod event;
pub mod goal_agenda;
pub mod goals;
pub mod guards;
pub(crate) mod links;
pub mod outcome;
mod phase;
mod plan;
pub mod review;
pub mod snapshot;
pub mod state;
pub mod status;
pub mod words;

pub use advice::{alerts, initial_outputs, next_session, Outputs};
pub use apply::{advance_at, apply, apply_at, Transition, EVENT_PATH};
pub use config::{phase_of, CourseConfig, Overrides};
pub use event::{Event, Override};
pub use guards::Requirement;
pub use plan::{InstrumentThresholds, Measurement, MEASUREMENT_PATH};
pub use snapshot::{
    relocate, replay, EventSummary, Snapshot, StartRequest, Verify, SNAPSHOT_FORMAT_VERSION,
};
pub use state::{
    CloseReason, Contract, CourseState, DeteriorationDue, InitialTask, MeasurePoint, Phase,
    ReassessmentCause, ReassessmentDue, RecordedOverride,
};
pub use status::{status, status_in, Status, TaskStatus, Trajectory};
