//! The user's notifications: a page, and the API behind the live badge.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, PageError};
use crate::guard::SignedIn;
use crate::openapi::Unauthorized;
use crate::pages::{Base, fmt_time, render};
use crate::session::CurrentUser;

pub fn pages() -> Router<AppState> {
    Router::new().route("/notifications", get(page))
}

const SHOWN: i64 = 100;

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationView {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub created_at: i64,
    pub read: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationList {
    pub unread: i64,
    pub items: Vec<NotificationView>,
}

async fn list(state: &AppState, user_id: i64) -> Result<NotificationList, ApiError> {
    let items = state
        .notifications(user_id, SHOWN)
        .await?
        .into_iter()
        .map(|n| NotificationView {
            id: n.id,
            kind: n.kind.as_str().into(),
            title: n.title,
            body: n.body,
            link: n.link,
            created_at: n.created_at,
            read: n.read_at.is_some(),
        })
        .collect();
    let unread = state.unread_notifications(user_id).await?;
    Ok(NotificationList { unread, items })
}

/// The signed-in user's newest notifications and the unread count.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications",
    responses((status = 200, body = NotificationList), Unauthorized))]
pub async fn list_api(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<NotificationList>, ApiError> {
    Ok(Json(list(&state, user.user.id).await?))
}

/// Marks all of the signed-in user's notifications read.
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "notifications",
    responses((status = 204, description = "Marked read"), Unauthorized))]
pub async fn mark_read_api(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<StatusCode, ApiError> {
    state.mark_notifications_read(user.user.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub struct Row {
    pub title: String,
    pub body: String,
    pub link: String,
    pub at: String,
    pub unread: bool,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct Page {
    b: Base,
    rows: Vec<Row>,
}

async fn page(State(state): State<AppState>, SignedIn { user, lang, .. }: SignedIn) -> Response {
    let id = user.user.id;
    let b = Base::new(lang, Some(user));
    let listed = match list(&state, id).await {
        Ok(l) => l,
        Err(ApiError(error)) => return PageError { error, base: b }.into_response(),
    };
    // Opening the list reads it.
    if let Err(e) = state.mark_notifications_read(id).await {
        tracing::warn!(error = %e, "marking notifications read failed");
    }
    render(&Page {
        b,
        rows: listed
            .items
            .into_iter()
            .map(|n| Row {
                title: n.title,
                body: n.body,
                link: n.link.unwrap_or_default(),
                at: fmt_time(n.created_at),
                unread: !n.read,
            })
            .collect(),
    })
}
