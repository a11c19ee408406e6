//! One rule, one place; words apart.
//!
//! * Every catalogue rule is linked to exactly one function in the registry.
//! * Every (rule, case) a suitability rule can return has words; no summary is over 140
//!   characters; no summary commands the clinician.
//! * Every string a user reads goes through the locale: a pseudo-locale marks every string,
//!   and every title, summary and rationale of every answer comes out marked.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod vectors_common;

use std::borrow::Cow;
use std::collections::BTreeMap;

use ipt_core::catalogue::{self, RuleId};
use ipt_core::explain::{Detail, Locale, Render, Words, SUMMARY_MAX_CHARS};
use ipt_core::registry::registry;
use ipt_core::suitability::{self, decide, words, Assessment};
use proptest::prelude::*;

#[test]
fn every_catalogue_rule_is_linked_to_exactly_one_function() {
    let mut count: BTreeMap<RuleId, usize> = BTreeMap::new();
    for r in registry() {
        // A path the compiler resolved, in the domain that links it.
        assert!(
            r.function.starts_with("ipt_core::") && !r.function.contains(' '),
            "{}: {}",
            r.rule,
            r.function
        );
        assert!(
            catalogue::get(r.rule).is_some(),
            "{} is not in the catalogue",
            r.rule
        );
        *count.entry(r.rule).or_default() += 1;
    }
    for rule in catalogue::all() {
        match count.get(&rule.id) {
            None => panic!("{} is linked to no function", rule.id),
            Some(1) => {}
            Some(n) => panic!("{} is linked {n} times", rule.id),
        }
    }
}

/// Every summary and rationale of the words tables, with where it comes from.
fn all_words() -> Vec<(String, Words)> {
    let suitability = words::TABLE
        .iter()
        .map(|(r, c, w)| (format!("{r} {c:?}"), *w));
    let readiness = ipt_core::readiness::WORDS
        .iter()
        .map(|(r, c, w)| (format!("{r} {c:?}"), *w));
    let measures = [(
        "X-SUICIDE item 9".to_owned(),
        ipt_core::measures::words::ITEM9,
    )];
    suitability.chain(readiness).chain(measures).collect()
}

#[test]
fn words_tables_have_one_entry_per_rule_and_case() {
    let mut seen = std::collections::BTreeSet::new();
    for (r, c, _) in words::TABLE {
        assert!(
            seen.insert(format!("{r} {c:?}")),
            "{r} {c:?} has two entries"
        );
    }
}

#[test]
fn no_summary_is_over_140_characters() {
    for (key, w) in all_words() {
        let n = w.summary.chars().count();
        assert!(n <= SUMMARY_MAX_CHARS, "{key}: summary of {n} characters");
        assert!(n > 0 && !w.rationale.is_empty(), "{key}: empty words");
    }
}

/// A summary describes or offers; it never tells the clinician what to do.
fn commands(summary: &str) -> Option<&'static str> {
    const PHRASES: &[&str] = &[
        "proceed with caution",
        " must ",
        " should ",
        "you need",
        "do not ",
        "don't ",
        "make sure",
        "ensure ",
    ];
    const IMPERATIVES: &[&str] = &[
        "Proceed", "Plan", "Arrange", "Record", "Assess", "Start", "Stop", "Use", "Give", "Refer",
        "Treat", "Raise", "Consider", "Review", "Ask", "Avoid", "Check", "Do", "Make", "Ensure",
        "Begin", "Continue", "Offer", "Tell", "Take", "Add", "Discuss",
    ];
    let lower = summary.to_lowercase();
    if let Some(p) = PHRASES.iter().find(|p| lower.contains(*p)) {
        return Some(p);
    }
    let first = summary.split([' ', ':', ',']).next().unwrap_or("");
    IMPERATIVES.iter().find(|v| **v == first).copied()
}

#[test]
fn no_summary_commands() {
    for (key, w) in all_words() {
        if let Some(c) = commands(w.summary) {
            panic!("{key}: the summary `{}` commands ({c})", w.summary);
        }
    }
    // The checker itself catches the phrasing the issue found.
    assert!(commands("Active substance misuse: proceed with caution.").is_some());
    assert!(commands("Plan sessions frequent and long enough for results.").is_some());
    assert!(commands("Option: the standard variant.").is_none());
}

#[test]
fn ehr_summaries_are_short_and_never_command() {
    use ipt_core::ehr::words as ehr;
    let labels = [
        ehr::SUGGEST_PHQ9,
        ehr::SERVICE_TITLE,
        ehr::ENCOUNTER_SERVICE_TITLE,
    ];
    for s in ehr::SUMMARIES.iter().chain(&labels) {
        // Placeholders are filled with at most 64 characters; the cards clip to 139.
        let n = s.chars().count();
        assert!(n <= SUMMARY_MAX_CHARS, "`{s}`: {n} characters");
        if let Some(c) = commands(s) {
            panic!("the EHR summary `{s}` commands ({c})");
        }
    }
    for (_, display) in ehr::OVERRIDE_REASONS {
        assert!(commands(display).is_none(), "{display}");
    }
}

fn finding() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(&["present", "absent", "unknown"][..])
}

/// Assessments over every field the rules read, each possibly omitted.
fn assessment() -> impl Strategy<Value = Assessment> {
    let diagnosis = (
        proptest::sample::select(
            &[
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
            ][..],
        ),
        proptest::option::of(proptest::sample::select(
            &["first_episode", "recurrent", "chronic"][..],
        )),
        proptest::option::of(proptest::sample::select(&["acute", "remitted"][..])),
    )
        .prop_map(|(c, course, phase)| {
            let mut d = serde_json::json!({"category": c});
            if let Some(x) = course {
                d["course"] = x.into();
            }
            if let Some(x) = phase {
                d["phase"] = x.into();
            }
            d
        });
    (
        proptest::option::of(0u32..=120),
        proptest::option::of(proptest::sample::select(&["outpatient", "inpatient", "post_inpatient"][..])),
        proptest::option::of(proptest::sample::select(&["individual", "group"][..])),
        proptest::collection::vec(diagnosis, 0..3),
        proptest::collection::vec(finding(), 14),
        proptest::option::of(proptest::sample::select(&["none", "mild", "moderate", "severe"][..])),
        proptest::option::of(proptest::sample::select(&["substance_abuse", "general_medical_condition", "other"][..])),
        proptest::option::of(proptest::sample::select(&["none", "low", "moderate", "high", "imminent"][..])),
    )
        .prop_map(|(age, setting, format, diagnoses, f, sev, cause, risk)| {
            let mut v = serde_json::json!({
                "diagnoses": diagnoses,
                "findings": {
                    "active_psychosis": f[0], "personality_disorder": f[1], "motivation": f[2],
                    "insight": f[3], "self_reflection": f[4], "chronic_severe_illness": f[5],
                    "stable_on_medication_and_support": f[6], "on_medication": f[7],
                    "family_intervention_precluded": f[8], "interpersonal_precipitants": f[9],
                    "substance_misuse": f[10], "cognitive_impairment": {},
                },
                "language_culture": {"interpreter_needed": f[11], "cultural_adaptation_needed": f[12]},
            });
            if let Some(a) = age { v["age"] = a.into(); }
            if let Some(s) = setting { v["care_setting"] = s.into(); }
            if let Some(x) = format { v["format"] = x.into(); }
            if let Some(s) = sev { v["findings"]["cognitive_impairment"]["severity"] = s.into(); }
            if let Some(c) = cause { v["findings"]["cognitive_impairment"]["cause"] = c.into(); }
            if let Some(r) = risk { v["findings"]["suicide_risk"] = r.into(); }
            serde_json::from_value(v).unwrap()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Every (rule, case) a rule returns has words, and the outcome list never overflows.
    #[test]
    fn every_case_a_rule_returns_has_words(a in assessment()) {
        let d = decide(&a);
        prop_assert!(d.outcomes.len() < suitability::outcome::CAPACITY);
        for o in d.outcomes.as_slice() {
            prop_assert!(words::words(o.rule, o.case).is_some(), "{} {:?} has no words", o.rule, o.case);
        }
        if let Some(v) = d.variant {
            prop_assert!(words::words(v.rule, v.case).is_some(), "{} {:?} has no words", v.rule, v.case);
        }
    }

    /// Every string a user reads comes through the locale.
    #[test]
    fn every_string_goes_through_the_locale(a in assessment()) {
        let report = suitability::assess_at(&a, Detail::Explained, &Pseudo);
        let e = report.explanation.as_ref().unwrap();
        prop_assert!(marked(&e.verdict), "verdict rationale: {}", e.verdict);
        for item in report.items() {
            for s in [&item.title, &item.summary, &item.rationale] {
                prop_assert!(marked(s), "{}: `{}`", item.rule_id, s);
            }
        }
    }
}

/// A test-only locale that marks every string it is given.
struct Pseudo;

impl Locale for Pseudo {
    fn text<'a>(&self, english: &'a str) -> Cow<'a, str> {
        Cow::Owned(format!("⟦{english}⟧"))
    }
}

fn marked(s: &str) -> bool {
    s.starts_with('⟦') && s.ends_with('⟧')
}

#[test]
fn measure_readings_render_through_the_pseudo_locale() {
    use ipt_core::explain::RuleStatus;
    use ipt_core::measures::{band, words, Instrument, Reading};
    use ipt_core::Finding;
    for (instrument, total, baseline) in [
        (Instrument::Phq9, 8, Some(20)),
        (Instrument::Hamd17, 30, None),
        (Instrument::Bdi2, 0, Some(0)),
        (Instrument::Gad7, 12, Some(15)),
    ] {
        let r = Reading {
            instrument,
            scored: Some((total, band(instrument, total))),
            missing_items: Vec::new(),
            baseline: baseline.map(|b| (b, band(instrument, b))),
            change: baseline.map(|b| i64::from(total) - i64::from(b)),
            tenths: baseline.and_then(|b| ipt_core::measures::percent_change_tenths(b, total)),
            response: Finding::Unknown,
            remission: Some(instrument.in_remission(total)),
        };
        let e = words::reading(&r, RuleStatus::Met, Render::new(&Pseudo, Detail::Explained));
        assert!(
            marked(&e.summary) && marked(&e.rationale) && marked(&e.title),
            "{e:?}"
        );
        assert!(
            !e.summary.contains('{') && !e.rationale.contains('{'),
            "{e:?}"
        );
    }
    let unknown = Reading {
        instrument: Instrument::Phq9,
        scored: None,
        missing_items: vec![2],
        baseline: None,
        change: None,
        tenths: None,
        response: Finding::Unknown,
        remission: None,
    };
    let e = words::reading(
        &unknown,
        RuleStatus::Unknown,
        Render::new(&Pseudo, Detail::Explained),
    );
    assert!(marked(&e.summary) && !e.summary.contains('{'), "{e:?}");
    let e = words::item9(Instrument::Phqa, Render::new(&Pseudo, Detail::Explained));
    assert!(marked(&e.summary) && marked(&e.rationale));
}

#[test]
fn every_vector_answer_renders_through_the_pseudo_locale() {
    let mut n = 0;
    for (_, v) in vectors_common::all() {
        if v["operation"] != "assess_suitability"
            || v["expected"]["ok"] != true
            || v["request"].get("detail").is_some()
        {
            continue;
        }
        let a: Assessment = serde_json::from_value(v["request"].clone()).unwrap();
        let report = suitability::assess_at(&a, Detail::Explained, &Pseudo);
        for item in report.items() {
            assert!(marked(&item.summary) && marked(&item.rationale) && marked(&item.title));
        }
        n += 1;
    }
    assert!(n >= 40, "only {n} suitability vectors");
}

/// Every title, summary and rationale of every operation's answer (suitability, readiness,
/// problem areas, focus, measures, the course, the EHR operations and their cards) comes from
/// a words table through the locale: rendered through a pseudo-locale, each is marked.
#[test]
fn every_operation_renders_its_words_through_the_locale() {
    fn walk(v: &serde_json::Value, at: &str, bad: &mut Vec<String>, seen: &mut usize) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    let here = format!("{at}.{k}");
                    match (k.as_str(), x) {
                        ("title" | "summary" | "rationale", serde_json::Value::String(s))
                            if !s.is_empty() =>
                        {
                            *seen += 1;
                            if !(s.starts_with('⟦') && s.ends_with('⟧')) {
                                bad.push(format!("{here}: {s}"));
                            }
                        }
                        _ => walk(x, &here, bad, seen),
                    }
                }
            }
            serde_json::Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, &format!("{at}[{i}]"), bad, seen);
                }
            }
            _ => {}
        }
    }
    let mut per_op: BTreeMap<String, usize> = BTreeMap::new();
    let mut bad = Vec::new();
    for (file, v) in vectors_common::all() {
        let Some(op) = v["operation"]
            .as_str()
            .and_then(ipt_core::api::Operation::parse)
        else {
            continue;
        };
        if v["expected"]["ok"] != true || v.get("request_text").is_some() {
            continue;
        }
        let reply = op.answer_in(&v["request"].to_string(), &Pseudo);
        let answer: serde_json::Value = serde_json::from_str(&reply.json).unwrap();
        let mut seen = 0;
        let mut here = Vec::new();
        walk(&answer["result"], "$", &mut here, &mut seen);
        bad.extend(here.into_iter().map(|b| format!("{}: {b}", file.display())));
        *per_op.entry(op.as_str().to_owned()).or_default() += seen;
    }
    assert!(
        bad.is_empty(),
        "{} unmarked:\n{}",
        bad.len(),
        bad.iter()
            .filter(|b| !b.contains("rules_catalogue"))
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    for op in [
        "assess_suitability",
        "service_readiness",
        "rank_problem_areas",
        "check_focus",
        "evaluate_measure",
        "course_start",
        "course_apply",
        "course_replay",
        "course_status",
        "fhir_assess",
        "cds_hooks",
    ] {
        assert!(
            per_op.get(op).copied().unwrap_or(0) > 0,
            "{op}: no words seen: {per_op:?}"
        );
    }
}

/// Whether a decision answer is its explained answer without the prose: two independent
/// renderings of every operation compared (no answer is built by removing keys).
fn decision_matches(explained: &serde_json::Value, decision: &serde_json::Value) -> bool {
    let mut stripped = explained.clone();
    ipt_core::api::strip_prose(&mut stripped);
    &stripped == decision
}

/// Every vector of every operation answered at both detail levels: the decision answer is
/// the explained one without its prose, rendered natively (the operations build no prose at
/// `decision`).
#[test]
fn every_operation_renders_its_decision_natively() {
    let mut per_op: BTreeMap<String, usize> = BTreeMap::new();
    for (file, v) in vectors_common::all() {
        let Some(op) = v["operation"]
            .as_str()
            .and_then(ipt_core::api::Operation::parse)
        else {
            continue;
        };
        let Some(request) = v["request"].as_object() else {
            continue;
        };
        if !op.takes_request() || request.contains_key("detail") {
            continue;
        }
        let mut explained_req = request.clone();
        explained_req.insert("detail".into(), "explained".into());
        let mut decision_req = request.clone();
        decision_req.insert("detail".into(), "decision".into());
        let explained: serde_json::Value = serde_json::from_str(
            &op.answer(&serde_json::Value::Object(explained_req).to_string())
                .json,
        )
        .unwrap();
        let decision: serde_json::Value = serde_json::from_str(
            &op.answer(&serde_json::Value::Object(decision_req).to_string())
                .json,
        )
        .unwrap();
        assert!(
            decision_matches(&explained, &decision),
            "{}: the decision answer is not the explained one without its prose",
            file.display()
        );
        if explained["ok"] == true {
            *per_op.entry(op.as_str().to_owned()).or_default() += 1;
        }
    }
    // Every operation that answers at two levels was compared.
    for op in ipt_core::api::Operation::ALL
        .iter()
        .filter(|o| o.takes_request())
    {
        assert!(
            per_op.contains_key(op.as_str()),
            "{}: no vector compared",
            op.as_str()
        );
    }
}

/// The comparison has teeth: a decision rendering that drops a decision field, or keeps a
/// word of the explained one, is caught.
#[test]
fn the_decision_comparison_catches_a_renderer_that_drops_or_adds_a_field() {
    let request = r#"{"baseline": {"instrument": "phq9", "total": 20}, "current": {"instrument": "phq9", "total": 9}}"#;
    let at = |detail: &str| -> serde_json::Value {
        let mut r: serde_json::Value = serde_json::from_str(request).unwrap();
        r["detail"] = detail.into();
        serde_json::from_str(&ipt_core::api::evaluate_measure(&r.to_string())).unwrap()
    };
    let (explained, decision) = (at("explained"), at("decision"));
    assert!(decision_matches(&explained, &decision));
    let mut dropped = decision.clone();
    dropped["result"]["explanations"][0]
        .as_object_mut()
        .unwrap()
        .remove("inputs_missing");
    assert!(
        !decision_matches(&explained, &dropped),
        "a dropped field goes unseen"
    );
    let mut added = decision.clone();
    added["result"]["explanations"][0]["summary"] = "PHQ-9 total 9: mild.".into();
    assert!(
        !decision_matches(&explained, &added),
        "a kept word goes unseen"
    );
    let mut renamed = decision;
    renamed["result"]["band"] = "moderate".into();
    assert!(
        !decision_matches(&explained, &renamed),
        "a changed value goes unseen"
    );
}

/// No answer shows a template's placeholder (`{phq9_caseness}`, `{session}`): every word a
/// person reads was filled, the protocol's parameters included. The one template an answer
/// carries on purpose is the `{n}` of the `rules` answer's input labels (a diagnosis's fields,
/// numbered by the form that shows them).
#[test]
fn no_answer_shows_an_unfilled_placeholder() {
    fn placeholder(s: &str) -> Option<&str> {
        let open = s.find('{')?;
        let rest = s.get(open + 1..)?;
        let close = rest.find('}')?;
        let name = rest.get(..close)?;
        (!name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
        .then_some(name)
        .or_else(|| placeholder(rest))
    }
    fn walk(v: &serde_json::Value, at: &str, bad: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => {
                let numbered_label = at.contains(".result.inputs[") && at.ends_with("].label");
                if let Some(name) = placeholder(s).filter(|n| !(numbered_label && *n == "n")) {
                    bad.push(format!("{at}: {{{name}}}"));
                }
            }
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    walk(x, &format!("{at}.{k}"), bad);
                }
            }
            serde_json::Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, &format!("{at}[{i}]"), bad);
                }
            }
            _ => {}
        }
    }
    assert_eq!(
        placeholder("over {item9_lookback_days} days"),
        Some("item9_lookback_days")
    );
    assert_eq!(placeholder("a {\"json\": 1} object"), None);
    let mut bad = Vec::new();
    let mut n = 0;
    for (file, v) in vectors_common::all() {
        let Some(op) = v["operation"].as_str() else {
            continue;
        };
        let request = match &v["request"] {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let answer: serde_json::Value =
            serde_json::from_str(&ipt_core::api::call(op, &request)).unwrap();
        walk(&answer, &file.display().to_string(), &mut bad);
        n += 1;
    }
    assert!(n > 300, "only {n} vectors");
    assert!(bad.is_empty(), "unfilled placeholders: {bad:#?}");
}
