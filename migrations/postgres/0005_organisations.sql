-- Organisations (S2, S16, T1, T8): school fields, links, join requests.
-- Keep in step with sqlite/0005_organisations.sql.

-- T1/T8: school fields shown only to platform admins and validators of the country.
ALTER TABLE organisations ADD COLUMN official_email TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN head_name TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN head_email TEXT NOT NULL DEFAULT '';
-- Public links.
ALTER TABLE organisations ADD COLUMN facebook_url TEXT NOT NULL DEFAULT '';
ALTER TABLE organisations ADD COLUMN linkedin_url TEXT NOT NULL DEFAULT '';

-- S2: a user's request to join an organisation, until an organisation admin answers it.
-- Members themselves are in organisation_members (which is what roles are loaded from).
CREATE TABLE organisation_join_requests (
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    requested_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, user_id)
);
CREATE INDEX organisation_join_requests_user ON organisation_join_requests (user_id);
