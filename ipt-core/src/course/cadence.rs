//! The course's measurement plan (M-CADENCE and the change rules' parameters): which
//! instruments are due, how often, and the thresholds a service uses; and which measures are
//! due at a session or overdue.
//!
//! Defaults: every session (session-by-session measurement, L13); the PHQ-A for the
//! adolescent variant (M-PHQA) and the PHQ-9 otherwise; the cited thresholds of
//! [`crate::measures::change`]; sustained remission over 14 days. A measure is also due at
//! the last contracted session, so the course ends with one.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::state::{CourseState, Phase};
use crate::error::Error;
use crate::measures::change::{self, JacobsonTruax, Resolved, Thresholds};
use crate::measures::Instrument;
use crate::variant::Variant;

/// The change thresholds a service uses for one instrument.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InstrumentThresholds {
    /// The instrument.
    pub instrument: Instrument,
    /// Reliable change in points (see M-RELIABLE-CHANGE for the defaults).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliable_change_points: Option<u32>,
    /// The Jacobson-Truax index instead of a points threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jacobson_truax: Option<JacobsonTruax>,
    /// The caseness cut-off (see M-RECOVERY for the defaults).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caseness_cutoff: Option<u32>,
}

impl InstrumentThresholds {
    fn thresholds(&self) -> Thresholds {
        Thresholds {
            reliable_change_points: self.reliable_change_points,
            jacobson_truax: self.jacobson_truax,
            caseness_cutoff: self.caseness_cutoff,
        }
    }
}

/// The course's measurement plan, as given at `course_start` (`measurement`); every field
/// left out takes its default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Measurement {
    /// A measure is due every `every` sessions, from session 1 (1, the default: every
    /// session; 4: sessions 1, 5, 9...), and at the last contracted session. 1-16.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every: Option<u32>,
    /// The instruments due (default: `phqa` for the adolescent variant, `phq9` otherwise).
    /// 1-5 distinct instruments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instruments: Option<Vec<Instrument>>,
    /// M-SUSTAINED-REMISSION's interval in days (default 14). 1-365.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sustained_remission_days: Option<u32>,
    /// The change thresholds per instrument, at most one entry per instrument.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub thresholds: Vec<InstrumentThresholds>,
}

/// Where the measurement plan is given in a course's start.
pub const MEASUREMENT_PATH: &str = "$.start.measurement";

impl Measurement {
    /// Whether every field takes its default.
    pub fn is_default(&self) -> bool {
        *self == Measurement::default()
    }

    /// Validates the plan; errors are `invalid_input` at `<at>.every` etc.
    pub fn validate(&self, at: &str) -> Result<(), Error> {
        if let Some(e) = self.every.filter(|e| !(1..=16).contains(e)) {
            return Err(Error::invalid(
                format!("{at}.every"),
                format!("a measure is due every 1 to 16 sessions, got {e}"),
            ));
        }
        if let Some(list) = &self.instruments {
            if list.is_empty() || list.len() > Instrument::ALL.len() {
                return Err(Error::invalid(
                    format!("{at}.instruments"),
                    "name 1 to 5 instruments",
                ));
            }
            for (i, inst) in list.iter().enumerate() {
                if list.get(..i).is_some_and(|before| before.contains(inst)) {
                    return Err(Error::invalid(
                        format!("{at}.instruments[{i}]"),
                        format!("{} is named twice", inst.label()),
                    ));
                }
            }
        }
        if let Some(d) = self
            .sustained_remission_days
            .filter(|d| !(1..=365).contains(d))
        {
            return Err(Error::invalid(
                format!("{at}.sustained_remission_days"),
                format!("the sustained-remission interval is 1 to 365 days, got {d}"),
            ));
        }
        if self.thresholds.len() > Instrument::ALL.len() {
            return Err(Error::invalid(
                format!("{at}.thresholds"),
                "at most one entry per instrument",
            ));
        }
        for (i, t) in self.thresholds.iter().enumerate() {
            let path = format!("{at}.thresholds[{i}]");
            if self
                .thresholds
                .get(..i)
                .is_some_and(|b| b.iter().any(|x| x.instrument == t.instrument))
            {
                return Err(Error::invalid(
                    format!("{path}.instrument"),
                    format!("{} has thresholds twice", t.instrument.label()),
                ));
            }
            Resolved::new(t.instrument, &t.thresholds(), &path)?;
        }
        Ok(())
    }

    /// Sessions between measures.
    pub fn every(&self) -> u32 {
        self.every.unwrap_or(1).max(1)
    }

    /// The instruments due.
    pub fn instruments(&self, v: Variant) -> Vec<Instrument> {
        match &self.instruments {
            Some(l) => l.clone(),
            None if v == Variant::Adolescent => vec![Instrument::Phqa],
            None => vec![Instrument::Phq9],
        }
    }

    /// The sustained-remission interval in days.
    pub fn sustained_remission_days(&self) -> u32 {
        self.sustained_remission_days
            .unwrap_or(change::DEFAULT_SUSTAINED_REMISSION_DAYS)
    }

    /// The change rules' parameters of an instrument (validated at the start).
    pub fn resolved(&self, i: Instrument) -> Resolved {
        let at = format!("{MEASUREMENT_PATH}.thresholds");
        self.thresholds
            .iter()
            .position(|t| t.instrument == i)
            .and_then(|k| {
                let t = self.thresholds.get(k)?;
                Resolved::new(i, &t.thresholds(), &format!("{at}[{k}]")).ok()
            })
            .unwrap_or_else(|| Resolved::defaults_at(i, &at))
    }
}

/// Whether a measure is due at session `n` of the acute course (`total` sessions) or, with
/// `total` 0, at maintenance session `n`.
pub fn due(n: u32, every: u32, total: u32) -> bool {
    n >= 1 && ((n - 1) % every.max(1) == 0 || (total > 0 && n == total))
}

/// The numbering the next session belongs to: maintenance sessions count apart.
fn numbering(s: &CourseState) -> Option<(bool, u32, u32)> {
    match s.phase {
        Phase::Initial | Phase::Middle | Phase::Termination => {
            Some((false, s.sessions_held, s.config.total_sessions))
        }
        Phase::Maintenance => Some((true, s.maintenance_sessions_held, 0)),
        _ => None,
    }
}

/// The instruments due at the next session, if it is a measured one.
pub fn due_next(s: &CourseState) -> Option<(u32, Vec<Instrument>)> {
    let (_, held, total) = numbering(s)?;
    let next = held + 1;
    if total > 0 && next > total {
        return None;
    }
    due(next, s.measurement.every(), total)
        .then(|| (next, s.measurement.instruments(s.config.variant)))
}

/// The measures overdue: for each instrument due, the last session it was due at when no
/// measure of it was recorded at or after that session.
pub fn overdue(s: &CourseState) -> Vec<(Instrument, u32)> {
    let Some((maintenance, held, total)) = numbering(s) else {
        return Vec::new();
    };
    let every = s.measurement.every();
    let Some(last_due) = (1..=held).rev().find(|n| due(*n, every, total)) else {
        return Vec::new();
    };
    s.measurement
        .instruments(s.config.variant)
        .into_iter()
        .filter(|i| {
            !s.points(*i)
                .any(|p| (p.phase == Phase::Maintenance) == maintenance && p.session >= last_due)
        })
        .map(|i| (i, last_due))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_session_by_default_and_the_last_one_m_cadence() {
        assert!((1..=16).all(|n| due(n, 1, 16)));
        let fourth: Vec<u32> = (1..=16).filter(|n| due(*n, 4, 16)).collect();
        assert_eq!(fourth, [1, 5, 9, 13, 16]);
        assert!(!due(0, 1, 16));
        let maint: Vec<u32> = (1..=7).filter(|n| due(*n, 3, 0)).collect();
        assert_eq!(maint, [1, 4, 7]);
    }

    #[test]
    fn plan_is_validated_with_paths() {
        let bad = Measurement {
            every: Some(0),
            ..Measurement::default()
        };
        assert_eq!(
            bad.validate("$.measurement").unwrap_err().path(),
            Some("$.measurement.every")
        );
        let twice = Measurement {
            instruments: Some(vec![Instrument::Gad7, Instrument::Gad7]),
            ..Measurement::default()
        };
        assert_eq!(
            twice.validate("$.m").unwrap_err().path(),
            Some("$.m.instruments[1]")
        );
        let t = Measurement {
            thresholds: vec![InstrumentThresholds {
                instrument: Instrument::Phq9,
                reliable_change_points: Some(28),
                jacobson_truax: None,
                caseness_cutoff: None,
            }],
            ..Measurement::default()
        };
        assert_eq!(
            t.validate("$.m").unwrap_err().path(),
            Some("$.m.thresholds[0].reliable_change_points")
        );
        assert_eq!(
            Measurement::default().instruments(Variant::Adolescent),
            [Instrument::Phqa]
        );
        assert_eq!(
            Measurement::default().instruments(Variant::Brief),
            [Instrument::Phq9]
        );
    }
}
