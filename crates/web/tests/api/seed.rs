//! `fairhall seed`: the bulk fair is a real fair (employers listed, students entered) and the
//! sessions it writes are real sign-ins, on both databases.

use serde_json::{Value, json};

use crate::both_backends;
use crate::helpers::{Client, TestApp};
use crate::ws::{connect, next_of};

/// A client carrying a seeded session cookie and its CSRF token.
fn adopt(app: &TestApp, line: &Value) -> Client {
    let mut c = app.client();
    let url = reqwest::Url::parse(&app.base).unwrap();
    c.jar.add_cookie_str(
        &format!("fairhall_session={}", line["cookie"].as_str().unwrap()),
        &url,
    );
    c.csrf = line["csrf"].as_str().map(str::to_string);
    c
}

both_backends! {
    async fn a_seeded_fair_lists_its_employers_and_its_sessions_sign_everyone_in(app) {
        let spec = fairhall_web::seed::SeedSpec { employers: 7, students: 30, session_secs: 3600 };
        let mut out = Vec::new();
        let report = fairhall_web::seed::seed_fair(&app.state, &spec, &mut out).await.unwrap();
        let lines: Vec<Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 1 + 1 + 7 + 30);
        assert_eq!(lines[0]["fair_id"], report.fair_id);
        let kinds = |k: &str| lines.iter().filter(|l| l["kind"] == k).count();
        assert_eq!((kinds("staff"), kinds("employer"), kinds("student")), (1, 7, 30));

        let fair = report.fair_id;
        let student = lines.iter().find(|l| l["kind"] == "student").unwrap();
        let s = adopt(&app, student);
        let me: Value = s.get("/api/v1/me").await.json().await.unwrap();
        assert_eq!(me["user"]["id"], student["user_id"]);
        assert_eq!(me["user"]["role"], "student");
        let list: Value = s.get(&format!("/api/v1/fairs/{fair}/employers")).await.json().await.unwrap();
        assert_eq!(list["total"], 7, "{list}");

        // An employer admin acts on its registration: the seeded student applies, it accepts.
        let employer = lines.iter().find(|l| l["kind"] == "employer").unwrap();
        let hr = adopt(&app, employer);
        let rid = employer["registration_id"].as_i64().unwrap();
        let r = s.post(&format!("/api/v1/fairs/{fair}/employers/{rid}/tickets"), json!({})).await;
        assert_eq!(r.status(), 201);
        let t: Value = r.json().await.unwrap();
        let r = hr.post(&format!("/api/v1/tickets/{}/accept", t["id"]), json!({})).await;
        assert_eq!(r.status(), 200);

        // Staff announce; the seeded student's socket hears it.
        let mut ws = connect(&app, Some(&s), &app.base).await.unwrap();
        next_of(&mut ws, "hello").await;
        use futures::SinkExt;
        ws.send(tokio_tungstenite::tungstenite::Message::Text(
            json!({"type": "watch_fair", "fair_id": fair}).to_string().into(),
        ))
        .await
        .unwrap();
        next_of(&mut ws, "watching_fair").await;
        let staff = adopt(&app, lines.iter().find(|l| l["kind"] == "staff").unwrap());
        let r = staff.post(&format!("/api/v1/staff/fairs/{fair}/announcements"), json!({"text": "开始"})).await;
        assert_eq!(r.status(), 201);
        assert_eq!(next_of(&mut ws, "fair_announcement").await["text"], "开始");

        // Seeding again into the same database makes a second fair, with new phone numbers.
        let mut out = Vec::new();
        let again = fairhall_web::seed::seed_fair(&app.state, &spec, &mut out).await.unwrap();
        assert_ne!(again.fair_id, fair);
        assert_eq!(again.students, 30);
    }
}
