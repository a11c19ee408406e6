//! Symptom measures ([protocol](crate::protocol#symptom-measures)): PHQ-9 (M-PHQ9), HAM-D 17 (M-HAMD17), BDI-II
//! (M-BDI2), GAD-7 (M-GAD7), the PHQ-9 modified for adolescents (M-PHQA) and, for
//! functioning, the Work and Social Adjustment Scale (M-WSAS): item-level or
//! total input, range validation, severity bands, change from baseline, response (at least
//! 50% reduction) and remission, PHQ-9 item 9 (X-SUICIDE), and the change rules of
//! measurement-based care in [`change`] (M-RELIABLE-CHANGE, M-DETERIORATION, M-RECOVERY,
//! M-SUSTAINED-REMISSION).
//!
//! Item-level input: the PHQ-9, the PHQ-A and the GAD-7 may be given as their items (each
//! 0-3, `null` for an item not answered); the total is their sum. **No proration**: the
//! instruments are scored by summing every item (L3; Spitzer et al. 2006; Johnson et al.
//! 2002), and the engine does not estimate a total from partial answers, so a missing item
//! leaves the total unknown and is listed among the inputs missing. A total given with the
//! items must equal their sum.
//!
//! Arithmetic is on integers; the percent change is rounded to tenths (half away from zero)
//! so the JSON is identical on every platform.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::Error;
pub mod change;
mod instrument;
pub(crate) mod links;
mod reading;
pub mod words;

use crate::date::Date;
use crate::explain::{Explanation, InputUsed, Render, RuleStatus};
use crate::findings::Finding;
use crate::parse::parse;
pub use change::{Change, Thresholds};
pub use instrument::{
    band, band_floors, Band, Instrument, Loinc, DIFFICULTY_CODE, GAD7_ITEM_CODES, PHQ9_ITEM_CODES,
    WSAS_SYSTEM, WSAS_TOTAL_CODE,
};
pub use reading::Reading;

/// One administration of an instrument: its total, or its items (PHQ-9, PHQ-A, GAD-7), or
/// both (the total must then equal the items' sum).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// The instrument.
    pub instrument: Instrument,
    /// The total score, within the instrument's range. Required unless the items are given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u32>,
    /// The items in questionnaire order, each 0-3, `null` for an item not answered (PHQ-9
    /// and PHQ-A: 9, GAD-7: 7). The total is their sum; with an item missing the total is
    /// unknown (no proration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<Option<u32>>>,
    /// The difficulty item after the PHQ-9, PHQ-A or GAD-7 (0 not difficult at all to 3
    /// extremely difficult); recorded, not scored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub difficulty: Option<u32>,
    /// PHQ-9 (or PHQ-A) item 9 (thoughts of self-harm), 0-3, when the items are not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item9: Option<u8>,
    /// Date of administration, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// The highest score of one item.
pub const ITEM_MAX: u32 = 3;

impl Measure {
    /// A measure given by its total alone.
    pub fn of_total(instrument: Instrument, total: u32) -> Measure {
        Measure {
            instrument,
            total: Some(total),
            items: None,
            difficulty: None,
            item9: None,
            date: None,
        }
    }

    /// The total: the one given, or the sum of the items when every item is answered;
    /// `None` when an item is missing (no proration). Validate first.
    pub fn score(&self) -> Option<u32> {
        match (&self.items, self.total) {
            (_, Some(t)) => Some(t),
            (Some(items), None) => items.iter().copied().sum(),
            (None, None) => None,
        }
    }

    /// Item 9 (thoughts of self-harm): from the items or the `item9` field; `None` when not
    /// recorded or the instrument has no item 9.
    pub fn item9_score(&self) -> Option<u8> {
        if !self.instrument.has_item9() {
            return None;
        }
        let from_items = self
            .items
            .as_ref()
            .and_then(|i| i.get(8).copied().flatten())
            .and_then(|v| u8::try_from(v).ok());
        from_items.or(self.item9)
    }

    /// The indices of the items not answered (empty without items).
    pub fn missing_items(&self) -> Vec<usize> {
        self.items
            .as_ref()
            .map(|items| {
                items
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| v.is_none())
                    .map(|(i, _)| i)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Checks the items, the total's range, item 9, the difficulty item and the date, with
    /// paths under `at` (for example `$.current`).
    pub fn validate(&self, at: &str) -> Result<(), Error> {
        let inst = self.instrument;
        let label = inst.label();
        let mut sum = None;
        if let Some(items) = &self.items {
            let Some(n) = inst.item_count() else {
                return Err(Error::invalid(
                    format!("{at}.items"),
                    format!("the engine reads the {label} by its total: give `total`, not `items`"),
                ));
            };
            if items.len() != n {
                return Err(Error::invalid(
                    format!("{at}.items"),
                    format!("the {label} has {n} items, got {}", items.len()),
                ));
            }
            let item_max = inst.item_max();
            for (i, v) in items.iter().enumerate() {
                if let Some(v) = v.filter(|v| *v > item_max) {
                    return Err(Error::invalid(
                        format!("{at}.items[{i}]"),
                        format!(
                            "{label} item {} must be between 0 and {item_max}, got {v}",
                            i + 1
                        ),
                    ));
                }
            }
            let missing = self.missing_items();
            if missing.is_empty() {
                sum = Some(items.iter().flatten().sum::<u32>());
            } else if self.total.is_some() {
                let list: Vec<String> = missing.iter().map(|i| format!("items[{i}]")).collect();
                return Err(Error::invalid(
                    format!("{at}.total"),
                    format!(
                        "a total cannot be given with unanswered items ({}): the {label} is not prorated; give every item, or the total alone",
                        list.join(", ")
                    ),
                ));
            }
        }
        if let Some(d) = self.difficulty {
            if inst.item_count().is_none() || inst.measures_functioning() {
                return Err(Error::invalid(
                    format!("{at}.difficulty"),
                    format!("the difficulty item belongs to the PHQ-9, PHQ-A and GAD-7, not the {label}"),
                ));
            }
            if d > ITEM_MAX {
                return Err(Error::invalid(
                    format!("{at}.difficulty"),
                    format!("the difficulty item must be between 0 and 3, got {d}"),
                ));
            }
        }
        let max = inst.max_total();
        match (self.total, sum) {
            (Some(t), _) if t > max => {
                return Err(Error::invalid(
                    format!("{at}.total"),
                    format!("a {label} total must be between 0 and {max}, got {t}"),
                ));
            }
            (Some(t), Some(s)) if t != s => {
                return Err(Error::invalid(
                    format!("{at}.total"),
                    format!("the total ({t}) is not the sum of the items ({s})"),
                ));
            }
            (None, None) if self.items.is_none() => {
                return Err(Error::invalid(
                    format!("{at}.total"),
                    format!("a {label} needs its total or its items"),
                ));
            }
            _ => {}
        }
        if let Some(i9) = self.item9 {
            if !inst.has_item9() {
                return Err(Error::invalid(
                    format!("{at}.item9"),
                    format!("item9 belongs to the PHQ-9 and the PHQ-A, not the {label}"),
                ));
            }
            if i9 > 3 {
                return Err(Error::invalid(
                    format!("{at}.item9"),
                    format!("{label} item 9 must be between 0 and 3, got {i9}"),
                ));
            }
            let from_items = self
                .items
                .as_ref()
                .and_then(|i| i.get(8).copied().flatten());
            if let Some(v) = from_items.filter(|v| *v != u32::from(i9)) {
                return Err(Error::invalid(
                    format!("{at}.item9"),
                    format!("item9 ({i9}) differs from items[8] ({v})"),
                ));
            }
            if let Some(t) = self.score().filter(|t| u32::from(i9) > *t) {
                return Err(Error::invalid(
                    format!("{at}.item9"),
                    format!("item 9 ({i9}) cannot exceed the total ({t})"),
                ));
            }
        }
        if let Some(d) = &self.date
            && Date::parse(d).is_none()
        {
            return Err(Error::invalid(
                format!("{at}.date"),
                format!(
                    "`{}` is not a calendar date in the form YYYY-MM-DD",
                    crate::limits::clip(d)
                ),
            ));
        }
        Ok(())
    }
}

/// The request of `evaluate_measure`: a current measure and, optionally, the baseline and
/// the service's change thresholds for the instrument.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureRequest {
    /// The baseline measure (same instrument), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Measure>,
    /// The current measure.
    pub current: Measure,
    /// The change rules' parameters for the instrument; the cited defaults otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thresholds: Option<Thresholds>,
}

/// A measure read against its bands and the baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureReading {
    /// The instrument.
    pub instrument: Instrument,
    /// The current total; absent when an item is missing (no proration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u32>,
    /// The current band; absent when the total is unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub band: Option<Band>,
    /// Whether the total was derived from the items.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub total_from_items: bool,
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
    /// The total is in the remission range; absent when the total is unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remission: Option<bool>,
    /// Item 9 above 0: a lethality assessment is due (X-SUICIDE). `unknown` when item 9
    /// was not recorded or the instrument has no item 9.
    pub lethality_assessment_due: Finding,
    /// The change rules against the baseline (reliable change, deterioration, recovery);
    /// absent without a baseline or when a total is unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
    /// The instrument's rule applied, X-SUICIDE when item 9 is above 0, and the change rules.
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
/// `$.current`; the change rules use the cited default thresholds.
///
/// # Examples
///
/// ```
/// use ipt_core::measures::{evaluate, Band, Instrument, Measure};
/// use ipt_core::Finding;
///
/// let phq9 = |total| Measure::of_total(Instrument::Phq9, total);
/// let reading = evaluate(Some(&phq9(18)), &phq9(8)).unwrap();
/// assert_eq!(reading.band, Some(Band::Mild));
/// assert_eq!(reading.change_from_baseline, Some(-10));
/// // At least half the baseline gone: a response; remission needs a PHQ-9 under 5.
/// assert_eq!(reading.response, Finding::Present);
/// assert_eq!(reading.remission, Some(false));
/// // Out of the instrument's range: refused, with the path of the total.
/// assert!(evaluate(None, &phq9(28)).is_err());
/// ```
pub fn evaluate(baseline: Option<&Measure>, current: &Measure) -> Result<MeasureReading, Error> {
    evaluate_at(baseline, current, "$.baseline", "$.current")
}

/// A baseline comes first: one dated after the measure it is the baseline of is refused at its
/// date. (A course orders its measures by session; this is for measures given on their own.)
fn baseline_first(
    baseline: Option<&Measure>,
    current: &Measure,
    baseline_path: &str,
) -> Result<(), Error> {
    let date = |m: &Measure| m.date.as_deref().and_then(Date::parse);
    match baseline.and_then(|b| date(b).zip(date(current))) {
        Some((b, c)) if b > c => Err(Error::invalid(
            format!("{baseline_path}.date"),
            format!("the baseline ({b}) is dated after the current measure ({c}): a baseline comes first"),
        )),
        _ => Ok(()),
    }
}

/// [`evaluate`] with the paths of the two measures given by the caller.
pub fn evaluate_at(
    baseline: Option<&Measure>,
    current: &Measure,
    baseline_path: &str,
    current_path: &str,
) -> Result<MeasureReading, Error> {
    baseline_first(baseline, current, baseline_path)?;
    evaluate_with(
        baseline,
        current,
        baseline_path,
        current_path,
        &change::Resolved::defaults(current.instrument),
        Render::EXPLAINED,
    )
}

/// [`evaluate_at`] with the change rules' parameters resolved by the caller.
pub fn evaluate_with(
    baseline: Option<&Measure>,
    current: &Measure,
    baseline_path: &str,
    current_path: &str,
    params: &change::Resolved,
    r: Render<'_>,
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
    let total = current.score();
    let scored = total.map(|t| (t, band(inst, t)));
    let remission = total.map(|t| inst.in_remission(t));
    let b_total = baseline.and_then(Measure::score);
    let baseline_band = b_total.map(|b| band(inst, b));
    let both = b_total.zip(total);
    let change = both.map(|(b, t)| i64::from(t) - i64::from(b));
    let tenths = both.and_then(|(b, t)| percent_change_tenths(b, t));
    let percent = tenths.map(|t| t as f64 / 10.0);
    let response = match both {
        Some((b, t)) => Finding::from_bool(is_response(b, t)),
        None => Finding::Unknown,
    };
    let item9 = current.item9_score();
    let lethality = match item9 {
        Some(i9) => Finding::from_bool(i9 > 0),
        None => Finding::Unknown,
    };
    let missing_items = current.missing_items();
    let reading = Reading {
        instrument: inst,
        scored,
        missing_items: missing_items.clone(),
        baseline: b_total.zip(baseline_band),
        change,
        tenths,
        response,
        remission,
    };
    let mut used = vec![InputUsed::new(format!("{current_path}.instrument"), inst)];
    match (&current.items, current.total) {
        (Some(items), _) => used.push(InputUsed::new(format!("{current_path}.items"), items)),
        (None, Some(t)) => used.push(InputUsed::new(format!("{current_path}.total"), t)),
        (None, None) => {}
    }
    if let Some(bt) = b_total {
        used.push(InputUsed::new(format!("{baseline_path}.total"), bt));
    }
    let mut missing: Vec<String> = missing_items
        .iter()
        .map(|i| format!("{current_path}.items[{i}]"))
        .collect();
    if baseline.is_none() {
        missing.push(baseline_path.to_owned());
    } else if b_total.is_none() {
        missing.extend(
            baseline
                .map(Measure::missing_items)
                .unwrap_or_default()
                .iter()
                .map(|i| format!("{baseline_path}.items[{i}]")),
        );
    }
    if inst.has_item9() && item9.is_none() {
        missing.push(format!("{current_path}.item9"));
    }
    let status = if total.is_some() {
        RuleStatus::Met
    } else {
        RuleStatus::Unknown
    };
    let mut explanations = vec![words::reading(&reading, status, r)
        .used(used)
        .missing(missing)];
    if let Some(i9) = item9.filter(|i| *i > 0) {
        let path = if current
            .items
            .as_ref()
            .is_some_and(|i| i.get(8).copied().flatten().is_some())
        {
            format!("{current_path}.items[8]")
        } else {
            format!("{current_path}.item9")
        };
        explanations.push(words::item9(inst, r).used([InputUsed::new(path, i9)]));
    }
    let change_out = both.map(|(b, t)| change::Change::of(inst, b, t, params));
    if let Some(c) = &change_out {
        explanations.extend(c.explain(
            inst,
            (b_total.unwrap_or(0), total.unwrap_or(0)),
            (baseline_path, current_path),
            params,
            r,
        ));
    }
    Ok(MeasureReading {
        instrument: inst,
        total,
        band: scored.map(|(_, b)| b),
        total_from_items: current.total.is_none() && total.is_some(),
        baseline_total: b_total,
        baseline_band,
        change_from_baseline: change,
        percent_change: percent,
        response,
        remission,
        lethality_assessment_due: lethality,
        change: change_out,
        explanations,
    })
}

/// Parses and evaluates an `evaluate_measure` request, explained in English.
pub fn evaluate_request(json: &str) -> Result<MeasureReading, Error> {
    let req: MeasureRequest = parse(json)?;
    evaluate_parsed(&req, Render::EXPLAINED)
}

/// Evaluates an `evaluate_measure` request: the thresholds (validated at `$.thresholds`)
/// over the cited defaults.
pub fn evaluate_parsed(req: &MeasureRequest, r: Render<'_>) -> Result<MeasureReading, Error> {
    baseline_first(req.baseline.as_ref(), &req.current, "$.baseline")?;
    let inst = req.current.instrument;
    let params = match &req.thresholds {
        Some(t) => change::Resolved::new(inst, t, "$.thresholds")?,
        None => change::Resolved::defaults(inst),
    };
    evaluate_with(
        req.baseline.as_ref(),
        &req.current,
        "$.baseline",
        "$.current",
        &params,
        r,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::RuleId;
    use crate::explain::Indicator;

    fn m(instrument: Instrument, total: u32) -> Measure {
        Measure::of_total(instrument, total)
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
            assert_eq!(evaluate(None, &m(i, t)).unwrap().band, Some(b));
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
        assert_eq!(r.remission, Some(false));
        let r = evaluate(Some(&m(Instrument::Phq9, 21)), &m(Instrument::Phq9, 11)).unwrap();
        assert_eq!(r.response, Finding::Absent);
        assert_eq!(r.percent_change, Some(-47.6));
        assert_eq!(
            evaluate(None, &m(Instrument::Phq9, 4)).unwrap().remission,
            Some(true)
        );
        assert_eq!(
            evaluate(None, &m(Instrument::Phq9, 5)).unwrap().remission,
            Some(false)
        );
        assert_eq!(
            evaluate(None, &m(Instrument::Hamd17, 7)).unwrap().remission,
            Some(true)
        );
        assert_eq!(
            evaluate(None, &m(Instrument::Hamd17, 8)).unwrap().remission,
            Some(false)
        );
        assert_eq!(
            evaluate(None, &m(Instrument::Bdi2, 12)).unwrap().remission,
            Some(true)
        );
        assert_eq!(
            evaluate(None, &m(Instrument::Bdi2, 13)).unwrap().remission,
            Some(false)
        );
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
            .iter()
            .any(|p| p == "$.current.item9"));
    }

    fn items(instrument: Instrument, v: &[Option<u32>]) -> Measure {
        Measure {
            items: Some(v.to_vec()),
            total: None,
            ..m(instrument, 0)
        }
    }

    #[test]
    fn item_level_totals_m_phq9_m_gad7_m_phqa() {
        let phq = items(
            Instrument::Phq9,
            &[
                Some(3),
                Some(2),
                Some(1),
                Some(0),
                Some(3),
                Some(2),
                Some(1),
                Some(0),
                Some(1),
            ],
        );
        let r = evaluate(None, &phq).unwrap();
        assert_eq!(r.total, Some(13));
        assert!(r.total_from_items);
        assert_eq!(r.lethality_assessment_due, Finding::Present);
        let gad = items(Instrument::Gad7, &[Some(3); 7]);
        let r = evaluate(None, &gad).unwrap();
        assert_eq!((r.total, r.band), (Some(21), Some(Band::Severe)));
        assert_eq!(r.lethality_assessment_due, Finding::Unknown);
        let phqa = items(Instrument::Phqa, &[Some(0); 9]);
        assert_eq!(evaluate(None, &phqa).unwrap().remission, Some(true));
        // A missing item: no proration.
        let partial = items(
            Instrument::Phq9,
            &[
                Some(3),
                None,
                Some(1),
                Some(0),
                Some(3),
                Some(2),
                Some(1),
                Some(0),
                Some(0),
            ],
        );
        let r = evaluate(None, &partial).unwrap();
        assert_eq!((r.total, r.band, r.remission), (None, None, None));
        assert_eq!(r.explanations[0].status, RuleStatus::Unknown);
        assert!(r.explanations[0]
            .inputs_missing
            .iter()
            .any(|p| p == "$.current.items[1]"));
    }

    #[test]
    fn item_errors_have_the_item_path() {
        let mut bad = items(Instrument::Phq9, &[Some(0); 9]);
        if let Some(v) = bad.items.as_mut() {
            v[8] = Some(4);
        }
        assert_eq!(
            evaluate(None, &bad).unwrap_err().path(),
            Some("$.current.items[8]")
        );
        let short = items(Instrument::Gad7, &[Some(0); 6]);
        assert_eq!(
            evaluate(None, &short).unwrap_err().path(),
            Some("$.current.items")
        );
        let hamd = items(Instrument::Hamd17, &[Some(0); 9]);
        assert_eq!(
            evaluate(None, &hamd).unwrap_err().path(),
            Some("$.current.items")
        );
        let mut wrong = items(Instrument::Phq9, &[Some(1); 9]);
        wrong.total = Some(8);
        assert_eq!(
            evaluate(None, &wrong).unwrap_err().path(),
            Some("$.current.total")
        );
        let mut partial = items(Instrument::Phq9, &[None; 9]);
        partial.total = Some(8);
        assert_eq!(
            evaluate(None, &partial).unwrap_err().path(),
            Some("$.current.total")
        );
        let mut i9 = items(Instrument::Phq9, &[Some(1); 9]);
        i9.item9 = Some(2);
        assert_eq!(
            evaluate(None, &i9).unwrap_err().path(),
            Some("$.current.item9")
        );
        let none = Measure {
            total: None,
            ..m(Instrument::Bdi2, 0)
        };
        assert_eq!(
            evaluate(None, &none).unwrap_err().path(),
            Some("$.current.total")
        );
        let mut d = m(Instrument::Bdi2, 3);
        d.difficulty = Some(1);
        assert_eq!(
            evaluate(None, &d).unwrap_err().path(),
            Some("$.current.difficulty")
        );
        let mut g = m(Instrument::Gad7, 3);
        g.item9 = Some(1);
        assert_eq!(
            evaluate(None, &g).unwrap_err().path(),
            Some("$.current.item9")
        );
    }

    #[test]
    fn gad7_bands_and_loinc() {
        use Band::*;
        for (t, b) in [
            (0, Minimal),
            (4, Minimal),
            (5, Mild),
            (9, Mild),
            (10, Moderate),
            (14, Moderate),
            (15, Severe),
            (21, Severe),
        ] {
            assert_eq!(band(Instrument::Gad7, t), b);
        }
        assert_eq!(Instrument::Gad7.loinc().total, Some("70274-6"));
        assert_eq!(Instrument::Gad7.loinc().panel, Some("69737-5"));
        assert_eq!(Instrument::Phq9.loinc().items.len(), 9);
        assert_eq!(Instrument::Gad7.loinc().items.len(), 7);
        assert_eq!(Instrument::Phqa.loinc().total, Some("89204-2"));
        assert_eq!(band_floors(Instrument::Gad7).len(), 4);
    }

    #[test]
    fn change_rules_against_the_baseline() {
        let r = evaluate(Some(&m(Instrument::Phq9, 18)), &m(Instrument::Phq9, 8)).unwrap();
        let c = r.change.unwrap();
        assert_eq!(c.reliable_change.status, RuleStatus::Met);
        assert_eq!(c.recovery.status, RuleStatus::Met);
        assert_eq!(c.deterioration, RuleStatus::NotMet);
        let r = evaluate(Some(&m(Instrument::Phq9, 8)), &m(Instrument::Phq9, 13)).unwrap();
        assert_eq!(r.change.unwrap().deterioration, RuleStatus::Met);
        assert!(r
            .explanations
            .iter()
            .any(|e| e.rule_id == RuleId::MDeterioration));
        let r = evaluate(Some(&m(Instrument::Hamd17, 20)), &m(Instrument::Hamd17, 5)).unwrap();
        assert_eq!(
            r.change.unwrap().reliable_change.status,
            RuleStatus::Unknown
        );
    }
}
