//! Typed configuration, one section per concern: [`HttpConfig`], [`DatabaseConfig`],
//! [`SignInConfig`], [`RealtimeConfig`], [`CallsConfig`], [`FilesConfig`] and [`MailConfig`].
//! Each section has its own defaults and its own checks.
//!
//! The file and the environment keep one flat list of keys (`smtp_host`, `turn_secret`,
//! `FAIRHALL_SMTP_HOST`…, see the README): they are read into a private [`FlatConfig`], which
//! refuses unknown keys, and sorted into the sections from there. A TOML file and `FAIRHALL_*`
//! variables override the defaults (see the binary's `config` loading), so a typo stops start-up
//! instead of being ignored.
//!
//! Passwords and shared keys are [`Secret`]s: `{:?}` shows `[redacted]`, and the configuration
//! cannot be serialized, so neither a log line nor a dump of the configuration shows them.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer};
use subtle::ConstantTimeEq;

/// A configured secret (a password, a key shared with another server). It prints as
/// `[redacted]`, has no `Display` and is not `Serialize`; [`Secret::expose`] is the one way to
/// the value, at the place that hands it on. The value is wiped from memory when dropped.
#[derive(Clone, Deserialize)]
#[serde(transparent)]
pub struct Secret(SecretString);

impl Secret {
    /// The value, for the one call that needs it. Never log it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// In constant time, so comparing settings does not reveal how much of a secret matched.
impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.expose()
            .as_bytes()
            .ct_eq(other.expose().as_bytes())
            .into()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value.into())
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.into())
    }
}

/// The whole configuration. It deserializes from the flat keys (see the module's comment).
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// `tracing` filter, e.g. `info,fairhall_web=debug`.
    pub log: String,
    /// Folder for the SQLite file and uploaded files.
    pub data_dir: PathBuf,
    pub http: HttpConfig,
    pub database: DatabaseConfig,
    pub sign_in: SignInConfig,
    pub realtime: RealtimeConfig,
    pub calls: CallsConfig,
    pub files: FilesConfig,
    pub mail: MailConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            log: "info".into(),
            data_dir: PathBuf::from("fairhall-data"),
            http: HttpConfig::default(),
            database: DatabaseConfig::default(),
            sign_in: SignInConfig::default(),
            realtime: RealtimeConfig::default(),
            calls: CallsConfig::default(),
            files: FilesConfig::default(),
            mail: MailConfig::default(),
        }
    }
}

impl Config {
    /// Checks what the types cannot, section by section: each message names its key.
    pub fn validate(&self) -> Result<(), String> {
        self.calls.validate()?;
        self.files.validate()?;
        self.database.validate()?;
        Ok(())
    }
}

impl<'de> Deserialize<'de> for Config {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        FlatConfig::deserialize(deserializer).map(FlatConfig::into_sections)
    }
}

/// The web server: where it listens, how it is reached, its cookies and sessions.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpConfig {
    /// Where `serve` listens (`bind`).
    pub bind: SocketAddr,
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
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
            secure_cookies: false,
            trust_forwarded_for: false,
            session_idle_secs: 2 * 3600,
            session_absolute_secs: 12 * 3600,
        }
    }
}

impl HttpConfig {
    pub fn session_policy(&self) -> fairhall_domain::account::SessionPolicy {
        fairhall_domain::account::SessionPolicy {
            idle_secs: i64::from(self.session_idle_secs),
            absolute_secs: i64::from(self.session_absolute_secs),
        }
    }
}

/// The database and the reads each node keeps from it.
#[derive(Debug, Clone, PartialEq)]
pub struct DatabaseConfig {
    /// `postgres://…` to use PostgreSQL; unset means SQLite in `data_dir` (`database_url`).
    pub url: Option<String>,
    /// How long a node keeps what it read for every request (sessions, users, fairs, fair
    /// entries, the pages of the employer list and the talent hall), in milliseconds. A write
    /// on the same node is seen at once; another node's write within this time. 0: no cache.
    pub read_cache_ms: u32,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: None,
            read_cache_ms: 3000,
        }
    }
}

impl DatabaseConfig {
    /// The database URL, if one is set and not empty.
    pub fn url(&self) -> Option<&str> {
        self.url.as_deref().filter(|s| !s.is_empty())
    }

    pub fn validate(&self) -> Result<(), String> {
        if self.read_cache_ms > 60_000 {
            return Err(format!(
                "read_cache_ms: {} is above 60000 (a minute)",
                self.read_cache_ms
            ));
        }
        Ok(())
    }
}

/// Sign-in codes and how often one may try to sign in.
#[derive(Debug, Clone, PartialEq)]
pub struct SignInConfig {
    pub otp_ttl_secs: u32,
    pub otp_resend_secs: u32,
    /// Password sign-in attempts per account per minute, and per client address per minute.
    pub login_per_account_per_minute: u32,
    pub login_per_ip_per_minute: u32,
    /// Codes one client address may request per hour.
    pub codes_per_ip_per_hour: u32,
}

impl Default for SignInConfig {
    fn default() -> Self {
        Self {
            otp_ttl_secs: 300,
            otp_resend_secs: 60,
            login_per_account_per_minute: 5,
            login_per_ip_per_minute: 30,
            codes_per_ip_per_hour: 20,
        }
    }
}

impl SignInConfig {
    pub fn otp_policy(&self) -> fairhall_domain::otp::OtpPolicy {
        fairhall_domain::otp::OtpPolicy {
            ttl_secs: i64::from(self.otp_ttl_secs),
            resend_after_secs: i64::from(self.otp_resend_secs),
            ..Default::default()
        }
    }
}

/// The realtime bus between nodes, and this node's name on it.
#[derive(Debug, Clone, PartialEq)]
pub struct RealtimeConfig {
    /// Redis (`redis://host:port/db`) for the realtime bus between nodes: events over pub/sub,
    /// presence as expiring claims. Unset: the in-process bus (one node).
    pub redis_url: Option<String>,
    /// Keys and channels in Redis start with this, so installations can share one Redis.
    pub redis_prefix: String,
    /// This node's name in presence; defaults to host name and process id.
    pub node_name: Option<String>,
}

impl Default for RealtimeConfig {
    fn default() -> Self {
        Self {
            redis_url: None,
            redis_prefix: "fairhall".into(),
            node_name: None,
        }
    }
}

impl RealtimeConfig {
    /// The Redis URL, if one is set and not empty.
    pub fn redis_url(&self) -> Option<&str> {
        self.redis_url.as_deref().filter(|s| !s.is_empty())
    }
}

/// Video calls: the ICE servers handed to browsers, TURN credentials, and how long a call rings.
#[derive(Debug, Clone, PartialEq)]
pub struct CallsConfig {
    /// STUN servers handed to browsers for calls, e.g. `stun:stun.example.edu.cn:3478`. In the
    /// environment, a comma-separated list.
    pub stun_urls: Vec<String>,
    /// TURN servers (`turn:` or `turns:`), used with credentials minted from `turn_secret`. In
    /// the environment, a comma-separated list.
    pub turn_urls: Vec<String>,
    /// The secret shared with the TURN servers (coturn: `static-auth-secret`, with
    /// `use-auth-secret`). Required with `turn_urls`; at least 16 characters.
    pub turn_secret: Option<Secret>,
    /// How long minted TURN credentials stay valid.
    pub turn_ttl_secs: u32,
    /// How long a call rings before it ends unanswered (missed).
    pub ring_timeout_secs: u32,
}

impl Default for CallsConfig {
    fn default() -> Self {
        Self {
            stun_urls: Vec::new(),
            turn_urls: Vec::new(),
            turn_secret: None,
            turn_ttl_secs: 3600,
            ring_timeout_secs: 30,
        }
    }
}

impl CallsConfig {
    /// The TURN secret, if one is set and not empty.
    pub fn turn_secret(&self) -> Option<&str> {
        self.turn_secret
            .as_ref()
            .map(Secret::expose)
            .filter(|s| !s.is_empty())
    }

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
        if !(1..=600).contains(&self.ring_timeout_secs) {
            return Err(format!(
                "ring_timeout_secs: {} is outside 1..=600",
                self.ring_timeout_secs
            ));
        }
        Ok(())
    }
}

/// S3-compatible object storage for uploaded files (logos, licences, photos, PDFs, brochure
/// images), the `s3_*` keys. Without a bucket: the `files` folder under `data_dir`.
#[derive(Debug, Clone, PartialEq)]
pub struct FilesConfig {
    /// The bucket (`s3_bucket`). Unset: the local folder.
    pub bucket: Option<String>,
    /// The S3 endpoint, e.g. `https://oss-cn-beijing.aliyuncs.com` or a MinIO address. Unset:
    /// AWS for `s3_region`.
    pub endpoint: Option<String>,
    pub region: String,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<Secret>,
    /// Keys start with this inside the bucket, so installations can share one bucket.
    pub prefix: String,
    /// Allow a plain `http://` endpoint (a server on the same private network only).
    pub allow_http: bool,
}

impl Default for FilesConfig {
    fn default() -> Self {
        Self {
            bucket: None,
            endpoint: None,
            region: "us-east-1".into(),
            access_key_id: None,
            secret_access_key: None,
            prefix: String::new(),
            allow_http: false,
        }
    }
}

impl FilesConfig {
    /// The S3 bucket, if one is set and not empty.
    pub fn bucket(&self) -> Option<&str> {
        self.bucket.as_deref().filter(|s| !s.is_empty())
    }

    pub fn validate(&self) -> Result<(), String> {
        if self.bucket().is_none() {
            return Ok(());
        }
        if self.access_key_id.as_deref().is_none_or(str::is_empty)
            || self
                .secret_access_key
                .as_ref()
                .is_none_or(|s| s.expose().is_empty())
        {
            return Err(
                "s3_access_key_id: required with s3_secret_access_key when s3_bucket is set".into(),
            );
        }
        if let Some(e) = self.endpoint.as_deref().filter(|e| !e.is_empty()) {
            if !(e.starts_with("https://") || e.starts_with("http://")) {
                return Err(format!("s3_endpoint: `{e}` does not start with https://"));
            }
            if e.starts_with("http://") && !self.allow_http {
                return Err(format!(
                    "s3_endpoint: `{e}` is plain http; set s3_allow_http to allow it"
                ));
            }
        }
        Ok(())
    }
}

/// E-mail over SMTP, the `smtp_*` keys. Without a host, e-mail is only written to the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct MailConfig {
    /// The SMTP server (`smtp_host`).
    pub host: Option<String>,
    pub port: u16,
    /// `starttls` (default), `tls` (implicit, port 465) or `none` (a local relay only).
    pub security: String,
    pub username: Option<String>,
    pub password: Option<Secret>,
    /// The sender, e.g. `fairhall <noreply@example.edu.cn>`.
    pub from: String,
}

impl Default for MailConfig {
    fn default() -> Self {
        Self {
            host: None,
            port: 587,
            security: "starttls".into(),
            username: None,
            password: None,
            from: "fairhall <noreply@localhost>".into(),
        }
    }
}

/// The keys as the file and the environment spell them, one field per key. Unknown keys are
/// refused here. The meaning of each key is on the section field it goes to.
#[derive(Deserialize)]
#[serde(default, deny_unknown_fields)]
struct FlatConfig {
    bind: SocketAddr,
    data_dir: PathBuf,
    database_url: Option<String>,
    public_url: Option<String>,
    secure_cookies: bool,
    trust_forwarded_for: bool,
    session_idle_secs: u32,
    session_absolute_secs: u32,
    otp_ttl_secs: u32,
    otp_resend_secs: u32,
    login_per_account_per_minute: u32,
    login_per_ip_per_minute: u32,
    codes_per_ip_per_hour: u32,
    log: String,
    node_name: Option<String>,
    smtp_host: Option<String>,
    smtp_port: u16,
    smtp_security: String,
    smtp_username: Option<String>,
    smtp_password: Option<Secret>,
    smtp_from: String,
    stun_urls: Vec<String>,
    turn_urls: Vec<String>,
    turn_secret: Option<Secret>,
    turn_ttl_secs: u32,
    ring_timeout_secs: u32,
    read_cache_ms: u32,
    redis_url: Option<String>,
    redis_prefix: String,
    s3_bucket: Option<String>,
    s3_endpoint: Option<String>,
    s3_region: String,
    s3_access_key_id: Option<String>,
    s3_secret_access_key: Option<Secret>,
    s3_prefix: String,
    s3_allow_http: bool,
}

/// A key the file leaves out keeps its section's default.
impl Default for FlatConfig {
    fn default() -> Self {
        Self::from_sections(Config::default())
    }
}

impl FlatConfig {
    // Both conversions name every field, so a key cannot be added on one side only.

    fn into_sections(self) -> Config {
        let FlatConfig {
            bind,
            data_dir,
            database_url,
            public_url,
            secure_cookies,
            trust_forwarded_for,
            session_idle_secs,
            session_absolute_secs,
            otp_ttl_secs,
            otp_resend_secs,
            login_per_account_per_minute,
            login_per_ip_per_minute,
            codes_per_ip_per_hour,
            log,
            node_name,
            smtp_host,
            smtp_port,
            smtp_security,
            smtp_username,
            smtp_password,
            smtp_from,
            stun_urls,
            turn_urls,
            turn_secret,
            turn_ttl_secs,
            ring_timeout_secs,
            read_cache_ms,
            redis_url,
            redis_prefix,
            s3_bucket,
            s3_endpoint,
            s3_region,
            s3_access_key_id,
            s3_secret_access_key,
            s3_prefix,
            s3_allow_http,
        } = self;
        Config {
            log,
            data_dir,
            http: HttpConfig {
                bind,
                public_url,
                secure_cookies,
                trust_forwarded_for,
                session_idle_secs,
                session_absolute_secs,
            },
            database: DatabaseConfig {
                url: database_url,
                read_cache_ms,
            },
            sign_in: SignInConfig {
                otp_ttl_secs,
                otp_resend_secs,
                login_per_account_per_minute,
                login_per_ip_per_minute,
                codes_per_ip_per_hour,
            },
            realtime: RealtimeConfig {
                redis_url,
                redis_prefix,
                node_name,
            },
            calls: CallsConfig {
                stun_urls,
                turn_urls,
                turn_secret,
                turn_ttl_secs,
                ring_timeout_secs,
            },
            files: FilesConfig {
                bucket: s3_bucket,
                endpoint: s3_endpoint,
                region: s3_region,
                access_key_id: s3_access_key_id,
                secret_access_key: s3_secret_access_key,
                prefix: s3_prefix,
                allow_http: s3_allow_http,
            },
            mail: MailConfig {
                host: smtp_host,
                port: smtp_port,
                security: smtp_security,
                username: smtp_username,
                password: smtp_password,
                from: smtp_from,
            },
        }
    }

    fn from_sections(config: Config) -> Self {
        let Config {
            log,
            data_dir,
            http:
                HttpConfig {
                    bind,
                    public_url,
                    secure_cookies,
                    trust_forwarded_for,
                    session_idle_secs,
                    session_absolute_secs,
                },
            database:
                DatabaseConfig {
                    url: database_url,
                    read_cache_ms,
                },
            sign_in:
                SignInConfig {
                    otp_ttl_secs,
                    otp_resend_secs,
                    login_per_account_per_minute,
                    login_per_ip_per_minute,
                    codes_per_ip_per_hour,
                },
            realtime:
                RealtimeConfig {
                    redis_url,
                    redis_prefix,
                    node_name,
                },
            calls:
                CallsConfig {
                    stun_urls,
                    turn_urls,
                    turn_secret,
                    turn_ttl_secs,
                    ring_timeout_secs,
                },
            files:
                FilesConfig {
                    bucket: s3_bucket,
                    endpoint: s3_endpoint,
                    region: s3_region,
                    access_key_id: s3_access_key_id,
                    secret_access_key: s3_secret_access_key,
                    prefix: s3_prefix,
                    allow_http: s3_allow_http,
                },
            mail:
                MailConfig {
                    host: smtp_host,
                    port: smtp_port,
                    security: smtp_security,
                    username: smtp_username,
                    password: smtp_password,
                    from: smtp_from,
                },
        } = config;
        FlatConfig {
            bind,
            data_dir,
            database_url,
            public_url,
            secure_cookies,
            trust_forwarded_for,
            session_idle_secs,
            session_absolute_secs,
            otp_ttl_secs,
            otp_resend_secs,
            login_per_account_per_minute,
            login_per_ip_per_minute,
            codes_per_ip_per_hour,
            log,
            node_name,
            smtp_host,
            smtp_port,
            smtp_security,
            smtp_username,
            smtp_password,
            smtp_from,
            stun_urls,
            turn_urls,
            turn_secret,
            turn_ttl_secs,
            ring_timeout_secs,
            read_cache_ms,
            redis_url,
            redis_prefix,
            s3_bucket,
            s3_endpoint,
            s3_region,
            s3_access_key_id,
            s3_secret_access_key,
            s3_prefix,
            s3_allow_http,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn with_turn() -> Config {
        Config {
            calls: CallsConfig {
                stun_urls: vec!["stun:stun.example.edu.cn:3478".into()],
                turn_urls: vec![
                    "turn:turn.example.edu.cn:3478?transport=udp".into(),
                    "turns:turn.example.edu.cn:5349?transport=tcp".into(),
                ],
                turn_secret: Some("0123456789abcdef".into()),
                ..CallsConfig::default()
            },
            ..Config::default()
        }
    }

    /// `c` with its calls section changed by `change`.
    fn calls(mut c: Config, change: impl FnOnce(&mut CallsConfig)) -> Config {
        change(&mut c.calls);
        c
    }

    fn refused(c: &Config) -> String {
        c.validate().expect_err("refused")
    }

    fn from_keys(keys: serde_json::Value) -> Result<Config, String> {
        serde_json::from_value(keys).map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_and_a_full_ice_setup_are_valid() {
        assert_eq!(Config::default().validate(), Ok(()));
        assert_eq!(with_turn().validate(), Ok(()));
        let stun_only = calls(with_turn(), |c| {
            c.turn_urls = vec![];
            c.turn_secret = None;
        });
        assert_eq!(stun_only.validate(), Ok(()));
    }

    #[test]
    fn ice_urls_need_their_scheme() {
        let c = calls(with_turn(), |c| {
            c.stun_urls = vec!["stun.example.edu.cn".into()];
        });
        let err = refused(&c);
        assert!(
            err.starts_with("stun_urls:") && err.contains("stun.example.edu.cn"),
            "{err}"
        );
        let c = calls(with_turn(), |c| {
            c.turn_urls = vec!["https://turn.example.edu.cn".into()];
        });
        assert!(refused(&c).starts_with("turn_urls:"));
        // A TURN server in the STUN list would get no credentials.
        let c = calls(with_turn(), |c| {
            c.stun_urls = vec!["turn:turn.example.edu.cn".into()];
        });
        assert!(refused(&c).starts_with("stun_urls:"));
    }

    #[test]
    fn turn_urls_and_turn_secret_come_together() {
        let c = calls(with_turn(), |c| c.turn_secret = None);
        assert!(refused(&c).starts_with("turn_secret:"));
        let c = calls(with_turn(), |c| c.turn_secret = Some(String::new().into()));
        assert!(refused(&c).starts_with("turn_secret:"));
        let c = calls(with_turn(), |c| c.turn_urls = vec![]);
        assert!(refused(&c).starts_with("turn_urls:"));
    }

    #[test]
    fn a_short_turn_secret_is_refused() {
        let c = calls(with_turn(), |c| {
            c.turn_secret = Some("0123456789abcde".into());
        });
        let err = refused(&c);
        assert!(
            err.starts_with("turn_secret:") && err.contains("16"),
            "{err}"
        );
    }

    #[test]
    fn turn_ttl_has_bounds() {
        for ok in [60, 3600, 86_400] {
            let c = calls(with_turn(), |c| c.turn_ttl_secs = ok);
            assert_eq!(c.validate(), Ok(()), "{ok}");
        }
        for bad in [0, 59, 86_401] {
            let c = calls(with_turn(), |c| c.turn_ttl_secs = bad);
            assert!(refused(&c).starts_with("turn_ttl_secs:"), "{bad}");
        }
    }

    #[test]
    fn ring_timeout_has_bounds() {
        for ok in [1, 30, 600] {
            let c = calls(Config::default(), |c| c.ring_timeout_secs = ok);
            assert_eq!(c.validate(), Ok(()), "{ok}");
        }
        for bad in [0, 601] {
            let c = calls(Config::default(), |c| c.ring_timeout_secs = bad);
            assert!(refused(&c).starts_with("ring_timeout_secs:"), "{bad}");
        }
    }

    #[test]
    fn the_read_cache_is_at_most_a_minute() {
        let mut c = Config::default();
        c.database.read_cache_ms = 60_000;
        assert_eq!(c.validate(), Ok(()));
        c.database.read_cache_ms = 60_001;
        assert!(refused(&c).starts_with("read_cache_ms:"));
    }

    #[test]
    fn no_keys_mean_the_defaults() {
        assert_eq!(from_keys(json!({})), Ok(Config::default()));
    }

    #[test]
    fn flat_keys_go_to_their_sections() {
        let c = from_keys(json!({
            "bind": "0.0.0.0:9000",
            "data_dir": "/srv/fairhall",
            "log": "debug",
            "database_url": "postgres://db/fair",
            "read_cache_ms": 500,
            "public_url": "https://fair.example.edu.cn",
            "secure_cookies": true,
            "trust_forwarded_for": true,
            "session_idle_secs": 600,
            "session_absolute_secs": 3600,
            "otp_ttl_secs": 120,
            "otp_resend_secs": 30,
            "login_per_account_per_minute": 3,
            "login_per_ip_per_minute": 10,
            "codes_per_ip_per_hour": 7,
            "redis_url": "redis://10.0.0.5:6379/2",
            "redis_prefix": "fair-tj",
            "node_name": "node-a",
            "stun_urls": ["stun:stun.example.edu.cn"],
            "turn_urls": ["turn:turn.example.edu.cn"],
            "turn_secret": "0123456789abcdef",
            "turn_ttl_secs": 600,
            "ring_timeout_secs": 45,
            "s3_bucket": "fairhall-files",
            "s3_endpoint": "https://oss-cn-beijing.aliyuncs.com",
            "s3_region": "oss-cn-beijing",
            "s3_access_key_id": "key-id",
            "s3_secret_access_key": "s3-secret",
            "s3_prefix": "tj",
            "s3_allow_http": true,
            "smtp_host": "smtp.example.edu.cn",
            "smtp_port": 465,
            "smtp_security": "tls",
            "smtp_username": "fair",
            "smtp_password": "smtp-secret",
            "smtp_from": "fairhall <fair@example.edu.cn>",
        }))
        .expect("loads");
        assert_eq!(c.log, "debug");
        assert_eq!(c.data_dir, PathBuf::from("/srv/fairhall"));
        assert_eq!(
            c.http,
            HttpConfig {
                bind: SocketAddr::from(([0, 0, 0, 0], 9000)),
                public_url: Some("https://fair.example.edu.cn".into()),
                secure_cookies: true,
                trust_forwarded_for: true,
                session_idle_secs: 600,
                session_absolute_secs: 3600,
            }
        );
        assert_eq!(c.database.url(), Some("postgres://db/fair"));
        assert_eq!(c.database.read_cache_ms, 500);
        assert_eq!(
            c.sign_in,
            SignInConfig {
                otp_ttl_secs: 120,
                otp_resend_secs: 30,
                login_per_account_per_minute: 3,
                login_per_ip_per_minute: 10,
                codes_per_ip_per_hour: 7,
            }
        );
        assert_eq!(c.realtime.redis_url(), Some("redis://10.0.0.5:6379/2"));
        assert_eq!(c.realtime.redis_prefix, "fair-tj");
        assert_eq!(c.realtime.node_name.as_deref(), Some("node-a"));
        assert_eq!(c.calls.stun_urls, ["stun:stun.example.edu.cn"]);
        assert_eq!(c.calls.turn_urls, ["turn:turn.example.edu.cn"]);
        assert_eq!(c.calls.turn_secret(), Some("0123456789abcdef"));
        assert_eq!(c.calls.turn_ttl_secs, 600);
        assert_eq!(c.calls.ring_timeout_secs, 45);
        assert_eq!(c.files.bucket(), Some("fairhall-files"));
        assert_eq!(
            c.files.endpoint.as_deref(),
            Some("https://oss-cn-beijing.aliyuncs.com")
        );
        assert_eq!(c.files.region, "oss-cn-beijing");
        assert_eq!(c.files.access_key_id.as_deref(), Some("key-id"));
        assert_eq!(
            c.files.secret_access_key.as_ref().map(Secret::expose),
            Some("s3-secret")
        );
        assert_eq!(c.files.prefix, "tj");
        assert!(c.files.allow_http);
        assert_eq!(c.mail.host.as_deref(), Some("smtp.example.edu.cn"));
        assert_eq!(c.mail.port, 465);
        assert_eq!(c.mail.security, "tls");
        assert_eq!(c.mail.username.as_deref(), Some("fair"));
        assert_eq!(
            c.mail.password.as_ref().map(Secret::expose),
            Some("smtp-secret")
        );
        assert_eq!(c.mail.from, "fairhall <fair@example.edu.cn>");
        assert_eq!(c.validate(), Ok(()));
    }

    #[test]
    fn unknown_keys_are_refused() {
        let err = from_keys(json!({ "smtp_hots": "smtp.example.edu.cn" })).expect_err("typo");
        assert!(err.contains("unknown field `smtp_hots`"), "{err}");
        // The sections are not keys: the file stays flat.
        let err =
            from_keys(json!({ "mail": { "host": "smtp.example.edu.cn" } })).expect_err("a section");
        assert!(err.contains("unknown field `mail`"), "{err}");
    }

    #[test]
    fn secrets_never_print() {
        let secrets = [
            "turn-secret-0123456789",
            "smtp-secret-4711",
            "s3-secret-0815",
        ];
        let c = from_keys(json!({
            "turn_urls": ["turn:turn.example.edu.cn"],
            "turn_secret": secrets[0],
            "smtp_password": secrets[1],
            "s3_bucket": "b",
            "s3_access_key_id": "k",
            "s3_secret_access_key": secrets[2],
        }))
        .expect("loads");
        assert_eq!(c.calls.turn_secret(), Some(secrets[0]));
        for shown in [format!("{c:?}"), format!("{c:#?}")] {
            for secret in secrets {
                assert!(!shown.contains(secret), "{secret} in {shown}");
            }
            assert_eq!(shown.matches("[redacted]").count(), 3, "{shown}");
        }
    }

    #[test]
    fn secrets_compare_by_value() {
        assert_eq!(
            Secret::from("a secret"),
            Secret::from("a secret".to_owned())
        );
        assert_ne!(Secret::from("a secret"), Secret::from("a secreT"));
        assert_ne!(Secret::from("a secret"), Secret::from("a secret!"));
    }
}
