//! Calls: the ICE servers a browser gets, with TURN credentials minted per call.
//!
//! `GET /api/v1/calls/ice-servers` answers the `iceServers` of an `RTCConfiguration`: the
//! configured STUN servers, and the TURN servers with short-lived credentials for the caller.
//!
//! Pages: the call page `/interviews/{ticket_id}/call` (`static/js/call.js`) and the device test
//! `/devices` (`static/js/devices.js`); the ring banner on every page is `static/js/ring.js`.

mod api;
mod pages;

use axum::Router;
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/interviews/{ticket_id}/call", get(pages::call_page))
        .route("/devices", get(pages::devices_page))
}

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api::ice_servers))
}
