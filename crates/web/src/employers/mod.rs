//! Employers: public registration (立即注册), profile, join requests (入驻) and their review by organizer staff, interviewers (面试官), positions (职位).

use axum::Router;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

pub fn pages() -> Router<AppState> {
    Router::new()
}

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
