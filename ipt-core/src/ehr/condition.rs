//! Reading a Condition: its statuses first, then its dates, then every coding of its code
//! through the terminology table (D-CODE-MAP).
//!
//! `clinicalStatus` and `verificationStatus` are modifier elements (FHIR R4): a system that
//! cannot read them must not use the resource as if they were benign. A status is read from a
//! coding of its FHIR code system (`…/CodeSystem/condition-clinical`,
//! `…/CodeSystem/condition-ver-status`); present but without one (a coding without a system,
//! the ValueSet's URL as its system, text alone), with codings that disagree, or with a code the
//! system does not have, the Condition is not read ([`Reason::StatusUnreadable`]), never read
//! as active and confirmed. Absent, a clinical status is active and a verification status
//! confirmed, as FHIR's problem lists send them.
//!
//! At the date of the assessment: a Condition recorded, or with an onset, after it is not
//! read; one that abated on or before it (`abatement[x]`, con-4) is not read, unless its status
//! is `remission` (a remitted episode, read as such); an encounter
//! diagnosis never closed and dated more than [`ENCOUNTER_DIAGNOSIS_DAYS`] before it is listed
//! with its date, not read as current. A clinical status of `relapse` or `recurrence` says the
//! episode is acute, `remission` that it is remitted: each is a claim on the phase beside the
//! code's, so a code "in remission" with a status `relapse` is a conflict, and a code with
//! psychotic features in `remission` implies no active psychosis.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::date::Date;
use crate::limits::check_id;
use crate::suitability::{Diagnosis, DiagnosisCode, IllnessPhase};

use super::fhir::{codings, shown, Res};
use super::terminology::{lookup, Implied, Lookup, Row};
use super::time::Stamp;
use super::{Claim, Origin, Reason, Unread};

/// How long an encounter diagnosis that was never closed is read as current: a year from the
/// date it was recorded (or its onset). Problem-list items stay current until they are closed.
pub const ENCOUNTER_DIAGNOSIS_DAYS: i64 =
    crate::catalogue::parameters::ENCOUNTER_DIAGNOSIS_DAYS as i64;

const CLINICAL: &str = "http://terminology.hl7.org/CodeSystem/condition-clinical";
const VERIFICATION: &str = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
const CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/condition-category";

const CLINICAL_CODES: [&str; 6] = [
    "active",
    "recurrence",
    "relapse",
    "inactive",
    "remission",
    "resolved",
];
const VERIFICATION_CODES: [&str; 6] = [
    "unconfirmed",
    "provisional",
    "differential",
    "confirmed",
    "refuted",
    "entered-in-error",
];

/// One coding of a Condition and what the table says about it.
#[derive(Debug, Clone)]
pub(crate) struct CodingRead {
    pub origin: Origin,
    pub system: String,
    pub code: String,
    pub lookup: Lookup,
}

/// Where a Condition was recorded (its `category`, as US Core codes it).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ConditionKind {
    /// On the problem list: current until closed.
    ProblemListItem,
    /// A diagnosis made at an encounter: current for a year unless closed.
    EncounterDiagnosis,
    /// A health concern.
    HealthConcern,
    /// Not stated.
    Unstated,
}

/// A Condition read: the diagnosis, the origin of each of its fields, what it implies, and
/// the dates it was recorded with.
#[derive(Debug, Clone)]
pub(crate) struct ConditionRead {
    pub diagnosis: Diagnosis,
    pub category_from: Vec<Origin>,
    pub course: Vec<Claim>,
    pub phase: Vec<Claim>,
    pub implies: Vec<(Implied, Origin)>,
    pub kind: ConditionKind,
    /// The date the Condition was recorded (or, without one, its onset), as it states it.
    pub date: Option<Date>,
    /// The resources it was read from (more than one once merged).
    pub from: Vec<Origin>,
}

/// What a Condition gave: every coding looked up, and the diagnosis or why there is none.
pub(crate) struct ConditionOutcome {
    pub codings: Vec<CodingRead>,
    pub read: Result<ConditionRead, Unread>,
    /// Notes on elements read around (an unreadable onset date).
    pub notes: Vec<Unread>,
}

/// A status read from its FHIR code system: the code, absent, or unreadable.
fn status<'a>(c: &Res<'a>, key: &str, system: &str, codes: &[&str]) -> Result<Option<&'a str>, ()> {
    let Some(concept) = c.body.get(key) else {
        return Ok(None);
    };
    let mut found: Option<&'a str> = None;
    for coding in codings(Some(concept)) {
        if coding.get("system").and_then(Value::as_str) != Some(system) {
            continue;
        }
        let code = coding.get("code").and_then(Value::as_str).ok_or(())?;
        if !codes.contains(&code) || found.is_some_and(|f| f != code) {
            return Err(());
        }
        found = Some(code);
    }
    found.map(Some).ok_or(())
}

/// The first date among `elements` the Condition gives, read; unreadable ones noted.
fn first_stamp(c: &Res<'_>, elements: &[&str], notes: &mut Vec<Unread>) -> Option<(Stamp, String)> {
    for e in elements {
        match c.stamp(e) {
            Some(Ok(st)) => return Some((st, (*e).to_owned())),
            Some(Err(u)) => notes.push(u),
            None => {}
        }
    }
    None
}

/// Reads a Condition at the date `on`.
pub(crate) fn condition(c: &Res<'_>, on: Date) -> ConditionOutcome {
    let mut notes = Vec::new();
    let none = |u: Unread, notes: Vec<Unread>| ConditionOutcome {
        codings: Vec::new(),
        read: Err(u),
        notes,
    };
    let Ok(clinical) = status(c, "clinicalStatus", CLINICAL, &CLINICAL_CODES) else {
        return none(
            c.unread_at("clinicalStatus", Reason::StatusUnreadable),
            notes,
        );
    };
    let Ok(verification) = status(c, "verificationStatus", VERIFICATION, &VERIFICATION_CODES)
    else {
        return none(
            c.unread_at("verificationStatus", Reason::StatusUnreadable),
            notes,
        );
    };
    match verification {
        Some("entered-in-error") => return none(c.unread(Reason::EnteredInError), notes),
        Some("refuted") => return none(c.unread(Reason::Refuted), notes),
        Some("unconfirmed" | "provisional" | "differential") => {
            return none(c.unread(Reason::NotConfirmed), notes)
        }
        _ => {}
    }
    if matches!(clinical, Some("inactive" | "resolved")) {
        return none(c.unread(Reason::NotActive), notes);
    }
    // Dates: recorded or onset after the date, abated on or before it.
    for e in ["recordedDate", "onsetDateTime", "onsetPeriod.start"] {
        if let Some(Ok(st)) = c.stamp(e)
            && st.local.after(on)
        {
            return none(c.unread_at(e, Reason::AfterDate), notes);
        }
    }
    // An episode in remission abated: the Condition stays, remitted (con-4).
    if clinical != Some("remission")
        && let Some(u) = abated(c, on, &mut notes)
    {
        return none(u, notes);
    }
    let kind = kind(c);
    let dated = first_stamp(
        c,
        &["recordedDate", "onsetDateTime", "onsetPeriod.start"],
        &mut notes,
    );
    let date = dated.as_ref().and_then(|(st, _)| st.local.full());
    if kind == ConditionKind::EncounterDiagnosis
        && matches!(clinical, None | Some("active"))
        && let Some((st, element)) = &dated
    {
        let current_from = on.plus_days(-ENCOUNTER_DIAGNOSIS_DAYS);
        if !st.local.may_be_on_or_after(current_from) {
            return none(c.unread_at(element, Reason::StaleEncounterDiagnosis), notes);
        }
    }

    let Some(code) = c.body.get("code") else {
        return none(
            Unread {
                origin: c.at("code"),
                reason: Reason::NoCode,
                value: None,
            },
            notes,
        );
    };
    let mut read_codings = Vec::new();
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
        if check_id(value, || c.path_of(&format!("{element}.code"))).is_err() {
            notes.push(c.unread_at(&format!("{element}.code"), Reason::InvalidValue));
            continue;
        }
        read_codings.push(CodingRead {
            origin: c.at(&element),
            system: shown(system),
            code: value.to_owned(),
            lookup: lookup(system, value),
        });
    }
    ConditionOutcome {
        read: diagnosis(c, &read_codings, clinical, kind, date),
        codings: read_codings,
        notes,
    }
}

/// `abatement[x]` on or before the date: a date that may be later is not an abatement yet; an
/// abatement without a date (`abatementString`, an age, a range) is one.
fn abated(c: &Res<'_>, on: Date, notes: &mut Vec<Unread>) -> Option<Unread> {
    for e in [
        "abatementDateTime",
        "abatementPeriod.end",
        "abatementPeriod.start",
    ] {
        match c.stamp(e) {
            Some(Ok(st)) => {
                return st
                    .local
                    .on_or_before(on)
                    .then(|| c.unread_at(e, Reason::Abated));
            }
            Some(Err(u)) => {
                // A date that cannot be read: abated, on a date that cannot be told.
                notes.push(u);
                return Some(c.unread_at(e, Reason::Abated));
            }
            None => {}
        }
    }
    [
        "abatementString",
        "abatementAge",
        "abatementRange",
        "abatementBoolean",
    ]
    .into_iter()
    .find(|e| c.body.get(*e).is_some_and(|v| v != &Value::Bool(false)))
    .map(|e| c.unread_at(e, Reason::Abated))
}

fn kind(c: &Res<'_>) -> ConditionKind {
    let mut kinds = c
        .body
        .get("category")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|cat| codings(Some(cat)))
        .filter(|x| x.get("system").and_then(Value::as_str) == Some(CATEGORY))
        .filter_map(|x| match x.get("code").and_then(Value::as_str) {
            Some("problem-list-item") => Some(ConditionKind::ProblemListItem),
            Some("encounter-diagnosis") => Some(ConditionKind::EncounterDiagnosis),
            Some("health-concern") => Some(ConditionKind::HealthConcern),
            _ => None,
        })
        .collect::<Vec<_>>();
    // A problem-list item is current until closed, whatever else it is.
    kinds.sort();
    kinds.first().copied().unwrap_or(ConditionKind::Unstated)
}

/// The diagnosis from the codings the table maps.
fn diagnosis(
    c: &Res<'_>,
    codings: &[CodingRead],
    clinical: Option<&str>,
    kind: ConditionKind,
    date: Option<Date>,
) -> Result<ConditionRead, Unread> {
    let mapped: Vec<(&CodingRead, &Row)> = codings
        .iter()
        .filter_map(|cr| match cr.lookup {
            Lookup::Mapped(r) => Some((cr, r)),
            _ => None,
        })
        .collect();
    let Some((first, row)) = mapped.first().copied() else {
        return Err(if codings.is_empty() {
            Unread {
                origin: c.at("code"),
                reason: Reason::NoCoding,
                value: None,
            }
        } else {
            c.unread(Reason::NoMappedCode)
        });
    };
    if mapped.iter().any(|(_, r)| r.category != row.category) {
        return Err(c.unread(Reason::ConflictingCodes));
    }
    let course = claims(
        mapped
            .iter()
            .filter_map(|(cr, r)| r.course.map(|v| (v, cr.origin.clone()))),
    );
    let stated = match clinical {
        Some("remission") => Some(IllnessPhase::Remitted),
        Some("relapse" | "recurrence") => Some(IllnessPhase::Acute),
        _ => None,
    }
    .map(|p| (p, c.at("clinicalStatus")));
    let phase = claims(
        mapped
            .iter()
            .filter_map(|(cr, r)| r.phase.map(|v| (v, cr.origin.clone())))
            .chain(stated),
    );
    let in_remission = clinical == Some("remission");
    let implies = mapped
        .iter()
        .filter_map(|(cr, r)| r.implies.map(|i| (i, cr.origin.clone())))
        // An episode in remission has no active psychosis, whatever features it had.
        .filter(|(i, _)| !(in_remission && *i == Implied::ActivePsychosis))
        .collect();
    Ok(ConditionRead {
        diagnosis: Diagnosis {
            category: row.category,
            code: Some(DiagnosisCode {
                system: row.system.code_system(),
                value: first.code.clone(),
            }),
            course: only(&course),
            phase: only(&phase),
        },
        category_from: mapped.iter().map(|(cr, _)| cr.origin.clone()).collect(),
        course: as_claims(course),
        phase: as_claims(phase),
        implies,
        kind,
        date,
        from: vec![c.origin()],
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
