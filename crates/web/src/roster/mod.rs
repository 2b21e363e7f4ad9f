//! Rosters (云就业匹配): organizer staff import student rosters from CSV or XLSX; students sign in by matching them.
//!
//! Staff pages live under `/staff/roster` (upload, the row-by-row report, the history and a
//! template to fill in); students match at `/roster-match`, linked from the sign-in page.

mod api;
mod pages;

use axum::Router;
use axum::routing::get;
use utoipa_axum::routes;

use crate::AppState;
use crate::openapi::ApiRoutes;

pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/staff/roster", get(pages::staff).post(pages::staff_import))
        .route("/staff/roster/template.csv", get(pages::template))
        .route(
            "/roster-match",
            get(pages::match_form).post(pages::match_submit),
        )
}

pub fn api() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(api::overview, api::import))
        .routes(routes!(api::roster_match))
}

/// The template's header row: every column the import reads, by its Chinese name, with a BOM so
/// Excel opens it as UTF-8.
pub fn template_csv() -> String {
    let names: Vec<&str> = fairhall_domain::roster::Column::ALL
        .iter()
        .map(|c| c.label_zh())
        .collect();
    format!("\u{FEFF}{}\r\n", names.join(","))
}
