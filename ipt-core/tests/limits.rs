//! The documented limits ([`ipt_core::limits`]), each tested exactly at the limit and one
//! over, through the JSON API every binding wraps; and the defects of unbounded work they
//! close (issue "Reliability"). Each test is named after what it shows.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use ipt_core::api;
use ipt_core::limits::{self, LIMITS};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn answer(op: &str, request: &str) -> Value {
    serde_json::from_str(&api::call(op, request)).unwrap()
}

fn error(a: &Value) -> (&str, &str) {
    assert_eq!(a["ok"], false, "expected an error answer: {a}");
    (
        a["error"]["code"].as_str().unwrap(),
        a["error"]["path"].as_str().unwrap_or(""),
    )
}

const ASSESSMENT: &str = r#"{"age": 35, "care_setting": "outpatient",
  "diagnoses": [{"category": "major_depression", "course": "recurrent", "phase": "acute"}],
  "findings": {"active_psychosis": "absent", "personality_disorder": "absent", "motivation": "present",
    "insight": "present", "self_reflection": "present", "cognitive_impairment": {"severity": "none"},
    "chronic_severe_illness": "absent", "substance_misuse": "absent", "suicide_risk": "low"},
  "format": "individual"}"#;

fn assessed() -> Vec<Value> {
    vec![
        json!({"type": "assessment_recorded", "assessment": serde_json::from_str::<Value>(ASSESSMENT).unwrap()}),
        json!({"type": "course_started", "date": "2026-01-05"}),
    ]
}

fn replay(variant: &str, events: &[Value]) -> Value {
    answer(
        "course_replay",
        &json!({"start": {"variant": variant}, "events": events}).to_string(),
    )
}

#[test]
fn the_version_answer_lists_every_limit() {
    let a = answer("version", "{}");
    let listed: limits::Limits = serde_json::from_value(a["result"]["limits"].clone()).unwrap();
    assert_eq!(listed, LIMITS);
}

#[test]
fn a_request_over_the_byte_limit_is_refused_before_it_is_read() {
    // Exactly at the limit the request is read (and here found not to be JSON).
    let at = format!("{{{}", " ".repeat(limits::MAX_REQUEST_BYTES - 1));
    assert_eq!(error(&answer("assess_suitability", &at)).0, "invalid_json");
    let over = " ".repeat(limits::MAX_REQUEST_BYTES + 1);
    let started = Instant::now();
    for op in api::Operation::ALL {
        let a = answer(op.as_str(), &over);
        assert_eq!(error(&a).0, "input_too_large", "{op:?}");
    }
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_huge_unknown_key_gives_a_small_error_answer() {
    let key = "z".repeat(limits::MAX_REQUEST_BYTES - 16);
    let text = api::call("assess_suitability", &format!("{{\"{key}\":1}}"));
    assert!(text.len() < 2_000, "{} bytes", text.len());
    let a: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(error(&a).0, "invalid_input");
}

#[test]
fn diagnoses_at_the_limit_pass_and_one_more_is_refused_with_the_path() {
    let with = |n: usize| {
        let d: Vec<Value> = (0..n).map(|_| json!({"category": "anxiety"})).collect();
        answer("assess_suitability", &json!({"diagnoses": d}).to_string())
    };
    assert_eq!(with(limits::MAX_DIAGNOSES)["ok"], true);
    let a = with(limits::MAX_DIAGNOSES + 1);
    assert_eq!(error(&a), ("limit_exceeded", "$.diagnoses"));
    assert!(a["error"]["message"]
        .as_str()
        .unwrap()
        .contains("max_diagnoses"));
}

#[test]
fn a_diagnosis_code_over_the_id_limit_is_refused_with_the_path() {
    let code = |n: usize| {
        json!({"diagnoses": [{"category": "major_depression", "code": {"system": "icd10", "value": "F".repeat(n)}}]})
            .to_string()
    };
    assert_eq!(
        answer("assess_suitability", &code(limits::MAX_ID_CHARS))["ok"],
        true
    );
    assert_eq!(
        error(&answer(
            "assess_suitability",
            &code(limits::MAX_ID_CHARS + 1)
        )),
        ("limit_exceeded", "$.diagnoses[0].code.value")
    );
}

#[test]
fn inventory_lists_at_the_limit_pass_and_one_more_is_refused_with_the_path() {
    let rels = |n: usize| {
        let r: Vec<Value> = (0..n)
            .map(|i| json!({"id": format!("r{i}"), "role": "partner"}))
            .collect();
        answer(
            "rank_problem_areas",
            &json!({"relationships": r}).to_string(),
        )
    };
    assert_eq!(rels(limits::MAX_RELATIONSHIPS)["ok"], true);
    assert_eq!(
        error(&rels(limits::MAX_RELATIONSHIPS + 1)),
        ("limit_exceeded", "$.relationships")
    );
}

#[test]
fn events_at_the_limit_replay_and_one_more_is_refused_before_any_is_applied() {
    // `risk_assessed` is accepted any number of times in intake.
    let risk = json!({"type": "risk_assessed", "level": "low"});
    let at = vec![risk.clone(); limits::MAX_EVENTS];
    assert_eq!(replay("standard", &at)["ok"], true);
    let over = vec![risk; limits::MAX_EVENTS + 1];
    let started = Instant::now();
    assert_eq!(
        error(&replay("standard", &over)),
        ("limit_exceeded", "$.events")
    );
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn a_full_course_refuses_the_next_event_through_apply_and_the_handle() {
    let risk = json!({"type": "risk_assessed", "level": "low"});
    let full = replay("standard", &vec![risk.clone(); limits::MAX_EVENTS]);
    let snapshot = full["result"]["snapshot"].clone();
    let a = answer(
        "course_apply",
        &json!({"snapshot": snapshot, "event": risk}).to_string(),
    );
    assert_eq!(error(&a), ("limit_exceeded", "$.event"));
    let mut course = api::Course::from_snapshot(&snapshot.to_string()).unwrap();
    let a: Value = serde_json::from_str(&course.apply(&risk.to_string()).json).unwrap();
    assert_eq!(error(&a), ("limit_exceeded", "$.event"));
    // A snapshot holding more events than a course may is refused with the path.
    let mut long = snapshot.clone();
    long["events"].as_array_mut().unwrap().push(risk);
    let a = answer("course_status", &json!({ "snapshot": long }).to_string());
    assert_eq!(error(&a), ("limit_exceeded", "$.snapshot.events"));
}

fn session(number: usize, measures: usize) -> Value {
    let m: Vec<Value> = (0..measures)
        .map(|_| json!({"instrument": "phq9", "total": 12, "item9": 0}))
        .collect();
    json!({"type": "maintenance_session_held", "number": number, "date": "2026-02-01", "measures": m})
}

#[test]
fn measures_per_session_at_the_limit_pass_and_one_more_is_refused_with_the_path() {
    let mut events = assessed();
    events.push(session(1, limits::MAX_MEASURES_PER_SESSION));
    assert_eq!(replay("maintenance", &events)["ok"], true);
    events.push(session(2, limits::MAX_MEASURES_PER_SESSION + 1));
    assert_eq!(
        error(&replay("maintenance", &events)),
        ("limit_exceeded", "$.events[3].measures")
    );
}

/// Sessions of `MAX_MEASURES_PER_SESSION` measures, PHQ-9 first and HAM-D after: the shape
/// that made each baseline search scan every earlier measure.
fn measured_course(total: usize) -> Vec<Value> {
    let per = limits::MAX_MEASURES_PER_SESSION;
    let mut events = assessed();
    let mut left = total;
    let mut n = 0;
    while left > 0 {
        n += 1;
        let k = left.min(per);
        let instrument = if n * per <= total / 2 {
            "phq9"
        } else {
            "hamd17"
        };
        let m: Vec<Value> = (0..k)
            .map(|_| json!({"instrument": instrument, "total": 12}))
            .collect();
        events.push(json!({"type": "maintenance_session_held", "number": n, "date": "2026-02-01", "measures": m}));
        left -= k;
    }
    events
}

#[test]
fn measures_per_course_at_the_limit_pass_and_one_more_is_refused_with_the_path() {
    let at = measured_course(limits::MAX_MEASURES_PER_COURSE);
    let started = Instant::now();
    assert_eq!(replay("maintenance", &at)["ok"], true);
    // The worst case at the limit stays quick (it took seconds per thousand measures when
    // the work was unbounded).
    assert!(started.elapsed() < Duration::from_secs(10));
    let over = measured_course(limits::MAX_MEASURES_PER_COURSE + 1);
    let a = replay("maintenance", &over);
    let (code, path) = error(&a);
    assert_eq!(code, "limit_exceeded");
    assert_eq!(path, format!("$.events[{}].measures", over.len() - 1));
}

#[test]
fn free_text_over_the_limit_is_refused_with_the_path() {
    let start = |n: usize| {
        let mut events = assessed();
        events[0]["assessment"]["findings"]["active_psychosis"] = json!("present");
        events[1]["override"] = json!({"clinician": "Dr R", "justification": "j".repeat(n)});
        replay("standard", &events)
    };
    assert_eq!(start(limits::MAX_TEXT_CHARS)["ok"], true);
    assert_eq!(
        error(&start(limits::MAX_TEXT_CHARS + 1)),
        ("limit_exceeded", "$.events[1].override.justification")
    );
}

#[test]
fn risk_assessed_after_completion_is_refused_unless_a_suicide_risk_alert_is_open() {
    let mut events = assessed();
    events.push(json!({"type": "course_completed"}));
    events.push(json!({"type": "risk_assessed", "level": "low"}));
    let a = replay("maintenance", &events);
    assert_eq!(error(&a).0, "transition_refused");
    let mut events = assessed();
    events[0]["assessment"]["findings"]["suicide_risk"] = json!("high");
    events.push(json!({"type": "course_completed"}));
    events.push(json!({"type": "risk_assessed", "level": "low"}));
    let a = replay("maintenance", &events);
    assert_eq!(a["ok"], true, "{a}");
    assert!(a["result"]["outputs"]["alerts"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn a_safety_plan_dated_before_the_last_recorded_date_is_refused() {
    let mut events = assessed();
    events.push(json!({"type": "safety_plan_recorded", "date": "2026-01-04"}));
    let a = replay("standard", &events);
    assert_eq!(error(&a).0, "transition_refused");
    assert_eq!(
        a["error"]["unmet"][0]["requirement"],
        "date_not_before_last"
    );
    events[2]["date"] = json!("2026-01-05");
    assert_eq!(replay("standard", &events)["ok"], true);
}
