//! Employers: public registration (立即注册), profile, join requests (入驻) and their review by
//! organizer staff, interviewers (面试官), positions (招聘职位).
//!
//! `api` has the JSON endpoints; the pages live in `register`, `console` (profile and 入驻),
//! `review` (organizer staff's queue), `interviewers` and `positions`.

pub mod api;
mod console;
mod interviewers;
mod positions;
mod register;
mod review;

use axum::Router;
use axum::routing::{get, post};
use fairhall_app::AppError;
use fairhall_app::employers::{EmployerFiles, Upload};
use fairhall_domain::employer::FieldErrors;
use fairhall_domain::fair::OrganizerKind;
use fairhall_domain::review::JoinStatus;
use utoipa_axum::routes;

use crate::AppState;
use crate::error::fail;
use crate::files::UploadedPart;
use crate::i18n::Lang;
use crate::openapi::ApiRoutes;

pub fn pages() -> Router<AppState> {
    Router::new()
        .route(
            "/employers/register",
            get(register::page).post(register::submit),
        )
        .route(
            "/employer/profile",
            get(console::profile_page).post(console::profile_submit),
        )
        .route("/employer/organizers", get(console::organizers_page))
        .route(
            "/employer/organizers/{organizer_id}/apply",
            post(console::apply),
        )
        .route(
            "/employer/join-requests/{id}/resubmit",
            post(console::resubmit),
        )
        .route("/staff/join-requests", get(review::queue_page))
        .route("/staff/join-requests/{id}", get(review::detail_page))
        .route("/staff/join-requests/{id}/approve", post(review::approve))
        .route("/staff/join-requests/{id}/reject", post(review::reject))
        .route(
            "/employer/interviewers",
            get(interviewers::page).post(interviewers::create),
        )
        .route(
            "/employer/positions",
            get(positions::list_page).post(positions::create),
        )
        .route("/employer/positions/new", get(positions::new_page))
        .route("/employer/positions/{id}", post(positions::update))
        .route("/employer/positions/{id}/edit", get(positions::edit_page))
        .route(
            "/employer/positions/{id}/delete",
            get(positions::delete_page).post(positions::delete),
        )
}

pub fn api() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(api::register))
        .routes(routes!(api::get_profile, api::put_profile))
        .routes(routes!(api::upload_files))
        .routes(routes!(api::list_join_requests, api::create_join_request))
        .routes(routes!(api::resubmit_join_request))
        .routes(routes!(api::staff_join_requests))
        .routes(routes!(api::approve_join_request))
        .routes(routes!(api::reject_join_request))
        .routes(routes!(api::list_interviewers, api::create_interviewer))
        .routes(routes!(api::list_positions, api::create_position))
        .routes(routes!(
            api::get_position,
            api::update_position,
            api::delete_position
        ))
}

/// The errors of a form, each shown beside its field. Errors about a field the form does not
/// show (or about the whole request) are shown at the top under `form`.
#[derive(Debug, Default, Clone)]
pub struct Errors(Vec<(&'static str, String)>);

impl Errors {
    /// `fields` are the inputs the form shows; the message is in `lang`.
    pub fn from_app(lang: Lang, e: &AppError, fields: &[&str]) -> Errors {
        let field = e.field().filter(|f| fields.contains(f)).unwrap_or("form");
        Errors(vec![(field, e.render(lang.into()))])
    }

    pub fn from_fields(lang: Lang, e: FieldErrors, fields: &[&str]) -> Errors {
        Errors(
            e.into_vec()
                .into_iter()
                .map(|d| {
                    let field = if fields.contains(&d.field) {
                        d.field
                    } else {
                        "form"
                    };
                    (field, d.message.render(lang.into()))
                })
                .collect(),
        )
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|(f, _)| *f == field)
    }

    /// The message for `field`, or `""`.
    pub fn of(&self, field: &str) -> &str {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map_or("", |(_, m)| m.as_str())
    }
}

/// The value of a text field of a multipart form, `""` if absent.
fn field(fields: &[(String, String)], name: &str) -> String {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// The logo and licence parts of a multipart form.
fn employer_files(files: Vec<UploadedPart>) -> EmployerFiles {
    let mut out = EmployerFiles::default();
    for part in files {
        let upload = Upload {
            file_name: part.file_name,
            bytes: part.bytes,
        };
        match part.name.as_str() {
            "logo" => out.logo = Some(upload),
            "licence" => out.licence = Some(upload),
            _ => {}
        }
    }
    out
}

/// Catalogue key of a join status.
pub fn status_key(status: Option<JoinStatus>) -> &'static str {
    match status {
        None => "employers.status.none",
        Some(JoinStatus::Pending) => "employers.status.pending",
        Some(JoinStatus::Approved) => "employers.status.approved",
        Some(JoinStatus::Rejected) => "employers.status.rejected",
    }
}

/// Catalogue key of an organizer kind.
pub fn kind_key(kind: OrganizerKind) -> &'static str {
    match kind {
        OrganizerKind::City => "employers.kind.city",
        OrganizerKind::University => "employers.kind.university",
    }
}

/// Catalogue key of a company size (`CompanySize::as_str`).
pub fn size_key(size: &str) -> &'static str {
    match size {
        "lt50" => "employers.size.lt50",
        "50-99" => "employers.size.50",
        "100-499" => "employers.size.100",
        "500-999" => "employers.size.500",
        "1000-9999" => "employers.size.1000",
        "10000+" => "employers.size.10000",
        _ => "employers.unknown",
    }
}

/// Catalogue key of an education level (`Education::as_str`).
pub fn education_key(education: &str) -> &'static str {
    match education {
        "associate" => "employers.education.associate",
        "bachelor" => "employers.education.bachelor",
        "master" => "employers.education.master",
        "doctor" => "employers.education.doctor",
        _ => "employers.education.any",
    }
}

/// One option of a `<select>`: the value, its catalogue key, and whether it is chosen.
pub struct SelectOption {
    pub value: &'static str,
    pub key: &'static str,
    pub selected: bool,
}

pub fn size_options(current: &str) -> Vec<SelectOption> {
    fairhall_domain::employer::CompanySize::ALL
        .into_iter()
        .map(|s| SelectOption {
            value: s.as_str(),
            key: size_key(s.as_str()),
            selected: s.as_str() == current,
        })
        .collect()
}

pub fn education_options(current: &str) -> Vec<SelectOption> {
    fairhall_domain::employer::Education::ALL
        .into_iter()
        .map(|e| SelectOption {
            value: e.as_str(),
            key: education_key(e.as_str()),
            selected: e.as_str() == current,
        })
        .collect()
}

/// Common industries offered as suggestions (a `<datalist>`; any text is accepted).
pub const INDUSTRIES: &[&str] = &[
    "互联网/IT",
    "电子/通信/半导体",
    "机械/制造",
    "汽车",
    "能源/化工/环保",
    "建筑/房地产",
    "金融/银行/保险",
    "教育/培训",
    "医药/医疗",
    "交通/物流",
    "批发/零售/快消",
    "文化/传媒/广告",
    "咨询/法律/人力资源",
    "政府/事业单位/非营利",
    "农林牧渔",
    "其他",
];
