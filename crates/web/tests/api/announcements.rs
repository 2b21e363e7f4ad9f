//! 现场公告: staff publish, every participant's socket that watches the fair gets it live,
//! others are refused, and the list is there for whoever was away.

use std::time::Duration;

use fairhall_domain::account::Role;
use futures::SinkExt;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::both_backends;
use crate::fixtures::{HOUR, VenueOptions};
use crate::helpers::{Client, TestApp, error_code};
use crate::ws::{Socket, connect, next_of};

async fn watching(app: &TestApp, c: &Client, fair_id: i64) -> Socket {
    let mut ws = connect(app, Some(c), &app.base).await.unwrap();
    next_of(&mut ws, "hello").await;
    let msg = json!({"type": "watch_fair", "fair_id": fair_id}).to_string();
    ws.send(Message::Text(msg.into())).await.unwrap();
    ws
}

fn path(fair_id: i64) -> String {
    format!("/api/v1/staff/fairs/{fair_id}/announcements")
}

/// Nothing arrives on this socket for a moment (other than heartbeats).
async fn quiet(ws: &mut Socket, kind: &str) {
    let got = tokio::time::timeout(Duration::from_millis(300), next_of(ws, kind)).await;
    assert!(got.is_err(), "unexpected {kind}: {got:?}");
}

both_backends! {
    async fn staff_announce_to_students_and_employers_of_the_fair_live_and_in_the_list(app) {
        let v = app.venue(VenueOptions { live: (-HOUR, 4 * HOUR), ..Default::default() }).await;
        let (student, _) = app.entered_student(v.fair_id, "13900000301").await;
        let mut s_ws = watching(&app, &student, v.fair_id).await;
        assert_eq!(next_of(&mut s_ws, "watching_fair").await["fair_id"], v.fair_id);
        let mut h_ws = watching(&app, &v.interviewer, v.fair_id).await;
        next_of(&mut h_ws, "watching_fair").await;
        // A student who did not enter this fair may not listen in.
        let outsider = app.student("13900000302").await;
        let mut o_ws = watching(&app, &outsider, v.fair_id).await;
        assert_eq!(next_of(&mut o_ws, "error").await["code"], "not_in_fair");

        let r = v.staff.post(&path(v.fair_id), json!({"text": "  双选会将于 10 分钟后开始  "})).await;
        assert_eq!(r.status(), 201);
        let a: Value = r.json().await.unwrap();
        assert_eq!(a["text"], "双选会将于 10 分钟后开始");

        for ws in [&mut s_ws, &mut h_ws] {
            let e = next_of(ws, "fair_announcement").await;
            assert_eq!((e["fair_id"].as_i64(), e["id"].as_i64()), (Some(v.fair_id), a["id"].as_i64()));
            assert_eq!(e["text"], "双选会将于 10 分钟后开始");
        }
        quiet(&mut o_ws, "fair_announcement").await;

        // Whoever was away reads it from the list, newest first.
        v.staff.post(&path(v.fair_id), json!({"text": "第二条"})).await;
        let list: Value = student
            .get(&format!("/api/v1/fairs/{}/announcements", v.fair_id))
            .await
            .json()
            .await
            .unwrap();
        let texts: Vec<&str> = list.as_array().unwrap().iter().map(|a| a["text"].as_str().unwrap()).collect();
        assert_eq!(texts, ["第二条", "双选会将于 10 分钟后开始"]);
        let r = v.hr.get(&format!("/api/v1/fairs/{}/announcements", v.fair_id)).await;
        assert_eq!(r.status(), 200);
        let r = outsider.get(&format!("/api/v1/fairs/{}/announcements", v.fair_id)).await;
        assert_eq!(r.status(), 404);
    }

    async fn only_the_fairs_own_staff_may_announce_and_bad_text_is_refused(app) {
        let v = app.venue(VenueOptions { live: (-HOUR, 4 * HOUR), ..Default::default() }).await;
        let other = app.venue(VenueOptions::default()).await;
        let (student, _) = app.entered_student(v.fair_id, "13900000303").await;
        let admin = app.signed_in(Role::PlatformAdmin, "root-ann@fairhall.cn").await;
        let body = json!({"text": "通知"});
        assert_eq!(error_code(other.staff.post(&path(v.fair_id), body.clone()).await).await.0, 404);
        assert_eq!(error_code(student.post(&path(v.fair_id), body.clone()).await).await.0, 403);
        assert_eq!(error_code(v.hr.post(&path(v.fair_id), body.clone()).await).await.0, 403);
        assert_eq!(error_code(admin.post(&path(v.fair_id), body.clone()).await).await.0, 403);
        assert_eq!(error_code(app.client().post(&path(v.fair_id), body.clone()).await).await.0, 401);
        // Another organizer's staff cannot read the list either.
        let r = other.staff.get(&format!("/api/v1/fairs/{}/announcements", v.fair_id)).await;
        assert_eq!(r.status(), 404);

        assert_eq!(
            error_code(v.staff.post(&path(v.fair_id), json!({"text": "  "})).await).await,
            (422, "announcement_required".into())
        );
        assert_eq!(
            error_code(v.staff.post(&path(v.fair_id), json!({"text": "字".repeat(301)})).await).await,
            (422, "announcement_too_long".into())
        );
        let none: Value = v.staff.get(&format!("/api/v1/fairs/{}/announcements", v.fair_id)).await.json().await.unwrap();
        assert_eq!(none, json!([]), "nothing saved from refused attempts");
    }

    async fn an_ended_fair_takes_no_more_announcements(app) {
        let v = app.venue(VenueOptions { live: (-10 * HOUR, -2 * HOUR), ..Default::default() }).await;
        assert_eq!(
            error_code(v.staff.post(&path(v.fair_id), json!({"text": "还在吗"})).await).await,
            (409, "fair_ended".into())
        );
    }
}
