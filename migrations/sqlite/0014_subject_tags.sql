-- T12: subject tags platform admins add beside the built-in list, named in every language
-- the app ships. The code is what courses, listings and profiles store; it never changes.
CREATE TABLE subject_tags (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    label_en TEXT NOT NULL,
    label_da TEXT NOT NULL,
    label_sv TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
