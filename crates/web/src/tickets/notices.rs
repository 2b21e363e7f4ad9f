//! Follow-up notices after an interview (面试结果通知): `POST /api/v1/tickets/{id}/notices` (one
//! student), `POST /api/v1/employer/registrations/{id}/notices` (everyone marked 合适), and the
//! student's list `GET /api/v1/ticket-notices`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use fairhall_app::notices::TicketNotice;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, ApiErrorBody, JsonBody, PathParams};
use crate::openapi::{BodyRejected, NotFound, Unauthorized};
use crate::session::CurrentUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeView {
    pub id: i64,
    pub ticket_id: i64,
    pub body: String,
    pub created_at: i64,
}

impl From<&TicketNotice> for NoticeView {
    fn from(n: &TicketNotice) -> Self {
        Self {
            id: n.id,
            ticket_id: n.ticket_id,
            body: n.body.clone(),
            created_at: n.created_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NoticeInput {
    /// 1–500 characters; line breaks kept.
    pub body: String,
}

/// Sends a follow-up notice to the student of one finished interview (a host of the
/// registration).
#[utoipa::path(post, path = "/api/v1/tickets/{id}/notices", tag = "tickets",
    params(("id" = i64, Path, description = "Ticket id")),
    request_body = NoticeInput,
    responses((status = 201, body = NoticeView), Unauthorized, NotFound, BodyRejected,
              (status = 409, description = "`ticket_not_done`", body = ApiErrorBody),
              (status = 422, description = "`notice_required`, `notice_too_long`, `invalid_characters`", body = ApiErrorBody),
              (status = 403, description = "Not the employer, or `not_chosen_interviewer`", body = ApiErrorBody)))]
pub async fn send_one(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
    JsonBody(input): JsonBody<NoticeInput>,
) -> Result<(StatusCode, Json<NoticeView>), ApiError> {
    let n = state
        .send_ticket_notice(&user.user, id, &input.body)
        .await?;
    Ok((StatusCode::CREATED, Json(NoticeView::from(&n))))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NoticesSent {
    /// How many students were notified.
    pub sent: usize,
    pub items: Vec<NoticeView>,
}

/// Sends the same notice to every student of the registration whose interview ended 合适.
#[utoipa::path(post, path = "/api/v1/employer/registrations/{id}/notices", tag = "tickets",
    params(("id" = i64, Path, description = "Registration id")),
    request_body = NoticeInput,
    responses((status = 201, body = NoticesSent), Unauthorized, BodyRejected,
              (status = 409, description = "`no_suitable`", body = ApiErrorBody),
              (status = 422, description = "`notice_required`, `notice_too_long`, `invalid_characters`", body = ApiErrorBody),
              (status = 403, description = "Not the employer, or `not_chosen_interviewer`", body = ApiErrorBody),
              (status = 404, description = "Not the caller's registration", body = ApiErrorBody)))]
pub async fn send_suitable(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
    JsonBody(input): JsonBody<NoticeInput>,
) -> Result<(StatusCode, Json<NoticesSent>), ApiError> {
    let sent = state.notify_suitable(&user.user, id, &input.body).await?;
    Ok((
        StatusCode::CREATED,
        Json(NoticesSent {
            sent: sent.len(),
            items: sent.iter().map(NoticeView::from).collect(),
        }),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeList {
    /// Oldest first.
    pub items: Vec<NoticeView>,
}

/// The follow-up notices on the signed-in student's interviews.
#[utoipa::path(get, path = "/api/v1/ticket-notices", tag = "tickets",
    responses((status = 200, body = NoticeList), Unauthorized,
              (status = 403, description = "Not a student", body = ApiErrorBody)))]
pub async fn mine(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<NoticeList>, ApiError> {
    let items = state.my_ticket_notices(&user.user).await?;
    Ok(Json(NoticeList {
        items: items.iter().map(NoticeView::from).collect(),
    }))
}
