//! Recruitment brochures (招聘简章): the employer admin writes them, the employer's
//! interviewers may read them, and a fair registration shows one to students.
//!
//! Content is normalised by `fairhall_domain::brochure` on every save and stored that way, so
//! whatever was pasted (Word HTML, indents, blank-line runs) is plain paragraphs from then on.

use fairhall_domain::DomainError;
use fairhall_domain::account::Role;
use fairhall_domain::brochure::{self, BrochureDraft};
use fairhall_domain::msg;
pub use fairhall_store::brochures::Brochure;
use fairhall_store::brochures::BrochureFields;
use fairhall_store::users::User;

use crate::files::{FileKind, StoredFile};
use crate::{App, AppError, AppResult, now_ms};

/// A brochure as typed into the form or sent to the API.
#[derive(Debug, Clone, Copy)]
pub struct BrochureInput<'a> {
    pub title: &'a str,
    pub usage_notes: &'a str,
    pub content: &'a str,
}

/// A saved brochure and what normalising did to it, so the form can explain.
#[derive(Debug, Clone)]
pub struct SavedBrochure {
    pub brochure: Brochure,
    /// The stored content differs from what was submitted (beyond line-break style).
    pub content_changed: bool,
    /// A pasted table was flattened into lines; it should be uploaded as a screenshot.
    pub flattened_table: bool,
    /// Pasted images that were not uploaded here and were removed.
    pub dropped_images: usize,
}

/// Every problem of a submitted brochure, one per field at most, so a page can mark each bad
/// field at once. Empty when the rules are met (the save may still refuse the images, which
/// needs the store; see [`App::create_brochure`]).
pub fn brochure_form_errors(input: BrochureInput<'_>) -> Vec<DomainError> {
    match BrochureDraft::parse_all(input.title, input.usage_notes, input.content) {
        Ok(_) => Vec::new(),
        Err(errors) => {
            let mut out: Vec<DomainError> = Vec::new();
            for e in errors {
                if !out.iter().any(|o| o.field == e.field()) {
                    out.push(e.into());
                }
            }
            out
        }
    }
}

/// The employer whose brochures `user` may work with, if their role is one of `roles`.
fn tenant(user: &User, roles: &[Role]) -> AppResult<i64> {
    if !roles.contains(&user.role) {
        return Err(AppError::Forbidden);
    }
    user.employer_id.ok_or(AppError::Forbidden)
}

/// Who may read an employer's brochures.
const READERS: &[Role] = &[Role::EmployerAdmin, Role::Interviewer];
/// Who may write them.
const WRITERS: &[Role] = &[Role::EmployerAdmin];

impl App {
    /// The brochures of the user's employer, most recently changed first.
    pub async fn brochures_for_employer(&self, user: &User) -> AppResult<Vec<Brochure>> {
        let employer = tenant(user, READERS)?;
        Ok(self.store.brochures_of(employer).await?)
    }

    /// One brochure of the user's employer. Another employer's brochure is `NotFound`, as if
    /// it did not exist; a user who is not an employer admin or interviewer is `Forbidden`.
    pub async fn brochure_for_employer(&self, user: &User, id: i64) -> AppResult<Brochure> {
        let employer = tenant(user, READERS)?;
        let b = self.store.brochure(id).await?;
        if b.employer_id != employer {
            return Err(AppError::NotFound);
        }
        Ok(b)
    }

    /// Creates a brochure for the employer admin's employer.
    pub async fn create_brochure(
        &self,
        user: &User,
        input: BrochureInput<'_>,
    ) -> AppResult<SavedBrochure> {
        let employer = tenant(user, WRITERS)?;
        let draft = self.checked_draft(input).await?;
        let now = now_ms();
        let id = self
            .store
            .insert_brochure(employer, fields(&draft), now)
            .await?;
        let brochure = self.store.brochure(id).await?;
        Ok(saved(brochure, &draft, input))
    }

    /// Rewrites a brochure of the employer admin's employer. Nothing changes when the input
    /// breaks a rule.
    pub async fn update_brochure(
        &self,
        user: &User,
        id: i64,
        input: BrochureInput<'_>,
    ) -> AppResult<SavedBrochure> {
        let employer = tenant(user, WRITERS)?;
        let existing = self.store.brochure(id).await?;
        if existing.employer_id != employer {
            return Err(AppError::NotFound);
        }
        let draft = self.checked_draft(input).await?;
        self.store
            .update_brochure(id, employer, fields(&draft), now_ms())
            .await?;
        let brochure = self.store.brochure(id).await?;
        Ok(saved(brochure, &draft, input))
    }

    /// Deletes a brochure of the employer admin's employer. Registrations that picked it keep
    /// their reference; `Store::brochure` no longer finds it.
    pub async fn delete_brochure(&self, user: &User, id: i64) -> AppResult<()> {
        let employer = tenant(user, WRITERS)?;
        let existing = self.store.brochure(id).await?;
        if existing.employer_id != employer {
            return Err(AppError::NotFound);
        }
        self.store.delete_brochure(id, employer, now_ms()).await?;
        Ok(())
    }

    /// Stores an image (a table screenshot, say) for brochure content. The content refers to
    /// it by `StoredFile::url()` in a `[[image:…]]` line; see
    /// [`App::add_brochure_image`] for appending it.
    pub async fn upload_brochure_image(
        &self,
        user: &User,
        bytes: Vec<u8>,
        original_name: &str,
    ) -> AppResult<StoredFile> {
        tenant(user, WRITERS)?;
        self.store_upload(
            user.id,
            FileKind::BrochureImage,
            bytes,
            original_name,
            "image",
        )
        .await
    }

    /// Stores an image and appends it to `content` (what the form holds, saved or not) as a
    /// paragraph of its own. Returns the stored file and the new content, which the caller
    /// saves with the rest of the form.
    pub async fn add_brochure_image(
        &self,
        user: &User,
        content: &str,
        bytes: Vec<u8>,
        original_name: &str,
    ) -> AppResult<(StoredFile, String)> {
        let file = self
            .upload_brochure_image(user, bytes, original_name)
            .await?;
        let content = brochure::append_image(content, &file.url()).map_err(DomainError::from)?;
        Ok((file, content))
    }

    /// Parses the input and checks that every image in it is a brochure image stored here.
    async fn checked_draft(&self, input: BrochureInput<'_>) -> AppResult<BrochureDraft> {
        let draft = BrochureDraft::parse(input.title, input.usage_notes, input.content)
            .map_err(DomainError::from)?;
        for src in draft.images() {
            let known = match brochure::upload_key(src) {
                Some(key) => match self.file_info(key).await {
                    Ok(file) => file.kind == FileKind::BrochureImage,
                    Err(AppError::NotFound) => false,
                    Err(e) => return Err(e),
                },
                None => false,
            };
            if !known {
                return Err(DomainError::new(
                    "image_missing",
                    "content",
                    msg!("error.app.brochure_image_missing", src = src),
                )
                .into());
            }
        }
        Ok(draft)
    }
}

fn fields(draft: &BrochureDraft) -> BrochureFields<'_> {
    BrochureFields {
        title: draft.title(),
        usage_notes: draft.usage_notes(),
        content: draft.content(),
    }
}

fn saved(brochure: Brochure, draft: &BrochureDraft, input: BrochureInput<'_>) -> SavedBrochure {
    // Browsers send CRLF from text areas; that alone is not worth a notice.
    let submitted = input.content.replace("\r\n", "\n");
    SavedBrochure {
        content_changed: draft.content() != submitted.trim_end_matches('\n'),
        flattened_table: draft.flattened_table(),
        dropped_images: draft.dropped_images(),
        brochure,
    }
}
