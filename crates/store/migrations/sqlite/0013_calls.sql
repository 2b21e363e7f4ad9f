-- Video calls on interview tickets. A call rings, becomes active when answered, and ends
-- ended, missed, declined or cancelled. Status changes are compare-and-set (`WHERE status = old`).
CREATE TABLE calls (
    id               INTEGER PRIMARY KEY,
    ticket_id        BIGINT NOT NULL REFERENCES tickets(id),
    -- ringing, active, ended, missed, declined, cancelled.
    status           TEXT NOT NULL,
    caller_id        BIGINT NOT NULL REFERENCES users(id),
    created_at       BIGINT NOT NULL,
    -- An unanswered ring is missed from this time on.
    ring_expires_at  BIGINT NOT NULL,
    answered_at      BIGINT,
    ended_at         BIGINT,
    updated_at       BIGINT NOT NULL
);
-- One ringing or active call per ticket, even when both sides start at once.
CREATE UNIQUE INDEX calls_one_live ON calls(ticket_id) WHERE status IN ('ringing', 'active');
CREATE INDEX calls_ticket ON calls(ticket_id, id);

-- Who is rung by a call and who is in it. The caller joins at once; callees when they answer;
-- panel hosts when they join.
CREATE TABLE call_participants (
    call_id    BIGINT NOT NULL REFERENCES calls(id),
    user_id    BIGINT NOT NULL REFERENCES users(id),
    -- 'student' or 'employer'.
    side       TEXT NOT NULL,
    -- 'caller', 'callee' (rung) or 'joiner' (joined a running call).
    role       TEXT NOT NULL,
    joined_at  BIGINT,
    left_at    BIGINT,
    PRIMARY KEY (call_id, user_id)
);
CREATE INDEX call_participants_user ON call_participants(user_id, call_id);
