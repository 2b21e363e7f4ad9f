use crate::{Result, Store};

impl Store {
    /// Returns the setting, storing `fallback` first if it is not set yet. Safe when several
    /// nodes start at once: the first writer wins and everyone reads its value.
    pub async fn setting_or_insert(&self, key: &str, fallback: &str) -> Result<String> {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(fallback)
        .execute(self.pool())
        .await?;
        let value = sqlx::query_scalar("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_one(self.pool())
            .await?;
        Ok(value)
    }
}
