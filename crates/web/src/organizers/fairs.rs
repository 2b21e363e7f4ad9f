//! Organizer staff's fair pages and API: 双选会场次 (list, new, detail, edit) and the entry QR
//! code as SVG and PNG for posters.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Json, Router};
use fairhall_app::fairs::{Fair, draft_of, status_of as fair_status};
use fairhall_app::{AppError, now_ms};
use fairhall_domain::fair::{FairForm, FairInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{fail, flag, host_of};
use crate::AppState;
use crate::error::{ApiError, JsonBody, PathParams, status_of};
use crate::guard::{OrganizerStaff, SignedIn};
use crate::openapi::{BodyRejected, Forbidden, Invalid, NotFound, Unauthorized};
use crate::pages::{Base, fmt_time, render};
use crate::session::CurrentUser;

pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/staff/fairs", get(list_page).post(create_page))
        .route("/staff/fairs/new", get(new_page))
        .route("/staff/fairs/{id}", get(detail_page))
        .route("/staff/fairs/{id}/edit", get(edit_page).post(update_page))
        .route("/staff/fairs/{id}/qr.svg", get(qr_svg))
        .route("/staff/fairs/{id}/qr.png", get(qr_png))
}

// ---------- API ----------

/// A fair (场次) as its organizer's staff see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffFairView {
    pub id: i64,
    pub organizer_id: i64,
    pub title: String,
    /// Sanitised HTML (p, br, strong, em, ul, ol, li, h3, h4, a).
    pub details: String,
    /// Employer sign-up window, Unix ms.
    pub signup_opens_at: i64,
    pub signup_closes_at: i64,
    /// The fair day (live window), Unix ms.
    pub starts_at: i64,
    pub ends_at: i64,
    /// Minimum resume completeness in percent for a student to enter.
    pub min_completeness: i64,
    /// Most employers that may take part; `null` for no limit.
    pub employer_limit: Option<i64>,
    pub entry_code: String,
    /// The absolute entry URL the QR code encodes.
    pub entry_url: String,
    /// `upcoming`, `signup_open`, `signup_closed`, `live` or `ended`.
    pub status: String,
    /// The status in Chinese (报名中, 进行中, 已结束 …).
    pub status_label: String,
    /// The QR code as SVG and as a print-size PNG (downloads).
    pub qr_svg_url: String,
    pub qr_png_url: String,
    pub created_at: i64,
}

/// A fair as staff submit it. Times are Unix milliseconds. Missing fields are refused by
/// field name.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct FairBody {
    /// 1–80 characters.
    pub title: String,
    /// HTML or plain text; sanitised on save.
    pub details: String,
    pub signup_opens_at: Option<i64>,
    /// After `signup_opens_at`, and not after `ends_at`.
    pub signup_closes_at: Option<i64>,
    pub starts_at: Option<i64>,
    /// After `starts_at`.
    pub ends_at: Option<i64>,
    /// 0–100; 70 when left out.
    pub min_completeness: Option<i64>,
    /// At least 1; left out for no limit.
    pub employer_limit: Option<i64>,
}

impl FairBody {
    fn input(self) -> FairInput {
        FairInput {
            title: self.title,
            details: self.details,
            signup_opens_at: self.signup_opens_at,
            signup_closes_at: self.signup_closes_at,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            min_completeness: self.min_completeness,
            employer_limit: self.employer_limit,
        }
    }
}

fn view(state: &AppState, host: Option<&str>, f: Fair, now: i64) -> StaffFairView {
    let status = fair_status(&f, now);
    StaffFairView {
        entry_url: state.entry_url(host, &f.entry_code),
        status: status.as_str().into(),
        status_label: status.label_zh().into(),
        qr_svg_url: format!("/staff/fairs/{}/qr.svg", f.id),
        qr_png_url: format!("/staff/fairs/{}/qr.png", f.id),
        id: f.id,
        organizer_id: f.organizer_id,
        title: f.title,
        details: f.details,
        signup_opens_at: f.signup_opens_at,
        signup_closes_at: f.signup_closes_at,
        starts_at: f.starts_at,
        ends_at: f.ends_at,
        min_completeness: f.min_completeness,
        employer_limit: f.employer_limit,
        entry_code: f.entry_code,
        created_at: f.created_at,
    }
}

/// The signed-in staff member's fairs, newest fair day first (organizer staff).
#[utoipa::path(get, path = "/api/v1/staff/fairs", tag = "organizers",
    responses((status = 200, body = [StaffFairView]), Unauthorized, Forbidden))]
pub async fn list_api(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: CurrentUser,
) -> Result<Json<Vec<StaffFairView>>, ApiError> {
    let fairs = state.fairs_for_staff(&user.user).await?;
    let now = now_ms();
    let host = host_of(&headers);
    Ok(Json(
        fairs
            .into_iter()
            .map(|f| view(&state, host, f, now))
            .collect(),
    ))
}

/// Creates a fair for the staff member's organizer, with a new entry code (organizer staff).
#[utoipa::path(post, path = "/api/v1/staff/fairs", tag = "organizers",
    request_body = FairBody,
    responses((status = 201, body = StaffFairView), Unauthorized, Forbidden, Invalid, BodyRejected))]
pub async fn create_api(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: CurrentUser,
    JsonBody(body): JsonBody<FairBody>,
) -> Result<(StatusCode, Json<StaffFairView>), ApiError> {
    let f = state.create_fair(&user.user, &body.input()).await?;
    Ok((
        StatusCode::CREATED,
        Json(view(&state, host_of(&headers), f, now_ms())),
    ))
}

/// One fair of the staff member's organizer; another organizer's fair answers 404.
#[utoipa::path(get, path = "/api/v1/staff/fairs/{id}", tag = "organizers",
    params(("id" = i64, Path, description = "The fair's id")),
    responses((status = 200, body = StaffFairView), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn detail_api(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
) -> Result<Json<StaffFairView>, ApiError> {
    let f = state.fair_for_staff(&user.user, id).await?;
    Ok(Json(view(&state, host_of(&headers), f, now_ms())))
}

/// Changes a fair of the staff member's organizer. The entry code stays the same.
#[utoipa::path(put, path = "/api/v1/staff/fairs/{id}", tag = "organizers",
    params(("id" = i64, Path, description = "The fair's id")),
    request_body = FairBody,
    responses((status = 200, body = StaffFairView), Unauthorized, Forbidden, NotFound, Invalid, BodyRejected))]
pub async fn update_api(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
    JsonBody(body): JsonBody<FairBody>,
) -> Result<Json<StaffFairView>, ApiError> {
    let f = state.update_fair(&user.user, id, &body.input()).await?;
    Ok(Json(view(&state, host_of(&headers), f, now_ms())))
}

// ---------- QR codes ----------

/// `attachment` with an ASCII fallback name and the fair's title for browsers that read
/// `filename*` (RFC 6266 / 5987).
fn disposition(f: &Fair, ext: &str) -> HeaderValue {
    let title: String = f
        .title
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '/' | '\\' | '"'))
        .collect();
    let utf8 = format!("{}-二维码.{ext}", title.trim());
    let encoded: String = utf8
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let value = format!(
        "attachment; filename=\"fair-{}-qr.{ext}\"; filename*=UTF-8''{encoded}",
        f.entry_code
    );
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static("attachment"))
}

async fn qr_svg(
    State(state): State<AppState>,
    SignedIn { user: u, lang, .. }: SignedIn,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    match state.fair_qr_svg(&u.user, id, host_of(&headers)).await {
        Ok((f, svg)) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("image/svg+xml; charset=utf-8"),
                ),
                (header::CONTENT_DISPOSITION, disposition(&f, "svg")),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("private, no-cache"),
                ),
            ],
            svg,
        )
            .into_response(),
        Err(e) => fail(Base::new(lang, Some(u)), e),
    }
}

async fn qr_png(
    State(state): State<AppState>,
    SignedIn { user: u, lang, .. }: SignedIn,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    match state.fair_qr_png(&u.user, id, host_of(&headers)).await {
        Ok((f, png)) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static("image/png")),
                (header::CONTENT_DISPOSITION, disposition(&f, "png")),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("private, no-cache"),
                ),
            ],
            png,
        )
            .into_response(),
        Err(e) => fail(Base::new(lang, Some(u)), e),
    }
}

// ---------- pages ----------

pub struct FairRow {
    pub id: i64,
    pub title: String,
    pub status: &'static str,
    pub status_key: String,
    pub signup: String,
    pub live: String,
    pub entry_path: String,
}

#[derive(Template)]
#[template(path = "organizers/fairs_list.html")]
struct ListPage {
    b: Base,
    org_name: String,
    rows: Vec<FairRow>,
}

fn status_key(status: &str) -> String {
    format!("staff_fairs.status.{status}")
}

async fn list_page(
    State(state): State<AppState>,
    SignedIn { user: u, lang, .. }: SignedIn,
) -> Response {
    let listed = state.fairs_for_staff(&u.user).await;
    let org = match u.user.organizer_id {
        Some(id) if listed.is_ok() => state.organizer_name(id).await,
        _ => Ok(String::new()),
    };
    let b = Base::new(lang, Some(u));
    let (fairs, org_name) = match (listed, org) {
        (Ok(f), Ok(o)) => (f, o),
        (Err(e), _) | (_, Err(e)) => return fail(b, e),
    };
    let now = now_ms();
    let rows = fairs
        .into_iter()
        .map(|f| {
            let status = fair_status(&f, now).as_str();
            FairRow {
                id: f.id,
                status,
                status_key: status_key(status),
                signup: format!(
                    "{} – {}",
                    fmt_time(f.signup_opens_at),
                    fmt_time(f.signup_closes_at)
                ),
                live: format!("{} – {}", fmt_time(f.starts_at), fmt_time(f.ends_at)),
                entry_path: format!("/f/{}", f.entry_code),
                title: f.title,
            }
        })
        .collect();
    render(&ListPage { b, org_name, rows })
}

#[derive(Template)]
#[template(path = "organizers/fair_form.html")]
struct FormPage {
    b: Base,
    /// `None` while creating.
    id: Option<i64>,
    action: String,
    form: FairForm,
    error_field: String,
    error: String,
}

const FAIR_FIELDS: [&str; 8] = [
    "title",
    "details",
    "signup_opens_at",
    "signup_closes_at",
    "starts_at",
    "ends_at",
    "min_completeness",
    "employer_limit",
];

impl FormPage {
    /// The message for `field`, or `""`.
    fn err(&self, field: &str) -> &str {
        if self.error_field == field {
            &self.error
        } else {
            ""
        }
    }

    /// An error about none of the fields (e.g. the fair is gone).
    fn form_error(&self) -> &str {
        if FAIR_FIELDS.contains(&self.error_field.as_str()) {
            ""
        } else {
            &self.error
        }
    }

    fn refused(mut self, e: &AppError) -> Response {
        self.error_field = e.field().unwrap_or("form").to_string();
        self.error = self.b.tr.err(e);
        (status_of(e), render(&self)).into_response()
    }
}

async fn new_page(staff: SignedIn<OrganizerStaff>) -> Response {
    render(&FormPage {
        b: staff.base(),
        id: None,
        action: "/staff/fairs".into(),
        form: FairForm {
            min_completeness: fairhall_domain::fair::DEFAULT_MIN_COMPLETENESS.to_string(),
            ..FairForm::default()
        },
        error_field: String::new(),
        error: String::new(),
    })
}

async fn create_page(
    State(state): State<AppState>,
    SignedIn { user: u, lang, .. }: SignedIn<OrganizerStaff>,
    Form(form): Form<FairForm>,
) -> Response {
    let created = match form.to_input() {
        Ok(input) => state.create_fair(&u.user, &input).await,
        Err(e) => Err(e.into()),
    };
    let b = Base::new(lang, Some(u));
    match created {
        Ok(f) => Redirect::to(&format!("/staff/fairs/{}?created=1", f.id)).into_response(),
        Err(e @ (AppError::Forbidden | AppError::Internal(_))) => fail(b, e),
        Err(e) => FormPage {
            b,
            id: None,
            action: "/staff/fairs".into(),
            form,
            error_field: String::new(),
            error: String::new(),
        }
        .refused(&e),
    }
}

async fn edit_page(
    State(state): State<AppState>,
    SignedIn { user: u, lang, .. }: SignedIn<OrganizerStaff>,
    Path(id): Path<i64>,
) -> Response {
    let found = state.fair_for_staff(&u.user, id).await;
    let b = Base::new(lang, Some(u));
    match found {
        Ok(f) => render(&FormPage {
            b,
            id: Some(f.id),
            action: format!("/staff/fairs/{}/edit", f.id),
            form: FairForm::from_draft(&draft_of(&f)),
            error_field: String::new(),
            error: String::new(),
        }),
        Err(e) => fail(b, e),
    }
}

async fn update_page(
    State(state): State<AppState>,
    SignedIn { user: u, lang, .. }: SignedIn<OrganizerStaff>,
    Path(id): Path<i64>,
    Form(form): Form<FairForm>,
) -> Response {
    // The fair must be this organizer's before anything typed is looked at.
    if let Err(e) = state.fair_for_staff(&u.user, id).await {
        return fail(Base::new(lang, Some(u)), e);
    }
    let saved = match form.to_input() {
        Ok(input) => state.update_fair(&u.user, id, &input).await,
        Err(e) => Err(e.into()),
    };
    let b = Base::new(lang, Some(u));
    match saved {
        Ok(_) => Redirect::to(&format!("/staff/fairs/{id}?saved=1")).into_response(),
        Err(e @ (AppError::Forbidden | AppError::NotFound | AppError::Internal(_))) => fail(b, e),
        Err(e) => FormPage {
            b,
            id: Some(id),
            action: format!("/staff/fairs/{id}/edit"),
            form,
            error_field: String::new(),
            error: String::new(),
        }
        .refused(&e),
    }
}

#[derive(Template)]
#[template(path = "organizers/fair_detail.html")]
struct DetailPage {
    b: Base,
    id: i64,
    title: String,
    /// Sanitised again at render, so rows written around the app (the demo) are safe too.
    details_html: String,
    status: &'static str,
    status_key: String,
    signup_opens: String,
    signup_closes: String,
    starts: String,
    ends: String,
    min_completeness: i64,
    employer_limit: Option<i64>,
    entry_url: String,
    entry_path: String,
    created: String,
    notice: &'static str,
    /// 现场公告 already sent, newest first: (time, text).
    announcements: Vec<(String, String)>,
}

async fn detail_page(
    State(state): State<AppState>,
    SignedIn { user: u, lang, .. }: SignedIn,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let found = state.fair_for_staff(&u.user, id).await;
    let listed = state.fair_announcements(&u.user, id).await;
    let b = Base::new(lang, Some(u));
    let f = match found {
        Ok(f) => f,
        Err(e) => return fail(b, e),
    };
    let announcements = match listed {
        Ok(list) => list
            .into_iter()
            .map(|a| (fmt_time(a.created_at), a.body))
            .collect(),
        Err(e) => return fail(b, e),
    };
    let notice = if flag(q.get("created")) {
        "staff_fairs.created"
    } else if flag(q.get("saved")) {
        "staff_fairs.saved"
    } else {
        ""
    };
    let status = fair_status(&f, now_ms()).as_str();
    render(&DetailPage {
        b,
        id: f.id,
        details_html: f.details.clone(),
        status,
        status_key: status_key(status),
        signup_opens: fmt_time(f.signup_opens_at),
        signup_closes: fmt_time(f.signup_closes_at),
        starts: fmt_time(f.starts_at),
        ends: fmt_time(f.ends_at),
        min_completeness: f.min_completeness,
        employer_limit: f.employer_limit,
        entry_url: state.entry_url(host_of(&headers), &f.entry_code),
        entry_path: format!("/f/{}", f.entry_code),
        created: fmt_time(f.created_at),
        notice,
        announcements,
        title: f.title,
    })
}
