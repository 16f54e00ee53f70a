use std::sync::{
    Arc,
    atomic::{AtomicI64, Ordering},
};

/// Time as the platform sees it, in milliseconds since the Unix epoch. Tests move it
/// forward to exercise retention rules without waiting a year.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    pub fn now_ms(&self) -> i64 {
        let real = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        real + self.offset_ms.load(Ordering::Relaxed)
    }

    /// Today's calendar date in UTC as `YYYY-MM-DD` (see [`date_of_ms`]).
    pub fn today(&self) -> String {
        date_of_ms(self.now_ms())
    }

    /// Moves this clock (and every clone of it) forward.
    pub fn advance(&self, by: std::time::Duration) {
        self.offset_ms.fetch_add(by.as_millis() as i64, Ordering::Relaxed);
    }
}

pub use crate::dates::day_of as date_of_ms;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_of_times() {
        assert_eq!(date_of_ms(0), "1970-01-01");
        assert_eq!(date_of_ms(86_399_999), "1970-01-01");
        assert_eq!(date_of_ms(951_782_400_000), "2000-02-29");
        assert_eq!(date_of_ms(1_709_164_800_000), "2024-02-29");
        assert_eq!(date_of_ms(1_735_689_599_000), "2024-12-31");
        assert_eq!(date_of_ms(-1), "1969-12-31");
    }

    #[test]
    fn advancing_moves_every_clone() {
        let c = Clock::system();
        let c2 = c.clone();
        let before = c2.now_ms();
        c.advance(std::time::Duration::from_secs(86_400));
        assert!(c2.now_ms() - before >= 86_400_000);
    }
}
