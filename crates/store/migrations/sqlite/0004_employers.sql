-- Employers (单位): profile columns, requests to join organizers (入驻申请), and positions
-- (招聘职位). Profile columns are nullable so employers created before this step keep working.

ALTER TABLE employers ADD COLUMN credit_code TEXT;
ALTER TABLE employers ADD COLUMN contact_name TEXT;
ALTER TABLE employers ADD COLUMN contact_phone TEXT;
ALTER TABLE employers ADD COLUMN contact_email TEXT;
ALTER TABLE employers ADD COLUMN industry TEXT;
ALTER TABLE employers ADD COLUMN size TEXT;
ALTER TABLE employers ADD COLUMN city TEXT;
ALTER TABLE employers ADD COLUMN address TEXT;
ALTER TABLE employers ADD COLUMN description TEXT;
ALTER TABLE employers ADD COLUMN logo_key TEXT;
ALTER TABLE employers ADD COLUMN licence_key TEXT;
ALTER TABLE employers ADD COLUMN updated_at BIGINT;
CREATE UNIQUE INDEX employers_credit_code ON employers(credit_code) WHERE credit_code IS NOT NULL;

-- One request per employer and organizer; resubmitting after a rejection reuses the row.
CREATE TABLE join_requests (
    id            INTEGER PRIMARY KEY,
    employer_id   BIGINT NOT NULL REFERENCES employers(id),
    organizer_id  BIGINT NOT NULL REFERENCES organizers(id),
    status        TEXT NOT NULL,
    reason        TEXT,
    submitted_at  BIGINT NOT NULL,
    reviewed_at   BIGINT,
    reviewed_by   BIGINT REFERENCES users(id),
    UNIQUE (employer_id, organizer_id)
);
CREATE INDEX join_requests_organizer ON join_requests(organizer_id, status);

-- Deleting a position only sets deleted_at, so registrations that chose it still show it.
CREATE TABLE positions (
    id           INTEGER PRIMARY KEY,
    employer_id  BIGINT NOT NULL REFERENCES employers(id),
    title        TEXT NOT NULL,
    headcount    BIGINT NOT NULL,
    education    TEXT NOT NULL,
    majors       TEXT NOT NULL,
    city         TEXT NOT NULL,
    salary_min   BIGINT,
    salary_max   BIGINT,
    description  TEXT,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    deleted_at   BIGINT
);
CREATE INDEX positions_employer ON positions(employer_id, deleted_at);
