//! The platform admin's organizer pages and API: 主办方管理 (list, create), one organizer with
//! its staff accounts (add a staff account).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use fairhall_app::AppError;
use fairhall_app::accounts::User;
use fairhall_app::organizers::{
    Organizer, OrganizerInput, OrganizerSummary, StaffInput, StaffMember,
};
use fairhall_domain::fair::OrganizerKind;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

use super::{fail, flag};
use crate::AppState;
use crate::error::{ApiError, JsonBody, PathParams, status_of};
use crate::guard::{PlatformAdmin, SignedIn};
use crate::i18n::Lang;
use crate::openapi::{BodyRejected, Conflict, Forbidden, Invalid, NotFound, Unauthorized};
use crate::pages::{Base, fmt_time, render};
use crate::session::CurrentUser;

pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/admin/organizers", get(list_page).post(create_page))
        .route("/admin/organizers/{id}", get(detail_page))
        .route("/admin/organizers/{id}/staff", post(add_staff_page))
}

// ---------- API ----------

/// An organizer (主办方).
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizerView {
    pub id: i64,
    pub name: String,
    /// `university` (高校) or `city` (城市就业平台).
    pub kind: String,
    /// The kind in Chinese.
    pub kind_label: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: Option<String>,
    pub created_at: i64,
}

/// An organizer in the admin's list.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizerListItem {
    #[serde(flatten)]
    pub organizer: OrganizerView,
    /// How many staff accounts it has.
    pub staff_count: i64,
    /// How many fairs it has created.
    pub fair_count: i64,
}

/// A staff account of an organizer.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffView {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub created_at: i64,
    /// `null` until the first sign-in.
    pub last_login_at: Option<i64>,
}

/// One organizer with its staff accounts.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizerDetail {
    pub organizer: OrganizerView,
    pub staff: Vec<StaffView>,
}

/// A new organizer. Missing fields are refused by field name.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct NewOrganizerBody {
    /// Unique name, 1–60 characters, e.g. 天津大学就业指导中心.
    pub name: String,
    /// `university` (高校) or `city` (城市就业平台).
    pub kind: String,
    pub contact_name: String,
    /// A mobile or landline number.
    pub contact_phone: String,
    pub contact_email: Option<String>,
}

/// A new staff account: it signs in with this e-mail and initial password.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct NewStaffBody {
    pub name: String,
    pub email: String,
    /// At least 8 characters.
    pub password: String,
}

fn kind_label(kind: OrganizerKind) -> String {
    kind.label_zh().to_string()
}

fn view(o: Organizer) -> OrganizerView {
    OrganizerView {
        kind_label: kind_label(o.kind),
        id: o.id,
        name: o.name,
        kind: o.kind.as_str().into(),
        contact_name: o.contact_name,
        contact_phone: o.contact_phone,
        contact_email: o.contact_email,
        created_at: o.created_at,
    }
}

fn list_item(o: OrganizerSummary) -> OrganizerListItem {
    OrganizerListItem {
        staff_count: o.staff_count,
        fair_count: o.fair_count,
        organizer: view(Organizer {
            id: o.id,
            name: o.name,
            kind: o.kind,
            contact_name: o.contact_name,
            contact_phone: o.contact_phone,
            contact_email: o.contact_email,
            created_at: o.created_at,
        }),
    }
}

fn staff_view(s: StaffMember) -> StaffView {
    StaffView {
        id: s.id,
        name: s.display_name,
        email: s.email,
        created_at: s.created_at,
        last_login_at: s.last_login_at,
    }
}

fn user_staff_view(u: User) -> StaffView {
    StaffView {
        id: u.id,
        name: u.display_name,
        email: u.email,
        created_at: u.created_at,
        last_login_at: None,
    }
}

/// Every organizer with its staff and fair counts, newest first (platform admin).
#[utoipa::path(get, path = "/api/v1/admin/organizers", tag = "organizers",
    responses((status = 200, body = [OrganizerListItem]), Unauthorized, Forbidden))]
pub async fn list_api(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<OrganizerListItem>>, ApiError> {
    let list = state.organizers_for_admin(&user.user).await?;
    Ok(Json(list.into_iter().map(list_item).collect()))
}

/// Registers an organizer (platform admin). A name already taken answers 409 with
/// `field: "name"`.
#[utoipa::path(post, path = "/api/v1/admin/organizers", tag = "organizers",
    request_body = NewOrganizerBody,
    responses((status = 201, body = OrganizerView), Unauthorized, Forbidden, Conflict, Invalid, BodyRejected))]
pub async fn create_api(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<NewOrganizerBody>,
) -> Result<(StatusCode, Json<OrganizerView>), ApiError> {
    let o = state
        .create_organizer(
            &user.user,
            &OrganizerInput {
                name: &body.name,
                kind: &body.kind,
                contact_name: &body.contact_name,
                contact_phone: &body.contact_phone,
                contact_email: body.contact_email.as_deref(),
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(view(o))))
}

/// One organizer and its staff accounts (platform admin).
#[utoipa::path(get, path = "/api/v1/admin/organizers/{id}", tag = "organizers",
    params(("id" = i64, Path, description = "The organizer's id")),
    responses((status = 200, body = OrganizerDetail), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn detail_api(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
) -> Result<Json<OrganizerDetail>, ApiError> {
    let (o, staff) = state.organizer_for_admin(&user.user, id).await?;
    Ok(Json(OrganizerDetail {
        organizer: view(o),
        staff: staff.into_iter().map(staff_view).collect(),
    }))
}

/// Creates a staff account of the organizer (platform admin). A taken e-mail answers 409
/// with `field: "email"`.
#[utoipa::path(post, path = "/api/v1/admin/organizers/{id}/staff", tag = "organizers",
    params(("id" = i64, Path, description = "The organizer's id")),
    request_body = NewStaffBody,
    responses((status = 201, body = StaffView), Unauthorized, Forbidden, NotFound, Conflict, Invalid, BodyRejected))]
pub async fn add_staff_api(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
    JsonBody(body): JsonBody<NewStaffBody>,
) -> Result<(StatusCode, Json<StaffView>), ApiError> {
    let u = state
        .add_organizer_staff(
            &user.user,
            id,
            &StaffInput {
                name: &body.name,
                email: &body.email,
                password: &body.password,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, Json(user_staff_view(u))))
}

// ---------- pages ----------

/// An error shown beside one field of a form, or above the form (`field` not in the form).
#[derive(Debug, Default)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    fn of(lang: Lang, e: &AppError) -> FieldError {
        FieldError {
            field: e.field().unwrap_or("form").to_string(),
            message: e.render(lang.into()),
        }
    }

    /// The message for `field`, or `""`.
    pub fn at(&self, field: &str) -> &str {
        if self.field == field {
            &self.message
        } else {
            ""
        }
    }

    /// The message when it is about none of `fields`.
    pub fn other(&self, fields: &[&str]) -> &str {
        if self.message.is_empty() || fields.contains(&self.field.as_str()) {
            ""
        } else {
            &self.message
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OrganizerForm {
    name: String,
    kind: String,
    contact_name: String,
    contact_phone: String,
    contact_email: String,
}

const ORGANIZER_FIELDS: [&str; 5] = [
    "name",
    "kind",
    "contact_name",
    "contact_phone",
    "contact_email",
];

pub struct OrganizerRow {
    pub id: i64,
    pub name: String,
    pub kind_key: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: String,
    pub staff_count: i64,
    pub fair_count: i64,
    pub created: String,
}

#[derive(Template)]
#[template(path = "organizers/admin_list.html")]
struct ListPage {
    b: Base,
    rows: Vec<OrganizerRow>,
    form: OrganizerForm,
    error: FieldError,
}

impl ListPage {
    fn err(&self, field: &str) -> &str {
        self.error.at(field)
    }

    fn form_error(&self) -> &str {
        self.error.other(&ORGANIZER_FIELDS)
    }
}

fn kind_key(kind: OrganizerKind) -> String {
    format!("organizers.kind.{}", kind.as_str())
}

async fn render_list(
    state: &AppState,
    b: Base,
    form: OrganizerForm,
    error: Option<&AppError>,
) -> Response {
    let user = match &b.user {
        Some(u) => u.user.clone(),
        None => return fail(b, AppError::Forbidden),
    };
    let list = match state.organizers_for_admin(&user).await {
        Ok(l) => l,
        Err(e) => return fail(b, e),
    };
    let rows = list
        .into_iter()
        .map(|o| OrganizerRow {
            id: o.id,
            kind_key: kind_key(o.kind),
            name: o.name,
            contact_name: o.contact_name,
            contact_phone: o.contact_phone,
            contact_email: o.contact_email.unwrap_or_default(),
            staff_count: o.staff_count,
            fair_count: o.fair_count,
            created: fmt_time(o.created_at),
        })
        .collect();
    let lang = b.tr.lang;
    let page = ListPage {
        b,
        rows,
        form,
        error: error.map(|e| FieldError::of(lang, e)).unwrap_or_default(),
    };
    match error {
        Some(e) => (status_of(e), render(&page)).into_response(),
        None => render(&page),
    }
}

async fn list_page(
    State(state): State<AppState>,
    SignedIn { user: u, lang, .. }: SignedIn<PlatformAdmin>,
) -> Response {
    let form = OrganizerForm {
        kind: "university".into(),
        ..OrganizerForm::default()
    };
    render_list(&state, Base::new(lang, Some(u)), form, None).await
}

async fn create_page(
    State(state): State<AppState>,
    SignedIn { user: u, lang, .. }: SignedIn<PlatformAdmin>,
    Form(form): Form<OrganizerForm>,
) -> Response {
    let email = form.contact_email.trim();
    let created = state
        .create_organizer(
            &u.user,
            &OrganizerInput {
                name: &form.name,
                kind: &form.kind,
                contact_name: &form.contact_name,
                contact_phone: &form.contact_phone,
                contact_email: (!email.is_empty()).then_some(email),
            },
        )
        .await;
    let b = Base::new(lang, Some(u));
    match created {
        Ok(o) => Redirect::to(&format!("/admin/organizers/{}?created=1", o.id)).into_response(),
        Err(AppError::Forbidden) => fail(b, AppError::Forbidden),
        Err(e) => render_list(&state, b, form, Some(&e)).await,
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StaffForm {
    name: String,
    email: String,
    password: String,
}

const STAFF_FIELDS: [&str; 3] = ["name", "email", "password"];

pub struct StaffRow {
    pub name: String,
    pub email: String,
    pub created: String,
    pub last_login: String,
}

#[derive(Template)]
#[template(path = "organizers/admin_detail.html")]
struct DetailPage {
    b: Base,
    id: i64,
    name: String,
    kind_key: String,
    contact_name: String,
    contact_phone: String,
    contact_email: String,
    created: String,
    staff: Vec<StaffRow>,
    form: StaffForm,
    error: FieldError,
    notice: &'static str,
}

impl DetailPage {
    fn err(&self, field: &str) -> &str {
        self.error.at(field)
    }

    fn form_error(&self) -> &str {
        self.error.other(&STAFF_FIELDS)
    }
}

async fn render_detail(
    state: &AppState,
    b: Base,
    id: i64,
    form: StaffForm,
    error: Option<&AppError>,
    notice: &'static str,
) -> Response {
    let user = match &b.user {
        Some(u) => u.user.clone(),
        None => return fail(b, AppError::Forbidden),
    };
    let (o, staff) = match state.organizer_for_admin(&user, id).await {
        Ok(x) => x,
        Err(e) => return fail(b, e),
    };
    let lang = b.tr.lang;
    let page = DetailPage {
        b,
        id: o.id,
        kind_key: kind_key(o.kind),
        name: o.name,
        contact_name: o.contact_name,
        contact_phone: o.contact_phone,
        contact_email: o.contact_email.unwrap_or_default(),
        created: fmt_time(o.created_at),
        staff: staff
            .into_iter()
            .map(|s| StaffRow {
                name: s.display_name,
                email: s.email.unwrap_or_default(),
                created: fmt_time(s.created_at),
                last_login: s.last_login_at.map(fmt_time).unwrap_or_default(),
            })
            .collect(),
        form,
        error: error.map(|e| FieldError::of(lang, e)).unwrap_or_default(),
        notice,
    };
    match error {
        Some(e) => (status_of(e), render(&page)).into_response(),
        None => render(&page),
    }
}

async fn detail_page(
    State(state): State<AppState>,
    SignedIn { user: u, lang, .. }: SignedIn<PlatformAdmin>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let notice = if flag(q.get("created")) {
        "organizers.created"
    } else if flag(q.get("added")) {
        "organizers.staff_added"
    } else {
        ""
    };
    render_detail(
        &state,
        Base::new(lang, Some(u)),
        id,
        StaffForm::default(),
        None,
        notice,
    )
    .await
}

async fn add_staff_page(
    State(state): State<AppState>,
    SignedIn { user: u, lang, .. }: SignedIn<PlatformAdmin>,
    Path(id): Path<i64>,
    Form(mut form): Form<StaffForm>,
) -> Response {
    let added = state
        .add_organizer_staff(
            &u.user,
            id,
            &StaffInput {
                name: &form.name,
                email: &form.email,
                password: &form.password,
            },
        )
        .await;
    let b = Base::new(lang, Some(u));
    match added {
        Ok(_) => Redirect::to(&format!("/admin/organizers/{id}?added=1")).into_response(),
        Err(e @ (AppError::Forbidden | AppError::NotFound)) => fail(b, e),
        Err(e) => {
            // A refused password is typed again; anything else typed is kept.
            if e.field() == Some("password") {
                form.password.clear();
            }
            render_detail(&state, b, id, form, Some(&e), "").await
        }
    }
}
