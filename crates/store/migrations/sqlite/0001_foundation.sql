-- Foundation: organizers, employers, accounts, sessions, one-time codes, outbox, fairs.
-- Timestamps are Unix milliseconds (BIGINT) so one set of queries serves SQLite and PostgreSQL.

CREATE TABLE organizers (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE employers (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    role           TEXT NOT NULL,
    email          TEXT,
    phone          TEXT,
    password_hash  TEXT,
    display_name   TEXT NOT NULL,
    organizer_id   BIGINT REFERENCES organizers(id),
    employer_id    BIGINT REFERENCES employers(id),
    created_at     BIGINT NOT NULL,
    last_login_at  BIGINT,
    consent_version TEXT,
    consent_at     BIGINT
);
CREATE UNIQUE INDEX users_email ON users(email) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX users_student_phone ON users(phone) WHERE role = 'student';

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY,
    data        TEXT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_expires ON sessions(expires_at);

CREATE TABLE otp_codes (
    id          INTEGER PRIMARY KEY,
    phone       TEXT NOT NULL,
    code_hash   TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    used        BIGINT NOT NULL DEFAULT 0,
    attempts    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX otp_codes_phone ON otp_codes(phone, id);

CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    channel     TEXT NOT NULL,
    recipient   TEXT NOT NULL,
    subject     TEXT NOT NULL,
    body        TEXT NOT NULL,
    status      TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE fairs (
    id                INTEGER PRIMARY KEY,
    organizer_id      BIGINT NOT NULL REFERENCES organizers(id),
    title             TEXT NOT NULL,
    details           TEXT NOT NULL,
    signup_opens_at   BIGINT NOT NULL,
    signup_closes_at  BIGINT NOT NULL,
    starts_at         BIGINT NOT NULL,
    ends_at           BIGINT NOT NULL,
    min_completeness  BIGINT NOT NULL DEFAULT 70,
    employer_limit    BIGINT,
    entry_code        TEXT NOT NULL UNIQUE,
    created_at        BIGINT NOT NULL
);

-- Installation-wide settings, e.g. the key that one-time codes are hashed with. Kept in the
-- database so every node of a cluster shares them.
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
