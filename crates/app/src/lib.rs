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
pub mod mail;
pub mod notices;
pub mod notify;
pub mod organizers;
pub mod passwords;
pub mod presence;
pub mod registrations;
pub mod resumes;
pub mod roster;
pub mod sms;
pub mod talents;
pub mod tickets;
pub mod venue;

use std::sync::Arc;

use fairhall_realtime::Hub;
use fairhall_store::Store;

pub use config::Config;
pub use error::{AppError, AppResult};

/// Everything an action needs. Shared behind an `Arc` by every request.
pub struct App {
    pub config: Config,
    pub store: Store,
    pub hub: Hub,
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
    pub async fn new(config: Config, store: Store, hub: Hub) -> anyhow::Result<App> {
        config.validate().map_err(anyhow::Error::msg)?;
        let store = store.with_read_cache(std::time::Duration::from_millis(
            config.database.read_cache_ms.into(),
        ));
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
}

/// Milliseconds since the Unix epoch: the store's unit of time.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
