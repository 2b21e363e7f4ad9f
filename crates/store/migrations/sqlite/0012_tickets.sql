-- Interview tickets (面试): one student × one registration (an employer in a fair). The status
-- moves only through the domain's transitions, written compare-and-set (`WHERE status = old`).
CREATE TABLE tickets (
    id               INTEGER PRIMARY KEY,
    fair_id          BIGINT NOT NULL REFERENCES fairs(id),
    registration_id  BIGINT NOT NULL REFERENCES registrations(id),
    employer_id      BIGINT NOT NULL REFERENCES employers(id),
    student_id       BIGINT NOT NULL REFERENCES users(id),
    -- 'applied' (the student asked) or 'invited' (the employer asked).
    origin           TEXT NOT NULL,
    -- pending, queued, in_call, done, rejected, declined, cancelled, no_show.
    status           TEXT NOT NULL,
    position_id      BIGINT REFERENCES positions(id),
    -- The interviewer who took the ticket (one at a time).
    interviewer_id   BIGINT REFERENCES users(id),
    -- 'suitable' or 'unsuitable', once done.
    verdict          TEXT,
    notes            TEXT NOT NULL DEFAULT '',
    -- The reason given when the ticket was cancelled (or, optionally, rejected).
    cancel_reason    TEXT,
    created_by       BIGINT NOT NULL REFERENCES users(id),
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    answered_at      BIGINT,
    started_at       BIGINT,
    ended_at         BIGINT
);
-- Earlier tickets of a student with a registration (rejection is final; one open at a time).
CREATE INDEX tickets_pair ON tickets(registration_id, student_id);
-- At most one open ticket per student and registration, even when two requests race.
CREATE UNIQUE INDEX tickets_one_open ON tickets(registration_id, student_id)
    WHERE status IN ('pending', 'queued', 'in_call');
-- The employer's lists (待处理 / 待面试 / 已面试) and the student's list.
CREATE INDEX tickets_registration_status ON tickets(registration_id, status, id);
CREATE INDEX tickets_student ON tickets(student_id, id);

-- Every change of a ticket's status, including its creation (from_status NULL).
CREATE TABLE ticket_events (
    id           INTEGER PRIMARY KEY,
    ticket_id    BIGINT NOT NULL REFERENCES tickets(id),
    actor_id     BIGINT NOT NULL REFERENCES users(id),
    action       TEXT NOT NULL,
    from_status  TEXT,
    to_status    TEXT NOT NULL,
    at           BIGINT NOT NULL
);
CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, id);
