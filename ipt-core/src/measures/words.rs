//! The words of a measure reading: every sentence is a template of this table, filled with
//! the reading's numbers and passed through the locale.

use crate::catalogue::RuleId;
use crate::explain::{fill, Explanation, Indicator, Locale, RuleStatus, Words};
use crate::findings::Finding;

use super::{Band, Instrument, Reading};

/// The summary of a reading without a baseline.
pub const SUMMARY: &str = "{instrument} total {total}: {band}.";
/// The summary of a reading against a baseline.
pub const SUMMARY_BASELINE: &str =
    "{instrument} total {total}: {band}; baseline {baseline} ({baseline_band}), change {change}{percent}.";
/// The rationale's first sentence.
pub const IN_BAND: &str = "{instrument} total {total} is in the {band} band.";
/// The rationale against a baseline.
pub const AGAINST_BASELINE: &str =
    " Against the baseline of {baseline} ({baseline_band}): change {change}{percent}; {response}.";
/// How the change reads as a response.
pub const RESPONSE: &str = "a response (at least 50% reduction)";
/// No reduction from zero.
pub const NO_REDUCTION_FROM_ZERO: &str = "no reduction can be measured from a baseline of 0";
/// Not a response.
pub const NOT_RESPONSE: &str = "not a response (less than 50% reduction)";
/// Without a baseline.
pub const NEEDS_BASELINE: &str = " Response needs a baseline measure.";
/// In remission.
pub const IN_REMISSION: &str = " In the remission range.";
/// Not in remission.
pub const NOT_IN_REMISSION: &str = " Not in the remission range.";
/// Instruments without item 9.
pub const NO_ITEM9: &str = " The {instrument} total does not say whether a lethality assessment is due; assess suicide risk on its own.";

/// PHQ-9 item 9 above 0 (X-SUICIDE).
pub const ITEM9: Words = Words {
    indicator: Indicator::Critical,
    summary: "PHQ-9 item 9 above 0: a lethality assessment is due.",
    rationale: "The patient reports thoughts of self-harm on PHQ-9 item 9. A lethality assessment now, before the session plan goes on, is the safe course.",
};

/// The name of a band, through the locale.
fn band(b: Band, locale: &dyn Locale) -> String {
    locale.text(b.label()).into_owned()
}

/// The explanation of a reading (rule M-PHQ9, M-HAMD17 or M-BDI2).
pub fn reading(r: &Reading, locale: &dyn Locale) -> Explanation {
    let inst = r.instrument.label();
    let total = r.total;
    let b = band(r.band, locale);
    let t = |s: &str| locale.text(s).into_owned();
    let (summary, mut rationale) = match (r.baseline, r.change) {
        (Some((bt, bb)), Some(ch)) => {
            let pct = r
                .tenths
                .map(|t| {
                    format!(
                        " ({}{}.{}%)",
                        if t < 0 { "-" } else { "+" },
                        t.abs() / 10,
                        t.abs() % 10
                    )
                })
                .unwrap_or_default();
            let change = format!("{ch:+}");
            let bb = band(bb, locale);
            let response = match (r.response, bt) {
                (Finding::Present, _) => t(RESPONSE),
                (_, 0) => t(NO_REDUCTION_FROM_ZERO),
                _ => t(NOT_RESPONSE),
            };
            let params: [(&str, &dyn std::fmt::Display); 8] = [
                ("instrument", &inst),
                ("total", &total),
                ("band", &b),
                ("baseline", &bt),
                ("baseline_band", &bb),
                ("change", &change),
                ("percent", &pct),
                ("response", &response),
            ];
            (
                fill(&t(SUMMARY_BASELINE), &params),
                fill(&t(IN_BAND), &params) + &fill(&t(AGAINST_BASELINE), &params),
            )
        }
        _ => {
            let params: [(&str, &dyn std::fmt::Display); 3] =
                [("instrument", &inst), ("total", &total), ("band", &b)];
            (
                fill(&t(SUMMARY), &params),
                fill(&t(IN_BAND), &params) + &t(NEEDS_BASELINE),
            )
        }
    };
    rationale.push_str(&t(if r.remission {
        IN_REMISSION
    } else {
        NOT_IN_REMISSION
    }));
    if r.instrument != Instrument::Phq9 {
        rationale.push_str(&fill(&t(NO_ITEM9), &[("instrument", &inst)]));
    }
    let words = Words {
        indicator: Indicator::Info,
        summary: "",
        rationale: "",
    };
    let mut e = Explanation::render(r.instrument.rule_id(), RuleStatus::Met, &words, &[], locale);
    e.summary = summary;
    e.rationale = rationale;
    e
}

/// The X-SUICIDE item of a PHQ-9 whose item 9 is above 0.
pub fn item9(locale: &dyn Locale) -> Explanation {
    Explanation::render(RuleId::XSuicide, RuleStatus::Met, &ITEM9, &[], locale)
}
