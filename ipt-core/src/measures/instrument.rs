//! The instruments (M-PHQ9, M-HAMD17, M-BDI2, M-GAD7, M-PHQA, M-WSAS): ranges, items, LOINC
//! codes, severity bands and remission. The WSAS measures functioning, the others symptoms.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::catalogue::RuleId;

/// A symptom rating instrument.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Instrument {
    /// PHQ-9, nine items 0-3, total 0-27 (LOINC 44249-1 panel, 44261-6 total).
    Phq9,
    /// HAM-D 17 items, 0-52.
    Hamd17,
    /// BDI-II, 0-63 (LOINC 89209-1 total).
    Bdi2,
    /// GAD-7, seven items 0-3, total 0-21 (LOINC 69737-5 panel, 70274-6 total).
    Gad7,
    /// PHQ-9 modified for adolescents (PHQ-A), nine items 0-3, total 0-27, scored as the
    /// PHQ-9 (LOINC 89206-7 panel, 89204-2 total).
    Phqa,
    /// Work and Social Adjustment Scale (WSAS), five items 0-8, total 0-40: impairment in
    /// work, home management, social and private leisure, and close relationships (Mundt et
    /// al. 2002). It has no LOINC code: FHIR carries it in the engine's own code system
    /// ([`WSAS_SYSTEM`]).
    Wsas,
}

/// The code system the FHIR writer and readers use for the WSAS, which has no LOINC code: a
/// URN of this engine, not a published terminology.
pub const WSAS_SYSTEM: &str = "urn:ipt-engine:instrument";
/// The WSAS total's code in [`WSAS_SYSTEM`].
pub const WSAS_TOTAL_CODE: &str = "wsas-total";

/// The LOINC codes of an instrument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Loinc {
    /// The panel (the whole questionnaire).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub panel: Option<&'static str>,
    /// The total score.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<&'static str>,
    /// The items, in questionnaire order (empty where the engine does not read items).
    pub items: &'static [&'static str],
}

/// PHQ-9 items 1-9 (LOINC panel 44249-1).
pub const PHQ9_ITEM_CODES: [&str; 9] = [
    "44250-9", "44255-8", "44259-0", "44254-1", "44251-7", "44258-2", "44252-5", "44253-3",
    "44260-8",
];
/// GAD-7 items 1-7 (LOINC panel 69737-5).
pub const GAD7_ITEM_CODES: [&str; 7] = [
    "69725-0", "68509-9", "69733-4", "69734-2", "69735-9", "69689-8", "69736-7",
];
/// The difficulty item that follows the PHQ-9 and the GAD-7 ("how difficult have these
/// problems made it..."), not part of the score.
pub const DIFFICULTY_CODE: &str = "69722-7";

impl Instrument {
    /// Every instrument.
    pub const ALL: [Instrument; 6] = [
        Instrument::Phq9,
        Instrument::Hamd17,
        Instrument::Bdi2,
        Instrument::Gad7,
        Instrument::Phqa,
        Instrument::Wsas,
    ];

    /// The instrument's rule.
    pub const fn rule_id(self) -> RuleId {
        match self {
            Instrument::Phq9 => RuleId::MPhq9,
            Instrument::Hamd17 => RuleId::MHamd17,
            Instrument::Bdi2 => RuleId::MBdi2,
            Instrument::Gad7 => RuleId::MGad7,
            Instrument::Phqa => RuleId::MPhqa,
            Instrument::Wsas => RuleId::MWsas,
        }
    }

    /// The largest valid total (the smallest is 0).
    pub const fn max_total(self) -> u32 {
        match self {
            Instrument::Phq9 | Instrument::Phqa => 27,
            Instrument::Hamd17 => 52,
            Instrument::Bdi2 => 63,
            Instrument::Gad7 => 21,
            Instrument::Wsas => 40,
        }
    }

    /// The number of items the engine reads item by item; `None` where only the total is
    /// read.
    pub const fn item_count(self) -> Option<usize> {
        match self {
            Instrument::Phq9 | Instrument::Phqa => Some(9),
            Instrument::Gad7 => Some(7),
            Instrument::Wsas => Some(5),
            Instrument::Hamd17 | Instrument::Bdi2 => None,
        }
    }

    /// The highest score of one item: 3 (PHQ-9, PHQ-A, GAD-7), 8 (WSAS).
    pub const fn item_max(self) -> u32 {
        match self {
            Instrument::Wsas => 8,
            _ => 3,
        }
    }

    /// Whether the instrument measures functioning (the WSAS) rather than symptoms.
    pub const fn measures_functioning(self) -> bool {
        matches!(self, Instrument::Wsas)
    }

    /// Whether the instrument has the self-harm item 9 (PHQ-9, PHQ-A).
    pub const fn has_item9(self) -> bool {
        matches!(self, Instrument::Phq9 | Instrument::Phqa)
    }

    /// The instrument's LOINC codes.
    pub const fn loinc(self) -> Loinc {
        match self {
            Instrument::Phq9 => Loinc {
                panel: Some("44249-1"),
                total: Some("44261-6"),
                items: &PHQ9_ITEM_CODES,
            },
            Instrument::Gad7 => Loinc {
                panel: Some("69737-5"),
                total: Some("70274-6"),
                items: &GAD7_ITEM_CODES,
            },
            Instrument::Phqa => Loinc {
                panel: Some("89206-7"),
                total: Some("89204-2"),
                items: &[],
            },
            Instrument::Bdi2 => Loinc {
                panel: None,
                total: Some("89209-1"),
                items: &[],
            },
            Instrument::Hamd17 | Instrument::Wsas => Loinc {
                panel: None,
                total: None,
                items: &[],
            },
        }
    }

    /// The instrument's name.
    pub const fn label(self) -> &'static str {
        match self {
            Instrument::Phq9 => "PHQ-9",
            Instrument::Hamd17 => "HAM-D 17",
            Instrument::Bdi2 => "BDI-II",
            Instrument::Gad7 => "GAD-7",
            Instrument::Phqa => "PHQ-A",
            Instrument::Wsas => "WSAS",
        }
    }

    /// The largest total in the remission range: PHQ-9 and PHQ-A below 5, GAD-7 below 5 (the
    /// minimal band), HAM-D 7 or below, BDI-II 12 or below; for the WSAS, the subclinical
    /// range, below 10 (Mundt et al. 2002).
    pub const fn remission_max(self) -> u32 {
        match self {
            Instrument::Phq9 | Instrument::Phqa | Instrument::Gad7 => 4,
            Instrument::Hamd17 => 7,
            Instrument::Bdi2 => 12,
            Instrument::Wsas => 9,
        }
    }

    /// Whether a total is in the remission range (see [`Instrument::remission_max`]).
    pub const fn in_remission(self, total: u32) -> bool {
        total <= self.remission_max()
    }
}

/// A severity band.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// HAM-D 0-7.
    Normal,
    /// PHQ-9 0-4, BDI-II 0-13, GAD-7 0-4.
    Minimal,
    /// PHQ-9 5-9, HAM-D 8-16, BDI-II 14-19, GAD-7 5-9.
    Mild,
    /// PHQ-9 10-14, HAM-D 17-23, BDI-II 20-28, GAD-7 10-14.
    Moderate,
    /// PHQ-9 15-19.
    ModeratelySevere,
    /// PHQ-9 20-27, HAM-D 24-52, BDI-II 29-63, GAD-7 15-21.
    Severe,
    /// WSAS 0-9: the range of subclinical populations.
    Subclinical,
    /// WSAS 10-20: significant functional impairment with less severe symptoms.
    SignificantImpairment,
    /// WSAS 21-40: moderately severe or worse psychopathology.
    ModeratelySevereOrWorse,
}

impl Band {
    /// Severity rank: 0 for normal/minimal up to 4 for severe (comparable across bands of
    /// one instrument).
    pub const fn severity(self) -> u8 {
        match self {
            Band::Normal | Band::Minimal | Band::Subclinical => 0,
            Band::Mild => 1,
            Band::Moderate | Band::SignificantImpairment => 2,
            Band::ModeratelySevere => 3,
            // The WSAS's top band: "moderately severe or worse" (Mundt et al. 2002).
            Band::Severe | Band::ModeratelySevereOrWorse => 4,
        }
    }

    /// The band's name.
    pub const fn label(self) -> &'static str {
        match self {
            Band::Normal => "normal",
            Band::Minimal => "minimal",
            Band::Mild => "mild",
            Band::Moderate => "moderate",
            Band::ModeratelySevere => "moderately severe",
            Band::Severe => "severe",
            Band::Subclinical => "subclinical",
            Band::SignificantImpairment => "significant impairment",
            Band::ModeratelySevereOrWorse => "moderately severe or worse",
        }
    }
}

/// The band of a total (totals above the range fall in the top band; validate first).
pub const fn band(instrument: Instrument, total: u32) -> Band {
    match instrument {
        Instrument::Phq9 | Instrument::Phqa => match total {
            0..=4 => Band::Minimal,
            5..=9 => Band::Mild,
            10..=14 => Band::Moderate,
            15..=19 => Band::ModeratelySevere,
            _ => Band::Severe,
        },
        Instrument::Gad7 => match total {
            0..=4 => Band::Minimal,
            5..=9 => Band::Mild,
            10..=14 => Band::Moderate,
            _ => Band::Severe,
        },
        Instrument::Hamd17 => match total {
            0..=7 => Band::Normal,
            8..=16 => Band::Mild,
            17..=23 => Band::Moderate,
            _ => Band::Severe,
        },
        Instrument::Bdi2 => match total {
            0..=13 => Band::Minimal,
            14..=19 => Band::Mild,
            20..=28 => Band::Moderate,
            _ => Band::Severe,
        },
        Instrument::Wsas => match total {
            0..=9 => Band::Subclinical,
            10..=20 => Band::SignificantImpairment,
            _ => Band::ModeratelySevereOrWorse,
        },
    }
}

/// The lowest total of each band of an instrument, in order (what a chart draws as bands).
pub fn band_floors(instrument: Instrument) -> Vec<(u32, Band)> {
    let mut out: Vec<(u32, Band)> = Vec::new();
    for t in 0..=instrument.max_total() {
        let b = band(instrument, t);
        if out.last().is_none_or(|(_, last)| *last != b) {
            out.push((t, b));
        }
    }
    out
}
