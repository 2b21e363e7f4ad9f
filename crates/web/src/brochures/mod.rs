//! Employers' recruitment brochures (招聘简章): list, edit, preview, images.

use axum::Router;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

pub fn pages() -> Router<AppState> {
    Router::new()
}

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
