-- The catalogue's broad pages (S7) at 100,000 listings: counting the unexpired listings of a
-- kind from the index alone, sorting by title and by deadline without sorting every match.
CREATE INDEX catalogue_listings_expiry ON catalogue_listings (kind, status, expires_on, deadline_on);
CREATE INDEX catalogue_listings_title ON catalogue_listings (kind, status, LOWER(title), id);
CREATE INDEX catalogue_listings_deadline ON catalogue_listings (kind, status, deadline_on, id);
