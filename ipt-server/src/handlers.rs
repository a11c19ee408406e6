//! The route handlers. Each translates: HTTP in, the engine or the store, HTTP out.

use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde_json::Value;

use crate::app::{AppState, Authed};
use crate::engine::Engine;
use crate::feedback;
use crate::metrics::Metrics;
use crate::outcome::{self, ApiError};
use crate::store::SummaryFilter;

/// Bodies above this are handed to the engine on a blocking thread.
const INLINE_BYTES: usize = 64 * 1024;

fn json(body: String) -> Response {
    let mut r = body.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// The body, or why it could not be read: over the engine's 16 MiB is `413 input_too_large`.
pub(crate) fn body_of(body: Result<Bytes, BytesRejection>) -> Result<Bytes, ApiError> {
    body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "input_too_large",
                format!(
                    "the body is larger than {} bytes",
                    ipt_core::limits::MAX_REQUEST_BYTES
                ),
            )
        } else {
            ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", r.body_text())
        }
    })
}

pub(crate) fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let ok = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .is_some_and(|m| m == "application/json" || m.ends_with("+json"));
    if ok {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "the body is JSON: Content-Type: application/json",
        ))
    }
}

fn service<'a>(app: &'a AppState, id: &str) -> Result<&'a crate::engine::ServiceEntry, ApiError> {
    app.engine.services.get(id).ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "unknown_service",
            "no CDS service with this id (see GET /cds-services)",
        )
    })
}

/// The engine's cards; a large request is read on a blocking thread.
async fn engine(request: String) -> Result<crate::engine::Cards, ApiError> {
    if request.len() > INLINE_BYTES {
        tokio::task::spawn_blocking(move || Engine::cards(&request))
            .await
            .map_err(ApiError::internal)?
    } else {
        Engine::cards(&request)
    }
}

/// `GET /cds-services`: the engine's discovery document.
pub async fn discovery(State(app): State<AppState>, _who: Authed) -> Response {
    json(app.engine.discovery.clone())
}

/// `POST /cds-services/{id}`: the engine's cards, the prefetch completed first.
pub async fn call(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Authed(who): Authed,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    require_json(&headers)?;
    let entry = service(&app, &id)?;
    let body = body_of(body)?;
    let text = std::str::from_utf8(&body).map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            "the body is not UTF-8",
        )
        .at("$")
    })?;
    let peek = crate::request::Peek::read(text).map_err(|e| {
        match serde_json::from_str::<Value>(text) {
            Ok(_) => ApiError::invalid("$", "a CDS Hooks request is a JSON object"),
            Err(_) => ApiError::new(StatusCode::BAD_REQUEST, "invalid_json", e).at("$"),
        }
    })?;
    crate::request::check_fields(&peek)
        .map_err(|(path, message)| ApiError::invalid(path, message))?;
    let rules_url = format!("{}/rules", app.public_url);
    let date = crate::clock::today(app.offset);
    // The patient's courses in the caller's scope: the engine renders the open ones' cards.
    let courses = crate::courses::for_hook(&app, &who.scope, peek.field("context")).await?;
    let verify = app.config.courses.verify.as_str();
    let with_courses =
        |body: &str| Engine::request_with_courses(&date, &rules_url, body, &courses, verify);
    if app.prefetch.is_complete(&peek, &entry.templates) {
        // The common case: the EHR sent every key. The engine reads the text as sent.
        return respond(&app, &who, &id, with_courses(text)).await;
    }
    drop(peek);
    // Before fetching anything or answering 412, the engine reads the request as sent: a
    // malformed request is a 400 at its path, and the FHIR server is not called for it.
    engine(Engine::request(&date, &rules_url, text)).await?;
    let mut value: Value = serde_json::from_str(text).map_err(|e| {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_json", e.to_string()).at("$")
    })?;
    let Some(obj) = value.as_object_mut() else {
        return Err(ApiError::invalid(
            "$",
            "a CDS Hooks request is a JSON object",
        ));
    };
    let allowed = app
        .fhir_servers
        .get(&who.scope.issuer)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let completed = app
        .prefetch
        .complete(obj, &entry.templates, allowed)
        .await
        .map_err(|u| {
            ApiError::new(
                StatusCode::PRECONDITION_FAILED,
                "prefetch_unavailable",
                format!("prefetch key `{}`: {}", u.key, u.why),
            )
            .at(format!("$.prefetch.{}", u.key))
        })?;
    let request = if completed.changed {
        // The access token is not passed on.
        obj.remove("fhirAuthorization");
        with_courses(&value.to_string())
    } else {
        with_courses(text)
    };
    drop(value);
    respond(&app, &who, &id, request).await
}

/// The engine's cards for a request, recorded for the scope, as the answer.
async fn respond(
    app: &AppState,
    who: &crate::auth::Principal,
    id: &str,
    request: String,
) -> Result<Response, ApiError> {
    let started = Instant::now();
    let cards = engine(request).await?;
    app.metrics
        .engine_seconds
        .observe(started.elapsed().as_secs_f64());
    if !cards.issued.is_empty() {
        app.store
            .record_cards(&who.scope, id, &cards.issued, crate::clock::now())
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "cards not recorded");
                ApiError::unavailable("the store did not record the cards")
            })?;
    }
    Ok(json(cards.body))
}

/// `POST /cds-services/{id}/feedback`: checked whole, stored all or none, each item once.
pub async fn feedback(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Authed(who): Authed,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    require_json(&headers)?;
    service(&app, &id)?;
    let body = body_of(body)?;
    let req = feedback::parse(&body)?;
    feedback::check_items(&req)?;
    let uuids = feedback::card_uuids(&req);
    let issued = app
        .store
        .find_cards(&who.scope, &id, &uuids)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "cards not read");
            ApiError::unavailable("the store could not be read")
        })?;
    let records = feedback::records(&id, &req, &issued)?;
    let stored = app
        .store
        .add_feedback(&who.scope, &id, &records, crate::clock::now())
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "feedback not stored");
            ApiError::unavailable("the feedback was not stored; send it again")
        })?;
    Metrics::count(&app.metrics.feedback_items, "stored", stored.stored as u64);
    Metrics::count(
        &app.metrics.feedback_items,
        "duplicate",
        stored.duplicates as u64,
    );
    let answer = feedback::FeedbackAnswer {
        stored: stored.stored,
        duplicates: stored.duplicates,
    };
    Ok(json(
        serde_json::to_string(&answer).map_err(ApiError::internal)?,
    ))
}

/// `GET /feedback/summary`: the caller's scope's feedback by rule.
pub async fn summary(
    State(app): State<AppState>,
    Authed(who): Authed,
) -> Result<Response, ApiError> {
    let filter = SummaryFilter {
        issuer: Some(who.scope.issuer.clone()),
        tenant: Some(who.scope.tenant.clone()),
    };
    let counts = app.store.feedback_summary(&filter).await.map_err(|e| {
        tracing::error!(error = %e, "summary not read");
        ApiError::unavailable("the store could not be read")
    })?;
    let s = feedback::summary(filter.issuer, filter.tenant, counts, &app.engine);
    Ok(json(serde_json::to_string(&s).map_err(ApiError::internal)?))
}

fn html(status: StatusCode, page: String) -> Response {
    let mut r = (status, Html(page)).into_response();
    let h = r.headers_mut();
    h.insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
        ),
    );
    if status == StatusCode::OK {
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=300"),
        );
    }
    r
}

/// `GET /rules`: every rule.
pub async fn rules_index(State(app): State<AppState>) -> Response {
    html(StatusCode::OK, crate::rules::index_page(&app.engine))
}

/// `GET /rules/{id}`: one rule's page.
pub async fn rule(State(app): State<AppState>, Path(id): Path<String>) -> Response {
    match crate::rules::rule_page(&app.engine, &id) {
        Some(p) => html(StatusCode::OK, p),
        None => html(
            StatusCode::NOT_FOUND,
            crate::rules::not_found_page(&app.engine, &id),
        ),
    }
}

/// `GET /openapi.json`.
pub async fn openapi(State(app): State<AppState>, _who: Authed) -> Response {
    json(crate::openapi::document(Some(&app.public_url)).to_string())
}

/// `GET /healthz`: the process answers.
pub async fn healthz() -> Response {
    let mut r = "ok\n".into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// `GET /readyz`: the store answers.
pub async fn readyz(State(app): State<AppState>) -> Response {
    let ping = tokio::time::timeout(Duration::from_secs(2), app.store.ping()).await;
    let (status, ready) = match ping {
        Ok(Ok(())) => (StatusCode::OK, true),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "store not ready");
            (StatusCode::SERVICE_UNAVAILABLE, false)
        }
        Err(_) => {
            tracing::warn!("store ping timed out");
            (StatusCode::SERVICE_UNAVAILABLE, false)
        }
    };
    let body = serde_json::json!({"ready": ready, "store": app.store.kind()});
    let mut r = (status, body.to_string()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

fn render_metrics(app: &AppState) -> Response {
    let mut r = app.metrics.render().into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(crate::metrics::CONTENT_TYPE),
    );
    r
}

/// `GET /metrics` on the main listener: the metrics token only.
pub async fn metrics(State(app): State<AppState>, headers: HeaderMap) -> Response {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let ok = match (&app.metrics_token, given) {
        (Some(want), Some(got)) => aws_lc_rs::constant_time::verify_slices_are_equal(
            want.as_bytes(),
            got.trim().as_bytes(),
        )
        .is_ok(),
        _ => false,
    };
    if ok {
        render_metrics(&app)
    } else {
        app.metrics.token_failure("metrics_token");
        outcome::unauthorized()
    }
}

/// `GET /metrics` on the operations listener.
pub async fn metrics_open(State(app): State<AppState>) -> Response {
    render_metrics(&app)
}
