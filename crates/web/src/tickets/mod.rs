//! Interview tickets (面试): applications, invitations, the answers to them, and the queue (待面试).
//!
//! Students apply from the venue (`POST /api/v1/fairs/{fair_id}/employers/{registration_id}/tickets`)
//! and list their own tickets (`GET /api/v1/tickets`); the employer's admin and the interviewers
//! chosen for a registration invite students and list the registration's tickets by tab
//! (`/api/v1/employer/registrations/{id}/…`). Either side answers at `/api/v1/tickets/{id}/…`.
//! Every change is pushed over `/ws` as `ticket_changed`.

mod api;

use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

pub fn pages() -> Router<AppState> {
    Router::new()
}

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::apply))
        .routes(routes!(api::mine))
        .routes(routes!(api::accept))
        .routes(routes!(api::reject))
        .routes(routes!(api::decline))
        .routes(routes!(api::cancel))
        .routes(routes!(api::history))
        .routes(routes!(api::invite))
        .routes(routes!(api::registration_tickets))
}
