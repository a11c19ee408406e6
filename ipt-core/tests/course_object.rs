//! The in-memory `api::Course` object that the C and wasm bindings wrap: its answers are the
//! envelopes of `course_start`, `course_handle_apply` (outputs and event count, the snapshot
//! kept in the handle; its own row and schema) and `course_status`, and a refused event leaves it unchanged (invariant 6).

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use ipt_core::api::{self, Course};
use serde_json::{json, Value};

fn parse(s: &str) -> Value {
    serde_json::from_str(s).unwrap()
}

const ASSESSMENT: &str = r#"{"age": 35, "care_setting": "outpatient",
  "diagnoses": [{"category": "major_depression", "course": "first_episode", "phase": "acute"}],
  "findings": {"active_psychosis": "absent", "personality_disorder": "absent", "motivation": "present",
    "insight": "present", "self_reflection": "present", "cognitive_impairment": {"severity": "none"},
    "chronic_severe_illness": "absent", "substance_misuse": "absent", "suicide_risk": "high"},
  "format": "individual"}"#;

#[test]
fn start_apply_status_snapshot_match_the_operations() {
    let (mut course, answer) = Course::start(r#"{"variant":"brief","course_id":"x"}"#).unwrap();
    let answer = answer.json;
    assert_eq!(
        answer,
        api::course_start(r#"{"variant":"brief","course_id":"x"}"#)
    );
    let assessment: Value = parse(ASSESSMENT);
    let event = json!({"type": "assessment_recorded", "assessment": assessment}).to_string();
    let snapshot_before = course.snapshot();
    let a = course.apply(&event).json;
    let via_op = api::course_apply(
        &json!({"snapshot": parse(&snapshot_before), "event": parse(&event)}).to_string(),
    );
    // The handle answers its own operation, `course_handle_apply`: the outputs, and the event
    // count in place of the snapshot it keeps; its schema is its own row's.
    let (a, via_op) = (parse(&a), parse(&via_op));
    assert_eq!(a["operation"], "course_handle_apply");
    assert_eq!(via_op["operation"], "course_apply");
    let schemas = ipt_core::api::schema::all();
    let handle = jsonschema::validator_for(&schemas["course_handle_apply.answer"]).unwrap();
    assert!(handle.is_valid(&a), "{a}");
    let op = jsonschema::validator_for(&schemas["course_apply.answer"]).unwrap();
    assert!(
        !op.is_valid(&a),
        "the operation's schema does not describe the handle's answer"
    );
    let refused = parse(&course.apply(r#"{"type":"course_started"}"#).json);
    assert_eq!(refused["operation"], "course_handle_apply");
    assert!(handle.is_valid(&refused), "{refused}");
    assert_eq!(a["result"]["outputs"], via_op["result"]["outputs"]);
    assert_eq!(a["result"]["events"], 1);
    assert!(a["result"].get("snapshot").is_none());
    assert_eq!(
        parse(&course.snapshot()),
        via_op["result"]["snapshot"],
        "the handle holds what the operation returned"
    );
    assert_eq!(a["ok"], true);
    // X-SUICIDE (X-SUICIDE: high risk at assessment) is on the output and the status.
    assert_eq!(a["result"]["outputs"]["alerts"][0]["rule_id"], "X-SUICIDE");
    let status = parse(&course.status().json);
    assert_eq!(status["operation"], "course_status");
    assert_eq!(status["result"]["alerts"][0]["rule_id"], "X-SUICIDE");
    assert_eq!(
        course.status().json,
        api::course_status(&json!({"snapshot": parse(&course.snapshot())}).to_string())
    );
}

#[test]
fn a_refused_or_invalid_event_leaves_the_course_unchanged() {
    let (mut course, _) = Course::start(r#"{"variant":"standard"}"#).unwrap();
    let before = course.snapshot();
    // ST-INITIAL: no assessment yet.
    let a = parse(
        &course
            .apply(r#"{"type":"course_started","date":"2026-01-05"}"#)
            .json,
    );
    assert_eq!(a["error"]["code"], "transition_refused");
    assert_eq!(a["error"]["unmet"][0]["requirement"], "assessment_recorded");
    assert_eq!(course.snapshot(), before);
    let a = parse(
        &course
            .apply(r#"{"type":"course_started","date":"2026-13-05"}"#)
            .json,
    );
    assert_eq!(a["error"]["code"], "invalid_input");
    assert_eq!(a["error"]["path"], "$.event.date");
    assert_eq!(course.snapshot(), before);
    let a = parse(&course.apply("not json").json);
    assert_eq!(a["error"]["code"], "invalid_json");
    assert_eq!(course.snapshot(), before);
}

#[test]
fn from_snapshot_round_trips_and_rejects_bad_snapshots() {
    let (course, _) = Course::start(r#"{"variant":"group"}"#).unwrap();
    let again = Course::from_snapshot(&course.snapshot()).unwrap();
    assert_eq!(again, course);
    let mut v = parse(&course.snapshot());
    v["format_version"] = json!(7);
    let e = parse(&Course::from_snapshot(&v.to_string()).unwrap_err().json);
    assert_eq!(e["error"]["code"], "unsupported_snapshot_version");
    let mut v = parse(&course.snapshot());
    v["state"]["phase"] = json!("middle");
    let e = parse(&Course::from_snapshot(&v.to_string()).unwrap_err().json);
    assert_eq!(e["error"]["code"], "invalid_snapshot");
    assert_eq!(e["error"]["path"], "$.state");
    let e = parse(&Course::from_snapshot("[]").unwrap_err().json);
    assert_eq!(e["error"]["code"], "invalid_snapshot");
    let refused = Course::start(r#"{"variant":"brief","overrides":{"total_sessions":9}}"#)
        .unwrap_err()
        .json;
    assert_eq!(
        refused,
        api::course_start(r#"{"variant":"brief","overrides":{"total_sessions":9}}"#)
    );
    assert_eq!(
        parse(&refused)["error"]["path"],
        "$.overrides.total_sessions"
    );
}
