//! The server's clock: the engine has none, so the date of an assessment, token times and
//! the store's timestamps come from here.

use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// Milliseconds since the Unix epoch (the audit trail's receipt times).
pub fn now_ms() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// Reads `+HH:MM` / `-HH:MM`.
pub fn parse_offset(text: &str) -> Result<UtcOffset, String> {
    let format = time::macros::format_description!("[offset_hour sign:mandatory]:[offset_minute]");
    UtcOffset::parse(text, &format).map_err(|_| format!("`{text}` is not an offset like +01:00"))
}

/// Today's date (`YYYY-MM-DD`) at `offset` from UTC.
pub fn today(offset: UtcOffset) -> String {
    let d = OffsetDateTime::now_utc().to_offset(offset).date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Unix seconds as an RFC 3339 timestamp in UTC.
pub fn rfc3339(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

/// Unix milliseconds as an RFC 3339 timestamp in UTC, with its milliseconds
/// (`2026-01-05T10:00:00.250Z`).
pub fn rfc3339_ms(unix_ms: i64) -> String {
    let nanos = i128::from(unix_ms) * 1_000_000;
    let Ok(t) = OffsetDateTime::from_unix_timestamp_nanos(nanos) else {
        return String::new();
    };
    let d = t.date();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        d.year(),
        u8::from(d.month()),
        d.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// Whether `text` is an RFC 3339 date-time (section 5.6) in UTC, as CDS Hooks asks of
/// `outcomeTimestamp` (`1985-04-12T23:20:50.52Z`; `+00:00` is UTC too).
pub fn is_utc_timestamp(text: &str) -> bool {
    OffsetDateTime::parse(text, &Rfc3339).is_ok_and(|t| t.offset().is_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_in_utc() {
        assert!(is_utc_timestamp("1985-04-12T23:20:50.52Z"));
        assert!(is_utc_timestamp("2021-12-11T10:05:31Z"));
        assert!(is_utc_timestamp("2021-12-11T10:05:31+00:00"));
        assert!(!is_utc_timestamp("2021-12-11T10:05:31+01:00"));
        assert!(!is_utc_timestamp("2021-12-11"));
        assert!(!is_utc_timestamp("2021-13-11T10:05:31Z"));
        assert!(!is_utc_timestamp("yesterday"));
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_ms(1_767_607_200_250), "2026-01-05T10:00:00.250Z");
        assert!(is_utc_timestamp(&rfc3339_ms(now_ms())));
    }

    #[test]
    fn offsets_and_dates() {
        assert!(parse_offset("+00:00").is_ok());
        assert!(parse_offset("-05:30").is_ok());
        assert!(parse_offset("5").is_err());
        let d = today(UtcOffset::UTC);
        assert_eq!(d.len(), 10);
        assert_eq!(&d[4..5], "-");
    }
}
