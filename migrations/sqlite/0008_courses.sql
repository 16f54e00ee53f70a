-- Online courses, first slice of issue 7: authoring fields, the module item list, run
-- states, the waiting list, progress, attendance and certificates (S4, S12, S19).
-- Keep in step with postgres/0008_courses.sql.

ALTER TABLE courses ADD COLUMN target_audience TEXT NOT NULL DEFAULT '';
-- When a lesson counts as done: on viewing it, or when the learner marks it.
ALTER TABLE courses ADD COLUMN completion_rule TEXT NOT NULL DEFAULT 'viewed'
    CHECK (completion_rule IN ('viewed', 'marked'));
-- Raised by every change to the order of modules and items; a reorder posted from an
-- older page is refused instead of moving the wrong thing.
ALTER TABLE courses ADD COLUMN content_version INTEGER NOT NULL DEFAULT 0;

-- Subject tags (taxonomy subject codes).
CREATE TABLE course_subjects (
    course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    PRIMARY KEY (course_id, subject)
);
CREATE INDEX course_subjects_subject ON course_subjects (subject, course_id);

-- The ordered things inside a module. Each row is one place in the order and points to
-- its content by kind: today only lessons; quizzes, assignments and forums (later issues)
-- add their kind to the CHECK and their own nullable reference column. Progress and
-- completion count items, so a new kind needs no change there. `lessons.position` is only
-- the creation order (kept for the foundation's unique constraint); learners see this order.
CREATE TABLE course_items (
    id INTEGER PRIMARY KEY,
    module_id INTEGER NOT NULL REFERENCES course_modules (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('lesson')),
    lesson_id INTEGER UNIQUE REFERENCES lessons (id) ON DELETE CASCADE,
    required INTEGER NOT NULL DEFAULT 1,
    UNIQUE (module_id, position)
);
INSERT INTO course_items (module_id, position, kind, lesson_id, required)
    SELECT module_id, position, 'lesson', id, 1 FROM lessons;

-- A run is prepared as a draft and published when learners may see and join it.
ALTER TABLE course_runs ADD COLUMN status TEXT NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'published'));
UPDATE course_runs SET status = 'published';

-- Place on the waiting list of a full run: promoted in this order when a place frees.
ALTER TABLE enrolments ADD COLUMN waiting_seq INTEGER;
CREATE UNIQUE INDEX enrolments_waiting ON enrolments (run_id, waiting_seq);

-- S12: when a learner completed an item in a run.
CREATE TABLE item_progress (
    run_id INTEGER NOT NULL REFERENCES course_runs (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    item_id INTEGER NOT NULL REFERENCES course_items (id) ON DELETE CASCADE,
    completed_at INTEGER NOT NULL,
    PRIMARY KEY (run_id, user_id, item_id)
);
CREATE INDEX item_progress_user ON item_progress (user_id, run_id);

-- S12 attendance: the calendar days (UTC, 'YYYY-MM-DD') a learner opened the run's content.
CREATE TABLE run_activity_days (
    run_id INTEGER NOT NULL REFERENCES course_runs (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    PRIMARY KEY (run_id, user_id, day)
);

-- A certificate is a snapshot of what it prints, so later renames do not change an issued
-- certificate; /verify/<code> shows exactly these fields.
CREATE TABLE certificates (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    run_id INTEGER NOT NULL REFERENCES course_runs (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    issued_at INTEGER NOT NULL,
    learner_name TEXT NOT NULL,
    course_title TEXT NOT NULL,
    organisation_name TEXT NOT NULL,
    hours INTEGER NOT NULL,
    UNIQUE (run_id, user_id)
);
CREATE INDEX certificates_user ON certificates (user_id);
