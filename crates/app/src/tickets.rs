//! Interview tickets (面试): applications, invitations, the answers to them, and the queue (待面试).
//!
//! Who may do what:
//! - a student who entered the fair applies (申请面试) to an employer approved in it, only while
//!   the fair is live; accepts or declines the employer's invitations; withdraws their own
//!   pending application or cancels an agreed interview with a reason;
//! - the employer side is the employer's admin, or an interviewer chosen for that registration
//!   (another interviewer of the same employer is refused): it invites a student who entered the
//!   fair (邀约面试), accepts or rejects applications (a rejection is final for that fair),
//!   withdraws its own pending invitation, or cancels an agreed interview with a reason;
//! - anyone else gets 404 for a ticket or registration that is not theirs, and 403 for a role
//!   that has no tickets.
//!
//! Every change is checked by the domain (`fairhall_domain::ticket`) against the status read,
//! then written compare-and-set, so of two answers given at once exactly one wins; the other is
//! told the ticket's new status. The other side is notified, and `ticket_changed` is pushed to
//! the student and every user of the employer.

use fairhall_domain::DomainError;
use fairhall_domain::account::Role;
use fairhall_domain::msg;
use fairhall_domain::notification::Kind;
use fairhall_domain::review::RegistrationStatus;
use fairhall_domain::ticket::{
    self, Action, ListTab, LiveWindow, Origin, Side, Status, TicketError,
};
use fairhall_realtime::{ServerEvent, Topic};
use fairhall_store::registrations::Registration;
pub use fairhall_store::tickets::{EmployerTicket, StudentTicket, Ticket, TicketEvent};
use fairhall_store::tickets::{NewTicket, TicketChange};
use fairhall_store::users::User;
use fairhall_store::{Constraint, Stale, StoreError};

use crate::notify::NewNotification;
use crate::{App, AppError, AppResult, now_ms};

impl From<TicketError> for AppError {
    /// Input errors are 422; a ticket in the wrong state, or a fair not live, is a conflict
    /// (409); the wrong side acting is refused (403).
    fn from(e: TicketError) -> Self {
        match e {
            TicketError::NotAllowed { .. } => AppError::Refused {
                code: e.code(),
                message: e.message(),
            },
            TicketError::InvalidTransition { .. }
            | TicketError::NotLive { .. }
            | TicketError::RejectedFinal { .. }
            | TicketError::AlreadyOpen { .. }
            | TicketError::RegistrationNotApproved
            | TicketError::OtherSideOffline { .. }
            | TicketError::TakenByOther => AppError::Conflict {
                code: e.code(),
                field: e.field(),
                message: e.message(),
            },
            TicketError::VerdictRequired
            | TicketError::ReasonRequired
            | TicketError::ReasonTooLong { .. }
            | TicketError::NotesTooLong { .. }
            | TicketError::InvalidCharacters { .. }
            | TicketError::UnknownStatus { .. } => AppError::Invalid(e.into()),
        }
    }
}

fn approved(r: &Registration) -> bool {
    r.status == RegistrationStatus::Approved
}

/// What a change writes besides the status.
struct Change {
    action: Action,
    to: Status,
    reason: Option<String>,
}

impl App {
    /// The registration an employer-side user acts in: the employer's admin, or an interviewer
    /// chosen for it. Another employer's registration is not found; an interviewer of the same
    /// employer who was not chosen is refused.
    pub(crate) async fn employer_registration(
        &self,
        user: &User,
        registration_id: i64,
    ) -> AppResult<Registration> {
        self.own_registration(user, registration_id, false).await
    }

    /// `employer_registration` through the read cache, for pages that only show the hall.
    /// Actions check the registration afresh.
    pub(crate) async fn hall_registration(
        &self,
        user: &User,
        registration_id: i64,
    ) -> AppResult<Registration> {
        self.own_registration(user, registration_id, true).await
    }

    async fn own_registration(
        &self,
        user: &User,
        registration_id: i64,
        cached: bool,
    ) -> AppResult<Registration> {
        let employer_id = match (user.role, user.employer_id) {
            (Role::EmployerAdmin | Role::Interviewer, Some(e)) => e,
            _ => return Err(AppError::Forbidden),
        };
        let found = if cached {
            self.store.registration_cached(registration_id).await?
        } else {
            self.store.registration(registration_id).await?
        };
        let registration = found
            .filter(|r| r.employer_id == employer_id)
            .ok_or(AppError::NotFound)?;
        self.require_chosen(user, registration_id).await?;
        Ok(registration)
    }

    /// An interviewer acts only in registrations they were chosen for; an admin in all.
    pub(crate) async fn require_chosen(&self, user: &User, registration_id: i64) -> AppResult<()> {
        if user.role == Role::Interviewer
            && !self
                .store
                .registration_interviewer_ids(registration_id)
                .await?
                .contains(&user.id)
        {
            return Err(AppError::Refused {
                code: "not_chosen_interviewer",
                message: msg!("error.app.not_chosen_interviewer"),
            });
        }
        Ok(())
    }

    /// A ticket the user is a side of, with that side.
    pub(crate) async fn own_ticket(&self, user: &User, id: i64) -> AppResult<(Ticket, Side)> {
        let side = match (user.role, user.employer_id) {
            (Role::Student, _) => Side::Student,
            (Role::EmployerAdmin | Role::Interviewer, Some(_)) => Side::Employer,
            _ => return Err(AppError::Forbidden),
        };
        let t = self.store.ticket(id).await?.ok_or(AppError::NotFound)?;
        let mine = match side {
            Side::Student => t.student_id == user.id,
            Side::Employer => user.employer_id == Some(t.employer_id),
        };
        if !mine {
            return Err(AppError::NotFound);
        }
        if side == Side::Employer {
            self.require_chosen(user, t.registration_id).await?;
        }
        Ok((t, side))
    }

    pub(crate) async fn live_window(&self, fair_id: i64) -> AppResult<LiveWindow> {
        let fair = self.store.fair(fair_id).await?;
        Ok(LiveWindow::new(fair.starts_at, fair.ends_at))
    }

    async fn previous_statuses(
        &self,
        registration_id: i64,
        student_id: i64,
    ) -> AppResult<Vec<Status>> {
        Ok(self
            .store
            .ticket_statuses(registration_id, student_id)
            .await?)
    }

    /// Writes a new ticket; a concurrent one that got in first is `already_open`.
    async fn open_ticket(&self, new: &NewTicket, actor: Side) -> AppResult<Ticket> {
        let id = match self.store.insert_ticket(new, now_ms()).await {
            Ok(id) => id,
            Err(StoreError::Unique(Constraint::OneOpenTicket)) => {
                return Err(TicketError::AlreadyOpen { actor }.into());
            }
            Err(e) => return Err(e.into()),
        };
        let t = self.store.ticket(id).await?.ok_or(AppError::NotFound)?;
        self.publish_ticket(&t).await;
        Ok(t)
    }

    /// 申请面试: a student who entered the fair asks an employer of it for a video interview,
    /// optionally for one of the positions it offers there. Only while the fair is live; never
    /// again after the employer rejected them in this fair; one open ticket at a time.
    #[tracing::instrument(skip_all, fields(fair.id = fair_id, registration.id = registration_id))]
    pub async fn apply_for_interview(
        &self,
        user: &User,
        fair_id: i64,
        registration_id: i64,
        position_id: Option<i64>,
    ) -> AppResult<Ticket> {
        let fair = self.require_entered(user, fair_id).await?;
        let registration = self
            .store
            .registration(registration_id)
            .await?
            .filter(|r| r.fair_id == fair_id && approved(r))
            .ok_or(AppError::NotFound)?;
        let previous = self.previous_statuses(registration_id, user.id).await?;
        let status = ticket::apply(
            &previous,
            now_ms(),
            LiveWindow::new(fair.starts_at, fair.ends_at),
        )?;
        if let Some(p) = position_id
            && !self
                .store
                .registration_position_ids(registration_id)
                .await?
                .contains(&p)
        {
            return Err(DomainError::new(
                "unknown_position",
                "position_id",
                msg!("error.app.position_not_offered"),
            )
            .into());
        }
        let t = self
            .open_ticket(
                &NewTicket {
                    fair_id,
                    registration_id,
                    employer_id: registration.employer_id,
                    student_id: user.id,
                    origin: Origin::Applied,
                    status,
                    position_id,
                    created_by: user.id,
                },
                Side::Student,
            )
            .await?;
        let body = format!(
            "{} 申请了视频面试，请在视频面试大厅的“待处理”中接受或拒绝",
            user.display_name
        );
        self.notify_registration(&t, Kind::TicketApplied, "新的面试申请", &body)
            .await;
        Ok(t)
    }

    /// 邀约面试: the employer invites a student who entered the fair, once its registration is
    /// approved and until the fair ends.
    #[tracing::instrument(skip_all, fields(registration.id = registration_id, student.id = student_id))]
    pub async fn invite_student(
        &self,
        user: &User,
        registration_id: i64,
        student_id: i64,
    ) -> AppResult<Ticket> {
        let registration = self.employer_registration(user, registration_id).await?;
        // Only students in the fair are visible to its employers; anyone else is not found.
        if self
            .store
            .fair_entry(registration.fair_id, student_id)
            .await?
            .is_none()
        {
            return Err(AppError::NotFound);
        }
        let live = self.live_window(registration.fair_id).await?;
        let previous = self.previous_statuses(registration_id, student_id).await?;
        let status = ticket::invite(&previous, approved(&registration), now_ms(), live)?;
        let t = self
            .open_ticket(
                &NewTicket {
                    fair_id: registration.fair_id,
                    registration_id,
                    employer_id: registration.employer_id,
                    student_id,
                    origin: Origin::Invited,
                    status,
                    position_id: None,
                    created_by: user.id,
                },
                Side::Employer,
            )
            .await?;
        let employer = self.store.employer(registration.employer_id).await?;
        let body = format!(
            "{} 邀请你参加视频面试，请在“面试”中接受或婉拒",
            employer.name
        );
        self.notify_student(&t, Kind::TicketInvited, "新的面试邀约", &body)
            .await;
        Ok(t)
    }

    /// 接受: the employer accepts an application; the student joins the queue (待面试).
    pub async fn accept_ticket(&self, user: &User, id: i64) -> AppResult<Ticket> {
        self.answer(user, id, Side::Employer, Action::Accept, None)
            .await
    }

    /// 拒绝: the employer rejects an application, optionally saying why. Final for this fair.
    pub async fn reject_ticket(
        &self,
        user: &User,
        id: i64,
        reason: Option<&str>,
    ) -> AppResult<Ticket> {
        self.answer(user, id, Side::Employer, Action::Reject, reason)
            .await
    }

    /// The student accepts an invitation; they join the queue (待面试).
    pub async fn accept_invitation(&self, user: &User, id: i64) -> AppResult<Ticket> {
        self.answer(user, id, Side::Student, Action::Accept, None)
            .await
    }

    /// 婉拒: the student declines an invitation. Not final: they may apply later.
    pub async fn decline_invitation(&self, user: &User, id: i64) -> AppResult<Ticket> {
        self.answer(user, id, Side::Student, Action::Decline, None)
            .await
    }

    /// Either side calls off a ticket with a reason the other side is shown: an agreed
    /// interview, or the caller's own pending application or invitation.
    /// 未到场: a host marks that the student did not turn up, from 待面试 or from a call the
    /// student never joined (a running call ends with it).
    pub async fn mark_no_show(&self, user: &User, id: i64) -> AppResult<Ticket> {
        self.answer(user, id, Side::Employer, Action::NoShow, None)
            .await
    }

    pub async fn cancel_ticket(&self, user: &User, id: i64, reason: &str) -> AppResult<Ticket> {
        let (t, side) = self.own_ticket(user, id).await?;
        self.change(user, t, side, Action::Cancel, Some(reason))
            .await
    }

    /// An answer from one side only: the other side's users are refused outright.
    async fn answer(
        &self,
        user: &User,
        id: i64,
        side: Side,
        action: Action,
        reason: Option<&str>,
    ) -> AppResult<Ticket> {
        let want = match side {
            Side::Student => user.role == Role::Student,
            Side::Employer => matches!(user.role, Role::EmployerAdmin | Role::Interviewer),
        };
        if !want {
            return Err(AppError::Forbidden);
        }
        let (t, side) = self.own_ticket(user, id).await?;
        self.change(user, t, side, action, reason).await
    }

    /// The domain's verdict on `action` from the ticket's current status.
    fn decide(
        t: &Ticket,
        side: Side,
        action: Action,
        reason: Option<&str>,
        live: Option<LiveWindow>,
    ) -> AppResult<Change> {
        let (status, origin) = (t.status, t.origin);
        let (to, reason) = match action {
            Action::Accept => (ticket::accept(status, origin, side)?, None),
            Action::Reject => {
                let to = ticket::reject(status, origin, side)?;
                (to, ticket::parse_optional_reason(reason)?)
            }
            Action::Decline => (ticket::decline(status, origin, side)?, None),
            Action::Cancel => {
                let (to, reason) = ticket::cancel(status, origin, side, reason.unwrap_or(""))?;
                (to, Some(reason))
            }
            Action::NoShow => match live {
                Some(live) => (ticket::no_show(status, origin, side, now_ms(), live)?, None),
                None => {
                    return Err(AppError::Internal(anyhow::anyhow!(
                        "no_show needs the live window"
                    )));
                }
            },
            Action::StartCall | Action::EndCall => {
                return Err(AppError::Internal(anyhow::anyhow!(
                    "{} is not a ticket answer",
                    action.as_str()
                )));
            }
        };
        Ok(Change { action, to, reason })
    }

    /// Checks and writes one change compare-and-set, then tells everyone. If the ticket moved
    /// under us, the caller hears its new status.
    async fn change(
        &self,
        user: &User,
        t: Ticket,
        side: Side,
        action: Action,
        reason: Option<&str>,
    ) -> AppResult<Ticket> {
        let live = match action {
            Action::NoShow => Some(self.live_window(t.fair_id).await?),
            _ => None,
        };
        let c = Self::decide(&t, side, action, reason, live)?;
        let from = t.status;
        let written = self
            .store
            .transition_ticket(
                t.id,
                &TicketChange {
                    from,
                    to: c.to,
                    action: c.action.as_str(),
                    actor_id: user.id,
                    answered: from == Status::Pending,
                    reason: c.reason.as_deref(),
                },
                now_ms(),
            )
            .await;
        match written {
            Ok(()) => {}
            Err(StoreError::Stale(Stale::Ticket(Some(now)))) => {
                return Err(TicketError::InvalidTransition { from: now, action }.into());
            }
            Err(StoreError::Stale(_)) => return Err(AppError::NotFound),
            Err(e) => return Err(e.into()),
        }
        let t = self.store.ticket(t.id).await?.ok_or(AppError::NotFound)?;
        if !c.to.is_open() {
            self.ticket_closed(t.id).await;
        }
        self.publish_ticket(&t).await;
        self.notify_change(user, &t, side, &c).await;
        Ok(t)
    }

    /// 面试: the student's own tickets, newest first.
    pub async fn my_tickets(&self, user: &User) -> AppResult<Vec<StudentTicket>> {
        if user.role != Role::Student {
            return Err(AppError::Forbidden);
        }
        Ok(self.store.tickets_of_student(user.id).await?)
    }

    /// An interview room's list: the registration's tickets under one tab (all without one).
    pub async fn registration_tickets(
        &self,
        user: &User,
        registration_id: i64,
        tab: Option<ListTab>,
    ) -> AppResult<Vec<EmployerTicket>> {
        self.employer_registration(user, registration_id).await?;
        let statuses = tab.map(ListTab::statuses).unwrap_or_default();
        Ok(self
            .store
            .tickets_of_registration(registration_id, statuses)
            .await?)
    }

    /// A ticket's history, for either side of it.
    pub async fn ticket_history(&self, user: &User, id: i64) -> AppResult<Vec<TicketEvent>> {
        let (t, _) = self.own_ticket(user, id).await?;
        Ok(self.store.ticket_events(t.id).await?)
    }

    // ------------------------------------------------------------------ telling people

    /// Pushes `ticket_changed` to the student and every user of the employer. Best-effort: the
    /// change is saved, and pages refetch after a reconnect.
    pub(crate) async fn publish_ticket(&self, t: &Ticket) {
        let event = ServerEvent::TicketChanged {
            ticket_id: t.id,
            status: t.status.as_str().into(),
        };
        self.hub
            .publish(Topic::User(t.student_id), event.clone())
            .await;
        match self.store.employer_user_ids(t.employer_id).await {
            Ok(users) => {
                for u in users {
                    self.hub.publish(Topic::User(u), event.clone()).await;
                }
            }
            Err(e) => tracing::warn!(error = %e, ticket.id = t.id, "ticket change not pushed"),
        }
    }

    /// Tells the side that did not act what happened.
    async fn notify_change(&self, actor: &User, t: &Ticket, side: Side, c: &Change) {
        let reason = c
            .reason
            .as_deref()
            .map(|r| format!("原因：{r}"))
            .unwrap_or_default();
        match side {
            Side::Employer => {
                let employer = match self.store.employer(t.employer_id).await {
                    Ok(e) => e.name,
                    Err(e) => {
                        tracing::warn!(error = %e, ticket.id = t.id, "student not notified");
                        return;
                    }
                };
                let (kind, title, body) = match c.action {
                    Action::Accept => (
                        Kind::TicketAccepted,
                        "面试申请已通过",
                        format!("{employer} 接受了你的视频面试申请，请留意“待面试”中的面试呼叫"),
                    ),
                    Action::Reject => (
                        Kind::TicketRejected,
                        "面试申请未通过",
                        format!("{employer} 未接受你的视频面试申请。{reason}"),
                    ),
                    Action::NoShow => (
                        Kind::TicketNoShow,
                        "面试记为未到场",
                        format!(
                            "{employer} 将你的视频面试记为未到场。如有误会，可在会场中与单位沟通。"
                        ),
                    ),
                    _ => (
                        Kind::TicketCancelled,
                        "面试已取消",
                        format!("{employer} 取消了与你的视频面试。{reason}"),
                    ),
                };
                self.notify_student(t, kind, title, body.trim_end()).await;
            }
            Side::Student => {
                let who = &actor.display_name;
                let (kind, title, body) = match c.action {
                    Action::Accept => (
                        Kind::TicketAccepted,
                        "面试邀约已接受",
                        format!("{who} 接受了面试邀约，已进入“待面试”"),
                    ),
                    Action::Decline => (
                        Kind::TicketDeclined,
                        "面试邀约被婉拒",
                        format!("{who} 婉拒了面试邀约"),
                    ),
                    _ => (
                        Kind::TicketCancelled,
                        "面试已取消",
                        format!("{who} 取消了视频面试。{reason}"),
                    ),
                };
                self.notify_registration(t, kind, title, body.trim_end())
                    .await;
            }
        }
    }

    async fn notify_student(&self, t: &Ticket, kind: Kind, title: &str, body: &str) {
        let n = NewNotification {
            kind,
            title,
            body,
            link: Some("/student/interviews"),
            email: false,
        };
        if let Err(e) = self.notify(t.student_id, n).await {
            tracing::warn!(error = %e, ticket.id = t.id, kind = kind.as_str(), "student not notified");
        }
    }

    /// Notifies the employer's admins and the interviewers chosen for the registration.
    async fn notify_registration(&self, t: &Ticket, kind: Kind, title: &str, body: &str) {
        let users = async {
            let mut ids = self.store.employer_admin_ids(t.employer_id).await?;
            ids.extend(
                self.store
                    .registration_interviewer_ids(t.registration_id)
                    .await?,
            );
            ids.sort_unstable();
            ids.dedup();
            Ok::<_, StoreError>(ids)
        }
        .await;
        let users = match users {
            Ok(u) => u,
            Err(e) => {
                tracing::warn!(error = %e, ticket.id = t.id, kind = kind.as_str(), "employer not notified");
                return;
            }
        };
        let link = format!("/employer/registrations/{}/hall", t.registration_id);
        for u in users {
            let n = NewNotification {
                kind,
                title,
                body,
                link: Some(&link),
                email: false,
            };
            if let Err(e) = self.notify(u, n).await {
                tracing::warn!(error = %e, ticket.id = t.id, kind = kind.as_str(), "employer not notified");
            }
        }
    }
}
