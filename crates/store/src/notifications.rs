use fairhall_domain::notification::Kind;

use crate::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Notification {
    pub id: i64,
    pub user_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: Kind,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub created_at: i64,
    pub read_at: Option<i64>,
}

impl Store {
    pub async fn insert_notification(
        &self,
        user_id: i64,
        kind: Kind,
        title: &str,
        body: &str,
        link: Option<&str>,
        now: i64,
    ) -> Result<i64> {
        let id = sqlx::query_scalar(
            "INSERT INTO notifications (user_id, kind, title, body, link, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(user_id)
        .bind(kind.as_str())
        .bind(title)
        .bind(body)
        .bind(link)
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        Ok(id)
    }

    /// Newest first.
    pub async fn notifications_of(&self, user_id: i64, limit: i64) -> Result<Vec<Notification>> {
        let rows = sqlx::query_as(
            "SELECT id, user_id, kind, title, body, link, created_at, read_at FROM notifications \
             WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(user_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    pub async fn unread_notifications(&self, user_id: i64) -> Result<i64> {
        let n = sqlx::query_scalar(
            "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
        )
        .bind(user_id)
        .fetch_one(self.pool())
        .await?;
        Ok(n)
    }

    /// Marks all of a user's notifications read.
    pub async fn mark_notifications_read(&self, user_id: i64, now: i64) -> Result<()> {
        sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
            .bind(now)
            .bind(user_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
