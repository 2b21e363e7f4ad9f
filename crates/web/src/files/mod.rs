//! `/files/{key}`: uploaded files. Logos and brochure images are public (their keys are
//! unguessable); other kinds only reach the uploader, the platform admin, and whoever
//! `App::may_read_file` allows.

use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use fairhall_app::AppError;
use fairhall_domain::DomainError;

use crate::AppState;
use crate::error::ApiError;
use crate::session::MaybeUser;

pub fn pages() -> Router<AppState> {
    Router::new().route("/files/{key}", get(serve))
}

async fn serve(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(key): Path<String>,
) -> Result<Response, ApiError> {
    let info = state.file_info(&key).await?;
    if !info.kind.is_public() {
        let user = user.ok_or(AppError::NotFound)?;
        if !state.may_read_file(&user.user, &info).await? {
            return Err(AppError::NotFound.into());
        }
    }
    let bytes = state.file_bytes(&key).await?;
    Ok((
        [
            (header::CONTENT_TYPE, info.content_type.clone()),
            (header::CONTENT_DISPOSITION, "inline".to_string()),
            (header::CACHE_CONTROL, "private, max-age=3600".to_string()),
        ],
        bytes,
    )
        .into_response())
}

/// One file field read from a multipart form.
pub struct UploadedPart {
    pub name: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// Why a multipart form could not be read: its message, and whether it was because the body is
/// larger than the server reads.
pub struct FormError {
    pub message: fairhall_domain::Message,
    pub too_large: bool,
}

impl FormError {
    fn new(
        e: &axum::extract::multipart::MultipartError,
        message: fairhall_domain::Message,
    ) -> Self {
        FormError {
            message,
            too_large: e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE,
        }
    }
}

/// Reads every field of a multipart form: text fields as strings, file fields as bytes.
pub async fn read_multipart(
    multipart: Multipart,
) -> Result<(Vec<(String, String)>, Vec<UploadedPart>), ApiError> {
    read_form(multipart)
        .await
        .map_err(|e| ApiError(DomainError::new("bad_upload", "file", e.message).into()))
}

/// `read_multipart`, telling a body too large apart.
pub async fn read_form(
    mut multipart: Multipart,
) -> Result<(Vec<(String, String)>, Vec<UploadedPart>), FormError> {
    let mut fields = Vec::new();
    let mut files = Vec::new();
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| FormError::new(&e, fairhall_domain::msg!("error.web.upload_incomplete")))?
    {
        let name = field.name().unwrap_or_default().to_string();
        match field.file_name().map(str::to_string) {
            Some(file_name) => {
                let bytes = field.bytes().await.map_err(|e| {
                    FormError::new(&e, fairhall_domain::msg!("error.web.upload_unreadable"))
                })?;
                if !bytes.is_empty() {
                    files.push(UploadedPart {
                        name,
                        file_name,
                        bytes: bytes.to_vec(),
                    });
                }
            }
            None => {
                let text = field.text().await.map_err(|e| {
                    FormError::new(&e, fairhall_domain::msg!("error.web.form_unreadable"))
                })?;
                fields.push((name, text));
            }
        }
    }
    Ok((fields, files))
}
