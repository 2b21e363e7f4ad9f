//! Chat between a student and an employer in a fair: conversations, messages, and the read
//! pointers (`student_read_id`, `employer_read_id`: the last message id that side has read)
//! from which unread counts are derived.

use sqlx::AssertSqlSafe;

use crate::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Conversation {
    pub id: i64,
    pub fair_id: i64,
    pub registration_id: i64,
    pub employer_id: i64,
    pub student_id: i64,
    pub created_at: i64,
    pub last_message_at: Option<i64>,
    pub student_read_id: i64,
    pub employer_read_id: i64,
}

/// A message with the name its sender is shown by: a student's resume name (or account name),
/// an employer user's account name.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Message {
    pub id: i64,
    pub conversation_id: i64,
    pub sender_id: i64,
    pub sender_side: String,
    pub sender_name: String,
    pub body: String,
    pub created_at: i64,
}

/// A conversation as a list shows it, with the unread count of the side that lists it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ConversationListed {
    pub id: i64,
    pub fair_id: i64,
    pub fair_title: String,
    pub fair_code: String,
    pub registration_id: i64,
    pub employer_id: i64,
    pub employer_name: String,
    pub student_id: i64,
    pub student_name: String,
    pub last_message_at: Option<i64>,
    pub last_body: Option<String>,
    pub unread: i64,
}

/// The side of a conversation: the student, or the employer (its admins and interviewers,
/// who share one read pointer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatSide {
    Student,
    Employer,
}

impl ChatSide {
    pub fn as_str(self) -> &'static str {
        match self {
            ChatSide::Student => "student",
            ChatSide::Employer => "employer",
        }
    }

    pub fn other(self) -> ChatSide {
        match self {
            ChatSide::Student => ChatSide::Employer,
            ChatSide::Employer => ChatSide::Student,
        }
    }

    /// This side's read pointer column.
    fn read_column(self) -> &'static str {
        match self {
            ChatSide::Student => "student_read_id",
            ChatSide::Employer => "employer_read_id",
        }
    }

    /// This side's unread counter column.
    fn unread_column(self) -> &'static str {
        match self {
            ChatSide::Student => "student_unread",
            ChatSide::Employer => "employer_unread",
        }
    }

    /// The column of `conversations` naming who this side is.
    fn owner_column(self) -> &'static str {
        match self {
            ChatSide::Student => "student_id",
            ChatSide::Employer => "employer_id",
        }
    }
}

const CONVERSATION: &str = "id, fair_id, registration_id, employer_id, student_id, created_at, \
     last_message_at, student_read_id, employer_read_id";

/// A student is shown by the name on their resume when there is one.
const STUDENT_NAME: &str = "COALESCE(NULLIF(rs.name, ''), su.display_name)";

const MESSAGE: &str = "SELECT m.id, m.conversation_id, m.sender_id, m.sender_side, \
     CASE WHEN m.sender_side = 'student' \
          THEN COALESCE(NULLIF(rs.name, ''), u.display_name) ELSE u.display_name END \
          AS sender_name, \
     m.body, m.created_at \
     FROM messages m JOIN users u ON u.id = m.sender_id \
     LEFT JOIN resumes rs ON rs.user_id = m.sender_id";

impl Store {
    /// The conversation of a student with an employer's registration, created if there is none.
    #[tracing::instrument(skip_all, fields(registration.id = registration_id, student.id = student_id))]
    pub async fn get_or_create_conversation(
        &self,
        fair_id: i64,
        registration_id: i64,
        employer_id: i64,
        student_id: i64,
        now: i64,
    ) -> Result<Conversation> {
        sqlx::query(
            "INSERT INTO conversations (fair_id, registration_id, employer_id, student_id, \
             created_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (registration_id, student_id) DO NOTHING",
        )
        .bind(fair_id)
        .bind(registration_id)
        .bind(employer_id)
        .bind(student_id)
        .bind(now)
        .execute(self.pool())
        .await?;
        Ok(self
            .conversation_of(registration_id, student_id)
            .await?
            .expect("the conversation was just written"))
    }

    pub async fn conversation(&self, id: i64) -> Result<Option<Conversation>> {
        let row = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {CONVERSATION} FROM conversations WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row)
    }

    pub async fn conversation_of(
        &self,
        registration_id: i64,
        student_id: i64,
    ) -> Result<Option<Conversation>> {
        let row = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {CONVERSATION} FROM conversations \
             WHERE registration_id = $1 AND student_id = $2"
        )))
        .bind(registration_id)
        .bind(student_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row)
    }

    /// Adds a message, moves the conversation's last activity and the sender side's read
    /// pointer to it (whoever writes has read what came before), in one transaction.
    #[tracing::instrument(skip_all, fields(conversation.id = conversation_id))]
    pub async fn insert_message(
        &self,
        conversation_id: i64,
        sender_id: i64,
        side: ChatSide,
        body: &str,
        now: i64,
    ) -> Result<Message> {
        let mut tx = self.pool().begin().await?;
        // Touch the conversation first: on PostgreSQL that locks its row, so the messages of one
        // conversation get their ids and commit in the same order, and a reader that has seen
        // id N never misses a smaller id committed later (unread counts and `after=` rely on it).
        // The message is one more unread for the other side.
        sqlx::query(AssertSqlSafe(format!(
            "UPDATE conversations SET last_message_at = $1, {unread} = {unread} + 1 WHERE id = $2",
            unread = side.other().unread_column()
        )))
        .bind(now)
        .bind(conversation_id)
        .execute(&mut *tx)
        .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO messages (conversation_id, sender_id, sender_side, body, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(conversation_id)
        .bind(sender_id)
        .bind(side.as_str())
        .bind(body)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        // The read pointer only moves forward; the writer has read everything before.
        sqlx::query(AssertSqlSafe(format!(
            "UPDATE conversations SET {read} = $1, {unread} = 0 WHERE id = $2 AND {read} < $1",
            read = side.read_column(),
            unread = side.unread_column()
        )))
        .bind(id)
        .bind(conversation_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        let row = sqlx::query_as(AssertSqlSafe(format!("{MESSAGE} WHERE m.id = $1")))
            .bind(id)
            .fetch_one(self.pool())
            .await?;
        Ok(row)
    }

    /// Messages newer than `after`, oldest first, at most `limit`.
    pub async fn messages_after(
        &self,
        conversation_id: i64,
        after: i64,
        limit: i64,
    ) -> Result<Vec<Message>> {
        let rows = sqlx::query_as(AssertSqlSafe(format!(
            "{MESSAGE} WHERE m.conversation_id = $1 AND m.id > $2 ORDER BY m.id LIMIT $3"
        )))
        .bind(conversation_id)
        .bind(after)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// The newest `limit` messages, oldest first.
    pub async fn latest_messages(&self, conversation_id: i64, limit: i64) -> Result<Vec<Message>> {
        let mut rows: Vec<Message> = sqlx::query_as(AssertSqlSafe(format!(
            "{MESSAGE} WHERE m.conversation_id = $1 ORDER BY m.id DESC LIMIT $2"
        )))
        .bind(conversation_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        rows.reverse();
        Ok(rows)
    }

    /// Marks everything in the conversation read for `side`. Returns whether the pointer moved.
    pub async fn mark_conversation_read(
        &self,
        conversation_id: i64,
        side: ChatSide,
    ) -> Result<bool> {
        let mut tx = self.pool().begin().await?;
        // Lock the row first, as `insert_message` does: a message being written commits before
        // the next statement looks for the newest id, so the counter set to 0 below never
        // hides a message the pointer did not reach.
        sqlx::query("UPDATE conversations SET id = id WHERE id = $1")
            .bind(conversation_id)
            .execute(&mut *tx)
            .await?;
        let done = sqlx::query(AssertSqlSafe(format!(
            "UPDATE conversations SET {unread} = 0, {read} = \
             (SELECT COALESCE(MAX(id), 0) FROM messages WHERE conversation_id = $1) \
             WHERE id = $1 AND {read} < \
             (SELECT COALESCE(MAX(id), 0) FROM messages WHERE conversation_id = $1)",
            read = side.read_column(),
            unread = side.unread_column()
        )))
        .bind(conversation_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    /// What `side` has not read: in conversation `conversation_id`, and over all of `owner`'s
    /// conversations (one statement for both, since both are pushed after every message).
    pub async fn unread_counts(
        &self,
        conversation_id: i64,
        side: ChatSide,
        owner: i64,
    ) -> Result<(i64, i64)> {
        let row: (i64, i64) = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT CAST(COALESCE(SUM(CASE WHEN id = $2 THEN {unread} ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM({unread}), 0) AS BIGINT) FROM conversations WHERE {owner} = $1",
            owner = side.owner_column(),
            unread = side.unread_column()
        )))
        .bind(owner)
        .bind(conversation_id)
        .fetch_one(self.pool())
        .await?;
        Ok(row)
    }

    /// Unread messages over all conversations of a student (`side` = student, `owner` = the
    /// student's id) or of an employer (`side` = employer, `owner` = the employer's id).
    pub async fn total_unread(&self, side: ChatSide, owner: i64) -> Result<i64> {
        let n = sqlx::query_scalar(AssertSqlSafe(format!(
            "SELECT CAST(COALESCE(SUM({unread}), 0) AS BIGINT) FROM conversations WHERE {owner} = $1",
            owner = side.owner_column(),
            unread = side.unread_column()
        )))
        .bind(owner)
        .fetch_one(self.pool())
        .await?;
        Ok(n)
    }

    /// The conversations with unread messages for this side, with their counts.
    pub async fn unread_by_conversation(
        &self,
        side: ChatSide,
        owner: i64,
    ) -> Result<Vec<(i64, i64)>> {
        let rows = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT id, {unread} FROM conversations WHERE {owner} = $1 AND {unread} > 0 ORDER BY id",
            owner = side.owner_column(),
            unread = side.unread_column()
        )))
        .bind(owner)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// A student's or an employer's conversations that have messages, most recent first, with
    /// the unread count of that side.
    pub async fn conversations_of(
        &self,
        side: ChatSide,
        owner: i64,
    ) -> Result<Vec<ConversationListed>> {
        let rows = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT c.id, c.fair_id, f.title AS fair_title, f.entry_code AS fair_code, \
             c.registration_id, c.employer_id, e.name AS employer_name, c.student_id, \
             {STUDENT_NAME} AS student_name, c.last_message_at, \
             (SELECT lm.body FROM messages lm WHERE lm.conversation_id = c.id \
              ORDER BY lm.id DESC LIMIT 1) AS last_body, \
             c.{unread} AS unread \
             FROM conversations c JOIN fairs f ON f.id = c.fair_id \
             JOIN employers e ON e.id = c.employer_id JOIN users su ON su.id = c.student_id \
             LEFT JOIN resumes rs ON rs.user_id = c.student_id \
             WHERE c.{owner} = $1 AND c.last_message_at IS NOT NULL \
             ORDER BY c.last_message_at DESC, c.id DESC LIMIT 500",
            owner = side.owner_column(),
            unread = side.unread_column()
        )))
        .bind(owner)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// One conversation with the names a page header shows (no unread count: 0).
    pub async fn conversation_listed(&self, id: i64) -> Result<Option<ConversationListed>> {
        let row = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT c.id, c.fair_id, f.title AS fair_title, f.entry_code AS fair_code, \
             c.registration_id, c.employer_id, e.name AS employer_name, c.student_id, \
             {STUDENT_NAME} AS student_name, c.last_message_at, \
             CAST(NULL AS TEXT) AS last_body, CAST(0 AS BIGINT) AS unread \
             FROM conversations c JOIN fairs f ON f.id = c.fair_id \
             JOIN employers e ON e.id = c.employer_id JOIN users su ON su.id = c.student_id \
             LEFT JOIN resumes rs ON rs.user_id = c.student_id \
             WHERE c.id = $1"
        )))
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row)
    }

    /// When `sender_id`'s messages of the last `window_ms` were sent, for the rate limit.
    pub async fn recent_sends(&self, sender_id: i64, now: i64, window_ms: i64) -> Result<Vec<i64>> {
        let rows = sqlx::query_scalar(
            "SELECT created_at FROM messages WHERE sender_id = $1 AND created_at > $2 \
             ORDER BY created_at DESC LIMIT 1000",
        )
        .bind(sender_id)
        .bind(now - window_ms)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// Everyone who answers an employer's chats: its admins and interviewers.
    pub async fn employer_user_ids(&self, employer_id: i64) -> Result<Vec<i64>> {
        let ids = sqlx::query_scalar(
            "SELECT id FROM users WHERE employer_id = $1 \
             AND role IN ('employer_admin', 'interviewer') ORDER BY id",
        )
        .bind(employer_id)
        .fetch_all(self.pool())
        .await?;
        Ok(ids)
    }
}
