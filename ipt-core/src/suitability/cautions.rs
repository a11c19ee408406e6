//! Cautions (S1 §II, S2, S3, L1, L5): never a verdict on their own. X-SUICIDE at high or
//! imminent risk is a critical safety alert that takes precedence over everything else.

use crate::catalogue::parameters::{ADOLESCENT_AGE_MAX, ADOLESCENT_AGE_MIN};
use crate::catalogue::RuleId;
use crate::explain::RuleStatus;
use crate::findings::Finding;

use super::input::{Assessment, CareSetting, DiagnosisCategory, SuicideRisk, Verdict};
use super::inputs::{DiagnosisField, Field, Inputs};
use super::outcome::{Case, Outcome, Outcomes};

/// X-SUICIDE: suicide risk. High or imminent is a critical alert; moderate is kept under
/// review; not recorded is an input missing.
pub fn x_suicide(a: &Assessment, out: &mut Outcomes) {
    let (status, case) = match a.findings.suicide_risk {
        Some(r) if r.is_high() => (RuleStatus::Met, Case::RiskHigh),
        Some(SuicideRisk::Moderate) => (RuleStatus::NotMet, Case::RiskModerate),
        Some(_) => (RuleStatus::NotMet, Case::RiskLowOrNone),
        None => (RuleStatus::Unknown, Case::RiskUnknown),
    };
    let missing = if status == RuleStatus::Unknown {
        Inputs::field(Field::SuicideRisk)
    } else {
        Inputs::NONE
    };
    out.push(
        Outcome::new(RuleId::XSuicide, status, case)
            .used(Inputs::field(Field::SuicideRisk))
            .missing(missing),
    );
}

/// X-AGE: IPT is adapted from adolescence to old age; 12 to 18 is the adolescent variant;
/// under 12 is outside the evidence.
pub fn x_age(a: &Assessment, out: &mut Outcomes) {
    let (status, case) = match a.age.map(|x| x.get()) {
        None => (RuleStatus::Unknown, Case::AgeUnknown),
        Some(age) if age < ADOLESCENT_AGE_MIN => (RuleStatus::Met, Case::UnderTwelve),
        Some(age) if age <= ADOLESCENT_AGE_MAX => (RuleStatus::Met, Case::Adolescent),
        Some(_) => (RuleStatus::NotMet, Case::Adult),
    };
    let missing = if a.age.is_none() {
        Inputs::field(Field::Age)
    } else {
        Inputs::NONE
    };
    out.push(
        Outcome::new(RuleId::XAge, status, case)
            .used(Inputs::field(Field::Age))
            .missing(missing),
    );
}

/// X-POPULATION: IPT was designed for outpatient, non-psychotic, unipolar depression, to be
/// used with medication. Each way the person differs is one outcome.
pub fn x_population(a: &Assessment, out: &mut Outcomes) {
    let mut any = false;
    let mut push = |case: Case, used: Inputs| {
        any = true;
        out.push(Outcome::new(RuleId::XPopulation, RuleStatus::Met, case).used(used));
    };
    let categories = |pred: fn(DiagnosisCategory) -> bool| {
        let mut used = Inputs::NONE;
        for (i, d) in a.diagnoses.iter().enumerate() {
            if pred(d.category) {
                used.add_diagnosis(DiagnosisField::Category, i);
            }
        }
        used
    };
    let bipolar = categories(|c| c == DiagnosisCategory::Bipolar);
    if !bipolar.is_empty() {
        push(Case::Bipolar, bipolar);
    }
    // A psychotic disorder, even in remission or after discharge: IPT was designed for
    // non-psychotic depression (S3). Active psychosis is C-PSYCHOSIS.
    let psychotic = categories(|c| c == DiagnosisCategory::PsychoticDisorder);
    if !psychotic.is_empty() {
        push(Case::PsychoticDisorder, psychotic);
    }
    if a.care_setting == Some(CareSetting::Inpatient) {
        push(Case::Inpatient, Inputs::field(Field::CareSetting));
    }
    let mood = categories(DiagnosisCategory::is_mood);
    if a.findings.on_medication == Finding::Absent && !mood.is_empty() {
        push(
            Case::NoMedication,
            mood.union(Inputs::field(Field::OnMedication)),
        );
    }
    if !any {
        out.push(
            Outcome::new(
                RuleId::XPopulation,
                RuleStatus::NotMet,
                Case::DesignedPopulation,
            )
            .used(Inputs::fields(&[
                Field::CareSetting,
                Field::Diagnoses,
                Field::OnMedication,
            ])),
        );
    }
}

/// X-LANGUAGE-CULTURE: linguistic or cultural needs call for an interpreter or culturally
/// adapted delivery.
pub fn x_language_culture(a: &Assessment, out: &mut Outcomes) {
    let lc = &a.language_culture;
    let pairs = [
        (Field::InterpreterNeeded, lc.interpreter_needed),
        (
            Field::CulturalAdaptationNeeded,
            lc.cultural_adaptation_needed,
        ),
    ];
    let need = lc.interpreter_needed.or(lc.cultural_adaptation_needed);
    let (case, missing) = match need {
        Finding::Present => (Case::Present, Inputs::NONE),
        Finding::Absent => (Case::Absent, Inputs::NONE),
        Finding::Unknown => (Case::Unknown, Inputs::unknown(&pairs)),
    };
    out.push(
        Outcome::new(RuleId::XLanguageCulture, RuleStatus::of(need), case)
            .used(Inputs::fields(&[
                Field::InterpreterNeeded,
                Field::CulturalAdaptationNeeded,
            ]))
            .missing(missing),
    );
}

/// X-SUBSTANCE: active substance misuse calls for caution.
pub fn x_substance(a: &Assessment, out: &mut Outcomes) {
    let f = a.findings.substance_misuse;
    let case = match f {
        Finding::Present => Case::Present,
        Finding::Absent => Case::Absent,
        Finding::Unknown => Case::Unknown,
    };
    out.push(
        Outcome::new(RuleId::XSubstance, RuleStatus::of(f), case)
            .used(Inputs::field(Field::SubstanceMisuse))
            .missing(Inputs::unknown(&[(Field::SubstanceMisuse, f)])),
    );
}

/// X-FREQUENCY: once IPT is an option, sessions need to be frequent and long enough for
/// results. It reads the verdict, so it is evaluated after it.
pub fn x_frequency(verdict: Verdict) -> Outcome {
    let positive = matches!(
        verdict,
        Verdict::Essential | Verdict::Indicated | Verdict::Optional
    );
    let (status, case) = if positive {
        (RuleStatus::Met, Case::FrequencyPlan)
    } else {
        (RuleStatus::NotApplicable, Case::FrequencyNotYet)
    };
    Outcome::new(RuleId::XFrequency, status, case).used(Inputs::field(Field::Verdict))
}
