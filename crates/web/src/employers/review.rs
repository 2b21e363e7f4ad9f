//! Organizer staff review employers' join requests (入驻审核): the queue, with the 24-hour
//! deadline and overdue requests first, and one request with approve / reject.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use fairhall_app::AppError;
use fairhall_app::employers::JoinQueueItem;
use fairhall_domain::review::JoinStatus;
use serde::Deserialize;

use super::{Errors, fail, size_key, status_key};
use crate::AppState;
use crate::error::{log_if_internal, status_of};
use crate::guard::{OrganizerStaff, SignedIn};
use crate::pages::{Base, fmt_time, render};
use crate::session::CurrentUser;

const HOUR_MS: i64 = 3_600_000;

pub struct QueueRow {
    pub id: i64,
    pub employer: String,
    pub credit_code: String,
    pub industry: String,
    pub city: String,
    pub contact: String,
    pub submitted: String,
    pub deadline: String,
    /// Whole hours since submission.
    pub waited_hours: i64,
    pub overdue: bool,
    pub reviewed: String,
    pub reason: String,
    pub has_licence: bool,
}

fn text(o: &Option<String>) -> String {
    o.clone().unwrap_or_default()
}

fn row(i: &JoinQueueItem, now: i64) -> QueueRow {
    let e = &i.employer;
    QueueRow {
        id: i.request.id,
        employer: e.name.clone(),
        credit_code: text(&e.credit_code),
        industry: text(&e.industry),
        city: text(&e.city),
        contact: format!("{} {}", text(&e.contact_name), text(&e.contact_phone))
            .trim()
            .to_string(),
        submitted: fmt_time(i.request.submitted_at),
        deadline: fmt_time(i.deadline),
        waited_hours: (now - i.request.submitted_at).max(0) / HOUR_MS,
        overdue: i.overdue,
        reviewed: i.request.reviewed_at.map(fmt_time).unwrap_or_default(),
        reason: text(&i.request.reason),
        has_licence: e.licence_key.is_some(),
    }
}

#[derive(Template)]
#[template(path = "employers/join_queue.html")]
pub struct QueuePage {
    b: Base,
    /// `pending`, `approved` or `rejected`.
    tab: &'static str,
    rows: Vec<QueueRow>,
    overdue_count: usize,
    notice_key: &'static str,
}

#[derive(Deserialize)]
pub struct QueueQuery {
    tab: Option<String>,
    done: Option<String>,
}

pub async fn queue_page(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<OrganizerStaff>,
    Query(q): Query<QueueQuery>,
) -> Response {
    let status = q
        .tab
        .as_deref()
        .and_then(JoinStatus::parse)
        .unwrap_or(JoinStatus::Pending);
    let b = Base::new(lang, Some(user.clone()));
    let items = match state.join_queue(&user.user, status).await {
        Ok(items) => items,
        Err(e) => return fail(b, e),
    };
    let now = fairhall_app::now_ms();
    let rows: Vec<QueueRow> = items.iter().map(|i| row(i, now)).collect();
    render(&QueuePage {
        b,
        tab: status.as_str(),
        overdue_count: rows.iter().filter(|r| r.overdue).count(),
        rows,
        notice_key: match q.done.as_deref() {
            Some("approved") => "employers.review.approved_notice",
            Some("rejected") => "employers.review.rejected_notice",
            _ => "",
        },
    })
}

#[derive(Template)]
#[template(path = "employers/join_review.html")]
pub struct DetailPage {
    b: Base,
    r: QueueRow,
    status: &'static str,
    status_key: &'static str,
    size_key: &'static str,
    contact_name: String,
    contact_phone: String,
    contact_email: String,
    address: String,
    description: String,
    logo_url: String,
    licence_url: String,
    /// The reason typed into the reject form, kept when it is refused.
    reason_typed: String,
    errs: Errors,
}

async fn detail(
    state: &AppState,
    b: Base,
    user: &CurrentUser,
    id: i64,
) -> Result<DetailPage, Response> {
    let item = match state.join_request_for_staff(&user.user, id).await {
        Ok(i) => i,
        Err(e) => return Err(fail(b, e)),
    };
    let r = row(&item, fairhall_app::now_ms());
    let e = item.employer;
    Ok(DetailPage {
        b,
        r,
        status: item.request.status.as_str(),
        status_key: status_key(Some(item.request.status)),
        size_key: size_key(e.size.as_deref().unwrap_or_default()),
        contact_name: text(&e.contact_name),
        contact_phone: text(&e.contact_phone),
        contact_email: text(&e.contact_email),
        address: text(&e.address),
        description: text(&e.description),
        logo_url: e
            .logo_key
            .map(|k| format!("/files/{k}"))
            .unwrap_or_default(),
        licence_url: e
            .licence_key
            .map(|k| format!("/files/{k}"))
            .unwrap_or_default(),
        reason_typed: String::new(),
        errs: Errors::default(),
    })
}

pub async fn detail_page(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<OrganizerStaff>,
    Path(id): Path<i64>,
) -> Response {
    let b = Base::new(lang, Some(user.clone()));
    match detail(&state, b, &user, id).await {
        Ok(page) => render(&page),
        Err(r) => r,
    }
}

/// The request's page again, with the refusal beside the reason or on top.
async fn refused(
    state: &AppState,
    b: Base,
    user: &CurrentUser,
    id: i64,
    e: AppError,
    reason_typed: String,
) -> Response {
    log_if_internal(&e);
    match detail(state, b, user, id).await {
        Ok(mut page) => {
            page.errs = Errors::from_app(page.b.tr.lang, &e, &["reason"]);
            page.reason_typed = reason_typed;
            (status_of(&e), render(&page)).into_response()
        }
        Err(r) => r,
    }
}

pub async fn approve(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<OrganizerStaff>,
    Path(id): Path<i64>,
) -> Response {
    match state.approve_join_request(&user.user, id).await {
        Ok(_) => Redirect::to("/staff/join-requests?done=approved").into_response(),
        Err(e) => {
            let b = Base::new(lang, Some(user.clone()));
            refused(&state, b, &user, id, e, String::new()).await
        }
    }
}

#[derive(Deserialize)]
pub struct RejectForm {
    #[serde(default)]
    reason: String,
}

pub async fn reject(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<OrganizerStaff>,
    Path(id): Path<i64>,
    Form(form): Form<RejectForm>,
) -> Response {
    match state
        .reject_join_request(&user.user, id, &form.reason)
        .await
    {
        Ok(_) => Redirect::to("/staff/join-requests?done=rejected").into_response(),
        Err(e) => {
            let b = Base::new(lang, Some(user.clone()));
            refused(&state, b, &user, id, e, form.reason).await
        }
    }
}
