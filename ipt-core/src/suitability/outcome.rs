//! What a suitability rule returns: a typed outcome, and a fixed-capacity list of them.

use crate::catalogue::RuleId;
use crate::explain::RuleStatus;

use super::inputs::Inputs;

/// Why a rule came out as it did. The words of each (rule, case) are in
/// [`words`](super::words); a test holds every case a rule can return to having words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)] // each case is documented by its words
pub enum Case {
    // Three-valued findings, shared by several rules.
    Present,
    Absent,
    Unknown,
    // C-PD-UNMOTIVATED.
    PdWithMotivation,
    MotivationPresent,
    // C-COGNITIVE: mild impairment, or impairment from another cause.
    CognitiveCaution,
    // Indications.
    Applies,
    DoesNotApply,
    CannotTell,
    NoMoodDisorder,
    // I-OTHER: adapted forms exist.
    AdaptedFormsExist,
    // A-MED-STABILITY.
    NotRequired,
    RequiredUnknown,
    StabilityUnknown,
    Stable,
    NotStable,
    // X-SUICIDE.
    RiskHigh,
    RiskModerate,
    RiskLowOrNone,
    RiskUnknown,
    // X-AGE.
    AgeUnknown,
    UnderTwelve,
    Adolescent,
    Adult,
    // X-POPULATION.
    Bipolar,
    Inpatient,
    NoMedication,
    PsychoticDisorder,
    DesignedPopulation,
    // X-FREQUENCY.
    FrequencyPlan,
    FrequencyNotYet,
    // The variant offered (V-*, or the rule it rests on).
    VariantMaintenance,
    VariantAdolescent,
    VariantGroup,
    VariantAdaptedForm,
    VariantUsual,
    VariantStandardWithCautions,
    VariantOutsideEvidence,
    // Techniques recommended by I-POST-INPATIENT.
    PostInpatientTechnique,
}

/// The outcome of one rule on an assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// The rule.
    pub rule: RuleId,
    /// How it applies.
    pub status: RuleStatus,
    /// Why.
    pub case: Case,
    /// The inputs it read.
    pub used: Inputs,
    /// The inputs it needs that are missing.
    pub missing: Inputs,
}

impl Outcome {
    /// An outcome with no inputs yet.
    pub const fn new(rule: RuleId, status: RuleStatus, case: Case) -> Outcome {
        Outcome {
            rule,
            status,
            case,
            used: Inputs::NONE,
            missing: Inputs::NONE,
        }
    }

    /// With the inputs used.
    #[must_use]
    pub const fn used(mut self, used: Inputs) -> Outcome {
        self.used = used;
        self
    }

    /// With the inputs missing.
    #[must_use]
    pub const fn missing(mut self, missing: Inputs) -> Outcome {
        self.missing = missing;
        self
    }
}

/// The most outcomes one assessment can give (a test holds the rules to it).
pub const CAPACITY: usize = 32;

/// A list of outcomes that never allocates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcomes {
    items: [Outcome; CAPACITY],
    len: usize,
    /// Whether an outcome found the list full. The rules give fewer than [`CAPACITY`] (a test
    /// holds every rule to it); should one ever not, the verdict made from these outcomes is
    /// `indeterminate`, never one a missing contraindication could have changed.
    overflowed: bool,
}

impl Default for Outcomes {
    fn default() -> Outcomes {
        Outcomes {
            items: [Outcome::new(RuleId::CPsychosis, RuleStatus::Unknown, Case::Unknown); CAPACITY],
            len: 0,
            overflowed: false,
        }
    }
}

impl Outcomes {
    /// Adds an outcome. The rules give fewer than [`CAPACITY`] outcomes (a test checks the
    /// bound on every rule); one that finds the list full marks it [incomplete](Self::complete),
    /// and an incomplete list decides an `indeterminate` verdict.
    pub fn push(&mut self, o: Outcome) {
        match self.items.get_mut(self.len) {
            Some(slot) => {
                *slot = o;
                self.len += 1;
            }
            None => self.overflowed = true,
        }
    }

    /// Whether every outcome pushed is held.
    pub const fn complete(&self) -> bool {
        !self.overflowed
    }

    /// The outcomes, in the order the rules gave them.
    pub fn as_slice(&self) -> &[Outcome] {
        self.items.get(..self.len).unwrap_or_default()
    }

    /// The first outcome of a rule.
    pub fn of(&self, rule: RuleId) -> Option<&Outcome> {
        self.as_slice().iter().find(|o| o.rule == rule)
    }

    /// The status of a rule (its first outcome).
    pub fn status_of(&self, rule: RuleId) -> Option<RuleStatus> {
        self.of(rule).map(|o| o.status)
    }

    /// Whether a rule applies.
    pub fn met(&self, rule: RuleId) -> bool {
        self.status_of(rule) == Some(RuleStatus::Met)
    }

    /// How many outcomes there are.
    pub const fn len(&self) -> usize {
        self.len
    }

    /// Whether there is none.
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }
}
