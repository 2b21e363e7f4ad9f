-- Fair details are sanitised once, when saved, and shown as stored. The column says under which
-- version of the sanitiser's rules they were saved (domain `fair::DETAILS_POLICY`); at start the
-- application cleans every fair saved under an older version again. Rows from before this
-- column count as version 0, so they are all cleaned once.
ALTER TABLE fairs ADD COLUMN details_policy BIGINT NOT NULL DEFAULT 0;
