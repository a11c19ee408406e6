//! The course: applying one event (typed, and through `course_apply` which also validates the
//! snapshot by replaying it), and replaying a complete 16-session standard course (typed and
//! through `course_replay`). The course is the `complete_standard_16` conformance vector.
#![allow(missing_docs)] // criterion_group! generates undocumented items
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use ipt_core::course::{self, Event, StartRequest};

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
    });
    let events: Vec<Event> =
        serde_json::from_value(request.get("events").cloned().unwrap_or_default())
            .unwrap_or_default();
    assert_eq!(events.len(), 23, "fixture: 23 events (16 sessions)");
    let (full, _, _) =
        course::replay(start.clone(), &events, "$").unwrap_or_else(|_| unreachable!());
    assert_eq!(full.state.sessions_held, 16);

    // One event: session 8 (middle phase, with a PHQ-9) on the state after session 7.
    let at = events
        .iter()
        .position(|e| matches!(e, Event::SessionHeld { number: 8, .. }))
        .unwrap_or(0);
    let (before, _, _) = course::replay(start.clone(), events.get(..at).unwrap_or_default(), "$")
        .unwrap_or_else(|_| unreachable!());
    let event = events.get(at).cloned().unwrap_or_else(|| unreachable!());
    c.bench_function("course/apply_one_event_typed", |b| {
        b.iter(|| course::apply(black_box(&before.state), black_box(&event)))
    });
    let apply_request = serde_json::json!({"snapshot": before, "event": event}).to_string();
    c.bench_function("course/apply_one_event_json", |b| {
        b.iter(|| ipt_core::api::course_apply(black_box(&apply_request)))
    });
    c.bench_function("course/replay_standard_16_typed", |b| {
        b.iter(|| course::replay(black_box(start.clone()), black_box(&events), "$"))
    });
    c.bench_function("course/replay_standard_16_json", |b| {
        b.iter(|| ipt_core::api::course_replay(black_box(&request_text)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
