//! `/api/v1/staff/roster` (import, overview) and `/api/v1/auth/roster-match`.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use fairhall_app::roster::{ImportReport, MatchInput, RosterOverview};
use fairhall_domain::DomainError;
use fairhall_domain::account::Role;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::api::SessionView;
use crate::error::{ApiError, ApiErrorBody, JsonBody, Rejection, UploadForm};
use crate::i18n::Lang;
use crate::openapi::{BodyRejected, Forbidden, Unauthorized};
use crate::session::{ClientIp, CurrentUser, sign_in};

/// One refused row.
#[derive(Debug, Serialize, ToSchema)]
pub struct RowProblemView {
    /// Line (CSV) or row (spreadsheet) number; the header is line 1.
    pub line: usize,
    /// The column: `student_number`, `name`, `id_number`, `school`, `college`, `major`,
    /// `degree`, `graduation_year` or `phone`.
    pub field: String,
    pub code: String,
    /// `第 3 行：身份证号校验位不正确，请核对`.
    pub message: String,
}

/// One accepted row. The ID number is shown masked only.
#[derive(Debug, Serialize, ToSchema)]
pub struct AcceptedRowView {
    pub line: usize,
    pub school: String,
    pub student_number: String,
    pub name: String,
    /// `110***********002X`.
    pub id_masked: String,
    /// `inserted`, `updated`, or `checked` (the row is fine, but the file was refused).
    pub action: String,
}

/// The row-by-row report of an import.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReportView {
    pub file_name: String,
    pub rows_total: usize,
    /// False when any row was refused; then nothing was imported.
    pub imported: bool,
    pub inserted: i64,
    pub updated: i64,
    pub accepted: Vec<AcceptedRowView>,
    /// At most 500, in line order; `problems_total` counts them all.
    pub problems: Vec<RowProblemView>,
    pub problems_total: usize,
}

impl ImportReportView {
    /// The report, its messages in `lang`.
    pub fn new(r: &ImportReport, lang: Lang) -> Self {
        Self {
            file_name: r.file_name.clone(),
            rows_total: r.rows_total,
            imported: r.imported,
            inserted: r.inserted,
            updated: r.updated,
            accepted: r
                .accepted
                .iter()
                .map(|a| AcceptedRowView {
                    line: a.line,
                    school: a.school.clone(),
                    student_number: a.student_number.clone(),
                    name: a.name.clone(),
                    id_masked: a.id_masked.clone(),
                    action: match (r.imported, a.created) {
                        (false, _) => "checked",
                        (true, true) => "inserted",
                        (true, false) => "updated",
                    }
                    .into(),
                })
                .collect(),
            problems: r
                .problems
                .iter()
                .map(|p| RowProblemView {
                    line: p.line,
                    field: p.field.into(),
                    code: p.code.into(),
                    message: p.message.render(lang.into()),
                })
                .collect(),
            problems_total: r.problems_total,
        }
    }
}

/// A refused import (422): nothing was imported. `invalid_rows` (some rows were refused)
/// carries the row-by-row `report`; a file that could not be read (`file_required`,
/// `bad_upload`) has none.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportRefusedBody {
    /// `invalid_rows`, `file_required` or `bad_upload`.
    pub code: String,
    pub message: String,
    /// `file`.
    pub field: String,
    /// With `invalid_rows` only.
    #[schema(required = false)]
    pub report: ImportReportView,
}

/// The message for a refused file.
pub fn refused_message(r: &ImportReport, lang: Lang) -> String {
    fairhall_domain::msg!("error.web.roster_rows_refused", count = r.problems_total)
        .render(lang.into())
}

/// The roster upload form.
#[derive(Debug, ToSchema)]
#[expect(dead_code, reason = "only documents the multipart form in OpenAPI")]
pub struct RosterFileForm {
    /// CSV (UTF-8 or GBK) or Excel (.xlsx); the first row is the header.
    #[schema(value_type = String, format = Binary)]
    pub file: Vec<u8>,
}

/// Import a roster (organizer staff): all rows or, if any row is bad, none.
#[utoipa::path(post, path = "/api/v1/staff/roster", tag = "roster",
    request_body(content = RosterFileForm, content_type = "multipart/form-data"),
    responses((status = 200, description = "Imported", body = ImportReportView), Unauthorized, Forbidden, BodyRejected,
              (status = 422, description = "Nothing was imported: some rows were refused (`invalid_rows`, with the report), or the file could not be read", body = ImportRefusedBody)))]
pub async fn import(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    form: UploadForm,
) -> Result<Response, Rejection> {
    user.require(&[Role::OrganizerStaff])?;
    let (_, files) = form.read().await?;
    let file = files
        .into_iter()
        .find(|f| f.name == "file")
        .ok_or_else(|| {
            ApiError::from(DomainError::new(
                "file_required",
                "file",
                fairhall_domain::msg!("error.web.roster_file_required"),
            ))
        })?;
    let report = state
        .import_roster(&user.user, &file.file_name, file.bytes)
        .await?;
    let view = ImportReportView::new(&report, lang);
    if report.imported {
        return Ok(Json(view).into_response());
    }
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        Json(ImportRefusedBody {
            code: "invalid_rows".into(),
            message: refused_message(&report, lang),
            field: "file".into(),
            report: view,
        }),
    )
        .into_response())
}

/// One import in the history.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportView {
    pub id: i64,
    pub file_name: String,
    pub uploaded_by: String,
    pub rows_total: i64,
    pub rows_inserted: i64,
    pub rows_updated: i64,
    pub created_at: i64,
}

/// The organizer's roster: its size and the latest imports.
#[derive(Debug, Serialize, ToSchema)]
pub struct RosterView {
    /// Students on the roster.
    pub entries: i64,
    /// Of them, those who signed in by roster match.
    pub matched: i64,
    /// The latest 20 imports, newest first.
    pub imports: Vec<ImportView>,
}

impl From<RosterOverview> for RosterView {
    fn from(o: RosterOverview) -> Self {
        Self {
            entries: o.entries,
            matched: o.matched,
            imports: o
                .imports
                .into_iter()
                .map(|i| ImportView {
                    id: i.id,
                    file_name: i.file_name,
                    uploaded_by: i.uploaded_by_name,
                    rows_total: i.rows_total,
                    rows_inserted: i.rows_inserted,
                    rows_updated: i.rows_updated,
                    created_at: i.created_at,
                })
                .collect(),
        }
    }
}

/// The staff member's organizer's roster (organizer staff).
#[utoipa::path(get, path = "/api/v1/staff/roster", tag = "roster",
    responses((status = 200, body = RosterView), Unauthorized, Forbidden))]
pub async fn overview(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<RosterView>, ApiError> {
    Ok(Json(state.roster_overview(&user.user).await?.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RosterMatchBody {
    pub school: String,
    pub student_number: String,
    pub name: String,
    /// The last six characters of the ID number (the whole number is accepted too).
    pub id_tail: String,
    /// The student accepts the privacy notice; required.
    #[serde(default)]
    pub accept_privacy: bool,
}

/// 云就业匹配: sign a student in by school, student number, name and the ID number's last six
/// characters, as the organizer's roster has them. Creates the account on first match.
#[utoipa::path(post, path = "/api/v1/auth/roster-match", tag = "auth",
    request_body = RosterMatchBody,
    responses((status = 200, body = SessionView), BodyRejected,
              (status = 422, description = "No match (`roster_no_match`), or invalid input", body = ApiErrorBody),
              (status = 429, description = "Too many attempts", body = ApiErrorBody)))]
pub async fn roster_match(
    State(state): State<AppState>,
    session: Session,
    ClientIp(ip): ClientIp,
    JsonBody(body): JsonBody<RosterMatchBody>,
) -> Result<Json<SessionView>, ApiError> {
    let input = MatchInput {
        school: body.school,
        student_number: body.student_number,
        name: body.name,
        id_tail: body.id_tail,
    };
    let (user, created) = state
        .sign_in_with_roster(&input, body.accept_privacy, ip)
        .await?;
    let csrf_token = sign_in(&session, &user).await?;
    Ok(Json(SessionView {
        user: (&user).into(),
        csrf_token,
        created,
    }))
}
