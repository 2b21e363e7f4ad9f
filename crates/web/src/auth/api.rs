//! `/api/v1/auth/*` and `/api/v1/me`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use fairhall_app::accounts::User;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, ApiErrorBody, JsonBody};
use crate::openapi::{BodyRejected, Forbidden, Invalid, Unauthorized};
use crate::session::{ClientIp, CurrentUser, sign_in, sign_out};

/// A user as the API shows them.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    /// `platform_admin`, `organizer_staff`, `employer_admin`, `interviewer` or `student`.
    pub role: String,
    pub display_name: String,
    pub email: Option<String>,
    /// Students' phone numbers, masked (`138****5678`).
    pub phone: Option<String>,
    pub organizer_id: Option<i64>,
    pub employer_id: Option<i64>,
}

impl From<&User> for UserView {
    fn from(u: &User) -> Self {
        Self {
            id: u.id,
            role: u.role.as_str().into(),
            display_name: u.display_name.clone(),
            email: u.email.clone(),
            phone: u
                .phone
                .as_deref()
                .and_then(|p| fairhall_domain::account::Phone::parse(p).ok())
                .map(|p| p.masked()),
            organizer_id: u.organizer_id,
            employer_id: u.employer_id,
        }
    }
}

/// The signed-in session. Send `csrf_token` as `X-CSRF-Token` on every state-changing call.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub user: UserView,
    pub csrf_token: String,
    /// True when this sign-in created the account (first phone sign-in).
    pub created: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PasswordSignIn {
    pub email: String,
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CodeRequest {
    pub phone: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CodeSignIn {
    pub phone: String,
    pub code: String,
    /// The student accepts the privacy notice; required.
    #[serde(default)]
    pub accept_privacy: bool,
}

/// Sign in with e-mail and password (platform admin, organizer staff, employers, interviewers).
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth",
    request_body = PasswordSignIn,
    responses((status = 200, body = SessionView), Invalid, BodyRejected,
              (status = 401, description = "Wrong e-mail or password", body = ApiErrorBody),
              (status = 429, description = "Too many attempts", body = ApiErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    session: Session,
    ClientIp(ip): ClientIp,
    JsonBody(body): JsonBody<PasswordSignIn>,
) -> Result<Json<SessionView>, ApiError> {
    let user = state
        .sign_in_with_password(&body.email, &body.password, ip)
        .await?;
    let csrf_token = sign_in(&session, &user).await?;
    Ok(Json(SessionView {
        user: (&user).into(),
        csrf_token,
        created: false,
    }))
}

/// Send a sign-in code to a student's phone.
#[utoipa::path(post, path = "/api/v1/auth/code", tag = "auth",
    request_body = CodeRequest,
    responses((status = 204, description = "Code sent"), BodyRejected,
              (status = 422, description = "Bad phone number, or a code was sent too recently", body = ApiErrorBody),
              (status = 429, description = "Too many codes", body = ApiErrorBody)))]
pub async fn request_code(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    JsonBody(body): JsonBody<CodeRequest>,
) -> Result<StatusCode, ApiError> {
    state.request_sign_in_code(&body.phone, ip).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sign a student in with the code; creates the account on first sign-in.
#[utoipa::path(post, path = "/api/v1/auth/code/verify", tag = "auth",
    request_body = CodeSignIn,
    responses((status = 200, body = SessionView), BodyRejected,
              (status = 422, description = "Wrong, expired or used code", body = ApiErrorBody),
              (status = 429, description = "Too many attempts", body = ApiErrorBody)))]
pub async fn verify_code(
    State(state): State<AppState>,
    session: Session,
    ClientIp(ip): ClientIp,
    JsonBody(body): JsonBody<CodeSignIn>,
) -> Result<Json<SessionView>, ApiError> {
    let (user, created) = state
        .sign_in_with_code(&body.phone, &body.code, body.accept_privacy, ip)
        .await?;
    let csrf_token = sign_in(&session, &user).await?;
    Ok(Json(SessionView {
        user: (&user).into(),
        csrf_token,
        created,
    }))
}

/// End the session.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204, description = "Signed out"), Unauthorized, Forbidden))]
pub async fn logout(_user: CurrentUser, session: Session) -> Result<StatusCode, ApiError> {
    sign_out(&session).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in user and the session's CSRF token.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    responses((status = 200, body = SessionView), Unauthorized))]
pub async fn me(user: CurrentUser) -> Json<SessionView> {
    Json(SessionView {
        user: (&user.user).into(),
        csrf_token: user.csrf,
        created: false,
    })
}
