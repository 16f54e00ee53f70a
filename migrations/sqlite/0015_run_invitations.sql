-- Invitations to a course run by e-mail (S4, S19): the course staff type an address, and
-- the person it belongs to accepts (and becomes a learner) or declines. Nobody is enrolled
-- without consent, and the staff never learn whether an address has an account: they see
-- the address they typed and "invited" (or "declined"), never a name.
-- Keep in step with postgres/0015_run_invitations.sql.
--
-- Personal data here, and how it goes:
-- * `email`: the address the staff typed, normalised (trimmed, lower case). It is not
--   linked to an account (it may belong to nobody), and is shown only to the course's
--   staff. The row goes, and the address with it, when the invitation is accepted (the
--   person is then a learner of the run), withdrawn by the staff, or expires: housekeeping
--   (`courses::invitations::db::purge_expired`, hourly and in `agora housekeeping`)
--   deletes every row past `expires_at`, declined ones included, so an address is kept at
--   most 14 days after the last invitation to it. Deleting the run deletes its rows.
-- * `invited_by`: the staff member who last invited (the mail names them); for the
--   database only, set NULL when that account is deleted.
-- * `status` 'declined' and `answered_at`: that the person declined, which the staff see
--   as "declined" next to the address (the person is told so before declining).
-- Only the SHA-256 of the link's secret is stored, so a database copy cannot answer an
-- invitation. The link is mailed only to an active account with a confirmed address, and
-- answers only while signed in as that account; after an answer it works no more.
CREATE TABLE run_invitations (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES course_runs (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    invited_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'declined')),
    answered_at INTEGER,
    UNIQUE (run_id, email)
);
CREATE INDEX run_invitations_expires ON run_invitations (expires_at);
