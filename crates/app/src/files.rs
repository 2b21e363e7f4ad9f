//! Uploaded files. The type is judged from the file's first bytes, never from its name, and
//! each kind has its own allowed types and size. Bytes go to an object store (a local folder by
//! default); the `files` table remembers what each key is.

use std::sync::Arc;

use anyhow::Context;
use fairhall_domain::DomainError;
pub use fairhall_domain::file::FileKind;
use fairhall_domain::file::MIB;
use fairhall_domain::msg;
use fairhall_store::files::FileRow;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt};
use sha2::{Digest, Sha256};

use crate::{App, AppError, AppResult, now_ms};

/// Checks an upload against its kind's rules: not empty, not too big, and of an allowed type
/// by content. Returns the content type. `field` names the form field for the error.
pub fn check_upload(
    kind: FileKind,
    bytes: &[u8],
    field: &'static str,
) -> Result<&'static str, DomainError> {
    if bytes.is_empty() {
        return Err(DomainError::new(
            "file_empty",
            field,
            msg!("error.app.file_empty"),
        ));
    }
    if bytes.len() > kind.max_bytes() {
        return Err(DomainError::new(
            "file_too_large",
            field,
            msg!("error.app.file_too_large", mb = kind.max_bytes() / MIB),
        ));
    }
    let sniffed = infer::get(bytes).map(|t| t.mime_type());
    match sniffed.and_then(|m| kind.allowed().iter().find(|a| **a == m)) {
        Some(m) => Ok(m),
        None => Err(DomainError::new(
            "file_type",
            field,
            if kind.allowed().contains(&"application/pdf") && kind.allowed().len() == 1 {
                msg!("error.app.file_type_pdf")
            } else if kind.allowed().contains(&"application/pdf") {
                msg!("error.app.file_type_image_or_pdf")
            } else {
                msg!("error.app.file_type_image")
            },
        )),
    }
}

/// A stored file as callers see it.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub key: String,
    pub kind: FileKind,
    pub content_type: String,
    pub size: i64,
    pub owner_user_id: i64,
}

impl StoredFile {
    pub fn url(&self) -> String {
        format!("/files/{}", self.key)
    }

    fn from_row(r: FileRow) -> AppResult<StoredFile> {
        Ok(StoredFile {
            kind: r.kind,
            key: r.storage_key,
            content_type: r.content_type,
            size: r.size,
            owner_user_id: r.owner_user_id,
        })
    }
}

/// Where files go: S3-compatible storage when `s3_bucket` is set, else the local folder.
pub fn object_store_for(config: &crate::Config) -> anyhow::Result<Arc<dyn ObjectStore>> {
    let Some(bucket) = config.files.bucket() else {
        return local_object_store(&config.data_dir);
    };
    let mut b = object_store::aws::AmazonS3Builder::new()
        .with_bucket_name(bucket)
        .with_region(&config.files.region)
        .with_access_key_id(config.files.access_key_id.clone().unwrap_or_default())
        .with_secret_access_key(
            config
                .files
                .secret_access_key
                .as_ref()
                .map_or("", crate::config::Secret::expose),
        )
        .with_allow_http(config.files.allow_http);
    if let Some(endpoint) = config.files.endpoint.as_deref().filter(|e| !e.is_empty()) {
        // Path-style addressing (`endpoint/bucket/key`), which every S3-compatible server takes.
        b = b
            .with_endpoint(endpoint)
            .with_virtual_hosted_style_request(false);
    }
    let s3: Arc<dyn ObjectStore> = Arc::new(b.build().context("configuring S3 storage")?);
    let prefix = config.files.prefix.trim_matches('/');
    if prefix.is_empty() {
        Ok(s3)
    } else {
        Ok(Arc::new(object_store::prefix::PrefixStore::new(
            s3,
            ObjectPath::from(prefix),
        )))
    }
}

pub fn local_object_store(data_dir: &std::path::Path) -> anyhow::Result<Arc<dyn ObjectStore>> {
    let dir = data_dir.join("files");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(Arc::new(
        object_store::local::LocalFileSystem::new_with_prefix(&dir)
            .context("opening the files folder")?,
    ))
}

impl App {
    /// Checks and stores an upload.
    pub async fn store_upload(
        &self,
        owner_user_id: i64,
        kind: FileKind,
        bytes: Vec<u8>,
        original_name: &str,
        field: &'static str,
    ) -> AppResult<StoredFile> {
        let content_type = check_upload(kind, &bytes, field)?;
        let ext = match content_type {
            "image/png" => "png",
            "image/jpeg" => "jpg",
            "image/webp" => "webp",
            _ => "pdf",
        };
        let key = format!("{}.{ext}", hex::encode(rand::random::<[u8; 16]>()));
        let sha = hex::encode(Sha256::digest(&bytes));
        let size = bytes.len() as i64;
        self.objects
            .put(&ObjectPath::from(key.as_str()), bytes.into())
            .await
            .context("writing the file")?;
        let name: String = original_name.chars().take(200).collect();
        self.store
            .insert_file(&FileRow {
                id: 0,
                storage_key: key.clone(),
                kind,
                content_type: content_type.into(),
                size,
                sha256: sha,
                original_name: name,
                owner_user_id,
                created_at: now_ms(),
            })
            .await?;
        Ok(StoredFile {
            key,
            kind,
            content_type: content_type.into(),
            size,
            owner_user_id,
        })
    }

    pub async fn file_info(&self, key: &str) -> AppResult<StoredFile> {
        let row = self
            .store
            .file_by_key(key)
            .await?
            .ok_or(AppError::NotFound)?;
        StoredFile::from_row(row)
    }

    pub async fn file_bytes(&self, key: &str) -> AppResult<bytes::Bytes> {
        let got = self
            .objects
            .get(&ObjectPath::from(key))
            .await
            .map_err(|e| match e {
                object_store::Error::NotFound { .. } => AppError::NotFound,
                other => AppError::Internal(other.into()),
            })?;
        Ok(got.bytes().await.context("reading the file")?)
    }
}

impl App {
    /// Who may read a non-public file: its uploader and the platform admin. Features that show
    /// files to others (licences to reviewing organizer staff, resumes to employers) extend this.
    pub async fn may_read_file(
        &self,
        reader: &fairhall_store::users::User,
        file: &StoredFile,
    ) -> AppResult<bool> {
        if reader.id == file.owner_user_id
            || reader.role == fairhall_domain::account::Role::PlatformAdmin
        {
            return Ok(true);
        }
        // Organizer staff review the business licence of employers asking to join them.
        if let (fairhall_domain::account::Role::OrganizerStaff, Some(org), FileKind::Licence) =
            (reader.role, reader.organizer_id, file.kind)
        {
            return Ok(self
                .store
                .licence_filed_with_organizer(&file.key, org)
                .await?);
        }
        // Employers see a student's current photo and PDF attachment where they may see the
        // resume: a fair the student entered holds the employer's approved registration. A photo
        // or PDF the student replaced or removed is no longer theirs to read.
        if let (
            fairhall_domain::account::Role::EmployerAdmin
            | fairhall_domain::account::Role::Interviewer,
            Some(employer),
            FileKind::Photo | FileKind::Attachment,
        ) = (reader.role, reader.employer_id, file.kind)
        {
            return Ok(self
                .store
                .is_current_resume_file(file.owner_user_id, &file.key)
                .await?
                && self
                    .store
                    .employer_may_see_student(employer, file.owner_user_id)
                    .await?);
        }
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = &[
        0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D,
    ];
    const PDF_BYTES: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n";

    #[test]
    fn uploads_are_judged_by_their_bytes() {
        assert_eq!(check_upload(FileKind::Logo, PNG, "logo"), Ok("image/png"));
        assert_eq!(
            check_upload(FileKind::Licence, PDF_BYTES, "licence"),
            Ok("application/pdf")
        );
        let err = check_upload(FileKind::Logo, PDF_BYTES, "logo").map_err(|e| e.code);
        assert_eq!(err, Err("file_type"));
        let html = b"<html><script>alert(1)</script></html>";
        assert!(check_upload(FileKind::BrochureImage, html, "image").is_err());
        assert_eq!(
            check_upload(FileKind::Logo, &[], "logo").map_err(|e| e.code),
            Err("file_empty")
        );
        let mut big = PNG.to_vec();
        big.resize(2 * MIB + 1, 0);
        assert_eq!(
            check_upload(FileKind::Logo, &big, "logo").map_err(|e| e.code),
            Err("file_too_large")
        );
    }
}
