-- Each side's unread count per conversation, kept with the conversation: a message adds one for
-- the other side, reading sets it to 0. Counting unread messages on every message instead made
-- each chat message slower the more an employer had left unread.
ALTER TABLE conversations ADD COLUMN student_unread BIGINT NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN employer_unread BIGINT NOT NULL DEFAULT 0;
UPDATE conversations SET
    student_unread = (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = conversations.id
                      AND m.sender_side = 'employer' AND m.id > conversations.student_read_id),
    employer_unread = (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = conversations.id
                       AND m.sender_side = 'student' AND m.id > conversations.employer_read_id);
