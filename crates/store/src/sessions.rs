//! Session records for the web layer's session store. The data is opaque JSON here.
//!
//! Loads go through the read cache (a session is read on every request); saves write through
//! it, and a delete forgets the session on this node at once.

use crate::cache::Area;
use crate::{Result, Store};

impl Store {
    pub async fn session_load(&self, id: &str, now: i64) -> Result<Option<String>> {
        let load = async {
            Ok(
                sqlx::query_scalar("SELECT data FROM sessions WHERE id = $1 AND expires_at > $2")
                    .bind(id)
                    .bind(now)
                    .fetch_optional(self.pool())
                    .await?,
            )
        };
        let cache = self.cache();
        cache
            .through_found(&cache.sessions, id.to_string(), load)
            .await
    }

    /// Writes a session. With `only_new`, inserts it and returns false when the id is taken.
    /// Otherwise updates it and returns false when it is gone: a session deleted meanwhile (a
    /// sign-out, perhaps on another node) is never brought back by a late save.
    pub async fn session_save(
        &self,
        id: &str,
        data: &str,
        expires_at: i64,
        only_new: bool,
    ) -> Result<bool> {
        let sql = if only_new {
            "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (id) DO NOTHING"
        } else {
            "UPDATE sessions SET data = $2, expires_at = $3 WHERE id = $1"
        };
        let generation = self.cache().generation(Area::Sessions);
        let done = sqlx::query(sql)
            .bind(id)
            .bind(data)
            .bind(expires_at)
            .execute(self.pool())
            .await?;
        let written = done.rows_affected() == 1;
        if written {
            let cache = self.cache();
            cache.keep(
                &cache.sessions,
                id.to_string(),
                generation,
                data.to_string(),
            );
        }
        Ok(written)
    }

    pub async fn session_delete(&self, id: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id)
            .execute(self.pool())
            .await?;
        self.cache().forget_session(id);
        Ok(())
    }

    pub async fn sessions_purge_expired(&self, now: i64) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(self.pool())
            .await?;
        self.cache().changed(Area::Sessions);
        Ok(done.rows_affected())
    }
}
