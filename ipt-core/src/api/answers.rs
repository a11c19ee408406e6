//! What the API's own operations answer (`version`'s request, `rules`), and the reply the
//! dispatcher hands the bindings. A leaf of `api`: it names no operation.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::catalogue::Catalogue;
use crate::error::ErrorCode;

/// The request of operations that take no input: an empty object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Empty {}

/// The result of `rules`: the rule catalogue, and the label of every input of an assessment
/// its rules read, so that every edge (the command line, the demo page, an EHR's form) names
/// an input as the engine does in its own words.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RulesAnswer {
    /// The rules and their sources.
    #[serde(flatten)]
    pub catalogue: Catalogue,
    /// Every input of an assessment, in path order: its JSONPath and its label. A diagnosis's
    /// fields stand as `$.diagnoses[*].category` etc., their label with `{n}` for the
    /// diagnosis's number (1 for `$.diagnoses[0]`).
    pub inputs: Vec<InputLabel>,
}

/// An input and how the engine names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InputLabel {
    /// The input's JSONPath in an assessment (`$.findings.motivation`).
    pub path: String,
    /// Its label (`Motivation for change`).
    pub label: String,
}

/// The labels of every input of an assessment: the words the engine's own cards use
/// (`ehr::words`).
pub fn input_labels() -> Vec<InputLabel> {
    use crate::{ehr, explain, suitability};
    use explain::Locale;
    let english = &explain::ENGLISH;
    let fields = suitability::inputs::Field::ALL.iter().map(|f| InputLabel {
        path: f.path().to_owned(),
        label: ehr::words::label(f.path(), |_| None, english),
    });
    let diagnosis = [
        ("category", ehr::words::DIAGNOSIS_CATEGORY),
        ("course", ehr::words::DIAGNOSIS_COURSE),
        ("phase", ehr::words::DIAGNOSIS_PHASE),
    ]
    .into_iter()
    .map(|(field, template)| InputLabel {
        path: format!("$.diagnoses[*].{field}"),
        // The card's template without the diagnosis's code, which an assessment does not hold.
        label: english.text(template).replace("{code}", ""),
    });
    fields.chain(diagnosis).collect()
}

/// An answer with its error code, as the dispatcher produced it: the bindings take the status
/// from here instead of reading the answer back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The answer envelope (JSON).
    pub json: String,
    /// The error code, `None` when the answer is `ok`.
    pub error: Option<ErrorCode>,
}
