//! Reading FHIR R4 JSON: resources located in the request, the Patient's age and the
//! Conditions through the terminology table. Every error names the JSONPath of the element.

use serde_json::{Map, Value};

use crate::date::Date;
use crate::error::Error;
use crate::limits::{check_id, clip};
use crate::path::JsonPath;
use crate::suitability::{Diagnosis, DiagnosisCode, IllnessPhase};

use super::terminology::{lookup, Implied, Lookup, Row};
use super::{Claim, Origin, Reason, Unread};

/// A resource of the record with where it is in the request.
#[derive(Debug, Clone)]
pub(crate) struct Res<'a> {
    /// The resource's JSON object.
    pub body: &'a Map<String, Value>,
    /// Its JSONPath in the request.
    pub path: JsonPath,
    /// `resourceType`.
    pub kind: &'a str,
    /// `id`, if it has one.
    pub id: Option<&'a str>,
    /// The Bundle entry's `fullUrl`, if any.
    pub full_url: Option<&'a str>,
}

impl<'a> Res<'a> {
    /// Checks a resource's `resourceType` and `id`.
    pub fn new(
        value: &'a Value,
        path: JsonPath,
        full_url: Option<&'a str>,
    ) -> Result<Res<'a>, Error> {
        let Some(body) = value.as_object() else {
            return Err(Error::invalid(path, "a FHIR resource is a JSON object"));
        };
        let Some(kind) = body.get("resourceType").and_then(Value::as_str) else {
            return Err(Error::invalid(
                path.key("resourceType"),
                "a FHIR resource names its resourceType (a string)",
            ));
        };
        check_id(kind, || path.key("resourceType"))?;
        let id = match body.get("id") {
            None => None,
            Some(Value::String(id)) if is_fhir_id(id) => Some(id.as_str()),
            Some(other) => {
                return Err(Error::invalid(
                    path.key("id"),
                    format!(
                        "a FHIR id is 1 to 64 letters, digits, '-' and '.', got {}",
                        clip(&other.to_string())
                    ),
                ))
            }
        };
        Ok(Res {
            body,
            path,
            kind,
            id,
            full_url,
        })
    }

    /// The resource's name: `Condition/abc`, or `Condition` when it has no id.
    pub fn name(&self) -> String {
        match self.id {
            Some(id) => format!("{}/{id}", self.kind),
            None => self.kind.to_owned(),
        }
    }

    /// The origin of the whole resource.
    pub fn origin(&self) -> Origin {
        Origin {
            element: Some(self.name()),
            path: self.path.to_string(),
        }
    }

    /// The origin of an element (`code.coding[0]`).
    pub fn at(&self, element: &str) -> Origin {
        Origin {
            element: Some(format!("{}.{element}", self.name())),
            path: format!("{}.{element}", self.path),
        }
    }

    /// The JSONPath of an element, for an error.
    pub fn path_of(&self, element: &str) -> JsonPath {
        JsonPath::from(format!("{}.{element}", self.path))
    }

    /// An unread note on the whole resource.
    pub fn unread(&self, reason: Reason) -> Unread {
        Unread {
            origin: self.origin(),
            reason,
        }
    }

    /// A string element.
    pub fn str(&self, key: &str) -> Option<&'a str> {
        self.body.get(key).and_then(Value::as_str)
    }

    /// The code of the first coding of a CodeableConcept element whose system is `system`.
    pub fn concept_code(&self, key: &str, system: &str) -> Option<&'a str> {
        codings(self.body.get(key))
            .find(|c| c.get("system").and_then(Value::as_str) == Some(system))
            .and_then(|c| c.get("code").and_then(Value::as_str))
    }

    /// The reference of a Reference element.
    pub fn reference(&self, key: &str) -> Option<&'a str> {
        self.body
            .get(key)
            .and_then(|r| r.get("reference"))
            .and_then(Value::as_str)
    }

    /// Whether `reference` (relative, absolute or a `fullUrl`) refers to this resource.
    pub fn is_referred_by(&self, reference: &str) -> bool {
        let relative = self.id.map(|id| format!("{}/{id}", self.kind));
        relative.as_deref() == Some(reference)
            || relative
                .as_deref()
                .is_some_and(|r| reference.ends_with(&format!("/{r}")))
            || self.full_url == Some(reference)
    }
}

/// The codings of a CodeableConcept value.
pub(crate) fn codings(concept: Option<&Value>) -> impl Iterator<Item = &Map<String, Value>> {
    concept
        .and_then(|c| c.get("coding"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
}

/// A FHIR id: 1 to 64 of `[A-Za-z0-9-.]`.
pub(crate) fn is_fhir_id(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'.')
}

/// The date part of a FHIR date or dateTime: a full date, or the parts given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FhirDate {
    /// `YYYY-MM-DD` (a dateTime's date).
    Full(Date),
    /// `YYYY-MM`.
    Month(i32, u32),
    /// `YYYY`.
    Year(i32),
}

impl FhirDate {
    /// Parses a FHIR date or dateTime (`2022-11-29T20:50:32+00:00` reads as `2022-11-29`).
    pub fn parse(s: &str) -> Option<FhirDate> {
        let date = s.split('T').next().unwrap_or_default();
        if s.len() > date.len() && date.len() != 10 {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = date.get(r)?;
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        match date.len() {
            4 => Some(FhirDate::Year(i32::try_from(num(0..4)?).ok()?)),
            7 if date.as_bytes().get(4) == Some(&b'-') => {
                let m = num(5..7)?;
                (1..=12)
                    .contains(&m)
                    .then_some(FhirDate::Month(i32::try_from(num(0..4)?).ok()?, m))
            }
            10 => Date::parse(date).map(FhirDate::Full),
            _ => None,
        }
    }

    /// The full date, when there is one.
    pub fn full(self) -> Option<Date> {
        match self {
            FhirDate::Full(d) => Some(d),
            _ => None,
        }
    }

    /// Whether this date is certainly after `d`.
    pub fn after(self, d: Date) -> bool {
        match self {
            FhirDate::Full(x) => x > d,
            FhirDate::Month(y, m) => (y, m) > (d.year, d.month),
            FhirDate::Year(y) => y > d.year,
        }
    }
}

/// Completed years from `birth` to `on`, when the birth date tells them for certain.
pub(crate) fn age_at(birth: FhirDate, on: Date) -> Option<i64> {
    let years = |y: i32, before_birthday: bool| i64::from(on.year - y) - i64::from(before_birthday);
    match birth {
        FhirDate::Full(b) => Some(years(b.year, (on.month, on.day) < (b.month, b.day))),
        // Outside the birth month the birthday is known to be past or to come.
        FhirDate::Month(y, m) if m != on.month => Some(years(y, on.month < m)),
        _ => None,
    }
}

/// The Patient's age at the date, with where it came from; or why it is unknown.
pub(crate) fn patient_age(
    patient: &Res<'_>,
    on: Date,
) -> Result<Result<(u8, Origin), Unread>, Error> {
    let at = patient.at("birthDate");
    let Some(text) = patient.body.get("birthDate") else {
        return Ok(Err(Unread {
            origin: at,
            reason: Reason::Absent,
        }));
    };
    let birth = text.as_str().and_then(FhirDate::parse).ok_or_else(|| {
        Error::invalid(
            patient.path_of("birthDate"),
            format!(
                "a FHIR date is YYYY, YYYY-MM or YYYY-MM-DD, got {}",
                clip(&text.to_string())
            ),
        )
    })?;
    if birth.after(on) {
        return Err(Error::invalid(
            patient.path_of("birthDate"),
            format!("the birth date is after the date of the assessment ({on:?})"),
        ));
    }
    let Some(age) = age_at(birth, on) else {
        return Ok(Err(Unread {
            origin: at,
            reason: Reason::PartialDate,
        }));
    };
    match u8::try_from(age) {
        Ok(a) if a <= 120 => Ok(Ok((a, at))),
        _ => Err(Error::invalid(
            patient.path_of("birthDate"),
            format!("the birth date gives an age of {age} years; ages 0 to 120 are read"),
        )),
    }
}

/// One coding of a Condition and what the table says about it.
#[derive(Debug, Clone)]
pub(crate) struct CodingRead {
    pub origin: Origin,
    pub system: String,
    pub code: String,
    pub lookup: Lookup,
}

/// A Condition read: the diagnosis, the origin of each of its fields, and what it implies.
#[derive(Debug, Clone)]
pub(crate) struct ConditionRead {
    pub diagnosis: Diagnosis,
    pub category_from: Vec<Origin>,
    pub course: Vec<Claim>,
    pub phase: Vec<Claim>,
    pub implies: Vec<(Implied, Origin)>,
}

/// What a Condition gave: every coding looked up, and the diagnosis or why there is none.
pub(crate) struct ConditionOutcome {
    pub codings: Vec<CodingRead>,
    pub read: Result<ConditionRead, Unread>,
}

const CLINICAL: &str = "http://terminology.hl7.org/CodeSystem/condition-clinical";
const VERIFICATION: &str = "http://terminology.hl7.org/CodeSystem/condition-ver-status";

/// Reads a Condition: its status first (only active and confirmed diagnoses are read), then
/// every coding of its code through the terminology table.
pub(crate) fn condition(c: &Res<'_>, on: Date) -> Result<ConditionOutcome, Error> {
    let none = |reason| {
        Ok(ConditionOutcome {
            codings: Vec::new(),
            read: Err(c.unread(reason)),
        })
    };
    let clinical = c.concept_code("clinicalStatus", CLINICAL);
    if matches!(clinical, Some("inactive" | "resolved")) {
        return none(Reason::NotActive);
    }
    if let Some(v) = c.concept_code("verificationStatus", VERIFICATION) {
        if v != "confirmed" {
            return none(Reason::NotConfirmed);
        }
    }
    if let Some(recorded) = c.str("recordedDate").and_then(FhirDate::parse) {
        if recorded.after(on) {
            return none(Reason::AfterDate);
        }
    }
    let Some(code) = c.body.get("code") else {
        return Ok(ConditionOutcome {
            codings: Vec::new(),
            read: Err(Unread {
                origin: c.at("code"),
                reason: Reason::NoCode,
            }),
        });
    };
    let mut codings = Vec::new();
    for (i, coding) in code
        .get("coding")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let element = format!("code.coding[{i}]");
        let system = coding.get("system").and_then(Value::as_str).unwrap_or("");
        let value = coding.get("code").and_then(Value::as_str).unwrap_or("");
        check_id(value, || c.path_of(&format!("{element}.code")))?;
        codings.push(CodingRead {
            origin: c.at(&element),
            system: clip(system).into_owned(),
            code: value.to_owned(),
            lookup: lookup(system, value),
        });
    }
    if codings.is_empty() {
        return Ok(ConditionOutcome {
            codings,
            read: Err(Unread {
                origin: c.at("code"),
                reason: Reason::NoCoding,
            }),
        });
    }
    let mapped: Vec<(&CodingRead, &Row)> = codings
        .iter()
        .filter_map(|cr| match cr.lookup {
            Lookup::Mapped(r) => Some((cr, r)),
            _ => None,
        })
        .collect();
    let Some((first, row)) = mapped.first().copied() else {
        return Ok(ConditionOutcome {
            read: Err(c.unread(Reason::NoMappedCode)),
            codings,
        });
    };
    if mapped.iter().any(|(_, r)| r.category != row.category) {
        return Ok(ConditionOutcome {
            read: Err(c.unread(Reason::ConflictingCodes)),
            codings,
        });
    }
    let course = claims(
        mapped
            .iter()
            .filter_map(|(cr, r)| r.course.map(|v| (v, cr.origin.clone()))),
    );
    let remission =
        (clinical == Some("remission")).then(|| (IllnessPhase::Remitted, c.at("clinicalStatus")));
    let phase = claims(
        mapped
            .iter()
            .filter_map(|(cr, r)| r.phase.map(|v| (v, cr.origin.clone())))
            .chain(remission),
    );
    let diagnosis = Diagnosis {
        category: row.category,
        code: Some(DiagnosisCode {
            system: row.system.code_system(),
            value: first.code.clone(),
        }),
        course: only(&course),
        phase: only(&phase),
    };
    let implies = mapped
        .iter()
        .filter_map(|(cr, r)| r.implies.map(|i| (i, cr.origin.clone())))
        .collect();
    Ok(ConditionOutcome {
        read: Ok(ConditionRead {
            diagnosis,
            category_from: mapped.iter().map(|(cr, _)| cr.origin.clone()).collect(),
            course: as_claims(course),
            phase: as_claims(phase),
            implies,
        }),
        codings,
    })
}

/// The distinct values sources give, each with its sources, in the order first given.
pub(crate) fn claims<T: PartialEq>(
    items: impl Iterator<Item = (T, Origin)>,
) -> Vec<(T, Vec<Origin>)> {
    let mut out: Vec<(T, Vec<Origin>)> = Vec::new();
    for (v, o) in items {
        match out.iter_mut().find(|(x, _)| *x == v) {
            Some((_, from)) => from.push(o),
            None => out.push((v, vec![o])),
        }
    }
    out
}

/// The value when the sources agree on one.
pub(crate) fn only<T: Copy>(claims: &[(T, Vec<Origin>)]) -> Option<T> {
    match claims {
        [(v, _)] => Some(*v),
        _ => None,
    }
}

/// Typed claims as the answer shows them.
pub(crate) fn as_claims<T: serde::Serialize>(claims: Vec<(T, Vec<Origin>)>) -> Vec<Claim> {
    claims
        .into_iter()
        .map(|(v, from)| Claim {
            value: crate::explain::InputValue::of(v),
            from,
        })
        .collect()
}
