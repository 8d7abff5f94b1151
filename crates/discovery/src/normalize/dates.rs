//! Dates as boards write them: RFC 3339 (with or without an offset), ISO dates, RFC 2822 (RSS),
//! `YYYY-MM-DD HH:MM:SS UTC` (Recruitee), and epoch seconds or milliseconds (Lever, Remote OK).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

/// Epoch values at or above this are milliseconds: as seconds it would be the year 5138, as
/// milliseconds it is 1973.
const MILLIS_FROM: i64 = 100_000_000_000;

/// A board's date, in UTC, or `None` when it is not one of the known forms. A date without a
/// time is midnight UTC; a time without an offset is taken as UTC.
pub fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let t = text.trim();
    if t.is_empty() || t.len() > 64 {
        return None;
    }
    if t.bytes().all(|b| b.is_ascii_digit()) {
        return epoch(t);
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Some(d.with_timezone(&Utc));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(t) {
        return Some(d.with_timezone(&Utc));
    }
    // "2024-05-01 10:00:00+02:00" and other offsets RFC 3339 does not accept.
    for f in ["%Y-%m-%d %H:%M:%S%.f%#z", "%Y-%m-%dT%H:%M:%S%.f%#z", "%Y-%m-%d %H:%M:%S%.f %#z"] {
        if let Ok(d) = DateTime::parse_from_str(t, f) {
            return Some(d.with_timezone(&Utc));
        }
    }
    let naive = strip_utc_suffix(t);
    for f in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"] {
        if let Ok(d) = NaiveDateTime::parse_from_str(naive, f) {
            return Some(d.and_utc());
        }
    }
    NaiveDate::parse_from_str(naive, "%Y-%m-%d").ok().and_then(|d| d.and_hms_opt(0, 0, 0)).map(|d| d.and_utc())
}

fn epoch(digits: &str) -> Option<DateTime<Utc>> {
    let n: i64 = digits.parse().ok()?;
    if n >= MILLIS_FROM {
        DateTime::from_timestamp_millis(n)
    } else {
        DateTime::from_timestamp(n, 0)
    }
}

fn strip_utc_suffix(t: &str) -> &str {
    for suffix in [" UTC", " GMT", "Z", "z", " Z"] {
        if let Some(rest) = t.strip_suffix(suffix) {
            return rest.trim_end();
        }
    }
    t
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use chrono::{SecondsFormat, TimeZone};
    use proptest::prelude::*;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Option<DateTime<Utc>> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).single()
    }

    #[test]
    fn board_formats() {
        let cases = [
            ("2026-07-14T18:35:00-04:00", utc(2026, 7, 14, 22, 35, 0)),
            ("2024-03-01T09:30:00Z", utc(2024, 3, 1, 9, 30, 0)),
            ("2024-03-01T09:30:00.123Z", Utc.timestamp_millis_opt(1_709_285_400_123).single()),
            ("2024-03-01", utc(2024, 3, 1, 0, 0, 0)),
            ("2023-07-25 17:53:46 UTC", utc(2023, 7, 25, 17, 53, 46)),
            ("2024-02-07T17:06:49", utc(2024, 2, 7, 17, 6, 49)),
            ("Mon, 06 May 2024 10:00:00 +0000", utc(2024, 5, 6, 10, 0, 0)),
            ("Tue, 07 May 2024 10:00:00 GMT", utc(2024, 5, 7, 10, 0, 0)),
            ("2024-05-01 10:00:00+02:00", utc(2024, 5, 1, 8, 0, 0)),
            ("1700000000", utc(2023, 11, 14, 22, 13, 20)),
            ("1700000000000", utc(2023, 11, 14, 22, 13, 20)),
            (" 2024-03-01 ", utc(2024, 3, 1, 0, 0, 0)),
        ];
        for (text, want) in cases {
            assert_eq!(parse_date(text), want, "{text}");
        }
    }

    #[test]
    fn not_dates() {
        for t in ["", "soon", "2024-13-01", "2024-02-30", "99999999999999999999999", "yesterday 10:00", "ASAP"] {
            assert_eq!(parse_date(t), None, "{t}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(text in "\\PC{0,80}") {
            let _ = parse_date(&text);
        }

        #[test]
        fn never_panics_on_date_like_text(text in "[0-9]{1,20}|[0-9:TZ .+-]{0,30}") {
            let _ = parse_date(&text);
        }

        #[test]
        fn rfc3339_round_trips(secs in 0i64..4_102_444_800, nanos in 0u32..1_000_000_000, millis: bool) {
            let nanos = if millis { nanos / 1_000_000 * 1_000_000 } else { nanos };
            let t = DateTime::from_timestamp(secs, nanos).unwrap();
            prop_assert_eq!(parse_date(&t.to_rfc3339()), Some(t));
            prop_assert_eq!(parse_date(&t.to_rfc3339_opts(SecondsFormat::AutoSi, true)), Some(t));
        }

        #[test]
        fn epochs_by_magnitude(secs in 100_000_000i64..4_102_444_800, ms in 0i64..1000) {
            let t = DateTime::from_timestamp(secs, 0).unwrap();
            prop_assert_eq!(parse_date(&secs.to_string()), Some(t));
            let with_ms = DateTime::from_timestamp_millis(secs * 1000 + ms).unwrap();
            prop_assert_eq!(parse_date(&(secs * 1000 + ms).to_string()), Some(with_ms));
        }
    }
}
