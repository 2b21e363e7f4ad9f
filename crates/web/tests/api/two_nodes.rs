//! Two nodes on one PostgreSQL and one Redis: presence, a call's ring and signalling, and chat
//! cross from one node to the other through the Redis bus.

use serde_json::{Value, json};

use crate::fixtures::{HOUR, VenueOptions};
use crate::helpers::{Client, TestApp};
use crate::ws::{Socket, connect, next_of};

async fn post(c: &Client, path: &str, body: Value, status: u16) -> Value {
    let r = c.post(path, body).await;
    let got = r.status().as_u16();
    let text = r.text().await.unwrap();
    assert_eq!(got, status, "POST {path}: {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

async fn online(app: &TestApp, c: &Client) -> Socket {
    let mut ws = connect(app, Some(c), &app.base).await.unwrap();
    next_of(&mut ws, "hello").await;
    ws
}

async fn send(ws: &mut Socket, v: Value) {
    use futures::SinkExt;
    ws.send(tokio_tungstenite::tungstenite::Message::Text(
        v.to_string().into(),
    ))
    .await
    .unwrap();
}

#[tokio::test]
#[ignore = "needs PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379 (run by .ci/run)"]
async fn presence_a_call_and_chat_cross_two_nodes_through_redis() {
    let (a, b) = TestApp::spawn_two_nodes().await;
    let v = a
        .venue(VenueOptions {
            live: (-HOUR, 8 * HOUR),
            ..VenueOptions::default()
        })
        .await;
    let rid = v.employers[0].registration_id;
    let hr_id = a
        .store
        .credentials_by_email(&v.hr_email)
        .await
        .unwrap()
        .unwrap()
        .user
        .id;
    // The student uses node A; the employer's admin node B.
    let (student, sid) = a.entered_student(v.fair_id, "13900000301").await;
    let hr = b.same_client(&v.hr);
    let ticket = post(
        &student,
        &format!("/api/v1/fairs/{}/employers/{rid}/tickets", v.fair_id),
        json!({}),
        201,
    )
    .await;
    let tid = ticket["id"].as_i64().unwrap();
    let mut stu_ws = online(&a, &student).await;
    let mut hr_ws = online(&b, &hr).await;
    post(
        &hr,
        &format!("/api/v1/tickets/{tid}/accept"),
        json!({}),
        200,
    )
    .await;
    let changed = next_of(&mut stu_ws, "ticket_changed").await;
    assert_eq!(changed["status"], "queued", "node A hears node B's change");

    // Presence across nodes.
    send(
        &mut hr_ws,
        json!({"type": "watch_presence", "user_ids": [sid]}),
    )
    .await;
    let p = next_of(&mut hr_ws, "presence").await;
    assert_eq!(
        (p["user_id"].as_i64(), p["online"].as_bool()),
        (Some(sid), Some(true))
    );

    // 开始面试 on node B rings the student on node A.
    let call = post(&hr, &format!("/api/v1/tickets/{tid}/call"), json!({}), 201).await;
    let call_id = call["id"].as_i64().unwrap();
    loop {
        let s = next_of(&mut stu_ws, "call_state").await;
        if s["call"]["status"] == "ringing" {
            assert_eq!(s["call"]["id"].as_i64(), Some(call_id));
            break;
        }
    }
    post(
        &student,
        &format!("/api/v1/calls/{call_id}/answer"),
        json!({}),
        200,
    )
    .await;

    // Signalling crosses: the student's offer from node A reaches node B, the answer comes back.
    let sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
    send(
        &mut stu_ws,
        json!({"type": "signal", "call_id": call_id, "to": hr_id, "kind": "offer", "sdp": sdp}),
    )
    .await;
    let got = next_of(&mut hr_ws, "call_signal").await;
    assert_eq!(
        (got["from"].as_i64(), got["kind"].as_str()),
        (Some(sid), Some("offer"))
    );
    send(
        &mut hr_ws,
        json!({"type": "signal", "call_id": call_id, "to": sid, "kind": "answer", "sdp": sdp}),
    )
    .await;
    let got = next_of(&mut stu_ws, "call_signal").await;
    assert_eq!(
        (got["from"].as_i64(), got["kind"].as_str()),
        (Some(hr_id), Some("answer"))
    );

    // Chat crosses too.
    let sent = post(
        &student,
        &format!("/api/v1/fairs/{}/employers/{rid}/messages", v.fair_id),
        json!({"text": "您好，我在另一台服务器上"}),
        201,
    )
    .await;
    let m = next_of(&mut hr_ws, "chat_message").await;
    assert_eq!(m["conversation_id"], sent["conversation_id"]);
    assert_eq!(m["message"]["body"], "您好，我在另一台服务器上");

    // When node A goes away, its student reads offline on node B once the socket closes.
    drop(stu_ws);
    let p = next_of(&mut hr_ws, "presence").await;
    assert_eq!(
        (p["user_id"].as_i64(), p["online"].as_bool()),
        (Some(sid), Some(false))
    );
}

/// Asks `read` until it answers what `want` accepts, for at most `within`; the last answer.
async fn eventually<F, Fut>(
    within: std::time::Duration,
    read: F,
    want: impl Fn(&Value) -> bool,
) -> Value
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Value>,
{
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let v = read().await;
        if want(&v) || tokio::time::Instant::now() >= deadline {
            return v;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
#[ignore = "needs PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379 (run by .ci/run)"]
async fn each_node_sees_its_own_writes_at_once_and_the_others_within_the_read_cache_time() {
    const CACHE_MS: u32 = 600;
    let (a, b) = TestApp::spawn_two_nodes_with(|c| c.database.read_cache_ms = CACHE_MS).await;
    let v = a
        .venue(VenueOptions {
            live: (-HOUR, 8 * HOUR),
            ..VenueOptions::default()
        })
        .await;
    let (student_a, sid) = a.entered_student(v.fair_id, "13900000302").await;
    let student_b = b.same_client(&student_a);
    let first = &v.employers[0];
    let positions_of = |c: Client| {
        let path = format!("/api/v1/fairs/{}/employers", v.fair_id);
        let rid = first.registration_id;
        async move {
            let list: Value = c.get(&path).await.json().await.unwrap();
            let card = list["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["registration_id"] == rid)
                .cloned()
                .unwrap();
            json!(card["positions"].as_array().unwrap().len())
        }
    };
    let before = first.positions.len() as i64;
    assert!(before >= 1);
    // Both nodes have read the list (and so keep it for a while).
    assert_eq!(positions_of(student_a.clone()).await, json!(before));
    assert_eq!(positions_of(student_b.clone()).await, json!(before));

    // The employer withdraws a position through node A.
    assert!(
        a.store
            .delete_position(
                first.employer_id,
                first.positions[0],
                fairhall_app::now_ms()
            )
            .await
            .unwrap()
    );
    assert_eq!(
        positions_of(student_a.clone()).await,
        json!(before - 1),
        "node A sees its own write at once"
    );
    let seen_by_b = eventually(
        std::time::Duration::from_millis(u64::from(CACHE_MS) + 1_500),
        || positions_of(student_b.clone()),
        |n| *n == json!(before - 1),
    )
    .await;
    assert_eq!(
        seen_by_b,
        json!(before - 1),
        "node B sees it within the cache time"
    );

    // The talent hall: an invitation sent from node A shows on the student's card on node B
    // within the cache time (and at once on A).
    let talents = format!(
        "/api/v1/employer/registrations/{}/talents",
        first.registration_id
    );
    let card_state = |c: Client| {
        let path = talents.clone();
        async move {
            let page: Value = c.get(&path).await.json().await.unwrap();
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["student_id"] == sid)
                .map_or(Value::Null, |t| t["ticket_status"].clone())
        }
    };
    let hr_b = b.same_client(&v.hr);
    assert_eq!(card_state(hr_b.clone()).await, Value::Null);
    post(
        &v.hr,
        &format!(
            "/api/v1/employer/registrations/{}/invitations",
            first.registration_id
        ),
        json!({"student_id": sid}),
        201,
    )
    .await;
    assert_eq!(
        card_state(v.hr.clone()).await,
        json!("pending"),
        "node A at once"
    );
    let seen_by_b = eventually(
        std::time::Duration::from_millis(u64::from(CACHE_MS) + 1_500),
        || card_state(hr_b.clone()),
        |s| *s == json!("pending"),
    )
    .await;
    assert_eq!(seen_by_b, json!("pending"), "node B within the cache time");

    // Signing out on node A ends the session on A at once and on B within the cache time.
    // The cookie is sent by hand: the client's own jar forgets it when signing out.
    let cookie = student_a.cookie_header().unwrap();
    let me_on_b = || {
        let (url, cookie) = (format!("{}/api/v1/me", b.base), cookie.clone());
        async move {
            let r = reqwest::Client::new()
                .get(url)
                .header("cookie", cookie)
                .send()
                .await
                .unwrap();
            json!(r.status().as_u16())
        }
    };
    assert_eq!(me_on_b().await, json!(200));
    assert_eq!(
        student_a
            .post("/api/v1/auth/logout", json!({}))
            .await
            .status(),
        204
    );
    assert_eq!(student_a.get("/api/v1/me").await.status(), 401);
    let status = eventually(
        std::time::Duration::from_millis(u64::from(CACHE_MS) + 1_500),
        me_on_b,
        |s| *s == json!(401),
    )
    .await;
    assert_eq!(
        status,
        json!(401),
        "node B honours the sign-out within the cache time"
    );
}

#[tokio::test]
#[ignore = "needs PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379 (run by .ci/run)"]
async fn password_attempts_are_limited_across_nodes() {
    let (a, b) = TestApp::spawn_two_nodes().await;
    a.account(
        fairhall_domain::account::Role::EmployerAdmin,
        "hr@example.cn",
    )
    .await;
    let (on_a, on_b) = (a.client(), b.client());
    let attempt = |c: &Client| {
        let c = c.clone();
        async move {
            c.post(
                "/api/v1/auth/login",
                json!({"email": "hr@example.cn", "password": "wrong-password"}),
            )
            .await
            .status()
            .as_u16()
        }
    };
    // Five attempts a minute per account (the default), spread over two nodes: each node has
    // seen at most three, yet the sixth is refused.
    let mut statuses = Vec::new();
    for c in [&on_a, &on_b, &on_a, &on_b, &on_a, &on_b] {
        statuses.push(attempt(c).await);
    }
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429]);
}
