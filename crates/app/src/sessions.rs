//! Sign-in sessions as rows of the `sessions` table, shared by every node of a cluster. The web
//! layer's session store (cookies, the session layer) keeps its records here; their data is
//! opaque JSON to the application.

use fairhall_store::StoreError;

use crate::accounts::User;
use crate::{App, AppResult, now_ms};

impl App {
    /// The data of a session that has not expired.
    pub async fn session_load(&self, id: &str) -> AppResult<Option<String>> {
        Ok(self.store.session_load(id, now_ms()).await?)
    }

    /// Writes a session (expiry in Unix milliseconds). With `only_new`, inserts it and returns
    /// false when the id is taken; otherwise updates it and returns false when it is gone, so a
    /// session signed out meanwhile (perhaps on another node) is never brought back.
    pub async fn session_save(
        &self,
        id: &str,
        data: &str,
        expires_at: i64,
        only_new: bool,
    ) -> AppResult<bool> {
        Ok(self
            .store
            .session_save(id, data, expires_at, only_new)
            .await?)
    }

    pub async fn session_delete(&self, id: &str) -> AppResult<()> {
        Ok(self.store.session_delete(id).await?)
    }

    /// Deletes expired sessions. They are refused on read anyway; this keeps the table small.
    pub async fn purge_expired_sessions(&self) -> AppResult<u64> {
        Ok(self.store.sessions_purge_expired(now_ms()).await?)
    }

    /// The user a session names, read through the cache (every request asks); `None` when the
    /// account no longer exists.
    pub async fn session_user(&self, user_id: i64) -> AppResult<Option<User>> {
        match self.store.user_cached(user_id).await {
            Ok(u) => Ok(Some(u)),
            Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}
