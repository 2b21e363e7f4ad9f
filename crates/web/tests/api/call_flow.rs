//! Video calls on interview tickets: ringing, answering, signalling over /ws, the verdict, the
//! ring timeout, reconnects, panels, 下一位, and every call route refused to strangers.

use std::time::Duration;

use fairhall_domain::account::Role;
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::both_backends;
use crate::fixtures::{HOUR, Venue, VenueOptions};
use crate::helpers::{Backend, Client, PASSWORD, TestApp, error_code};
use crate::ws::{Socket, connect, next_of};

fn live() -> VenueOptions {
    VenueOptions {
        live: (-HOUR, 8 * HOUR),
        ..VenueOptions::default()
    }
}

fn reg(v: &Venue) -> i64 {
    v.employers[0].registration_id
}

async fn post(c: &Client, path: &str, body: Value, status: u16) -> Value {
    let r = c.post(path, body).await;
    let got = r.status().as_u16();
    let body: Value = r.json().await.unwrap_or(Value::Null);
    assert_eq!(got, status, "POST {path}: {body}");
    body
}

async fn get(c: &Client, path: &str) -> Value {
    let r = c.get(path).await;
    assert_eq!(r.status(), 200, "GET {path}");
    r.json().await.unwrap()
}

async fn put(c: &Client, path: &str, body: Value) -> reqwest::Response {
    let mut req = c.http.put(c.url(path)).json(&body);
    if let Some(t) = &c.csrf {
        req = req.header("x-csrf-token", t);
    }
    req.send().await.unwrap()
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    app.store
        .credentials_by_email(email)
        .await
        .unwrap()
        .unwrap()
        .user
        .id
}

/// A student who entered the fair, applied to the first employer and was accepted (待面试).
/// Answers the student's client and id, and the ticket's id.
async fn queued(app: &TestApp, v: &Venue, phone: &str) -> (Client, i64, i64) {
    let (c, id) = app.entered_student(v.fair_id, phone).await;
    let t = post(
        &c,
        &format!("/api/v1/fairs/{}/employers/{}/tickets", v.fair_id, reg(v)),
        json!({}),
        201,
    )
    .await;
    let tid = t["id"].as_i64().unwrap();
    post(
        &v.hr,
        &format!("/api/v1/tickets/{tid}/accept"),
        json!({}),
        200,
    )
    .await;
    (c, id, tid)
}

async fn online(app: &TestApp, c: &Client) -> Socket {
    let mut ws = connect(app, Some(c), &app.base).await.unwrap();
    next_of(&mut ws, "hello").await;
    ws
}

/// The next `call_state` whose call has `status`, skipping earlier states.
async fn call_state(ws: &mut Socket, status: &str) -> Value {
    loop {
        let v = next_of(ws, "call_state").await;
        if v["call"]["status"] == status {
            return v["call"].clone();
        }
    }
}

async fn send(ws: &mut Socket, v: Value) {
    ws.send(Message::Text(v.to_string().into())).await.unwrap();
}

/// Sends a ping and reads up to the pong, failing on any `call_signal` before it.
async fn no_signal_until_pong(ws: &mut Socket) {
    send(ws, json!({"type": "ping"})).await;
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("a frame within 5 s")
            .unwrap()
            .unwrap();
        if let Message::Text(t) = msg {
            let v: Value = serde_json::from_str(&t).unwrap();
            assert_ne!(v["type"], "call_signal", "nothing relayed: {v}");
            if v["type"] == "pong" {
                return;
            }
        }
    }
}

const SDP: &str = "v=0\r\no=- 46117317 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

fn offer(call_id: i64, to: i64, kind: &str) -> Value {
    match kind {
        "candidate" => json!({
            "type": "signal", "call_id": call_id, "to": to, "kind": "candidate",
            "candidate": {"candidate": "candidate:1 1 udp 2122260223 10.0.0.2 54321 typ host",
                          "sdpMid": "0", "sdpMLineIndex": 0}
        }),
        k => json!({"type": "signal", "call_id": call_id, "to": to, "kind": k, "sdp": SDP}),
    }
}

async fn ticket(app: &TestApp, id: i64) -> fairhall_store::tickets::Ticket {
    app.store.ticket(id).await.unwrap().unwrap()
}

/// A new interviewer of the first employer, chosen for its registration, signed in.
async fn chosen_interviewer(app: &TestApp, v: &Venue, email: &str) -> (Client, i64) {
    let employer = v.employers[0].employer_id;
    let id = app
        .state
        .create_password_account(
            Role::Interviewer,
            email,
            PASSWORD,
            "王面试官",
            None,
            Some(employer),
        )
        .await
        .unwrap()
        .id;
    sqlx::query("INSERT INTO registration_interviewers (registration_id, user_id) VALUES ($1, $2)")
        .bind(reg(v))
        .bind(id)
        .execute(app.store.pool())
        .await
        .unwrap();
    let mut c = app.client();
    c.sign_in(email, PASSWORD).await;
    (c, id)
}

/// The host starts a call and the online student answers it; answers the call id.
async fn running_call(v: &Venue, tid: i64, student: &Client, student_ws: &mut Socket) -> i64 {
    let call = post(
        &v.hr,
        &format!("/api/v1/tickets/{tid}/call"),
        json!({}),
        201,
    )
    .await;
    let id = call["id"].as_i64().unwrap();
    call_state(student_ws, "ringing").await;
    post(
        student,
        &format!("/api/v1/calls/{id}/answer"),
        json!({}),
        200,
    )
    .await;
    id
}

both_backends! {
    async fn apply_accept_ring_answer_signal_and_end_with_a_verdict_and_notes(app) {
        let v = app.venue(live()).await;
        let hr_id = user_id(&app, &v.hr_email).await;
        let (stu, sid, tid) = queued(&app, &v, "13900000001").await;
        let mut stu_ws = online(&app, &stu).await;
        let mut hr_ws = online(&app, &v.hr).await;

        // The student may watch the host they have a ticket with, and the host the student.
        send(&mut stu_ws, json!({"type": "watch_presence", "user_ids": [hr_id]})).await;
        let p = next_of(&mut stu_ws, "presence").await;
        assert_eq!((p["user_id"].as_i64(), p["online"].as_bool()), (Some(hr_id), Some(true)));
        send(&mut hr_ws, json!({"type": "watch_presence", "user_ids": [sid]})).await;
        let p = next_of(&mut hr_ws, "presence").await;
        assert_eq!((p["user_id"].as_i64(), p["online"].as_bool()), (Some(sid), Some(true)));

        let call = post(&v.hr, &format!("/api/v1/tickets/{tid}/call"), json!({}), 201).await;
        assert_eq!(call["status"], "ringing");
        assert_eq!(call["caller_id"].as_i64(), Some(hr_id));
        assert_eq!(call["student_id"].as_i64(), Some(sid));
        assert_eq!(call["callee_ids"], json!([sid]));
        assert_eq!(call["employer_name"], v.employers[0].name.as_str());
        assert!(call["ring_expires_at"].as_i64().unwrap() > fairhall_app::now_ms());
        let call_id = call["id"].as_i64().unwrap();
        assert_eq!(ticket(&app, tid).await.interviewer_id, None, "a ring takes nothing yet");

        let rung = call_state(&mut stu_ws, "ringing").await;
        assert_eq!(rung["id"].as_i64(), Some(call_id));
        assert_eq!(rung["ticket_id"].as_i64(), Some(tid));
        assert!(rung.get("notes").is_none(), "notes are never pushed");
        let current = get(&stu, "/api/v1/calls/current").await;
        assert_eq!(current["id"].as_i64(), Some(call_id));

        let active = post(&stu, &format!("/api/v1/calls/{call_id}/answer"), json!({}), 200).await;
        assert_eq!(active["status"], "active");
        let joined: Vec<i64> = active["participants"].as_array().unwrap().iter()
            .map(|p| p["user_id"].as_i64().unwrap()).collect();
        assert_eq!(joined, [hr_id, sid]);
        assert_eq!(active["participants"][1]["side"], "student");
        loop {
            let changed = next_of(&mut hr_ws, "ticket_changed").await;
            assert_eq!(changed["ticket_id"].as_i64(), Some(tid));
            if changed["status"] == "in_call" {
                break;
            }
        }
        call_state(&mut hr_ws, "active").await;
        assert_eq!(ticket(&app, tid).await.status.as_str(), "in_call");
        assert_eq!(ticket(&app, tid).await.interviewer_id, Some(hr_id), "answered: the host has it");

        // Offer, answer and candidates both ways.
        send(&mut hr_ws, offer(call_id, sid, "offer")).await;
        let s = next_of(&mut stu_ws, "call_signal").await;
        assert_eq!((s["call_id"].as_i64(), s["from"].as_i64(), s["kind"].as_str(), s["sdp"].as_str()),
                   (Some(call_id), Some(hr_id), Some("offer"), Some(SDP)));
        send(&mut stu_ws, offer(call_id, hr_id, "answer")).await;
        let s = next_of(&mut hr_ws, "call_signal").await;
        assert_eq!((s["from"].as_i64(), s["kind"].as_str()), (Some(sid), Some("answer")));
        send(&mut stu_ws, offer(call_id, hr_id, "candidate")).await;
        let s = next_of(&mut hr_ws, "call_signal").await;
        assert_eq!(s["kind"], "candidate");
        assert_eq!(s["candidate"]["sdpMid"], "0");
        assert_eq!(s["candidate"]["sdpMLineIndex"], 0);
        send(&mut hr_ws, offer(call_id, sid, "candidate")).await;
        let s = next_of(&mut stu_ws, "call_signal").await;
        assert_eq!((s["from"].as_i64(), s["kind"].as_str()), (Some(hr_id), Some("candidate")));
        // A malformed signal is refused.
        send(&mut hr_ws, json!({"type": "signal", "call_id": call_id, "to": sid, "kind": "offer"})).await;
        assert_eq!(next_of(&mut hr_ws, "error").await["code"], "bad_signal");

        // The student may not end it; no verdict is refused; notes autosave.
        let (status, code) = error_code(stu.post(&format!("/api/v1/calls/{call_id}/end"), json!({"verdict": "suitable"})).await).await;
        assert_eq!((status, code.as_str()), (403, "not_host"));
        let (status, code) = error_code(v.hr.post(&format!("/api/v1/calls/{call_id}/end"), json!({})).await).await;
        assert_eq!((status, code.as_str()), (422, "verdict_required"));
        let (status, code) = error_code(v.hr.post(&format!("/api/v1/calls/{call_id}/end"), json!({"verdict": "maybe"})).await).await;
        assert_eq!((status, code.as_str()), (422, "invalid_verdict"));
        let r = put(&v.hr, &format!("/api/v1/tickets/{tid}/notes"), json!({"notes": "沟通清晰，项目经历扎实"})).await;
        assert_eq!(r.status(), 200);
        let saved: Value = r.json().await.unwrap();
        assert!(saved["saved_at"].as_i64().unwrap() > 0);
        let r = put(&stu, &format!("/api/v1/tickets/{tid}/notes"), json!({"notes": "x"})).await;
        assert_eq!(r.status(), 403, "the student writes no notes");
        let r = put(&v.hr, &format!("/api/v1/tickets/{tid}/notes"), json!({"notes": "长".repeat(2001)})).await;
        assert_eq!(error_code(r).await, (422, "notes_too_long".to_string()));
        // The notes survive a reload: the host's view of the call has them, the student's not.
        let seen = get(&v.hr, &format!("/api/v1/calls/{call_id}")).await;
        assert_eq!(seen["notes"], "沟通清晰，项目经历扎实");
        let seen = get(&stu, &format!("/api/v1/calls/{call_id}")).await;
        assert!(seen.get("notes").is_none());

        let ended = post(&v.hr, &format!("/api/v1/calls/{call_id}/end"), json!({"verdict": "suitable"}), 200).await;
        assert_eq!(ended["status"], "ended");
        call_state(&mut stu_ws, "ended").await;
        let t = ticket(&app, tid).await;
        assert_eq!((t.status.as_str(), t.verdict.map(|v| v.as_str()), t.notes.as_str()),
                   ("done", Some("suitable"), "沟通清晰，项目经历扎实"));
        let done = get(&v.hr, &format!("/api/v1/employer/registrations/{}/tickets?status=done", reg(&v))).await;
        assert_eq!(done["items"][0]["notes"], "沟通清晰，项目经历扎实");
        assert_eq!(done["items"][0]["verdict"], "suitable");
        let actions: Vec<String> = app.store.ticket_events(tid).await.unwrap()
            .into_iter().map(|e| e.action).collect();
        assert_eq!(actions, ["applied", "accept", "start_call", "end_call"]);
        assert_eq!(get(&stu, "/api/v1/calls/current").await, Value::Null);
        // Signalling into an ended call relays nothing.
        send(&mut hr_ws, offer(call_id, sid, "offer")).await;
        assert_eq!(next_of(&mut hr_ws, "error").await["code"], "not_in_call");
        // Notes may still be corrected after the interview.
        let r = put(&v.hr, &format!("/api/v1/tickets/{tid}/notes"), json!({"notes": "补充：可安排二面"})).await;
        assert_eq!(r.status(), 200);
        assert_eq!(ticket(&app, tid).await.notes, "补充：可安排二面");
    }

    async fn a_student_signalling_into_a_call_not_theirs_is_refused(app) {
        let v = app.venue(live()).await;
        let hr_id = user_id(&app, &v.hr_email).await;
        let (stu, sid, tid) = queued(&app, &v, "13900000011").await;
        let (other, _, _) = queued(&app, &v, "13900000012").await;
        let mut stu_ws = online(&app, &stu).await;
        let mut hr_ws = online(&app, &v.hr).await;
        let mut other_ws = online(&app, &other).await;
        let call_id = running_call(&v, tid, &stu, &mut stu_ws).await;

        send(&mut other_ws, offer(call_id, hr_id, "offer")).await;
        assert_eq!(next_of(&mut other_ws, "error").await["code"], "not_in_call");
        send(&mut other_ws, offer(call_id, sid, "candidate")).await;
        assert_eq!(next_of(&mut other_ws, "error").await["code"], "not_in_call");
        // A participant cannot relay to someone outside the call either.
        let other_id = app.student_id("13900000012").await;
        send(&mut stu_ws, offer(call_id, other_id, "offer")).await;
        assert_eq!(next_of(&mut stu_ws, "error").await["code"], "not_in_call");
        no_signal_until_pong(&mut hr_ws).await;
        no_signal_until_pong(&mut other_ws).await;
        // And the other student cannot read the call.
        let (status, _) = error_code(other.get(&format!("/api/v1/calls/{call_id}")).await).await;
        assert_eq!(status, 404);
    }

    async fn calls_outside_the_live_window_are_refused(app) {
        let v = app.venue(VenueOptions::default()).await;
        let (stu, sid) = app.entered_student(v.fair_id, "13900000021").await;
        let t = post(&v.hr, &format!("/api/v1/employer/registrations/{}/invitations", reg(&v)),
                     json!({"student_id": sid}), 201).await;
        let tid = t["id"].as_i64().unwrap();
        post(&stu, &format!("/api/v1/tickets/{tid}/accept"), json!({}), 200).await;
        let _s = online(&app, &stu).await;
        let _h = online(&app, &v.hr).await;
        for c in [&v.hr, &stu] {
            let (status, code) = error_code(c.post(&format!("/api/v1/tickets/{tid}/call"), json!({})).await).await;
            assert_eq!((status, code.as_str()), (409, "not_live"));
        }
        let (status, code) = error_code(v.hr.post(&format!("/api/v1/employer/registrations/{}/calls/next", reg(&v)), json!({})).await).await;
        assert_eq!((status, code.as_str()), (409, "not_live"));
        assert_eq!(ticket(&app, tid).await.interviewer_id, None);
    }

    async fn the_other_side_offline_is_refused(app) {
        let v = app.venue(live()).await;
        let (stu, _, tid) = queued(&app, &v, "13900000031").await;
        let (status, code) = error_code(v.hr.post(&format!("/api/v1/tickets/{tid}/call"), json!({})).await).await;
        assert_eq!((status, code.as_str()), (409, "other_side_offline"));
        let (status, code) = error_code(stu.post(&format!("/api/v1/tickets/{tid}/call"), json!({})).await).await;
        assert_eq!((status, code.as_str()), (409, "other_side_offline"));
        assert_eq!(ticket(&app, tid).await.interviewer_id, None, "nothing taken");
        // A pending ticket cannot be called at all.
        let (pending_stu, _) = app.entered_student(v.fair_id, "13900000032").await;
        let t = post(&pending_stu, &format!("/api/v1/fairs/{}/employers/{}/tickets", v.fair_id, reg(&v)), json!({}), 201).await;
        let _ws = online(&app, &pending_stu).await;
        let (status, code) = error_code(v.hr.post(&format!("/api/v1/tickets/{}/call", t["id"]), json!({})).await).await;
        assert_eq!((status, code.as_str()), (409, "invalid_transition"));
    }

    async fn the_student_calls_the_online_hosts_who_decline_or_answer(app) {
        let v = app.venue(live()).await;
        let hr_id = user_id(&app, &v.hr_email).await;
        let (stu, _, tid) = queued(&app, &v, "13900000041").await;
        let mut stu_ws = online(&app, &stu).await;
        let mut hr_ws = online(&app, &v.hr).await;

        // Only the online host is rung (the interviewer has no socket).
        let call = post(&stu, &format!("/api/v1/tickets/{tid}/call"), json!({}), 201).await;
        assert_eq!(call["callee_ids"], json!([hr_id]));
        let id = call["id"].as_i64().unwrap();
        call_state(&mut hr_ws, "ringing").await;
        let (status, code) = error_code(stu.post(&format!("/api/v1/calls/{id}/answer"), json!({})).await).await;
        assert_eq!((status, code.as_str()), (403, "not_callee"));
        let (status, code) = error_code(v.hr.post(&format!("/api/v1/calls/{id}/cancel"), json!({})).await).await;
        assert_eq!((status, code.as_str()), (403, "not_caller"));
        let declined = post(&v.hr, &format!("/api/v1/calls/{id}/decline"), json!({}), 200).await;
        assert_eq!(declined["status"], "declined");
        call_state(&mut stu_ws, "declined").await;
        assert_eq!(ticket(&app, tid).await.status.as_str(), "queued");

        let call = post(&stu, &format!("/api/v1/tickets/{tid}/call"), json!({}), 201).await;
        let id = call["id"].as_i64().unwrap();
        let (status, code) = error_code(stu.post(&format!("/api/v1/tickets/{tid}/call"), json!({})).await).await;
        assert_eq!((status, code.as_str()), (409, "call_exists"), "one call per ticket");
        post(&stu, &format!("/api/v1/calls/{id}/cancel"), json!({}), 200).await;
        call_state(&mut hr_ws, "cancelled").await;
        let (status, code) = error_code(v.hr.post(&format!("/api/v1/calls/{id}/answer"), json!({})).await).await;
        assert_eq!((status, code.as_str()), (409, "call_invalid_transition"));

        // Cancelling the ticket while it rings stops the ring.
        let (stu2, _, tid2) = queued(&app, &v, "13900000042").await;
        post(&stu2, &format!("/api/v1/tickets/{tid2}/call"), json!({}), 201).await;
        call_state(&mut hr_ws, "ringing").await;
        post(&stu2, &format!("/api/v1/tickets/{tid2}/cancel"), json!({"reason": "临时有事"}), 200).await;
        let stopped = call_state(&mut hr_ws, "cancelled").await;
        assert_eq!(stopped["ticket_id"].as_i64(), Some(tid2));

        let call = post(&stu, &format!("/api/v1/tickets/{tid}/call"), json!({}), 201).await;
        let id = call["id"].as_i64().unwrap();
        let active = post(&v.hr, &format!("/api/v1/calls/{id}/answer"), json!({}), 200).await;
        assert_eq!(active["status"], "active");
        let t = ticket(&app, tid).await;
        assert_eq!((t.status.as_str(), t.interviewer_id), ("in_call", Some(hr_id)));
        call_state(&mut stu_ws, "active").await;
    }

    async fn a_reconnect_mid_call_resumes_it(app) {
        let v = app.venue(live()).await;
        let hr_id = user_id(&app, &v.hr_email).await;
        let (stu, sid, tid) = queued(&app, &v, "13900000051").await;
        let mut stu_ws = online(&app, &stu).await;
        let mut hr_ws = online(&app, &v.hr).await;
        let call_id = running_call(&v, tid, &stu, &mut stu_ws).await;

        drop(stu_ws);
        tokio::time::sleep(Duration::from_millis(200)).await;
        let current = get(&stu, "/api/v1/calls/current").await;
        assert_eq!((current["id"].as_i64(), current["status"].as_str()), (Some(call_id), Some("active")));
        assert_eq!(ticket(&app, tid).await.status.as_str(), "in_call");

        let mut stu_ws = online(&app, &stu).await;
        let current = get(&stu, "/api/v1/calls/current").await;
        assert_eq!(current["id"].as_i64(), Some(call_id));
        send(&mut stu_ws, offer(call_id, hr_id, "offer")).await;
        let s = next_of(&mut hr_ws, "call_signal").await;
        assert_eq!((s["from"].as_i64(), s["kind"].as_str()), (Some(sid), Some("offer")));
        send(&mut hr_ws, offer(call_id, sid, "answer")).await;
        let s = next_of(&mut stu_ws, "call_signal").await;
        assert_eq!((s["from"].as_i64(), s["kind"].as_str()), (Some(hr_id), Some("answer")));
    }

    async fn a_panel_joins_up_to_four_and_strangers_are_refused_everywhere(app) {
        let v = app.venue(live()).await;
        let (stu, _, tid) = queued(&app, &v, "13900000061").await;
        let (stranger, _, stranger_tid) = queued(&app, &v, "13900000062").await;
        let mut stu_ws = online(&app, &stu).await;
        let _hr_ws = online(&app, &v.hr).await;
        let call_id = running_call(&v, tid, &stu, &mut stu_ws).await;

        let joined = post(&v.interviewer, &format!("/api/v1/calls/{call_id}/join"), json!({}), 200).await;
        assert_eq!(joined["participants"].as_array().unwrap().len(), 3);
        call_state(&mut stu_ws, "active").await;
        let (status, code) = error_code(v.interviewer.post(&format!("/api/v1/calls/{call_id}/join"), json!({})).await).await;
        assert_eq!((status, code.as_str()), (409, "already_joined"));
        let (iv2, _) = chosen_interviewer(&app, &v, "iv2-panel@venue.cn").await;
        let (iv3, _) = chosen_interviewer(&app, &v, "iv3-panel@venue.cn").await;
        post(&iv2, &format!("/api/v1/calls/{call_id}/join"), json!({}), 200).await;
        let (status, code) = error_code(iv3.post(&format!("/api/v1/calls/{call_id}/join"), json!({})).await).await;
        assert_eq!((status, code.as_str()), (409, "call_full"), "a fifth is refused");
        // Someone leaves; the call goes on and the seat is free again.
        let left = post(&iv2, &format!("/api/v1/calls/{call_id}/leave"), json!({}), 200).await;
        assert_eq!(left["status"], "active");
        assert!(left["participants"].as_array().unwrap().iter().any(|p| p["left_at"].is_i64()));
        post(&iv3, &format!("/api/v1/calls/{call_id}/join"), json!({}), 200).await;
        let (status, code) = error_code(iv2.post(&format!("/api/v1/calls/{call_id}/leave"), json!({})).await).await;
        assert_eq!((status, code.as_str()), (409, "not_in_call"));

        // An interviewer of the same employer who was not chosen is refused.
        let unchosen_email = "iv-unchosen@venue.cn";
        app.state.create_password_account(Role::Interviewer, unchosen_email, PASSWORD, "赵面试官", None, Some(v.employers[0].employer_id)).await.unwrap();
        let mut unchosen = app.client();
        unchosen.sign_in(unchosen_email, PASSWORD).await;
        let (status, code) = error_code(unchosen.post(&format!("/api/v1/calls/{call_id}/join"), json!({})).await).await;
        assert_eq!((status, code.as_str()), (403, "not_chosen_interviewer"));

        // Another employer's host and a student of another ticket: 404 (or 403 for a route
        // students never use) on every call route.
        let other = app.venue(live()).await;
        let staff = &other.staff;
        let posts = ["answer", "decline", "cancel", "join", "leave", "end"];
        for (who, c) in [("other employer", &other.hr), ("other student", &stranger)] {
            let (status, _) = error_code(c.get(&format!("/api/v1/calls/{call_id}")).await).await;
            assert_eq!(status, 404, "{who} GET");
            for p in posts {
                let (status, _) = error_code(c.post(&format!("/api/v1/calls/{call_id}/{p}"), json!({"verdict": "suitable"})).await).await;
                assert_eq!(status, 404, "{who} {p}");
            }
            let (status, _) = error_code(c.post(&format!("/api/v1/tickets/{tid}/call"), json!({})).await).await;
            assert_eq!(status, 404, "{who} start");
            let (status, _) = error_code(put(c, &format!("/api/v1/tickets/{tid}/notes"), json!({"notes": "x"})).await).await;
            assert_eq!(status, 404, "{who} notes");
        }
        let (status, _) = error_code(other.hr.post(&format!("/api/v1/employer/registrations/{}/calls/next", reg(&v)), json!({})).await).await;
        assert_eq!(status, 404);
        let (status, _) = error_code(stranger.post(&format!("/api/v1/employer/registrations/{}/calls/next", reg(&v)), json!({})).await).await;
        assert_eq!(status, 403);
        let (status, _) = error_code(staff.get(&format!("/api/v1/calls/{call_id}")).await).await;
        assert_eq!(status, 403, "organizer staff have no calls");
        assert_eq!(get(staff, "/api/v1/calls/current").await, Value::Null, "no calls, no error");
        let (status, _) = error_code(app.client().get("/api/v1/calls/current").await).await;
        assert_eq!(status, 401);
        // The stranger's own ticket is untouched, and the call still runs.
        assert_eq!(ticket(&app, stranger_tid).await.status.as_str(), "queued");
        let seen = get(&v.hr, &format!("/api/v1/calls/{call_id}")).await;
        assert_eq!(seen["status"], "active");
    }

    async fn next_picks_the_oldest_queued_student_who_is_online(app) {
        let v = app.venue(live()).await;
        let (first, _, _) = queued(&app, &v, "13900000071").await;
        let (second, _, second_tid) = queued(&app, &v, "13900000072").await;
        let (third, _, _) = queued(&app, &v, "13900000073").await;
        let next = format!("/api/v1/employer/registrations/{}/calls/next", reg(&v));
        let (status, code) = error_code(v.hr.post(&next, json!({})).await).await;
        assert_eq!((status, code.as_str()), (404, "no_one_online"));

        let _first_offline = first;
        let mut second_ws = online(&app, &second).await;
        let _third_ws = online(&app, &third).await;
        let call = post(&v.hr, &next, json!({}), 201).await;
        assert_eq!(call["ticket_id"].as_i64(), Some(second_tid));
        assert_eq!(call["status"], "ringing");
        call_state(&mut second_ws, "ringing").await;
        // The interviewer's 下一位 skips the ticket the admin took and rings the third.
        let call = post(&v.interviewer, &next, json!({}), 201).await;
        assert_ne!(call["ticket_id"].as_i64(), Some(second_tid));
        let (status, code) = error_code(v.interviewer.post(&next, json!({})).await).await;
        assert_eq!((status, code.as_str()), (404, "no_one_online"));
    }

    async fn a_ring_read_after_its_expiry_is_missed_even_without_the_timer(app) {
        let v = app.venue(live()).await;
        let hr_id = user_id(&app, &v.hr_email).await;
        let (stu, sid, tid) = queued(&app, &v, "13900000081").await;
        let now = fairhall_app::now_ms();
        // A ring whose node died: written straight to the store, no timer.
        let id = app.store.insert_call(
            tid,
            fairhall_store::calls::NewParticipant { user_id: hr_id, side: fairhall_domain::ticket::Side::Employer },
            &[fairhall_store::calls::NewParticipant { user_id: sid, side: fairhall_domain::ticket::Side::Student }],
            now - 60_000,
            now - 30_000,
        ).await.unwrap();
        assert_eq!(get(&stu, "/api/v1/calls/current").await, Value::Null);
        let seen = get(&v.hr, &format!("/api/v1/calls/{id}")).await;
        assert_eq!(seen["status"], "missed");
        assert_eq!(app.store.call(id).await.unwrap().unwrap().status.as_str(), "missed");
        let (status, code) = error_code(stu.post(&format!("/api/v1/calls/{id}/answer"), json!({})).await).await;
        assert_eq!((status, code.as_str()), (409, "call_invalid_transition"));
    }
}

/// An unanswered ring ends as missed after `ring_timeout_secs`, and the caller is told.
async fn a_ring_times_out(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| c.calls.ring_timeout_secs = 1).await;
    let v = app.venue(live()).await;
    let (stu, _, tid) = queued(&app, &v, "13900000091").await;
    let mut stu_ws = online(&app, &stu).await;
    let mut hr_ws = online(&app, &v.hr).await;
    let call = post(
        &v.hr,
        &format!("/api/v1/tickets/{tid}/call"),
        json!({}),
        201,
    )
    .await;
    let id = call["id"].as_i64().unwrap();
    call_state(&mut stu_ws, "ringing").await;
    let missed = call_state(&mut hr_ws, "missed").await;
    assert_eq!(missed["id"].as_i64(), Some(id));
    call_state(&mut stu_ws, "missed").await;
    let (status, code) = error_code(
        stu.post(&format!("/api/v1/calls/{id}/answer"), json!({}))
            .await,
    )
    .await;
    assert_eq!((status, code.as_str()), (409, "call_invalid_transition"));
    assert_eq!(get(&v.hr, "/api/v1/calls/current").await, Value::Null);
    assert_eq!(ticket(&app, tid).await.status.as_str(), "queued");
    assert_eq!(
        ticket(&app, tid).await.interviewer_id,
        None,
        "a missed ring takes nothing"
    );
    // The ticket can be called again, by any host.
    post(
        &v.interviewer,
        &format!("/api/v1/tickets/{tid}/call"),
        json!({}),
        201,
    )
    .await;
}

mod ring_timeout {
    use super::*;

    #[tokio::test]
    async fn sqlite() {
        a_ring_times_out(Backend::Sqlite).await;
    }

    #[tokio::test]
    #[ignore = "needs PostgreSQL at 127.0.0.1:5432 (run by .ci/run)"]
    async fn postgres() {
        a_ring_times_out(Backend::Postgres).await;
    }
}

/// 未到场, a separate set so its names stay short.
mod no_show {
    use super::*;

    both_backends! {
        async fn a_host_marks_a_no_show_from_the_queue_and_from_a_call_and_the_student_cannot(app) {
            let v = app.venue(live()).await;
            // From 待面试: the student never came.
            let (stu, _, tid) = queued(&app, &v, "13900000095").await;
            let (status, code) = error_code(stu.post(&format!("/api/v1/tickets/{tid}/no-show"), json!({})).await).await;
            assert_eq!(status, 403, "a student cannot mark themselves: {code}");
            let other = app.venue(live()).await;
            let (status, _) = error_code(other.hr.post(&format!("/api/v1/tickets/{tid}/no-show"), json!({})).await).await;
            assert_eq!(status, 404, "another employer's host");
            let t = post(&v.interviewer, &format!("/api/v1/tickets/{tid}/no-show"), json!({}), 200).await;
            assert_eq!(t["status"], "no_show");
            let (status, code) = error_code(v.hr.post(&format!("/api/v1/tickets/{tid}/no-show"), json!({})).await).await;
            assert_eq!((status, code.as_str()), (409, "invalid_transition"));

            // From a call the student answered and then left for good: the call ends with it.
            let (stu, _, tid) = queued(&app, &v, "13900000096").await;
            let _stu_ws = online(&app, &stu).await;
            let mut hr_ws = online(&app, &v.hr).await;
            let call = post(&v.hr, &format!("/api/v1/tickets/{tid}/call"), json!({}), 201).await;
            let id = call["id"].as_i64().unwrap();
            post(&stu, &format!("/api/v1/calls/{id}/answer"), json!({}), 200).await;
            call_state(&mut hr_ws, "active").await;
            post(&v.hr, &format!("/api/v1/tickets/{tid}/no-show"), json!({}), 200).await;
            call_state(&mut hr_ws, "ended").await;
            assert_eq!(app.store.call(id).await.unwrap().unwrap().status.as_str(), "ended");
            assert_eq!(get(&stu, "/api/v1/calls/current").await, Value::Null);
        }

        async fn no_show_is_refused_before_the_fair_starts(app) {
            let v = app.venue(VenueOptions::default()).await;
            let (stu, _) = app.entered_student(v.fair_id, "13900000097").await;
            let sid = app.student_id("13900000097").await;
            let t = post(&v.hr, &format!("/api/v1/employer/registrations/{}/invitations", reg(&v)), json!({"student_id": sid}), 201).await;
            let tid = t["id"].as_i64().unwrap();
            post(&stu, &format!("/api/v1/tickets/{tid}/accept"), json!({}), 200).await;
            let (status, code) = error_code(v.hr.post(&format!("/api/v1/tickets/{tid}/no-show"), json!({})).await).await;
            assert_eq!((status, code.as_str()), (409, "not_live"));
        }
    }
}

/// TURN credentials minted per call: the username's tag names the user and the call, and only
/// the call's student and hosts get them.
async fn turn_credentials_are_minted_per_call(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.calls.turn_urls = vec!["turn:127.0.0.1:3478?transport=udp".into()];
        c.calls.turn_secret = Some("per-call-turn-shared-secret".into());
    })
    .await;
    let v = app.venue(live()).await;
    let (stu, sid, tid) = queued(&app, &v, "13900000098").await;
    let _ws = online(&app, &stu).await;
    let call = post(
        &v.hr,
        &format!("/api/v1/tickets/{tid}/call"),
        json!({}),
        201,
    )
    .await;
    let id = call["id"].as_i64().unwrap();
    let ice = get(&stu, &format!("/api/v1/calls/ice-servers?call_id={id}")).await;
    let username = ice["ice_servers"][0]["username"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        username.ends_with(&format!(":{sid}-c{id}")),
        "tagged with the user and the call: {username}"
    );
    let other = app.venue(live()).await;
    let (status, _) = error_code(
        other
            .hr
            .get(&format!("/api/v1/calls/ice-servers?call_id={id}"))
            .await,
    )
    .await;
    assert_eq!(
        status, 404,
        "another employer's host gets no credentials for the call"
    );
    let (stranger, _) = app.entered_student(v.fair_id, "13900000099").await;
    let (status, _) = error_code(
        stranger
            .get(&format!("/api/v1/calls/ice-servers?call_id={id}"))
            .await,
    )
    .await;
    assert_eq!(status, 404, "another student gets none either");
}

mod turn_per_call {
    use super::*;

    #[tokio::test]
    async fn sqlite() {
        turn_credentials_are_minted_per_call(Backend::Sqlite).await;
    }

    #[tokio::test]
    #[ignore = "needs PostgreSQL at 127.0.0.1:5432 (run by .ci/run)"]
    async fn postgres() {
        turn_credentials_are_minted_per_call(Backend::Postgres).await;
    }
}
