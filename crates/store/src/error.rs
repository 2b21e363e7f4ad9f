use thiserror::Error;

/// What can go wrong in the store. Callers branch on `Conflict` (a unique constraint) and
/// `NotFound`; everything else is an internal failure that is logged, never shown.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("unique constraint violated: {0}")]
    Conflict(String),
    #[error("not found")]
    NotFound,
    #[error("cannot open database: {0}")]
    Open(String),
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// A caller's mistake the store noticed (e.g. a bulk insert keyed on a missing column).
    #[error("{0}")]
    Other(String),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict(db.constraint().unwrap_or("unique").to_string())
            }
            _ => StoreError::Database(e),
        }
    }
}
