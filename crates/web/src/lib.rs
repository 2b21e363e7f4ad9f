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
mod guard;
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
mod session;
mod tickets;
mod venue;
mod ws;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use fairhall_app::{App, Config, Store};
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

pub use openapi::{openapi_document, schema_clashes};
pub use session::{SeededSession, seeded_session};

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
    /// Opens the store named by the configuration (`App::connect_store`: migrated, with its
    /// read cache), and binds `config.http.bind`.
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        let store = App::connect_store(&config).await?;
        Self::build_with_store(config, store).await
    }

    /// `build` over a store the caller opened with `App::connect_store` (a test keeps a clone
    /// of it to arrange and check data).
    pub async fn build_with_store(config: Config, store: Store) -> anyhow::Result<Application> {
        let listener = TcpListener::bind(config.http.bind)
            .await
            .with_context(|| format!("binding {}", config.http.bind))?;
        let state = Arc::new(App::start(config, store).await?);
        Ok(Application {
            listener,
            state,
            shutdown: CancellationToken::new(),
        })
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
        let closing = state.clone();
        spawn_session_purge(state.clone(), shutdown.clone());
        axum::serve(
            self.listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            shutdown.cancelled().await;
            tracing::info!("shutting down: closing live connections");
            closing.close_live_connections("server shutting down");
        })
        .await
        .context("serving")?;
        state.close().await;
        tracing::info!("stopped");
        Ok(())
    }
}

/// Expired sessions are refused on read; this only keeps the table small.
fn spawn_session_purge(state: AppState, shutdown: CancellationToken) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = tick.tick() => {
                    if let Err(e) = state.purge_expired_sessions().await {
                        tracing::warn!(error = %e, "session purge failed");
                    }
                }
            }
        }
    });
}
