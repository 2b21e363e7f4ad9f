//! Signing in and out: the login page (password for staff and employers, phone code for
//! students), the language switch, and the matching JSON API in `api`.

pub mod api;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use fairhall_app::AppError;
use serde::Deserialize;
use tower_sessions::Session;

use crate::AppState;
use crate::guard::Visitor;
use crate::i18n::{LANG_COOKIE, Lang};
use crate::pages::{Base, render};
use crate::session::{ClientIp, ensure_csrf_token, sign_in, sign_out};

pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login_password))
        .route("/login/code/request", post(request_code))
        .route("/login/code", post(login_code))
        .route("/logout", post(logout))
        .route("/lang/{code}", get(switch_lang))
        .route("/privacy", get(privacy))
}

/// Only same-site paths are followed after sign-in, never another host.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        // Browsers drop tabs and newlines from a Location, so `/\t/evil` would become `//evil`.
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(char::is_control) =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    b: Base,
    tab: &'static str,
    email: String,
    phone: String,
    next: String,
    error_field: String,
    error: String,
    notice: String,
}

impl LoginPage {
    fn new(b: Base, next: String) -> Self {
        Self {
            b,
            tab: "phone",
            email: String::new(),
            phone: String::new(),
            next,
            error_field: String::new(),
            error: String::new(),
            notice: String::new(),
        }
    }

    fn with_error(mut self, e: &AppError) -> Self {
        self.error_field = e.field().unwrap_or("form").to_string();
        self.error = self.b.tr.err(e);
        self
    }
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
    tab: Option<String>,
}

async fn base_for_form(lang: Lang, session: &Session) -> Result<Base, AppError> {
    let mut b = Base::new(lang, None);
    b.csrf = ensure_csrf_token(session).await?;
    Ok(b)
}

fn page_error(lang: Lang, e: AppError) -> Response {
    crate::error::PageError {
        error: e,
        base: Base::new(lang, None),
    }
    .into_response()
}

async fn login_page(
    lang: Lang,
    session: Session,
    Visitor { user, .. }: Visitor,
    Query(q): Query<NextQuery>,
) -> Response {
    let next = safe_next(q.next.as_deref());
    if user.is_some() {
        return Redirect::to(&next).into_response();
    }
    let b = match base_for_form(lang, &session).await {
        Ok(b) => b,
        Err(e) => return page_error(lang, e),
    };
    let mut page = LoginPage::new(b, next);
    if q.tab.as_deref() == Some("password") {
        page.tab = "password";
    }
    render(&page)
}

#[derive(Deserialize)]
struct PasswordForm {
    email: String,
    password: String,
    next: Option<String>,
}

async fn login_password(
    State(state): State<AppState>,
    lang: Lang,
    session: Session,
    ClientIp(ip): ClientIp,
    Form(form): Form<PasswordForm>,
) -> Response {
    let next = safe_next(form.next.as_deref());
    match state
        .sign_in_with_password(&form.email, &form.password, ip)
        .await
    {
        Ok(user) => match sign_in(&session, &user).await {
            Ok(_) => Redirect::to(&next).into_response(),
            Err(e) => page_error(lang, e),
        },
        Err(e) => {
            let b = match base_for_form(lang, &session).await {
                Ok(b) => b,
                Err(e) => return page_error(lang, e),
            };
            let mut page = LoginPage::new(b, next).with_error(&e);
            page.tab = "password";
            page.email = form.email;
            (crate::error::status_of(&e), render(&page)).into_response()
        }
    }
}

#[derive(Deserialize)]
struct CodeRequestForm {
    phone: String,
    next: Option<String>,
}

async fn request_code(
    State(state): State<AppState>,
    lang: Lang,
    session: Session,
    ClientIp(ip): ClientIp,
    Form(form): Form<CodeRequestForm>,
) -> Response {
    let b = match base_for_form(lang, &session).await {
        Ok(b) => b,
        Err(e) => return page_error(lang, e),
    };
    let result = state.request_sign_in_code(&form.phone, ip).await;
    let mut page = LoginPage::new(b, safe_next(form.next.as_deref()));
    page.phone = form.phone;
    match result {
        Ok(()) => {
            page.notice = page.b.t("login.code_sent").to_string();
            render(&page)
        }
        Err(e) => {
            let status = crate::error::status_of(&e);
            (status, render(&page.with_error(&e))).into_response()
        }
    }
}

#[derive(Deserialize)]
struct CodeForm {
    phone: String,
    code: String,
    consent: Option<String>,
    next: Option<String>,
}

async fn login_code(
    State(state): State<AppState>,
    lang: Lang,
    session: Session,
    ClientIp(ip): ClientIp,
    Form(form): Form<CodeForm>,
) -> Response {
    let next = safe_next(form.next.as_deref());
    let consent = form.consent.is_some();
    match state
        .sign_in_with_code(&form.phone, &form.code, consent, ip)
        .await
    {
        Ok((user, _)) => match sign_in(&session, &user).await {
            Ok(_) => Redirect::to(&next).into_response(),
            Err(e) => page_error(lang, e),
        },
        Err(e) => {
            let b = match base_for_form(lang, &session).await {
                Ok(b) => b,
                Err(e) => return page_error(lang, e),
            };
            let mut page = LoginPage::new(b, next).with_error(&e);
            page.phone = form.phone;
            (crate::error::status_of(&e), render(&page)).into_response()
        }
    }
}

async fn logout(lang: Lang, session: Session) -> Response {
    match sign_out(&session).await {
        Ok(()) => Redirect::to("/login").into_response(),
        Err(e) => page_error(lang, e),
    }
}

#[derive(Deserialize)]
struct LangQuery {
    next: Option<String>,
}

/// Sets the language and returns to `next`, or to the page the switch was clicked on.
async fn switch_lang(
    Path(code): Path<String>,
    Query(q): Query<LangQuery>,
    headers: axum::http::HeaderMap,
) -> Response {
    let lang = Lang::parse(&code).unwrap_or(Lang::Zh);
    let from_referer = headers
        .get(axum::http::header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| {
            let host = headers.get(axum::http::header::HOST)?.to_str().ok()?;
            let rest = r.split_once("://")?.1;
            let path = rest.strip_prefix(host)?;
            path.starts_with('/').then(|| path.to_string())
        });
    let next = q.next.or(from_referer);
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
        lang.code()
    );
    (
        [(axum::http::header::SET_COOKIE, cookie)],
        Redirect::to(&safe_next(next.as_deref())),
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "privacy.html")]
struct PrivacyPage {
    b: Base,
    version: &'static str,
}

async fn privacy(Visitor { user, lang }: Visitor) -> Response {
    render(&PrivacyPage {
        b: Base::new(lang, user),
        version: fairhall_app::accounts::PRIVACY_NOTICE_VERSION,
    })
}
