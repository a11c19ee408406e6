//! When something in a FHIR record happened: a `date`, `dateTime` or `instant` read as the
//! calendar date it states and the span of instants it may denote.
//!
//! Conventions (the README's EHR section states them for integrators):
//!
//! * **Against the date of the assessment** (a calendar date without a zone, since the engine
//!   has no clock), a time is compared by the calendar date it states in its own zone:
//!   `2026-01-05T23:30:00-05:00` is on 2026-01-05, though it is 2026-01-06 in UTC. A partial
//!   date (`2026-01`, `2026`) is after the assessment only when every day it may be is.
//! * **Between two times of the record**, instants are compared: a `dateTime` with its zone is
//!   one instant; a date, or a time without a zone, is every instant it may be in any zone
//!   (UTC-12:00 to UTC+14:00). One is *certainly later* than another only when its earliest
//!   instant is after the other's latest, so a day's PHQ-9 without a time is never taken to be
//!   later than another of the same day.

use crate::date::Date;

/// Seconds in a day.
const DAY: i64 = 86_400;
/// The earliest zone offset (UTC+14:00), in seconds.
const EAST: i64 = 14 * 3_600;
/// The latest zone offset (UTC-12:00), in seconds.
const WEST: i64 = 12 * 3_600;

/// The date part of a FHIR date or dateTime: a full date, or the parts given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FhirDate {
    /// `YYYY-MM-DD` (a dateTime's date, as written).
    Full(Date),
    /// `YYYY-MM`.
    Month(i32, u32),
    /// `YYYY`.
    Year(i32),
}

impl FhirDate {
    /// Parses the date part of a FHIR date or dateTime (`2022-11-29T20:50:32+00:00` reads as
    /// `2022-11-29`); `None` when it is not one.
    pub fn parse(s: &str) -> Option<FhirDate> {
        Stamp::parse(s).map(|st| st.local)
    }

    /// The full date, when there is one.
    pub fn full(self) -> Option<Date> {
        match self {
            FhirDate::Full(d) => Some(d),
            _ => None,
        }
    }

    /// The first and the last day it may be.
    fn days(self) -> (Date, Date) {
        let last = |y: i32, m: u32| {
            let next = if m == 12 {
                Date::parse(&format!("{:04}-01-01", y + 1))
            } else {
                Date::parse(&format!("{y:04}-{:02}-01", m + 1))
            };
            next.map_or(
                Date {
                    year: y,
                    month: m,
                    day: 28,
                },
                |n| n.plus_days(-1),
            )
        };
        match self {
            FhirDate::Full(d) => (d, d),
            FhirDate::Month(y, m) => (
                Date {
                    year: y,
                    month: m,
                    day: 1,
                },
                last(y, m),
            ),
            FhirDate::Year(y) => (
                Date {
                    year: y,
                    month: 1,
                    day: 1,
                },
                last(y, 12),
            ),
        }
    }

    /// Whether every day it may be is after `d`.
    pub fn after(self, d: Date) -> bool {
        self.days().0 > d
    }

    /// Whether every day it may be is on or before `d`.
    pub fn on_or_before(self, d: Date) -> bool {
        self.days().1 <= d
    }

    /// Whether some day it may be is on or after `d`.
    pub fn may_be_on_or_after(self, d: Date) -> bool {
        self.days().1 >= d
    }
}

/// A time of the record: as written, the calendar date it states, and the instants it may be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stamp {
    /// The calendar date it states, in its own zone.
    pub local: FhirDate,
    /// The earliest instant it may be, in seconds since 1970-01-01T00:00:00Z.
    pub lo: i64,
    /// The latest instant it may be.
    pub hi: i64,
    /// Whether it has a time of day (not a date alone).
    pub timed: bool,
    /// As written.
    pub text: String,
}

impl Stamp {
    /// Parses a FHIR `date`, `dateTime` or `instant`: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, or
    /// `YYYY-MM-DDThh:mm[:ss[.fff…]]` with `Z` or `±hh:mm` (a time without a zone is read as
    /// every instant it may be in any zone).
    pub fn parse(s: &str) -> Option<Stamp> {
        if s.len() > 64 {
            return None;
        }
        let (date, time) = match s.split_once('T') {
            Some((d, t)) => (d, Some(t)),
            None => (s, None),
        };
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit());
        let local = match date.len() {
            4 if digits(date) && time.is_none() => FhirDate::Year(date.parse().ok()?),
            7 if time.is_none() && date.as_bytes().get(4) == Some(&b'-') => {
                let (y, m) = (date.get(0..4)?, date.get(5..7)?);
                if !digits(y) || !digits(m) {
                    return None;
                }
                let m: u32 = m.parse().ok()?;
                (1..=12).contains(&m).then_some(())?;
                FhirDate::Month(y.parse().ok()?, m)
            }
            10 => FhirDate::Full(Date::parse(date)?),
            _ => return None,
        };
        if local.days().0.year < 1 {
            return None;
        }
        let (first, last) = local.days();
        let Some(time) = time else {
            return Some(Stamp {
                local,
                lo: first.day_number() * DAY - EAST,
                hi: (last.day_number() + 1) * DAY - 1 + WEST,
                timed: false,
                text: s.to_owned(),
            });
        };
        let (clock, offset) = split_zone(time)?;
        let seconds = clock_seconds(clock)?;
        let at = first.day_number() * DAY + seconds;
        let (lo, hi) = match offset {
            Some(off) => (at - off, at - off),
            None => (at - EAST, at + WEST),
        };
        Some(Stamp {
            local,
            lo,
            hi,
            timed: true,
            text: s.to_owned(),
        })
    }
}

/// The clock and the zone offset (seconds east of UTC) of a dateTime's time part.
fn split_zone(time: &str) -> Option<(&str, Option<i64>)> {
    if let Some(clock) = time.strip_suffix('Z') {
        return Some((clock, Some(0)));
    }
    match time.rfind(['+', '-']) {
        Some(i) => {
            let (clock, zone) = time.split_at(i);
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let b = zone.as_bytes();
            if b.len() != 6 || b.get(3) != Some(&b':') {
                return None;
            }
            let h: i64 = num(zone.get(1..3)?)?;
            let m: i64 = num(zone.get(4..6)?)?;
            (h <= 14 && m < 60).then_some((clock, Some(sign * (h * 3_600 + m * 60))))
        }
        None => Some((time, None)),
    }
}

/// Seconds into the day of `hh:mm[:ss[.fff…]]`.
fn clock_seconds(clock: &str) -> Option<i64> {
    let b = clock.as_bytes();
    if b.len() < 5 || b.get(2) != Some(&b':') {
        return None;
    }
    let h: i64 = num(clock.get(0..2)?)?;
    let m: i64 = num(clock.get(3..5)?)?;
    let s: i64 = match clock.get(5..) {
        Some("") => 0,
        Some(rest) => {
            let rest = rest.strip_prefix(':')?;
            let (whole, frac) = rest.split_once('.').unwrap_or((rest, "0"));
            if whole.len() != 2 || frac.is_empty() || !frac.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            num(whole)?
        }
        None => return None,
    };
    // 24:00:00 is not a FHIR time; a leap second (60) is.
    (h < 24 && m < 60 && s <= 60).then_some(h * 3_600 + m * 60 + s)
}

fn num(s: &str) -> Option<i64> {
    (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn st(s: &str) -> Stamp {
        Stamp::parse(s).unwrap_or_else(|| panic!("{s}"))
    }

    impl Stamp {
        fn certainly_after(&self, other: &Stamp) -> bool {
            self.lo > other.hi
        }
    }

    #[test]
    fn times_parse_to_their_local_date_and_span() {
        let a = st("2026-01-05T23:30:00-05:00");
        assert_eq!(a.local, FhirDate::Full(Date::parse("2026-01-05").unwrap()));
        assert_eq!(a.lo, a.hi);
        // 23:30 at -05:00 is 04:30 UTC the next day.
        assert_eq!(a.lo % DAY, 4 * 3_600 + 30 * 60);
        assert_eq!(st("2026-01-05T04:30:00Z").lo + DAY, a.lo);
        assert_eq!(
            st("2026-01-05T04:30:00.123+00:00").lo,
            st("2026-01-05T04:30:00Z").lo
        );
        for bad in [
            "2026-01-05T25:00:00Z",
            "2026-01-05T10:00:00+5",
            "2026-1-05",
            "2026-13",
            "20260105",
            "2026-01-05T",
            "2026-01-05T10:00:00.Z",
            "0000",
            "2026-02-30",
            "2026T10:00:00Z",
            "2026-1x",
            "x026-01",
            "2026-01-05T10:00:00+1400",
            "2026-01-05T10:00:00+15:00",
            "2026-01-05T10:00:00+05:60",
            "2026-01-05T1:00:00Z",
            "2026-01-05T10-00:00Z",
            "2026-01-05T10:60:00Z",
            "2026-01-05T10:00:5Z",
            "2026-01-05T10:00:00.1a2Z",
            "2026-01-05T10:00:61Z",
            "2026-01-05T10:00Z ",
        ] {
            assert!(Stamp::parse(bad).is_none(), "{bad}");
        }
        assert!(
            Stamp::parse(&"2026-01-05T10:00:00.".repeat(4)).is_none(),
            "over 64 characters"
        );
        // A leap second, fractions of any length, a time without seconds.
        assert!(Stamp::parse("2026-01-05T23:59:60Z").is_some());
        assert_eq!(
            st("2026-01-05T10:00:00.123456789Z").lo,
            st("2026-01-05T10:00Z").lo
        );
        assert_eq!(
            st("2026-01-05T10:00:00+14:00").lo + 14 * 3_600,
            st("2026-01-05T10:00Z").lo
        );
        assert_eq!(st("2026-01").local, FhirDate::Month(2026, 1));
        assert_eq!(st("2026").local, FhirDate::Year(2026));
        assert!(!st("2026-01-05").timed);
        assert!(st("2026-01-05T10:00").timed);
    }

    #[test]
    fn later_is_certain_only_when_the_spans_do_not_overlap() {
        let morning = st("2026-01-05T09:00:00Z");
        let evening = st("2026-01-05T21:00:00Z");
        let day = st("2026-01-05");
        assert!(evening.certainly_after(&morning));
        assert!(!morning.certainly_after(&evening));
        // A date alone overlaps every time of its day, and a day either side in some zone.
        assert!(!day.certainly_after(&morning));
        assert!(!evening.certainly_after(&day));
        assert!(st("2026-01-07").certainly_after(&evening));
        assert!(!st("2026-01-06").certainly_after(&evening));
        // A time without a zone may be any zone's.
        assert!(!st("2026-01-05T10:00:00").certainly_after(&morning));
        let d = Date::parse("2026-01-05").unwrap();
        assert!(FhirDate::Month(2026, 2).after(d));
        assert!(!FhirDate::Month(2026, 1).after(d));
        assert!(FhirDate::Month(2025, 12).on_or_before(d));
        assert!(!FhirDate::Year(2026).on_or_before(d));
        assert!(FhirDate::Year(2026).may_be_on_or_after(d));
    }
}
