//! A fair's public entry page, `/f/{code}`: what the QR code opens.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use fairhall_app::AppError;
use fairhall_app::fairs::Fair;
use fairhall_app::resumes::EnterOutcome;
use fairhall_domain::account::Role;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, PageError, PathParams};
use crate::guard::Visitor;
use crate::openapi::NotFound;
use crate::pages::{Base, fmt_time, render};
use crate::resumes::MissingItem;

pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/f/{code}", get(entry_page))
        .route("/f/{code}/enter", post(enter))
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
    let fair = state.fair_by_code(code).await?.ok_or(AppError::NotFound)?;
    let organizer = state.organizer_name(fair.organizer_id).await?;
    Ok((fair, organizer))
}

/// A fair by its entry code (public).
#[utoipa::path(get, path = "/api/v1/fairs/by-code/{code}", tag = "fairs",
    params(("code" = String, Path, description = "The fair's entry code")),
    responses((status = 200, body = PublicFair), NotFound))]
pub async fn by_code(
    State(state): State<AppState>,
    PathParams(code): PathParams<String>,
) -> Result<Json<PublicFair>, ApiError> {
    let (f, organizer) = public_fair(&state, &code).await?;
    Ok(Json(PublicFair {
        id: f.id,
        entry_path: format!("/f/{}", f.entry_code),
        title: f.title,
        details: f.details,
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
    /// A signed-in student's standing: entered, the score, and after a refused entry what to add.
    entered: bool,
    percent: u8,
    refused: bool,
    missing: Vec<MissingItem>,
}

impl EntryPage {
    fn new(b: Base, f: Fair, organizer: String) -> EntryPage {
        EntryPage {
            b,
            path: format!("/f/{}", f.entry_code),
            code: f.entry_code.clone(),
            title: f.title,
            organizer,
            details: f.details,
            starts: fmt_time(f.starts_at),
            ends: fmt_time(f.ends_at),
            signup_closes: fmt_time(f.signup_closes_at),
            min_completeness: f.min_completeness,
            entered: false,
            percent: 0,
            refused: false,
            missing: Vec::new(),
        }
    }
}

fn is_student(b: &Base) -> bool {
    b.user
        .as_ref()
        .is_some_and(|u| u.user.role == Role::Student)
}

async fn entry_page(
    State(state): State<AppState>,
    Visitor { user, lang }: Visitor,
    session: tower_sessions::Session,
    Path(code): Path<String>,
) -> Response {
    let mut b = Base::new(lang, user);
    b.phone = true;
    let (f, organizer) = match public_fair(&state, &code).await {
        Ok(found) => found,
        Err(error) => return PageError { error, base: b }.into_response(),
    };
    let mut page_entered = false;
    let mut percent = 0;
    if let Some(u) = b.user.as_ref().filter(|_| is_student(&b)) {
        crate::resumes::remember_fair(&session, &f.entry_code).await;
        match state.fair_entry_status(&u.user, f.id).await {
            Ok(s) => {
                page_entered = s.entered.is_some();
                percent = s.percent;
            }
            Err(error) => return PageError { error, base: b }.into_response(),
        }
    }
    let mut page = EntryPage::new(b, f, organizer);
    page.entered = page_entered;
    page.percent = percent;
    render(&page)
}

/// 报名进入会场: in at or above the fair's threshold (to the employer list), else the entry
/// page again with the score and what to add.
async fn enter(
    State(state): State<AppState>,
    Visitor { user, lang }: Visitor,
    Path(code): Path<String>,
) -> Response {
    let Some(user) = user else {
        let next = format!("/f/{code}");
        return Redirect::to(&format!(
            "/login?next={}",
            form_urlencoded::byte_serialize(next.as_bytes()).collect::<String>()
        ))
        .into_response();
    };
    let mut b = Base::new(lang, Some(user.clone()));
    b.phone = true;
    let (f, organizer) = match public_fair(&state, &code).await {
        Ok(found) => found,
        Err(error) => return PageError { error, base: b }.into_response(),
    };
    match state.enter_fair(&user.user, f.id).await {
        Ok(EnterOutcome::Entered { .. }) => {
            Redirect::to(&format!("/f/{}/employers", f.entry_code)).into_response()
        }
        Ok(EnterOutcome::Refused(r)) => {
            let mut page = EntryPage::new(b, f, organizer);
            page.percent = r.percent;
            page.refused = true;
            page.missing = r.missing.iter().map(MissingItem::from).collect();
            (StatusCode::UNPROCESSABLE_ENTITY, render(&page)).into_response()
        }
        Err(error) => PageError { error, base: b }.into_response(),
    }
}
