//! Suitability: the typed evaluation and the JSON call/answer path on a typical assessment.
#![allow(missing_docs)] // criterion_group! generates undocumented items
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use ipt_benches::TYPICAL_ASSESSMENT;
use ipt_core::suitability::{assess, Assessment};

fn bench(c: &mut Criterion) {
    let typed: Assessment = serde_json::from_str(TYPICAL_ASSESSMENT).unwrap_or_default();
    c.bench_function("suitability/typed", |b| {
        b.iter(|| assess(black_box(&typed)))
    });
    c.bench_function("suitability/json", |b| {
        b.iter(|| ipt_core::api::assess_suitability(black_box(TYPICAL_ASSESSMENT)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
