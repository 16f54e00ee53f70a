-- Attempt limits shared by every app node on one database (sign-in, registration, links,
-- comments, the API; `app::platform::rate_limit`). Keep in step with
-- sqlite/0016_rate_limits.sql.

-- One row per allowed attempt. `key` names what is counted and holds personal data: client
-- IP addresses (`signin:ip:…`), account ids (`link:user:…`), and e-mail addresses as typed
-- into the sign-in, registration and reset forms (`signin:acct:…`). Rows are needed only
-- while they are inside a limit's window (an hour at most): the hourly housekeeping
-- (`server/src/housekeeping.rs`, also `agora housekeeping`) deletes every row older than
-- that, and a successful sign-in deletes its account's rows at once. Nothing but the limits
-- reads them.
CREATE TABLE rate_limit_attempts (
    key TEXT NOT NULL,
    attempted_at BIGINT NOT NULL
);
-- Counting a key's attempts in its window, and the housekeeping's deletion, use the index.
CREATE INDEX rate_limit_attempts_key ON rate_limit_attempts (key, attempted_at);
CREATE INDEX rate_limit_attempts_at ON rate_limit_attempts (attempted_at);
