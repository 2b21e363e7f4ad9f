//! The call page (`/interviews/{ticket_id}/call`) and the device test (`/devices`): who may open
//! them and what each side sees.

use fairhall_domain::account::Role;
use serde_json::json;

use crate::both_backends;
use crate::fixtures::{HOUR, Venue, VenueOptions, fill_resume};
use crate::helpers::{Client, PASSWORD, TestApp};

fn live() -> VenueOptions {
    VenueOptions {
        live: (-HOUR, 8 * HOUR),
        ..VenueOptions::default()
    }
}

/// A student who entered the fair, filled the resume and applied; the interviewer accepted.
/// Answers the student and the queued ticket's id.
async fn queued_ticket(app: &TestApp, v: &Venue, phone: &str) -> (Client, i64) {
    let (student, _) = app.entered_student(v.fair_id, phone).await;
    fill_resume(app, &student).await;
    let path = format!(
        "/api/v1/fairs/{}/employers/{}/tickets",
        v.fair_id, v.employers[0].registration_id
    );
    let r = student.post(&path, json!({})).await;
    assert_eq!(r.status(), 201, "apply");
    let id = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = v
        .interviewer
        .post(&format!("/api/v1/tickets/{id}/accept"), json!({}))
        .await;
    assert_eq!(r.status(), 200, "accept");
    (student, id)
}

async fn page(c: &Client, path: &str) -> (u16, String) {
    let r = c.get(path).await;
    let status = r.status().as_u16();
    (status, r.text().await.unwrap())
}

both_backends! {
    async fn the_call_page_shows_each_side_its_own_parts(app) {
        let v = app.venue(live()).await;
        let (student, id) = queued_ticket(&app, &v, "13800000501").await;
        sqlx::query("UPDATE tickets SET notes = $1 WHERE id = $2")
            .bind("沟通能力强<b>")
            .bind(id)
            .execute(app.store.pool())
            .await
            .unwrap();
        let path = format!("/interviews/{id}/call");

        // The student: video, controls, the end state; no notes, no resume, no verdict.
        let (status, html) = page(&student, &path).await;
        assert_eq!(status, 200);
        assert!(html.contains(r#"id="call""#));
        assert!(html.contains(r#"data-call-status="idle""#));
        assert!(html.contains(r#"data-side="student""#));
        assert!(html.contains(&format!(r#"data-ticket-id="{id}""#)));
        assert!(html.contains(r#"id="call-local""#));
        assert!(html.contains("/static/js/call.js"));
        assert!(html.contains("等待企业通知"));
        assert!(html.contains(&v.employers[0].name), "the employer's name");
        assert!(!html.contains(r#"id="call-notes""#));
        assert!(!html.contains(r#"id="call-resume""#));
        assert!(!html.contains("沟通能力强"), "a student never sees the notes");
        assert!(!html.contains(r#"id="call-end-dialog""#));

        // The admin and the chosen interviewer: notes (as saved, escaped), resume, verdict dialog.
        for host in [&v.hr, &v.interviewer] {
            let (status, html) = page(host, &path).await;
            assert_eq!(status, 200);
            assert!(html.contains(r#"data-side="employer""#));
            assert!(html.contains(r#"id="call-notes""#));
            assert!(html.contains("沟通能力强"), "the notes are restored");
            assert!(!html.contains("沟通能力强<b>"), "and escaped");
            assert!(html.contains(r#"id="call-resume""#));
            assert!(html.contains("李明"), "the candidate's resume");
            assert!(html.contains(r#"id="call-end-dialog""#));
            assert!(html.contains("合适") && html.contains("不合适"));
            assert!(html.contains(&format!(
                "/employer/registrations/{}/hall",
                v.employers[0].registration_id
            )));
        }
    }

    async fn the_call_page_is_refused_to_everyone_else(app) {
        let v = app.venue(live()).await;
        let (_student, id) = queued_ticket(&app, &v, "13800000511").await;
        let path = format!("/interviews/{id}/call");

        let (other, _) = app.entered_student(v.fair_id, "13800000512").await;
        assert_eq!(other.get(&path).await.status(), 404, "another student");
        let stranger = app.signed_in(Role::EmployerAdmin, "hr-call@other.cn").await;
        assert_eq!(stranger.get(&path).await.status(), 404, "another employer");
        assert_eq!(v.staff.get(&path).await.status(), 403, "organizer staff");

        let email = format!("iv-call-{}@venue.cn", v.code);
        app.state
            .create_password_account(
                Role::Interviewer,
                &email,
                PASSWORD,
                "王面试官",
                None,
                Some(v.employers[0].employer_id),
            )
            .await
            .unwrap();
        let mut unchosen = app.client();
        unchosen.sign_in(&email, PASSWORD).await;
        assert_eq!(unchosen.get(&path).await.status(), 403, "an interviewer not chosen");

        assert_eq!(v.hr.get("/interviews/999999/call").await.status(), 404, "no such ticket");

        let r = app.client().get(&path).await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], format!("/login?next={path}").as_str());
    }

    async fn the_device_test_is_for_signed_in_users(app) {
        let v = app.venue(VenueOptions::default()).await;
        let (student, _) = app.entered_student(v.fair_id, "13800000521").await;
        for c in [&student, &v.hr, &v.interviewer, &v.staff] {
            let (status, html) = page(c, "/devices").await;
            assert_eq!(status, 200);
            assert!(html.contains(r#"id="devices""#));
            assert!(html.contains(r#"id="devices-camera""#));
            assert!(html.contains(r#"id="devices-microphone""#));
            assert!(html.contains(r#"id="devices-meter""#));
            assert!(html.contains(r#"id="devices-tone""#));
            assert!(html.contains("/static/js/devices.js"));
            assert!(html.contains("网站设置"), "what to do when refused");
        }
        let r = app.client().get("/devices").await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.headers()["location"], "/login?next=/devices");
    }

    async fn every_signed_in_page_has_the_ring_banner(app) {
        let v = app.venue(VenueOptions::default()).await;
        let (student, _) = app.entered_student(v.fair_id, "13800000531").await;
        for c in [&student, &v.hr] {
            let (_, html) = page(c, "/devices").await;
            assert!(html.contains(r#"id="ring-banner""#));
            assert!(html.contains("接听") && html.contains("拒绝"));
        }
        let (_, html) = page(&app.client(), "/login").await;
        assert!(!html.contains(r#"id="ring-banner""#), "a visitor is never rung");
    }
}
