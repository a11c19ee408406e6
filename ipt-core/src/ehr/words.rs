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
        Reason::InvalidResource => "not a FHIR resource this engine can read",
        Reason::OperationOutcome => "an OperationOutcome: the EHR reported an error or warning",
        Reason::Paged => "part of the data: the EHR has more pages, or left results out",
        Reason::NotActive => "not an active condition",
        Reason::NotConfirmed => "not a confirmed diagnosis",
        Reason::Refuted => "a refuted diagnosis",
        Reason::EnteredInError => "entered in error",
        Reason::Cancelled => "cancelled",
        Reason::StatusUnreadable => "a status that cannot be read, so not read as current",
        Reason::Abated => "abated on or before the date of the assessment",
        Reason::StaleEncounterDiagnosis => "an encounter diagnosis over a year old, never closed",
        Reason::AfterDate => "dated after the assessment",
        Reason::InvalidDate => "a date or time that cannot be read",
        Reason::NoCode => "a condition without a code",
        Reason::NoCoding => "a condition coded as text only",
        Reason::NoMappedCode => "none of its codes is in the terminology table",
        Reason::ConflictingCodes => "its codes map to different categories",
        Reason::NoSubject => "no subject: whose record it is cannot be told",
        Reason::OtherPatient => "another patient's",
        Reason::UnresolvedSubject => "a subject whose patient cannot be told",
        Reason::NotAnInstrument => "not an instrument this engine reads",
        Reason::NotScored => "not part of the score",
        Reason::NoValue => "no score to read",
        Reason::InvalidValue => "a value that is not a score",
        Reason::OutOfRange => "a score outside its range",
        Reason::TotalMismatch => "a total that disagrees with its items",
        Reason::MultipleAnswers => "more than one answer to one question",
        Reason::UnknownQuestionnaire => "a questionnaire this engine does not read",
        Reason::QuestionnaireMismatch => {
            "its questionnaire names another instrument than its items"
        }
        Reason::NotInRecord => "refers to a resource the record does not hold",
        Reason::Absent => "absent from the record",
        Reason::PartialDate => "a partial date: the value cannot be told",
        Reason::NotSupplied => "not supplied by the EHR",
        Reason::NoData => "no data in the EHR",
        Reason::UnknownPrefetchKey => "a prefetch key this service did not ask for",
    }
}

/// Where a Condition was recorded, as a phrase (none when the record does not say).
pub const fn condition_kind(k: super::condition::ConditionKind) -> Option<&'static str> {
    use super::condition::ConditionKind as K;
    match k {
        K::ProblemListItem => Some("problem list"),
        K::EncounterDiagnosis => Some("encounter diagnosis"),
        K::HealthConcern => Some("health concern"),
        K::Unstated => None,
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
/// The label of an input no table names: its JSONPath, as code.
pub const PATH_LABEL: &str = "`{path}`";
/// An item-9 answer as an input used: `{when}` is a date, a time or "undated"; `{status}` is
/// empty or the unverified mark.
pub const ITEM9_LINE: &str = "{instrument} item 9: {score} ({when}{status}), {from}";
/// An item-9 value that could not be scored.
pub const ITEM9_UNSCORED: &str = "could not be scored, read as a possible positive";
/// An answer not dated.
pub const UNDATED: &str = "undated";
/// An answer dated only by when it was issued.
pub const ISSUED_BY: &str = "given no later than {time}";
/// The mark of an unverified answer.
pub const UNVERIFIED: &str = ", unverified: not final in the record";
/// A line of a diagnosis of the record: its code, where and when it was recorded.
pub const CONDITION_LINE: &str = "{code} ({about}), {from}";
/// When a diagnosis was recorded.
pub const RECORDED: &str = "recorded {date}";
/// A diagnosis whose record gives no date.
pub const NO_DATE: &str = "date not recorded";
/// A line of something not read.
pub const UNREAD_LINE: &str = "{what}: {reason}";
/// The value not read.
pub const UNREAD_VALUE: &str = " (`{value}`)";

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
        None => fill(
            &locale.text(PATH_LABEL),
            &[("path", &path.replace('`', "'"))],
        ),
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
    /// Part of the record could not be read.
    pub const DEFECTS: &str =
        "Part of the record could not be read ({n} item(s)): the advice here may be incomplete.";
    /// The record says the patient died.
    pub const DECEASED: &str =
        "The record says this patient has died{date}: no IPT suitability advice is given.";
    /// A positive item 9 older than the look-back, never answered again.
    pub const ITEM9_OLD: &str =
        "An earlier {instrument} item 9 above 0 ({date}) has no later answer in the record.";
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
    /// What was not read.
    pub const NOT_READ: &str = "Not read";
    /// The record's diagnoses.
    pub const DIAGNOSES: &str = "Diagnoses in the record";
    /// The item-9 answers.
    pub const ITEM9: &str = "Item 9 answers";
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
    /// Defects rationale.
    pub const DEFECTS_WHY: &str = "Some of what the EHR sent could not be read as FHIR R4 says, or came in part (a paged or truncated search), or is another patient's. What was read is used; what was not is listed below with why, so the record can be checked: something left out could change the advice.";
    /// The death recorded: the date (or that there is none) and where.
    pub const DECEASED_LINE: &str = "Died: {date} ({from})";
    /// A death recorded without a date.
    pub const DATE_NOT_GIVEN: &str = "date not given";
    /// Deceased rationale.
    pub const DECEASED_WHY: &str = "The Patient resource records the patient's death. Suitability for a psychotherapy is not assessed for a patient recorded as dead; safety alerts from the record are still shown, in case the record is wrong.";
    /// An older positive item 9 rationale.
    pub const ITEM9_OLD_WHY: &str = "A positive answer to the self-harm item is in the record from more than {item9_lookback_days} days before this date, and no later item-9 answer supersedes it. It is shown so it is not lost; whether it was followed up is for the clinician to check.";
    /// The unverified item 9 rationale, added to the alert's.
    pub const ITEM9_UNVERIFIED_WHY: &str = "Some answers below are not final in the record (preliminary, or a questionnaire in progress or stopped): an unverified answer is still a signal.";
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
    summary::DEFECTS,
    summary::DECEASED,
    summary::ITEM9_OLD,
    MAPPED,
    NOT_IN_TABLE,
    MALFORMED,
    SYSTEM_NOT_MAPPED,
    UNKNOWN_SYSTEM,
    CONFLICT,
];

/// The words of the cards of a patient's IPT course.
pub mod course {
    use crate::course::Phase;
    use crate::variant::Variant;

    /// The heading of the course's line.
    pub const HEADING: &str = "Course";
    /// The course's line.
    pub const LINE: &str =
        "Course {id}: {variant} variant, {phase} phase, session {session} of {total}";
    /// Measures due or overdue.
    pub const MEASURES_DUE: &str = "IPT course: {n} measure(s) due at the next session.";
    /// The next session's agenda.
    pub const AGENDA: &str = "IPT course: the agenda of session {n}, as options.";
    /// The maintenance option after completion.
    pub const MAINTENANCE: &str = "IPT course completed: maintenance IPT is an option.";
    /// The suggestion to record the measures due.
    pub const SUGGEST_MEASURES: &str = "Option: record the measures due";
    /// The suggestion's action.
    pub const SUGGEST_MEASURES_ACTION: &str =
        "A proposed task to record the measures due at the next IPT session, for the clinician to accept or not.";

    /// Every summary template of the course cards, for the tests.
    pub const SUMMARIES: &[&str] = &[MEASURES_DUE, AGENDA, MAINTENANCE];

    /// A variant as a word.
    pub const fn variant(v: Variant) -> &'static str {
        match v {
            Variant::Standard => "standard",
            Variant::Brief => "brief",
            Variant::Adolescent => "adolescent",
            Variant::Group => "group",
            Variant::Maintenance => "maintenance",
        }
    }

    /// A phase as a word.
    pub const fn phase(p: Phase) -> &'static str {
        match p {
            Phase::Intake => "intake",
            Phase::Initial => "initial",
            Phase::Middle => "middle",
            Phase::Termination => "termination",
            Phase::Completed => "completed",
            Phase::Maintenance => "maintenance",
            Phase::MaintenanceCompleted => "maintenance completed",
            Phase::Closed => "closed",
        }
    }
}
