//! Rosters (云就业匹配): organizer staff import student rosters from CSV or XLSX; students sign in by matching them.
//!
//! The store never sees an ID number: the app hands it the salt and the keyed hashes of the
//! number and of its tail. Rows are keyed by (organizer, normalised school, student number).

use std::collections::HashMap;

use sqlx::AssertSqlSafe;

use crate::cache::Area;
use crate::{Result, Store};

/// One checked roster row, ready to write.
#[derive(Debug, Clone)]
pub struct RosterRecord {
    /// The school as the file spelled it, and in normalised form (the lookup key).
    pub school: String,
    pub school_key: String,
    pub student_number: String,
    pub name: String,
    pub id_salt: String,
    pub id_hash: String,
    pub id_tail_hash: String,
    pub college: Option<String>,
    pub major: Option<String>,
    /// `Degree::as_str`.
    pub degree: Option<String>,
    pub graduation_year: Option<i64>,
    pub phone: Option<String>,
}

/// A stored roster row.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RosterEntry {
    pub id: i64,
    pub organizer_id: i64,
    pub school: String,
    pub student_number: String,
    pub name: String,
    pub id_salt: String,
    pub id_hash: String,
    pub id_tail_hash: String,
    pub college: Option<String>,
    pub major: Option<String>,
    pub degree: Option<String>,
    pub graduation_year: Option<i64>,
    pub phone: Option<String>,
    pub user_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const ENTRY_COLUMNS: &str = "id, organizer_id, school, student_number, name, id_salt, id_hash, \
                             id_tail_hash, college, major, degree, graduation_year, phone, \
                             user_id, created_at, updated_at";

/// One import, for the history.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct RosterImport {
    pub id: i64,
    pub organizer_id: i64,
    pub uploaded_by: i64,
    pub uploaded_by_name: String,
    pub file_name: String,
    pub rows_total: i64,
    pub rows_inserted: i64,
    pub rows_updated: i64,
    pub created_at: i64,
}

/// What an import wrote: each row's entry id and whether it was new.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportWritten {
    pub import_id: i64,
    pub inserted: i64,
    pub updated: i64,
    /// For each record, in order: true if it created a row, false if it updated one.
    pub created: Vec<bool>,
}

/// What a roster row fills into an empty resume.
#[derive(Debug, Clone, Default)]
pub struct ResumeBasicsFill {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub school: Option<String>,
    pub college: Option<String>,
    pub major: Option<String>,
    pub degree: Option<String>,
    pub graduation_year: Option<i64>,
}

/// Text columns of `resumes` the roster fills when they are NULL or empty.
const FILLED_TEXT: [&str; 6] = ["name", "phone", "school", "college", "major", "degree"];

impl Store {
    /// The salt and ID hash of each of the organizer's rows, by (school key, student number):
    /// a re-import reuses a row's salt, so its hashes compare with the stored ones.
    #[tracing::instrument(skip_all, fields(organizer.id = organizer_id))]
    pub async fn roster_salts(
        &self,
        organizer_id: i64,
    ) -> Result<HashMap<(String, String), (String, String)>> {
        let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT school_key, student_number, id_salt, id_hash FROM roster_entries \
             WHERE organizer_id = $1",
        )
        .bind(organizer_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(k, n, s, h)| ((k, n), (s, h)))
            .collect())
    }

    /// Writes a whole roster file in one transaction: every row is inserted, or updated in
    /// place by (organizer, school key, student number), and the import is logged; on any
    /// failure nothing is written. An updated row keeps its linked student only while the ID
    /// hash is unchanged (the same person); a different ID number unlinks it.
    #[tracing::instrument(skip_all, fields(organizer.id = organizer_id, rows = records.len()))]
    pub async fn roster_import(
        &self,
        organizer_id: i64,
        uploaded_by: i64,
        file_name: &str,
        records: &[RosterRecord],
        now: i64,
    ) -> Result<ImportWritten> {
        let mut tx = self.pool().begin().await?;
        let mut created = Vec::with_capacity(records.len());
        for r in records {
            let done = sqlx::query(
                "UPDATE roster_entries SET \
                 user_id = CASE WHEN id_hash = $1 THEN user_id ELSE NULL END, \
                 id_salt = $2, id_hash = $1, id_tail_hash = $3, school = $4, name = $5, \
                 college = $6, major = $7, degree = $8, graduation_year = $9, phone = $10, \
                 updated_at = $11 \
                 WHERE organizer_id = $12 AND school_key = $13 AND student_number = $14",
            )
            .bind(&r.id_hash)
            .bind(&r.id_salt)
            .bind(&r.id_tail_hash)
            .bind(&r.school)
            .bind(&r.name)
            .bind(&r.college)
            .bind(&r.major)
            .bind(&r.degree)
            .bind(r.graduation_year)
            .bind(&r.phone)
            .bind(now)
            .bind(organizer_id)
            .bind(&r.school_key)
            .bind(&r.student_number)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() > 0 {
                created.push(false);
                continue;
            }
            sqlx::query(
                "INSERT INTO roster_entries (organizer_id, school, school_key, student_number, \
                 name, id_salt, id_hash, id_tail_hash, college, major, degree, graduation_year, \
                 phone, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)",
            )
            .bind(organizer_id)
            .bind(&r.school)
            .bind(&r.school_key)
            .bind(&r.student_number)
            .bind(&r.name)
            .bind(&r.id_salt)
            .bind(&r.id_hash)
            .bind(&r.id_tail_hash)
            .bind(&r.college)
            .bind(&r.major)
            .bind(&r.degree)
            .bind(r.graduation_year)
            .bind(&r.phone)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            created.push(true);
        }
        let inserted = created.iter().filter(|c| **c).count() as i64;
        let updated = created.len() as i64 - inserted;
        let import_id: i64 = sqlx::query_scalar(
            "INSERT INTO roster_imports (organizer_id, uploaded_by, file_name, rows_total, \
             rows_inserted, rows_updated, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             RETURNING id",
        )
        .bind(organizer_id)
        .bind(uploaded_by)
        .bind(file_name)
        .bind(records.len() as i64)
        .bind(inserted)
        .bind(updated)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        self.cache().changed(Area::Talents);
        Ok(ImportWritten {
            import_id,
            inserted,
            updated,
            created,
        })
    }

    /// The organizer's imports, newest first.
    pub async fn roster_imports(&self, organizer_id: i64, limit: i64) -> Result<Vec<RosterImport>> {
        let rows = sqlx::query_as(
            "SELECT i.id, i.organizer_id, i.uploaded_by, u.display_name AS uploaded_by_name, \
             i.file_name, i.rows_total, i.rows_inserted, i.rows_updated, i.created_at \
             FROM roster_imports i JOIN users u ON u.id = i.uploaded_by \
             WHERE i.organizer_id = $1 ORDER BY i.id DESC LIMIT $2",
        )
        .bind(organizer_id)
        .bind(limit)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// How many students the organizer's roster holds, and how many of them have matched.
    pub async fn roster_counts(&self, organizer_id: i64) -> Result<(i64, i64)> {
        let row: (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN user_id IS NULL THEN 0 ELSE 1 END), 0) \
             FROM roster_entries WHERE organizer_id = $1",
        )
        .bind(organizer_id)
        .fetch_one(self.pool())
        .await?;
        Ok(row)
    }

    /// Every organizer's row for a school (normalised) and student number: student numbers
    /// repeat across schools, and a school may be on more than one organizer's roster.
    #[tracing::instrument(skip_all)]
    pub async fn roster_lookup(
        &self,
        school_key: &str,
        student_number: &str,
    ) -> Result<Vec<RosterEntry>> {
        let rows = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {ENTRY_COLUMNS} FROM roster_entries \
             WHERE school_key = $1 AND student_number = $2 ORDER BY id"
        )))
        .bind(school_key)
        .bind(student_number)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// Links a row to a student unless it already has one; returns the student it is linked
    /// to now (ours, or the one a concurrent match linked first).
    pub async fn roster_link_user(&self, entry_id: i64, user_id: i64, now: i64) -> Result<i64> {
        sqlx::query(
            "UPDATE roster_entries SET user_id = $1, updated_at = $2 \
             WHERE id = $3 AND user_id IS NULL",
        )
        .bind(user_id)
        .bind(now)
        .bind(entry_id)
        .execute(self.pool())
        .await?;
        let linked: Option<i64> =
            sqlx::query_scalar("SELECT user_id FROM roster_entries WHERE id = $1")
                .bind(entry_id)
                .fetch_one(self.pool())
                .await?;
        Ok(linked.unwrap_or(user_id))
    }

    /// Removes a student account made for a roster match that lost a race to another match of
    /// the same student, as long as no roster row links it.
    pub async fn delete_unlinked_student(&self, user_id: i64) -> Result<()> {
        sqlx::query(
            "DELETE FROM users WHERE id = $1 AND role = 'student' \
             AND NOT EXISTS (SELECT 1 FROM roster_entries WHERE user_id = $1)",
        )
        .bind(user_id)
        .execute(self.pool())
        .await?;
        self.cache().changed(Area::Users);
        self.cache().changed(Area::Entries);
        self.cache().changed(Area::Talents);
        Ok(())
    }

    /// Marks a student as proven by a roster match (the first time counts).
    pub async fn mark_verified(&self, user_id: i64, now: i64) -> Result<()> {
        sqlx::query(
            "UPDATE users SET verified_at = COALESCE(verified_at, $1) \
             WHERE id = $2 AND role = 'student'",
        )
        .bind(now)
        .bind(user_id)
        .execute(self.pool())
        .await?;
        self.cache().changed(Area::Users);
        Ok(())
    }

    /// Fills the resume's basics from the roster where they are empty: creates the resume row
    /// if the student has none, and never overwrites what the student wrote.
    #[tracing::instrument(skip_all, fields(user.id = user_id))]
    pub async fn fill_resume_basics(
        &self,
        user_id: i64,
        fill: &ResumeBasicsFill,
        now: i64,
    ) -> Result<()> {
        let sets: Vec<String> = FILLED_TEXT
            .iter()
            .map(|c| {
                format!(
                    "{c} = CASE WHEN resumes.{c} IS NULL OR resumes.{c} = '' \
                     THEN excluded.{c} ELSE resumes.{c} END"
                )
            })
            .chain([
                "graduation_year = COALESCE(resumes.graduation_year, excluded.graduation_year)"
                    .to_string(),
                "updated_at = excluded.updated_at".to_string(),
            ])
            .collect();
        sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO resumes (user_id, name, phone, school, college, major, degree, \
             graduation_year, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (user_id) DO UPDATE SET {}",
            sets.join(", ")
        )))
        .bind(user_id)
        .bind(&fill.name)
        .bind(&fill.phone)
        .bind(&fill.school)
        .bind(&fill.college)
        .bind(&fill.major)
        .bind(&fill.degree)
        .bind(fill.graduation_year)
        .bind(now)
        .execute(self.pool())
        .await?;
        self.cache().changed(Area::Talents);
        Ok(())
    }

    /// Stores the score of a resume the roster filled, computed by the caller from the
    /// resume as it now is.
    pub async fn roster_resume_completeness(&self, user_id: i64, percent: i64) -> Result<()> {
        sqlx::query("UPDATE resumes SET completeness = $1 WHERE user_id = $2")
            .bind(percent)
            .bind(user_id)
            .execute(self.pool())
            .await?;
        self.cache().changed(Area::Talents);
        Ok(())
    }
}
