//! The explanation every output item carries: the rule it comes from, that rule's sources,
//! the inputs it used, the inputs still missing, and a rationale phrased as an option for the
//! clinician.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::rules::{self, RuleId};

/// How a rule applies to the inputs.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RuleStatus {
    /// The rule's conditions hold.
    Met,
    /// The rule's conditions do not hold.
    NotMet,
    /// The rule depends on inputs that are still missing (see `inputs_missing`).
    Unknown,
    /// The rule does not apply to these inputs (for example an assessment that is not required).
    NotApplicable,
}

/// How prominently a front end should show an item (the CDS Hooks card indicator).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    /// Information.
    Info,
    /// Needs the clinician's attention.
    Warning,
    /// A safety matter that takes precedence over everything else.
    Critical,
}

/// One input a rule used, with the value it had.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InputUsed {
    /// Where the input comes from: a JSONPath into the request (`$.findings.insight`), or, for a
    /// value this output derived from other items, a name starting with `report.` (for
    /// example `report.verdict`).
    pub path: String,
    /// The value the rule saw.
    pub value: serde_json::Value,
}

impl InputUsed {
    /// An input at `path` with a serializable value.
    pub fn new(path: impl Into<String>, value: impl Serialize) -> InputUsed {
        InputUsed {
            path: path.into(),
            value: serde_json::to_value(value).unwrap_or(serde_json::Value::Null),
        }
    }
}

/// One explained item of an output: a rule, how it applies, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Explanation {
    /// The rule this item comes from.
    pub rule_id: RuleId,
    /// The rule's title, from the catalogue.
    pub title: String,
    /// How the rule applies to the inputs.
    pub status: RuleStatus,
    /// How prominently to show the item.
    pub indicator: Indicator,
    /// One line for a card's summary.
    pub summary: String,
    /// The reasoning in plain language, phrased as an option for the clinician.
    pub rationale: String,
    /// The rule's sources, from the catalogue.
    pub sources: Vec<String>,
    /// The inputs the rule used, with their values.
    pub inputs_used: Vec<InputUsed>,
    /// JSONPaths of inputs the rule needs that are still missing.
    pub inputs_missing: Vec<String>,
}

impl Explanation {
    /// An item for `rule_id`; title and sources come from the catalogue.
    pub fn new(
        rule_id: RuleId,
        status: RuleStatus,
        indicator: Indicator,
        summary: impl Into<String>,
        rationale: impl Into<String>,
    ) -> Explanation {
        Explanation {
            rule_id,
            title: rules::title_of(rule_id).to_owned(),
            status,
            indicator,
            summary: summary.into(),
            rationale: rationale.into(),
            sources: rules::sources_of(rule_id),
            inputs_used: Vec::new(),
            inputs_missing: Vec::new(),
        }
    }

    /// Adds the inputs used.
    pub fn used(mut self, inputs: impl IntoIterator<Item = InputUsed>) -> Explanation {
        self.inputs_used.extend(inputs);
        self
    }

    /// Adds missing inputs (JSONPaths), keeping them sorted and unique.
    pub fn missing(mut self, paths: impl IntoIterator<Item = String>) -> Explanation {
        self.inputs_missing.extend(paths);
        self.inputs_missing.sort();
        self.inputs_missing.dedup();
        self
    }
}
