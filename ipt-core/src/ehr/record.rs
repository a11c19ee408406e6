//! A FHIR R4 record read into the inputs of the rules: `fhir_assess`.
//!
//! The Patient gives the age (from `birthDate`, at the date of the assessment) and, where it
//! says so, the patient's death; the Conditions current at the date give the diagnoses
//! ([`condition`](super::condition): statuses read as modifier elements, abatement, onset and
//! old encounter diagnoses; through the terminology table, D-CODE-MAP), merged when the same
//! diagnosis is recorded more than once; the PHQ-9, PHQ-A, GAD-7 and BDI-II Observations and
//! QuestionnaireResponses give the measures and every item-9 answer
//! ([`item9`](super::item9)). Every derived input cites the element it came from; an input the
//! record is silent on stays unknown and is listed among the inputs missing; whatever is not
//! read is listed with why, and one resource that cannot be read never keeps the rest from
//! being read. Findings stated explicitly in the request are kept, and a code implying the
//! opposite is a conflict that leaves the finding unknown. The answer does not depend on the
//! order of the Bundle's entries (but for the JSONPaths that locate them).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;

use crate::date::Date;
use crate::error::Error;
use crate::explain::Render;
use crate::limits::{self, clip};
use crate::measures::{self, Instrument, Measure, MeasureReading};
use crate::path::JsonPath;
use crate::suitability::{self, Assessment, DiagnosisCode};

use super::administration::{Administration, Dating};
use super::administrations;
pub use super::condition::ConditionKind;
use super::condition::{self, ConditionRead};
use super::fhir::{self, Death, Res};
use super::inputs::combine;
use super::item9::{self, Item9Answer};
use super::mapping::mapping;
pub use super::mapping::{CodeMapping, CodeOutcome, Conflict};
use super::subjects::{self, InContext};
use super::{bundle, Derived, Origin, Reason, Unread, Verification};

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
    /// The total, when the record gives it (and its items do not contradict it) or every item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u32>,
    /// Item 9 (PHQ-9, PHQ-A), when the record gives one score for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item9: Option<u8>,
    /// The date (`YYYY-MM-DD`, as the record states it in its own zone), when the record
    /// gives a full one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The time as written; absent when the record does not date it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// The element the time is from (`effectiveDateTime`, `authored`; `issued`: given no later
    /// than then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dated_by: Option<String>,
    /// `final`, or `unverified` when any resource it was read from is not final.
    pub status: Verification,
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
    /// The instrument administrations in the record, oldest first (undated first).
    pub measures: Vec<RecordMeasure>,
    /// Every PHQ-9 and PHQ-A item-9 answer, oldest first, with whether it raises the
    /// lethality-assessment alert (X-SUICIDE): see [`item9`](super::item9).
    pub item9: Vec<Item9Answer>,
    /// The Conditions read as the record's diagnoses, with their dates, in the order of
    /// `assessment.diagnoses`.
    pub conditions: Vec<RecordCondition>,
    /// The patient's death, when the record says the patient died on or before the date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deceased: Option<Deceased>,
    /// Whether the record came whole: `false` when a Bundle was paged (or truncated, or said
    /// so by an OperationOutcome); the `unread` list says where.
    pub complete: bool,
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

/// A diagnosis of the record: the Conditions it was read from (the same diagnosis recorded
/// more than once is one) and when it was recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordCondition {
    /// The diagnosis in the assessment (`$.diagnoses[0]`).
    pub input: String,
    /// Its code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<DiagnosisCode>,
    /// Where it was recorded (the problem list wins over an encounter).
    pub kind: ConditionKind,
    /// The latest date it was recorded (or, without one, of its onset), as the record states
    /// it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded: Option<String>,
    /// The Conditions.
    pub from: Vec<Origin>,
}

/// The record's statement of the patient's death.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Deceased {
    /// The date of death, when the record gives a full one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The element.
    pub from: Origin,
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

/// Diagnoses read from several Conditions, merged: one per distinct diagnosis.
fn merged(reads: Vec<ConditionRead>) -> Vec<ConditionRead> {
    let mut out: Vec<ConditionRead> = Vec::new();
    let mut at: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for r in reads {
        let key = serde_json::to_string(&r.diagnosis).unwrap_or_default();
        match at.get(&key).and_then(|i| out.get_mut(*i)) {
            Some(m) => {
                m.category_from.extend(r.category_from);
                for (mine, theirs) in [(&mut m.course, r.course), (&mut m.phase, r.phase)] {
                    for c in theirs {
                        match mine.iter_mut().find(|x| x.value == c.value) {
                            Some(x) => x.from.extend(c.from),
                            None => mine.push(c),
                        }
                    }
                }
                m.implies.extend(r.implies);
                m.kind = m.kind.min(r.kind);
                m.date = m.date.max(r.date);
                m.from.extend(r.from);
            }
            None => {
                at.insert(key, out.len());
                out.push(r);
            }
        }
    }
    out
}

/// Reads the record (the resources, already located) with the explicit assessment.
pub(crate) fn assemble(
    resources: Vec<Res<'_>>,
    mut unread: Vec<Unread>,
    context: Option<&InContext<'_>>,
    complete: bool,
    on: Date,
    explicit: Option<&Assessment>,
    r: Render<'_>,
) -> Result<(FhirAssessment, Facts), Error> {
    let sorted = subjects::sort(&resources, context, &mut unread)?;
    let mut age = None;
    let mut deceased = None;
    if let Some(p) = sorted.patient {
        match fhir::patient_age(p, on) {
            Ok(a) => age = Some(a),
            Err(u) => unread.push(u),
        }
        if let Death::Dead(date, from) = fhir::death(p, on, &mut unread) {
            deceased = Some(Deceased {
                date: date.map(|d| d.to_string()),
                from,
            });
        }
    }

    let mut conditions: Vec<&Res<'_>> = sorted.conditions.iter().collect();
    conditions.sort_by(|a, b| {
        (&a.identity.local, a.path.as_str()).cmp(&(&b.identity.local, b.path.as_str()))
    });
    let mut codes = Vec::new();
    let mut reads = Vec::new();
    // Whether the record says anything of the diagnoses: a Condition read, or not read for a
    // clinical reason (resolved, refuted...); not one entered in error or unreadable.
    let mut conditions_present = false;
    for c in &conditions {
        let outcome = condition::condition(c, on);
        codes.extend(outcome.codings.into_iter().map(|cr| mapping(cr, r)));
        unread.extend(outcome.notes);
        match outcome.read {
            Ok(read) => {
                conditions_present = true;
                reads.push(read);
            }
            Err(u) => {
                conditions_present |= !u.reason.is_defect() && u.reason != Reason::EnteredInError;
                unread.push(u);
            }
        }
    }
    let mut reads = merged(reads);
    let key = |r: &ConditionRead| {
        (
            serde_json::to_string(&r.diagnosis).unwrap_or_default(),
            r.from.first().map(|o| o.element.clone()),
        )
    };
    reads.sort_by_cached_key(key);
    let explicit_count = explicit.map_or(0, |a| a.diagnoses.len());
    if reads.len() + explicit_count > limits::MAX_DIAGNOSES {
        return Err(Error::limit(
            reads
                .get(limits::MAX_DIAGNOSES.saturating_sub(explicit_count))
                .and_then(|r| r.from.first())
                .map_or_else(JsonPath::root, |o| JsonPath::from(o.path.clone())),
            "distinct diagnoses (the record's and the request's)",
            limits::MAX_DIAGNOSES,
            "max_diagnoses",
        ));
    }

    let administrations =
        administrations::read(&sorted.observations, &sorted.responses, on, &mut unread);
    let item9 = item9::answers(&administrations, on);
    let (assessment, derived, conflicts) = combine(&reads, age, explicit, r);
    let record_conditions = reads
        .iter()
        .enumerate()
        .map(|(i, r)| RecordCondition {
            input: format!("$.diagnoses[{i}]"),
            code: r.diagnosis.code.clone(),
            kind: r.kind,
            recorded: r.date.map(|d| d.to_string()),
            from: r.from.clone(),
        })
        .collect();

    let measures = administrations
        .iter()
        .enumerate()
        .map(|(i, a)| measure(i, a, r))
        .collect();
    let mut inputs_missing: Vec<String> = suitability::decide(&assessment)
        .missing
        .paths()
        .into_iter()
        .map(std::borrow::Cow::into_owned)
        .collect();
    if !conditions_present && assessment.diagnoses.is_empty() {
        inputs_missing.push("$.diagnoses".into());
        inputs_missing.sort();
        inputs_missing.dedup();
    }
    let order = |u: &Unread| {
        (
            u.origin.element.is_none(),
            u.origin.element.clone(),
            u.reason,
            u.origin.path.clone(),
        )
    };
    unread.sort_by_cached_key(order);
    codes.sort_by(|a, b| {
        (&a.origin.element, &a.origin.path).cmp(&(&b.origin.element, &b.origin.path))
    });
    let complete = complete
        && !unread
            .iter()
            .any(|u| matches!(u.reason, Reason::Paged | Reason::OperationOutcome));
    Ok((
        FhirAssessment {
            assessment,
            derived,
            measures,
            item9,
            conditions: record_conditions,
            deceased,
            complete,
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
pub fn assess(req: &FhirAssessRequest, r: Render<'_>) -> Result<FhirAssessment, Error> {
    let on = date_at(&req.date, "$.date")?;
    if let Some(a) = &req.assessment {
        a.check_limits_at(&JsonPath::root().key("assessment"))?;
    }
    let mut unread = Vec::new();
    let at = JsonPath::root().key("bundle");
    let value = bundle::json_of(&req.bundle, &at)?;
    let read = bundle::resources(&value, &at, None, &mut unread)?;
    assemble(
        read.resources,
        unread,
        None,
        !read.paged,
        on,
        req.assessment.as_ref(),
        r,
    )
    .map(|(a, _)| a)
}

fn measure(i: usize, a: &Administration, r: Render<'_>) -> RecordMeasure {
    let (date, time, dated_by) = match &a.dating {
        Dating::At(s, e) => (
            s.local.full().map(|d| d.to_string()),
            Some(s.text.clone()),
            Some(e.clone()),
        ),
        Dating::NoLaterThan(s, e) => (None, Some(s.text.clone()), Some(e.clone())),
        Dating::Undated => (None, None, None),
    };
    let total = a.total.as_ref().map(|(t, _)| *t);
    let item9 = a
        .instrument
        .has_item9()
        .then(|| a.item(9))
        .flatten()
        .and_then(|s| u8::try_from(s).ok());
    let reading = total.and_then(|total| {
        let m = Measure {
            instrument: a.instrument,
            total: Some(total),
            items: None,
            difficulty: None,
            item9,
            date: date.clone(),
        };
        measures::evaluate_with(
            None,
            &m,
            "report.baseline",
            &format!("report.measures[{i}]"),
            &measures::change::Resolved::defaults(a.instrument),
            r,
        )
        .ok()
    });
    RecordMeasure {
        instrument: a.instrument,
        total,
        item9,
        date,
        time,
        dated_by,
        status: if a.verified {
            Verification::Final
        } else {
            Verification::Unverified
        },
        from: a.from.clone(),
        total_from: a.total.as_ref().map(|(_, f)| f.clone()).unwrap_or_default(),
        item9_from: item9.and_then(|_| {
            a.answers
                .iter()
                .find(|x| x.n == 9)
                .map(|x| x.origin.clone())
        }),
        derived_from: a.derived_from.clone(),
        reading,
    }
}
