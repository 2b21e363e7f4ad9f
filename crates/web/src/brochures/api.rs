//! `/api/v1/employer/brochures`: the employer's brochures as JSON.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use fairhall_app::brochures::{Brochure, BrochureInput, SavedBrochure};
use fairhall_domain::DomainError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{BlockView, blocks_for};
use crate::AppState;
use crate::error::{ApiError, JsonBody, PathParams, Rejection, UploadForm};
use crate::openapi::{BodyRejected, Forbidden, Invalid, NotFound, Unauthorized};
use crate::session::CurrentUser;

/// A brochure in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct BrochureSummary {
    pub id: i64,
    pub title: String,
    pub usage_notes: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A brochure with its normalised content and that content split into paragraphs.
#[derive(Debug, Serialize, ToSchema)]
pub struct BrochureView {
    pub id: i64,
    pub title: String,
    pub usage_notes: String,
    /// Normalised plain text: paragraphs one blank line apart, images as
    /// `[[image:/files/…]]` lines.
    pub content: String,
    pub blocks: Vec<BlockView>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<Brochure> for BrochureView {
    fn from(b: Brochure) -> Self {
        BrochureView {
            id: b.id,
            blocks: blocks_for(&b.content),
            title: b.title,
            usage_notes: b.usage_notes,
            content: b.content,
            created_at: b.created_at,
            updated_at: b.updated_at,
        }
    }
}

/// A saved brochure and what normalising its content did.
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedBrochureView {
    pub brochure: BrochureView,
    /// The stored content differs from what was sent (indents, blank lines, markup removed).
    pub content_changed: bool,
    /// A pasted table was flattened into lines: upload it as a screenshot instead.
    pub flattened_table: bool,
    /// Pasted images that were not uploaded here and were removed.
    pub dropped_images: usize,
}

impl From<SavedBrochure> for SavedBrochureView {
    fn from(s: SavedBrochure) -> Self {
        SavedBrochureView {
            brochure: s.brochure.into(),
            content_changed: s.content_changed,
            flattened_table: s.flattened_table,
            dropped_images: s.dropped_images,
        }
    }
}

/// A brochure as written by the employer. `content` may be pasted text or HTML; it is
/// normalised on save.
#[derive(Debug, Deserialize, ToSchema)]
pub struct BrochureBody {
    pub title: String,
    #[serde(default)]
    pub usage_notes: String,
    pub content: String,
}

impl BrochureBody {
    fn input(&self) -> BrochureInput<'_> {
        BrochureInput {
            title: &self.title,
            usage_notes: &self.usage_notes,
            content: &self.content,
        }
    }
}

/// The multipart form of an image upload.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct BrochureImageForm {
    /// A PNG, JPEG or WebP image of at most 5 MB, judged by its content.
    #[schema(value_type = String, format = Binary)]
    pub image: Vec<u8>,
}

/// An uploaded brochure image.
#[derive(Debug, Serialize, ToSchema)]
pub struct UploadedImage {
    /// Where the image is served, e.g. `/files/3f…a1.png`.
    pub url: String,
    /// The line to put into the content where the image should appear.
    pub marker: String,
}

/// The brochures of the signed-in user's employer (employer admin or interviewer), most
/// recently changed first.
#[utoipa::path(get, path = "/api/v1/employer/brochures", tag = "brochures",
    responses((status = 200, body = [BrochureSummary]), Unauthorized, Forbidden))]
pub async fn list_brochures(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<BrochureSummary>>, ApiError> {
    let items = state
        .brochures_for_employer(&user.user)
        .await?
        .into_iter()
        .map(|b| BrochureSummary {
            id: b.id,
            title: b.title,
            usage_notes: b.usage_notes,
            created_at: b.created_at,
            updated_at: b.updated_at,
        })
        .collect();
    Ok(Json(items))
}

/// Creates a brochure (employer admin). The content is normalised before it is stored.
#[utoipa::path(post, path = "/api/v1/employer/brochures", tag = "brochures",
    request_body = BrochureBody,
    responses((status = 201, body = SavedBrochureView), Unauthorized, Forbidden, Invalid, BodyRejected))]
pub async fn create_brochure(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<BrochureBody>,
) -> Result<(StatusCode, Json<SavedBrochureView>), ApiError> {
    let saved = state.create_brochure(&user.user, body.input()).await?;
    Ok((StatusCode::CREATED, Json(saved.into())))
}

/// One brochure of the signed-in user's employer.
#[utoipa::path(get, path = "/api/v1/employer/brochures/{id}", tag = "brochures",
    params(("id" = i64, Path, description = "The brochure's id")),
    responses((status = 200, body = BrochureView), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn get_brochure(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
) -> Result<Json<BrochureView>, ApiError> {
    let b = state.brochure_for_employer(&user.user, id).await?;
    Ok(Json(b.into()))
}

/// Rewrites a brochure (employer admin). Nothing changes when the input breaks a rule.
#[utoipa::path(put, path = "/api/v1/employer/brochures/{id}", tag = "brochures",
    params(("id" = i64, Path, description = "The brochure's id")),
    request_body = BrochureBody,
    responses((status = 200, body = SavedBrochureView), Unauthorized, Forbidden, NotFound, Invalid, BodyRejected))]
pub async fn update_brochure(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
    JsonBody(body): JsonBody<BrochureBody>,
) -> Result<Json<SavedBrochureView>, ApiError> {
    let saved = state.update_brochure(&user.user, id, body.input()).await?;
    Ok(Json(saved.into()))
}

/// Deletes a brochure (employer admin).
#[utoipa::path(delete, path = "/api/v1/employer/brochures/{id}", tag = "brochures",
    params(("id" = i64, Path, description = "The brochure's id")),
    responses((status = 204, description = "Deleted"), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn delete_brochure(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
) -> Result<StatusCode, ApiError> {
    state.delete_brochure(&user.user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Uploads an image for brochure content (employer admin): a table screenshot, say. Put the
/// answer's `marker` into the content on a line of its own where the image should appear.
#[utoipa::path(post, path = "/api/v1/employer/brochures/images", tag = "brochures",
    request_body(content = BrochureImageForm, content_type = "multipart/form-data"),
    responses((status = 201, body = UploadedImage), Unauthorized, Forbidden, Invalid, BodyRejected))]
pub async fn upload_brochure_image(
    State(state): State<AppState>,
    user: CurrentUser,
    form: UploadForm,
) -> Result<(StatusCode, Json<UploadedImage>), Rejection> {
    // The role is checked before the body is read, so a refused caller learns nothing more.
    user.require(&[fairhall_domain::account::Role::EmployerAdmin])?;
    let (_, files) = form.read().await?;
    let part = files
        .into_iter()
        .find(|f| f.name == "image")
        .ok_or_else(image_required)?;
    let file = state
        .upload_brochure_image(&user.user, part.bytes, &part.file_name)
        .await?;
    let url = file.url();
    Ok((
        StatusCode::CREATED,
        Json(UploadedImage {
            marker: fairhall_domain::brochure::Block::Image(url.clone()).to_string(),
            url,
        }),
    ))
}

pub(super) fn image_required() -> DomainError {
    DomainError::new(
        "image_required",
        "image",
        fairhall_domain::msg!("error.web.image_required"),
    )
}
