use crate::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Employer {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
}

impl Store {
    pub async fn insert_employer(&self, name: &str, now: i64) -> Result<i64> {
        let id = sqlx::query_scalar(
            "INSERT INTO employers (name, created_at) VALUES ($1, $2) RETURNING id",
        )
        .bind(name)
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        Ok(id)
    }

    pub async fn employer(&self, id: i64) -> Result<Employer> {
        let row = sqlx::query_as("SELECT id, name, created_at FROM employers WHERE id = $1")
            .bind(id)
            .fetch_one(self.pool())
            .await?;
        Ok(row)
    }
}
