-- Attempt limits shared by every app node on one database. Keep in step with
-- postgres/0016_rate_limits.sql.

-- On SQLite (one process) the counters stay in the process's memory and this table is not
-- used; it exists so that both dialects have the same schema. Were it used, it would hold
-- personal data (client IP addresses, account ids, typed e-mail addresses in `key`), which
-- the hourly housekeeping deletes once older than the longest limit window (an hour).
CREATE TABLE rate_limit_attempts (
    key TEXT NOT NULL,
    attempted_at INTEGER NOT NULL
);
CREATE INDEX rate_limit_attempts_key ON rate_limit_attempts (key, attempted_at);
CREATE INDEX rate_limit_attempts_at ON rate_limit_attempts (attempted_at);
