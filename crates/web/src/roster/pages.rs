//! The roster pages: staff import at `/staff/roster`, student matching at `/roster-match`.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use fairhall_app::AppError;
use fairhall_app::roster::{ImportReport, MatchInput};
use fairhall_domain::DomainError;
use fairhall_domain::roster::Column;
use serde::Deserialize;
use tower_sessions::Session;

use crate::AppState;
use crate::auth::safe_next;
use crate::error::{ApiError, fail, status_of};
use crate::files::read_multipart;
use crate::guard::{OrganizerStaff, SignedIn, Visitor};
use crate::i18n::Lang;
use crate::pages::{Base, fmt_time, render};
use crate::session::{ClientIp, ensure_csrf_token, sign_in};

/// Rows of a successful import the page lists; the API lists them all.
const SHOWN_ROWS: usize = 200;

// ---------------------------------------------------------------- staff: import

pub struct ColumnRow {
    pub key: String,
    pub header: &'static str,
    pub required: bool,
}

pub struct ImportRow {
    pub at: String,
    pub file_name: String,
    pub uploaded_by: String,
    pub total: i64,
    pub inserted: i64,
    pub updated: i64,
}

pub struct ProblemRow {
    pub line: usize,
    pub column_key: String,
    pub message: String,
}

pub struct AcceptedRowView {
    pub line: usize,
    pub school: String,
    pub student_number: String,
    pub name: String,
    pub id_masked: String,
    pub action_key: &'static str,
}

/// The report of the import just made.
pub struct ReportView {
    pub file_name: String,
    pub imported: bool,
    pub rows_total: usize,
    pub inserted: i64,
    pub updated: i64,
    pub problems_total: usize,
    pub problems: Vec<ProblemRow>,
    pub accepted: Vec<AcceptedRowView>,
    /// Accepted rows not listed on the page.
    pub more: usize,
}

impl ReportView {
    fn new(r: &ImportReport, lang: Lang) -> Self {
        Self {
            file_name: r.file_name.clone(),
            imported: r.imported,
            rows_total: r.rows_total,
            inserted: r.inserted,
            updated: r.updated,
            problems_total: r.problems_total,
            problems: r
                .problems
                .iter()
                .map(|p| ProblemRow {
                    line: p.line,
                    column_key: format!("roster.col_{}", p.field),
                    message: p.message.render(lang.into()),
                })
                .collect(),
            accepted: r
                .accepted
                .iter()
                .take(SHOWN_ROWS)
                .map(|a| AcceptedRowView {
                    line: a.line,
                    school: a.school.clone(),
                    student_number: a.student_number.clone(),
                    name: a.name.clone(),
                    id_masked: a.id_masked.clone(),
                    action_key: match (r.imported, a.created) {
                        (false, _) => "roster.action_checked",
                        (true, true) => "roster.action_inserted",
                        (true, false) => "roster.action_updated",
                    },
                })
                .collect(),
            more: r.accepted.len().saturating_sub(SHOWN_ROWS),
        }
    }
}

#[derive(Template)]
#[template(path = "roster/staff.html")]
struct StaffPage {
    b: Base,
    entries: i64,
    matched: i64,
    columns: Vec<ColumnRow>,
    imports: Vec<ImportRow>,
    report: Option<ReportView>,
    file_error: String,
}

async fn staff_page(
    state: &AppState,
    b: Base,
    report: Option<ReportView>,
    file_error: String,
) -> Response {
    let user = match &b.user {
        Some(u) => u.user.clone(),
        None => return fail(b, AppError::Forbidden),
    };
    let overview = match state.roster_overview(&user).await {
        Ok(o) => o,
        Err(e) => return fail(b, e),
    };
    render(&StaffPage {
        b,
        entries: overview.entries,
        matched: overview.matched,
        columns: Column::ALL
            .iter()
            .map(|c| ColumnRow {
                key: format!("roster.col_{}", c.as_str()),
                header: c.label_zh(),
                required: c.is_required(),
            })
            .collect(),
        imports: overview
            .imports
            .into_iter()
            .map(|i| ImportRow {
                at: fmt_time(i.created_at),
                file_name: i.file_name,
                uploaded_by: i.uploaded_by_name,
                total: i.rows_total,
                inserted: i.rows_inserted,
                updated: i.rows_updated,
            })
            .collect(),
        report,
        file_error,
    })
}

pub async fn staff(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<OrganizerStaff>,
) -> Response {
    staff_page(&state, Base::new(lang, Some(user)), None, String::new()).await
}

pub async fn staff_import(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<OrganizerStaff>,
    multipart: Multipart,
) -> Response {
    let b = Base::new(lang, Some(user.clone()));
    let file = match read_multipart(multipart).await {
        Ok((_, files)) => files.into_iter().find(|f| f.name == "file"),
        Err(ApiError(e)) => return file_failed(&state, b, &e).await,
    };
    let Some(file) = file else {
        let e = AppError::from(DomainError::new(
            "file_required",
            "file",
            fairhall_domain::msg!("error.web.roster_file_required"),
        ));
        return file_failed(&state, b, &e).await;
    };
    match state
        .import_roster(&user.user, &file.file_name, file.bytes)
        .await
    {
        Ok(report) => {
            let status = if report.imported {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let page = staff_page(
                &state,
                b,
                Some(ReportView::new(&report, lang)),
                String::new(),
            )
            .await;
            (status, page).into_response()
        }
        Err(e @ AppError::Invalid(_)) => file_failed(&state, b, &e).await,
        Err(e) => fail(b, e),
    }
}

/// The page again, with why the file could not be read beside the file field.
async fn file_failed(state: &AppState, b: Base, e: &AppError) -> Response {
    let error = b.tr.err(e);
    let page = staff_page(state, b, None, error).await;
    (status_of(e), page).into_response()
}

pub async fn template(_staff: SignedIn<OrganizerStaff>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"roster-template.csv\"",
            ),
        ],
        super::template_csv(),
    )
        .into_response()
}

// ---------------------------------------------------------------- students: 云就业匹配

#[derive(Template)]
#[template(path = "roster/match.html")]
struct MatchPage {
    b: Base,
    next: String,
    school: String,
    student_number: String,
    name: String,
    id_tail: String,
    error_field: String,
    error: String,
    /// The error is a failed match: offer phone sign-up beside it.
    no_match: bool,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn match_form(
    lang: Lang,
    session: Session,
    Visitor { user, .. }: Visitor,
    Query(q): Query<NextQuery>,
) -> Response {
    let next = safe_next(q.next.as_deref());
    if user.is_some() {
        return Redirect::to(&next).into_response();
    }
    let mut b = Base::new(lang, None);
    b.csrf = match ensure_csrf_token(&session).await {
        Ok(t) => t,
        Err(e) => return fail(b, e),
    };
    render(&MatchPage {
        b,
        next,
        school: String::new(),
        student_number: String::new(),
        name: String::new(),
        id_tail: String::new(),
        error_field: String::new(),
        error: String::new(),
        no_match: false,
    })
}

#[derive(Deserialize)]
pub struct MatchForm {
    #[serde(default)]
    school: String,
    #[serde(default)]
    student_number: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    id_tail: String,
    consent: Option<String>,
    next: Option<String>,
}

pub async fn match_submit(
    State(state): State<AppState>,
    lang: Lang,
    session: Session,
    ClientIp(ip): ClientIp,
    Form(form): Form<MatchForm>,
) -> Response {
    let next = safe_next(form.next.as_deref());
    let input = MatchInput {
        school: form.school,
        student_number: form.student_number,
        name: form.name,
        id_tail: form.id_tail,
    };
    let e = match state
        .sign_in_with_roster(&input, form.consent.is_some(), ip)
        .await
    {
        Ok((user, _)) => {
            return match sign_in(&session, &user).await {
                Ok(_) => Redirect::to(&next).into_response(),
                Err(e) => fail(Base::new(lang, None), e),
            };
        }
        Err(e) => e,
    };
    if matches!(e, AppError::Internal(_)) {
        return fail(Base::new(lang, None), e);
    }
    let mut b = Base::new(lang, None);
    b.csrf = match ensure_csrf_token(&session).await {
        Ok(t) => t,
        Err(e) => return fail(b, e),
    };
    let page = MatchPage {
        b,
        next,
        school: input.school,
        student_number: input.student_number,
        name: input.name,
        id_tail: input.id_tail,
        error_field: e.field().unwrap_or("form").to_string(),
        error: e.render(lang.into()),
        no_match: e.code() == "roster_no_match",
    };
    (status_of(&e), render(&page)).into_response()
}
