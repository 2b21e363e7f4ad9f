use std::net::SocketAddr;
use std::sync::Arc;

use fairhall_app::{App, Config};
use fairhall_domain::account::Role;
use fairhall_store::Store;
use fairhall_web::{AppState, Application};
use reqwest::cookie::{CookieStore, Jar};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;

/// Writes each test body twice: once on SQLite, once on PostgreSQL.
#[macro_export]
macro_rules! both_backends {
    ($( $(#[$meta:meta])* async fn $name:ident($app:ident) $body:block )*) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(
                $(#[$meta])*
                #[tokio::test]
                async fn $name() {
                    let $app = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Sqlite).await;
                    $body
                }
            )*
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(
                $(#[$meta])*
                #[tokio::test]
                #[ignore = "needs PostgreSQL at 127.0.0.1:5432 (run by .ci/run)"]
                async fn $name() {
                    let $app = $crate::helpers::TestApp::spawn($crate::helpers::Backend::Postgres).await;
                    $body
                }
            )*
        }
    };
}

#[derive(Debug, Clone, Copy)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub addr: SocketAddr,
    pub base: String,
    pub state: AppState,
    /// The store the server runs on (the same pool and read cache), to arrange data and check
    /// what was stored.
    pub store: Store,
    shutdown: CancellationToken,
    _dir: tempfile::TempDir,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

pub const PASSWORD: &str = "correct horse battery";

/// A browser-like client: keeps cookies, remembers the CSRF token it was given.
#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    pub jar: Arc<Jar>,
    pub base: String,
    pub csrf: Option<String>,
}

impl Client {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn cookie_header(&self) -> Option<String> {
        let url = reqwest::Url::parse(&self.base).unwrap();
        self.jar
            .cookies(&url)
            .map(|v| v.to_str().unwrap().to_string())
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.unwrap()
    }

    /// POSTs JSON, sending the CSRF token if this client has one.
    pub async fn post(&self, path: &str, body: Value) -> reqwest::Response {
        let mut req = self.http.post(self.url(path)).json(&body);
        if let Some(t) = &self.csrf {
            req = req.header("x-csrf-token", t);
        }
        req.send().await.unwrap()
    }

    pub async fn sign_in(&mut self, email: &str, password: &str) -> Value {
        let resp = self
            .post(
                "/api/v1/auth/login",
                json!({"email": email, "password": password}),
            )
            .await;
        assert_eq!(resp.status(), 200, "sign-in of {email} failed");
        let body: Value = resp.json().await.unwrap();
        self.csrf = Some(body["csrf_token"].as_str().unwrap().to_string());
        body
    }
}

async fn postgres_url() -> String {
    let server = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let admin = fairhall_store::Store::connect(&format!("{server}/postgres"))
        .await
        .expect("PostgreSQL must be reachable for these tests (set TEST_POSTGRES_URL)");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    // Databases of earlier runs are dropped once they are two hours old.
    let stale: Vec<String> =
        sqlx::query_scalar("SELECT datname::text FROM pg_database WHERE datname LIKE 'fh_test_%'")
            .fetch_all(admin.pool())
            .await
            .unwrap();
    for name in stale {
        let ts: u64 = name
            .split('_')
            .nth(2)
            .and_then(|t| t.parse().ok())
            .unwrap_or(0);
        if ts + 7200 < now {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(admin.pool())
            .await;
        }
    }
    let name = format!("fh_test_{now}_{:08x}", rand::random::<u32>());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(admin.pool())
        .await
        .unwrap();
    admin.close().await;
    format!("{server}/{name}")
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    pub async fn spawn_with(backend: Backend, tweak: impl FnOnce(&mut Config)) -> TestApp {
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
        tweak(&mut config);
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

    /// Two nodes, as two servers behind a load balancer would be: one PostgreSQL database, one
    /// Redis (`TEST_REDIS_URL`, default 127.0.0.1:6379) under a prefix of their own.
    pub async fn spawn_two_nodes() -> (TestApp, TestApp) {
        Self::spawn_two_nodes_with(|_| {}).await
    }

    /// `spawn_two_nodes`, with `tweak` applied to both nodes' configuration.
    pub async fn spawn_two_nodes_with(tweak: impl Fn(&mut Config)) -> (TestApp, TestApp) {
        let database = postgres_url().await;
        let redis =
            std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379/".into());
        let prefix = format!("fh-test-{:08x}", rand::random::<u32>());
        let mut nodes = Vec::new();
        let tweak = &tweak;
        for node in ["node-a", "node-b"] {
            let (database, redis, prefix) = (database.clone(), redis.clone(), prefix.clone());
            nodes.push(
                Self::spawn_with(Backend::Sqlite, move |c| {
                    c.database.url = Some(database);
                    c.realtime.redis_url = Some(redis);
                    c.realtime.redis_prefix = prefix;
                    c.realtime.node_name = Some(node.into());
                    tweak(c);
                })
                .await,
            );
        }
        let b = nodes.pop().unwrap();
        let a = nodes.pop().unwrap();
        (a, b)
    }

    /// The same signed-in client, talking to this node (sessions live in the database).
    pub fn same_client(&self, c: &Client) -> Client {
        Client {
            base: self.base.clone(),
            ..c.clone()
        }
    }

    pub fn client(&self) -> Client {
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

    /// Creates a password account of `role`, with an organizer or employer as the role needs.
    pub async fn account(&self, role: Role, email: &str) -> i64 {
        let now = fairhall_app::now_ms();
        let (org, emp) = match role {
            Role::OrganizerStaff => (
                Some(
                    self.store
                        .insert_organizer(
                            &format!("主办方 {email}"),
                            fairhall_domain::fair::OrganizerKind::University,
                            now,
                        )
                        .await
                        .unwrap(),
                ),
                None,
            ),
            Role::EmployerAdmin | Role::Interviewer => (
                None,
                Some(self.store.insert_employer("测试单位", now).await.unwrap()),
            ),
            _ => (None, None),
        };
        self.state
            .create_password_account(role, email, PASSWORD, "测试用户", org, emp)
            .await
            .unwrap()
            .id
    }

    /// A signed-in client for a new account of `role`.
    pub async fn signed_in(&self, role: Role, email: &str) -> Client {
        self.account(role, email).await;
        let mut c = self.client();
        c.sign_in(email, PASSWORD).await;
        c
    }

    /// The code in the newest SMS to `phone`, read from the outbox like the admin would.
    pub async fn last_code(&self, phone: &str) -> String {
        let msgs = self.store.outbox_recent(50).await.unwrap();
        let m = msgs
            .iter()
            .find(|m| m.recipient == phone)
            .expect("an SMS to this phone");
        m.body
            .split(|c: char| !c.is_ascii_digit())
            .find(|w| w.len() == 6)
            .expect("a six-digit code in the SMS")
            .to_string()
    }

    /// Signs a student in by phone code through the API.
    pub async fn student(&self, phone: &str) -> Client {
        let mut c = self.client();
        let r = c.post("/api/v1/auth/code", json!({"phone": phone})).await;
        assert_eq!(r.status(), 204);
        let code = self.last_code(phone).await;
        let r = c
            .post(
                "/api/v1/auth/code/verify",
                json!({"phone": phone, "code": code, "accept_privacy": true}),
            )
            .await;
        assert_eq!(r.status(), 200);
        let body: Value = r.json().await.unwrap();
        c.csrf = Some(body["csrf_token"].as_str().unwrap().to_string());
        c
    }
}

pub async fn error_code(resp: reqwest::Response) -> (u16, String) {
    let status = resp.status().as_u16();
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    (
        status,
        body["code"].as_str().unwrap_or_default().to_string(),
    )
}
