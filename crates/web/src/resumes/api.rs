//! `/api/v1/resume…` (the student's own resume), `/api/v1/fairs/{fair_id}/entry` (报名进入会场)
//! and `/api/v1/employer/fairs/{id}/students/{student_id}/resume` (a resume seen by an employer).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use fairhall_app::AppError;
use fairhall_app::resumes::{EnterOutcome, EntryInput, LoadedResume};
use fairhall_domain::DomainError;
use fairhall_domain::resume::{
    AwardInput, BasicsInput, EducationInput, ExperienceInput, ProjectInput, Section, Suggestion,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::list_section;
use crate::AppState;
use crate::error::{ApiError, ApiErrorBody, JsonBody, PathParams, Rejection, UploadForm};
use crate::i18n::Lang;
use crate::openapi::{BodyRejected, Forbidden, Invalid, NotFound, Unauthorized};
use crate::session::CurrentUser;

// ---------------------------------------------------------------- the resume as JSON

#[derive(Debug, Serialize, ToSchema)]
pub struct BasicsView {
    pub name: Option<String>,
    /// `male` or `female`.
    pub gender: Option<String>,
    /// `YYYY-MM`.
    pub birth_month: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub school: Option<String>,
    pub college: Option<String>,
    pub major: Option<String>,
    /// `associate` (大专), `bachelor`, `master` or `doctor`.
    pub degree: Option<String>,
    pub graduation_year: Option<u16>,
    pub cities: Vec<String>,
    pub positions: Vec<String>,
    /// `negotiable` or a monthly range in thousands of yuan, `8-12`.
    pub salary: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EducationView {
    pub id: i64,
    pub school: String,
    pub major: String,
    pub degree: String,
    pub start: String,
    pub end: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExperienceView {
    pub id: i64,
    pub organisation: String,
    pub role: String,
    pub start: String,
    /// Null while still going on (至今).
    pub end: Option<String>,
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectView {
    pub id: i64,
    pub name: String,
    pub role: Option<String>,
    pub start: String,
    pub end: Option<String>,
    pub description: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AwardView {
    pub id: i64,
    pub name: String,
    pub date: String,
}

/// Something to add, with the percentage points it is worth.
#[derive(Debug, Serialize, ToSchema)]
pub struct MissingView {
    /// The item, e.g. `education`, `photo`, `school`.
    pub item: String,
    /// The section it belongs to, e.g. `basics`.
    pub section: String,
    pub weight: u8,
    /// What to do, in Chinese ("添加教育经历").
    pub todo: String,
}

impl From<&Suggestion> for MissingView {
    fn from(s: &Suggestion) -> Self {
        MissingView {
            item: serde_json::to_value(s.item)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            section: s.section.as_str().to_string(),
            weight: s.weight,
            todo: s.todo_zh.to_string(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SectionScoreView {
    pub section: String,
    pub earned: u8,
    pub max: u8,
    /// What is missing in this section, in Chinese.
    pub missing: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResumeJson {
    pub student_id: i64,
    /// The completeness score, 0–100.
    pub percent: u8,
    /// Every section's share of the score, in page order.
    pub sections: Vec<SectionScoreView>,
    pub basics: BasicsView,
    pub education: Vec<EducationView>,
    pub experience: Vec<ExperienceView>,
    pub projects: Vec<ProjectView>,
    pub skills: Vec<String>,
    pub awards: Vec<AwardView>,
    pub self_evaluation: String,
    /// `/files/{key}` of the photo.
    pub photo_url: Option<String>,
    /// `/files/{key}` of the PDF attachment.
    pub attachment_url: Option<String>,
    pub attachment_name: Option<String>,
    pub updated_at: Option<i64>,
}

impl From<&LoadedResume> for ResumeJson {
    fn from(l: &LoadedResume) -> Self {
        let r = &l.resume;
        let b = &r.basics;
        let c = l.completeness();
        ResumeJson {
            student_id: l.student_id,
            percent: c.percent,
            sections: c
                .sections
                .iter()
                .map(|s| SectionScoreView {
                    section: s.section.as_str().into(),
                    earned: s.earned,
                    max: s.max,
                    missing: s.missing.iter().map(|m| (*m).to_string()).collect(),
                })
                .collect(),
            basics: BasicsView {
                name: b.name.clone(),
                gender: b.gender.map(|g| g.as_str().into()),
                birth_month: b.birth_month.map(|m| m.to_string()),
                phone: b.phone.as_ref().map(|p| p.as_str().into()),
                email: b.email.as_ref().map(|e| e.as_str().into()),
                school: b.school.clone(),
                college: b.college.clone(),
                major: b.major.clone(),
                degree: b.degree.map(|d| d.as_str().into()),
                graduation_year: b.graduation_year,
                cities: b.intention.cities.clone(),
                positions: b.intention.positions.clone(),
                salary: b.intention.salary.map(|s| s.as_string()),
            },
            education: r
                .education
                .iter()
                .zip(&l.education_ids)
                .map(|(e, id)| EducationView {
                    id: *id,
                    school: e.school.clone(),
                    major: e.major.clone(),
                    degree: e.degree.as_str().into(),
                    start: e.start.to_string(),
                    end: e.end.to_string(),
                })
                .collect(),
            experience: r
                .experience
                .iter()
                .zip(&l.experience_ids)
                .map(|(e, id)| ExperienceView {
                    id: *id,
                    organisation: e.organisation.clone(),
                    role: e.role.clone(),
                    start: e.start.to_string(),
                    end: e.end.map(|m| m.to_string()),
                    description: e.description.clone(),
                })
                .collect(),
            projects: r
                .projects
                .iter()
                .zip(&l.project_ids)
                .map(|(p, id)| ProjectView {
                    id: *id,
                    name: p.name.clone(),
                    role: p.role.clone(),
                    start: p.start.to_string(),
                    end: p.end.map(|m| m.to_string()),
                    description: p.description.clone(),
                })
                .collect(),
            skills: r.skills.clone(),
            awards: r
                .awards
                .iter()
                .zip(&l.award_ids)
                .map(|(a, id)| AwardView {
                    id: *id,
                    name: a.name.clone(),
                    date: a.date.to_string(),
                })
                .collect(),
            self_evaluation: r.self_evaluation.clone(),
            photo_url: r.photo.as_ref().map(|k| format!("/files/{k}")),
            attachment_url: r.attachment.as_ref().map(|k| format!("/files/{k}")),
            attachment_name: l.attachment_name.clone(),
            updated_at: l.updated_at,
        }
    }
}

/// The signed-in student's resume with its completeness score.
#[utoipa::path(get, path = "/api/v1/resume", tag = "resumes",
    responses((status = 200, body = ResumeJson), Unauthorized, Forbidden))]
pub async fn get_resume(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<ResumeJson>, ApiError> {
    let l = state.my_resume(&user.user).await?;
    Ok(Json(ResumeJson::from(&l)))
}

/// The completeness after a save.
#[derive(Debug, Serialize, ToSchema)]
pub struct Saved {
    pub percent: u8,
}

async fn saved(state: &AppState, user: &CurrentUser) -> Result<Json<Saved>, ApiError> {
    let l = state.my_resume(&user.user).await?;
    Ok(Json(Saved {
        percent: l.completeness().percent,
    }))
}

// ---------------------------------------------------------------- sections

/// 基本信息. Every field may be left empty (it then counts as missing); what is given must be
/// valid, or nothing is saved.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct BasicsBody {
    pub name: String,
    /// `male`/`female` (or 男/女).
    pub gender: String,
    /// `YYYY-MM`.
    pub birth_month: String,
    pub phone: String,
    pub email: String,
    pub school: String,
    pub college: String,
    pub major: String,
    /// `associate`, `bachelor`, `master`, `doctor` (or 大专/本科/硕士/博士).
    pub degree: String,
    pub graduation_year: String,
    pub cities: Vec<String>,
    pub positions: Vec<String>,
    /// 面议/`negotiable`, or a range like `8K-12K`.
    pub salary: String,
}

/// Saves 基本信息 (student).
#[utoipa::path(put, path = "/api/v1/resume/basics", tag = "resumes", request_body = BasicsBody,
    responses((status = 200, body = Saved), Unauthorized, Forbidden, BodyRejected,
              (status = 422, description = "A field breaks a rule; nothing was saved", body = ApiErrorBody)))]
pub async fn save_basics(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(b): JsonBody<BasicsBody>,
) -> Result<Json<Saved>, ApiError> {
    let input = BasicsInput {
        name: b.name,
        gender: b.gender,
        birth_month: b.birth_month,
        phone: b.phone,
        email: b.email,
        school: b.school,
        college: b.college,
        major: b.major,
        degree: b.degree,
        graduation_year: b.graduation_year,
        cities: b.cities,
        positions: b.positions,
        salary: b.salary,
    };
    let percent = state.save_resume_basics(&user.user, &input).await?;
    Ok(Json(Saved { percent }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SkillsBody {
    /// Skills and certificates, e.g. `["CET-6", "Python"]`.
    pub skills: Vec<String>,
}

/// Saves 技能与证书, the whole list (student).
#[utoipa::path(put, path = "/api/v1/resume/skills", tag = "resumes", request_body = SkillsBody,
    responses((status = 200, body = Saved), Unauthorized, Forbidden, Invalid, BodyRejected))]
pub async fn save_skills(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(b): JsonBody<SkillsBody>,
) -> Result<Json<Saved>, ApiError> {
    let percent = state.save_resume_skills(&user.user, &b.skills).await?;
    Ok(Json(Saved { percent }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SelfEvaluationBody {
    pub self_evaluation: String,
}

/// Saves 自我评价 (student).
#[utoipa::path(put, path = "/api/v1/resume/self-evaluation", tag = "resumes",
    request_body = SelfEvaluationBody,
    responses((status = 200, body = Saved), Unauthorized, Forbidden, Invalid, BodyRejected))]
pub async fn save_self_evaluation(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(b): JsonBody<SelfEvaluationBody>,
) -> Result<Json<Saved>, ApiError> {
    let percent = state
        .save_self_evaluation(&user.user, &b.self_evaluation)
        .await?;
    Ok(Json(Saved { percent }))
}

/// An entry of a list section, sent as the section's own object: `EducationEntry` to
/// `education`, `ExperienceEntry` to `experience`, `ProjectEntry` to `projects`, `AwardEntry`
/// to `awards`. Months are `YYYY-MM`; an empty or absent `end` means 至今.
#[derive(Debug, ToSchema)]
#[serde(untagged)]
#[expect(dead_code, reason = "only documents the request body in OpenAPI")]
pub enum EntryBody {
    Education(EducationEntry),
    Experience(ExperienceEntry),
    Project(ProjectEntry),
    Award(AwardEntry),
}

/// 教育经历.
#[derive(Debug, ToSchema)]
#[expect(dead_code, reason = "only documents the request body in OpenAPI")]
pub struct EducationEntry {
    pub school: String,
    pub major: String,
    /// `associate`, `bachelor`, `master` or `doctor` (or 大专/本科/硕士/博士).
    pub degree: String,
    /// `YYYY-MM`.
    pub start: String,
    /// `YYYY-MM`; may lie in the future (the expected graduation).
    pub end: String,
}

/// 实习/工作经历.
#[derive(Debug, ToSchema)]
#[expect(dead_code, reason = "only documents the request body in OpenAPI")]
pub struct ExperienceEntry {
    pub organisation: String,
    pub role: String,
    /// `YYYY-MM`.
    pub start: String,
    /// `YYYY-MM`; empty or absent while still going on (至今).
    pub end: Option<String>,
    pub description: Option<String>,
}

/// 项目经历.
#[derive(Debug, ToSchema)]
#[expect(dead_code, reason = "only documents the request body in OpenAPI")]
pub struct ProjectEntry {
    pub name: String,
    pub role: Option<String>,
    /// `YYYY-MM`.
    pub start: String,
    /// `YYYY-MM`; empty or absent while still going on (至今).
    pub end: Option<String>,
    pub description: Option<String>,
}

/// 获奖经历.
#[derive(Debug, ToSchema)]
#[expect(dead_code, reason = "only documents the request body in OpenAPI")]
pub struct AwardEntry {
    pub name: String,
    /// `YYYY-MM`.
    pub date: String,
}

fn bad_json(e: serde_json::Error) -> ApiError {
    ApiError(AppError::Invalid(DomainError::new(
        "bad_json",
        "body",
        fairhall_domain::msg!("error.web.bad_json", detail = e.to_string()),
    )))
}

fn section_of(s: &str) -> Result<Section, ApiError> {
    list_section(s).ok_or(ApiError(AppError::NotFound))
}

fn entry_input(section: Section, body: serde_json::Value) -> Result<EntryInput, ApiError> {
    Ok(match section {
        Section::Education => {
            EntryInput::Education(serde_json::from_value::<EducationInput>(body).map_err(bad_json)?)
        }
        Section::Experience => EntryInput::Experience(
            serde_json::from_value::<ExperienceInput>(body).map_err(bad_json)?,
        ),
        Section::Projects => {
            EntryInput::Project(serde_json::from_value::<ProjectInput>(body).map_err(bad_json)?)
        }
        _ => EntryInput::Award(serde_json::from_value::<AwardInput>(body).map_err(bad_json)?),
    })
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedEntry {
    pub id: i64,
    pub percent: u8,
}

/// Adds an entry to `education`, `experience`, `projects` or `awards` (student).
#[utoipa::path(post, path = "/api/v1/resume/{section}", tag = "resumes",
    params(("section" = String, Path, description = "`education`, `experience`, `projects` or `awards`")),
    request_body = EntryBody,
    responses((status = 201, body = CreatedEntry), Unauthorized, Forbidden, NotFound, BodyRejected,
              (status = 422, description = "A field breaks a rule, or the section is full", body = ApiErrorBody)))]
pub async fn add_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(section): PathParams<String>,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> Result<(StatusCode, Json<CreatedEntry>), ApiError> {
    let input = entry_input(section_of(&section)?, body)?;
    let id = state.add_resume_entry(&user.user, &input).await?;
    let Json(Saved { percent }) = saved(&state, &user).await?;
    Ok((StatusCode::CREATED, Json(CreatedEntry { id, percent })))
}

/// Rewrites one entry of a list section (student; only their own).
#[utoipa::path(put, path = "/api/v1/resume/{section}/{id}", tag = "resumes",
    params(("section" = String, Path, description = "`education`, `experience`, `projects` or `awards`"),
           ("id" = i64, Path, description = "The entry's id")),
    request_body = EntryBody,
    responses((status = 200, body = Saved), Unauthorized, Forbidden, NotFound, Invalid, BodyRejected))]
pub async fn edit_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams((section, id)): PathParams<(String, i64)>,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> Result<Json<Saved>, ApiError> {
    let input = entry_input(section_of(&section)?, body)?;
    state.edit_resume_entry(&user.user, id, &input).await?;
    saved(&state, &user).await
}

/// Deletes one entry of a list section (student; only their own).
#[utoipa::path(delete, path = "/api/v1/resume/{section}/{id}", tag = "resumes",
    params(("section" = String, Path, description = "`education`, `experience`, `projects` or `awards`"),
           ("id" = i64, Path, description = "The entry's id")),
    responses((status = 200, body = Saved), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn delete_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams((section, id)): PathParams<(String, i64)>,
) -> Result<Json<Saved>, ApiError> {
    let section = section_of(&section)?;
    state.delete_resume_entry(&user.user, section, id).await?;
    saved(&state, &user).await
}

// ---------------------------------------------------------------- photo and attachment

/// The multipart form of a photo upload.
#[derive(ToSchema)]
#[expect(dead_code, reason = "only documents the multipart form in OpenAPI")]
pub struct PhotoForm {
    /// A PNG, JPEG or WebP image of at most 2 MB, judged by its content.
    #[schema(value_type = String, format = Binary)]
    pub photo: Vec<u8>,
}

/// The multipart form of an attachment upload.
#[derive(ToSchema)]
#[expect(dead_code, reason = "only documents the multipart form in OpenAPI")]
pub struct AttachmentForm {
    /// A PDF of at most 10 MB, judged by its content.
    #[schema(value_type = String, format = Binary)]
    pub attachment: Vec<u8>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UploadedFile {
    /// Where the file is served, `/files/{key}`.
    pub url: String,
    pub percent: u8,
}

fn file_required(field: &'static str) -> ApiError {
    ApiError(AppError::Invalid(DomainError::new(
        "file_required",
        field,
        fairhall_domain::msg!("error.web.file_required"),
    )))
}

/// Uploads 证件照, replacing the one before (student).
#[utoipa::path(post, path = "/api/v1/resume/photo", tag = "resumes",
    request_body(content = PhotoForm, content_type = "multipart/form-data"),
    responses((status = 201, body = UploadedFile), Unauthorized, Forbidden, BodyRejected,
              (status = 422, description = "Missing, empty, too large, or not an image", body = ApiErrorBody)))]
pub async fn upload_photo(
    State(state): State<AppState>,
    user: CurrentUser,
    form: UploadForm,
) -> Result<(StatusCode, Json<UploadedFile>), Rejection> {
    user.require(&[fairhall_domain::account::Role::Student])?;
    let (_, files) = form.read().await?;
    let part = files
        .into_iter()
        .find(|f| f.name == "photo")
        .ok_or_else(|| file_required("photo"))?;
    let file = state
        .upload_resume_photo(&user.user, part.bytes, &part.file_name)
        .await?;
    let Json(Saved { percent }) = saved(&state, &user).await?;
    Ok((
        StatusCode::CREATED,
        Json(UploadedFile {
            url: file.url(),
            percent,
        }),
    ))
}

/// Removes the photo (student).
#[utoipa::path(delete, path = "/api/v1/resume/photo", tag = "resumes",
    responses((status = 200, body = Saved), Unauthorized, Forbidden))]
pub async fn remove_photo(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Saved>, ApiError> {
    state.remove_resume_photo(&user.user).await?;
    saved(&state, &user).await
}

/// Uploads 附件简历 (a PDF), replacing the one before (student).
#[utoipa::path(post, path = "/api/v1/resume/attachment", tag = "resumes",
    request_body(content = AttachmentForm, content_type = "multipart/form-data"),
    responses((status = 201, body = UploadedFile), Unauthorized, Forbidden, BodyRejected,
              (status = 422, description = "Missing, empty, too large, or not a PDF", body = ApiErrorBody)))]
pub async fn upload_attachment(
    State(state): State<AppState>,
    user: CurrentUser,
    form: UploadForm,
) -> Result<(StatusCode, Json<UploadedFile>), Rejection> {
    user.require(&[fairhall_domain::account::Role::Student])?;
    let (_, files) = form.read().await?;
    let part = files
        .into_iter()
        .find(|f| f.name == "attachment")
        .ok_or_else(|| file_required("attachment"))?;
    let file = state
        .upload_resume_attachment(&user.user, part.bytes, &part.file_name)
        .await?;
    let Json(Saved { percent }) = saved(&state, &user).await?;
    Ok((
        StatusCode::CREATED,
        Json(UploadedFile {
            url: file.url(),
            percent,
        }),
    ))
}

/// Removes the PDF attachment (student).
#[utoipa::path(delete, path = "/api/v1/resume/attachment", tag = "resumes",
    responses((status = 200, body = Saved), Unauthorized, Forbidden))]
pub async fn remove_attachment(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Saved>, ApiError> {
    state.remove_resume_attachment(&user.user).await?;
    saved(&state, &user).await
}

// ---------------------------------------------------------------- fair entry

/// Where the student stands with a fair.
#[derive(Debug, Serialize, ToSchema)]
pub struct EntryStatusView {
    pub fair_id: i64,
    pub entered: bool,
    pub entered_at: Option<i64>,
    pub percent: u8,
    /// The fair's minimum completeness.
    pub threshold: u8,
    /// The least effort that reaches the threshold; empty when it is reached.
    pub missing: Vec<MissingView>,
    /// The employer list, once entered.
    pub venue_path: String,
}

/// The student's standing with a fair: entered or not, the score, what to add (student).
#[utoipa::path(get, path = "/api/v1/fairs/{fair_id}/entry", tag = "resumes",
    params(("fair_id" = i64, Path, description = "The fair's id")),
    responses((status = 200, body = EntryStatusView), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn entry_status(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(fair_id): PathParams<i64>,
) -> Result<Json<EntryStatusView>, ApiError> {
    let s = state.fair_entry_status(&user.user, fair_id).await?;
    Ok(Json(EntryStatusView {
        fair_id: s.fair.id,
        entered: s.entered.is_some(),
        entered_at: s.entered.as_ref().map(|e| e.entered_at),
        percent: s.percent,
        threshold: s.threshold,
        missing: s.missing.iter().map(MissingView::from).collect(),
        venue_path: format!("/f/{}/employers", s.fair.entry_code),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Entered {
    pub fair_id: i64,
    /// False when the student had entered before (nothing changed).
    pub first_time: bool,
    /// The completeness the student entered with.
    pub completeness: i64,
    pub entered_at: i64,
    pub venue_path: String,
}

/// The API's code for a refused entry: the resume is below the fair's threshold.
const BELOW_THRESHOLD: &str = "below_threshold";

/// The answer when the resume is below the fair's threshold.
#[derive(Debug, Serialize, ToSchema)]
pub struct BelowThreshold {
    /// `below_threshold`.
    pub code: String,
    pub message: String,
    pub percent: u8,
    pub threshold: u8,
    /// The least effort that reaches the threshold.
    pub missing: Vec<MissingView>,
}

/// 报名进入会场 (student). Refused below the fair's minimum completeness with the score and what
/// is missing; at or above it the student is entered. Entering again changes nothing.
#[utoipa::path(post, path = "/api/v1/fairs/{fair_id}/entry", tag = "resumes",
    params(("fair_id" = i64, Path, description = "The fair's id")),
    responses((status = 200, body = Entered), Unauthorized, Forbidden, NotFound,
              (status = 422, description = "Below the fair's threshold", body = BelowThreshold)))]
pub async fn enter(
    State(state): State<AppState>,
    lang: Lang,
    user: CurrentUser,
    PathParams(fair_id): PathParams<i64>,
) -> Result<Response, ApiError> {
    match state.enter_fair(&user.user, fair_id).await? {
        EnterOutcome::Entered { entry, first_time } => {
            let fair = state.fair(entry.fair_id).await?;
            Ok(Json(Entered {
                fair_id: entry.fair_id,
                first_time,
                completeness: entry.completeness,
                entered_at: entry.entered_at,
                venue_path: format!("/f/{}/employers", fair.entry_code),
            })
            .into_response())
        }
        EnterOutcome::Refused(r) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(BelowThreshold {
                code: BELOW_THRESHOLD.to_string(),
                message: r.message().render(lang.into()),
                percent: r.percent,
                threshold: r.threshold,
                missing: r.missing.iter().map(MissingView::from).collect(),
            }),
        )
            .into_response()),
    }
}

// ---------------------------------------------------------------- the employer's view

/// A student's resume (employer admin or interviewer), inside a fair where the employer's
/// registration is approved and the student entered; 404 otherwise.
#[utoipa::path(get, path = "/api/v1/employer/fairs/{id}/students/{student_id}/resume",
    tag = "resumes",
    params(("id" = i64, Path, description = "The fair's id"),
           ("student_id" = i64, Path, description = "The student's user id")),
    responses((status = 200, body = ResumeJson), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn employer_resume(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams((fair_id, student_id)): PathParams<(i64, i64)>,
) -> Result<Json<ResumeJson>, ApiError> {
    let l = state
        .resume_for_employer(&user.user, fair_id, student_id)
        .await?;
    Ok(Json(ResumeJson::from(&l)))
}
