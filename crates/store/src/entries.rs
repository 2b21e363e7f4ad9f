//! Fair entries (报名进入会场): which students entered which fair. Shared by the resume gate that
//! writes them and by every venue feature (employer list, deliveries, chat, resumes seen by
//! employers) that asks whether a student is in a fair.

use crate::cache::Area;
use crate::{Result, Store};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FairEntry {
    pub fair_id: i64,
    pub student_id: i64,
    pub completeness: i64,
    pub entered_at: i64,
}

impl Store {
    /// Records that `student_id` entered `fair_id`. Entering again changes nothing and returns
    /// the first entry.
    pub async fn insert_fair_entry(
        &self,
        fair_id: i64,
        student_id: i64,
        completeness: i64,
        now: i64,
    ) -> Result<FairEntry> {
        sqlx::query(
            "INSERT INTO fair_entries (fair_id, student_id, completeness, entered_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (fair_id, student_id) DO NOTHING",
        )
        .bind(fair_id)
        .bind(student_id)
        .bind(completeness)
        .bind(now)
        .execute(self.pool())
        .await?;
        self.cache().changed(Area::Talents);
        Ok(self
            .fair_entry(fair_id, student_id)
            .await?
            .expect("the entry was just written"))
    }

    pub async fn fair_entry(&self, fair_id: i64, student_id: i64) -> Result<Option<FairEntry>> {
        let row = sqlx::query_as(
            "SELECT fair_id, student_id, completeness, entered_at FROM fair_entries \
             WHERE fair_id = $1 AND student_id = $2",
        )
        .bind(fair_id)
        .bind(student_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row)
    }

    /// Whether the student entered the fair, through the read cache (an entry, once made, stays).
    pub async fn has_entered(&self, fair_id: i64, student_id: i64) -> Result<bool> {
        let cache = self.cache();
        let load = async { Ok(self.fair_entry(fair_id, student_id).await?.map(|_| ())) };
        let entered = cache
            .through_found(&cache.entries, (fair_id, student_id), load)
            .await?;
        Ok(entered.is_some())
    }

    /// The fairs a student entered, newest entry first.
    pub async fn fair_entries_of_student(&self, student_id: i64) -> Result<Vec<FairEntry>> {
        let rows = sqlx::query_as(
            "SELECT fair_id, student_id, completeness, entered_at FROM fair_entries \
             WHERE student_id = $1 ORDER BY entered_at DESC",
        )
        .bind(student_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// Whether the employer may see this student's resume: some fair the student entered has an
    /// approved registration of the employer.
    pub async fn employer_may_see_student(
        &self,
        employer_id: i64,
        student_id: i64,
    ) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM fair_entries e JOIN registrations r ON r.fair_id = e.fair_id \
             WHERE r.employer_id = $1 AND r.status = 'approved' AND e.student_id = $2",
        )
        .bind(employer_id)
        .bind(student_id)
        .fetch_one(self.pool())
        .await?;
        Ok(n > 0)
    }

    /// The same, inside one fair.
    pub async fn employer_may_see_student_in(
        &self,
        employer_id: i64,
        student_id: i64,
        fair_id: i64,
    ) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM fair_entries e JOIN registrations r ON r.fair_id = e.fair_id \
             WHERE r.employer_id = $1 AND r.status = 'approved' AND e.student_id = $2 \
             AND e.fair_id = $3",
        )
        .bind(employer_id)
        .bind(student_id)
        .bind(fair_id)
        .fetch_one(self.pool())
        .await?;
        Ok(n > 0)
    }

    /// Whether the file with `storage_key` is the student's current resume photo or attachment.
    pub async fn is_current_resume_file(&self, student_id: i64, storage_key: &str) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM resumes r JOIN files f \
             ON f.id = r.photo_file_id OR f.id = r.attachment_file_id \
             WHERE r.user_id = $1 AND f.storage_key = $2",
        )
        .bind(student_id)
        .bind(storage_key)
        .fetch_one(self.pool())
        .await?;
        Ok(n > 0)
    }
}
