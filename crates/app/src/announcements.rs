//! 现场公告: organizer staff tell everyone in a fair something at once ("双选会将于 10 分钟后
//! 开始"). The announcement is saved, then pushed to every connection watching the fair, on
//! every node; anyone who was away reads it from the list.

use fairhall_domain::account::Role;
use fairhall_domain::fair::{check_announcement_open, parse_announcement};
use fairhall_realtime::{ServerEvent, Topic};
use fairhall_store::StoreError;
pub use fairhall_store::announcements::Announcement;
use fairhall_store::users::User;

use crate::{App, AppError, AppResult, now_ms};

/// How many announcements a participant's list shows.
pub const LIST_LIMIT: i64 = 20;

impl App {
    /// Saves and pushes an announcement to the fair's participants. Staff of the fair's
    /// organizer only, from sign-up until the fair ends.
    #[tracing::instrument(skip_all, fields(user = user.id, fair.id = fair_id))]
    pub async fn announce(&self, user: &User, fair_id: i64, text: &str) -> AppResult<Announcement> {
        let fair = self.fair_for_staff(user, fair_id).await?;
        let body = parse_announcement(text)?;
        let now = now_ms();
        check_announcement_open(now, fair.signup_opens_at, fair.ends_at).map_err(|e| {
            AppError::Conflict {
                code: e.code,
                field: e.field,
                message: e.message,
            }
        })?;
        let a = self
            .store
            .insert_announcement(fair_id, user.id, &body, now)
            .await?;
        self.hub
            .publish(
                Topic::Fair(fair_id),
                ServerEvent::FairAnnouncement {
                    fair_id,
                    id: a.id,
                    text: a.body.clone(),
                    at: a.created_at,
                },
            )
            .await;
        Ok(a)
    }

    /// The fair's newest announcements, for its participants.
    pub async fn fair_announcements(
        &self,
        user: &User,
        fair_id: i64,
    ) -> AppResult<Vec<Announcement>> {
        if !self.takes_part_in_fair(user, fair_id).await? {
            return Err(AppError::NotFound);
        }
        Ok(self
            .store
            .announcements_of_fair(fair_id, LIST_LIMIT)
            .await?)
    }

    /// Who hears a fair's announcements: students who entered it, the admins and interviewers
    /// of employers approved for it, and the staff of its organizer.
    pub async fn takes_part_in_fair(&self, user: &User, fair_id: i64) -> AppResult<bool> {
        let fair = match self.store.fair(fair_id).await {
            Ok(f) => f,
            Err(StoreError::NotFound) => return Ok(false),
            Err(e) => return Err(e.into()),
        };
        Ok(match (user.role, user.employer_id, user.organizer_id) {
            (Role::Student, _, _) => self.store.fair_entry(fair_id, user.id).await?.is_some(),
            (Role::EmployerAdmin | Role::Interviewer, Some(e), _) => {
                self.store.employer_in_fair(fair_id, e).await?
            }
            (Role::OrganizerStaff, _, Some(o)) => fair.organizer_id == o,
            _ => false,
        })
    }
}
