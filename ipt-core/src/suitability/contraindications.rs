//! Contraindications (S1 §II.G): any one present makes the verdict `contraindicated`; one
//! that cannot be ruled out makes it `indeterminate`.

use crate::catalogue::RuleId;
use crate::explain::RuleStatus;
use crate::findings::Finding;

use super::input::{Assessment, DiagnosisCategory, ImpairmentCause, ImpairmentSeverity};
use super::inputs::{DiagnosisField, Field, Inputs};
use super::outcome::{Case, Outcome, Outcomes};

/// C-PSYCHOSIS: active psychosis.
pub fn c_psychosis(a: &Assessment, out: &mut Outcomes) {
    let f = a.findings.active_psychosis;
    let case = match f {
        Finding::Present => Case::Present,
        Finding::Absent => Case::Absent,
        Finding::Unknown => Case::Unknown,
    };
    out.push(
        Outcome::new(RuleId::CPsychosis, RuleStatus::of(f), case)
            .used(Inputs::field(Field::ActivePsychosis))
            .missing(Inputs::unknown(&[(Field::ActivePsychosis, f)])),
    );
}

/// C-PD-UNMOTIVATED: a personality disorder and no motivation for change. A
/// `personality_disorder` diagnosis counts as the finding present.
pub fn c_pd_unmotivated(a: &Assessment, out: &mut Outcomes) {
    let f = &a.findings;
    let mut used = Inputs::fields(&[Field::PersonalityDisorder, Field::Motivation]);
    let mut pd = f.personality_disorder;
    for (i, d) in a.diagnoses.iter().enumerate() {
        if d.category == DiagnosisCategory::PersonalityDisorder {
            pd = Finding::Present;
            used.add_diagnosis(DiagnosisField::Category, i);
        }
    }
    let cond = pd.and(f.motivation.not());
    let mut missing = Inputs::NONE;
    if cond.is_unknown() {
        if pd.is_unknown() {
            missing.add(Field::PersonalityDisorder);
        }
        if f.motivation.is_unknown() {
            missing.add(Field::Motivation);
        }
    }
    let case = match (cond, pd) {
        (Finding::Present, _) => Case::Present,
        (Finding::Unknown, _) => Case::Unknown,
        (Finding::Absent, Finding::Present) => Case::PdWithMotivation,
        (Finding::Absent, Finding::Absent) => Case::Absent,
        // Motivation is present, so the rule does not apply whatever the disorder.
        (Finding::Absent, Finding::Unknown) => Case::MotivationPresent,
    };
    out.push(
        Outcome::new(RuleId::CPdUnmotivated, RuleStatus::of(cond), case)
            .used(used)
            .missing(missing),
    );
}

/// C-COGNITIVE: moderate-to-severe cognitive impairment due to ongoing significant substance
/// abuse or a general medical condition. Mild impairment, or impairment from another cause,
/// is a caution rather than a contraindication: the same rule reports it as such.
pub fn c_cognitive(a: &Assessment, out: &mut Outcomes) {
    use ImpairmentCause as C;
    use ImpairmentSeverity as S;
    let c = &a.findings.cognitive_impairment;
    let severe_enough = match c.severity {
        Some(S::Moderate | S::Severe) => Finding::Present,
        Some(S::None | S::Mild) => Finding::Absent,
        None => Finding::Unknown,
    };
    let qualifying_cause = match c.cause {
        Some(C::SubstanceAbuse | C::GeneralMedicalCondition) => Finding::Present,
        Some(C::Other) => Finding::Absent,
        None => Finding::Unknown,
    };
    let cond = severe_enough.and(qualifying_cause);
    let mut missing = Inputs::NONE;
    if cond.is_unknown() {
        if severe_enough.is_unknown() {
            missing.add(Field::CognitiveSeverity);
        }
        if qualifying_cause.is_unknown() {
            missing.add(Field::CognitiveCause);
        }
    }
    let milder = c.severity == Some(S::Mild)
        || (severe_enough == Finding::Present && c.cause == Some(C::Other));
    let case = match cond {
        Finding::Present => Case::Present,
        Finding::Unknown => Case::Unknown,
        Finding::Absent if milder => Case::CognitiveCaution,
        Finding::Absent => Case::Absent,
    };
    out.push(
        Outcome::new(RuleId::CCognitive, RuleStatus::of(cond), case)
            .used(Inputs::fields(&[
                Field::CognitiveSeverity,
                Field::CognitiveCause,
            ]))
            .missing(missing),
    );
}
