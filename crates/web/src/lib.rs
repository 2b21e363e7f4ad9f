//! The web layer: HTTP pages, the JSON API, the WebSocket, and the plumbing around them
//! (sessions, CSRF, security headers, error pages). Handlers translate requests into calls on
//! the application layer and its answers into responses; they hold no rules of their own.

mod admin;
mod announcements;
mod assets;
mod auth;
mod brochures;
mod calls;
mod chat;
mod csrf;
mod employers;
mod error;
mod fairs;
mod files;
mod health;
mod home;
pub mod i18n;
mod notifications;
mod openapi;
mod organizers;
mod pages;
mod registrations;
mod resumes;
mod roster;
mod router;
mod security;
pub mod seed;
mod session;
mod tickets;
mod venue;
mod ws;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use fairhall_app::{App, Config};
use fairhall_realtime::{Bus, Hub, HubConfig, InProcessBus, RedisBus};
use fairhall_store::Store;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

pub use openapi::{openapi_document, schema_clashes};

/// Shared by every handler.
pub type AppState = Arc<App>;

/// A bound, ready-to-run server. Binding happens in `build`, so a test can read the port and
/// connect as soon as `build` returns: the listener queues connections until `run` serves them.
pub struct Application {
    listener: TcpListener,
    state: AppState,
    shutdown: CancellationToken,
}

impl Application {
    /// Opens the store named by the configuration, migrates it, and binds `config.bind`.
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        let store = match config.database_url() {
            Some(url) => Store::connect(url).await,
            None => Store::open_sqlite(&config.data_dir).await,
        }
        .context("opening the database")?;
        store.migrate().await.context("migrating the database")?;
        Self::build_with_store(config, store).await
    }

    pub async fn build_with_store(config: Config, store: Store) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(config.bind)
            .await
            .with_context(|| format!("binding {}", config.bind))?;
        let state = Self::state_with_store(config, store).await?;
        Ok(Application {
            listener,
            state,
            shutdown: CancellationToken::new(),
        })
    }

    /// Everything an action needs, without a listener: for commands that act beside running
    /// servers (`admin create`, `roster import`, `seed`). Events they cause go over the same
    /// bus, so with Redis the servers' users hear of them.
    pub async fn state_with_store(config: Config, store: Store) -> anyhow::Result<AppState> {
        let bus: Arc<dyn Bus> = match config.redis_url() {
            Some(url) => Arc::new(
                RedisBus::connect(url, &config.redis_prefix)
                    .await
                    .context("connecting to Redis (redis_url)")?,
            ),
            None => Arc::new(InProcessBus::default()),
        };
        let node = config.node_name.clone().unwrap_or_else(default_node_name);
        let hub = Hub::start(
            HubConfig {
                node,
                ..HubConfig::default()
            },
            bus,
        );
        Ok(Arc::new(App::new(config, store, hub).await?))
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// A token that stops the server when cancelled (tests use it; `serve` ties it to signals).
    pub fn shutdown_token(&self) -> CancellationToken {
        self.shutdown.clone()
    }

    /// Serves until the shutdown token is cancelled, then closes WebSockets, lets requests in
    /// flight finish, and closes the store.
    pub async fn run(self) -> anyhow::Result<()> {
        let state = self.state.clone();
        let router = router::build(state.clone());
        let shutdown = self.shutdown.clone();
        let hub = state.hub.clone();
        spawn_session_purge(state.clone(), shutdown.clone());
        axum::serve(
            self.listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            shutdown.cancelled().await;
            tracing::info!("shutting down: closing live connections");
            hub.close_all("server shutting down");
        })
        .await
        .context("serving")?;
        state.store.close().await;
        tracing::info!("stopped");
        Ok(())
    }
}

fn default_node_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|_| "node".into());
    format!("{host}-{}", std::process::id())
}

/// Expired sessions are refused on read; this only keeps the table small.
fn spawn_session_purge(state: AppState, shutdown: CancellationToken) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = tick.tick() => {
                    if let Err(e) = state.store.sessions_purge_expired(fairhall_app::now_ms()).await {
                        tracing::warn!(error = %e, "session purge failed");
                    }
                }
            }
        }
    });
}
