-- Course staff's tools for a run (issue 7; S12, S19): learners removed by staff, when an
-- enrolment ended, and progress that staff marked with a reason.
-- Keep in step with postgres/0010_course_staff.sql.

-- 'removed': the course staff took the learner out of the run. Such a learner cannot
-- enrol again by themselves (staff can). The status CHECK is part of the table in SQLite,
-- so the table is rebuilt; nothing references it.
CREATE TABLE enrolments_new (
    run_id INTEGER NOT NULL REFERENCES course_runs (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'waiting', 'left', 'removed')),
    enrolled_at INTEGER NOT NULL,
    waiting_seq INTEGER,
    -- When the learner left or was removed; NULL while enrolled or waiting.
    ended_at INTEGER,
    PRIMARY KEY (run_id, user_id)
);
INSERT INTO enrolments_new (run_id, user_id, status, enrolled_at, waiting_seq)
    SELECT run_id, user_id, status, enrolled_at, waiting_seq FROM enrolments;
DROP TABLE enrolments;
ALTER TABLE enrolments_new RENAME TO enrolments;
CREATE INDEX enrolments_user ON enrolments (user_id);
CREATE UNIQUE INDEX enrolments_waiting ON enrolments (run_id, waiting_seq);
-- The dashboard's list of a run's learners by enrolment status.
CREATE INDEX enrolments_run_status ON enrolments (run_id, status, user_id);

-- The "active learners per week" chart: a run's first and last day and its recent weeks.
CREATE INDEX run_activity_days_run_day ON run_activity_days (run_id, day);

-- Progress that a member of the course staff recorded for a learner, with the reason
-- they gave (also in audit_log). NULL for the learner's own progress.
ALTER TABLE item_progress ADD COLUMN marked_by INTEGER REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE item_progress ADD COLUMN mark_reason TEXT;
