//! Fair sign-up (报名) by employers, review and changes by organizer staff, 我的报名.
//!
//! Employer pages live under `/employer/fairs` (云校招-视频双选会, the sign-up form) and
//! `/employer/registrations` (我的报名); staff pages under `/staff/registrations`.

mod api;
mod pages;

use axum::Router;
use axum::routing::{get, post};
use utoipa_axum::routes;

use crate::AppState;
use crate::openapi::ApiRoutes;

pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/employer/fairs", get(pages::fairs))
        .route(
            "/employer/fairs/{id}/signup",
            get(pages::signup_form).post(pages::signup_submit),
        )
        .route("/employer/registrations", get(pages::mine))
        .route(
            "/employer/registrations/{id}/edit",
            get(pages::edit_form).post(pages::edit_submit),
        )
        .route("/staff/registrations", get(pages::staff_list))
        .route("/staff/registrations/{id}", get(pages::staff_detail))
        .route(
            "/staff/registrations/{id}/approve",
            post(pages::staff_approve),
        )
        .route(
            "/staff/registrations/{id}/reject",
            post(pages::staff_reject),
        )
        .route(
            "/staff/registrations/{id}/edit",
            get(pages::staff_edit_form).post(pages::staff_edit_submit),
        )
        .route("/f/{code}/signup", get(pages::signup_from_entry))
}

pub fn api() -> ApiRoutes {
    ApiRoutes::new()
        .routes(routes!(api::fairs))
        .routes(routes!(api::sign_up))
        .routes(routes!(api::mine))
        .routes(routes!(api::edit))
        .routes(routes!(api::staff_list))
        .routes(routes!(api::staff_detail, api::staff_edit))
        .routes(routes!(api::staff_approve))
        .routes(routes!(api::staff_reject))
}
