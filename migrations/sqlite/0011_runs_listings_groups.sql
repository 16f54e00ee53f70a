-- Runs in the catalogue, and groups in a run (issue 7; S7, S12, T2).
-- Keep in step with postgres/0011_runs_listings_groups.sql.

-- Every course run has one course listing in the catalogue, kept in step with the course
-- and the run in the same transaction as every change to them (`courses::listing`). It is
-- published while both are, and expires with the run's last enrolment day (or last day).
-- Deleting the run (or its course) deletes the listing with its reviews and comments.
ALTER TABLE catalogue_listings ADD COLUMN run_id INTEGER REFERENCES course_runs (id) ON DELETE CASCADE;
CREATE UNIQUE INDEX catalogue_listings_run ON catalogue_listings (run_id);

-- Groups of learners in a run (S12, T2): assigned by the staff, or open (theme-based)
-- groups that learners join and leave themselves, up to an optional capacity. A group's
-- page is visible only to its members and the run's staff.
CREATE TABLE run_groups (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES course_runs (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description_md TEXT NOT NULL DEFAULT '',
    theme TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL CHECK (kind IN ('assigned', 'open')),
    capacity INTEGER,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (run_id, name)
);

CREATE TABLE run_group_members (
    group_id INTEGER NOT NULL REFERENCES run_groups (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The staff member who added them; NULL when the learner joined an open group.
    added_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX run_group_members_user ON run_group_members (user_id, group_id);
