//! `/api/v1/employers`, `/api/v1/employer/*` and `/api/v1/staff/join-requests*`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use fairhall_app::employers::{
    EmployerFiles, EmployerProfile, Interviewer, JoinQueueItem, JoinRequest, OrganizerJoin,
    Position,
};
use fairhall_domain::DomainError;
use fairhall_domain::employer::{
    Education, PositionInput, ProfileInput, RegistrationInput, SalaryRange, salary_label_zh,
};
use fairhall_domain::review::{JoinStatus, review_deadline};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::auth::api::UserView;
use crate::error::{
    ApiError, ApiErrorBody, JsonBody, PathParams, QueryParams, Rejection, UploadForm,
};
use crate::openapi::{BodyRejected, Forbidden, Invalid, NotFound, RateLimited, Unauthorized};
use crate::session::{ClientIp, CurrentUser, sign_in};

// ---------------------------------------------------------------- shapes

/// The employer profile fields. All are text; `size` is one of `lt50`, `50-99`, `100-499`,
/// `500-999`, `1000-9999`, `10000+`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ProfileBody {
    /// Full name as on the business licence.
    pub name: String,
    /// Unified social credit code (统一社会信用代码), 18 characters with a GB 32100 check
    /// character.
    pub credit_code: String,
    pub contact_name: String,
    /// Mainland China mobile number.
    pub contact_phone: String,
    pub contact_email: String,
    pub industry: String,
    pub size: String,
    pub city: String,
    pub address: String,
    pub description: String,
}

impl From<ProfileBody> for ProfileInput {
    fn from(b: ProfileBody) -> Self {
        ProfileInput {
            name: b.name,
            credit_code: b.credit_code,
            contact_name: b.contact_name,
            contact_phone: b.contact_phone,
            contact_email: b.contact_email,
            industry: b.industry,
            size: b.size,
            city: b.city,
            address: b.address,
            description: b.description,
        }
    }
}

/// Public registration (立即注册). The logo and business licence are uploaded afterwards with
/// `POST /api/v1/employer/profile/files`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct RegistrationBody {
    pub name: String,
    pub credit_code: String,
    pub contact_name: String,
    pub contact_phone: String,
    /// The login e-mail of the employer admin; also the contact e-mail unless
    /// `contact_email` is given.
    pub email: String,
    pub contact_email: String,
    /// At least 8 characters.
    pub password: String,
    pub industry: String,
    pub size: String,
    pub city: String,
    pub address: String,
    pub description: String,
    /// Entry code of the fair the employer came from: a join request (入驻) to its organizer
    /// is made at once.
    pub fair: Option<String>,
}

/// The new employer admin's session; send `csrf_token` as `X-CSRF-Token`.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegisteredView {
    pub user: UserView,
    pub csrf_token: String,
    pub employer_id: i64,
    pub join_request_id: Option<i64>,
}

/// An employer's profile.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileView {
    pub id: i64,
    pub name: String,
    pub credit_code: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub industry: Option<String>,
    pub size: Option<String>,
    pub city: Option<String>,
    pub address: Option<String>,
    pub description: Option<String>,
    /// `/files/…`, public.
    pub logo_url: Option<String>,
    /// `/files/…`, readable by the employer and by staff of organizers it asked to join.
    pub licence_url: Option<String>,
    pub created_at: i64,
    pub updated_at: Option<i64>,
}

impl From<EmployerProfile> for ProfileView {
    fn from(e: EmployerProfile) -> Self {
        Self {
            id: e.id,
            name: e.name,
            credit_code: e.credit_code,
            contact_name: e.contact_name,
            contact_phone: e.contact_phone,
            contact_email: e.contact_email,
            industry: e.industry,
            size: e.size,
            city: e.city,
            address: e.address,
            description: e.description,
            logo_url: e.logo_key.map(|k| format!("/files/{k}")),
            licence_url: e.licence_key.map(|k| format!("/files/{k}")),
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

/// The signed-in employer's profile, and whether its credit code may still change.
#[derive(Debug, Serialize, ToSchema)]
pub struct MyProfileView {
    #[serde(flatten)]
    pub profile: ProfileView,
    /// False once any organizer approved the employer.
    pub credit_code_editable: bool,
}

/// The files form: either or both.
#[derive(Debug, ToSchema)]
#[expect(dead_code, reason = "only documents the multipart form in OpenAPI")]
pub struct FilesForm {
    /// PNG, JPEG or WebP, at most 2 MB.
    #[schema(value_type = Option<String>, format = Binary)]
    pub logo: Option<Vec<u8>>,
    /// PNG, JPEG, WebP or PDF, at most 5 MB.
    #[schema(value_type = Option<String>, format = Binary)]
    pub licence: Option<Vec<u8>>,
}

/// A join request (入驻申请).
#[derive(Debug, Serialize, ToSchema)]
pub struct JoinRequestView {
    pub id: i64,
    pub employer_id: i64,
    pub organizer_id: i64,
    /// `pending` (待审核), `approved` (已通过) or `rejected` (已拒绝).
    pub status: String,
    /// The status as users read it.
    pub status_label: String,
    /// Why it was rejected (kept after a resubmission, as the previous reason).
    pub reason: Option<String>,
    pub submitted_at: i64,
    /// When staff should have answered: 24 hours after submission.
    pub deadline: i64,
    pub reviewed_at: Option<i64>,
}

impl From<JoinRequest> for JoinRequestView {
    fn from(r: JoinRequest) -> Self {
        Self {
            id: r.id,
            employer_id: r.employer_id,
            organizer_id: r.organizer_id,
            status: r.status.as_str().into(),
            status_label: r.status.label_zh().into(),
            reason: r.reason,
            deadline: review_deadline(r.submitted_at),
            submitted_at: r.submitted_at,
            reviewed_at: r.reviewed_at,
        }
    }
}

/// An organizer and the signed-in employer's request to join it.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizerJoinView {
    pub organizer_id: i64,
    pub organizer_name: String,
    /// `university` or `city`.
    pub organizer_kind: String,
    /// `None` if the employer has not asked to join.
    pub request: Option<JoinRequestView>,
}

impl From<OrganizerJoin> for OrganizerJoinView {
    fn from(o: OrganizerJoin) -> Self {
        Self {
            organizer_id: o.organizer_id,
            organizer_name: o.organizer_name,
            organizer_kind: o.organizer_kind.as_str().into(),
            request: o.request.map(Into::into),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct JoinBody {
    pub organizer_id: i64,
}

/// A join request in the organizer's review queue, with the employer's profile.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueItemView {
    pub request: JoinRequestView,
    pub employer: ProfileView,
    /// Pending for more than 24 hours (已超时).
    pub overdue: bool,
}

impl From<JoinQueueItem> for QueueItemView {
    fn from(i: JoinQueueItem) -> Self {
        Self {
            request: i.request.into(),
            employer: i.employer.into(),
            overdue: i.overdue,
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// `pending` (default), `approved` or `rejected`.
    pub status: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct RejectBody {
    /// Shown to the employer; 2–200 characters.
    pub reason: String,
}

/// An interviewer (面试官) account.
#[derive(Debug, Serialize, ToSchema)]
pub struct InterviewerView {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub created_at: i64,
}

impl From<Interviewer> for InterviewerView {
    fn from(i: Interviewer) -> Self {
        Self {
            id: i.id,
            name: i.display_name,
            email: i.email,
            phone: i.phone,
            created_at: i.created_at,
        }
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct InterviewerBody {
    pub name: String,
    /// Optional mainland China mobile number.
    pub phone: String,
    /// The interviewer's login.
    pub email: String,
    /// At least 8 characters.
    pub password: String,
}

/// A position (招聘职位). Numbers may be sent as JSON numbers or as text.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct PositionBody {
    pub title: String,
    /// At least 1.
    #[schema(value_type = i64)]
    pub headcount: serde_json::Value,
    /// `any` (不限), `associate` (大专), `bachelor` (本科), `master` (硕士) or `doctor` (博士).
    pub education: String,
    /// Majors separated by commas or 、; empty means any major.
    pub majors: String,
    pub city: String,
    /// Monthly salary in yuan (元/月); leave both out for negotiable (面议).
    #[schema(value_type = Option<i64>)]
    pub salary_min: serde_json::Value,
    #[schema(value_type = Option<i64>)]
    pub salary_max: serde_json::Value,
    pub description: String,
}

fn value_text(v: serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    }
}

impl From<PositionBody> for PositionInput {
    fn from(b: PositionBody) -> Self {
        PositionInput {
            title: b.title,
            headcount: value_text(b.headcount),
            education: b.education,
            majors: b.majors,
            city: b.city,
            salary_min: value_text(b.salary_min),
            salary_max: value_text(b.salary_max),
            description: b.description,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PositionView {
    pub id: i64,
    pub title: String,
    pub headcount: i64,
    pub education: String,
    /// 不限, 大专, 本科, 硕士 or 博士.
    pub education_label: String,
    /// Empty means any major.
    pub majors: Vec<String>,
    pub city: String,
    /// 元/月.
    pub salary_min: Option<i64>,
    pub salary_max: Option<i64>,
    /// e.g. `8000–12000 元/月` or `面议`.
    pub salary_label: String,
    pub description: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The salary of a stored position, `None` when negotiable.
pub fn salary_of(p: &Position) -> Option<SalaryRange> {
    match (p.salary_min, p.salary_max) {
        (Some(min), Some(max)) => Some(SalaryRange { min, max }),
        _ => None,
    }
}

/// Majors of a stored position as a list.
pub fn majors_of(p: &Position) -> Vec<String> {
    p.majors
        .split(fairhall_domain::employer::MAJORS_SEPARATOR)
        .filter(|m| !m.is_empty())
        .map(str::to_string)
        .collect()
}

impl From<Position> for PositionView {
    fn from(p: Position) -> Self {
        Self {
            salary_label: salary_label_zh(salary_of(&p).as_ref()),
            majors: majors_of(&p),
            education_label: Education::parse(&p.education)
                .map(|e| e.label_zh().to_string())
                .unwrap_or_default(),
            id: p.id,
            title: p.title,
            headcount: p.headcount,
            education: p.education,
            city: p.city,
            salary_min: p.salary_min,
            salary_max: p.salary_max,
            description: p.description,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

// ---------------------------------------------------------------- registration

/// Register an employer (立即注册) and sign its admin in. With `fair`, a join request (入驻)
/// to that fair's organizer is made too.
#[utoipa::path(post, path = "/api/v1/employers", tag = "employers",
    request_body = RegistrationBody,
    responses((status = 201, body = RegisteredView), RateLimited, BodyRejected,
              (status = 409, description = "Credit code or e-mail already registered", body = ApiErrorBody),
              (status = 422, description = "A field is wrong; `field` names it", body = ApiErrorBody)))]
pub async fn register(
    State(state): State<AppState>,
    session: Session,
    ClientIp(ip): ClientIp,
    JsonBody(body): JsonBody<RegistrationBody>,
) -> Result<(StatusCode, Json<RegisteredView>), ApiError> {
    let fair = body.fair.clone();
    let input = RegistrationInput {
        profile: ProfileInput {
            name: body.name,
            credit_code: body.credit_code,
            contact_name: body.contact_name,
            contact_phone: body.contact_phone,
            contact_email: body.contact_email,
            industry: body.industry,
            size: body.size,
            city: body.city,
            address: body.address,
            description: body.description,
        },
        email: body.email,
        password: body.password,
    };
    let done = state
        .register_employer(&input, fair.as_deref(), EmployerFiles::default(), ip)
        .await?;
    let csrf_token = sign_in(&session, &done.user).await?;
    Ok((
        StatusCode::CREATED,
        Json(RegisteredView {
            user: (&done.user).into(),
            csrf_token,
            employer_id: done.employer_id,
            join_request_id: done.join_request_id,
        }),
    ))
}

// ---------------------------------------------------------------- profile

async fn my_profile(state: &AppState, user: &CurrentUser) -> Result<MyProfileView, ApiError> {
    let profile = state.employer_profile(&user.user).await?;
    Ok(MyProfileView {
        profile: profile.into(),
        credit_code_editable: state.credit_code_editable(&user.user).await?,
    })
}

/// The signed-in employer's profile (employer admin or interviewer).
#[utoipa::path(get, path = "/api/v1/employer/profile", tag = "employers",
    responses((status = 200, body = MyProfileView), Unauthorized, Forbidden))]
pub async fn get_profile(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<MyProfileView>, ApiError> {
    Ok(Json(my_profile(&state, &user).await?))
}

/// Edit the profile (employer admin). The credit code cannot change once an organizer
/// approved the employer.
#[utoipa::path(put, path = "/api/v1/employer/profile", tag = "employers",
    request_body = ProfileBody,
    responses((status = 200, body = MyProfileView), Unauthorized, Forbidden, Invalid, BodyRejected,
              (status = 409, description = "Credit code used by another employer", body = ApiErrorBody)))]
pub async fn put_profile(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<ProfileBody>,
) -> Result<Json<MyProfileView>, ApiError> {
    state
        .update_employer_profile(&user.user, &body.into(), EmployerFiles::default())
        .await?;
    Ok(Json(my_profile(&state, &user).await?))
}

/// Upload or replace the logo and/or business licence (multipart fields `logo`, `licence`).
/// Files are judged by their content, not their name.
#[utoipa::path(post, path = "/api/v1/employer/profile/files", tag = "employers",
    request_body(content = FilesForm, content_type = "multipart/form-data"),
    responses((status = 200, body = MyProfileView), Unauthorized, Forbidden, BodyRejected,
              (status = 422, description = "Wrong type or too large", body = ApiErrorBody)))]
pub async fn upload_files(
    State(state): State<AppState>,
    user: CurrentUser,
    form: UploadForm,
) -> Result<Json<MyProfileView>, Rejection> {
    state.require_employer_admin(&user.user)?;
    let (_, files) = form.read().await?;
    state
        .upload_employer_files(&user.user, super::employer_files(files))
        .await?;
    Ok(Json(my_profile(&state, &user).await?))
}

// ---------------------------------------------------------------- join requests (employer)

/// Every organizer with the signed-in employer's join status (employer admin).
#[utoipa::path(get, path = "/api/v1/employer/join-requests", tag = "employers",
    responses((status = 200, body = [OrganizerJoinView]), Unauthorized, Forbidden))]
pub async fn list_join_requests(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<OrganizerJoinView>>, ApiError> {
    let rows = state.employer_organizers(&user.user).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// Ask to join an organizer (入驻申请).
#[utoipa::path(post, path = "/api/v1/employer/join-requests", tag = "employers",
    request_body = JoinBody,
    responses((status = 201, body = JoinRequestView), Unauthorized, Forbidden, Invalid, BodyRejected,
              (status = 404, description = "No such organizer", body = ApiErrorBody),
              (status = 409, description = "Already asked", body = ApiErrorBody)))]
pub async fn create_join_request(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<JoinBody>,
) -> Result<(StatusCode, Json<JoinRequestView>), ApiError> {
    let r = state.apply_to_join(&user.user, body.organizer_id).await?;
    Ok((StatusCode::CREATED, Json(r.into())))
}

/// Send a rejected join request back for review.
#[utoipa::path(post, path = "/api/v1/employer/join-requests/{id}/resubmit", tag = "employers",
    params(("id" = i64, Path, description = "Join request id")),
    responses((status = 200, body = JoinRequestView), Unauthorized, Forbidden, NotFound,
              (status = 422, description = "Not rejected", body = ApiErrorBody)))]
pub async fn resubmit_join_request(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
) -> Result<Json<JoinRequestView>, ApiError> {
    Ok(Json(
        state.resubmit_join_request(&user.user, id).await?.into(),
    ))
}

// ---------------------------------------------------------------- join requests (staff)

/// The organizer's join requests (organizer staff). Pending ones come overdue first, then
/// oldest first.
#[utoipa::path(get, path = "/api/v1/staff/join-requests", tag = "employers",
    params(QueueQuery),
    responses((status = 200, body = [QueueItemView]), Unauthorized, Forbidden,
              (status = 422, description = "Unknown status", body = ApiErrorBody)))]
pub async fn staff_join_requests(
    State(state): State<AppState>,
    user: CurrentUser,
    QueryParams(q): QueryParams<QueueQuery>,
) -> Result<Json<Vec<QueueItemView>>, ApiError> {
    let status = match q.status.as_deref() {
        None | Some("") => JoinStatus::Pending,
        Some(s) => s.parse::<JoinStatus>().map_err(DomainError::from)?,
    };
    let items = state.join_queue(&user.user, status).await?;
    Ok(Json(items.into_iter().map(Into::into).collect()))
}

/// Approve a join request (organizer staff); the employer is notified.
#[utoipa::path(post, path = "/api/v1/staff/join-requests/{id}/approve", tag = "employers",
    params(("id" = i64, Path, description = "Join request id")),
    responses((status = 200, body = JoinRequestView), Unauthorized, Forbidden,
              (status = 404, description = "Not a request to this organizer", body = ApiErrorBody),
              (status = 422, description = "Already reviewed", body = ApiErrorBody)))]
pub async fn approve_join_request(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
) -> Result<Json<JoinRequestView>, ApiError> {
    Ok(Json(
        state.approve_join_request(&user.user, id).await?.into(),
    ))
}

/// Reject a join request with a reason (organizer staff); the employer is notified.
#[utoipa::path(post, path = "/api/v1/staff/join-requests/{id}/reject", tag = "employers",
    params(("id" = i64, Path, description = "Join request id")),
    request_body = RejectBody,
    responses((status = 200, body = JoinRequestView), Unauthorized, Forbidden, BodyRejected,
              (status = 404, description = "Not a request to this organizer", body = ApiErrorBody),
              (status = 422, description = "Reason missing, or already reviewed", body = ApiErrorBody)))]
pub async fn reject_join_request(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
    JsonBody(body): JsonBody<RejectBody>,
) -> Result<Json<JoinRequestView>, ApiError> {
    Ok(Json(
        state
            .reject_join_request(&user.user, id, &body.reason)
            .await?
            .into(),
    ))
}

// ---------------------------------------------------------------- interviewers

/// The employer's interviewers (employer admin).
#[utoipa::path(get, path = "/api/v1/employer/interviewers", tag = "employers",
    responses((status = 200, body = [InterviewerView]), Unauthorized, Forbidden))]
pub async fn list_interviewers(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<InterviewerView>>, ApiError> {
    let rows = state.interviewers(&user.user).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// Create an interviewer account (employer admin).
#[utoipa::path(post, path = "/api/v1/employer/interviewers", tag = "employers",
    request_body = InterviewerBody,
    responses((status = 201, body = InterviewerView), Unauthorized, Forbidden, Invalid, BodyRejected,
              (status = 409, description = "E-mail taken", body = ApiErrorBody)))]
pub async fn create_interviewer(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<InterviewerBody>,
) -> Result<(StatusCode, Json<InterviewerView>), ApiError> {
    let i = state
        .create_interviewer(
            &user.user,
            &body.name,
            &body.phone,
            &body.email,
            &body.password,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(i.into())))
}

// ---------------------------------------------------------------- positions

/// The employer's current positions, newest first (employer admin).
#[utoipa::path(get, path = "/api/v1/employer/positions", tag = "employers",
    responses((status = 200, body = [PositionView]), Unauthorized, Forbidden))]
pub async fn list_positions(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<PositionView>>, ApiError> {
    let rows = state.positions(&user.user).await?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// Create a position (employer admin).
#[utoipa::path(post, path = "/api/v1/employer/positions", tag = "employers",
    request_body = PositionBody,
    responses((status = 201, body = PositionView), Unauthorized, Forbidden, Invalid, BodyRejected))]
pub async fn create_position(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<PositionBody>,
) -> Result<(StatusCode, Json<PositionView>), ApiError> {
    let p = state.create_position(&user.user, &body.into()).await?;
    Ok((StatusCode::CREATED, Json(p.into())))
}

/// One of the employer's positions (employer admin); another employer's is a 404.
#[utoipa::path(get, path = "/api/v1/employer/positions/{id}", tag = "employers",
    params(("id" = i64, Path, description = "Position id")),
    responses((status = 200, body = PositionView), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn get_position(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
) -> Result<Json<PositionView>, ApiError> {
    Ok(Json(state.position(&user.user, id).await?.into()))
}

/// Edit a position (employer admin).
#[utoipa::path(put, path = "/api/v1/employer/positions/{id}", tag = "employers",
    params(("id" = i64, Path, description = "Position id")),
    request_body = PositionBody,
    responses((status = 200, body = PositionView), Unauthorized, Forbidden, NotFound, Invalid, BodyRejected))]
pub async fn update_position(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
    JsonBody(body): JsonBody<PositionBody>,
) -> Result<Json<PositionView>, ApiError> {
    Ok(Json(
        state
            .update_position(&user.user, id, &body.into())
            .await?
            .into(),
    ))
}

/// Delete a position (employer admin). Registrations that chose it keep showing it.
#[utoipa::path(delete, path = "/api/v1/employer/positions/{id}", tag = "employers",
    params(("id" = i64, Path, description = "Position id")),
    responses((status = 204, description = "Deleted"), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn delete_position(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
) -> Result<StatusCode, ApiError> {
    state.delete_position(&user.user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
