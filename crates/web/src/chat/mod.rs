//! Text chat between a student and an employer in a fair: persisted, pushed live, with unread counts.
//!
//! Students chat from the venue (`/f/{code}/employers/{registration_id}/chat`) and see their
//! conversations at `/student/chats`; the employer's admin and interviewers answer from the inbox
//! at `/employer/chats`. New messages and unread counts are pushed over `/ws` (`chat_message`,
//! `chat_unread`); `crates/web/static/js/chat.js` sends, appends and refetches after a reconnect.

mod api;
mod pages;

use axum::Router;
use axum::routing::get;
use utoipa_axum::routes;

use crate::AppState;
use crate::openapi::ApiRoutes;

pub fn pages() -> Router<AppState> {
    Router::new()
        .route(
            "/f/{code}/employers/{registration_id}/chat",
            get(pages::student_conversation).post(pages::student_send),
        )
        .route("/student/chats", get(pages::student_inbox))
        .route("/employer/chats", get(pages::employer_inbox))
        .route(
            "/employer/chats/{conversation_id}",
            get(pages::employer_conversation).post(pages::employer_send),
        )
}

pub fn api() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(api::student_messages, api::student_send))
        .routes(routes!(api::list))
        .routes(routes!(api::unread))
        .routes(routes!(api::messages, api::send))
        .routes(routes!(api::mark_read))
}
