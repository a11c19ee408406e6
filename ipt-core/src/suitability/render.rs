//! The suitability answer, rendered from a [`Decision`] at a detail level through a locale.
//! The decision part is always there; the `explanation` block only at `explained`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::catalogue::{self, RuleId, RuleKind};
use crate::explain::{
    fill_text, Detail, Explanation, Indicator, InputUsed, InputValue, Locale, RuleStatus,
    RulesByStatus, Text,
};
use crate::variant::Variant;

use super::decision::Decision;
use super::input::{Assessment, Verdict};
use super::outcome::{Case, Outcome};
use super::words::{self, verdict_rationale, PROVISIONAL};

/// The answer of `assess_suitability`.
///
/// At `decision` detail it holds the verdict, the rules that decide it, the safety alerts,
/// every rule by status, what is offered and the inputs missing. At `explained` detail (the
/// default) it also holds `explanation`, and each alert its words, sources and inputs used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SuitabilityReport {
    /// The verdict.
    pub verdict: Verdict,
    /// The rules that decide it (for `indeterminate`, the rules whose inputs are missing).
    pub decided_by: Vec<RuleId>,
    /// Critical safety alerts (X-SUICIDE). They take precedence over everything else.
    pub alerts: Vec<Explanation>,
    /// Every rule evaluated, by how it applies.
    pub rules: RulesByStatus,
    /// The course variant offered, if IPT is an option and a variant is within the evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommended_variant: Option<Variant>,
    /// Techniques recommended by an indication (I-POST-INPATIENT).
    pub recommended_techniques: Vec<RuleId>,
    /// Every input still missing (JSONPath), sorted.
    pub inputs_missing: Vec<Text>,
    /// Every item explained (only at `explained` detail).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<SuitabilityExplanation>,
}

/// The explained items of a suitability answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SuitabilityExplanation {
    /// Why the verdict is what it is.
    pub verdict: Text,
    /// Every contraindication, with its status.
    pub contraindications: Vec<Explanation>,
    /// Every indication, with its status.
    pub indications: Vec<Explanation>,
    /// The assessments required before selection (A-*), with their status.
    pub assessments: Vec<Explanation>,
    /// Cautions that apply, or that cannot be checked until an input is given.
    pub cautions: Vec<Explanation>,
    /// Why the variant is offered (or why none is within the evidence).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<Explanation>,
    /// The recommended techniques, explained.
    pub techniques: Vec<Explanation>,
}

impl SuitabilityReport {
    /// Every explained item, alerts first (empty at `decision` detail but for the alerts).
    pub fn items(&self) -> impl Iterator<Item = &Explanation> {
        let e = self.explanation.as_ref();
        self.alerts.iter().chain(e.into_iter().flat_map(|e| {
            e.contraindications
                .iter()
                .chain(&e.indications)
                .chain(&e.assessments)
                .chain(&e.cautions)
                .chain(e.variant.iter())
                .chain(&e.techniques)
        }))
    }
}

/// Where an outcome is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Alert,
    Contraindication,
    Indication,
    Assessment,
    Caution,
}

fn section(o: &Outcome) -> Option<Section> {
    if o.case == Case::RiskHigh {
        return Some(Section::Alert);
    }
    if o.case == Case::AdaptedFormsExist {
        return Some(Section::Caution);
    }
    if o.case == Case::CognitiveCaution {
        // Listed among the contraindications (it is C-COGNITIVE's outcome) and among the
        // cautions too (see `render`): one outcome, shown in both places.
        return Some(Section::Contraindication);
    }
    match catalogue::get(o.rule).map(|r| r.kind) {
        Some(RuleKind::Contraindication) => Some(Section::Contraindication),
        Some(RuleKind::Indication) => Some(Section::Indication),
        Some(RuleKind::Assessment) => Some(Section::Assessment),
        Some(RuleKind::Caution) => {
            // A caution that does not apply, or is not yet relevant, is not shown.
            let quiet = words::words(o.rule, o.case).is_none_or(|w| w.indicator == Indicator::Info);
            let shown = match o.status {
                RuleStatus::NotApplicable => false,
                RuleStatus::NotMet => !quiet,
                RuleStatus::Met | RuleStatus::Unknown => true,
            };
            shown.then_some(Section::Caution)
        }
        _ => None,
    }
}

fn explain(a: &Assessment, verdict: Verdict, o: &Outcome, locale: &dyn Locale) -> Explanation {
    let fallback = crate::explain::Words {
        indicator: Indicator::Info,
        summary: "",
        rationale: "",
    };
    let w = words::words(o.rule, o.case).unwrap_or(&fallback);
    Explanation::render(o.rule, o.status, w, &[], locale)
        .used(o.used.iter().map(|i| i.used(a, verdict)))
        .missing(o.missing.paths())
}

fn indicator_of(o: &Outcome) -> Indicator {
    words::words(o.rule, o.case).map_or(Indicator::Info, |w| w.indicator)
}

/// Renders a decision.
pub fn render(
    a: &Assessment,
    d: &Decision,
    detail: Detail,
    locale: &dyn Locale,
) -> SuitabilityReport {
    let verdict = d.verdict.verdict;
    let outcomes = d.outcomes.as_slice();
    let alerts = outcomes
        .iter()
        .filter(|o| section(o) == Some(Section::Alert))
        .map(|o| match detail {
            Detail::Explained => explain(a, verdict, o, locale),
            Detail::Decision => {
                Explanation::decision(o.rule, o.status, indicator_of(o)).missing(o.missing.paths())
            }
        })
        .collect();
    let explanation = (detail == Detail::Explained).then(|| {
        let sections: Vec<Option<Section>> = outcomes.iter().map(section).collect();
        let list = |s: Section| {
            outcomes
                .iter()
                .zip(&sections)
                .filter(|(o, sec)| {
                    **sec == Some(s) || (s == Section::Caution && o.case == Case::CognitiveCaution)
                })
                .map(|(o, _)| explain(a, verdict, o, locale))
                .collect::<Vec<_>>()
        };
        let variant = d.variant.as_ref().map(|c| {
            let mut e = match words::words(c.rule, c.case) {
                Some(w) => Explanation::render(c.rule, RuleStatus::Met, w, &[], locale),
                None => Explanation::decision(c.rule, RuleStatus::Met, Indicator::Info),
            };
            e = e.used(c.used.iter().map(|i| i.used(a, verdict)));
            if c.basis != c.rule {
                e.inputs_used.push(InputUsed::typed(
                    "report.basis",
                    InputValue::from(c.basis.as_str()),
                ));
            }
            if !c.missing.is_empty() {
                let rationale = e.rationale.to_mut();
                rationale.push(' ');
                rationale.push_str(&locale.text(PROVISIONAL));
            }
            e.missing(c.missing.paths())
        });
        let techniques = d
            .techniques
            .iter()
            .filter_map(|t| {
                words::words(t, Case::PostInpatientTechnique).map(|w| {
                    Explanation::render(t, RuleStatus::Met, w, &[], locale).used([
                        InputUsed::typed(
                            "report.indications",
                            InputValue::from(RuleId::IPostInpatient.as_str()),
                        ),
                    ])
                })
            })
            .collect();
        let at_least = d.verdict.at_least;
        SuitabilityExplanation {
            verdict: fill_text(
                locale.text(verdict_rationale(d.verdict.case)),
                &[("at_least", &at_least)],
            ),
            contraindications: list(Section::Contraindication),
            indications: list(Section::Indication),
            assessments: list(Section::Assessment),
            cautions: list(Section::Caution),
            variant,
            techniques,
        }
    });
    SuitabilityReport {
        verdict,
        decided_by: d.verdict.decided_by.to_vec(),
        alerts,
        rules: RulesByStatus::from_pairs(outcomes.iter().map(|o| (o.rule, o.status))),
        recommended_variant: d.variant.and_then(|c| c.variant),
        recommended_techniques: d.techniques.to_vec(),
        inputs_missing: d.missing.paths(),
        explanation,
    }
}
