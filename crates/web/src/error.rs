//! Errors as the web shows them.
//!
//! `ApiError` answers JSON `{code, message, field?}` with the status for its kind; `PageError`
//! renders the error page. Both log internal errors once, here, and show none of their details.
//!
//! A JSON error is written in Chinese and carries its message (key and values) in the
//! response's extensions; `localize`, a middleware that knows the request's language, writes
//! it again in English for a visitor who chose English. Handlers only return the error.

use axum::Json;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use fairhall_app::AppError;
use fairhall_domain::Message;
use serde::Serialize;
use utoipa::ToSchema;

use crate::i18n::Lang;
use crate::pages::ErrorPage;

/// The body of every 4xx/5xx answer of the JSON API.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiErrorBody {
    /// Stable machine-readable code, e.g. `invalid_credentials`.
    pub code: String,
    /// Message for the user, in the `fairhall_lang` cookie's language (Chinese by default).
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

/// A JSON error's parts, kept with the response so `localize` can write it in another language.
#[derive(Debug, Clone)]
struct ErrorParts {
    code: String,
    field: Option<String>,
    message: Message,
}

impl ErrorParts {
    fn body(&self, lang: Lang) -> ApiErrorBody {
        ApiErrorBody {
            code: self.code.clone(),
            message: self.message.render(lang.into()),
            field: self.field.clone(),
        }
    }

    /// The answer, in Chinese until `localize` sees it.
    fn respond(self, status: StatusCode) -> Response {
        let mut resp = (status, Json(self.body(Lang::Zh))).into_response();
        resp.extensions_mut().insert(self);
        resp
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        log_if_internal(&e);
        let status = status_of(&e);
        let parts = ErrorParts {
            code: e.code().into(),
            field: e.field().map(Into::into),
            message: e.message(),
        };
        let mut resp = parts.respond(status);
        if let AppError::RateLimited { retry_after_secs } = e {
            resp.headers_mut()
                .insert("retry-after", retry_after_secs.into());
        }
        resp
    }
}

/// Middleware: a JSON error (`ApiError`, `json_error`) answered to a visitor who reads English
/// is written again in English. Status and headers stay as they are.
pub async fn localize(req: Request, next: Next) -> Response {
    let lang = Lang::from_headers(req.headers());
    let mut resp = next.run(req).await;
    let Some(parts) = resp.extensions_mut().remove::<ErrorParts>() else {
        return resp;
    };
    if lang == Lang::Zh {
        return resp;
    }
    let Ok(body) = serde_json::to_vec(&parts.body(lang)) else {
        return resp;
    };
    let (mut head, _) = resp.into_parts();
    head.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(head, Body::from(body))
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
            message: self.base.tr.err(&self.error),
            b: self.base,
        };
        (status, crate::pages::render(&page)).into_response()
    }
}

/// The error page for `error`, with the page's header as `b` has it.
pub fn fail(b: crate::pages::Base, error: AppError) -> Response {
    PageError { error, base: b }.into_response()
}

/// A plain JSON error for places with no `AppError` (CSRF, origin checks).
pub fn json_error(status: StatusCode, code: &str, message: Message) -> Response {
    ErrorParts {
        code: code.into(),
        field: None,
        message,
    }
    .respond(status)
}
