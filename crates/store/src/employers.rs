//! Employers (单位): profiles, join requests to organizers (入驻申请), positions (招聘职位) and
//! the interviewer accounts (面试官) that belong to them.

use fairhall_domain::fair::OrganizerKind;
use fairhall_domain::review::JoinStatus;
use sqlx::AssertSqlSafe;

use crate::cache::Area;
use crate::{NullText, Result, Store};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Employer {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
}

/// Everything an employer tells organizers and students about itself. Profile fields are
/// `None` only for employers created before registration collected them (tests, demo).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct EmployerProfile {
    pub id: i64,
    pub name: String,
    pub credit_code: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub industry: Option<String>,
    pub size: Option<String>,
    pub city: Option<String>,
    pub address: Option<String>,
    pub description: Option<String>,
    pub logo_key: Option<String>,
    pub licence_key: Option<String>,
    pub created_at: i64,
    pub updated_at: Option<i64>,
}

const PROFILE_COLUMNS: &str = "e.id, e.name, e.credit_code, e.contact_name, e.contact_phone, \
     e.contact_email, e.industry, e.size, e.city, e.address, e.description, e.logo_key, \
     e.licence_key, e.created_at, e.updated_at";

/// The profile fields an employer writes (checked by `fairhall_domain::employer::Profile`).
#[derive(Debug, Clone, Copy)]
pub struct ProfileFields<'a> {
    pub name: &'a str,
    pub credit_code: &'a str,
    pub contact_name: &'a str,
    pub contact_phone: &'a str,
    pub contact_email: &'a str,
    pub industry: &'a str,
    pub size: &'a str,
    pub city: &'a str,
    pub address: Option<&'a str>,
    pub description: Option<&'a str>,
}

/// An employer's request to join one organizer (入驻申请).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinRequest {
    pub id: i64,
    pub employer_id: i64,
    pub organizer_id: i64,
    pub status: JoinStatus,
    /// The rejection reason; kept when the employer resubmits, so staff see what was asked.
    pub reason: Option<String>,
    pub submitted_at: i64,
    pub reviewed_at: Option<i64>,
    pub reviewed_by: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct JoinRow {
    jr_id: i64,
    jr_employer_id: i64,
    jr_organizer_id: i64,
    #[sqlx(try_from = "String")]
    jr_status: JoinStatus,
    jr_reason: Option<String>,
    jr_submitted_at: i64,
    jr_reviewed_at: Option<i64>,
    jr_reviewed_by: Option<i64>,
}

const JOIN_COLUMNS: &str = "j.id AS jr_id, j.employer_id AS jr_employer_id, \
     j.organizer_id AS jr_organizer_id, j.status AS jr_status, j.reason AS jr_reason, \
     j.submitted_at AS jr_submitted_at, j.reviewed_at AS jr_reviewed_at, \
     j.reviewed_by AS jr_reviewed_by";

impl JoinRow {
    fn into_request(self) -> Result<JoinRequest> {
        Ok(JoinRequest {
            status: self.jr_status,
            id: self.jr_id,
            employer_id: self.jr_employer_id,
            organizer_id: self.jr_organizer_id,
            reason: self.jr_reason,
            submitted_at: self.jr_submitted_at,
            reviewed_at: self.jr_reviewed_at,
            reviewed_by: self.jr_reviewed_by,
        })
    }
}

#[derive(sqlx::FromRow)]
struct JoinWithEmployerRow {
    #[sqlx(flatten)]
    request: JoinRow,
    #[sqlx(flatten)]
    employer: EmployerProfile,
}

/// A join request with the employer's profile, for organizer staff's review queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinRequestWithEmployer {
    pub request: JoinRequest,
    pub employer: EmployerProfile,
}

/// An organizer and this employer's request to join it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizerJoin {
    pub organizer_id: i64,
    pub organizer_name: String,
    pub organizer_kind: OrganizerKind,
    pub request: Option<JoinRequest>,
}

#[derive(sqlx::FromRow)]
struct OrganizerJoinRow {
    o_id: i64,
    o_name: String,
    #[sqlx(try_from = "String")]
    o_kind: OrganizerKind,
    jr_id: Option<i64>,
    #[sqlx(try_from = "NullText")]
    jr_status: Option<JoinStatus>,
    jr_reason: Option<String>,
    jr_submitted_at: Option<i64>,
    jr_reviewed_at: Option<i64>,
    jr_reviewed_by: Option<i64>,
}

/// A position (招聘职位). `deleted_at` is set instead of deleting the row.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Position {
    pub id: i64,
    pub employer_id: i64,
    pub title: String,
    pub headcount: i64,
    /// `fairhall_domain::employer::Education::as_str`.
    pub education: String,
    /// Joined with `、`; empty means any major.
    pub majors: String,
    pub city: String,
    /// 元/月; both `None` means negotiable.
    pub salary_min: Option<i64>,
    pub salary_max: Option<i64>,
    pub description: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub deleted_at: Option<i64>,
}

const POSITION_COLUMNS: &str = "id, employer_id, title, headcount, education, majors, city, \
     salary_min, salary_max, description, created_at, updated_at, deleted_at";

#[derive(Debug, Clone, Copy)]
pub struct PositionFields<'a> {
    pub title: &'a str,
    pub headcount: i64,
    pub education: &'a str,
    pub majors: &'a str,
    pub city: &'a str,
    pub salary_min: Option<i64>,
    pub salary_max: Option<i64>,
    pub description: Option<&'a str>,
}

/// An interviewer account (面试官) of an employer.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Interviewer {
    pub id: i64,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub created_at: i64,
}

impl Store {
    pub async fn insert_employer(&self, name: &str, now: i64) -> Result<i64> {
        let id = sqlx::query_scalar(
            "INSERT INTO employers (name, created_at) VALUES ($1, $2) RETURNING id",
        )
        .bind(name)
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        Ok(id)
    }

    pub async fn employer(&self, id: i64) -> Result<Employer> {
        let row = sqlx::query_as("SELECT id, name, created_at FROM employers WHERE id = $1")
            .bind(id)
            .fetch_one(self.pool())
            .await?;
        Ok(row)
    }

    /// `employer`, through the read cache (for the hall pages' headings).
    pub async fn employer_cached(&self, id: i64) -> Result<Employer> {
        let cache = self.cache();
        cache.through(&cache.employers, id, self.employer(id)).await
    }

    /// Creates an employer with its whole profile. A taken credit code is
    /// `Unique(Constraint::EmployerCreditCode)`.
    #[tracing::instrument(skip_all)]
    pub async fn insert_employer_profile(&self, p: &ProfileFields<'_>, now: i64) -> Result<i64> {
        let id = sqlx::query_scalar(
            "INSERT INTO employers (name, credit_code, contact_name, contact_phone, \
             contact_email, industry, size, city, address, description, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
        )
        .bind(p.name)
        .bind(p.credit_code)
        .bind(p.contact_name)
        .bind(p.contact_phone)
        .bind(p.contact_email)
        .bind(p.industry)
        .bind(p.size)
        .bind(p.city)
        .bind(p.address)
        .bind(p.description)
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        Ok(id)
    }

    /// Undoes `insert_employer_profile` when the rest of a registration fails. Only an
    /// employer nothing refers to yet can be removed.
    pub async fn delete_new_employer(&self, id: i64) -> Result<()> {
        sqlx::query(
            "DELETE FROM employers WHERE id = $1 \
             AND NOT EXISTS (SELECT 1 FROM users WHERE employer_id = $1) \
             AND NOT EXISTS (SELECT 1 FROM join_requests WHERE employer_id = $1)",
        )
        .bind(id)
        .execute(self.pool())
        .await?;
        self.cache().changed(Area::Directory);
        Ok(())
    }

    pub async fn employer_profile(&self, id: i64) -> Result<EmployerProfile> {
        let row = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {PROFILE_COLUMNS} FROM employers e WHERE e.id = $1"
        )))
        .bind(id)
        .fetch_one(self.pool())
        .await?;
        Ok(row)
    }

    pub async fn employer_by_credit_code(&self, code: &str) -> Result<Option<EmployerProfile>> {
        let row = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {PROFILE_COLUMNS} FROM employers e WHERE e.credit_code = $1"
        )))
        .bind(code)
        .fetch_optional(self.pool())
        .await?;
        Ok(row)
    }

    /// A taken credit code is
    /// `Unique(Constraint::EmployerCreditCode)`.
    #[tracing::instrument(skip_all, fields(employer.id = id))]
    pub async fn update_employer_profile(
        &self,
        id: i64,
        p: &ProfileFields<'_>,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE employers SET name = $1, credit_code = $2, contact_name = $3, \
             contact_phone = $4, contact_email = $5, industry = $6, size = $7, city = $8, \
             address = $9, description = $10, updated_at = $11 WHERE id = $12",
        )
        .bind(p.name)
        .bind(p.credit_code)
        .bind(p.contact_name)
        .bind(p.contact_phone)
        .bind(p.contact_email)
        .bind(p.industry)
        .bind(p.size)
        .bind(p.city)
        .bind(p.address)
        .bind(p.description)
        .bind(now)
        .bind(id)
        .execute(self.pool())
        .await?;
        self.cache().changed(Area::Directory);
        Ok(())
    }

    /// Replaces the logo and/or licence; `None` leaves that file as it is.
    pub async fn set_employer_files(
        &self,
        id: i64,
        logo_key: Option<&str>,
        licence_key: Option<&str>,
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE employers SET logo_key = COALESCE($1, logo_key), \
             licence_key = COALESCE($2, licence_key), updated_at = $3 WHERE id = $4",
        )
        .bind(logo_key)
        .bind(licence_key)
        .bind(now)
        .bind(id)
        .execute(self.pool())
        .await?;
        self.cache().changed(Area::Directory);
        Ok(())
    }

    /// The employer's admin accounts (usually one), who receive review results.
    pub async fn employer_admin_ids(&self, employer_id: i64) -> Result<Vec<i64>> {
        let ids = sqlx::query_scalar(
            "SELECT id FROM users WHERE employer_id = $1 AND role = 'employer_admin' ORDER BY id",
        )
        .bind(employer_id)
        .fetch_all(self.pool())
        .await?;
        Ok(ids)
    }

    /// An organizer's staff accounts, told about new join requests.
    pub async fn organizer_staff_ids(&self, organizer_id: i64) -> Result<Vec<i64>> {
        let ids = sqlx::query_scalar(
            "SELECT id FROM users WHERE organizer_id = $1 AND role = 'organizer_staff' \
             ORDER BY id",
        )
        .bind(organizer_id)
        .fetch_all(self.pool())
        .await?;
        Ok(ids)
    }

    // ---------- join requests (入驻申请) ----------

    /// A second request of the same employer to the same organizer is
    /// `Unique(Constraint::JoinRequest)`.
    #[tracing::instrument(skip_all, fields(employer.id = employer_id, organizer.id = organizer_id))]
    pub async fn insert_join_request(
        &self,
        employer_id: i64,
        organizer_id: i64,
        now: i64,
    ) -> Result<i64> {
        let id = sqlx::query_scalar(
            "INSERT INTO join_requests (employer_id, organizer_id, status, submitted_at) \
             VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(employer_id)
        .bind(organizer_id)
        .bind(JoinStatus::Pending.as_str())
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        Ok(id)
    }

    pub async fn join_request(&self, id: i64) -> Result<Option<JoinRequest>> {
        let row: Option<JoinRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {JOIN_COLUMNS} FROM join_requests j WHERE j.id = $1"
        )))
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.map(JoinRow::into_request).transpose()
    }

    /// The status of `employer_id`'s request to join `organizer_id`; `None` if it never asked.
    pub async fn join_status(
        &self,
        employer_id: i64,
        organizer_id: i64,
    ) -> Result<Option<JoinStatus>> {
        let row: Option<String> = sqlx::query_scalar(
            "SELECT status FROM join_requests WHERE employer_id = $1 AND organizer_id = $2",
        )
        .bind(employer_id)
        .bind(organizer_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(JoinStatus::try_from).transpose()?)
    }

    /// Whether any organizer has approved this employer.
    pub async fn employer_approved_anywhere(&self, employer_id: i64) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM join_requests WHERE employer_id = $1 AND status = 'approved'",
        )
        .bind(employer_id)
        .fetch_one(self.pool())
        .await?;
        Ok(n > 0)
    }

    /// Every organizer, with this employer's request to join it where there is one.
    pub async fn organizers_with_join(&self, employer_id: i64) -> Result<Vec<OrganizerJoin>> {
        let rows: Vec<OrganizerJoinRow> = sqlx::query_as(
            "SELECT o.id AS o_id, o.name AS o_name, o.kind AS o_kind, j.id AS jr_id, \
             j.status AS jr_status, j.reason AS jr_reason, j.submitted_at AS jr_submitted_at, \
             j.reviewed_at AS jr_reviewed_at, j.reviewed_by AS jr_reviewed_by \
             FROM organizers o LEFT JOIN join_requests j \
             ON j.organizer_id = o.id AND j.employer_id = $1 ORDER BY o.id",
        )
        .bind(employer_id)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|r| {
                let request = match (r.jr_id, r.jr_status, r.jr_submitted_at) {
                    (Some(id), Some(status), Some(submitted_at)) => Some(JoinRequest {
                        status,
                        id,
                        employer_id,
                        organizer_id: r.o_id,
                        reason: r.jr_reason,
                        submitted_at,
                        reviewed_at: r.jr_reviewed_at,
                        reviewed_by: r.jr_reviewed_by,
                    }),
                    _ => None,
                };
                Ok(OrganizerJoin {
                    organizer_id: r.o_id,
                    organizer_name: r.o_name,
                    organizer_kind: r.o_kind,
                    request,
                })
            })
            .collect()
    }

    /// An organizer's join requests in `status`, with the employers' profiles, oldest
    /// submission first.
    pub async fn join_requests_of_organizer(
        &self,
        organizer_id: i64,
        status: JoinStatus,
    ) -> Result<Vec<JoinRequestWithEmployer>> {
        let rows: Vec<JoinWithEmployerRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {JOIN_COLUMNS}, {PROFILE_COLUMNS} FROM join_requests j \
             JOIN employers e ON e.id = j.employer_id \
             WHERE j.organizer_id = $1 AND j.status = $2 ORDER BY j.submitted_at, j.id"
        )))
        .bind(organizer_id)
        .bind(status.as_str())
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(JoinRequestWithEmployer {
                    request: r.request.into_request()?,
                    employer: r.employer,
                })
            })
            .collect()
    }

    /// Moves a request from `from` to `to` as a review. Returns false when the request was no
    /// longer in `from` (someone else reviewed it first), so two reviewers cannot both win.
    #[tracing::instrument(skip_all, fields(join_request.id = id))]
    pub async fn review_join_request(
        &self,
        id: i64,
        from: JoinStatus,
        to: JoinStatus,
        reason: Option<&str>,
        reviewer: i64,
        now: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE join_requests SET status = $1, reason = $2, \
             reviewed_at = $3, reviewed_by = $4 WHERE id = $5 AND status = $6",
        )
        .bind(to.as_str())
        .bind(reason)
        .bind(now)
        .bind(reviewer)
        .bind(id)
        .bind(from.as_str())
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Sends a rejected request back to the queue with a new submission time (the review
    /// deadline restarts). Returns false when it was not rejected any more.
    pub async fn resubmit_join_request(&self, id: i64, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE join_requests SET status = $1, submitted_at = $2, reviewed_at = NULL, \
             reviewed_by = NULL WHERE id = $3 AND status = $4",
        )
        .bind(JoinStatus::Pending.as_str())
        .bind(now)
        .bind(id)
        .bind(JoinStatus::Rejected.as_str())
        .execute(self.pool())
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Whether `key` is the current licence of an employer that asked to join `organizer_id`.
    pub async fn licence_filed_with_organizer(&self, key: &str, organizer_id: i64) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM join_requests j JOIN employers e ON e.id = j.employer_id \
             WHERE j.organizer_id = $1 AND e.licence_key = $2",
        )
        .bind(organizer_id)
        .bind(key)
        .fetch_one(self.pool())
        .await?;
        Ok(n > 0)
    }

    // ---------- positions (招聘职位) ----------

    pub async fn insert_position(
        &self,
        employer_id: i64,
        p: &PositionFields<'_>,
        now: i64,
    ) -> Result<i64> {
        let id = sqlx::query_scalar(
            "INSERT INTO positions (employer_id, title, headcount, education, majors, city, \
             salary_min, salary_max, description, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
        )
        .bind(employer_id)
        .bind(p.title)
        .bind(p.headcount)
        .bind(p.education)
        .bind(p.majors)
        .bind(p.city)
        .bind(p.salary_min)
        .bind(p.salary_max)
        .bind(p.description)
        .bind(now)
        .fetch_one(self.pool())
        .await?;
        self.cache().changed(Area::Directory);
        Ok(id)
    }

    /// A position by id, deleted or not (registrations keep showing the ones they chose).
    pub async fn position(&self, id: i64) -> Result<Option<Position>> {
        let row = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {POSITION_COLUMNS} FROM positions WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row)
    }

    /// The employer's current (not deleted) positions, newest first.
    pub async fn positions_of(&self, employer_id: i64) -> Result<Vec<Position>> {
        let rows = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {POSITION_COLUMNS} FROM positions \
             WHERE employer_id = $1 AND deleted_at IS NULL ORDER BY id DESC"
        )))
        .bind(employer_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// Updates a current position of `employer_id`; false if there is none with that id.
    pub async fn update_position(
        &self,
        employer_id: i64,
        id: i64,
        p: &PositionFields<'_>,
        now: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE positions SET title = $1, headcount = $2, education = $3, majors = $4, \
             city = $5, salary_min = $6, salary_max = $7, description = $8, updated_at = $9 \
             WHERE id = $10 AND employer_id = $11 AND deleted_at IS NULL",
        )
        .bind(p.title)
        .bind(p.headcount)
        .bind(p.education)
        .bind(p.majors)
        .bind(p.city)
        .bind(p.salary_min)
        .bind(p.salary_max)
        .bind(p.description)
        .bind(now)
        .bind(id)
        .bind(employer_id)
        .execute(self.pool())
        .await?;
        self.cache().changed(Area::Directory);
        Ok(done.rows_affected() == 1)
    }

    /// Soft-deletes a current position of `employer_id`; false if there is none with that id.
    pub async fn delete_position(&self, employer_id: i64, id: i64, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE positions SET deleted_at = $1, updated_at = $1 \
             WHERE id = $2 AND employer_id = $3 AND deleted_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .bind(employer_id)
        .execute(self.pool())
        .await?;
        self.cache().changed(Area::Directory);
        Ok(done.rows_affected() == 1)
    }

    // ---------- interviewers (面试官) ----------

    /// The employer's interviewer accounts, oldest first.
    pub async fn interviewers_of(&self, employer_id: i64) -> Result<Vec<Interviewer>> {
        let rows = sqlx::query_as(
            "SELECT id, display_name, email, phone, created_at FROM users \
             WHERE employer_id = $1 AND role = 'interviewer' ORDER BY id",
        )
        .bind(employer_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows)
    }

    /// Records the contact phone of a non-student account (students' phones are their login
    /// and are set at sign-up).
    pub async fn set_staff_phone(&self, user_id: i64, phone: &str) -> Result<()> {
        sqlx::query("UPDATE users SET phone = $1 WHERE id = $2 AND role <> 'student'")
            .bind(phone)
            .bind(user_id)
            .execute(self.pool())
            .await?;
        self.cache().changed(Area::Users);
        Ok(())
    }
}
