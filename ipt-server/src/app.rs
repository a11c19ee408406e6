//! The application: its state, its routes (each with who may call it), and the layers every
//! request passes: CORS, the access log and metrics, the concurrency limit and timeout, the
//! body limit, and the token check on every route that needs one.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{DefaultBodyLimit, FromRequestParts, MatchedPath, OriginalUri, Request, State};
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use time::UtcOffset;
use tokio::sync::Semaphore;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::auth::{AuthError, Authenticator, Principal};
use crate::config::Config;
use crate::engine::Engine;
use crate::metrics::{Metrics, RequestLabels, RouteLabel};
use crate::outcome::{self, ApiError};
use crate::prefetch::Prefetcher;
use crate::store::{Scope, Store};

/// Everything a request may need.
pub struct App {
    /// The configuration in force.
    pub config: Config,
    /// The URL clients call (no trailing `/`).
    pub public_url: String,
    /// The store.
    pub store: Arc<dyn Store>,
    /// Token checks.
    pub auth: Authenticator,
    /// Prefetch completion.
    pub prefetch: Prefetcher,
    /// The engine's discovery, services and catalogue.
    pub engine: Engine,
    /// Metrics.
    pub metrics: Arc<Metrics>,
    /// The offset of the assessment date from UTC.
    pub offset: UtcOffset,
    /// Requests in flight.
    pub limiter: Semaphore,
    /// The token `/metrics` on the main listener accepts.
    pub metrics_token: Option<String>,
    /// Each issuer's FHIR server allowlist.
    pub fhir_servers: HashMap<String, Vec<String>>,
}

/// The state handlers get.
pub type AppState = Arc<App>;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// A bearer JWT of a trusted issuer, `aud` the URL invoked.
    Token,
    /// Anyone: the rule pages (a browser follows a card's link without a token) and the
    /// health checks (they reveal nothing but liveness).
    Public,
    /// The static token of `[metrics] token_file`.
    MetricsToken,
}

/// A route as registered: method, path template, access.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteInfo {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The path template (`/cds-services/{id}`).
    pub path: &'static str,
    /// Who may call it.
    pub access: Access,
}

/// A router that records each route it is given, so the OpenAPI document can be held to it.
pub struct Routes {
    router: Router<AppState>,
    /// The routes, in the order added.
    pub added: Vec<RouteInfo>,
}

impl Routes {
    fn new() -> Routes {
        Routes {
            router: Router::new(),
            added: Vec::new(),
        }
    }

    fn get<H, T>(mut self, path: &'static str, access: Access, h: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.added.push(RouteInfo {
            method: "GET",
            path,
            access,
        });
        self.router = self.router.route(path, axum::routing::get(h));
        self
    }

    fn post<H, T>(mut self, path: &'static str, access: Access, h: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.added.push(RouteInfo {
            method: "POST",
            path,
            access,
        });
        self.router = self.router.route(path, axum::routing::post(h));
        self
    }
}

/// The main listener's routes.
pub fn routes() -> Routes {
    use crate::courses as c;
    use crate::handlers as h;
    Routes::new()
        .get("/cds-services", Access::Token, h::discovery)
        .post("/cds-services/{id}", Access::Token, h::call)
        .post("/cds-services/{id}/feedback", Access::Token, h::feedback)
        .get("/feedback/summary", Access::Token, h::summary)
        .post("/courses", Access::Token, c::create)
        .get("/courses/{id}", Access::Token, c::get)
        .post("/courses/{id}/events", Access::Token, c::append)
        .get("/courses/{id}/events", Access::Token, c::events)
        .get("/courses/{id}/observations", Access::Token, c::observations)
        .get("/courses/{id}/export", Access::Token, c::export)
        .get("/patients/{id}/courses", Access::Token, c::patient_courses)
        .get("/rules", Access::Public, h::rules_index)
        .get("/rules/{id}", Access::Public, h::rule)
        .get("/openapi.json", Access::Token, h::openapi)
        .get("/healthz", Access::Public, h::healthz)
        .get("/readyz", Access::Public, h::readyz)
        .get("/metrics", Access::MetricsToken, h::metrics)
}

/// The main listener's router, with its layers.
pub fn router(app: AppState) -> Router {
    let origins: Vec<HeaderValue> = app
        .config
        .cors
        .origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::IF_MATCH,
        ])
        .expose_headers([header::ETAG, header::LOCATION])
        .max_age(Duration::from_secs(600));
    routes()
        .router
        .fallback(h_fallback)
        .layer(DefaultBodyLimit::max(ipt_core::limits::MAX_REQUEST_BYTES))
        .layer(middleware::from_fn_with_state(Arc::clone(&app), limit))
        .layer(middleware::from_fn_with_state(Arc::clone(&app), track))
        .layer(cors)
        .with_state(app)
}

/// The operations listener's router: health and metrics, no token.
pub fn ops_router(app: AppState) -> Router {
    use crate::handlers as h;
    Router::new()
        .route("/healthz", axum::routing::get(h::healthz))
        .route("/readyz", axum::routing::get(h::readyz))
        .route("/metrics", axum::routing::get(h::metrics_open))
        .fallback(h_fallback)
        .layer(middleware::from_fn_with_state(Arc::clone(&app), track))
        .with_state(app)
}

async fn h_fallback() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such route")
}

/// Filled by the token check, read by the access log.
#[derive(Clone, Default)]
struct Caller(Arc<Mutex<Option<Scope>>>);

/// The access log, the metrics and the headers every answer carries.
async fn track(State(app): State<AppState>, mut req: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |m| m.as_str())
        .to_owned();
    let method = req.method().as_str().to_owned();
    let caller = Caller::default();
    req.extensions_mut().insert(caller.clone());
    let mut resp = next.run(req).await;
    let status = resp.status().as_u16();
    let elapsed = start.elapsed();
    app.metrics
        .requests
        .get_or_create(&RequestLabels {
            route: route.clone(),
            method: method.clone(),
            status,
        })
        .inc();
    app.metrics
        .latency
        .get_or_create(&RouteLabel {
            route: route.clone(),
        })
        .observe(elapsed.as_secs_f64());
    let who = caller
        .0
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    let (issuer, tenant) = who.map_or((String::new(), String::new()), |s| (s.issuer, s.tenant));
    tracing::info!(
        method = %method,
        route = %route,
        status,
        ms = elapsed.as_secs_f64() * 1000.0,
        issuer = %issuer,
        tenant = %tenant,
        "request"
    );
    let h = resp.headers_mut();
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

/// The concurrency limit and the per-request timeout. The health checks and the metrics are
/// answered outside the limit, so a busy server is not taken for a dead one.
async fn limit(State(app): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(req.uri().path(), "/healthz" | "/readyz" | "/metrics") {
        return next.run(req).await;
    }
    let deadline = Duration::from_millis(app.config.limits.request_timeout_ms);
    let run = async {
        let Ok(_permit) = app.limiter.acquire().await else {
            return ApiError::unavailable("the service is shutting down").into_response();
        };
        next.run(req).await
    };
    match tokio::time::timeout(deadline, run).await {
        Ok(r) => r,
        Err(_) => {
            tracing::warn!(ms = deadline.as_millis() as u64, "request timed out");
            ApiError::unavailable("the request took longer than this service allows")
                .into_response()
        }
    }
}

/// A request whose bearer token was accepted.
pub struct Authed(pub Principal);

impl FromRequestParts<AppState> for Authed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Response> {
        let path = parts
            .extensions
            .get::<OriginalUri>()
            .map_or_else(|| parts.uri.path().to_owned(), |u| u.path().to_owned());
        let route = parts
            .extensions
            .get::<MatchedPath>()
            .map_or("unmatched", |m| m.as_str())
            .to_owned();
        let aud = format!("{}{}", app.public_url, path);
        let authz = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        match app.auth.authenticate(authz, &aud, &route).await {
            Ok(p) => {
                if let Some(c) = parts.extensions.get::<Caller>() {
                    *c.0.lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(p.scope.clone());
                }
                Ok(Authed(p))
            }
            Err(AuthError::Refused(_)) => Err(outcome::unauthorized()),
            Err(AuthError::Store(e)) => {
                tracing::error!(error = %e, "the store could not record a token id");
                Err(ApiError::unavailable("the token could not be checked").into_response())
            }
        }
    }
}
