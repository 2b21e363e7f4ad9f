//! Organizers (主办方) and their staff accounts, created by the platform admin.

use fairhall_domain::account::Role;
use fairhall_domain::fair::OrganizerDraft;
use fairhall_store::organizers::NewOrganizer;
pub use fairhall_store::organizers::{Organizer, OrganizerSummary, StaffMember};
use fairhall_store::users::User;
use fairhall_store::{Constraint, StoreError};

use crate::{App, AppError, AppResult, now_ms};

/// What the platform admin types for a new organizer.
#[derive(Debug, Clone, Copy)]
pub struct OrganizerInput<'a> {
    pub name: &'a str,
    /// `university` (高校) or `city` (城市就业平台).
    pub kind: &'a str,
    pub contact_name: &'a str,
    pub contact_phone: &'a str,
    pub contact_email: Option<&'a str>,
}

/// A new staff account for an organizer.
#[derive(Debug, Clone, Copy)]
pub struct StaffInput<'a> {
    pub name: &'a str,
    pub email: &'a str,
    pub password: &'a str,
}

fn require_admin(user: &User) -> AppResult<()> {
    if user.role == Role::PlatformAdmin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn name_taken() -> AppError {
    AppError::Conflict {
        code: "organizer_name_taken",
        field: "name",
        message: fairhall_domain::msg!("error.app.organizer_name_taken"),
    }
}

impl App {
    /// An organizer's name, as its fairs show it to anyone.
    pub async fn organizer_name(&self, organizer_id: i64) -> AppResult<String> {
        Ok(self.store.organizer(organizer_id).await?.name)
    }

    /// Every organizer with its staff and fair counts (platform admin).
    pub async fn organizers_for_admin(&self, user: &User) -> AppResult<Vec<OrganizerSummary>> {
        require_admin(user)?;
        Ok(self.store.organizers_with_counts().await?)
    }

    /// Registers an organizer (platform admin). A name already taken is a conflict on `name`.
    #[tracing::instrument(skip_all, fields(user = user.id))]
    pub async fn create_organizer(
        &self,
        user: &User,
        input: &OrganizerInput<'_>,
    ) -> AppResult<Organizer> {
        require_admin(user)?;
        let d = OrganizerDraft::parse(
            input.name,
            input.kind,
            input.contact_name,
            input.contact_phone,
            input.contact_email,
        )?;
        if self.store.organizer_by_name(&d.name).await?.is_some() {
            return Err(name_taken());
        }
        let new = NewOrganizer {
            name: &d.name,
            kind: d.kind,
            contact_name: &d.contact_name,
            contact_phone: &d.contact_phone,
            contact_email: d.contact_email.as_deref(),
            now: now_ms(),
        };
        let id = self
            .store
            .create_organizer(&new)
            .await
            .map_err(|e| match e {
                // Two admins raced for the same name.
                StoreError::Unique(Constraint::OrganizerName) => name_taken(),
                other => other.into(),
            })?;
        tracing::info!(organizer = id, "organizer created");
        Ok(self.store.organizer(id).await?)
    }

    /// One organizer and its staff accounts (platform admin).
    pub async fn organizer_for_admin(
        &self,
        user: &User,
        organizer_id: i64,
    ) -> AppResult<(Organizer, Vec<StaffMember>)> {
        require_admin(user)?;
        let organizer = self.store.organizer(organizer_id).await?;
        let staff = self.store.staff_of_organizer(organizer_id).await?;
        Ok((organizer, staff))
    }

    /// Creates a staff account of an organizer that signs in with e-mail and password
    /// (platform admin). A taken e-mail is a conflict on `email`.
    #[tracing::instrument(skip_all, fields(user = user.id, organizer = organizer_id))]
    pub async fn add_organizer_staff(
        &self,
        user: &User,
        organizer_id: i64,
        input: &StaffInput<'_>,
    ) -> AppResult<User> {
        require_admin(user)?;
        let organizer = self.store.organizer(organizer_id).await?;
        self.create_password_account(
            Role::OrganizerStaff,
            input.email,
            input.password,
            input.name,
            Some(organizer.id),
            None,
        )
        .await
    }
}
