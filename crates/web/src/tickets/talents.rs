//! `GET /api/v1/employer/registrations/{id}/talents`: the talent hall (求职者大厅) as JSON, for
//! the hosts of an approved registration, with the same filters and pages as the HTML page.

use axum::Json;
use axum::extract::State;
use fairhall_app::talents::{TALENT_PAGE_SIZE, TalentPage, TalentQuery};
use fairhall_domain::DomainError;
use fairhall_domain::resume::Degree;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::error::{ApiError, ApiErrorBody, PathParams, QueryParams};
use crate::openapi::{Invalid, Unauthorized};
use crate::session::CurrentUser;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct TalentListQuery {
    /// Part of the school's name.
    pub school: String,
    /// Part of the major.
    pub major: String,
    /// `associate`, `bachelor`, `master` or `doctor` (or 大专, 本科, 硕士, 博士).
    pub degree: String,
    pub graduation_year: Option<i64>,
    /// Matched against name, school, major, skills and intended positions.
    pub q: String,
    /// From 1; 20 students a page.
    pub page: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TalentView {
    pub student_id: i64,
    pub name: String,
    pub school: Option<String>,
    pub major: Option<String>,
    pub degree: Option<String>,
    pub graduation_year: Option<i64>,
    pub intended_positions: Option<String>,
    pub skills: Option<String>,
    /// The resume's completeness when the student entered, in percent.
    pub completeness: i64,
    pub entered_at: i64,
    /// The registration's latest ticket with this student, if any.
    pub ticket_id: Option<i64>,
    /// That ticket's status (`pending`, `queued`, `in_call`, `done`, …).
    pub ticket_status: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TalentListView {
    pub fair_id: i64,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub page_size: i64,
    pub items: Vec<TalentView>,
}

impl From<TalentPage> for TalentListView {
    fn from(p: TalentPage) -> Self {
        TalentListView {
            fair_id: p.fair_id,
            total: p.total,
            page: p.page,
            pages: p.pages,
            page_size: TALENT_PAGE_SIZE,
            items: p
                .items
                .into_iter()
                .map(|t| TalentView {
                    student_id: t.student_id,
                    name: t.name,
                    school: t.school,
                    major: t.major,
                    degree: t.degree,
                    graduation_year: t.graduation_year,
                    intended_positions: t.intended_positions,
                    skills: t.skills,
                    completeness: t.completeness,
                    entered_at: t.entered_at,
                    ticket_id: t.ticket_id,
                    ticket_status: t.ticket_status.map(|s| s.as_str().into()),
                })
                .collect(),
        }
    }
}

fn bad_query(message: fairhall_domain::Message) -> ApiError {
    ApiError::from(DomainError::new("bad_query", "query", message))
}

/// 求职者大厅: every student who entered the registration's fair, filtered and paged, each with
/// the registration's latest ticket with them.
#[utoipa::path(get, path = "/api/v1/employer/registrations/{id}/talents", tag = "tickets",
    params(("id" = i64, Path, description = "The employer's registration"), TalentListQuery),
    responses((status = 200, body = TalentListView), Unauthorized, Invalid,
              (status = 403, description = "Not a host of the employer, or `not_chosen_interviewer`", body = ApiErrorBody),
              (status = 404, description = "Not the caller's registration, or not approved", body = ApiErrorBody)))]
pub async fn talents(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
    QueryParams(q): QueryParams<TalentListQuery>,
) -> Result<Json<TalentListView>, ApiError> {
    let degree = match q.degree.trim() {
        "" => String::new(),
        d => Degree::from_text(d)
            .map(|x| x.as_str().to_string())
            .ok_or_else(|| bad_query(fairhall_domain::msg!("error.web.bad_degree", degree = d)))?,
    };
    let hall = state.hall_context(&user.user, id).await?;
    let query = TalentQuery {
        school: q.school.trim().to_string(),
        major: q.major.trim().to_string(),
        degree,
        graduation_year: q.graduation_year,
        q: q.q.trim().to_string(),
        page: q.page.unwrap_or(1),
    };
    Ok(Json(state.talents(&hall, &query).await?.into()))
}
