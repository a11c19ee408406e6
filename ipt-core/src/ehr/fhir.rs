//! Reading FHIR R4 JSON: a resource located in the request (with its identity, for
//! references), its elements, and the Patient's age and death. Whatever cannot be read is an
//! [`Unread`] with the element's path, never an error for the whole record.

use serde_json::{Map, Value};

use crate::date::Date;
use crate::limits::clip;
use crate::path::JsonPath;

pub(crate) use super::reference::is_fhir_id;
use super::reference::Identity;
use super::time::{FhirDate, Stamp};
use super::{Origin, Reason, Unread};

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
    /// Its identity, for the references that name it.
    pub identity: Identity,
}

impl<'a> Res<'a> {
    /// Checks a resource's `resourceType` and `id`; a value that is not a resource this engine
    /// can read is [`Reason::InvalidResource`] at its path. `server` is the base of the FHIR
    /// server the resource came from, when known (the CDS Hooks `fhirServer`).
    pub fn new(
        value: &'a Value,
        path: JsonPath,
        full_url: Option<&str>,
        server: Option<&str>,
    ) -> Result<Res<'a>, Unread> {
        let invalid = |at: JsonPath, v: Option<&Value>| {
            let u = Unread {
                origin: Origin::stated(at.to_string()),
                reason: Reason::InvalidResource,
                value: None,
            };
            match v {
                Some(v) => u.with_value(v),
                None => u,
            }
        };
        let Some(body) = value.as_object() else {
            return Err(invalid(path, Some(value)));
        };
        let kind = match body.get("resourceType") {
            Some(Value::String(k)) if is_type(k) => k.as_str(),
            other => return Err(invalid(path.key("resourceType"), other)),
        };
        let id = match body.get("id") {
            None => None,
            Some(Value::String(id)) if is_fhir_id(id) => Some(id.as_str()),
            Some(other) => return Err(invalid(path.key("id"), Some(other))),
        };
        Ok(Res {
            body,
            path,
            kind,
            id,
            identity: Identity::of(kind, id, full_url, server),
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
            value: None,
        }
    }

    /// An unread note on an element, with its value.
    pub fn unread_at(&self, element: &str, reason: Reason) -> Unread {
        let u = Unread {
            origin: self.at(element),
            reason,
            value: None,
        };
        match self.element(element) {
            Some(v) => u.with_value(v),
            None => u,
        }
    }

    /// The value of a dotted element path (`valueQuantity.value`, `component[2].valueInteger`),
    /// if present.
    pub fn element(&self, element: &str) -> Option<&'a Value> {
        let mut parts = element.split('.');
        let first = parts.next()?;
        let mut v = step(self.body, first)?;
        for p in parts {
            v = step(v.as_object()?, p)?;
        }
        Some(v)
    }

    /// A time element (`effectiveDateTime`, `authored`): `None` when absent, the stamp when it
    /// reads, or an [`Reason::InvalidDate`] note.
    pub fn stamp(&self, element: &str) -> Option<Result<Stamp, Unread>> {
        let v = self.element(element)?;
        Some(
            v.as_str()
                .and_then(Stamp::parse)
                .ok_or_else(|| self.unread_at(element, Reason::InvalidDate)),
        )
    }

    /// A string element.
    pub fn str(&self, key: &str) -> Option<&'a str> {
        self.body.get(key).and_then(Value::as_str)
    }

    /// The reference of a Reference element.
    pub fn reference(&self, key: &str) -> Option<&'a str> {
        self.body
            .get(key)
            .and_then(|r| r.get("reference"))
            .and_then(Value::as_str)
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

/// A resource type: a letter, then letters and digits (1 to 64).
fn is_type(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes().next().is_some_and(|c| c.is_ascii_uppercase())
        && s.bytes().all(|c| c.is_ascii_alphanumeric())
}

/// One step of an element path: `key` or `key[n]`.
fn step<'a>(m: &'a Map<String, Value>, part: &str) -> Option<&'a Value> {
    match part.split_once('[') {
        Some((key, index)) => {
            let n: usize = index.strip_suffix(']')?.parse().ok()?;
            m.get(key)?.as_array()?.get(n)
        }
        None => m.get(part),
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
pub(crate) fn patient_age(patient: &Res<'_>, on: Date) -> Result<(u8, Origin), Unread> {
    let at = patient.at("birthDate");
    let Some(text) = patient.body.get("birthDate") else {
        return Err(Unread {
            origin: at,
            reason: Reason::Absent,
            value: None,
        });
    };
    let birth = text
        .as_str()
        .filter(|t| !t.contains('T'))
        .and_then(FhirDate::parse)
        .ok_or_else(|| patient.unread_at("birthDate", Reason::InvalidDate))?;
    if birth.after(on) {
        return Err(patient.unread_at("birthDate", Reason::AfterDate));
    }
    let Some(age) = age_at(birth, on) else {
        return Err(Unread {
            origin: at,
            reason: Reason::PartialDate,
            value: None,
        });
    };
    match u8::try_from(age) {
        Ok(a) if a <= 120 => Ok((a, at)),
        _ => Err(patient.unread_at("birthDate", Reason::OutOfRange)),
    }
}

/// What the record says of the patient's death at the date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Death {
    /// Dead at the date: the date when the record gives one, and where it says so.
    Dead(Option<Date>, Origin),
    /// Nothing says so (or a death dated after the assessment).
    NotRecorded,
}

/// The Patient's `deceased[x]` at the date: `deceasedBoolean: true`, or a `deceasedDateTime`
/// on or before it (a partial date that may be later is not a death at the date).
pub(crate) fn death(patient: &Res<'_>, on: Date, unread: &mut Vec<Unread>) -> Death {
    if patient.body.get("deceasedBoolean") == Some(&Value::Bool(true)) {
        return Death::Dead(None, patient.at("deceasedBoolean"));
    }
    match patient.stamp("deceasedDateTime") {
        Some(Ok(st)) if st.local.on_or_before(on) => {
            Death::Dead(st.local.full(), patient.at("deceasedDateTime"))
        }
        Some(Err(u)) => {
            unread.push(u);
            Death::NotRecorded
        }
        _ => Death::NotRecorded,
    }
}

/// A text as it may be shown in an answer: clipped to 64 characters.
pub(crate) fn shown(s: &str) -> String {
    clip(s).into_owned()
}
