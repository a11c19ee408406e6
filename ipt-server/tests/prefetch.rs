//! Prefetch the specification's way, against a FHIR server on loopback serving the US Core
//! fixtures paged: missing keys fetched (every page, with the access token), paged Bundles the
//! EHR sent followed, `null` kept as no data, OperationOutcome values, a slow server past the
//! budget, no fhirServer, `next` links off the server, error statuses, servers not allowed;
//! and the access token and the patient in no log line.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use std::time::{Duration, Instant};

use common::fhir::{self, Mode};
use common::{Backend, Issuer, Server};
use ipt_server::jose::Alg;
use serde_json::{json, Value};

const SERVICE: &str = "/cds-services/ipt-suitability";
const TOKEN: &str = "fhir-access-token-7c41d9e2b8";
const PID: &str = "pt-93f0a1";

async fn setup(extra: &str) -> (Issuer, Server) {
    setup_with(extra, &[]).await
}

async fn setup_with(extra: &str, args: &[&str]) -> (Issuer, Server) {
    let dir = common::temp_dir("prefetch");
    let issuer = Issuer::start().await;
    let store = common::store_url(Backend::Sqlite, &dir).await;
    let config = common::config_for(&issuer, extra);
    let server = Server::start_with(&dir, &store, &config, args).await;
    (issuer, server)
}

fn request(fhir_server: Option<&str>, prefetch: Value) -> Value {
    let mut r = json!({"hook": "patient-view", "hookInstance": "b7c5e1f0-prefetch",
        "context": {"userId": "Practitioner/p1", "patientId": PID}, "prefetch": prefetch});
    if let Some(s) = fhir_server {
        r["fhirServer"] = json!(s);
        r["fhirAuthorization"] = json!({"access_token": TOKEN, "token_type": "Bearer",
            "expires_in": 300, "scope": "user/Patient.read user/Condition.read user/Observation.read",
            "subject": "ipt-server"});
    }
    r
}

async fn call(issuer: &Issuer, server: &Server, body: &Value) -> common::Answer {
    common::post(
        &server.url(SERVICE),
        Some(&issuer.token(Alg::Es384, &server.aud(SERVICE))),
        &body.to_string(),
    )
    .await
}

fn assert_412(a: &common::Answer, key: &str) {
    assert_eq!(a.status, 412, "{}", a.body);
    let v = a.json();
    assert_eq!(v["resourceType"], "OperationOutcome");
    assert_eq!(
        v["issue"][0]["details"]["coding"][0]["code"],
        "prefetch_unavailable"
    );
    assert_eq!(v["issue"][0]["expression"][0], format!("$.prefetch.{key}"));
    assert!(!a.body.contains(TOKEN));
}

fn indicators(cards: &Value) -> Vec<String> {
    cards["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            format!(
                "{}:{}",
                c["indicator"].as_str().unwrap(),
                c["source"]["topic"]["code"].as_str().unwrap()
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn missing_keys_are_fetched_every_page_with_the_access_token_and_nothing_is_logged() {
    let (issuer, server) = setup_with("", &["--log-level", "debug"]).await;
    let f = fhir::start(
        PID,
        Mode {
            page_size: 5,
            ..Mode::default()
        },
    )
    .await;
    let a = call(&issuer, &server, &request(Some(&f.base), json!({}))).await;
    assert_eq!(a.status, 200, "{}", a.body);
    // The same cards as an EHR sending everything.
    let full = request(None, fhir::full_prefetch(PID));
    let cards = a.json();
    assert_eq!(cards, common::engine_cards(&full, &server.public_url));
    // The PHQ-9 item 9 on the last page raised the safety alert.
    assert!(
        indicators(&cards).contains(&"critical:X-SUICIDE".to_owned()),
        "{:?}",
        indicators(&cards)
    );
    let seen = f.seen.lock().unwrap().clone();
    let paths: Vec<&str> = seen
        .iter()
        .map(|(p, _)| p.split('?').next().unwrap())
        .collect();
    assert_eq!(
        paths
            .iter()
            .filter(|p| **p == format!("/fhir/Patient/{PID}"))
            .count(),
        1
    );
    assert_eq!(
        paths.iter().filter(|p| **p == "/fhir/Condition").count(),
        1,
        "4 conditions: one page"
    );
    assert_eq!(
        paths.iter().filter(|p| **p == "/fhir/Observation").count(),
        3,
        "13 observations: three pages"
    );
    for (p, auth) in &seen {
        assert_eq!(auth.as_deref(), Some(&*format!("Bearer {TOKEN}")), "{p}");
    }
    // The template's tokens were filled from the context.
    assert!(seen
        .iter()
        .any(|(p, _)| p.starts_with(&format!("/fhir/Condition?patient={PID}&clinical-status="))));
    // The access token is not stored: the store's files do not hold it.
    for entry in std::fs::read_dir(&server.dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!bytes.windows(TOKEN.len()).any(|w| w == TOKEN.as_bytes()));
    }
    // The access token and the patient appear in no log line, even at debug level.
    let logs = server.wait_log(&["prefetch key fetched", "phq9"]).await;
    assert!(
        logs.contains("\"level\":\"DEBUG\"") || logs.contains("DEBUG"),
        "debug logging is on"
    );
    for line in logs.lines() {
        assert!(
            !line.contains(TOKEN),
            "the access token in a log line: {line}"
        );
        assert!(!line.contains(PID), "the patient in a log line: {line}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_paged_bundle_the_ehr_sent_is_followed_and_null_is_no_data() {
    let (issuer, server) = setup("").await;
    let f = fhir::start(
        PID,
        Mode {
            page_size: 4,
            ..Mode::default()
        },
    )
    .await;
    let all: Vec<Value> = fhir::observations()
        .iter()
        .map(|o| fhir::for_patient(o, PID))
        .collect();
    let first = fhir::page(
        &all,
        4,
        1,
        &format!("{}/Observation?patient={PID}", f.base),
        None,
    );
    let mut prefetch = fhir::full_prefetch(PID);
    prefetch["phq9"] = first;
    let a = call(&issuer, &server, &request(Some(&f.base), prefetch)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let full = request(None, fhir::full_prefetch(PID));
    assert_eq!(a.json(), common::engine_cards(&full, &server.public_url));
    assert_eq!(f.seen.lock().unwrap().len(), 3, "pages 2 to 4 fetched");
    // A key sent as null is no data: nothing fetched, and the engine reads it as such.
    let before = f.seen.lock().unwrap().len();
    let mut prefetch = fhir::full_prefetch(PID);
    prefetch["phq9"] = Value::Null;
    let body = request(Some(&f.base), prefetch.clone());
    let a = call(&issuer, &server, &body).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(
        a.json(),
        common::engine_cards(&request(None, prefetch), &server.public_url)
    );
    assert_eq!(f.seen.lock().unwrap().len(), before);
    // A Patient the FHIR server does not have (404 on a read) is null, no data.
    let other = fhir::start(
        "someone-else",
        Mode {
            page_size: 5,
            ..Mode::default()
        },
    )
    .await;
    let mut prefetch = fhir::full_prefetch(PID);
    prefetch.as_object_mut().unwrap().remove("patient");
    let a = call(
        &issuer,
        &server,
        &request(Some(&other.base), prefetch.clone()),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    prefetch["patient"] = Value::Null;
    assert_eq!(
        a.json(),
        common::engine_cards(&request(None, prefetch), &server.public_url)
    );
    assert_eq!(other.seen.lock().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operation_outcome_values_and_no_fhir_server() {
    let (issuer, server) = setup("").await;
    let f = fhir::start(
        PID,
        Mode {
            page_size: 50,
            ..Mode::default()
        },
    )
    .await;
    let oo = json!({"resourceType": "OperationOutcome", "issue": [{"severity": "error", "code": "timeout"}]});
    // A required key the EHR could not get: 412, and no follow-up query.
    let mut prefetch = fhir::full_prefetch(PID);
    prefetch["conditions"] = oo.clone();
    let a = call(&issuer, &server, &request(Some(&f.base), prefetch)).await;
    assert_412(&a, "conditions");
    assert!(f.seen.lock().unwrap().is_empty());
    // An optional key as an OperationOutcome: the engine lists it as not read.
    let mut prefetch = fhir::full_prefetch(PID);
    prefetch["phq9"] = oo;
    let body = request(None, prefetch);
    let a = call(&issuer, &server, &body).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json(), common::engine_cards(&body, &server.public_url));
    // A required key missing and no fhirServer: 412.
    let mut prefetch = fhir::full_prefetch(PID);
    prefetch.as_object_mut().unwrap().remove("patient");
    let a = call(&issuer, &server, &request(None, prefetch)).await;
    assert_412(&a, "patient");
    // An optional key missing and no fhirServer: the engine lists it as not supplied.
    let a = call(&issuer, &server, &common::example()).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.body.contains("prefetch.phq9"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_fhir_server_past_the_budget_is_412_within_it() {
    let (issuer, server) = setup("budget_ms = 400").await;
    let f = fhir::start(
        PID,
        Mode {
            page_size: 5,
            slow: Some(Duration::from_secs(3)),
            ..Mode::default()
        },
    )
    .await;
    let start = Instant::now();
    let a = call(&issuer, &server, &request(Some(&f.base), json!({}))).await;
    let took = start.elapsed();
    assert_eq!(a.status, 412, "{}", a.body);
    assert!(
        took < Duration::from_millis(1_500),
        "answered after {took:?}"
    );
    let logs = server.wait_log(&["prefetch"]).await;
    assert!(!logs.contains(TOKEN));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn next_links_off_the_server_and_error_statuses_are_412() {
    let (issuer, server) = setup("").await;
    let elsewhere = fhir::start(
        PID,
        Mode {
            page_size: 5,
            ..Mode::default()
        },
    )
    .await;
    let f = fhir::start(
        PID,
        Mode {
            page_size: 5,
            next_elsewhere: Some(format!(
                "{}/Observation?patient={PID}&_page=2",
                elsewhere.base
            )),
            ..Mode::default()
        },
    )
    .await;
    let a = call(&issuer, &server, &request(Some(&f.base), json!({}))).await;
    assert_412(&a, "phq9");
    assert!(
        elsewhere.seen.lock().unwrap().is_empty(),
        "the token went to another server"
    );
    for status in [500, 401, 403] {
        let f = fhir::start(
            PID,
            Mode {
                page_size: 5,
                status: Some(status),
                ..Mode::default()
            },
        )
        .await;
        let a = call(&issuer, &server, &request(Some(&f.base), json!({}))).await;
        assert_eq!(a.status, 412, "{status}: {}", a.body);
    }
    // A search answered with an OperationOutcome.
    let f = fhir::start(
        PID,
        Mode {
            page_size: 5,
            outcome_for: Some("Condition".into()),
            ..Mode::default()
        },
    )
    .await;
    let a = call(&issuer, &server, &request(Some(&f.base), json!({}))).await;
    assert_412(&a, "conditions");
    // Too many pages.
    let (issuer2, server2) = setup("max_pages = 2").await;
    let f = fhir::start(
        PID,
        Mode {
            page_size: 2,
            ..Mode::default()
        },
    )
    .await;
    let a = call(&issuer2, &server2, &request(Some(&f.base), json!({}))).await;
    assert_eq!(a.status, 412, "{}", a.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_request_is_400_before_anything_is_fetched() {
    let (issuer, server) = setup("").await;
    let f = fhir::start(
        PID,
        Mode {
            page_size: 5,
            ..Mode::default()
        },
    )
    .await;
    let path = |a: &common::Answer| {
        a.json()["issue"][0]["expression"][0]
            .as_str()
            .map(str::to_owned)
    };
    let mut body = request(Some(&f.base), json!({}));
    body["context"].as_object_mut().unwrap().remove("patientId");
    let a = call(&issuer, &server, &body).await;
    assert_eq!(
        (a.status, path(&a).as_deref()),
        (400, Some("$.context.patientId")),
        "{}",
        a.body
    );
    let mut body = request(Some(&f.base), json!({}));
    body.as_object_mut().unwrap().remove("fhirServer");
    let a = call(&issuer, &server, &body).await;
    assert_eq!(
        (a.status, path(&a).as_deref()),
        (400, Some("$.fhirServer")),
        "{}",
        a.body
    );
    let mut body = request(Some(&f.base), json!({}));
    body["fhirAuthorization"]["token_type"] = json!("MAC");
    let a = call(&issuer, &server, &body).await;
    assert_eq!(path(&a).as_deref(), Some("$.fhirAuthorization.token_type"));
    let mut body = request(Some("not a url"), json!({}));
    body["context"]["userId"] = json!(7);
    let a = call(&issuer, &server, &body).await;
    assert_eq!(path(&a).as_deref(), Some("$.fhirServer"));
    let mut body = request(Some(&f.base), json!({}));
    body["extension"] = json!(5);
    let a = call(&issuer, &server, &body).await;
    assert_eq!(path(&a).as_deref(), Some("$.extension"));
    assert!(f.seen.lock().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fhir_servers_not_allowed_are_never_contacted() {
    // https only.
    let dir = common::temp_dir("prefetch-https");
    let issuer = Issuer::start().await;
    let store = common::store_url(Backend::Sqlite, &dir).await;
    let config = format!("listen = \"127.0.0.1:0\"\n{}", issuer.config());
    let server = Server::start(&dir, &store, &config).await;
    let f = fhir::start(
        PID,
        Mode {
            page_size: 5,
            ..Mode::default()
        },
    )
    .await;
    let a = call(&issuer, &server, &request(Some(&f.base), json!({}))).await;
    assert_412(&a, "conditions");
    assert!(f.seen.lock().unwrap().is_empty());
    // The issuer's list.
    let dir = common::temp_dir("prefetch-list");
    let config = format!(
        "listen = \"127.0.0.1:0\"\n[prefetch]\nallow_http = true\n{}fhir_servers = [\"https://ehr.example.org/fhir\"]\n",
        issuer.config()
    );
    let store = common::store_url(Backend::Sqlite, &dir).await;
    let server = Server::start(&dir, &store, &config).await;
    let a = call(&issuer, &server, &request(Some(&f.base), json!({}))).await;
    assert_412(&a, "conditions");
    assert!(f.seen.lock().unwrap().is_empty());
}
