//! Course configurations (`V-*`): validated session counts and phase lengths, and the pure
//! function from a session number to its phase (invariant 3).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::phase::Phase;
use super::words::{self, CourseCase as C};
use crate::catalogue::parameters as p;
use crate::error::Error;
use crate::variant::Variant;

/// Optional overrides of a variant's defaults. Only V-STANDARD has ranges (12-16 sessions,
/// initial 1-3, termination 2-3); the other variants are fixed and accept only their own
/// numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    /// Total number of sessions of the acute course.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_sessions: Option<u32>,
    /// Number of initial-phase sessions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initial_sessions: Option<u32>,
    /// Number of termination-phase sessions (the last ones).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub termination_sessions: Option<u32>,
}

/// A validated course configuration. For V-MAINTENANCE (monthly, open-ended) the session
/// counts are 0 and every session is a maintenance session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseConfig {
    /// The variant.
    pub variant: Variant,
    /// Total sessions of the acute course (0 for maintenance).
    pub total_sessions: u32,
    /// Initial-phase sessions: sessions `1..=initial_sessions`.
    pub initial_sessions: u32,
    /// Termination-phase sessions: the last `termination_sessions`.
    pub termination_sessions: u32,
    /// V-GROUP: session 1 is the individual pre-group session, sessions 2.. are group 1..8.
    pub individual_pre_group_session: bool,
}

/// (total range, initial range, termination range, default total, default initial, default termination)
type Ranges = ((u32, u32), (u32, u32), (u32, u32), u32, u32, u32);

const fn ranges(v: Variant) -> Ranges {
    match v {
        Variant::Standard => (
            (p::STANDARD_SESSIONS_MIN, p::STANDARD_SESSIONS),
            (1, p::STANDARD_INITIAL_SESSIONS),
            (
                p::STANDARD_TERMINATION_SESSIONS_MIN,
                p::STANDARD_TERMINATION_SESSIONS,
            ),
            p::STANDARD_SESSIONS,
            p::STANDARD_INITIAL_SESSIONS,
            p::STANDARD_TERMINATION_SESSIONS,
        ),
        Variant::Brief => (
            (p::BRIEF_SESSIONS, p::BRIEF_SESSIONS),
            (p::BRIEF_INITIAL_SESSIONS, p::BRIEF_INITIAL_SESSIONS),
            (p::BRIEF_TERMINATION_SESSIONS, p::BRIEF_TERMINATION_SESSIONS),
            p::BRIEF_SESSIONS,
            p::BRIEF_INITIAL_SESSIONS,
            p::BRIEF_TERMINATION_SESSIONS,
        ),
        Variant::Adolescent => (
            (p::ADOLESCENT_SESSIONS, p::ADOLESCENT_SESSIONS),
            (
                p::ADOLESCENT_INITIAL_SESSIONS,
                p::ADOLESCENT_INITIAL_SESSIONS,
            ),
            (
                p::ADOLESCENT_TERMINATION_SESSIONS,
                p::ADOLESCENT_TERMINATION_SESSIONS,
            ),
            p::ADOLESCENT_SESSIONS,
            p::ADOLESCENT_INITIAL_SESSIONS,
            p::ADOLESCENT_TERMINATION_SESSIONS,
        ),
        // 1 individual pre-group session + 8 group sessions: group 1 initial, 2-7 middle, 8
        // termination.
        Variant::Group => {
            let total = p::GROUP_SESSIONS + 1;
            ((total, total), (2, 2), (1, 1), total, 2, 1)
        }
        Variant::Maintenance => ((0, 0), (0, 0), (0, 0), 0, 0, 0),
    }
}

fn check(path: &str, value: u32, (lo, hi): (u32, u32), what: C, v: Variant) -> Result<u32, Error> {
    if value < lo || value > hi {
        let bounds = [("lo", lo.to_string()), ("hi", hi.to_string())];
        let allowed = if lo == hi {
            words::message(C::ConfigExactly, &bounds)
        } else {
            words::message(C::ConfigBetween, &bounds)
        };
        return Err(Error::invalid(
            path,
            words::message(
                C::ConfigOutOfRange,
                &[
                    ("rule", v.rule_id().as_str().to_owned()),
                    ("title", crate::catalogue::title_of(v.rule_id()).to_owned()),
                    ("what", words::message(what, &[])),
                    ("allowed", allowed),
                    ("value", value.to_string()),
                ],
            ),
        ));
    }
    Ok(value)
}

impl CourseConfig {
    /// The default configuration of a variant.
    pub fn of(variant: Variant) -> CourseConfig {
        let (_, _, _, t, i, e) = ranges(variant);
        CourseConfig {
            variant,
            total_sessions: t,
            initial_sessions: i,
            termination_sessions: e,
            individual_pre_group_session: variant == Variant::Group,
        }
    }

    /// A variant's configuration with overrides, validated; errors are `invalid_input` at
    /// `<root>.total_sessions` etc.
    pub fn new(variant: Variant, overrides: &Overrides, root: &str) -> Result<CourseConfig, Error> {
        let (tr, ir, er, t, i, e) = ranges(variant);
        let d = CourseConfig::of(variant);
        if variant == Variant::Maintenance && *overrides != Overrides::default() {
            return Err(Error::invalid(
                root,
                words::message(C::ConfigMaintenanceNoOverrides, &[]),
            ));
        }
        let total = check(
            &format!("{root}.total_sessions"),
            overrides.total_sessions.unwrap_or(t),
            tr,
            C::ConfigTotal,
            variant,
        )?;
        let initial = check(
            &format!("{root}.initial_sessions"),
            overrides.initial_sessions.unwrap_or(i),
            ir,
            C::ConfigInitial,
            variant,
        )?;
        let term = check(
            &format!("{root}.termination_sessions"),
            overrides.termination_sessions.unwrap_or(e),
            er,
            C::ConfigTermination,
            variant,
        )?;
        let c = CourseConfig {
            total_sessions: total,
            initial_sessions: initial,
            termination_sessions: term,
            ..d
        };
        c.with_total(total, &format!("{root}.total_sessions"))
    }

    /// Whether the variant is the open-ended maintenance variant.
    pub fn open_ended(&self) -> bool {
        self.variant == Variant::Maintenance
    }

    /// The allowed range of the contracted total.
    pub fn total_range(&self) -> (u32, u32) {
        ranges(self.variant).0
    }

    /// The configuration with another total (a contract or its renegotiation), validated:
    /// within the variant's range and leaving at least one middle session.
    pub fn with_total(&self, total: u32, path: &str) -> Result<CourseConfig, Error> {
        if self.open_ended() {
            return Ok(*self);
        }
        check(
            path,
            total,
            self.total_range(),
            C::ConfigTotal,
            self.variant,
        )?;
        if self.initial_sessions + self.termination_sessions >= total {
            return Err(Error::invalid(
                path,
                words::message(
                    C::ConfigNoMiddlePhase,
                    &[
                        ("initial", self.initial_sessions.to_string()),
                        ("termination", self.termination_sessions.to_string()),
                        ("total", total.to_string()),
                    ],
                ),
            ));
        }
        Ok(CourseConfig {
            total_sessions: total,
            ..*self
        })
    }

    /// The first session of the termination phase.
    pub fn termination_start(&self) -> u32 {
        self.total_sessions
            .saturating_sub(self.termination_sessions)
            + 1
    }
}

/// The phase of session `n` (1-based) under `config`: a pure function (invariant 3).
/// `None` for 0 and for numbers beyond the total; every session of V-MAINTENANCE is a
/// maintenance session.
pub fn phase_of(n: u32, config: &CourseConfig) -> Option<Phase> {
    if n == 0 {
        return None;
    }
    if config.open_ended() {
        return Some(Phase::Maintenance);
    }
    if n > config.total_sessions {
        None
    } else if n <= config.initial_sessions {
        Some(Phase::Initial)
    } else if n >= config.termination_start() {
        Some(Phase::Termination)
    } else {
        Some(Phase::Middle)
    }
}
