//! The instruments' codes in FHIR: which LOINC code is which panel, total or item.
//!
//! * PHQ-9: panel 44249-1, total 44261-6, items 44250-9 … 44260-8 (item 9, thoughts of being
//!   better off dead or of self-harm).
//! * PHQ-A (the PHQ-9 modified for adolescents): panel 89206-7, total 89204-2. Its nine items
//!   are the PHQ-9's questions reworded; the engine reads them under the PHQ-9 item codes when
//!   a PHQ-A panel or questionnaire holds them, and a lone PHQ-9 item 9 is item 9 wherever it
//!   comes from.
//! * GAD-7: panel 69737-5, total 70274-6, items 69725-0 … 69736-7.
//! * BDI-II: total 89209-1. HAM-D 17 has no LOINC code this engine reads.
//! * WSAS: no LOINC code; its total is read and written in the engine's own code system
//!   (`urn:ipt-engine:instrument`, code `wsas-total`), not a published terminology.
//! * The difficulty item (69722-7) that follows the PHQ-9 and the GAD-7 is not scored.
//!
//! A QuestionnaireResponse names its instrument by its `questionnaire` (a canonical URL holding
//! the panel's LOINC code, or the instrument's name: `phq-9`, `phq-a`, `gad-7`) or, without one
//! the engine recognises, by the LOINC codes of its items' `linkId`s.

use serde_json::Value;

use crate::measures::{
    Instrument, DIFFICULTY_CODE, GAD7_ITEM_CODES, PHQ9_ITEM_CODES, WSAS_SYSTEM, WSAS_TOTAL_CODE,
};

use super::fhir::codings;
use super::scores::is_loinc;

pub use super::scores::LOINC;

/// PHQ-9 panel.
pub const PHQ9_PANEL: &str = "44249-1";
/// PHQ-9 item 9: thoughts that you would be better off dead, or of hurting yourself.
pub const PHQ9_ITEM9: &str = "44260-8";

/// The PHQ-9 answer list (LOINC LL358-3): answer code and score.
pub const PHQ9_ANSWERS: [(&str, u8); 4] = [
    ("LA6568-5", 0),
    ("LA6569-3", 1),
    ("LA6570-1", 2),
    ("LA6571-9", 3),
];

/// The code system and code of an instrument's total that the FHIR writer writes: LOINC for
/// every instrument that has a code, the engine's own system for the WSAS; HAM-D 17 has none.
pub const fn total_code(i: Instrument) -> Option<(&'static str, &'static str)> {
    match i {
        Instrument::Wsas => Some((WSAS_SYSTEM, WSAS_TOTAL_CODE)),
        _ => match i.loinc().total {
            Some(code) => Some((LOINC, code)),
            None => None,
        },
    }
}

/// The instruments whose items share a code list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Family {
    /// PHQ-9 and PHQ-A: nine items 0-3, item 9 the self-harm item.
    Phq,
    /// GAD-7: seven items 0-3.
    Gad,
    /// BDI-II (and HAM-D 17, which has no code this engine reads): a total only.
    TotalOnly,
}

impl Family {
    /// The family of an instrument.
    pub const fn of(i: Instrument) -> Family {
        match i {
            Instrument::Phq9 | Instrument::Phqa => Family::Phq,
            Instrument::Gad7 => Family::Gad,
            Instrument::Bdi2 | Instrument::Hamd17 | Instrument::Wsas => Family::TotalOnly,
        }
    }

    /// The number of items read one by one.
    pub const fn items(self) -> usize {
        match self {
            Family::Phq => 9,
            Family::Gad => 7,
            Family::TotalOnly => 0,
        }
    }

    /// The instrument of lone items of this family (no panel or total names another).
    pub const fn default_instrument(self) -> Instrument {
        match self {
            Family::Phq => Instrument::Phq9,
            Family::Gad => Instrument::Gad7,
            Family::TotalOnly => Instrument::Bdi2,
        }
    }
}

/// What a LOINC code is to this engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// A whole questionnaire.
    Panel(Instrument),
    /// A total score.
    Total(Instrument),
    /// Item `n` (1-based) of a family.
    Item(Family, u8),
    /// The difficulty item: not scored.
    Difficulty,
}

impl Part {
    /// The family it belongs to (none for the difficulty item).
    pub fn family(self) -> Option<Family> {
        match self {
            Part::Panel(i) | Part::Total(i) => Some(Family::of(i)),
            Part::Item(f, _) => Some(f),
            Part::Difficulty => None,
        }
    }
}

/// The part a LOINC code is.
pub(crate) fn part_of(code: &str) -> Option<Part> {
    let item = |codes: &[&str], f| {
        codes
            .iter()
            .position(|c| *c == code)
            .and_then(|i| u8::try_from(i + 1).ok())
            .map(|n| Part::Item(f, n))
    };
    for i in [
        Instrument::Phq9,
        Instrument::Phqa,
        Instrument::Gad7,
        Instrument::Bdi2,
    ] {
        let l = i.loinc();
        if l.panel == Some(code) {
            return Some(Part::Panel(i));
        }
        if l.total == Some(code) {
            return Some(Part::Total(i));
        }
    }
    if code == DIFFICULTY_CODE {
        return Some(Part::Difficulty);
    }
    item(&PHQ9_ITEM_CODES, Family::Phq).or_else(|| item(&GAD7_ITEM_CODES, Family::Gad))
}

/// The part a CodeableConcept names (its first LOINC coding this engine reads, or the WSAS
/// total in the engine's own code system).
pub(crate) fn part_of_concept(concept: Option<&Value>) -> Option<Part> {
    codings(concept).find_map(|c| {
        let code = c.get("code").and_then(Value::as_str)?;
        if is_loinc(c) {
            part_of(code)
        } else {
            let wsas = c.get("system").and_then(Value::as_str) == Some(WSAS_SYSTEM)
                && code == WSAS_TOTAL_CODE;
            wsas.then_some(Part::Total(Instrument::Wsas))
        }
    })
}

/// The instrument a questionnaire's canonical URL names, if the engine recognises one.
pub(crate) fn questionnaire(canonical: &str) -> Option<Instrument> {
    let url = canonical.split('|').next().unwrap_or(canonical);
    let last = url.rsplit(['/', '#', ':']).next().unwrap_or(url);
    let name: String = last
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    if let Some(Part::Panel(i)) = part_of(last) {
        return Some(i);
    }
    match name.as_str() {
        "phq9" | "phq9quickdepressionassessmentpanel" => Some(Instrument::Phq9),
        "phqa" | "phq9a" | "phq9teen" | "phq9modifiedforteens" => Some(Instrument::Phqa),
        "gad7" => Some(Instrument::Gad7),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_questionnaires_name_their_instrument() {
        assert_eq!(part_of("44260-8"), Some(Part::Item(Family::Phq, 9)));
        assert_eq!(part_of("69736-7"), Some(Part::Item(Family::Gad, 7)));
        assert_eq!(part_of("89204-2"), Some(Part::Total(Instrument::Phqa)));
        assert_eq!(part_of("69737-5"), Some(Part::Panel(Instrument::Gad7)));
        assert_eq!(part_of("8867-4"), None);
        for (q, i) in [
            ("http://loinc.org/q/44249-1", Some(Instrument::Phq9)),
            (
                "http://hl7.org/fhir/Questionnaire/phq-9|4.0.1",
                Some(Instrument::Phq9),
            ),
            (
                "https://example.org/Questionnaire/GAD-7",
                Some(Instrument::Gad7),
            ),
            ("urn:example:phq-a", Some(Instrument::Phqa)),
            ("http://loinc.org/q/89206-7", Some(Instrument::Phqa)),
            ("https://example.org/Questionnaire/intake", None),
        ] {
            assert_eq!(questionnaire(q), i, "{q}");
        }
    }
}
