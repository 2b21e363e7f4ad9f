//! 现场公告: announcements to a fair's participants, and who counts as one.

use serde::Serialize;

use crate::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Announcement {
    pub id: i64,
    pub fair_id: i64,
    pub author_id: i64,
    pub body: String,
    pub created_at: i64,
}

impl Store {
    pub async fn insert_announcement(
        &self,
        fair_id: i64,
        author_id: i64,
        body: &str,
        at: i64,
    ) -> Result<Announcement> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO fair_announcements (fair_id, author_id, body, created_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(fair_id)
        .bind(author_id)
        .bind(body)
        .bind(at)
        .fetch_one(self.pool())
        .await?;
        Ok(Announcement {
            id,
            fair_id,
            author_id,
            body: body.to_owned(),
            created_at: at,
        })
    }

    /// The fair's newest announcements first, at most `limit`.
    pub async fn announcements_of_fair(
        &self,
        fair_id: i64,
        limit: i64,
    ) -> Result<Vec<Announcement>> {
        let rows = sqlx::query_as(
            "SELECT id, fair_id, author_id, body, created_at FROM fair_announcements \
             WHERE fair_id = $1 ORDER BY id DESC LIMIT $2",
        )
        .bind(fair_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// Whether the employer has an approved registration in the fair.
    pub async fn employer_in_fair(&self, fair_id: i64, employer_id: i64) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM registrations \
             WHERE fair_id = $1 AND employer_id = $2 AND status = 'approved'",
        )
        .bind(fair_id)
        .bind(employer_id)
        .fetch_one(self.pool())
        .await?;
        Ok(n > 0)
    }
}
