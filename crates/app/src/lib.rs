//! The application layer: one function per user action.
//!
//! Each action parses its input into domain types, checks the domain's rules, writes through
//! the store and publishes what changed on the bus. Handlers in the web layer only translate
//! HTTP to these calls and back.

pub mod accounts;
pub mod announcements;
pub mod brochures;
pub mod call_page;
pub mod calls;
pub mod chat;
pub mod config;
pub mod demo;
pub mod employers;
mod error;
pub mod fairs;
pub mod files;
pub mod limits;
pub mod live;
pub mod mail;
pub mod notices;
pub mod notify;
pub mod organizers;
pub mod outbox;
pub mod passwords;
pub mod presence;
pub mod registrations;
pub mod resumes;
pub mod roster;
pub mod sessions;
pub mod sms;
pub mod talents;
pub mod tickets;
pub mod venue;

use std::sync::Arc;

use anyhow::Context;
use fairhall_realtime::{Bus, Hub, HubConfig, InProcessBus, RedisBus};

pub use config::Config;
pub use error::{AppError, AppResult};
/// The database handle. Callers above the application layer only open it
/// ([`App::connect_store`]) and hand it to [`App::start`]; they never query it.
pub use fairhall_store::Store;

/// Everything an action needs. Shared behind an `Arc` by every request.
///
/// The store and the hub are the application's own: the layers above reach the data and the
/// live connections only through `App`'s methods.
pub struct App {
    pub config: Config,
    store: Store,
    hub: Hub,
    pub passwords: passwords::PasswordHasher,
    pub sms: Arc<dyn sms::SmsProvider>,
    pub mailer: Arc<dyn mail::Mailer>,
    /// Where uploaded files' bytes live (a local folder, or S3-compatible storage).
    pub objects: Arc<dyn object_store::ObjectStore>,
    pub limits: limits::Limits,
    /// Key for hashing one-time codes; shared by all nodes through the database.
    code_key: Vec<u8>,
    /// Key for the roster's ID-number hashes; shared by all nodes through the database.
    roster_key: Vec<u8>,
}

impl App {
    /// Opens the database the configuration names (PostgreSQL at `database_url`, else SQLite
    /// in `data_dir`), migrates it, and gives it the read cache `read_cache_ms` asks for: the
    /// store [`App::start`] and [`App::new`] expect. A clone shares the pool and the cache, so
    /// whoever keeps one (a test arranging data) writes where the app reads.
    pub async fn connect_store(config: &Config) -> anyhow::Result<Store> {
        let store = match config.database.url() {
            Some(url) => Store::connect(url).await,
            None => Store::open_sqlite(&config.data_dir).await,
        }
        .context("opening the database")?;
        store.migrate().await.context("migrating the database")?;
        Ok(store.with_read_cache(std::time::Duration::from_millis(
            config.database.read_cache_ms.into(),
        )))
    }

    /// The application over `store` (as [`App::connect_store`] opens it), with this node's hub
    /// of live connections on the bus the configuration names: Redis at `redis_url`, else the
    /// in-process bus.
    pub async fn start(config: Config, store: Store) -> anyhow::Result<App> {
        let bus: Arc<dyn Bus> = match config.realtime.redis_url() {
            Some(url) => Arc::new(
                RedisBus::connect(url, &config.realtime.redis_prefix)
                    .await
                    .context("connecting to Redis (redis_url)")?,
            ),
            None => Arc::new(InProcessBus::default()),
        };
        let node = config
            .realtime
            .node_name
            .clone()
            .unwrap_or_else(default_node_name);
        let hub = Hub::start(
            HubConfig {
                node,
                ..HubConfig::default()
            },
            bus,
        );
        App::new(config, store, hub).await
    }

    /// The application over a store and a hub of the caller's making. The store is used as
    /// given: its read cache is the one [`App::connect_store`] (or the caller) set up.
    pub async fn new(config: Config, store: Store, hub: Hub) -> anyhow::Result<App> {
        config.validate().map_err(anyhow::Error::msg)?;
        let fallback = hex::encode(rand::random::<[u8; 32]>());
        let key = store.setting_or_insert("otp_hash_key", &fallback).await?;
        let roster_fallback = hex::encode(rand::random::<[u8; 32]>());
        let roster_key = store
            .setting_or_insert("roster_hash_key", &roster_fallback)
            .await?;
        let sms: Arc<dyn sms::SmsProvider> = Arc::new(sms::OutboxSms::new(store.clone()));
        let mailer: Arc<dyn mail::Mailer> =
            match mail::SmtpMailer::from_config(&config, store.clone())? {
                Some(smtp) => Arc::new(smtp),
                None => Arc::new(mail::OutboxMailer::new(store.clone())),
            };
        let objects = files::object_store_for(&config)?;
        fairs::clean_old_fair_details(&store).await?;
        Ok(App {
            passwords: passwords::PasswordHasher::new()?,
            limits: limits::Limits::new(&config),
            sms,
            mailer,
            objects,
            code_key: hex::decode(key)?,
            roster_key: hex::decode(roster_key)?,
            config,
            store,
            hub,
        })
    }

    /// Whether the database answers (readiness).
    pub async fn ping(&self) -> AppResult<()> {
        Ok(self.store.ping().await?)
    }

    /// Closes the database's connections (after the server has stopped).
    pub async fn close(&self) {
        self.store.close().await;
    }
}

fn default_node_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "node".into());
    format!("{host}-{}", std::process::id())
}

/// Milliseconds since the Unix epoch: the store's unit of time.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
