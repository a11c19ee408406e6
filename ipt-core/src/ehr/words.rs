//! The words of the EHR answers: how a coding was read, why a resource was not, the summary of
//! every card (at most 140 characters, describing or offering, never commanding), the headings
//! and lines of a card's detail, the labels of the inputs, the override reasons, the
//! suggestion and the discovery document. Nothing else in the EHR domain holds a sentence a
//! clinician reads; every one passes through the locale.

use crate::explain::{fill, Locale};
use crate::suitability::inputs::Field;
use crate::suitability::{DiagnosisCategory, IllnessCourse, IllnessPhase};

use super::terminology::Implied;
use super::Reason;

/// A category as a phrase.
pub const fn category(c: DiagnosisCategory) -> &'static str {
    match c {
        DiagnosisCategory::MajorDepression => "major depression",
        DiagnosisCategory::Dysthymia => "dysthymia",
        DiagnosisCategory::Bipolar => "bipolar disorder",
        DiagnosisCategory::Anxiety => "an anxiety disorder",
        DiagnosisCategory::BulimiaNervosa => "bulimia nervosa",
        DiagnosisCategory::ChronicFatigue => "chronic fatigue",
        DiagnosisCategory::PersonalityDisorder => "a personality disorder",
        DiagnosisCategory::PsychoticDisorder => "a psychotic disorder",
        DiagnosisCategory::SubstanceUse => "a substance use disorder",
        DiagnosisCategory::Other => "another diagnosis (not one the rules single out)",
    }
}

/// A course as a phrase.
pub const fn course(c: IllnessCourse) -> &'static str {
    match c {
        IllnessCourse::FirstEpisode => "first episode",
        IllnessCourse::Recurrent => "recurrent",
        IllnessCourse::Chronic => "chronic",
    }
}

/// A phase as a phrase.
pub const fn phase(p: IllnessPhase) -> &'static str {
    match p {
        IllnessPhase::Acute => "acute",
        IllnessPhase::Remitted => "remitted",
    }
}

/// An implied finding as a phrase.
pub const fn implied(i: Implied) -> &'static str {
    match i {
        Implied::ActivePsychosis => "implies active psychosis",
        Implied::PersonalityDisorder => "implies a personality disorder",
    }
}

/// A mapped coding: `{system} {code}: {mapping}.`
pub const MAPPED: &str = "{system} {code}: {mapping}.";
/// Why it mapped so.
pub const MAPPED_WHY: &str = "{system} {code} is \u{201c}{title}\u{201d}. Terminology table {version} reads it as {mapping}.";
/// A code the table does not cover.
pub const NOT_IN_TABLE: &str = "{system} {code}: not in the terminology table, not read.";
/// Why.
pub const NOT_IN_TABLE_WHY: &str = "Terminology table {version} has no row for this code, so it is listed and not read; the engine never guesses what an unmapped code means.";
/// A code not written as one of its system.
pub const MALFORMED: &str = "{system} code `{code}` is not written as a {system} code, not read.";
/// Why.
pub const MALFORMED_WHY: &str = "Codes are read exactly as written (ICD-10-CM with its dot, as in F32.1; ICD-11 as in 6A70.1; SNOMED CT as a concept ID); this one is not, so it is not read.";
/// A known system the table does not read.
pub const SYSTEM_NOT_MAPPED: &str = "{system} code {code}: terminology not in the table, not read.";
/// Why.
pub const SYSTEM_NOT_MAPPED_WHY: &str = "Terminology table {version} reads ICD-10-CM, ICD-11 and a SNOMED CT subset; {system} codes are listed and not read.";
/// An unknown system.
pub const UNKNOWN_SYSTEM: &str = "Code {code} of an unknown system: not read.";
/// Why.
pub const UNKNOWN_SYSTEM_WHY: &str = "The system `{system}` is not a terminology this engine knows, so the code is listed and not read.";

/// A conflict between the record and an explicit statement (or two record elements).
pub const CONFLICT: &str = "The record and the request disagree on {input}: left unknown.";
/// Why.
pub const CONFLICT_WHY: &str = "Sources give different values for {input} ({values}). Neither overrides the other: the input is left unknown until the clinician reconciles them.";

/// Why something was not read.
pub const fn reason(r: Reason) -> &'static str {
    match r {
        Reason::ResourceType => "a resource type this engine does not read",
        Reason::NoResource => "a Bundle entry without a resource",
        Reason::OperationOutcome => "an OperationOutcome: the EHR reported an error or warning",
        Reason::NotActive => "not an active condition",
        Reason::NotConfirmed => "not a confirmed diagnosis",
        Reason::NotFinal => "not final",
        Reason::AfterDate => "dated after the assessment",
        Reason::NoCode => "a condition without a code",
        Reason::NoCoding => "a condition coded as text only",
        Reason::NoMappedCode => "none of its codes is in the terminology table",
        Reason::ConflictingCodes => "its codes map to different categories",
        Reason::NoSubject => "no subject: whose record it is cannot be told",
        Reason::NotAnInstrument => "not an instrument this engine reads",
        Reason::NotScored => "not part of the score",
        Reason::NoValue => "no score to read",
        Reason::NotPhq9 => "not a PHQ-9",
        Reason::ReadThroughObservation => "read through the Observations derived from it",
        Reason::Absent => "absent from the record",
        Reason::PartialDate => "a partial date: the value cannot be told",
        Reason::NotSupplied => "not supplied by the EHR",
        Reason::NoData => "no data in the EHR",
        Reason::UnknownPrefetchKey => "a prefetch key this service did not ask for",
    }
}

/// The label of an assessment field, for a card.
pub const fn field(f: Field) -> &'static str {
    match f {
        Field::Age => "Age",
        Field::CareSetting => "Care setting",
        Field::Format => "Format",
        Field::Diagnoses => "Diagnoses",
        Field::ActivePsychosis => "Active psychosis",
        Field::PersonalityDisorder => "Personality disorder",
        Field::Motivation => "Motivation for change",
        Field::Insight => "Capacity for insight",
        Field::SelfReflection => "Self-reflection and self-monitoring",
        Field::CognitiveSeverity => "Cognitive impairment: severity",
        Field::CognitiveCause => "Cognitive impairment: cause",
        Field::ChronicSevereIllness => "Chronic, severe illness",
        Field::StableOnMedication => "Stable on medication and support alone",
        Field::OnMedication => "On psychotropic medication",
        Field::FamilyInterventionPrecluded => "Family intervention precluded",
        Field::InterpersonalPrecipitants => "Interpersonal precipitants",
        Field::SubstanceMisuse => "Active substance misuse",
        Field::SuicideRisk => "Suicide risk",
        Field::InterpreterNeeded => "Interpreter needed",
        Field::CulturalAdaptationNeeded => "Culturally adapted delivery needed",
        Field::Verdict => "Verdict",
    }
}

/// The label of a diagnosis field: `Diagnosis {n}: category` (`{code}` is the diagnosis's code
/// in parentheses, or nothing).
pub const DIAGNOSIS_CATEGORY: &str = "Diagnosis {n}{code}: category";
/// `Diagnosis {n}: course`.
pub const DIAGNOSIS_COURSE: &str = "Diagnosis {n}{code}: course";
/// `Diagnosis {n}: phase`.
pub const DIAGNOSIS_PHASE: &str = "Diagnosis {n}{code}: phase";
/// PHQ-9 item 9 as an input used.
pub const ITEM9_LINE: &str = "PHQ-9 item 9: {score}{date}, {from}";

/// The readable label of an input path (`$.findings.motivation` is "Motivation for change");
/// `code` gives a diagnosis's code by its index.
pub fn label(path: &str, code: impl Fn(usize) -> Option<String>, locale: &dyn Locale) -> String {
    if let Some(f) = Field::ALL.iter().find(|f| f.path() == path) {
        return locale.text(field(*f)).into_owned();
    }
    let diagnosis = path
        .strip_prefix("$.diagnoses[")
        .and_then(|rest| rest.split_once("]."))
        .and_then(|(n, field)| Some((n.parse::<usize>().ok()?, field)));
    match diagnosis {
        Some((n, field)) => {
            let template = match field {
                "category" => DIAGNOSIS_CATEGORY,
                "course" => DIAGNOSIS_COURSE,
                _ => DIAGNOSIS_PHASE,
            };
            let code = code(n).map(|c| format!(" ({c})")).unwrap_or_default();
            fill(&locale.text(template), &[("n", &(n + 1)), ("code", &code)])
        }
        None => format!("`{}`", path.replace('`', "'")),
    }
}

/// Card summaries. Each is at most 140 characters once filled, describes or offers, and never
/// commands.
pub mod summary {
    /// The verdict is indeterminate.
    pub const INDETERMINATE: &str = "IPT suitability cannot be decided yet: {n} inputs missing.";
    /// Suitability not assessed: the EHR did not supply the conditions.
    pub const NOT_SUPPLIED: &str =
        "IPT suitability not assessed: the EHR did not supply the patient's conditions.";
    /// No PHQ-9 in the record.
    pub const NO_PHQ9: &str = "No PHQ-9 in the record: a baseline measure is an option.";
    /// The record and the request disagree.
    pub const CONFLICT: &str = "Conflicting record: {input} is left unknown until reconciled.";
}

/// Card detail: headings and lines (Markdown).
pub mod detail {
    /// The rationale heading.
    pub const WHY: &str = "Why";
    /// The rules heading.
    pub const RULES: &str = "Rules";
    /// Inputs used.
    pub const USED: &str = "Inputs used";
    /// Inputs missing.
    pub const MISSING: &str = "Inputs missing";
    /// Measures.
    pub const MEASURES: &str = "Measures in the record";
    /// Codes.
    pub const CODES: &str = "Codes not read";
    /// Conflicts.
    pub const CONFLICTS: &str = "Conflicts";
    /// Options offered.
    pub const OPTIONS: &str = "Options";
    /// What was not supplied.
    pub const NOT_SUPPLIED: &str = "Not supplied";
    /// Versions.
    pub const VERSIONS: &str = "Versions";
    /// A line: from where.
    pub const FROM: &str = "from {from}";
    /// A line: stated in the request.
    pub const STATED: &str = "stated in the request";
    /// A missing input's line.
    pub const NOT_RECORDED: &str = "not in the record";
    /// The versions line.
    pub const VERSION_LINE: &str =
        "engine {engine} \u{b7} protocol {protocol} \u{b7} terminology {terminology}";
    /// Indeterminate rationale.
    pub const INDETERMINATE_WHY: &str = "Whether IPT is an option depends on inputs the record and the request do not give yet; the rules that cannot tell are listed with what they need.";
    /// Not supplied rationale.
    pub const NOT_SUPPLIED_WHY: &str = "The service asked for the patient's active conditions (prefetch `conditions`) and the EHR did not send them. Without diagnoses no verdict short of a contraindication can be given, so none is.";
    /// No PHQ-9 rationale.
    pub const NO_PHQ9_WHY: &str = "A mood disorder is recorded and the record holds no PHQ-9. A baseline PHQ-9 lets response and remission be measured if an IPT course is chosen.";
    /// A variant offered.
    pub const VARIANT: &str = "Variant: {variant}";
    /// The latest measure.
    pub const MEASURE_LINE: &str = "{instrument} total {total} ({band}){date}";
}

/// Override reasons: code and display.
pub const OVERRIDE_REASONS: &[(&str, &str)] = &[
    ("clinical-judgement", "The clinician's judgement differs"),
    ("patient-declined", "The patient declined"),
    ("already-addressed", "Already addressed"),
    ("record-out-of-date", "The record is out of date"),
];

/// The suggestion of a PHQ-9: label and the action's description.
pub const SUGGEST_PHQ9: &str = "Option: a PHQ-9 (LOINC 44249-1)";
/// The action.
pub const SUGGEST_PHQ9_ACTION: &str =
    "A proposed PHQ-9 questionnaire for this patient, for the clinician to order or not.";

/// The label of a card's source.
pub const SOURCE: &str = "IPT protocol {protocol}: {title} ({rule})";
/// The label of a terminology card's source.
pub const SOURCE_TERMINOLOGY: &str = "IPT terminology table {version}: {title} ({rule})";

/// The discovery document's service: title and description.
pub const SERVICE_TITLE: &str = "IPT suitability";
/// The service's description.
pub const SERVICE_DESCRIPTION: &str = "Interpersonal Psychotherapy (IPT) decision support: suitability from the coded problem list, PHQ-9 safety alerts and the inputs still missing. Cards offer options; the clinician decides.";
/// The encounter service's title.
pub const ENCOUNTER_SERVICE_TITLE: &str = "IPT suitability at the start of an encounter";
/// Usage requirements.
pub const USAGE: &str = "Reads the prefetched Patient, active Conditions and PHQ-9 Observations; no FHIR server access is needed. Keys not supplied leave inputs unknown.";

/// Every card summary template, for the tests.
pub const SUMMARIES: &[&str] = &[
    summary::INDETERMINATE,
    summary::NOT_SUPPLIED,
    summary::NO_PHQ9,
    summary::CONFLICT,
    MAPPED,
    NOT_IN_TABLE,
    MALFORMED,
    SYSTEM_NOT_MAPPED,
    UNKNOWN_SYSTEM,
    CONFLICT,
];
