//! FHIR-shaped records generated from bytes, and the properties every record must keep: the
//! property tests (`tests/properties_ehr.rs`) feed them random bytes and the fuzz target
//! `fhir_records` feeds them libFuzzer's, so both check the same things.
//!
//! A record is a Patient and Conditions, Observations (PHQ-9 and GAD-7 items, totals, panels)
//! and QuestionnaireResponses in the shapes EHRs send: statuses of every kind (some without
//! their code system), times with and without zones, dates alone, `issued` alone, none at all,
//! scores as integers, strings, decimals, LOINC answer codes with and without a system, the
//! LOINC OID, the SDC `ordinalValue` extension, out of range. The properties:
//!
//! 1. The order of a Bundle's entries never changes the answer (but for the JSONPaths that
//!    locate them).
//! 2. Adding a resource that cannot be read (another patient's, entered in error, without a
//!    subject, with a status that cannot be read, not an instrument) never removes a card the
//!    readable ones give, and changes nothing read.
//! 3. Adding a positive item 9 (any status but entered in error, any date not after the
//!    assessment, any supported coding) anywhere never removes the critical card; added with
//!    no date, or later than every other item-9 answer within the look-back, it raises it.

// The JSON here is built in this module: indexing an object inserts (or reads null), never
// panics.
#![allow(clippy::indexing_slicing)]

use serde_json::{json, Value};

/// The date of the assessment every generated record is read at.
pub const DATE: &str = "2026-01-05";

/// A reader of bytes that never runs out (zeros after the end).
struct Bytes<'a> {
    data: &'a [u8],
    at: usize,
}

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }
    fn pick<T: Clone>(&mut self, xs: &[T]) -> T {
        let i = usize::from(self.byte()) % xs.len().max(1);
        xs.get(i)
            .or(xs.first())
            .cloned()
            .unwrap_or_else(|| unreachable!())
    }
    fn done(&self) -> bool {
        self.at >= self.data.len()
    }
}

const PHQ9_ITEMS: [&str; 9] = crate::measures::PHQ9_ITEM_CODES;

fn times(b: &mut Bytes<'_>) -> Option<(&'static str, String)> {
    let day = 1 + b.byte() % 4;
    let hour = b.byte() % 24;
    match b.byte() % 9 {
        0 => None,
        1 => Some(("effectiveDateTime", format!("2026-01-0{day}"))),
        2 => Some((
            "effectiveDateTime",
            format!("2026-01-0{day}T{hour:02}:00:00+05:00"),
        )),
        3 => Some(("issued", format!("2026-01-0{day}T{hour:02}:30:00Z"))),
        4 => Some((
            "effectiveDateTime",
            format!("2025-{:02}-15", 1 + b.byte() % 12),
        )),
        5 => Some(("effectiveDateTime", "2026-01-05T23:30:00-05:00".to_owned())),
        6 => Some(("effectiveDateTime", "2026-13-01".to_owned())),
        _ => Some((
            "effectiveDateTime",
            format!("2026-01-0{day}T{hour:02}:00:00Z"),
        )),
    }
}

fn item_value(b: &mut Bytes<'_>) -> Value {
    let score = b.byte() % 4;
    let la = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"][usize::from(score)];
    match b.byte() % 9 {
        0 => {
            json!({"valueCodeableConcept": {"coding": [{"system": "http://loinc.org", "code": la}]}})
        }
        1 => json!({"valueCodeableConcept": {"coding": [{"code": la}]}}),
        2 => {
            json!({"valueCodeableConcept": {"coding": [{"system": "urn:oid:2.16.840.1.113883.6.1", "code": la}]}})
        }
        3 => json!({"valueCoding": {"system": "urn:example:answers", "code": "x",
            "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": score}]}}),
        4 => json!({"valueInteger": 4}),
        5 => json!({"valueString": format!("{score} ")}),
        6 => json!({"valueDecimal": f64::from(score) + 0.5}),
        _ => json!({"valueInteger": score}),
    }
}

fn observation(id: &str, code: &str, b: &mut Bytes<'_>) -> Value {
    let status = b.pick(&[
        "final",
        "final",
        "amended",
        "preliminary",
        "registered",
        "cancelled",
    ]);
    let mut o = json!({"resourceType": "Observation", "id": id, "status": status,
        "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
        "subject": {"reference": "Patient/p"}});
    if let Some((k, t)) = times(b) {
        o[k] = t.into();
    }
    o
}

fn merge(into: &mut Value, from: Value) {
    if let (Some(a), Value::Object(b)) = (into.as_object_mut(), from) {
        a.extend(b);
    }
}

fn condition(id: &str, b: &mut Bytes<'_>) -> Value {
    let code = b.pick(&[
        "F33.1", "F32.3", "F32.1", "F33.41", "F41.1", "F60.3", "E11.9", "F32.A",
    ]);
    let mut c = json!({"resourceType": "Condition", "id": id,
        "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": code}]},
        "subject": {"reference": "Patient/p"}});
    let clinical = b.pick(&[
        "active",
        "active",
        "relapse",
        "remission",
        "resolved",
        "recurrence",
        "-",
        "?",
    ]);
    match clinical {
        "-" => {}
        "?" => c["clinicalStatus"] = json!({"coding": [{"code": "active"}]}),
        s => {
            c["clinicalStatus"] = json!({"coding": [{"system":
            "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": s}]})
        }
    }
    let ver = b.pick(&["confirmed", "confirmed", "provisional", "refuted", "-"]);
    if ver != "-" {
        c["verificationStatus"] = json!({"coding": [{"system":
            "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": ver}]});
    }
    let cat = b.pick(&["problem-list-item", "encounter-diagnosis", "-"]);
    if cat != "-" {
        c["category"] = json!([{"coding": [{"system":
            "http://terminology.hl7.org/CodeSystem/condition-category", "code": cat}]}]);
    }
    match b.byte() % 5 {
        0 => c["recordedDate"] = "2019-03-02".into(),
        1 => c["recordedDate"] = "2025-11-20".into(),
        2 => c["abatementDateTime"] = "2025-06-01".into(),
        3 => c["onsetDateTime"] = "2026-03-01".into(),
        _ => {}
    }
    c
}

fn questionnaire(id: &str, b: &mut Bytes<'_>) -> Value {
    let status = b.pick(&[
        "completed",
        "completed",
        "in-progress",
        "stopped",
        "amended",
    ]);
    let mut items: Vec<Value> = Vec::new();
    for code in PHQ9_ITEMS {
        if b.byte().is_multiple_of(4) {
            continue;
        }
        let mut answer = item_value(b);
        if let Some(m) = answer.as_object_mut()
            && let Some(v) = m.remove("valueCodeableConcept")
        {
            m.insert("valueCoding".into(), v["coding"][0].clone());
        }
        items.push(json!({"linkId": code, "answer": [answer]}));
    }
    let mut q = json!({"resourceType": "QuestionnaireResponse", "id": id, "status": status,
        "subject": {"reference": "Patient/p"}, "item": items});
    if let Some((_, t)) = times(b) {
        q["authored"] = t.into();
    }
    q
}

/// A record generated from bytes: the Patient first, every resource with its own id.
pub fn record(data: &[u8]) -> Vec<Value> {
    let mut b = Bytes { data, at: 0 };
    let mut out = vec![json!({"resourceType": "Patient", "id": "p", "birthDate": "1984-07-01"})];
    let mut n = 0;
    while !b.done() && out.len() < 40 {
        n += 1;
        let id = format!("g{n}");
        let r = match b.byte() % 8 {
            0 | 1 => condition(&id, &mut b),
            2 | 3 => {
                let code = if b.byte().is_multiple_of(2) {
                    "44260-8"
                } else {
                    b.pick(&PHQ9_ITEMS)
                };
                let mut o = observation(&id, code, &mut b);
                merge(&mut o, item_value(&mut b));
                o
            }
            4 => {
                let mut o = observation(&id, "44261-6", &mut b);
                let total = b.pick(&[
                    json!({"valueInteger": 9}),
                    json!({"valueInteger": 30}),
                    json!({"valueString": "12 "}),
                    json!({"valueQuantity": {"value": 14}}),
                ]);
                merge(&mut o, total);
                o
            }
            5 => {
                let mut o = observation(&id, "44249-1", &mut b);
                let comps: Vec<Value> = PHQ9_ITEMS
                    .iter()
                    .map(|code| {
                        let mut c = json!({"code": {"coding": [{"system": "http://loinc.org", "code": code}]}});
                        merge(&mut c, item_value(&mut b));
                        c
                    })
                    .collect();
                o["component"] = Value::Array(comps);
                o
            }
            6 => questionnaire(&id, &mut b),
            _ => {
                let mut o = observation(&id, b.pick(&["69725-0", "70274-6", "8867-4"]), &mut b);
                merge(&mut o, json!({"valueInteger": b.byte() % 4}));
                o
            }
        };
        out.push(r);
    }
    out
}

/// A resource that cannot be read at all, generated from bytes (id `junk`).
pub fn junk(data: &[u8]) -> Value {
    let mut b = Bytes { data, at: 0 };
    let mut base = condition("junk", &mut b);
    match b.byte() % 6 {
        0 => base["subject"] = json!({"reference": "Patient/someone-else"}),
        1 => {
            base["verificationStatus"] = json!({"coding": [{"system":
            "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "entered-in-error"}]})
        }
        2 => {
            if let Some(m) = base.as_object_mut() {
                m.remove("subject");
            }
        }
        3 => {
            base["clinicalStatus"] = json!({"coding": [{"system": "http://hl7.org/fhir/ValueSet/condition-clinical", "code": "active"}]})
        }
        4 => {
            base = json!({"resourceType": "Observation", "id": "junk", "status": "entered-in-error",
                "code": {"coding": [{"system": "http://loinc.org", "code": "44260-8"}]},
                "subject": {"reference": "Patient/p"}, "valueInteger": 3});
        }
        _ => {
            base = json!({"resourceType": "Observation", "id": "junk", "status": "final",
                "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
                "subject": {"reference": "Patient/p"}, "valueInteger": 80});
        }
    }
    base
}

/// A positive item 9 generated from bytes (id `positive`), with any status but entered in
/// error, any date not after the assessment and any supported coding; and whether it is
/// undated or dated after every time [`record`] generates within the look-back, so that it
/// must raise the alert.
pub fn positive_item9(data: &[u8]) -> (Value, bool) {
    let mut b = Bytes { data, at: 0 };
    let score = 1 + b.byte() % 3;
    let la = ["LA6568-5", "LA6569-3", "LA6570-1", "LA6571-9"][usize::from(score)];
    let value = b.pick(&[
        json!({"valueInteger": score}),
        json!({"valueCodeableConcept": {"coding": [{"system": "http://loinc.org", "code": la}]}}),
        json!({"valueCodeableConcept": {"coding": [{"code": la}]}}),
        json!({"valueCodeableConcept": {"coding": [{"system": "urn:oid:2.16.840.1.113883.6.1", "code": la}]}}),
        json!({"valueCoding": {"system": "urn:example:answers", "code": "x",
            "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": score}]}}),
    ]);
    let status = b.pick(&[
        "final",
        "amended",
        "corrected",
        "preliminary",
        "registered",
        "unknown",
    ]);
    let mut o = json!({"resourceType": "Observation", "id": "positive", "status": status,
        "code": {"coding": [{"system": "http://loinc.org", "code": "44260-8"}]},
        "subject": {"reference": "Patient/p"}});
    merge(&mut o, value);
    let last = match b.byte() % 4 {
        0 => true,
        1 => {
            // The assessment's date in its own zone, after every instant `record` writes.
            o["effectiveDateTime"] = "2026-01-05T23:59:00-12:00".into();
            true
        }
        2 => {
            o["effectiveDateTime"] = "2025-11-01".into();
            false
        }
        _ => {
            o["issued"] = "2026-01-02T00:00:00Z".into();
            false
        }
    };
    (o, last)
}

/// A `fhir_assess` request for the resources.
pub fn fhir_assess(resources: &[Value]) -> String {
    let entry: Vec<Value> = resources.iter().map(|r| json!({"resource": r})).collect();
    json!({"date": DATE, "bundle": {"resourceType": "Bundle", "type": "collection", "entry": entry}}).to_string()
}

/// A `cds_hooks` request for the resources: the Patient as `patient`, Conditions in
/// `conditions`, the rest in `phq9`.
pub fn cds_hooks(resources: &[Value]) -> String {
    let mut conditions = Vec::new();
    let mut rest = Vec::new();
    let mut patient = Value::Null;
    for r in resources {
        match r["resourceType"].as_str() {
            Some("Patient") => patient = r.clone(),
            Some("Condition") => conditions.push(json!({"resource": r})),
            _ => rest.push(json!({"resource": r})),
        }
    }
    json!({"date": DATE, "request": {"hook": "patient-view", "hookInstance": "0b6b5a57-1a1e-4b9a-9a52-1d2f4f4a8c11",
        "context": {"userId": "Practitioner/x", "patientId": "p"},
        "prefetch": {"patient": patient,
            "conditions": {"resourceType": "Bundle", "type": "searchset", "entry": conditions},
            "phq9": {"resourceType": "Bundle", "type": "searchset", "entry": rest}}}})
    .to_string()
}

fn answer(op: &str, request: &str) -> Result<Value, String> {
    let text = crate::api::call(op, request);
    let v: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    if v["ok"] != true {
        return Err(format!("{op} refused a generated record: {v}"));
    }
    Ok(v)
}

fn without_paths(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.remove("path");
            m.values_mut().for_each(without_paths);
        }
        Value::Array(a) => a.iter_mut().for_each(without_paths),
        _ => {}
    }
}

/// The first place two answers differ, with both values there.
fn differ(a: &Value, b: &Value) -> String {
    fn walk(a: &Value, b: &Value, at: String) -> Option<String> {
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => x
                .keys()
                .chain(y.keys())
                .find_map(|k| {
                    let null = Value::Null;
                    walk(
                        x.get(k).unwrap_or(&null),
                        y.get(k).unwrap_or(&null),
                        format!("{at}.{k}"),
                    )
                })
                .or_else(|| (x.len() != y.len()).then(|| at.clone())),
            (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
                .iter()
                .zip(y)
                .enumerate()
                .find_map(|(i, (p, q))| walk(p, q, format!("{at}[{i}]"))),
            (p, q) if p == q => None,
            (p, q) => Some(format!("{at}: {p} / {q}")),
        }
    }
    walk(a, b, "$".to_owned()).unwrap_or_default()
}

/// The cards, as (indicator, rule, summary without its numbers), sorted.
fn cards(v: &Value) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = v["result"]["cards"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| {
            (
                c["indicator"].as_str().unwrap_or_default().to_owned(),
                c["source"]["topic"]["code"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                c["summary"]
                    .as_str()
                    .unwrap_or_default()
                    .chars()
                    .filter(|c| !c.is_ascii_digit())
                    .collect(),
            )
        })
        .collect();
    out.sort();
    out
}

fn has_critical(v: &Value) -> bool {
    v["result"]["cards"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|c| c["indicator"] == "critical")
}

/// Checks the three properties on the record `resources`, with `order` (a permutation seed),
/// `junk` and `positive` (bytes for the resources added).
pub fn check(
    resources: &[Value],
    order: &[u8],
    junk_bytes: &[u8],
    positive: &[u8],
) -> Result<(), String> {
    // 1. Order.
    let mut shuffled: Vec<(u8, usize, Value)> = resources
        .iter()
        .enumerate()
        .map(|(i, r)| (order.get(i).copied().unwrap_or(0), i, r.clone()))
        .collect();
    shuffled.sort_by_key(|(k, i, _)| (*k, std::cmp::Reverse(*i)));
    let shuffled: Vec<Value> = shuffled.into_iter().map(|(_, _, r)| r).collect();
    let mut a = answer("fhir_assess", &fhir_assess(resources))?;
    let mut b = answer("fhir_assess", &fhir_assess(&shuffled))?;
    without_paths(&mut a);
    without_paths(&mut b);
    if a != b {
        return Err(format!(
            "the order of the entries changed fhir_assess: {}",
            differ(&a, &b)
        ));
    }
    let hooks = answer("cds_hooks", &cds_hooks(resources))?;
    let hooks_shuffled = answer("cds_hooks", &cds_hooks(&shuffled))?;
    if hooks != hooks_shuffled {
        return Err(format!(
            "the order of the entries changed the cards: {}",
            differ(&hooks, &hooks_shuffled)
        ));
    }
    // 2. Junk.
    let mut with_junk = resources.to_vec();
    with_junk.push(junk(junk_bytes));
    let mut j = answer("fhir_assess", &fhir_assess(&with_junk))?;
    without_paths(&mut j);
    for key in ["assessment", "measures", "item9", "conditions", "deceased"] {
        if a["result"].get(key) != j["result"].get(key) {
            return Err(format!(
                "an unreadable resource changed `{key}`: {}",
                differ(&a, &j)
            ));
        }
    }
    let junk_cards = cards(&answer("cds_hooks", &cds_hooks(&with_junk))?);
    for c in cards(&hooks) {
        if !junk_cards.contains(&c) {
            return Err(format!(
                "an unreadable resource removed the card {c:?}: {junk_cards:?}"
            ));
        }
    }
    // 3. A positive item 9.
    let (item9, must_alert) = positive_item9(positive);
    let mut with_positive = resources.to_vec();
    let at = usize::from(positive.first().copied().unwrap_or(0)) % (resources.len() + 1);
    with_positive.insert(at.max(1).min(with_positive.len()), item9);
    let p = answer("cds_hooks", &cds_hooks(&with_positive))?;
    if has_critical(&hooks) && !has_critical(&p) {
        return Err(format!("a positive item 9 removed the critical card: {p}"));
    }
    if must_alert && !has_critical(&p) {
        return Err(format!(
            "a positive item 9, the latest, raised no critical card: {p}"
        ));
    }
    Ok(())
}
