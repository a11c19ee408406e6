//! What is offered once the verdict is known: the course variant that fits age, diagnosis and
//! format, and the techniques an indication recommends. Offered as options, never as the
//! decision.

use crate::catalogue::parameters::{ADOLESCENT_AGE_MAX, ADOLESCENT_AGE_MIN};
use crate::catalogue::RuleId;
use crate::explain::RuleSet;
use crate::variant::Variant;

use super::input::{Assessment, Format, Verdict};
use super::inputs::{DiagnosisField, Field, Inputs};
use super::outcome::{Case, Outcomes};
use super::verdict::VerdictDecision;

/// The variant offered, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VariantChoice {
    /// The variant offered; `None` when no variant is within the evidence (under 12).
    pub variant: Option<Variant>,
    /// The rule whose words explain the choice: the variant's `V-*` rule, or X-AGE.
    pub rule: RuleId,
    /// Why.
    pub case: Case,
    /// The rule the choice rests on (I-MAINTENANCE, X-AGE, V-GROUP, I-OTHER, V-STANDARD).
    pub basis: RuleId,
    /// The inputs it read.
    pub used: Inputs,
    /// Provisional until these inputs are given (the verdict's, or the age the variant
    /// depends on).
    pub missing: Inputs,
}

/// The variant to offer, if IPT is an option at all.
pub fn variant(
    a: &Assessment,
    verdict: &VerdictDecision,
    outcomes: &Outcomes,
) -> Option<VariantChoice> {
    if matches!(
        verdict.verdict,
        Verdict::Contraindicated | Verdict::NotIndicated
    ) {
        return None;
    }
    let age = a.age.map(|x| x.get());
    let choice = |variant: Option<Variant>, rule, case, basis, used| VariantChoice {
        variant,
        rule,
        case,
        basis,
        used,
        missing: Inputs::NONE,
    };
    let mut c = if outcomes.met(RuleId::IMaintenance) {
        let used = outcomes
            .of(RuleId::IMaintenance)
            .map(|o| o.used)
            .unwrap_or_default();
        choice(
            Some(Variant::Maintenance),
            RuleId::VMaintenance,
            Case::VariantMaintenance,
            RuleId::IMaintenance,
            used,
        )
    } else if age.is_some_and(|x| x < ADOLESCENT_AGE_MIN) {
        choice(
            None,
            RuleId::XAge,
            Case::VariantOutsideEvidence,
            RuleId::XAge,
            Inputs::field(Field::Age),
        )
    } else if age.is_some_and(|x| x <= ADOLESCENT_AGE_MAX) {
        choice(
            Some(Variant::Adolescent),
            RuleId::VAdolescent,
            Case::VariantAdolescent,
            RuleId::XAge,
            Inputs::field(Field::Age),
        )
    } else if a.format == Some(Format::Group) {
        choice(
            Some(Variant::Group),
            RuleId::VGroup,
            Case::VariantGroup,
            RuleId::VGroup,
            Inputs::field(Field::Format),
        )
    } else if outcomes.met(RuleId::IOther) && !outcomes.met(RuleId::IAcuteMdd) {
        // The disorder IPT is offered for has an adapted form (I-OTHER) and no acute major
        // depression calls for the standard course: the adapted form is the option.
        let mut used = Inputs::NONE;
        for (i, d) in a.diagnoses.iter().enumerate() {
            if d.category.has_adapted_form() {
                used.add_diagnosis(DiagnosisField::Category, i);
            }
        }
        choice(
            Some(Variant::Standard),
            RuleId::VStandard,
            Case::VariantAdaptedForm,
            RuleId::IOther,
            used,
        )
    } else if outcomes.met(RuleId::XPopulation) {
        // Outside the population IPT was designed for: the standard variant stays an option,
        // weighed against X-POPULATION, not the usual one.
        let used = outcomes
            .as_slice()
            .iter()
            .filter(|o| o.rule == RuleId::XPopulation)
            .fold(Inputs::fields(&[Field::Format, Field::Age]), |u, o| {
                u.union(o.used)
            });
        choice(
            Some(Variant::Standard),
            RuleId::VStandard,
            Case::VariantStandardWithCautions,
            RuleId::XPopulation,
            used,
        )
    } else {
        choice(
            Some(Variant::Standard),
            RuleId::VStandard,
            Case::VariantUsual,
            RuleId::VStandard,
            Inputs::fields(&[Field::Format, Field::Age]),
        )
    };
    if verdict.verdict == Verdict::Indeterminate {
        for o in outcomes.as_slice() {
            if verdict.decided_by.contains(o.rule)
                || crate::catalogue::get(o.rule)
                    .is_some_and(|r| r.kind == crate::catalogue::RuleKind::Indication)
            {
                c.missing = c.missing.union(o.missing);
            }
        }
    }
    // Which variant fits depends on the age (adolescent, under 12), unless maintenance.
    if age.is_none() && c.basis != RuleId::IMaintenance {
        c.missing.add(Field::Age);
    }
    Some(c)
}

/// The techniques an indication recommends (I-POST-INPATIENT: social skills training, role
/// playing, social modelling with reinforcement).
pub fn techniques(outcomes: &Outcomes) -> RuleSet {
    let mut out = RuleSet::EMPTY;
    if outcomes.met(RuleId::IPostInpatient) {
        out.insert(RuleId::TSocialSkills);
        out.insert(RuleId::TRolePlay);
        out.insert(RuleId::TModelling);
    }
    out
}
