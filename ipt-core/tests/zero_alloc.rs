//! The decision path allocates nothing: a typical assessment in, the verdict and every rule's
//! typed outcome out, with no heap allocation. Counted by dhat's allocator.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ipt_core::suitability::{decide, Assessment, Verdict};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// The typical assessment of the benchmarks (`benches/fixtures`).
const TYPICAL: &str = r#"{
  "age": 34, "care_setting": "outpatient", "format": "individual",
  "diagnoses": [{"category": "major_depression", "course": "recurrent", "phase": "acute",
                 "code": {"system": "icd10", "value": "F33.1"}}],
  "findings": {"active_psychosis": "absent", "personality_disorder": "absent",
               "motivation": "present", "insight": "present", "self_reflection": "present",
               "cognitive_impairment": {"severity": "none"}, "chronic_severe_illness": "absent",
               "on_medication": "present", "family_intervention_precluded": "absent",
               "interpersonal_precipitants": "present", "substance_misuse": "absent",
               "suicide_risk": "low"},
  "language_culture": {"interpreter_needed": "absent", "cultural_adaptation_needed": "absent"}
}"#;

#[test]
fn deciding_on_a_typical_assessment_allocates_nothing() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let typical: Assessment = serde_json::from_str(TYPICAL).unwrap();
    let mut sparse = Assessment::default();
    sparse.findings.active_psychosis = ipt_core::Finding::Unknown;
    let mut several = typical.clone();
    several.diagnoses.push(several.diagnoses[0].clone());
    several.diagnoses[1].category = ipt_core::suitability::DiagnosisCategory::Anxiety;

    for (name, a) in [
        ("typical", &typical),
        ("sparse", &sparse),
        ("two diagnoses", &several),
    ] {
        let before = dhat::HeapStats::get();
        let d = std::hint::black_box(decide(std::hint::black_box(a)));
        let after = dhat::HeapStats::get();
        assert_eq!(
            after.total_blocks - before.total_blocks,
            0,
            "{name}: deciding allocated {} blocks",
            after.total_blocks - before.total_blocks
        );
        assert!(
            d.outcomes.len() > 15,
            "{name}: {} outcomes",
            d.outcomes.len()
        );
    }
    // The allocator is really counting: rendering the explained answer allocates.
    let before = dhat::HeapStats::get();
    let report = ipt_core::suitability::assess(&typical);
    let after = dhat::HeapStats::get();
    assert!(after.total_blocks > before.total_blocks);
    assert_eq!(report.verdict, Verdict::Essential);
    assert_eq!(decide(&typical).verdict.verdict, Verdict::Essential);
}
