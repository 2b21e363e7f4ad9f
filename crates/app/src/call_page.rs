//! What the call page (`/interviews/{ticket_id}/call`) shows: the ticket, which side the viewer
//! is on, both names, and for the employer's hosts the candidate's resume.
//!
//! Only the ticket's student and the hosts of its registration (the employer's admins and the
//! interviewers chosen for it) may open it. Another student or another employer gets 404, a
//! role without tickets 403, an interviewer of the same employer who was not chosen 403.

use fairhall_domain::account::Role;
use fairhall_domain::ticket::Side;
use fairhall_store::tickets::Ticket;
use fairhall_store::users::User;

use crate::resumes::LoadedResume;
use crate::{App, AppError, AppResult};

/// Everything the call page renders besides the live parts.
pub struct CallPageContext {
    pub ticket: Ticket,
    pub side: Side,
    pub fair_title: String,
    pub employer_name: String,
    pub student_name: String,
    /// The candidate's resume, for hosts only (`None` for the student, or when the resume
    /// cannot be read).
    pub resume: Option<LoadedResume>,
    /// The ticket's ringing or active call, if any (a host may join it as a panel member).
    pub live_call_id: Option<i64>,
}

impl App {
    /// The call page of a ticket, for its student or a host of its registration.
    pub async fn call_page_context(
        &self,
        user: &User,
        ticket_id: i64,
    ) -> AppResult<CallPageContext> {
        let side = match (user.role, user.employer_id) {
            (Role::Student, _) => Side::Student,
            (Role::EmployerAdmin | Role::Interviewer, Some(_)) => Side::Employer,
            _ => return Err(AppError::Forbidden),
        };
        let ticket = self
            .store
            .ticket(ticket_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mine = match side {
            Side::Student => ticket.student_id == user.id,
            Side::Employer => user.employer_id == Some(ticket.employer_id),
        };
        if !mine {
            return Err(AppError::NotFound);
        }
        if side == Side::Employer
            && user.role == Role::Interviewer
            && !self
                .store
                .registration_interviewer_ids(ticket.registration_id)
                .await?
                .contains(&user.id)
        {
            return Err(AppError::Refused {
                code: "not_chosen_interviewer",
                message: fairhall_domain::msg!("error.app.not_chosen_interviewer"),
            });
        }
        let fair_title = self.store.fair(ticket.fair_id).await?.title;
        let employer_name = self.store.employer(ticket.employer_id).await?.name;
        let mut student_name = self.store.user(ticket.student_id).await?.display_name;
        let resume = match side {
            Side::Employer => self
                .resume_for_employer(user, ticket.fair_id, ticket.student_id)
                .await
                .ok(),
            Side::Student => None,
        };
        // Hosts know the candidate by the resume's name, as in the hall.
        if let Some(name) = resume
            .as_ref()
            .and_then(|r| r.resume.basics.name.as_deref())
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            student_name = name.to_owned();
        }
        let live_call_id = self
            .store
            .live_call_of_ticket(ticket.id)
            .await?
            .map(|c| c.id);
        Ok(CallPageContext {
            live_call_id,
            ticket,
            side,
            fair_title,
            employer_name,
            student_name,
            resume,
        })
    }
}
