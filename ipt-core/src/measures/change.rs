//! The change rules of measurement-based care, each a function returning a typed outcome:
//!
//! * M-RELIABLE-CHANGE, [`reliable_change`]: a change at least as large as the instrument's
//!   reliable-change threshold. The threshold is a number of points (defaults: PHQ-9 and
//!   PHQ-A 5, the minimal clinically important difference of Löwe et al. 2004; GAD-7 4, NHS
//!   Talking Therapies; a service may set 6 for the PHQ-9, NHS Talking Therapies' value), or
//!   the Jacobson-Truax reliable change index (|RCI| > 1.96, Jacobson & Truax 1991) from the
//!   standard deviation the service gives and the instrument's reliability (defaults:
//!   Cronbach's α 0.89 for the PHQ-9, Kroenke et al. 2001; 0.92 for the GAD-7, Spitzer et al.
//!   2006). The engine ships no standard deviation: the index needs the service's own. HAM-D
//!   17 and BDI-II have no default threshold: their change stays unknown until one is set.
//! * M-DETERIORATION, [`Change::deterioration`]: reliable change for the worse (the course
//!   keeps it as an alert until a review is recorded).
//! * M-RECOVERY, [`recovery`]: clinically significant change (from at or above the
//!   caseness cut-off to below it: PHQ-9 and PHQ-A 10, GAD-7 8, NHS Talking Therapies) and,
//!   with reliable improvement, reliable recovery. Not applicable when the baseline is
//!   below the cut-off.
//! * M-SUSTAINED-REMISSION, [`sustained_remission`]: remission on consecutive measures whose
//!   dates span at least the configured interval (default 14 days, so that the two-week
//!   recall windows of the PHQ-9 and GAD-7 do not overlap).
//!
//! Integer changes are compared with an integer threshold, so every outcome is exact; the
//! index itself is reported rounded to hundredths.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::instrument::Instrument;
use super::words::{self, ChangeCase as C};
use crate::catalogue::parameters as p;
use crate::catalogue::RuleId;
use crate::error::Error;
use crate::explain::{Explanation, InputUsed, Locale, Render, RuleStatus};

/// The Jacobson-Truax index's parameters for one instrument.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JacobsonTruax {
    /// The standard deviation of the instrument's total in the reference population (the
    /// service's pre-treatment sample, Jacobson & Truax 1991). Above 0.
    pub sd: f64,
    /// The instrument's reliability, between 0 and 1 exclusive; default Cronbach's α (PHQ-9
    /// 0.89, Kroenke et al. 2001; GAD-7 0.92, Spitzer et al. 2006; none for the others).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliability: Option<f64>,
}

/// The change rules' parameters for one instrument; each left out takes its cited default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// Reliable change in points: a change at least this large is reliable (PHQ-9 and PHQ-A
    /// 5, Löwe et al. 2004; 6 in NHS Talking Therapies; GAD-7 4, NHS Talking Therapies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliable_change_points: Option<u32>,
    /// The Jacobson-Truax index instead of a points threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jacobson_truax: Option<JacobsonTruax>,
    /// The caseness cut-off: a total at or above it is a case (PHQ-9 and PHQ-A 10, GAD-7 8,
    /// NHS Talking Therapies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caseness_cutoff: Option<u32>,
}

/// How reliable change is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// A change of at least a number of points.
    Points,
    /// The Jacobson-Truax reliable change index, |RCI| > 1.96.
    JacobsonTruax,
}

/// The default reliable-change threshold in points (see the module).
pub const fn default_points(i: Instrument) -> Option<u32> {
    match i {
        Instrument::Phq9 | Instrument::Phqa => Some(p::PHQ9_RELIABLE_CHANGE_POINTS),
        Instrument::Gad7 => Some(p::GAD7_RELIABLE_CHANGE_POINTS),
        Instrument::Hamd17 | Instrument::Bdi2 | Instrument::Wsas => None,
    }
}

/// The default caseness cut-off (see the module).
pub const fn default_caseness(i: Instrument) -> Option<u32> {
    match i {
        Instrument::Phq9 | Instrument::Phqa => Some(p::PHQ9_CASENESS),
        Instrument::Gad7 => Some(p::GAD7_CASENESS),
        Instrument::Hamd17 | Instrument::Bdi2 | Instrument::Wsas => None,
    }
}

/// The default reliability in thousandths: Cronbach's α (PHQ-9 0.89, L3; GAD-7 0.92,
/// Spitzer et al. 2006).
pub const fn default_reliability_thousandths(i: Instrument) -> Option<u32> {
    match i {
        Instrument::Phq9 => Some(p::PHQ9_RELIABILITY),
        Instrument::Gad7 => Some(p::GAD7_RELIABILITY),
        Instrument::Phqa | Instrument::Hamd17 | Instrument::Bdi2 | Instrument::Wsas => None,
    }
}

/// The smallest whole-point change whose index exceeds 1.96: `floor(1.96 * s_diff) + 1`
/// with `s_diff = sd * sqrt(2 * (1 - r))`; `None` outside the index's domain (a standard
/// deviation not above 0, a reliability not strictly between 0 and 1, or a threshold past
/// any scale), never a made-up threshold.
pub fn jacobson_truax_points(sd: f64, reliability: f64) -> Option<u32> {
    if !(sd.is_finite() && sd > 0.0 && reliability > 0.0 && reliability < 1.0) {
        return None;
    }
    let s_diff = sd * (2.0 * (1.0 - reliability)).sqrt();
    let t = (1.96 * s_diff).floor() + 1.0;
    (t.is_finite() && (1.0..=f64::from(u32::MAX)).contains(&t)).then_some(t as u32)
}

/// The parameters of one instrument, resolved and validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// How reliable change is judged; `None` without a threshold.
    pub method: Option<Method>,
    /// The smallest reliable change in whole points.
    pub threshold: Option<u32>,
    /// The Jacobson-Truax standard deviation and reliability.
    pub jt: Option<(f64, f64)>,
    /// The caseness cut-off.
    pub caseness: Option<u32>,
    /// Where the parameters are given (for the inputs missing), e.g. `$.thresholds`.
    pub path: String,
    /// Whether the threshold and the cut-off are the cited defaults.
    pub defaults: (bool, bool),
}

impl Resolved {
    /// The cited defaults of an instrument.
    pub fn defaults(i: Instrument) -> Resolved {
        Resolved::defaults_at(i, "$.thresholds")
    }

    /// The cited defaults, the parameters read at `path`.
    pub fn defaults_at(i: Instrument, path: &str) -> Resolved {
        let threshold = default_points(i);
        Resolved {
            method: threshold.map(|_| Method::Points),
            threshold,
            jt: None,
            caseness: default_caseness(i),
            path: path.to_owned(),
            defaults: (true, true),
        }
    }

    /// The parameters given at `path` over the defaults, validated (`invalid_input` at the
    /// offending field).
    pub fn new(i: Instrument, t: &Thresholds, path: &str) -> Result<Resolved, Error> {
        let max = i.max_total();
        let label = i.label();
        let mut r = Resolved::defaults_at(i, path);
        if let Some(p) = t.reliable_change_points {
            if p == 0 || p > max {
                return Err(Error::invalid(
                    format!("{path}.reliable_change_points"),
                    format!("a {label} reliable-change threshold is between 1 and {max} points, got {p}"),
                ));
            }
            r.threshold = Some(p);
            r.method = Some(Method::Points);
            r.defaults.0 = false;
        }
        if let Some(jt) = t.jacobson_truax {
            if t.reliable_change_points.is_some() {
                return Err(Error::invalid(
                    format!("{path}.jacobson_truax"),
                    "give reliable_change_points or jacobson_truax, not both",
                ));
            }
            if !(jt.sd.is_finite() && jt.sd > 0.0 && jt.sd <= f64::from(max)) {
                return Err(Error::invalid(
                    format!("{path}.jacobson_truax.sd"),
                    format!(
                        "the standard deviation of a {label} total is above 0 and at most {max}"
                    ),
                ));
            }
            let rel = match jt.reliability {
                Some(x) => x,
                None => match default_reliability_thousandths(i) {
                    Some(m) => f64::from(m) / 1000.0,
                    None => {
                        return Err(Error::invalid(
                            format!("{path}.jacobson_truax.reliability"),
                            format!("the {label} has no default reliability: give one"),
                        ))
                    }
                },
            };
            if !(rel.is_finite() && rel > 0.0 && rel < 1.0) {
                return Err(Error::invalid(
                    format!("{path}.jacobson_truax.reliability"),
                    "a reliability is between 0 and 1, both excluded",
                ));
            }
            let points = jacobson_truax_points(jt.sd, rel).filter(|p| *p <= max);
            let Some(points) = points else {
                return Err(Error::invalid(
                    format!("{path}.jacobson_truax"),
                    format!(
                        "this standard deviation and reliability put the reliable-change threshold beyond the {label}'s range of {max} points: no change could be reliable"
                    ),
                ));
            };
            r.threshold = Some(points);
            r.method = Some(Method::JacobsonTruax);
            r.jt = Some((jt.sd, rel));
            r.defaults.0 = false;
        }
        if let Some(c) = t.caseness_cutoff {
            if c == 0 || c > max {
                return Err(Error::invalid(
                    format!("{path}.caseness_cutoff"),
                    format!("a {label} caseness cut-off is between 1 and {max}, got {c}"),
                ));
            }
            r.caseness = Some(c);
            r.defaults.1 = false;
        }
        Ok(r)
    }

    /// The rounded index of a change, under the Jacobson-Truax method.
    pub fn rci(&self, change: i64) -> Option<f64> {
        let (sd, rel) = self.jt?;
        let s_diff = sd * (2.0 * (1.0 - rel)).sqrt();
        Some((change as f64 / s_diff * 100.0).round() / 100.0)
    }
}

/// Which way a reliable change goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Lower scores: better.
    Improvement,
    /// Higher scores: worse.
    Deterioration,
}

/// M-RELIABLE-CHANGE's outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReliableChange {
    /// `met`: a reliable change (see `direction`); `not_met`: within measurement error;
    /// `unknown`: no threshold is set for the instrument.
    pub status: RuleStatus,
    /// The direction of a reliable change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// Current minus baseline.
    pub change: i64,
    /// The smallest reliable change in whole points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold_points: Option<u32>,
    /// How the threshold was set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<Method>,
    /// The Jacobson-Truax index, rounded to hundredths (that method only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rci: Option<f64>,
}

/// M-RELIABLE-CHANGE: is the change from `baseline` to `current` reliable?
pub fn reliable_change(baseline: u32, current: u32, p: &Resolved) -> ReliableChange {
    let change = i64::from(current) - i64::from(baseline);
    let (status, direction) = match p.threshold {
        None => (RuleStatus::Unknown, None),
        Some(t) if change.unsigned_abs() >= u64::from(t) => (
            RuleStatus::Met,
            Some(if change < 0 {
                Direction::Improvement
            } else {
                Direction::Deterioration
            }),
        ),
        Some(_) => (RuleStatus::NotMet, None),
    };
    ReliableChange {
        status,
        direction,
        change,
        threshold_points: p.threshold,
        method: p.method,
        rci: p.rci(change),
    }
}

/// M-RECOVERY's outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Recovery {
    /// `met`: reliable recovery; `not_met`: not recovered (see `clinically_significant`);
    /// `not_applicable`: below the cut-off at baseline; `unknown`: no cut-off is set.
    pub status: RuleStatus,
    /// The caseness cut-off (a case at or above it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caseness_cutoff: Option<u32>,
    /// From a case at baseline to below the cut-off now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clinically_significant: Option<bool>,
    /// Clinically significant change with reliable improvement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliable_recovery: Option<bool>,
}

/// M-RECOVERY: clinically significant change and reliable recovery.
pub fn recovery(baseline: u32, current: u32, rc: &ReliableChange, p: &Resolved) -> Recovery {
    let Some(c) = p.caseness else {
        return Recovery {
            status: RuleStatus::Unknown,
            caseness_cutoff: None,
            clinically_significant: None,
            reliable_recovery: None,
        };
    };
    if baseline < c {
        return Recovery {
            status: RuleStatus::NotApplicable,
            caseness_cutoff: Some(c),
            clinically_significant: None,
            reliable_recovery: None,
        };
    }
    let significant = current < c;
    let reliable = match rc.status {
        RuleStatus::Met => Some(rc.direction == Some(Direction::Improvement)),
        RuleStatus::NotMet => Some(false),
        _ => None,
    };
    let recovered = reliable.map(|r| r && significant);
    let status = match (significant, recovered) {
        (false, _) => RuleStatus::NotMet,
        (true, Some(true)) => RuleStatus::Met,
        (true, Some(false)) => RuleStatus::NotMet,
        (true, None) => RuleStatus::Unknown,
    };
    Recovery {
        status,
        caseness_cutoff: Some(c),
        clinically_significant: Some(significant),
        reliable_recovery: if significant { recovered } else { Some(false) },
    }
}

/// The change rules at one measure against the baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// M-RELIABLE-CHANGE.
    pub reliable_change: ReliableChange,
    /// M-DETERIORATION: `met` for a reliable deterioration.
    pub deterioration: RuleStatus,
    /// M-RECOVERY.
    pub recovery: Recovery,
}

impl Change {
    /// The change rules from `baseline` to `current`.
    pub fn of(_i: Instrument, baseline: u32, current: u32, p: &Resolved) -> Change {
        let rc = reliable_change(baseline, current, p);
        let recovery = recovery(baseline, current, &rc, p);
        Change {
            deterioration: Change::deterioration(&rc),
            reliable_change: rc,
            recovery,
        }
    }

    /// M-DETERIORATION from a reliable-change outcome.
    pub fn deterioration(rc: &ReliableChange) -> RuleStatus {
        match (rc.status, rc.direction) {
            (RuleStatus::Met, Some(Direction::Deterioration)) => RuleStatus::Met,
            (RuleStatus::Unknown, _) => RuleStatus::Unknown,
            _ => RuleStatus::NotMet,
        }
    }

    /// The outcomes explained: M-RELIABLE-CHANGE, M-DETERIORATION when met, M-RECOVERY.
    pub fn explain(
        &self,
        i: Instrument,
        (baseline, current): (u32, u32),
        (baseline_path, current_path): (&str, &str),
        p: &Resolved,
        r: Render<'_>,
    ) -> Vec<Explanation> {
        let rc = &self.reliable_change;
        let used = [
            InputUsed::new(format!("{baseline_path}.total"), baseline),
            InputUsed::new(format!("{current_path}.total"), current),
        ];
        let mut params = vec![
            ("instrument", i.label().to_owned()),
            ("baseline", baseline.to_string()),
            ("total", current.to_string()),
            ("change", format!("{:+}", rc.change)),
        ];
        if let Some(t) = rc.threshold_points {
            params.push(("threshold", t.to_string()));
        }
        if r.explained() {
            params.push(("method", method_sentence(i, p, rc.rci, r.locale)));
        }
        let threshold_used = |o: Explanation| match (rc.threshold_points, p.defaults.0) {
            (Some(t), true) => o.used([InputUsed::new("report.default.reliable_change_points", t)]),
            (Some(t), false) => o.used([InputUsed::new(
                match p.method {
                    Some(Method::JacobsonTruax) => format!("{}.jacobson_truax", p.path),
                    _ => format!("{}.reliable_change_points", p.path),
                },
                t,
            )]),
            (None, _) => o.missing([format!("{}.reliable_change_points", p.path)]),
        };
        let case = match (rc.status, rc.direction) {
            (RuleStatus::Met, Some(Direction::Improvement)) => C::Improvement,
            (RuleStatus::Met, _) => C::Deterioration,
            (RuleStatus::NotMet, _) => C::WithinError,
            _ => C::NoThreshold,
        };
        let mut out = vec![threshold_used(
            words::render(RuleId::MReliableChange, rc.status, case, &params, r).used(used.clone()),
        )];
        if self.deterioration == RuleStatus::Met {
            out.push(threshold_used(
                words::render(
                    RuleId::MDeterioration,
                    RuleStatus::Met,
                    C::DeteriorationAlert,
                    &params,
                    r,
                )
                .used(used.clone()),
            ));
        }
        let rec = &self.recovery;
        if let Some(c) = rec.caseness_cutoff {
            params.push(("cutoff", c.to_string()));
        }
        let case = match rec.status {
            RuleStatus::Met => C::Recovered,
            RuleStatus::NotApplicable => C::NotCaseAtBaseline,
            RuleStatus::Unknown if rec.caseness_cutoff.is_none() => C::NoCutoff,
            RuleStatus::Unknown => C::RecoveryReliabilityUnknown,
            RuleStatus::NotMet if rec.clinically_significant == Some(true) => {
                C::BelowCutoffNotReliable
            }
            RuleStatus::NotMet => C::StillCase,
        };
        let mut e = words::render(RuleId::MRecovery, rec.status, case, &params, r).used(used);
        e = match (rec.caseness_cutoff, p.defaults.1) {
            (Some(c), true) => e.used([InputUsed::new("report.default.caseness_cutoff", c)]),
            (Some(c), false) => e.used([InputUsed::new(format!("{}.caseness_cutoff", p.path), c)]),
            (None, _) => e.missing([format!("{}.caseness_cutoff", p.path)]),
        };
        if rec.status == RuleStatus::Unknown && rec.caseness_cutoff.is_some() {
            e = e.missing([format!("{}.reliable_change_points", p.path)]);
        }
        out.push(e);
        out
    }
}

/// M-SUSTAINED-REMISSION's outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SustainedRemission {
    /// `met`: the trailing run of measures in remission spans at least the interval;
    /// `not_met`: the latest measure is not in remission, or the run is shorter.
    pub status: RuleStatus,
    /// The interval in days.
    pub interval_days: u32,
    /// Measures in the trailing run of remission.
    pub measures_in_remission: usize,
    /// Days from the first to the last measure of the run.
    pub days_in_remission: u32,
}

/// M-SUSTAINED-REMISSION over a series of `(total, day number)`, in order: remission on
/// consecutive measures (the trailing run) whose dates span at least `interval_days`.
pub fn sustained_remission(
    i: Instrument,
    series: &[(u32, i64)],
    interval_days: u32,
) -> SustainedRemission {
    let run: Vec<&(u32, i64)> = series
        .iter()
        .rev()
        .take_while(|(t, _)| i.in_remission(*t))
        .collect();
    let days = match (run.last(), run.first()) {
        (Some((_, first)), Some((_, last))) => u32::try_from(last - first).unwrap_or(0),
        _ => 0,
    };
    let met = run.len() >= 2 && days >= interval_days;
    SustainedRemission {
        status: if met {
            RuleStatus::Met
        } else {
            RuleStatus::NotMet
        },
        interval_days,
        measures_in_remission: run.len(),
        days_in_remission: days,
    }
}

/// The default interval of M-SUSTAINED-REMISSION in days: two weeks, the recall window of
/// the PHQ-9 and GAD-7 (L3), so two measures that far apart cover separate windows.
pub const DEFAULT_SUSTAINED_REMISSION_DAYS: u32 = p::SUSTAINED_REMISSION_DAYS;

/// M-SUSTAINED-REMISSION explained.
pub fn explain_sustained(i: Instrument, s: &SustainedRemission, r: Render<'_>) -> Explanation {
    let case = match s.status {
        RuleStatus::Met => C::Sustained,
        _ if s.measures_in_remission == 0 => C::NotInRemission,
        _ => C::RemissionNotYetSustained,
    };
    let params = [
        ("instrument", i.label().to_owned()),
        ("count", s.measures_in_remission.to_string()),
        ("days", s.days_in_remission.to_string()),
        ("interval", s.interval_days.to_string()),
    ];
    words::render(RuleId::MSustainedRemission, s.status, case, &params, r).used([
        InputUsed::new("$.state.measures", s.measures_in_remission),
        InputUsed::new("report.interval_days", s.interval_days),
    ])
}

/// The sentence that says how the reliable-change threshold was set.
fn method_sentence(i: Instrument, p: &Resolved, rci: Option<f64>, locale: &dyn Locale) -> String {
    let mut params: Vec<(&'static str, String)> = vec![("instrument", i.label().to_owned())];
    if let Some(t) = p.threshold {
        params.push(("threshold", t.to_string()));
    }
    let case = match (p.method, p.defaults.0) {
        (None, _) => C::MethodNone,
        (Some(Method::JacobsonTruax), _) => {
            if let Some((sd, r)) = p.jt {
                params.push(("sd", sd.to_string()));
                params.push(("reliability", r.to_string()));
            }
            params.push(("rci", rci.map(|x| x.to_string()).unwrap_or_default()));
            C::MethodJacobsonTruax
        }
        (Some(Method::Points), true) => {
            params.push((
                "source",
                crate::locale::fill_with(
                    &locale.text(match i {
                        Instrument::Gad7 => "NHS Talking Therapies",
                        _ => "the minimal clinically important difference, Löwe et al. 2004; NHS Talking Therapies uses {talking_therapies_phq9_points}",
                    }),
                    |_| None,
                ),
            ));
            C::MethodDefaultPoints
        }
        (Some(Method::Points), false) => C::MethodPoints,
    };
    words::change_words(case)
        .map(|w| words::fill_owned(&locale.text(w.summary), &params))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_jacobson_truax_threshold_is_never_made_up() {
        // sd 5, r 0.89: s_diff = 5 * sqrt(0.22) = 2.345; 1.96 * 2.345 = 4.6, so 5 points.
        assert_eq!(jacobson_truax_points(5.0, 0.89), Some(5));
        for (sd, r) in [
            (0.0, 0.9),
            (-1.0, 0.9),
            (f64::NAN, 0.9),
            (5.0, 1.0),
            (5.0, 0.0),
        ] {
            assert_eq!(jacobson_truax_points(sd, r), None, "{sd} {r}");
        }
        // A threshold past the scale: refused at the parameters, not shrunk to one point.
        let t = Thresholds {
            reliable_change_points: None,
            jacobson_truax: Some(JacobsonTruax {
                sd: 27.0,
                reliability: Some(0.01),
            }),
            caseness_cutoff: None,
        };
        let e = Resolved::new(Instrument::Phq9, &t, "$.thresholds").unwrap_err();
        assert_eq!(e.path(), Some("$.thresholds.jacobson_truax"));
    }
}
