use std::time::Duration;

use fairhall_domain::account::Role;
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

use crate::both_backends;
#[allow(unused_imports)]
use crate::helpers::{Backend, Client, PASSWORD, TestApp};

pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

pub async fn connect(
    app: &TestApp,
    client: Option<&Client>,
    origin: &str,
) -> Result<Socket, WsError> {
    let mut req = format!("ws://{}/ws", app.addr)
        .into_client_request()
        .unwrap();
    req.headers_mut().insert("origin", origin.parse().unwrap());
    if let Some(cookie) = client.and_then(Client::cookie_header) {
        req.headers_mut().insert("cookie", cookie.parse().unwrap());
    }
    tokio_tungstenite::connect_async(req).await.map(|(s, _)| s)
}

async fn next_json(ws: &mut Socket) -> Value {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("a frame within 5 s")
            .expect("socket open")
            .expect("frame");
        if let Message::Text(t) = msg {
            return serde_json::from_str(&t).unwrap();
        }
    }
}

/// The next frame of `kind`, skipping heartbeats and the like.
pub async fn next_of(ws: &mut Socket, kind: &str) -> Value {
    loop {
        let v = next_json(ws).await;
        if v["type"] == kind {
            return v;
        }
    }
}

fn status_of(e: WsError) -> u16 {
    match e {
        WsError::Http(resp) => resp.status().as_u16(),
        other => panic!("expected an HTTP refusal, got {other}"),
    }
}

both_backends! {
    async fn a_socket_without_a_session_is_refused(app) {
        let err = connect(&app, None, &app.base).await.expect_err("refused");
        assert_eq!(status_of(err), 401);
    }

    async fn a_socket_from_a_foreign_origin_is_refused(app) {
        let c = app.signed_in(Role::EmployerAdmin, "hr@example.cn").await;
        let err = connect(&app, Some(&c), "http://evil.example").await.expect_err("refused");
        assert_eq!(status_of(err), 403);
    }

    async fn colleagues_see_each_other_come_online_and_go(app) {
        let hr = app.signed_in(Role::EmployerAdmin, "hr@example.cn").await;
        let employer = app.store.credentials_by_email("hr@example.cn").await.unwrap().unwrap().user.employer_id;
        let iv = app.state.create_password_account(Role::Interviewer, "iv@example.cn", PASSWORD, "面试官", None, employer).await.unwrap();
        let mut hr_ws = connect(&app, Some(&hr), &app.base).await.unwrap();
        let hello = next_of(&mut hr_ws, "hello").await;
        assert_eq!(hello["v"], 1);

        hr_ws.send(Message::Text(json!({"type": "watch_presence", "user_ids": [iv.id]}).to_string().into())).await.unwrap();
        let snapshot = next_of(&mut hr_ws, "presence").await;
        assert_eq!((snapshot["user_id"].as_i64(), snapshot["online"].as_bool()), (Some(iv.id), Some(false)));

        let mut iv_client = app.client();
        iv_client.sign_in("iv@example.cn", PASSWORD).await;
        let iv_ws = connect(&app, Some(&iv_client), &app.base).await.unwrap();
        let up = next_of(&mut hr_ws, "presence").await;
        assert_eq!((up["user_id"].as_i64(), up["online"].as_bool()), (Some(iv.id), Some(true)));

        drop(iv_ws);
        let down = next_of(&mut hr_ws, "presence").await;
        assert_eq!((down["user_id"].as_i64(), down["online"].as_bool()), (Some(iv.id), Some(false)));
    }

    async fn presence_of_a_stranger_is_not_shown(app) {
        let hr = app.signed_in(Role::EmployerAdmin, "hr@example.cn").await;
        let hr_id = app.store.credentials_by_email("hr@example.cn").await.unwrap().unwrap().user.id;
        let student = app.student("13800000011").await;
        let _hr_ws = connect(&app, Some(&hr), &app.base).await.unwrap();
        let mut ws = connect(&app, Some(&student), &app.base).await.unwrap();
        next_of(&mut ws, "hello").await;
        ws.send(Message::Text(json!({"type": "watch_presence", "user_ids": [hr_id]}).to_string().into())).await.unwrap();
        ws.send(Message::Text(json!({"type": "ping"}).to_string().into())).await.unwrap();
        // The pong comes back with no presence frame before it.
        let v = next_json(&mut ws).await;
        assert_eq!(v["type"], "pong", "got {v}");
    }

    async fn an_unknown_message_gets_an_error_frame(app) {
        let c = app.signed_in(Role::EmployerAdmin, "hr@example.cn").await;
        let mut ws = connect(&app, Some(&c), &app.base).await.unwrap();
        next_of(&mut ws, "hello").await;
        ws.send(Message::Text("{\"type\":\"drop_tables\"}".into())).await.unwrap();
        let e = next_of(&mut ws, "error").await;
        assert_eq!(e["code"], "bad_message");
    }

    async fn signing_out_elsewhere_does_not_leave_a_socket_authorised_on_reconnect(app) {
        let c = app.signed_in(Role::EmployerAdmin, "hr@example.cn").await;
        let ws = connect(&app, Some(&c), &app.base).await.unwrap();
        drop(ws);
        c.post("/api/v1/auth/logout", json!({})).await;
        let err = connect(&app, Some(&c), &app.base).await.expect_err("refused");
        assert_eq!(status_of(err), 401);
    }
}
