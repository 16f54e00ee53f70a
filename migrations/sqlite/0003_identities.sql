-- Sign-in with other accounts (S6): identities at identity providers linked to users,
-- and the short-lived state of sign-ins in progress.
-- Keep in step with postgres/0003_identities.sql.

-- S6: of a provider account only its user id (subject) and e-mail are kept here; the
-- name goes into the user's own profile. No provider tokens are ever stored.
CREATE TABLE user_identities (
    id INTEGER PRIMARY KEY,
    provider TEXT NOT NULL,
    subject TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (provider, subject)
);
CREATE INDEX user_identities_user ON user_identities (user_id);

-- A sign-in in progress, bound to one browser by a cookie whose SHA-256 is the key. The
-- PKCE verifier, the state and the nonce are derived from the cookie's secret, so this
-- table holds nothing that can be replayed. Stage 'authorize': sent to the provider;
-- stage 'complete': the provider answered with an identity that is not linked yet, and
-- the browser is on /welcome or /link-account. Rows expire within the hour and are deleted
-- when used.
CREATE TABLE auth_flows (
    id_hash TEXT PRIMARY KEY,
    stage TEXT NOT NULL CHECK (stage IN ('authorize', 'complete')),
    provider TEXT NOT NULL,
    next_path TEXT NOT NULL,
    -- Set when a signed-in user links another account from their settings.
    link_user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    subject TEXT,
    email TEXT,
    email_verified INTEGER NOT NULL DEFAULT 0 CHECK (email_verified IN (0, 1)),
    first_name TEXT NOT NULL DEFAULT '',
    last_name TEXT NOT NULL DEFAULT '',
    -- The existing account whose e-mail matches: linking needs proof of owning it.
    match_user_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    -- SHA-256 of the one-time e-mail link that proves ownership of that account.
    proof_hash TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX auth_flows_expiry ON auth_flows (expires_at);
