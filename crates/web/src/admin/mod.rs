//! The platform admin's console: for now, the outbox of SMS and e-mail.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, PageError};
use crate::guard::{PlatformAdmin, SignedIn};
use crate::openapi::{Forbidden, Unauthorized};
use crate::pages::{Base, fmt_time, render};
use crate::session::CurrentUser;

pub fn pages() -> Router<AppState> {
    Router::new().route("/admin/outbox", get(outbox_page))
}

const SHOWN: i64 = 200;

/// One message in the outbox.
#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxItem {
    pub id: i64,
    /// `sms` or `email`.
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// `logged` (kept here only) or `sent`.
    pub status: String,
    pub created_at: i64,
}

/// The newest 200 messages of the outbox (platform admin only).
#[utoipa::path(get, path = "/api/v1/admin/outbox", tag = "admin",
    responses((status = 200, body = [OutboxItem]), Unauthorized, Forbidden))]
pub async fn outbox_api(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<OutboxItem>>, ApiError> {
    let items = state
        .recent_outbox(&user.user, SHOWN)
        .await?
        .into_iter()
        .map(|m| OutboxItem {
            id: m.id,
            channel: m.channel.as_str().into(),
            recipient: m.recipient,
            subject: m.subject,
            body: m.body,
            status: m.status.as_str().into(),
            created_at: m.created_at,
        })
        .collect();
    Ok(Json(items))
}

pub struct OutboxRow {
    pub channel: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "outbox.html")]
struct OutboxPage {
    b: Base,
    rows: Vec<OutboxRow>,
}

async fn outbox_page(State(state): State<AppState>, admin: SignedIn<PlatformAdmin>) -> Response {
    let b = admin.base();
    match state.recent_outbox(&admin.user.user, SHOWN).await {
        Ok(msgs) => render(&OutboxPage {
            b,
            rows: msgs
                .into_iter()
                .map(|m| OutboxRow {
                    channel: m.channel.as_str().into(),
                    recipient: m.recipient,
                    subject: m.subject,
                    body: m.body,
                    status: m.status.as_str().into(),
                    at: fmt_time(m.created_at),
                })
                .collect(),
        }),
        Err(error) => PageError { error, base: b }.into_response(),
    }
}
