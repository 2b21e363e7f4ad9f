//! Notifications: an in-app list, a live push to every open page of the user, and optionally an
//! e-mail (through the mailer, so the outbox keeps it).

use fairhall_domain::notification::Kind;
use fairhall_realtime::{ServerEvent, Topic};

use crate::{App, AppResult, now_ms};

pub struct NewNotification<'a> {
    pub kind: Kind,
    pub title: &'a str,
    pub body: &'a str,
    /// Where the notification leads in the app.
    pub link: Option<&'a str>,
    /// Also send an e-mail to the user's address, if they have one.
    pub email: bool,
}

pub use fairhall_store::notifications::Notification;

impl App {
    /// The user's newest `limit` notifications, newest first.
    pub async fn notifications(&self, user_id: i64, limit: i64) -> AppResult<Vec<Notification>> {
        Ok(self.store.notifications_of(user_id, limit).await?)
    }

    /// How many of the user's notifications are unread.
    pub async fn unread_notifications(&self, user_id: i64) -> AppResult<i64> {
        Ok(self.store.unread_notifications(user_id).await?)
    }

    /// Marks all of the user's notifications read.
    pub async fn mark_notifications_read(&self, user_id: i64) -> AppResult<()> {
        Ok(self
            .store
            .mark_notifications_read(user_id, now_ms())
            .await?)
    }

    pub async fn notify(&self, user_id: i64, n: NewNotification<'_>) -> AppResult<()> {
        let now = now_ms();
        let id = self
            .store
            .insert_notification(user_id, n.kind, n.title, n.body, n.link, now)
            .await?;
        self.hub
            .publish(
                Topic::User(user_id),
                ServerEvent::Notification {
                    id,
                    kind: n.kind.as_str().into(),
                    title: n.title.into(),
                    body: n.body.into(),
                },
            )
            .await;
        if n.email {
            let user = self.store.user(user_id).await?;
            if let Some(email) = user.email {
                let mut body = n.body.to_string();
                if let (Some(link), Some(base)) = (n.link, self.config.http.public_url.as_deref()) {
                    body.push_str(&format!("\n\n{}{link}", base.trim_end_matches('/')));
                }
                // A mail failure must not undo the state change that caused the notice.
                if let Err(e) = self.mailer.send(&email, n.title, &body, now).await {
                    tracing::warn!(error = %e, user_id, "notification e-mail failed");
                }
            }
        }
        Ok(())
    }
}

impl App {
    /// Notifies every admin of an employer (in-app, live, and by e-mail) after a change that
    /// is already saved. A failure is logged, not returned: the change happened, and an error
    /// answer would invite a retry that can no longer work.
    pub async fn notify_employer_admins(
        &self,
        employer_id: i64,
        kind: Kind,
        title: &str,
        body: &str,
        link: &str,
    ) {
        let admins = match self.store.employer_admin_ids(employer_id).await {
            Ok(a) => a,
            Err(e) => {
                tracing::warn!(error = %e, employer_id, kind = kind.as_str(), "employer not notified");
                return;
            }
        };
        for admin in admins {
            let notice = NewNotification {
                kind,
                title,
                body,
                link: Some(link),
                email: true,
            };
            if let Err(e) = self.notify(admin, notice).await {
                tracing::warn!(error = %e, employer_id, kind = kind.as_str(), "employer not notified");
            }
        }
    }
}
