-- Foundation schema. Integers are 64-bit, times are milliseconds since the Unix epoch.
-- Keep in step with postgres/0001_foundation.sql (same tables, same columns).

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    email_verified_at INTEGER,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    user_type TEXT NOT NULL,
    country TEXT NOT NULL,
    locale TEXT NOT NULL DEFAULT 'en',
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deactivated', 'anonymised')),
    verified_at INTEGER,
    created_at INTEGER NOT NULL,
    last_login_at INTEGER
);
CREATE INDEX users_country ON users (country);

-- Platform-wide roles. Organisation admins, course staff and learners come from
-- organisation_members, course_staff and enrolments.
CREATE TABLE role_grants (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('platform_admin', 'national_validator')),
    country TEXT NOT NULL DEFAULT '',
    granted_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    granted_at INTEGER NOT NULL,
    UNIQUE (user_id, role, country)
);

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    org_type TEXT NOT NULL,
    address TEXT NOT NULL,
    city TEXT NOT NULL,
    postcode TEXT NOT NULL,
    country TEXT NOT NULL,
    region TEXT NOT NULL,
    pic TEXT NOT NULL UNIQUE,
    contact_user_id INTEGER NOT NULL REFERENCES users (id),
    description TEXT NOT NULL DEFAULT '',
    website TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX organisations_country ON organisations (country);

CREATE TABLE organisation_members (
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (organisation_id, user_id)
);
CREATE INDEX organisation_members_user ON organisation_members (user_id);

CREATE TABLE courses (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    description_md TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL,
    level TEXT NOT NULL DEFAULT '',
    estimated_hours INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX courses_org ON courses (organisation_id);
CREATE INDEX courses_status_language ON courses (status, language);

CREATE TABLE course_staff (
    course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('teacher', 'moderator')),
    PRIMARY KEY (course_id, user_id)
);
CREATE INDEX course_staff_user ON course_staff (user_id);

CREATE TABLE course_modules (
    id INTEGER PRIMARY KEY,
    course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    UNIQUE (course_id, position)
);

CREATE TABLE lessons (
    id INTEGER PRIMARY KEY,
    module_id INTEGER NOT NULL REFERENCES course_modules (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    body_md TEXT NOT NULL DEFAULT '',
    UNIQUE (module_id, position)
);

CREATE TABLE course_runs (
    id INTEGER PRIMARY KEY,
    course_id INTEGER NOT NULL REFERENCES courses (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    enrol_opens_at INTEGER,
    enrol_closes_at INTEGER,
    starts_at INTEGER,
    ends_at INTEGER,
    self_paced INTEGER NOT NULL DEFAULT 0,
    capacity INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX course_runs_course ON course_runs (course_id);

CREATE TABLE enrolments (
    run_id INTEGER NOT NULL REFERENCES course_runs (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'waiting', 'left')),
    enrolled_at INTEGER NOT NULL,
    PRIMARY KEY (run_id, user_id)
);
CREATE INDEX enrolments_user ON enrolments (user_id);

-- S10/S15: who accessed or linked what, and why. Never holds the accessed content.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
