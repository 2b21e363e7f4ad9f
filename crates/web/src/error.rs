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
use axum::extract::path::ErrorKind;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Multipart, Path, RawPathParams, Request};
use axum::http::request::Parts;
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

/// A request the API cannot read, refused like any `ApiError` as `{code, message, field?}`
/// (written in English by `localize` for English readers) rather than in axum's plain text.
/// The extractors below answer it before their handler runs; a handler that reads an
/// `UploadForm` after checking the caller answers it too, and `?` turns its `AppError`s into
/// one.
///
/// - `bad_path` (422, `field` names the parameter): a path parameter is not of its type, as
///   `abc` for an id;
/// - `bad_query` (422, `field` is `query`): the query string does not parse;
/// - `bad_json` (422, `field` is `body`): the JSON body does not parse or lacks a field;
/// - `bad_upload` (422, `field` is `file`): the multipart form does not parse;
/// - `too_large` (413): the body is larger than the server reads;
/// - `unsupported_media_type` (415): the body is not of the type the operation reads;
/// - `method_not_allowed` (405) and `not_found` (404) for API paths the server does not have.
#[derive(Debug)]
pub struct Rejection(Response);

impl Rejection {
    fn new(status: StatusCode, code: &str, field: Option<&str>, message: Message) -> Self {
        Rejection(
            ErrorParts {
                code: code.into(),
                field: field.map(Into::into),
                message,
            }
            .respond(status),
        )
    }

    fn internal(what: &str, detail: String) -> Self {
        Rejection(ApiError(AppError::Internal(anyhow::anyhow!("{what}: {detail}"))).into_response())
    }

    /// 413: the body is larger than the server reads (`DefaultBodyLimit`).
    fn too_large() -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            None,
            fairhall_domain::msg!("error.web.too_large"),
        )
    }

    /// 415: the operation reads `expected` bodies only.
    fn unsupported_media_type(expected: &str) -> Self {
        Self::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            None,
            fairhall_domain::msg!("error.web.unsupported_media_type", expected = expected),
        )
    }

    /// 422 `bad_upload`: the multipart form could not be read.
    fn bad_upload(message: Message) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_upload",
            Some("file"),
            message,
        )
    }

    /// 422 `bad_query`: the query string does not parse.
    fn bad_query(detail: String) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_query",
            Some("query"),
            fairhall_domain::msg!("error.web.bad_query", detail = detail),
        )
    }

    /// 422 `bad_path`: the path parameter `name` is not of its type.
    fn bad_path(name: &str) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_path",
            Some(name),
            fairhall_domain::msg!("error.web.bad_path", name = name),
        )
    }

    /// 405: the API path exists, but not for `method`.
    fn method_not_allowed(method: &axum::http::Method) -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            None,
            fairhall_domain::msg!("error.web.method_not_allowed", method = method.as_str()),
        )
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        self.0
    }
}

impl From<ApiError> for Rejection {
    fn from(e: ApiError) -> Self {
        Rejection(e.into_response())
    }
}

impl From<JsonRejection> for Rejection {
    fn from(e: JsonRejection) -> Self {
        match e.status() {
            StatusCode::PAYLOAD_TOO_LARGE => Self::too_large(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Self::unsupported_media_type("application/json"),
            s if s.is_server_error() => Self::internal("json body", e.body_text()),
            // Syntax and data errors alike: the body is not what the operation reads.
            _ => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "bad_json",
                Some("body"),
                fairhall_domain::msg!("error.web.bad_json", detail = e.body_text()),
            ),
        }
    }
}

impl From<QueryRejection> for Rejection {
    fn from(e: QueryRejection) -> Self {
        if e.status().is_server_error() {
            return Self::internal("query", e.body_text());
        }
        Self::bad_query(e.body_text())
    }
}

/// `axum::Json`, but a malformed body answers with our JSON error shape.
#[derive(Debug, Clone, Copy, Default, axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(Rejection))]
pub struct JsonBody<T>(pub T);

/// `axum::extract::Query`, but a query that does not parse answers `bad_query` as JSON.
#[derive(Debug, Clone, Copy, Default, axum::extract::FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(Rejection))]
pub struct QueryParams<T>(pub T);

/// `axum::extract::Path`, but a parameter that does not parse (`/api/v1/tickets/abc/events`)
/// answers `bad_path` as JSON, its `field` naming the parameter.
#[derive(Debug, Clone, Copy, Default)]
pub struct PathParams<T>(pub T);

impl<T, S> FromRequestParts<S> for PathParams<T>
where
    T: serde::de::DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Rejection> {
        let e = match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => return Ok(PathParams(value)),
            Err(e) => e,
        };
        let PathRejection::FailedToDeserializePathParams(failed) = &e else {
            return Err(Rejection::internal("path", e.body_text()));
        };
        // The parameter's name, from the route when the error has only its position.
        let raw = RawPathParams::from_request_parts(parts, state).await.ok();
        let nth = |i: usize| {
            raw.as_ref()
                .and_then(|r| r.iter().nth(i).map(|(k, _)| k.to_string()))
        };
        let name = match failed.kind() {
            ErrorKind::ParseErrorAtKey { key, .. }
            | ErrorKind::InvalidUtf8InPathParam { key }
            | ErrorKind::DeserializeError { key, .. } => Some(key.clone()),
            ErrorKind::ParseErrorAtIndex { index, .. } => nth(*index),
            ErrorKind::ParseError { .. } => nth(0),
            ErrorKind::WrongNumberOfParameters { .. } | ErrorKind::UnsupportedType { .. } => {
                return Err(Rejection::internal("path", e.body_text()));
            }
            _ => None,
        };
        Err(Rejection::bad_path(name.as_deref().unwrap_or("path")))
    }
}

/// A multipart form (`multipart/form-data`), to `read` once the caller may send it. A body of
/// another type answers 415 at once; `read` answers 413 for a body larger than the server
/// reads and `bad_upload` for a form that does not parse, all as JSON. Handlers that read one
/// answer `Rejection`, which `?` makes of their `AppError`s too.
pub struct UploadForm(Multipart);

impl<S: Send + Sync> FromRequest<S> for UploadForm {
    type Rejection = Rejection;

    async fn from_request(req: Request, state: &S) -> Result<Self, Rejection> {
        const FORM: &str = "multipart/form-data";
        let is_form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with(FORM));
        if !is_form {
            return Err(Rejection::unsupported_media_type(FORM));
        }
        let multipart = Multipart::from_request(req, state).await.map_err(|_| {
            Rejection::bad_upload(fairhall_domain::msg!("error.web.upload_incomplete"))
        })?;
        Ok(UploadForm(multipart))
    }
}

impl UploadForm {
    /// Reads the whole form: its text fields, and its files that are not empty.
    pub async fn read(
        self,
    ) -> Result<(Vec<(String, String)>, Vec<crate::files::UploadedPart>), Rejection> {
        crate::files::read_form(self.0).await.map_err(|e| {
            if e.too_large {
                Rejection::too_large()
            } else {
                Rejection::bad_upload(e.message)
            }
        })
    }
}

impl From<AppError> for Rejection {
    fn from(e: AppError) -> Self {
        ApiError(e).into()
    }
}

impl From<fairhall_domain::DomainError> for Rejection {
    fn from(e: fairhall_domain::DomainError) -> Self {
        ApiError::from(e).into()
    }
}

/// An `/api/…` path the server does not have: JSON 404 (pages keep their HTML 404).
pub async fn api_not_found() -> ApiError {
    ApiError(AppError::NotFound)
}

/// An API path asked with a method it does not take: JSON 405 (axum adds `Allow`).
pub async fn api_method_not_allowed(method: axum::http::Method) -> Rejection {
    Rejection::method_not_allowed(&method)
}

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
