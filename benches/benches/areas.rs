//! Problem areas: ranking a typical interpersonal inventory (6 relationships, 4 life events),
//! typed and through the JSON call/answer path.
#![allow(missing_docs)] // criterion_group! generates undocumented items
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use ipt_core::areas::rank;
use ipt_core::inventory::Inventory;

/// The request of the `typical_inventory` conformance vector.
const TYPICAL_INVENTORY: &str = include_str!("../fixtures/typical_inventory.json");

fn bench(c: &mut Criterion) {
    let typed = Inventory::from_json(TYPICAL_INVENTORY).unwrap_or_default();
    assert_eq!(typed.relationships().len(), 6, "fixture: 6 relationships");
    assert_eq!(typed.life_events().len(), 4, "fixture: 4 life events");
    c.bench_function("areas/rank_typed", |b| b.iter(|| rank(black_box(&typed))));
    c.bench_function("areas/rank_json", |b| {
        b.iter(|| ipt_core::api::rank_problem_areas(black_box(TYPICAL_INVENTORY)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
