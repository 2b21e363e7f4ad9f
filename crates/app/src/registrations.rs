//! Fair registrations (单位报名): sign-up, review, changes by organizer staff with an audit log.
//!
//! Who may do what:
//! - the employer admin signs up its employer (approved 入驻 at the fair's organizer, inside
//!   the sign-up window) and edits the registration until it is approved;
//! - after approval, only the organizer's staff change it, on the employer's request, and every
//!   change is logged with who, when, before and after;
//! - staff of the fair's organizer approve (within the fair's employer limit) or reject with a
//!   reason; the employer is notified either way.

use fairhall_domain::DomainError;
use fairhall_domain::account::Role;
use fairhall_domain::msg;
use fairhall_domain::notification::Kind;
use fairhall_domain::registration::{RegistrationDraft, RegistrationSnapshot};
use fairhall_domain::review::{
    self, JoinStatus, RegistrationStatus, ReviewError, check_capacity, check_signup_window,
};
use fairhall_store::registrations::{
    FairForSignup, Registration, RegistrationContent, Review, ReviewOutcome,
};
pub use fairhall_store::registrations::{RegistrationChange, RegistrationListed};
use fairhall_store::users::User;
use fairhall_store::{Constraint, StoreError};

use crate::{App, AppError, AppResult, now_ms};

impl From<ReviewError> for AppError {
    fn from(e: ReviewError) -> Self {
        let field = match e.field() {
            "" => "form",
            f => f,
        };
        AppError::Invalid(DomainError::new(e.code(), field, e.message()))
    }
}

/// Several field errors at once become one `Invalid` for the first; forms re-check the rest.
fn first_error(errors: Vec<DomainError>) -> AppError {
    errors
        .into_iter()
        .next()
        .map(AppError::Invalid)
        .unwrap_or_else(|| AppError::Internal(anyhow::anyhow!("empty error list")))
}

fn content_of(draft: &RegistrationDraft) -> RegistrationContent<'_> {
    RegistrationContent {
        position_ids: &draft.position_ids,
        interviewer_ids: &draft.interviewer_ids,
        contact_name: &draft.contact_name,
        contact_phone: &draft.contact_phone,
        brochure_id: draft.brochure_id,
    }
}

/// A fair in the employer's sign-up list, with where the employer stands.
#[derive(Debug, Clone)]
pub struct SignupFair {
    pub fair: FairForSignup,
    pub join: Option<JoinStatus>,
    pub registration: Option<Registration>,
    pub window_open: bool,
}

impl SignupFair {
    /// Whether the employer may submit (or resubmit) a registration for this fair now: the
    /// sign-up window is open, the employer has joined the organizer, and no registration of
    /// it is approved yet (changes after approval go through the organizer's staff).
    pub fn can_sign_up(&self) -> bool {
        self.window_open
            && self.join == Some(JoinStatus::Approved)
            && self
                .registration
                .as_ref()
                .is_none_or(|r| r.status != RegistrationStatus::Approved)
    }
}

/// A registration with everything a detail page shows.
#[derive(Debug, Clone)]
pub struct RegistrationDetail {
    pub listed: RegistrationListed,
    pub registration: Registration,
    pub positions: Vec<(i64, String)>,
    pub interviewers: Vec<(i64, String)>,
    pub brochure: Option<String>,
}

/// What a registration form offers an employer to choose from, each as (id, label), and the
/// employer's name.
#[derive(Debug, Clone)]
pub struct SignupChoices {
    pub employer: String,
    pub positions: Vec<(i64, String)>,
    /// The employer's admins and interviewers.
    pub interviewers: Vec<(i64, String)>,
    pub brochures: Vec<(i64, String)>,
}

impl App {
    /// The write lost a race: say what the registration is now, as the domain words it.
    async fn changed_meanwhile(&self, id: i64) -> AppError {
        match self.store.registration(id).await {
            Ok(Some(r)) => AppError::Conflict {
                code: "changed_meanwhile",
                field: "form",
                message: msg!("error.app.changed_meanwhile", status = r.status.label()),
            },
            Ok(None) => AppError::NotFound,
            Err(e) => e.into(),
        }
    }

    /// The employer a user acts for, if they are its admin.
    fn employer_admin_of(&self, user: &User) -> AppResult<i64> {
        match (user.role, user.employer_id) {
            (Role::EmployerAdmin, Some(e)) => Ok(e),
            _ => Err(AppError::Forbidden),
        }
    }

    fn organizer_staff_of(&self, user: &User) -> AppResult<i64> {
        match (user.role, user.organizer_id) {
            (Role::OrganizerStaff, Some(o)) => Ok(o),
            _ => Err(AppError::Forbidden),
        }
    }

    /// 云校招-视频双选会: fairs whose sign-up has not closed, with the employer's standing.
    pub async fn fairs_for_employer(
        &self,
        user: &User,
        search: &str,
    ) -> AppResult<Vec<SignupFair>> {
        let employer = self.employer_admin_of(user)?;
        let now = now_ms();
        let fairs = self.store.fairs_for_signup(now, search).await?;
        let mut out = Vec::with_capacity(fairs.len());
        for fair in fairs {
            let join = self.store.join_status(employer, fair.organizer_id).await?;
            let registration = self.store.registration_of(fair.id, employer).await?;
            let window_open =
                check_signup_window(now, fair.signup_opens_at, fair.signup_closes_at).is_ok();
            out.push(SignupFair {
                fair,
                join,
                registration,
                window_open,
            });
        }
        Ok(out)
    }

    /// One fair for the sign-up form.
    pub async fn fair_for_employer(&self, user: &User, fair_id: i64) -> AppResult<SignupFair> {
        let employer = self.employer_admin_of(user)?;
        let fair = self
            .store
            .fair_for_signup(fair_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let join = self.store.join_status(employer, fair.organizer_id).await?;
        let registration = self.store.registration_of(fair.id, employer).await?;
        let window_open =
            check_signup_window(now_ms(), fair.signup_opens_at, fair.signup_closes_at).is_ok();
        Ok(SignupFair {
            fair,
            join,
            registration,
            window_open,
        })
    }

    /// Checks that every chosen id belongs to the employer; returns the snapshot for the log.
    async fn check_choices(
        &self,
        employer: i64,
        draft: &RegistrationDraft,
    ) -> AppResult<RegistrationSnapshot> {
        let positions = self
            .store
            .own_positions(employer, &draft.position_ids)
            .await?;
        if positions.len() != draft.position_ids.len() {
            return Err(DomainError::new(
                "unknown_position",
                "position_ids",
                msg!("error.app.unknown_position_choice"),
            )
            .into());
        }
        let interviewers = self
            .store
            .own_staff(employer, &draft.interviewer_ids)
            .await?;
        if interviewers.len() != draft.interviewer_ids.len() {
            return Err(DomainError::new(
                "unknown_interviewer",
                "interviewer_ids",
                msg!("error.app.unknown_interviewer"),
            )
            .into());
        }
        let brochure = match draft.brochure_id {
            Some(b) => Some(
                self.store
                    .own_brochure_title(employer, b)
                    .await?
                    .ok_or_else(|| {
                        DomainError::new(
                            "unknown_brochure",
                            "brochure_id",
                            msg!("error.app.unknown_brochure"),
                        )
                    })?,
            ),
            None => None,
        };
        Ok(RegistrationSnapshot {
            positions: positions.into_iter().map(|(_, t)| t).collect(),
            interviewers: interviewers.into_iter().map(|(_, n)| n).collect(),
            contact_name: draft.contact_name.clone(),
            contact_phone: draft.contact_phone.clone(),
            brochure,
        })
    }

    /// 报名: the employer admin signs up for a fair. A rejected registration is resubmitted.
    #[tracing::instrument(skip_all, fields(fair.id = fair_id))]
    pub async fn sign_up_for_fair(
        &self,
        user: &User,
        fair_id: i64,
        draft: Result<RegistrationDraft, Vec<DomainError>>,
    ) -> AppResult<i64> {
        let employer = self.employer_admin_of(user)?;
        let fair = self
            .store
            .fair_for_signup(fair_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let joined = self.store.join_status(employer, fair.organizer_id).await?;
        if joined != Some(JoinStatus::Approved) {
            return Err(AppError::Conflict {
                code: "not_joined",
                field: "form",
                message: msg!("error.app.not_joined", organizer = &fair.organizer_name),
            });
        }
        let now = now_ms();
        check_signup_window(now, fair.signup_opens_at, fair.signup_closes_at)?;
        let draft = draft.map_err(first_error)?;
        self.check_choices(employer, &draft).await?;
        let content = content_of(&draft);
        if let Some(existing) = self.store.registration_of(fair_id, employer).await? {
            let from = existing.status;
            let next = review::registration::employer_edit(from)?;
            let written = self
                .store
                .update_registration(existing.id, from, next, &content, None, now)
                .await?;
            if !written {
                return Err(self.changed_meanwhile(existing.id).await);
            }
            return Ok(existing.id);
        }
        match self
            .store
            .insert_registration(fair_id, employer, &content, now)
            .await
        {
            Ok(id) => Ok(id),
            Err(StoreError::Unique(Constraint::Registration)) => Err(AppError::Conflict {
                code: "already_registered",
                field: "form",
                message: msg!("error.app.already_registered"),
            }),
            Err(e) => Err(e.into()),
        }
    }

    /// The employer edits its registration; refused once approved (the organizer's staff make
    /// changes then).
    pub async fn edit_registration(
        &self,
        user: &User,
        registration_id: i64,
        draft: Result<RegistrationDraft, Vec<DomainError>>,
    ) -> AppResult<()> {
        let employer = self.employer_admin_of(user)?;
        let r = self
            .store
            .registration(registration_id)
            .await?
            .filter(|r| r.employer_id == employer)
            .ok_or(AppError::NotFound)?;
        let from = r.status;
        let next = review::registration::employer_edit(from)?;
        let fair = self
            .store
            .fair_for_signup(r.fair_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let now = now_ms();
        // Editing sends the registration (back) to review: only while sign-up is open.
        check_signup_window(now, fair.signup_opens_at, fair.signup_closes_at)?;
        let draft = draft.map_err(first_error)?;
        self.check_choices(employer, &draft).await?;
        let content = content_of(&draft);
        let written = self
            .store
            .update_registration(r.id, from, next, &content, None, now)
            .await?;
        if written {
            Ok(())
        } else {
            Err(self.changed_meanwhile(r.id).await)
        }
    }

    /// 我的报名: an employer admin sees its employer's registrations; an interviewer those
    /// they were chosen for.
    pub async fn my_registrations(&self, user: &User) -> AppResult<Vec<RegistrationListed>> {
        match (user.role, user.employer_id) {
            (Role::EmployerAdmin, Some(e)) => Ok(self.store.registrations_of_employer(e).await?),
            (Role::Interviewer, Some(_)) => {
                Ok(self.store.registrations_of_interviewer(user.id).await?)
            }
            _ => Err(AppError::Forbidden),
        }
    }

    async fn detail(&self, registration: Registration) -> AppResult<RegistrationDetail> {
        let listed = self
            .store
            .registration_listed(registration.id)
            .await?
            .ok_or(AppError::NotFound)?;
        let position_ids = self
            .store
            .registration_position_ids(registration.id)
            .await?;
        let positions = self.store.position_titles(&position_ids).await?;
        let interviewer_ids = self
            .store
            .registration_interviewer_ids(registration.id)
            .await?;
        let interviewers = self
            .store
            .own_staff(registration.employer_id, &interviewer_ids)
            .await?;
        let brochure = match registration.brochure_id {
            Some(b) => {
                self.store
                    .own_brochure_title(registration.employer_id, b)
                    .await?
            }
            None => None,
        };
        Ok(RegistrationDetail {
            listed,
            registration,
            positions,
            interviewers,
            brochure,
        })
    }

    /// A registration as its employer (admin, or a chosen interviewer) sees it.
    pub async fn registration_for_employer(
        &self,
        user: &User,
        registration_id: i64,
    ) -> AppResult<RegistrationDetail> {
        let r = self
            .store
            .registration(registration_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let allowed = match (user.role, user.employer_id) {
            (Role::EmployerAdmin, Some(e)) => e == r.employer_id,
            (Role::Interviewer, Some(e)) => {
                e == r.employer_id
                    && self
                        .store
                        .registration_interviewer_ids(r.id)
                        .await?
                        .contains(&user.id)
            }
            _ => return Err(AppError::Forbidden),
        };
        if !allowed {
            return Err(AppError::NotFound);
        }
        self.detail(r).await
    }

    /// A registration as the fair organizer's staff see it (404 for other organizers).
    pub async fn registration_for_staff(
        &self,
        user: &User,
        registration_id: i64,
    ) -> AppResult<RegistrationDetail> {
        let organizer = self.organizer_staff_of(user)?;
        let r = self
            .store
            .registration(registration_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let d = self.detail(r).await?;
        if d.listed.organizer_id != organizer {
            return Err(AppError::NotFound);
        }
        Ok(d)
    }

    /// A registration's change log, for staff of the fair's organizer (404 for other
    /// organizers, as in [`App::registration_for_staff`]).
    pub async fn registration_changes(
        &self,
        user: &User,
        registration_id: i64,
    ) -> AppResult<Vec<RegistrationChange>> {
        let organizer = self.organizer_staff_of(user)?;
        let r = self
            .store
            .registration(registration_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if self.store.fair_cached(r.fair_id).await?.organizer_id != organizer {
            return Err(AppError::NotFound);
        }
        Ok(self.store.registration_changes(registration_id).await?)
    }

    /// The choices of a registration form for `employer_id`. The form's page has already been
    /// allowed the registration or the fair it is for ([`App::fair_for_employer`],
    /// [`App::registration_for_employer`], [`App::registration_for_staff`]), which names the
    /// employer.
    pub async fn signup_choices(&self, employer_id: i64) -> AppResult<SignupChoices> {
        let (positions, interviewers, brochures) = self.store.signup_choices(employer_id).await?;
        let employer = self.store.employer(employer_id).await?.name;
        Ok(SignupChoices {
            employer,
            positions,
            interviewers,
            brochures,
        })
    }

    /// The staff's review queue: registrations to their organizer's fairs.
    pub async fn registrations_for_staff(
        &self,
        user: &User,
        status: Option<RegistrationStatus>,
    ) -> AppResult<Vec<RegistrationListed>> {
        let organizer = self.organizer_staff_of(user)?;
        Ok(self
            .store
            .registrations_of_organizer(organizer, status)
            .await?)
    }

    /// Approves a registration, within the fair's employer limit.
    pub async fn approve_registration(&self, user: &User, registration_id: i64) -> AppResult<()> {
        let d = self.registration_for_staff(user, registration_id).await?;
        let next = review::registration::approve(d.registration.status)?;
        let fair = self
            .store
            .fair_for_signup(d.listed.fair_id)
            .await?
            .ok_or(AppError::NotFound)?;
        debug_assert_eq!(next, RegistrationStatus::Approved);
        let outcome = self
            .store
            .review_registration(
                d.registration.id,
                Review::Approve {
                    fair_id: fair.id,
                    limit: fair.employer_limit,
                },
                user.id,
                now_ms(),
            )
            .await?;
        match outcome {
            ReviewOutcome::Done => {}
            ReviewOutcome::Full { approved } => {
                let limit = fair
                    .employer_limit
                    .map(|l| u32::try_from(l).unwrap_or(u32::MAX));
                check_capacity(u32::try_from(approved).unwrap_or(u32::MAX), limit)?;
                return Err(AppError::Internal(anyhow::anyhow!(
                    "capacity check disagrees"
                )));
            }
            ReviewOutcome::StatusChanged => {
                return Err(self.changed_meanwhile(d.registration.id).await);
            }
        }
        self.notify_employer_admins(
            d.registration.employer_id,
            Kind::RegistrationApproved,
            "双选会报名已通过审核",
            &format!(
                "贵单位报名的“{}”已通过主办方审核。双选会开始后，可在“我的报名”中进入视频面试大厅。",
                d.listed.fair_title
            ), "/employer/registrations")
        .await;
        Ok(())
    }

    /// Rejects a registration with a reason.
    pub async fn reject_registration(
        &self,
        user: &User,
        registration_id: i64,
        reason: &str,
    ) -> AppResult<()> {
        let d = self.registration_for_staff(user, registration_id).await?;
        let (next, reason) = review::registration::reject(d.registration.status, reason)?;
        debug_assert_eq!(next, RegistrationStatus::Rejected);
        let outcome = self
            .store
            .review_registration(
                d.registration.id,
                Review::Reject {
                    reason: reason.as_str(),
                },
                user.id,
                now_ms(),
            )
            .await?;
        if outcome != ReviewOutcome::Done {
            return Err(self.changed_meanwhile(d.registration.id).await);
        }
        self.notify_employer_admins(
            d.registration.employer_id,
            Kind::RegistrationRejected,
            "双选会报名未通过审核",
            &format!(
                "贵单位报名的“{}”未通过审核，原因：{}。修改后可重新提交。",
                d.listed.fair_title,
                reason.as_str()
            ),
            "/employer/registrations",
        )
        .await;
        Ok(())
    }

    /// Organizer staff change an approved registration on the employer's request; the change
    /// is logged with before and after.
    pub async fn staff_edit_registration(
        &self,
        user: &User,
        registration_id: i64,
        draft: Result<RegistrationDraft, Vec<DomainError>>,
        note: &str,
    ) -> AppResult<()> {
        let d = self.registration_for_staff(user, registration_id).await?;
        let next = review::registration::staff_edit(d.registration.status)?;
        let draft = draft.map_err(first_error)?;
        let note = note.trim();
        if note.chars().count() > 200 {
            return Err(
                DomainError::new("note_too_long", "note", msg!("error.app.note_too_long")).into(),
            );
        }
        let employer = d.registration.employer_id;
        let after = self.check_choices(employer, &draft).await?;
        let before = RegistrationSnapshot {
            positions: d.positions.iter().map(|(_, t)| t.clone()).collect(),
            interviewers: d.interviewers.iter().map(|(_, n)| n.clone()).collect(),
            contact_name: d.registration.contact_name.clone(),
            contact_phone: d.registration.contact_phone.clone(),
            brochure: d.brochure.clone(),
        };
        if fairhall_domain::registration::changed_fields(&before, &after).is_empty() {
            return Err(DomainError::new(
                "nothing_changed",
                "form",
                msg!("error.app.nothing_changed"),
            )
            .into());
        }
        let before_json = serde_json::to_string(&before).map_err(anyhow::Error::from)?;
        let after_json = serde_json::to_string(&after).map_err(anyhow::Error::from)?;
        let content = content_of(&draft);
        let written = self
            .store
            .update_registration(
                d.registration.id,
                RegistrationStatus::Approved,
                next,
                &content,
                Some((user.id, "staff_edit", &before_json, &after_json, note)),
                now_ms(),
            )
            .await?;
        if !written {
            return Err(self.changed_meanwhile(d.registration.id).await);
        }
        self.notify_employer_admins(
            employer,
            Kind::RegistrationChanged,
            "双选会报名信息已修改",
            &format!(
                "主办方工作人员已按贵单位的申请修改“{}”的报名信息。",
                d.listed.fair_title
            ),
            "/employer/registrations",
        )
        .await;
        Ok(())
    }
}
