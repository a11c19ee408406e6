//! FHIR records in the worst shapes the EHR readers meet at their limits (10,000 Bundle
//! entries): a PHQ-9 panel whose `hasMember` lists thousands of item Observations, and a year
//! of administrations sent as lone items and totals, newest first. Each is a `fhir_assess`
//! request; the time to read one grows at most linearly with its entries.

use serde_json::{json, Value};

/// The PHQ-9 item codes (LOINC), item 1 to 9.
const ITEMS: [&str; 9] = [
    "44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3",
    "44260-8",
];

fn observation(id: &str, code: &str, when: &str, value: u32) -> Value {
    json!({
        "resourceType": "Observation", "id": id, "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": when,
        "valueInteger": value
    })
}

fn request(resources: Vec<Value>) -> String {
    let entry: Vec<Value> =
        std::iter::once(json!({"resourceType": "Patient", "id": "p", "birthDate": "1980-01-01"}))
            .chain(resources)
            .map(|r| json!({"resource": r}))
            .collect();
    json!({
        "date": "2026-01-05",
        "bundle": {"resourceType": "Bundle", "type": "searchset", "entry": entry}
    })
    .to_string()
}

/// One PHQ-9 panel listing `members` item Observations in `hasMember`, the members after it in
/// the Bundle in reverse order.
pub fn panel_with_members(members: usize) -> String {
    let when = "2025-12-01T09:30:00Z";
    let mut resources = vec![json!({
        "resourceType": "Observation", "id": "panel", "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "44249-1"}]},
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": when,
        "hasMember": (0..members).map(|i| json!({"reference": format!("Observation/m{i}")})).collect::<Vec<_>>()
    })];
    resources.extend(
        (0..members)
            .rev()
            .map(|i| observation(&format!("m{i}"), ITEMS[i % 9], when, 0)),
    );
    request(resources)
}

/// `administrations` PHQ-9s a day apart, each a total and nine lone item Observations sharing
/// its effective time, newest first and the items before their total.
pub fn lone_items_newest_first(administrations: usize) -> String {
    let mut resources = Vec::new();
    for a in (0..administrations).rev() {
        let day = a % 28 + 1;
        let month = a / 28 % 12 + 1;
        let year = 2000 + a / (28 * 12);
        let when = format!("{year:04}-{month:02}-{day:02}T10:00:00Z");
        for (n, code) in ITEMS.iter().enumerate().rev() {
            resources.push(observation(&format!("a{a}i{n}"), code, &when, 1));
        }
        resources.push(observation(&format!("a{a}t"), "44261-6", &when, 9));
    }
    request(resources)
}

/// One PHQ-9 panel whose `hasMember` lists `members` references to Observations the Bundle
/// does not hold (absolute URLs), beside `members` item Observations of other panels.
pub fn panel_with_dangling_members(members: usize) -> String {
    let when = "2025-12-01T09:30:00Z";
    let mut resources = vec![json!({
        "resourceType": "Observation", "id": "panel", "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "44249-1"}]},
        "subject": {"reference": "Patient/p"},
        "effectiveDateTime": when,
        "hasMember": (0..members).map(|i| json!({"reference": format!("https://ehr.example.org/fhir/Observation/gone{i}")})).collect::<Vec<_>>()
    })];
    resources.extend((0..members).map(|i| {
        observation(
            &format!("m{i}"),
            ITEMS[i % 9],
            &format!("2025-{:02}-{:02}T10:00:00Z", i % 12 + 1, i % 28 + 1),
            0,
        )
    }));
    request(resources)
}

/// `n` PHQ-9 QuestionnaireResponses, each with a total Observation derived from it, the
/// Observations first.
pub fn responses_with_derived_totals(n: usize) -> String {
    let mut resources = Vec::new();
    for i in 0..n {
        let when = format!(
            "20{:02}-{:02}-{:02}T10:00:00Z",
            10 + i / 336 % 15,
            i / 28 % 12 + 1,
            i % 28 + 1
        );
        let mut o = observation(&format!("t{i}"), "44261-6", &when, 9);
        o["derivedFrom"] = json!([{"reference": format!("QuestionnaireResponse/q{i}")}]);
        resources.push(o);
    }
    for i in 0..n {
        let when = format!(
            "20{:02}-{:02}-{:02}T10:00:00Z",
            10 + i / 336 % 15,
            i / 28 % 12 + 1,
            i % 28 + 1
        );
        resources.push(json!({
            "resourceType": "QuestionnaireResponse", "id": format!("q{i}"), "status": "completed",
            "subject": {"reference": "Patient/p"}, "authored": when,
            "item": ITEMS.iter().map(|c| json!({"linkId": c, "answer": [{"valueInteger": 1}]})).collect::<Vec<_>>()
        }));
    }
    request(resources)
}

/// The worst shapes at the Bundle's entry limit, by name.
pub fn worst_shapes() -> Vec<(&'static str, String)> {
    vec![
        ("panel_8000_members", panel_with_members(8_000)),
        ("lone_items_9990_newest_first", lone_items_newest_first(999)),
        (
            "panel_9990_dangling_members",
            panel_with_dangling_members(9_990),
        ),
        (
            "responses_4995_with_derived_totals",
            responses_with_derived_totals(4_995),
        ),
    ]
}
