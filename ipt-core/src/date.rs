//! A calendar date (`YYYY-MM-DD`), validated: the engine has no clock, so every date comes in
//! with a request, and days between dates are differences of day numbers.

use std::fmt;

/// A calendar date, validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year (1-9999).
    pub year: i32,
    /// Month (1-12).
    pub month: u32,
    /// Day of the month.
    pub day: u32,
}

const fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

const fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// Parses `YYYY-MM-DD` (a real calendar date, year 0001-9999).
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = s.get(r)?;
            if !part.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let year = i32::try_from(num(0..4)?).ok()?;
        let month = num(5..7)?;
        let day = num(8..10)?;
        let ok =
            year >= 1 && (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month);
        ok.then_some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (negative before): differences of day numbers count days.
    pub fn day_number(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let m = i64::from(self.month);
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The same day `months` months earlier, clamped to the end of a shorter month.
    pub fn minus_months(self, months: u32) -> Date {
        let total = self.year * 12 + i32::try_from(self.month).unwrap_or(1)
            - 1
            - i32::try_from(months).unwrap_or(0);
        let year = total.div_euclid(12);
        let month = u32::try_from(total.rem_euclid(12)).unwrap_or(0) + 1;
        let day = self.day.min(days_in_month(year, month));
        Date { year, month, day }
    }

    /// The date `days` days later (earlier when negative).
    pub fn plus_days(self, days: i64) -> Date {
        Date::from_day_number(self.day_number() + days)
    }

    /// The date of a day number (days since 1970-01-01), clamped to years 1-9999.
    pub fn from_day_number(n: i64) -> Date {
        // Howard Hinnant's civil_from_days.
        let min = Date {
            year: 1,
            month: 1,
            day: 1,
        }
        .day_number();
        let max = Date {
            year: 9999,
            month: 12,
            day: 31,
        }
        .day_number();
        let z = n.clamp(min, max) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date {
            year: i32::try_from(year).unwrap_or(1),
            month: u32::try_from(month).unwrap_or(1),
            day: u32::try_from(day).unwrap_or(1),
        }
    }
}

impl fmt::Display for Date {
    /// `YYYY-MM-DD`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn day_numbers_round_trip_and_dates_display_as_written() {
        for text in [
            "0001-01-01",
            "1970-01-01",
            "2000-02-29",
            "2024-12-31",
            "9999-12-31",
        ] {
            let d = Date::parse(text).unwrap_or_else(|| panic!("{text}"));
            assert_eq!(Date::from_day_number(d.day_number()), d);
            assert_eq!(d.to_string(), text);
        }
        let d = Date::parse("2026-01-05").unwrap_or_else(|| panic!());
        assert_eq!(d.plus_days(-90).to_string(), "2025-10-07");
        assert_eq!(d.plus_days(27).to_string(), "2026-02-01");
    }
}
