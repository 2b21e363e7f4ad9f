-- 现场公告: what the organizer tells everyone in a fair, pushed live and kept for later readers.
CREATE TABLE fair_announcements (
    id          INTEGER PRIMARY KEY,
    fair_id     BIGINT NOT NULL REFERENCES fairs(id),
    author_id   BIGINT NOT NULL REFERENCES users(id),
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
CREATE INDEX fair_announcements_fair ON fair_announcements(fair_id, id);
