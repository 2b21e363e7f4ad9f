-- Students (seed part 3, steps 1–3): resumes, the organizers' rosters (云就业匹配), fair entries,
-- deliveries (投递) and chat between a student and an employer in a fair.

-- Set when a roster match proved who the student is.
ALTER TABLE users ADD COLUMN verified_at BIGINT;

-- One resume per student. The basics are columns (the talent hall filters on them); the list
-- sections are rows of resume_entries.
CREATE TABLE resumes (
    user_id             BIGINT PRIMARY KEY REFERENCES users(id),
    name                TEXT,
    gender              TEXT,
    birth_month         TEXT,
    phone               TEXT,
    email               TEXT,
    school              TEXT,
    college             TEXT,
    major               TEXT,
    degree              TEXT,
    graduation_year     BIGINT,
    cities              TEXT NOT NULL DEFAULT '',
    intended_positions  TEXT NOT NULL DEFAULT '',
    salary              TEXT,
    skills              TEXT NOT NULL DEFAULT '',
    self_evaluation     TEXT NOT NULL DEFAULT '',
    photo_file_id       BIGINT REFERENCES files(id),
    attachment_file_id  BIGINT REFERENCES files(id),
    completeness        BIGINT NOT NULL DEFAULT 0,
    updated_at          BIGINT NOT NULL
);

-- Entries of the list sections: education, experience, projects, awards. `data` is the
-- entry as JSON, written and read only through the domain's types.
CREATE TABLE resume_entries (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    section     TEXT NOT NULL,
    data        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX resume_entries_user ON resume_entries(user_id, section, id);

-- An organizer's roster. The ID number itself is never stored: only salted HMACs of the whole
-- number and of its last six characters.
CREATE TABLE roster_entries (
    id               INTEGER PRIMARY KEY,
    organizer_id     BIGINT NOT NULL REFERENCES organizers(id),
    school           TEXT NOT NULL,
    student_number   TEXT NOT NULL,
    name             TEXT NOT NULL,
    id_salt          TEXT NOT NULL,
    id_hash          TEXT NOT NULL,
    id_tail_hash     TEXT NOT NULL,
    college          TEXT,
    major            TEXT,
    degree           TEXT,
    graduation_year  BIGINT,
    phone            TEXT,
    user_id          BIGINT REFERENCES users(id),
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    UNIQUE (organizer_id, school, student_number)
);
CREATE INDEX roster_entries_lookup ON roster_entries(school, student_number);

CREATE TABLE roster_imports (
    id             INTEGER PRIMARY KEY,
    organizer_id   BIGINT NOT NULL REFERENCES organizers(id),
    uploaded_by    BIGINT NOT NULL REFERENCES users(id),
    file_name      TEXT NOT NULL,
    rows_total     BIGINT NOT NULL,
    rows_inserted  BIGINT NOT NULL,
    rows_updated   BIGINT NOT NULL,
    created_at     BIGINT NOT NULL
);

-- A student who entered a fair (报名进入会场), with the score that let them in.
CREATE TABLE fair_entries (
    fair_id       BIGINT NOT NULL REFERENCES fairs(id),
    student_id    BIGINT NOT NULL REFERENCES users(id),
    completeness  BIGINT NOT NULL,
    entered_at    BIGINT NOT NULL,
    PRIMARY KEY (fair_id, student_id)
);
CREATE INDEX fair_entries_student ON fair_entries(student_id);

-- 投递: a resume delivered to an employer in a fair, optionally for one position
-- (position_key is the position's id, or 0 for none, so the pair is unique).
CREATE TABLE deliveries (
    id               INTEGER PRIMARY KEY,
    fair_id          BIGINT NOT NULL REFERENCES fairs(id),
    registration_id  BIGINT NOT NULL REFERENCES registrations(id),
    employer_id      BIGINT NOT NULL REFERENCES employers(id),
    student_id       BIGINT NOT NULL REFERENCES users(id),
    position_id      BIGINT REFERENCES positions(id),
    position_key     BIGINT NOT NULL,
    created_at       BIGINT NOT NULL,
    viewed_at        BIGINT,
    viewed_by        BIGINT REFERENCES users(id),
    UNIQUE (registration_id, student_id, position_key)
);
CREATE INDEX deliveries_student ON deliveries(student_id, id);
CREATE INDEX deliveries_employer ON deliveries(employer_id, fair_id, id);

-- Chat between a student and an employer in a fair. Read state is a pointer per side: the
-- last message id that side has read.
CREATE TABLE conversations (
    id                INTEGER PRIMARY KEY,
    fair_id           BIGINT NOT NULL REFERENCES fairs(id),
    registration_id   BIGINT NOT NULL REFERENCES registrations(id),
    employer_id       BIGINT NOT NULL REFERENCES employers(id),
    student_id        BIGINT NOT NULL REFERENCES users(id),
    created_at        BIGINT NOT NULL,
    last_message_at   BIGINT,
    student_read_id   BIGINT NOT NULL DEFAULT 0,
    employer_read_id  BIGINT NOT NULL DEFAULT 0,
    UNIQUE (registration_id, student_id)
);
CREATE INDEX conversations_student ON conversations(student_id, last_message_at);
CREATE INDEX conversations_employer ON conversations(employer_id, last_message_at);

CREATE TABLE messages (
    id               INTEGER PRIMARY KEY,
    conversation_id  BIGINT NOT NULL REFERENCES conversations(id),
    sender_id        BIGINT NOT NULL REFERENCES users(id),
    sender_side      TEXT NOT NULL,
    body             TEXT NOT NULL,
    created_at       BIGINT NOT NULL
);
CREATE INDEX messages_conversation ON messages(conversation_id, id);
