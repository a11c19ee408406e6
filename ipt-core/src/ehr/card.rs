//! A CDS Hooks card and its parts, as this service renders them, and what a hook request
//! gives the cards: its hook, the patient in context, and whether each prefetch key came.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::explain::Indicator;

/// The system of the override reasons' codes: the engine's own.
pub const OVERRIDE_SYSTEM: &str = "urn:ipt-engine:cds-hooks:override-reason";

/// A CDS Hooks Coding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Coding {
    /// The code system.
    pub system: String,
    /// The code.
    pub code: String,
    /// What it means, to a person.
    pub display: String,
}

/// The system of a card source's `topic`: the rule IDs of the protocol.
pub const RULE_SYSTEM: &str = "urn:ipt-engine:rule";

/// A card's source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CardSource {
    /// The rule (or table) the guidance comes from, as a clinician reads it.
    pub label: String,
    /// Where to read more: the service's page of the rule when the request names one
    /// (`rules_url`), otherwise the rule's first public source, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The rule the card comes from, as a Coding of [`RULE_SYSTEM`] (`C-PSYCHOSIS`): a
    /// service groups feedback by it.
    pub topic: Coding,
}

/// An action of a suggestion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Action {
    /// `create`.
    #[serde(rename = "type")]
    pub kind: String,
    /// What the action does.
    pub description: String,
    /// The FHIR resource to create.
    pub resource: Value,
}

/// A suggestion on a card: an option the user may take.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Suggestion {
    /// The button's text.
    pub label: String,
    /// A UUID version 5 of the card's and the suggestion's content.
    pub uuid: String,
    /// The actions taken together when the suggestion is accepted.
    pub actions: Vec<Action>,
}

/// A CDS Hooks card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Card {
    /// A UUID version 5 of the card's rule and the inputs it was decided on: replaying the
    /// request gives the same UUID.
    pub uuid: String,
    /// One sentence of under 140 characters.
    pub summary: String,
    /// GitHub-flavoured Markdown: the rationale, the inputs used (labelled, with where they
    /// came from), the inputs missing, the versions. Absent at `decision` detail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// `info`, `warning` or `critical`.
    pub indicator: Indicator,
    /// The rule the guidance comes from.
    pub source: CardSource,
    /// Options the user may take.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<Suggestion>,
    /// `at-most-one` when there are suggestions.
    #[serde(
        rename = "selectionBehavior",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub selection_behavior: Option<String>,
    /// Reasons the user may give for not following the card.
    #[serde(
        rename = "overrideReasons",
        default,
        skip_serializing_if = "Vec::is_empty"
    )]
    pub override_reasons: Vec<Coding>,
}

/// Whether a prefetch key's data came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Supplied {
    /// The key came with data.
    Yes,
    /// The key came with part of its data: a paged or truncated searchset, or one holding an
    /// OperationOutcome that reports a problem.
    Partial,
    /// The key came as `null`: the EHR has no data.
    NoData,
    /// The key did not come, or came as an OperationOutcome (the EHR could not get it).
    No,
}

/// The context a hook request gives.
pub(crate) struct Context<'a> {
    pub hook: Hook,
    /// Where the service publishes its rule pages, without a trailing `/`.
    pub rules_url: Option<&'a str>,
    pub patient_id: String,
    pub conditions: Supplied,
    pub phq9: Supplied,
}

/// The hooks this service answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum Hook {
    /// The user opened a patient's record.
    #[serde(rename = "patient-view")]
    PatientView,
    /// The user is starting an encounter.
    #[serde(rename = "encounter-start")]
    EncounterStart,
}

impl Hook {
    /// Every hook answered.
    pub const ALL: [Hook; 2] = [Hook::PatientView, Hook::EncounterStart];

    /// The hook's name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Hook::PatientView => "patient-view",
            Hook::EncounterStart => "encounter-start",
        }
    }
}
