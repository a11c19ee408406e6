//! A FHIR R4 record read into the inputs of the rules: `fhir_assess`.
//!
//! The Patient gives the age (from `birthDate`, at the date of the assessment), the active,
//! confirmed Conditions give the diagnoses (through the terminology table, D-CODE-MAP), the
//! PHQ-9 and BDI-II Observations and PHQ-9 QuestionnaireResponses give the measures. Every
//! derived input cites the element it came from; an input the record is silent on stays
//! unknown and is listed among the inputs missing; whatever is not read is listed with why.
//! Findings stated explicitly in the request are kept, and a code implying the opposite is a
//! conflict that leaves the finding unknown.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::date::Date;
use crate::error::Error;
use crate::explain::{InputValue, Locale};
use crate::findings::Finding;
use crate::limits::{self, clip};
use crate::measures::{self, Instrument, Measure, MeasureReading};
use crate::path::JsonPath;
use crate::suitability::{self, Age, Assessment};

use super::fhir::{self, Res};
use super::instruments::{self, Administration};
use super::mapping::{conflict, mapping};
pub use super::mapping::{CodeMapping, CodeOutcome, Conflict};
use super::terminology::Implied;
use super::{Claim, Derived, Origin, Reason, Unread};

/// The request of `fhir_assess`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FhirAssessRequest {
    /// The date of the assessment, `YYYY-MM-DD`: the age is computed at it, and record entries
    /// dated after it are not read.
    pub date: String,
    /// A FHIR R4 Bundle (any type: searchset, collection, transaction...).
    #[schemars(with = "Value")]
    pub bundle: Box<RawValue>,
    /// Inputs stated explicitly, beside the record: an assessment, every field optional. Its
    /// diagnoses are added to the record's; a finding it states and a code contradicts is a
    /// conflict.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assessment: Option<Assessment>,
}

/// One administration of an instrument found in the record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordMeasure {
    /// The instrument.
    pub instrument: Instrument,
    /// The total, when the record gives it or all nine PHQ-9 items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u32>,
    /// PHQ-9 item 9, when the record gives it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item9: Option<u8>,
    /// The date (`YYYY-MM-DD`), when the record gives a full one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The resources it was read from.
    pub from: Vec<Origin>,
    /// The elements the total was read from (the total, or the nine items).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub total_from: Vec<Origin>,
    /// The element item 9 was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item9_from: Option<Origin>,
    /// The QuestionnaireResponse it was derived from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derived_from: Option<String>,
    /// The total read against the instrument's bands (M-PHQ9, M-BDI2), when there is a total.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<MeasureReading>,
}

/// The answer of `fhir_assess`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FhirAssessment {
    /// The assessment the record and the request give: an `assess_suitability` request.
    pub assessment: Assessment,
    /// Every input of the assessment with where it came from.
    pub derived: Vec<Derived>,
    /// The instrument administrations in the record, oldest first.
    pub measures: Vec<RecordMeasure>,
    /// Every coding of every Condition read, with what the table made of it.
    pub codes: Vec<CodeMapping>,
    /// Inputs the sources disagree on, left unknown.
    pub conflicts: Vec<Conflict>,
    /// What the record held and was not read, or an element needed and absent, with why.
    pub unread: Vec<Unread>,
    /// Every input the rules need that is still unknown (JSONPath in `assessment`), sorted:
    /// `$.diagnoses` when the record holds no Condition.
    pub inputs_missing: Vec<String>,
}

/// What the cards need beyond the answer.
#[derive(Debug, Clone, Default)]
pub(crate) struct Facts {
    /// Whether the record holds any Condition (read or not).
    pub conditions_present: bool,
    /// The instrument administrations, oldest first.
    pub administrations: Vec<Administration>,
}

/// Parses a date of the assessment.
pub(crate) fn date_at(text: &str, path: &str) -> Result<Date, Error> {
    Date::parse(text).ok_or_else(|| {
        Error::invalid(
            path,
            format!(
                "`{}` is not a calendar date in the form YYYY-MM-DD",
                clip(text)
            ),
        )
    })
}

/// The resources of a Bundle at `path`, and its entries without one.
pub(crate) fn bundle_resources<'a>(
    bundle: &'a Value,
    path: &JsonPath,
    unread: &mut Vec<Unread>,
) -> Result<Vec<Res<'a>>, Error> {
    let Some(b) = bundle.as_object() else {
        return Err(Error::invalid(
            path.clone(),
            "a FHIR Bundle is a JSON object",
        ));
    };
    if b.get("resourceType").and_then(Value::as_str) != Some("Bundle") {
        return Err(Error::invalid(
            path.key("resourceType"),
            "expected a FHIR Bundle (resourceType \"Bundle\")",
        ));
    }
    let entries = match b.get("entry") {
        None => return Ok(Vec::new()),
        Some(Value::Array(a)) => a,
        Some(_) => {
            return Err(Error::invalid(
                path.key("entry"),
                "a Bundle's entry is an array",
            ))
        }
    };
    limits::check_len(
        entries.len(),
        limits::MAX_BUNDLE_ENTRIES,
        "entries",
        "max_bundle_entries",
        || path.key("entry"),
    )?;
    let mut out = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let at = path.key("entry").index(i);
        let Some(e) = e.as_object() else {
            return Err(Error::invalid(at, "a Bundle entry is a JSON object"));
        };
        let full_url = e.get("fullUrl").and_then(Value::as_str);
        match e.get("resource") {
            None => unread.push(Unread {
                origin: Origin::stated(at.to_string()),
                reason: Reason::NoResource,
            }),
            Some(r) => out.push(Res::new(r, at.key("resource"), full_url)?),
        }
    }
    Ok(out)
}

/// Reads the record (the resources, already located) with the explicit assessment.
pub(crate) fn assemble(
    resources: Vec<Res<'_>>,
    mut unread: Vec<Unread>,
    patient_id: Option<&str>,
    on: Date,
    explicit: Option<&Assessment>,
    locale: &dyn Locale,
) -> Result<(FhirAssessment, Facts), Error> {
    let mut patient: Option<Res<'_>> = None;
    let mut conditions = Vec::new();
    let mut observations = Vec::new();
    let mut responses = Vec::new();
    for r in &resources {
        match r.kind {
            "Patient" => {
                if patient.is_some() {
                    return Err(Error::invalid(
                        r.path.clone(),
                        "a second Patient: the record is read for one patient at a time",
                    ));
                }
                if let (Some(want), Some(id)) = (patient_id, r.id) {
                    if want != id {
                        return Err(Error::invalid(
                            r.path.key("id"),
                            format!(
                                "the Patient is `{id}`, not the patient in context (`{}`)",
                                clip(want)
                            ),
                        ));
                    }
                }
                patient = Some(r.clone());
            }
            "Condition" | "Observation" | "QuestionnaireResponse" => {}
            "OperationOutcome" => unread.push(r.unread(Reason::OperationOutcome)),
            _ => unread.push(r.unread(Reason::ResourceType)),
        }
    }
    let mut subject_seen: Option<String> = None;
    for r in &resources {
        if !matches!(
            r.kind,
            "Condition" | "Observation" | "QuestionnaireResponse"
        ) {
            continue;
        }
        let Some(subject) = r.reference("subject") else {
            unread.push(r.unread(Reason::NoSubject));
            continue;
        };
        let ok = match (&patient, patient_id) {
            (Some(p), _) => p.is_referred_by(subject),
            (None, Some(id)) => {
                subject == format!("Patient/{id}") || subject.ends_with(&format!("/Patient/{id}"))
            }
            (None, None) => match &subject_seen {
                None => {
                    subject_seen = Some(subject.to_owned());
                    true
                }
                Some(s) => s == subject,
            },
        };
        if !ok {
            return Err(Error::invalid(
                r.path_of("subject.reference"),
                format!(
                    "`{}` is not the patient this record is read for: a record holds one patient's resources",
                    clip(subject)
                ),
            ));
        }
        match r.kind {
            "Condition" => conditions.push(r.clone()),
            "Observation" => observations.push(r.clone()),
            _ => responses.push(r.clone()),
        }
    }

    let age = match &patient {
        Some(p) => match fhir::patient_age(p, on)? {
            Ok(a) => Some(a),
            Err(u) => {
                unread.push(u);
                None
            }
        },
        None => None,
    };

    let mut codes = Vec::new();
    let mut read_conditions = Vec::new();
    for c in &conditions {
        let outcome = fhir::condition(c, on)?;
        for cr in outcome.codings {
            codes.push(mapping(cr, locale));
        }
        match outcome.read {
            Ok(read) => read_conditions.push(read),
            Err(u) => unread.push(u),
        }
    }
    let explicit_count = explicit.map_or(0, |a| a.diagnoses.len());
    if read_conditions.len() + explicit_count > limits::MAX_DIAGNOSES {
        return Err(Error::limit(
            conditions
                .last()
                .map_or_else(JsonPath::root, |c| c.path.clone()),
            "diagnoses (the record's and the request's)",
            limits::MAX_DIAGNOSES,
            "max_diagnoses",
        ));
    }

    let administrations = instruments::read(&observations, &responses, on, &mut unread)?;

    // The assessment: the request's statements, then what the record adds.
    let mut assessment = explicit.cloned().unwrap_or_default();
    let mut derived = explicit.map(stated).unwrap_or_default();
    let mut conflicts = Vec::new();
    let record_diagnoses: Vec<_> = read_conditions
        .iter()
        .map(|r| r.diagnosis.clone())
        .collect();
    let shift = record_diagnoses.len();
    for d in &mut derived {
        if let Some(rest) = d.input.strip_prefix("$.diagnoses[") {
            if let Some((n, tail)) = rest.split_once(']') {
                if let Ok(n) = n.parse::<usize>() {
                    d.input = format!("$.diagnoses[{}]{tail}", n + shift);
                }
            }
        }
    }
    assessment.diagnoses = record_diagnoses
        .into_iter()
        .chain(assessment.diagnoses)
        .collect();
    for (i, r) in read_conditions.iter().enumerate() {
        let at = format!("$.diagnoses[{i}]");
        derived.push(Derived {
            input: format!("{at}.category"),
            value: InputValue::of(r.diagnosis.category),
            from: r.category_from.clone(),
        });
        for (field, claims) in [("course", &r.course), ("phase", &r.phase)] {
            match claims.as_slice() {
                [] => {}
                [one] => derived.push(Derived {
                    input: format!("{at}.{field}"),
                    value: one.value.clone(),
                    from: one.from.clone(),
                }),
                many => conflicts.push(conflict(&format!("{at}.{field}"), many.to_vec(), locale)),
            }
        }
    }

    // The age.
    let stated_age = explicit.and_then(|a| a.age);
    match (age, stated_age) {
        (Some((a, from)), None) => {
            assessment.age = Age::new(a.into());
            derived.push(Derived {
                input: "$.age".into(),
                value: InputValue::Int(a.into()),
                from: vec![from],
            });
        }
        (Some((a, from)), Some(s)) if s.get() != u32::from(a) => {
            assessment.age = None;
            derived.retain(|d| d.input != "$.age");
            conflicts.push(conflict(
                "$.age",
                vec![
                    Claim {
                        value: InputValue::Int(s.get().into()),
                        from: vec![Origin::stated("$.assessment.age")],
                    },
                    Claim {
                        value: InputValue::Int(a.into()),
                        from: vec![from],
                    },
                ],
                locale,
            ));
        }
        (Some((_, from)), Some(_)) => {
            if let Some(d) = derived.iter_mut().find(|d| d.input == "$.age") {
                d.from.push(from);
            }
        }
        _ => {}
    }

    // The findings the codes imply.
    for i in Implied::ALL {
        let from: Vec<Origin> = read_conditions
            .iter()
            .flat_map(|r| r.implies.iter())
            .filter(|(x, _)| *x == i)
            .map(|(_, o)| o.clone())
            .collect();
        if from.is_empty() {
            continue;
        }
        match i.get(&assessment.findings) {
            Finding::Unknown => {
                i.set(&mut assessment.findings, Finding::Present);
                derived.push(Derived {
                    input: i.path().into(),
                    value: InputValue::of(Finding::Present),
                    from,
                });
            }
            Finding::Present => {
                if let Some(d) = derived.iter_mut().find(|d| d.input == i.path()) {
                    d.from.extend(from);
                }
            }
            Finding::Absent => {
                i.set(&mut assessment.findings, Finding::Unknown);
                derived.retain(|d| d.input != i.path());
                conflicts.push(conflict(
                    i.path(),
                    vec![
                        Claim {
                            value: InputValue::of(Finding::Absent),
                            from: vec![Origin::stated(format!(
                                "$.assessment.findings.{}",
                                i.name()
                            ))],
                        },
                        Claim {
                            value: InputValue::of(Finding::Present),
                            from,
                        },
                    ],
                    locale,
                ));
            }
        }
    }

    let measures = administrations
        .iter()
        .enumerate()
        .map(|(i, a)| measure(i, a))
        .collect();
    let mut inputs_missing = suitability::decide(&assessment).missing.paths();
    let conditions_present = !conditions.is_empty();
    if !conditions_present && assessment.diagnoses.is_empty() {
        inputs_missing.push("$.diagnoses".into());
        inputs_missing.sort();
        inputs_missing.dedup();
    }
    derived.sort_by(|a, b| a.input.cmp(&b.input));
    Ok((
        FhirAssessment {
            assessment,
            derived,
            measures,
            codes,
            conflicts,
            unread,
            inputs_missing,
        },
        Facts {
            conditions_present,
            administrations,
        },
    ))
}

/// `fhir_assess`: a Bundle read with the explicit assessment.
pub fn assess(req: &FhirAssessRequest, locale: &dyn Locale) -> Result<FhirAssessment, Error> {
    let on = date_at(&req.date, "$.date")?;
    if let Some(a) = &req.assessment {
        a.check_limits_at(&JsonPath::root().key("assessment"))?;
    }
    let mut unread = Vec::new();
    let bundle = json_of(&req.bundle);
    let resources = bundle_resources(&bundle, &JsonPath::root().key("bundle"), &mut unread)?;
    assemble(resources, unread, None, on, req.assessment.as_ref(), locale).map(|(a, _)| a)
}

/// A part of the request, already read as well-formed JSON, as a JSON value.
pub(crate) fn json_of(raw: &RawValue) -> Value {
    serde_json::from_str(raw.get()).unwrap_or(Value::Null)
}

/// The request's own statements as derived inputs: every field it gives a value (findings
/// that are not `unknown`).
fn stated(a: &Assessment) -> Vec<Derived> {
    fn walk(v: &Value, path: &str, out: &mut Vec<Derived>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    walk(x, &format!("{path}.{k}"), out);
                }
            }
            Value::Array(a) if path.ends_with("diagnoses") => {
                for (i, x) in a.iter().enumerate() {
                    walk(x, &format!("{path}[{i}]"), out);
                }
            }
            Value::Null => {}
            Value::String(s) if s == "unknown" => {}
            other => out.push(Derived {
                input: path.to_owned(),
                value: InputValue::of(other),
                from: vec![Origin::stated(path.replacen('$', "$.assessment", 1))],
            }),
        }
    }
    let mut out = Vec::new();
    walk(
        &serde_json::to_value(a).unwrap_or(Value::Null),
        "$",
        &mut out,
    );
    out
}

fn measure(i: usize, a: &Administration) -> RecordMeasure {
    let date = a
        .date
        .and_then(|d| d.full())
        .map(|d| format!("{:04}-{:02}-{:02}", d.year, d.month, d.day));
    let reading = a.total.as_ref().and_then(|(total, _)| {
        let m = Measure {
            instrument: a.instrument,
            total: Some(*total),
            items: None,
            difficulty: None,
            item9: a.item9.as_ref().map(|(v, _)| *v),
            date: date.clone(),
        };
        measures::evaluate_at(
            None,
            &m,
            "report.baseline",
            &format!("report.measures[{i}]"),
        )
        .ok()
    });
    RecordMeasure {
        instrument: a.instrument,
        total: a.total.as_ref().map(|(t, _)| *t),
        item9: a.item9.as_ref().map(|(v, _)| *v),
        date,
        from: a.from.clone(),
        total_from: a.total.as_ref().map(|(_, f)| f.clone()).unwrap_or_default(),
        item9_from: a.item9.as_ref().map(|(_, o)| o.clone()),
        derived_from: a.derived_from.clone(),
        reading,
    }
}

/// The LOINC code of an instrument's total, if the engine knows one.
pub fn loinc_total(i: Instrument) -> Option<&'static str> {
    instruments::total_code(i)
}
