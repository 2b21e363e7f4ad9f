//! Calls: the ICE servers a browser gets, with TURN credentials minted per call, and who sees
//! whose presence around interviews.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use fairhall_domain::account::Role;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha1::Sha1;

use futures::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::Message;

use crate::both_backends;
use crate::fixtures::{HOUR, VenueOptions};
use crate::helpers::{Backend, Client, PASSWORD, TestApp, error_code};
use crate::ws::{Socket, connect};

const PATH: &str = "/api/v1/calls/ice-servers";
const SECRET: &str = "calls-test-shared-secret";
const STUN: &str = "stun:stun.example.edu.cn:3478";
const TURN_UDP: &str = "turn:turn.example.edu.cn:3478?transport=udp";
const TURN_TLS: &str = "turns:turn.example.edu.cn:5349?transport=tcp";

async fn with_turn(backend: Backend, ttl_secs: u32) -> TestApp {
    TestApp::spawn_with(backend, |c| {
        c.calls.stun_urls = vec![STUN.into()];
        c.calls.turn_urls = vec![TURN_UDP.into(), TURN_TLS.into()];
        c.calls.turn_secret = Some(SECRET.into());
        c.calls.turn_ttl_secs = ttl_secs;
    })
    .await
}

async fn ice(c: &Client) -> Value {
    let r = c.get(PATH).await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers().get("cache-control").unwrap(),
        "no-store",
        "credentials are never cached"
    );
    r.json().await.unwrap()
}

/// What a TURN server with `static-auth-secret` computes for the password of `username`.
fn hmac_b64(secret: &str, username: &str) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(username.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

fn now_secs() -> i64 {
    fairhall_app::now_ms() / 1000
}

/// The TURN entry's username split into expiry and tag, after checking its credential.
fn checked_turn(body: &Value) -> (i64, String) {
    let servers = body["ice_servers"].as_array().unwrap();
    assert_eq!(servers.len(), 2, "{body}");
    assert_eq!(servers[0], json!({ "urls": [STUN] }));
    let turn = &servers[1];
    assert_eq!(turn["urls"], json!([TURN_UDP, TURN_TLS]));
    let username = turn["username"].as_str().unwrap();
    let credential = turn["credential"].as_str().unwrap();
    assert_eq!(credential, hmac_b64(SECRET, username));
    assert_ne!(credential, hmac_b64("another-shared-secret", username));
    let (expiry, tag) = username.split_once(':').unwrap();
    let expiry: i64 = expiry.parse().unwrap();
    assert_eq!(body["expires_at"], json!(expiry * 1000));
    (expiry, tag.to_string())
}

/// The users of `ids` whose presence the socket is shown, read up to the pong that follows.
async fn visible(ws: &mut Socket, ids: &[i64]) -> Vec<i64> {
    for frame in [
        json!({"type": "watch_presence", "user_ids": ids}),
        json!({"type": "ping"}),
    ] {
        ws.send(Message::Text(frame.to_string().into()))
            .await
            .unwrap();
    }
    let mut seen = Vec::new();
    loop {
        let msg = tokio::time::timeout(std::time::Duration::from_secs(5), ws.next())
            .await
            .expect("a frame within 5 s")
            .unwrap()
            .unwrap();
        if let Message::Text(t) = msg {
            let v: Value = serde_json::from_str(&t).unwrap();
            match v["type"].as_str() {
                Some("pong") => return seen,
                Some("presence") => seen.push(v["user_id"].as_i64().unwrap()),
                _ => {}
            }
        }
    }
}

async fn user_id(app: &TestApp, email: &str) -> i64 {
    let creds = app.store.credentials_by_email(email).await.unwrap();
    creds.unwrap().user.id
}

both_backends! {
    async fn students_and_the_hosts_of_their_open_tickets_see_each_others_presence(app) {
        let v = app.venue(VenueOptions { live: (-HOUR, 8 * HOUR), ..VenueOptions::default() }).await;
        let hr = user_id(&app, &v.hr_email).await;
        let iv = v.interviewer_id;
        let unchosen = app
            .state
            .create_password_account(Role::Interviewer, "unchosen@venue.cn", PASSWORD, "赵", None,
                Some(v.employers[0].employer_id))
            .await
            .unwrap()
            .id;
        let other = app.venue(VenueOptions::default()).await;
        let other_hr = user_id(&app, &other.hr_email).await;
        let (stu, sid) = app.entered_student(v.fair_id, "13800000021").await;
        let (stranger, stranger_id) = app.entered_student(v.fair_id, "13800000022").await;
        let mut stu_ws = connect(&app, Some(&stu), &app.base).await.unwrap();
        let mut stranger_ws = connect(&app, Some(&stranger), &app.base).await.unwrap();
        let mut hr_ws = connect(&app, Some(&v.hr), &app.base).await.unwrap();
        let hosts = [hr, iv, unchosen, other_hr];
        assert_eq!(visible(&mut stu_ws, &hosts).await, Vec::<i64>::new(), "no ticket yet");

        let r = stu
            .post(&format!("/api/v1/fairs/{}/employers/{}/tickets", v.fair_id,
                v.employers[0].registration_id), json!({}))
            .await;
        assert_eq!(r.status(), 201);
        let tid = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        // The admin and the chosen interviewer, not the unchosen one nor another employer.
        assert_eq!(visible(&mut stu_ws, &hosts).await, [hr, iv]);
        assert_eq!(visible(&mut stranger_ws, &hosts).await, Vec::<i64>::new());
        assert_eq!(visible(&mut hr_ws, &[sid, stranger_id]).await, [sid]);

        // Once the ticket is closed the student no longer sees the hosts; the hosts still see
        // a student of their registration's tickets.
        let r = v.hr.post(&format!("/api/v1/tickets/{tid}/reject"), json!({})).await;
        assert_eq!(r.status(), 200);
        let mut stu_ws = connect(&app, Some(&stu), &app.base).await.unwrap();
        assert_eq!(visible(&mut stu_ws, &hosts).await, Vec::<i64>::new());
        let mut hr_ws = connect(&app, Some(&v.hr), &app.base).await.unwrap();
        assert_eq!(visible(&mut hr_ws, &[sid, stranger_id]).await, [sid]);
    }

    async fn without_turn_configuration_there_are_no_credentials(app) {
        let student = app.student("13800000001").await;
        let body = ice(&student).await;
        assert_eq!(body, json!({ "ice_servers": [], "expires_at": null }));
    }

    async fn signed_out_is_refused(app) {
        let (status, code) = error_code(app.client().get(PATH).await).await;
        assert_eq!((status, code.as_str()), (401, "not_signed_in"));
    }
}

async fn stun_only_is_handed_out_as_configured(backend: Backend) {
    let app = TestApp::spawn_with(backend, |c| {
        c.calls.stun_urls = vec![STUN.into(), "stun:stun2.example.edu.cn".into()];
    })
    .await;
    let student = app.student("13800000001").await;
    let body = ice(&student).await;
    assert_eq!(
        body,
        json!({
            "ice_servers": [{ "urls": [STUN, "stun:stun2.example.edu.cn"] }],
            "expires_at": null,
        })
    );
}

async fn turn_credentials_verify_with_the_shared_secret_and_expire(backend: Backend) {
    let app = with_turn(backend, 600).await;
    let student = app.student("13800000001").await;
    let student_id = app.student_id("13800000001").await;

    let before = now_secs();
    let body = ice(&student).await;
    let after = now_secs();
    let (expiry, tag) = checked_turn(&body);
    assert_eq!(tag, student_id.to_string(), "tagged with the user");
    assert!(
        (before + 600..=after + 600).contains(&expiry),
        "expires ttl after minting: {before}..{after} + 600 vs {expiry}"
    );
    // The TURN server's check: good before the expiry, refused from it on.
    let username = body["ice_servers"][1]["username"].as_str().unwrap();
    assert!(fairhall_domain::turn::is_current(username, expiry - 1));
    assert!(!fairhall_domain::turn::is_current(username, expiry));
    assert!(!fairhall_domain::turn::is_current(username, expiry + 600));
}

async fn each_signed_in_user_gets_their_own_credentials(backend: Backend) {
    let app = with_turn(backend, 3600).await;
    let student = app.student("13800000001").await;
    let other_student = app.student("13800000002").await;
    let hr = app.signed_in(Role::EmployerAdmin, "hr@example.cn").await;
    let interviewer = app.signed_in(Role::Interviewer, "iv@example.cn").await;
    let staff = app
        .signed_in(Role::OrganizerStaff, "staff@example.cn")
        .await;

    let mut tags = Vec::new();
    for c in [&student, &other_student, &hr, &interviewer, &staff] {
        let (_, tag) = checked_turn(&ice(c).await);
        tags.push(tag);
    }
    assert_eq!(tags[0], app.student_id("13800000001").await.to_string());
    assert_eq!(tags[1], app.student_id("13800000002").await.to_string());
    let mut unique = tags.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), tags.len(), "one tag per user: {tags:?}");
}

/// Tests that need their own configuration, on each backend.
macro_rules! configured {
    ($($name:ident),* $(,)?) => {
        mod configured_sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(super::Backend::Sqlite).await;
                }
            )*
        }
        mod configured_postgres {
            $(
                #[tokio::test]
                #[ignore = "needs PostgreSQL at 127.0.0.1:5432 (run by .ci/run)"]
                async fn $name() {
                    super::$name(super::Backend::Postgres).await;
                }
            )*
        }
    };
}

configured!(
    stun_only_is_handed_out_as_configured,
    turn_credentials_verify_with_the_shared_secret_and_expire,
    each_signed_in_user_gets_their_own_credentials,
);
