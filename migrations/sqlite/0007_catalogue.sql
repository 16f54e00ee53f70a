-- The catalogue (S7, S16, S18): courses, mobility opportunities and strategic-partnership
-- offers published by organisation members on behalf of their organisation; public
-- reviews with star ratings, public comments, and organisations' API tokens.
-- Keep in step with postgres/0007_catalogue.sql.

-- One table for the three kinds: they share the public catalogue's filters (country,
-- language, subject, dates, mode, organisation); kind-specific columns are empty for
-- the other kinds. Dates are calendar days as 'YYYY-MM-DD' text (no time zone; compares
-- in order on both databases). A published listing whose `expires_on` has passed is
-- shown as expired and leaves the public catalogue; `withdrawn` takes it down for good.
CREATE TABLE catalogue_listings (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('course', 'mobility', 'partnership')),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'withdrawn')),
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    description_md TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL,
    country TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    mode TEXT NOT NULL DEFAULT 'onsite' CHECK (mode IN ('online', 'onsite', 'blended')),
    starts_on TEXT,
    ends_on TEXT,
    expires_on TEXT,
    -- course: an Agora course (issue 7) or an external one
    course_id INTEGER REFERENCES courses (id) ON DELETE SET NULL,
    fee TEXT NOT NULL DEFAULT '',
    target_audience TEXT NOT NULL DEFAULT '',
    -- mobility: job shadowing or teaching assignment at a host
    mobility_type TEXT NOT NULL DEFAULT '',
    host TEXT NOT NULL DEFAULT '',
    places INTEGER,
    -- partnership: a partner search for a project
    project_idea TEXT NOT NULL DEFAULT '',
    partners_sought TEXT NOT NULL DEFAULT '',
    deadline_on TEXT,
    -- The organisation's own id for the listing, so its systems can sync by it (API).
    external_id TEXT,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    published_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (organisation_id, external_id)
);
-- The public catalogue always asks for one kind's published listings, then filters and sorts.
CREATE INDEX catalogue_listings_newest ON catalogue_listings (kind, status, published_at, id);
CREATE INDEX catalogue_listings_starts ON catalogue_listings (kind, status, starts_on, id);
CREATE INDEX catalogue_listings_country ON catalogue_listings (kind, status, country, published_at);
CREATE INDEX catalogue_listings_language ON catalogue_listings (kind, status, language, published_at);
CREATE INDEX catalogue_listings_org ON catalogue_listings (organisation_id, kind, status);
CREATE INDEX catalogue_listings_course ON catalogue_listings (course_id);

-- Subject tags (the taxonomy's subject codes) for the subject filter.
CREATE TABLE catalogue_listing_subjects (
    listing_id INTEGER NOT NULL REFERENCES catalogue_listings (id) ON DELETE CASCADE,
    subject TEXT NOT NULL,
    PRIMARY KEY (listing_id, subject)
);
CREATE INDEX catalogue_listing_subjects_subject ON catalogue_listing_subjects (subject, listing_id);

-- Reviews of course listings (S7, S18): one per user per listing, 1–5 stars, public.
-- Averages are computed from these rows in SQL, so they cannot drift. The organisation
-- may reply once.
CREATE TABLE listing_reviews (
    id INTEGER PRIMARY KEY,
    listing_id INTEGER NOT NULL REFERENCES catalogue_listings (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    body TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    reply_body TEXT,
    reply_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    replied_at INTEGER,
    UNIQUE (listing_id, user_id)
);
CREATE INDEX listing_reviews_listing ON listing_reviews (listing_id, created_at);
CREATE INDEX listing_reviews_user ON listing_reviews (user_id);

-- A signed-in user's report of a review to the platform admins; one per user per review.
CREATE TABLE listing_review_reports (
    id INTEGER PRIMARY KEY,
    review_id INTEGER NOT NULL REFERENCES listing_reviews (id) ON DELETE CASCADE,
    reporter_user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    resolved_at INTEGER,
    resolved_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    resolution TEXT,
    UNIQUE (review_id, reporter_user_id)
);
CREATE INDEX listing_review_reports_open ON listing_review_reports (resolved_at, created_at);

-- Public comments on published listings (S7, S18). Markdown, rendered and sanitised on
-- the server. A removed comment keeps its place in the thread without its text.
CREATE TABLE listing_comments (
    id INTEGER PRIMARY KEY,
    listing_id INTEGER NOT NULL REFERENCES catalogue_listings (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    body_md TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    edited_at INTEGER,
    removed_at INTEGER,
    removed_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX listing_comments_listing ON listing_comments (listing_id, created_at);
CREATE INDEX listing_comments_user ON listing_comments (user_id);

-- API tokens of an organisation's own systems (/api/v1): shown once, only the SHA-256 of
-- the secret stored; `prefix` (the secret's first characters) lets admins tell them apart.
CREATE TABLE organisation_api_tokens (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at INTEGER
);
CREATE INDEX organisation_api_tokens_org ON organisation_api_tokens (organisation_id);
