-- Uploaded files (logos, licences, brochure images, photos, attachments) and in-app
-- notifications.

CREATE TABLE files (
    id            INTEGER PRIMARY KEY,
    storage_key   TEXT NOT NULL UNIQUE,
    kind          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    original_name TEXT NOT NULL,
    owner_user_id BIGINT NOT NULL REFERENCES users(id),
    created_at    BIGINT NOT NULL
);

CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    kind        TEXT NOT NULL,
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    link        TEXT,
    created_at  BIGINT NOT NULL,
    read_at     BIGINT
);
CREATE INDEX notifications_user ON notifications(user_id, id);
