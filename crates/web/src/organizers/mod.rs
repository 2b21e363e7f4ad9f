//! Platform admin: organizers and their staff (`admin`). Organizer staff: fairs (场次), entry
//! codes, QR codes (`fairs`).

mod admin;
mod fairs;

use axum::Router;
use axum::http::HeaderMap;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::fail;
use crate::openapi::ApiRoutes;

pub fn pages() -> Router<AppState> {
    admin::pages().merge(fairs::pages())
}

pub fn api() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(admin::list_api, admin::create_api))
        .routes(routes!(admin::detail_api))
        .routes(routes!(admin::add_staff_api))
        .routes(routes!(fairs::list_api, fairs::create_api))
        .routes(routes!(fairs::detail_api, fairs::update_api))
}

/// The `Host` the request came to, for absolute links when no public URL is configured.
fn host_of(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::HOST)
        .and_then(|v| v.to_str().ok())
}

/// `"true"`-ish query flags: present and not empty.
fn flag(v: Option<&String>) -> bool {
    v.is_some_and(|s| !s.is_empty())
}
