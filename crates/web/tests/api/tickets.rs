//! Interview tickets (面试): applications, invitations, the answers to them, and the queue (待面试).

use fairhall_domain::account::Role;
use serde_json::{Value, json};

use crate::both_backends;
use crate::fixtures::{HOUR, Venue, VenueOptions};
use crate::helpers::{Client, PASSWORD, TestApp, error_code};
use crate::ws::{connect, next_of};

fn live() -> VenueOptions {
    VenueOptions {
        live: (-HOUR, 8 * HOUR),
        ..VenueOptions::default()
    }
}

fn apply_path(v: &Venue) -> String {
    format!(
        "/api/v1/fairs/{}/employers/{}/tickets",
        v.fair_id, v.employers[0].registration_id
    )
}

fn invite_path(v: &Venue) -> String {
    format!(
        "/api/v1/employer/registrations/{}/invitations",
        v.employers[0].registration_id
    )
}

fn list_path(v: &Venue, tab: &str) -> String {
    format!(
        "/api/v1/employer/registrations/{}/tickets?status={tab}",
        v.employers[0].registration_id
    )
}

async fn get_json(c: &Client, path: &str) -> Value {
    let r = c.get(path).await;
    assert_eq!(r.status(), 200, "GET {path}");
    r.json().await.unwrap()
}

/// POSTs and expects `status`; answers the body.
async fn post_ok(c: &Client, path: &str, body: Value, status: u16) -> Value {
    let r = c.post(path, body).await;
    assert_eq!(r.status(), status, "POST {path}");
    r.json().await.unwrap()
}

/// The student applies; answers the new ticket's id.
async fn apply(c: &Client, v: &Venue) -> i64 {
    let t = post_ok(c, &apply_path(v), json!({}), 201).await;
    assert_eq!(t["status"], "pending");
    assert_eq!(t["origin"], "applied");
    t["id"].as_i64().unwrap()
}

/// The employer invites; answers the new ticket's id.
async fn invite(c: &Client, v: &Venue, student_id: i64) -> i64 {
    let t = post_ok(c, &invite_path(v), json!({ "student_id": student_id }), 201).await;
    assert_eq!(t["status"], "pending");
    assert_eq!(t["origin"], "invited");
    t["id"].as_i64().unwrap()
}

async fn act(c: &Client, id: i64, action: &str, body: Value) -> reqwest::Response {
    c.post(&format!("/api/v1/tickets/{id}/{action}"), body)
        .await
}

/// The ticket's history as (action, from, to).
async fn history(app: &TestApp, id: i64) -> Vec<(String, Option<String>, String)> {
    app.store
        .ticket_events(id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| {
            (
                e.action,
                e.from_status.map(|s| s.as_str().to_owned()),
                e.to_status.as_str().to_owned(),
            )
        })
        .collect()
}

fn ev(action: &str, from: Option<&str>, to: &str) -> (String, Option<String>, String) {
    (action.into(), from.map(Into::into), to.into())
}

fn ids(list: &Value) -> Vec<i64> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect()
}

/// An interviewer of the venue's first employer who was not chosen for its registration.
async fn unchosen_interviewer(app: &TestApp, v: &Venue) -> Client {
    let email = format!("iv-unchosen-{}@venue.cn", v.code);
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
    let mut c = app.client();
    c.sign_in(&email, PASSWORD).await;
    c
}

both_backends! {
    async fn an_application_accepted_by_an_interviewer_is_queued(app) {
        let v = app.venue(live()).await;
        let (student, student_id) = app.entered_student(v.fair_id, "13800000001").await;
        let mut ws = connect(&app, Some(&student), &app.base).await.unwrap();
        next_of(&mut ws, "hello").await;

        let id = apply(&student, &v).await;
        let pushed = next_of(&mut ws, "ticket_changed").await;
        assert_eq!((pushed["ticket_id"].as_i64(), pushed["status"].as_str()), (Some(id), Some("pending")));

        // Both the admin and the chosen interviewer see it under 待处理.
        for c in [&v.hr, &v.interviewer] {
            let pending = get_json(c, &list_path(&v, "pending")).await;
            assert_eq!(ids(&pending), vec![id]);
            assert_eq!(pending["items"][0]["student_id"], student_id);
            assert_eq!(pending["items"][0]["status_label"], "待处理");
        }
        let admin = app.store.employer_admin_ids(v.employers[0].employer_id).await.unwrap()[0];
        let notes = app.store.notifications_of(admin, 10).await.unwrap();
        assert!(notes.iter().any(|n| n.kind.as_str() == "ticket_applied"), "the employer is told");

        let t = act(&v.interviewer, id, "accept", json!({})).await;
        assert_eq!(t.status(), 200);
        let t: Value = t.json().await.unwrap();
        assert_eq!((t["status"].as_str(), t["status_label"].as_str()), (Some("queued"), Some("待面试")));
        assert!(t["answered_at"].as_i64().is_some());
        let pushed = next_of(&mut ws, "ticket_changed").await;
        assert_eq!((pushed["ticket_id"].as_i64(), pushed["status"].as_str()), (Some(id), Some("queued")));
        let told = next_of(&mut ws, "notification").await;
        assert_eq!(told["kind"], "ticket_accepted");

        assert!(ids(&get_json(&v.hr, &list_path(&v, "pending")).await).is_empty());
        assert_eq!(ids(&get_json(&v.hr, &list_path(&v, "queued")).await), vec![id]);
        let mine = get_json(&student, "/api/v1/tickets").await;
        assert_eq!(ids(&mine), vec![id]);
        assert_eq!(mine["items"][0]["status"], "queued");
        assert_eq!(mine["items"][0]["employer_name"], v.employers[0].name.as_str());
        assert_eq!(mine["items"][0]["fair_title"], "2026 秋季视频双选会");
        assert!(mine["items"][0].get("notes").is_none(), "interview notes are the employer's");

        assert_eq!(
            history(&app, id).await,
            vec![ev("applied", None, "pending"), ev("accept", Some("pending"), "queued")]
        );
        let shown = get_json(&student, &format!("/api/v1/tickets/{id}/events")).await;
        assert_eq!(shown["events"].as_array().unwrap().len(), 2);
    }

    async fn applying_outside_the_live_window_is_refused(app) {
        let v = app.venue(VenueOptions::default()).await;
        let (student, _) = app.entered_student(v.fair_id, "13800000002").await;
        let r = student.post(&apply_path(&v), json!({})).await;
        assert_eq!(error_code(r).await, (409, "not_live".into()));
        assert!(get_json(&student, "/api/v1/tickets").await["items"].as_array().unwrap().is_empty());

        // Over: the window closed an hour ago.
        let over = app.venue(VenueOptions { live: (-9 * HOUR, -HOUR), ..VenueOptions::default() }).await;
        let (late, _) = app.entered_student(over.fair_id, "13800000003").await;
        let r = late.post(&apply_path(&over), json!({})).await;
        assert_eq!(error_code(r).await, (409, "not_live".into()));

        // A student who has not entered the fair, and roles without applications.
        let v = app.venue(live()).await;
        let outsider = app.student("13800000004").await;
        let r = outsider.post(&apply_path(&v), json!({})).await;
        assert_eq!(error_code(r).await, (403, "not_entered".into()));
        let r = v.hr.post(&apply_path(&v), json!({})).await;
        assert_eq!(error_code(r).await, (403, "forbidden".into()));
        // A position the employer does not offer in the fair.
        let (student, _) = app.entered_student(v.fair_id, "13800000005").await;
        let r = student.post(&apply_path(&v), json!({ "position_id": 999_999 })).await;
        assert_eq!(error_code(r).await, (422, "unknown_position".into()));
        let t = post_ok(&student, &apply_path(&v), json!({ "position_id": v.employers[0].positions[1] }), 201).await;
        assert_eq!(t["position_id"], v.employers[0].positions[1]);
    }

    async fn a_rejection_is_final_for_that_employer_and_fair(app) {
        let v = app.venue(live()).await;
        let (student, student_id) = app.entered_student(v.fair_id, "13800000011").await;
        let id = apply(&student, &v).await;

        let r = act(&v.hr, id, "reject", json!({ "reason": "字".repeat(201) })).await;
        assert_eq!(error_code(r).await, (422, "reason_too_long".into()));
        let r = act(&v.hr, id, "reject", json!({ "reason": " 专业方向不符 " })).await;
        assert_eq!(r.status(), 200);
        let t: Value = r.json().await.unwrap();
        assert_eq!((t["status"].as_str(), t["reason"].as_str()), (Some("rejected"), Some("专业方向不符")));

        let r = student.post(&apply_path(&v), json!({})).await;
        let (status, code) = error_code(r).await;
        assert_eq!((status, code.as_str()), (409, "rejected_final"));
        let r = v.hr.post(&invite_path(&v), json!({ "student_id": student_id })).await;
        assert_eq!(error_code(r).await, (409, "rejected_final".into()));
        // Answering again is refused with the ticket's status.
        let r = act(&v.hr, id, "accept", json!({})).await;
        assert_eq!(error_code(r).await, (409, "invalid_transition".into()));

        let mine = get_json(&student, "/api/v1/tickets").await;
        assert_eq!(ids(&mine), vec![id]);
        assert_eq!(mine["items"][0]["reason"], "专业方向不符");
        assert_eq!(ids(&get_json(&v.hr, &list_path(&v, "closed")).await), vec![id]);
        assert_eq!(
            history(&app, id).await,
            vec![ev("applied", None, "pending"), ev("reject", Some("pending"), "rejected")]
        );
    }

    async fn an_invitation_can_be_declined_and_the_student_may_apply_later(app) {
        // Invitations work before the fair day.
        let v = app.venue(VenueOptions::default()).await;
        let (student, student_id) = app.entered_student(v.fair_id, "13800000021").await;
        let mut ws = connect(&app, Some(&student), &app.base).await.unwrap();
        next_of(&mut ws, "hello").await;
        let id = invite(&v.interviewer, &v, student_id).await;
        let told = next_of(&mut ws, "notification").await;
        assert_eq!(told["kind"], "ticket_invited");
        assert_eq!(ids(&get_json(&v.hr, &list_path(&v, "pending")).await), vec![id]);

        // The employer cannot answer its own invitation.
        let r = act(&v.hr, id, "accept", json!({})).await;
        assert_eq!(error_code(r).await, (403, "not_allowed".into()));
        let r = act(&student, id, "decline", json!({})).await;
        assert_eq!(r.status(), 200);
        let t: Value = r.json().await.unwrap();
        assert_eq!(t["status"], "declined");
        assert_eq!(
            history(&app, id).await,
            vec![ev("invited", None, "pending"), ev("decline", Some("pending"), "declined")]
        );
        let admin = app.store.employer_admin_ids(v.employers[0].employer_id).await.unwrap()[0];
        let notes = app.store.notifications_of(admin, 10).await.unwrap();
        assert!(notes.iter().any(|n| n.kind.as_str() == "ticket_declined"));

        // Declining is not final: a new invitation is fine.
        invite(&v.hr, &v, student_id).await;
    }

    async fn an_accepted_invitation_is_queued(app) {
        let v = app.venue(live()).await;
        let (student, student_id) = app.entered_student(v.fair_id, "13800000031").await;
        let id = invite(&v.hr, &v, student_id).await;
        let r = act(&student, id, "accept", json!({})).await;
        assert_eq!(r.status(), 200);
        let t: Value = r.json().await.unwrap();
        assert_eq!(t["status"], "queued");
        assert_eq!(ids(&get_json(&v.interviewer, &list_path(&v, "queued")).await), vec![id]);
        // Only the invitee answers: a decline now is too late.
        let r = act(&student, id, "decline", json!({})).await;
        assert_eq!(error_code(r).await, (409, "invalid_transition".into()));

        // A student who has not entered the fair cannot be invited (not visible to the employer).
        app.student("13800000032").await;
        let outsider = app.student_id("13800000032").await;
        let r = v.hr.post(&invite_path(&v), json!({ "student_id": outsider })).await;
        assert_eq!(error_code(r).await, (404, "not_found".into()));
    }

    async fn either_side_cancels_with_a_reason(app) {
        let v = app.venue(live()).await;
        let (student, _) = app.entered_student(v.fair_id, "13800000041").await;
        let id = apply(&student, &v).await;
        // The employer answers an application; it cannot just cancel it.
        let r = act(&v.hr, id, "cancel", json!({ "reason": "名额已满" })).await;
        assert_eq!(error_code(r).await, (403, "not_allowed".into()));
        act(&v.hr, id, "accept", json!({})).await;

        let r = act(&student, id, "cancel", json!({ "reason": "   " })).await;
        let body: Value = r.json().await.unwrap();
        assert_eq!((body["code"].as_str(), body["field"].as_str()), (Some("reason_required"), Some("reason")));
        let r = act(&student, id, "cancel", json!({ "reason": " 临时有课 " })).await;
        assert_eq!(r.status(), 200);
        let t: Value = r.json().await.unwrap();
        assert_eq!((t["status"].as_str(), t["reason"].as_str()), (Some("cancelled"), Some("临时有课")));

        let closed = get_json(&v.interviewer, &list_path(&v, "closed")).await;
        assert_eq!(ids(&closed), vec![id]);
        assert_eq!(closed["items"][0]["reason"], "临时有课");
        let admin = app.store.employer_admin_ids(v.employers[0].employer_id).await.unwrap()[0];
        let notes = app.store.notifications_of(admin, 10).await.unwrap();
        assert!(notes.iter().any(|n| n.kind.as_str() == "ticket_cancelled" && n.body.contains("临时有课")));

        // The employer cancels an agreed interview too; the student is told why.
        let id = apply(&student, &v).await;
        act(&v.interviewer, id, "accept", json!({})).await;
        let r = act(&v.interviewer, id, "cancel", json!({ "reason": "面试官临时有事" })).await;
        assert_eq!(r.status(), 200);
        assert_eq!(
            history(&app, id).await,
            vec![
                ev("applied", None, "pending"),
                ev("accept", Some("pending"), "queued"),
                ev("cancel", Some("queued"), "cancelled"),
            ]
        );
        let student_id = app.student_id("13800000041").await;
        let notes = app.store.notifications_of(student_id, 10).await.unwrap();
        assert!(notes.iter().any(|n| n.kind.as_str() == "ticket_cancelled" && n.body.contains("面试官临时有事")));
    }

    async fn a_second_open_ticket_is_refused(app) {
        let v = app.venue(live()).await;
        let (student, student_id) = app.entered_student(v.fair_id, "13800000051").await;
        let id = apply(&student, &v).await;
        let r = student.post(&apply_path(&v), json!({})).await;
        assert_eq!(error_code(r).await, (409, "already_open".into()));
        let r = v.hr.post(&invite_path(&v), json!({ "student_id": student_id })).await;
        assert_eq!(error_code(r).await, (409, "already_open".into()));
        // Still one once queued; a new one once it is closed.
        act(&v.hr, id, "accept", json!({})).await;
        let r = student.post(&apply_path(&v), json!({})).await;
        assert_eq!(error_code(r).await, (409, "already_open".into()));
        act(&student, id, "cancel", json!({ "reason": "时间冲突" })).await;
        apply(&student, &v).await;
        assert_eq!(ids(&get_json(&student, "/api/v1/tickets").await).len(), 2);
    }

    async fn another_student_can_neither_see_nor_answer_a_ticket(app) {
        let v = app.venue(live()).await;
        let (student, student_id) = app.entered_student(v.fair_id, "13800000061").await;
        let (other, _) = app.entered_student(v.fair_id, "13800000062").await;
        let applied = apply(&student, &v).await;
        for (action, body) in [("accept", json!({})), ("cancel", json!({ "reason": "x" }))] {
            let r = act(&other, applied, action, body).await;
            assert_eq!(error_code(r).await, (404, "not_found".into()), "{action}");
        }
        // Once the application is withdrawn, the employer invites the first student.
        act(&student, applied, "cancel", json!({ "reason": "改天再约" })).await;
        let invited = invite(&v.hr, &v, student_id).await;
        assert!(get_json(&other, "/api/v1/tickets").await["items"].as_array().unwrap().is_empty());
        for (action, body) in [("accept", json!({})), ("decline", json!({})), ("cancel", json!({ "reason": "x" }))] {
            let r = act(&other, invited, action, body).await;
            assert_eq!(error_code(r).await, (404, "not_found".into()), "{action}");
        }
        let r = other.get(&format!("/api/v1/tickets/{invited}/events")).await;
        assert_eq!(r.status(), 404);
        // Students do not see employer lists, nor invite.
        let r = other.get(&list_path(&v, "pending")).await;
        assert_eq!(error_code(r).await, (403, "forbidden".into()));
        let r = other.post(&invite_path(&v), json!({ "student_id": student_id })).await;
        assert_eq!(error_code(r).await, (403, "forbidden".into()));
        // And a student cannot reject.
        let r = act(&student, invited, "reject", json!({})).await;
        assert_eq!(error_code(r).await, (403, "forbidden".into()));
    }

    async fn another_employer_gets_not_found(app) {
        let v = app.venue(live()).await;
        let (student, student_id) = app.entered_student(v.fair_id, "13800000071").await;
        let id = apply(&student, &v).await;
        let stranger = app.signed_in(Role::EmployerAdmin, "hr-stranger@other.cn").await;
        for (action, body) in [("accept", json!({})), ("reject", json!({})), ("cancel", json!({ "reason": "x" }))] {
            let r = act(&stranger, id, action, body).await;
            assert_eq!(error_code(r).await, (404, "not_found".into()), "{action}");
        }
        let r = stranger.get(&list_path(&v, "pending")).await;
        assert_eq!(error_code(r).await, (404, "not_found".into()));
        let r = stranger.post(&invite_path(&v), json!({ "student_id": student_id })).await;
        assert_eq!(error_code(r).await, (404, "not_found".into()));
        // An organizer has no tickets at all.
        let r = act(&v.staff, id, "accept", json!({})).await;
        assert_eq!(error_code(r).await, (403, "forbidden".into()));
        let r = v.staff.get("/api/v1/tickets").await;
        assert_eq!(error_code(r).await, (403, "forbidden".into()));
        assert_eq!(history(&app, id).await.len(), 1, "nothing was written");
    }

    async fn an_interviewer_not_chosen_for_the_registration_is_refused(app) {
        let v = app.venue(live()).await;
        let (student, student_id) = app.entered_student(v.fair_id, "13800000081").await;
        let id = apply(&student, &v).await;
        let unchosen = unchosen_interviewer(&app, &v).await;
        let r = act(&unchosen, id, "accept", json!({})).await;
        assert_eq!(error_code(r).await, (403, "not_chosen_interviewer".into()));
        let r = unchosen.get(&list_path(&v, "pending")).await;
        assert_eq!(error_code(r).await, (403, "not_chosen_interviewer".into()));
        let r = unchosen.post(&invite_path(&v), json!({ "student_id": student_id })).await;
        assert_eq!(error_code(r).await, (403, "not_chosen_interviewer".into()));
        // The unknown tab is refused before anything else is read.
        let r = v.hr.get(&list_path(&v, "later")).await;
        assert_eq!(error_code(r).await, (422, "bad_query".into()));
        // All tabs at once without one.
        let all = get_json(&v.hr, &format!("/api/v1/employer/registrations/{}/tickets", v.employers[0].registration_id)).await;
        assert_eq!(ids(&all), vec![id]);
    }

    async fn a_student_cannot_accept_their_own_application(app) {
        let v = app.venue(live()).await;
        let (student, _) = app.entered_student(v.fair_id, "13800000091").await;
        let id = apply(&student, &v).await;
        let r = act(&student, id, "accept", json!({})).await;
        let body: Value = {
            assert_eq!(r.status(), 403);
            r.json().await.unwrap()
        };
        assert_eq!(body["code"], "not_allowed");
        assert_eq!(body["message"], "该面试申请需由单位接受或拒绝");
        let r = act(&student, id, "decline", json!({})).await;
        assert_eq!(error_code(r).await, (403, "not_allowed".into()));
        // Withdrawing one's own pending application is fine.
        let r = act(&student, id, "cancel", json!({ "reason": "投错了" })).await;
        assert_eq!(r.status(), 200);
    }

    async fn of_a_concurrent_accept_and_reject_exactly_one_wins(app) {
        let v = app.venue(live()).await;
        for (i, phone) in ["13800000101", "13800000102", "13800000103"].into_iter().enumerate() {
            let (student, _) = app.entered_student(v.fair_id, phone).await;
            let id = apply(&student, &v).await;
            let (accepted, rejected) = tokio::join!(
                act(&v.hr, id, "accept", json!({})),
                act(&v.interviewer, id, "reject", json!({}))
            );
            let (a, r) = (accepted.status().as_u16(), rejected.status().as_u16());
            let winner = match (a, r) {
                (200, 409) => "queued",
                (409, 200) => "rejected",
                other => panic!("round {i}: expected one 200 and one 409, got {other:?}"),
            };
            let loser = if a == 409 { accepted } else { rejected };
            let body: Value = loser.json().await.unwrap();
            assert_eq!(body["code"], "invalid_transition");
            let t = app.store.ticket(id).await.unwrap().unwrap();
            assert_eq!(t.status.as_str(), winner);
            let events = history(&app, id).await;
            assert_eq!(events.len(), 2, "one change written");
            assert_eq!(events[1].2, winner);
        }
    }

    async fn of_two_applications_sent_at_once_exactly_one_opens(app) {
        let v = app.venue(live()).await;
        for phone in ["13800000111", "13800000112", "13800000113"] {
            let (student, student_id) = app.entered_student(v.fair_id, phone).await;
            let path = apply_path(&v);
            let (a, b) = tokio::join!(
                student.post(&path, json!({})),
                student.post(&path, json!({}))
            );
            let mut statuses = [a.status().as_u16(), b.status().as_u16()];
            statuses.sort_unstable();
            assert_eq!(statuses, [201, 409], "{phone}");
            let loser = if a.status() == 409 { a } else { b };
            assert_eq!(error_code(loser).await, (409, "already_open".into()));
            let rows = app.store.ticket_statuses(v.employers[0].registration_id, student_id).await.unwrap();
            assert_eq!(rows.iter().map(|s| s.as_str()).collect::<Vec<_>>(), vec!["pending"]);
        }
    }
}
