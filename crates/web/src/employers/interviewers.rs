//! `/employer/interviewers`: the employer admin lists and creates interviewer accounts (面试官).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Errors, fail};
use crate::AppState;
use crate::error::{log_if_internal, status_of};
use crate::guard::{EmployerAdmin, SignedIn};
use crate::pages::{Base, fmt_time, render};
use crate::session::CurrentUser;

const FIELDS: &[&str] = &["name", "phone", "email", "password"];

pub struct InterviewerRow {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub created: String,
}

/// What was typed into the form (the password is never shown again).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InterviewerForm {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub password: String,
}

#[derive(Template)]
#[template(path = "employers/interviewers.html")]
pub struct InterviewersPage {
    b: Base,
    rows: Vec<InterviewerRow>,
    v: InterviewerForm,
    errs: Errors,
    created: bool,
}

async fn load(
    state: &AppState,
    b: Base,
    user: &CurrentUser,
    v: InterviewerForm,
) -> Result<InterviewersPage, Response> {
    let rows = match state.interviewers(&user.user).await {
        Ok(rows) => rows,
        Err(e) => return Err(fail(b, e)),
    };
    Ok(InterviewersPage {
        b,
        rows: rows
            .into_iter()
            .map(|i| InterviewerRow {
                name: i.display_name,
                email: i.email.unwrap_or_default(),
                phone: i.phone.unwrap_or_default(),
                created: fmt_time(i.created_at),
            })
            .collect(),
        v,
        errs: Errors::default(),
        created: false,
    })
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn page(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<EmployerAdmin>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let b = Base::new(lang, Some(user.clone()));
    match load(&state, b, &user, InterviewerForm::default()).await {
        Ok(mut page) => {
            page.created = q.done.as_deref() == Some("created");
            render(&page)
        }
        Err(r) => r,
    }
}

pub async fn create(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<EmployerAdmin>,
    Form(form): Form<InterviewerForm>,
) -> Response {
    let done = state
        .create_interviewer(
            &user.user,
            &form.name,
            &form.phone,
            &form.email,
            &form.password,
        )
        .await;
    match done {
        Ok(_) => Redirect::to("/employer/interviewers?done=created").into_response(),
        Err(e) => {
            log_if_internal(&e);
            let b = Base::new(lang, Some(user.clone()));
            let mut v = form;
            v.password.clear();
            match load(&state, b, &user, v).await {
                Ok(mut page) => {
                    page.errs = Errors::from_app(lang, &e, FIELDS);
                    (status_of(&e), render(&page)).into_response()
                }
                Err(r) => r,
            }
        }
    }
}
