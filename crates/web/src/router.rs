//! One place that merges every feature's routes and wraps them in the middleware stack.

use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{any, get};
use axum::{Router, middleware};
use time::Duration as CookieDuration;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::session::{COOKIE_NAME, SqlSessionStore};
use crate::{
    AppState, admin, assets, auth, brochures, calls, chat, csrf, employers, error, fairs, files,
    health, home, notifications, openapi, organizers, registrations, resumes, roster, security,
    tickets, venue, ws,
};

/// Largest request body (uploads included); a larger one is refused with 413, as JSON on the
/// API (`error::Rejection`). The API document says 16 MiB.
const MAX_BODY: usize = 16 << 20;

pub fn build(state: AppState) -> Router {
    let (api, spec) = openapi::api_router().split_for_parts();
    let spec_json = std::sync::Arc::new(spec);
    let api = api
        .route(
            "/api/openapi.json",
            get(move || {
                let spec = spec_json.clone();
                async move { axum::Json((*spec).clone()) }
            }),
        )
        // An API path asked with a method it does not take answers JSON too.
        .method_not_allowed_fallback(error::api_method_not_allowed);

    let sessions = SessionManagerLayer::new(SqlSessionStore::new(state.clone()))
        .with_name(COOKIE_NAME)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.config.http.secure_cookies)
        .with_expiry(Expiry::OnInactivity(CookieDuration::seconds(i64::from(
            state.config.http.session_idle_secs,
        ))));

    Router::new()
        .merge(auth::pages())
        .merge(home::pages())
        .merge(admin::pages())
        .merge(fairs::pages())
        .merge(files::pages())
        .merge(notifications::pages())
        .merge(organizers::pages())
        .merge(employers::pages())
        .merge(brochures::pages())
        .merge(registrations::pages())
        .merge(resumes::pages())
        .merge(roster::pages())
        .merge(venue::pages())
        .merge(chat::pages())
        .merge(tickets::pages())
        .merge(calls::pages())
        .merge(api)
        // Any other `/api/…` path: a JSON 404, where pages get the HTML one.
        .route("/api/{*rest}", any(error::api_not_found))
        .route("/ws", get(ws::upgrade))
        .route("/static/{*path}", get(assets::serve))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .fallback(home::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), csrf::protect))
        .layer(middleware::from_fn(error::localize))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(
            ServiceBuilder::new()
                .layer(TraceLayer::new_for_http())
                .layer(CatchPanicLayer::new())
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    Duration::from_secs(30),
                ))
                .layer(middleware::from_fn(security::headers))
                .layer(sessions),
        )
        .with_state(state)
}
