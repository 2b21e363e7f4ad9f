-- PostgreSQL twin of the SQLite migration of the same number. Organizers' contact details,
-- and indexes for the fair lists: an organizer's fairs, the fairs open for employer sign-up.

ALTER TABLE organizers ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE organizers ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE organizers ADD COLUMN contact_email TEXT;

CREATE INDEX fairs_by_organizer ON fairs(organizer_id, starts_at);
CREATE INDEX fairs_by_signup ON fairs(signup_closes_at, signup_opens_at);
CREATE INDEX users_by_organizer ON users(organizer_id) WHERE organizer_id IS NOT NULL;
