-- Module badges (issue 7, S12): a module may award a badge to the learners who complete all
-- its required items in a run; the learner's profile lists them (S17; hidden with the
-- profile, T7). Keep in step with postgres/0013_module_badges.sql.

-- Whether the module awards a badge, and its name (empty: the module's title).
ALTER TABLE course_modules ADD COLUMN badge_enabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE course_modules ADD COLUMN badge_name TEXT NOT NULL DEFAULT '';

-- An earned badge: one per learner, run and module, written in the same transaction as the
-- progress that completes the module. The name is a snapshot, like a certificate's; the
-- badge stays if the module is deleted later.
CREATE TABLE module_badges (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    run_id INTEGER NOT NULL REFERENCES course_runs (id) ON DELETE CASCADE,
    course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    module_id INTEGER REFERENCES course_modules (id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    earned_at INTEGER NOT NULL,
    UNIQUE (run_id, user_id, module_id)
);
CREATE INDEX module_badges_user ON module_badges (user_id, earned_at);
