//! The employer console's brochure pages: 校园招聘 → 招聘简章 (list, 新增, edit, preview,
//! delete). Forms are multipart so that an image can travel with the text typed so far; the
//! CSRF token rides in the action's query.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use fairhall_app::AppError;
use fairhall_app::accounts::User;
use fairhall_app::brochures::{Brochure, BrochureInput, SavedBrochure, brochure_form_errors};
use fairhall_domain::DomainError;
use fairhall_domain::account::Role;
use serde::Deserialize;

use super::{BlockView, api::image_required, blocks_for};
use crate::AppState;
use crate::error::{ApiError, PageError, status_of};
use crate::files::{UploadedPart, read_multipart};
use crate::guard::{EmployerAdmin, SignedIn};
use crate::pages::{Base, fmt_time, render};

fn fail(b: Base, error: AppError) -> Response {
    PageError { error, base: b }.into_response()
}

// ---------- list ----------

pub struct Row {
    pub id: i64,
    pub title: String,
    pub usage_notes: String,
    pub updated: String,
}

#[derive(Template)]
#[template(path = "brochures/list.html")]
struct ListPage {
    b: Base,
    rows: Vec<Row>,
    can_edit: bool,
    deleted: bool,
}

#[derive(Deserialize)]
pub struct ListQuery {
    deleted: Option<String>,
}

pub async fn list(
    State(state): State<AppState>,
    SignedIn { user: u, lang, .. }: SignedIn,
    Query(q): Query<ListQuery>,
) -> Response {
    let listed = state.brochures_for_employer(&u.user).await;
    let can_edit = u.user.role == Role::EmployerAdmin;
    let b = Base::new(lang, Some(u));
    match listed {
        Ok(items) => render(&ListPage {
            b,
            rows: items
                .into_iter()
                .map(|x| Row {
                    id: x.id,
                    title: x.title,
                    usage_notes: x.usage_notes,
                    updated: fmt_time(x.updated_at),
                })
                .collect(),
            can_edit,
            deleted: q.deleted.is_some(),
        }),
        Err(e) => fail(b, e),
    }
}

// ---------- new / edit ----------

#[derive(Template)]
#[template(path = "brochures/form.html")]
struct FormPage {
    b: Base,
    /// `None` while creating.
    id: Option<i64>,
    action: String,
    upload_action: String,
    title: String,
    usage_notes: String,
    content: String,
    errors: Vec<DomainError>,
    /// Catalogue keys of what went well.
    notices: Vec<&'static str>,
    /// Catalogue keys of what the employer should act on.
    warnings: Vec<&'static str>,
}

impl FormPage {
    fn new(b: Base, id: Option<i64>) -> Self {
        let (action, upload_action) = match id {
            Some(id) => (
                format!("/employer/brochures/{id}/edit"),
                format!("/employer/brochures/{id}/images"),
            ),
            None => (
                "/employer/brochures/new".to_string(),
                "/employer/brochures/new".to_string(),
            ),
        };
        FormPage {
            b,
            id,
            action,
            upload_action,
            title: String::new(),
            usage_notes: String::new(),
            content: String::new(),
            errors: Vec::new(),
            notices: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn filled(mut self, title: String, usage_notes: String, content: String) -> Self {
        self.title = title;
        self.usage_notes = usage_notes;
        self.content = content;
        self
    }

    /// The message for `field`, or `""`.
    fn err(&self, field: &str) -> String {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map_or(String::new(), |e| self.b.tr.msg(&e.message))
    }

    /// An error about no field of this form.
    fn form_error(&self) -> String {
        self.errors
            .iter()
            .find(|e| !["title", "usage_notes", "content", "image"].contains(&e.field))
            .map_or(String::new(), |e| self.b.tr.msg(&e.message))
    }

    /// Re-renders with what was typed and the message beside each bad field.
    fn refused(mut self, error: &AppError, errors: Vec<DomainError>) -> Response {
        self.errors = match error {
            AppError::Invalid(e) if errors.is_empty() => vec![e.clone()],
            _ => errors,
        };
        (status_of(error), render(&self)).into_response()
    }
}

pub async fn new_form(writer: SignedIn<EmployerAdmin>) -> Response {
    render(&FormPage::new(writer.base(), None))
}

#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
    tidied: Option<String>,
    table: Option<String>,
    dropped: Option<String>,
    image: Option<String>,
}

pub async fn edit_form(
    State(state): State<AppState>,
    SignedIn { user: u, lang, .. }: SignedIn<EmployerAdmin>,
    Path(id): Path<i64>,
    Query(q): Query<SavedQuery>,
) -> Response {
    let found = state.brochure_for_employer(&u.user, id).await;
    let b = Base::new(lang, Some(u));
    let x = match found {
        Ok(x) => x,
        Err(e) => return fail(b, e),
    };
    let mut page = FormPage::new(b, Some(id)).filled(x.title, x.usage_notes, x.content);
    for (flag, key) in [
        (&q.saved, "brochures.saved"),
        (&q.image, "brochures.image_inserted"),
        (&q.tidied, "brochures.tidied"),
    ] {
        if flag.is_some() {
            page.notices.push(key);
        }
    }
    for (flag, key) in [
        (&q.table, "brochures.table_flattened"),
        (&q.dropped, "brochures.images_dropped"),
    ] {
        if flag.is_some() {
            page.warnings.push(key);
        }
    }
    render(&page)
}

/// A submitted brochure form.
struct Submitted {
    title: Option<String>,
    usage_notes: Option<String>,
    content: Option<String>,
    /// The "upload image" button was pressed.
    upload: bool,
    image: Option<UploadedPart>,
}

async fn read_form(multipart: Multipart) -> Result<Submitted, AppError> {
    let (fields, files) = read_multipart(multipart).await.map_err(|ApiError(e)| e)?;
    let field = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    Ok(Submitted {
        title: field("title"),
        usage_notes: field("usage_notes"),
        content: field("content"),
        upload: field("upload").is_some(),
        image: files.into_iter().find(|f| f.name == "image"),
    })
}

/// Where a save lands: the edit page, saying what normalising did.
fn saved_redirect(saved: &SavedBrochure, image: bool) -> Response {
    let mut to = format!("/employer/brochures/{}/edit?saved=1", saved.brochure.id);
    for (on, flag) in [
        (saved.content_changed, "&tidied=1"),
        (saved.flattened_table, "&table=1"),
        (saved.dropped_images > 0, "&dropped=1"),
        (image, "&image=1"),
    ] {
        if on {
            to.push_str(flag);
        }
    }
    Redirect::to(&to).into_response()
}

/// Saves a submitted form: first the image, if one came (appended to the typed content),
/// then the brochure. On a refusal the form comes back with everything typed, the image
/// already inserted, and each message beside its field.
async fn save(
    state: &AppState,
    b: Base,
    user: &User,
    existing: Option<&Brochure>,
    form: Submitted,
    image_required_now: bool,
) -> Response {
    // A form without a field (a bare upload form) keeps what is stored.
    let title = form
        .title
        .or_else(|| existing.map(|x| x.title.clone()))
        .unwrap_or_default();
    let usage_notes = form
        .usage_notes
        .or_else(|| existing.map(|x| x.usage_notes.clone()))
        .unwrap_or_default();
    let mut content = form
        .content
        .or_else(|| existing.map(|x| x.content.clone()))
        .unwrap_or_default();
    let page = FormPage::new(b.clone(), existing.map(|x| x.id));

    let mut image_added = false;
    if let Some(part) = form.image {
        match state
            .add_brochure_image(user, &content, part.bytes, &part.file_name)
            .await
        {
            Ok((_, with_image)) => {
                content = with_image;
                image_added = true;
            }
            Err(e @ AppError::Invalid(_)) => {
                return page
                    .filled(title, usage_notes, content)
                    .refused(&e, Vec::new());
            }
            Err(e) => return fail(b, e),
        }
    } else if image_required_now {
        let e = AppError::Invalid(image_required());
        return page
            .filled(title, usage_notes, content)
            .refused(&e, Vec::new());
    }

    let input = BrochureInput {
        title: &title,
        usage_notes: &usage_notes,
        content: &content,
    };
    let result = match existing {
        None => state.create_brochure(user, input).await,
        Some(x) => state.update_brochure(user, x.id, input).await,
    };
    match result {
        Ok(saved) => saved_redirect(&saved, image_added),
        Err(e @ AppError::Invalid(_)) => {
            let errors = brochure_form_errors(input);
            let mut page = page.filled(title.clone(), usage_notes.clone(), content.clone());
            if image_added {
                page.notices.push("brochures.image_inserted_unsaved");
            }
            page.refused(&e, errors)
        }
        Err(e) => fail(b, e),
    }
}

pub async fn create(
    State(state): State<AppState>,
    SignedIn { user: u, lang, .. }: SignedIn<EmployerAdmin>,
    multipart: Multipart,
) -> Response {
    let user = u.user.clone();
    let b = Base::new(lang, Some(u));
    let form = match read_form(multipart).await {
        Ok(f) => f,
        Err(e) => return FormPage::new(b, None).refused(&e, Vec::new()),
    };
    let upload = form.upload;
    save(&state, b, &user, None, form, upload).await
}

/// Saves the edit form; with `image_required_now`, it came from the "upload image" button.
async fn save_existing(
    state: AppState,
    SignedIn { user: u, lang, .. }: SignedIn<EmployerAdmin>,
    id: i64,
    multipart: Multipart,
    image_required_now: bool,
) -> Response {
    let user = u.user.clone();
    let b = Base::new(lang, Some(u));
    let existing = match state.brochure_for_employer(&user, id).await {
        Ok(x) => x,
        Err(e) => return fail(b, e),
    };
    let form = match read_form(multipart).await {
        Ok(f) => f,
        Err(e) => return FormPage::new(b, Some(id)).refused(&e, Vec::new()),
    };
    let image_required_now = image_required_now || form.upload;
    save(&state, b, &user, Some(&existing), form, image_required_now).await
}

pub async fn update(
    State(state): State<AppState>,
    writer: SignedIn<EmployerAdmin>,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Response {
    save_existing(state, writer, id, multipart, false).await
}

/// The no-script image upload: stores the image, appends it to the content and saves.
pub async fn add_image(
    State(state): State<AppState>,
    writer: SignedIn<EmployerAdmin>,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> Response {
    save_existing(state, writer, id, multipart, true).await
}

// ---------- preview ----------

#[derive(Template)]
#[template(path = "brochures/preview.html")]
struct PreviewPage {
    b: Base,
    id: i64,
    title: String,
    blocks: Vec<BlockView>,
    can_edit: bool,
}

pub async fn preview(
    State(state): State<AppState>,
    SignedIn { user: u, lang, .. }: SignedIn,
    Path(id): Path<i64>,
) -> Response {
    let found = state.brochure_for_employer(&u.user, id).await;
    let can_edit = u.user.role == Role::EmployerAdmin;
    let b = Base::new(lang, Some(u));
    match found {
        Ok(x) => render(&PreviewPage {
            b,
            id: x.id,
            blocks: blocks_for(&x.content),
            title: x.title,
            can_edit,
        }),
        Err(e) => fail(b, e),
    }
}

// ---------- delete ----------

#[derive(Template)]
#[template(path = "brochures/delete.html")]
struct DeletePage {
    b: Base,
    id: i64,
    title: String,
}

pub async fn confirm_delete(
    State(state): State<AppState>,
    SignedIn { user: u, lang, .. }: SignedIn<EmployerAdmin>,
    Path(id): Path<i64>,
) -> Response {
    let found = state.brochure_for_employer(&u.user, id).await;
    let b = Base::new(lang, Some(u));
    match found {
        Ok(x) => render(&DeletePage {
            b,
            id: x.id,
            title: x.title,
        }),
        Err(e) => fail(b, e),
    }
}

pub async fn delete(
    State(state): State<AppState>,
    SignedIn { user: u, lang, .. }: SignedIn<EmployerAdmin>,
    Path(id): Path<i64>,
) -> Response {
    match state.delete_brochure(&u.user, id).await {
        Ok(()) => Redirect::to("/employer/brochures?deleted=1").into_response(),
        Err(e) => fail(Base::new(lang, Some(u)), e),
    }
}
