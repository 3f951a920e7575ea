//! Wall-clock timestamps in ISO-8601 UTC, without a date library.

use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch.
pub fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// `YYYY-MM-DDTHH:MM:SSZ` for a time in milliseconds since the epoch.
pub fn iso_seconds(millis: u64) -> String {
    let (date, secs_of_day) = split(millis);
    format!("{date}T{}Z", hms(secs_of_day))
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` for a time in milliseconds since the epoch.
pub fn iso_millis(millis: u64) -> String {
    let (date, secs_of_day) = split(millis);
    format!("{date}T{}.{:03}Z", hms(secs_of_day), millis % 1000)
}

fn hms(secs: u64) -> String {
    format!(
        "{:02}:{:02}:{:02}",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

/// The civil date (proleptic Gregorian) and the seconds into that day.
fn split(millis: u64) -> (String, u64) {
    let secs = millis / 1000;
    let days = (secs / 86_400) as i64;
    // Days-from-civil inverse (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (format!("{year:04}-{month:02}-{day:02}"), secs % 86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(iso_seconds(0), "1970-01-01T00:00:00Z");
        // 2026-05-15T14:32:00Z
        assert_eq!(iso_seconds(1_778_855_520_000), "2026-05-15T14:32:00Z");
        assert_eq!(iso_millis(951_782_400_123), "2000-02-29T00:00:00.123Z");
    }
}
