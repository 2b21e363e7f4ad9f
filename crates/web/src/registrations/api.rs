//! `/api/v1/employer/fairs`, `/api/v1/employer/registrations`, `/api/v1/staff/registrations`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use fairhall_app::registrations::{
    RegistrationChange, RegistrationDetail, RegistrationListed, SignupFair,
};
use fairhall_domain::DomainError;
use fairhall_domain::registration::{RegistrationDraft, RegistrationSnapshot};
use fairhall_domain::review::RegistrationStatus;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::error::{ApiError, ApiErrorBody, JsonBody, PathParams, QueryParams};
use crate::openapi::{BodyRejected, Forbidden, Invalid, NotFound, Unauthorized};
use crate::session::CurrentUser;

#[derive(Debug, Serialize, ToSchema)]
pub struct SignupFairView {
    pub id: i64,
    pub title: String,
    pub organizer: String,
    pub signup_opens_at: i64,
    pub signup_closes_at: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub entry_path: String,
    /// The employer's 入驻 status at the organizer: `pending`, `approved`, `rejected` or null.
    pub join_status: Option<String>,
    /// The employer's registration, if any.
    pub registration_id: Option<i64>,
    pub registration_status: Option<String>,
    pub window_open: bool,
    /// Whether the employer can sign up (or resubmit) now.
    pub can_sign_up: bool,
}

impl From<&SignupFair> for SignupFairView {
    fn from(s: &SignupFair) -> Self {
        Self {
            id: s.fair.id,
            title: s.fair.title.clone(),
            organizer: s.fair.organizer_name.clone(),
            signup_opens_at: s.fair.signup_opens_at,
            signup_closes_at: s.fair.signup_closes_at,
            starts_at: s.fair.starts_at,
            ends_at: s.fair.ends_at,
            entry_path: format!("/f/{}", s.fair.entry_code),
            join_status: s.join.map(|j| j.as_str().to_string()),
            registration_id: s.registration.as_ref().map(|r| r.id),
            registration_status: s.registration.as_ref().map(|r| r.status.as_str().into()),
            window_open: s.window_open,
            can_sign_up: s.can_sign_up(),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words in the fair's title or the organizer's name.
    pub q: Option<String>,
}

/// 云校招-视频双选会: fairs open for sign-up, searchable (employer admin).
#[utoipa::path(get, path = "/api/v1/employer/fairs", tag = "registrations", params(SearchQuery),
    responses((status = 200, body = [SignupFairView]), Unauthorized, Forbidden))]
pub async fn fairs(
    State(state): State<AppState>,
    user: CurrentUser,
    QueryParams(q): QueryParams<SearchQuery>,
) -> Result<Json<Vec<SignupFairView>>, ApiError> {
    let list = state
        .fairs_for_employer(&user.user, q.q.as_deref().unwrap_or(""))
        .await?;
    Ok(Json(list.iter().map(SignupFairView::from).collect()))
}

/// A registration's content: positions, interviewers, brochure and contact.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RegistrationInput {
    pub position_ids: Vec<i64>,
    pub interviewer_ids: Vec<i64>,
    pub contact_name: String,
    pub contact_phone: String,
    pub brochure_id: Option<i64>,
    /// Staff changes only: what the employer asked for.
    #[serde(default)]
    pub note: String,
}

impl RegistrationInput {
    fn draft(&self) -> Result<RegistrationDraft, Vec<DomainError>> {
        RegistrationDraft::parse(
            &self.position_ids,
            &self.interviewer_ids,
            &self.contact_name,
            &self.contact_phone,
            self.brochure_id,
        )
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// 报名: sign the employer up for a fair (or resubmit a rejected registration).
#[utoipa::path(post, path = "/api/v1/employer/fairs/{id}/registrations", tag = "registrations",
    params(("id" = i64, Path, description = "Fair id")),
    request_body = RegistrationInput,
    responses((status = 201, body = Created), Unauthorized, Forbidden, NotFound, BodyRejected,
              (status = 409, description = "Not joined, or already registered", body = ApiErrorBody),
              (status = 422, description = "Invalid input, or outside the sign-up window", body = ApiErrorBody)))]
pub async fn sign_up(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(fair_id): PathParams<i64>,
    JsonBody(input): JsonBody<RegistrationInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = state
        .sign_up_for_fair(&user.user, fair_id, input.draft())
        .await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationItem {
    pub id: i64,
    pub fair_id: i64,
    pub fair_title: String,
    pub organizer: String,
    pub employer_id: i64,
    pub employer: String,
    /// `submitted` (待审核), `approved` (已通过) or `rejected` (已拒绝).
    pub status: String,
    pub reason: Option<String>,
    pub submitted_at: i64,
    pub fair_starts_at: i64,
    pub fair_ends_at: i64,
}

impl From<&RegistrationListed> for RegistrationItem {
    fn from(r: &RegistrationListed) -> Self {
        Self {
            id: r.id,
            fair_id: r.fair_id,
            fair_title: r.fair_title.clone(),
            organizer: r.organizer_name.clone(),
            employer_id: r.employer_id,
            employer: r.employer_name.clone(),
            status: r.status.as_str().into(),
            reason: r.reason.clone(),
            submitted_at: r.submitted_at,
            fair_starts_at: r.fair_starts_at,
            fair_ends_at: r.fair_ends_at,
        }
    }
}

/// 我的报名 (employer admin: the employer's; interviewer: those they were chosen for).
#[utoipa::path(get, path = "/api/v1/employer/registrations", tag = "registrations",
    responses((status = 200, body = [RegistrationItem]), Unauthorized, Forbidden))]
pub async fn mine(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<RegistrationItem>>, ApiError> {
    let list = state.my_registrations(&user.user).await?;
    Ok(Json(list.iter().map(RegistrationItem::from).collect()))
}

/// Change a registration before it is approved (employer admin).
#[utoipa::path(put, path = "/api/v1/employer/registrations/{id}", tag = "registrations",
    params(("id" = i64, Path, description = "Registration id")),
    request_body = RegistrationInput,
    responses((status = 204, description = "Saved"), Unauthorized, Forbidden, NotFound, BodyRejected,
              (status = 422, description = "Invalid, or already approved: contact the organizer", body = ApiErrorBody)))]
pub async fn edit(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
    JsonBody(input): JsonBody<RegistrationInput>,
) -> Result<StatusCode, ApiError> {
    state
        .edit_registration(&user.user, id, input.draft())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatusQuery {
    /// `submitted`, `approved` or `rejected`; all when absent.
    pub status: Option<String>,
}

/// The review queue: registrations to the staff member's organizer's fairs.
#[utoipa::path(get, path = "/api/v1/staff/registrations", tag = "registrations", params(StatusQuery),
    responses((status = 200, body = [RegistrationItem]), Unauthorized, Forbidden))]
pub async fn staff_list(
    State(state): State<AppState>,
    user: CurrentUser,
    QueryParams(q): QueryParams<StatusQuery>,
) -> Result<Json<Vec<RegistrationItem>>, ApiError> {
    let status = q.status.as_deref().and_then(RegistrationStatus::parse);
    let list = state.registrations_for_staff(&user.user, status).await?;
    Ok(Json(list.iter().map(RegistrationItem::from).collect()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Choice {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeView {
    pub at: i64,
    pub actor: String,
    /// `approved`, `rejected` or `staff_edit`.
    pub action: String,
    pub note: String,
    #[schema(value_type = Object)]
    pub before: serde_json::Value,
    #[schema(value_type = Object)]
    pub after: serde_json::Value,
}

impl From<&RegistrationChange> for ChangeView {
    fn from(c: &RegistrationChange) -> Self {
        Self {
            at: c.at,
            actor: c.actor_name.clone(),
            action: c.action.clone(),
            note: c.note.clone(),
            before: serde_json::from_str(&c.before_json).unwrap_or_default(),
            after: serde_json::from_str(&c.after_json).unwrap_or_default(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RegistrationDetailView {
    #[serde(flatten)]
    pub item: RegistrationItem,
    pub contact_name: String,
    pub contact_phone: String,
    pub positions: Vec<Choice>,
    pub interviewers: Vec<Choice>,
    pub brochure_id: Option<i64>,
    pub brochure: Option<String>,
    /// Every review and change, oldest first.
    pub changes: Vec<ChangeView>,
}

fn choices(v: &[(i64, String)]) -> Vec<Choice> {
    v.iter()
        .map(|(id, name)| Choice {
            id: *id,
            name: name.clone(),
        })
        .collect()
}

pub fn detail_view(
    d: &RegistrationDetail,
    changes: &[RegistrationChange],
) -> RegistrationDetailView {
    RegistrationDetailView {
        item: (&d.listed).into(),
        contact_name: d.registration.contact_name.clone(),
        contact_phone: d.registration.contact_phone.clone(),
        positions: choices(&d.positions),
        interviewers: choices(&d.interviewers),
        brochure_id: d.registration.brochure_id,
        brochure: d.brochure.clone(),
        changes: changes.iter().map(ChangeView::from).collect(),
    }
}

/// One registration with its change log (staff of the fair's organizer).
#[utoipa::path(get, path = "/api/v1/staff/registrations/{id}", tag = "registrations",
    params(("id" = i64, Path, description = "Registration id")),
    responses((status = 200, body = RegistrationDetailView), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn staff_detail(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
) -> Result<Json<RegistrationDetailView>, ApiError> {
    let d = state.registration_for_staff(&user.user, id).await?;
    let changes = state.registration_changes(&user.user, id).await?;
    Ok(Json(detail_view(&d, &changes)))
}

/// Change an approved registration on the employer's request; the change is logged.
#[utoipa::path(put, path = "/api/v1/staff/registrations/{id}", tag = "registrations",
    params(("id" = i64, Path, description = "Registration id")),
    request_body = RegistrationInput,
    responses((status = 204, description = "Saved and logged"), Unauthorized, Forbidden, NotFound, Invalid, BodyRejected))]
pub async fn staff_edit(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
    JsonBody(input): JsonBody<RegistrationInput>,
) -> Result<StatusCode, ApiError> {
    state
        .staff_edit_registration(&user.user, id, input.draft(), &input.note)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Approve a registration.
#[utoipa::path(post, path = "/api/v1/staff/registrations/{id}/approve", tag = "registrations",
    params(("id" = i64, Path, description = "Registration id")),
    responses((status = 204, description = "Approved; the employer is notified"), Unauthorized, Forbidden, NotFound,
              (status = 422, description = "Not pending, or the fair is full", body = ApiErrorBody)))]
pub async fn staff_approve(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
) -> Result<StatusCode, ApiError> {
    state.approve_registration(&user.user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RejectInput {
    pub reason: String,
}

/// Reject a registration with a reason.
#[utoipa::path(post, path = "/api/v1/staff/registrations/{id}/reject", tag = "registrations",
    params(("id" = i64, Path, description = "Registration id")),
    request_body = RejectInput,
    responses((status = 204, description = "Rejected; the employer is notified"), Unauthorized, Forbidden, NotFound, Invalid, BodyRejected))]
pub async fn staff_reject(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
    JsonBody(input): JsonBody<RejectInput>,
) -> Result<StatusCode, ApiError> {
    state
        .reject_registration(&user.user, id, &input.reason)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// For the change log's rendering.
pub fn snapshot(json: &str) -> RegistrationSnapshot {
    serde_json::from_str(json).unwrap_or_default()
}
