-- Course staff's tools for a run (issue 7; S12, S19): learners removed by staff, when an
-- enrolment ended, and progress that staff marked with a reason.
-- Keep in step with sqlite/0010_course_staff.sql.

-- 'removed': the course staff took the learner out of the run. Such a learner cannot
-- enrol again by themselves (staff can).
ALTER TABLE enrolments DROP CONSTRAINT enrolments_status_check;
ALTER TABLE enrolments ADD CONSTRAINT enrolments_status_check
    CHECK (status IN ('active', 'waiting', 'left', 'removed'));
-- When the learner left or was removed; NULL while enrolled or waiting.
ALTER TABLE enrolments ADD COLUMN ended_at BIGINT;
-- The dashboard's list of a run's learners by enrolment status.
CREATE INDEX enrolments_run_status ON enrolments (run_id, status, user_id);

-- The "active learners per week" chart: a run's first and last day and its recent weeks.
CREATE INDEX run_activity_days_run_day ON run_activity_days (run_id, day);

-- Progress that a member of the course staff recorded for a learner, with the reason
-- they gave (also in audit_log). NULL for the learner's own progress.
ALTER TABLE item_progress ADD COLUMN marked_by BIGINT REFERENCES users (id) ON DELETE SET NULL;
ALTER TABLE item_progress ADD COLUMN mark_reason TEXT;
