//! Suitability: the intake decision (S1 §II, S2, S3;
//! [protocol](crate::protocol#contraindications)).
//!
//! [`decide`] turns an [`Assessment`] into a typed [`Decision`]: one [`Outcome`] per rule
//! (its status, a case saying why, the inputs it used and the inputs missing), the verdict
//! decided from those outcomes, the variant and techniques offered. It allocates nothing.
//! [`render`](render::render) turns a decision into the answer a person reads, at the detail
//! level asked for, with the words of [`words`].
//!
//! Each rule is one function named after its ID, registered in [`RULES`]: C-COGNITIVE is
//! [`contraindications::c_cognitive`], its words are the `RuleId::CCognitive` rows of
//! [`words::TABLE`], and its vectors are `tests/vectors/suitability/C-COGNITIVE--*.json`.
//!
//! Findings are three-valued and combined with Kleene logic. The verdict is `indeterminate`
//! whenever resolving the unknown findings could change it, so it never treats an unknown
//! finding as absent.
//!
//! ```
//! use ipt_core::suitability::{decide, Assessment, Verdict};
//! use ipt_core::findings::Finding;
//! use ipt_core::RuleId;
//!
//! let mut a = Assessment::default();
//! a.findings.active_psychosis = Finding::Present;
//! let d = decide(&a);
//! assert_eq!(d.verdict.verdict, Verdict::Contraindicated);
//! assert!(d.verdict.decided_by.contains(RuleId::CPsychosis));
//! ```

pub mod assessments;
pub mod cautions;
pub mod contraindications;
pub mod indications;
mod input;
pub mod inputs;
pub mod outcome;
pub mod recommend;
pub mod render;
pub mod verdict;
pub mod words;

pub use input::*;
pub use outcome::{Case, Outcome, Outcomes};
pub use recommend::VariantChoice;
pub use render::{SuitabilityExplanation, SuitabilityReport};
pub use verdict::{VerdictCase, VerdictDecision};

use crate::catalogue::RuleId;
use crate::explain::{Detail, Locale, RuleSet, RuleStatus, ENGLISH};

use inputs::Inputs;

/// A suitability rule: reads the assessment, adds its outcomes.
pub type RuleFn = fn(&Assessment, &mut Outcomes);

/// Every suitability rule that reads the assessment, in answer order, with its function.
/// X-FREQUENCY reads the verdict and is [`cautions::x_frequency`].
pub static RULES: &[(RuleId, RuleFn)] = &[
    (RuleId::XSuicide, cautions::x_suicide),
    (RuleId::CPsychosis, contraindications::c_psychosis),
    (RuleId::CPdUnmotivated, contraindications::c_pd_unmotivated),
    (RuleId::CCognitive, contraindications::c_cognitive),
    (RuleId::IMoodEssential, indications::i_mood_essential),
    (RuleId::IPostInpatient, indications::i_post_inpatient),
    (
        RuleId::IInterpersonalOptional,
        indications::i_interpersonal_optional,
    ),
    (RuleId::IAcuteMdd, indications::i_acute_mdd),
    (RuleId::IMaintenance, indications::i_maintenance),
    (RuleId::IOther, indications::i_other),
    (RuleId::AMedStability, assessments::a_med_stability),
    (RuleId::AMotivation, assessments::a_motivation),
    (RuleId::ASelfReflection, assessments::a_self_reflection),
    (RuleId::AInsight, assessments::a_insight),
    (RuleId::XAge, cautions::x_age),
    (RuleId::XPopulation, cautions::x_population),
    (RuleId::XLanguageCulture, cautions::x_language_culture),
    (RuleId::XSubstance, cautions::x_substance),
];

/// The typed decision on an assessment: what [`decide`] returns and [`assess_at`] renders.
///
/// # Examples
///
/// ```
/// use ipt_core::explain::RuleStatus;
/// use ipt_core::suitability::{decide, Assessment, Verdict};
/// use ipt_core::{Finding, RuleId};
///
/// let mut a = Assessment::default();
/// a.findings.motivation = Finding::Present;
/// let d = decide(&a);
/// // Nothing rules psychosis out yet: the verdict cannot be told, and the decision says why.
/// assert_eq!(d.verdict.verdict, Verdict::Indeterminate);
/// assert_eq!(d.outcomes.status_of(RuleId::CPsychosis), Some(RuleStatus::Unknown));
/// assert!(d.missing.paths().contains(&"$.findings.active_psychosis".to_string()));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision {
    /// The verdict and the rules that decide it.
    pub verdict: VerdictDecision,
    /// Every rule's outcome, in [`RULES`] order, X-FREQUENCY last.
    pub outcomes: Outcomes,
    /// The variant offered, if IPT is an option.
    pub variant: Option<VariantChoice>,
    /// The techniques recommended.
    pub techniques: RuleSet,
    /// Every input still missing.
    pub missing: Inputs,
}

/// Decides on an assessment. Pure, total, and free of heap allocation: the outcome of every
/// rule, the verdict decided from them, the variant and techniques offered, and the inputs
/// still missing, with no words. [`assess`] renders it.
///
/// # Examples
///
/// ```
/// use ipt_core::suitability::{decide, Assessment, Verdict};
/// use ipt_core::{Finding, RuleId};
///
/// let mut a = Assessment::default();
/// a.findings.active_psychosis = Finding::Present;
/// let d = decide(&a);
/// assert_eq!(d.verdict.verdict, Verdict::Contraindicated);
/// assert!(d.verdict.decided_by.contains(RuleId::CPsychosis));
/// assert!(d.outcomes.met(RuleId::CPsychosis));
/// ```
pub fn decide(a: &Assessment) -> Decision {
    let mut outcomes = Outcomes::default();
    for (_, rule) in RULES {
        rule(a, &mut outcomes);
    }
    let verdict = verdict::decide(&outcomes);
    outcomes.push(cautions::x_frequency(verdict.verdict));
    let variant = recommend::variant(a, &verdict, &outcomes);
    let techniques = recommend::techniques(&outcomes);
    let mut missing = Inputs::NONE;
    for o in outcomes.as_slice() {
        missing = missing.union(o.missing);
    }
    if let Some(v) = &variant {
        missing = missing.union(v.missing);
    }
    Decision {
        verdict,
        outcomes,
        variant,
        techniques,
        missing,
    }
}

/// Decides and renders at a detail level, in a locale.
///
/// # Examples
///
/// ```
/// use ipt_core::explain::ENGLISH;
/// use ipt_core::suitability::{assess_at, Assessment};
/// use ipt_core::Detail;
///
/// let a: Assessment = serde_json::from_str(r#"{"findings": {"active_psychosis": "present"}}"#).unwrap();
/// // The decision only: the verdict, the rules by status and the alerts, without prose.
/// let report = assess_at(&a, Detail::Decision, &ENGLISH);
/// assert_eq!(report.verdict.as_str(), "contraindicated");
/// assert!(report.explanation.is_none());
/// ```
pub fn assess_at(a: &Assessment, detail: Detail, locale: &dyn Locale) -> SuitabilityReport {
    render::render(a, &decide(a), detail, locale)
}

/// [`assess_at`] after checking the assessment's [limits](crate::limits): what
/// `assess_suitability` does with a parsed request, and `ipt batch` with each line.
pub fn assess_checked(
    a: &Assessment,
    detail: Detail,
    locale: &dyn Locale,
) -> Result<SuitabilityReport, crate::Error> {
    a.check_limits()?;
    Ok(assess_at(a, detail, locale))
}

/// Decides and renders everything, in English: the `explained` answer.
///
/// # Examples
///
/// ```
/// use ipt_core::explain::Indicator;
/// use ipt_core::suitability::{assess, Assessment};
/// use ipt_core::RuleId;
///
/// let a: Assessment = serde_json::from_str(r#"{
///     "age": 40,
///     "diagnoses": [{"category": "major_depression", "phase": "acute"}],
///     "findings": {"suicide_risk": "high"}
/// }"#).unwrap();
/// let report = assess(&a);
/// // Whatever the verdict, high suicide risk comes first, as a critical alert with its words.
/// let alert = &report.alerts[0];
/// assert_eq!((alert.rule_id, alert.indicator), (RuleId::XSuicide, Indicator::Critical));
/// assert!(alert.summary.contains("safety comes first"));
/// // Every contraindication is explained, whether or not it applies.
/// let explanation = report.explanation.as_ref().unwrap();
/// assert_eq!(explanation.contraindications.len(), 3);
/// ```
pub fn assess(a: &Assessment) -> SuitabilityReport {
    assess_at(a, Detail::Explained, &ENGLISH)
}

/// I-MAINTENANCE at the end of a course: the assessment's major depression read as remitted
/// when the patient responded (`Some(true)`), as acute when not (`Some(false)`), and as
/// unknown when no measure tells (`None`). The course's completion advice calls this, so
/// maintenance is offered on the same rule suitability uses.
pub fn maintenance_status_at_completion(a: &Assessment, responded: Option<bool>) -> RuleStatus {
    let phase = match responded {
        Some(true) => Some(IllnessPhase::Remitted),
        Some(false) => Some(IllnessPhase::Acute),
        None => None,
    };
    indications::i_maintenance_with(a, |_| phase).status
}
