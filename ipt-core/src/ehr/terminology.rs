//! D-CODE-MAP: the versioned terminology table that reads coded diagnoses (ICD-10-CM, ICD-11
//! MMS, a documented SNOMED CT subset) as what the suitability rules reason about: the
//! diagnostic category, the course and phase a code states, and the findings it implies.
//!
//! The rows, with the choices behind them, are in [`table`](super::table). A code is looked up
//! exactly as written under its FHIR system URI: a code no row covers is unmapped and listed
//! as such, never guessed (no case folding, no dropped dots, no SNOMED CT hierarchy). A
//! table change is a new [`TABLE_VERSION`], and every answer names the version it used.
//!
//! ```
//! use ipt_core::ehr::terminology::{lookup, Lookup, Implied};
//! use ipt_core::suitability::DiagnosisCategory;
//!
//! let Lookup::Mapped(row) = lookup("http://hl7.org/fhir/sid/icd-10-cm", "F32.3") else { panic!() };
//! assert_eq!(row.category, DiagnosisCategory::MajorDepression);
//! assert_eq!(row.implies, Some(Implied::ActivePsychosis));
//! // "Depression, unspecified" is not major depression.
//! let Lookup::Mapped(row) = lookup("http://hl7.org/fhir/sid/icd-10-cm", "F32.A") else { panic!() };
//! assert_eq!(row.category, DiagnosisCategory::Other);
//! // Never guessed: without its dot, F321 is not a code of the table.
//! assert!(matches!(lookup("http://hl7.org/fhir/sid/icd-10-cm", "F321"), Lookup::Malformed(_)));
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::findings::Finding;
use crate::suitability::{CodeSystem, DiagnosisCategory, Findings, IllnessCourse, IllnessPhase};

use super::table::ROWS;

/// The version of the table. It changes whenever a row does.
pub const TABLE_VERSION: &str = "1.0.0";

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
    fn covers(&self, code: &str) -> bool {
        match self.scope {
            Scope::Code => code == self.code,
            Scope::Block => code.starts_with(self.code),
        }
    }
}

/// What the table says about a coding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// The row that maps the code.
    Mapped(&'static Row),
    /// A code of a system the table reads, written as one, that no row covers.
    NotInTable(System),
    /// A code not written as a code of its system (`F321`, `f32.1`).
    Malformed(System),
    /// A known terminology this table does not read (its name).
    SystemNotMapped(&'static str),
    /// A system the engine does not know.
    UnknownSystem,
}

/// Looks a coding up: the system's FHIR URI and the code, exactly as written.
pub fn lookup(system: &str, code: &str) -> Lookup {
    let Some(s) = System::from_uri(system) else {
        return match OTHER_SYSTEMS.iter().find(|(uri, _)| *uri == system) {
            Some((_, name)) => Lookup::SystemNotMapped(name),
            None => Lookup::UnknownSystem,
        };
    };
    if !s.well_formed(code) {
        return Lookup::Malformed(s);
    }
    // A postcoordinated ICD-11 cluster (`6A70.3&XS25`) is not read by this version: its
    // extension codes can change what the stem code says.
    if code.contains(['&', '/']) {
        return Lookup::NotInTable(s);
    }
    // An exact row first, then the longest block that covers the code.
    if let Some(r) = ROWS.iter().find(|r| r.system == s && r.code == code) {
        return Lookup::Mapped(r);
    }
    ROWS.iter()
        .filter(|r| r.system == s && r.scope == Scope::Block && r.covers(code))
        .max_by_key(|r| r.code.len())
        .map_or(Lookup::NotInTable(s), Lookup::Mapped)
}

/// Every row of the table.
pub fn rows() -> &'static [Row] {
    ROWS
}

/// How many rows the table has for a system: `(codes, blocks)`.
pub fn counts(system: System) -> (usize, usize) {
    let of = |scope| {
        ROWS.iter()
            .filter(|r| r.system == system && r.scope == scope)
            .count()
    };
    (of(Scope::Code), of(Scope::Block))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CM: &str = "http://hl7.org/fhir/sid/icd-10-cm";
    const ICD11: &str = "http://id.who.int/icd/release/11/mms";
    const SCT: &str = "http://snomed.info/sct";

    fn mapped(system: &str, code: &str) -> &'static Row {
        match lookup(system, code) {
            Lookup::Mapped(r) => r,
            other => panic!("{code}: {other:?}"),
        }
    }

    #[test]
    fn every_row_is_well_formed_unique_and_found_by_its_own_code() {
        let mut seen = std::collections::BTreeSet::new();
        for r in ROWS {
            assert!(
                r.system.well_formed(r.code),
                "{} {}",
                r.system.label(),
                r.code
            );
            assert!(seen.insert((r.system.uri(), r.code)), "{} twice", r.code);
            assert_eq!(lookup(r.system.uri(), r.code), Lookup::Mapped(r));
            assert!(!r.title.is_empty());
        }
    }

    #[test]
    fn depressive_episodes_state_course_phase_and_psychosis() {
        use IllnessCourse::*;
        use IllnessPhase::*;
        let r = mapped(CM, "F32.3");
        assert_eq!((r.course, r.phase), (Some(FirstEpisode), Some(Acute)));
        assert_eq!(r.implies, Some(Implied::ActivePsychosis));
        for code in ["F32.4", "F32.5"] {
            assert_eq!(mapped(CM, code).phase, Some(Remitted), "{code}");
        }
        for code in ["F33.4", "F33.40", "F33.41", "F33.42"] {
            let r = mapped(CM, code);
            assert_eq!(
                (r.course, r.phase),
                (Some(Recurrent), Some(Remitted)),
                "{code}"
            );
        }
        assert_eq!(mapped(CM, "F33.3").implies, Some(Implied::ActivePsychosis));
        assert_eq!(mapped(CM, "F32.9").phase, None);
        assert_eq!(mapped(CM, "F32.A").category, DiagnosisCategory::Other);
        assert_eq!(mapped(CM, "F34.1").category, DiagnosisCategory::Dysthymia);
        for code in ["6A70.2", "6A70.4", "6A71.2", "6A71.4"] {
            assert_eq!(mapped(ICD11, code).implies, Some(Implied::ActivePsychosis));
        }
        assert_eq!(mapped(ICD11, "6A71.7").phase, Some(Remitted));
        assert_eq!(
            mapped(SCT, "370143000").category,
            DiagnosisCategory::MajorDepression
        );
        assert_eq!(mapped(SCT, "35489007").category, DiagnosisCategory::Other);
    }

    #[test]
    fn blocks_cover_the_codes_under_them_and_nothing_else() {
        assert_eq!(mapped(CM, "F31.81").category, DiagnosisCategory::Bipolar);
        assert_eq!(
            mapped(CM, "F20.9").category,
            DiagnosisCategory::PsychoticDisorder
        );
        assert_eq!(
            mapped(CM, "F50.25").category,
            DiagnosisCategory::BulimiaNervosa
        );
        assert_eq!(
            mapped(CM, "F60.3").implies,
            Some(Implied::PersonalityDisorder)
        );
        assert_eq!(mapped(ICD11, "6A60.1").category, DiagnosisCategory::Bipolar);
        assert_eq!(
            mapped(ICD11, "6D10.1").category,
            DiagnosisCategory::PersonalityDisorder
        );
        // F50 is not F50.2; F310 is not F31; F32.7 is not in the table.
        assert_eq!(lookup(CM, "F50.0"), Lookup::NotInTable(System::Icd10Cm));
        assert_eq!(lookup(CM, "F32.7"), Lookup::NotInTable(System::Icd10Cm));
        assert_eq!(lookup(CM, "E11.9"), Lookup::NotInTable(System::Icd10Cm));
        assert_eq!(
            lookup(ICD11, "6A60.1&XS25"),
            Lookup::NotInTable(System::Icd11)
        );
    }

    #[test]
    fn unmapped_codes_are_never_guessed() {
        assert_eq!(lookup(CM, "F321"), Lookup::Malformed(System::Icd10Cm));
        assert_eq!(lookup(CM, "f32.1"), Lookup::Malformed(System::Icd10Cm));
        assert_eq!(lookup(CM, " F32.1"), Lookup::Malformed(System::Icd10Cm));
        assert_eq!(
            lookup(SCT, "0370143000"),
            Lookup::Malformed(System::SnomedCt)
        );
        assert_eq!(
            lookup(SCT, "191616006"),
            Lookup::NotInTable(System::SnomedCt)
        );
        assert_eq!(
            lookup("http://hl7.org/fhir/sid/icd-10", "F32.1"),
            Lookup::SystemNotMapped("ICD-10 (WHO)")
        );
        assert_eq!(lookup("urn:local", "MDD"), Lookup::UnknownSystem);
        assert_eq!(lookup("", ""), Lookup::UnknownSystem);
    }

    #[test]
    fn codes_are_read_only_in_the_form_of_their_system() {
        for (system, code) in [
            (System::Icd10Cm, "F32.12345"),
            (System::Icd10Cm, "F3"),
            (System::Icd10Cm, "F32."),
            (System::Icd10Cm, "332.1"),
            (System::Icd10Cm, "FF2.1"),
            (System::Icd11, "6A70.123"),
            (System::Icd11, "6A7"),
            (System::Icd11, "1234"),
            (System::Icd11, "6a70"),
            (System::SnomedCt, "12345"),
            (System::SnomedCt, "1234567890123456789"),
            (System::SnomedCt, "3700a3000"),
        ] {
            assert!(!system.well_formed(code), "{code}");
            assert_eq!(
                lookup(system.uri(), code),
                Lookup::Malformed(system),
                "{code}"
            );
        }
        for (system, code) in [
            (System::Icd10Cm, "F20"),
            (System::Icd10Cm, "T20.21"),
            (System::Icd11, "6A70"),
            (System::Icd11, "6A70.1&XS25"),
            (System::SnomedCt, "123456"),
        ] {
            assert!(system.well_formed(code), "{code}");
        }
        assert_eq!(
            mapped(CM, "F20").category,
            DiagnosisCategory::PsychoticDisorder
        );
    }

    #[test]
    fn implied_findings_are_read_and_set_where_they_live() {
        let mut f = Findings::default();
        for i in Implied::ALL {
            assert_eq!(i.get(&f), Finding::Unknown);
            i.set(&mut f, Finding::Present);
            assert_eq!(i.get(&f), Finding::Present);
            assert_eq!(i.path(), format!("$.findings.{}", i.name()));
        }
        assert_eq!(f.active_psychosis, Finding::Present);
        assert_eq!(f.personality_disorder, Finding::Present);
    }

    #[test]
    fn counts_add_up_to_the_table() {
        let total: usize = System::ALL
            .iter()
            .map(|s| {
                let (c, b) = counts(*s);
                c + b
            })
            .sum();
        assert_eq!(total, ROWS.len());
        assert_eq!(counts(System::SnomedCt).1, 0);
    }
}
