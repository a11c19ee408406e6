//! Suitability: the intake decision of `PROTOCOL.md` §2.
//!
//! [`assess`] turns an [`Assessment`] into a [`SuitabilityReport`]: a verdict, and for every
//! contraindication, indication, required assessment and caution an [`Explanation`] with its
//! rule ID, sources, the inputs it used and the inputs still missing.
//!
//! Findings are three-valued and combined with Kleene logic. The verdict is `indeterminate`
//! whenever resolving the unknown findings could change it, so it never treats an unknown
//! finding as absent.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::bounded::bounded_int;
use crate::explain::{Explanation, Indicator, InputUsed, RuleStatus};
use crate::findings::Finding;
use crate::rules::RuleId;
use crate::variant::Variant;

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

/// The verdict with its reasons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VerdictExplanation {
    /// The verdict.
    pub verdict: Verdict,
    /// The rules that decide it (for `indeterminate`, the rules whose inputs are missing).
    pub decided_by: Vec<RuleId>,
    /// Why, in plain language.
    pub rationale: String,
}

/// A course variant offered as an option, with its reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VariantOption {
    /// The variant.
    pub variant: Variant,
    /// Why it is offered.
    pub explanation: Explanation,
}

/// The answer of [`assess`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SuitabilityReport {
    /// The verdict and its reasons.
    pub verdict: VerdictExplanation,
    /// Critical safety alerts (X-SUICIDE). They take precedence over everything else.
    pub safety_alerts: Vec<Explanation>,
    /// Every contraindication, with its status.
    pub contraindications: Vec<Explanation>,
    /// Every indication, with its status.
    pub indications: Vec<Explanation>,
    /// The assessments required before selection (A-*), with their status.
    pub assessments: Vec<Explanation>,
    /// Cautions that apply, or that cannot be checked until an input is given.
    pub cautions: Vec<Explanation>,
    /// The course variant offered, if IPT is an option.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recommended_variant: Option<VariantOption>,
    /// Techniques recommended by an indication (I-POST-INPATIENT).
    pub recommended_techniques: Vec<Explanation>,
    /// Every input still missing (JSONPath), sorted.
    pub inputs_missing: Vec<String>,
}

impl SuitabilityReport {
    /// Every explained item of the report, safety alerts first.
    pub fn items(&self) -> impl Iterator<Item = &Explanation> {
        self.safety_alerts
            .iter()
            .chain(&self.contraindications)
            .chain(&self.indications)
            .chain(&self.assessments)
            .chain(&self.cautions)
            .chain(self.recommended_variant.iter().map(|v| &v.explanation))
            .chain(&self.recommended_techniques)
    }
}

const P_AGE: &str = "$.age";
const P_SETTING: &str = "$.care_setting";
const P_FORMAT: &str = "$.format";
const P_PSYCHOSIS: &str = "$.findings.active_psychosis";
const P_PD: &str = "$.findings.personality_disorder";
const P_MOTIVATION: &str = "$.findings.motivation";
const P_INSIGHT: &str = "$.findings.insight";
const P_SELF_REFLECTION: &str = "$.findings.self_reflection";
const P_COG_SEVERITY: &str = "$.findings.cognitive_impairment.severity";
const P_COG_CAUSE: &str = "$.findings.cognitive_impairment.cause";
const P_CHRONIC_SEVERE: &str = "$.findings.chronic_severe_illness";
const P_STABLE: &str = "$.findings.stable_on_medication_and_support";
const P_MEDICATION: &str = "$.findings.on_medication";
const P_FAMILY: &str = "$.findings.family_intervention_precluded";
const P_PRECIPITANTS: &str = "$.findings.interpersonal_precipitants";
const P_SUBSTANCE: &str = "$.findings.substance_misuse";
const P_SUICIDE: &str = "$.findings.suicide_risk";
const P_INTERPRETER: &str = "$.language_culture.interpreter_needed";
const P_CULTURE: &str = "$.language_culture.cultural_adaptation_needed";
const P_DIAGNOSES: &str = "$.diagnoses";

fn diag_path(i: usize, field: &str) -> String {
    format!("{P_DIAGNOSES}[{i}].{field}")
}

/// The status of a rule from its three-valued condition.
const fn status_of(f: Finding) -> RuleStatus {
    match f {
        Finding::Present => RuleStatus::Met,
        Finding::Absent => RuleStatus::NotMet,
        Finding::Unknown => RuleStatus::Unknown,
    }
}

/// The paths of the findings that are unknown.
fn unknowns(pairs: &[(&str, Finding)]) -> Vec<String> {
    pairs
        .iter()
        .filter(|(_, f)| f.is_unknown())
        .map(|(p, _)| (*p).to_owned())
        .collect()
}

fn used(pairs: &[(&str, Finding)]) -> Vec<InputUsed> {
    pairs.iter().map(|(p, f)| InputUsed::new(*p, f)).collect()
}

/// Evaluates an assessment. Pure and total: every input yields a report.
pub fn assess(a: &Assessment) -> SuitabilityReport {
    let f = &a.findings;
    let contraindications = vec![psychosis(f), pd_unmotivated(a), cognitive(f)];
    let indications = vec![
        mood_essential(a),
        post_inpatient(a),
        interpersonal_optional(a),
        acute_mdd(a),
        maintenance(a),
        other(a),
    ];
    let verdict = decide(&contraindications, &indications);
    let assessments = assessments(f);
    let (safety_alerts, mut cautions) = cautions(a);
    if matches!(
        verdict.verdict,
        Verdict::Essential | Verdict::Indicated | Verdict::Optional
    ) {
        cautions.push(
            Explanation::new(
                RuleId::XFrequency,
                RuleStatus::Met,
                Indicator::Info,
                "Plan sessions frequent and long enough for results.",
                "If IPT is chosen, sessions should be frequent enough and the course long enough for clinical results; IPT can be given alongside medication.",
            )
            .used([InputUsed::new("report.verdict", verdict.verdict)]),
        );
    }
    let recommended_variant = variant_option(a, &verdict, &indications);
    let recommended_techniques = techniques(&indications);
    let mut report = SuitabilityReport {
        verdict,
        safety_alerts,
        contraindications,
        indications,
        assessments,
        cautions,
        recommended_variant,
        recommended_techniques,
        inputs_missing: Vec::new(),
    };
    let mut missing: Vec<String> = report
        .items()
        .flat_map(|e| e.inputs_missing.iter().cloned())
        .collect();
    missing.sort();
    missing.dedup();
    report.inputs_missing = missing;
    report
}

fn psychosis(f: &Findings) -> Explanation {
    let pairs = [(P_PSYCHOSIS, f.active_psychosis)];
    let (indicator, summary, rationale) = match f.active_psychosis {
        Finding::Present => (
            Indicator::Critical,
            "Active psychosis: IPT is contraindicated.",
            "Active psychosis is a contraindication to IPT; consider treating the psychosis first and reassessing later.",
        ),
        Finding::Absent => (
            Indicator::Info,
            "No active psychosis.",
            "Active psychosis was assessed as absent, so this contraindication does not apply.",
        ),
        Finding::Unknown => (
            Indicator::Warning,
            "Active psychosis not yet assessed.",
            "Active psychosis cannot be ruled out until it is assessed; consider assessing it before choosing IPT.",
        ),
    };
    Explanation::new(
        RuleId::CPsychosis,
        status_of(f.active_psychosis),
        indicator,
        summary,
        rationale,
    )
    .used(used(&pairs))
    .missing(unknowns(&pairs))
}

fn pd_unmotivated(a: &Assessment) -> Explanation {
    let f = &a.findings;
    let pd_diag: Vec<usize> = a
        .diagnoses
        .iter()
        .enumerate()
        .filter(|(_, d)| d.category == DiagnosisCategory::PersonalityDisorder)
        .map(|(i, _)| i)
        .collect();
    let pd = if pd_diag.is_empty() {
        f.personality_disorder
    } else {
        Finding::Present
    };
    let cond = pd.and(f.motivation.not());
    let mut inputs = vec![InputUsed::new(P_PD, f.personality_disorder)];
    inputs.extend(pd_diag.iter().map(|i| {
        InputUsed::new(
            diag_path(*i, "category"),
            DiagnosisCategory::PersonalityDisorder,
        )
    }));
    inputs.push(InputUsed::new(P_MOTIVATION, f.motivation));
    let mut missing = Vec::new();
    if cond.is_unknown() {
        if pd.is_unknown() {
            missing.push(P_PD.to_owned());
        }
        if f.motivation.is_unknown() {
            missing.push(P_MOTIVATION.to_owned());
        }
    }
    let (indicator, summary, rationale) = match cond {
        Finding::Present => (
            Indicator::Critical,
            "Personality disorder without motivation for change: IPT is contraindicated.",
            "A personality disorder together with no motivation for change is a contraindication to IPT; another approach may suit better, and motivation could be reassessed later.",
        ),
        Finding::Absent if pd == Finding::Present => (
            Indicator::Info,
            "Personality disorder, with motivation for change.",
            "A personality disorder is present but so is motivation for change, so this contraindication does not apply.",
        ),
        Finding::Absent => (
            Indicator::Info,
            "No personality disorder.",
            "No personality disorder was found, so this contraindication does not apply.",
        ),
        Finding::Unknown => (
            Indicator::Warning,
            "Cannot yet rule out a personality disorder without motivation for change.",
            "Whether a personality disorder with no motivation for change is present is not yet known; consider assessing the missing findings.",
        ),
    };
    Explanation::new(
        RuleId::CPdUnmotivated,
        status_of(cond),
        indicator,
        summary,
        rationale,
    )
    .used(inputs)
    .missing(missing)
}

/// C-COGNITIVE as a three-valued condition, with the missing inputs.
fn cognitive_condition(c: &CognitiveImpairment) -> (Finding, Vec<String>) {
    use ImpairmentCause as C;
    use ImpairmentSeverity as S;
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
    let mut missing = Vec::new();
    if cond.is_unknown() {
        if severe_enough.is_unknown() {
            missing.push(P_COG_SEVERITY.to_owned());
        }
        if qualifying_cause.is_unknown() {
            missing.push(P_COG_CAUSE.to_owned());
        }
    }
    (cond, missing)
}

fn cognitive(f: &Findings) -> Explanation {
    let c = &f.cognitive_impairment;
    let (cond, missing) = cognitive_condition(c);
    let (indicator, summary, rationale) = match cond {
        Finding::Present => (
            Indicator::Critical,
            "Moderate-to-severe cognitive impairment due to substance abuse or a medical condition: IPT is contraindicated.",
            "Moderate-to-severe cognitive impairment due to ongoing substance abuse or a general medical condition is a contraindication to IPT; consider addressing its cause first.",
        ),
        Finding::Absent => (
            Indicator::Info,
            "No contraindicating cognitive impairment.",
            "There is no moderate-to-severe cognitive impairment due to substance abuse or a medical condition, so this contraindication does not apply.",
        ),
        Finding::Unknown => (
            Indicator::Warning,
            "Cannot yet rule out contraindicating cognitive impairment.",
            "The severity or the cause of any cognitive impairment is not yet known; consider assessing them before choosing IPT.",
        ),
    };
    Explanation::new(
        RuleId::CCognitive,
        status_of(cond),
        indicator,
        summary,
        rationale,
    )
    .used([
        InputUsed::new(P_COG_SEVERITY, c.severity),
        InputUsed::new(P_COG_CAUSE, c.cause),
    ])
    .missing(missing)
}

/// Indices of the diagnoses matching `pred`.
fn diagnoses_where(a: &Assessment, pred: impl Fn(&Diagnosis) -> bool) -> Vec<usize> {
    a.diagnoses
        .iter()
        .enumerate()
        .filter(|(_, d)| pred(d))
        .map(|(i, _)| i)
        .collect()
}

fn indication(
    id: RuleId,
    cond: Finding,
    met: (&str, &str),
    not_met: (&str, &str),
    unknown: (&str, &str),
) -> Explanation {
    let (indicator, (summary, rationale)) = match cond {
        Finding::Present => (Indicator::Info, met),
        Finding::Absent => (Indicator::Info, not_met),
        Finding::Unknown => (Indicator::Warning, unknown),
    };
    Explanation::new(id, status_of(cond), indicator, summary, rationale)
}

/// The verdict level an indication gives when met.
const fn level_of(id: RuleId) -> Verdict {
    match id {
        RuleId::IMoodEssential | RuleId::IPostInpatient => Verdict::Essential,
        RuleId::IAcuteMdd | RuleId::IMaintenance => Verdict::Indicated,
        _ => Verdict::Optional,
    }
}

fn mood_essential(a: &Assessment) -> Explanation {
    let f = &a.findings;
    let mood = diagnoses_where(a, |d| d.category.is_mood());
    let has_mood = Finding::from_bool(!mood.is_empty());
    let cond = has_mood.and(f.motivation).and(f.insight);
    let mut missing = Vec::new();
    if cond.is_unknown() {
        missing = unknowns(&[(P_MOTIVATION, f.motivation), (P_INSIGHT, f.insight)]);
    }
    let mut inputs: Vec<InputUsed> = mood
        .iter()
        .filter_map(|i| {
            a.diagnoses
                .get(*i)
                .map(|d| InputUsed::new(diag_path(*i, "category"), d.category))
        })
        .collect();
    if mood.is_empty() {
        inputs.push(InputUsed::new(P_DIAGNOSES, "no mood disorder"));
    }
    inputs.extend(used(&[
        (P_MOTIVATION, f.motivation),
        (P_INSIGHT, f.insight),
    ]));
    indication(
        RuleId::IMoodEssential,
        cond,
        (
            "Mood disorder with motivation and insight: IPT techniques are essential.",
            "With a mood disorder and sufficient motivation and insight, IPT techniques should be part of the psychotherapy the clinician chooses.",
        ),
        (
            "Essential use does not apply.",
            "Essential use needs a mood disorder with both motivation and insight present; at least one is absent.",
        ),
        (
            "Essential use depends on missing findings.",
            "A mood disorder is recorded; whether IPT techniques are essential depends on motivation and insight, which are not yet assessed.",
        ),
    )
    .used(inputs)
    .missing(missing)
}

fn post_inpatient(a: &Assessment) -> Explanation {
    let f = &a.findings;
    let setting = match a.care_setting {
        Some(CareSetting::PostInpatient) => Finding::Present,
        Some(_) => Finding::Absent,
        None => Finding::Unknown,
    };
    let cond = setting
        .and(f.on_medication)
        .and(f.family_intervention_precluded);
    let mut missing = Vec::new();
    if cond.is_unknown() {
        if setting.is_unknown() {
            missing.push(P_SETTING.to_owned());
        }
        missing.extend(unknowns(&[
            (P_MEDICATION, f.on_medication),
            (P_FAMILY, f.family_intervention_precluded),
        ]));
    }
    indication(
        RuleId::IPostInpatient,
        cond,
        (
            "Post-inpatient adjustment: social skills training, role play and modelling are essential.",
            "After inpatient care, on medication and with family intervention precluded, social skills training, role playing and social modelling with reinforcement are recommended as an adjunct to medication, individually or in a small group.",
        ),
        (
            "Post-inpatient use does not apply.",
            "Post-inpatient use needs a post-inpatient setting, current medication and family intervention precluded; at least one does not hold.",
        ),
        (
            "Post-inpatient use depends on missing inputs.",
            "Whether the post-inpatient indication applies depends on inputs not yet recorded.",
        ),
    )
    .used([
        InputUsed::new(P_SETTING, a.care_setting),
        InputUsed::new(P_MEDICATION, f.on_medication),
        InputUsed::new(P_FAMILY, f.family_intervention_precluded),
    ])
    .missing(missing)
}

fn interpersonal_optional(a: &Assessment) -> Explanation {
    let f = &a.findings;
    // Recurrent or chronic course of any diagnosis; an unknown course is unknown.
    let mut missing_course = Vec::new();
    let mut inputs = Vec::new();
    let per_diag = a.diagnoses.iter().enumerate().map(|(i, d)| {
        inputs.push(InputUsed::new(diag_path(i, "course"), d.course));
        match d.course {
            Some(IllnessCourse::Recurrent | IllnessCourse::Chronic) => Finding::Present,
            Some(IllnessCourse::FirstEpisode) => Finding::Absent,
            None => {
                missing_course.push(diag_path(i, "course"));
                Finding::Unknown
            }
        }
    });
    let recurrent = Finding::any(per_diag.collect::<Vec<_>>());
    let cond = recurrent.and(f.interpersonal_precipitants);
    let mut missing = Vec::new();
    if cond.is_unknown() {
        if recurrent.is_unknown() {
            missing.extend(missing_course);
        }
        missing.extend(unknowns(&[(P_PRECIPITANTS, f.interpersonal_precipitants)]));
    }
    inputs.push(InputUsed::new(P_PRECIPITANTS, f.interpersonal_precipitants));
    indication(
        RuleId::IInterpersonalOptional,
        cond,
        (
            "Recurrent or chronic illness with interpersonal precipitants: IPT techniques are an option.",
            "Symptoms of a recurrent or chronic diagnosis are precipitated or aggravated by identifiable interpersonal situations, so IPT techniques may be part of the treatment.",
        ),
        (
            "Optional use for interpersonal precipitants does not apply.",
            "This option needs a recurrent or chronic diagnosis whose symptoms are precipitated or aggravated by interpersonal situations; that is not the case.",
        ),
        (
            "Optional use depends on missing inputs.",
            "Whether symptoms of a recurrent or chronic diagnosis are tied to interpersonal situations is not yet known.",
        ),
    )
    .used(inputs)
    .missing(missing)
}

/// Whether some major depression matches on course and phase, three-valued, with the inputs.
fn mdd_matching(
    a: &Assessment,
    course: Option<&[IllnessCourse]>,
    phase: IllnessPhase,
) -> (Finding, Vec<InputUsed>, Vec<String>) {
    let mut inputs = Vec::new();
    let mut missing = Vec::new();
    let mut any = Finding::Absent;
    for (i, d) in a.diagnoses.iter().enumerate() {
        if d.category != DiagnosisCategory::MajorDepression {
            continue;
        }
        inputs.push(InputUsed::new(diag_path(i, "category"), d.category));
        let mut cond = match d.phase {
            Some(p) => Finding::from_bool(p == phase),
            None => Finding::Unknown,
        };
        inputs.push(InputUsed::new(diag_path(i, "phase"), d.phase));
        let mut m = Vec::new();
        if d.phase.is_none() {
            m.push(diag_path(i, "phase"));
        }
        if let Some(allowed) = course {
            let c = match d.course {
                Some(c) => Finding::from_bool(allowed.contains(&c)),
                None => Finding::Unknown,
            };
            inputs.push(InputUsed::new(diag_path(i, "course"), d.course));
            if d.course.is_none() {
                m.push(diag_path(i, "course"));
            }
            cond = cond.and(c);
        }
        if cond.is_unknown() {
            missing.extend(m);
        }
        any = any.or(cond);
    }
    if any != Finding::Unknown {
        missing.clear();
    }
    if inputs.is_empty() {
        inputs.push(InputUsed::new(P_DIAGNOSES, "no major depression"));
    }
    (any, inputs, missing)
}

fn acute_mdd(a: &Assessment) -> Explanation {
    let (cond, inputs, missing) = mdd_matching(a, None, IllnessPhase::Acute);
    indication(
        RuleId::IAcuteMdd,
        cond,
        (
            "Major depression, acute phase: an IPT course is indicated.",
            "The acute phase of major depression is the most common use of an IPT course; a standard course is an option to discuss.",
        ),
        (
            "No acute major depression.",
            "No major depression in its acute phase is recorded.",
        ),
        (
            "Acute major depression depends on a missing phase.",
            "Major depression is recorded but its phase (acute or remitted) is not.",
        ),
    )
    .used(inputs)
    .missing(missing)
}

fn maintenance(a: &Assessment) -> Explanation {
    let (cond, inputs, missing) = mdd_matching(
        a,
        Some(&[IllnessCourse::Recurrent, IllnessCourse::Chronic]),
        IllnessPhase::Remitted,
    );
    indication(
        RuleId::IMaintenance,
        cond,
        (
            "Recurrent depression after response: maintenance IPT is an option.",
            "Recurrent depression has responded to treatment; monthly maintenance IPT may help prevent relapse and recurrence.",
        ),
        (
            "Maintenance use does not apply.",
            "Maintenance IPT applies to recurrent depression after response; that is not recorded.",
        ),
        (
            "Maintenance use depends on missing inputs.",
            "Major depression is recorded, but its course or phase is not, so maintenance IPT cannot yet be considered.",
        ),
    )
    .used(inputs)
    .missing(missing)
}

fn other(a: &Assessment) -> Explanation {
    let idx = diagnoses_where(a, |d| d.category.has_adapted_form());
    let cond = Finding::from_bool(!idx.is_empty());
    let mut inputs: Vec<InputUsed> = idx
        .iter()
        .filter_map(|i| {
            a.diagnoses
                .get(*i)
                .map(|d| InputUsed::new(diag_path(*i, "category"), d.category))
        })
        .collect();
    if idx.is_empty() {
        inputs.push(InputUsed::new(P_DIAGNOSES, "none with an adapted form"));
    }
    indication(
        RuleId::IOther,
        cond,
        (
            "A disorder with an adapted form of IPT: IPT is an option.",
            "IPT is also used for this disorder; adapted forms exist, so consider the adapted protocol rather than standard IPT.",
        ),
        (
            "No disorder with an adapted form.",
            "None of the recorded diagnoses is one for which an adapted form of IPT is used.",
        ),
        ("", ""),
    )
    .used(inputs)
}

fn decide(contra: &[Explanation], ind: &[Explanation]) -> VerdictExplanation {
    let met = |e: &&Explanation| e.status == RuleStatus::Met;
    let unknown = |e: &&Explanation| e.status == RuleStatus::Unknown;
    let ids = |it: Vec<&Explanation>| it.into_iter().map(|e| e.rule_id).collect::<Vec<_>>();

    let present: Vec<&Explanation> = contra.iter().filter(met).collect();
    if !present.is_empty() {
        return VerdictExplanation {
            verdict: Verdict::Contraindicated,
            decided_by: ids(present),
            rationale:
                "A contraindication is present, so IPT is not an option now, whatever else is true."
                    .into(),
        };
    }
    let open: Vec<&Explanation> = contra.iter().filter(unknown).collect();
    if !open.is_empty() {
        return VerdictExplanation {
            verdict: Verdict::Indeterminate,
            decided_by: ids(open),
            rationale: "No contraindication is present, but at least one cannot be ruled out until the missing inputs are assessed.".into(),
        };
    }
    let best = ind
        .iter()
        .filter(met)
        .map(|e| level_of(e.rule_id))
        .max_by_key(|v| v.strength())
        .unwrap_or(Verdict::NotIndicated);
    let stronger_open: Vec<&Explanation> = ind
        .iter()
        .filter(unknown)
        .filter(|e| level_of(e.rule_id).strength() > best.strength())
        .collect();
    if !stronger_open.is_empty() {
        return VerdictExplanation {
            verdict: Verdict::Indeterminate,
            decided_by: ids(stronger_open),
            rationale: format!(
                "No contraindication is present. The verdict is at least `{}`, but a stronger indication depends on missing inputs.",
                best.as_str()
            ),
        };
    }
    if best == Verdict::NotIndicated {
        return VerdictExplanation {
            verdict: Verdict::NotIndicated,
            decided_by: Vec::new(),
            rationale: "No contraindication is present and no indication applies; IPT is not indicated by this protocol, though the clinician may still judge otherwise.".into(),
        };
    }
    let deciding: Vec<&Explanation> = ind
        .iter()
        .filter(met)
        .filter(|e| level_of(e.rule_id) == best)
        .collect();
    let rationale = match best {
        Verdict::Essential => "No contraindication is present and an essential-use indication applies: IPT techniques should be part of the psychotherapy.",
        Verdict::Indicated => "No contraindication is present and an IPT course is indicated; the clinician decides with the patient whether to start one.",
        _ => "No contraindication is present and IPT techniques are an option to consider.",
    };
    VerdictExplanation {
        verdict: best,
        decided_by: ids(deciding),
        rationale: rationale.into(),
    }
}

fn assessments(f: &Findings) -> Vec<Explanation> {
    let simple = |id: RuleId, path: &str, v: Finding, what: &str| {
        let (indicator, summary, rationale) = match v {
            Finding::Present => (
                Indicator::Info,
                format!("{what}: assessed, present."),
                format!("{what} was assessed and is present."),
            ),
            Finding::Absent => (
                Indicator::Warning,
                format!("{what}: assessed, absent."),
                format!("{what} was assessed and is absent; consider this when selecting IPT techniques."),
            ),
            Finding::Unknown => (
                Indicator::Warning,
                format!("{what}: not yet assessed."),
                format!("{what} should be assessed before IPT techniques are selected."),
            ),
        };
        Explanation::new(id, status_of(v), indicator, summary, rationale)
            .used([InputUsed::new(path, v)])
            .missing(unknowns(&[(path, v)]))
    };
    let med = {
        let pairs = [
            (P_CHRONIC_SEVERE, f.chronic_severe_illness),
            (P_STABLE, f.stable_on_medication_and_support),
        ];
        let (status, indicator, summary, rationale, missing): (_, _, &str, &str, Vec<String>) =
            match (f.chronic_severe_illness, f.stable_on_medication_and_support) {
                (Finding::Absent, _) => (
                    RuleStatus::NotApplicable,
                    Indicator::Info,
                    "Not required: no chronic, severe illness.",
                    "This assessment is required only for chronic, severe illness.",
                    vec![],
                ),
                (Finding::Unknown, _) => (
                    RuleStatus::Unknown,
                    Indicator::Warning,
                    "Whether this assessment is required is not yet known.",
                    "Record whether the illness is chronic and severe; if it is, assess whether medication and supportive psychotherapy alone keep the person stable.",
                    unknowns(&pairs),
                ),
                (Finding::Present, Finding::Unknown) => (
                    RuleStatus::Unknown,
                    Indicator::Warning,
                    "Chronic, severe illness: stability on medication and support not yet assessed.",
                    "For chronic, severe illness, assess whether medication and supportive psychotherapy alone keep the person stable before selecting IPT techniques.",
                    unknowns(&pairs),
                ),
                (Finding::Present, Finding::Present) => (
                    RuleStatus::Met,
                    Indicator::Info,
                    "Stable on medication and supportive psychotherapy alone.",
                    "Medication and supportive psychotherapy alone keep the person stable; the clinician may weigh whether IPT techniques add to that.",
                    vec![],
                ),
                (Finding::Present, Finding::Absent) => (
                    RuleStatus::NotMet,
                    Indicator::Info,
                    "Not stable on medication and supportive psychotherapy alone.",
                    "Medication and supportive psychotherapy alone do not keep the person stable; IPT techniques may add to them.",
                    vec![],
                ),
            };
        Explanation::new(RuleId::AMedStability, status, indicator, summary, rationale)
            .used(used(&pairs))
            .missing(missing)
    };
    vec![
        med,
        simple(
            RuleId::AMotivation,
            P_MOTIVATION,
            f.motivation,
            "Motivation for improvement and for IPT",
        ),
        simple(
            RuleId::ASelfReflection,
            P_SELF_REFLECTION,
            f.self_reflection,
            "Ability to self-reflect and self-monitor",
        ),
        simple(
            RuleId::AInsight,
            P_INSIGHT,
            f.insight,
            "Capacity for insight",
        ),
    ]
}

/// Safety alerts and cautions.
fn cautions(a: &Assessment) -> (Vec<Explanation>, Vec<Explanation>) {
    let f = &a.findings;
    let mut alerts = Vec::new();
    let mut out = Vec::new();

    match f.suicide_risk {
        Some(r) if r.is_high() => alerts.push(
            Explanation::new(
                RuleId::XSuicide,
                RuleStatus::Met,
                Indicator::Critical,
                "High or imminent suicide risk: safety comes first.",
                "Suicide risk is recorded as high or imminent. This takes precedence over everything else: assess lethality and put safety measures in place before any decision about IPT.",
            )
            .used([InputUsed::new(P_SUICIDE, r)]),
        ),
        Some(SuicideRisk::Moderate) => out.push(
            Explanation::new(
                RuleId::XSuicide,
                RuleStatus::NotMet,
                Indicator::Warning,
                "Moderate suicide risk: keep lethality under review.",
                "Suicide risk is moderate; consider reassessing lethality at each session.",
            )
            .used([InputUsed::new(P_SUICIDE, SuicideRisk::Moderate)]),
        ),
        Some(_) => {}
        None => out.push(
            Explanation::new(
                RuleId::XSuicide,
                RuleStatus::Unknown,
                Indicator::Warning,
                "Suicide risk not yet assessed.",
                "Suicide risk has not been recorded; lethality should be assessed at intake and in the first session.",
            )
            .used([InputUsed::new(P_SUICIDE, serde_json::Value::Null)])
            .missing([P_SUICIDE.to_owned()]),
        ),
    }

    match a.age.map(Age::get) {
        None => out.push(
            Explanation::new(
                RuleId::XAge,
                RuleStatus::Unknown,
                Indicator::Warning,
                "Age not recorded.",
                "Record the age: adolescents are offered an adapted variant, and under 12 is outside the evidence.",
            )
            .used([InputUsed::new(P_AGE, serde_json::Value::Null)])
            .missing([P_AGE.to_owned()]),
        ),
        Some(age) if age < 12 => out.push(
            Explanation::new(
                RuleId::XAge,
                RuleStatus::Met,
                Indicator::Warning,
                "Under 12: outside the evidence for IPT.",
                "IPT has been adapted from adolescence to old age; for a child under 12 its use is outside the evidence, and other approaches may be considered.",
            )
            .used([InputUsed::new(P_AGE, age)]),
        ),
        Some(age) if age <= 18 => out.push(
            Explanation::new(
                RuleId::XAge,
                RuleStatus::Met,
                Indicator::Info,
                "Age 12-18: consider the adolescent variant (IPT-A).",
                "IPT has an adolescent adaptation; for ages 12 to 18 the adolescent variant is recommended.",
            )
            .used([InputUsed::new(P_AGE, age)]),
        ),
        Some(_) => {}
    }

    let bipolar = diagnoses_where(a, |d| d.category == DiagnosisCategory::Bipolar);
    if !bipolar.is_empty() {
        out.push(
            Explanation::new(
                RuleId::XPopulation,
                RuleStatus::Met,
                Indicator::Warning,
                "Bipolar disorder: consider an adapted form of IPT.",
                "IPT was designed for unipolar depression; for bipolar disorder an adapted form is the option to consider.",
            )
            .used(bipolar.iter().map(|i| InputUsed::new(diag_path(*i, "category"), DiagnosisCategory::Bipolar))),
        );
    }
    if a.care_setting == Some(CareSetting::Inpatient) {
        out.push(
            Explanation::new(
                RuleId::XPopulation,
                RuleStatus::Met,
                Indicator::Warning,
                "Inpatient setting: IPT was designed for outpatients.",
                "IPT was designed for outpatients; in an inpatient setting, consider whether to start now or after discharge.",
            )
            .used([InputUsed::new(P_SETTING, CareSetting::Inpatient)]),
        );
    }
    if f.on_medication == Finding::Absent
        && !diagnoses_where(a, |d| d.category.is_mood()).is_empty()
    {
        out.push(
            Explanation::new(
                RuleId::XPopulation,
                RuleStatus::Met,
                Indicator::Info,
                "Not on medication: IPT was designed to be used with medication.",
                "IPT was designed to be used with medication and is also effective alone; a medication review is part of the initial phase.",
            )
            .used([InputUsed::new(P_MEDICATION, f.on_medication)]),
        );
    }

    let lc = &a.language_culture;
    let pairs = [
        (P_INTERPRETER, lc.interpreter_needed),
        (P_CULTURE, lc.cultural_adaptation_needed),
    ];
    let need = lc.interpreter_needed.or(lc.cultural_adaptation_needed);
    match need {
        Finding::Present => out.push(
            Explanation::new(
                RuleId::XLanguageCulture,
                RuleStatus::Met,
                Indicator::Warning,
                "Linguistic or cultural needs: arrange an interpreter or adapted delivery.",
                "Consider arranging an interpreter or culturally adapted delivery so that IPT can be delivered as intended.",
            )
            .used(used(&pairs)),
        ),
        Finding::Unknown => out.push(
            Explanation::new(
                RuleId::XLanguageCulture,
                RuleStatus::Unknown,
                Indicator::Info,
                "Linguistic and cultural needs not yet recorded.",
                "Record whether an interpreter or culturally adapted delivery is needed.",
            )
            .used(used(&pairs))
            .missing(unknowns(&pairs)),
        ),
        Finding::Absent => {}
    }

    match f.substance_misuse {
        Finding::Present => out.push(
            Explanation::new(
                RuleId::XSubstance,
                RuleStatus::Met,
                Indicator::Warning,
                "Active substance misuse: proceed with caution.",
                "Active substance misuse calls for caution; consider addressing it alongside or before IPT.",
            )
            .used([InputUsed::new(P_SUBSTANCE, f.substance_misuse)]),
        ),
        Finding::Unknown => out.push(
            Explanation::new(
                RuleId::XSubstance,
                RuleStatus::Unknown,
                Indicator::Info,
                "Substance misuse not yet assessed.",
                "Record whether there is active substance misuse.",
            )
            .used([InputUsed::new(P_SUBSTANCE, f.substance_misuse)])
            .missing([P_SUBSTANCE.to_owned()]),
        ),
        Finding::Absent => {}
    }

    let c = &f.cognitive_impairment;
    let (cond, _) = cognitive_condition(c);
    let milder = matches!(c.severity, Some(ImpairmentSeverity::Mild))
        || (matches!(
            c.severity,
            Some(ImpairmentSeverity::Moderate | ImpairmentSeverity::Severe)
        ) && c.cause == Some(ImpairmentCause::Other));
    if cond != Finding::Present && milder {
        out.push(
            Explanation::new(
                RuleId::CCognitive,
                RuleStatus::NotMet,
                Indicator::Warning,
                "Cognitive impairment that is not a contraindication: proceed with caution.",
                "Mild cognitive impairment, or impairment from a cause other than substance abuse or a medical condition, is a caution rather than a contraindication; consider adapting the pace and materials.",
            )
            .used([
                InputUsed::new(P_COG_SEVERITY, c.severity),
                InputUsed::new(P_COG_CAUSE, c.cause),
            ]),
        );
    }
    (alerts, out)
}

fn variant_option(
    a: &Assessment,
    verdict: &VerdictExplanation,
    indications: &[Explanation],
) -> Option<VariantOption> {
    if matches!(
        verdict.verdict,
        Verdict::Contraindicated | Verdict::NotIndicated
    ) {
        return None;
    }
    let met = |id: RuleId| {
        indications
            .iter()
            .any(|e| e.rule_id == id && e.status == RuleStatus::Met)
    };
    let age = a.age.map(Age::get);
    let (variant, reason_id, rationale, inputs) = if met(RuleId::IMaintenance) {
        (
            Variant::Maintenance,
            RuleId::IMaintenance,
            "Recurrent depression has responded to treatment: monthly maintenance IPT under a separate contract is an option to prevent relapse.",
            vec![InputUsed::new("report.indications", RuleId::IMaintenance)],
        )
    } else if let Some(age) = age.filter(|a| (12..=18).contains(a)) {
        (
            Variant::Adolescent,
            RuleId::XAge,
            "For ages 12 to 18 the adolescent variant (IPT-A, 12 sessions) is the option to consider.",
            vec![InputUsed::new(P_AGE, age)],
        )
    } else if a.format == Some(Format::Group) {
        (
            Variant::Group,
            RuleId::VGroup,
            "Group format was requested: group IPT (one individual pre-group session and 8 group sessions) is the option to consider.",
            vec![InputUsed::new(P_FORMAT, Format::Group)],
        )
    } else {
        (
            Variant::Standard,
            RuleId::VStandard,
            "Standard individual IPT (12-16 weekly sessions, default 16) is the usual option.",
            vec![InputUsed::new(P_FORMAT, a.format)],
        )
    };
    let mut e = Explanation::new(
        variant.rule_id(),
        RuleStatus::Met,
        Indicator::Info,
        format!("Option: the {} variant.", variant_name(variant)),
        rationale,
    )
    .used(inputs);
    if reason_id != variant.rule_id() {
        e.inputs_used
            .push(InputUsed::new("report.basis", reason_id));
    }
    if verdict.verdict == Verdict::Indeterminate {
        e.rationale
            .push_str(" This is provisional until the verdict is determinate.");
        e.inputs_missing.extend(
            indications
                .iter()
                .flat_map(|i| i.inputs_missing.iter().cloned()),
        );
        e.inputs_missing.sort();
        e.inputs_missing.dedup();
    }
    Some(VariantOption {
        variant,
        explanation: e,
    })
}

fn variant_name(v: Variant) -> &'static str {
    match v {
        Variant::Standard => "standard",
        Variant::Brief => "brief",
        Variant::Adolescent => "adolescent",
        Variant::Group => "group",
        Variant::Maintenance => "maintenance",
    }
}

fn techniques(indications: &[Explanation]) -> Vec<Explanation> {
    let post = indications
        .iter()
        .any(|e| e.rule_id == RuleId::IPostInpatient && e.status == RuleStatus::Met);
    if !post {
        return Vec::new();
    }
    [
        (RuleId::TSocialSkills, "Social skills training"),
        (RuleId::TRolePlay, "Role playing"),
        (RuleId::TModelling, "Social modelling with reinforcement"),
    ]
    .into_iter()
    .map(|(id, what)| {
        Explanation::new(
            id,
            RuleStatus::Met,
            Indicator::Info,
            format!("{what}, as an adjunct to medication."),
            format!("{what} is recommended for post-inpatient adjustment (I-POST-INPATIENT), individually or in a small group, alongside medication."),
        )
        .used([InputUsed::new("report.indications", RuleId::IPostInpatient)])
    })
    .collect()
}

/// The status of I-MAINTENANCE for a recorded assessment at the end of a course, given whether
/// the course's measures show a response (`None`: cannot be told). Each major-depression
/// diagnosis is read in the phase the response implies (remitted after a response, acute
/// without one, unset when unknown) and the assessment's own I-MAINTENANCE rule decides.
pub fn maintenance_status_at_completion(a: &Assessment, responded: Option<bool>) -> RuleStatus {
    let mut copy = a.clone();
    for d in &mut copy.diagnoses {
        if d.category == DiagnosisCategory::MajorDepression {
            d.phase = match responded {
                Some(true) => Some(IllnessPhase::Remitted),
                Some(false) => Some(IllnessPhase::Acute),
                None => None,
            };
        }
    }
    assess(&copy)
        .indications
        .iter()
        .find(|e| e.rule_id == RuleId::IMaintenance)
        .map_or(RuleStatus::Unknown, |e| e.status)
}
