//! The typed decision on an assessment: every rule's outcome, the verdict decided from them,
//! the variant and techniques offered and the inputs still missing, with no words.

use crate::catalogue::{rule_link, Link, RuleId};
use crate::explain::RuleSet;

use super::input::Assessment;
use super::inputs::Inputs;
use super::outcome::Outcomes;
use super::recommend::{self, VariantChoice};
use super::verdict::{self, VerdictDecision};
use super::{assessments, cautions, contraindications, indications};

/// A suitability rule: reads the assessment, adds its outcomes.
pub type RuleFn = fn(&Assessment, &mut Outcomes);

/// The suitability rules: each rule that reads the assessment with its function, in answer
/// order; [`RULES`] runs them and [`LINKS`] links them (with X-FREQUENCY, which reads the
/// verdict, and T-SOCIAL-SKILLS, which the techniques offer) for the registry.
macro_rules! suitability_rules {
    ($($rule:ident => $module:ident :: $function:ident,)+) => {
        /// Every suitability rule that reads the assessment, in answer order, with its
        /// function. X-FREQUENCY reads the verdict and is [`cautions::x_frequency`].
        pub static RULES: &[(RuleId, RuleFn)] = &[$((RuleId::$rule, $module::$function),)+];

        /// Every suitability rule linked to the function that decides it.
        pub static LINKS: &[Link] = &[
            $(rule_link!($rule => crate::suitability::$module::$function),)+
            rule_link!(XFrequency => crate::suitability::cautions::x_frequency),
            rule_link!(TSocialSkills => crate::suitability::recommend::techniques),
        ];
    };
}

suitability_rules! {
    XSuicide => cautions::x_suicide,
    CPsychosis => contraindications::c_psychosis,
    CPdUnmotivated => contraindications::c_pd_unmotivated,
    CCognitive => contraindications::c_cognitive,
    IMoodEssential => indications::i_mood_essential,
    IPostInpatient => indications::i_post_inpatient,
    IInterpersonalOptional => indications::i_interpersonal_optional,
    IAcuteMdd => indications::i_acute_mdd,
    IMaintenance => indications::i_maintenance,
    IOther => indications::i_other,
    AMedStability => assessments::a_med_stability,
    AMotivation => assessments::a_motivation,
    ASelfReflection => assessments::a_self_reflection,
    AInsight => assessments::a_insight,
    XAge => cautions::x_age,
    XPopulation => cautions::x_population,
    XLanguageCulture => cautions::x_language_culture,
    XSubstance => cautions::x_substance,
}

/// The typed decision on an assessment: what [`decide`] returns and [`assess_at`](super::assess_at) renders.
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
/// assert!(d.missing.paths().iter().any(|p| p == "$.findings.active_psychosis"));
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
/// still missing, with no words. [`assess`](super::assess) renders it.
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
