//! The calls API.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, ApiErrorBody};
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

/// The ICE servers for the caller's calls, with TURN credentials minted for them. Any
/// signed-in user may ask; the answer is never cached.
#[utoipa::path(get, path = "/api/v1/calls/ice-servers", tag = "calls",
    responses((status = 200, body = IceServersView), (status = 401, body = ApiErrorBody)))]
pub async fn ice_servers(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<impl IntoResponse, ApiError> {
    let ice = state.ice_servers(&user.user);
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
