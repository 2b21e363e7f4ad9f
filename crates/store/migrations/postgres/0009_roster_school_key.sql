-- Students type their school's name as they please ("中国石油大学(华东)", "中国石油大学（华东）"),
-- and registrars' files differ in the same way from one import to the next. Rows are found and
-- updated by the school's name in normalised form (`domain::roster::normalize`), kept here
-- beside the name as the file spelled it.
ALTER TABLE roster_entries ADD COLUMN school_key TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX roster_entries_key ON roster_entries(organizer_id, school_key, student_number);
CREATE INDEX roster_entries_match ON roster_entries(school_key, student_number);
CREATE INDEX roster_imports_organizer ON roster_imports(organizer_id, id);
