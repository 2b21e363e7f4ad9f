//! The JSON API's routes and its OpenAPI 3.1 document, generated from the handlers.

use std::collections::BTreeMap;

use utoipa::OpenApi;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
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

// ---------------------------------------------------------------- routes

/// Routes and their part of the document, as `OpenApiRouter` builds them, noting every schema
/// name two different schemas claim. utoipa keys schemas by name and keeps one of them, so
/// without this the document would describe one type with another's fields.
pub struct ApiRoutes {
    router: OpenApiRouter<AppState>,
    schemas: BTreeMap<String, RefOr<Schema>>,
    clashes: Vec<String>,
}

impl Default for ApiRoutes {
    fn default() -> Self {
        ApiRoutes {
            router: OpenApiRouter::new(),
            schemas: BTreeMap::new(),
            clashes: Vec::new(),
        }
    }
}

impl ApiRoutes {
    pub fn new() -> Self {
        Self::default()
    }

    fn with_openapi(doc: utoipa::openapi::OpenApi) -> Self {
        let mut routes = ApiRoutes::default();
        if let Some(c) = &doc.components {
            for (name, schema) in &c.schemas {
                routes.note(name, schema);
            }
        }
        routes.router = OpenApiRouter::with_openapi(doc);
        routes
    }

    fn note(&mut self, name: &str, schema: &RefOr<Schema>) {
        match self.schemas.get(name) {
            None => {
                self.schemas.insert(name.to_string(), schema.clone());
            }
            Some(seen) if seen == schema => {}
            Some(seen) => {
                let json = |s: &RefOr<Schema>| serde_json::to_string(s).unwrap_or_default();
                self.clashes.push(format!(
                    "two schemas are named {name}: {} and {}",
                    json(seen),
                    json(schema)
                ));
            }
        }
    }

    /// `OpenApiRouter::routes`.
    pub fn routes(mut self, route: UtoipaMethodRouter<AppState>) -> Self {
        for (name, schema) in &route.0 {
            self.note(name, schema);
        }
        self.router = self.router.routes(route);
        self
    }

    /// `OpenApiRouter::merge`.
    pub fn merge(mut self, other: ApiRoutes) -> Self {
        for (name, schema) in &other.schemas {
            self.note(name, schema);
        }
        self.clashes.extend(other.clashes);
        self.router = self.router.merge(other.router);
        self
    }

    pub fn split_for_parts(self) -> (axum::Router<AppState>, utoipa::openapi::OpenApi) {
        self.router.split_for_parts()
    }
}

pub fn api_router() -> ApiRoutes {
    ApiRoutes::with_openapi(ApiDoc::openapi())
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

/// Every schema name that two different schemas claim; the document is only right when there
/// is none.
pub fn schema_clashes() -> Vec<String> {
    api_router().clashes
}
