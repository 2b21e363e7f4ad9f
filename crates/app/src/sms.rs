//! Text messages. Behind a trait so a real gateway plugs in; the default writes every message to
//! the outbox, which the platform admin reads in the console and `fairhall outbox` prints.

use async_trait::async_trait;
use fairhall_domain::account::Phone;
use fairhall_domain::notification::{Channel, Delivery};
use fairhall_store::Store;

#[async_trait]
pub trait SmsProvider: Send + Sync {
    async fn send(&self, phone: &Phone, text: &str, now: i64) -> anyhow::Result<()>;
}

pub struct OutboxSms {
    store: Store,
}

impl OutboxSms {
    pub fn new(store: Store) -> Self {
        Self { store }
    }
}

#[async_trait]
impl SmsProvider for OutboxSms {
    async fn send(&self, phone: &Phone, text: &str, now: i64) -> anyhow::Result<()> {
        self.store
            .outbox_insert(
                Channel::Sms,
                phone.as_str(),
                "",
                text,
                Delivery::Logged,
                now,
            )
            .await?;
        tracing::info!(phone = %phone.masked(), "sms written to outbox");
        Ok(())
    }
}
