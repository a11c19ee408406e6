//! Property tests for the invariants of the protocol document ("Invariants the tests hold")
//! that concern suitability and the API: invariant 1 (a contraindication wins), invariant 2
//! (unknown is never treated as absent) and invariant 9 (every output names the versions and
//! explains every item), plus totality of the JSON API on arbitrary input.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use ipt_core::api::{self, Operation};
use ipt_core::rules;
use ipt_core::suitability::{assess, Assessment, Verdict};
use proptest::prelude::*;
use serde_json::{json, Value};

fn finding() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("present"), Just("absent"), Just("unknown")]
}

fn opt(values: &'static [&'static str]) -> impl Strategy<Value = Option<&'static str>> {
    prop_oneof![1 => Just(None), 3 => proptest::sample::select(values).prop_map(Some)]
}

const CATEGORIES: &[&str] = &[
    "major_depression",
    "dysthymia",
    "bipolar",
    "anxiety",
    "bulimia_nervosa",
    "chronic_fatigue",
    "personality_disorder",
    "psychotic_disorder",
    "substance_use",
    "other",
];
const COURSES: &[&str] = &["first_episode", "recurrent", "chronic"];
const PHASES: &[&str] = &["acute", "remitted"];
const SETTINGS: &[&str] = &["outpatient", "inpatient", "post_inpatient"];
const SEVERITIES: &[&str] = &["none", "mild", "moderate", "severe"];
const CAUSES: &[&str] = &["substance_abuse", "general_medical_condition", "other"];
const RISKS: &[&str] = &["none", "low", "moderate", "high", "imminent"];
const FINDINGS: &[&str] = &[
    "active_psychosis",
    "personality_disorder",
    "motivation",
    "insight",
    "self_reflection",
    "chronic_severe_illness",
    "stable_on_medication_and_support",
    "on_medication",
    "family_intervention_precluded",
    "interpersonal_precipitants",
    "substance_misuse",
];

fn insert_opt(obj: &mut serde_json::Map<String, Value>, key: &str, v: Option<&str>) {
    if let Some(v) = v {
        obj.insert(key.to_owned(), json!(v));
    }
}

/// An assessment as JSON: every field three-valued or optional, 0-3 diagnoses.
fn assessment_json() -> impl Strategy<Value = Value> {
    let diagnosis = (
        proptest::sample::select(CATEGORIES),
        opt(COURSES),
        opt(PHASES),
    )
        .prop_map(|(c, course, phase)| {
            let mut d = serde_json::Map::new();
            d.insert("category".into(), json!(c));
            insert_opt(&mut d, "course", course);
            insert_opt(&mut d, "phase", phase);
            Value::Object(d)
        });
    (
        proptest::collection::vec(finding(), FINDINGS.len()),
        proptest::collection::vec(diagnosis, 0..3),
        (opt(SEVERITIES), opt(CAUSES), opt(RISKS), opt(SETTINGS)),
        (
            proptest::option::of(0u32..=120),
            finding(),
            finding(),
            opt(&["individual", "group"]),
        ),
    )
        .prop_map(
            |(fs, diagnoses, (sev, cause, risk, setting), (age, interp, culture, format))| {
                let mut f = serde_json::Map::new();
                for (k, v) in FINDINGS.iter().zip(fs) {
                    f.insert((*k).to_owned(), json!(v));
                }
                let mut cog = serde_json::Map::new();
                insert_opt(&mut cog, "severity", sev);
                insert_opt(&mut cog, "cause", cause);
                f.insert("cognitive_impairment".into(), Value::Object(cog));
                insert_opt(&mut f, "suicide_risk", risk);
                let mut a = serde_json::Map::new();
                if let Some(age) = age {
                    a.insert("age".into(), json!(age));
                }
                insert_opt(&mut a, "care_setting", setting);
                insert_opt(&mut a, "format", format);
                a.insert("diagnoses".into(), Value::Array(diagnoses));
                a.insert("findings".into(), Value::Object(f));
                a.insert(
                    "language_culture".into(),
                    json!({"interpreter_needed": interp, "cultural_adaptation_needed": culture}),
                );
                Value::Object(a)
            },
        )
}

fn typed(v: &Value) -> Assessment {
    serde_json::from_value(v.clone()).unwrap()
}

/// One unknown input and the known values it could resolve to.
struct Hole {
    pointer: String,
    key: String,
    values: &'static [&'static str],
}

/// Every unknown input of an assessment: findings that are `unknown`, and optional fields that
/// are omitted.
fn holes(v: &Value) -> Vec<Hole> {
    let mut out = Vec::new();
    let mut field = |pointer: &str, key: &str, values: &'static [&'static str]| {
        out.push(Hole {
            pointer: pointer.to_owned(),
            key: key.to_owned(),
            values,
        });
    };
    for k in FINDINGS {
        if v["findings"][k] == "unknown" {
            field("/findings", k, &["present", "absent"]);
        }
    }
    for (k, values) in [("severity", SEVERITIES), ("cause", CAUSES)] {
        if v["findings"]["cognitive_impairment"].get(k).is_none() {
            field("/findings/cognitive_impairment", k, values);
        }
    }
    if v["findings"].get("suicide_risk").is_none() {
        field("/findings", "suicide_risk", RISKS);
    }
    for k in ["interpreter_needed", "cultural_adaptation_needed"] {
        if v["language_culture"][k] == "unknown" {
            field("/language_culture", k, &["present", "absent"]);
        }
    }
    if v.get("care_setting").is_none() {
        field("", "care_setting", SETTINGS);
    }
    for (i, d) in v["diagnoses"].as_array().unwrap().iter().enumerate() {
        for (k, values) in [("course", COURSES), ("phase", PHASES)] {
            if d.get(k).is_none() {
                field(&format!("/diagnoses/{i}"), k, values);
            }
        }
    }
    out
}

/// Calls `f` on every completion of the holes.
fn completions(v: &Value, holes: &[Hole], f: &mut dyn FnMut(&Value)) {
    match holes.split_first() {
        None => f(v),
        Some((h, rest)) => {
            for value in h.values {
                let mut w = v.clone();
                let target = if h.pointer.is_empty() {
                    &mut w
                } else {
                    w.pointer_mut(&h.pointer).unwrap()
                };
                target
                    .as_object_mut()
                    .unwrap()
                    .insert(h.key.clone(), json!(value));
                completions(&w, rest, f);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Invariant 1: any contraindication present => `contraindicated`, whatever else is true.
    #[test]
    fn invariant_1_any_contraindication_present_is_contraindicated(
        mut v in assessment_json(),
        which in 0usize..3,
    ) {
        let rule = match which {
            0 => { v["findings"]["active_psychosis"] = json!("present"); "C-PSYCHOSIS" }
            1 => {
                v["findings"]["personality_disorder"] = json!("present");
                v["findings"]["motivation"] = json!("absent");
                "C-PD-UNMOTIVATED"
            }
            _ => {
                v["findings"]["cognitive_impairment"] = json!({"severity": "severe", "cause": "substance_abuse"});
                "C-COGNITIVE"
            }
        };
        let report = assess(&typed(&v));
        prop_assert_eq!(report.verdict, Verdict::Contraindicated);
        prop_assert!(report.decided_by.iter().any(|r| r.as_str() == rule));
        // The typed decision, which allocates nothing, says the same.
        let d = ipt_core::suitability::decide(&typed(&v));
        prop_assert_eq!(d.verdict.verdict, Verdict::Contraindicated);
        prop_assert!(d.verdict.decided_by.iter().any(|r| r.as_str() == rule));
        prop_assert!(report.recommended_variant.is_none());
    }

    /// Invariant 9: every answer names the engine and protocol versions; every item cites a
    /// catalogue rule with the catalogue's title and sources, and lists inputs used; the
    /// report's missing inputs are exactly the sorted union of its items' missing inputs.
    #[test]
    fn invariant_9_every_output_explains_itself(v in assessment_json()) {
        let answer: Value = serde_json::from_str(&api::assess_suitability(&v.to_string())).unwrap();
        prop_assert_eq!(&answer["engine_version"], api::ENGINE_VERSION);
        prop_assert_eq!(&answer["protocol_version"], api::PROTOCOL_VERSION);
        prop_assert_eq!(&answer["ok"], true);
        let report = assess(&typed(&v));
        let mut union: Vec<String> = Vec::new();
        for item in report.items() {
            let rule = rules::get(item.rule_id).unwrap();
            prop_assert_eq!(&item.title, rule.title);
            prop_assert!(item.sources.iter().eq(rule.sources.iter().copied()));
            prop_assert!(!item.inputs_used.is_empty(), "{} uses no input", item.rule_id);
            prop_assert!(!item.summary.is_empty() && !item.rationale.is_empty());
            union.extend(item.inputs_missing.iter().map(|p| p.to_string()));
        }
        union.sort();
        union.dedup();
        prop_assert_eq!(&report.inputs_missing, &union);
        // The typed report and the JSON answer agree.
        prop_assert_eq!(&answer["result"], &serde_json::to_value(&report).unwrap());
    }

    /// Detail levels: a decision answer is exactly the explained answer with its prose
    /// removed, and every string a user reads goes through the locale.
    #[test]
    fn a_decision_answer_is_the_explained_answer_without_prose(mut v in assessment_json()) {
        let explained: Value = serde_json::from_str(&api::assess_suitability(&v.to_string())).unwrap();
        v["detail"] = json!("decision");
        let decision: Value = serde_json::from_str(&api::assess_suitability(&v.to_string())).unwrap();
        let mut stripped = explained.clone();
        api::strip_prose(&mut stripped);
        prop_assert_eq!(&decision, &stripped);
        prop_assert!(decision.to_string().len() < explained.to_string().len());
    }

    /// The JSON API is total: any text, to any operation, gives a well-formed envelope.
    #[test]
    fn any_text_gives_a_well_formed_envelope(text in ".{0,200}", op in 0usize..32) {
        let name = Operation::ALL.get(op).map(|o| o.as_str()).unwrap_or("no_such_operation");
        let answer: Value = serde_json::from_str(&api::call(name, &text)).unwrap();
        prop_assert_eq!(&answer["engine_version"], api::ENGINE_VERSION);
        let ok = answer["ok"].as_bool().unwrap();
        prop_assert_eq!(ok, answer.get("result").is_some());
        prop_assert_eq!(!ok, answer.get("error").is_some());
    }

    /// The same for arbitrary JSON values, which reach deeper into the parsers.
    #[test]
    fn any_json_gives_a_well_formed_envelope(v in any_json(), op in 0usize..16) {
        let name = Operation::ALL.get(op).map(|o| o.as_str()).unwrap_or("assess_suitability");
        let answer: Value = serde_json::from_str(&api::call(name, &v.to_string())).unwrap();
        let ok = answer["ok"].as_bool().unwrap();
        prop_assert_eq!(!ok, answer.get("error").is_some());
        if !ok {
            prop_assert!(answer["error"]["code"].is_string());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Invariant 2: whenever the verdict is not `indeterminate`, EVERY way of resolving the
    /// unknown inputs gives the same verdict: an unknown finding was never treated as absent.
    /// (This implies the weaker form: the contraindicated / not-contraindicated status
    /// is unchanged too.)
    #[test]
    fn invariant_2_a_determinate_verdict_survives_every_completion(v in assessment_json()) {
        let hs = holes(&v);
        let size: usize = hs.iter().map(|h| h.values.len()).product();
        prop_assume!(size <= 4096);
        let verdict = ipt_core::suitability::decide(&typed(&v)).verdict.verdict;
        let mut seen = std::collections::BTreeSet::new();
        completions(&v, &hs, &mut |w| {
            seen.insert(ipt_core::suitability::decide(&typed(w)).verdict.verdict.as_str());
        });
        if verdict != Verdict::Indeterminate {
            prop_assert_eq!(seen.len(), 1, "verdict {:?} but completions give {:?}", verdict, seen);
            prop_assert!(seen.contains(verdict.as_str()));
        } else {
            // Never indeterminate once nothing is unknown.
            prop_assert!(!seen.contains("indeterminate"));
        }
    }
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        "[a-z_]{0,12}".prop_map(Value::from),
        proptest::sample::select(
            &[
                "present",
                "absent",
                "unknown",
                "major_depression",
                "acute",
                "phq9"
            ][..]
        )
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map(
                proptest::sample::select(
                    &[
                        "age",
                        "findings",
                        "diagnoses",
                        "category",
                        "motivation",
                        "snapshot",
                        "event",
                        "variant",
                        "type",
                        "x"
                    ][..]
                )
                .prop_map(str::to_owned),
                inner,
                0..4,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}
