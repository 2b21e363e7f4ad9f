//! 现场公告: organizer staff publish to a fair's participants; participants list them (the
//! live copy arrives over `/ws` as `fair_announcement` after a `watch_fair`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use fairhall_app::announcements::Announcement;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::{ApiError, JsonBody, PathParams};
use crate::openapi::{
    ApiRoutes, BodyRejected, Conflict, Forbidden, Invalid, NotFound, Unauthorized,
};
use crate::session::CurrentUser;

pub fn api() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(publish_api))
        .routes(routes!(list_api))
}

/// One announcement of a fair.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnnouncementView {
    pub id: i64,
    pub fair_id: i64,
    /// Plain text (line breaks kept); show it as text, never as HTML.
    pub text: String,
    /// Unix ms.
    pub at: i64,
}

impl From<Announcement> for AnnouncementView {
    fn from(a: Announcement) -> Self {
        AnnouncementView {
            id: a.id,
            fair_id: a.fair_id,
            text: a.body,
            at: a.created_at,
        }
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct AnnouncementBody {
    /// 1–300 characters.
    pub text: String,
}

/// Publishes an announcement to everyone in the fair: saved, then pushed live to every
/// participant's open pages (staff of the fair's organizer; from sign-up until the fair ends).
#[utoipa::path(post, path = "/api/v1/staff/fairs/{id}/announcements", tag = "organizers",
    params(("id" = i64, Path, description = "The fair's id")),
    request_body = AnnouncementBody,
    responses((status = 201, body = AnnouncementView), Unauthorized, Forbidden, NotFound, Conflict, Invalid, BodyRejected))]
pub async fn publish_api(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
    JsonBody(body): JsonBody<AnnouncementBody>,
) -> Result<(StatusCode, Json<AnnouncementView>), ApiError> {
    let a = state.announce(&user.user, id, &body.text).await?;
    Ok((StatusCode::CREATED, Json(a.into())))
}

/// The fair's newest announcements (at most 20), for its participants: students who entered,
/// the hosts of approved employers and the organizer's staff. Anyone else gets 404.
#[utoipa::path(get, path = "/api/v1/fairs/{fair_id}/announcements", tag = "venue",
    params(("fair_id" = i64, Path, description = "The fair's id")),
    responses((status = 200, body = [AnnouncementView]), Unauthorized, NotFound, Invalid))]
pub async fn list_api(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(fair_id): PathParams<i64>,
) -> Result<Json<Vec<AnnouncementView>>, ApiError> {
    let list = state.fair_announcements(&user.user, fair_id).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}
