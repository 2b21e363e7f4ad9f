//! A fair's public entry page, `/f/{code}`: what the QR code opens.

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use fairhall_app::AppError;
use fairhall_store::fairs::Fair;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, ApiErrorBody, PageError};
use crate::i18n::Lang;
use crate::pages::{Base, fmt_time, render};
use crate::session::MaybeUser;

pub fn pages() -> Router<AppState> {
    Router::new().route("/f/{code}", get(entry_page))
}

/// A fair as anyone with its entry code sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicFair {
    pub id: i64,
    pub title: String,
    /// Sanitised HTML.
    pub details: String,
    pub organizer: String,
    pub signup_opens_at: i64,
    pub signup_closes_at: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub min_completeness: i64,
    pub entry_path: String,
}

async fn public_fair(state: &AppState, code: &str) -> Result<(Fair, String), AppError> {
    let fair = state
        .store
        .fair_by_code(code)
        .await?
        .ok_or(AppError::NotFound)?;
    let organizer = state.store.organizer(fair.organizer_id).await?.name;
    Ok((fair, organizer))
}

/// A fair by its entry code (public).
#[utoipa::path(get, path = "/api/v1/fairs/by-code/{code}", tag = "fairs",
    params(("code" = String, Path, description = "The fair's entry code")),
    responses((status = 200, body = PublicFair), (status = 404, body = ApiErrorBody)))]
pub async fn by_code(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Json<PublicFair>, ApiError> {
    let (f, organizer) = public_fair(&state, &code).await?;
    Ok(Json(PublicFair {
        id: f.id,
        entry_path: format!("/f/{}", f.entry_code),
        title: f.title,
        details: fairhall_domain::fair::sanitize_details(&f.details),
        organizer,
        signup_opens_at: f.signup_opens_at,
        signup_closes_at: f.signup_closes_at,
        starts_at: f.starts_at,
        ends_at: f.ends_at,
        min_completeness: f.min_completeness,
    }))
}

#[derive(Template)]
#[template(path = "fair_entry.html")]
struct EntryPage {
    b: Base,
    title: String,
    organizer: String,
    details: String,
    starts: String,
    ends: String,
    signup_closes: String,
    min_completeness: i64,
    path: String,
    code: String,
}

async fn entry_page(
    State(state): State<AppState>,
    lang: Lang,
    MaybeUser(user): MaybeUser,
    Path(code): Path<String>,
) -> Response {
    let mut b = Base::new(lang, user);
    b.phone = true;
    match public_fair(&state, &code).await {
        Ok((f, organizer)) => render(&EntryPage {
            b,
            path: format!("/f/{}", f.entry_code),
            code: f.entry_code.clone(),
            title: f.title,
            organizer,
            details: fairhall_domain::fair::sanitize_details(&f.details),
            starts: fmt_time(f.starts_at),
            ends: fmt_time(f.ends_at),
            signup_closes: fmt_time(f.signup_closes_at),
            min_completeness: f.min_completeness,
        }),
        Err(error) => PageError { error, base: b }.into_response(),
    }
}
