use crate::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Organizer {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub created_at: i64,
}

impl Store {
    pub async fn insert_organizer(&self, name: &str, kind: &str, now: i64) -> Result<i64> {
        let id = sqlx::query_scalar(
            "INSERT INTO organizers (name, kind, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(name)
        .bind(kind)
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        Ok(id)
    }

    pub async fn organizer_by_name(&self, name: &str) -> Result<Option<Organizer>> {
        let row =
            sqlx::query_as("SELECT id, name, kind, created_at FROM organizers WHERE name = $1")
                .bind(name)
                .fetch_optional(self.pool())
                .await?;
        Ok(row)
    }

    pub async fn organizer(&self, id: i64) -> Result<Organizer> {
        let row = sqlx::query_as("SELECT id, name, kind, created_at FROM organizers WHERE id = $1")
            .bind(id)
            .fetch_one(self.pool())
            .await?;
        Ok(row)
    }
}
