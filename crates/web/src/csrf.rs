//! CSRF protection for every state-changing request.
//!
//! Two checks, both on POST/PUT/PATCH/DELETE:
//! 1. If the browser says where the request comes from (`Origin`), it must be this site. This
//!    also stops cross-site sign-in forms, which carry no session cookie.
//! 2. If the request rides on a session that has a token, it must present that token: in the
//!    `X-CSRF-Token` header (scripts), a `_csrf` form field (plain forms), or a `_csrf` query
//!    parameter (multipart uploads).
//!
//! Requests with no session cookie carry no ambient authority, so API clients that sign in and
//! then send the token work the same as browsers.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use subtle::ConstantTimeEq;
use tower_sessions::Session;

use crate::AppState;
use crate::error::json_error;
use crate::session::csrf_token;

pub const HEADER: &str = "x-csrf-token";
pub const FIELD: &str = "_csrf";
/// Largest urlencoded form the check will buffer to find the token.
const MAX_FORM_BYTES: usize = 1 << 20;

/// The origin this request should come from: the configured public URL, or the Host it came to.
pub fn expected_origin(state: &AppState, headers: &axum::http::HeaderMap) -> Option<String> {
    if let Some(url) = &state.config.http.public_url {
        return Some(url.trim_end_matches('/').to_string());
    }
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let scheme = if state.config.http.secure_cookies {
        "https"
    } else {
        "http"
    };
    Some(format!("{scheme}://{host}"))
}

fn forbidden(code: &str, message: fairhall_domain::Message) -> Response {
    json_error(StatusCode::FORBIDDEN, code, message)
}

pub async fn protect(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    if let Some(origin) = req.headers().get(header::ORIGIN) {
        let expected = expected_origin(&state, req.headers());
        if origin.to_str().ok().map(str::to_string) != expected {
            return forbidden("bad_origin", fairhall_domain::msg!("error.web.bad_origin"));
        }
    }
    let session = req.extensions().get::<Session>().cloned();
    let expected = match &session {
        Some(s) => csrf_token(s).await,
        None => None,
    };
    let Some(expected) = expected else {
        return next.run(req).await;
    };

    let (parts, body) = req.into_parts();
    let mut presented = parts
        .headers
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| find_field(parts.uri.query().unwrap_or("")));
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let body = if presented.is_none() && is_form {
        let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
            return json_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                fairhall_domain::msg!("error.web.too_large"),
            );
        };
        presented = find_field(&String::from_utf8_lossy(&bytes));
        Body::from(bytes)
    } else {
        body
    };
    let ok = presented.is_some_and(|p| bool::from(p.as_bytes().ct_eq(expected.as_bytes())));
    if !ok {
        return forbidden("csrf", fairhall_domain::msg!("error.web.csrf"));
    }
    next.run(Request::from_parts(parts, body)).await
}

fn find_field(encoded: &str) -> Option<String> {
    form_urlencoded::parse(encoded.as_bytes())
        .find(|(k, _)| k == FIELD)
        .map(|(_, v)| v.into_owned())
}
