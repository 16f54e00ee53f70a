-- Accounts: local passwords, sessions, one-time links, consents, teacher profile fields.
-- Keep in step with postgres/0002_accounts.sql.

-- NULL for accounts that sign in only through an identity provider.
ALTER TABLE users ADD COLUMN password_hash TEXT;
-- T1 teacher profile (optional).
ALTER TABLE users ADD COLUMN role_at_school TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN pupil_age_range TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN description TEXT NOT NULL DEFAULT '';
-- S1 optional links.
ALTER TABLE users ADD COLUMN website TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN facebook_url TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN twitter_url TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN linkedin_url TEXT NOT NULL DEFAULT '';

-- T1: subjects taught and communication languages, one row per value.
CREATE TABLE user_subjects (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    PRIMARY KEY (user_id, subject)
);
CREATE TABLE user_languages (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    PRIMARY KEY (user_id, language)
);

-- Sessions are looked up by the SHA-256 of the cookie value; the value itself is never stored.
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Single-use, expiring links (e-mail verification, password reset, e-mail change),
-- stored hashed like sessions.
CREATE TABLE one_time_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'change_email')),
    new_email TEXT,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX one_time_tokens_user ON one_time_tokens (user_id);

-- Every consent given or withdrawn (S9/T5 newsletter, public display), with its time.
CREATE TABLE consents (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('newsletter')),
    granted INTEGER NOT NULL CHECK (granted IN (0, 1)),
    at INTEGER NOT NULL
);
CREATE INDEX consents_user ON consents (user_id, kind, at);
