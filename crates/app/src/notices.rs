//! Follow-up notices (面试结果通知): after an interview is done, a host of the registration tells
//! the student what happens next — one student at a time, or everyone marked 合适 at once. The
//! student gets an in-app notification (pushed live) and sees the notices on their 面试 page.

use fairhall_domain::account::Role;
use fairhall_domain::notification::Kind;
use fairhall_domain::ticket::{ListTab, Origin, Side, Status, parse_notice_body};
pub use fairhall_store::notices::TicketNotice;
use fairhall_store::tickets::Ticket;
use fairhall_store::users::User;

use crate::notify::NewNotification;
use crate::{App, AppError, AppResult, now_ms};

fn not_done() -> AppError {
    AppError::Conflict {
        code: "ticket_not_done",
        field: "",
        message: fairhall_domain::msg!("error.app.ticket_not_done"),
    }
}

impl App {
    /// Sends a notice to the student of one done ticket. Hosts only.
    pub async fn send_ticket_notice(
        &self,
        user: &User,
        ticket_id: i64,
        body: &str,
    ) -> AppResult<TicketNotice> {
        if !matches!(user.role, Role::EmployerAdmin | Role::Interviewer) {
            return Err(AppError::Forbidden);
        }
        let (t, side) = self.own_ticket(user, ticket_id).await?;
        if side != Side::Employer {
            return Err(AppError::Forbidden);
        }
        let body = parse_notice_body(body).map_err(AppError::Invalid)?;
        if t.status != Status::Done {
            return Err(not_done());
        }
        self.deliver_notice(user, &t, &body).await
    }

    /// Sends the same notice to every student of the registration whose interview is done and
    /// marked 合适. Answers how many were sent. Hosts only.
    pub async fn notify_suitable(
        &self,
        user: &User,
        registration_id: i64,
        body: &str,
    ) -> AppResult<Vec<TicketNotice>> {
        self.employer_registration(user, registration_id).await?;
        let body = parse_notice_body(body).map_err(AppError::Invalid)?;
        let ids = self.store.suitable_ticket_ids(registration_id).await?;
        if ids.is_empty() {
            return Err(AppError::Conflict {
                code: "no_suitable",
                field: "",
                message: fairhall_domain::msg!("error.app.no_suitable"),
            });
        }
        let mut sent = Vec::with_capacity(ids.len());
        for id in ids {
            let Some(t) = self.store.ticket(id).await? else {
                continue;
            };
            sent.push(self.deliver_notice(user, &t, &body).await?);
        }
        Ok(sent)
    }

    async fn deliver_notice(&self, user: &User, t: &Ticket, body: &str) -> AppResult<TicketNotice> {
        let notice = self
            .store
            .insert_ticket_notice(t.id, user.id, body, now_ms())
            .await?;
        let employer = self.store.employer(t.employer_id).await?;
        let title = format!("{} 的面试结果通知", employer.name);
        let n = NewNotification {
            kind: Kind::TicketNotice,
            title: &title,
            body,
            link: Some("/student/interviews"),
            email: false,
        };
        if let Err(e) = self.notify(t.student_id, n).await {
            tracing::warn!(error = %e, ticket.id = t.id, "notice not pushed");
        }
        Ok(notice)
    }

    /// The notices on the student's own tickets, oldest first.
    pub async fn my_ticket_notices(&self, user: &User) -> AppResult<Vec<TicketNotice>> {
        if user.role != Role::Student {
            return Err(AppError::Forbidden);
        }
        let ids: Vec<i64> = self
            .store
            .tickets_of_student(user.id)
            .await?
            .iter()
            .map(|t| t.id)
            .collect();
        Ok(self.store.ticket_notices(&ids).await?)
    }

    /// The notices sent on a registration's tickets, oldest first. Hosts only.
    pub async fn registration_notices(
        &self,
        user: &User,
        registration_id: i64,
    ) -> AppResult<Vec<TicketNotice>> {
        self.employer_registration(user, registration_id).await?;
        let ids: Vec<i64> = self
            .store
            .tickets_of_registration(registration_id, ListTab::Done.statuses())
            .await?
            .iter()
            .map(|t| t.id)
            .collect();
        Ok(self.store.ticket_notices(&ids).await?)
    }

    /// The hosts of the registrations the student holds an open ticket with, for presence dots:
    /// (registration id, host user ids).
    pub async fn hosts_of_open_tickets(&self, user: &User) -> AppResult<Vec<(i64, Vec<i64>)>> {
        if user.role != Role::Student {
            return Err(AppError::Forbidden);
        }
        let mut regs: Vec<i64> = self
            .store
            .tickets_of_student(user.id)
            .await?
            .iter()
            .filter(|t| t.status.is_open())
            .map(|t| t.registration_id)
            .collect();
        regs.sort_unstable();
        regs.dedup();
        let mut out = Vec::with_capacity(regs.len());
        for r in regs {
            out.push((r, self.store.registration_host_ids(r).await?));
        }
        Ok(out)
    }
}

/// What the venue's video button knows of a student's tickets with one employer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketState {
    /// The latest ticket's status, or `rejected` once any application was rejected (final).
    pub status: Status,
    pub origin: Origin,
}

impl App {
    /// The student's ticket state with each registration of a fair they have tickets with.
    pub async fn my_ticket_states(
        &self,
        user: &User,
        fair_id: i64,
    ) -> AppResult<std::collections::HashMap<i64, TicketState>> {
        if user.role != Role::Student {
            return Err(AppError::Forbidden);
        }
        let mut out: std::collections::HashMap<i64, TicketState> = std::collections::HashMap::new();
        for t in self
            .store
            .student_ticket_states_in_fair(user.id, fair_id)
            .await?
        {
            let rejected = out
                .get(&t.registration_id)
                .is_some_and(|s| s.status == Status::Rejected);
            if !rejected {
                out.insert(
                    t.registration_id,
                    TicketState {
                        status: t.status,
                        origin: t.origin,
                    },
                );
            }
        }
        Ok(out)
    }
}
