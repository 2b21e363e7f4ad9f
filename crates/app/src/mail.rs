//! E-mail. Every message is written to the outbox first; with an SMTP server configured it is
//! then sent through `lettre` and marked `sent` (or `failed`, with the reason logged).

use anyhow::Context;
use async_trait::async_trait;
use fairhall_domain::notification::{Channel, Delivery};
use fairhall_store::Store;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::Config;

#[async_trait]
pub trait Mailer: Send + Sync {
    async fn send(&self, to: &str, subject: &str, body: &str, now: i64) -> anyhow::Result<()>;
}

/// Keeps e-mail in the outbox only (no SMTP configured).
pub struct OutboxMailer {
    store: Store,
}

impl OutboxMailer {
    pub fn new(store: Store) -> Self {
        Self { store }
    }
}

#[async_trait]
impl Mailer for OutboxMailer {
    async fn send(&self, to: &str, subject: &str, body: &str, now: i64) -> anyhow::Result<()> {
        self.store
            .outbox_insert(Channel::Email, to, subject, body, Delivery::Logged, now)
            .await?;
        Ok(())
    }
}

pub struct SmtpMailer {
    store: Store,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    pub fn from_config(config: &Config, store: Store) -> anyhow::Result<Option<SmtpMailer>> {
        let Some(host) = config.mail.host.as_deref().filter(|h| !h.is_empty()) else {
            return Ok(None);
        };
        let builder = match config.mail.security.as_str() {
            "starttls" => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host).context("smtp_host")?
            }
            "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(host).context("smtp_host")?,
            "none" => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
            other => anyhow::bail!("smtp_security: `{other}` is not one of starttls, tls, none"),
        };
        let mut builder = builder.port(config.mail.port);
        if let (Some(user), Some(pass)) = (&config.mail.username, &config.mail.password) {
            builder = builder.credentials(Credentials::new(user.clone(), pass.expose().to_owned()));
        }
        let from: Mailbox = config
            .mail
            .from
            .parse()
            .context("smtp_from is not a valid address")?;
        Ok(Some(SmtpMailer {
            store,
            transport: builder.build(),
            from,
        }))
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, to: &str, subject: &str, body: &str, now: i64) -> anyhow::Result<()> {
        let id = self
            .store
            .outbox_insert(Channel::Email, to, subject, body, Delivery::Queued, now)
            .await?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to.parse().context("recipient address")?)
            .subject(subject)
            .body(body.to_string())
            .context("building the e-mail")?;
        let status = match self.transport.send(message).await {
            Ok(_) => Delivery::Sent,
            Err(e) => {
                tracing::warn!(error = %e, "e-mail not sent");
                Delivery::Failed
            }
        };
        self.store.outbox_set_status(id, status).await?;
        Ok(())
    }
}
