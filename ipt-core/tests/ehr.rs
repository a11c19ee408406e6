//! The EHR operations on real artefacts and on their edges (D-CODE-MAP, the FHIR reading, the
//! CDS Hooks cards, the Observations written):
//!
//! * the fixtures (`tests/fixtures/ehr/`: US Core examples, the CDS Hooks specification's
//!   examples, our own) are embedded unchanged in the vectors that use them;
//! * the cards keep to the CDS Hooks specification: the attributes its examples use, summaries
//!   under 140 characters, UUIDs of version 5 that replay identically and change with the
//!   inputs, the critical alerts first;
//! * a prefetch key missing means "not supplied" and `null` "no data": neither is read as absent;
//! * the Observations written read back as the measures they were written from;
//! * every string a clinician reads goes through the locale;
//! * no mutation of a real record makes the engine panic or answer outside its envelope;
//! * the README's EHR example is an answer the engine gives.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod vectors_common;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ipt_core::api;
use ipt_core::ehr::cds_hooks::{self, CdsHooksRequest};
use ipt_core::ehr::record::{self, FhirAssessRequest};
use ipt_core::explain::{Detail, Locale};
use serde_json::{json, Value};

/// The crate's directory: the fixtures and vectors are linked into `tests/`, so the packaged
/// crate carries them.
fn krate() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn fixture(path: &str) -> Value {
    let p = krate().join("tests/ehr_fixtures").join(path);
    serde_json::from_str(&std::fs::read_to_string(&p).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn fixtures() -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for dir in ["us-core", "cds-hooks", "own", "messy"] {
        let mut files: Vec<_> = std::fs::read_dir(krate().join("tests/ehr_fixtures").join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for f in files {
            let name = format!("{dir}/{}", f.file_name().unwrap().to_string_lossy());
            out.push((name.clone(), fixture(&name)));
        }
    }
    out
}

fn vector(name: &str) -> Value {
    let p = krate()
        .join("tests/vectors/ehr")
        .join(format!("{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap()
}

fn call(op: &str, request: &Value) -> Value {
    serde_json::from_str(&api::call(op, &request.to_string())).unwrap()
}

/// Every JSON object in a value.
fn objects<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::Object(m) => {
            out.push(v);
            m.values().for_each(|x| objects(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| objects(x, out)),
        _ => {}
    }
}

#[test]
fn fhir_fixtures_are_embedded_unchanged_in_the_vectors() {
    // Every FHIR resource of a fixture, by type and id.
    let mut resources: BTreeMap<(String, String), Vec<(String, Value)>> = BTreeMap::new();
    for (name, v) in fixtures() {
        if let (Some(t), Some(id)) = (v["resourceType"].as_str(), v["id"].as_str()) {
            resources
                .entry((t.into(), id.into()))
                .or_default()
                .push((name, v.clone()));
        }
    }
    assert!(
        resources.len() >= 30,
        "{} fixture resources",
        resources.len()
    );
    let mut used = std::collections::BTreeSet::new();
    for (file, v) in vectors_common::all() {
        let mut all = Vec::new();
        objects(&v["request"], &mut all);
        for o in all {
            let key = (
                o["resourceType"].as_str().unwrap_or_default().to_owned(),
                o["id"].as_str().unwrap_or_default().to_owned(),
            );
            if let Some(candidates) = resources.get(&key) {
                match candidates.iter().find(|(_, f)| o == f) {
                    Some((name, _)) => {
                        used.insert(name.clone());
                    }
                    None => panic!("{}: {key:?} differs from every fixture", file.display()),
                }
            }
        }
    }
    // Every US Core and own fixture resource is used by some vector.
    for (name, _) in resources.values().flatten() {
        assert!(used.contains(name), "{name} is used by no vector");
    }
}

#[test]
fn the_specifications_examples_are_answered() {
    // The CDS Hooks specification's example request, as published: the service's own prefetch
    // keys are missing, so nothing is decided and one card says why.
    let answer = call(
        "cds_hooks",
        &json!({"date": "2026-01-05", "request": fixture("cds-hooks/request-patient-view.json")}),
    );
    let cards = answer["result"]["cards"].as_array().unwrap();
    assert_eq!(cards.len(), 1, "{answer}");
    assert_eq!(cards[0]["indicator"], "warning");
    assert!(cards[0]["detail"]
        .as_str()
        .unwrap()
        .contains("$.request.prefetch.conditions"));
    // Our cards and discovery document use the specification's attributes with its types.
    let spec = fixture("cds-hooks/response-example.json");
    let spec_keys: std::collections::BTreeSet<&str> = spec["cards"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c.as_object().unwrap().keys().map(String::as_str))
        .chain([
            "uuid",
            "summary",
            "detail",
            "indicator",
            "source",
            "suggestions",
            "selectionBehavior",
            "overrideReasons",
        ])
        .collect();
    for (file, v) in vectors_common::all() {
        if v["operation"] != "cds_hooks" || v["expected"]["ok"] != true {
            continue;
        }
        for card in v["expected"]["result"]["cards"].as_array().unwrap() {
            for key in card.as_object().unwrap().keys() {
                assert!(
                    spec_keys.contains(key.as_str()),
                    "{}: {key}",
                    file.display()
                );
            }
            assert!(["info", "warning", "critical"].contains(&card["indicator"].as_str().unwrap()));
            assert!(card["source"]["label"].is_string());
            for r in card["overrideReasons"].as_array().into_iter().flatten() {
                assert!(
                    r["code"].is_string() && r["system"].is_string() && r["display"].is_string()
                );
            }
            if card.get("suggestions").is_some() {
                assert!(card["selectionBehavior"].is_string(), "{}", file.display());
            }
        }
    }
    for c in spec["cards"].as_array().unwrap() {
        assert!(["info", "warning", "critical"].contains(&c["indicator"].as_str().unwrap()));
    }
    let discovery = call("cds_services", &json!({}));
    let ours = &discovery["result"]["services"];
    let theirs = &fixture("cds-hooks/discovery-example.json")["services"];
    for s in ours.as_array().unwrap() {
        for (k, x) in s.as_object().unwrap() {
            let example = theirs
                .as_array()
                .unwrap()
                .iter()
                .find_map(|t| t.get(k))
                .unwrap_or_else(|| panic!("`{k}` is not a discovery attribute of the examples"));
            assert_eq!(
                std::mem::discriminant(x),
                std::mem::discriminant(example),
                "{k}"
            );
        }
        for template in s["prefetch"].as_object().unwrap().values() {
            assert!(template.as_str().unwrap().contains("{{context.patientId}}"));
        }
    }
}

#[test]
fn cards_keep_to_the_specification_and_replay_identically() {
    let mut n = 0;
    for (file, v) in vectors_common::all() {
        if v["operation"] != "cds_hooks" || v["expected"]["ok"] != true {
            continue;
        }
        let cards = v["expected"]["result"]["cards"].as_array().unwrap();
        let mut seen_non_critical = false;
        for c in cards {
            let summary = c["summary"].as_str().unwrap();
            assert!(
                summary.chars().count() < 140,
                "{}: {summary}",
                file.display()
            );
            let critical = c["indicator"] == "critical";
            assert!(
                !(critical && seen_non_critical),
                "{}: critical after others",
                file.display()
            );
            seen_non_critical |= !critical;
            let uuid = c["uuid"].as_str().unwrap();
            assert_eq!(uuid.len(), 36);
            assert_eq!(&uuid[14..15], "5", "{uuid}: a version 5 UUID");
        }
        let uuids: std::collections::BTreeSet<&str> =
            cards.iter().map(|c| c["uuid"].as_str().unwrap()).collect();
        assert_eq!(
            uuids.len(),
            cards.len(),
            "{}: card UUIDs unique",
            file.display()
        );
        // Replay: the same request, the same answer.
        let again = call("cds_hooks", &v["request"]);
        assert_eq!(again, v["expected"]);
        n += 1;
    }
    assert!(n >= 8, "{n} card vectors");
    // Another input, other UUIDs.
    let mut request = vector("X-SUICIDE.cds_hooks_suicide_risk_high_alert")["request"].clone();
    let before = call("cds_hooks", &request);
    request["assessment"]["findings"]["suicide_risk"] = "imminent".into();
    let after = call("cds_hooks", &request);
    assert_ne!(
        before["result"]["cards"][0]["uuid"],
        after["result"]["cards"][0]["uuid"]
    );
}

fn hook_request(prefetch: Value, assessment: Value) -> Value {
    json!({
        "date": "2026-01-05",
        "request": {
            "hook": "patient-view",
            "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
            "context": {"userId": "Practitioner/example", "patientId": "example"},
            "prefetch": prefetch
        },
        "assessment": assessment
    })
}

fn searchset(resources: &[Value]) -> Value {
    json!({"resourceType": "Bundle", "type": "searchset",
           "entry": resources.iter().map(|r| json!({"resource": r})).collect::<Vec<_>>()})
}

fn summaries(answer: &Value) -> Vec<String> {
    answer["result"]["cards"]
        .as_array()
        .unwrap_or_else(|| panic!("{answer}"))
        .iter()
        .map(|c| c["summary"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn missing_and_null_prefetch_keys_leave_inputs_unknown_never_absent() {
    let patient = fixture("us-core/patient-example.json");
    let mdd = fixture("own/condition-f33-1.json");
    let complete = json!({"care_setting": "outpatient", "findings": {
        "active_psychosis": "absent", "personality_disorder": "absent", "motivation": "present",
        "insight": "absent", "cognitive_impairment": {"severity": "none"}}});
    // Conditions not supplied: not assessed, said so.
    let a = call(
        "cds_hooks",
        &hook_request(json!({"patient": patient}), complete.clone()),
    );
    assert_eq!(summaries(&a).len(), 1);
    assert!(summaries(&a)[0].contains("not assessed"), "{a}");
    // Conditions null (no data): nothing to decide, no verdict card; never "not indicated".
    let a = call(
        "cds_hooks",
        &hook_request(
            json!({"patient": patient, "conditions": null, "phq9": null}),
            complete.clone(),
        ),
    );
    assert!(summaries(&a).is_empty(), "{a}");
    // A contraindication holds whatever the diagnoses: shown even without conditions.
    let mut psychosis = complete.clone();
    psychosis["findings"]["active_psychosis"] = "present".into();
    let a = call(
        "cds_hooks",
        &hook_request(json!({"patient": patient}), psychosis),
    );
    assert_eq!(summaries(&a), ["Active psychosis: IPT is contraindicated."]);
    // PHQ-9 null (no data): a baseline PHQ-9 is offered; PHQ-9 not supplied: nothing is said
    // about it.
    let with = |phq9: Option<Value>| {
        let mut p =
            json!({"patient": patient, "conditions": searchset(std::slice::from_ref(&mdd))});
        if let Some(x) = phq9 {
            p["phq9"] = x;
        }
        summaries(&call("cds_hooks", &hook_request(p, complete.clone())))
    };
    assert!(with(Some(Value::Null))
        .iter()
        .any(|s| s.starts_with("No PHQ-9")));
    assert!(!with(None).iter().any(|s| s.starts_with("No PHQ-9")));
    // An empty searchset is data: no PHQ-9 in the record.
    assert!(with(Some(searchset(&[])))
        .iter()
        .any(|s| s.starts_with("No PHQ-9")));
    // Unknown keys and an OperationOutcome are listed, not read.
    let mut p = json!({"patient": patient, "conditions": searchset(&[mdd]),
                       "phq9": {"resourceType": "OperationOutcome", "issue": []},
                       "user": "123"});
    let r: CdsHooksRequest = serde_json::from_value(hook_request(p.take(), complete)).unwrap();
    let cards = cds_hooks::answer(&r, Detail::Explained, &ipt_core::explain::ENGLISH).unwrap();
    assert!(!cards
        .cards
        .iter()
        .any(|c| c.summary.starts_with("No PHQ-9")));
}

#[test]
fn observations_written_read_back_as_their_measures() {
    for (measure, derived) in [
        (
            json!({"instrument": "phq9", "total": 17, "item9": 2, "date": "2026-01-02"}),
            true,
        ),
        (
            json!({"instrument": "phq9", "total": 4, "date": "2025-06-30"}),
            false,
        ),
        (
            json!({"instrument": "bdi2", "total": 40, "date": "2025-12-01"}),
            false,
        ),
    ] {
        let mut req = json!({"subject": "Patient/example", "measures": [measure]});
        if derived {
            req["derived_from"] = "QuestionnaireResponse/phq-9-example".into();
        }
        let written = call("fhir_observations", &req);
        assert_eq!(written["ok"], true, "{written}");
        let mut bundle = written["result"].clone();
        bundle["type"] = "collection".into();
        let read = call(
            "fhir_assess",
            &json!({"date": "2026-01-05",
                    "bundle": {"resourceType": "Bundle", "type": "collection",
                               "entry": [{"resource": fixture("us-core/patient-example.json")}]}}),
        );
        assert_eq!(read["ok"], true);
        let mut entries = bundle["entry"].as_array().unwrap().clone();
        entries.push(json!({"resource": fixture("us-core/patient-example.json")}));
        bundle["entry"] = entries.into();
        let read = call(
            "fhir_assess",
            &json!({"date": "2026-01-05", "bundle": bundle}),
        );
        let m = &read["result"]["measures"];
        assert_eq!(m.as_array().unwrap().len(), 1, "{read}");
        for key in ["instrument", "total", "item9", "date"] {
            assert_eq!(m[0].get(key), measure.get(key), "{key}: {read}");
        }
        assert!(
            read["result"]["unread"].as_array().unwrap().is_empty(),
            "{read}"
        );
        if derived {
            assert_eq!(m[0]["derived_from"], "QuestionnaireResponse/phq-9-example");
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
fn every_string_of_the_ehr_answers_goes_through_the_locale() {
    let mut cards = 0;
    let mut codes = 0;
    for (_, v) in vectors_common::all() {
        if v["expected"]["ok"] != true {
            continue;
        }
        match v["operation"].as_str() {
            Some("cds_hooks") => {
                let mut request = v["request"].clone();
                request.as_object_mut().unwrap().remove("detail");
                let r: CdsHooksRequest = serde_json::from_value(request).unwrap();
                for c in cds_hooks::answer(&r, Detail::Explained, &Pseudo)
                    .unwrap()
                    .cards
                {
                    assert!(marked(&c.summary), "{}", c.summary);
                    assert!(marked(&c.source.label), "{}", c.source.label);
                    let detail = c.detail.unwrap();
                    // Every heading and paragraph of the detail is a table's words.
                    for line in detail.lines().filter(|l| !l.is_empty()) {
                        assert!(line.contains('⟦'), "{line}");
                    }
                    for o in &c.override_reasons {
                        assert!(marked(&o.display));
                    }
                    for s in &c.suggestions {
                        assert!(marked(&s.label));
                    }
                    cards += 1;
                }
            }
            Some("fhir_assess") => {
                let r: FhirAssessRequest = serde_json::from_value(v["request"].clone()).unwrap();
                let a = record::assess(
                    &r,
                    ipt_core::explain::Render::new(&Pseudo, Detail::Explained),
                )
                .unwrap();
                for c in &a.codes {
                    assert!(
                        marked(&c.summary) || c.summary.starts_with('⟦'),
                        "{}",
                        c.summary
                    );
                    assert!(c.rationale.contains('⟦'), "{}", c.rationale);
                    codes += 1;
                }
                for c in &a.conflicts {
                    assert!(marked(&c.summary) && marked(&c.rationale));
                }
            }
            _ => {}
        }
    }
    assert!(cards >= 10 && codes >= 10, "{cards} cards, {codes} codes");
    assert!(marked(
        &cds_hooks::discovery(&Pseudo).services[0].description
    ));
}

/// Every value of a real record replaced, one at a time, by values of every JSON type: two
/// records, each in two halves (the values at even and odd positions of the walk), four tests
/// the test harness runs side by side.
#[test]
fn no_mutation_of_a_record_panics_or_leaves_the_envelope_fhir_assess_even() {
    mutations_keep_the_envelope("fhir_assess", 0);
}

#[test]
fn no_mutation_of_a_record_panics_or_leaves_the_envelope_fhir_assess_odd() {
    mutations_keep_the_envelope("fhir_assess", 1);
}

#[test]
fn no_mutation_of_a_record_panics_or_leaves_the_envelope_cds_hooks_even() {
    mutations_keep_the_envelope("cds_hooks", 0);
}

#[test]
fn no_mutation_of_a_record_panics_or_leaves_the_envelope_cds_hooks_odd() {
    mutations_keep_the_envelope("cds_hooks", 1);
}

fn mutations_keep_the_envelope(op: &str, half: usize) {
    let request = match op {
        "fhir_assess" => vector("D-CODE-MAP.fhir_assess_us_core_examples")["request"].clone(),
        _ => vector("X-SUICIDE.cds_hooks_phq9_item9_critical_first")["request"].clone(),
    };
    let replacements = [
        json!(null),
        json!(-1),
        json!(1.5),
        json!(1e300),
        json!("F32.3"),
        json!(""),
        json!([]),
        json!({}),
        json!([{}]),
        json!(true),
    ];
    let mut calls = 0;
    {
        let mut paths = Vec::new();
        fn walk(v: &Value, path: Vec<Value>, out: &mut Vec<Vec<Value>>) {
            out.push(path.clone());
            match v {
                Value::Object(m) => m.iter().for_each(|(k, x)| {
                    let mut p = path.clone();
                    p.push(Value::from(k.as_str()));
                    walk(x, p, out);
                }),
                Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| {
                    let mut p = path.clone();
                    p.push(Value::from(i));
                    walk(x, p, out);
                }),
                _ => {}
            }
        }
        walk(&request, Vec::new(), &mut paths);
        for (i, path) in paths
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(i, _)| i % 2 == half)
        {
            // Three replacements per value, in turn: every type at every depth, in bounded time.
            for r in replacements
                .iter()
                .cycle()
                .skip(i % replacements.len())
                .take(3)
            {
                let mut m = request.clone();
                let mut at = &mut m;
                for k in path {
                    at = match k {
                        Value::String(s) => &mut at[s.as_str()],
                        _ => &mut at[k.as_u64().unwrap() as usize],
                    };
                }
                *at = r.clone();
                let reply = api::call_reply(op, &m.to_string());
                let answer: Value = serde_json::from_str(&reply.json).unwrap();
                assert_eq!(answer["ok"] == true, reply.error.is_none());
                if let Some(e) = answer.get("error") {
                    assert!(
                        e["code"] == "invalid_input" || e["code"] == "limit_exceeded",
                        "{e}"
                    );
                    assert!(
                        e["path"].as_str().is_some_and(|p| p.starts_with("$.")),
                        "{e}"
                    );
                }
                calls += 1;
            }
        }
    }
    assert!(calls > 250, "{op}: {calls} calls");
}

#[test]
fn a_bundle_over_the_entry_limit_is_refused_with_its_path() {
    let entries: Vec<Value> = (0..=ipt_core::limits::MAX_BUNDLE_ENTRIES)
        .map(|_| json!({}))
        .collect();
    let answer = call(
        "fhir_assess",
        &json!({"date": "2026-01-05", "bundle": {"resourceType": "Bundle", "entry": entries}}),
    );
    assert_eq!(answer["error"]["code"], "limit_exceeded");
    assert_eq!(answer["error"]["path"], "$.bundle.entry");
}

#[test]
fn the_readme_ehr_example_is_an_answer_the_engine_gives() {
    let Ok(readme) = std::fs::read_to_string(krate().join("../README.md")) else {
        eprintln!("no workspace README beside the crate (the packaged crate): nothing to check");
        return;
    };
    let block = |marker: &str| -> Value {
        let start = readme
            .find(marker)
            .unwrap_or_else(|| panic!("README: no {marker}"));
        let rest = &readme[start..];
        let open = rest.find("```json\n").unwrap() + "```json\n".len();
        let close = rest[open..].find("```").unwrap();
        serde_json::from_str(&rest[open..open + close]).unwrap()
    };
    let request = block("<!-- example:cds-hooks:request -->");
    let cards = block("<!-- example:cds-hooks:cards -->");
    let answer = call(
        "cds_hooks",
        &json!({"date": "2026-01-05", "request": request}),
    );
    assert_eq!(answer["result"], cards, "{answer}");
}

fn record(resources: &[Value], assessment: Value) -> Value {
    let mut request = json!({"date": "2026-01-05", "bundle": {"resourceType": "Bundle", "type": "collection",
        "entry": resources.iter().map(|r| json!({"resource": r})).collect::<Vec<_>>()}});
    if !assessment.is_null() {
        request["assessment"] = assessment;
    }
    call("fhir_assess", &request)
}

fn observation(id: &str, code: &str, when: &str, value: Value) -> Value {
    let mut o = json!({"resourceType": "Observation", "id": id, "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
        "subject": {"reference": "Patient/example"}, "effectiveDateTime": when});
    if let Value::Object(m) = value {
        for (k, v) in m {
            o[k] = v;
        }
    }
    o
}

fn refused_at(answer: &Value, path: &str) {
    assert_eq!(answer["error"]["code"], "invalid_input", "{answer}");
    assert_eq!(answer["error"]["path"], path, "{answer}");
}

/// The reasons of what was not read, by path.
fn unread(answer: &Value) -> Vec<(String, String)> {
    answer["result"]["unread"]
        .as_array()
        .unwrap_or_else(|| panic!("{answer}"))
        .iter()
        .map(|u| {
            (
                u["path"].as_str().unwrap().to_owned(),
                u["reason"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn listed_at(answer: &Value, path: &str, reason: &str) {
    assert!(
        unread(answer).contains(&(path.to_owned(), reason.to_owned())),
        "{path} {reason}: {answer}"
    );
}

#[test]
fn instrument_values_are_read_or_listed_with_their_paths() {
    let patient = fixture("us-core/patient-example.json");
    let at = "$.bundle.entry[1].resource";
    let total = |v: Value| observation("t", "44261-6", "2026-01-02", v);
    let item9 = |v: Value| observation("i", "44260-8", "2026-01-02", v);
    // A value that is not a score is listed at its element; the record is still read.
    for (value, element, reason) in [
        (
            json!({"valueString": "12a"}),
            "valueString",
            "invalid_value",
        ),
        (
            json!({"valueString": "12 "}),
            "valueString",
            "invalid_value",
        ),
        (
            json!({"valueQuantity": {"value": 12.5}}),
            "valueQuantity.value",
            "invalid_value",
        ),
        (json!({"valueInteger": 30}), "valueInteger", "out_of_range"),
    ] {
        let a = record(&[patient.clone(), total(value.clone())], Value::Null);
        listed_at(&a, &format!("{at}.{element}"), reason);
        assert_eq!(a["result"]["assessment"]["age"], 38, "{value}: {a}");
        assert!(a["result"]["measures"][0].get("total").is_none(), "{a}");
    }
    // An item 9 that cannot be scored is listed, and still raises the alert as a possible
    // positive (never read as a 0).
    for (value, element) in [
        (json!({"valueInteger": 4}), "valueInteger"),
        (
            json!({"valueCodeableConcept": {"coding": [{"system": "http://loinc.org", "code": "LA9999-9"}]}}),
            "valueCodeableConcept.coding[0]",
        ),
    ] {
        let a = record(&[patient.clone(), item9(value)], Value::Null);
        assert!(
            unread(&a)
                .iter()
                .any(|(p, _)| p == &format!("{at}.{element}")),
            "{a}"
        );
        let x = &a["result"]["item9"][0];
        assert!(x.get("score").is_none(), "{a}");
        assert_eq!(x["outcome"], "alert", "{a}");
    }
    // Item 9 above a total given beside it: the total is listed, item 9 stands.
    let a = record(
        &[
            patient.clone(),
            total(json!({"valueInteger": 1})),
            item9(json!({"valueInteger": 2})),
        ],
        Value::Null,
    );
    assert!(unread(&a).iter().any(|(_, r)| r == "total_mismatch"), "{a}");
    assert_eq!(a["result"]["item9"][0]["outcome"], "alert", "{a}");
    // A panel read from its components (one not an object), a member it names that the record
    // does not hold, a derivedFrom that is not a QuestionnaireResponse.
    let panel = observation(
        "p",
        "44249-1",
        "2026-01-02",
        json!({
        "component": ["x",
            {"code": {"coding": [{"system": "http://loinc.org", "code": "44261-6"}]}, "valueInteger": 7},
            {"code": {"coding": [{"system": "http://loinc.org", "code": "44260-8"}]}, "valueInteger": 1}],
        "hasMember": [{"reference": "Observation/elsewhere"}],
        "derivedFrom": [{"reference": "DocumentReference/scan"}]}),
    );
    let a = record(&[patient.clone(), panel], Value::Null);
    let m = &a["result"]["measures"][0];
    assert_eq!(
        (m["total"].clone(), m["item9"].clone()),
        (json!(7), json!(1)),
        "{a}"
    );
    assert!(m.get("derived_from").is_none());
    assert_eq!(
        m["item9_from"]["path"],
        "$.bundle.entry[1].resource.component[2].valueInteger"
    );
    listed_at(
        &a,
        "$.bundle.entry[1].resource.hasMember[0].reference",
        "not_in_record",
    );
    // A panel carrying its own total.
    let own = observation("p", "44249-1", "2026-01-02", json!({"valueInteger": 9}));
    let a = record(&[patient.clone(), own], Value::Null);
    assert_eq!(a["result"]["measures"][0]["total"], 9, "{a}");
    // Items at different times are different administrations; a total without a value is
    // listed, not read; a preliminary total is read, unverified.
    let a = record(
        &[
            patient.clone(),
            observation("i1", "44260-8", "2026-01-01", json!({"valueInteger": 0})),
            observation("i2", "44260-8", "2026-01-03", json!({"valueInteger": 1})),
            observation("t0", "44261-6", "2026-01-02", json!({})),
            observation("n", "8867-4", "2026-01-02", json!({"valueInteger": 80})),
            observation(
                "prelim",
                "44261-6",
                "2026-01-02",
                json!({"status": "preliminary", "valueInteger": 3}),
            ),
        ],
        Value::Null,
    );
    let items: Vec<&Value> = a["result"]["measures"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m.get("item9"))
        .collect();
    assert_eq!(items, [&json!(0), &json!(1)], "{a}");
    let prelim = a["result"]["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["total"] == 3)
        .unwrap_or_else(|| panic!("{a}"));
    assert_eq!(prelim["status"], "unverified");
    let reasons: Vec<String> = unread(&a).into_iter().map(|(_, r)| r).collect();
    assert_eq!(reasons, ["not_an_instrument", "no_value"], "{a}");
}

#[test]
fn questionnaire_responses_are_read_or_listed() {
    let patient = fixture("us-core/patient-example.json");
    let qr = fixture("us-core/QuestionnaireResponse-phq-9-example.json");
    let with = |f: &dyn Fn(&mut Value)| {
        let mut q = qr.clone();
        f(&mut q);
        record(&[patient.clone(), q], Value::Null)
    };
    let reason = |a: &Value| a["result"]["unread"][0]["reason"].clone();
    // In progress or stopped: read, unverified.
    for status in ["in-progress", "stopped"] {
        let a = with(&|q| q["status"] = status.into());
        assert_eq!(a["result"]["measures"][0]["status"], "unverified", "{a}");
    }
    assert_eq!(
        reason(&with(&|q| q["status"] = "entered-in-error".into())),
        "entered_in_error"
    );
    assert_eq!(
        reason(&with(&|q| q["authored"] = "2026-02-01".into())),
        "after_date"
    );
    assert_eq!(
        reason(&with(
            &|q| q["item"] = json!([{"linkId": "1", "answer": [{"valueInteger": 3}]}, "x"])
        )),
        "unknown_questionnaire"
    );
    assert_eq!(
        reason(&with(&|q| q["item"] = json!([{"linkId": "/44260-8"}]))),
        "no_value"
    );
    // Items nested in a group are read too.
    let a = with(&|q| {
        let items = q["item"].clone();
        q["item"] = json!([{"linkId": "phq9", "item": items}]);
    });
    assert_eq!(a["result"]["measures"][0]["total"], 12, "{a}");
    // A total that is not the sum of the items is listed at the total, and neither is taken;
    // the items (item 9 among them) stand.
    let a = with(&|q| q["item"][9]["answer"][0]["valueDecimal"] = json!(13));
    listed_at(
        &a,
        "$.bundle.entry[1].resource.item[9].answer[0].valueDecimal",
        "total_mismatch",
    );
    assert!(a["result"]["measures"][0].get("total").is_none(), "{a}");
    assert_eq!(a["result"]["measures"][0]["item9"], 0, "{a}");
    // Two answers to item 9: listed, and the positive one still counts.
    let a = with(&|q| {
        q["authored"] = "2026-01-02T09:00:00Z".into();
        q["item"][8]["answer"] = json!([{"valueInteger": 0}, {"valueInteger": 2}]);
    });
    listed_at(
        &a,
        "$.bundle.entry[1].resource.item[8].answer",
        "multiple_answers",
    );
    assert!(
        a["result"]["item9"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x["score"] == 2 && x["outcome"] == "alert"),
        "{a}"
    );
    // A questionnaire naming the GAD-7 with PHQ-9 items: listed, and read by its items.
    let a = with(&|q| q["questionnaire"] = "http://loinc.org/q/69737-5".into());
    listed_at(
        &a,
        "$.bundle.entry[1].resource.questionnaire",
        "questionnaire_mismatch",
    );
    assert_eq!(a["result"]["measures"][0]["instrument"], "phq9", "{a}");
}

#[test]
fn ages_and_subjects_are_read_or_listed_with_their_paths() {
    let mut patient = fixture("us-core/patient-example.json");
    for (birth, age) in [
        ("1987-02", Some(38)),
        ("1987", None),
        ("2020-06-30", Some(5)),
    ] {
        patient["birthDate"] = birth.into();
        let a = record(&[patient.clone()], Value::Null);
        assert_eq!(
            a["result"]["assessment"].get("age"),
            age.map(Value::from).as_ref(),
            "{birth}: {a}"
        );
    }
    // A birth date that cannot be an age is listed; the age stays unknown.
    for (birth, reason) in [
        ("2026-01-06", "after_date"),
        ("1900-01-01", "out_of_range"),
        ("1987/02", "invalid_date"),
        ("87-02-20", "invalid_date"),
        ("1987-13", "invalid_date"),
    ] {
        patient["birthDate"] = birth.into();
        let a = record(&[patient.clone()], Value::Null);
        listed_at(&a, "$.bundle.entry[0].resource.birthDate", reason);
        assert!(a["result"]["assessment"].get("age").is_none(), "{a}");
    }
    // Without a Patient, the subjects must agree with each other.
    let mut a = fixture("own/condition-f33-1.json");
    let mut b = fixture("own/condition-f32-3.json");
    b["subject"]["reference"] = "Patient/other".into();
    let r = record(&[a.clone(), b.clone()], Value::Null);
    assert_eq!(r["error"]["code"], "invalid_input", "{r}");
    assert!(r["error"]["path"]
        .as_str()
        .unwrap()
        .ends_with("resource.subject.reference"));
    // A Patient without an id: the subjects must agree, or the Patient is blamed.
    let mut anonymous = fixture("us-core/patient-example.json");
    anonymous.as_object_mut().unwrap().remove("id");
    refused_at(
        &record(&[anonymous.clone(), a.clone(), b.clone()], Value::Null),
        "$.bundle.entry[0].resource.id",
    );
    let r = record(&[anonymous, a.clone()], Value::Null);
    assert_eq!(
        r["result"]["assessment"]["diagnoses"][0]["category"], "major_depression",
        "{r}"
    );
    // An absolute reference: the patient in context on the fhirServer; listed as another
    // patient's on another server; listed as unresolved when no base is known.
    a["subject"]["reference"] = "http://ehr.example.org/fhir/Patient/example".into();
    let on = |server: Option<&str>| {
        let mut req = hook_request(
            json!({"conditions": searchset(std::slice::from_ref(&a))}),
            Value::Null,
        );
        if let Some(s) = server {
            req["request"]["fhirServer"] = s.into();
        }
        call("cds_hooks", &req)
    };
    let read = |answer: &Value| !summaries(answer).iter().any(|s| s.contains("not assessed"));
    assert!(read(&on(Some("http://ehr.example.org/fhir"))));
    for server in [Some("https://other.example.org/fhir"), None] {
        let answer = on(server);
        assert!(
            summaries(&answer)
                .iter()
                .any(|s| s.starts_with("Part of the record")),
            "{server:?}: {answer}"
        );
    }
    b["subject"] = json!({"display": "no reference"});
    let r = record(&[b], Value::Null);
    assert_eq!(r["result"]["unread"][0]["reason"], "no_subject");
}

#[test]
fn the_requests_statements_join_the_records() {
    let patient = fixture("us-core/patient-example.json");
    let f32_3 = fixture("own/condition-f32-3.json");
    let stated = json!({"age": 38, "diagnoses": [{"category": "anxiety"}],
                        "findings": {"active_psychosis": "present"}});
    let a = record(&[patient.clone(), f32_3.clone()], stated);
    let derived = &a["result"]["derived"];
    let find = |input: &str| {
        derived
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["input"] == input)
            .cloned()
            .unwrap_or_else(|| panic!("{input}: {a}"))
    };
    assert_eq!(
        find("$.age")["from"].as_array().unwrap().len(),
        2,
        "stated and from the record"
    );
    assert_eq!(
        find("$.findings.active_psychosis")["from"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        find("$.diagnoses[1].category")["value"],
        "anxiety",
        "after the record's one"
    );
    assert_eq!(find("$.diagnoses[0].category")["value"], "major_depression");
    assert!(a["result"]["conflicts"].as_array().unwrap().is_empty());
    // An age the record contradicts is a conflict, left unknown.
    let a = record(&[patient], json!({"age": 40}));
    assert_eq!(a["result"]["conflicts"][0]["input"], "$.age", "{a}");
    assert!(a["result"]["assessment"].get("age").is_none());
    // Diagnoses stated without a record of Conditions are not missing.
    let a = record(
        &[],
        json!({"diagnoses": [{"category": "major_depression"}]}),
    );
    assert!(!a["result"]["inputs_missing"]
        .as_array()
        .unwrap()
        .contains(&json!("$.diagnoses")));
    // The same diagnosis recorded many times (a year of weekly encounters) is one.
    let same: Vec<Value> = (0..52)
        .map(|i| {
            let mut c = f32_3.clone();
            c["id"] = format!("c{i}").into();
            c
        })
        .collect();
    let a = record(&same, Value::Null);
    assert_eq!(
        a["result"]["assessment"]["diagnoses"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "{a}"
    );
    assert_eq!(
        a["result"]["conditions"][0]["from"]
            .as_array()
            .unwrap()
            .len(),
        52
    );
    // Too many distinct diagnoses, the record's and the request's together.
    let many: Vec<Value> = ["F20", "F31", "F40", "F41"]
        .iter()
        .flat_map(|block| (0..9).map(move |n| format!("{block}.{n}")))
        .enumerate()
        .map(|(i, code)| {
            let mut c = f32_3.clone();
            c["id"] = format!("c{i}").into();
            c["code"]["coding"][0]["code"] = code.into();
            c
        })
        .collect();
    let a = record(&many, Value::Null);
    assert_eq!(a["error"]["code"], "limit_exceeded", "{a}");
}

/// The edges of the record readers: each a resource in a shape an EHR may send, listed with its
/// reason or read, never the record refused for it.
#[test]
fn the_readers_edges_are_listed_or_read() {
    let patient = fixture("us-core/patient-example.json");
    let mdd = fixture("own/condition-f33-1.json");
    let with = |mut c: Value, f: &dyn Fn(&mut Value)| {
        f(&mut c);
        record(&[patient.clone(), c], Value::Null)
    };
    let at = "$.bundle.entry[1].resource";
    // A status code its code system does not have; an abatement whose date cannot be read.
    let a = with(mdd.clone(), &|c| {
        c["clinicalStatus"]["coding"][0]["code"] = "bogus".into()
    });
    listed_at(&a, &format!("{at}.clinicalStatus"), "status_unreadable");
    let a = with(mdd.clone(), &|c| {
        c["abatementDateTime"] = "last spring".into()
    });
    listed_at(&a, &format!("{at}.abatementDateTime"), "invalid_date");
    listed_at(&a, &format!("{at}.abatementDateTime"), "abated");
    let a = with(mdd.clone(), &|c| {
        c["abatementString"] = "in the past".into()
    });
    listed_at(&a, &format!("{at}.abatementString"), "abated");
    // Two totals of one panel that disagree: neither is taken.
    let panel = observation(
        "p",
        "44249-1",
        "2026-01-02",
        json!({"valueInteger": 9, "component": [
            {"code": {"coding": [{"system": "http://loinc.org", "code": "44261-6"}]}, "valueInteger": 10}]}),
    );
    let a = record(&[patient.clone(), panel], Value::Null);
    assert!(unread(&a).iter().any(|(_, r)| r == "total_mismatch"), "{a}");
    // A coding that is not an object; a coding without a system whose code is not an answer.
    let item9 = observation(
        "i",
        "44260-8",
        "2026-01-02",
        json!({"valueCodeableConcept": {"coding": ["LA6570-1", {"code": "often"}]}}),
    );
    let a = record(&[patient.clone(), item9], Value::Null);
    assert_eq!(a["result"]["item9"][0]["outcome"], "alert", "{a}");
    // Death: deceasedBoolean, and a death dated after the assessment (alive at it).
    let mut dead = patient.clone();
    dead["deceasedBoolean"] = true.into();
    let a = record(&[dead.clone()], Value::Null);
    assert_eq!(
        a["result"]["deceased"]["from"]["element"],
        "Patient/example.deceasedBoolean"
    );
    let mut later = patient.clone();
    later["deceasedDateTime"] = "2026-03-01".into();
    assert!(record(&[later], Value::Null)["result"]
        .get("deceased")
        .is_none());
    let mut unreadable = patient.clone();
    unreadable["deceasedDateTime"] = "soon".into();
    let a = record(&[unreadable], Value::Null);
    listed_at(
        &a,
        "$.bundle.entry[0].resource.deceasedDateTime",
        "invalid_date",
    );
    // A subject that is a contained resource; a urn fullUrl as the patient.
    let a = with(mdd.clone(), &|c| c["subject"]["reference"] = "#p1".into());
    listed_at(&a, &format!("{at}.subject.reference"), "unresolved_subject");
    let urn = json!({"date": "2026-01-05", "bundle": {"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": "urn:uuid:7c3f1b8e-3d6e-4f6a-9c1e-2b5d8a9f0e11", "resource": {"resourceType": "Patient", "birthDate": "1980-01-01"}},
        {"fullUrl": "urn:uuid:0e2b5c1a-6f4d-4b8e-8a2c-9d3e7f1a5b22", "resource": {"resourceType": "Condition",
            "code": mdd["code"].clone(), "subject": {"reference": "urn:uuid:7c3f1b8e-3d6e-4f6a-9c1e-2b5d8a9f0e11"}}}]}});
    let a = call("fhir_assess", &urn);
    assert_eq!(
        a["result"]["assessment"]["diagnoses"][0]["category"], "major_depression",
        "{a}"
    );
    // A questionnaire's items under an answer (a question's follow-ups) are read.
    let qr = json!({"resourceType": "QuestionnaireResponse", "id": "nested", "status": "completed",
        "subject": {"reference": "Patient/example"}, "authored": "2026-01-04",
        "item": [{"linkId": "screen", "answer": [{"valueBoolean": true, "item": [
            {"linkId": "44260-8", "answer": [{"valueInteger": 2}]}]}]}]});
    let a = record(&[patient.clone(), qr], Value::Null);
    assert_eq!(a["result"]["item9"][0]["score"], 2, "{a}");
    // The request's own fields: rules_url and fhirServer are absolute http(s) URLs.
    let mut req = hook_request(json!({"patient": patient}), Value::Null);
    req["rules_url"] = "ftp://example.org/rules".into();
    refused_at(&call("cds_hooks", &req), "$.rules_url");
    let mut req = hook_request(json!({"patient": patient}), Value::Null);
    req["request"]["fhirServer"] = "not a url".into();
    refused_at(&call("cds_hooks", &req), "$.request.fhirServer");
}

/// A Bundle nested up to the depth limit is read; one level past it is `limit_exceeded` at that
/// level, never `invalid_input`.
#[test]
fn bundles_are_held_to_the_depth_limit_at_the_level_past_it() {
    for n in 118..=132 {
        let text = format!(
            r#"{{"date":"2026-01-05","bundle":{{"resourceType":"Bundle","meta":{{"tag":{}1{}}}}}}}"#,
            "[".repeat(n),
            "]".repeat(n)
        );
        let a: Value = serde_json::from_str(&api::call("fhir_assess", &text)).unwrap();
        // The request object is level 1, the Bundle 2, `meta` 3, the arrays 4 and on.
        if n + 3 <= 127 {
            assert_eq!(a["ok"], true, "{n}: {a}");
        } else {
            assert_eq!(a["error"]["code"], "limit_exceeded", "{n}: {a}");
            let path = a["error"]["path"].as_str().unwrap();
            // `tag` is level 4, each `[0]` one more: level 128 is the first past the limit.
            assert_eq!(path.matches('[').count(), 128 - 4, "{n}: {path}");
        }
    }
}
