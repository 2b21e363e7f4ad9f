//! Calls: the ICE servers a browser gets, with TURN credentials minted per call, and video
//! calls on interview tickets (start, answer, decline, cancel, join, leave, end, notes, 下一位).
//! Signalling goes over `/ws` (`crate::ws`).
//!
//! `GET /api/v1/calls/ice-servers` answers the `iceServers` of an `RTCConfiguration`: the
//! configured STUN servers, and the TURN servers with short-lived credentials for the caller.
//!
//! Pages: the call page `/interviews/{ticket_id}/call` (`static/js/call.js`) and the device test
//! `/devices` (`static/js/devices.js`); the ring banner on every page is `static/js/lib/ring.js`.

mod api;
mod pages;

use axum::Router;
use axum::routing::get;
use utoipa_axum::routes;

use crate::AppState;
use crate::openapi::ApiRoutes;

pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/interviews/{ticket_id}/call", get(pages::call_page))
        .route("/devices", get(pages::devices_page))
}

pub fn api() -> ApiRoutes {
    // `current` and `ice-servers` before `{call_id}`: axum prefers static segments anyway.
    ApiRoutes::new()
        .routes(routes!(api::ice_servers))
        .routes(routes!(api::current))
        .routes(routes!(api::get_call))
        .routes(routes!(api::start))
        .routes(routes!(api::answer))
        .routes(routes!(api::decline))
        .routes(routes!(api::cancel))
        .routes(routes!(api::join))
        .routes(routes!(api::leave))
        .routes(routes!(api::end))
        .routes(routes!(api::save_notes))
        .routes(routes!(api::next))
}
