//! Times are stored in UTC and shown in the site's time zone, whatever the server's own zone is.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The zone a Chinese portal shows its times in unless configured otherwise.
pub const DEFAULT_TIME_ZONE: Tz = chrono_tz::Asia::Shanghai;

/// `2020年12月29日 11:06`, in `tz`.
pub fn format_datetime(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz)
        .format("%Y年%-m月%-d日 %H:%M")
        .to_string()
}

/// `2020年12月29日`, in `tz`.
pub fn format_date(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%Y年%-m月%-d日").to_string()
}

/// `2020-12-29`, in `tz`: the compact form used in lists.
pub fn format_short_date(at: DateTime<Utc>, tz: Tz) -> String {
    at.with_timezone(&tz).format("%Y-%m-%d").to_string()
}

/// Parses a local wall-clock time such as `2020-12-29 11:06` in `tz` into UTC.
/// Ambiguous or skipped local times (DST changes) resolve to the earliest valid instant.
pub fn parse_local(text: &str, tz: Tz) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M").ok()?;
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// Parses an IANA zone name, e.g. `Asia/Shanghai`.
pub fn parse_time_zone(name: &str) -> Option<Tz> {
    name.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_the_site_zone_not_utc() {
        // 03:06 UTC is 11:06 in Beijing.
        let at = Utc.with_ymd_and_hms(2020, 12, 29, 3, 6, 0).unwrap();
        assert_eq!(
            format_datetime(at, DEFAULT_TIME_ZONE),
            "2020年12月29日 11:06"
        );
        assert_eq!(format_date(at, DEFAULT_TIME_ZONE), "2020年12月29日");
        assert_eq!(format_short_date(at, DEFAULT_TIME_ZONE), "2020-12-29");
    }

    #[test]
    fn crosses_the_date_line_correctly() {
        // 20:30 UTC on the 31st is already New Year's morning in Beijing.
        let at = Utc.with_ymd_and_hms(2024, 12, 31, 20, 30, 0).unwrap();
        assert_eq!(format_datetime(at, DEFAULT_TIME_ZONE), "2025年1月1日 04:30");
        let utc = parse_time_zone("UTC").unwrap();
        assert_eq!(format_datetime(at, utc), "2024年12月31日 20:30");
    }

    #[test]
    fn pads_the_clock_but_not_the_date() {
        let at = Utc.with_ymd_and_hms(2021, 3, 4, 22, 5, 0).unwrap();
        assert_eq!(format_datetime(at, DEFAULT_TIME_ZONE), "2021年3月5日 06:05");
    }

    #[test]
    fn parses_local_time_back_to_utc() {
        let at = parse_local("2020-12-29 11:06", DEFAULT_TIME_ZONE).unwrap();
        assert_eq!(at, Utc.with_ymd_and_hms(2020, 12, 29, 3, 6, 0).unwrap());
        assert!(parse_local("2020-13-29 11:06", DEFAULT_TIME_ZONE).is_none());
        assert!(parse_local("昨天", DEFAULT_TIME_ZONE).is_none());
    }

    #[test]
    fn rejects_unknown_zones() {
        assert!(parse_time_zone("Mars/Olympus").is_none());
        assert_eq!(parse_time_zone(" Asia/Shanghai "), Some(DEFAULT_TIME_ZONE));
    }
}
