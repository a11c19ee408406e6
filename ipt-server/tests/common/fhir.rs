//! A FHIR server on loopback serving the repository's US Core fixtures (and two of its own
//! records), searches paged, with switches for the failures a prefetch must survive: slowness,
//! OperationOutcomes, error statuses, `next` links that leave the server. It records every
//! request and the `Authorization` header it came with.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::{json, Value};

fn fixture(rel: &str) -> Value {
    let p = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/ehr/");
    serde_json::from_str(&std::fs::read_to_string(format!("{p}{rel}")).unwrap()).unwrap()
}

/// The Conditions served: US Core's three and a recurrent major depression (F33.1).
pub fn conditions() -> Vec<Value> {
    vec![
        fixture("us-core/condition-duodenal-ulcer.json"),
        fixture("us-core/condition-duodenal-ulcer-resolved.json"),
        fixture("us-core/condition-encounter-diagnosis-example1.json"),
        fixture("own/condition-f33-1.json"),
    ]
}

/// The Observations served: US Core's PHQ-9 panel and items, and, last, a PHQ-9 item 9
/// answered "more than half the days".
pub fn observations() -> Vec<Value> {
    let mut v: Vec<Value> = [
        "Observation-PHQ9-panel-example-44249-1",
        "Observation-PHQ9-item-example-44250-9",
        "Observation-PHQ9-item-example-44251-7",
        "Observation-PHQ9-item-example-44252-5",
        "Observation-PHQ9-item-example-44253-3",
        "Observation-PHQ9-item-example-44254-1",
        "Observation-PHQ9-item-example-44255-8",
        "Observation-PHQ9-item-example-44258-2",
        "Observation-PHQ9-item-example-44259-0",
        "Observation-PHQ9-item-example-44260-8",
        "Observation-PHQ9-item-example-44261-6",
        "Observation-PHQ9-item-example-69722-7",
    ]
    .iter()
    .map(|f| fixture(&format!("us-core/{f}.json")))
    .collect();
    // Dated two days before today: the server assesses at today's date, and a positive item 9
    // raises the alert within the engine's 90-day look-back.
    let mut item9 = fixture("own/observation-phq9-item9-2.json");
    let recent = time::OffsetDateTime::now_utc().date() - time::Duration::days(2);
    item9["effectiveDateTime"] = json!(recent.to_string());
    v.push(item9);
    v
}

/// The Patient.
pub fn patient() -> Value {
    fixture("us-core/patient-example.json")
}

/// Replaces the fixtures' patient id with `pid`.
pub fn for_patient(v: &Value, pid: &str) -> Value {
    serde_json::from_str(
        &v.to_string()
            .replace("\"Patient/example\"", &format!("\"Patient/{pid}\""))
            .replace("\"id\":\"example\"", &format!("\"id\":\"{pid}\"")),
    )
    .unwrap()
}

/// What the server does.
#[derive(Debug, Clone, Default)]
pub struct Mode {
    /// Entries per page.
    pub page_size: usize,
    /// Wait this long before every answer.
    pub slow: Option<Duration>,
    /// Answer searches of this resource type with an OperationOutcome.
    pub outcome_for: Option<String>,
    /// Answer every request with this status.
    pub status: Option<u16>,
    /// Make the `next` link of the first page point here instead.
    pub next_elsewhere: Option<String>,
}

/// `(path and query, Authorization header)` of each request seen.
pub type Seen = Arc<Mutex<Vec<(String, Option<String>)>>>;

#[derive(Clone)]
pub struct FhirState {
    pub pid: String,
    pub base: String,
    pub mode: Arc<Mutex<Mode>>,
    /// `(path and query, Authorization header)` of every request.
    pub seen: Seen,
}

/// A searchset page of `all` for `url` (without `_page`), with its `next` link.
pub fn page(
    all: &[Value],
    size: usize,
    n: usize,
    url: &str,
    next_elsewhere: Option<&str>,
) -> Value {
    let start = (n - 1) * size;
    let entries: Vec<Value> = all
        .iter()
        .skip(start)
        .take(size)
        .map(|r| json!({"fullUrl": format!("urn:uuid:{}", r["id"].as_str().unwrap_or("x")), "resource": r, "search": {"mode": "match"}}))
        .collect();
    let mut links = vec![json!({"relation": "self", "url": format!("{url}&_page={n}")})];
    if start + size < all.len() {
        let next = match (n, next_elsewhere) {
            (1, Some(e)) => e.to_owned(),
            _ => format!("{url}&_page={}", n + 1),
        };
        links.push(json!({"relation": "next", "url": next}));
    }
    json!({"resourceType": "Bundle", "type": "searchset", "total": all.len(), "link": links, "entry": entries})
}

async fn handle(State(s): State<FhirState>, uri: Uri, headers: HeaderMap) -> Response {
    let pq = uri
        .path_and_query()
        .map(|p| p.to_string())
        .unwrap_or_default();
    let auth = headers
        .get("authorization")
        .map(|v| v.to_str().unwrap().to_owned());
    s.seen.lock().unwrap().push((pq.clone(), auth));
    let mode = s.mode.lock().unwrap().clone();
    if let Some(d) = mode.slow {
        tokio::time::sleep(d).await;
    }
    if let Some(st) = mode.status {
        return StatusCode::from_u16(st).unwrap().into_response();
    }
    let path = uri.path().trim_start_matches("/fhir/");
    let query = uri.query().unwrap_or_default();
    let page_n: usize = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("_page="))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let query_wo_page: Vec<&str> = query
        .split('&')
        .filter(|kv| !kv.starts_with("_page="))
        .collect();
    let url = format!("{}/{}?{}", s.base, path, query_wo_page.join("&"));
    let fhir = |v: Value| {
        (
            StatusCode::OK,
            [("content-type", "application/fhir+json")],
            v.to_string(),
        )
            .into_response()
    };
    if mode.outcome_for.as_deref() == Some(path) {
        return fhir(
            json!({"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "exception"}]}),
        );
    }
    let pid = &s.pid;
    match path {
        p if p == format!("Patient/{pid}") => fhir(for_patient(&patient(), pid)),
        p if p.starts_with("Patient/") => StatusCode::NOT_FOUND.into_response(),
        "Condition" | "Observation" => {
            if !query.contains(&format!("patient={pid}")) {
                return fhir(page(&[], mode.page_size, 1, &url, None));
            }
            let all: Vec<Value> = if path == "Condition" {
                conditions()
            } else {
                observations()
            }
            .iter()
            .map(|r| for_patient(r, pid))
            .collect();
            fhir(page(
                &all,
                mode.page_size,
                page_n,
                &url,
                mode.next_elsewhere.as_deref(),
            ))
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

/// Starts a FHIR server for patient `pid`; its base is `http://127.0.0.1:PORT/fhir`.
pub async fn start(pid: &str, mode: Mode) -> FhirState {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let state = FhirState {
        pid: pid.to_owned(),
        base: format!("http://{addr}/fhir"),
        mode: Arc::new(Mutex::new(mode)),
        seen: Arc::default(),
    };
    let app = Router::new().fallback(handle).with_state(state.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    state
}

/// The prefetch a complete EHR would send for `pid`: every key, every page in one Bundle.
pub fn full_prefetch(pid: &str) -> Value {
    let all = |v: Vec<Value>| {
        let entries: Vec<Value> = v
            .iter()
            .map(|r| {
                let r = for_patient(r, pid);
                json!({"fullUrl": format!("urn:uuid:{}", r["id"].as_str().unwrap_or("x")), "resource": r, "search": {"mode": "match"}})
            })
            .collect();
        json!({"resourceType": "Bundle", "type": "searchset", "total": entries.len(), "entry": entries})
    };
    json!({
        "patient": for_patient(&patient(), pid),
        "conditions": all(conditions()),
        "phq9": all(observations()),
    })
}
