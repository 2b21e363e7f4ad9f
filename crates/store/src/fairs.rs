use sqlx::AssertSqlSafe;

use fairhall_domain::fair::{DETAILS_POLICY, EntryCode};

use crate::cache::Area;
use crate::{Result, Store, StoreError};

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
    /// Saves a new fair. `details` must come from `fair::sanitize_details` (as `FairDraft`'s
    /// do): pages show them as stored, marked with the current `DETAILS_POLICY`.
    pub async fn insert_fair(&self, f: &Fair) -> Result<i64> {
        let id = sqlx::query_scalar(
            "INSERT INTO fairs (organizer_id, title, details, signup_opens_at, signup_closes_at, \
             starts_at, ends_at, min_completeness, employer_limit, entry_code, created_at, \
             details_policy) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
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
        .bind(DETAILS_POLICY)
        .fetch_one(self.pool())
        .await?;
        Ok(id)
    }

    pub async fn fair_by_code(&self, code: &EntryCode) -> Result<Option<Fair>> {
        let row = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM fairs WHERE entry_code = $1"
        )))
        .bind(code.as_str())
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
        self.cache().changed(Area::Fairs);
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

    /// One fair; `StoreError::NotFound` if there is none with this id.
    pub async fn fair(&self, id: i64) -> Result<Fair> {
        let row = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM fairs WHERE id = $1"
        )))
        .bind(id)
        .fetch_one(self.pool())
        .await?;
        Ok(row)
    }

    /// `fair`, through the read cache: for the checks every venue request makes. Not for
    /// decisions that must see another node's edit at once.
    pub async fn fair_cached(&self, id: i64) -> Result<Fair> {
        let cache = self.cache();
        cache.through(&cache.fairs, id, self.fair(id)).await
    }

    /// Saves what staff may change: everything but the organizer, the entry code and the
    /// creation time; `details` as for `insert_fair`. `StoreError::NotFound` if the fair is
    /// gone.
    pub async fn update_fair(&self, f: &Fair) -> Result<()> {
        let done = sqlx::query(
            "UPDATE fairs SET title = $1, details = $2, signup_opens_at = $3, \
             signup_closes_at = $4, starts_at = $5, ends_at = $6, min_completeness = $7, \
             employer_limit = $8, details_policy = $9 WHERE id = $10",
        )
        .bind(&f.title)
        .bind(&f.details)
        .bind(f.signup_opens_at)
        .bind(f.signup_closes_at)
        .bind(f.starts_at)
        .bind(f.ends_at)
        .bind(f.min_completeness)
        .bind(f.employer_limit)
        .bind(DETAILS_POLICY)
        .bind(f.id)
        .execute(self.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        self.cache().changed(Area::Fairs);
        Ok(())
    }

    /// The fairs whose details were saved under an older `DETAILS_POLICY`, with those details.
    pub async fn fairs_with_old_details(&self) -> Result<Vec<(i64, String)>> {
        let rows = sqlx::query_as("SELECT id, details FROM fairs WHERE details_policy < $1")
            .bind(DETAILS_POLICY)
            .fetch_all(self.pool())
            .await?;
        Ok(rows)
    }

    /// Replaces a fair's details with `details` cleaned under the current `DETAILS_POLICY`.
    pub async fn set_fair_details(&self, id: i64, details: &str) -> Result<()> {
        sqlx::query("UPDATE fairs SET details = $1, details_policy = $2 WHERE id = $3")
            .bind(details)
            .bind(DETAILS_POLICY)
            .bind(id)
            .execute(self.pool())
            .await?;
        self.cache().changed(Area::Fairs);
        Ok(())
    }

    /// Fairs of the given organizers whose employer sign-up is open at `now`
    /// (`signup_opens_at <= now < signup_closes_at`), soonest fair first. `search` matches
    /// the fair's title or the organizer's name, case-insensitively (ASCII), as a substring.
    /// For the employer's 云校招-视频双选会 list.
    pub async fn fairs_open_for_signup(
        &self,
        organizer_ids: &[i64],
        now: i64,
        search: Option<&str>,
    ) -> Result<Vec<Fair>> {
        if organizer_ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<String> = (0..organizer_ids.len())
            .map(|i| format!("${}", i + 3))
            .collect();
        let search = search.map(str::trim).filter(|s| !s.is_empty());
        let mut sql = format!(
            "SELECT {} FROM fairs f WHERE f.signup_opens_at <= $1 AND f.signup_closes_at > $2 \
             AND f.organizer_id IN ({})",
            prefixed("f."),
            ids.join(", ")
        );
        if search.is_some() {
            let (n, m) = (organizer_ids.len() + 3, organizer_ids.len() + 4);
            sql.push_str(&format!(
                " AND (LOWER(f.title) LIKE ${n} ESCAPE '\\' OR EXISTS (SELECT 1 FROM organizers o \
                 WHERE o.id = f.organizer_id AND LOWER(o.name) LIKE ${m} ESCAPE '\\'))"
            ));
        }
        sql.push_str(" ORDER BY f.starts_at, f.id");
        let mut q = sqlx::query_as(AssertSqlSafe(sql)).bind(now).bind(now);
        for id in organizer_ids {
            q = q.bind(*id);
        }
        if let Some(s) = search {
            q = q.bind(like_pattern(s)).bind(like_pattern(s));
        }
        Ok(q.fetch_all(self.pool()).await?)
    }
}

/// The column list with a table alias before each column.
fn prefixed(alias: &str) -> String {
    COLUMNS
        .split(',')
        .map(|c| format!("{alias}{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `%text%` for `LIKE … ESCAPE '\'`, lower-cased, with `%`, `_` and `\` taken literally.
fn like_pattern(text: &str) -> String {
    let mut p = String::from("%");
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}
