//! Suitability on a typical assessment: the typed decision (no allocation), the typed
//! explained answer (decision and words), the JSON call/answer path at both detail levels, and
//! the explained report written by serde_json against the answers' own writer.
#![allow(missing_docs)] // criterion_group! generates undocumented items
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use ipt_benches::TYPICAL_ASSESSMENT;
use ipt_core::explain::{Detail, ENGLISH};
use ipt_core::suitability::{assess_at, decide, Assessment};

fn bench(c: &mut Criterion) {
    let typed: Assessment = serde_json::from_str(TYPICAL_ASSESSMENT).unwrap_or_default();
    let mut decision_request: serde_json::Value =
        serde_json::from_str(TYPICAL_ASSESSMENT).unwrap_or_default();
    decision_request["detail"] = "decision".into();
    let decision_request = decision_request.to_string();
    c.bench_function("suitability/typed_decision", |b| {
        b.iter(|| decide(black_box(&typed)))
    });
    c.bench_function("suitability/typed_explained", |b| {
        b.iter(|| assess_at(black_box(&typed), Detail::Explained, &ENGLISH))
    });
    c.bench_function("suitability/json_decision", |b| {
        b.iter(|| ipt_core::api::assess_suitability(black_box(&decision_request)))
    });
    c.bench_function("suitability/json_explained", |b| {
        b.iter(|| ipt_core::api::assess_suitability(black_box(TYPICAL_ASSESSMENT)))
    });
    // The explained report written by serde_json and by the answers' writer, in one process.
    let report = assess_at(&typed, Detail::Explained, &ENGLISH);
    let mut out = Vec::with_capacity(16 * 1024);
    c.bench_function("suitability/write_explained_serde_json", |b| {
        b.iter(|| {
            out.clear();
            serde_json::to_writer(&mut out, black_box(&report)).ok()
        })
    });
    c.bench_function("suitability/write_explained_ipt_json", |b| {
        b.iter(|| {
            out.clear();
            ipt_core::json::to_writer(&mut out, black_box(&report)).ok()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
