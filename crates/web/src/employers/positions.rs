//! `/employer/positions`: the employer admin's positions (招聘职位): list, new, edit, and
//! delete behind a confirmation page.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fairhall_app::employers::Position;
use fairhall_domain::employer::{PositionDraft, PositionInput};
use serde::Deserialize;

use super::api::{majors_of, salary_of};
use super::{Errors, SelectOption, education_key, education_options, fail};
use crate::AppState;
use crate::error::{log_if_internal, status_of};
use crate::guard::{EmployerAdmin, SignedIn};
use crate::i18n::Lang;
use crate::pages::{Base, fmt_time, render};
use crate::session::CurrentUser;

const FIELDS: &[&str] = &[
    "title",
    "headcount",
    "education",
    "majors",
    "city",
    "salary_min",
    "salary_max",
    "description",
];

pub struct PositionRow {
    pub id: i64,
    pub title: String,
    pub headcount: i64,
    pub education_key: &'static str,
    /// Joined with `、`; empty means any major.
    pub majors: String,
    pub city: String,
    /// `8000–12000` (元/月), or empty when negotiable; the template adds the unit or 面议 in
    /// the user's language.
    pub salary: String,
    pub updated: String,
}

fn row(p: Position) -> PositionRow {
    let salary = match salary_of(&p) {
        Some(s) if s.min == s.max => s.min.to_string(),
        Some(s) => format!("{}–{}", s.min, s.max),
        None => String::new(),
    };
    PositionRow {
        majors: majors_of(&p).join("、"),
        education_key: education_key(&p.education),
        salary,
        updated: fmt_time(p.updated_at),
        id: p.id,
        title: p.title,
        headcount: p.headcount,
        city: p.city,
    }
}

#[derive(Template)]
#[template(path = "employers/positions.html")]
pub struct ListPage {
    b: Base,
    rows: Vec<PositionRow>,
    notice_key: &'static str,
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn list_page(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<EmployerAdmin>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let b = Base::new(lang, Some(user.clone()));
    match state.positions(&user.user).await {
        Ok(rows) => render(&ListPage {
            b,
            rows: rows.into_iter().map(row).collect(),
            notice_key: match q.done.as_deref() {
                Some("created") => "employers.positions.created",
                Some("saved") => "employers.positions.saved",
                Some("deleted") => "employers.positions.deleted",
                _ => "",
            },
        }),
        Err(e) => fail(b, e),
    }
}

/// The position form as typed: every field text, so nothing is lost when it comes back.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PositionForm {
    pub title: String,
    pub headcount: String,
    pub education: String,
    pub majors: String,
    pub city: String,
    pub salary_min: String,
    pub salary_max: String,
    pub description: String,
}

impl From<PositionForm> for PositionInput {
    fn from(f: PositionForm) -> Self {
        PositionInput {
            title: f.title,
            headcount: f.headcount,
            education: f.education,
            majors: f.majors,
            city: f.city,
            salary_min: f.salary_min,
            salary_max: f.salary_max,
            description: f.description,
        }
    }
}

fn input_of(p: &Position) -> PositionInput {
    PositionInput {
        title: p.title.clone(),
        headcount: p.headcount.to_string(),
        education: p.education.clone(),
        majors: majors_of(p).join("、"),
        city: p.city.clone(),
        salary_min: p.salary_min.map(|n| n.to_string()).unwrap_or_default(),
        salary_max: p.salary_max.map(|n| n.to_string()).unwrap_or_default(),
        description: p.description.clone().unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "employers/position_form.html")]
pub struct FormPage {
    b: Base,
    /// 0 for a new position.
    id: i64,
    v: PositionInput,
    educations: Vec<SelectOption>,
    errs: Errors,
}

impl FormPage {
    fn new(b: Base, id: i64, v: PositionInput, errs: Errors) -> Self {
        let current = if v.education.is_empty() {
            "any"
        } else {
            v.education.as_str()
        };
        Self {
            educations: education_options(current),
            b,
            id,
            v,
            errs,
        }
    }

    fn action(&self) -> String {
        if self.id == 0 {
            "/employer/positions".into()
        } else {
            format!("/employer/positions/{}", self.id)
        }
    }
}

pub async fn new_page(admin: SignedIn<EmployerAdmin>) -> Response {
    let b = admin.base();
    render(&FormPage::new(
        b,
        0,
        PositionInput::default(),
        Errors::default(),
    ))
}

pub async fn edit_page(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<EmployerAdmin>,
    Path(id): Path<i64>,
) -> Response {
    let b = Base::new(lang, Some(user.clone()));
    match state.position(&user.user, id).await {
        Ok(p) => render(&FormPage::new(b, id, input_of(&p), Errors::default())),
        Err(e) => fail(b, e),
    }
}

/// Saves a new (`id == 0`) or existing position, or shows the form again with every error.
async fn save(
    state: &AppState,
    lang: Lang,
    user: CurrentUser,
    id: i64,
    form: PositionForm,
) -> Response {
    let v: PositionInput = form.into();
    let b = Base::new(lang, Some(user.clone()));
    let outcome = match PositionDraft::parse(&v) {
        Err(errors) => Err((
            StatusCode::UNPROCESSABLE_ENTITY,
            Errors::from_fields(lang, errors, FIELDS),
        )),
        Ok(_) => {
            let saved = if id == 0 {
                state.create_position(&user.user, &v).await
            } else {
                state.update_position(&user.user, id, &v).await
            };
            match saved {
                Ok(_) => Ok(()),
                // Another employer's position, or one deleted meanwhile: the error page.
                Err(e @ (fairhall_app::AppError::NotFound | fairhall_app::AppError::Forbidden)) => {
                    return fail(b, e);
                }
                Err(e) => {
                    log_if_internal(&e);
                    Err((status_of(&e), Errors::from_app(lang, &e, FIELDS)))
                }
            }
        }
    };
    match outcome {
        Ok(()) => {
            let done = if id == 0 { "created" } else { "saved" };
            Redirect::to(&format!("/employer/positions?done={done}")).into_response()
        }
        Err((status, errs)) => (status, render(&FormPage::new(b, id, v, errs))).into_response(),
    }
}

pub async fn create(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<EmployerAdmin>,
    Form(form): Form<PositionForm>,
) -> Response {
    save(&state, lang, user, 0, form).await
}

pub async fn update(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<EmployerAdmin>,
    Path(id): Path<i64>,
    Form(form): Form<PositionForm>,
) -> Response {
    if id <= 0 {
        return fail(
            Base::new(lang, Some(user)),
            fairhall_app::AppError::NotFound,
        );
    }
    save(&state, lang, user, id, form).await
}

#[derive(Template)]
#[template(path = "employers/position_delete.html")]
pub struct DeletePage {
    b: Base,
    id: i64,
    title: String,
}

pub async fn delete_page(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<EmployerAdmin>,
    Path(id): Path<i64>,
) -> Response {
    let b = Base::new(lang, Some(user.clone()));
    match state.position(&user.user, id).await {
        Ok(p) => render(&DeletePage {
            b,
            id,
            title: p.title,
        }),
        Err(e) => fail(b, e),
    }
}

pub async fn delete(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<EmployerAdmin>,
    Path(id): Path<i64>,
) -> Response {
    match state.delete_position(&user.user, id).await {
        Ok(()) => Redirect::to("/employer/positions?done=deleted").into_response(),
        Err(e) => fail(Base::new(lang, Some(user)), e),
    }
}
