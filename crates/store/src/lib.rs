//! The store: every SQL statement fairhall runs, through sqlx's runtime-generic `Any` driver.
//!
//! One set of queries serves SQLite (the default) and PostgreSQL. To keep that true the schema
//! uses only types both sides decode the same way through `Any`: BIGINT/INTEGER (`i64`), TEXT
//! (`String`) and NULL. Timestamps are Unix milliseconds, flags are 0/1. Placeholders are `$1`.
//! Each backend has its own migrations folder; both are embedded and run at start.

pub mod announcements;
pub mod brochures;
pub mod bulk;
pub mod cache;
pub mod calls;
pub mod chat;
pub mod employers;
pub mod entries;
mod error;
pub mod fairs;
pub mod files;
pub mod notices;
pub mod notifications;
pub mod organizers;
pub mod otp;
pub mod outbox;
pub mod registrations;
pub mod resumes;
pub mod roster;
pub mod sessions;
pub mod settings;
pub mod talents;
pub mod tickets;
pub mod users;
pub mod venue;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};

pub use error::{Constraint, Stale, StoreError};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A handle on the database. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    cache: Arc<cache::ReadCache>,
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// `$n, $n+1, …` for an IN list starting at placeholder `first`.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `'a', 'b', …`: an SQL list of an enum's stored texts, for the `IN (…)` of a statement. The
/// texts are the enum's own `as_str` constants, never input.
pub(crate) fn text_list(texts: impl IntoIterator<Item = &'static str>) -> String {
    texts
        .into_iter()
        .map(|t| {
            debug_assert!(t.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
            format!("'{t}'")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A nullable text column, read into `Option<E>` for a stored enum `E`:
/// `#[sqlx(try_from = "NullText")]` on an `Option<E>` field.
pub(crate) struct NullText(Option<String>);

impl sqlx::Type<sqlx::Any> for NullText {
    fn type_info() -> sqlx::any::AnyTypeInfo {
        <String as sqlx::Type<sqlx::Any>>::type_info()
    }

    fn compatible(ty: &sqlx::any::AnyTypeInfo) -> bool {
        <String as sqlx::Type<sqlx::Any>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Any> for NullText {
    fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        Ok(NullText(
            <Option<String> as sqlx::Decode<'r, sqlx::Any>>::decode(value)?,
        ))
    }
}

/// `TryFrom<NullText>` for `Option<E>` of each stored enum read from a nullable column.
macro_rules! nullable_text {
    ($($ty:ty),+ $(,)?) => {$(
        impl TryFrom<NullText> for Option<$ty> {
            type Error = fairhall_domain::UnknownValue;

            fn try_from(t: NullText) -> std::result::Result<Self, Self::Error> {
                t.0.map(<$ty>::try_from).transpose()
            }
        }
    )+};
}

nullable_text!(
    fairhall_domain::ticket::Status,
    fairhall_domain::ticket::Verdict,
    fairhall_domain::review::JoinStatus,
);

impl Store {
    /// Opens (creating if needed) `fairhall.db` in `data_dir`, in WAL mode.
    pub async fn open_sqlite(data_dir: &Path) -> Result<Store> {
        std::fs::create_dir_all(data_dir).map_err(|e| StoreError::Open(e.to_string()))?;
        let path = data_dir.join("fairhall.db");
        let url = format!("sqlite://{}?mode=rwc", path.display());
        Self::connect(&url).await
    }

    /// Connects to `sqlite://…` or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(StoreError::Open(
                "database_url must start with sqlite: or postgres:".into(),
            ));
        };
        let options = AnyConnectOptions::from_str(url).map_err(StoreError::from)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers run beside the one writer; NORMAL sync is safe in WAL.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 5000").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        Ok(Store {
            pool,
            backend,
            // No read cache until the application asks for one (`with_read_cache`).
            cache: Arc::new(cache::ReadCache::new(Duration::ZERO)),
        })
    }

    pub async fn migrate(&self) -> Result<()> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await?;
        Ok(())
    }

    /// The same database with a read cache of its own that keeps values for `ttl` (zero: no
    /// cache). See [`cache`] for what is cached and how fresh it is.
    pub fn with_read_cache(mut self, ttl: Duration) -> Store {
        self.cache = Arc::new(cache::ReadCache::new(ttl));
        self
    }

    pub(crate) fn cache(&self) -> &cache::ReadCache {
        &self.cache
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// For `/readyz`: can we run a statement right now?
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}
