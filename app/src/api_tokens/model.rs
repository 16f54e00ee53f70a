//! API tokens on the wire: what the admin page shows (never a secret, except once).
use serde::{Deserialize, Serialize};

/// One token as the admin page lists it. Times are milliseconds since the epoch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenRow {
    pub id: i64,
    pub name: String,
    /// The secret's first characters, to tell tokens apart.
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// The data of `/organisations/{slug}/api-tokens`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiTokenList {
    pub slug: String,
    pub org_name: String,
    pub tokens: Vec<ApiTokenRow>,
    /// The secret of the token created just before, on the one page view after it is
    /// created; never again.
    pub new_secret: Option<String>,
}

/// The longest token name.
pub const NAME_MAX: usize = 100;

/// A time as `YYYY-MM-DD HH:MM` in UTC (the page says "UTC"): tokens are used by machines,
/// in no particular time zone.
pub fn utc_minute(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Days since 1970-01-01 to a civil date (proleptic Gregorian), by 400-year eras.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::utc_minute;

    #[test]
    fn times_in_utc() {
        assert_eq!(utc_minute(0), "1970-01-01 00:00");
        assert_eq!(utc_minute(951_782_400_000), "2000-02-29 00:00");
        assert_eq!(utc_minute(1_798_761_599_000), "2026-12-31 23:59");
        assert_eq!(utc_minute(1_709_210_096_000), "2024-02-29 12:34");
    }
}
