//! The calls API: ICE servers, and video calls on interview tickets (`/api/v1/calls/…`, the
//! ticket's `call` and `notes`, and the registration's `calls/next`).

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use fairhall_domain::DomainError;
use fairhall_domain::ticket::Verdict;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::error::{ApiError, ApiErrorBody, JsonBody, PathParams, QueryParams};
use crate::openapi::{BodyRejected, Forbidden, Invalid, NotFound, Unauthorized};
use crate::session::CurrentUser;

/// One entry of `RTCConfiguration.iceServers`.
#[derive(Debug, Serialize, ToSchema)]
pub struct IceServerView {
    pub urls: Vec<String>,
    /// TURN only: `<expiry in Unix seconds>:<tag>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// TURN only: the password for `username`, checked by the TURN server.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IceServersView {
    /// STUN servers first, then TURN servers with credentials; empty if none are configured.
    pub ice_servers: Vec<IceServerView>,
    /// When the TURN credentials expire (Unix ms): fetch again before then. Null without TURN.
    pub expires_at: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct IceQuery {
    /// Mint the TURN credentials for this call (the caller must be its student or a host of its
    /// registration). Without it they are minted for the user alone, as before a call exists.
    pub call_id: Option<i64>,
}

/// The ICE servers for the caller's calls, with TURN credentials minted for them, per call when
/// `call_id` is given. Any signed-in user may ask without one; the answer is never cached.
#[utoipa::path(get, path = "/api/v1/calls/ice-servers", tag = "calls", params(IceQuery),
    responses((status = 200, body = IceServersView), Unauthorized, Invalid,
              (status = 403, description = "A role without calls asked for a call", body = ApiErrorBody),
              (status = 404, description = "Not a call of the caller", body = ApiErrorBody)))]
pub async fn ice_servers(
    State(state): State<AppState>,
    user: CurrentUser,
    QueryParams(q): QueryParams<IceQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let ice = match q.call_id {
        Some(id) => state.call_ice_servers(&user.user, id).await?,
        None => state.ice_servers(&user.user),
    };
    let view = IceServersView {
        ice_servers: ice
            .servers
            .into_iter()
            .map(|s| IceServerView {
                urls: s.urls,
                username: s.username,
                credential: s.credential,
            })
            .collect(),
        expires_at: ice.expires_at,
    };
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(view)))
}

/// Someone who joined a call.
#[derive(Debug, Serialize, ToSchema)]
pub struct CallParticipantView {
    pub user_id: i64,
    pub name: String,
    /// `student` or `employer`.
    pub side: String,
    pub joined_at: Option<i64>,
    /// Set once they left (the call goes on).
    pub left_at: Option<i64>,
}

/// A video call on an interview ticket. The same object is pushed over `/ws` as
/// `{type:"call_state", call}` (without `notes`).
#[derive(Debug, Serialize, ToSchema)]
pub struct CallView {
    pub id: i64,
    pub ticket_id: i64,
    pub fair_id: i64,
    pub registration_id: i64,
    /// `ringing`, `active`, `ended`, `missed`, `declined` or `cancelled`.
    pub status: String,
    pub caller_id: i64,
    /// When an unanswered ring ends as `missed` (Unix ms).
    pub ring_expires_at: i64,
    /// Everyone who joined, in the order they joined; those who left have `left_at`.
    pub participants: Vec<CallParticipantView>,
    /// Who is rung by the call (joined or not).
    pub callee_ids: Vec<i64>,
    pub student_id: i64,
    pub employer_name: String,
    pub student_name: String,
    /// 面试备注: for hosts only; absent for the student.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl From<fairhall_app::calls::CallView> for CallView {
    fn from(v: fairhall_app::calls::CallView) -> Self {
        let c = v.call;
        Self {
            id: c.id,
            ticket_id: c.ticket_id,
            fair_id: c.fair_id,
            registration_id: c.registration_id,
            status: c.status,
            caller_id: c.caller_id,
            ring_expires_at: c.ring_expires_at,
            participants: c
                .participants
                .into_iter()
                .map(|p| CallParticipantView {
                    user_id: p.user_id,
                    name: p.name,
                    side: p.side,
                    joined_at: p.joined_at,
                    left_at: p.left_at,
                })
                .collect(),
            callee_ids: c.callee_ids,
            student_id: c.student_id,
            employer_name: c.employer_name,
            student_name: c.student_name,
            notes: v.notes,
        }
    }
}

/// 开始面试: starts a call on a queued ticket (the student, or a host of its registration).
/// Only in the fair's live window and when the other side is online; the other side is rung
/// (`call_state` with `status:"ringing"`). A host starting takes the ticket.
#[utoipa::path(post, path = "/api/v1/tickets/{ticket_id}/call", tag = "calls",
    params(("ticket_id" = i64, Path, description = "Ticket id")),
    responses((status = 201, body = CallView), Unauthorized, Invalid,
              (status = 409, description = "`invalid_transition` (not queued), `not_live`, `other_side_offline`, `taken_by_other`, `call_exists`", body = ApiErrorBody),
              (status = 403, description = "A role without tickets, or `not_chosen_interviewer`", body = ApiErrorBody),
              (status = 404, description = "Not a ticket of the caller", body = ApiErrorBody)))]
pub async fn start(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(ticket_id): PathParams<i64>,
) -> Result<(StatusCode, Json<CallView>), ApiError> {
    let v = state.start_call(&user.user, ticket_id).await?;
    Ok((StatusCode::CREATED, Json(v.into())))
}

/// The caller's ringing or active call, or `null`: to resume after a reload or a reconnect.
/// Roles without calls (organizer staff, the platform admin) always get `null`.
#[utoipa::path(get, path = "/api/v1/calls/current", tag = "calls",
    responses((status = 200, body = Option<CallView>), Unauthorized))]
pub async fn current(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<impl IntoResponse, ApiError> {
    let v = state.current_call(&user.user).await?;
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        Json(v.map(CallView::from)),
    ))
}

/// A call of one of the caller's tickets (its student, or a host of its registration).
#[utoipa::path(get, path = "/api/v1/calls/{call_id}", tag = "calls",
    params(("call_id" = i64, Path, description = "Call id")),
    responses((status = 200, body = CallView), Unauthorized, Forbidden, Invalid,
              (status = 404, description = "Not a call of the caller's tickets", body = ApiErrorBody)))]
pub async fn get_call(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(call_id): PathParams<i64>,
) -> Result<Json<CallView>, ApiError> {
    Ok(Json(state.call_view(&user.user, call_id).await?.into()))
}

/// 接听: a callee answers; the call is `active`, the ticket `in_call`.
#[utoipa::path(post, path = "/api/v1/calls/{call_id}/answer", tag = "calls",
    params(("call_id" = i64, Path, description = "Call id")),
    responses((status = 200, body = CallView), Unauthorized, NotFound, Invalid,
              (status = 409, description = "`call_invalid_transition` (no longer ringing: the message names its status), `taken_by_other`", body = ApiErrorBody),
              (status = 403, description = "`not_callee`", body = ApiErrorBody)))]
pub async fn answer(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(call_id): PathParams<i64>,
) -> Result<Json<CallView>, ApiError> {
    Ok(Json(state.answer_call(&user.user, call_id).await?.into()))
}

/// 拒接: a callee declines; the call is `declined`, the ticket stays queued.
#[utoipa::path(post, path = "/api/v1/calls/{call_id}/decline", tag = "calls",
    params(("call_id" = i64, Path, description = "Call id")),
    responses((status = 200, body = CallView), Unauthorized, NotFound, Invalid,
              (status = 409, description = "`call_invalid_transition`", body = ApiErrorBody),
              (status = 403, description = "`not_callee`", body = ApiErrorBody)))]
pub async fn decline(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(call_id): PathParams<i64>,
) -> Result<Json<CallView>, ApiError> {
    Ok(Json(state.decline_call(&user.user, call_id).await?.into()))
}

/// The caller hangs up while it rings: the call is `cancelled`.
#[utoipa::path(post, path = "/api/v1/calls/{call_id}/cancel", tag = "calls",
    params(("call_id" = i64, Path, description = "Call id")),
    responses((status = 200, body = CallView), Unauthorized, NotFound, Invalid,
              (status = 409, description = "`call_invalid_transition`", body = ApiErrorBody),
              (status = 403, description = "`not_caller`", body = ApiErrorBody)))]
pub async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(call_id): PathParams<i64>,
) -> Result<Json<CallView>, ApiError> {
    Ok(Json(state.cancel_call(&user.user, call_id).await?.into()))
}

/// Panel: another host of the registration joins the active call (at most 4 people); someone
/// who left comes back.
#[utoipa::path(post, path = "/api/v1/calls/{call_id}/join", tag = "calls",
    params(("call_id" = i64, Path, description = "Call id")),
    responses((status = 200, body = CallView), Unauthorized, NotFound, Invalid,
              (status = 409, description = "`call_invalid_transition` (not active), `call_full`, `already_joined`", body = ApiErrorBody),
              (status = 403, description = "`not_host`, `not_chosen_interviewer`", body = ApiErrorBody)))]
pub async fn join(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(call_id): PathParams<i64>,
) -> Result<Json<CallView>, ApiError> {
    Ok(Json(state.join_call(&user.user, call_id).await?.into()))
}

/// A participant leaves the active call; it goes on.
#[utoipa::path(post, path = "/api/v1/calls/{call_id}/leave", tag = "calls",
    params(("call_id" = i64, Path, description = "Call id")),
    responses((status = 200, body = CallView), Unauthorized, Forbidden, NotFound, Invalid,
              (status = 409, description = "`call_invalid_transition`, `not_in_call`", body = ApiErrorBody)))]
pub async fn leave(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(call_id): PathParams<i64>,
) -> Result<Json<CallView>, ApiError> {
    Ok(Json(state.leave_call(&user.user, call_id).await?.into()))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct EndInput {
    /// `suitable` (合适) or `unsuitable` (不合适); required.
    pub verdict: Option<String>,
    /// 面试备注, at most 2000 characters; the saved notes are kept when omitted.
    pub notes: Option<String>,
}

/// 结束面试: a host ends the interview with a verdict. The ticket is `done` with the verdict and
/// notes; the call `ended`.
#[utoipa::path(post, path = "/api/v1/calls/{call_id}/end", tag = "calls",
    params(("call_id" = i64, Path, description = "Call id")),
    request_body = EndInput,
    responses((status = 200, body = CallView), Unauthorized, NotFound, BodyRejected,
              (status = 422, description = "`verdict_required`, `notes_too_long`, `invalid_characters`", body = ApiErrorBody),
              (status = 409, description = "`call_invalid_transition` (not active)", body = ApiErrorBody),
              (status = 403, description = "`not_host`, `not_chosen_interviewer`", body = ApiErrorBody)))]
pub async fn end(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(call_id): PathParams<i64>,
    JsonBody(input): JsonBody<EndInput>,
) -> Result<Json<CallView>, ApiError> {
    let verdict = match input.verdict.as_deref().filter(|v| !v.is_empty()) {
        None => None,
        Some(v) => Some(Verdict::parse(v).ok_or_else(|| {
            ApiError::from(DomainError::new(
                "invalid_verdict",
                "verdict",
                fairhall_domain::msg!("error.web.verdict_invalid"),
            ))
        })?),
    };
    let v = state
        .end_call(&user.user, call_id, verdict, input.notes.as_deref())
        .await?;
    Ok(Json(v.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NotesInput {
    /// 面试备注, at most 2000 characters.
    pub notes: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotesSaved {
    /// When the notes were saved (Unix ms).
    pub saved_at: i64,
}

/// 面试备注 autosave by a host, while the ticket is queued, in a call or done.
#[utoipa::path(put, path = "/api/v1/tickets/{ticket_id}/notes", tag = "calls",
    params(("ticket_id" = i64, Path, description = "Ticket id")),
    request_body = NotesInput,
    responses((status = 200, body = NotesSaved), Unauthorized, NotFound, BodyRejected,
              (status = 422, description = "`notes_too_long`, `invalid_characters`", body = ApiErrorBody),
              (status = 409, description = "`invalid_transition` (pending or closed)", body = ApiErrorBody),
              (status = 403, description = "Not a host, or `not_chosen_interviewer`", body = ApiErrorBody)))]
pub async fn save_notes(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(ticket_id): PathParams<i64>,
    JsonBody(input): JsonBody<NotesInput>,
) -> Result<Json<NotesSaved>, ApiError> {
    let saved_at = state
        .save_notes(&user.user, ticket_id, &input.notes)
        .await?;
    Ok(Json(NotesSaved { saved_at }))
}

/// 下一位: starts a call with the registration's oldest queued ticket whose student is online.
#[utoipa::path(post, path = "/api/v1/employer/registrations/{registration_id}/calls/next",
    tag = "calls",
    params(("registration_id" = i64, Path, description = "Registration id")),
    responses((status = 201, body = CallView), Unauthorized, Invalid,
              (status = 404, description = "`no_one_online`, or not the caller's registration", body = ApiErrorBody),
              (status = 409, description = "`not_live`", body = ApiErrorBody),
              (status = 403, description = "Not a host, or `not_chosen_interviewer`", body = ApiErrorBody)))]
pub async fn next(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(registration_id): PathParams<i64>,
) -> Result<(StatusCode, Json<CallView>), ApiError> {
    let v = state.next_call(&user.user, registration_id).await?;
    Ok((StatusCode::CREATED, Json(v.into())))
}
