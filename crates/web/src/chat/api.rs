//! `/api/v1/fairs/{fair_id}/employers/{registration_id}/messages` (the student's side) and
//! `/api/v1/chats...` (either side).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use fairhall_app::chat::{
    ChatSide, ChatThread, ConversationListed, MAX_FETCH, Message, SentMessage,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::error::{ApiError, ApiErrorBody, JsonBody, PathParams, QueryParams};
use crate::openapi::{BodyRejected, Forbidden, Invalid, NotFound, Unauthorized};
use crate::session::CurrentUser;

/// One message. `body` is plain text: show it as text, never as HTML.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageView {
    pub id: i64,
    /// `student` or `employer`.
    pub side: String,
    pub sender_name: String,
    pub body: String,
    pub created_at: i64,
}

impl From<&Message> for MessageView {
    fn from(m: &Message) -> Self {
        Self {
            id: m.id,
            side: m.sender_side.clone(),
            sender_name: m.sender_name.clone(),
            body: m.body.clone(),
            created_at: m.created_at,
        }
    }
}

/// A conversation as one side opens it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadView {
    /// Null before the first message.
    pub conversation_id: Option<i64>,
    /// The caller's side: `student` or `employer`.
    pub my_side: String,
    pub fair_id: i64,
    pub fair_title: String,
    pub registration_id: i64,
    pub employer_id: i64,
    pub employer_name: String,
    pub student_id: i64,
    pub student_name: String,
    /// Oldest first: the newest 50, or those after `after`.
    pub messages: Vec<MessageView>,
    /// With `after`: more messages follow; ask again after the last one.
    pub has_more: bool,
}

impl ThreadView {
    fn of(t: &ChatThread, after: Option<i64>) -> Self {
        let h = &t.header;
        Self {
            conversation_id: h.conversation_id,
            my_side: t.side.as_str().into(),
            fair_id: h.fair_id,
            fair_title: h.fair_title.clone(),
            registration_id: h.registration_id,
            employer_id: h.employer_id,
            employer_name: h.employer_name.clone(),
            student_id: h.student_id,
            student_name: h.student_name.clone(),
            messages: t.messages.iter().map(MessageView::from).collect(),
            has_more: after.is_some()
                && t.messages.len() >= usize::try_from(MAX_FETCH).unwrap_or(0),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AfterQuery {
    /// Only messages with a larger id (after a reconnect: the last id the client has).
    pub after: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MessageInput {
    /// 1 to 1000 characters of plain text.
    pub text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SentView {
    pub conversation_id: i64,
    pub message: MessageView,
}

impl From<&SentMessage> for SentView {
    fn from(s: &SentMessage) -> Self {
        Self {
            conversation_id: s.conversation_id,
            message: MessageView::from(&s.message),
        }
    }
}

/// The student's conversation with an employer in a fair (student; marks it read).
#[utoipa::path(get, path = "/api/v1/fairs/{fair_id}/employers/{registration_id}/messages",
    tag = "chat",
    params(("fair_id" = i64, Path, description = "Fair id"),
           ("registration_id" = i64, Path, description = "The employer's registration in the fair"),
           AfterQuery),
    responses((status = 200, body = ThreadView), Unauthorized, Invalid,
              (status = 403, description = "Not a student, or has not entered the fair", body = ApiErrorBody),
              (status = 404, description = "No such fair, or the employer is not approved in it", body = ApiErrorBody)))]
pub async fn student_messages(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams((fair_id, registration_id)): PathParams<(i64, i64)>,
    QueryParams(q): QueryParams<AfterQuery>,
) -> Result<Json<ThreadView>, ApiError> {
    let t = state
        .student_chat(&user.user, fair_id, registration_id, q.after)
        .await?;
    Ok(Json(ThreadView::of(&t, q.after)))
}

/// A student writes to an employer in a fair; the first message starts the conversation.
#[utoipa::path(post, path = "/api/v1/fairs/{fair_id}/employers/{registration_id}/messages",
    tag = "chat",
    params(("fair_id" = i64, Path, description = "Fair id"),
           ("registration_id" = i64, Path, description = "The employer's registration in the fair")),
    request_body = MessageInput,
    responses((status = 201, body = SentView), Unauthorized, Forbidden, NotFound, BodyRejected,
              (status = 422, description = "Blank, too long, or invisible characters", body = ApiErrorBody),
              (status = 429, description = "Too many messages; the message says how long to wait", body = ApiErrorBody)))]
pub async fn student_send(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams((fair_id, registration_id)): PathParams<(i64, i64)>,
    JsonBody(input): JsonBody<MessageInput>,
) -> Result<(StatusCode, Json<SentView>), ApiError> {
    let sent = state
        .student_send_message(&user.user, fair_id, registration_id, &input.text)
        .await?;
    Ok((StatusCode::CREATED, Json(SentView::from(&sent))))
}

/// A conversation in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConversationItem {
    pub id: i64,
    pub fair_id: i64,
    pub fair_title: String,
    pub registration_id: i64,
    pub employer_id: i64,
    pub employer_name: String,
    pub student_id: i64,
    pub student_name: String,
    pub last_message_at: Option<i64>,
    /// The newest message, as plain text.
    pub last_body: Option<String>,
    /// Messages from the other side the caller's side has not read.
    pub unread: i64,
    /// The conversation's page for the caller.
    pub path: String,
}

pub fn page_path(side: ChatSide, c: &ConversationListed) -> String {
    match side {
        ChatSide::Student => format!("/f/{}/employers/{}/chat", c.fair_code, c.registration_id),
        ChatSide::Employer => format!("/employer/chats/{}", c.id),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChatList {
    /// The caller's side: `student` or `employer`.
    pub side: String,
    pub total_unread: i64,
    /// Most recent first.
    pub items: Vec<ConversationItem>,
}

/// The caller's conversations: a student's, or (admin and interviewers) the employer's across
/// fairs.
#[utoipa::path(get, path = "/api/v1/chats", tag = "chat",
    responses((status = 200, body = ChatList), Unauthorized, Forbidden))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<ChatList>, ApiError> {
    let (side, rows) = state.my_chats(&user.user).await?;
    let items = rows
        .iter()
        .map(|c| ConversationItem {
            id: c.id,
            fair_id: c.fair_id,
            fair_title: c.fair_title.clone(),
            registration_id: c.registration_id,
            employer_id: c.employer_id,
            employer_name: c.employer_name.clone(),
            student_id: c.student_id,
            student_name: c.student_name.clone(),
            last_message_at: c.last_message_at,
            last_body: c.last_body.clone(),
            unread: c.unread,
            path: page_path(side, c),
        })
        .collect();
    let total_unread = rows.iter().map(|c| c.unread).sum();
    Ok(Json(ChatList {
        side: side.as_str().into(),
        total_unread,
        items,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConversationUnread {
    pub conversation_id: i64,
    pub unread: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnreadView {
    pub side: String,
    pub total: i64,
    /// Only conversations with unread messages.
    pub conversations: Vec<ConversationUnread>,
}

/// The caller's unread messages, for the badges.
#[utoipa::path(get, path = "/api/v1/chats/unread", tag = "chat",
    responses((status = 200, body = UnreadView), Unauthorized, Forbidden))]
pub async fn unread(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<UnreadView>, ApiError> {
    let u = state.chat_unread(&user.user).await?;
    Ok(Json(UnreadView {
        side: u.side.as_str().into(),
        total: u.total,
        conversations: u
            .conversations
            .iter()
            .map(|&(conversation_id, unread)| ConversationUnread {
                conversation_id,
                unread,
            })
            .collect(),
    }))
}

/// A conversation's messages (either side; marks it read for the caller's side).
#[utoipa::path(get, path = "/api/v1/chats/{conversation_id}/messages", tag = "chat",
    params(("conversation_id" = i64, Path, description = "Conversation id"), AfterQuery),
    responses((status = 200, body = ThreadView), Unauthorized, Forbidden, Invalid,
              (status = 404, description = "Not a conversation of the caller", body = ApiErrorBody)))]
pub async fn messages(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(conversation_id): PathParams<i64>,
    QueryParams(q): QueryParams<AfterQuery>,
) -> Result<Json<ThreadView>, ApiError> {
    let t = state.chat(&user.user, conversation_id, q.after).await?;
    Ok(Json(ThreadView::of(&t, q.after)))
}

/// Write in a conversation (the student, or the employer's admin or interviewers).
#[utoipa::path(post, path = "/api/v1/chats/{conversation_id}/messages", tag = "chat",
    params(("conversation_id" = i64, Path, description = "Conversation id")),
    request_body = MessageInput,
    responses((status = 201, body = SentView), Unauthorized, Forbidden, NotFound, BodyRejected,
              (status = 422, description = "Blank, too long, or invisible characters", body = ApiErrorBody),
              (status = 429, description = "Too many messages; the message says how long to wait", body = ApiErrorBody),
              (status = 409, description = "The employer is no longer in the fair", body = ApiErrorBody)))]
pub async fn send(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(conversation_id): PathParams<i64>,
    JsonBody(input): JsonBody<MessageInput>,
) -> Result<(StatusCode, Json<SentView>), ApiError> {
    let sent = state
        .send_message(&user.user, conversation_id, &input.text)
        .await?;
    Ok((StatusCode::CREATED, Json(SentView::from(&sent))))
}

/// Mark a conversation read for the caller's side.
#[utoipa::path(post, path = "/api/v1/chats/{conversation_id}/read", tag = "chat",
    params(("conversation_id" = i64, Path, description = "Conversation id")),
    responses((status = 204, description = "Marked read"), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn mark_read(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(conversation_id): PathParams<i64>,
) -> Result<StatusCode, ApiError> {
    state.mark_chat_read(&user.user, conversation_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
