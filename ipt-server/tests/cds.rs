//! The CDS Hooks routes over real HTTP: discovery, the README's example and encounter-start
//! answered with exactly the engine's cards, each card's source link a real page, and bad
//! input refused with a stable code and the path of the field.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Backend, Issuer, Server};
use ipt_server::jose::Alg;
use serde_json::{json, Value};

const SERVICE: &str = "/cds-services/ipt-suitability";

async fn server(backend: Backend) -> (Issuer, Server) {
    let dir = common::temp_dir("cds");
    let issuer = Issuer::start().await;
    let store = common::store_url(backend, &dir).await;
    let server = Server::start(&dir, &store, &common::config_for(&issuer, "")).await;
    (issuer, server)
}

async fn call(issuer: &Issuer, server: &Server, path: &str, body: &str) -> common::Answer {
    common::post(
        &server.url(path),
        Some(&issuer.token(Alg::Es384, &server.aud(path))),
        body,
    )
    .await
}

fn outcome_code(a: &common::Answer) -> (String, Option<String>) {
    let v = a.json();
    assert_eq!(v["resourceType"], "OperationOutcome", "{}", a.body);
    (
        v["issue"][0]["details"]["coding"][0]["code"]
            .as_str()
            .unwrap()
            .to_owned(),
        v["issue"][0]["expression"][0].as_str().map(str::to_owned),
    )
}

async fn the_engine_answers(backend: Backend) {
    let (issuer, server) = server(backend).await;
    // Discovery is the engine's document.
    let a = common::get(
        &server.url("/cds-services"),
        Some(&issuer.token(Alg::Rs384, &server.aud("/cds-services"))),
    )
    .await;
    assert_eq!(a.status, 200);
    assert_eq!(a.headers["content-type"], "application/json");
    assert_eq!(a.headers["cache-control"], "no-store");
    let engine: Value = serde_json::from_str(&ipt_core::api::call("cds_services", "{}")).unwrap();
    assert_eq!(a.json(), engine["result"]);
    common::assert_no_null_or_empty(&a.json(), "$");
    for s in a.json()["services"].as_array().unwrap() {
        for field in ["hook", "id", "description"] {
            assert!(s[field].is_string(), "{field}");
        }
    }
    // The README's example: the engine's cards, linked to this server's rule pages.
    let body = common::example();
    let a = call(&issuer, &server, SERVICE, &body.to_string()).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let readme_cards = a.json();
    assert_eq!(
        readme_cards,
        common::engine_cards(&body, &server.public_url)
    );
    assert_eq!(
        readme_cards["cards"][0]["source"]["topic"]["code"],
        "C-PSYCHOSIS"
    );
    // encounter-start, on the same service id.
    let mut enc = body.clone();
    enc["hook"] = json!("encounter-start");
    enc["context"]["encounterId"] = json!("enc-1");
    let a = call(&issuer, &server, SERVICE, &enc.to_string()).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json(), common::engine_cards(&enc, &server.public_url));
    // Every card's source.url is a page a browser can open (no token).
    let full = json!({"hook": "patient-view", "hookInstance": "h-2",
        "context": {"patientId": "example"}, "prefetch": common::fhir::full_prefetch("example")});
    let a = call(&issuer, &server, SERVICE, &full.to_string()).await;
    assert_eq!(a.status, 200, "{}", a.body);
    common::assert_cards_conform(&a.json());
    let cards = a.json()["cards"].as_array().unwrap().clone();
    assert!(cards.len() >= 2, "{cards:?}");
    // A record without a PHQ-9: the card with a suggestion conforms too.
    let mut no_phq9 = full.clone();
    no_phq9["prefetch"]["phq9"] = Value::Null;
    let a = call(&issuer, &server, SERVICE, &no_phq9.to_string()).await;
    assert!(a.body.contains("\"suggestions\""), "{}", a.body);
    common::assert_cards_conform(&a.json());
    // A record that gives no card: an empty array, not an absent one.
    let empty = json!({"hook": "patient-view", "hookInstance": "h-3", "context": {"patientId": "example"},
        "prefetch": {"patient": null, "conditions": null, "phq9": null}});
    let a = call(&issuer, &server, SERVICE, &empty.to_string()).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json(), common::engine_cards(&empty, &server.public_url));
    common::assert_cards_conform(&a.json());
    for card in cards
        .iter()
        .chain(readme_cards["cards"].as_array().into_iter().flatten())
    {
        let url = card["source"]["url"].as_str().unwrap();
        let rule = card["source"]["topic"]["code"].as_str().unwrap();
        assert_eq!(url, format!("{}/rules/{rule}", server.public_url));
        let page = common::get(&server.url(&format!("/rules/{rule}")), None).await;
        assert_eq!(page.status, 200);
        assert!(page.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        assert!(page.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'"));
        let statement = ipt_server::engine::Engine::load()
            .unwrap()
            .rule(rule)
            .unwrap()["statement"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(
            page.body.contains(&ipt_server::rules::escape(&statement)),
            "{rule}"
        );
    }
}
both_backends!(
    discovery_and_calls_are_the_engines_answers,
    the_engine_answers
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_with_a_code_and_a_path() {
    let (issuer, server) = server(Backend::Sqlite).await;
    let a = call(&issuer, &server, "/cds-services/no-such-service", "{}").await;
    assert_eq!(a.status, 404);
    assert_eq!(outcome_code(&a).0, "unknown_service");
    let a = call(&issuer, &server, SERVICE, "{\"hook\": ").await;
    assert_eq!(a.status, 400);
    assert_eq!(outcome_code(&a), ("invalid_json".into(), Some("$".into())));
    let a = call(&issuer, &server, SERVICE, "[1]").await;
    assert_eq!((a.status, outcome_code(&a).1), (400, Some("$".into())));
    let mut body = common::example();
    body["context"]["patientId"] = json!("not a FHIR id!");
    let a = call(&issuer, &server, SERVICE, &body.to_string()).await;
    assert_eq!(a.status, 400);
    assert_eq!(
        outcome_code(&a),
        ("invalid_input".into(), Some("$.context.patientId".into()))
    );
    body = common::example();
    body["hook"] = json!("order-sign");
    let a = call(&issuer, &server, SERVICE, &body.to_string()).await;
    assert_eq!(
        outcome_code(&a),
        ("invalid_input".into(), Some("$.hook".into()))
    );
    body = common::example();
    body["prefetch"]["conditions"]["entry"] = json!(7);
    let a = call(&issuer, &server, SERVICE, &body.to_string()).await;
    assert_eq!(
        outcome_code(&a).1.as_deref(),
        Some("$.prefetch.conditions.entry")
    );
    // Not JSON.
    let t = issuer.token(Alg::Es384, &server.aud(SERVICE));
    let a = common::send(
        common::client()
            .post(server.url(SERVICE))
            .bearer_auth(&t)
            .header("content-type", "text/plain")
            .body(common::example().to_string()),
    )
    .await;
    assert_eq!(a.status, 415);
    assert_eq!(outcome_code(&a).0, "unsupported_media_type");
    // Over the engine's 16 MiB.
    let big = format!(
        "{{\"hook\": \"patient-view\", \"pad\": \"{}\"}}",
        "x".repeat(16 * 1024 * 1024 + 1)
    );
    let a = call(&issuer, &server, SERVICE, &big).await;
    assert_eq!(a.status, 413, "{}", a.body);
    assert_eq!(outcome_code(&a).0, "input_too_large");
    // A rule the catalogue does not have.
    let a = common::get(&server.url("/rules/NO-SUCH-RULE"), None).await;
    assert_eq!(a.status, 404);
    assert!(a.body.contains("No such rule"));
    let a = common::get(&server.url("/rules"), None).await;
    assert_eq!(a.status, 200);
    assert!(a.body.contains("rules/X-SUICIDE"));
    // A route that does not exist.
    let a = common::get(&server.url("/nope"), None).await;
    assert_eq!((a.status, outcome_code(&a).0), (404, "not_found".into()));
    // No log line holds the patient data sent.
    let logs = server.logs();
    assert!(
        !logs.contains("F32.3") && !logs.contains("1987-02-20"),
        "{logs}"
    );
}
