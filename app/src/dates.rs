//! Calendar days in UTC (`YYYY-MM-DD`, proleptic Gregorian): one implementation for the
//! server's clock, the pages and the exports.

pub const DAY_MS: i64 = 86_400_000;

/// The UTC calendar day (`YYYY-MM-DD`) of a time in milliseconds.
pub fn day_of(ms: i64) -> String {
    let z = ms.div_euclid(DAY_MS) + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Midnight UTC of a `YYYY-MM-DD` day, in milliseconds; `None` unless a real date.
pub fn parse_day(s: &str) -> Option<i64> {
    let mut parts = s.trim().splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if !(1..=9999).contains(&y) || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let ms = days_from_civil(y, m, d) * DAY_MS;
    // 2026-02-31 becomes 2026-03-03: not a date.
    (day_of(ms) == format!("{y:04}-{m:02}-{d:02}")).then_some(ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip() {
        assert_eq!(day_of(0), "1970-01-01");
        assert_eq!(parse_day("1970-01-02"), Some(DAY_MS));
        for day in ["2024-02-29", "2026-12-31", "2000-03-01", "1999-12-31"] {
            assert_eq!(day_of(parse_day(day).unwrap()), day);
            assert_eq!(day_of(parse_day(day).unwrap() + DAY_MS - 1), day);
        }
        for bad in ["2026-02-29", "2026-13-01", "x", "", "2026-1", "2026-04-31"] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_of_times() {
        assert_eq!(day_of(0), "1970-01-01");
        assert_eq!(day_of(86_399_999), "1970-01-01");
        assert_eq!(day_of(951_782_400_000), "2000-02-29");
        assert_eq!(day_of(1_709_164_800_000), "2024-02-29");
        assert_eq!(day_of(1_735_689_599_000), "2024-12-31");
        assert_eq!(day_of(-1), "1969-12-31");
    }
}
