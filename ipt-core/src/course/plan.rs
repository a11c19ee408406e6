//! The course's measurement plan (M-CADENCE and the change rules' parameters): which
//! instruments are due, how often, and the thresholds a service uses.
//!
//! Defaults: every session (session-by-session measurement, L13); the PHQ-A for the
//! adolescent variant (M-PHQA) and the PHQ-9 otherwise; the cited thresholds of
//! [`crate::measures::change`]; sustained remission over 14 days. A measure is also due at
//! the last contracted session, so the course ends with one.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
    /// A measure is due `every` sessions after the last one measured (session 1 when none
    /// was; 1, the default: every session), and at the last contracted session. 1-16.
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

#[cfg(test)]
mod tests {
    use super::*;

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
