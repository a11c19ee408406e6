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

mod administration;
mod administrations;
mod bundle;
mod card;
mod cards;
pub mod cds_hooks;
mod codes;
mod condition;
pub mod course_cards;
mod deck;
mod fhir;
mod inputs;
mod instruments;
pub mod item9;
pub(crate) mod links;
mod mapping;
pub mod observations;
mod questionnaire;
pub mod record;
mod record_cards;
mod reference;
mod scores;
mod subjects;
mod table;
pub mod terminology;
mod time;
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
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A resource type this engine does not read.
    ResourceType,
    /// A Bundle entry without a resource.
    NoResource,
    /// Not a FHIR resource this engine can read: not an object, no `resourceType`, or an `id`
    /// that is not a FHIR id.
    InvalidResource,
    /// An OperationOutcome: the EHR's report of an error or warning (in a search, often that
    /// results were left out).
    OperationOutcome,
    /// A searchset Bundle with more pages (a `next` link) or a `total` above its entries: the
    /// EHR sent part of the data.
    Paged,
    /// A Condition whose clinical status is inactive or resolved.
    NotActive,
    /// A Condition not confirmed (unconfirmed, provisional or differential).
    NotConfirmed,
    /// A Condition whose verification status is `refuted`.
    Refuted,
    /// A resource whose status is `entered-in-error`: it should never have existed.
    EnteredInError,
    /// An Observation or QuestionnaireResponse whose status is `cancelled`.
    Cancelled,
    /// A status element (a modifier: its meaning changes the resource's) present but not
    /// readable: no coding of its FHIR code system, codings that disagree, or a code the code
    /// system does not have. The resource is not read as if its status were benign.
    StatusUnreadable,
    /// A Condition that abated on or before the date of the assessment.
    Abated,
    /// An encounter diagnosis older than the engine reads as current (365 days), never
    /// closed: listed with its date.
    StaleEncounterDiagnosis,
    /// Dated after the date of the assessment.
    AfterDate,
    /// A date or time that is not a FHIR date, dateTime or instant.
    InvalidDate,
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
    /// A resource of another patient than the one the record is read for (another id, or the
    /// same id on another server).
    OtherPatient,
    /// A subject reference whose patient cannot be told (an absolute URL on a server whose
    /// base is unknown, a contained or logical reference).
    UnresolvedSubject,
    /// An Observation whose code is not an instrument or item this engine reads.
    NotAnInstrument,
    /// An item that is not part of its instrument's score (the difficulty item, LOINC 69722-7).
    NotScored,
    /// An Observation or answer without a value this engine can read as a score.
    NoValue,
    /// A score that is not a whole number from 0 (`12 `, `12.5`, `-1`), or an answer code that
    /// is not of the instrument's answer list.
    InvalidValue,
    /// A score outside its instrument's range (an item of 4, a PHQ-9 total of 30).
    OutOfRange,
    /// A total that disagrees with its items (not their sum, or below item 9): neither is
    /// taken as the total.
    TotalMismatch,
    /// More than one answer to a question that takes one.
    MultipleAnswers,
    /// A QuestionnaireResponse whose items are not an instrument's this engine reads.
    UnknownQuestionnaire,
    /// A QuestionnaireResponse whose `questionnaire` names another instrument than its items.
    QuestionnaireMismatch,
    /// A `hasMember` or `derivedFrom` reference to a resource the record does not hold.
    NotInRecord,
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

impl Reason {
    /// Whether the record was not read as sent: data malformed, incomplete or not the
    /// patient's, so that what was left out could change the advice. A card says so.
    /// (A resolved Condition or a code outside the table is the record read as it is.)
    pub const fn is_defect(self) -> bool {
        matches!(
            self,
            Reason::InvalidResource
                | Reason::OperationOutcome
                | Reason::Paged
                | Reason::StatusUnreadable
                | Reason::InvalidDate
                | Reason::NoSubject
                | Reason::OtherPatient
                | Reason::UnresolvedSubject
                | Reason::InvalidValue
                | Reason::OutOfRange
                | Reason::TotalMismatch
                | Reason::MultipleAnswers
                | Reason::QuestionnaireMismatch
                | Reason::ConflictingCodes
        )
    }
}

/// Whether what the record holds is verified: a `final` (or amended, corrected) Observation, a
/// `completed` (or amended) QuestionnaireResponse; or not yet (`preliminary`, `registered`,
/// `in-progress`, `stopped`, or a status that cannot be read), read all the same and marked so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verification {
    /// Final.
    Final,
    /// Not verified.
    Unverified,
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
    /// The value not read, as the record gives it (clipped to 64 characters), where one helps:
    /// a score that is not one, a status, a date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl Unread {
    /// Not read, with the value that could not be.
    pub fn with_value(mut self, value: &serde_json::Value) -> Unread {
        let text = match value {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        self.value = Some(crate::limits::clip(&text).into_owned());
        self
    }
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
