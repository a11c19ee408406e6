//! The IPT courses the service keeps: the routes that start a course, record its events one
//! at a time, and read it back (its status, its log, its measures as FHIR Observations, and an
//! export the engine replays anywhere), and what the CDS Hooks calls pass to the engine so the
//! cards follow each course.
//!
//! The engine decides everything clinical: `course_start` starts a course, `course_apply`
//! applies an event (or refuses it with every unmet requirement), `course_status` says where a
//! course stands, `fhir_observations` writes the measures, and `cds_hooks` renders the course's
//! cards. The server translates HTTP to those calls and keeps what they return: each snapshot
//! as the text the engine wrote, each event as the engine wrote it in the snapshot, beside who
//! recorded it and when the server received it. Every snapshot read back is checked by the
//! engine before it is used (its digest, or a replay of its events; `[courses] verify`).
//!
//! Concurrency is optimistic: a course's version is its number of events, `GET /courses/{id}`
//! gives it as the `ETag`, and `POST /courses/{id}/events` requires it in `If-Match`. An event
//! applied to a version that is no longer the course's is a `409`, decided by the store (the
//! primary key on course and position), not by this process: several servers on one database
//! behave as one.
//!
//! Every course belongs to the issuer and tenant of the token that started it; from any other
//! scope it does not exist (`404`, never `403`).

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::app::{AppState, Authed};
use crate::auth::Principal;
use crate::handlers::{body_of, require_json};
use crate::metrics::Metrics;
use crate::outcome::{ApiError, Unmet};
use crate::store::{Appended, CourseRow, NewCourse, NewEvent, Recorder, Scope, StoredEvent};

/// Events in a page of the log, by default.
pub const DEFAULT_PAGE: i64 = 100;
/// The most events in a page of the log.
pub const MAX_PAGE: i64 = 1_000;
/// The most courses listed for a patient (the most recently changed first).
pub const MAX_LISTED: i64 = 100;
/// The most courses of a patient passed to the engine with a hook, the most recently changed
/// first: the engine's limit on a list.
pub const MAX_PER_HOOK: i64 = ipt_core::limits::MAX_LIST_ITEMS as i64;
/// The most characters of a `userId`.
pub const MAX_USER_ID: usize = 256;
/// Requests above this many bytes go to the engine on a blocking thread.
const INLINE_BYTES: usize = 64 * 1024;

/// The body of `POST /courses`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateRequest {
    /// The patient's FHIR id (as in a CDS Hooks `context.patientId`).
    #[serde(rename = "patientId")]
    pub patient_id: String,
    /// The engine's `course_start` request.
    pub start: Box<RawValue>,
    /// Who records it (`Practitioner/123`), as CDS Hooks names the user.
    #[serde(rename = "userId", default, deserialize_with = "some_string")]
    pub user_id: Option<String>,
}

/// An optional string that, when present, is a string (never `null`).
fn some_string<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    String::deserialize(d).map(Some)
}

/// The body of `POST /courses/{id}/events`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppendRequest {
    /// The event, as the engine's `course_apply` takes it.
    pub event: Box<RawValue>,
    /// Who records it (`Practitioner/123`).
    #[serde(rename = "userId", default, deserialize_with = "some_string")]
    pub user_id: Option<String>,
}

/// Who recorded something, as answered.
#[derive(Debug, Serialize)]
pub struct RecorderView<'a> {
    /// The token's `sub`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<&'a str>,
    /// The `userId` given.
    #[serde(rename = "userId", skip_serializing_if = "Option::is_none")]
    pub user_id: Option<&'a str>,
}

impl<'a> RecorderView<'a> {
    fn of(r: &'a Recorder) -> Option<RecorderView<'a>> {
        (r.subject.is_some() || r.user_id.is_some()).then_some(RecorderView {
            subject: r.subject.as_deref(),
            user_id: r.user_id.as_deref(),
        })
    }
}

/// A course, as `GET /courses/{id}` answers it.
#[derive(Debug, Serialize)]
pub struct CourseView<'a> {
    /// The course's id.
    pub id: &'a str,
    /// The patient's FHIR id.
    #[serde(rename = "patientId")]
    pub patient_id: &'a str,
    /// Its number of events (the `ETag`).
    pub version: i64,
    /// When it was started (RFC 3339, UTC).
    #[serde(rename = "createdAt")]
    pub created_at: String,
    /// When its last event was received.
    #[serde(rename = "updatedAt")]
    pub updated_at: String,
    /// Who started it.
    #[serde(rename = "createdBy", skip_serializing_if = "Option::is_none")]
    pub created_by: Option<RecorderView<'a>>,
    /// The engine's `course_status`.
    pub status: &'a RawValue,
}

/// What `POST /courses` and `POST /courses/{id}/events` answer.
#[derive(Debug, Serialize)]
pub struct ChangeView<'a> {
    /// The course's id.
    pub id: &'a str,
    /// The patient's FHIR id.
    #[serde(rename = "patientId")]
    pub patient_id: &'a str,
    /// Its version now: the number of events, and the position of the event just recorded.
    pub version: i64,
    /// The engine's outputs for the start or the event.
    pub outputs: &'a RawValue,
}

/// One event of the log.
#[derive(Debug, Serialize)]
pub struct EventView<'a> {
    /// Its position: 1, 2, 3...
    pub position: i64,
    /// The event's `type`.
    #[serde(rename = "type")]
    pub kind: &'a str,
    /// The clinical date the event carries, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<&'a str>,
    /// The event, as the engine keeps it.
    pub event: &'a RawValue,
    /// When the server received it (RFC 3339, UTC, milliseconds).
    #[serde(rename = "receivedAt")]
    pub received_at: String,
    /// Who recorded it.
    #[serde(rename = "recordedBy", skip_serializing_if = "Option::is_none")]
    pub recorded_by: Option<RecorderView<'a>>,
}

/// A page of the log.
#[derive(Debug, Serialize)]
pub struct EventPage<'a> {
    /// The course's id.
    pub id: &'a str,
    /// The events, in order.
    pub events: Vec<EventView<'a>>,
    /// The next page, when there may be one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// An engine error: its code, message, path and, for a refused event, every unmet
/// requirement.
#[derive(Debug, Clone, Deserialize)]
pub struct EngineError {
    /// The stable code.
    pub code: String,
    /// What is wrong.
    pub message: String,
    /// The JSONPath in the engine's request.
    #[serde(default)]
    pub path: Option<String>,
    /// The unmet requirements of a `transition_refused`.
    #[serde(default)]
    pub unmet: Vec<Unmet>,
}

#[derive(Deserialize)]
struct Envelope<'a> {
    ok: bool,
    #[serde(borrow)]
    result: Option<&'a RawValue>,
    error: Option<EngineError>,
}

/// The result of `course_start` and `course_apply`, read raw.
#[derive(Deserialize)]
struct CourseAnswer<'a> {
    #[serde(borrow)]
    snapshot: &'a RawValue,
    #[serde(borrow)]
    outputs: &'a RawValue,
}

/// Of a snapshot, its start and its events, raw.
#[derive(Deserialize)]
struct SnapshotParts<'a> {
    #[serde(borrow)]
    start: &'a RawValue,
    #[serde(borrow)]
    events: Vec<&'a RawValue>,
}

/// Of an event, its type and the clinical date it carries.
#[derive(Deserialize)]
struct EventHead {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    date: Option<String>,
}

fn broken(detail: impl std::fmt::Display) -> EngineError {
    EngineError {
        code: "internal".into(),
        message: detail.to_string(),
        path: None,
        unmet: Vec::new(),
    }
}

/// Calls an operation of the engine: the result as the engine wrote it, or its error.
pub fn engine(operation: &str, request: &str) -> Result<String, EngineError> {
    let answer = ipt_core::api::call(operation, request);
    let env: Envelope<'_> = serde_json::from_str(&answer).map_err(broken)?;
    match (env.ok, env.result, env.error) {
        (true, Some(r), _) => Ok(r.get().to_owned()),
        (false, _, Some(e)) => Err(e),
        _ => Err(broken(format!("{operation}: an answer without its result"))),
    }
}

/// [`engine`], on a blocking thread when the request is large.
async fn engine_async(operation: &'static str, request: String) -> Result<String, EngineError> {
    if request.len() > INLINE_BYTES {
        tokio::task::spawn_blocking(move || engine(operation, &request))
            .await
            .map_err(broken)?
    } else {
        engine(operation, &request)
    }
}

/// A path of the engine's request (`$`, `$.variant`, `$[0]`) under `prefix` (`$.start`).
fn under(path: &str, prefix: &str) -> String {
    match path.strip_prefix('$') {
        Some(rest) => format!("{prefix}{rest}"),
        None => prefix.to_owned(),
    }
}

/// An engine error about what the caller sent, at its path in the body; anything else is
/// the server's (logged, `500`).
fn caller_error(e: EngineError, path: Option<String>, course: Option<&str>) -> ApiError {
    let status = match e.code.as_str() {
        "invalid_json" | "invalid_input" | "limit_exceeded" => StatusCode::BAD_REQUEST,
        "input_too_large" => StatusCode::PAYLOAD_TOO_LARGE,
        "transition_refused" => StatusCode::UNPROCESSABLE_ENTITY,
        _ => return stored_error(&e, course),
    };
    let mut err = ApiError::new(status, &e.code, e.message);
    err.path = path;
    err.unmet = e.unmet;
    err
}

/// The engine refused what the store holds (a snapshot that fails its check): the store was
/// changed outside this service, or by a version whose snapshots this one cannot read.
fn stored_error(e: &EngineError, course: Option<&str>) -> ApiError {
    tracing::error!(
        course = course.unwrap_or_default(),
        code = %e.code,
        path = e.path.as_deref().unwrap_or_default(),
        "a stored course was refused by the engine"
    );
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "the stored course could not be read; the event is logged",
    )
}

fn store_unavailable(e: crate::store::StoreError) -> ApiError {
    tracing::error!(error = %e, "the store failed");
    ApiError::unavailable("the store could not be reached; nothing was recorded")
}

fn not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "unknown_course", "no such course")
}

fn json_response(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

fn to_json<T: Serialize>(v: &T) -> Result<String, ApiError> {
    serde_json::to_string(v).map_err(ApiError::internal)
}

/// Reads a body into `T`; an error names the field by JSONPath.
fn parse_body<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = crate::feedback::jsonpath(&e.path().to_string());
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            ApiError::new(StatusCode::BAD_REQUEST, "invalid_json", inner.to_string()).at("$")
        } else {
            ApiError::invalid(path, inner.to_string())
        }
    })
}

/// Whether `id` is a FHIR id: 1 to 64 of `A-Z a-z 0-9 - .`.
pub fn is_fhir_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

fn check_user_id(user_id: Option<&str>) -> Result<(), ApiError> {
    match user_id {
        Some(u) if u.is_empty() || u.chars().count() > MAX_USER_ID => Err(ApiError::invalid(
            "$.userId",
            format!("`userId` is 1 to {MAX_USER_ID} characters (`Practitioner/123`)"),
        )),
        _ => Ok(()),
    }
}

fn recorder(who: &Principal, user_id: Option<String>) -> Recorder {
    Recorder {
        subject: who.sub.clone(),
        user_id,
    }
}

/// A fresh course id: a random UUID (version 4).
fn new_id() -> String {
    let mut b = [0u8; 16];
    if aws_lc_rs::rand::fill(&mut b).is_err() {
        // The system's generator failing is not something to continue past silently.
        std::process::abort();
    }
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// The `If-Match` of an event: the course's version it was written against, as the `ETag`
/// (`"7"`) or the bare event count (`7`).
fn expected_version(headers: &HeaderMap) -> Result<i64, ApiError> {
    let required = || {
        ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "precondition_required",
            "If-Match is required: the ETag of GET /courses/{id} (or the number of events) \
             the event was written against",
        )
    };
    let mut values = headers.get_all(header::IF_MATCH).iter();
    let Some(v) = values.next() else {
        return Err(required());
    };
    let bad = || {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "If-Match is one version: the ETag of GET /courses/{id} (\"7\") or the number of events (7)",
        )
    };
    if values.next().is_some() {
        return Err(bad());
    }
    let text = v.to_str().map_err(|_| bad())?.trim();
    if text == "*" {
        return Err(required());
    }
    let bare = text
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(text);
    if bare.is_empty() || bare.len() > 18 || !bare.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    bare.parse().map_err(|_| bad())
}

fn conflict(current: Option<i64>) -> Response {
    let message = match current {
        Some(v) => format!(
            "another event was recorded first: the course is at version {v}; read it again \
             and send the event with If-Match: \"{v}\" if it still applies"
        ),
        None => "another event was recorded first: read the course again".to_owned(),
    };
    let mut r = ApiError::new(StatusCode::CONFLICT, "version_conflict", message).into_response();
    if let Some(v) = current {
        r.headers_mut().insert(header::ETAG, etag(v));
    }
    r
}

async fn load(app: &AppState, scope: &Scope, id: &str) -> Result<CourseRow, ApiError> {
    app.store
        .course(scope, id)
        .await
        .map_err(store_unavailable)?
        .ok_or_else(not_found)
}

fn verify(app: &AppState) -> &str {
    &app.config.courses.verify
}

/// The engine's status of a stored course.
async fn status(app: &AppState, row: &CourseRow) -> Result<String, ApiError> {
    let request = format!(
        r#"{{"snapshot":{},"verify":"{}"}}"#,
        row.snapshot,
        verify(app)
    );
    engine_async("course_status", request)
        .await
        .map_err(|e| stored_error(&e, Some(&row.id)))
}

fn course_json(row: &CourseRow, status: &str) -> Result<String, ApiError> {
    let status: &RawValue = serde_json::from_str(status).map_err(ApiError::internal)?;
    to_json(&CourseView {
        id: &row.id,
        patient_id: &row.patient_id,
        version: row.version,
        created_at: crate::clock::rfc3339_ms(row.created_at_ms),
        updated_at: crate::clock::rfc3339_ms(row.updated_at_ms),
        created_by: RecorderView::of(&row.created_by),
        status,
    })
}

/// `POST /courses`: the engine's `course_start`, stored for the patient in the token's scope.
pub async fn create(
    State(app): State<AppState>,
    Authed(who): Authed,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    require_json(&headers)?;
    let body = body_of(body)?;
    let req: CreateRequest = parse_body(&body)?;
    if !is_fhir_id(&req.patient_id) {
        return Err(ApiError::invalid(
            "$.patientId",
            "`patientId` is a FHIR id: 1 to 64 of A-Z, a-z, 0-9, `-` and `.`",
        ));
    }
    check_user_id(req.user_id.as_deref())?;
    let answer = engine_async("course_start", req.start.get().to_owned())
        .await
        .map_err(|e| {
            let path = e.path.as_deref().map(|p| under(p, "$.start"));
            caller_error(e, path, None)
        })?;
    let parts: CourseAnswer<'_> = serde_json::from_str(&answer).map_err(ApiError::internal)?;
    let snapshot = parts.snapshot.get();
    let start: SnapshotParts<'_> = serde_json::from_str(snapshot).map_err(ApiError::internal)?;
    let course = NewCourse {
        id: new_id(),
        patient_id: req.patient_id,
        start: start.start.get().to_owned(),
        snapshot: snapshot.to_owned(),
        by: recorder(&who, req.user_id),
        at_ms: crate::clock::now_ms(),
    };
    app.store
        .create_course(&who.scope, &course)
        .await
        .map_err(store_unavailable)?;
    let body = to_json(&ChangeView {
        id: &course.id,
        patient_id: &course.patient_id,
        version: 0,
        outputs: parts.outputs,
    })?;
    let mut r = json_response(StatusCode::CREATED, body);
    let location = format!("{}/courses/{}", app.public_url, course.id);
    if let Ok(l) = HeaderValue::from_str(&location) {
        r.headers_mut().insert(header::LOCATION, l);
    }
    r.headers_mut().insert(header::ETAG, etag(0));
    Ok(r)
}

/// `GET /courses/{id}`: the engine's status of the course, with its version as the `ETag`.
pub async fn get(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Authed(who): Authed,
) -> Result<Response, ApiError> {
    let row = load(&app, &who.scope, &id).await?;
    let status = status(&app, &row).await?;
    let mut r = json_response(StatusCode::OK, course_json(&row, &status)?);
    r.headers_mut().insert(header::ETAG, etag(row.version));
    Ok(r)
}

/// `GET /patients/{id}/courses`: the patient's courses in the token's scope, the most recently
/// changed first; `404` when the scope holds none.
pub async fn patient_courses(
    State(app): State<AppState>,
    Path(patient): Path<String>,
    Authed(who): Authed,
) -> Result<Response, ApiError> {
    let rows = app
        .store
        .patient_courses(&who.scope, &patient, MAX_LISTED)
        .await
        .map_err(store_unavailable)?;
    if rows.is_empty() {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_patient",
            "no course of this patient",
        ));
    }
    let mut courses = Vec::with_capacity(rows.len());
    for row in &rows {
        courses.push(course_json(row, &status(&app, row).await?)?);
    }
    let body = format!(
        r#"{{"patientId":{},"courses":[{}]}}"#,
        to_json(&patient)?,
        courses.join(",")
    );
    Ok(json_response(StatusCode::OK, body))
}

/// `POST /courses/{id}/events`: one event, applied by the engine to the version `If-Match`
/// names and stored with the new snapshot in one transaction.
pub async fn append(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Authed(who): Authed,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let counted = |outcome: &str| Metrics::count(&app.metrics.course_events, outcome, 1);
    let expected = expected_version(&headers)?;
    require_json(&headers)?;
    let body = body_of(body)?;
    let req: AppendRequest = parse_body(&body).inspect_err(|_| counted("invalid"))?;
    check_user_id(req.user_id.as_deref())?;
    let row = load(&app, &who.scope, &id).await?;
    if row.version != expected {
        counted("stale");
        return Ok(conflict(Some(row.version)));
    }
    let request = format!(
        r#"{{"snapshot":{},"event":{},"verify":"{}"}}"#,
        row.snapshot,
        req.event.get(),
        verify(&app)
    );
    let answer = engine_async("course_apply", request).await.map_err(|e| {
        let ours = e
            .path
            .as_deref()
            .is_some_and(|p| p.starts_with("$.snapshot"))
            || matches!(
                e.code.as_str(),
                "invalid_snapshot" | "unsupported_snapshot_version"
            );
        if ours {
            return stored_error(&e, Some(&row.id));
        }
        counted(if e.code == "transition_refused" {
            "refused"
        } else {
            "invalid"
        });
        let path = e.path.clone();
        caller_error(e, path, Some(&row.id))
    })?;
    let parts: CourseAnswer<'_> = serde_json::from_str(&answer).map_err(ApiError::internal)?;
    let snapshot = parts.snapshot.get();
    let log: SnapshotParts<'_> = serde_json::from_str(snapshot).map_err(ApiError::internal)?;
    let written = log
        .events
        .last()
        .ok_or_else(|| ApiError::internal("course_apply gave a snapshot without events"))?;
    let head: EventHead = serde_json::from_str(written.get()).map_err(ApiError::internal)?;
    let event = NewEvent {
        position: row.version + 1,
        kind: head.kind,
        event: written.get().to_owned(),
        clinical_date: head.date,
        by: recorder(&who, req.user_id),
        received_at_ms: crate::clock::now_ms(),
    };
    match app
        .store
        .append_event(&who.scope, &row.id, &event, snapshot)
        .await
        .map_err(store_unavailable)?
    {
        Appended::Stored => {
            counted("stored");
            let body = to_json(&ChangeView {
                id: &row.id,
                patient_id: &row.patient_id,
                version: event.position,
                outputs: parts.outputs,
            })?;
            let mut r = json_response(StatusCode::OK, body);
            r.headers_mut().insert(header::ETAG, etag(event.position));
            Ok(r)
        }
        Appended::Conflict => {
            counted("conflict");
            let now = app
                .store
                .course(&who.scope, &row.id)
                .await
                .ok()
                .flatten()
                .map(|r| r.version);
            Ok(conflict(now))
        }
        Appended::NotFound => Err(not_found()),
    }
}

/// `after` and `limit` of the log's query.
fn page_params(query: Option<&str>) -> Result<(i64, i64), ApiError> {
    let (mut after, mut limit) = (0, DEFAULT_PAGE);
    for (k, v) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        let number = |max: i64, min: i64| {
            v.parse::<i64>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| {
                    ApiError::new(
                        StatusCode::BAD_REQUEST,
                        "invalid_input",
                        format!("`{k}` is an integer from {min} to {max}"),
                    )
                })
        };
        match k.as_ref() {
            "after" => after = number(i64::from(u32::MAX), 0)?,
            "limit" => limit = number(MAX_PAGE, 1)?,
            other => {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_input",
                    format!(
                        "unknown query parameter `{}`: `after` and `limit` are read",
                        ipt_core::limits::clip(other)
                    ),
                ))
            }
        }
    }
    Ok((after, limit))
}

fn event_views(events: &[StoredEvent]) -> Result<Vec<EventView<'_>>, ApiError> {
    events
        .iter()
        .map(|e| {
            Ok(EventView {
                position: e.position,
                kind: &e.kind,
                date: e.clinical_date.as_deref(),
                event: serde_json::from_str(&e.event).map_err(ApiError::internal)?,
                received_at: crate::clock::rfc3339_ms(e.received_at_ms),
                recorded_by: RecorderView::of(&e.by),
            })
        })
        .collect()
}

/// `GET /courses/{id}/events?after=N&limit=M`: the log, in order, with who recorded each
/// event and when the server received it.
pub async fn events(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Authed(who): Authed,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let (after, limit) = page_params(query.as_deref())?;
    let mut rows = app
        .store
        .course_events(&who.scope, &id, after, limit + 1)
        .await
        .map_err(store_unavailable)?
        .ok_or_else(not_found)?;
    let more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next = match rows.last() {
        Some(last) if more => Some(format!(
            "/courses/{id}/events?after={}&limit={limit}",
            last.position
        )),
        _ => None,
    };
    let page = EventPage {
        id: &id,
        events: event_views(&rows)?,
        next,
    };
    Ok(json_response(StatusCode::OK, to_json(&page)?))
}

/// The start and every event of a course, as stored.
async fn log_of(
    app: &AppState,
    scope: &Scope,
    id: &str,
) -> Result<(CourseRow, Vec<StoredEvent>), ApiError> {
    let row = load(app, scope, id).await?;
    let events = app
        .store
        .course_events(scope, id, 0, ipt_core::limits::MAX_EVENTS as i64)
        .await
        .map_err(store_unavailable)?
        .ok_or_else(not_found)?;
    Ok((row, events))
}

/// `GET /courses/{id}/export`: the start and the events, as the engine's `course_replay`
/// takes them: replayed anywhere, they give the course's state.
pub async fn export(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Authed(who): Authed,
) -> Result<Response, ApiError> {
    let (row, events) = log_of(&app, &who.scope, &id).await?;
    let mut body = String::with_capacity(
        row.start.len() + events.iter().map(|e| e.event.len() + 1).sum::<usize>() + 32,
    );
    body.push_str(r#"{"start":"#);
    body.push_str(&row.start);
    body.push_str(r#","events":["#);
    for (i, e) in events.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&e.event);
    }
    body.push_str("]}");
    Ok(json_response(StatusCode::OK, body))
}

/// `GET /courses/{id}/observations`: the course's measures, as the engine's
/// `fhir_observations` writes them (a transaction Bundle of US Core Observations). Each
/// measure goes with the date it was taken, or else its session's.
pub async fn observations(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Authed(who): Authed,
) -> Result<Response, ApiError> {
    let row = load(&app, &who.scope, &id).await?;
    let check = match verify(&app) {
        "replay" => ipt_core::course::Verify::Replay,
        _ => ipt_core::course::Verify::Digest,
    };
    let snapshot = ipt_core::course::Snapshot::read(&row.snapshot, "$", check).map_err(|e| {
        stored_error(
            &EngineError {
                code: e.code().as_str().to_owned(),
                message: e.to_string(),
                path: e.path().map(str::to_owned),
                unmet: Vec::new(),
            },
            Some(&row.id),
        )
    })?;
    let measures: Vec<ipt_core::measures::Measure> = snapshot
        .state
        .measures
        .iter()
        .map(|p| ipt_core::measures::Measure {
            date: p.when().map(str::to_owned),
            ..p.measure.clone()
        })
        .collect();
    let request = serde_json::json!({
        "subject": format!("Patient/{}", row.patient_id),
        "measures": measures,
    })
    .to_string();
    let bundle = engine_async("fhir_observations", request)
        .await
        .map_err(|e| {
            // A measure the engine does not write (HAM-D 17 has no LOINC code it writes, a
            // total unknown for an item not answered): where it is in the course's state.
            let path = e.path.as_deref().map(|p| {
                p.strip_prefix("$.measures")
                    .map_or_else(|| p.to_owned(), |rest| format!("$.state.measures{rest}"))
            });
            let mut err = ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                &e.code,
                format!(
                    "the course's measures cannot all be written as Observations: {}",
                    e.message
                ),
            );
            err.path = path;
            err
        })?;
    let mut r = (StatusCode::OK, bundle).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/fhir+json"),
    );
    Ok(r)
}

/// The scope's courses of the patient a CDS Hooks request is about, for the engine: `(id,
/// snapshot)`, the most recently changed first, at most [`MAX_PER_HOOK`]. The engine renders
/// cards for the open ones and none for the others.
pub async fn for_hook(
    app: &AppState,
    scope: &Scope,
    context: Option<&RawValue>,
) -> Result<Vec<(String, String)>, ApiError> {
    #[derive(Deserialize)]
    struct Context {
        #[serde(rename = "patientId")]
        patient_id: Option<String>,
    }
    let patient = context
        .and_then(|c| serde_json::from_str::<Context>(c.get()).ok())
        .and_then(|c| c.patient_id)
        .filter(|p| is_fhir_id(p));
    let Some(patient) = patient else {
        return Ok(Vec::new());
    };
    let rows = app
        .store
        .patient_courses(scope, &patient, MAX_PER_HOOK)
        .await
        .map_err(store_unavailable)?;
    Ok(rows.into_iter().map(|r| (r.id, r.snapshot)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_is_one_version() {
        let h = |v: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::IF_MATCH, HeaderValue::from_str(v).unwrap());
            m
        };
        assert_eq!(expected_version(&h("\"7\"")).unwrap(), 7);
        assert_eq!(expected_version(&h("12")).unwrap(), 12);
        assert_eq!(expected_version(&h(" \"0\" ")).unwrap(), 0);
        let status = |v: &str| expected_version(&h(v)).unwrap_err().status;
        assert_eq!(status("*"), StatusCode::PRECONDITION_REQUIRED);
        assert_eq!(status("W/\"7\""), StatusCode::BAD_REQUEST);
        assert_eq!(status("\"7\", \"8\""), StatusCode::BAD_REQUEST);
        assert_eq!(status("-1"), StatusCode::BAD_REQUEST);
        assert_eq!(status("\"\""), StatusCode::BAD_REQUEST);
        assert_eq!(status("99999999999999999999"), StatusCode::BAD_REQUEST);
        assert_eq!(
            expected_version(&HeaderMap::new()).unwrap_err().status,
            StatusCode::PRECONDITION_REQUIRED
        );
        let mut two = HeaderMap::new();
        two.append(header::IF_MATCH, HeaderValue::from_static("1"));
        two.append(header::IF_MATCH, HeaderValue::from_static("2"));
        assert_eq!(
            expected_version(&two).unwrap_err().status,
            StatusCode::BAD_REQUEST
        );
    }

    #[test]
    fn ids_are_random_uuids_and_patients_fhir_ids() {
        let a = new_id();
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
        assert_ne!(a, new_id());
        assert!(is_fhir_id("example-1.2"));
        assert!(!is_fhir_id(""));
        assert!(!is_fhir_id("a b"));
        assert!(!is_fhir_id("Patient/1"));
        assert!(!is_fhir_id(&"x".repeat(65)));
    }

    #[test]
    fn engine_paths_go_under_the_body_field() {
        assert_eq!(under("$", "$.start"), "$.start");
        assert_eq!(under("$.variant", "$.start"), "$.start.variant");
        assert_eq!(
            under("$.overrides.sessions", "$.start"),
            "$.start.overrides.sessions"
        );
    }

    #[test]
    fn the_log_reads_after_and_limit_only() {
        assert_eq!(page_params(None).unwrap(), (0, DEFAULT_PAGE));
        assert_eq!(page_params(Some("after=5&limit=2")).unwrap(), (5, 2));
        assert!(page_params(Some("limit=0")).is_err());
        assert!(page_params(Some("limit=1001")).is_err());
        assert!(page_params(Some("after=-1")).is_err());
        assert!(page_params(Some("after=x")).is_err());
        assert!(page_params(Some("page=2")).is_err());
    }

    #[test]
    fn an_engine_refusal_keeps_every_unmet_requirement() {
        let snapshot = engine("course_start", r#"{"variant": "standard"}"#).unwrap();
        let snap: CourseAnswer<'_> = serde_json::from_str(&snapshot).unwrap();
        let request = format!(
            r#"{{"snapshot":{},"event":{{"type":"course_started","date":"2026-01-05"}}}}"#,
            snap.snapshot.get()
        );
        let e = engine("course_apply", &request).unwrap_err();
        let path = e.path.clone();
        let api = caller_error(e, path, None);
        assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(api.path.as_deref(), Some("$.event"));
        assert_eq!(api.unmet[0].requirement, "assessment_recorded");
    }
}
