-- Recruitment brochures (招聘简章). `content` is stored normalised (plain paragraphs one blank
-- line apart, uploaded images as `[[image:/files/…]]` lines); templates escape it. Deleting
-- sets `deleted_at`, so registrations that picked a brochure keep a valid reference.

CREATE TABLE brochures (
    id           INTEGER PRIMARY KEY,
    employer_id  BIGINT NOT NULL REFERENCES employers(id),
    title        TEXT NOT NULL,
    usage_notes  TEXT NOT NULL,
    content      TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    deleted_at   BIGINT
);
CREATE INDEX brochures_employer ON brochures(employer_id, updated_at);
