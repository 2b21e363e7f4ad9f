//! fairhall's HTTP API as a signed-in user calls it: the session cookie, the CSRF header on
//! every state-changing request, and an `Origin` equal to the server's own address.

use std::time::{Duration, Instant};

use serde_json::Value;

use crate::safety::Endpoint;
use crate::seed::Account;

/// One HTTP client (one connection pool) for every simulated user of a run.
pub fn http_client(pool_per_host: usize) -> anyhow::Result<reqwest::Client> {
    Ok(reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(pool_per_host)
        .tcp_nodelay(true)
        .build()?)
}

#[derive(Clone)]
pub struct Api {
    pub http: reqwest::Client,
    pub ep: Endpoint,
}

/// A call that failed: a short kind for error counts (`409 already_applied`, `timeout`, …).
pub type OpError = String;

impl Api {
    pub fn new(http: reqwest::Client, ep: Endpoint) -> Self {
        Self { http, ep }
    }

    fn request(
        &self,
        method: reqwest::Method,
        who: &Account,
        path: &str,
    ) -> reqwest::RequestBuilder {
        let mut req = self
            .http
            .request(method.clone(), format!("{}{path}", self.ep.base))
            .header("cookie", format!("fairhall_session={}", who.cookie));
        if method != reqwest::Method::GET {
            req = req
                .header("x-csrf-token", &who.csrf)
                .header("origin", &self.ep.base);
        }
        req
    }

    pub async fn get(&self, who: &Account, path: &str) -> Result<Value, OpError> {
        send(self.request(reqwest::Method::GET, who, path)).await
    }

    pub async fn post(&self, who: &Account, path: &str, body: &Value) -> Result<Value, OpError> {
        send(self.request(reqwest::Method::POST, who, path).json(body)).await
    }

    /// Like `get`/`post`, and also how long it took.
    pub async fn timed_post(
        &self,
        who: &Account,
        path: &str,
        body: &Value,
    ) -> (Duration, Result<Value, OpError>) {
        let t0 = Instant::now();
        let r = self.post(who, path, body).await;
        (t0.elapsed(), r)
    }

    pub async fn timed_get(&self, who: &Account, path: &str) -> (Duration, Result<Value, OpError>) {
        let t0 = Instant::now();
        let r = self.get(who, path).await;
        (t0.elapsed(), r)
    }
}

async fn send(req: reqwest::RequestBuilder) -> Result<Value, OpError> {
    let resp = req.send().await.map_err(|e| {
        if e.is_timeout() {
            "timeout".to_string()
        } else if e.is_connect() {
            "connect".to_string()
        } else {
            "request".to_string()
        }
    })?;
    let status = resp.status();
    let body = resp.bytes().await.map_err(|_| "body".to_string())?;
    let value: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    if status.is_success() {
        Ok(value)
    } else {
        let code = value
            .get("code")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        Err(format!("{} {code}", status.as_u16()).trim_end().to_string())
    }
}
