-- Follow-up notices (面试结果通知) an employer sends a student after an interview is done.
CREATE TABLE ticket_notices (
    id          INTEGER PRIMARY KEY,
    ticket_id   BIGINT NOT NULL REFERENCES tickets(id),
    sender_id   BIGINT NOT NULL REFERENCES users(id),
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX ticket_notices_ticket ON ticket_notices(ticket_id, id);
