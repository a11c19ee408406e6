//! The course: applying one event (typed, and through `course_apply`, which checks the
//! snapshot by its digest, or by replaying it when asked; with the new snapshot in the answer,
//! or the outputs alone), reading and sealing a snapshot, and
//! replaying a complete 16-session standard course (typed and
//! through `course_replay`). The course is the `complete_standard_16` conformance vector.
#![allow(missing_docs)] // criterion_group! generates undocumented items
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use ipt_core::course::{self, Event, StartRequest};
use ipt_core::explain::Render;

const VECTOR: &str =
    include_str!("../../tests/vectors/course/V-STANDARD.complete_standard_16.json");

fn bench(c: &mut Criterion) {
    let v: serde_json::Value = serde_json::from_str(VECTOR).unwrap_or_default();
    let request = v.get("request").cloned().unwrap_or_default();
    let request_text = request.to_string();
    let start: StartRequest = serde_json::from_value(
        request.get("start").cloned().unwrap_or_default(),
    )
    .unwrap_or(StartRequest {
        variant: ipt_core::variant::Variant::Standard,
        overrides: None,
        course_id: None,
        measurement: None,
    });
    let events: Vec<Event> =
        serde_json::from_value(request.get("events").cloned().unwrap_or_default())
            .unwrap_or_default();
    assert_eq!(events.len(), 24, "fixture: 24 events (16 sessions)");
    let (full, _, _) = course::replay(start.clone(), &events, "$", Render::EXPLAINED)
        .unwrap_or_else(|_| unreachable!());
    assert_eq!(full.state.sessions_held, 16);

    // One event: session 8 (middle phase, with a PHQ-9) on the state after session 7.
    let at = events
        .iter()
        .position(|e| matches!(e, Event::SessionHeld { number: 8, .. }))
        .unwrap_or(0);
    let (before, _, _) = course::replay(
        start.clone(),
        events.get(..at).unwrap_or_default(),
        "$",
        Render::EXPLAINED,
    )
    .unwrap_or_else(|_| unreachable!());
    let event = events.get(at).cloned().unwrap_or_else(|| unreachable!());
    c.bench_function("course/apply_one_event_typed", |b| {
        b.iter(|| course::apply(black_box(&before.state), black_box(&event)))
    });
    // As a caller sends it back: the snapshot text the engine returned, sealed with its digest.
    let sealed = before.clone().sealed();
    let snapshot_text = serde_json::to_string(&sealed).unwrap_or_default();
    let event_text = serde_json::to_string(&event).unwrap_or_default();
    let apply_request = format!(r#"{{"snapshot":{snapshot_text},"event":{event_text}}}"#);
    c.bench_function("course/apply_one_event_json", |b| {
        b.iter(|| ipt_core::api::course_apply(black_box(&apply_request)))
    });
    // The outputs alone: the snapshot is read and checked, but not written or sealed.
    let outputs_request =
        format!(r#"{{"snapshot":{snapshot_text},"event":{event_text},"include_snapshot":false}}"#);
    c.bench_function("course/apply_one_event_json_outputs_only", |b| {
        b.iter(|| ipt_core::api::course_apply(black_box(&outputs_request)))
    });
    // The same snapshot after a store that sorts keys (as a JSON value with sorted maps, or
    // PostgreSQL jsonb, gives it back): each event's `type` no longer comes first.
    let sorted_request = serde_json::json!({"snapshot": sealed, "event": event}).to_string();
    c.bench_function("course/apply_one_event_json_sorted_keys", |b| {
        b.iter(|| ipt_core::api::course_apply(black_box(&sorted_request)))
    });
    let replay_request =
        format!(r#"{{"snapshot":{snapshot_text},"event":{event_text},"verify":"replay"}}"#);
    c.bench_function("course/apply_one_event_json_verify_replay", |b| {
        b.iter(|| ipt_core::api::course_apply(black_box(&replay_request)))
    });
    c.bench_function("course/read_snapshot_digest", |b| {
        b.iter(|| course::Snapshot::from_json(black_box(&snapshot_text), "$"))
    });
    c.bench_function("course/seal_snapshot", |b| {
        b.iter(|| black_box(&sealed).computed_digest())
    });
    c.bench_function("course/replay_standard_16_typed", |b| {
        b.iter(|| {
            course::replay(
                black_box(start.clone()),
                black_box(&events),
                "$",
                Render::EXPLAINED,
            )
        })
    });
    c.bench_function("course/replay_standard_16_json", |b| {
        b.iter(|| ipt_core::api::course_replay(black_box(&request_text)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
