//! Recruitment brochures (招聘简章). Content arrives here already normalised by the domain;
//! deleting only marks the row, and every read below skips marked rows.

use sqlx::AssertSqlSafe;

use crate::cache::Area;
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Brochure {
    pub id: i64,
    pub employer_id: i64,
    pub title: String,
    pub usage_notes: String,
    /// Normalised plain text: see `fairhall_domain::brochure`.
    pub content: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The fields an employer writes.
#[derive(Debug, Clone, Copy)]
pub struct BrochureFields<'a> {
    pub title: &'a str,
    pub usage_notes: &'a str,
    pub content: &'a str,
}

const COLUMNS: &str = "id, employer_id, title, usage_notes, content, created_at, updated_at";

impl Store {
    pub async fn insert_brochure(
        &self,
        employer_id: i64,
        f: BrochureFields<'_>,
        now: i64,
    ) -> Result<i64> {
        let id = sqlx::query_scalar(
            "INSERT INTO brochures (employer_id, title, usage_notes, content, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(employer_id)
        .bind(f.title)
        .bind(f.usage_notes)
        .bind(f.content)
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        Ok(id)
    }

    /// A brochure that has not been deleted, of any employer: callers check the tenant.
    /// `NotFound` if there is none.
    pub async fn brochure(&self, id: i64) -> Result<Brochure> {
        let row = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM brochures WHERE id = $1 AND deleted_at IS NULL"
        )))
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.ok_or(StoreError::NotFound)
    }

    /// An employer's brochures that have not been deleted, most recently changed first.
    pub async fn brochures_of(&self, employer_id: i64) -> Result<Vec<Brochure>> {
        let rows = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM brochures WHERE employer_id = $1 AND deleted_at IS NULL \
             ORDER BY updated_at DESC, id DESC"
        )))
        .bind(employer_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// Rewrites a brochure of `employer_id`. `NotFound` if it is not theirs or was deleted.
    pub async fn update_brochure(
        &self,
        id: i64,
        employer_id: i64,
        f: BrochureFields<'_>,
        now: i64,
    ) -> Result<()> {
        let done = sqlx::query(
            "UPDATE brochures SET title = $1, usage_notes = $2, content = $3, updated_at = $4 \
             WHERE id = $5 AND employer_id = $6 AND deleted_at IS NULL",
        )
        .bind(f.title)
        .bind(f.usage_notes)
        .bind(f.content)
        .bind(now)
        .bind(id)
        .bind(employer_id)
        .execute(self.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        self.cache().changed(Area::Directory);
        Ok(())
    }

    /// Marks a brochure of `employer_id` deleted. `NotFound` if it is not theirs or was
    /// already deleted.
    pub async fn delete_brochure(&self, id: i64, employer_id: i64, now: i64) -> Result<()> {
        let done = sqlx::query(
            "UPDATE brochures SET deleted_at = $1 \
             WHERE id = $2 AND employer_id = $3 AND deleted_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .bind(employer_id)
        .execute(self.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        self.cache().changed(Area::Directory);
        Ok(())
    }
}
