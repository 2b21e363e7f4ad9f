//! Resumes (简历): sections edited on a phone, the completeness score, and entering a fair (报名进入会场) behind the fair's threshold.
//!
//! Student pages live under `/student/resume` (`pages`), the JSON API under `/api/v1/resume`
//! and `/api/v1/fairs/{fair_id}/entry` (`api`), and an employer reads a student's resume at
//! `/employer/fairs/{id}/students/{student_id}`. `view` builds the partial
//! `templates/resumes/view.html` that shows a whole resume; other features include it.

pub mod api;
mod pages;
pub mod view;

use axum::Router;
use axum::routing::get;
use fairhall_domain::resume::{Item, Section, Suggestion};
use tower_sessions::Session;
use utoipa_axum::routes;

use crate::AppState;
use crate::openapi::ApiRoutes;

pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/student/resume", get(pages::overview))
        .route(
            "/student/resume/basics",
            get(pages::basics_form).post(pages::basics_submit),
        )
        .route(
            "/student/resume/skills",
            get(pages::skills_form).post(pages::skills_submit),
        )
        .route(
            "/student/resume/self-evaluation",
            get(pages::self_evaluation_form).post(pages::self_evaluation_submit),
        )
        .route(
            "/student/resume/photo",
            get(pages::photo_form).post(pages::photo_submit),
        )
        .route(
            "/student/resume/photo/delete",
            get(pages::photo_delete_form).post(pages::photo_delete),
        )
        .route(
            "/student/resume/attachment",
            get(pages::attachment_form).post(pages::attachment_submit),
        )
        .route(
            "/student/resume/attachment/delete",
            get(pages::attachment_delete_form).post(pages::attachment_delete),
        )
        .route(
            "/student/resume/{section}/new",
            get(pages::entry_new_form).post(pages::entry_new_submit),
        )
        .route(
            "/student/resume/{section}/{id}",
            get(pages::entry_edit_form).post(pages::entry_edit_submit),
        )
        .route(
            "/student/resume/{section}/{id}/delete",
            get(pages::entry_delete_form).post(pages::entry_delete),
        )
        .route(
            "/employer/fairs/{id}/students/{student_id}",
            get(pages::employer_view),
        )
}

pub fn api() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(api::get_resume))
        .routes(routes!(api::save_basics))
        .routes(routes!(api::save_skills))
        .routes(routes!(api::save_self_evaluation))
        .routes(routes!(api::upload_photo, api::remove_photo))
        .routes(routes!(api::upload_attachment, api::remove_attachment))
        .routes(routes!(api::add_entry))
        .routes(routes!(api::edit_entry, api::delete_entry))
        .routes(routes!(api::entry_status, api::enter))
        .routes(routes!(api::employer_resume))
}

/// The list sections, as they appear in URLs.
pub fn list_section(s: &str) -> Option<Section> {
    Section::parse(s).filter(|s| s.max_entries().is_some())
}

pub fn section_key(s: Section) -> &'static str {
    match s {
        Section::Basics => "resume.section_basics",
        Section::Education => "resume.section_education",
        Section::Experience => "resume.section_experience",
        Section::Projects => "resume.section_projects",
        Section::Skills => "resume.section_skills",
        Section::Awards => "resume.section_awards",
        Section::SelfEvaluation => "resume.section_self_evaluation",
        Section::Photo => "resume.section_photo",
        Section::Attachment => "resume.section_attachment",
    }
}

/// What to do to earn an item, as the catalogue words it (the domain's `todo_zh` in Chinese).
pub fn item_key(i: Item) -> &'static str {
    match i {
        Item::Name => "resume.todo_name",
        Item::Gender => "resume.todo_gender",
        Item::BirthMonth => "resume.todo_birth_month",
        Item::Phone => "resume.todo_phone",
        Item::Email => "resume.todo_email",
        Item::School => "resume.todo_school",
        Item::College => "resume.todo_college",
        Item::Major => "resume.todo_major",
        Item::Degree => "resume.todo_degree",
        Item::GraduationYear => "resume.todo_graduation_year",
        Item::IntentionCities => "resume.todo_cities",
        Item::IntentionPositions => "resume.todo_positions",
        Item::Salary => "resume.todo_salary",
        Item::Education => "resume.todo_education",
        Item::Experience => "resume.todo_experience",
        Item::Projects => "resume.todo_projects",
        Item::Skills => "resume.todo_skills",
        Item::Awards => "resume.todo_awards",
        Item::SelfEvaluation => "resume.todo_self_evaluation",
        Item::Photo => "resume.todo_photo",
        Item::Attachment => "resume.todo_attachment",
    }
}

/// The page where a section is edited (for a list section: where an entry is added).
pub fn section_href(s: Section) -> &'static str {
    match s {
        Section::Basics => "/student/resume/basics",
        Section::Education => "/student/resume/education/new",
        Section::Experience => "/student/resume/experience/new",
        Section::Projects => "/student/resume/projects/new",
        Section::Skills => "/student/resume/skills",
        Section::Awards => "/student/resume/awards/new",
        Section::SelfEvaluation => "/student/resume/self-evaluation",
        Section::Photo => "/student/resume/photo",
        Section::Attachment => "/student/resume/attachment",
    }
}

/// One thing to add, as a page lists it (`templates/resumes/missing.html`).
#[derive(Debug, Clone)]
pub struct MissingItem {
    pub key: &'static str,
    pub href: &'static str,
    pub weight: u8,
}

impl From<&Suggestion> for MissingItem {
    fn from(s: &Suggestion) -> Self {
        MissingItem {
            key: item_key(s.item),
            href: section_href(s.section),
            weight: s.weight,
        }
    }
}

/// The fairs whose entry page a signed-in student opened, newest first: the resume page shows
/// for each what is still missing to enter it.
const VISITED_FAIRS: &str = "resume.visited_fairs";
const VISITED_MAX: usize = 5;

pub async fn remember_fair(session: &Session, code: &str) {
    let mut codes = visited_fairs(session).await;
    codes.retain(|c| c != code);
    codes.insert(0, code.to_string());
    codes.truncate(VISITED_MAX);
    if let Err(e) = session.insert(VISITED_FAIRS, codes).await {
        tracing::warn!(error = %e, "could not remember the fair");
    }
}

pub async fn visited_fairs(session: &Session) -> Vec<String> {
    session
        .get::<Vec<String>>(VISITED_FAIRS)
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{Lang, catalogue};

    /// Keys built in code are not seen by the template scan: check them here.
    #[test]
    fn every_key_built_in_code_is_in_both_catalogues() {
        let mut keys: Vec<&str> = Section::ALL.iter().map(|s| section_key(*s)).collect();
        keys.extend(
            fairhall_domain::resume::WEIGHTS
                .iter()
                .map(|w| item_key(w.item)),
        );
        keys.extend(view::keys_used());
        keys.extend(pages::keys_used());
        for lang in [Lang::Zh, Lang::En] {
            let c = catalogue(lang);
            let missing: Vec<_> = keys.iter().filter(|k| !c.contains_key(**k)).collect();
            assert!(missing.is_empty(), "{}: {missing:?}", lang.code());
        }
    }

    #[test]
    fn the_chinese_todo_words_are_the_domains() {
        let c = catalogue(Lang::Zh);
        for w in fairhall_domain::resume::WEIGHTS {
            assert_eq!(
                c.get(item_key(w.item)).map(String::as_str),
                Some(w.item.todo_zh())
            );
        }
    }
}
