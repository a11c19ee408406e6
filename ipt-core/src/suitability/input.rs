//! The input of a suitability decision: the assessment recorded at intake, and the verdict
//! scale.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::bounded::bounded_int;
use crate::findings::Finding;

bounded_int!(
    /// Age in whole years, 0 to 120.
    Age,
    0,
    120,
    "age in years"
);

/// The assessment recorded at intake: the input of [`assess`].
///
/// Every field may be omitted; an omitted finding is `unknown`, and the report lists it among
/// the inputs still missing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    /// Age in years (0-120).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<Age>,
    /// Where the person is being cared for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub care_setting: Option<CareSetting>,
    /// Current diagnoses.
    #[serde(default)]
    pub diagnoses: Vec<Diagnosis>,
    /// Clinical findings; each is present, absent or unknown.
    #[serde(default)]
    pub findings: Findings,
    /// The requested format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    /// Linguistic and cultural needs (S1 §II).
    #[serde(default)]
    pub language_culture: LanguageCulture,
}

impl Assessment {
    /// The [`limits`](crate::limits) of an assessment at `$`: diagnoses, code and language
    /// lengths.
    pub fn check_limits(&self) -> Result<(), crate::error::Error> {
        self.check_limits_at(&crate::path::JsonPath::root())
    }

    /// [`Assessment::check_limits`] with paths under `root` (an assessment inside an event).
    pub fn check_limits_at(&self, root: &crate::path::JsonPath) -> Result<(), crate::error::Error> {
        use crate::limits;
        let diagnoses = root.key("diagnoses");
        limits::check_len(
            self.diagnoses.len(),
            MAX_DIAGNOSES,
            "diagnoses",
            "max_diagnoses",
            || diagnoses.clone(),
        )?;
        for (i, d) in self.diagnoses.iter().enumerate() {
            if let Some(code) = &d.code {
                limits::check_id(&code.value, || diagnoses.index(i).key("code").key("value"))?;
            }
        }
        if let Some(lang) = &self.language_culture.preferred_language {
            limits::check_id(lang, || {
                root.key("language_culture").key("preferred_language")
            })?;
        }
        Ok(())
    }
}

/// Care setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CareSetting {
    /// Outpatient care.
    Outpatient,
    /// Inpatient care.
    Inpatient,
    /// Adjusting after discharge from inpatient care.
    PostInpatient,
}

/// Individual or group delivery.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// One-to-one sessions.
    Individual,
    /// Group sessions.
    Group,
}

/// A diagnosis on record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Diagnosis {
    /// The diagnostic category the rules reason about.
    pub category: DiagnosisCategory,
    /// The code in the record's terminology, carried through for the record; the rules use
    /// `category`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<DiagnosisCode>,
    /// First episode, recurrent or chronic; omitted means unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub course: Option<IllnessCourse>,
    /// Acute or remitted; omitted means unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<IllnessPhase>,
}

/// Diagnostic categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DiagnosisCategory {
    /// Major depressive disorder.
    MajorDepression,
    /// Dysthymia (persistent depressive disorder).
    Dysthymia,
    /// Bipolar disorder.
    Bipolar,
    /// An anxiety disorder.
    Anxiety,
    /// Bulimia nervosa.
    BulimiaNervosa,
    /// Chronic fatigue.
    ChronicFatigue,
    /// A personality disorder.
    PersonalityDisorder,
    /// A psychotic disorder.
    PsychoticDisorder,
    /// A substance use disorder.
    SubstanceUse,
    /// Any other diagnosis.
    Other,
}

impl DiagnosisCategory {
    /// Mood disorders (S1 §II.A.1).
    pub const fn is_mood(self) -> bool {
        matches!(
            self,
            DiagnosisCategory::MajorDepression
                | DiagnosisCategory::Dysthymia
                | DiagnosisCategory::Bipolar
        )
    }

    /// Disorders for which adapted forms of IPT exist (S2).
    pub const fn has_adapted_form(self) -> bool {
        matches!(
            self,
            DiagnosisCategory::Anxiety
                | DiagnosisCategory::BulimiaNervosa
                | DiagnosisCategory::ChronicFatigue
                | DiagnosisCategory::Bipolar
                | DiagnosisCategory::Dysthymia
        )
    }
}

/// A code in a clinical terminology.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiagnosisCode {
    /// The terminology.
    pub system: CodeSystem,
    /// The code, for example `F32.1`.
    pub value: String,
}

/// Clinical terminologies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CodeSystem {
    /// ICD-10.
    Icd10,
    /// ICD-10-CM, the clinical modification of ICD-10 used in the United States.
    #[serde(rename = "icd10cm")]
    Icd10Cm,
    /// ICD-11.
    Icd11,
    /// SNOMED CT.
    SnomedCt,
}

/// The course of an illness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IllnessCourse {
    /// A first episode.
    FirstEpisode,
    /// Recurrent episodes.
    Recurrent,
    /// A chronic course.
    Chronic,
}

/// The phase of an illness.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IllnessPhase {
    /// Acute episode.
    Acute,
    /// Remitted, after response to treatment.
    Remitted,
}

/// The clinical findings of the assessment. Each defaults to `unknown`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Findings {
    /// Active psychosis (C-PSYCHOSIS).
    #[serde(default)]
    pub active_psychosis: Finding,
    /// A personality disorder (C-PD-UNMOTIVATED). A `personality_disorder` diagnosis counts as present.
    #[serde(default)]
    pub personality_disorder: Finding,
    /// Motivation for improvement and change, and for this form of therapy (A-MOTIVATION,
    /// C-PD-UNMOTIVATED, I-MOOD-ESSENTIAL).
    #[serde(default)]
    pub motivation: Finding,
    /// Capacity for insight (A-INSIGHT, I-MOOD-ESSENTIAL).
    #[serde(default)]
    pub insight: Finding,
    /// Ability to self-reflect and self-monitor (A-SELF-REFLECTION).
    #[serde(default)]
    pub self_reflection: Finding,
    /// Cognitive impairment, its severity and cause (C-COGNITIVE).
    #[serde(default)]
    pub cognitive_impairment: CognitiveImpairment,
    /// A chronic, severe mental illness (decides whether A-MED-STABILITY is required).
    #[serde(default)]
    pub chronic_severe_illness: Finding,
    /// Medication and supportive psychotherapy alone keep the person stable (A-MED-STABILITY).
    #[serde(default)]
    pub stable_on_medication_and_support: Finding,
    /// Currently on psychotropic medication (I-POST-INPATIENT, X-POPULATION).
    #[serde(default)]
    pub on_medication: Finding,
    /// Family psychosocial intervention is precluded (I-POST-INPATIENT).
    #[serde(default)]
    pub family_intervention_precluded: Finding,
    /// Symptoms are precipitated or aggravated by identifiable interpersonal situations
    /// (I-INTERPERSONAL-OPTIONAL).
    #[serde(default)]
    pub interpersonal_precipitants: Finding,
    /// Active substance misuse (X-SUBSTANCE).
    #[serde(default)]
    pub substance_misuse: Finding,
    /// Current suicide risk (X-SUICIDE); omitted means not yet assessed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suicide_risk: Option<SuicideRisk>,
}

/// Cognitive impairment: severity and cause; either may be omitted (unknown).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CognitiveImpairment {
    /// How severe the impairment is; `none` when there is none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<ImpairmentSeverity>,
    /// What the impairment is due to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<ImpairmentCause>,
}

/// Severity of cognitive impairment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImpairmentSeverity {
    /// No impairment.
    None,
    /// Mild impairment.
    Mild,
    /// Moderate impairment.
    Moderate,
    /// Severe impairment.
    Severe,
}

/// Cause of cognitive impairment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImpairmentCause {
    /// Ongoing significant substance abuse.
    SubstanceAbuse,
    /// A general medical condition.
    GeneralMedicalCondition,
    /// Any other cause.
    Other,
}

/// Suicide risk level.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SuicideRisk {
    /// No current risk.
    None,
    /// Low risk.
    Low,
    /// Moderate risk.
    Moderate,
    /// High risk.
    High,
    /// Imminent risk.
    Imminent,
}

impl SuicideRisk {
    /// High or imminent: the X-SUICIDE safety alert applies.
    pub const fn is_high(self) -> bool {
        matches!(self, SuicideRisk::High | SuicideRisk::Imminent)
    }
}

/// Linguistic and cultural needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LanguageCulture {
    /// An interpreter is needed.
    #[serde(default)]
    pub interpreter_needed: Finding,
    /// Culturally adapted delivery is needed.
    #[serde(default)]
    pub cultural_adaptation_needed: Finding,
    /// The person's preferred language, for the record (free text or a BCP 47 tag).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_language: Option<String>,
}

/// The verdict, strongest first: `contraindicated` > `indeterminate` > `essential` >
/// `indicated` > `optional` > `not_indicated`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// A contraindication is present.
    Contraindicated,
    /// Missing inputs could change the verdict; see `inputs_missing`.
    Indeterminate,
    /// IPT techniques should be part of the psychotherapy.
    Essential,
    /// An IPT course is indicated.
    Indicated,
    /// IPT techniques may be used.
    Optional,
    /// No indication applies.
    NotIndicated,
}

/// # Examples
///
/// ```
/// use ipt_core::suitability::Verdict;
///
/// // Strongest first: a contraindication outranks every indication.
/// assert_eq!(Verdict::ALL[0], Verdict::Contraindicated);
/// assert!(Verdict::Contraindicated.strength() > Verdict::Essential.strength());
/// // Shown as its JSON string.
/// assert_eq!(Verdict::NotIndicated.to_string(), "not_indicated");
/// assert_eq!(format!("{}", Verdict::Essential), Verdict::Essential.as_str());
/// ```
impl Verdict {
    /// Every verdict, strongest first.
    pub const ALL: [Verdict; 6] = [
        Verdict::Contraindicated,
        Verdict::Indeterminate,
        Verdict::Essential,
        Verdict::Indicated,
        Verdict::Optional,
        Verdict::NotIndicated,
    ];

    /// Rank in the verdict order: larger is stronger.
    pub const fn strength(self) -> u8 {
        match self {
            Verdict::Contraindicated => 5,
            Verdict::Indeterminate => 4,
            Verdict::Essential => 3,
            Verdict::Indicated => 2,
            Verdict::Optional => 1,
            Verdict::NotIndicated => 0,
        }
    }

    /// The verdict as its JSON string.
    pub const fn as_str(self) -> &'static str {
        match self {
            Verdict::Contraindicated => "contraindicated",
            Verdict::Indeterminate => "indeterminate",
            Verdict::Essential => "essential",
            Verdict::Indicated => "indicated",
            Verdict::Optional => "optional",
            Verdict::NotIndicated => "not_indicated",
        }
    }
}

/// The verdict as its JSON string (`not_indicated`).
impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The most diagnoses an assessment may list. The decision tracks each diagnosis it reads
/// without allocating, in a 64-bit set; the JSON API refuses more than this.
pub use crate::limits::MAX_DIAGNOSES;
