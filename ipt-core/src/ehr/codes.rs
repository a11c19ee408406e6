//! The vocabulary of the terminology table (D-CODE-MAP): the terminologies it reads, the
//! scope of a row, the findings a code may imply, and a row itself. The rows are in
//! [`table`](super::table); looking a code up is [`terminology`](super::terminology)'s.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::findings::Finding;
use crate::suitability::{CodeSystem, DiagnosisCategory, Findings, IllnessCourse, IllnessPhase};

/// A terminology the table reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum System {
    /// ICD-10-CM (T1).
    #[serde(rename = "icd10cm")]
    Icd10Cm,
    /// ICD-11 Mortality and Morbidity Statistics (T2).
    #[serde(rename = "icd11")]
    Icd11,
    /// SNOMED CT (T3).
    #[serde(rename = "snomed_ct")]
    SnomedCt,
}

impl System {
    /// Every system the table reads.
    pub const ALL: [System; 3] = [System::Icd10Cm, System::Icd11, System::SnomedCt];

    /// The system's FHIR URI (`Coding.system`).
    pub const fn uri(self) -> &'static str {
        match self {
            System::Icd10Cm => "http://hl7.org/fhir/sid/icd-10-cm",
            System::Icd11 => "http://id.who.int/icd/release/11/mms",
            System::SnomedCt => "http://snomed.info/sct",
        }
    }

    /// The system of a FHIR URI, if the table reads it.
    pub fn from_uri(uri: &str) -> Option<System> {
        System::ALL.into_iter().find(|s| s.uri() == uri)
    }

    /// The system's name.
    pub const fn label(self) -> &'static str {
        match self {
            System::Icd10Cm => "ICD-10-CM",
            System::Icd11 => "ICD-11",
            System::SnomedCt => "SNOMED CT",
        }
    }

    /// The bibliography key of the system (`T1`-`T3`).
    pub const fn source(self) -> &'static str {
        match self {
            System::Icd10Cm => "T1",
            System::Icd11 => "T2",
            System::SnomedCt => "T3",
        }
    }

    /// The assessment's name for the system (`diagnoses[].code.system`).
    pub const fn code_system(self) -> CodeSystem {
        match self {
            System::Icd10Cm => CodeSystem::Icd10Cm,
            System::Icd11 => CodeSystem::Icd11,
            System::SnomedCt => CodeSystem::SnomedCt,
        }
    }

    /// Whether `code` is written as a code of this system (ICD-10-CM `F32.1`; an ICD-11 stem
    /// code `6A70.1`, possibly postcoordinated; a SNOMED CT concept ID).
    pub fn well_formed(self, code: &str) -> bool {
        let alnum = |s: &str| {
            s.bytes()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        };
        let stem =
            |s: &str, head: usize, tail: std::ops::RangeInclusive<usize>| match s.split_once('.') {
                None => s.len() == head && alnum(s),
                Some((h, t)) => h.len() == head && alnum(h) && tail.contains(&t.len()) && alnum(t),
            };
        match self {
            System::Icd10Cm => {
                code.as_bytes().first().is_some_and(u8::is_ascii_uppercase)
                    && code.as_bytes().get(1).is_some_and(u8::is_ascii_digit)
                    && stem(code, 3, 1..=4)
            }
            System::Icd11 => {
                let first = code.split(['&', '/']).next().unwrap_or_default();
                stem(first, 4, 1..=2) && first.bytes().any(|c| c.is_ascii_uppercase())
            }
            System::SnomedCt => {
                (6..=18).contains(&code.len())
                    && code.bytes().all(|c| c.is_ascii_digit())
                    && !code.starts_with('0')
            }
        }
    }
}

/// Terminologies that are known but that this table does not read: a code from one is listed
/// as such.
pub const OTHER_SYSTEMS: &[(&str, &str)] = &[
    ("http://hl7.org/fhir/sid/icd-10", "ICD-10 (WHO)"),
    ("http://hl7.org/fhir/sid/icd-9-cm", "ICD-9-CM"),
    ("http://loinc.org", "LOINC"),
];

/// How a row covers codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The code alone.
    Code,
    /// The code and every code under it in its classification (`F20` covers `F20.0`).
    Block,
}

/// A finding a code implies present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Implied {
    /// Active psychosis (C-PSYCHOSIS): a depressive episode with psychotic features.
    ActivePsychosis,
    /// A personality disorder (C-PD-UNMOTIVATED).
    PersonalityDisorder,
}

impl Implied {
    /// Every implied finding.
    pub const ALL: [Implied; 2] = [Implied::ActivePsychosis, Implied::PersonalityDisorder];

    /// The finding's path in an assessment.
    pub const fn path(self) -> &'static str {
        match self {
            Implied::ActivePsychosis => "$.findings.active_psychosis",
            Implied::PersonalityDisorder => "$.findings.personality_disorder",
        }
    }

    /// The finding's name under `findings`.
    pub const fn name(self) -> &'static str {
        match self {
            Implied::ActivePsychosis => "active_psychosis",
            Implied::PersonalityDisorder => "personality_disorder",
        }
    }

    /// The finding in `f`.
    pub const fn get(self, f: &Findings) -> Finding {
        match self {
            Implied::ActivePsychosis => f.active_psychosis,
            Implied::PersonalityDisorder => f.personality_disorder,
        }
    }

    /// Sets the finding in `f`.
    pub fn set(self, f: &mut Findings, value: Finding) {
        match self {
            Implied::ActivePsychosis => f.active_psychosis = value,
            Implied::PersonalityDisorder => f.personality_disorder = value,
        }
    }
}

/// One row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// The terminology.
    pub system: System,
    /// The code as the terminology writes it.
    pub code: &'static str,
    /// Whether the row covers the codes under this one too.
    pub scope: Scope,
    /// The code's title in its terminology.
    pub title: &'static str,
    /// The category the rules reason about.
    pub category: DiagnosisCategory,
    /// The course the code states, if it states one.
    pub course: Option<IllnessCourse>,
    /// The phase the code states, if it states one.
    pub phase: Option<IllnessPhase>,
    /// The finding the code implies present, if any.
    pub implies: Option<Implied>,
}

impl Row {
    /// Whether this row covers `code`, a well-formed code of this row's system. The stem of a
    /// well-formed code has a fixed length (three characters in ICD-10-CM, four in ICD-11), so
    /// the codes under a block are the well-formed codes it begins: `F20` begins `F20.9` and
    /// cannot begin `F200`, which is not well-formed.
    pub(crate) fn covers(&self, code: &str) -> bool {
        match self.scope {
            Scope::Code => code == self.code,
            Scope::Block => code.starts_with(self.code),
        }
    }
}
