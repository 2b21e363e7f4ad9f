//! The role-aware home page and the 404 page.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use fairhall_app::AppError;
use fairhall_domain::account::Role;

use crate::AppState;
use crate::error::PageError;
use crate::guard::Visitor;
use crate::pages::{Base, fmt_time, render};

pub fn pages() -> Router<AppState> {
    Router::new().route("/", get(home))
}

pub struct FairRow {
    pub title: String,
    pub code: String,
    pub starts: String,
    pub ends: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    b: Base,
    role: &'static str,
    org_name: String,
    fairs: Vec<FairRow>,
}

async fn home(State(state): State<AppState>, Visitor { user, lang }: Visitor) -> Response {
    let Some(user) = user else {
        return Redirect::to("/login").into_response();
    };
    let role = user.user.role;
    let loaded = state.home_fairs(&user.user).await;
    let mut b = Base::new(lang, Some(user));
    b.tab = "fairs";
    let home = match loaded {
        Ok(home) => home,
        Err(error) => return PageError { error, base: b }.into_response(),
    };
    let org_name = home.name;
    let fairs = home
        .fairs
        .into_iter()
        .map(|f| FairRow {
            title: f.title,
            code: f.entry_code,
            starts: fmt_time(f.starts_at),
            ends: fmt_time(f.ends_at),
        })
        .collect();
    let role = match role {
        Role::PlatformAdmin => "platform_admin",
        Role::OrganizerStaff => "organizer_staff",
        Role::EmployerAdmin => "employer_admin",
        Role::Interviewer => "interviewer",
        Role::Student => "student",
    };
    render(&HomePage {
        b,
        role,
        org_name,
        fairs,
    })
}

pub async fn not_found(Visitor { user, lang }: Visitor) -> Response {
    PageError {
        error: AppError::NotFound,
        base: Base::new(lang, user),
    }
    .into_response()
}
