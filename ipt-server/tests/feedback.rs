//! Feedback over real HTTP: stored once however often it is posted, kept across a restart,
//! refused whole when a card is unknown, kept apart by tenant, and summarised by rule (the
//! JSON route and the `feedback-summary` command). On SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::{Backend, Issuer, Server};
use ipt_server::jose::Alg;
use serde_json::{json, Value};

const SERVICE: &str = "/cds-services/ipt-suitability";
const FEEDBACK: &str = "/cds-services/ipt-suitability/feedback";
const SUMMARY: &str = "/feedback/summary";

fn tenant(t: &str) -> impl FnOnce(&mut Value, &mut Value) + '_ {
    move |_, c| c["tenant"] = json!(t)
}

async fn cards_for(issuer: &Issuer, server: &Server, t: &str, body: &Value) -> Vec<Value> {
    let token = issuer.token_with(Alg::Es384, &server.aud(SERVICE), tenant(t));
    let a = common::post(&server.url(SERVICE), Some(&token), &body.to_string()).await;
    assert_eq!(a.status, 200, "{}", a.body);
    a.json()["cards"].as_array().unwrap().clone()
}

async fn send_feedback(issuer: &Issuer, server: &Server, t: &str, body: &Value) -> common::Answer {
    let token = issuer.token_with(Alg::Rs384, &server.aud(FEEDBACK), tenant(t));
    common::post(&server.url(FEEDBACK), Some(&token), &body.to_string()).await
}

async fn summary(issuer: &Issuer, server: &Server, t: &str) -> Value {
    let token = issuer.token_with(Alg::Es384, &server.aud(SUMMARY), tenant(t));
    let a = common::get(&server.url(SUMMARY), Some(&token)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    a.json()
}

fn rule<'a>(s: &'a Value, id: &str) -> Option<&'a Value> {
    s["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule_id"] == id)
}

async fn feedback_is_stored_once(backend: Backend) {
    let dir = common::temp_dir("feedback");
    let issuer = Issuer::start().await;
    let store = common::store_url(backend, &dir).await;
    let config = common::config_for(&issuer, "");
    let mut server = Server::start(&dir, &store, &config).await;
    let cards = cards_for(&issuer, &server, "hospital-a", &common::example()).await;
    let card = cards[0]["uuid"].as_str().unwrap().to_owned();
    let reason = cards[0]["overrideReasons"][0].clone();
    let item = json!({"card": card, "outcome": "overridden", "outcomeTimestamp": "2026-01-05T10:00:00Z",
        "overrideReason": {"reason": reason, "userComment": "Psychosis resolved last month."}});
    let body = json!({"feedback": [item]});
    let a = send_feedback(&issuer, &server, "hospital-a", &body).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json(), json!({"stored": 1, "duplicates": 0}));
    // The same feedback again: stored once.
    let a = send_feedback(&issuer, &server, "hospital-a", &body).await;
    assert_eq!(a.json(), json!({"stored": 0, "duplicates": 1}));
    // Another interaction with the same card (another time, no reason) is another item.
    let other = json!({"feedback": [{"card": card, "outcome": "overridden", "outcomeTimestamp": "2026-01-06T09:00:00.5Z"}]});
    assert_eq!(
        send_feedback(&issuer, &server, "hospital-a", &other)
            .await
            .json()["stored"],
        1
    );
    let s = summary(&issuer, &server, "hospital-a").await;
    let r = rule(&s, "C-PSYCHOSIS").unwrap();
    assert_eq!(r["title"], "Active psychosis");
    assert_eq!(
        (
            r["cards_issued"].as_i64(),
            r["feedback"].as_i64(),
            r["overridden"].as_i64()
        ),
        (Some(1), Some(2), Some(2))
    );
    assert_eq!(r["override_reasons"][0]["code"], reason["code"]);
    assert_eq!(r["override_reasons"][0]["count"], 1);
    assert_eq!(r["overridden_without_reason"], 1);
    assert_eq!(s["tenant"], "hospital-a");
    // The comment is stored, not logged.
    assert!(!server.logs().contains("Psychosis resolved"));

    // A batch with one unknown card is refused whole: nothing of it stored.
    let batch = json!({"feedback": [
        {"card": card, "outcome": "overridden", "outcomeTimestamp": "2026-01-07T09:00:00Z"},
        {"card": "00000000-0000-5000-8000-000000000000", "outcome": "overridden", "outcomeTimestamp": "2026-01-07T09:00:00Z"}]});
    let a = send_feedback(&issuer, &server, "hospital-a", &batch).await;
    assert_eq!(a.status, 400, "{}", a.body);
    let v = a.json();
    assert_eq!(
        v["issue"][0]["details"]["coding"][0]["code"],
        "unknown_card"
    );
    assert_eq!(v["issue"][0]["expression"][0], "$.feedback[1].card");
    assert_eq!(
        rule(
            &summary(&issuer, &server, "hospital-a").await,
            "C-PSYCHOSIS"
        )
        .unwrap()["feedback"],
        2
    );

    // Another tenant of the same EHR: the card is not its, and it sees nothing.
    let a = send_feedback(&issuer, &server, "hospital-b", &body).await;
    assert_eq!(a.status, 400);
    assert_eq!(
        a.json()["issue"][0]["details"]["coding"][0]["code"],
        "unknown_card"
    );
    let b = summary(&issuer, &server, "hospital-b").await;
    assert!(b["rules"].as_array().unwrap().is_empty(), "{b}");
    // A token without a tenant is a scope of its own too.
    let token = issuer.token(Alg::Es384, &server.aud(SUMMARY));
    let none = common::get(&server.url(SUMMARY), Some(&token)).await.json();
    assert!(none["rules"].as_array().unwrap().is_empty());
    // Another issuer with the same tenant name sees nothing either.
    let other_issuer = Issuer::start().await;
    let config2 = format!("{config}\n{}", other_issuer.config());
    assert!(server.stop().await.success());
    let pinned = format!("public_url = \"{}\"\n{config2}", server.public_url);
    let server = Server::start(&dir, &store, &pinned).await;
    let s2 = summary(&other_issuer, &server, "hospital-a").await;
    assert!(s2["rules"].as_array().unwrap().is_empty(), "{s2}");
    let a = send_feedback(&other_issuer, &server, "hospital-a", &body).await;
    assert_eq!(a.status, 400);

    // What was acknowledged is still there after the restart, and posting it again stores
    // nothing.
    let s = summary(&issuer, &server, "hospital-a").await;
    assert_eq!(rule(&s, "C-PSYCHOSIS").unwrap()["feedback"], 2);
    assert_eq!(
        send_feedback(&issuer, &server, "hospital-a", &body)
            .await
            .json()["duplicates"],
        1
    );

    // The command line reads the same store.
    let out = std::process::Command::new(common::binary())
        .args([
            "feedback-summary",
            "--store",
            &store,
            "--issuer",
            &issuer.iss,
            "--tenant",
            "hospital-a",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cli, s);
    let out = std::process::Command::new(common::binary())
        .args(["feedback-summary", "--store", &store])
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("C-PSYCHOSIS") && table.contains("no reason ×1"),
        "{table}"
    );
}
both_backends!(
    feedback_is_stored_once_kept_and_kept_apart,
    feedback_is_stored_once
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suggestions_are_checked_against_the_card() {
    let dir = common::temp_dir("feedback-suggestions");
    let issuer = Issuer::start().await;
    let store = common::store_url(Backend::Sqlite, &dir).await;
    let server = Server::start(&dir, &store, &common::config_for(&issuer, "")).await;
    // A recurrent depression and no PHQ-9 (the key sent as null): the engine offers a PHQ-9
    // as a suggestion (M-PHQ9), beside cards without suggestions.
    let mut prefetch = common::fhir::full_prefetch("example");
    prefetch["phq9"] = Value::Null;
    let body = json!({"hook": "patient-view", "hookInstance": "s-1",
        "context": {"patientId": "example"}, "prefetch": prefetch});
    let cards = cards_for(&issuer, &server, "", &body).await;
    let plain = cards
        .iter()
        .find(|c| c.get("suggestions").is_none())
        .unwrap();
    let uuid = plain["uuid"].as_str().unwrap();
    // A card without suggestions may be accepted as it is.
    let fb = json!({"feedback": [{"card": uuid, "outcome": "accepted", "outcomeTimestamp": "2026-01-05T10:00:00Z"}]});
    assert_eq!(send_feedback(&issuer, &server, "", &fb).await.status, 200);
    // It has no suggestion to accept.
    let fb = json!({"feedback": [{"card": uuid, "outcome": "accepted", "outcomeTimestamp": "2026-01-05T10:00:00Z",
        "acceptedSuggestions": [{"id": "not-a-suggestion"}]}]});
    let a = send_feedback(&issuer, &server, "", &fb).await;
    assert_eq!(a.status, 400);
    assert_eq!(
        a.json()["issue"][0]["expression"][0],
        "$.feedback[0].acceptedSuggestions[0].id"
    );
    let with = cards
        .iter()
        .find(|c| c.get("suggestions").is_some())
        .expect("a card with a suggestion");
    assert_eq!(with["source"]["topic"]["code"], "M-PHQ9");
    let with_uuid = with["uuid"].as_str().unwrap();
    let sid = with["suggestions"][0]["uuid"].as_str().unwrap();
    // Accepted without naming the suggestion: refused; naming it: stored.
    let fb = json!({"feedback": [{"card": with_uuid, "outcome": "accepted", "outcomeTimestamp": "2026-01-05T10:00:00Z"}]});
    let a = send_feedback(&issuer, &server, "", &fb).await;
    assert_eq!(
        a.json()["issue"][0]["expression"][0],
        "$.feedback[0].acceptedSuggestions"
    );
    let fb = json!({"feedback": [{"card": with_uuid, "outcome": "accepted", "outcomeTimestamp": "2026-01-05T10:00:00Z",
        "acceptedSuggestions": [{"id": sid}]}]});
    assert_eq!(
        send_feedback(&issuer, &server, "", &fb).await.json()["stored"],
        1
    );
    let token = issuer.token(Alg::Es384, &server.aud(SUMMARY));
    let s = common::get(&server.url(SUMMARY), Some(&token)).await.json();
    assert_eq!(rule(&s, "M-PHQ9").unwrap()["accepted"], 1);
    // Bad items: a local time, an unknown field.
    let fb = json!({"feedback": [{"card": uuid, "outcome": "overridden", "outcomeTimestamp": "2026-01-05T10:00:00+01:00"}]});
    let a = send_feedback(&issuer, &server, "", &fb).await;
    assert_eq!(
        a.json()["issue"][0]["expression"][0],
        "$.feedback[0].outcomeTimestamp"
    );
    let fb = json!({"feedback": [{"card": uuid, "outcome": "overridden", "outcomeTimestamp": "2026-01-05T10:00:00Z", "reason": "x"}]});
    assert_eq!(send_feedback(&issuer, &server, "", &fb).await.status, 400);
    // An unknown service.
    let token = issuer.token(Alg::Es384, &server.aud("/cds-services/other/feedback"));
    let a = common::post(
        &server.url("/cds-services/other/feedback"),
        Some(&token),
        &fb.to_string(),
    )
    .await;
    assert_eq!(a.status, 404);
}
