//! Fair sign-up (报名) by employers, review and changes by organizer staff, 我的报名.

use axum::Router;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

pub fn pages() -> Router<AppState> {
    Router::new()
}

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
