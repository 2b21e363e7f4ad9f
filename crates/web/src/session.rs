//! Sessions: a `tower-sessions` store over our own `sessions` table (so every node of a cluster
//! sees every session; the rows are read and written through the application's session
//! methods), the session keys we use, and the extractors that turn a session into the
//! signed-in user.

use std::net::{IpAddr, SocketAddr};

use async_trait::async_trait;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use fairhall_app::accounts::User;
use fairhall_app::{AppError, now_ms};
use fairhall_domain::account::Role;
use serde_json::json;
use tower_sessions::session::{Id, Record};
use tower_sessions::{Session, SessionStore, session_store};

use crate::AppState;
use crate::error::ApiError;

pub const COOKIE_NAME: &str = "fairhall_session";
const KEY_USER: &str = "uid";
const KEY_SIGNED_IN: &str = "signed_in_at";
const KEY_SEEN: &str = "seen_at";
const KEY_CSRF: &str = "csrf";

#[derive(Clone)]
pub struct SqlSessionStore {
    app: AppState,
}

impl SqlSessionStore {
    pub fn new(app: AppState) -> Self {
        Self { app }
    }
}

impl std::fmt::Debug for SqlSessionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqlSessionStore").finish_non_exhaustive()
    }
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

impl SqlSessionStore {
    async fn write(&self, record: &Record, only_new: bool) -> session_store::Result<bool> {
        let data = serde_json::to_string(&record.data)
            .map_err(|e| session_store::Error::Encode(e.to_string()))?;
        let expires = record.expiry_date.unix_timestamp() * 1000;
        self.app
            .session_save(&record.id.to_string(), &data, expires, only_new)
            .await
            .map_err(backend)
    }
}

#[async_trait]
impl SessionStore for SqlSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        while !self.write(record, true).await? {
            record.id = Id::default(); // id collision: draw again
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.write(record, false).await.map(|_| ())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let Some(data) = self
            .app
            .session_load(&id.to_string())
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data =
            serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        // The cookie carries its own max-age; the row's expiry is checked in the query above.
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date: time::OffsetDateTime::now_utc() + time::Duration::minutes(1),
        }))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.app
            .session_delete(&id.to_string())
            .await
            .map_err(backend)
    }
}

fn session_failed(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(anyhow::anyhow!("session: {e}"))
}

/// Starts a signed-in session: a fresh id (so a planted id is useless), the user and a new
/// CSRF token. Returns the token.
pub async fn sign_in(session: &Session, user: &User) -> Result<String, AppError> {
    session.cycle_id().await.map_err(session_failed)?;
    let now = now_ms() / 1000;
    let token = new_token();
    session
        .insert(KEY_USER, user.id)
        .await
        .map_err(session_failed)?;
    session
        .insert(KEY_SIGNED_IN, now)
        .await
        .map_err(session_failed)?;
    session
        .insert(KEY_SEEN, now)
        .await
        .map_err(session_failed)?;
    session
        .insert(KEY_CSRF, &token)
        .await
        .map_err(session_failed)?;
    Ok(token)
}

pub async fn sign_out(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(session_failed)
}

/// The session's CSRF token, if it has one.
pub async fn csrf_token(session: &Session) -> Option<String> {
    session.get::<String>(KEY_CSRF).await.ok().flatten()
}

/// A CSRF token for a visitor who is not signed in (the sign-in forms), creating the session.
pub async fn ensure_csrf_token(session: &Session) -> Result<String, AppError> {
    if let Some(t) = csrf_token(session).await {
        return Ok(t);
    }
    let token = new_token();
    session
        .insert(KEY_CSRF, &token)
        .await
        .map_err(session_failed)?;
    Ok(token)
}

fn new_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// A signed-in session as [`sign_in`] leaves it, for writing in bulk as a row of `sessions`
/// (`fairhall seed`).
#[derive(Debug, Clone)]
pub struct SeededSession {
    /// The row's id, which is the `fairhall_session` cookie's value.
    pub id: String,
    /// The row's data.
    pub data: String,
    pub csrf: String,
}

/// The session of `user_id`, signed in at `now_secs` (Unix seconds).
pub fn seeded_session(user_id: i64, now_secs: i64) -> SeededSession {
    let csrf = new_token();
    let data = json!({
        KEY_USER: user_id,
        KEY_SIGNED_IN: now_secs,
        KEY_SEEN: now_secs,
        KEY_CSRF: csrf,
    });
    SeededSession {
        id: Id::default().to_string(),
        data: data.to_string(),
        csrf,
    }
}

/// The signed-in user, or a 401 (API) / redirect to sign-in (pages, via `PageError`).
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
    pub csrf: String,
}

impl CurrentUser {
    pub fn require(&self, roles: &[Role]) -> Result<(), AppError> {
        if roles.contains(&self.user.role) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

fn not_signed_in() -> AppError {
    AppError::Unauthenticated {
        code: "not_signed_in",
        message: fairhall_domain::msg!("error.web.sign_in_required"),
    }
}

/// Reads the session: `None` if not signed in or the session timed out (idle or absolute).
pub async fn current_user(
    state: &AppState,
    session: &Session,
) -> Result<Option<CurrentUser>, AppError> {
    let Some(uid) = session.get::<i64>(KEY_USER).await.map_err(session_failed)? else {
        return Ok(None);
    };
    let signed_in = session
        .get::<i64>(KEY_SIGNED_IN)
        .await
        .map_err(session_failed)?
        .unwrap_or(0);
    let seen = session
        .get::<i64>(KEY_SEEN)
        .await
        .map_err(session_failed)?
        .unwrap_or(0);
    let now = now_ms() / 1000;
    if state
        .config
        .http
        .session_policy()
        .is_expired(signed_in, seen, now)
    {
        session.flush().await.map_err(session_failed)?;
        return Ok(None);
    }
    let refresh = (state.config.http.session_policy().idle_secs / 4).clamp(0, 60);
    if now - seen >= refresh {
        session
            .insert(KEY_SEEN, now)
            .await
            .map_err(session_failed)?;
    }
    let Some(user) = state.session_user(uid).await? else {
        session.flush().await.map_err(session_failed)?;
        return Ok(None);
    };
    let csrf = csrf_token(session).await.unwrap_or_default();
    Ok(Some(CurrentUser { user, csrf }))
}

pub(crate) async fn session_of(parts: &mut Parts) -> Result<Session, AppError> {
    Session::from_request_parts(parts, &())
        .await
        .map_err(|(_, m)| session_failed(m))
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = session_of(parts).await?;
        current_user(state, &session)
            .await?
            .ok_or_else(|| ApiError(not_signed_in()))
    }
}

/// The signed-in user if there is one.
pub struct MaybeUser(pub Option<CurrentUser>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = session_of(parts).await?;
        Ok(MaybeUser(current_user(state, &session).await?))
    }
}

/// The client's address: the socket peer, or the first `X-Forwarded-For` entry when the
/// configuration says a trusted proxy is in front.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if state.config.http.trust_forwarded_for {
            let forwarded = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .and_then(|v| v.trim().parse().ok());
            if let Some(ip) = forwarded {
                return Ok(ClientIp(ip));
            }
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::from([127, 0, 0, 1]));
        Ok(ClientIp(peer))
    }
}
