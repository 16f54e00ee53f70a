-- Profile photos (S1, T1, S17, S16). Keep in step with sqlite/0004_profile_photos.sql.

-- The object-store keys of the user's current photo (at most 512 px, re-encoded without
-- metadata) and its 96 px square thumbnail; both NULL, or both set, together with the time.
ALTER TABLE users ADD COLUMN photo_key TEXT;
ALTER TABLE users ADD COLUMN photo_thumb_key TEXT;
ALTER TABLE users ADD COLUMN photo_updated_at BIGINT;

-- Objects that no row refers to (any more, or not yet): written before the row that names
-- them is committed, or replaced by a newer photo. Deleted from the object store after the
-- change commits; whatever a crash or an unreachable store leaves here is swept later.
CREATE TABLE storage_orphans (
    object_key TEXT PRIMARY KEY,
    since BIGINT NOT NULL
);
