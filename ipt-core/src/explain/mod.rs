//! Outcomes and their words.
//!
//! Rules decide on typed data: a status, a case saying why, the inputs used and missing. The
//! words a clinician reads are rendered from those at the edge, from one table of words per
//! domain, through a [`Locale`], at the [`Detail`] level the caller asked for. This module
//! holds what every domain shares: the status and indicator of an item, the rendered
//! [`Explanation`], the detail levels, sets of rule IDs, and the locale.

pub use crate::locale::{fill, fill_text, fill_with, English, Locale, ENGLISH};

mod text;
mod value;

pub use text::{Sources, Text};
pub use value::InputValue;

use std::borrow::Cow;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::catalogue::{self, RuleId};

/// How a rule applies to the inputs.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RuleStatus {
    /// The rule's conditions hold: it applies.
    Met,
    /// The rule's conditions do not hold: it does not apply.
    NotMet,
    /// The rule depends on inputs that are still missing: it cannot tell yet.
    #[default]
    Unknown,
    /// The rule is not required for these inputs (for example an assessment asked for only in
    /// chronic, severe illness).
    NotApplicable,
}

impl RuleStatus {
    /// Every status, in answer order.
    pub const ALL: [RuleStatus; 4] = [
        RuleStatus::Met,
        RuleStatus::NotMet,
        RuleStatus::Unknown,
        RuleStatus::NotApplicable,
    ];

    /// The status as its JSON string.
    pub const fn as_str(self) -> &'static str {
        match self {
            RuleStatus::Met => "met",
            RuleStatus::NotMet => "not_met",
            RuleStatus::Unknown => "unknown",
            RuleStatus::NotApplicable => "not_applicable",
        }
    }

    /// The status of a rule from its three-valued condition.
    pub const fn of(f: crate::findings::Finding) -> RuleStatus {
        match f {
            crate::findings::Finding::Present => RuleStatus::Met,
            crate::findings::Finding::Absent => RuleStatus::NotMet,
            crate::findings::Finding::Unknown => RuleStatus::Unknown,
        }
    }
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

/// How much of an answer to render.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Detail {
    /// The decision only: verdicts, rule IDs by status, alerts and inputs missing; no prose.
    Decision,
    /// Everything: the decision and, for every item, its title, summary, rationale, sources
    /// and inputs used. The default.
    #[default]
    Explained,
}

/// How an answer is rendered: through which locale, at which detail. Every domain renders its
/// items through one of these: at [`Detail::Decision`] no sentence is built at all.
#[derive(Clone, Copy)]
pub struct Render<'a> {
    /// The locale the words pass through.
    pub locale: &'a dyn Locale,
    /// The detail level.
    pub detail: Detail,
}

impl std::fmt::Debug for Render<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Render")
            .field("detail", &self.detail)
            .finish_non_exhaustive()
    }
}

impl<'a> Render<'a> {
    /// English, explained: what the operations answer by default.
    pub const EXPLAINED: Render<'static> = Render {
        locale: &ENGLISH,
        detail: Detail::Explained,
    };

    /// English, decision only.
    pub const DECISION: Render<'static> = Render {
        locale: &ENGLISH,
        detail: Detail::Decision,
    };

    /// A rendering through `locale` at `detail`.
    pub fn new(locale: &'a dyn Locale, detail: Detail) -> Render<'a> {
        Render { locale, detail }
    }

    /// English at `detail`.
    pub fn english(detail: Detail) -> Render<'static> {
        Render {
            locale: &ENGLISH,
            detail,
        }
    }

    /// Whether the prose is rendered.
    pub fn explained(self) -> bool {
        self.detail == Detail::Explained
    }

    /// A sentence of a table through the locale, its placeholders filled; empty at
    /// [`Detail::Decision`].
    pub fn words(self, template: &str, params: &[(&str, &dyn std::fmt::Display)]) -> String {
        if self.explained() {
            fill(&self.locale.text(template), params)
        } else {
            String::new()
        }
    }

    /// An item: its words built by `words` (summary, rationale) at [`Detail::Explained`], the
    /// decision part alone at [`Detail::Decision`], where `words` is not called.
    pub fn item(
        self,
        rule_id: RuleId,
        status: RuleStatus,
        indicator: Indicator,
        words: impl FnOnce(Render<'a>) -> (String, String),
    ) -> Explanation {
        if self.explained() {
            let (summary, rationale) = words(self);
            Explanation {
                rule_id,
                title: self.locale.text(catalogue::title_of(rule_id)),
                status,
                indicator,
                summary: summary.into(),
                rationale: rationale.into(),
                sources: Sources::of(rule_id),
                inputs_used: Vec::new(),
                inputs_missing: Vec::new(),
            }
        } else {
            Explanation::decision(rule_id, status, indicator)
        }
    }
}

/// The words of one (rule, case): how prominently to show it, a summary of at most 140
/// characters (a CDS Hooks card summary) and the rationale. Placeholders such as `{session}`
/// are filled in when the words are rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Words {
    /// How prominently to show the item.
    pub indicator: Indicator,
    /// One line, describing the finding or offering an option; never a command.
    pub summary: &'static str,
    /// The reasoning in plain language, phrased as an option for the clinician.
    pub rationale: &'static str,
}

/// A row of a words table keyed by a case alone (the course's and the problem areas'
/// tables): the rule it belongs to, the case, and its summary and rationale templates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseWords<C> {
    /// The rule the case belongs to; `None` when it is the rule of what the case concerns
    /// (the refused event's rule, the area's rule).
    pub rule: Option<RuleId>,
    /// The case.
    pub case: C,
    /// One line (a card summary, at most 140 characters), or a message or fragment.
    pub summary: &'static str,
    /// The reasoning, phrased as options (or a fragment of it; empty for messages).
    pub rationale: &'static str,
}

/// A row of a case-keyed words table.
pub const fn case_words<C>(
    rule: Option<RuleId>,
    case: C,
    summary: &'static str,
    rationale: &'static str,
) -> CaseWords<C> {
    CaseWords {
        rule,
        case,
        summary,
        rationale,
    }
}

/// The longest summary a table may hold (the CDS Hooks card summary limit).
pub const SUMMARY_MAX_CHARS: usize = 140;

/// One input a rule used, with the value it had.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InputUsed {
    /// Where the input comes from: a JSONPath into the request (`$.findings.insight`), or, for a
    /// value this answer derived from other items, a name starting with `report.` (for
    /// example `report.verdict`).
    pub path: Text,
    /// The value the rule saw.
    pub value: InputValue,
}

impl InputUsed {
    /// An input at `path` with a serializable value.
    pub fn new(path: impl Into<Text>, value: impl Serialize) -> InputUsed {
        InputUsed {
            path: path.into(),
            value: InputValue::of(value),
        }
    }

    /// An input at `path` with a typed value.
    pub fn typed(path: impl Into<Text>, value: InputValue) -> InputUsed {
        InputUsed {
            path: path.into(),
            value,
        }
    }
}

/// One explained item of an answer: a rule, how it applies, and why.
///
/// At [`Detail::Decision`] only `rule_id`, `status`, `indicator` and `inputs_missing` are
/// rendered; the other fields are empty and left out of the JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Explanation {
    /// The rule this item comes from.
    pub rule_id: RuleId,
    /// The rule's title, from the catalogue.
    #[serde(default, skip_serializing_if = "text::no_text")]
    pub title: Text,
    /// How the rule applies to the inputs.
    pub status: RuleStatus,
    /// How prominently to show the item.
    pub indicator: Indicator,
    /// One line for a card's summary (at most 140 characters).
    #[serde(default, skip_serializing_if = "text::no_text")]
    pub summary: Text,
    /// The reasoning in plain language, phrased as an option for the clinician.
    #[serde(default, skip_serializing_if = "text::no_text")]
    pub rationale: Text,
    /// The rule's sources, from the catalogue.
    #[serde(default, skip_serializing_if = "Sources::is_empty")]
    pub sources: Sources,
    /// The inputs the rule used, with their values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs_used: Vec<InputUsed>,
    /// JSONPaths of inputs the rule needs that are still missing.
    pub inputs_missing: Vec<Text>,
}

impl Explanation {
    /// An item for `rule_id` with its words; title and sources come from the catalogue.
    pub fn new(
        rule_id: RuleId,
        status: RuleStatus,
        indicator: Indicator,
        summary: impl Into<Text>,
        rationale: impl Into<Text>,
    ) -> Explanation {
        Explanation {
            rule_id,
            title: Cow::Borrowed(catalogue::title_of(rule_id)),
            status,
            indicator,
            summary: summary.into(),
            rationale: rationale.into(),
            sources: Sources::of(rule_id),
            inputs_used: Vec::new(),
            inputs_missing: Vec::new(),
        }
    }

    /// An item rendered from a table's words through a locale, with its placeholders filled.
    pub fn render(
        rule_id: RuleId,
        status: RuleStatus,
        words: &Words,
        params: &[(&str, &dyn std::fmt::Display)],
        locale: &dyn Locale,
    ) -> Explanation {
        Explanation {
            rule_id,
            title: locale.text(catalogue::title_of(rule_id)),
            status,
            indicator: words.indicator,
            summary: fill_text(locale.text(words.summary), params),
            rationale: fill_text(locale.text(words.rationale), params),
            sources: Sources::of(rule_id),
            inputs_used: Vec::new(),
            inputs_missing: Vec::new(),
        }
    }

    /// The decision part of an item: no title, summary, rationale, sources or inputs used.
    pub fn decision(rule_id: RuleId, status: RuleStatus, indicator: Indicator) -> Explanation {
        Explanation {
            rule_id,
            title: Text::Borrowed(""),
            status,
            indicator,
            summary: Text::Borrowed(""),
            rationale: Text::Borrowed(""),
            sources: Sources::default(),
            inputs_used: Vec::new(),
            inputs_missing: Vec::new(),
        }
    }

    /// Adds the inputs used (prose: not at [`Detail::Decision`], where the item has no title).
    #[must_use]
    pub fn used(mut self, inputs: impl IntoIterator<Item = InputUsed>) -> Explanation {
        if !self.title.is_empty() || !self.summary.is_empty() {
            self.inputs_used.extend(inputs);
        }
        self
    }

    /// Adds missing inputs (JSONPaths), keeping them sorted and unique.
    #[must_use]
    pub fn missing<P: Into<Text>>(mut self, paths: impl IntoIterator<Item = P>) -> Explanation {
        self.inputs_missing
            .extend(paths.into_iter().map(Into::into));
        self.inputs_missing.sort();
        self.inputs_missing.dedup();
        self
    }
}

/// A set of rule IDs, without allocation: one bit per rule.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct RuleSet(u128);

// One bit per rule: a 129th rule stops the build here, instead of two rules sharing a bit.
const _: () = assert!(RuleId::ALL.len() <= u128::BITS as usize);
// A rule's bit is its place in `RuleId::ALL`, so the set's bits read back in catalogue order.
const fn in_place(ids: &[RuleId], at: usize) -> bool {
    match ids {
        [] => true,
        [id, rest @ ..] => *id as usize == at && in_place(rest, at + 1),
    }
}
const _: () = assert!(in_place(RuleId::ALL, 0));

impl RuleSet {
    /// The empty set.
    pub const EMPTY: RuleSet = RuleSet(0);

    /// A set of one.
    pub const fn of(id: RuleId) -> RuleSet {
        RuleSet(1u128 << (id as u32))
    }

    /// Adds a rule.
    pub fn insert(&mut self, id: RuleId) {
        self.0 |= RuleSet::of(id).0;
    }

    /// Whether the rule is in the set.
    pub const fn contains(self, id: RuleId) -> bool {
        self.0 & RuleSet::of(id).0 != 0
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The rules, in catalogue order: the set bits, lowest first (a rule's bit is its
    /// position in [`RuleId::ALL`]).
    pub fn iter(self) -> impl Iterator<Item = RuleId> {
        let mut bits = self.0;
        std::iter::from_fn(move || {
            let i = bits.trailing_zeros();
            bits &= bits.checked_sub(1)?;
            RuleId::ALL.get(i as usize).copied()
        })
    }

    /// The rules as a list, in catalogue order.
    pub fn to_vec(self) -> Vec<RuleId> {
        self.iter().collect()
    }
}

/// The rule IDs of an answer, by how they apply: the decision detail of every answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RulesByStatus {
    /// Rules that apply.
    pub met: Vec<RuleId>,
    /// Rules that do not apply.
    pub not_met: Vec<RuleId>,
    /// Rules that cannot tell yet: their inputs are missing.
    pub unknown: Vec<RuleId>,
    /// Rules that are not required for these inputs.
    pub not_applicable: Vec<RuleId>,
}

impl RulesByStatus {
    /// From `(rule, status)` pairs; each list in catalogue order, without repeats.
    pub fn from_pairs(pairs: impl IntoIterator<Item = (RuleId, RuleStatus)>) -> RulesByStatus {
        let mut sets = [RuleSet::EMPTY; 4];
        for (id, status) in pairs {
            if let Some(s) = sets.get_mut(status as usize) {
                s.insert(id);
            }
        }
        let [met, not_met, unknown, not_applicable] = sets.map(RuleSet::to_vec);
        RulesByStatus {
            met,
            not_met,
            unknown,
            not_applicable,
        }
    }
}
