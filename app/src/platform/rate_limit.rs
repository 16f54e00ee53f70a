//! Attempt counters for sign-in, registration, password reset, comments, the API (per IP,
//! per account, per token), in a sliding window.
//!
//! Two backends, chosen by the database: with SQLite (one process) the counters live in the
//! process's memory, and a restart forgets them. With PostgreSQL, where several app nodes
//! may share the database, they live in the `rate_limit_attempts` table, so every node sees
//! every attempt and all of them together allow one budget (see docs/ARCHITECTURE.md).
//! Keys hold client addresses and account ids (personal data): rows older than
//! [`LONGEST_WINDOW_MS`] are deleted by the hourly housekeeping ([`purge`]).
use super::db::{Db, Dialect};
use sha2::{Digest, Sha256};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

/// No rule looks further back than this; older attempts are of no use and are deleted.
pub const LONGEST_WINDOW_MS: i64 = 60 * 60_000;

/// At most `max` attempts in any `window_ms`.
#[derive(Clone, Copy, Debug)]
pub struct Rule {
    pub max: usize,
    pub window_ms: i64,
}

impl Rule {
    /// At most `max` attempts in any `minutes` (at most an hour: [`LONGEST_WINDOW_MS`]).
    pub const fn per_minutes(max: usize, minutes: i64) -> Self {
        assert!(
            minutes > 0 && minutes * 60_000 <= LONGEST_WINDOW_MS,
            "rate limit windows are at most an hour"
        );
        Rule {
            max,
            window_ms: minutes * 60_000,
        }
    }
}

/// Why an attempt was not allowed.
#[derive(Debug, thiserror::Error)]
pub enum Limited {
    /// Too many attempts: the whole seconds until the next is allowed (at least 1).
    #[error("too many attempts, try again in {0} s")]
    Wait(u64),
    /// The shared counters could not be read or written.
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<Limited> for crate::error::AppError {
    fn from(e: Limited) -> Self {
        match e {
            Limited::Wait(secs) => crate::error::AppError::TooManyAttempts(secs),
            Limited::Db(e) => e.into(),
        }
    }
}

#[derive(Clone)]
enum Backend {
    Memory(Memory),
    Database(Db),
}

#[derive(Clone)]
pub struct RateLimiter {
    backend: Backend,
}

impl Default for RateLimiter {
    /// In memory.
    fn default() -> Self {
        RateLimiter::memory()
    }
}

impl RateLimiter {
    /// Counters in this process's memory.
    pub fn memory() -> Self {
        RateLimiter {
            backend: Backend::Memory(Memory::default()),
        }
    }

    /// Counters in the `rate_limit_attempts` table of a PostgreSQL database, shared by
    /// every process using it.
    pub fn shared(db: Db) -> Self {
        RateLimiter {
            backend: Backend::Database(db),
        }
    }

    /// The backend for a platform on `db`: shared on PostgreSQL, in memory on SQLite.
    pub fn for_db(db: &Db) -> Self {
        match db.dialect {
            Dialect::Postgres => RateLimiter::shared(db.clone()),
            Dialect::Sqlite => RateLimiter::memory(),
        }
    }

    /// Whether the counters are shared through the database.
    pub fn is_shared(&self) -> bool {
        matches!(self.backend, Backend::Database(_))
    }

    /// Records an attempt under `key` if the rule allows it; otherwise says how long to
    /// wait. A refused attempt is not recorded, so waiting the time it says always works.
    pub async fn hit(&self, key: &str, rule: Rule, now_ms: i64) -> Result<(), Limited> {
        self.hit_all(&[(key, rule)], now_ms).await
    }

    /// Checks several rules at once: all must allow, and only then is the attempt recorded
    /// under each (so a refusal by the IP rule does not use up the account's allowance).
    pub async fn hit_all(&self, checks: &[(&str, Rule)], now_ms: i64) -> Result<(), Limited> {
        match &self.backend {
            Backend::Memory(m) => m.hit_all(checks, now_ms).map_err(Limited::Wait),
            Backend::Database(db) => db_hit_all(db, checks, now_ms).await,
        }
    }

    /// Forgets the attempts under `key` (a successful sign-in clears the account's count).
    pub async fn clear(&self, key: &str) -> Result<(), sqlx::Error> {
        match &self.backend {
            Backend::Memory(m) => m.clear(key),
            Backend::Database(db) => {
                sqlx::query("DELETE FROM rate_limit_attempts WHERE key = $1")
                    .bind(key)
                    .execute(&db.pool)
                    .await?;
            }
        }
        Ok(())
    }
}

/// Deletes the shared attempts older than [`LONGEST_WINDOW_MS`] (nothing to do on SQLite,
/// whose counters are in memory). Returns how many rows went.
pub async fn purge(db: &Db, now_ms: i64) -> Result<u64, sqlx::Error> {
    if db.dialect != Dialect::Postgres {
        return Ok(0);
    }
    let gone = sqlx::query("DELETE FROM rate_limit_attempts WHERE attempted_at <= $1")
        .bind(now_ms - LONGEST_WINDOW_MS)
        .execute(&db.pool)
        .await?;
    Ok(gone.rows_affected())
}

/// The advisory lock of a key: (class, 32 bits of the key's SHA-256). The two-number form of
/// PostgreSQL's advisory locks does not meet the one-number lock the migrator takes.
fn lock_of(key: &str) -> i32 {
    let digest = Sha256::digest(key.as_bytes());
    i32::from_be_bytes([digest[0], digest[1], digest[2], digest[3]])
}
const LOCK_CLASS: i32 = 0x5241_5445; // "RATE"

/// Check and record in one transaction that holds each key's advisory lock, so two nodes
/// cannot both see the last free attempt. Locks are taken in one order (by lock number),
/// so two requests sharing keys cannot deadlock.
async fn db_hit_all(db: &Db, checks: &[(&str, Rule)], now_ms: i64) -> Result<(), Limited> {
    let mut locks: Vec<i32> = checks.iter().map(|(key, _)| lock_of(key)).collect();
    locks.sort_unstable();
    locks.dedup();
    let mut tx = db.pool.begin().await?;
    for lock in locks {
        sqlx::query("SELECT pg_advisory_xact_lock($1, $2)")
            .bind(LOCK_CLASS)
            .bind(lock)
            .execute(&mut *tx)
            .await?;
    }
    let mut wait: Option<u64> = None;
    for (key, rule) in checks {
        let since = now_ms - rule.window_ms;
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM rate_limit_attempts WHERE key = $1 AND attempted_at > $2",
        )
        .bind(*key)
        .bind(since)
        .fetch_one(&mut *tx)
        .await?;
        if count >= rule.max as i64 {
            // The attempt that must age out first: the max-th newest in the window.
            let oldest: Option<i64> = sqlx::query_scalar(
                "SELECT attempted_at FROM rate_limit_attempts WHERE key = $1 AND attempted_at > $2 \
                 ORDER BY attempted_at DESC LIMIT 1 OFFSET $3",
            )
            .bind(*key)
            .bind(since)
            .bind(rule.max.saturating_sub(1) as i64)
            .fetch_optional(&mut *tx)
            .await?;
            let secs = wait_secs(oldest.unwrap_or(now_ms), *rule, now_ms);
            wait = Some(wait.map_or(secs, |w| w.max(secs)));
        }
    }
    if let Some(secs) = wait {
        // Nothing was written; the rollback only releases the locks.
        tx.rollback().await?;
        return Err(Limited::Wait(secs));
    }
    for (key, _) in checks {
        sqlx::query("INSERT INTO rate_limit_attempts (key, attempted_at) VALUES ($1, $2)")
            .bind(*key)
            .bind(now_ms)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Whole seconds until the attempt at `oldest` leaves the window (at least 1).
fn wait_secs(oldest: i64, rule: Rule, now_ms: i64) -> u64 {
    let wait_ms = (oldest + rule.window_ms - now_ms).max(1);
    ((wait_ms + 999) / 1000) as u64
}

/// The counters of one process.
#[derive(Clone, Default)]
struct Memory {
    attempts: Arc<Mutex<HashMap<String, Vec<i64>>>>,
}

/// Above this many keys, stale ones are dropped on the next hit.
const PRUNE_ABOVE: usize = 10_000;

impl Memory {
    fn hit(&self, key: &str, rule: Rule, now_ms: i64) -> Result<(), u64> {
        let mut map = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > PRUNE_ABOVE {
            map.retain(|_, times| times.last().is_some_and(|t| now_ms - t < LONGEST_WINDOW_MS));
        }
        let times = map.entry(key.to_string()).or_default();
        times.retain(|t| now_ms - t < rule.window_ms);
        if times.len() >= rule.max {
            return Err(wait_secs(times[times.len() - rule.max], rule, now_ms));
        }
        times.push(now_ms);
        Ok(())
    }

    fn hit_all(&self, checks: &[(&str, Rule)], now_ms: i64) -> Result<(), u64> {
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
        (times.len() >= rule.max).then(|| wait_secs(times[times.len() - rule.max], rule, now_ms))
    }

    fn clear(&self, key: &str) {
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

    fn waits(r: Result<(), Limited>) -> Option<u64> {
        match r {
            Ok(()) => None,
            Err(Limited::Wait(s)) => Some(s),
            Err(e) => panic!("{e}"),
        }
    }

    #[tokio::test]
    async fn allows_up_to_max_then_says_how_long_to_wait() {
        let l = RateLimiter::memory();
        for i in 0..3 {
            assert_eq!(waits(l.hit("k", RULE, 1_000 + i).await), None);
        }
        assert_eq!(waits(l.hit("k", RULE, 31_000).await), Some(30));
        // The window slides: the first attempt ages out after 60 s.
        assert_eq!(waits(l.hit("k", RULE, 61_000).await), None);
        assert_eq!(waits(l.hit("other", RULE, 61_000).await), None);
    }

    #[tokio::test]
    async fn refused_attempts_do_not_extend_the_wait() {
        let l = RateLimiter::memory();
        for _ in 0..3 {
            l.hit("k", RULE, 0).await.unwrap();
        }
        for t in [10_000, 20_000, 59_000] {
            assert!(waits(l.hit("k", RULE, t).await).is_some());
        }
        assert_eq!(waits(l.hit("k", RULE, 60_000).await), None);
    }

    #[tokio::test]
    async fn hit_all_records_only_when_every_rule_allows() {
        let l = RateLimiter::memory();
        let tight = Rule {
            max: 1,
            window_ms: 10_000,
        };
        l.hit_all(&[("ip", tight), ("acct", RULE)], 0).await.unwrap();
        assert_eq!(
            waits(l.hit_all(&[("ip", tight), ("acct", RULE)], 1_000).await),
            Some(9)
        );
        // The account rule was not charged for the refused attempt: 2 left.
        l.hit("acct", RULE, 2_000).await.unwrap();
        l.hit("acct", RULE, 2_000).await.unwrap();
        assert!(waits(l.hit("acct", RULE, 2_000).await).is_some());
    }

    #[tokio::test]
    async fn clear_forgets() {
        let l = RateLimiter::memory();
        for _ in 0..3 {
            l.hit("k", RULE, 0).await.unwrap();
        }
        l.clear("k").await.unwrap();
        assert_eq!(waits(l.hit("k", RULE, 0).await), None);
    }

    #[test]
    fn lock_numbers_are_stable_across_processes() {
        // SHA-256, not a per-process hasher: every node takes the same lock for a key.
        assert_eq!(lock_of("signin:ip:192.0.2.1"), 1_229_780_970);
        assert_ne!(lock_of("signin:ip:192.0.2.1"), lock_of("signin:ip:192.0.2.2"));
    }
}
