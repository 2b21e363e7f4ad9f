//! The pages of fair sign-up and review.

use askama::Template;
use axum::extract::{Path, Query, RawForm, State};
use axum::response::{IntoResponse, Redirect, Response};
use fairhall_app::AppError;
use fairhall_app::registrations::{RegistrationDetail, SignupFair};
use fairhall_domain::DomainError;
use fairhall_domain::account::Role;
use fairhall_domain::registration::{RegistrationDraft, changed_fields};
use fairhall_domain::review::{JoinStatus, RegistrationStatus};
use serde::Deserialize;

use crate::AppState;
use crate::error::fail;
use crate::guard::{Employer, EmployerAdmin, OrganizerStaff, SignedIn, Visitor};
use crate::i18n::Lang;
use crate::pages::{Base, fmt_time, render};
use crate::session::CurrentUser;

pub fn status_key(status: RegistrationStatus) -> &'static str {
    match status {
        RegistrationStatus::Approved => "registration.status_approved",
        RegistrationStatus::Rejected => "registration.status_rejected",
        RegistrationStatus::Submitted => "registration.status_submitted",
    }
}

// ---------------------------------------------------------------- 云校招-视频双选会

pub struct FairRow {
    pub id: i64,
    pub title: String,
    pub organizer: String,
    pub signup: String,
    pub live: String,
    pub join_key: &'static str,
    pub joined: bool,
    pub registration_id: i64,
    pub registration_key: &'static str,
    pub window_open: bool,
    pub can_sign_up: bool,
}

#[derive(Template)]
#[template(path = "registrations/fairs.html")]
struct FairsPage {
    b: Base,
    q: String,
    rows: Vec<FairRow>,
}

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
}

fn join_key(j: Option<JoinStatus>) -> &'static str {
    match j {
        Some(JoinStatus::Approved) => "registration.join_approved",
        Some(JoinStatus::Pending) => "registration.join_pending",
        Some(JoinStatus::Rejected) => "registration.join_rejected",
        None => "registration.join_none",
    }
}

pub async fn fairs(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<EmployerAdmin>,
    Query(q): Query<SearchQuery>,
) -> Response {
    let search = q.q.unwrap_or_default();
    let listed = state.fairs_for_employer(&user.user, &search).await;
    let b = Base::new(lang, Some(user));
    let list = match listed {
        Ok(l) => l,
        Err(e) => return fail(b, e),
    };
    let rows = list
        .iter()
        .map(|s| FairRow {
            id: s.fair.id,
            title: s.fair.title.clone(),
            organizer: s.fair.organizer_name.clone(),
            signup: format!(
                "{} – {}",
                fmt_time(s.fair.signup_opens_at),
                fmt_time(s.fair.signup_closes_at)
            ),
            live: format!(
                "{} – {}",
                fmt_time(s.fair.starts_at),
                fmt_time(s.fair.ends_at)
            ),
            join_key: join_key(s.join),
            joined: s.join == Some(JoinStatus::Approved),
            registration_id: s.registration.as_ref().map_or(0, |r| r.id),
            registration_key: s.registration.as_ref().map_or("", |r| status_key(r.status)),
            window_open: s.window_open,
            can_sign_up: s.can_sign_up(),
        })
        .collect();
    render(&FairsPage { b, q: search, rows })
}

// ---------------------------------------------------------------- the registration form

pub struct Opt {
    pub id: i64,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "registrations/form.html")]
struct FormPage {
    b: Base,
    fair_title: String,
    organizer: String,
    employer: String,
    /// `signup`, `edit` (employer, before approval) or `staff` (after approval).
    mode: &'static str,
    action: String,
    positions: Vec<Opt>,
    interviewers: Vec<Opt>,
    brochures: Vec<Opt>,
    contact_name: String,
    contact_phone: String,
    note: String,
    errors: Vec<(String, String)>,
    /// Why the form cannot be submitted now, if it cannot.
    blocked: String,
    blocked_link: String,
}

impl FormPage {
    fn err(&self, field: &str) -> &str {
        self.errors
            .iter()
            .find(|(f, _)| f == field)
            .map_or("", |(_, m)| m.as_str())
    }
}

/// The form's fields as submitted, or as stored.
#[derive(Default)]
struct Fields {
    positions: Vec<i64>,
    interviewers: Vec<i64>,
    brochure: Option<i64>,
    contact_name: String,
    contact_phone: String,
    note: String,
}

impl Fields {
    fn from_form(body: &[u8]) -> Fields {
        let mut f = Fields::default();
        for (k, v) in form_urlencoded::parse(body) {
            match k.as_ref() {
                "position_ids" => f.positions.extend(v.parse::<i64>().ok()),
                "interviewer_ids" => f.interviewers.extend(v.parse::<i64>().ok()),
                "brochure_id" => f.brochure = v.parse::<i64>().ok().filter(|id| *id > 0),
                "contact_name" => f.contact_name = v.into_owned(),
                "contact_phone" => f.contact_phone = v.into_owned(),
                "note" => f.note = v.into_owned(),
                _ => {}
            }
        }
        f
    }

    fn from_detail(d: &RegistrationDetail) -> Fields {
        Fields {
            positions: d.positions.iter().map(|(id, _)| *id).collect(),
            interviewers: d.interviewers.iter().map(|(id, _)| *id).collect(),
            brochure: d.registration.brochure_id,
            contact_name: d.registration.contact_name.clone(),
            contact_phone: d.registration.contact_phone.clone(),
            note: String::new(),
        }
    }

    fn draft(&self) -> Result<RegistrationDraft, Vec<DomainError>> {
        RegistrationDraft::parse(
            &self.positions,
            &self.interviewers,
            &self.contact_name,
            &self.contact_phone,
            self.brochure,
        )
    }
}

struct FormContext {
    fair_title: String,
    organizer: String,
    employer_id: i64,
    mode: &'static str,
    action: String,
    blocked: String,
    blocked_link: String,
}

async fn form_page(
    state: &AppState,
    b: Base,
    ctx: FormContext,
    fields: &Fields,
    errors: Vec<(String, String)>,
) -> Response {
    let choices = match state.signup_choices(ctx.employer_id).await {
        Ok(c) => c,
        Err(e) => return fail(b, e),
    };
    let opts = |list: Vec<(i64, String)>, chosen: &[i64]| {
        list.into_iter()
            .map(|(id, label)| Opt {
                id,
                label,
                checked: chosen.contains(&id),
            })
            .collect::<Vec<_>>()
    };
    let page = FormPage {
        fair_title: ctx.fair_title,
        organizer: ctx.organizer,
        employer: choices.employer,
        mode: ctx.mode,
        action: ctx.action,
        positions: opts(choices.positions, &fields.positions),
        interviewers: opts(choices.interviewers, &fields.interviewers),
        brochures: opts(
            choices.brochures,
            &fields.brochure.into_iter().collect::<Vec<_>>(),
        ),
        contact_name: fields.contact_name.clone(),
        contact_phone: fields.contact_phone.clone(),
        note: fields.note.clone(),
        errors,
        blocked: ctx.blocked,
        blocked_link: ctx.blocked_link,
        b,
    };
    let status = if page.errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, render(&page)).into_response()
}

fn field_errors(lang: Lang, errors: Vec<DomainError>) -> Vec<(String, String)> {
    errors
        .into_iter()
        .map(|e| (e.field.to_string(), e.message.render(lang.into())))
        .collect()
}

fn app_error_fields(lang: Lang, e: &AppError) -> Vec<(String, String)> {
    vec![(
        e.field().unwrap_or("form").to_string(),
        e.render(lang.into()),
    )]
}

fn signup_context(b: &Base, s: &SignupFair, employer_id: i64) -> FormContext {
    let (blocked, blocked_link) = if s.join != Some(JoinStatus::Approved) {
        (
            b.t("registration.blocked_not_joined").to_string(),
            "/employer/organizers".to_string(),
        )
    } else if s
        .registration
        .as_ref()
        .is_some_and(|r| r.status == RegistrationStatus::Approved)
    {
        (
            b.t("registration.blocked_approved").to_string(),
            "/employer/registrations".to_string(),
        )
    } else if !s.window_open {
        (
            b.t("registration.blocked_window").to_string(),
            String::new(),
        )
    } else {
        (String::new(), String::new())
    };
    FormContext {
        fair_title: s.fair.title.clone(),
        organizer: s.fair.organizer_name.clone(),
        employer_id,
        mode: "signup",
        action: format!("/employer/fairs/{}/signup", s.fair.id),
        blocked,
        blocked_link,
    }
}

/// The three uses of the registration form: an employer signing up for a fair, an employer
/// editing its registration before approval, and staff changing it after approval.
#[derive(Debug, Clone, Copy)]
enum FormKind {
    Signup { fair_id: i64 },
    Edit { id: i64 },
    Staff { id: i64 },
}

impl FormKind {
    /// Where a saved form leads.
    fn done(self) -> String {
        match self {
            FormKind::Signup { .. } | FormKind::Edit { .. } => {
                "/employer/registrations?submitted=1".to_string()
            }
            FormKind::Staff { id } => format!("/staff/registrations/{id}"),
        }
    }

    /// What the form shows: its context and the fields as stored.
    async fn load(
        self,
        state: &AppState,
        user: &CurrentUser,
        b: &Base,
    ) -> Result<(FormContext, Fields), AppError> {
        match self {
            FormKind::Signup { fair_id } => {
                let s = state.fair_for_employer(&user.user, fair_id).await?;
                let fields = match &s.registration {
                    Some(r) => Fields::from_detail(
                        &state.registration_for_employer(&user.user, r.id).await?,
                    ),
                    None => Fields {
                        contact_name: user.user.display_name.clone(),
                        ..Fields::default()
                    },
                };
                let employer_id = user.user.employer_id.unwrap_or_default();
                Ok((signup_context(b, &s, employer_id), fields))
            }
            FormKind::Edit { id } => {
                let d = state.registration_for_employer(&user.user, id).await?;
                let locked = d.registration.status == RegistrationStatus::Approved;
                let ctx = FormContext {
                    fair_title: d.listed.fair_title.clone(),
                    organizer: d.listed.organizer_name.clone(),
                    employer_id: d.registration.employer_id,
                    mode: "edit",
                    action: format!("/employer/registrations/{id}/edit"),
                    blocked: if locked {
                        b.t("registration.blocked_approved").to_string()
                    } else {
                        String::new()
                    },
                    blocked_link: String::new(),
                };
                Ok((ctx, Fields::from_detail(&d)))
            }
            FormKind::Staff { id } => {
                let d = state.registration_for_staff(&user.user, id).await?;
                Ok((staff_context(&d, id, b), Fields::from_detail(&d)))
            }
        }
    }

    /// Saves the submitted fields: every field error at once, or the action's refusal.
    async fn save(
        self,
        state: &AppState,
        lang: Lang,
        user: &CurrentUser,
        fields: &Fields,
    ) -> Result<(), Vec<(String, String)>> {
        let draft = fields.draft();
        if let Err(errors) = &draft {
            return Err(field_errors(lang, errors.clone()));
        }
        let saved = match self {
            FormKind::Signup { fair_id } => state
                .sign_up_for_fair(&user.user, fair_id, draft)
                .await
                .map(|_| ()),
            FormKind::Edit { id } => state.edit_registration(&user.user, id, draft).await,
            FormKind::Staff { id } => {
                state
                    .staff_edit_registration(&user.user, id, draft, &fields.note)
                    .await
            }
        };
        saved.map_err(|e| app_error_fields(lang, &e))
    }
}

async fn show_form(state: AppState, lang: Lang, user: CurrentUser, kind: FormKind) -> Response {
    let b = Base::new(lang, Some(user.clone()));
    match kind.load(&state, &user, &b).await {
        Ok((ctx, fields)) => form_page(&state, b, ctx, &fields, Vec::new()).await,
        Err(e) => fail(b, e),
    }
}

async fn submit_form(
    state: AppState,
    lang: Lang,
    user: CurrentUser,
    kind: FormKind,
    body: &[u8],
) -> Response {
    let fields = Fields::from_form(body);
    let errors = match kind.save(&state, lang, &user, &fields).await {
        Ok(()) => return Redirect::to(&kind.done()).into_response(),
        Err(errors) => errors,
    };
    let b = Base::new(lang, Some(user.clone()));
    match kind.load(&state, &user, &b).await {
        Ok((mut ctx, _)) => {
            // The refusal shows beside the fields, with what was typed kept, never as a
            // blocked form.
            ctx.blocked = String::new();
            form_page(&state, b, ctx, &fields, errors).await
        }
        Err(e) => fail(b, e),
    }
}

pub async fn signup_form(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<EmployerAdmin>,
    Path(fair_id): Path<i64>,
) -> Response {
    show_form(state, lang, user, FormKind::Signup { fair_id }).await
}

pub async fn signup_submit(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<EmployerAdmin>,
    Path(fair_id): Path<i64>,
    RawForm(body): RawForm,
) -> Response {
    submit_form(state, lang, user, FormKind::Signup { fair_id }, &body).await
}

pub async fn edit_form(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<EmployerAdmin>,
    Path(id): Path<i64>,
) -> Response {
    show_form(state, lang, user, FormKind::Edit { id }).await
}

pub async fn edit_submit(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<EmployerAdmin>,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Response {
    submit_form(state, lang, user, FormKind::Edit { id }, &body).await
}

// ---------------------------------------------------------------- 我的报名

pub struct MineRow {
    pub id: i64,
    pub fair_title: String,
    pub organizer: String,
    pub live: String,
    pub status: String,
    pub status_key: &'static str,
    pub reason: String,
    pub submitted: String,
}

#[derive(Template)]
#[template(path = "registrations/mine.html")]
struct MinePage {
    b: Base,
    rows: Vec<MineRow>,
    just_submitted: bool,
    is_admin: bool,
}

#[derive(Deserialize)]
pub struct MineQuery {
    submitted: Option<String>,
}

pub async fn mine(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<Employer>,
    Query(q): Query<MineQuery>,
) -> Response {
    let listed = state.my_registrations(&user.user).await;
    let is_admin = user.user.role == Role::EmployerAdmin;
    let b = Base::new(lang, Some(user));
    let list = match listed {
        Ok(l) => l,
        Err(e) => return fail(b, e),
    };
    let rows = list
        .into_iter()
        .map(|r| MineRow {
            id: r.id,
            status_key: status_key(r.status),
            live: format!(
                "{} – {}",
                fmt_time(r.fair_starts_at),
                fmt_time(r.fair_ends_at)
            ),
            fair_title: r.fair_title,
            organizer: r.organizer_name,
            status: r.status.as_str().to_owned(),
            reason: r.reason.unwrap_or_default(),
            submitted: fmt_time(r.submitted_at),
        })
        .collect();
    render(&MinePage {
        b,
        rows,
        just_submitted: q.submitted.is_some(),
        is_admin,
    })
}

/// `/f/{code}/signup`: 去报名 from a fair's entry page.
pub async fn signup_from_entry(
    State(state): State<AppState>,
    Visitor { user, .. }: Visitor,
    Path(code): Path<String>,
) -> Response {
    let fair = match state.fair_by_code(&code).await {
        Ok(Some(f)) => f,
        _ => return Redirect::to(&format!("/f/{code}")).into_response(),
    };
    match user.map(|u| u.user.role) {
        Some(Role::EmployerAdmin) => {
            Redirect::to(&format!("/employer/fairs/{}/signup", fair.id)).into_response()
        }
        Some(_) => Redirect::to(&format!("/f/{code}")).into_response(),
        None => Redirect::to(&format!("/login?tab=password&next=/f/{code}/signup")).into_response(),
    }
}

// ---------------------------------------------------------------- staff review

pub struct StaffRow {
    pub id: i64,
    pub employer: String,
    pub fair_title: String,
    pub status_key: &'static str,
    pub submitted: String,
}

#[derive(Template)]
#[template(path = "registrations/staff_list.html")]
struct StaffListPage {
    b: Base,
    tab: String,
    rows: Vec<StaffRow>,
}

#[derive(Deserialize)]
pub struct TabQuery {
    status: Option<String>,
}

pub async fn staff_list(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<OrganizerStaff>,
    Query(q): Query<TabQuery>,
) -> Response {
    let tab = q
        .status
        .as_deref()
        .and_then(RegistrationStatus::parse)
        .unwrap_or(RegistrationStatus::Submitted);
    let listed = state.registrations_for_staff(&user.user, Some(tab)).await;
    let b = Base::new(lang, Some(user));
    let list = match listed {
        Ok(l) => l,
        Err(e) => return fail(b, e),
    };
    render(&StaffListPage {
        b,
        tab: tab.as_str().to_string(),
        rows: list
            .into_iter()
            .map(|r| StaffRow {
                id: r.id,
                status_key: status_key(r.status),
                employer: r.employer_name,
                fair_title: r.fair_title,
                submitted: fmt_time(r.submitted_at),
            })
            .collect(),
    })
}

pub struct ChangeRow {
    pub at: String,
    pub actor: String,
    pub action_key: &'static str,
    pub note: String,
    /// (field key, before, after)
    pub fields: Vec<(&'static str, String, String)>,
}

#[derive(Template)]
#[template(path = "registrations/staff_detail.html")]
struct StaffDetailPage {
    b: Base,
    id: i64,
    employer: String,
    fair_title: String,
    status: String,
    status_key: &'static str,
    reason: String,
    contact_name: String,
    contact_phone: String,
    positions: Vec<String>,
    interviewers: Vec<String>,
    brochure: String,
    submitted: String,
    changes: Vec<ChangeRow>,
    error: String,
    reject_reason: String,
}

fn field_key(f: &str) -> &'static str {
    match f {
        "positions" => "registration.positions",
        "interviewers" => "registration.interviewers",
        "contact_name" => "registration.contact_name",
        "contact_phone" => "registration.contact_phone",
        _ => "registration.brochure",
    }
}

async fn staff_detail_page(
    state: &AppState,
    lang: Lang,
    user: CurrentUser,
    id: i64,
    error: String,
    reject_reason: String,
) -> Response {
    let found = state.registration_for_staff(&user.user, id).await;
    let changes = state.registration_changes(&user.user, id).await;
    let b = Base::new(lang, Some(user));
    let (d, changes) = match (found, changes) {
        (Ok(d), Ok(c)) => (d, c),
        (Err(e), _) | (_, Err(e)) => return fail(b, e),
    };
    let changes = changes
        .iter()
        .map(|c| ChangeRow {
            at: fmt_time(c.at),
            actor: c.actor_name.clone(),
            action_key: match c.action.as_str() {
                "approved" => "registration.action_approved",
                "rejected" => "registration.action_rejected",
                _ => "registration.action_staff_edit",
            },
            note: c.note.clone(),
            fields: changed_fields(
                &super::api::snapshot(&c.before_json),
                &super::api::snapshot(&c.after_json),
            )
            .into_iter()
            .map(|(f, before, after)| (field_key(f), before, after))
            .collect(),
        })
        .collect();
    let status = d.registration.status;
    let page = StaffDetailPage {
        b,
        id,
        status_key: status_key(status),
        status: status.as_str().to_owned(),
        employer: d.listed.employer_name,
        fair_title: d.listed.fair_title,
        reason: d.registration.reason.unwrap_or_default(),
        contact_name: d.registration.contact_name,
        contact_phone: d.registration.contact_phone,
        positions: d.positions.into_iter().map(|(_, t)| t).collect(),
        interviewers: d.interviewers.into_iter().map(|(_, n)| n).collect(),
        brochure: d.brochure.unwrap_or_default(),
        submitted: fmt_time(d.registration.submitted_at),
        changes,
        error,
        reject_reason,
    };
    let code = if page.error.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    (code, render(&page)).into_response()
}

pub async fn staff_detail(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<OrganizerStaff>,
    Path(id): Path<i64>,
) -> Response {
    staff_detail_page(&state, lang, user, id, String::new(), String::new()).await
}

pub async fn staff_approve(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<OrganizerStaff>,
    Path(id): Path<i64>,
) -> Response {
    match state.approve_registration(&user.user, id).await {
        Ok(()) => Redirect::to(&format!("/staff/registrations/{id}")).into_response(),
        Err(e @ (AppError::NotFound | AppError::Forbidden | AppError::Internal(_))) => {
            fail(Base::new(lang, Some(user)), e)
        }
        Err(e) => {
            staff_detail_page(&state, lang, user, id, e.render(lang.into()), String::new()).await
        }
    }
}

#[derive(Deserialize)]
pub struct RejectForm {
    reason: String,
}

pub async fn staff_reject(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<OrganizerStaff>,
    Path(id): Path<i64>,
    axum::Form(form): axum::Form<RejectForm>,
) -> Response {
    match state
        .reject_registration(&user.user, id, &form.reason)
        .await
    {
        Ok(()) => Redirect::to(&format!("/staff/registrations/{id}")).into_response(),
        Err(e @ (AppError::NotFound | AppError::Forbidden | AppError::Internal(_))) => {
            fail(Base::new(lang, Some(user)), e)
        }
        Err(e) => {
            staff_detail_page(&state, lang, user, id, e.render(lang.into()), form.reason).await
        }
    }
}

fn staff_context(d: &RegistrationDetail, id: i64, b: &Base) -> FormContext {
    let approved = d.registration.status == RegistrationStatus::Approved;
    FormContext {
        fair_title: d.listed.fair_title.clone(),
        organizer: d.listed.organizer_name.clone(),
        employer_id: d.registration.employer_id,
        mode: "staff",
        action: format!("/staff/registrations/{id}/edit"),
        blocked: if approved {
            String::new()
        } else {
            b.t("registration.blocked_staff_not_approved").to_string()
        },
        blocked_link: format!("/staff/registrations/{id}"),
    }
}

pub async fn staff_edit_form(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<OrganizerStaff>,
    Path(id): Path<i64>,
) -> Response {
    show_form(state, lang, user, FormKind::Staff { id }).await
}

pub async fn staff_edit_submit(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<OrganizerStaff>,
    Path(id): Path<i64>,
    RawForm(body): RawForm,
) -> Response {
    submit_form(state, lang, user, FormKind::Staff { id }, &body).await
}
