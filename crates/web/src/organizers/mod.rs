//! Platform admin: organizers and their staff. Organizer staff: fairs (场次), entry codes, QR codes.

use axum::Router;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

pub fn pages() -> Router<AppState> {
    Router::new()
}

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
