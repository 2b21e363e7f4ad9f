-- Chat: the rate limit looks up one sender's recent messages on every send.
CREATE INDEX messages_sender ON messages(sender_id, created_at);
