//! The JSON API's routes and its OpenAPI 3.1 document, generated from the handlers.

use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::{
    AppState, admin, announcements, auth, brochures, calls, chat, employers, fairs, notifications,
    organizers, registrations, resumes, roster, tickets, venue,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "fairhall API",
        description = "Video campus career fairs. Errors are JSON `{code, message, field?}`. \
                       Calls made with the session cookie must send the session's CSRF token \
                       as `X-CSRF-Token` on POST, PUT, PATCH and DELETE.",
        version = "1"
    ),
    tags(
        (name = "auth", description = "Signing in and out"),
        (name = "admin", description = "Platform administration"),
        (name = "fairs", description = "Fairs (场次)"),
        (name = "notifications", description = "In-app notifications"),
        (name = "organizers", description = "Organizers (主办方), their staff, and their fairs"),
        (name = "employers", description = "Employers (单位), join requests (入驻), interviewers, positions"),
        (name = "brochures", description = "Recruitment brochures (招聘简章)"),
        (name = "registrations", description = "Fair registrations (单位报名) and their review"),
        (name = "resumes", description = "Resumes (简历) and fair entry (报名进入会场)"),
        (name = "roster", description = "Student rosters (云就业匹配)"),
        (name = "venue", description = "The venue: employer list, positions, deliveries (投递)"),
        (name = "chat", description = "Chat between students and employers"),
        (name = "tickets", description = "Interview tickets (面试)"),
        (name = "calls", description = "Calls and ICE servers"),
    )
)]
struct ApiDoc;

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(auth::api::login))
        .routes(routes!(auth::api::request_code))
        .routes(routes!(auth::api::verify_code))
        .routes(routes!(auth::api::logout))
        .routes(routes!(auth::api::me))
        .routes(routes!(admin::outbox_api))
        .routes(routes!(fairs::by_code))
        .routes(routes!(notifications::list_api))
        .routes(routes!(notifications::mark_read_api))
        .merge(organizers::api())
        .merge(announcements::api())
        .merge(employers::api())
        .merge(brochures::api())
        .merge(registrations::api())
        .merge(resumes::api())
        .merge(roster::api())
        .merge(venue::api())
        .merge(chat::api())
        .merge(tickets::api())
        .merge(calls::api())
}

/// The document as served at `/api/openapi.json`.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    api_router().split_for_parts().1
}
