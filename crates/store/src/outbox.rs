//! Messages for people outside the app (SMS, e-mail). Every message is written here; a sender
//! that really delivers marks it `sent`, the default providers leave it `logged`.

use fairhall_domain::notification::{Channel, Delivery};

use crate::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OutboxMessage {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub channel: Channel,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    #[sqlx(try_from = "String")]
    pub status: Delivery,
    pub created_at: i64,
}

impl Store {
    pub async fn outbox_insert(
        &self,
        channel: Channel,
        recipient: &str,
        subject: &str,
        body: &str,
        status: Delivery,
        now: i64,
    ) -> Result<i64> {
        let id = sqlx::query_scalar(
            "INSERT INTO outbox (channel, recipient, subject, body, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(channel.as_str())
        .bind(recipient)
        .bind(subject)
        .bind(body)
        .bind(status.as_str())
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        Ok(id)
    }

    pub async fn outbox_set_status(&self, id: i64, status: Delivery) -> Result<()> {
        sqlx::query("UPDATE outbox SET status = $1 WHERE id = $2")
            .bind(status.as_str())
            .bind(id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Newest first.
    pub async fn outbox_recent(&self, limit: i64) -> Result<Vec<OutboxMessage>> {
        let rows = sqlx::query_as(
            "SELECT id, channel, recipient, subject, body, status, created_at FROM outbox \
             ORDER BY id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }
}
