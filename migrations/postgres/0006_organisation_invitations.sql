-- Invitations to join an organisation by e-mail (S2).
-- Keep in step with sqlite/0006_organisation_invitations.sql.

-- Only the SHA-256 of the link's secret is stored, so a database copy cannot accept an
-- invitation. `email` is where it was sent (shown to the organisation's admins while
-- pending); whoever opens the link and accepts becomes a member. Single use, 7 days.
CREATE TABLE organisation_invitations (
    token_hash TEXT PRIMARY KEY,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    invited_by BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    used_by BIGINT REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX organisation_invitations_org ON organisation_invitations (organisation_id);
