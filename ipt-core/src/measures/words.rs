//! The words of a measure reading: every sentence is a template of this table, filled with
//! the reading's numbers and passed through the locale.

use crate::catalogue::RuleId;
use crate::explain::{
    case_words, fill, CaseWords, Explanation, Indicator, Locale, Render, RuleStatus, Words,
};
use crate::findings::Finding;

use super::instrument::{Band, Instrument};
use super::reading::Reading;

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
/// The summary of a measure whose total is unknown.
pub const SUMMARY_UNKNOWN: &str = "{instrument} total unknown: {count} item(s) not answered.";
/// The rationale of a measure whose total is unknown.
pub const UNKNOWN_TOTAL: &str = "Not answered: {list}. The {instrument} is scored by summing every item and is not prorated, so the total, its band, response and remission stay unknown until every item is answered.";

/// Item 9 above 0 (X-SUICIDE).
pub const ITEM9: Words = Words {
    indicator: Indicator::Critical,
    summary: "{instrument} item 9 above 0: a lethality assessment is due.",
    rationale: "The patient reports thoughts of self-harm on {instrument} item 9. A lethality assessment now, before the session plan goes on, is the safe course.",
};

/// Why a change rule says what it says. One case, one entry in [`CHANGE_WORDS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeCase {
    /// M-RELIABLE-CHANGE: reliable improvement.
    Improvement,
    /// M-RELIABLE-CHANGE: reliable deterioration.
    Deterioration,
    /// M-RELIABLE-CHANGE: within measurement error.
    WithinError,
    /// M-RELIABLE-CHANGE: no threshold for the instrument.
    NoThreshold,
    /// M-DETERIORATION: reliable deterioration, an alert until reviewed.
    DeteriorationAlert,
    /// M-RECOVERY: reliable recovery.
    Recovered,
    /// M-RECOVERY: below the cut-off, not a reliable improvement.
    BelowCutoffNotReliable,
    /// M-RECOVERY: still at or above the cut-off.
    StillCase,
    /// M-RECOVERY: below the cut-off at baseline.
    NotCaseAtBaseline,
    /// M-RECOVERY: no cut-off for the instrument.
    NoCutoff,
    /// M-RECOVERY: below the cut-off, reliability unknown (no threshold).
    RecoveryReliabilityUnknown,
    /// M-SUSTAINED-REMISSION: met.
    Sustained,
    /// M-SUSTAINED-REMISSION: in remission, not yet for the interval.
    RemissionNotYetSustained,
    /// M-SUSTAINED-REMISSION: the latest measure is not in remission.
    NotInRemission,
    /// Fragment: the points method with a cited default.
    MethodDefaultPoints,
    /// Fragment: the points method, set by the service.
    MethodPoints,
    /// Fragment: the Jacobson-Truax method.
    MethodJacobsonTruax,
    /// Fragment: no threshold.
    MethodNone,
}

use ChangeCase as C;

/// The change rules' words: every case once.
pub const CHANGE_WORDS: &[CaseWords<ChangeCase>] = &[
    case_words(Some(RuleId::MReliableChange), C::Improvement,
        "{instrument}: reliable improvement, {baseline} to {total} ({change}).",
        "The change is at least the reliable-change threshold of {threshold} points: larger than measurement error. {method}"),
    case_words(Some(RuleId::MReliableChange), C::Deterioration,
        "{instrument}: reliable deterioration, {baseline} to {total} ({change}).",
        "The rise is at least the reliable-change threshold of {threshold} points: larger than measurement error. {method} A review of the course (risk, the focus, other treatment) is an option."),
    case_words(Some(RuleId::MReliableChange), C::WithinError,
        "{instrument}: change {change} from {baseline} is within measurement error.",
        "The change is smaller than the reliable-change threshold of {threshold} points. {method}"),
    case_words(Some(RuleId::MReliableChange), C::NoThreshold,
        "{instrument}: no reliable-change threshold is set.",
        "{method}"),
    case_words(Some(RuleId::MDeterioration), C::DeteriorationAlert,
        "{instrument} reliably worse than baseline ({baseline} to {total}): a review is due.",
        "A reliable deterioration (at least {threshold} points) calls for a clinician's review: risk, the focus, the contract, other treatment. In a course the alert stays until the clinician's review of the measures is recorded."),
    case_words(Some(RuleId::MRecovery), C::Recovered,
        "{instrument}: reliable recovery, {baseline} to {total} (cut-off {cutoff}).",
        "From a case at baseline (at or above {cutoff}) to below the cut-off, with reliable improvement (at least {threshold} points): clinically significant change and reliable recovery."),
    case_words(Some(RuleId::MRecovery), C::BelowCutoffNotReliable,
        "{instrument}: below the cut-off {cutoff}, but not a reliable improvement.",
        "The total crossed the caseness cut-off ({baseline} to {total}): clinically significant change, but smaller than the reliable-change threshold of {threshold} points, so not reliable recovery."),
    case_words(Some(RuleId::MRecovery), C::StillCase,
        "{instrument}: {total} is still at or above the caseness cut-off {cutoff}.",
        "Recovery is a move from at or above the caseness cut-off ({cutoff}) to below it; the current total has not crossed it."),
    case_words(Some(RuleId::MRecovery), C::NotCaseAtBaseline,
        "{instrument}: below the caseness cut-off {cutoff} at baseline; recovery does not apply.",
        "Recovery is measured for patients who were a case (at or above {cutoff}) at baseline."),
    case_words(Some(RuleId::MRecovery), C::NoCutoff,
        "{instrument}: no caseness cut-off is set.",
        "The protocol gives caseness cut-offs for the PHQ-9, PHQ-A and GAD-7; for this instrument the service sets its own."),
    case_words(Some(RuleId::MRecovery), C::RecoveryReliabilityUnknown,
        "{instrument}: below the cut-off {cutoff}; whether the change is reliable is unknown.",
        "Clinically significant change; reliable recovery also needs a reliable-change threshold, which the service sets for this instrument."),
    case_words(Some(RuleId::MSustainedRemission), C::Sustained,
        "{instrument}: sustained remission ({count} measures over {days} days).",
        "The latest {count} measures are in the remission range and span {days} days, at least the interval of {interval} days."),
    case_words(Some(RuleId::MSustainedRemission), C::RemissionNotYetSustained,
        "{instrument}: in remission, not yet sustained ({count} measure(s) over {days} days).",
        "Sustained remission needs consecutive measures in the remission range at least {interval} days apart."),
    case_words(Some(RuleId::MSustainedRemission), C::NotInRemission,
        "{instrument}: the latest measure is not in the remission range.",
        "Sustained remission needs consecutive measures in the remission range at least {interval} days apart."),
    case_words(None, C::MethodDefaultPoints,
        "Threshold: {threshold} points, the default for the {instrument} ({source}); a service may set its own threshold in points, or use the Jacobson-Truax index.", ""),
    case_words(None, C::MethodPoints,
        "Threshold: {threshold} points, as set for this service.", ""),
    case_words(None, C::MethodJacobsonTruax,
        "Jacobson-Truax reliable change index {rci} (reliable when above 1.96 in size; SD {sd}, reliability {reliability}), that is at least {threshold} points.", ""),
    case_words(None, C::MethodNone,
        "The protocol gives reliable-change thresholds for the PHQ-9, PHQ-A and GAD-7; for the {instrument} a service sets its own threshold in points, or the Jacobson-Truax index with the instrument's standard deviation and reliability.", ""),
];

/// The words of a change case.
pub fn change_words(case: ChangeCase) -> Option<&'static CaseWords<ChangeCase>> {
    CHANGE_WORDS.iter().find(|w| w.case == case)
}

pub(super) fn fill_owned(template: &str, params: &[(&'static str, String)]) -> String {
    crate::explain::fill_with(template, |name| {
        params
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    })
}

/// A change rule's outcome rendered from [`CHANGE_WORDS`], as `r` asks.
pub fn render(
    rule: RuleId,
    status: RuleStatus,
    case: ChangeCase,
    params: &[(&'static str, String)],
    r: Render<'_>,
) -> Explanation {
    let indicator = match case {
        C::Deterioration | C::DeteriorationAlert => Indicator::Warning,
        _ => Indicator::Info,
    };
    r.item(rule, status, indicator, |r| {
        let w = change_words(case);
        (
            w.map(|w| fill_owned(&r.locale.text(w.summary), params))
                .unwrap_or_default(),
            w.map(|w| fill_owned(&r.locale.text(w.rationale), params))
                .unwrap_or_default(),
        )
    })
}

/// The name of a band, through the locale.
fn band(b: Band, locale: &dyn Locale) -> String {
    locale.text(b.label()).into_owned()
}

/// The explanation of a reading (the instrument's rule: M-PHQ9, M-HAMD17, M-BDI2, M-GAD7 or
/// M-PHQA).
pub fn reading(r: &Reading, status: RuleStatus, render: Render<'_>) -> Explanation {
    if !render.explained() {
        let indicator = if r.scored.is_none() {
            Indicator::Warning
        } else {
            Indicator::Info
        };
        return Explanation::decision(r.instrument.rule_id(), status, indicator);
    }
    let locale = render.locale;
    let inst = r.instrument.label();
    let t = |s: &str| locale.text(s).into_owned();
    let Some((total, cur_band)) = r.scored else {
        let list: Vec<String> = r
            .missing_items
            .iter()
            .map(|i| format!("item {}", i + 1))
            .collect();
        let count = r.missing_items.len();
        let list = list.join(", ");
        let params: [(&str, &dyn std::fmt::Display); 3] =
            [("instrument", &inst), ("count", &count), ("list", &list)];
        let words = Words {
            indicator: Indicator::Warning,
            summary: SUMMARY_UNKNOWN,
            rationale: UNKNOWN_TOTAL,
        };
        return Explanation::render(r.instrument.rule_id(), status, &words, &params, locale);
    };
    let b = band(cur_band, locale);
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
    rationale.push_str(&t(if r.remission == Some(true) {
        IN_REMISSION
    } else {
        NOT_IN_REMISSION
    }));
    if !r.instrument.has_item9() {
        rationale.push_str(&fill(&t(NO_ITEM9), &[("instrument", &inst)]));
    }
    let words = Words {
        indicator: Indicator::Info,
        summary: "",
        rationale: "",
    };
    let mut e = Explanation::render(r.instrument.rule_id(), status, &words, &[], locale);
    e.summary = summary.into();
    e.rationale = rationale.into();
    e
}

/// The X-SUICIDE item of a PHQ-9 or PHQ-A whose item 9 is above 0.
pub fn item9(i: Instrument, r: Render<'_>) -> Explanation {
    if !r.explained() {
        return Explanation::decision(RuleId::XSuicide, RuleStatus::Met, ITEM9.indicator);
    }
    let label = i.label();
    Explanation::render(
        RuleId::XSuicide,
        RuleStatus::Met,
        &ITEM9,
        &[("instrument", &label)],
        r.locale,
    )
}
