//! Prometheus metrics: requests by route and status, latency histograms, token failures by
//! reason, prefetch fetches, key set fetches, feedback items, course events by outcome and the
//! engine's own time.
//! Labels are routes as templates (`/cds-services/{id}`), never paths with values in them.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

/// The labels of a request.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RequestLabels {
    /// The route template, or `unmatched`.
    pub route: String,
    /// The method.
    pub method: String,
    /// The status code.
    pub status: u16,
}

/// A route label.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct RouteLabel {
    /// The route template.
    pub route: String,
}

/// A reason or outcome label.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ReasonLabel {
    /// The reason (`expired`, `replay`, ...) or outcome (`ok`, `timeout`, ...).
    pub reason: String,
}

type HistogramFamily<L> = Family<L, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 100 µs to about 13 s.
    Histogram::new(exponential_buckets(0.0001, 2.0, 18))
}

/// The metrics of one server.
pub struct Metrics {
    registry: Registry,
    /// Requests by route, method and status.
    pub requests: Family<RequestLabels, Counter>,
    /// Request latency by route (seconds).
    pub latency: HistogramFamily<RouteLabel>,
    /// Tokens refused, by reason.
    pub token_failures: Family<ReasonLabel, Counter>,
    /// Prefetch fetches (one per page), by outcome.
    pub prefetch_fetches: Family<ReasonLabel, Counter>,
    /// Key set fetches, by outcome.
    pub jwks_fetches: Family<ReasonLabel, Counter>,
    /// Feedback items, `stored` or `duplicate`.
    pub feedback_items: Family<ReasonLabel, Counter>,
    /// The engine's time per call (seconds).
    pub engine_seconds: Histogram,
    /// Course events posted, by outcome: `stored`; `stale` (`If-Match` named a version the
    /// course had already passed when read) and `conflict` (another event took the position
    /// between the read and the write: the store refused it), both a `409`; `refused` (the
    /// engine's `transition_refused`); `invalid`.
    pub course_events: Family<ReasonLabel, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    /// A fresh set of metrics, registered.
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("ipt");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = HistogramFamily::<RouteLabel>::new_with_constructor(latency_histogram);
        let token_failures = Family::<ReasonLabel, Counter>::default();
        let prefetch_fetches = Family::<ReasonLabel, Counter>::default();
        let jwks_fetches = Family::<ReasonLabel, Counter>::default();
        let feedback_items = Family::<ReasonLabel, Counter>::default();
        let engine_seconds = latency_histogram();
        let course_events = Family::<ReasonLabel, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests by route, method and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by route",
            latency.clone(),
        );
        registry.register(
            "token_failures",
            "Bearer tokens refused, by reason",
            token_failures.clone(),
        );
        registry.register(
            "prefetch_fetches",
            "FHIR fetches for missing prefetch keys (one per page), by outcome",
            prefetch_fetches.clone(),
        );
        registry.register(
            "jwks_fetches",
            "Key set fetches, by outcome",
            jwks_fetches.clone(),
        );
        registry.register(
            "feedback_items",
            "Feedback items received, stored or duplicate",
            feedback_items.clone(),
        );
        registry.register(
            "engine_call_duration_seconds",
            "Time the engine took per CDS Hooks call",
            engine_seconds.clone(),
        );
        registry.register(
            "course_events",
            "Course events posted, by outcome (stored, stale, conflict, refused, invalid)",
            course_events.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            token_failures,
            prefetch_fetches,
            jwks_fetches,
            feedback_items,
            engine_seconds,
            course_events,
        }
    }

    /// Counts a token refused.
    pub fn token_failure(&self, reason: &str) {
        self.token_failures
            .get_or_create(&ReasonLabel {
                reason: reason.into(),
            })
            .inc();
    }

    /// Counts an outcome in a family of [`ReasonLabel`].
    pub fn count(family: &Family<ReasonLabel, Counter>, reason: &str, n: u64) {
        family
            .get_or_create(&ReasonLabel {
                reason: reason.into(),
            })
            .inc_by(n);
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::prometheus_text::encode(&mut out, &self.registry);
        out
    }
}

/// The content type of [`Metrics::render`].
pub const CONTENT_TYPE: &str = prometheus_client::encoding::prometheus_text::CONTENT_TYPE;
