//! Resumes (简历): sections edited on a phone, the completeness score, and entering a fair (报名进入会场) behind the fair's threshold.
//!
//! The basics are columns of `resumes`; the list sections are rows of `resume_entries` whose
//! `data` is JSON the application layer writes and reads through the domain's types. Every
//! write also stores the resume's completeness, computed by the caller from the resume as it
//! will be after the write, in the same transaction.

use sqlx::AssertSqlSafe;

use crate::cache::Area;
use crate::{Result, Store, StoreError};

/// A resume row with the keys and names of its files.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct ResumeRow {
    pub user_id: i64,
    pub name: Option<String>,
    pub gender: Option<String>,
    pub birth_month: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub school: Option<String>,
    pub college: Option<String>,
    pub major: Option<String>,
    pub degree: Option<String>,
    pub graduation_year: Option<i64>,
    /// One city per line.
    pub cities: String,
    /// One position per line.
    pub intended_positions: String,
    pub salary: Option<String>,
    /// One skill or certificate per line.
    pub skills: String,
    pub self_evaluation: String,
    pub photo_key: Option<String>,
    pub attachment_key: Option<String>,
    pub attachment_name: Option<String>,
    pub completeness: i64,
    pub updated_at: i64,
}

/// The basics as columns, already validated by the domain.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BasicsColumns {
    pub name: Option<String>,
    pub gender: Option<String>,
    pub birth_month: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub school: Option<String>,
    pub college: Option<String>,
    pub major: Option<String>,
    pub degree: Option<String>,
    pub graduation_year: Option<i64>,
    pub cities: String,
    pub intended_positions: String,
    pub salary: Option<String>,
}

/// One entry of a list section (education, experience, projects, awards).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ResumeEntryRow {
    pub id: i64,
    pub user_id: i64,
    pub section: String,
    /// The entry as JSON.
    pub data: String,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One change to a resume.
#[derive(Debug, Clone, Copy)]
pub enum ResumeChange<'a> {
    Basics(&'a BasicsColumns),
    /// Skills, one per line.
    Skills(&'a str),
    SelfEvaluation(&'a str),
    /// The photo's file id, or none to remove it.
    Photo(Option<i64>),
    Attachment(Option<i64>),
    AddEntry {
        section: &'a str,
        data: &'a str,
    },
    EditEntry {
        id: i64,
        data: &'a str,
    },
    DeleteEntry {
        id: i64,
    },
}

const ROW: &str = "SELECT r.user_id, r.name, r.gender, r.birth_month, r.phone, r.email, r.school, \
     r.college, r.major, r.degree, r.graduation_year, r.cities, r.intended_positions, r.salary, \
     r.skills, r.self_evaluation, p.storage_key AS photo_key, a.storage_key AS attachment_key, \
     a.original_name AS attachment_name, r.completeness, r.updated_at \
     FROM resumes r LEFT JOIN files p ON p.id = r.photo_file_id \
     LEFT JOIN files a ON a.id = r.attachment_file_id";

const ENTRY: &str = "SELECT id, user_id, section, data, created_at, updated_at FROM resume_entries";

impl Store {
    /// The student's resume row, if they ever saved one.
    pub async fn resume_row(&self, user_id: i64) -> Result<Option<ResumeRow>> {
        let row = sqlx::query_as(AssertSqlSafe(format!("{ROW} WHERE r.user_id = $1")))
            .bind(user_id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row)
    }

    /// Every entry of the student's list sections, oldest first within each section.
    pub async fn resume_entries(&self, user_id: i64) -> Result<Vec<ResumeEntryRow>> {
        let rows = sqlx::query_as(AssertSqlSafe(format!(
            "{ENTRY} WHERE user_id = $1 ORDER BY section, id"
        )))
        .bind(user_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// Applies one change and stores the completeness it leads to, in one transaction. Returns
    /// the new entry's id for `AddEntry`, and `StoreError::NotFound` when an entry to edit or
    /// delete is not this student's.
    pub async fn save_resume(
        &self,
        user_id: i64,
        change: ResumeChange<'_>,
        completeness: i64,
        now: i64,
    ) -> Result<Option<i64>> {
        let mut tx = self.pool().begin().await?;
        sqlx::query(
            "INSERT INTO resumes (user_id, updated_at) VALUES ($1, $2) \
             ON CONFLICT (user_id) DO NOTHING",
        )
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let mut created = None;
        let affected = match change {
            ResumeChange::Basics(b) => sqlx::query(
                "UPDATE resumes SET name = $1, gender = $2, birth_month = $3, phone = $4, \
                 email = $5, school = $6, college = $7, major = $8, degree = $9, \
                 graduation_year = $10, cities = $11, intended_positions = $12, salary = $13 \
                 WHERE user_id = $14",
            )
            .bind(b.name.as_deref())
            .bind(b.gender.as_deref())
            .bind(b.birth_month.as_deref())
            .bind(b.phone.as_deref())
            .bind(b.email.as_deref())
            .bind(b.school.as_deref())
            .bind(b.college.as_deref())
            .bind(b.major.as_deref())
            .bind(b.degree.as_deref())
            .bind(b.graduation_year)
            .bind(b.cities.as_str())
            .bind(b.intended_positions.as_str())
            .bind(b.salary.as_deref())
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected(),
            ResumeChange::Skills(s) => {
                sqlx::query("UPDATE resumes SET skills = $1 WHERE user_id = $2")
                    .bind(s)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
            }
            ResumeChange::SelfEvaluation(s) => {
                sqlx::query("UPDATE resumes SET self_evaluation = $1 WHERE user_id = $2")
                    .bind(s)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
            }
            ResumeChange::Photo(file) => {
                sqlx::query("UPDATE resumes SET photo_file_id = $1 WHERE user_id = $2")
                    .bind(file)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
            }
            ResumeChange::Attachment(file) => {
                sqlx::query("UPDATE resumes SET attachment_file_id = $1 WHERE user_id = $2")
                    .bind(file)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
            }
            ResumeChange::AddEntry { section, data } => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO resume_entries (user_id, section, data, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $4) RETURNING id",
                )
                .bind(user_id)
                .bind(section)
                .bind(data)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                created = Some(id);
                1
            }
            ResumeChange::EditEntry { id, data } => sqlx::query(
                "UPDATE resume_entries SET data = $1, updated_at = $2 \
                 WHERE id = $3 AND user_id = $4",
            )
            .bind(data)
            .bind(now)
            .bind(id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected(),
            ResumeChange::DeleteEntry { id } => {
                sqlx::query("DELETE FROM resume_entries WHERE id = $1 AND user_id = $2")
                    .bind(id)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
            }
        };
        if affected != 1 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("UPDATE resumes SET completeness = $1, updated_at = $2 WHERE user_id = $3")
            .bind(completeness)
            .bind(now)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.cache().changed(Area::Talents);
        Ok(created)
    }
}
