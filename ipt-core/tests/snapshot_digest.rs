//! Snapshot digests: a snapshot the engine wrote comes back trusted without replaying its
//! events; any other (no digest, a different one, another engine or protocol version, or
//! `verify: "replay"`) is replayed. Within one version a state that does not follow from its
//! events is refused; a snapshot of another version gets this engine's state of its events.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use ipt_core::api;
use ipt_core::course::{Snapshot, Verify};
use serde_json::{json, Value};

fn parse(s: &str) -> Value {
    serde_json::from_str(s).unwrap()
}

/// A brief course after its start and one event, as `course_apply` returned it.
fn written() -> Value {
    let start = parse(&api::course_start(r#"{"variant":"brief"}"#));
    let apply = json!({
        "snapshot": start["result"]["snapshot"],
        "event": {"type": "assessment_recorded", "assessment": {
            "age": 35, "diagnoses": [{"category": "major_depression", "course": "first_episode",
            "phase": "acute"}], "findings": {"active_psychosis": "absent"}}}
    });
    let answer = parse(&api::course_apply(&apply.to_string()));
    assert_eq!(answer["ok"], true, "{answer}");
    answer["result"]["snapshot"].clone()
}

fn status(snapshot: &Value, verify: Option<&str>) -> Value {
    let mut request = json!({ "snapshot": snapshot, "detail": "decision" });
    if let Some(v) = verify {
        request["verify"] = json!(v);
    }
    parse(&api::course_status(&request.to_string()))
}

/// The digest of a snapshot's content, as the engine would write it.
fn resealed(snapshot: &Value) -> Value {
    let mut typed: Snapshot = serde_json::from_value(snapshot.clone()).unwrap();
    typed.seal();
    serde_json::to_value(typed).unwrap()
}

#[test]
fn every_snapshot_the_engine_returns_carries_the_digest_of_its_content() {
    let snap = written();
    assert_eq!(snap["format_version"], 2);
    let digest = snap["digest"].as_str().unwrap();
    assert!(digest.starts_with("xxh3-128:"), "{digest}");
    assert_eq!(digest.len(), "xxh3-128:".len() + 32);
    assert_eq!(resealed(&snap), snap);
    // Any change to the content changes the digest.
    let mut other = snap.clone();
    other["start"]["course_id"] = json!("a");
    assert_ne!(resealed(&other)["digest"], snap["digest"]);
}

#[test]
fn a_matching_digest_is_trusted_and_replay_is_there_when_asked() {
    let snap = written();
    assert_eq!(status(&snap, None)["ok"], true);
    assert_eq!(status(&snap, Some("replay"))["ok"], true);
    // A state edited outside the engine, with the digest recomputed to match: the digest
    // is not a signature, so it is trusted by default and refused when a replay is asked.
    let mut edited = snap.clone();
    edited["state"]["assessment"]["age"] = json!(36);
    let edited = resealed(&edited);
    assert_eq!(status(&edited, None)["ok"], true);
    let refused = status(&edited, Some("replay"));
    assert_eq!(refused["error"]["code"], "invalid_snapshot");
    assert_eq!(refused["error"]["path"], "$.snapshot.state");
    // A typed read gives the same snapshot either way for a snapshot the engine wrote.
    let text = snap.to_string();
    assert_eq!(
        Snapshot::read(&text, "$", Verify::Digest).unwrap(),
        Snapshot::read(&text, "$", Verify::Replay).unwrap()
    );
}

#[test]
fn without_a_matching_digest_the_events_are_replayed() {
    let snap = written();
    let mut edited = snap.clone();
    edited["state"]["assessment"]["age"] = json!(36);
    // The stale digest does not match: replayed, and the edit is found.
    let refused = status(&edited, None);
    assert_eq!(refused["error"]["code"], "invalid_snapshot");
    assert_eq!(refused["error"]["path"], "$.snapshot.state");
    // No digest at all (as format version 1 wrote them): replayed, and accepted when sound.
    let mut old = snap.clone();
    old.as_object_mut().unwrap().remove("digest");
    old["format_version"] = json!(1);
    assert_eq!(status(&old, None)["ok"], true);
    old["state"]["assessment"]["age"] = json!(36);
    assert_eq!(status(&old, None)["error"]["path"], "$.snapshot.state");
    // Written by another engine or protocol version, digest recomputed: replayed by this
    // engine, whose state replaces the stored one (a later version may record more in its
    // state, so it is not compared): the edit is never used.
    for (field, value) in [("engine_version", "0.0.1"), ("protocol_version", "1.0.0")] {
        let mut other = snap.clone();
        other[field] = json!(value);
        other["state"]["assessment"]["age"] = json!(36);
        let other = resealed(&other);
        assert_eq!(status(&other, None)["ok"], true, "{field}");
        let read = Snapshot::read(&other.to_string(), "$.snapshot", Verify::Digest).unwrap();
        let read = serde_json::to_value(read).unwrap();
        assert_eq!(read["state"], snap["state"], "{field}");
        assert_eq!(read[field], snap[field], "{field}: named as this engine's");
    }
}
