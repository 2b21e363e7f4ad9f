use sqlx::AssertSqlSafe;

use crate::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Fair {
    pub id: i64,
    pub organizer_id: i64,
    pub title: String,
    pub details: String,
    pub signup_opens_at: i64,
    pub signup_closes_at: i64,
    pub starts_at: i64,
    pub ends_at: i64,
    pub min_completeness: i64,
    pub employer_limit: Option<i64>,
    pub entry_code: String,
    pub created_at: i64,
}

const COLUMNS: &str = "id, organizer_id, title, details, signup_opens_at, signup_closes_at, \
                       starts_at, ends_at, min_completeness, employer_limit, entry_code, created_at";

impl Store {
    pub async fn insert_fair(&self, f: &Fair) -> Result<i64> {
        let id = sqlx::query_scalar(
            "INSERT INTO fairs (organizer_id, title, details, signup_opens_at, signup_closes_at, \
             starts_at, ends_at, min_completeness, employer_limit, entry_code, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(f.organizer_id)
        .bind(&f.title)
        .bind(&f.details)
        .bind(f.signup_opens_at)
        .bind(f.signup_closes_at)
        .bind(f.starts_at)
        .bind(f.ends_at)
        .bind(f.min_completeness)
        .bind(f.employer_limit)
        .bind(&f.entry_code)
        .bind(f.created_at)
        .fetch_one(self.pool())
        .await?;
        Ok(id)
    }

    pub async fn fair_by_code(&self, code: &str) -> Result<Option<Fair>> {
        let row = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM fairs WHERE entry_code = $1"
        )))
        .bind(code)
        .fetch_optional(self.pool())
        .await?;
        Ok(row)
    }

    /// Moves a fair's windows; `demo` uses it so the demo fair is live whenever it runs.
    pub async fn set_fair_windows(
        &self,
        id: i64,
        signup: (i64, i64),
        live: (i64, i64),
    ) -> Result<()> {
        sqlx::query(
            "UPDATE fairs SET signup_opens_at = $1, signup_closes_at = $2, starts_at = $3, \
             ends_at = $4 WHERE id = $5",
        )
        .bind(signup.0)
        .bind(signup.1)
        .bind(live.0)
        .bind(live.1)
        .bind(id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn fairs_of_organizer(&self, organizer_id: i64) -> Result<Vec<Fair>> {
        let rows = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM fairs WHERE organizer_id = $1 ORDER BY starts_at DESC"
        )))
        .bind(organizer_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }
}
