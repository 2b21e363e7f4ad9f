//! Page guards: extractors that say who may open a page.
//!
//! A page handler names its visitor in its signature: `SignedIn<Student>` for a student page,
//! `SignedIn<Employer>` for the employer console, `SignedIn` for any signed-in user, `Visitor`
//! for a page anyone may open. The extractor answers for the handler when the visitor may not
//! come in: a visitor who is not signed in goes to sign in and back to the page they asked for;
//! a signed-in user of another role, or a session that cannot be read, gets the error page in
//! the visitor's language.

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum::response::{IntoResponse, Redirect, Response};
use fairhall_app::AppError;
use fairhall_domain::account::Role;

use crate::AppState;
use crate::error::PageError;
use crate::i18n::Lang;
use crate::pages::Base;
use crate::session::{CurrentUser, current_user, session_of};

/// The roles a guarded page lets in.
pub trait Roles: Send + Sync + 'static {
    /// Empty: any signed-in role.
    const ROLES: &'static [Role];
}

/// Any signed-in user.
pub struct Anyone;
impl Roles for Anyone {
    const ROLES: &'static [Role] = &[];
}

/// A student.
pub struct Student;
impl Roles for Student {
    const ROLES: &'static [Role] = &[Role::Student];
}

/// The employer's administrator (writes the employer's profile, positions, brochures).
pub struct EmployerAdmin;
impl Roles for EmployerAdmin {
    const ROLES: &'static [Role] = &[Role::EmployerAdmin];
}

/// The employer's people: its administrator and its interviewers.
pub struct Employer;
impl Roles for Employer {
    const ROLES: &'static [Role] = &[Role::EmployerAdmin, Role::Interviewer];
}

/// A fair organiser's staff.
pub struct OrganizerStaff;
impl Roles for OrganizerStaff {
    const ROLES: &'static [Role] = &[Role::OrganizerStaff];
}

/// The platform's administrator.
pub struct PlatformAdmin;
impl Roles for PlatformAdmin {
    const ROLES: &'static [Role] = &[Role::PlatformAdmin];
}

/// A signed-in user with one of `R`'s roles, and the visitor's language.
pub struct SignedIn<R: Roles = Anyone> {
    pub user: CurrentUser,
    pub lang: Lang,
    roles: PhantomData<R>,
}

impl<R: Roles> SignedIn<R> {
    /// The page header's data for this user.
    pub fn base(&self) -> Base {
        Base::new(self.lang, Some(self.user.clone()))
    }
}

impl<R: Roles> FromRequestParts<AppState> for SignedIn<R> {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Visitor { user, lang } = Visitor::from_request_parts(parts, state).await?;
        let Some(user) = user else {
            return Err(to_sign_in(parts));
        };
        if !R::ROLES.is_empty() && !R::ROLES.contains(&user.user.role) {
            return Err(page_error(Base::new(lang, Some(user)), AppError::Forbidden));
        }
        Ok(SignedIn {
            user,
            lang,
            roles: PhantomData,
        })
    }
}

/// Whoever opened the page, signed in or not, and their language.
pub struct Visitor {
    pub user: Option<CurrentUser>,
    pub lang: Lang,
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let lang = Lang::from_headers(&parts.headers);
        let read = async {
            let session = session_of(parts).await?;
            current_user(state, &session).await
        };
        match read.await {
            Ok(user) => Ok(Visitor { user, lang }),
            Err(error) => Err(page_error(Base::new(lang, None), error)),
        }
    }
}

fn page_error(base: Base, error: AppError) -> Response {
    PageError { error, base }.into_response()
}

/// To sign in, and back afterwards: to the page itself for a `GET`, to the page the form was
/// on (the same-site `Referer`) for a form's `POST`.
fn to_sign_in(parts: &Parts) -> Response {
    let back = if parts.method == Method::GET || parts.method == Method::HEAD {
        parts.uri.path_and_query().map(|p| p.as_str().to_string())
    } else {
        same_site_referer(parts)
    };
    Redirect::to(&sign_in_link(back.as_deref())).into_response()
}

/// `/login`, coming back to `back` (a path on this site) when there is one. The path keeps its
/// slashes; everything else that could end the parameter is escaped.
pub fn sign_in_link(back: Option<&str>) -> String {
    match back.filter(|b| b.starts_with('/') && !b.starts_with("//")) {
        Some(b) => format!(
            "/login?next={}",
            form_urlencoded::byte_serialize(b.as_bytes())
                .collect::<String>()
                .replace("%2F", "/")
        ),
        None => "/login".to_string(),
    }
}

/// The path and query of the `Referer`, if it points at the host this request came to.
fn same_site_referer(parts: &Parts) -> Option<String> {
    let referer = parts.headers.get(header::REFERER)?.to_str().ok()?;
    let host = parts.headers.get(header::HOST)?.to_str().ok()?;
    let uri: axum::http::Uri = referer.parse().ok()?;
    if uri.authority()?.as_str() != host {
        return None;
    }
    uri.path_and_query().map(|p| p.as_str().to_string())
}

#[cfg(test)]
mod tests {
    use super::sign_in_link;

    #[test]
    fn sign_in_comes_back_only_to_this_site() {
        assert_eq!(
            sign_in_link(Some("/f/AB12/employers?page=2&q=%")),
            "/login?next=/f/AB12/employers%3Fpage%3D2%26q%3D%25"
        );
        assert_eq!(sign_in_link(None), "/login");
        assert_eq!(sign_in_link(Some("//evil.example/")), "/login");
        assert_eq!(sign_in_link(Some("https://evil.example/")), "/login");
    }
}
