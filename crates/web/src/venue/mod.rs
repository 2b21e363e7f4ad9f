//! The venue for students: the employer list of a fair, employer and position details, and deliveries (投递简历) with the employer's received-resume pages.
//!
//! Student pages (phone first) live under `/f/{code}/…` and `/student/deliveries`; the
//! employer's side under `/employer/deliveries`. The JSON API is under
//! `/api/v1/fairs/{fair_id}/employers…`, `/api/v1/fairs/{fair_id}/positions/…`,
//! `/api/v1/deliveries` and `/api/v1/employer/deliveries`.

mod api;
mod pages;

use axum::Router;
use axum::routing::{get, post};
use fairhall_domain::employer::Education;
use fairhall_domain::fair::VideoButton;
use utoipa_axum::routes;

use crate::AppState;
use crate::i18n::Tr;
use crate::openapi::ApiRoutes;
use crate::pages::fmt_time;

pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/f/{code}/employers", get(pages::employers))
        .route(
            "/f/{code}/employers/{registration_id}",
            get(pages::employer),
        )
        .route("/f/{code}/positions/{position_id}", get(pages::position))
        .route("/f/{code}/deliver", post(pages::deliver))
        .route("/student/deliveries", get(pages::my_deliveries))
        .route("/employer/deliveries", get(pages::received))
        .route("/employer/deliveries/{id}", get(pages::open_delivery))
}

pub fn api() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(api::employers))
        .routes(routes!(api::filters))
        .routes(routes!(api::employer))
        .routes(routes!(api::position))
        .routes(routes!(api::my_deliveries, api::deliver))
        .routes(routes!(api::received))
        .routes(routes!(api::open_delivery))
}

/// The catalogue key of a stored education (either spelling).
pub fn education_key(stored: &str) -> &'static str {
    crate::employers::education_key(Education::parse(stored).map_or("any", |e| e.as_str()))
}

/// The video-interview button's words in the visitor's language.
pub fn video_label(tr: Tr, v: VideoButton) -> String {
    match v {
        VideoButton::OpensAt(ms) => tr.t("venue.video_opens").replace("{time}", &fmt_time(ms)),
        VideoButton::Live => tr.t("venue.video_soon").to_string(),
        VideoButton::Ended => tr.t("venue.video_ended").to_string(),
    }
}

/// `8000–12000`, `8000`, or empty when negotiable (the caller says 面议).
pub fn salary_text(min: Option<i64>, max: Option<i64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a}–{b}"),
        (Some(a), None) => format!("{a}+"),
        (None, Some(b)) => format!("≤{b}"),
        (None, None) => String::new(),
    }
}

/// Majors of a stored position as a list.
pub fn majors_list(stored: &str) -> Vec<String> {
    fairhall_app::venue::split_majors([stored])
}

/// The public address of an employer's logo.
pub fn logo_url(key: Option<&str>) -> Option<String> {
    key.filter(|k| !k.is_empty()).map(|k| format!("/files/{k}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    #[test]
    fn the_video_button_says_when_it_opens() {
        let zh = Tr { lang: Lang::Zh };
        // 2026-11-26T00:00:00Z is 08:00 in Beijing.
        let label = video_label(zh, VideoButton::OpensAt(1_795_651_200_000));
        assert!(label.contains("2026-11-26 08:00"), "{label}");
        assert!(!label.contains("{time}"));
        assert!(video_label(zh, VideoButton::Live).contains("即将开放"));
        let en = Tr { lang: Lang::En };
        assert!(video_label(en, VideoButton::OpensAt(0)).contains("1970-01-01 08:00"));
    }

    #[test]
    fn salaries_and_educations_read_naturally() {
        assert_eq!(salary_text(Some(8000), Some(12000)), "8000–12000");
        assert_eq!(salary_text(Some(8000), Some(8000)), "8000");
        assert_eq!(salary_text(None, None), "");
        assert_eq!(education_key("本科"), "employers.education.bachelor");
        assert_eq!(education_key("master"), "employers.education.master");
        assert_eq!(education_key("?"), "employers.education.any");
        assert_eq!(logo_url(Some("ab")), Some("/files/ab".into()));
        assert_eq!(logo_url(Some("")), None);
    }
}
