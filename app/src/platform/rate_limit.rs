//! Attempt counters for sign-in, registration and password reset (per IP and per account).
//! In memory: a restart forgets them, and each server process counts on its own — enough
//! to stop guessing at speed; see docs/ARCHITECTURE.md for running several processes.
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

/// At most `max` attempts in any `window_ms`.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    pub max: usize,
    pub window_ms: i64,
}

impl Rule {
    pub const fn per_minutes(max: usize, minutes: i64) -> Self {
        Rule {
            max,
            window_ms: minutes * 60_000,
        }
    }
}

#[derive(Clone, Default)]
pub struct RateLimiter {
    attempts: Arc<Mutex<HashMap<String, Vec<i64>>>>,
}

/// Above this many keys, stale ones are dropped on the next hit.
const PRUNE_ABOVE: usize = 10_000;

impl RateLimiter {
    /// Records an attempt under `key` if the rule allows it; otherwise returns the whole
    /// seconds until the next attempt is allowed (at least 1). A refused attempt is not
    /// recorded, so waiting the time it says always works.
    pub fn hit(&self, key: &str, rule: Rule, now_ms: i64) -> Result<(), u64> {
        let mut map = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > PRUNE_ABOVE {
            map.retain(|_, times| times.last().is_some_and(|t| now_ms - t < 24 * 3_600_000));
        }
        let times = map.entry(key.to_string()).or_default();
        times.retain(|t| now_ms - t < rule.window_ms);
        if times.len() >= rule.max {
            let oldest = times[times.len() - rule.max];
            let wait_ms = (oldest + rule.window_ms - now_ms).max(1);
            return Err(((wait_ms + 999) / 1000) as u64);
        }
        times.push(now_ms);
        Ok(())
    }

    /// Checks several rules at once: all must allow, and only then is the attempt recorded
    /// under each (so a refusal by the IP rule does not use up the account's allowance).
    pub fn hit_all(&self, checks: &[(&str, Rule)], now_ms: i64) -> Result<(), u64> {
        let wait = checks
            .iter()
            .filter_map(|(key, rule)| self.wait_for(key, *rule, now_ms))
            .max();
        if let Some(wait) = wait {
            return Err(wait);
        }
        for (key, rule) in checks {
            let _ = self.hit(key, *rule, now_ms);
        }
        Ok(())
    }

    fn wait_for(&self, key: &str, rule: Rule, now_ms: i64) -> Option<u64> {
        let map = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        let times: Vec<i64> = map
            .get(key)?
            .iter()
            .copied()
            .filter(|t| now_ms - t < rule.window_ms)
            .collect();
        (times.len() >= rule.max).then(|| {
            let oldest = times[times.len() - rule.max];
            (((oldest + rule.window_ms - now_ms).max(1) + 999) / 1000) as u64
        })
    }

    /// Forgets the attempts under `key` (a successful sign-in clears the account's count).
    pub fn clear(&self, key: &str) {
        self.attempts
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULE: Rule = Rule {
        max: 3,
        window_ms: 60_000,
    };

    #[test]
    fn allows_up_to_max_then_says_how_long_to_wait() {
        let l = RateLimiter::default();
        for i in 0..3 {
            assert_eq!(l.hit("k", RULE, 1_000 + i), Ok(()));
        }
        assert_eq!(l.hit("k", RULE, 31_000), Err(30));
        // The window slides: the first attempt ages out after 60 s.
        assert_eq!(l.hit("k", RULE, 61_000), Ok(()));
        assert_eq!(l.hit("other", RULE, 61_000), Ok(()));
    }

    #[test]
    fn refused_attempts_do_not_extend_the_wait() {
        let l = RateLimiter::default();
        for _ in 0..3 {
            l.hit("k", RULE, 0).unwrap();
        }
        for t in [10_000, 20_000, 59_000] {
            assert!(l.hit("k", RULE, t).is_err());
        }
        assert_eq!(l.hit("k", RULE, 60_000), Ok(()));
    }

    #[test]
    fn hit_all_records_only_when_every_rule_allows() {
        let l = RateLimiter::default();
        let tight = Rule {
            max: 1,
            window_ms: 10_000,
        };
        l.hit_all(&[("ip", tight), ("acct", RULE)], 0).unwrap();
        assert_eq!(l.hit_all(&[("ip", tight), ("acct", RULE)], 1_000), Err(9));
        // The account rule was not charged for the refused attempt: 2 left.
        l.hit("acct", RULE, 2_000).unwrap();
        l.hit("acct", RULE, 2_000).unwrap();
        assert!(l.hit("acct", RULE, 2_000).is_err());
    }

    #[test]
    fn clear_forgets() {
        let l = RateLimiter::default();
        for _ in 0..3 {
            l.hit("k", RULE, 0).unwrap();
        }
        l.clear("k");
        assert_eq!(l.hit("k", RULE, 0), Ok(()));
    }
}
