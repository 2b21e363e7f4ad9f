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
        }
    }
}

impl Config {
    pub fn database_url(&self) -> Option<&str> {
        self.database_url.as_deref().filter(|s| !s.is_empty())
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
