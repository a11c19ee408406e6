//! Electronic health records: the engine in the EHR's own dialect, as pure functions.
//!
//! * [`terminology`]: D-CODE-MAP, the versioned table that reads ICD-10-CM, ICD-11 and a
//!   documented SNOMED CT subset as the categories, courses, phases and findings the rules
//!   reason about.
//! * [`record`]: a FHIR R4 Bundle (Patient, Conditions, PHQ-9 and BDI-II Observations, PHQ-9
//!   QuestionnaireResponses) read into an assessment and measures, each derived input citing
//!   the resource element it came from, every input the record is silent on left unknown.
//! * [`cds_hooks`]: a CDS Hooks service (`patient-view`, `encounter-start`) whose cards are
//!   rendered from the typed suitability decision, and its discovery document.
//! * [`observations`]: measures written as FHIR R4 Observations in the shape of US Core's
//!   Observation Screening Assessment profile.
//!
//! FHIR and CDS Hooks are read as JSON values through a few hand-written readers: the engine
//! reads a handful of elements of five resource types, and reads them leniently where FHIR
//! allows variety (a total as `valueInteger`, `valueQuantity` or a digit string) and strictly
//! where a wrong reading would be a clinical answer from malformed input (another patient's
//! resource, an out-of-range score, a total that is not the sum of its items). No clock: the
//! date of the assessment comes in with the request.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::explain::InputValue;

mod cards;
pub mod cds_hooks;
mod detail;
mod fhir;
mod instruments;
mod mapping;
pub mod observations;
pub mod record;
mod table;
pub mod terminology;
pub mod words;

/// Where a value came from: a FHIR element of the record (`Condition/abc.code.coding[0]`)
/// and its JSONPath in the request, or a field stated in the request itself (no element).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Origin {
    /// The FHIR element: the resource (`Condition/abc`, or its type when it has no id) and the
    /// element path. Absent for a value the request states explicitly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub element: Option<String>,
    /// The JSONPath of the value in the request.
    pub path: String,
}

impl Origin {
    /// A value stated in the request at `path`.
    pub fn stated(path: impl Into<String>) -> Origin {
        Origin {
            element: None,
            path: path.into(),
        }
    }
}

/// Why something in the record was not read, or what the engine needed and found absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A resource type this engine does not read.
    ResourceType,
    /// A Bundle entry without a resource.
    NoResource,
    /// An OperationOutcome: the EHR's report of an error or warning.
    OperationOutcome,
    /// A Condition whose clinical status is inactive or resolved.
    NotActive,
    /// A Condition not confirmed (unconfirmed, provisional, differential, refuted or entered
    /// in error).
    NotConfirmed,
    /// An Observation or QuestionnaireResponse that is not final (or completed).
    NotFinal,
    /// Dated after the date of the assessment.
    AfterDate,
    /// A Condition without a code.
    NoCode,
    /// A Condition whose code has text only, no coding.
    NoCoding,
    /// A Condition none of whose codings the terminology table maps.
    NoMappedCode,
    /// A Condition whose codings map to different categories.
    ConflictingCodes,
    /// A resource without a subject reference: whose it is cannot be told.
    NoSubject,
    /// An Observation whose code is not an instrument item this engine reads.
    NotAnInstrument,
    /// A PHQ-9 item that is not part of its score (the difficulty item, LOINC 69722-7).
    NotScored,
    /// An Observation or answer without a value this engine can read as a score.
    NoValue,
    /// A QuestionnaireResponse whose items are not the PHQ-9's.
    NotPhq9,
    /// A QuestionnaireResponse read through the Observations derived from it.
    ReadThroughObservation,
    /// An element the engine reads was absent.
    Absent,
    /// A partial date (a year, or a year and month) from which the value cannot be told.
    PartialDate,
    /// A CDS Hooks prefetch key the EHR did not send: the data was not supplied.
    NotSupplied,
    /// A CDS Hooks prefetch key the EHR sent as `null`: it has no data for it.
    NoData,
    /// A CDS Hooks prefetch key this service did not ask for.
    UnknownPrefetchKey,
}

/// Something in the record not read, or an element needed and absent, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Unread {
    /// The resource or element concerned.
    #[serde(flatten)]
    pub origin: Origin,
    /// Why it was not read.
    pub reason: Reason,
}

/// One value a source gives for an input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// The value.
    pub value: InputValue,
    /// Where it comes from.
    pub from: Vec<Origin>,
}

/// An input derived from the record or stated in the request, with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Derived {
    /// The input's JSONPath in the assessment (`$.findings.active_psychosis`).
    pub input: String,
    /// Its value.
    pub value: InputValue,
    /// Where it comes from.
    pub from: Vec<Origin>,
}
