//! Errors as the web shows them.
//!
//! `ApiError` answers JSON `{code, message, field?}` with the status for its kind; `PageError`
//! renders the error page. Both log internal errors once, here, and show none of their details.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use fairhall_app::AppError;
use serde::Serialize;
use utoipa::ToSchema;

use crate::pages::ErrorPage;

/// The body of every 4xx/5xx answer of the JSON API.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiErrorBody {
    /// Stable machine-readable code, e.g. `invalid_credentials`.
    pub code: String,
    /// Message for the user, in Chinese.
    pub message: String,
    /// The input field the error is about, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl From<fairhall_domain::DomainError> for ApiError {
    fn from(e: fairhall_domain::DomainError) -> Self {
        ApiError(e.into())
    }
}

impl From<fairhall_store::StoreError> for ApiError {
    fn from(e: fairhall_store::StoreError) -> Self {
        ApiError(e.into())
    }
}

impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(e: axum::extract::rejection::JsonRejection) -> Self {
        ApiError(AppError::Invalid(fairhall_domain::DomainError::new(
            "bad_json",
            "body",
            fairhall_domain::msg!("error.web.bad_json", detail = e.body_text()),
        )))
    }
}

/// `axum::Json`, but a malformed body answers with our JSON error shape.
#[derive(Debug, Clone, Copy, Default, axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct JsonBody<T>(pub T);

pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Unauthenticated { .. } => StatusCode::UNAUTHORIZED,
        AppError::Forbidden | AppError::Refused { .. } => StatusCode::FORBIDDEN,
        AppError::NotFound | AppError::Missing { .. } => StatusCode::NOT_FOUND,
        AppError::Conflict { .. } => StatusCode::CONFLICT,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

pub fn log_if_internal(e: &AppError) {
    if let AppError::Internal(inner) = e {
        tracing::error!(error = ?inner, "internal error");
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        log_if_internal(&e);
        let status = status_of(&e);
        let body = ApiErrorBody {
            code: e.code().into(),
            message: e.message().zh(),
            field: e.field().map(Into::into),
        };
        let mut resp = (status, Json(body)).into_response();
        if let AppError::RateLimited { retry_after_secs } = e {
            resp.headers_mut()
                .insert("retry-after", retry_after_secs.into());
        }
        resp
    }
}

/// An error on a page request: renders the error page in the visitor's language.
pub struct PageError {
    pub error: AppError,
    pub base: crate::pages::Base,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        log_if_internal(&self.error);
        let status = status_of(&self.error);
        if matches!(self.error, AppError::Unauthenticated { .. }) {
            return axum::response::Redirect::to("/login").into_response();
        }
        let page = ErrorPage {
            status: status.as_u16(),
            message: self.error.message().zh(),
            b: self.base,
        };
        (status, crate::pages::render(&page)).into_response()
    }
}

/// The error page for `error`, with the page's header as `b` has it.
pub fn fail(b: crate::pages::Base, error: AppError) -> Response {
    PageError { error, base: b }.into_response()
}

/// The signed-in user if they have one of `roles`; otherwise sign-in (coming back to `here`)
/// or the error page.
#[expect(
    clippy::result_large_err,
    reason = "the error is the page to answer with, once"
)]
pub fn signed_in(
    lang: crate::i18n::Lang,
    user: Result<crate::session::CurrentUser, ApiError>,
    roles: &[fairhall_domain::account::Role],
    here: &str,
) -> Result<crate::session::CurrentUser, Response> {
    use crate::pages::Base;
    let user = match user {
        Ok(u) => u,
        Err(ApiError(AppError::Unauthenticated { .. })) => {
            return Err(
                axum::response::Redirect::to(&format!("/login?next={here}")).into_response()
            );
        }
        Err(ApiError(error)) => return Err(fail(Base::new(lang, None), error)),
    };
    if let Err(error) = user.require(roles) {
        return Err(fail(Base::new(lang, Some(user)), error));
    }
    Ok(user)
}

/// A plain JSON error for places with no `AppError` (CSRF, origin checks).
pub fn json_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(ApiErrorBody {
            code: code.into(),
            message: message.into(),
            field: None,
        }),
    )
        .into_response()
}
