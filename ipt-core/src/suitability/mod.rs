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
mod decision;
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

use crate::explain::{Detail, Locale, RuleStatus, ENGLISH};

pub use decision::{decide, Decision, RuleFn, LINKS, RULES};

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
) -> Result<SuitabilityReport, crate::error::Error> {
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
