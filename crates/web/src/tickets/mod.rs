//! Interview tickets (面试): applications, invitations, the answers to them, and the queue (待面试).
//!
//! Students apply from the venue (`POST /api/v1/fairs/{fair_id}/employers/{registration_id}/tickets`)
//! and list their own tickets (`GET /api/v1/tickets`); the employer's admin and the interviewers
//! chosen for a registration invite students and list the registration's tickets by tab
//! (`/api/v1/employer/registrations/{id}/…`, the talent hall at `…/talents`). Either side answers at `/api/v1/tickets/{id}/…`.
//! Every change is pushed over `/ws` as `ticket_changed`.

mod api;
mod notices;
mod pages;
mod talents;

use axum::Router;
use axum::routing::get;
use utoipa_axum::routes;

use crate::AppState;
use crate::openapi::ApiRoutes;

pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/employer/registrations/{id}/hall", get(pages::hall))
        .route("/employer/registrations/{id}/talents", get(pages::talents))
        .route("/student/interviews", get(pages::student))
}

pub fn api() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(api::apply))
        .routes(routes!(api::mine))
        .routes(routes!(api::accept))
        .routes(routes!(api::reject))
        .routes(routes!(api::decline))
        .routes(routes!(api::cancel))
        .routes(routes!(api::no_show))
        .routes(routes!(api::history))
        .routes(routes!(api::invite))
        .routes(routes!(api::registration_tickets))
        .routes(routes!(talents::talents))
        .routes(routes!(notices::send_one))
        .routes(routes!(notices::send_suitable))
        .routes(routes!(notices::mine))
}

#[cfg(test)]
mod tests {
    use crate::i18n::{Lang, catalogue};

    /// Keys built in code are not seen by the template scan: check them here.
    #[test]
    fn every_key_built_in_code_is_in_both_catalogues() {
        let keys = super::pages::keys_used();
        for lang in [Lang::Zh, Lang::En] {
            let c = catalogue(lang);
            let missing: Vec<_> = keys
                .iter()
                .filter(|k| !k.is_empty() && !c.contains_key(**k))
                .collect();
            assert!(missing.is_empty(), "{}: {missing:?}", lang.code());
        }
    }
}
