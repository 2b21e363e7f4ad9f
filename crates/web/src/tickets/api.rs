//! `/api/v1/fairs/{fair_id}/employers/{registration_id}/tickets` (the student applies),
//! `/api/v1/tickets…` (either side) and `/api/v1/employer/registrations/{id}/…` (the employer).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use fairhall_app::tickets::{EmployerTicket, StudentTicket, Ticket, TicketEvent};
use fairhall_domain::DomainError;
use fairhall_domain::account::Role;
use fairhall_domain::ticket::{ListTab, Status, Verdict};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::error::{ApiError, ApiErrorBody, JsonBody, PathParams, QueryParams};
use crate::openapi::{BodyRejected, Forbidden, Invalid, NotFound, Unauthorized};
use crate::session::CurrentUser;

fn status_label(s: Status) -> String {
    s.label_zh().to_string()
}

fn verdict_label(v: Option<Verdict>) -> Option<String> {
    v.map(|v| v.label_zh().to_string())
}

/// A ticket as an action answers it. Interview notes are not part of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct TicketView {
    pub id: i64,
    pub fair_id: i64,
    pub registration_id: i64,
    pub employer_id: i64,
    pub student_id: i64,
    /// `applied` (the student asked) or `invited` (the employer asked).
    pub origin: String,
    /// `pending`, `queued`, `in_call`, `done`, `rejected`, `declined`, `cancelled`, `no_show`.
    pub status: String,
    /// e.g. 待处理, 待面试.
    pub status_label: String,
    pub position_id: Option<i64>,
    pub interviewer_id: Option<i64>,
    /// `suitable` or `unsuitable`, once done.
    pub verdict: Option<String>,
    /// The reason given when cancelled (or rejected with one).
    pub reason: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub answered_at: Option<i64>,
}

impl From<&Ticket> for TicketView {
    fn from(t: &Ticket) -> Self {
        Self {
            id: t.id,
            fair_id: t.fair_id,
            registration_id: t.registration_id,
            employer_id: t.employer_id,
            student_id: t.student_id,
            origin: t.origin.as_str().into(),
            status: t.status.as_str().into(),
            status_label: status_label(t.status),
            position_id: t.position_id,
            interviewer_id: t.interviewer_id,
            verdict: t.verdict.map(|v| v.as_str().into()),
            reason: t.cancel_reason.clone(),
            created_at: t.created_at,
            updated_at: t.updated_at,
            answered_at: t.answered_at,
        }
    }
}

/// 未到场: a host marks that the student did not turn up, from 待面试 or from a call the student
/// never joined (the call ends with it). Not before the fair has started.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/no-show", tag = "tickets",
    params(("id" = i64, Path, description = "Ticket id")),
    responses((status = 200, body = TicketView), Unauthorized, Invalid,
              (status = 409, description = "`invalid_transition`: the ticket is not queued or in a call; `not_live`: the fair has not started", body = ApiErrorBody),
              (status = 403, description = "Students, `not_chosen_interviewer`, or a role without tickets", body = ApiErrorBody),
              (status = 404, description = "Not a ticket of the caller", body = ApiErrorBody)))]
pub async fn no_show(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
) -> Result<Json<TicketView>, ApiError> {
    let t = state.mark_no_show(&user.user, id).await?;
    Ok(Json(TicketView::from(&t)))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ApplyInput {
    /// Apply for one of the positions the employer offers in the fair; omit for the employer.
    pub position_id: Option<i64>,
}

/// 申请面试: a student who entered the fair asks the employer for a video interview. Only
/// while the fair is live.
#[utoipa::path(post, path = "/api/v1/fairs/{fair_id}/employers/{registration_id}/tickets",
    tag = "tickets",
    params(("fair_id" = i64, Path, description = "Fair id"),
           ("registration_id" = i64, Path, description = "The employer's registration in the fair")),
    request_body = ApplyInput,
    responses((status = 201, body = TicketView), Unauthorized, BodyRejected,
              (status = 409, description = "`not_live`, `rejected_final` (the employer rejected this student in this fair) or `already_open`", body = ApiErrorBody),
              (status = 422, description = "`unknown_position`", body = ApiErrorBody),
              (status = 403, description = "Not a student, or `not_entered`", body = ApiErrorBody),
              (status = 404, description = "No such fair, or the employer is not approved in it", body = ApiErrorBody)))]
pub async fn apply(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams((fair_id, registration_id)): PathParams<(i64, i64)>,
    JsonBody(input): JsonBody<ApplyInput>,
) -> Result<(StatusCode, Json<TicketView>), ApiError> {
    let t = state
        .apply_for_interview(&user.user, fair_id, registration_id, input.position_id)
        .await?;
    Ok((StatusCode::CREATED, Json(TicketView::from(&t))))
}

/// A ticket in the student's list.
#[derive(Debug, Serialize, ToSchema)]
pub struct StudentTicketView {
    pub id: i64,
    pub fair_id: i64,
    pub fair_title: String,
    pub fair_starts_at: i64,
    pub fair_ends_at: i64,
    pub registration_id: i64,
    pub employer_id: i64,
    pub employer_name: String,
    pub origin: String,
    pub status: String,
    pub status_label: String,
    pub position_id: Option<i64>,
    pub position_title: Option<String>,
    pub verdict: Option<String>,
    /// 合适 / 不合适.
    pub verdict_label: Option<String>,
    pub reason: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    /// The employer's page in the venue.
    pub employer_path: String,
}

impl From<&StudentTicket> for StudentTicketView {
    fn from(t: &StudentTicket) -> Self {
        Self {
            id: t.id,
            fair_id: t.fair_id,
            fair_title: t.fair_title.clone(),
            fair_starts_at: t.fair_starts_at,
            fair_ends_at: t.fair_ends_at,
            registration_id: t.registration_id,
            employer_id: t.employer_id,
            employer_name: t.employer_name.clone(),
            origin: t.origin.as_str().into(),
            status: t.status.as_str().into(),
            status_label: status_label(t.status),
            position_id: t.position_id,
            position_title: t.position_title.clone(),
            verdict: t.verdict.map(|v| v.as_str().into()),
            verdict_label: verdict_label(t.verdict),
            reason: t.cancel_reason.clone(),
            created_at: t.created_at,
            updated_at: t.updated_at,
            employer_path: format!("/f/{}/employers/{}", t.fair_code, t.registration_id),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StudentTicketList {
    /// Newest first.
    pub items: Vec<StudentTicketView>,
}

/// 面试: the student's own tickets (applications, invitations, 待面试, finished), newest first.
#[utoipa::path(get, path = "/api/v1/tickets", tag = "tickets",
    responses((status = 200, body = StudentTicketList), Unauthorized,
              (status = 403, description = "Not a student", body = ApiErrorBody)))]
pub async fn mine(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<StudentTicketList>, ApiError> {
    let rows = state.my_tickets(&user.user).await?;
    Ok(Json(StudentTicketList {
        items: rows.iter().map(StudentTicketView::from).collect(),
    }))
}

/// 接受: the employer accepts an application, or the student accepts an invitation. Either way
/// the ticket is queued (待面试).
#[utoipa::path(post, path = "/api/v1/tickets/{id}/accept", tag = "tickets",
    params(("id" = i64, Path, description = "Ticket id")),
    responses((status = 200, body = TicketView), Unauthorized, Invalid,
              (status = 409, description = "`invalid_transition`: the ticket is no longer pending (the message names its status)", body = ApiErrorBody),
              (status = 403, description = "`not_allowed` (the other side must answer), `not_chosen_interviewer`, or a role without tickets", body = ApiErrorBody),
              (status = 404, description = "Not a ticket of the caller", body = ApiErrorBody)))]
pub async fn accept(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
) -> Result<Json<TicketView>, ApiError> {
    let t = if user.user.role == Role::Student {
        state.accept_invitation(&user.user, id).await?
    } else {
        state.accept_ticket(&user.user, id).await?
    };
    Ok(Json(TicketView::from(&t)))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct TicketRejectInput {
    /// Optional, at most 200 characters; shown to the student.
    pub reason: Option<String>,
}

/// 拒绝: the employer rejects an application. Final: the student cannot apply to this employer
/// in this fair again.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/reject", tag = "tickets",
    params(("id" = i64, Path, description = "Ticket id")),
    request_body = TicketRejectInput,
    responses((status = 200, body = TicketView), Unauthorized, NotFound, BodyRejected,
              (status = 409, description = "`invalid_transition`", body = ApiErrorBody),
              (status = 422, description = "`reason_too_long`, `invalid_characters`", body = ApiErrorBody),
              (status = 403, description = "Not the employer, `not_allowed` (an invitation), or `not_chosen_interviewer`", body = ApiErrorBody)))]
pub async fn reject(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
    JsonBody(input): JsonBody<TicketRejectInput>,
) -> Result<Json<TicketView>, ApiError> {
    let t = state
        .reject_ticket(&user.user, id, input.reason.as_deref())
        .await?;
    Ok(Json(TicketView::from(&t)))
}

/// 婉拒: the student declines an invitation (not final: they may apply later).
#[utoipa::path(post, path = "/api/v1/tickets/{id}/decline", tag = "tickets",
    params(("id" = i64, Path, description = "Ticket id")),
    responses((status = 200, body = TicketView), Unauthorized, NotFound, Invalid,
              (status = 409, description = "`invalid_transition`", body = ApiErrorBody),
              (status = 403, description = "Not the student, or `not_allowed` (an application)", body = ApiErrorBody)))]
pub async fn decline(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
) -> Result<Json<TicketView>, ApiError> {
    let t = state.decline_invitation(&user.user, id).await?;
    Ok(Json(TicketView::from(&t)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CancelInput {
    /// Required, at most 200 characters; shown to the other side.
    pub reason: String,
}

/// 取消: either side calls off an agreed interview (待面试), or withdraws its own pending
/// application or invitation, with a reason.
#[utoipa::path(post, path = "/api/v1/tickets/{id}/cancel", tag = "tickets",
    params(("id" = i64, Path, description = "Ticket id")),
    request_body = CancelInput,
    responses((status = 200, body = TicketView), Unauthorized, NotFound, BodyRejected,
              (status = 409, description = "`invalid_transition`", body = ApiErrorBody),
              (status = 422, description = "`reason_required`, `reason_too_long`, `invalid_characters`", body = ApiErrorBody),
              (status = 403, description = "`not_allowed` (a pending ticket of the other side: answer it instead), or `not_chosen_interviewer`", body = ApiErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
    JsonBody(input): JsonBody<CancelInput>,
) -> Result<Json<TicketView>, ApiError> {
    let t = state.cancel_ticket(&user.user, id, &input.reason).await?;
    Ok(Json(TicketView::from(&t)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TicketEventView {
    pub id: i64,
    pub actor_id: i64,
    /// `applied`, `invited`, `accept`, `reject`, `decline`, `cancel`, …
    pub action: String,
    /// Null for the ticket's creation.
    pub from_status: Option<String>,
    pub to_status: String,
    pub at: i64,
}

impl From<&TicketEvent> for TicketEventView {
    fn from(e: &TicketEvent) -> Self {
        Self {
            id: e.id,
            actor_id: e.actor_id,
            action: e.action.clone(),
            from_status: e.from_status.map(|s| s.as_str().into()),
            to_status: e.to_status.as_str().into(),
            at: e.at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TicketHistory {
    /// Oldest first.
    pub events: Vec<TicketEventView>,
}

/// A ticket's history (either side of it).
#[utoipa::path(get, path = "/api/v1/tickets/{id}/events", tag = "tickets",
    params(("id" = i64, Path, description = "Ticket id")),
    responses((status = 200, body = TicketHistory), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn history(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
) -> Result<Json<TicketHistory>, ApiError> {
    let events = state.ticket_history(&user.user, id).await?;
    Ok(Json(TicketHistory {
        events: events.iter().map(TicketEventView::from).collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct InviteInput {
    /// A student who entered the registration's fair.
    pub student_id: i64,
}

/// 邀约面试: the employer invites a student who entered the fair (admin, or an interviewer
/// chosen for the registration). Allowed once the registration is approved, until the fair ends.
#[utoipa::path(post, path = "/api/v1/employer/registrations/{id}/invitations", tag = "tickets",
    params(("id" = i64, Path, description = "Registration id")),
    request_body = InviteInput,
    responses((status = 201, body = TicketView), Unauthorized, Invalid, BodyRejected,
              (status = 409, description = "`registration_not_approved`, `rejected_final`, `already_open`, `not_live` (the fair ended)", body = ApiErrorBody),
              (status = 403, description = "Not the employer, or `not_chosen_interviewer`", body = ApiErrorBody),
              (status = 404, description = "Not the caller's registration, or the student did not enter the fair", body = ApiErrorBody)))]
pub async fn invite(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
    JsonBody(input): JsonBody<InviteInput>,
) -> Result<(StatusCode, Json<TicketView>), ApiError> {
    let t = state
        .invite_student(&user.user, id, input.student_id)
        .await?;
    Ok((StatusCode::CREATED, Json(TicketView::from(&t))))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct TabQuery {
    /// `pending` (待处理), `queued` (待面试, in a call included), `done` (已面试, no-shows
    /// included) or `closed` (rejected, declined, cancelled); all tickets when omitted.
    pub status: Option<String>,
}

/// A ticket in an interview room's list, with the student's resume basics.
#[derive(Debug, Serialize, ToSchema)]
pub struct EmployerTicketView {
    pub id: i64,
    pub fair_id: i64,
    pub registration_id: i64,
    pub student_id: i64,
    pub student_name: String,
    pub school: Option<String>,
    pub major: Option<String>,
    pub degree: Option<String>,
    pub graduation_year: Option<i64>,
    pub origin: String,
    pub status: String,
    pub status_label: String,
    pub position_id: Option<i64>,
    pub position_title: Option<String>,
    /// The interviewer who took the ticket.
    pub interviewer_id: Option<i64>,
    pub interviewer_name: Option<String>,
    pub verdict: Option<String>,
    pub verdict_label: Option<String>,
    /// 面试备注.
    pub notes: String,
    pub reason: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<&EmployerTicket> for EmployerTicketView {
    fn from(t: &EmployerTicket) -> Self {
        Self {
            id: t.id,
            fair_id: t.fair_id,
            registration_id: t.registration_id,
            student_id: t.student_id,
            student_name: t.student_name.clone(),
            school: t.school.clone(),
            major: t.major.clone(),
            degree: t.degree.clone(),
            graduation_year: t.graduation_year,
            origin: t.origin.as_str().into(),
            status: t.status.as_str().into(),
            status_label: status_label(t.status),
            position_id: t.position_id,
            position_title: t.position_title.clone(),
            interviewer_id: t.interviewer_id,
            interviewer_name: t.interviewer_name.clone(),
            verdict: t.verdict.map(|v| v.as_str().into()),
            verdict_label: verdict_label(t.verdict),
            notes: t.notes.clone(),
            reason: t.cancel_reason.clone(),
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmployerTicketList {
    /// The tab asked for, or null for all.
    pub status: Option<String>,
    /// Oldest first: the order students asked in.
    pub items: Vec<EmployerTicketView>,
}

/// An interview room's list: the registration's tickets under one tab (admin, or an
/// interviewer chosen for the registration).
#[utoipa::path(get, path = "/api/v1/employer/registrations/{id}/tickets", tag = "tickets",
    params(("id" = i64, Path, description = "Registration id"), TabQuery),
    responses((status = 200, body = EmployerTicketList), Unauthorized,
              (status = 422, description = "`bad_query`: an unknown tab", body = ApiErrorBody),
              (status = 403, description = "Not the employer, or `not_chosen_interviewer`", body = ApiErrorBody),
              (status = 404, description = "Not the caller's registration", body = ApiErrorBody)))]
pub async fn registration_tickets(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
    QueryParams(q): QueryParams<TabQuery>,
) -> Result<Json<EmployerTicketList>, ApiError> {
    let tab = match q.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(ListTab::parse(s).ok_or_else(|| {
            DomainError::new(
                "bad_query",
                "status",
                fairhall_domain::msg!("error.web.bad_ticket_tab"),
            )
        })?),
    };
    let rows = state.registration_tickets(&user.user, id, tab).await?;
    Ok(Json(EmployerTicketList {
        status: tab.map(|t| t.as_str().to_string()),
        items: rows.iter().map(EmployerTicketView::from).collect(),
    }))
}
