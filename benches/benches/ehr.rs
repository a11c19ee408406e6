//! The EHR readers on the worst record shapes at the Bundle's entry limit
//! (`ipt_benches::records`): a panel of 8,000 members, 9,990 lone items and totals newest
//! first, a panel of 9,990 members the record does not hold, 4,995 QuestionnaireResponses with
//! the totals derived from them. Each through `fhir_assess` as the bindings call it.
#![allow(missing_docs)] // criterion_group! generates undocumented items
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("ehr");
    group.sample_size(10);
    for (name, request) in ipt_benches::records::worst_shapes() {
        let answer = ipt_core::api::call("fhir_assess", &request);
        assert!(
            answer.contains("\"ok\":true"),
            "{name}: {}",
            &answer[..answer.len().min(300)]
        );
        group.bench_function(name, |b| {
            b.iter(|| ipt_core::api::call("fhir_assess", black_box(&request)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
