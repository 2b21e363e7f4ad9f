//! The seed's test and its harness: a server runs in the test, on the store the seed writes
//! to. `seed::sqlite` and `seed::postgres` run the test on each database.

#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use fairhall_app::{App, Config, Store};
use fairhall_web::{AppState, Application};
use futures::StreamExt;
use reqwest::cookie::{CookieStore, Jar};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_util::sync::CancellationToken;

use super::{SeedSpec, seed_fair};

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

#[derive(Debug, Clone, Copy)]
pub(super) enum Backend {
    Sqlite,
    Postgres,
}

/// A server on a random port over a fresh database, and the store it runs on.
struct TestApp {
    addr: SocketAddr,
    base: String,
    state: AppState,
    store: Store,
    shutdown: CancellationToken,
    _dir: tempfile::TempDir,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// A fresh PostgreSQL database (`TEST_POSTGRES_URL`, default 127.0.0.1:5432).
async fn postgres_url() -> String {
    let server = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let admin = Store::connect(&format!("{server}/postgres"))
        .await
        .expect("PostgreSQL must be reachable for these tests (set TEST_POSTGRES_URL)");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let name = format!(
        "fh_test_{now}_seed{:06x}",
        rand::random::<u32>() & 0xff_ffff
    );
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(admin.pool())
        .await
        .unwrap();
    admin.close().await;
    format!("{server}/{name}")
}

impl TestApp {
    async fn spawn(backend: Backend) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let mut config = Config {
            data_dir: dir.path().to_path_buf(),
            log: "warn".into(),
            ..Config::default()
        };
        config.http.bind = SocketAddr::from(([127, 0, 0, 1], 0));
        if let Backend::Postgres = backend {
            config.database.url = Some(postgres_url().await);
        }
        let store = App::connect_store(&config).await.unwrap();
        let app = Application::build_with_store(config, store.clone())
            .await
            .unwrap();
        let addr = app.local_addr().unwrap();
        let state = app.state().clone();
        let shutdown = app.shutdown_token();
        tokio::spawn(app.run());
        TestApp {
            addr,
            base: format!("http://{addr}"),
            state,
            store,
            shutdown,
            _dir: dir,
        }
    }

    fn client(&self) -> Client {
        let jar = Arc::new(Jar::default());
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Client {
            http,
            jar,
            base: self.base.clone(),
            csrf: None,
        }
    }
}

/// A browser-like client: keeps cookies, sends its CSRF token.
struct Client {
    http: reqwest::Client,
    jar: Arc<Jar>,
    base: String,
    csrf: Option<String>,
}

impl Client {
    fn cookie_header(&self) -> Option<String> {
        let url = reqwest::Url::parse(&self.base).unwrap();
        self.jar
            .cookies(&url)
            .map(|v| v.to_str().unwrap().to_string())
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    async fn post(&self, path: &str, body: Value) -> reqwest::Response {
        let mut req = self.http.post(format!("{}{path}", self.base)).json(&body);
        if let Some(t) = &self.csrf {
            req = req.header("x-csrf-token", t);
        }
        req.send().await.unwrap()
    }
}

async fn connect(app: &TestApp, client: Option<&Client>, origin: &str) -> Socket {
    let mut req = format!("ws://{}/ws", app.addr)
        .into_client_request()
        .unwrap();
    req.headers_mut().insert("origin", origin.parse().unwrap());
    if let Some(cookie) = client.and_then(Client::cookie_header) {
        req.headers_mut().insert("cookie", cookie.parse().unwrap());
    }
    tokio_tungstenite::connect_async(req).await.unwrap().0
}

/// The next frame of `kind`, skipping heartbeats and the like.
async fn next_of(ws: &mut Socket, kind: &str) -> Value {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .expect("a frame within 5 s")
            .expect("socket open")
            .expect("frame");
        if let Message::Text(t) = msg {
            let v: Value = serde_json::from_str(&t).unwrap();
            if v["type"] == kind {
                return v;
            }
        }
    }
}

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

pub(super) async fn a_seeded_fair_lists_its_employers_and_its_sessions_sign_everyone_in(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let spec = SeedSpec {
        employers: 7,
        students: 30,
        session_secs: 3600,
    };
    let mut out = Vec::new();
    let report = seed_fair(&app.state, &app.store, &spec, &mut out)
        .await
        .unwrap();
    let lines: Vec<Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1 + 1 + 7 + 30);
    assert_eq!(lines[0]["fair_id"], report.fair_id);
    let kinds = |k: &str| lines.iter().filter(|l| l["kind"] == k).count();
    assert_eq!(
        (kinds("staff"), kinds("employer"), kinds("student")),
        (1, 7, 30)
    );

    let fair = report.fair_id;
    let student = lines.iter().find(|l| l["kind"] == "student").unwrap();
    let s = adopt(&app, student);
    let me: Value = s.get("/api/v1/me").await.json().await.unwrap();
    assert_eq!(me["user"]["id"], student["user_id"]);
    assert_eq!(me["user"]["role"], "student");
    let list: Value = s
        .get(&format!("/api/v1/fairs/{fair}/employers"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 7, "{list}");

    // An employer admin acts on its registration: the seeded student applies, it accepts.
    let employer = lines.iter().find(|l| l["kind"] == "employer").unwrap();
    let hr = adopt(&app, employer);
    let rid = employer["registration_id"].as_i64().unwrap();
    let r = s
        .post(
            &format!("/api/v1/fairs/{fair}/employers/{rid}/tickets"),
            json!({}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let t: Value = r.json().await.unwrap();
    let r = hr
        .post(&format!("/api/v1/tickets/{}/accept", t["id"]), json!({}))
        .await;
    assert_eq!(r.status(), 200);

    // Staff announce; the seeded student's socket hears it.
    let mut ws = connect(&app, Some(&s), &app.base).await;
    next_of(&mut ws, "hello").await;
    use futures::SinkExt;
    ws.send(Message::Text(
        json!({"type": "watch_fair", "fair_id": fair})
            .to_string()
            .into(),
    ))
    .await
    .unwrap();
    next_of(&mut ws, "watching_fair").await;
    let staff = adopt(&app, lines.iter().find(|l| l["kind"] == "staff").unwrap());
    let r = staff
        .post(
            &format!("/api/v1/staff/fairs/{fair}/announcements"),
            json!({"text": "开始"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    assert_eq!(next_of(&mut ws, "fair_announcement").await["text"], "开始");

    // Seeding again into the same database makes a second fair, with new phone numbers.
    let mut out = Vec::new();
    let again = seed_fair(&app.state, &app.store, &spec, &mut out)
        .await
        .unwrap();
    assert_ne!(again.fair_id, fair);
    assert_eq!(again.students, 30);
}
