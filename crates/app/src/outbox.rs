//! The outbox: every SMS and e-mail the platform wrote, delivered or only logged. The platform
//! admin reads the newest in the console; `fairhall outbox` prints them.

use fairhall_domain::account::Role;

use crate::accounts::User;
use crate::{App, AppError, AppResult};

pub use fairhall_store::outbox::OutboxMessage;

impl App {
    /// The newest `limit` messages of the outbox, newest first (platform admin only).
    pub async fn recent_outbox(&self, user: &User, limit: i64) -> AppResult<Vec<OutboxMessage>> {
        if user.role != Role::PlatformAdmin {
            return Err(AppError::Forbidden);
        }
        Ok(self.store.outbox_recent(limit).await?)
    }
}
