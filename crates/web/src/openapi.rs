//! The JSON API's routes and its OpenAPI 3.1 document, generated from the handlers.
//!
//! Error answers every operation shares are response components (`#/components/responses/…`)
//! that operations list by name: `responses((status = 200, body = X), Unauthorized, NotFound)`.
//! An operation's own description of a status, given as a tuple after them, replaces the shared
//! one.

use std::collections::BTreeMap;

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::schema::{Schema, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{IntoResponses, OpenApi, ToResponse};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;

use crate::error::ApiErrorBody;
use crate::{
    AppState, admin, announcements, auth, brochures, calls, chat, employers, fairs, notifications,
    organizers, registrations, resumes, roster, tickets, venue,
};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "fairhall API",
        description = "Video campus career fairs. Errors are JSON `{code, message, field?}`, the \
                       message in the `fairhall_lang` cookie's language (Chinese by default). \
                       Calls made with the session cookie must send the session's CSRF token \
                       as `X-CSRF-Token` on POST, PUT, PATCH and DELETE.\n\n\
                       Requests that do not parse are refused the same way before any rule is \
                       checked: `bad_path` (422, `field` names the path parameter), `bad_query` \
                       (422), `bad_json` (422, `field` is `body`), `bad_upload` (422, `field` is \
                       `file`), `too_large` (413, bodies above 16 MiB) and \
                       `unsupported_media_type` (415). An `/api/…` path the server does not have \
                       answers `not_found` (404), and a method a path does not take \
                       `method_not_allowed` (405, with `Allow`).",
        version = "1"
    ),
    components(
        schemas(ApiErrorBody),
        responses(Unauthorized, Forbidden, NotFound, Conflict, Invalid, RateLimited, TooLarge,
                  UnsupportedMediaType),
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

// ---------------------------------------------------------------- shared responses

/// An error answer: `ApiErrorBody` as JSON.
fn error_response(description: &str) -> ResponseBuilder {
    ResponseBuilder::new().description(description).content(
        "application/json",
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name("ApiErrorBody")))
            .build(),
    )
}

/// One shared error response: a component of the document (`ToResponse`) and the set of one
/// status that refers to it (`IntoResponses`), for an operation's `responses(…)`.
macro_rules! shared_response {
    ($(#[$doc:meta])* $name:ident, $status:literal, $response:expr) => {
        $(#[$doc])*
        pub struct $name;

        impl<'r> ToResponse<'r> for $name {
            fn response() -> (&'r str, RefOr<Response>) {
                (stringify!($name), $response.build().into())
            }
        }

        impl IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                BTreeMap::from([(
                    $status.to_string(),
                    Ref::from_response_name(stringify!($name)).into(),
                )])
            }
        }
    };
}

shared_response!(
    /// 401: every operation that needs a session.
    Unauthorized,
    401,
    error_response("Not signed in, or the session has ended (`not_signed_in`)")
);
shared_response!(
    /// 403: the account may not do this.
    Forbidden,
    403,
    error_response(
        "Signed in, but not allowed: another role, or another organizer's or employer's data"
    )
);
shared_response!(
    /// 404: nothing there, or nothing the account may see.
    NotFound,
    404,
    error_response("No such thing, or not one this account may see (`not_found`)")
);
shared_response!(
    /// 409: the change conflicts with the current state.
    Conflict,
    409,
    error_response("The change conflicts with the current state; `code` says how")
);
shared_response!(
    /// 422: invalid input, including requests that do not parse.
    Invalid,
    422,
    error_response(
        "Invalid input; `field` names it. Requests that do not parse answer `bad_path`, \
         `bad_query`, `bad_json` or `bad_upload`"
    )
);
shared_response!(
    /// 429: too many attempts.
    RateLimited,
    429,
    error_response("Too many attempts (`rate_limited`); wait the seconds `Retry-After` says")
        .header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(Some(utoipa::openapi::ObjectBuilder::new().schema_type(Type::Integer)))
                .description(Some("Seconds to wait"))
                .build()
        )
);
shared_response!(
    /// 413: the body is larger than the server reads.
    TooLarge,
    413,
    error_response("The body is larger than the server reads, 16 MiB (`too_large`)")
);
shared_response!(
    /// 415: the body is not of the type the operation reads.
    UnsupportedMediaType,
    415,
    error_response(
        "The body is not of the type the operation reads (`unsupported_media_type`)"
    )
);

/// 413 and 415: every operation that reads a body lists these (and 422, `Invalid` or its own).
pub struct BodyRejected;

impl IntoResponses for BodyRejected {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        let mut all = TooLarge::responses();
        all.extend(UnsupportedMediaType::responses());
        all
    }
}

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
