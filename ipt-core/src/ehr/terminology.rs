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

pub use super::codes::{Implied, Row, Scope, System, OTHER_SYSTEMS};
use super::table::ROWS;

/// The version of the table. It changes whenever a row does.
pub const TABLE_VERSION: &str = crate::version::TERMINOLOGY_VERSION;

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
    use crate::findings::Finding;
    use crate::suitability::{DiagnosisCategory, Findings};

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
        use crate::suitability::IllnessCourse::*;
        use crate::suitability::IllnessPhase::*;
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
