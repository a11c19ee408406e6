//! Assessments required before IPT techniques are selected (S1 §II.C).

use crate::catalogue::RuleId;
use crate::explain::RuleStatus;
use crate::findings::Finding;

use super::input::Assessment;
use super::inputs::{Field, Inputs};
use super::outcome::{Case, Outcome, Outcomes};

fn assessed(rule: RuleId, field: Field, v: Finding) -> Outcome {
    let case = match v {
        Finding::Present => Case::Present,
        Finding::Absent => Case::Absent,
        Finding::Unknown => Case::Unknown,
    };
    Outcome::new(rule, RuleStatus::of(v), case)
        .used(Inputs::field(field))
        .missing(Inputs::unknown(&[(field, v)]))
}

/// A-MED-STABILITY: for chronic, severe illness, whether medication and supportive
/// psychotherapy alone keep the person stable. Not required otherwise.
pub fn a_med_stability(a: &Assessment, out: &mut Outcomes) {
    let f = &a.findings;
    let pairs = [
        (Field::ChronicSevereIllness, f.chronic_severe_illness),
        (
            Field::StableOnMedication,
            f.stable_on_medication_and_support,
        ),
    ];
    let (status, case) = match (f.chronic_severe_illness, f.stable_on_medication_and_support) {
        (Finding::Absent, _) => (RuleStatus::NotApplicable, Case::NotRequired),
        (Finding::Unknown, _) => (RuleStatus::Unknown, Case::RequiredUnknown),
        (Finding::Present, Finding::Unknown) => (RuleStatus::Unknown, Case::StabilityUnknown),
        (Finding::Present, Finding::Present) => (RuleStatus::Met, Case::Stable),
        (Finding::Present, Finding::Absent) => (RuleStatus::NotMet, Case::NotStable),
    };
    let missing = if status == RuleStatus::Unknown {
        Inputs::unknown(&pairs)
    } else {
        Inputs::NONE
    };
    out.push(
        Outcome::new(RuleId::AMedStability, status, case)
            .used(Inputs::fields(&[
                Field::ChronicSevereIllness,
                Field::StableOnMedication,
            ]))
            .missing(missing),
    );
}

/// A-MOTIVATION: motivation for improvement and for this form of therapy.
pub fn a_motivation(a: &Assessment, out: &mut Outcomes) {
    out.push(assessed(
        RuleId::AMotivation,
        Field::Motivation,
        a.findings.motivation,
    ));
}

/// A-SELF-REFLECTION: the ability to self-reflect and self-monitor.
pub fn a_self_reflection(a: &Assessment, out: &mut Outcomes) {
    out.push(assessed(
        RuleId::ASelfReflection,
        Field::SelfReflection,
        a.findings.self_reflection,
    ));
}

/// A-INSIGHT: the capacity for insight.
pub fn a_insight(a: &Assessment, out: &mut Outcomes) {
    out.push(assessed(
        RuleId::AInsight,
        Field::Insight,
        a.findings.insight,
    ));
}
