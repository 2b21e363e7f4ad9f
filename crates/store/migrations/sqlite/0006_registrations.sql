-- Fair registrations (单位报名): an employer signs up for a fair with chosen positions,
-- interviewers, a brochure and a contact; organizer staff review it. Every change after
-- approval is kept in registration_changes.

CREATE TABLE registrations (
    id             INTEGER PRIMARY KEY,
    fair_id        BIGINT NOT NULL REFERENCES fairs(id),
    employer_id    BIGINT NOT NULL REFERENCES employers(id),
    status         TEXT NOT NULL,
    reason         TEXT,
    contact_name   TEXT NOT NULL,
    contact_phone  TEXT NOT NULL,
    brochure_id    BIGINT,
    submitted_at   BIGINT NOT NULL,
    reviewed_at    BIGINT,
    reviewed_by    BIGINT REFERENCES users(id),
    updated_at     BIGINT NOT NULL,
    UNIQUE (fair_id, employer_id)
);
CREATE INDEX registrations_fair ON registrations(fair_id, status);

CREATE TABLE registration_positions (
    registration_id  BIGINT NOT NULL REFERENCES registrations(id),
    position_id      BIGINT NOT NULL,
    PRIMARY KEY (registration_id, position_id)
);

CREATE TABLE registration_interviewers (
    registration_id  BIGINT NOT NULL REFERENCES registrations(id),
    user_id          BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (registration_id, user_id)
);

CREATE TABLE registration_changes (
    id               INTEGER PRIMARY KEY,
    registration_id  BIGINT NOT NULL REFERENCES registrations(id),
    actor_user_id    BIGINT NOT NULL REFERENCES users(id),
    action           TEXT NOT NULL,
    before_json      TEXT NOT NULL,
    after_json       TEXT NOT NULL,
    note             TEXT NOT NULL,
    at               BIGINT NOT NULL
);
CREATE INDEX registration_changes_registration ON registration_changes(registration_id, id);
