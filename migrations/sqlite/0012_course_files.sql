-- Course files and the course image (issue 7; S5, S19). Keep in step with
-- postgres/0012_course_files.sql.

-- Files and images that a course's teachers upload for its lessons. The bytes are in the
-- object store under `object_key` (random, never shown); the type was sniffed from the
-- bytes and images were re-encoded before storing. `name` is the cleaned file name used
-- in the address /courses/files/{id}/{name}. Who uploaded is kept for the staff's
-- information and cleared when that account goes.
CREATE TABLE course_files (
    id INTEGER PRIMARY KEY,
    course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    uploaded_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    object_key TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
);
CREATE INDEX course_files_course ON course_files (course_id, id);

-- The course's picture on /courses and its page (a re-encoded JPEG), and when it was set
-- (part of its address, so a new picture is not hidden by a cache).
ALTER TABLE courses ADD COLUMN image_key TEXT;
ALTER TABLE courses ADD COLUMN image_updated_at INTEGER;
