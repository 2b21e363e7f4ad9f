//! Publishing one message to every subscriber of the channel, the way each server's backend
//! API does it: fairhall's staff announcement, soketi's signed HTTP events API, and the
//! `POST /broadcast` of the small socket.io server the benchmark script writes.

use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use sha2::Sha256;

use crate::api::Api;
use crate::seed::Account;

pub enum Publisher {
    Fairhall {
        api: Api,
        staff: Account,
        fair_id: i64,
    },
    Soketi {
        http: reqwest::Client,
        base: String,
        app_id: String,
        key: String,
        secret: String,
        channel: String,
    },
    Socketio {
        http: reqwest::Client,
        base: String,
    },
}

impl Publisher {
    /// Publishes `text` (at most 500 characters for fairhall). Errors are short kinds.
    pub async fn publish(&self, text: &str) -> Result<(), String> {
        match self {
            Publisher::Fairhall {
                api,
                staff,
                fair_id,
            } => {
                let path = format!("/api/v1/staff/fairs/{fair_id}/announcements");
                api.post(staff, &path, &serde_json::json!({ "text": text }))
                    .await
                    .map(|_| ())
            }
            Publisher::Soketi {
                http,
                base,
                app_id,
                key,
                secret,
                channel,
            } => {
                let data = serde_json::json!({ "text": text }).to_string();
                let body =
                    serde_json::json!({"name": "announcement", "channel": channel, "data": data})
                        .to_string();
                let path = format!("/apps/{app_id}/events");
                let query = signed_query(
                    key,
                    secret,
                    &path,
                    &body,
                    crate::stamp::now_us() / 1_000_000,
                );
                let resp = http
                    .post(format!("{base}{path}?{query}"))
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .map_err(request_error)?;
                check(resp).await
            }
            Publisher::Socketio { http, base } => {
                let resp = http
                    .post(format!("{base}/broadcast"))
                    .header("content-type", "text/plain")
                    .body(text.to_string())
                    .send()
                    .await
                    .map_err(request_error)?;
                check(resp).await
            }
        }
    }
}

/// A short kind for a request that got no answer (not the whole URL).
fn request_error(e: reqwest::Error) -> String {
    if e.is_timeout() {
        "timeout".into()
    } else if e.is_connect() {
        "connect".into()
    } else {
        "request".into()
    }
}

async fn check(resp: reqwest::Response) -> Result<(), String> {
    let status = resp.status();
    if status.is_success() {
        Ok(())
    } else {
        let text = resp.text().await.unwrap_or_default();
        Err(format!(
            "{} {}",
            status.as_u16(),
            text.chars().take(100).collect::<String>()
        ))
    }
}

/// The query string of a Pusher HTTP API request: the auth parameters sorted by name and
/// `auth_signature` = hex HMAC-SHA256(secret, "POST\n{path}\n{sorted query}").
pub fn signed_query(key: &str, secret: &str, path: &str, body: &str, timestamp: u64) -> String {
    let body_md5 = hex::encode(Md5::digest(body.as_bytes()));
    let query =
        format!("auth_key={key}&auth_timestamp={timestamp}&auth_version=1.0&body_md5={body_md5}");
    let to_sign = format!("POST\n{path}\n{query}");
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any size");
    mac.update(to_sign.as_bytes());
    let signature = hex::encode(mac.finalize().into_bytes());
    format!("{query}&auth_signature={signature}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of Pusher's HTTP API documentation (key, secret, body and timestamp), whose
    /// published signature this must reproduce.
    #[test]
    fn pusher_signature_matches_the_documented_example() {
        let body = r#"{"name":"foo","channels":["project-3"],"data":"{\"some\":\"data\"}"}"#;
        let q = signed_query(
            "278d425bdf160c739803",
            "7ad3773142a6692b25b8",
            "/apps/3/events",
            body,
            1353088179,
        );
        assert!(
            q.contains("body_md5=ec365a775a4cd0599faeb73354201b6f"),
            "{q}"
        );
        assert!(
            q.ends_with(
                "auth_signature=da454824c97ba181a32ccc17a72625ba02771f50b50e1e7430e47a1f3f457e6c"
            ),
            "{q}"
        );
    }
}
