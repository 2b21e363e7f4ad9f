//! `/api/v1/fairs/{fair_id}/employers…`, `/api/v1/fairs/{fair_id}/positions/…`,
//! `/api/v1/deliveries`, `/api/v1/employer/deliveries…`.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use fairhall_app::venue::{
    Delivered, EmployerDetail, EmployerList, EmployerQuery, FilterOptions, PositionDetail,
};
use fairhall_app::venue::{
    DirectoryPage, EmployerDelivery, StudentDelivery, VenueEmployer, VenuePosition,
};
use fairhall_domain::fair::VideoButton;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use utoipa::{IntoParams, ToSchema};

use super::{logo_url, majors_list};
use crate::AppState;
use crate::brochures::{BlockView, blocks_for};
use crate::error::{ApiError, ApiErrorBody, JsonBody, PathParams, QueryParams};
use crate::openapi::{BodyRejected, Forbidden, Invalid, NotFound, Unauthorized};
use crate::session::CurrentUser;

/// The video-interview button. Before the fair it shows when it opens; during the live window
/// it applies for an interview (申请面试); the student's own ticket with an employer, if any, is
/// at `GET /api/v1/tickets`.
#[derive(Debug, Serialize, ToSchema)]
pub struct VideoView {
    /// `opens_at` (before the fair), `live` or `ended`.
    pub state: String,
    /// When the fair's live window opens (Unix ms).
    pub opens_at: i64,
    /// Whether applying is possible now (the fair is live).
    pub enabled: bool,
}

pub fn video_view(v: VideoButton, starts_at: i64) -> VideoView {
    VideoView {
        state: v.as_str().to_string(),
        opens_at: starts_at,
        enabled: matches!(v, VideoButton::Live),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VenuePositionView {
    pub id: i64,
    pub registration_id: i64,
    pub title: String,
    pub headcount: i64,
    /// `any`, `associate`, `bachelor`, `master` or `doctor`.
    pub education: String,
    pub education_label: String,
    /// Empty: any major.
    pub majors: Vec<String>,
    pub city: String,
    /// 元/月; both null: negotiable.
    pub salary_min: Option<i64>,
    pub salary_max: Option<i64>,
    pub description: Option<String>,
    pub detail_path: String,
}

pub fn position_view(p: &VenuePosition, fair_code: &str) -> VenuePositionView {
    let education = fairhall_domain::employer::Education::parse(&p.education).ok();
    VenuePositionView {
        id: p.id,
        registration_id: p.registration_id,
        title: p.title.clone(),
        headcount: p.headcount,
        education: education.map_or("any", |e| e.as_str()).to_string(),
        education_label: education.map_or("不限", |e| e.label_zh()).to_string(),
        majors: majors_list(&p.majors),
        city: p.city.clone(),
        salary_min: p.salary_min,
        salary_max: p.salary_max,
        description: p.description.clone(),
        detail_path: format!("/f/{fair_code}/positions/{}", p.id),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmployerCardView {
    pub registration_id: i64,
    pub employer_id: i64,
    pub name: String,
    pub industry: Option<String>,
    pub city: Option<String>,
    pub size: Option<String>,
    /// `/files/{key}`, public.
    pub logo_url: Option<String>,
    pub positions: Vec<VenuePositionView>,
    pub detail_path: String,
    pub chat_path: String,
}

fn card(e: &VenueEmployer, positions: &[VenuePosition], code: &str) -> EmployerCardView {
    EmployerCardView {
        registration_id: e.registration_id,
        employer_id: e.employer_id,
        name: e.name.clone(),
        industry: e.industry.clone(),
        city: e.city.clone(),
        size: e.size.clone(),
        logo_url: logo_url(e.logo_key.as_deref()),
        positions: positions.iter().map(|p| position_view(p, code)).collect(),
        detail_path: format!("/f/{code}/employers/{}", e.registration_id),
        chat_path: format!("/f/{code}/employers/{}/chat", e.registration_id),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmployerListView {
    pub fair_id: i64,
    /// Employers matching the query, on all pages.
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub page_size: i64,
    pub items: Vec<EmployerCardView>,
    pub video: VideoView,
}

/// `EmployerListView` as it is sent: the items come already rendered (`items_json`).
#[derive(Serialize)]
struct EmployerListBody<'a> {
    fair_id: i64,
    total: i64,
    page: i64,
    pages: i64,
    page_size: i64,
    items: &'a RawValue,
    video: VideoView,
}

/// Renderings of list pages, each kept with the page it renders: a page is shared by every
/// student who asks for it while it is fresh and never changes, so its JSON is made once
/// rather than on every request (at thousands of requests a second, rendering 20 employers
/// with their positions was most of the work). Keyed by the page's address, which cannot be
/// reused while the entry holds the page.
type Renderings = moka::sync::Cache<usize, (Arc<DirectoryPage>, Arc<RawValue>)>;

static RENDERED: std::sync::LazyLock<Renderings> = std::sync::LazyLock::new(|| {
    moka::sync::Cache::builder()
        .max_capacity(4_000)
        .time_to_live(std::time::Duration::from_secs(10))
        .build()
});

fn items_json(l: &EmployerList) -> Result<Arc<RawValue>, ApiError> {
    let key = Arc::as_ptr(&l.listed) as usize;
    if let Some((page, json)) = RENDERED.get(&key)
        && Arc::ptr_eq(&page, &l.listed)
    {
        return Ok(json);
    }
    let items: Vec<EmployerCardView> = l
        .items()
        .iter()
        .map(|c| card(&c.employer, &c.positions, &l.fair.entry_code))
        .collect();
    let json: Arc<RawValue> = serde_json::value::to_raw_value(&items)
        .map_err(|e| ApiError::from(fairhall_app::AppError::Internal(e.into())))?
        .into();
    RENDERED.insert(key, (l.listed.clone(), json.clone()));
    Ok(json)
}

/// The list as `EmployerListView` JSON.
fn list_response(l: &EmployerList) -> Result<Response, ApiError> {
    let items = items_json(l)?;
    Ok(Json(EmployerListBody {
        fair_id: l.fair.id,
        total: l.total,
        page: l.page,
        pages: l.pages,
        page_size: fairhall_app::venue::PAGE_SIZE,
        items: &items,
        video: video_view(l.video, l.fair.starts_at),
    })
    .into_response())
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct EmployerListQuery {
    /// Words in the employer's name or a position's title.
    pub q: String,
    /// The employer's city or a position's city.
    pub city: String,
    pub industry: String,
    /// `any`, `associate`, `bachelor`, `master`, `doctor` (or 不限/大专/本科/硕士/博士).
    pub education: String,
    /// Part of a position's majors.
    pub major: String,
    /// From 1; 20 employers a page.
    pub page: Option<i64>,
}

impl EmployerListQuery {
    pub fn to_query(&self) -> EmployerQuery {
        EmployerQuery {
            q: self.q.clone(),
            city: self.city.clone(),
            industry: self.industry.clone(),
            education: self.education.clone(),
            major: self.major.clone(),
            page: self.page.unwrap_or(1),
        }
    }
}

/// 参会单位: the fair's approved employers, searched, filtered and paged (students who
/// entered the fair).
#[utoipa::path(get, path = "/api/v1/fairs/{fair_id}/employers", tag = "venue",
    params(("fair_id" = i64, Path, description = "Fair id"), EmployerListQuery),
    responses((status = 200, body = EmployerListView), Unauthorized, NotFound, Invalid,
              (status = 403, description = "Not a student, or `not_entered`", body = ApiErrorBody)))]
pub async fn employers(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(fair_id): PathParams<i64>,
    QueryParams(q): QueryParams<EmployerListQuery>,
) -> Result<Response, ApiError> {
    let list = state
        .venue_employers(&user.user, fair_id, &q.to_query())
        .await?;
    list_response(&list)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EducationChoice {
    pub value: String,
    pub label: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FiltersView {
    pub cities: Vec<String>,
    pub industries: Vec<String>,
    pub educations: Vec<EducationChoice>,
    pub majors: Vec<String>,
}

impl From<FilterOptions> for FiltersView {
    fn from(f: FilterOptions) -> Self {
        FiltersView {
            cities: f.cities,
            industries: f.industries,
            educations: f
                .educations
                .iter()
                .map(|e| EducationChoice {
                    value: e.as_str().into(),
                    label: e.label_zh().into(),
                })
                .collect(),
            majors: f.majors,
        }
    }
}

/// The values the list's filters offer: the cities, industries, educations and majors of the
/// fair's employers and positions.
#[utoipa::path(get, path = "/api/v1/fairs/{fair_id}/employers/filters", tag = "venue",
    params(("fair_id" = i64, Path, description = "Fair id")),
    responses((status = 200, body = FiltersView), Unauthorized, Forbidden, NotFound, Invalid))]
pub async fn filters(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(fair_id): PathParams<i64>,
) -> Result<Json<FiltersView>, ApiError> {
    Ok(Json(state.venue_filters(&user.user, fair_id).await?.into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VenueBrochureView {
    pub id: i64,
    pub title: String,
    pub blocks: Vec<BlockView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmployerDetailView {
    #[serde(flatten)]
    pub card: EmployerCardView,
    pub address: Option<String>,
    pub description: Option<String>,
    /// The brochure chosen for this fair.
    pub brochure: Option<VenueBrochureView>,
    /// Whether the student delivered to the employer as a whole.
    pub delivered: bool,
    /// Positions the student delivered to.
    pub delivered_position_ids: Vec<i64>,
    pub video: VideoView,
}

pub fn detail_view(d: &EmployerDetail) -> EmployerDetailView {
    EmployerDetailView {
        card: card(&d.employer, &d.positions, &d.fair.entry_code),
        address: d.profile.address.clone(),
        description: d.profile.description.clone(),
        brochure: d.brochure.as_ref().map(|b| VenueBrochureView {
            id: b.id,
            title: b.title.clone(),
            blocks: blocks_for(&b.content),
        }),
        delivered: d.delivered.contains(&0),
        delivered_position_ids: d.delivered.iter().copied().filter(|k| *k != 0).collect(),
        video: video_view(d.video, d.fair.starts_at),
    }
}

/// An employer in the fair: profile, brochure and positions.
#[utoipa::path(get, path = "/api/v1/fairs/{fair_id}/employers/{registration_id}", tag = "venue",
    params(("fair_id" = i64, Path, description = "Fair id"),
           ("registration_id" = i64, Path, description = "The employer's registration in the fair")),
    responses((status = 200, body = EmployerDetailView), Unauthorized, Forbidden, Invalid,
              (status = 404, description = "Not an approved employer of this fair", body = ApiErrorBody)))]
pub async fn employer(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams((fair_id, registration_id)): PathParams<(i64, i64)>,
) -> Result<Json<EmployerDetailView>, ApiError> {
    let d = state
        .venue_employer(&user.user, fair_id, registration_id)
        .await?;
    Ok(Json(detail_view(&d)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PositionDetailView {
    #[serde(flatten)]
    pub position: VenuePositionView,
    pub employer: EmployerCardView,
    pub delivered: bool,
    pub video: VideoView,
}

/// A position offered in the fair.
#[utoipa::path(get, path = "/api/v1/fairs/{fair_id}/positions/{position_id}", tag = "venue",
    params(("fair_id" = i64, Path, description = "Fair id"),
           ("position_id" = i64, Path, description = "Position id")),
    responses((status = 200, body = PositionDetailView), Unauthorized, Forbidden, Invalid,
              (status = 404, description = "Not offered in this fair", body = ApiErrorBody)))]
pub async fn position(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams((fair_id, position_id)): PathParams<(i64, i64)>,
) -> Result<Json<PositionDetailView>, ApiError> {
    let d: PositionDetail = state
        .venue_position(&user.user, fair_id, position_id)
        .await?;
    let code = &d.fair.entry_code;
    Ok(Json(PositionDetailView {
        position: position_view(&d.position, code),
        employer: card(&d.employer, &[], code),
        delivered: d.delivered,
        video: video_view(d.video, d.fair.starts_at),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DeliverInput {
    pub fair_id: i64,
    /// The employer's registration in the fair.
    pub registration_id: i64,
    /// One of the positions the employer offers in the fair; absent: the employer as a whole.
    pub position_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveredView {
    pub id: i64,
    pub fair_id: i64,
    pub registration_id: i64,
}

impl From<Delivered> for DeliveredView {
    fn from(d: Delivered) -> Self {
        DeliveredView {
            id: d.id,
            fair_id: d.fair_id,
            registration_id: d.registration_id,
        }
    }
}

/// 投递简历: deliver the resume to an employer of the fair, optionally for one position.
#[utoipa::path(post, path = "/api/v1/deliveries", tag = "venue",
    request_body = DeliverInput,
    responses((status = 201, body = DeliveredView), Unauthorized, NotFound, BodyRejected,
              (status = 409, description = "`already_delivered`", body = ApiErrorBody),
              (status = 422, description = "`unknown_position`, or `fair_ended`", body = ApiErrorBody),
              (status = 403, description = "Not a student, or `not_entered`", body = ApiErrorBody)))]
pub async fn deliver(
    State(state): State<AppState>,
    user: CurrentUser,
    JsonBody(input): JsonBody<DeliverInput>,
) -> Result<(StatusCode, Json<DeliveredView>), ApiError> {
    let d = state
        .deliver_resume(
            &user.user,
            input.fair_id,
            input.registration_id,
            input.position_id,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(d.into())))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StudentDeliveryView {
    pub id: i64,
    pub fair_id: i64,
    pub fair_title: String,
    pub registration_id: i64,
    pub employer: String,
    pub position_id: Option<i64>,
    pub position: Option<String>,
    pub delivered_at: i64,
    pub viewed: bool,
    pub viewed_at: Option<i64>,
    pub employer_path: String,
}

impl From<&StudentDelivery> for StudentDeliveryView {
    fn from(d: &StudentDelivery) -> Self {
        StudentDeliveryView {
            id: d.id,
            fair_id: d.fair_id,
            fair_title: d.fair_title.clone(),
            registration_id: d.registration_id,
            employer: d.employer_name.clone(),
            position_id: d.position_id,
            position: d.position_title.clone(),
            delivered_at: d.created_at,
            viewed: d.viewed_at.is_some(),
            viewed_at: d.viewed_at,
            employer_path: format!("/f/{}/employers/{}", d.entry_code, d.registration_id),
        }
    }
}

/// 我的投递: the student's deliveries, newest first, with whether each was viewed.
#[utoipa::path(get, path = "/api/v1/deliveries", tag = "venue",
    responses((status = 200, body = [StudentDeliveryView]), Unauthorized, Forbidden))]
pub async fn my_deliveries(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<Vec<StudentDeliveryView>>, ApiError> {
    let list = state.my_deliveries(&user.user).await?;
    Ok(Json(list.iter().map(StudentDeliveryView::from).collect()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmployerDeliveryView {
    pub id: i64,
    pub fair_id: i64,
    pub fair_title: String,
    pub student_id: i64,
    pub student_name: String,
    pub school: Option<String>,
    pub major: Option<String>,
    pub degree: Option<String>,
    pub graduation_year: Option<i64>,
    pub position_id: Option<i64>,
    pub position: Option<String>,
    pub delivered_at: i64,
    pub viewed: bool,
    pub viewed_at: Option<i64>,
    pub viewed_by: Option<String>,
    /// Opening this page marks the delivery viewed and shows the resume.
    pub open_path: String,
}

impl From<&EmployerDelivery> for EmployerDeliveryView {
    fn from(d: &EmployerDelivery) -> Self {
        EmployerDeliveryView {
            id: d.id,
            fair_id: d.fair_id,
            fair_title: d.fair_title.clone(),
            student_id: d.student_id,
            student_name: d.student_name.clone(),
            school: d.school.clone(),
            major: d.major.clone(),
            degree: d.degree.clone(),
            graduation_year: d.graduation_year,
            position_id: d.position_id,
            position: d.position_title.clone(),
            delivered_at: d.created_at,
            viewed: d.viewed_at.is_some(),
            viewed_at: d.viewed_at,
            viewed_by: d.viewed_by_name.clone(),
            open_path: format!("/employer/deliveries/{}", d.id),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FairFilter {
    /// Only deliveries in this fair.
    pub fair_id: Option<i64>,
}

/// 收到的简历: deliveries the employer received (its admin and its interviewers), newest first.
#[utoipa::path(get, path = "/api/v1/employer/deliveries", tag = "venue", params(FairFilter),
    responses((status = 200, body = [EmployerDeliveryView]), Unauthorized, Forbidden, Invalid))]
pub async fn received(
    State(state): State<AppState>,
    user: CurrentUser,
    QueryParams(q): QueryParams<FairFilter>,
) -> Result<Json<Vec<EmployerDeliveryView>>, ApiError> {
    let r = state
        .received_deliveries(&user.user, q.fair_id.filter(|f| *f > 0))
        .await?;
    Ok(Json(
        r.deliveries
            .iter()
            .map(EmployerDeliveryView::from)
            .collect(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OpenedDeliveryView {
    pub id: i64,
    pub fair_id: i64,
    pub student_id: i64,
    pub position_id: Option<i64>,
    pub delivered_at: i64,
    pub viewed_at: Option<i64>,
    pub viewed_by: Option<i64>,
    /// The student's resume, as the employer reads it in this fair.
    pub resume_path: String,
}

/// Opens a received delivery: the first opening marks it viewed (by whom, when).
#[utoipa::path(get, path = "/api/v1/employer/deliveries/{id}", tag = "venue",
    params(("id" = i64, Path, description = "Delivery id")),
    responses((status = 200, body = OpenedDeliveryView), Unauthorized, Forbidden, Invalid,
              (status = 404, description = "No such delivery to this employer", body = ApiErrorBody)))]
pub async fn open_delivery(
    State(state): State<AppState>,
    user: CurrentUser,
    PathParams(id): PathParams<i64>,
) -> Result<Json<OpenedDeliveryView>, ApiError> {
    let d = state.open_delivery(&user.user, id).await?;
    Ok(Json(OpenedDeliveryView {
        id: d.id,
        fair_id: d.fair_id,
        student_id: d.student_id,
        position_id: d.position_id,
        delivered_at: d.created_at,
        viewed_at: d.viewed_at,
        viewed_by: d.viewed_by,
        resume_path: resume_path(d.fair_id, d.student_id),
    }))
}

/// The employer's page of a student's resume in a fair.
pub fn resume_path(fair_id: i64, student_id: i64) -> String {
    format!("/employer/fairs/{fair_id}/students/{student_id}")
}
