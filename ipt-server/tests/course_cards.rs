//! The cards follow the course, over real HTTP: the demo patient's whole course recorded
//! event by event, and the chart opened (`patient-view`) after each one. At every stage the
//! course's cards are exactly the engine's for the stored course, beside the suitability
//! cards; a suicide-risk alert raised in session 2 is the first card, critical, at every
//! opening until a risk assessment resolves it; a reliable deterioration stays until a review
//! of the measures, and nothing else clears it; the measures due come with a suggestion, the
//! ending not yet raised with a warning, and after completion the maintenance advice. The
//! course's cards take feedback like any other card, in their scope only, and conform to what
//! CDS Hooks 2.0 asks of every card. On SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::common;

use common::courses::{self, Caller};
use common::{Backend, Issuer, Server};
use ipt_server::engine::Engine;
use serde_json::{json, Value};

/// The demo course with two things happening to its patient: a PHQ-9 with item 9 above 0 in
/// session 2 (a suicide-risk alert) resolved by a risk assessment after session 4, and a
/// reliable deterioration in session 6 (PHQ-9 18 to 24) reviewed after session 8.
fn eventful() -> (Value, Vec<Value>) {
    let (start, demo) = courses::demo();
    let mut events = Vec::new();
    for e in demo {
        let number = e["number"].as_i64();
        let mut e = e;
        match (e["type"].as_str(), number) {
            (Some("session_held"), Some(2)) => {
                e["measures"] = json!([{"instrument": "phq9", "total": 17, "item9": 1}]);
            }
            (Some("session_held"), Some(6)) => {
                e["measures"] = json!([{"instrument": "phq9", "total": 24}]);
            }
            _ => {}
        }
        events.push(e.clone());
        match (e["type"].as_str(), number) {
            (Some("session_held"), Some(4)) => {
                events.push(json!({"type": "risk_assessed", "level": "low"}));
            }
            (Some("session_held"), Some(8)) => {
                events.push(json!({"type": "measures_reviewed", "date": "2026-03-02"}));
            }
            _ => {}
        }
    }
    (start, events)
}

fn topic(card: &Value) -> &str {
    card["source"]["topic"]["code"].as_str().unwrap()
}

async fn the_cards_follow(backend: Backend) {
    let dir = common::temp_dir("course-cards");
    let issuer = Issuer::start().await;
    let store = common::store_url(backend, &dir).await;
    let server = Server::start(&dir, &store, &common::config_for(&issuer, "")).await;
    let clinic = Caller::new(&issuer).tenant("clinic");
    let (start, events) = eventful();
    let id = clinic.start(&server, "example", &start).await;
    let suitability = common::engine_cards(&common::example(), &server.public_url)["cards"]
        .as_array()
        .unwrap()
        .clone();
    let today = ipt_server::clock::today(time::UtcOffset::UTC);
    let rules = format!("{}/rules", server.public_url);
    let mut seen_alert = Vec::new();
    let mut seen_deterioration = Vec::new();
    let mut seen_due = 0;
    let mut seen_ending = Vec::new();
    let mut last = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let a = clinic
            .append(&server, &id, &i.to_string(), e, Some("Practitioner/t"))
            .await;
        assert_eq!(a.status, 200, "event {i}: {}", a.body);
        // The chart opened: the suitability cards, and the course's as the engine renders
        // them for the course as replayed here.
        let cards = clinic.patient_view(&server).await;
        // What CDS Hooks 2.0 asks of every card, the course's as much as any.
        common::assert_cards_conform(&json!({ "cards": cards }));
        let snapshot = courses::replay(&start, &events[..=i])["snapshot"].to_string();
        let request = Engine::request_with_courses(
            &today,
            &rules,
            &common::example().to_string(),
            &[(id.clone(), snapshot)],
            "digest",
        );
        let expected: Value = serde_json::from_str(&Engine::cards(&request).unwrap().body).unwrap();
        assert_eq!(Value::Array(cards.clone()), expected["cards"], "event {i}");
        let course: Vec<&Value> = cards.iter().filter(|c| !suitability.contains(c)).collect();
        assert_eq!(
            course.len() + suitability.len(),
            cards.len(),
            "event {i}: the suitability cards are all there"
        );
        let phase = e["type"].as_str().unwrap();
        if course.iter().any(|c| topic(c) == "X-SUICIDE") {
            // Critical, and the first card of all.
            assert_eq!(topic(&cards[0]), "X-SUICIDE", "event {i}");
            assert_eq!(cards[0]["indicator"], "critical");
            seen_alert.push(i);
        }
        if course.iter().any(|c| topic(c) == "M-DETERIORATION") {
            let c = course
                .iter()
                .find(|c| topic(c) == "M-DETERIORATION")
                .unwrap();
            assert_eq!(c["indicator"], "warning");
            seen_deterioration.push((i, phase.to_owned()));
        }
        if let Some(c) = course.iter().find(|c| topic(c) == "M-CADENCE") {
            assert_eq!(c["suggestions"].as_array().unwrap().len(), 1, "{c}");
            seen_due += 1;
        }
        if course
            .iter()
            .any(|c| topic(c) == "ST-TERMINATION" && c["indicator"] == "warning")
        {
            seen_ending.push(i);
        }
        last = course.into_iter().cloned().collect();
    }
    let at = |kind: &str, number: i64| {
        events
            .iter()
            .position(|e| e["type"] == kind && e["number"].as_i64() == Some(number))
            .unwrap()
    };
    let risk = events
        .iter()
        .position(|e| e["type"] == "risk_assessed")
        .unwrap();
    let review = events
        .iter()
        .position(|e| e["type"] == "measures_reviewed")
        .unwrap();
    eprintln!(
        "{} events; suicide-risk card after events {seen_alert:?}; deterioration after {:?}; \
         measures due at {seen_due} stages; the ending not yet raised after {seen_ending:?}; \
         at completion {:?}",
        events.len(),
        seen_deterioration.iter().map(|d| d.0).collect::<Vec<_>>(),
        last.iter().map(topic).collect::<Vec<_>>()
    );
    // The alert from session 2 on every opening until the risk assessment, and never after.
    assert_eq!(
        seen_alert,
        (at("session_held", 2)..risk).collect::<Vec<_>>()
    );
    // The deterioration from session 6 until the review, whatever came between (sessions,
    // measures better than the baseline), and never after.
    let deteriorated: Vec<usize> = seen_deterioration.iter().map(|d| d.0).collect();
    assert_eq!(
        deteriorated,
        (at("session_held", 6)..review).collect::<Vec<_>>()
    );
    assert!(seen_deterioration.iter().any(|d| d.1 == "session_held"));
    assert!(seen_due > 0, "measures due at some stage");
    // The ending, warned of before it was raised, not after.
    let raised = events
        .iter()
        .position(|e| e["type"] == "termination_raised")
        .unwrap();
    assert!(!seen_ending.is_empty(), "the ending not yet raised");
    assert!(seen_ending.iter().all(|i| *i < raised), "{seen_ending:?}");
    // Completed: the maintenance advice, and no agenda.
    assert_eq!(events.last().unwrap()["type"], "course_completed");
    let topics: Vec<&str> = last.iter().map(topic).collect();
    assert!(topics.contains(&"I-MAINTENANCE"), "{topics:?}");

    // The same state gives the same cards; feedback on the course's cards is stored like any.
    let again = clinic.patient_view(&server).await;
    assert_eq!(
        again
            .iter()
            .filter(|c| !suitability.contains(c))
            .cloned()
            .collect::<Vec<_>>(),
        last
    );
    let card = &last[0];
    let fb = json!({"feedback": [{"card": card["uuid"], "outcome": "overridden",
        "outcomeTimestamp": "2026-04-27T10:00:00Z"}]});
    let feedback = "/cds-services/ipt-suitability/feedback";
    let a = clinic.post(&server, feedback, &fb).await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.json(), json!({"stored": 1, "duplicates": 0}));
    let other = Caller::new(&issuer).tenant("elsewhere");
    let a = other.post(&server, feedback, &fb).await;
    assert_eq!(a.status, 400, "{}", a.body);
    assert_eq!(courses::outcome(&a).0, "unknown_card");
}
both_backends!(the_cards_follow_the_course, the_cards_follow);
