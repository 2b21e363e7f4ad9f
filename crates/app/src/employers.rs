//! Employers (单位): registration (立即注册), profile, join requests (入驻) and their review by
//! organizer staff, interviewers (面试官), positions (招聘职位).

use fairhall_domain::notification::Kind;
use std::net::IpAddr;

use fairhall_domain::DomainError;
use fairhall_domain::account::{DisplayName, Phone, Role};
use fairhall_domain::employer::{
    EmployerRegistration, PositionDraft, PositionInput, Profile, ProfileInput, RegistrationInput,
    check_credit_code_change,
};
use fairhall_domain::msg;
use fairhall_domain::review::{self, JoinStatus, join};
pub use fairhall_store::employers::{
    EmployerProfile, Interviewer, JoinRequest, OrganizerJoin, Position,
};
use fairhall_store::employers::{JoinRequestWithEmployer, PositionFields, ProfileFields};
use fairhall_store::users::User;
use fairhall_store::{Constraint, StoreError};

use crate::files::{FileKind, check_upload};
use crate::notify::NewNotification;
use crate::{App, AppError, AppResult, now_ms};

/// One uploaded file, before it is checked and stored.
#[derive(Debug, Clone)]
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// The files of an employer's profile; either may be absent.
#[derive(Debug, Clone, Default)]
pub struct EmployerFiles {
    pub logo: Option<Upload>,
    pub licence: Option<Upload>,
}

impl EmployerFiles {
    /// Checks size and type by content before anything is written, so a bad file refuses
    /// the whole form.
    fn check(&self) -> Result<(), DomainError> {
        if let Some(logo) = &self.logo {
            check_upload(FileKind::Logo, &logo.bytes, "logo")?;
        }
        if let Some(licence) = &self.licence {
            check_upload(FileKind::Licence, &licence.bytes, "licence")?;
        }
        Ok(())
    }
}

/// A completed registration.
#[derive(Debug, Clone)]
pub struct Registered {
    /// The new employer admin, to be signed in.
    pub user: User,
    pub employer_id: i64,
    /// The join request made to the organizer of the fair the employer came from.
    pub join_request_id: Option<i64>,
    /// The entry code of that fair.
    pub fair_code: Option<String>,
}

/// A join request in an organizer's review queue.
#[derive(Debug, Clone)]
pub struct JoinQueueItem {
    pub request: JoinRequest,
    pub employer: EmployerProfile,
    /// When staff should have answered (submitted + 24 h).
    pub deadline: i64,
    /// Pending past the deadline.
    pub overdue: bool,
}

fn credit_code_taken() -> AppError {
    AppError::Conflict {
        code: "credit_code_taken",
        field: "credit_code",
        message: msg!("error.app.credit_code_registered"),
    }
}

fn email_taken() -> AppError {
    AppError::Conflict {
        code: "email_taken",
        field: "email",
        message: msg!("error.app.email_registered"),
    }
}

fn fields_of(p: &Profile) -> ProfileFields<'_> {
    ProfileFields {
        name: &p.name,
        credit_code: p.credit_code.as_str(),
        contact_name: &p.contact_name,
        contact_phone: p.contact_phone.as_str(),
        contact_email: p.contact_email.as_str(),
        industry: &p.industry,
        size: p.size.as_str(),
        city: &p.city,
        address: p.address.as_deref(),
        description: p.description.as_deref(),
    }
}

fn position_fields<'a>(d: &'a PositionDraft, majors: &'a str) -> PositionFields<'a> {
    PositionFields {
        title: &d.title,
        headcount: d.headcount,
        education: d.education.as_str(),
        majors,
        city: &d.city,
        salary_min: d.salary.map(|s| s.min),
        salary_max: d.salary.map(|s| s.max),
        description: d.description.as_deref(),
    }
}

impl App {
    /// The employer an employer admin or interviewer belongs to; 403 for everyone else.
    pub fn employer_of(&self, user: &User) -> AppResult<i64> {
        match (user.role, user.employer_id) {
            (Role::EmployerAdmin | Role::Interviewer, Some(id)) => Ok(id),
            _ => Err(AppError::Forbidden),
        }
    }

    /// The employer of an employer admin; 403 for everyone else (interviewers included).
    pub fn require_employer_admin(&self, user: &User) -> AppResult<i64> {
        match (user.role, user.employer_id) {
            (Role::EmployerAdmin, Some(id)) => Ok(id),
            _ => Err(AppError::Forbidden),
        }
    }

    fn require_organizer_staff(&self, user: &User) -> AppResult<i64> {
        match (user.role, user.organizer_id) {
            (Role::OrganizerStaff, Some(id)) => Ok(id),
            _ => Err(AppError::Forbidden),
        }
    }

    /// Public registration (立即注册): the employer, its admin account, the uploaded logo and
    /// licence, and — when the employer came from a fair's page — a join request (入驻) to
    /// that fair's organizer. Nothing is written unless every field and file is acceptable.
    #[tracing::instrument(skip_all)]
    pub async fn register_employer(
        &self,
        input: &RegistrationInput,
        fair_code: Option<&str>,
        files: EmployerFiles,
        ip: IpAddr,
    ) -> AppResult<Registered> {
        self.limit(&self.limits.login_ip, &ip).await?;
        let reg = EmployerRegistration::parse(input).map_err(DomainError::from)?;
        files.check()?;
        let fair = match fair_code.map(str::trim).filter(|c| !c.is_empty()) {
            Some(code) => Some(self.fair_by_code(code).await?.ok_or_else(|| {
                DomainError::new("unknown_fair", "fair", msg!("error.app.unknown_fair"))
            })?),
            None => None,
        };
        if self
            .store
            .employer_by_credit_code(reg.profile.credit_code.as_str())
            .await?
            .is_some()
        {
            return Err(credit_code_taken());
        }
        if self
            .store
            .credentials_by_email(reg.email.as_str())
            .await?
            .is_some()
        {
            return Err(email_taken());
        }
        let now = now_ms();
        let employer_id = self
            .store
            .insert_employer_profile(&fields_of(&reg.profile), now)
            .await
            .map_err(|e| match e {
                StoreError::Unique(Constraint::EmployerCreditCode) => credit_code_taken(),
                other => other.into(),
            })?;
        let user = match self
            .create_password_account(
                Role::EmployerAdmin,
                reg.email.as_str(),
                reg.password.expose(),
                &reg.profile.contact_name,
                None,
                Some(employer_id),
            )
            .await
        {
            Ok(u) => u,
            Err(e) => {
                // A racing registration took the e-mail: leave no employer without an admin.
                if let Err(undo) = self.store.delete_new_employer(employer_id).await {
                    tracing::warn!(error = %undo, employer_id, "removing a half-registered employer failed");
                }
                return Err(e);
            }
        };
        self.store
            .set_staff_phone(user.id, reg.profile.contact_phone.as_str())
            .await?;
        self.save_employer_files(employer_id, user.id, files)
            .await?;
        let mut join_request_id = None;
        if let Some(fair) = &fair {
            join_request_id = Some(
                self.submit_join_request(employer_id, &reg.profile.name, fair.organizer_id)
                    .await?
                    .id,
            );
        }
        tracing::info!(employer_id, "employer registered");
        Ok(Registered {
            user,
            employer_id,
            join_request_id,
            fair_code: fair.map(|f| f.entry_code),
        })
    }

    async fn save_employer_files(
        &self,
        employer_id: i64,
        owner: i64,
        files: EmployerFiles,
    ) -> AppResult<()> {
        let mut logo = None;
        let mut licence = None;
        if let Some(f) = files.logo {
            logo = Some(
                self.store_upload(owner, FileKind::Logo, f.bytes, &f.file_name, "logo")
                    .await?
                    .key,
            );
        }
        if let Some(f) = files.licence {
            licence = Some(
                self.store_upload(owner, FileKind::Licence, f.bytes, &f.file_name, "licence")
                    .await?
                    .key,
            );
        }
        if logo.is_some() || licence.is_some() {
            self.store
                .set_employer_files(employer_id, logo.as_deref(), licence.as_deref(), now_ms())
                .await?;
        }
        Ok(())
    }

    /// The signed-in employer's profile (employer admins and their interviewers).
    pub async fn employer_profile(&self, user: &User) -> AppResult<EmployerProfile> {
        let id = self.employer_of(user)?;
        Ok(self.store.employer_profile(id).await?)
    }

    /// Whether the credit code can still be changed (no organizer has approved the employer).
    pub async fn credit_code_editable(&self, user: &User) -> AppResult<bool> {
        let id = self.employer_of(user)?;
        Ok(!self.store.employer_approved_anywhere(id).await?)
    }

    /// Edits the profile and optionally replaces the logo and licence. The credit code is
    /// frozen once any organizer approved the employer.
    #[tracing::instrument(skip_all, fields(user.id = user.id))]
    pub async fn update_employer_profile(
        &self,
        user: &User,
        input: &ProfileInput,
        files: EmployerFiles,
    ) -> AppResult<EmployerProfile> {
        let id = self.require_employer_admin(user)?;
        let profile = Profile::parse(input).map_err(DomainError::from)?;
        files.check()?;
        let current = self.store.employer_profile(id).await?;
        check_credit_code_change(
            current.credit_code.as_deref(),
            &profile.credit_code,
            self.store.employer_approved_anywhere(id).await?,
        )?;
        self.store
            .update_employer_profile(id, &fields_of(&profile), now_ms())
            .await
            .map_err(|e| match e {
                StoreError::Unique(Constraint::EmployerCreditCode) => AppError::Conflict {
                    code: "credit_code_taken",
                    field: "credit_code",
                    message: msg!("error.app.credit_code_taken"),
                },
                other => other.into(),
            })?;
        self.save_employer_files(id, user.id, files).await?;
        Ok(self.store.employer_profile(id).await?)
    }

    /// Replaces the logo and/or licence only.
    pub async fn upload_employer_files(
        &self,
        user: &User,
        files: EmployerFiles,
    ) -> AppResult<EmployerProfile> {
        let id = self.require_employer_admin(user)?;
        if files.logo.is_none() && files.licence.is_none() {
            return Err(DomainError::new(
                "file_required",
                "file",
                msg!("error.app.employer_file_required"),
            )
            .into());
        }
        files.check()?;
        self.save_employer_files(id, user.id, files).await?;
        Ok(self.store.employer_profile(id).await?)
    }

    // ---------- join requests (入驻) ----------

    /// Every organizer, with the signed-in employer's join status at each.
    pub async fn employer_organizers(&self, user: &User) -> AppResult<Vec<OrganizerJoin>> {
        let id = self.require_employer_admin(user)?;
        Ok(self.store.organizers_with_join(id).await?)
    }

    /// The employer asks to join an organizer (入驻申请).
    #[tracing::instrument(skip_all, fields(user.id = user.id, organizer.id = organizer_id))]
    pub async fn apply_to_join(&self, user: &User, organizer_id: i64) -> AppResult<JoinRequest> {
        let employer_id = self.require_employer_admin(user)?;
        // An unknown organizer is a 404, like any id that does not exist.
        self.store.organizer(organizer_id).await?;
        let name = self.store.employer(employer_id).await?.name;
        self.submit_join_request(employer_id, &name, organizer_id)
            .await
    }

    async fn submit_join_request(
        &self,
        employer_id: i64,
        employer_name: &str,
        organizer_id: i64,
    ) -> AppResult<JoinRequest> {
        let id = self
            .store
            .insert_join_request(employer_id, organizer_id, now_ms())
            .await
            .map_err(|e| match e {
                StoreError::Unique(Constraint::JoinRequest) => AppError::Conflict {
                    code: "join_request_exists",
                    field: "organizer_id",
                    message: msg!("error.app.join_request_exists"),
                },
                other => other.into(),
            })?;
        self.tell_staff_of_request(organizer_id, employer_name)
            .await;
        self.store.join_request(id).await?.ok_or(AppError::NotFound)
    }

    /// Staff learn of new requests in the app; a failure here must not undo the request.
    async fn tell_staff_of_request(&self, organizer_id: i64, employer_name: &str) {
        let staff = match self.store.organizer_staff_ids(organizer_id).await {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, organizer_id, "listing staff to notify failed");
                return;
            }
        };
        let body = format!("{employer_name} 提交了入驻申请，请在 24 小时内完成审核。");
        for staff_id in staff {
            let sent = self
                .notify(
                    staff_id,
                    NewNotification {
                        kind: Kind::JoinSubmitted,
                        title: "新的入驻申请",
                        body: &body,
                        link: Some("/staff/join-requests"),
                        email: false,
                    },
                )
                .await;
            if let Err(e) = sent {
                tracing::warn!(error = %e, staff_id, "notifying staff of a join request failed");
            }
        }
    }

    /// A rejected employer sends its request back for review (the 24-hour deadline restarts).
    #[tracing::instrument(skip_all, fields(user.id = user.id, join_request.id = request_id))]
    pub async fn resubmit_join_request(
        &self,
        user: &User,
        request_id: i64,
    ) -> AppResult<JoinRequest> {
        let employer_id = self.require_employer_admin(user)?;
        let request = self
            .store
            .join_request(request_id)
            .await?
            .filter(|r| r.employer_id == employer_id)
            .ok_or(AppError::NotFound)?;
        join::resubmit(request.status)?;
        if !self
            .store
            .resubmit_join_request(request_id, now_ms())
            .await?
        {
            // Resubmitted in another tab meanwhile: report the status that won.
            let now = self
                .store
                .join_request(request_id)
                .await?
                .ok_or(AppError::NotFound)?;
            join::resubmit(now.status)?;
        }
        let name = self.store.employer(employer_id).await?.name;
        self.tell_staff_of_request(request.organizer_id, &name)
            .await;
        self.store
            .join_request(request_id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// The signed-in staff member's organizer's join requests in `status`. Pending ones come
    /// overdue first, then oldest first; processed ones newest review first.
    pub async fn join_queue(
        &self,
        user: &User,
        status: JoinStatus,
    ) -> AppResult<Vec<JoinQueueItem>> {
        let organizer_id = self.require_organizer_staff(user)?;
        let now = now_ms();
        let mut items: Vec<JoinQueueItem> = self
            .store
            .join_requests_of_organizer(organizer_id, status)
            .await?
            .into_iter()
            .map(
                |JoinRequestWithEmployer { request, employer }| JoinQueueItem {
                    deadline: review::review_deadline(request.submitted_at),
                    overdue: request.status == JoinStatus::Pending
                        && review::is_overdue(request.submitted_at, now),
                    request,
                    employer,
                },
            )
            .collect();
        if status == JoinStatus::Pending {
            review::sort_review_queue(&mut items, |i| i.request.submitted_at, now);
        } else {
            items.sort_by_key(|i| std::cmp::Reverse(i.request.reviewed_at.unwrap_or(0)));
        }
        Ok(items)
    }

    /// One join request of the staff member's organizer; another organizer's is a 404.
    pub async fn join_request_for_staff(
        &self,
        user: &User,
        request_id: i64,
    ) -> AppResult<JoinQueueItem> {
        let organizer_id = self.require_organizer_staff(user)?;
        let request = self
            .store
            .join_request(request_id)
            .await?
            .filter(|r| r.organizer_id == organizer_id)
            .ok_or(AppError::NotFound)?;
        let employer = self.store.employer_profile(request.employer_id).await?;
        Ok(JoinQueueItem {
            deadline: review::review_deadline(request.submitted_at),
            overdue: request.status == JoinStatus::Pending
                && review::is_overdue(request.submitted_at, now_ms()),
            request,
            employer,
        })
    }

    /// Staff approve a join request; the employer admin is told in the app and by e-mail.
    #[tracing::instrument(skip_all, fields(user.id = user.id, join_request.id = request_id))]
    pub async fn approve_join_request(
        &self,
        user: &User,
        request_id: i64,
    ) -> AppResult<JoinRequest> {
        let item = self.join_request_for_staff(user, request_id).await?;
        let to = join::approve(item.request.status)?;
        self.write_review(&item.request, to, None, user.id).await?;
        let organizer = self.store.organizer(item.request.organizer_id).await?.name;
        let body = format!(
            "{organizer} 已通过贵单位（{}）的入驻申请，现在可以报名该主办方的视频双选会。",
            item.employer.name
        );
        self.notify_employer_admins(
            item.request.employer_id,
            Kind::JoinApproved,
            "入驻申请已通过",
            &body,
            "/employer/organizers",
        )
        .await;
        self.store
            .join_request(request_id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Staff reject a join request with a reason the employer sees.
    #[tracing::instrument(skip_all, fields(user.id = user.id, join_request.id = request_id))]
    pub async fn reject_join_request(
        &self,
        user: &User,
        request_id: i64,
        reason: &str,
    ) -> AppResult<JoinRequest> {
        let item = self.join_request_for_staff(user, request_id).await?;
        let (to, reason) = join::reject(item.request.status, reason)?;
        self.write_review(&item.request, to, Some(reason.as_str()), user.id)
            .await?;
        let organizer = self.store.organizer(item.request.organizer_id).await?.name;
        let body = format!(
            "{organizer} 未通过贵单位（{}）的入驻申请。原因：{reason}。请按原因修改单位信息后重新提交。",
            item.employer.name
        );
        self.notify_employer_admins(
            item.request.employer_id,
            Kind::JoinRejected,
            "入驻申请未通过",
            &body,
            "/employer/organizers",
        )
        .await;
        self.store
            .join_request(request_id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Writes a review unless another reviewer got there first, in which case the domain's
    /// answer for the status that won is returned.
    async fn write_review(
        &self,
        request: &JoinRequest,
        to: JoinStatus,
        reason: Option<&str>,
        reviewer: i64,
    ) -> AppResult<()> {
        let written = self
            .store
            .review_join_request(request.id, request.status, to, reason, reviewer, now_ms())
            .await?;
        if written {
            return Ok(());
        }
        let now = self
            .store
            .join_request(request.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let refused = match to {
            JoinStatus::Approved => join::approve(now.status).err(),
            _ => join::reject(now.status, reason.unwrap_or_default()).err(),
        };
        Err(refused
            .map(|e| AppError::Invalid(e.into()))
            .unwrap_or_else(|| AppError::Internal(anyhow::anyhow!("join review lost a race"))))
    }

    // ---------- interviewers (面试官) ----------

    pub async fn interviewers(&self, user: &User) -> AppResult<Vec<Interviewer>> {
        let id = self.require_employer_admin(user)?;
        Ok(self.store.interviewers_of(id).await?)
    }

    /// The employer admin creates an interviewer sub-account that signs in with e-mail and
    /// password. Every field is checked before the account is written.
    #[tracing::instrument(skip_all, fields(user.id = user.id))]
    pub async fn create_interviewer(
        &self,
        user: &User,
        name: &str,
        phone: &str,
        email: &str,
        password: &str,
    ) -> AppResult<Interviewer> {
        let employer_id = self.require_employer_admin(user)?;
        let name = DisplayName::parse(name)?;
        let phone = match phone.trim() {
            "" => None,
            p => Some(Phone::parse(p)?),
        };
        // E-mail and password are checked by `create_password_account`, before it writes.
        let account = self
            .create_password_account(
                Role::Interviewer,
                email,
                password,
                name.as_str(),
                None,
                Some(employer_id),
            )
            .await?;
        if let Some(phone) = &phone {
            self.store
                .set_staff_phone(account.id, phone.as_str())
                .await?;
        }
        self.store
            .interviewers_of(employer_id)
            .await?
            .into_iter()
            .find(|i| i.id == account.id)
            .ok_or(AppError::NotFound)
    }

    // ---------- positions (招聘职位) ----------

    pub async fn positions(&self, user: &User) -> AppResult<Vec<Position>> {
        let id = self.require_employer_admin(user)?;
        Ok(self.store.positions_of(id).await?)
    }

    /// One current position of the signed-in employer; another employer's is a 404.
    pub async fn position(&self, user: &User, position_id: i64) -> AppResult<Position> {
        let id = self.require_employer_admin(user)?;
        self.store
            .position(position_id)
            .await?
            .filter(|p| p.employer_id == id && p.deleted_at.is_none())
            .ok_or(AppError::NotFound)
    }

    #[tracing::instrument(skip_all, fields(user.id = user.id))]
    pub async fn create_position(&self, user: &User, input: &PositionInput) -> AppResult<Position> {
        let id = self.require_employer_admin(user)?;
        let draft = PositionDraft::parse(input).map_err(DomainError::from)?;
        let majors = draft.majors_text();
        let position_id = self
            .store
            .insert_position(id, &position_fields(&draft, &majors), now_ms())
            .await?;
        self.store
            .position(position_id)
            .await?
            .ok_or(AppError::NotFound)
    }

    #[tracing::instrument(skip_all, fields(user.id = user.id, position.id = position_id))]
    pub async fn update_position(
        &self,
        user: &User,
        position_id: i64,
        input: &PositionInput,
    ) -> AppResult<Position> {
        self.position(user, position_id).await?;
        let id = self.require_employer_admin(user)?;
        let draft = PositionDraft::parse(input).map_err(DomainError::from)?;
        let majors = draft.majors_text();
        if !self
            .store
            .update_position(id, position_id, &position_fields(&draft, &majors), now_ms())
            .await?
        {
            return Err(AppError::NotFound);
        }
        self.position(user, position_id).await
    }

    /// Soft delete: registrations that chose the position keep showing it.
    #[tracing::instrument(skip_all, fields(user.id = user.id, position.id = position_id))]
    pub async fn delete_position(&self, user: &User, position_id: i64) -> AppResult<()> {
        let id = self.require_employer_admin(user)?;
        if !self
            .store
            .delete_position(id, position_id, now_ms())
            .await?
        {
            return Err(AppError::NotFound);
        }
        Ok(())
    }
}
