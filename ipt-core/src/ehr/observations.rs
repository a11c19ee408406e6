//! Measures written as FHIR R4 Observations (`fhir_observations`), in the shape of US Core's
//! Observation Screening Assessment profile: category `survey`, LOINC codes, an integer
//! total; a PHQ-9 as a panel (44249-1) whose `hasMember` are its total (44261-6) and, when
//! recorded, item 9 (44260-8, coded with the PHQ-9 answer list); `derivedFrom` the
//! QuestionnaireResponse when there is one. They come as a transaction Bundle whose entries
//! refer to each other by `urn:uuid` (UUID version 5 of the measure, so the same measures give
//! the same Bundle), ready to post to a FHIR server.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::Error;
use crate::limits::{self, clip};
use crate::measures::{Instrument, Measure};

use super::fhir::is_fhir_id;
use super::instruments::total_code;
use super::instruments::{LOINC, PHQ9_ANSWERS, PHQ9_ITEM9, PHQ9_PANEL};

/// The US Core profile the Observations follow.
pub const PROFILE: &str =
    "http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-screening-assessment";

/// The request of `fhir_observations`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ObservationsRequest {
    /// The patient: `Patient/{id}` or a `urn:uuid:` reference.
    pub subject: String,
    /// The measures (PHQ-9 or BDI-II; HAM-D 17 has no LOINC code the engine writes).
    pub measures: Vec<Measure>,
    /// The QuestionnaireResponse the PHQ-9 measures were derived from
    /// (`QuestionnaireResponse/{id}` or a `urn:uuid:` reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derived_from: Option<String>,
}

/// A FHIR Reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// The reference.
    pub reference: String,
}

/// A FHIR Coding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FhirCoding {
    /// The code system.
    pub system: String,
    /// The code.
    pub code: String,
    /// Its display.
    pub display: String,
}

/// A FHIR CodeableConcept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    /// The codings.
    pub coding: Vec<FhirCoding>,
    /// The text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// `Observation.meta`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// The profiles it claims.
    pub profile: Vec<String>,
}

/// A FHIR R4 Observation as this engine writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// `Observation`.
    #[serde(rename = "resourceType")]
    pub resource_type: String,
    /// The US Core Observation Screening Assessment profile.
    pub meta: Meta,
    /// `final`.
    pub status: String,
    /// `survey`.
    pub category: Vec<Concept>,
    /// The LOINC code.
    pub code: Concept,
    /// The patient.
    pub subject: Reference,
    /// The date of administration.
    #[serde(
        rename = "effectiveDateTime",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub effective_date_time: Option<String>,
    /// A total.
    #[serde(
        rename = "valueInteger",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub value_integer: Option<u32>,
    /// An item's coded answer.
    #[serde(
        rename = "valueCodeableConcept",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub value_codeable_concept: Option<Concept>,
    /// A panel's members.
    #[serde(rename = "hasMember", default, skip_serializing_if = "Vec::is_empty")]
    pub has_member: Vec<Reference>,
    /// The QuestionnaireResponse it was derived from.
    #[serde(rename = "derivedFrom", default, skip_serializing_if = "Vec::is_empty")]
    pub derived_from: Vec<Reference>,
}

/// `Bundle.entry.request`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryRequest {
    /// `POST`.
    pub method: String,
    /// `Observation`.
    pub url: String,
}

/// A transaction entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// `urn:uuid:…`, by which the panel refers to its members.
    #[serde(rename = "fullUrl")]
    pub full_url: String,
    /// The Observation.
    pub resource: Observation,
    /// How to create it.
    pub request: EntryRequest,
}

/// The answer of `fhir_observations`: a FHIR R4 transaction Bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ObservationBundle {
    /// `Bundle`.
    #[serde(rename = "resourceType")]
    pub resource_type: String,
    /// `transaction`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The Observations, each PHQ-9 panel before its members.
    pub entry: Vec<Entry>,
}

fn concept(code: &str, display: &str) -> Concept {
    concept_in(LOINC, code, display)
}

fn concept_in(system: &str, code: &str, display: &str) -> Concept {
    Concept {
        coding: vec![FhirCoding {
            system: system.to_owned(),
            code: code.to_owned(),
            display: display.to_owned(),
        }],
        text: Some(display.to_owned()),
    }
}

/// The LOINC display of a code this engine writes.
fn display(code: &str) -> &'static str {
    match code {
        PHQ9_PANEL => "PHQ-9 quick depression assessment panel [Reported.PHQ]",
        PHQ9_ITEM9 => "Thoughts that you would be better off dead, or of hurting yourself in some way in last 2 weeks [Reported.PHQ]",
        "44261-6" => "Patient Health Questionnaire 9 item (PHQ-9) total score [Reported]",
        "89209-1" => "Beck Depression Inventory II total score [BDI]",
        "70274-6" => "Generalized anxiety disorder 7 item (GAD-7) total score [Reported.PHQ]",
        "89204-2" => "Patient Health Questionnaire-9: Modified for Teens total score [Reported.PHQ.Teen]",
        crate::measures::WSAS_TOTAL_CODE => "Work and Social Adjustment Scale (WSAS) total score",
        "LA6568-5" => "Not at all",
        "LA6569-3" => "Several days",
        "LA6570-1" => "More than half the days",
        "LA6571-9" => "Nearly every day",
        _ => "",
    }
}

/// Checks a reference: `{kind}/{id}` or `urn:uuid:…`.
fn reference(r: &str, kind: &str, at: &str) -> Result<Reference, Error> {
    limits::check_id(r, || at.into())?;
    let ok = r
        .strip_prefix(kind)
        .and_then(|x| x.strip_prefix('/'))
        .is_some_and(is_fhir_id)
        || r.strip_prefix("urn:uuid:")
            .is_some_and(|u| Uuid::try_parse(u).is_ok());
    if ok {
        Ok(Reference {
            reference: r.to_owned(),
        })
    } else {
        Err(Error::invalid(
            at,
            format!(
                "expected `{kind}/<id>` or `urn:uuid:<uuid>`, got `{}`",
                clip(r)
            ),
        ))
    }
}

/// `fhir_observations`: the measures as a transaction Bundle of Observations.
pub fn observations(req: &ObservationsRequest) -> Result<ObservationBundle, Error> {
    let subject = reference(&req.subject, "Patient", "$.subject")?;
    let derived = req
        .derived_from
        .as_deref()
        .map(|r| reference(r, "QuestionnaireResponse", "$.derived_from"))
        .transpose()?;
    limits::check_len(
        req.measures.len(),
        limits::MAX_MEASURES_PER_COURSE,
        "measures",
        "max_measures_per_course",
        || "$.measures".into(),
    )?;
    let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:ipt-engine:fhir-observations");
    let mut entry = Vec::new();
    for (i, m) in req.measures.iter().enumerate() {
        let at = format!("$.measures[{i}]");
        m.validate(&at)?;
        let Some((total_system, total_code)) = total_code(m.instrument) else {
            return Err(Error::invalid(
                format!("{at}.instrument"),
                format!(
                    "{} has no code this engine writes (no LOINC code): PHQ-9, PHQ-A, GAD-7, BDI-II and WSAS are written",
                    m.instrument.label()
                ),
            ));
        };
        let url = |role: &str| {
            let name = format!(
                "{}|{i}|{role}|{}",
                subject.reference,
                serde_json::to_string(m).unwrap_or_default()
            );
            format!("urn:uuid:{}", Uuid::new_v5(&namespace, name.as_bytes()))
        };
        let derived_from: Vec<Reference> = match m.instrument {
            Instrument::Phq9 => derived.iter().cloned().collect(),
            _ => Vec::new(),
        };
        let observation = |system: &str, code: &str| Observation {
            resource_type: "Observation".to_owned(),
            meta: Meta {
                profile: vec![PROFILE.to_owned()],
            },
            status: "final".to_owned(),
            category: vec![Concept {
                coding: vec![FhirCoding {
                    system: "http://terminology.hl7.org/CodeSystem/observation-category".into(),
                    code: "survey".into(),
                    display: "Survey".into(),
                }],
                text: None,
            }],
            code: concept_in(system, code, display(code)),
            subject: subject.clone(),
            effective_date_time: m.date.clone(),
            value_integer: None,
            value_codeable_concept: None,
            has_member: Vec::new(),
            derived_from: derived_from.clone(),
        };
        let post = |full_url: String, resource: Observation| Entry {
            full_url,
            resource,
            request: EntryRequest {
                method: "POST".into(),
                url: "Observation".into(),
            },
        };
        let Some(score) = m.score() else {
            return Err(Error::invalid(
                format!("{at}.items"),
                "the total is unknown (an item is not answered, and totals are not prorated): \
                 an Observation needs the total"
                    .to_owned(),
            ));
        };
        let mut total = observation(total_system, total_code);
        total.value_integer = Some(score);
        let total = post(url("total"), total);
        if m.instrument != Instrument::Phq9 {
            entry.push(total);
            continue;
        }
        let mut members = vec![total];
        if let Some(i9) = m.item9_score() {
            let answer = PHQ9_ANSWERS
                .iter()
                .find(|(_, score)| *score == i9)
                .map_or("", |(code, _)| *code);
            let mut item = observation(LOINC, PHQ9_ITEM9);
            item.value_codeable_concept = Some(concept(answer, display(answer)));
            members.push(post(url("item9"), item));
        }
        let mut panel = observation(LOINC, PHQ9_PANEL);
        panel.has_member = members
            .iter()
            .map(|e| Reference {
                reference: e.full_url.clone(),
            })
            .collect();
        entry.push(post(url("panel"), panel));
        entry.extend(members);
    }
    Ok(ObservationBundle {
        resource_type: "Bundle".into(),
        kind: "transaction".into(),
        entry,
    })
}
