//! Symptom measures ([protocol](crate::protocol#symptom-measures)): PHQ-9 (M-PHQ9), HAM-D 17
//! (M-HAMD17) and BDI-II (M-BDI2): range validation, severity bands, change from baseline,
//! response (at least 50% reduction) and remission, and PHQ-9 item 9 (X-SUICIDE).
//!
//! Arithmetic is on integers; the percent change is rounded to tenths (half away from zero)
//! so the JSON is identical on every platform.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::Error;
pub mod words;

use crate::catalogue::RuleId;
use crate::explain::{Explanation, InputUsed, ENGLISH};
use crate::findings::Finding;
use crate::inventory::Date;
use crate::parse::parse;

/// A symptom rating instrument.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Instrument {
    /// PHQ-9, 0-27 (LOINC 44261-6).
    Phq9,
    /// HAM-D 17 items, 0-52.
    Hamd17,
    /// BDI-II, 0-63.
    Bdi2,
}

impl Instrument {
    /// Every instrument.
    pub const ALL: [Instrument; 3] = [Instrument::Phq9, Instrument::Hamd17, Instrument::Bdi2];

    /// The instrument's rule.
    pub const fn rule_id(self) -> RuleId {
        match self {
            Instrument::Phq9 => RuleId::MPhq9,
            Instrument::Hamd17 => RuleId::MHamd17,
            Instrument::Bdi2 => RuleId::MBdi2,
        }
    }

    /// The largest valid total (the smallest is 0).
    pub const fn max_total(self) -> u32 {
        match self {
            Instrument::Phq9 => 27,
            Instrument::Hamd17 => 52,
            Instrument::Bdi2 => 63,
        }
    }

    /// The instrument's name.
    pub const fn label(self) -> &'static str {
        match self {
            Instrument::Phq9 => "PHQ-9",
            Instrument::Hamd17 => "HAM-D 17",
            Instrument::Bdi2 => "BDI-II",
        }
    }

    /// Remission threshold: PHQ-9 below 5, HAM-D 7 or below, BDI-II 12 or below.
    pub const fn in_remission(self, total: u32) -> bool {
        match self {
            Instrument::Phq9 => total < 5,
            Instrument::Hamd17 => total <= 7,
            Instrument::Bdi2 => total <= 12,
        }
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
    /// PHQ-9 0-4, BDI-II 0-13.
    Minimal,
    /// PHQ-9 5-9, HAM-D 8-16, BDI-II 14-19.
    Mild,
    /// PHQ-9 10-14, HAM-D 17-23, BDI-II 20-28.
    Moderate,
    /// PHQ-9 15-19.
    ModeratelySevere,
    /// PHQ-9 20-27, HAM-D 24-52, BDI-II 29-63.
    Severe,
}

impl Band {
    /// Severity rank: 0 for normal/minimal up to 4 for severe (comparable across bands of
    /// one instrument).
    pub const fn severity(self) -> u8 {
        match self {
            Band::Normal | Band::Minimal => 0,
            Band::Mild => 1,
            Band::Moderate => 2,
            Band::ModeratelySevere => 3,
            Band::Severe => 4,
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
        }
    }
}

/// The band of a total (totals above the range fall in the top band; validate first).
pub const fn band(instrument: Instrument, total: u32) -> Band {
    match instrument {
        Instrument::Phq9 => match total {
            0..=4 => Band::Minimal,
            5..=9 => Band::Mild,
            10..=14 => Band::Moderate,
            15..=19 => Band::ModeratelySevere,
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
    }
}

/// One administration of an instrument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// The instrument.
    pub instrument: Instrument,
    /// The total score, within the instrument's range.
    pub total: u32,
    /// PHQ-9 item 9 (thoughts of self-harm), 0-3; only for PHQ-9.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item9: Option<u8>,
    /// Date of administration, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

impl Measure {
    /// Checks the total's range, item 9 and the date, with paths under `at` (for example
    /// `$.current`).
    pub fn validate(&self, at: &str) -> Result<(), Error> {
        let max = self.instrument.max_total();
        if self.total > max {
            return Err(Error::invalid(
                format!("{at}.total"),
                format!(
                    "a {} total must be between 0 and {max}, got {}",
                    self.instrument.label(),
                    self.total
                ),
            ));
        }
        if let Some(i9) = self.item9 {
            if self.instrument != Instrument::Phq9 {
                return Err(Error::invalid(
                    format!("{at}.item9"),
                    format!(
                        "item9 belongs to the PHQ-9, not the {}",
                        self.instrument.label()
                    ),
                ));
            }
            if i9 > 3 {
                return Err(Error::invalid(
                    format!("{at}.item9"),
                    format!("PHQ-9 item 9 must be between 0 and 3, got {i9}"),
                ));
            }
            if u32::from(i9) > self.total {
                return Err(Error::invalid(
                    format!("{at}.item9"),
                    format!("item 9 ({i9}) cannot exceed the total ({})", self.total),
                ));
            }
        }
        if let Some(d) = &self.date {
            if Date::parse(d).is_none() {
                return Err(Error::invalid(
                    format!("{at}.date"),
                    format!(
                        "`{}` is not a calendar date in the form YYYY-MM-DD",
                        crate::limits::clip(d)
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// The request of `evaluate_measure`: a current measure and, optionally, the baseline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureRequest {
    /// The baseline measure (same instrument), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Measure>,
    /// The current measure.
    pub current: Measure,
}

/// What a reading decided, for its words.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reading {
    /// The instrument.
    pub instrument: Instrument,
    /// The current total.
    pub total: u32,
    /// The current band.
    pub band: Band,
    /// The baseline total and band.
    pub baseline: Option<(u32, Band)>,
    /// Current minus baseline.
    pub change: Option<i64>,
    /// The change in tenths of a percent.
    pub tenths: Option<i64>,
    /// Response.
    pub response: Finding,
    /// Remission.
    pub remission: bool,
}

/// A measure read against its bands and the baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureReading {
    /// The instrument.
    pub instrument: Instrument,
    /// The current total.
    pub total: u32,
    /// The current band.
    pub band: Band,
    /// The baseline total, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_total: Option<u32>,
    /// The baseline band, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline_band: Option<Band>,
    /// Current minus baseline (negative: improvement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_from_baseline: Option<i64>,
    /// Change as a percent of the baseline, rounded to tenths half away from zero; absent
    /// without a baseline or when the baseline is 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub percent_change: Option<f64>,
    /// At least 50% reduction from the baseline; `unknown` without a baseline.
    pub response: Finding,
    /// The total is in the remission range.
    pub remission: bool,
    /// PHQ-9 item 9 above 0: a lethality assessment is due (X-SUICIDE). `unknown` when item 9
    /// was not recorded or the instrument has no item 9.
    pub lethality_assessment_due: Finding,
    /// The instrument's rule applied, and X-SUICIDE when item 9 is above 0.
    pub explanations: Vec<Explanation>,
}

/// `(current - baseline) * 100 / baseline` in tenths of a percent, rounded half away from
/// zero; `None` when the baseline is 0.
pub fn percent_change_tenths(baseline: u32, current: u32) -> Option<i64> {
    if baseline == 0 {
        return None;
    }
    let num = (i64::from(current) - i64::from(baseline)) * 1000;
    let den = i64::from(baseline);
    let q = num / den;
    let r = num % den;
    // Round half away from zero.
    let adj = if r.abs() * 2 >= den { num.signum() } else { 0 };
    Some(q + adj)
}

/// At least a 50% reduction from a non-zero baseline.
pub const fn is_response(baseline: u32, current: u32) -> bool {
    baseline > 0 && (current as u64) * 2 <= baseline as u64
}

/// Validates and reads a current measure against an optional baseline (same instrument,
/// otherwise `invalid_input` at `$.current.instrument`). Paths are `$.baseline` and
/// `$.current`.
///
/// # Examples
///
/// ```
/// use ipt_core::measures::{evaluate, Band, Instrument, Measure};
/// use ipt_core::Finding;
///
/// let phq9 = |total| Measure { instrument: Instrument::Phq9, total, item9: None, date: None };
/// let reading = evaluate(Some(&phq9(18)), &phq9(8)).unwrap();
/// assert_eq!(reading.band, Band::Mild);
/// assert_eq!(reading.change_from_baseline, Some(-10));
/// // At least half the baseline gone: a response; remission needs a PHQ-9 under 5.
/// assert_eq!(reading.response, Finding::Present);
/// assert!(!reading.remission);
/// // Out of the instrument's range: refused, with the path of the total.
/// assert!(evaluate(None, &phq9(28)).is_err());
/// ```
pub fn evaluate(baseline: Option<&Measure>, current: &Measure) -> Result<MeasureReading, Error> {
    evaluate_at(baseline, current, "$.baseline", "$.current")
}

/// [`evaluate`] with the paths of the two measures given by the caller.
pub fn evaluate_at(
    baseline: Option<&Measure>,
    current: &Measure,
    baseline_path: &str,
    current_path: &str,
) -> Result<MeasureReading, Error> {
    current.validate(current_path)?;
    if let Some(b) = baseline {
        b.validate(baseline_path)?;
        if b.instrument != current.instrument {
            return Err(Error::invalid(
                format!("{current_path}.instrument"),
                format!(
                    "the baseline is a {} and the current measure a {}: compare the same instrument",
                    b.instrument.label(),
                    current.instrument.label()
                ),
            ));
        }
    }
    let inst = current.instrument;
    let total = current.total;
    let cur_band = band(inst, total);
    let remission = inst.in_remission(total);
    let baseline_total = baseline.map(|b| b.total);
    let baseline_band = baseline.map(|b| band(inst, b.total));
    let change = baseline.map(|b| i64::from(total) - i64::from(b.total));
    let tenths = baseline.and_then(|b| percent_change_tenths(b.total, total));
    let percent = tenths.map(|t| t as f64 / 10.0);
    let response = match baseline {
        Some(b) => Finding::from_bool(is_response(b.total, total)),
        None => Finding::Unknown,
    };
    let lethality = match (inst, current.item9) {
        (Instrument::Phq9, Some(i9)) => Finding::from_bool(i9 > 0),
        _ => Finding::Unknown,
    };

    let reading = Reading {
        instrument: inst,
        total,
        band: cur_band,
        baseline: baseline_total.zip(baseline_band),
        change,
        tenths,
        response,
        remission,
    };
    let mut used = vec![
        InputUsed::new(format!("{current_path}.instrument"), inst),
        InputUsed::new(format!("{current_path}.total"), total),
    ];
    if let Some(bt) = baseline_total {
        used.push(InputUsed::new(format!("{baseline_path}.total"), bt));
    }
    let mut missing = Vec::new();
    if baseline.is_none() {
        missing.push(baseline_path.to_owned());
    }
    if inst == Instrument::Phq9 && current.item9.is_none() {
        missing.push(format!("{current_path}.item9"));
    }
    let mut explanations = vec![words::reading(&reading, &ENGLISH)
        .used(used)
        .missing(missing)];
    if let (Instrument::Phq9, Some(i9)) = (inst, current.item9) {
        if i9 > 0 {
            explanations.push(
                words::item9(&ENGLISH).used([InputUsed::new(format!("{current_path}.item9"), i9)]),
            );
        }
    }
    Ok(MeasureReading {
        instrument: inst,
        total,
        band: cur_band,
        baseline_total,
        baseline_band,
        change_from_baseline: change,
        percent_change: percent,
        response,
        remission,
        lethality_assessment_due: lethality,
        explanations,
    })
}

/// Parses and evaluates an `evaluate_measure` request.
pub fn evaluate_request(json: &str) -> Result<MeasureReading, Error> {
    let req: MeasureRequest = parse(json)?;
    evaluate(req.baseline.as_ref(), &req.current)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::Indicator;

    fn m(instrument: Instrument, total: u32) -> Measure {
        Measure {
            instrument,
            total,
            item9: None,
            date: None,
        }
    }

    #[test]
    fn band_boundaries_m_phq9_m_hamd17_m_bdi2() {
        use Band::*;
        let cases = [
            (Instrument::Phq9, 0, Minimal),
            (Instrument::Phq9, 4, Minimal),
            (Instrument::Phq9, 5, Mild),
            (Instrument::Phq9, 9, Mild),
            (Instrument::Phq9, 10, Moderate),
            (Instrument::Phq9, 14, Moderate),
            (Instrument::Phq9, 15, ModeratelySevere),
            (Instrument::Phq9, 19, ModeratelySevere),
            (Instrument::Phq9, 20, Severe),
            (Instrument::Phq9, 27, Severe),
            (Instrument::Hamd17, 0, Normal),
            (Instrument::Hamd17, 7, Normal),
            (Instrument::Hamd17, 8, Mild),
            (Instrument::Hamd17, 16, Mild),
            (Instrument::Hamd17, 17, Moderate),
            (Instrument::Hamd17, 23, Moderate),
            (Instrument::Hamd17, 24, Severe),
            (Instrument::Hamd17, 52, Severe),
            (Instrument::Bdi2, 0, Minimal),
            (Instrument::Bdi2, 13, Minimal),
            (Instrument::Bdi2, 14, Mild),
            (Instrument::Bdi2, 19, Mild),
            (Instrument::Bdi2, 20, Moderate),
            (Instrument::Bdi2, 28, Moderate),
            (Instrument::Bdi2, 29, Severe),
            (Instrument::Bdi2, 63, Severe),
        ];
        for (i, t, b) in cases {
            assert_eq!(band(i, t), b, "{i:?} {t}");
            assert_eq!(evaluate(None, &m(i, t)).unwrap().band, b);
        }
    }

    #[test]
    fn ranges_are_enforced_with_paths() {
        for i in Instrument::ALL {
            assert!(m(i, i.max_total()).validate("$.current").is_ok());
            let e = evaluate(None, &m(i, i.max_total() + 1)).unwrap_err();
            assert_eq!(e.path(), Some("$.current.total"));
        }
        let mut h = m(Instrument::Hamd17, 10);
        h.item9 = Some(1);
        assert_eq!(
            evaluate(None, &h).unwrap_err().path(),
            Some("$.current.item9")
        );
        let mut p = m(Instrument::Phq9, 10);
        p.item9 = Some(4);
        assert_eq!(
            evaluate(None, &p).unwrap_err().path(),
            Some("$.current.item9")
        );
        p.item9 = Some(1);
        p.date = Some("2024-02-30".into());
        assert_eq!(
            evaluate(None, &p).unwrap_err().path(),
            Some("$.current.date")
        );
        let e = evaluate(Some(&m(Instrument::Bdi2, 20)), &m(Instrument::Phq9, 10)).unwrap_err();
        assert_eq!(e.path(), Some("$.current.instrument"));
        let e = evaluate(Some(&m(Instrument::Phq9, 28)), &m(Instrument::Phq9, 10)).unwrap_err();
        assert_eq!(e.path(), Some("$.baseline.total"));
    }

    #[test]
    fn response_and_remission() {
        let r = evaluate(Some(&m(Instrument::Phq9, 20)), &m(Instrument::Phq9, 10)).unwrap();
        assert_eq!(r.response, Finding::Present);
        assert_eq!(r.percent_change, Some(-50.0));
        assert_eq!(r.change_from_baseline, Some(-10));
        assert!(!r.remission);
        let r = evaluate(Some(&m(Instrument::Phq9, 21)), &m(Instrument::Phq9, 11)).unwrap();
        assert_eq!(r.response, Finding::Absent);
        assert_eq!(r.percent_change, Some(-47.6));
        assert!(evaluate(None, &m(Instrument::Phq9, 4)).unwrap().remission);
        assert!(!evaluate(None, &m(Instrument::Phq9, 5)).unwrap().remission);
        assert!(evaluate(None, &m(Instrument::Hamd17, 7)).unwrap().remission);
        assert!(!evaluate(None, &m(Instrument::Hamd17, 8)).unwrap().remission);
        assert!(evaluate(None, &m(Instrument::Bdi2, 12)).unwrap().remission);
        assert!(!evaluate(None, &m(Instrument::Bdi2, 13)).unwrap().remission);
        assert_eq!(
            evaluate(None, &m(Instrument::Bdi2, 13)).unwrap().response,
            Finding::Unknown
        );
        let r = evaluate(Some(&m(Instrument::Bdi2, 0)), &m(Instrument::Bdi2, 0)).unwrap();
        assert_eq!(r.percent_change, None);
        assert_eq!(r.response, Finding::Absent);
    }

    #[test]
    fn percent_rounds_half_away_from_zero() {
        assert_eq!(percent_change_tenths(3, 2), Some(-333));
        assert_eq!(percent_change_tenths(3, 1), Some(-667));
        assert_eq!(percent_change_tenths(16, 17), Some(63)); // 6.25 -> 6.3
        assert_eq!(percent_change_tenths(16, 15), Some(-63));
        assert_eq!(percent_change_tenths(1, 27), Some(26000));
    }

    #[test]
    fn item9_makes_lethality_due_x_suicide() {
        let mut p = m(Instrument::Phq9, 12);
        p.item9 = Some(1);
        let r = evaluate(None, &p).unwrap();
        assert_eq!(r.lethality_assessment_due, Finding::Present);
        assert!(r
            .explanations
            .iter()
            .any(|e| e.rule_id == RuleId::XSuicide && e.indicator == Indicator::Critical));
        p.item9 = Some(0);
        let r = evaluate(None, &p).unwrap();
        assert_eq!(r.lethality_assessment_due, Finding::Absent);
        assert!(r.explanations.iter().all(|e| e.rule_id != RuleId::XSuicide));
        p.item9 = None;
        let r = evaluate(None, &p).unwrap();
        assert_eq!(r.lethality_assessment_due, Finding::Unknown);
        assert!(r.explanations[0]
            .inputs_missing
            .contains(&"$.current.item9".to_owned()));
    }
}
