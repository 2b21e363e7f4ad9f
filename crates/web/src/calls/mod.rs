//! Calls: the ICE servers a browser gets, with TURN credentials minted per call.
//!
//! `GET /api/v1/calls/ice-servers` answers the `iceServers` of an `RTCConfiguration`: the
//! configured STUN servers, and the TURN servers with short-lived credentials for the caller.

mod api;

use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub fn pages() -> Router<AppState> {
    Router::new()
}

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api::ice_servers))
}
