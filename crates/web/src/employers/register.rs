//! `/employers/register`: public registration (立即注册), optionally from a fair's page
//! (`?fair={entry code}`), which also asks that fair's organizer to let the employer join (入驻).

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use fairhall_app::AppError;
use fairhall_domain::account::Role;
use fairhall_domain::employer::{EmployerRegistration, ProfileInput, RegistrationInput};
use serde::Deserialize;
use tower_sessions::Session;

use super::{Errors, INDUSTRIES, SelectOption, employer_files, field, size_options};
use crate::AppState;
use crate::error::{ApiError, PageError, log_if_internal, status_of};
use crate::files::read_multipart;
use crate::i18n::Lang;
use crate::pages::{Base, render};
use crate::session::{ClientIp, MaybeUser, ensure_csrf_token, sign_in};

/// The inputs the form shows, in order; errors about anything else go to the top.
const FIELDS: &[&str] = &[
    "name",
    "credit_code",
    "industry",
    "size",
    "city",
    "address",
    "description",
    "logo",
    "licence",
    "contact_name",
    "contact_phone",
    "email",
    "password",
];

#[derive(Template)]
#[template(path = "employers/register.html")]
pub struct RegisterPage {
    b: Base,
    v: RegistrationInput,
    errs: Errors,
    fair_code: String,
    fair_title: String,
    fair_organizer: String,
    fair_unknown: bool,
    sizes: Vec<SelectOption>,
    industries: &'static [&'static str],
    /// Someone is signed in (not as an employer admin): registering would sign them out.
    signed_in: bool,
    /// Files were chosen but the form came back with errors: the browser forgets them.
    files_lost: bool,
}

#[derive(Deserialize)]
pub struct RegisterQuery {
    fair: Option<String>,
}

/// The fair an employer came from, as the form shows it.
struct FairContext {
    code: String,
    title: String,
    organizer: String,
    unknown: bool,
}

async fn fair_context(state: &AppState, code: Option<&str>) -> Result<FairContext, AppError> {
    let code = code.map(str::trim).unwrap_or_default().to_string();
    let mut ctx = FairContext {
        code,
        title: String::new(),
        organizer: String::new(),
        unknown: false,
    };
    if ctx.code.is_empty() {
        return Ok(ctx);
    }
    match state.fair_by_code(&ctx.code).await? {
        Some(f) => {
            ctx.organizer = state.organizer_name(f.organizer_id).await?;
            ctx.title = f.title;
        }
        None => ctx.unknown = true,
    }
    Ok(ctx)
}

impl RegisterPage {
    fn new(b: Base, v: RegistrationInput, ctx: FairContext) -> Self {
        let sizes = size_options(&v.profile.size);
        Self {
            signed_in: b.signed_in(),
            b,
            v,
            errs: Errors::default(),
            fair_code: ctx.code,
            fair_title: ctx.title,
            fair_organizer: ctx.organizer,
            fair_unknown: ctx.unknown,
            sizes,
            industries: INDUSTRIES,
            files_lost: false,
        }
    }
}

async fn base(lang: Lang, session: &Session, user: MaybeUser) -> Result<Base, AppError> {
    let mut b = Base::new(lang, user.0);
    if b.csrf.is_empty() {
        b.csrf = ensure_csrf_token(session).await?;
    }
    Ok(b)
}

fn after_registration(fair_code: Option<&str>) -> String {
    match fair_code {
        Some(code) => format!("/f/{code}"),
        None => "/employer/organizers".into(),
    }
}

pub async fn page(
    State(state): State<AppState>,
    lang: Lang,
    session: Session,
    user: MaybeUser,
    Query(q): Query<RegisterQuery>,
) -> Response {
    let fair = q.fair.as_deref().filter(|c| !c.trim().is_empty());
    // An employer that already has an account goes on with it.
    if user
        .0
        .as_ref()
        .is_some_and(|u| u.user.role == Role::EmployerAdmin)
    {
        return Redirect::to(&after_registration(fair)).into_response();
    }
    let b = match base(lang, &session, user).await {
        Ok(b) => b,
        Err(error) => return page_error(lang, error),
    };
    match fair_context(&state, fair).await {
        Ok(ctx) => render(&RegisterPage::new(b, RegistrationInput::default(), ctx)),
        Err(error) => PageError { error, base: b }.into_response(),
    }
}

fn page_error(lang: Lang, error: AppError) -> Response {
    PageError {
        error,
        base: Base::new(lang, None),
    }
    .into_response()
}

pub async fn submit(
    State(state): State<AppState>,
    lang: Lang,
    session: Session,
    user: MaybeUser,
    ClientIp(ip): ClientIp,
    Query(q): Query<RegisterQuery>,
    multipart: Multipart,
) -> Response {
    let b = match base(lang, &session, user).await {
        Ok(b) => b,
        Err(error) => return page_error(lang, error),
    };
    let (fields, files) = match read_multipart(multipart).await {
        Ok(parts) => parts,
        Err(ApiError(error)) => {
            // The form's fields are lost with an unreadable body; the fair it came from is in
            // the action's query and survives, so the join request is still filed on retry.
            let fair = q.fair.as_deref().filter(|c| !c.trim().is_empty());
            let ctx = match fair_context(&state, fair).await {
                Ok(ctx) => ctx,
                Err(error) => return PageError { error, base: b }.into_response(),
            };
            let mut page = RegisterPage::new(b, RegistrationInput::default(), ctx);
            page.errs = Errors::from_app(lang, &error, FIELDS);
            return (status_of(&error), render(&page)).into_response();
        }
    };
    let v = RegistrationInput {
        profile: ProfileInput {
            name: field(&fields, "name"),
            credit_code: field(&fields, "credit_code"),
            contact_name: field(&fields, "contact_name"),
            contact_phone: field(&fields, "contact_phone"),
            contact_email: String::new(),
            industry: field(&fields, "industry"),
            size: field(&fields, "size"),
            city: field(&fields, "city"),
            address: field(&fields, "address"),
            description: field(&fields, "description"),
        },
        email: field(&fields, "email"),
        password: field(&fields, "password"),
    };
    let fair = field(&fields, "fair");
    let fair = Some(fair.as_str()).filter(|c| !c.trim().is_empty());
    let had_files = !files.is_empty();

    // Every field's error at once; the application layer checks again before writing.
    let outcome = match EmployerRegistration::parse(&v) {
        Err(errors) => Err((
            StatusCode::UNPROCESSABLE_ENTITY,
            Errors::from_fields(lang, errors, FIELDS),
        )),
        Ok(_) => state
            .register_employer(&v, fair, employer_files(files), ip)
            .await
            .map_err(|e| {
                log_if_internal(&e);
                (status_of(&e), Errors::from_app(lang, &e, FIELDS))
            }),
    };
    match outcome {
        Ok(done) => match sign_in(&session, &done.user).await {
            Ok(_) => Redirect::to(&after_registration(done.fair_code.as_deref())).into_response(),
            Err(error) => page_error(lang, error),
        },
        Err((status, errs)) => {
            let ctx = match fair_context(&state, fair).await {
                Ok(ctx) => ctx,
                Err(error) => return PageError { error, base: b }.into_response(),
            };
            let mut v = v;
            v.password.clear();
            let mut page = RegisterPage::new(b, v, ctx);
            page.files_lost = had_files;
            page.errs = errs;
            (status, render(&page)).into_response()
        }
    }
}
