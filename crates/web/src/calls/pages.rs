//! The call page (`/interviews/{ticket_id}/call`) and the device test (`/devices`).
//!
//! The server renders the frame of each page; the live parts (media, signalling, the ring, the
//! quality indicator, notes autosave) are `static/js/call.js` and `static/js/devices.js`.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use fairhall_domain::ticket::Side;

use crate::AppState;
use crate::error::PageError;
use crate::guard::SignedIn;
use crate::pages::{Base, render};
use crate::resumes::view::ResumeView;

// ---------------------------------------------------------------- the call page

#[derive(Template)]
#[template(path = "calls/call.html")]
struct CallPage {
    b: Base,
    ticket_id: i64,
    registration_id: i64,
    fair_title: String,
    /// "student" or "employer".
    side: &'static str,
    user_id: i64,
    /// Who the viewer talks to: the employer (student) or the candidate (hosts).
    other_name: String,
    ticket_status: String,
    /// The ticket's live call (0: none), for 加入面试 from the hall.
    live_call_id: i64,
    /// Hosts only: the notes as last saved on the server.
    notes: String,
    /// Hosts only: the candidate's resume, if it could be read.
    has_resume: bool,
    resume: ResumeView,
    /// Where "back" goes: the hall (hosts) or the student's interviews.
    back: String,
}

/// `GET /interviews/{ticket_id}/call`: the call page, for the ticket's student and the hosts of
/// its registration.
pub async fn call_page(
    State(state): State<AppState>,
    SignedIn { user, lang, .. }: SignedIn,
    Path(ticket_id): Path<i64>,
) -> Response {
    let loaded = state.call_page_context(&user.user, ticket_id).await;
    let user_id = user.user.id;
    let mut b = Base::new(lang, Some(user));
    let c = match loaded {
        Ok(c) => c,
        Err(error) => return PageError { error, base: b }.into_response(),
    };
    let host = c.side == Side::Employer;
    if !host {
        b.tab = "interviews";
    }
    let resume = c
        .resume
        .as_ref()
        .map(|l| ResumeView::new(&b, l))
        .unwrap_or_default();
    let t = &c.ticket;
    render(&CallPage {
        ticket_id: t.id,
        registration_id: t.registration_id,
        fair_title: c.fair_title.clone(),
        side: if host { "employer" } else { "student" },
        user_id,
        other_name: if host {
            c.student_name.clone()
        } else {
            c.employer_name.clone()
        },
        ticket_status: t.status.as_str().into(),
        live_call_id: c.live_call_id.unwrap_or(0),
        notes: if host { t.notes.clone() } else { String::new() },
        has_resume: c.resume.is_some(),
        resume,
        back: if host {
            format!("/employer/registrations/{}/hall", t.registration_id)
        } else {
            "/student/interviews".to_string()
        },
        b,
    })
}

// ---------------------------------------------------------------- the device test

#[derive(Template)]
#[template(path = "calls/devices.html")]
struct DevicesPage {
    b: Base,
}

/// `GET /devices`: 测试设备, for any signed-in user.
pub async fn devices_page(visitor: SignedIn) -> Response {
    render(&DevicesPage { b: visitor.base() })
}
