//! The pages of interviews: the employer's 视频面试大厅 (面试间 with 待处理 / 待面试 / 已面试)
//! at `/employer/registrations/{id}/hall`, its 求职者大厅 at `…/talents`, and the student's 面试
//! page at `/student/interviews`. Actions are buttons that call the JSON API (`hall.js`,
//! `interviews.js`); every `ticket_changed` pushed over `/ws` reloads the list.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use fairhall_app::AppError;
use fairhall_app::notices::TicketNotice;
use fairhall_app::talents::TalentQuery;
use fairhall_app::tickets::{EmployerTicket, StudentTicket};
use fairhall_domain::resume::Degree;
use fairhall_domain::ticket::{ListTab, LiveWindow, Status, StudentGroup, TabCounts, Verdict};
use serde::Deserialize;

use crate::AppState;
use crate::error::fail;
use crate::guard::{Employer, SignedIn, Student};
use crate::pages::{Base, fmt_time, render};
use crate::resumes::view::{ResumeView, degree_key};

fn status_key(s: Status) -> &'static str {
    match s {
        Status::Pending => "interviews.status_pending",
        Status::Queued => "interviews.status_queued",
        Status::InCall => "interviews.status_in_call",
        Status::Done => "interviews.status_done",
        Status::Rejected => "interviews.status_rejected",
        Status::Declined => "interviews.status_declined",
        Status::Cancelled => "interviews.status_cancelled",
        Status::NoShow => "interviews.status_no_show",
    }
}

fn verdict_key(v: Option<Verdict>) -> &'static str {
    match v {
        Some(Verdict::Suitable) => "hall.verdict_suitable",
        Some(Verdict::Unsuitable) => "hall.verdict_unsuitable",
        None => "",
    }
}

fn degree_text(b: &Base, d: Option<&str>) -> String {
    d.and_then(Degree::from_text)
        .map(|d| b.t(degree_key(d)).to_string())
        .unwrap_or_default()
}

/// "天津大学 · 软件工程 · 本科 · 2026届".
fn basics(
    b: &Base,
    school: Option<&str>,
    major: Option<&str>,
    degree: Option<&str>,
    year: Option<i64>,
) -> String {
    let mut parts: Vec<String> = Vec::new();
    for s in [school, major].into_iter().flatten() {
        if !s.trim().is_empty() {
            parts.push(s.to_string());
        }
    }
    let d = degree_text(b, degree);
    if !d.is_empty() {
        parts.push(d);
    }
    if let Some(y) = year {
        parts.push(
            b.t("hall.graduation_year")
                .replace("{year}", &y.to_string()),
        );
    }
    parts.join(" · ")
}

fn notices_by_ticket(notices: Vec<TicketNotice>) -> HashMap<i64, Vec<NoticeLine>> {
    let mut map: HashMap<i64, Vec<NoticeLine>> = HashMap::new();
    for n in notices {
        map.entry(n.ticket_id).or_default().push(NoticeLine {
            body: n.body,
            at: fmt_time(n.created_at),
        });
    }
    map
}

pub struct NoticeLine {
    pub body: String,
    pub at: String,
}

// ---------------------------------------------------------------- 视频面试大厅

pub struct HallRow {
    pub id: i64,
    pub student_id: i64,
    pub name: String,
    pub basics: String,
    pub origin: String,
    pub status: String,
    pub status_key: &'static str,
    pub position: String,
    pub interviewer: String,
    pub verdict: String,
    pub verdict_key: &'static str,
    pub notes: String,
    pub at: String,
    pub selected: bool,
    pub notices: Vec<NoticeLine>,
}

#[derive(Template)]
#[template(path = "hall/room.html")]
struct HallPage {
    b: Base,
    registration_id: i64,
    fair_id: i64,
    fair_title: String,
    employer_name: String,
    live: String,
    live_now: bool,
    starts_at: i64,
    ends_at: i64,
    tab: &'static str,
    pending_count: usize,
    queued_count: usize,
    done_count: usize,
    suitable_count: usize,
    rows: Vec<HallRow>,
    /// The selected pending application's student resume (待处理).
    resume: Option<ResumeView>,
    selected_id: i64,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct HallQuery {
    tab: Option<String>,
    /// The selected ticket (待处理: whose resume is shown).
    t: Option<i64>,
}

fn hall_row(b: &Base, t: &EmployerTicket, notices: &mut HashMap<i64, Vec<NoticeLine>>) -> HallRow {
    HallRow {
        id: t.id,
        student_id: t.student_id,
        name: t.student_name.clone(),
        basics: basics(
            b,
            t.school.as_deref(),
            t.major.as_deref(),
            t.degree.as_deref(),
            t.graduation_year,
        ),
        origin: t.origin.as_str().to_owned(),
        status: t.status.as_str().to_owned(),
        status_key: status_key(t.status),
        position: t.position_title.clone().unwrap_or_default(),
        interviewer: t.interviewer_name.clone().unwrap_or_default(),
        verdict: t
            .verdict
            .map(Verdict::as_str)
            .unwrap_or_default()
            .to_owned(),
        verdict_key: verdict_key(t.verdict),
        notes: t.notes.clone(),
        at: fmt_time(t.updated_at),
        selected: false,
        notices: notices.remove(&t.id).unwrap_or_default(),
    }
}

/// 视频面试大厅: the 面试间 of a signed-in host.
pub async fn hall(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<Employer>,
    Path(id): Path<i64>,
    Query(q): Query<HallQuery>,
) -> Response {
    let b = Base::new(lang, Some(user.clone()));
    let ctx = match state.hall_context(&user.user, id).await {
        Ok(c) => c,
        Err(e) => return fail(b, e),
    };
    let tab = match q.tab.as_deref().and_then(ListTab::parse) {
        Some(ListTab::Queued) => ListTab::Queued,
        Some(ListTab::Done) => ListTab::Done,
        _ => ListTab::Pending,
    };
    let all = match state.registration_tickets(&user.user, id, None).await {
        Ok(a) => a,
        Err(e) => return fail(b, e),
    };
    let counts = TabCounts::of(all.iter().map(|t| (t.status, t.verdict)));
    let mut notices = if tab == ListTab::Done {
        match state.registration_notices(&user.user, id).await {
            Ok(n) => notices_by_ticket(n),
            Err(e) => return fail(b, e),
        }
    } else {
        HashMap::new()
    };
    let mut rows: Vec<HallRow> = all
        .iter()
        .filter(|t| ListTab::of(t.status) == tab)
        .map(|t| hall_row(&b, t, &mut notices))
        .collect();
    if tab == ListTab::Done {
        // The latest interviews first.
        rows.reverse();
    }
    let mut resume = None;
    let mut selected_id = 0;
    if tab == ListTab::Pending && !rows.is_empty() {
        let pick =
            q.t.and_then(|t| rows.iter().position(|r| r.id == t))
                .unwrap_or(0);
        rows[pick].selected = true;
        selected_id = rows[pick].id;
        match state
            .resume_for_employer(&user.user, ctx.fair.id, rows[pick].student_id)
            .await
        {
            Ok(l) => resume = Some(ResumeView::new(&b, &l)),
            Err(AppError::NotFound) => {}
            Err(e) => return fail(b, e),
        }
    }
    let now = fairhall_app::now_ms();
    render(&HallPage {
        registration_id: id,
        fair_id: ctx.fair.id,
        fair_title: ctx.fair.title,
        employer_name: ctx.employer_name,
        live: format!(
            "{} – {}",
            fmt_time(ctx.fair.starts_at),
            fmt_time(ctx.fair.ends_at)
        ),
        live_now: LiveWindow::new(ctx.fair.starts_at, ctx.fair.ends_at).contains(now),
        starts_at: ctx.fair.starts_at,
        ends_at: ctx.fair.ends_at,
        tab: tab.as_str(),
        pending_count: counts.pending,
        queued_count: counts.queued,
        done_count: counts.done,
        suitable_count: counts.suitable,
        rows,
        resume,
        selected_id,
        b,
    })
}

// ---------------------------------------------------------------- 求职者大厅

pub struct TalentCard {
    pub student_id: i64,
    pub name: String,
    pub basics: String,
    pub positions: String,
    pub skills: String,
    pub completeness: i64,
    /// `invite` (may be invited), or the open/last ticket's state: `pending`, `queued`,
    /// `in_call`, `done`, `rejected`.
    pub state: &'static str,
    pub state_key: &'static str,
}

#[derive(Template)]
#[template(path = "hall/talents.html")]
struct TalentsPage {
    b: Base,
    registration_id: i64,
    fair_id: i64,
    fair_title: String,
    employer_name: String,
    school: String,
    major: String,
    degree: String,
    year: String,
    q: String,
    degrees: Vec<(&'static str, &'static str)>,
    total: i64,
    page: i64,
    pages: i64,
    prev_href: String,
    next_href: String,
    cards: Vec<TalentCard>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TalentsQuery {
    school: String,
    major: String,
    degree: String,
    year: String,
    q: String,
    page: Option<i64>,
}

fn talent_state(status: Option<Status>) -> (&'static str, &'static str) {
    match status {
        Some(Status::Pending) => ("pending", "hall.talent_pending"),
        Some(Status::Queued) => ("queued", "hall.talent_queued"),
        Some(Status::InCall) => ("in_call", "hall.talent_in_call"),
        Some(Status::Done) => ("done", "hall.talent_done"),
        Some(Status::Rejected) => ("rejected", "hall.talent_rejected"),
        // Anyone with no open ticket may be invited again.
        Some(Status::Declined | Status::Cancelled | Status::NoShow) | None => ("invite", ""),
    }
}

fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// 求职者大厅: the students who entered the fair, filtered and paged.
pub async fn talents(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<Employer>,
    Path(id): Path<i64>,
    Query(q): Query<TalentsQuery>,
) -> Response {
    let b = Base::new(lang, Some(user.clone()));
    let ctx = match state.hall_context(&user.user, id).await {
        Ok(c) => c,
        Err(e) => return fail(b, e),
    };
    let degree = Degree::ALL
        .into_iter()
        .find(|d| d.as_str() == q.degree.trim())
        .map_or("", Degree::as_str);
    let year = q
        .year
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|y| (1900..3000).contains(y));
    let query = TalentQuery {
        school: q.school.trim().to_string(),
        major: q.major.trim().to_string(),
        degree: degree.to_string(),
        graduation_year: year,
        q: q.q.trim().to_string(),
        page: q.page.unwrap_or(1),
    };
    let page = match state.talents(&ctx, &query).await {
        Ok(p) => p,
        Err(e) => return fail(b, e),
    };
    let cards = page
        .items
        .iter()
        .map(|t| {
            let (state, state_key) = talent_state(t.ticket_status);
            TalentCard {
                student_id: t.student_id,
                name: t.name.clone(),
                basics: basics(
                    &b,
                    t.school.as_deref(),
                    t.major.as_deref(),
                    t.degree.as_deref(),
                    t.graduation_year,
                ),
                positions: t
                    .intended_positions
                    .clone()
                    .unwrap_or_default()
                    .replace('\n', "、"),
                skills: t.skills.clone().unwrap_or_default().replace('\n', "、"),
                completeness: t.completeness,
                state,
                state_key,
            }
        })
        .collect();
    let year_text = year.map(|y| y.to_string()).unwrap_or_default();
    let link = |p: i64| {
        format!(
            "/employer/registrations/{id}/talents?school={}&major={}&degree={}&year={}&q={}&page={p}",
            encode(&query.school),
            encode(&query.major),
            encode(degree),
            encode(&year_text),
            encode(&query.q),
        )
    };
    render(&TalentsPage {
        registration_id: id,
        fair_id: page.fair_id,
        fair_title: ctx.fair.title,
        employer_name: ctx.employer_name,
        degrees: Degree::ALL
            .into_iter()
            .map(|d| (d.as_str(), degree_key(d)))
            .collect(),
        prev_href: if page.page > 1 {
            link(page.page - 1)
        } else {
            String::new()
        },
        next_href: if page.page < page.pages {
            link(page.page + 1)
        } else {
            String::new()
        },
        school: query.school,
        major: query.major,
        degree: degree.to_string(),
        year: year_text,
        q: query.q,
        total: page.total,
        page: page.page,
        pages: page.pages,
        cards,
        b,
    })
}

// ---------------------------------------------------------------- the student's 面试

pub struct StudentRow {
    pub id: i64,
    pub employer_name: String,
    pub employer_href: String,
    pub fair_title: String,
    pub position: String,
    pub status: String,
    pub status_key: &'static str,
    pub reason: String,
    pub at: String,
    pub live: String,
    pub live_now: bool,
    pub starts_at: i64,
    pub ends_at: i64,
    /// The hosts of the registration, comma-separated, for the presence dot.
    pub hosts: String,
    pub notices: Vec<NoticeLine>,
}

#[derive(Template)]
#[template(path = "interviews/student.html")]
struct StudentPage {
    b: Base,
    invitations: Vec<StudentRow>,
    applications: Vec<StudentRow>,
    queued: Vec<StudentRow>,
    finished: Vec<StudentRow>,
    closed: Vec<StudentRow>,
}

fn student_row(
    t: &StudentTicket,
    hosts: &HashMap<i64, Vec<i64>>,
    notices: &mut HashMap<i64, Vec<NoticeLine>>,
    now: i64,
) -> StudentRow {
    StudentRow {
        id: t.id,
        employer_name: t.employer_name.clone(),
        employer_href: format!("/f/{}/employers/{}", t.fair_code, t.registration_id),
        fair_title: t.fair_title.clone(),
        position: t.position_title.clone().unwrap_or_default(),
        status: t.status.as_str().to_owned(),
        status_key: status_key(t.status),
        reason: t.cancel_reason.clone().unwrap_or_default(),
        at: fmt_time(t.updated_at),
        live: format!(
            "{} – {}",
            fmt_time(t.fair_starts_at),
            fmt_time(t.fair_ends_at)
        ),
        live_now: t.fair_starts_at <= now && now < t.fair_ends_at,
        starts_at: t.fair_starts_at,
        ends_at: t.fair_ends_at,
        hosts: hosts
            .get(&t.registration_id)
            .map(|h| h.iter().map(i64::to_string).collect::<Vec<_>>().join(","))
            .unwrap_or_default(),
        notices: notices.remove(&t.id).unwrap_or_default(),
    }
}

/// 面试: the student's applications, invitations, queue and finished interviews.
pub async fn student(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn<Student>,
) -> Response {
    let mut b = Base::new(lang, Some(user.clone()));
    b.tab = "interviews";
    let tickets = match state.my_tickets(&user.user).await {
        Ok(t) => t,
        Err(e) => return fail(b, e),
    };
    let mut notices = match state.my_ticket_notices(&user.user).await {
        Ok(n) => notices_by_ticket(n),
        Err(e) => return fail(b, e),
    };
    let hosts: HashMap<i64, Vec<i64>> = match state.hosts_of_open_tickets(&user.user).await {
        Ok(h) => h.into_iter().collect(),
        Err(e) => return fail(b, e),
    };
    let now = fairhall_app::now_ms();
    let mut page = StudentPage {
        b,
        invitations: Vec::new(),
        applications: Vec::new(),
        queued: Vec::new(),
        finished: Vec::new(),
        closed: Vec::new(),
    };
    for t in &tickets {
        let row = student_row(t, &hosts, &mut notices, now);
        match StudentGroup::of(t.status, t.origin) {
            StudentGroup::Invitations => page.invitations.push(row),
            StudentGroup::Applications => page.applications.push(row),
            StudentGroup::Queued => page.queued.push(row),
            StudentGroup::Finished => page.finished.push(row),
            StudentGroup::Closed => page.closed.push(row),
        }
    }
    render(&page)
}

/// The keys this module looks up by value, for the catalogue test.
#[cfg(test)]
pub fn keys_used() -> Vec<&'static str> {
    let mut k: Vec<&'static str> = Status::ALL.into_iter().map(status_key).collect();
    k.extend(Verdict::ALL.map(|v| verdict_key(Some(v))));
    k.extend([
        "interviews.apply",
        "interviews.apply_rejected",
        "interviews.apply_invited",
        "interviews.apply_pending",
        "interviews.apply_queued",
        "interviews.apply_in_call",
        "interviews.apply_done",
    ]);
    for s in Status::ALL {
        k.push(talent_state(Some(s)).1);
    }
    k.retain(|key| !key.is_empty());
    k
}
