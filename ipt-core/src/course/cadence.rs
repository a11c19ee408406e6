//! M-CADENCE: which measures are due at a session or overdue, on the course's measurement
//! plan ([`plan`](super::plan)).
//!
//! Defaults: every session (session-by-session measurement, L13); the PHQ-A for the
//! adolescent variant (M-PHQA) and the PHQ-9 otherwise; the cited thresholds of
//! [`crate::measures::change`]; sustained remission over 14 days. A measure is also due at
//! the last contracted session, so the course ends with one.

use super::phase::Phase;
use super::state::CourseState;
use crate::measures::Instrument;

/// The session at which a measure falls due: `every` sessions after the last one measured
/// (session 1 when none was), or the last contracted session (`total`; 0 for maintenance),
/// whichever comes first.
pub fn due_at(last_measured: Option<u32>, every: u32, total: u32) -> u32 {
    let by_schedule = last_measured.map_or(1, |l| l + every.max(1));
    match last_measured {
        Some(l) if total > 0 && l < total => by_schedule.min(total),
        None if total > 0 => by_schedule.min(total),
        _ => by_schedule,
    }
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

/// Each instrument of the plan with the session its next measure falls due.
fn schedule(s: &CourseState) -> Option<(u32, Vec<(Instrument, u32)>)> {
    let (maintenance, held, total) = numbering(s)?;
    let every = s.measurement.every();
    let out = s
        .measurement
        .instruments(s.config.variant)
        .into_iter()
        .map(|i| {
            let last = s
                .points(i)
                .filter(|p| (p.phase == Phase::Maintenance) == maintenance)
                .map(|p| p.session)
                .max();
            (i, due_at(last, every, total))
        })
        .collect();
    Some((held, out))
}

/// The instruments due at the next session, if any.
pub fn due_next(s: &CourseState) -> Option<(u32, Vec<Instrument>)> {
    let (held, plan) = schedule(s)?;
    let next = held + 1;
    let (_, _, total) = numbering(s)?;
    if total > 0 && next > total {
        return None;
    }
    let due: Vec<Instrument> = plan
        .into_iter()
        .filter(|(_, d)| *d <= next)
        .map(|(i, _)| i)
        .collect();
    (!due.is_empty()).then_some((next, due))
}

/// The measures overdue: each instrument whose measure fell due at a session already held
/// and was not recorded, with that session.
pub fn overdue(s: &CourseState) -> Vec<(Instrument, u32)> {
    let Some((held, plan)) = schedule(s) else {
        return Vec::new();
    };
    plan.into_iter().filter(|(_, d)| *d <= held).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_after_the_last_measure_and_at_the_last_session_m_cadence() {
        assert_eq!(due_at(None, 1, 16), 1);
        assert_eq!(due_at(None, 4, 16), 1);
        assert_eq!(due_at(Some(1), 1, 16), 2);
        assert_eq!(due_at(Some(4), 4, 16), 8);
        assert_eq!(due_at(Some(14), 4, 16), 16);
        assert_eq!(due_at(Some(16), 4, 16), 20);
        assert_eq!(due_at(Some(3), 3, 0), 6);
    }
}
