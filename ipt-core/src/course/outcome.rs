//! Typed outcomes of the course's logic and their rendering: an [`Outcome`] says which rule,
//! with what status, for which [`CourseCase`], with which inputs and small parameters; the
//! words come from [`super::words`] when it is rendered into an [`Explanation`].

use super::words::{self, CourseCase};
use crate::catalogue::RuleId;
use crate::explain::{Explanation, Indicator, InputUsed, Render, RuleStatus};

/// One typed outcome of the course's logic.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The rule.
    pub rule: RuleId,
    /// How the rule applies.
    pub status: RuleStatus,
    /// How prominently to show it.
    pub indicator: Indicator,
    /// Why: the key of its words.
    pub case: CourseCase,
    /// Values for the words' placeholders.
    pub params: Vec<(&'static str, String)>,
    /// The inputs used.
    pub used: Vec<InputUsed>,
    /// The inputs missing (JSONPaths).
    pub missing: Vec<String>,
}

impl Outcome {
    /// An outcome without parameters or inputs.
    pub fn new(
        rule: RuleId,
        status: RuleStatus,
        indicator: Indicator,
        case: CourseCase,
    ) -> Outcome {
        Outcome {
            rule,
            status,
            indicator,
            case,
            params: Vec::new(),
            used: Vec::new(),
            missing: Vec::new(),
        }
    }

    /// Adds a placeholder value.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Outcome {
        self.params.push((name, value.to_string()));
        self
    }

    /// Adds the inputs used.
    pub fn used(mut self, inputs: impl IntoIterator<Item = InputUsed>) -> Outcome {
        self.used.extend(inputs);
        self
    }

    /// Adds inputs missing.
    pub fn missing(mut self, paths: impl IntoIterator<Item = String>) -> Outcome {
        self.missing.extend(paths);
        self
    }

    /// The outcome in words, through the locale, at the detail asked for: at
    /// [`Detail::Decision`](crate::explain::Detail::Decision) no sentence is built.
    pub fn render(self, r: Render<'_>) -> Explanation {
        let words = words::lookup(self.rule, self.case);
        let params = &self.params;
        r.item(self.rule, self.status, self.indicator, |r| match words {
            Some(w) => (
                words::fill_in(&r.locale.text(w.summary), params, r.locale),
                words::fill_in(&r.locale.text(w.rationale), params, r.locale),
            ),
            None => (String::new(), String::new()),
        })
        .used(self.used)
        .missing(self.missing)
    }
}

/// The summary of a case as a plain sentence (fragments and refusal messages).
pub fn sentence(rule: RuleId, case: CourseCase, params: &[(&'static str, String)]) -> String {
    words::lookup(rule, case)
        .map(|w| words::fill(w.summary, params))
        .unwrap_or_default()
}
