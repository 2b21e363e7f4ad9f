//! Typed configuration. Defaults live here; a TOML file and `FAIRHALL_*` variables override
//! them (see the binary's `config` loading). Unknown keys are refused, so a typo stops start-up
//! instead of being ignored.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where `serve` listens.
    pub bind: SocketAddr,
    /// Folder for the SQLite file and uploaded files.
    pub data_dir: PathBuf,
    /// `postgres://…` to use PostgreSQL; unset means SQLite in `data_dir`.
    pub database_url: Option<String>,
    /// The address people reach this installation at, e.g. `https://fair.example.edu.cn`.
    /// Used for entry links and QR codes, and as the allowed WebSocket origin. Unset means
    /// "whatever Host the request came to".
    pub public_url: Option<String>,
    /// Mark cookies `Secure` (turn on behind HTTPS).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy you run).
    pub trust_forwarded_for: bool,
    /// A session ends after this long without a request…
    pub session_idle_secs: u32,
    /// …and in any case this long after sign-in.
    pub session_absolute_secs: u32,
    pub otp_ttl_secs: u32,
    pub otp_resend_secs: u32,
    /// Password sign-in attempts per account per minute, and per client address per minute.
    pub login_per_account_per_minute: u32,
    pub login_per_ip_per_minute: u32,
    /// Codes one client address may request per hour.
    pub codes_per_ip_per_hour: u32,
    /// `tracing` filter, e.g. `info,fairhall_web=debug`.
    pub log: String,
    /// This node's name in presence; defaults to host name and process id.
    pub node_name: Option<String>,
    /// SMTP server for e-mail. Unset: e-mail is only written to the outbox.
    pub smtp_host: Option<String>,
    pub smtp_port: u16,
    /// `starttls` (default), `tls` (implicit, port 465) or `none` (a local relay only).
    pub smtp_security: String,
    pub smtp_username: Option<String>,
    pub smtp_password: Option<String>,
    /// The sender, e.g. `fairhall <noreply@example.edu.cn>`.
    pub smtp_from: String,
    /// STUN servers handed to browsers for calls, e.g. `stun:stun.example.edu.cn:3478`. In the
    /// environment, a comma-separated list.
    pub stun_urls: Vec<String>,
    /// TURN servers (`turn:` or `turns:`), used with credentials minted from `turn_secret`. In
    /// the environment, a comma-separated list.
    pub turn_urls: Vec<String>,
    /// The secret shared with the TURN servers (coturn: `static-auth-secret`, with
    /// `use-auth-secret`). Required with `turn_urls`; at least 16 characters.
    pub turn_secret: Option<String>,
    /// How long minted TURN credentials stay valid.
    pub turn_ttl_secs: u32,
    /// How long a call rings before it ends unanswered (missed).
    pub ring_timeout_secs: u32,
    /// How long a node keeps what it read for every request (sessions, users, fairs, fair
    /// entries, the pages of the employer list and the talent hall), in milliseconds. A write
    /// on the same node is seen at once; another node's write within this time. 0: no cache.
    pub read_cache_ms: u32,
    /// Redis (`redis://host:port/db`) for the realtime bus between nodes: events over pub/sub,
    /// presence as expiring claims. Unset: the in-process bus (one node).
    pub redis_url: Option<String>,
    /// Keys and channels in Redis start with this, so installations can share one Redis.
    pub redis_prefix: String,
    /// S3-compatible object storage for uploaded files (logos, licences, photos, PDFs,
    /// brochure images). Unset: the `files` folder under `data_dir`.
    pub s3_bucket: Option<String>,
    /// The S3 endpoint, e.g. `https://oss-cn-beijing.aliyuncs.com` or a MinIO address. Unset:
    /// AWS for `s3_region`.
    pub s3_endpoint: Option<String>,
    pub s3_region: String,
    pub s3_access_key_id: Option<String>,
    pub s3_secret_access_key: Option<String>,
    /// Keys start with this inside the bucket, so installations can share one bucket.
    pub s3_prefix: String,
    /// Allow a plain `http://` endpoint (a server on the same private network only).
    pub s3_allow_http: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            data_dir: PathBuf::from("fairhall-data"),
            database_url: None,
            public_url: None,
            secure_cookies: false,
            trust_forwarded_for: false,
            session_idle_secs: 2 * 3600,
            session_absolute_secs: 12 * 3600,
            otp_ttl_secs: 300,
            otp_resend_secs: 60,
            login_per_account_per_minute: 5,
            login_per_ip_per_minute: 30,
            codes_per_ip_per_hour: 20,
            log: "info".into(),
            node_name: None,
            smtp_host: None,
            smtp_port: 587,
            smtp_security: "starttls".into(),
            smtp_username: None,
            smtp_password: None,
            smtp_from: "fairhall <noreply@localhost>".into(),
            stun_urls: Vec::new(),
            turn_urls: Vec::new(),
            turn_secret: None,
            turn_ttl_secs: 3600,
            ring_timeout_secs: 30,
            read_cache_ms: 3000,
            redis_url: None,
            redis_prefix: "fairhall".into(),
            s3_bucket: None,
            s3_endpoint: None,
            s3_region: "us-east-1".into(),
            s3_access_key_id: None,
            s3_secret_access_key: None,
            s3_prefix: String::new(),
            s3_allow_http: false,
        }
    }
}

impl Config {
    pub fn database_url(&self) -> Option<&str> {
        self.database_url.as_deref().filter(|s| !s.is_empty())
    }

    /// The Redis URL, if one is set and not empty.
    pub fn redis_url(&self) -> Option<&str> {
        self.redis_url.as_deref().filter(|s| !s.is_empty())
    }

    /// The S3 bucket, if one is set and not empty.
    pub fn s3_bucket(&self) -> Option<&str> {
        self.s3_bucket.as_deref().filter(|s| !s.is_empty())
    }

    /// The TURN secret, if one is set and not empty.
    pub fn turn_secret(&self) -> Option<&str> {
        self.turn_secret.as_deref().filter(|s| !s.is_empty())
    }

    /// Checks what the types cannot: each message names its key.
    pub fn validate(&self) -> Result<(), String> {
        use fairhall_domain::turn::{self, IceKind};
        for (key, kind, urls) in [
            ("stun_urls", IceKind::Stun, &self.stun_urls),
            ("turn_urls", IceKind::Turn, &self.turn_urls),
        ] {
            if let Some(bad) = urls.iter().find(|u| !turn::is_ice_url(kind, u)) {
                return Err(format!(
                    "{key}: `{bad}` is not an address starting with {} and a host",
                    kind.schemes().join(" or ")
                ));
            }
        }
        match (self.turn_urls.is_empty(), self.turn_secret()) {
            (false, None) => return Err("turn_secret: required when turn_urls is set".into()),
            (true, Some(_)) => return Err("turn_urls: required when turn_secret is set".into()),
            (false, Some(secret)) if secret.chars().count() < turn::MIN_SECRET_LEN => {
                return Err(format!(
                    "turn_secret: too short; use at least {} characters",
                    turn::MIN_SECRET_LEN
                ));
            }
            _ => {}
        }
        let ttl = i64::from(self.turn_ttl_secs);
        if !(turn::MIN_TTL_SECS..=turn::MAX_TTL_SECS).contains(&ttl) {
            return Err(format!(
                "turn_ttl_secs: {ttl} is outside {}..={}",
                turn::MIN_TTL_SECS,
                turn::MAX_TTL_SECS
            ));
        }
        if self.s3_bucket().is_some() {
            if self.s3_access_key_id.as_deref().is_none_or(str::is_empty)
                || self
                    .s3_secret_access_key
                    .as_deref()
                    .is_none_or(str::is_empty)
            {
                return Err(
                    "s3_access_key_id: required with s3_secret_access_key when s3_bucket is set"
                        .into(),
                );
            }
            if let Some(e) = self.s3_endpoint.as_deref().filter(|e| !e.is_empty()) {
                if !(e.starts_with("https://") || e.starts_with("http://")) {
                    return Err(format!("s3_endpoint: `{e}` does not start with https://"));
                }
                if e.starts_with("http://") && !self.s3_allow_http {
                    return Err(format!(
                        "s3_endpoint: `{e}` is plain http; set s3_allow_http to allow it"
                    ));
                }
            }
        }
        if self.read_cache_ms > 60_000 {
            return Err(format!(
                "read_cache_ms: {} is above 60000 (a minute)",
                self.read_cache_ms
            ));
        }
        if !(1..=600).contains(&self.ring_timeout_secs) {
            return Err(format!(
                "ring_timeout_secs: {} is outside 1..=600",
                self.ring_timeout_secs
            ));
        }
        Ok(())
    }

    pub fn otp_policy(&self) -> fairhall_domain::otp::OtpPolicy {
        fairhall_domain::otp::OtpPolicy {
            ttl_secs: i64::from(self.otp_ttl_secs),
            resend_after_secs: i64::from(self.otp_resend_secs),
            ..Default::default()
        }
    }

    pub fn session_policy(&self) -> fairhall_domain::account::SessionPolicy {
        fairhall_domain::account::SessionPolicy {
            idle_secs: i64::from(self.session_idle_secs),
            absolute_secs: i64::from(self.session_absolute_secs),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_turn() -> Config {
        Config {
            stun_urls: vec!["stun:stun.example.edu.cn:3478".into()],
            turn_urls: vec![
                "turn:turn.example.edu.cn:3478?transport=udp".into(),
                "turns:turn.example.edu.cn:5349?transport=tcp".into(),
            ],
            turn_secret: Some("0123456789abcdef".into()),
            ..Config::default()
        }
    }

    fn refused(c: &Config) -> String {
        c.validate().expect_err("refused")
    }

    #[test]
    fn defaults_and_a_full_ice_setup_are_valid() {
        assert_eq!(Config::default().validate(), Ok(()));
        assert_eq!(with_turn().validate(), Ok(()));
        let stun_only = Config {
            turn_urls: vec![],
            turn_secret: None,
            ..with_turn()
        };
        assert_eq!(stun_only.validate(), Ok(()));
    }

    #[test]
    fn ice_urls_need_their_scheme() {
        let c = Config {
            stun_urls: vec!["stun.example.edu.cn".into()],
            ..with_turn()
        };
        let err = refused(&c);
        assert!(
            err.starts_with("stun_urls:") && err.contains("stun.example.edu.cn"),
            "{err}"
        );
        let c = Config {
            turn_urls: vec!["https://turn.example.edu.cn".into()],
            ..with_turn()
        };
        assert!(refused(&c).starts_with("turn_urls:"));
        // A TURN server in the STUN list would get no credentials.
        let c = Config {
            stun_urls: vec!["turn:turn.example.edu.cn".into()],
            ..with_turn()
        };
        assert!(refused(&c).starts_with("stun_urls:"));
    }

    #[test]
    fn turn_urls_and_turn_secret_come_together() {
        let c = Config {
            turn_secret: None,
            ..with_turn()
        };
        assert!(refused(&c).starts_with("turn_secret:"));
        let c = Config {
            turn_secret: Some(String::new()),
            ..with_turn()
        };
        assert!(refused(&c).starts_with("turn_secret:"));
        let c = Config {
            turn_urls: vec![],
            ..with_turn()
        };
        assert!(refused(&c).starts_with("turn_urls:"));
    }

    #[test]
    fn a_short_turn_secret_is_refused() {
        let c = Config {
            turn_secret: Some("0123456789abcde".into()),
            ..with_turn()
        };
        let err = refused(&c);
        assert!(
            err.starts_with("turn_secret:") && err.contains("16"),
            "{err}"
        );
    }

    #[test]
    fn turn_ttl_has_bounds() {
        for ok in [60, 3600, 86_400] {
            let c = Config {
                turn_ttl_secs: ok,
                ..with_turn()
            };
            assert_eq!(c.validate(), Ok(()), "{ok}");
        }
        for bad in [0, 59, 86_401] {
            let c = Config {
                turn_ttl_secs: bad,
                ..with_turn()
            };
            assert!(refused(&c).starts_with("turn_ttl_secs:"), "{bad}");
        }
    }

    #[test]
    fn ring_timeout_has_bounds() {
        for ok in [1, 30, 600] {
            let c = Config {
                ring_timeout_secs: ok,
                ..Config::default()
            };
            assert_eq!(c.validate(), Ok(()), "{ok}");
        }
        for bad in [0, 601] {
            let c = Config {
                ring_timeout_secs: bad,
                ..Config::default()
            };
            assert!(refused(&c).starts_with("ring_timeout_secs:"), "{bad}");
        }
    }
}
