//! The store: one interface ([`Store`]), two backends (SQLite by default, PostgreSQL by URL),
//! versioned migrations applied at start.
//!
//! It holds what must outlive a process: the `jti` of every token accepted until it expires
//! (so a restart does not reopen the replay window), the cards issued (so feedback names a card
//! this service gave this tenant), the feedback itself, which is never deleted, and the IPT
//! courses (migration 2): each course's start, its events (append-only, one per position, each
//! with who recorded it and when the server received it) and its current snapshot, as the
//! engine wrote it. Every method is one transaction; what a method reports done is committed.
//! Schema changes are new migrations appended to [`migrations`], and a store written by a newer
//! version is refused rather than guessed at.

mod migrations;
mod postgres;
mod sqlite;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde::Serialize;

pub use migrations::MIGRATIONS;

/// A boxed future, as the store's methods return (the trait is used as `dyn Store`).
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// What the store failed at.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database answered with an error, or could not be reached.
    #[error("store: {0}")]
    Database(String),
    /// The store was written by a newer version of this server.
    #[error("the store is at schema version {found}; this server knows up to {known}")]
    Newer {
        /// The version found.
        found: i64,
        /// The newest this server knows.
        known: i64,
    },
    /// The store URL is not one this server reads.
    #[error("store URL: {0}")]
    Url(String),
}

/// Whose data: the token's issuer and its `tenant` claim (empty when the token has none).
/// Nothing of one scope is visible from another.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Scope {
    /// The token's `iss`.
    pub issuer: String,
    /// The token's `tenant`, or empty.
    pub tenant: String,
}

/// A card this service gave: what feedback is checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedCard {
    /// The card's `uuid`.
    pub uuid: String,
    /// The rule it came from (its `source.topic.code`).
    pub rule_id: String,
    /// `info`, `warning` or `critical`.
    pub indicator: String,
    /// The `uuid` of each of its suggestions.
    pub suggestions: Vec<String>,
}

/// One feedback item, checked, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedbackRecord {
    /// The card's `uuid`.
    pub card: String,
    /// Its rule (from the card issued).
    pub rule_id: String,
    /// `accepted` or `overridden`.
    pub outcome: String,
    /// When the clinician acted, as sent (RFC 3339, UTC).
    pub outcome_timestamp: String,
    /// The suggestions accepted (their `uuid`s), as a JSON array.
    pub accepted_suggestions: String,
    /// The override reason's coding system, code and display, if one was given.
    pub override_reason: Option<(String, String, Option<String>)>,
    /// The clinician's comment on the override, if any.
    pub override_comment: Option<String>,
    /// SHA-256 of the item's content: the same item posted twice is stored once.
    pub digest: String,
}

/// What [`Store::add_feedback`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FeedbackStored {
    /// Items newly stored.
    pub stored: usize,
    /// Items already stored before (the same content), not stored again.
    pub duplicates: usize,
}

/// Overrides by reason: `((system, code) or none for no reason, display, count)`.
pub type ReasonCounts = Vec<(Option<(String, String)>, Option<String>, i64)>;

/// A summary query's override rows: `(rule, system, code, display, count)`.
pub(crate) type ReasonRows = Vec<(String, Option<String>, Option<String>, Option<String>, i64)>;

/// Counts for one rule, as [`Store::feedback_summary`] reads them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleCounts {
    /// Distinct cards of the rule issued (and remembered).
    pub cards_issued: i64,
    /// Feedback items `accepted`.
    pub accepted: i64,
    /// Feedback items `overridden`.
    pub overridden: i64,
    /// Overrides by reason: `(system, code, display, count)`; `None` for no reason given.
    pub reasons: ReasonCounts,
}

/// Which scopes a summary covers: one issuer's tenant (the JSON route), or any subset (the
/// command line, for the operator).
#[derive(Debug, Clone, Default)]
pub struct SummaryFilter {
    /// Only this issuer.
    pub issuer: Option<String>,
    /// Only this tenant (empty for tokens without one).
    pub tenant: Option<String>,
}

/// What [`Store::prune`] removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pruned {
    /// Expired `jti`s.
    pub jtis: u64,
    /// Cards past their retention.
    pub cards: u64,
}

/// A course to create: its first snapshot (no events yet), as the engine wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCourse {
    /// The server's id of the course (a random UUID).
    pub id: String,
    /// The patient's FHIR id.
    pub patient_id: String,
    /// How the course was started (the snapshot's `start`, as the engine wrote it).
    pub start: String,
    /// The snapshot of the course at version 0, as the engine wrote it.
    pub snapshot: String,
    /// Who created it.
    pub by: Recorder,
    /// When the server received the request (Unix milliseconds).
    pub at_ms: i64,
}

/// Who recorded something: the token's subject and the `userId` the caller gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recorder {
    /// The token's `sub`, if it had one.
    pub subject: Option<String>,
    /// The `userId` of the request (`Practitioner/123`), if given.
    pub user_id: Option<String>,
}

/// A course as stored: its identity and its current version and snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseRow {
    /// The server's id.
    pub id: String,
    /// The patient's FHIR id.
    pub patient_id: String,
    /// How the course was started, as the engine wrote it.
    pub start: String,
    /// The number of events: the version `If-Match` names.
    pub version: i64,
    /// The snapshot after the last event, as the engine wrote it.
    pub snapshot: String,
    /// Who created the course.
    pub created_by: Recorder,
    /// When (Unix milliseconds).
    pub created_at_ms: i64,
    /// When the last event was received (the creation, before any).
    pub updated_at_ms: i64,
}

/// An event to append at `position` (the course's version before it, plus one), with the
/// snapshot after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    /// Its position in the course's log: 1, 2, 3...
    pub position: i64,
    /// The event's `type`.
    pub kind: String,
    /// The event, as the engine wrote it in the snapshot.
    pub event: String,
    /// The clinical date the event carries, if any (`YYYY-MM-DD`).
    pub clinical_date: Option<String>,
    /// Who recorded it.
    pub by: Recorder,
    /// When the server received it (Unix milliseconds).
    pub received_at_ms: i64,
}

/// An event of a course's log, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    /// Its position: 1, 2, 3...
    pub position: i64,
    /// The event's `type`.
    pub kind: String,
    /// The event, as the engine wrote it.
    pub event: String,
    /// The clinical date the event carries, if any.
    pub clinical_date: Option<String>,
    /// Who recorded it.
    pub by: Recorder,
    /// When the server received it (Unix milliseconds).
    pub received_at_ms: i64,
}

/// What [`Store::append_event`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Appended {
    /// The event and the new snapshot are committed.
    Stored,
    /// Another event holds the position (the course is past the version the event was
    /// applied to): nothing was written.
    Conflict,
    /// No such course in the scope: nothing was written.
    NotFound,
}

/// The storage interface. Implemented by SQLite and PostgreSQL; the HTTP layer sees only this.
pub trait Store: Send + Sync {
    /// `sqlite` or `postgres`.
    fn kind(&self) -> &'static str;

    /// Whether the store answers (`/readyz`).
    fn ping(&self) -> StoreFuture<'_, ()>;

    /// The schema version (the last migration applied).
    fn schema_version(&self) -> StoreFuture<'_, i64>;

    /// Records a token's `jti` until `expires_at`; `false` when it is already recorded and not
    /// yet expired (a replay). Atomic: of two concurrent claims, one wins.
    fn claim_jti<'a>(
        &'a self,
        issuer: &'a str,
        jti: &'a str,
        expires_at: i64,
        now: i64,
    ) -> StoreFuture<'a, bool>;

    /// Remembers the cards given to a scope by a service.
    fn record_cards<'a>(
        &'a self,
        scope: &'a Scope,
        service: &'a str,
        cards: &'a [IssuedCard],
        now: i64,
    ) -> StoreFuture<'a, ()>;

    /// The cards among `uuids` given to the scope by the service.
    fn find_cards<'a>(
        &'a self,
        scope: &'a Scope,
        service: &'a str,
        uuids: &'a [String],
    ) -> StoreFuture<'a, Vec<IssuedCard>>;

    /// Stores feedback items, all or none, each at most once (by digest), durably.
    fn add_feedback<'a>(
        &'a self,
        scope: &'a Scope,
        service: &'a str,
        items: &'a [FeedbackRecord],
        now: i64,
    ) -> StoreFuture<'a, FeedbackStored>;

    /// Counts of cards and feedback by rule.
    fn feedback_summary<'a>(
        &'a self,
        filter: &'a SummaryFilter,
    ) -> StoreFuture<'a, std::collections::BTreeMap<String, RuleCounts>>;

    /// Forgets expired `jti`s and cards last issued before `cards_before`.
    fn prune(&self, now: i64, cards_before: i64) -> StoreFuture<'_, Pruned>;

    /// Creates a course in a scope, at version 0, durably.
    fn create_course<'a>(&'a self, scope: &'a Scope, course: &'a NewCourse) -> StoreFuture<'a, ()>;

    /// A course of the scope (`None`: no such course in it).
    fn course<'a>(&'a self, scope: &'a Scope, id: &'a str) -> StoreFuture<'a, Option<CourseRow>>;

    /// The scope's courses of a patient, the most recently changed first, at most `limit`.
    fn patient_courses<'a>(
        &'a self,
        scope: &'a Scope,
        patient_id: &'a str,
        limit: i64,
    ) -> StoreFuture<'a, Vec<CourseRow>>;

    /// Appends an event at `event.position` and makes `snapshot` the course's, in one durable
    /// transaction: both or neither. The position is taken only if free (the store's primary
    /// key on course and position decides, so of two events applied to one version one is
    /// stored and the other is a [`Appended::Conflict`]), and only while the course is at
    /// version `event.position - 1`.
    fn append_event<'a>(
        &'a self,
        scope: &'a Scope,
        course_id: &'a str,
        event: &'a NewEvent,
        snapshot: &'a str,
    ) -> StoreFuture<'a, Appended>;

    /// The events of a scope's course after position `after`, in order, at most `limit`
    /// (`None`: no such course in the scope).
    fn course_events<'a>(
        &'a self,
        scope: &'a Scope,
        course_id: &'a str,
        after: i64,
        limit: i64,
    ) -> StoreFuture<'a, Option<Vec<StoredEvent>>>;
}

/// Opens the store a URL names, creating it (SQLite) and migrating it to this version.
pub async fn open(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(postgres::PgStore::open(url).await?))
    } else {
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        if path.is_empty() {
            return Err(StoreError::Url("an empty SQLite path".into()));
        }
        let path = std::path::PathBuf::from(path);
        let store = tokio::task::spawn_blocking(move || sqlite::SqliteStore::open(&path))
            .await
            .map_err(|e| StoreError::Database(e.to_string()))??;
        Ok(Arc::new(store))
    }
}

/// Groups the flat rows of a summary query by rule.
pub(crate) fn group_summary(
    issued: Vec<(String, i64)>,
    outcomes: Vec<(String, String, i64)>,
    reasons: ReasonRows,
) -> std::collections::BTreeMap<String, RuleCounts> {
    let mut by_rule: std::collections::BTreeMap<String, RuleCounts> = Default::default();
    for (rule, n) in issued {
        by_rule.entry(rule).or_default().cards_issued = n;
    }
    for (rule, outcome, n) in outcomes {
        let e = by_rule.entry(rule).or_default();
        match outcome.as_str() {
            "accepted" => e.accepted += n,
            _ => e.overridden += n,
        }
    }
    for (rule, system, code, display, n) in reasons {
        let key = match (system, code) {
            (Some(s), Some(c)) => Some((s, c)),
            _ => None,
        };
        by_rule
            .entry(rule)
            .or_default()
            .reasons
            .push((key, display, n));
    }
    by_rule
}
