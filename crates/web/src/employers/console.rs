//! The employer admin's profile page and join requests (入驻) page.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fairhall_app::AppError;
use fairhall_app::employers::EmployerProfile;
use fairhall_domain::employer::{Profile, ProfileInput};
use fairhall_domain::review::JoinStatus;
use serde::Deserialize;

use super::{
    Errors, INDUSTRIES, SelectOption, employer_files, fail, field, kind_key, size_options,
    status_key,
};
use crate::AppState;
use crate::error::{ApiError, log_if_internal, status_of};
use crate::guard::{EmployerAdmin, SignedIn};
use crate::pages::{Base, fmt_time, render};
use crate::session::CurrentUser;

const FIELDS: &[&str] = &[
    "name",
    "credit_code",
    "industry",
    "size",
    "city",
    "address",
    "description",
    "contact_name",
    "contact_phone",
    "contact_email",
    "logo",
    "licence",
];

// ---------------------------------------------------------------- profile

#[derive(Template)]
#[template(path = "employers/profile.html")]
pub struct ProfilePage {
    b: Base,
    v: ProfileInput,
    errs: Errors,
    code_editable: bool,
    logo_url: String,
    licence_url: String,
    saved: bool,
    files_lost: bool,
    sizes: Vec<SelectOption>,
    industries: &'static [&'static str],
}

fn input_of(e: &EmployerProfile) -> ProfileInput {
    let text = |o: &Option<String>| o.clone().unwrap_or_default();
    ProfileInput {
        name: e.name.clone(),
        credit_code: text(&e.credit_code),
        contact_name: text(&e.contact_name),
        contact_phone: text(&e.contact_phone),
        contact_email: text(&e.contact_email),
        industry: text(&e.industry),
        size: text(&e.size),
        city: text(&e.city),
        address: text(&e.address),
        description: text(&e.description),
    }
}

fn file_url(key: Option<String>) -> String {
    key.map(|k| format!("/files/{k}")).unwrap_or_default()
}

/// The profile page; `typed` replaces the stored values when re-showing a refused form.
async fn load_profile(
    state: &AppState,
    b: Base,
    user: &CurrentUser,
    typed: Option<ProfileInput>,
) -> Result<ProfilePage, Response> {
    let loaded = async {
        let profile = state.employer_profile(&user.user).await?;
        let editable = state.credit_code_editable(&user.user).await?;
        Ok::<_, AppError>((profile, editable))
    }
    .await;
    let (profile, code_editable) = match loaded {
        Ok(x) => x,
        Err(e) => return Err(fail(b, e)),
    };
    let v = typed.unwrap_or_else(|| input_of(&profile));
    Ok(ProfilePage {
        b,
        sizes: size_options(&v.size),
        v,
        errs: Errors::default(),
        code_editable,
        logo_url: file_url(profile.logo_key),
        licence_url: file_url(profile.licence_key),
        saved: false,
        files_lost: false,
        industries: INDUSTRIES,
    })
}

#[derive(Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

pub async fn profile_page(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<EmployerAdmin>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let b = Base::new(lang, Some(user.clone()));
    match load_profile(&state, b, &user, None).await {
        Ok(mut page) => {
            page.saved = q.done.as_deref() == Some("saved");
            render(&page)
        }
        Err(r) => r,
    }
}

pub async fn profile_submit(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<EmployerAdmin>,
    multipart: Multipart,
) -> Response {
    let b = Base::new(lang, Some(user.clone()));
    let (fields, files) = match crate::files::read_multipart(multipart).await {
        Ok(parts) => parts,
        Err(ApiError(e)) => return fail(b, e),
    };
    let v = ProfileInput {
        name: field(&fields, "name"),
        credit_code: field(&fields, "credit_code"),
        contact_name: field(&fields, "contact_name"),
        contact_phone: field(&fields, "contact_phone"),
        contact_email: field(&fields, "contact_email"),
        industry: field(&fields, "industry"),
        size: field(&fields, "size"),
        city: field(&fields, "city"),
        address: field(&fields, "address"),
        description: field(&fields, "description"),
    };
    let had_files = !files.is_empty();
    let outcome = match Profile::parse(&v) {
        Err(errors) => Err((
            StatusCode::UNPROCESSABLE_ENTITY,
            Errors::from_fields(b.tr.lang, errors, FIELDS),
        )),
        Ok(_) => state
            .update_employer_profile(&user.user, &v, employer_files(files))
            .await
            .map_err(|e| {
                log_if_internal(&e);
                (status_of(&e), Errors::from_app(b.tr.lang, &e, FIELDS))
            }),
    };
    match outcome {
        Ok(_) => Redirect::to("/employer/profile?done=saved").into_response(),
        Err((status, errs)) => match load_profile(&state, b, &user, Some(v)).await {
            Ok(mut page) => {
                page.errs = errs;
                page.files_lost = had_files;
                (status, render(&page)).into_response()
            }
            Err(r) => r,
        },
    }
}

// ---------------------------------------------------------------- organizers (入驻)

pub struct OrganizerRow {
    pub id: i64,
    pub name: String,
    pub kind_key: &'static str,
    /// `none`, `pending`, `approved` or `rejected`.
    pub status: &'static str,
    pub status_key: &'static str,
    pub request_id: i64,
    pub reason: String,
    pub submitted: String,
    pub reviewed: String,
}

#[derive(Template)]
#[template(path = "employers/organizers.html")]
pub struct OrganizersPage {
    b: Base,
    rows: Vec<OrganizerRow>,
    error: String,
    notice_key: &'static str,
    licence_missing: bool,
}

async fn load_organizers(
    state: &AppState,
    b: Base,
    user: &CurrentUser,
) -> Result<OrganizersPage, Response> {
    let loaded = async {
        let rows = state.employer_organizers(&user.user).await?;
        let profile = state.employer_profile(&user.user).await?;
        Ok::<_, AppError>((rows, profile))
    }
    .await;
    let (rows, profile) = match loaded {
        Ok(x) => x,
        Err(e) => return Err(fail(b, e)),
    };
    let rows = rows
        .into_iter()
        .map(|o| {
            let status = o.request.as_ref().map(|r| r.status);
            OrganizerRow {
                id: o.organizer_id,
                name: o.organizer_name,
                kind_key: kind_key(o.organizer_kind),
                status: status.map_or("none", JoinStatus::as_str),
                status_key: status_key(status),
                request_id: o.request.as_ref().map_or(0, |r| r.id),
                reason: o
                    .request
                    .as_ref()
                    .and_then(|r| r.reason.clone())
                    .unwrap_or_default(),
                submitted: o
                    .request
                    .as_ref()
                    .map(|r| fmt_time(r.submitted_at))
                    .unwrap_or_default(),
                reviewed: o
                    .request
                    .as_ref()
                    .and_then(|r| r.reviewed_at)
                    .map(fmt_time)
                    .unwrap_or_default(),
            }
        })
        .collect();
    Ok(OrganizersPage {
        b,
        rows,
        error: String::new(),
        notice_key: "",
        licence_missing: profile.licence_key.is_none(),
    })
}

pub async fn organizers_page(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<EmployerAdmin>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let b = Base::new(lang, Some(user.clone()));
    match load_organizers(&state, b, &user).await {
        Ok(mut page) => {
            page.notice_key = match q.done.as_deref() {
                Some("applied") => "employers.join.applied",
                Some("resubmitted") => "employers.join.resubmitted",
                _ => "",
            };
            render(&page)
        }
        Err(r) => r,
    }
}

/// Shows the organizers page again with the refusal on top.
async fn refused(state: &AppState, b: Base, user: &CurrentUser, e: AppError) -> Response {
    log_if_internal(&e);
    match load_organizers(state, b, user).await {
        Ok(mut page) => {
            page.error = page.b.tr.err(&e);
            (status_of(&e), render(&page)).into_response()
        }
        Err(r) => r,
    }
}

pub async fn apply(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<EmployerAdmin>,
    Path(organizer_id): Path<i64>,
) -> Response {
    match state.apply_to_join(&user.user, organizer_id).await {
        Ok(_) => Redirect::to("/employer/organizers?done=applied").into_response(),
        Err(e) => refused(&state, Base::new(lang, Some(user.clone())), &user, e).await,
    }
}

pub async fn resubmit(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<EmployerAdmin>,
    Path(id): Path<i64>,
) -> Response {
    match state.resubmit_join_request(&user.user, id).await {
        Ok(_) => Redirect::to("/employer/organizers?done=resubmitted").into_response(),
        Err(e) => refused(&state, Base::new(lang, Some(user.clone())), &user, e).await,
    }
}
