-- An employer's accounts (its admins and interviewers) are looked up on every chat message,
-- ring and presence check; without this index each lookup read every user (51 000 in a
-- city-sized fair).
CREATE INDEX users_by_employer ON users(employer_id) WHERE employer_id IS NOT NULL;
