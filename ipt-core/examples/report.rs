//! Prints an explained suitability report for a built-in patient, as a clinician would read it.
//!
//! Run: `cargo run -q -p ipt-core --example report`

use ipt_core::explain::{Explanation, Indicator, RuleStatus};
use ipt_core::suitability::{assess, Assessment};

/// A built-in patient: 34, recurrent major depression in an acute episode after a divorce,
/// motivated, insight present, self-reflection not yet assessed, PHQ-9 item 9 positive so
/// suicide risk was assessed as high.
const PATIENT: &str = r#"{
  "age": 34,
  "care_setting": "outpatient",
  "diagnoses": [
    {"category": "major_depression", "code": {"system": "icd10", "value": "F33.1"},
     "course": "recurrent", "phase": "acute"}
  ],
  "findings": {
    "active_psychosis": "absent",
    "personality_disorder": "absent",
    "motivation": "present",
    "insight": "present",
    "cognitive_impairment": {"severity": "none"},
    "chronic_severe_illness": "absent",
    "on_medication": "present",
    "interpersonal_precipitants": "present",
    "substance_misuse": "absent",
    "suicide_risk": "high"
  },
  "format": "individual",
  "language_culture": {"interpreter_needed": "absent", "cultural_adaptation_needed": "present",
                       "preferred_language": "es"}
}"#;

fn mark(e: &Explanation) -> &'static str {
    match (e.indicator, e.status) {
        (Indicator::Critical, _) => "!!",
        (_, RuleStatus::Met) => "+ ",
        (_, RuleStatus::Unknown) => "? ",
        (_, RuleStatus::NotApplicable) => "  ",
        (Indicator::Warning, _) => "! ",
        _ => "- ",
    }
}

fn print_item(e: &Explanation) {
    println!("  {} [{}] {}", mark(e), e.rule_id, e.summary);
    println!("       {}", e.rationale);
    println!("       sources: {}", e.sources.join("; "));
    let used: Vec<String> = e
        .inputs_used
        .iter()
        .map(|i| format!("{} = {}", i.path, i.value))
        .collect();
    if !used.is_empty() {
        println!("       inputs used: {}", used.join(", "));
    }
    if !e.inputs_missing.is_empty() {
        println!("       still missing: {}", e.inputs_missing.join(", "));
    }
}

fn section(title: &str, items: &[Explanation]) {
    if items.is_empty() {
        return;
    }
    println!("\n{title}");
    items.iter().for_each(print_item);
}

fn main() {
    let assessment: Assessment = match ipt_core::error::parse(PATIENT) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("the built-in patient is invalid: {e}");
            std::process::exit(1);
        }
    };
    let r = assess(&assessment);
    println!(
        "IPT suitability report (engine {}, protocol {})",
        ipt_core::api::ENGINE_VERSION,
        ipt_core::api::PROTOCOL_VERSION
    );
    println!("Patient: 34, outpatient, recurrent major depression (F33.1), acute episode.");
    section(
        "SAFETY ALERTS (take precedence over everything else)",
        &r.safety_alerts,
    );
    let decided: Vec<&str> = r.verdict.decided_by.iter().map(|id| id.as_str()).collect();
    println!(
        "\nVERDICT: {}  (decided by: {})\n  {}",
        r.verdict.verdict.as_str().to_uppercase(),
        if decided.is_empty() {
            "no rule".into()
        } else {
            decided.join(", ")
        },
        r.verdict.rationale
    );
    section("Contraindications", &r.contraindications);
    section("Indications", &r.indications);
    section("Assessments required before selection", &r.assessments);
    section("Cautions", &r.cautions);
    if let Some(v) = &r.recommended_variant {
        section(
            "Course variant offered",
            std::slice::from_ref(&v.explanation),
        );
    }
    section("Techniques recommended", &r.recommended_techniques);
    if r.inputs_missing.is_empty() {
        println!("\nNo inputs missing.");
    } else {
        println!(
            "\nInputs still missing (ask for these): {}",
            r.inputs_missing.join(", ")
        );
    }
    println!("\nThis is decision support: options with their reasons. The clinician decides.");
}
