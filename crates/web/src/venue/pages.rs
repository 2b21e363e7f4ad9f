//! The venue's pages: the employer list, employer and position pages, 投递简历 and 我的投递 for
//! students (phone first); 收到的简历 for employers (desktop).

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, RawForm, State};
use axum::response::{IntoResponse, Redirect, Response};
use fairhall_app::AppError;
use fairhall_app::fairs::Fair;
use fairhall_app::venue::VenuePosition;
use fairhall_domain::fair::VideoButton;
use fairhall_domain::ticket::{ApplyButton, TicketShown};
use serde::Deserialize;

use super::api::{EmployerListQuery, resume_path};
use fairhall_app::notices::TicketState;

use super::{education_key, logo_url, salary_text, video_label};
use crate::AppState;
use crate::brochures::{BlockView, blocks_for};
use crate::error::fail;
use crate::guard::{Employer, SignedIn, Student};
use crate::i18n::Lang;
use crate::pages::{Base, fmt_time, render};
use crate::session::CurrentUser;

/// A student page of a fair: the fair, or the error page.
async fn student_fair(
    state: &AppState,
    lang: Lang,
    user: CurrentUser,
    code: &str,
) -> Result<(CurrentUser, Fair, Base), Response> {
    let mut b = Base::new(lang, Some(user.clone()));
    b.tab = "fairs";
    match state.fair_by_code(code).await {
        Ok(Some(fair)) => Ok((user, fair, b)),
        Ok(None) => Err(fail(b, AppError::NotFound)),
        Err(e) => Err(fail(b, e)),
    }
}

/// A refused venue action: a student who has not entered goes to the fair's entry page (with
/// its 报名进入会场 button); anything else is the error page.
fn refused(b: Base, code: &str, e: AppError) -> Response {
    match e {
        AppError::Refused {
            code: "not_entered",
            ..
        } => Redirect::to(&format!("/f/{code}")).into_response(),
        e => fail(b, e),
    }
}

/// The video-interview button as a template shows it.
pub struct VideoBtn {
    /// `opens_at`, `live` or `ended` with no ticket; `apply` (申请面试, enabled) while live;
    /// or the ticket's state: `pending`, `invited`, `queued`, `in_call`, `done`, `rejected`.
    pub state: &'static str,
    pub label: String,
    /// Enabled: 申请面试 posts the application.
    pub apply: bool,
    pub applied_label: String,
}

/// The button for one employer, as `ApplyButton` decides it.
fn video_btn(b: &Base, v: VideoButton, ticket: Option<&TicketState>) -> VideoBtn {
    let applied_label = b.t("interviews.apply_pending").to_string();
    match ApplyButton::of(v, ticket.map(|t| (t.status, t.origin))) {
        ApplyButton::Ticket(shown) => VideoBtn {
            state: shown.as_str(),
            label: b.t(shown_key(shown)).to_string(),
            apply: false,
            applied_label,
        },
        ApplyButton::Apply => VideoBtn {
            state: "apply",
            label: b.t("interviews.apply").to_string(),
            apply: true,
            applied_label,
        },
        ApplyButton::Closed(v) => VideoBtn {
            state: v.as_str(),
            label: video_label(b.tr, v),
            apply: false,
            applied_label,
        },
    }
}

pub fn shown_key(shown: TicketShown) -> &'static str {
    match shown {
        TicketShown::Rejected => "interviews.apply_rejected",
        TicketShown::Invited => "interviews.apply_invited",
        TicketShown::Pending => "interviews.apply_pending",
        TicketShown::Queued => "interviews.apply_queued",
        TicketShown::InCall => "interviews.apply_in_call",
        TicketShown::Done => "interviews.apply_done",
    }
}

/// A position as a template lists it.
pub struct PositionRow {
    pub id: i64,
    pub title: String,
    pub headcount: i64,
    pub education_key: &'static str,
    /// Joined with `、`; empty: any major.
    pub majors: String,
    pub city: String,
    /// Empty: negotiable.
    pub salary: String,
    pub description: String,
    pub delivered: bool,
}

fn position_row(p: &VenuePosition, delivered: &[i64]) -> PositionRow {
    PositionRow {
        id: p.id,
        title: p.title.clone(),
        headcount: p.headcount,
        education_key: education_key(&p.education),
        majors: super::majors_list(&p.majors).join("、"),
        city: p.city.clone(),
        salary: salary_text(p.salary_min, p.salary_max),
        description: p.description.clone().unwrap_or_default(),
        delivered: delivered.contains(&p.id),
    }
}

/// The first character of a name, shown where an employer has no logo.
fn initial(name: &str) -> String {
    name.chars().next().map(String::from).unwrap_or_default()
}

// ---------------------------------------------------------------- the employer list

/// How many positions a card names before "and N more".
const CARD_POSITIONS: usize = 3;

pub struct CardRow {
    pub registration_id: i64,
    pub name: String,
    pub initial: String,
    /// Empty: no logo.
    pub logo: String,
    pub industry: String,
    pub city: String,
    pub positions: Vec<PositionRow>,
    pub more: usize,
    pub video: VideoBtn,
}

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn opts(values: Vec<String>, current: &str) -> Vec<Opt> {
    values
        .into_iter()
        .map(|v| Opt {
            selected: v == current,
            label: v.clone(),
            value: v,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "venue/employers.html")]
struct EmployersPage {
    b: Base,
    code: String,
    fair_title: String,
    q: String,
    cities: Vec<Opt>,
    industries: Vec<Opt>,
    educations: Vec<Opt>,
    majors: Vec<Opt>,
    filtered: bool,
    total: i64,
    page: i64,
    pages: i64,
    prev: String,
    next: String,
    rows: Vec<CardRow>,
    fair_id: i64,
}

/// The list's address with these filters and `page`, so paging keeps what was chosen.
fn list_link(code: &str, q: &EmployerListQuery, page: i64) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in [
        ("q", &q.q),
        ("city", &q.city),
        ("industry", &q.industry),
        ("education", &q.education),
        ("major", &q.major),
    ] {
        if !v.trim().is_empty() {
            s.append_pair(k, v.trim());
        }
    }
    if page > 1 {
        s.append_pair("page", &page.to_string());
    }
    let qs = s.finish();
    if qs.is_empty() {
        format!("/f/{code}/employers")
    } else {
        format!("/f/{code}/employers?{qs}")
    }
}

pub async fn employers(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<Student>,
    Path(code): Path<String>,
    query: Result<Query<EmployerListQuery>, QueryRejection>,
) -> Response {
    // A malformed query (say `page=x`) shows the first page rather than an error.
    let q = query.map(|Query(q)| q).unwrap_or_default();
    let (user, fair, b) = match student_fair(&state, lang, user, &code).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    // From here on, the stored code: safe in any address.
    let code = fair.entry_code.clone();
    let list = match state
        .venue_employers(&user.user, fair.id, &q.to_query())
        .await
    {
        Ok(l) => l,
        Err(e) => return refused(b, &code, e),
    };
    let filters = match state.venue_filters(&user.user, fair.id).await {
        Ok(f) => f,
        Err(e) => return refused(b, &code, e),
    };
    let chosen_education =
        fairhall_domain::employer::Education::parse(&q.education).map_or("", |e| e.as_str());
    let educations = filters
        .educations
        .iter()
        .map(|e| Opt {
            value: e.as_str().to_string(),
            label: b.t(crate::employers::education_key(e.as_str())).to_string(),
            selected: e.as_str() == chosen_education,
        })
        .collect();
    let tickets = match state.my_ticket_states(&user.user, fair.id).await {
        Ok(t) => t,
        Err(e) => return refused(b, &code, e),
    };
    let rows = list
        .items()
        .iter()
        .map(|c| CardRow {
            video: video_btn(&b, list.video, tickets.get(&c.employer.registration_id)),
            registration_id: c.employer.registration_id,
            name: c.employer.name.clone(),
            initial: initial(&c.employer.name),
            logo: logo_url(c.employer.logo_key.as_deref()).unwrap_or_default(),
            industry: c.employer.industry.clone().unwrap_or_default(),
            city: c.employer.city.clone().unwrap_or_default(),
            positions: c
                .positions
                .iter()
                .take(CARD_POSITIONS)
                .map(|p| position_row(p, &[]))
                .collect(),
            more: c.positions.len().saturating_sub(CARD_POSITIONS),
        })
        .collect();
    let page = list.page.min(list.pages);
    render(&EmployersPage {
        code: code.clone(),
        fair_title: list.fair.title.clone(),
        filtered: [&q.q, &q.city, &q.industry, &q.education, &q.major]
            .iter()
            .any(|v| !v.trim().is_empty()),
        cities: opts(filters.cities, q.city.trim()),
        industries: opts(filters.industries, q.industry.trim()),
        educations,
        majors: opts(filters.majors, q.major.trim()),
        q: q.q.clone(),
        total: list.total,
        page: list.page,
        pages: list.pages,
        prev: if page > 1 {
            list_link(&code, &q, page - 1)
        } else {
            String::new()
        },
        next: if list.page < list.pages {
            list_link(&code, &q, list.page + 1)
        } else {
            String::new()
        },
        rows,
        fair_id: fair.id,
        b,
    })
}

// ---------------------------------------------------------------- an employer

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    /// After 投递简历: `ok`, `already` or `ended`.
    delivered: Option<String>,
}

fn notice_key(q: &NoticeQuery) -> &'static str {
    match q.delivered.as_deref() {
        Some("ok") => "venue.delivered_ok",
        Some("already") => "venue.delivered_already",
        Some("ended") => "venue.delivered_ended",
        _ => "",
    }
}

#[derive(Template)]
#[template(path = "venue/employer.html")]
struct EmployerPage {
    b: Base,
    code: String,
    fair_title: String,
    registration_id: i64,
    name: String,
    initial: String,
    logo: String,
    industry: String,
    city: String,
    size: String,
    address: String,
    description: String,
    brochure_title: String,
    blocks: Vec<BlockView>,
    positions: Vec<PositionRow>,
    delivered: bool,
    notice: &'static str,
    video: VideoBtn,
    fair_id: i64,
}

pub async fn employer(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<Student>,
    Path((code, registration_id)): Path<(String, i64)>,
    query: Result<Query<NoticeQuery>, QueryRejection>,
) -> Response {
    let nq = query.map(|Query(q)| q).unwrap_or_default();
    let (user, fair, b) = match student_fair(&state, lang, user, &code).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    // From here on, the stored code: safe in any address.
    let code = fair.entry_code.clone();
    let d = match state
        .venue_employer(&user.user, fair.id, registration_id)
        .await
    {
        Ok(d) => d,
        Err(e) => return refused(b, &code, e),
    };
    let tickets = match state.my_ticket_states(&user.user, fair.id).await {
        Ok(t) => t,
        Err(e) => return refused(b, &code, e),
    };
    render(&EmployerPage {
        fair_id: fair.id,
        code: code.clone(),
        fair_title: d.fair.title.clone(),
        registration_id,
        initial: initial(&d.employer.name),
        name: d.employer.name.clone(),
        logo: logo_url(d.employer.logo_key.as_deref()).unwrap_or_default(),
        industry: d.employer.industry.clone().unwrap_or_default(),
        city: d.employer.city.clone().unwrap_or_default(),
        size: d.employer.size.clone().unwrap_or_default(),
        address: d.profile.address.clone().unwrap_or_default(),
        description: d.profile.description.clone().unwrap_or_default(),
        brochure_title: d
            .brochure
            .as_ref()
            .map(|x| x.title.clone())
            .unwrap_or_default(),
        blocks: d
            .brochure
            .as_ref()
            .map(|x| blocks_for(&x.content))
            .unwrap_or_default(),
        positions: d
            .positions
            .iter()
            .map(|p| position_row(p, &d.delivered))
            .collect(),
        delivered: d.delivered.contains(&0),
        notice: notice_key(&nq),
        video: video_btn(&b, d.video, tickets.get(&registration_id)),
        b,
    })
}

// ---------------------------------------------------------------- a position

#[derive(Template)]
#[template(path = "venue/position.html")]
struct PositionPage {
    b: Base,
    code: String,
    registration_id: i64,
    employer: String,
    employer_industry: String,
    employer_city: String,
    p: PositionRow,
    notice: &'static str,
    video: VideoBtn,
    fair_id: i64,
}

pub async fn position(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<Student>,
    Path((code, position_id)): Path<(String, i64)>,
    query: Result<Query<NoticeQuery>, QueryRejection>,
) -> Response {
    let nq = query.map(|Query(q)| q).unwrap_or_default();
    let (user, fair, b) = match student_fair(&state, lang, user, &code).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    // From here on, the stored code: safe in any address.
    let code = fair.entry_code.clone();
    let d = match state.venue_position(&user.user, fair.id, position_id).await {
        Ok(d) => d,
        Err(e) => return refused(b, &code, e),
    };
    let tickets = match state.my_ticket_states(&user.user, fair.id).await {
        Ok(t) => t,
        Err(e) => return refused(b, &code, e),
    };
    let delivered = if d.delivered {
        vec![d.position.id]
    } else {
        Vec::new()
    };
    render(&PositionPage {
        fair_id: fair.id,
        code: code.clone(),
        registration_id: d.employer.registration_id,
        employer: d.employer.name.clone(),
        employer_industry: d.employer.industry.clone().unwrap_or_default(),
        employer_city: d.employer.city.clone().unwrap_or_default(),
        p: position_row(&d.position, &delivered),
        notice: notice_key(&nq),
        video: video_btn(&b, d.video, tickets.get(&d.employer.registration_id)),
        b,
    })
}

// ---------------------------------------------------------------- 投递简历

/// The 投递简历 form: the employer's registration, optionally a position, and the page it was
/// sent from (`position` or the employer's page).
#[derive(Default)]
struct DeliverForm {
    registration_id: i64,
    position_id: Option<i64>,
    from_position: bool,
}

impl DeliverForm {
    fn parse(body: &[u8]) -> DeliverForm {
        let mut f = DeliverForm::default();
        for (k, v) in form_urlencoded::parse(body) {
            match k.as_ref() {
                "registration_id" => f.registration_id = v.trim().parse().unwrap_or(0),
                "position_id" => f.position_id = v.trim().parse().ok().filter(|p| *p > 0),
                "from" => f.from_position = v == "position",
                _ => {}
            }
        }
        f
    }

    /// Where the student returns, with how it went.
    fn back(&self, code: &str, outcome: &str) -> String {
        match (self.position_id, self.from_position) {
            (Some(p), true) => format!("/f/{code}/positions/{p}?delivered={outcome}"),
            _ => format!(
                "/f/{code}/employers/{}?delivered={outcome}",
                self.registration_id
            ),
        }
    }
}

pub async fn deliver(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<Student>,
    Path(code): Path<String>,
    RawForm(body): RawForm,
) -> Response {
    let form = DeliverForm::parse(&body);
    let (user, fair, b) = match student_fair(&state, lang, user, &code).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    // From here on, the stored code: safe in any address.
    let code = fair.entry_code.clone();
    let outcome = match state
        .deliver_resume(&user.user, fair.id, form.registration_id, form.position_id)
        .await
    {
        Ok(_) => "ok",
        Err(AppError::Conflict {
            code: "already_delivered",
            ..
        }) => "already",
        Err(AppError::Invalid(e)) if e.code == "fair_ended" => "ended",
        Err(e) => return refused(b, &code, e),
    };
    Redirect::to(&form.back(&code, outcome)).into_response()
}

// ---------------------------------------------------------------- 我的投递

pub struct MyDeliveryRow {
    pub employer: String,
    pub employer_path: String,
    pub position: String,
    pub fair_title: String,
    pub delivered: String,
    pub viewed: bool,
    pub viewed_at: String,
}

#[derive(Template)]
#[template(path = "venue/my_deliveries.html")]
struct MyDeliveriesPage {
    b: Base,
    rows: Vec<MyDeliveryRow>,
}

pub async fn my_deliveries(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn,
) -> Response {
    let listed = state.my_deliveries(&user.user).await;
    let mut b = Base::new(lang, Some(user));
    b.tab = "fairs";
    let list = match listed {
        Ok(l) => l,
        Err(e) => return fail(b, e),
    };
    let rows = list
        .into_iter()
        .map(|d| MyDeliveryRow {
            employer_path: format!("/f/{}/employers/{}", d.entry_code, d.registration_id),
            employer: d.employer_name,
            position: d.position_title.unwrap_or_default(),
            fair_title: d.fair_title,
            delivered: fmt_time(d.created_at),
            viewed: d.viewed_at.is_some(),
            viewed_at: d.viewed_at.map(fmt_time).unwrap_or_default(),
        })
        .collect();
    render(&MyDeliveriesPage { b, rows })
}

// ---------------------------------------------------------------- 收到的简历 (employers)

pub struct ReceivedRow {
    pub id: i64,
    pub student: String,
    pub school: String,
    pub major: String,
    pub degree: String,
    pub position: String,
    pub fair_title: String,
    pub delivered: String,
    pub viewed: bool,
    pub viewed_at: String,
    pub viewed_by: String,
}

pub struct FairOpt {
    pub id: i64,
    pub title: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "venue/received.html")]
struct ReceivedPage {
    b: Base,
    fairs: Vec<FairOpt>,
    rows: Vec<ReceivedRow>,
    unviewed: usize,
}

#[derive(Deserialize, Default)]
pub struct ReceivedQuery {
    fair: Option<String>,
}

pub async fn received(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<Employer>,
    query: Result<Query<ReceivedQuery>, QueryRejection>,
) -> Response {
    let b = Base::new(lang, Some(user.clone()));
    let q = query.map(|Query(q)| q).unwrap_or_default();
    let fair_id = q
        .fair
        .as_deref()
        .and_then(|f| f.trim().parse::<i64>().ok())
        .filter(|f| *f > 0);
    let r = match state.received_deliveries(&user.user, fair_id).await {
        Ok(r) => r,
        Err(e) => return fail(b, e),
    };
    let rows: Vec<ReceivedRow> = r
        .deliveries
        .into_iter()
        .map(|d| ReceivedRow {
            id: d.id,
            student: d.student_name,
            school: d.school.unwrap_or_default(),
            major: d.major.unwrap_or_default(),
            degree: d.degree.unwrap_or_default(),
            position: d.position_title.unwrap_or_default(),
            fair_title: d.fair_title,
            delivered: fmt_time(d.created_at),
            viewed: d.viewed_at.is_some(),
            viewed_at: d.viewed_at.map(fmt_time).unwrap_or_default(),
            viewed_by: d.viewed_by_name.unwrap_or_default(),
        })
        .collect();
    render(&ReceivedPage {
        fairs: r
            .fairs
            .into_iter()
            .map(|f| FairOpt {
                selected: Some(f.fair_id) == fair_id,
                id: f.fair_id,
                title: f.fair_title,
            })
            .collect(),
        unviewed: rows.iter().filter(|r| !r.viewed).count(),
        rows,
        b,
    })
}

/// Opens a received delivery: marks it viewed, then shows the student's resume.
pub async fn open_delivery(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<Employer>,
    Path(id): Path<i64>,
) -> Response {
    let b = Base::new(lang, Some(user.clone()));
    match state.open_delivery(&user.user, id).await {
        Ok(d) => Redirect::to(&resume_path(d.fair_id, d.student_id)).into_response(),
        Err(e) => fail(b, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_links_keep_the_filters() {
        let q = EmployerListQuery {
            q: " 软件 ".into(),
            city: "天津".into(),
            education: "bachelor".into(),
            ..EmployerListQuery::default()
        };
        assert_eq!(
            list_link("abc", &q, 2),
            "/f/abc/employers?q=%E8%BD%AF%E4%BB%B6&city=%E5%A4%A9%E6%B4%A5&education=bachelor&page=2"
        );
        assert_eq!(
            list_link("abc", &EmployerListQuery::default(), 1),
            "/f/abc/employers"
        );
    }

    #[test]
    fn every_notice_is_in_both_catalogues() {
        for outcome in ["ok", "already", "ended"] {
            let key = notice_key(&NoticeQuery {
                delivered: Some(outcome.into()),
            });
            for lang in [Lang::Zh, Lang::En] {
                assert!(
                    crate::i18n::catalogue(lang).contains_key(key),
                    "{key} in {lang:?}"
                );
            }
        }
        assert_eq!(notice_key(&NoticeQuery::default()), "");
    }

    #[test]
    fn a_delivery_returns_to_the_page_it_came_from() {
        let f = DeliverForm::parse(b"registration_id=7&position_id=9&from=position&_csrf=x");
        assert_eq!(f.back("abc", "ok"), "/f/abc/positions/9?delivered=ok");
        let f = DeliverForm::parse(b"registration_id=7&position_id=");
        assert_eq!(f.position_id, None);
        assert_eq!(
            f.back("abc", "already"),
            "/f/abc/employers/7?delivered=already"
        );
    }
}
